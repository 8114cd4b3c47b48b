"""Transfers from the dependency tree: who sends what to whom, or receives it from whom, and how sure it is.

A transfer verb ("ship", "supply", "send", "deliver", "provide"…) has the
supplier as subject (or agent, in the passive) and the recipient after "to"
or as its object ("supplied Russia with…"); a receiving verb ("receive",
"acquire", "obtain", "buy") has the recipient as subject and the supplier
after "from". The verb's negation, modals and governing verbs give the status:
delivered, pledged or agreed, or unrealised (denied, requested, speculated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from spacy.tokens import Span, Token

    #: A transfer verb (or noun) with its supplier head, recipient head and item heads.
    Frame: TypeAlias = tuple[Token, Token | None, Token | None, list[Token]]

GIVE = {
    "ship", "supply", "send", "deliver", "provide", "transfer", "give", "sell", "export", "hand", "furnish",
    "dispatch", "move", "deploy", "smuggle", "funnel", "pass", "lend", "offer", "pledge", "promise",
    "fly", "ferry", "airlift", "transport", "truck", "re-export", "reexport",
}  # fmt: skip
#: The states this graph follows as suppliers of arms to Russia: a transfer of theirs names no recipient but Russia.
ARMS_SUPPLIERS = frozenset({"state/north-korea", "state/iran", "state/china", "state/belarus"})
#: Verbs of goods put somewhere: the place they are put in is where they went.
STATIONED = {"deploy", "station", "place", "base"}
#: Verbs by which a shipment says what it carried, and the shipments that say it.
CONTAIN = {"include", "contain", "comprise", "carry"}
CARGO = {"cargo", "shipment", "delivery", "consignment", "supply", "load", "container", "train"}
#: Pronouns a transfer's subject may be, standing for the subject of the clause that reports it.
PRONOUN_SUBJECTS = {"it", "they", "he", "she", "we"}
#: What troops are sent to do, and with whom: 'sent 12,000 troops to fight alongside Russian forces'.
SERVE = {"fight", "serve", "help", "support", "assist", "reinforce", "join", "train"}
TAKE = {"receive", "acquire", "obtain", "buy", "import", "purchase", "get", "take", "seek", "request", "want"}
DENY = {"deny", "reject", "dismiss", "refute", "rule"}
SPECULATE = {"may", "might", "could", "possibly", "likely", "probably", "reportedly"}
REQUEST = {"seek", "request", "want", "ask", "press", "pressure", "urge"}
PLEDGE = {"pledge", "promise", "will", "would", "plan", "intend", "offer"}
AGREE = {"agree", "sign", "deal", "contract"}
CAPABLE = {"capable", "able"}
#: Nouns for claims a transfer clause can hang from: 'denied reports that…', 'rejected accusations that…'.
CLAIM_NOUNS = {"report", "claim", "accusation", "allegation", "suggestion", "assertion", "charge", "rumour", "rumor"}
NEGATIONS = {"not", "never", "n't", "n’t", "no"}
#: A transfer verb used as a modifier ('DPRK-supplied missiles', 'missiles supplied to Russia') states none.
ATTRIBUTIVE = {"amod", "acl", "compound"}


def _objects(token: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _pobj(verb: Token, *preps: str) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            objects = _objects(child, ("pobj",))
            if objects:
                return objects[0]
    return None


def _proper(token: Token | None) -> Token | None:
    return token if token is not None and token.pos_ == "PROPN" else None


def _pobjs(verb: Token, *preps: str) -> list[Token]:
    """Every object of the verb's prepositions (the parser may hang two on one 'with', uncoordinated)."""
    return [o for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ in preps
            for o in _objects(c, ("pobj",))]  # fmt: skip


def _status(verb: Token) -> tuple[str, str | None, str | None]:
    """(kind, status, modality) of the transfer a verb states."""
    chain = [verb]
    node = verb
    while node.dep_ in ("xcomp", "ccomp", "conj", "advcl") and node.head.i != node.i and len(chain) < 4:
        node = node.head
        chain.append(node)
    words = {c.lower_ for t in chain for c in t.children if c.dep_ in ("aux", "neg", "advmod")}
    lemmas = {t.lemma_.lower() for t in chain}
    if node.dep_ in ("acl", "relcl") and node.head.lemma_.lower() in CLAIM_NOUNS:
        # 'rejected reports that drones were supplied': what the claim's noun is done to
        claim = node.head
        lemmas |= {claim.head.lemma_.lower()} | {c.lemma_.lower() for c in claim.children if c.dep_ == "amod"}
    if words & NEGATIONS or lemmas & DENY:
        return "unrealised", None, "denied"
    if lemmas & REQUEST or verb.lemma_ in REQUEST:
        return "unrealised", None, "requested"
    if any(t.lemma_.lower() in CAPABLE for t in list(verb.ancestors)[:3]):
        return "unrealised", None, "capability"  # 'factories are capable of supplying Russia with…'
    if words & SPECULATE or any(t.lower_ in SPECULATE for t in verb.sent if t.dep_ == "advmod" and t.head.i == verb.i):
        return "unrealised", None, "speculated"
    if lemmas & AGREE:
        return "transfer", "agreed", None
    if lemmas & PLEDGE or words & PLEDGE:
        return "transfer", "pledged", None
    return "transfer", "delivered", None


def transfer_frames(sentence: Span) -> list[Frame]:
    """(verb, supplier head, recipient head, item heads) for each transfer verb of a sentence."""
    found: list[Frame] = []
    for verb in sentence:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        lemma = verb.lemma_.lower()
        if verb.dep_ in ATTRIBUTIVE and not _objects(verb, ("nsubj", "nsubjpass", "mark")):
            if not (verb.dep_ == "acl" and lemma in GIVE and _pobj(verb, "to") is not None and is_goods(verb.head)):
                continue  # a clause of its own ('reports that Iran supplied drones') is no modifier
            # 'about 11,000 North Korean troops deployed to Russia's Kursk region': the goods and where they went
            found.append((verb, None, _pobj(verb, "to"), [verb.head]))
            continue
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        subject = next(iter(_objects(verb, ("nsubj",))), None)
        if subject is None and verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            subject = next(iter(_objects(verb.head, ("nsubj",))), None)
        if subject is None and verb.dep_ == "xcomp" and verb.head.lemma_ in ("believe", "say", "think", "report",
                                                                              "understand", "know", "expect"):
            # 'Moscow is believed to have transferred…': the subject of the verb of belief gives
            subject = next(iter(_objects(verb.head, ("nsubjpass", "nsubj"))), None)
        if subject is not None and subject.lower_ in PRONOUN_SUBJECTS and verb.dep_ in ("ccomp", "xcomp", "conj"):
            # 'Lithuania's defence ministry announced it would send Ukraine…': who 'it' is, the clause above says
            subject = next(iter(_objects(verb.head, ("nsubj",))), subject)
        if subject is None and verb.dep_ == "pcomp":
            # 'plants are capable of supplying…': the subject of the clause the phrase hangs from
            clause = next((a for a in list(verb.ancestors)[:3] if _objects(a, ("nsubj",))), None)
            subject = _objects(clause, ("nsubj",))[0] if clause is not None else None
        if lemma in GIVE:
            if passive:
                agent = next(iter(_objects(verb, ("agent",))), None)
                supplier = next(iter(_objects(agent, ("pobj",))), None) if agent is not None else None
                supplier = supplier or _pobj(verb, "from")
                items = _objects(verb, ("nsubjpass",))
            else:
                supplier = subject
                items = _objects(verb, ("dobj",))
                if not items and subject is not None and subject.pos_ == "NOUN" and is_goods(subject):
                    # 'troops deployed to Russia's Kursk region' read as a clause: the troops went, nobody gave
                    supplier, items = None, [subject]
            recipient = _pobj(verb, "to") or _proper(_pobj(verb, "for"))  # not 'for use in the war in Ukraine'
            if recipient is None and lemma in STATIONED:
                recipient = _proper(_pobj(verb, "in"))  # 'Oreshnik missiles would be deployed in Belarus'
            if recipient is None and not passive:
                # 'supplied Russia with shells': the object is the recipient, the goods come after 'with'
                with_objects = _pobjs(verb, "with")  # 'with about 120 missiles and at least 40 launchers'
                if with_objects and items:
                    recipient, items = items[0], with_objects
                elif len(items) >= 2 and items[0].pos_ == "PROPN" and items[0].i < items[1].i:
                    # 'had sent Russia at least 40 missiles': the parser made both objects direct ones
                    recipient, items = items[0], items[1:]
                else:
                    datives = _objects(verb, ("dative",))
                    recipient = datives[0] if datives else None
            if recipient is None:
                # 'sent 12,000 troops to fight alongside Russian forces': whom they were sent to fight with
                purposes = [c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.lemma_ in SERVE]
                recipient = next((o for c in purposes for o in [_pobj(c, "alongside", "with", "for"),
                                  *_objects(c, ("dobj",))] if o is not None), None)  # fmt: skip
            found.append((verb, supplier, recipient, items))
        elif lemma in CONTAIN and subject is not None and subject.lemma_.lower() in CARGO:
            # 'the cargo has included North Korea's KN-23 missiles': shipped by whoever owns the goods
            items = _objects(verb, ("dobj",))
            owner = next((o for item in items[:1] for o in _objects(item, ("poss",))), None)
            found.append((verb, owner, _pobj(subject, "to"), items))
        elif lemma in TAKE:
            recipient = subject if not passive else _pobj(verb, "by")
            supplier = _pobj(verb, "from")
            items = _objects(verb, ("dobj", "nsubjpass"))
            found.append((verb, supplier, recipient, items))
    found += _nominal_frames(sentence)
    return found


def _nominal_frames(sentence: Span) -> list[Frame]:
    """'ruled out any transfer of ballistic missiles to Russia': a transfer noun with its goods ('of') and
    recipient ('to'), supplied by whoever is named 'from'/'by', its possessor, or the subject of the verb
    it is the object of. The governing verb gives the status (here, denied)."""
    found: list[Frame] = []
    for noun in sentence:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in TRANSFER_NOUNS:
            continue
        items = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in _objects(c, ("pobj",))]
        recipient = _pobj(noun, "to")
        owner = next(iter(_objects(noun, ("poss",))), None)
        if noun.dep_ != "dobj":
            # "Iran's arms deliveries to Russia are believed to…": a supplier's transfer named as a subject
            if owner is None:
                continue
            items = items or [c for c in noun.children if c.dep_ == "compound" and is_goods(c)]
        if not items or recipient is None:
            continue
        supplier = _pobj(noun, "from", "by") or owner
        if supplier is None and noun.dep_ == "dobj":
            supplier = next(iter(_objects(noun.head, ("nsubj",))), None)
        found.append((noun.head if noun.dep_ == "dobj" else noun, supplier, recipient, items))
    return found


def subtree_span(token: Token | None, base: int) -> tuple[int, int] | None:
    """Character span of a token's subtree, in article offsets."""
    if token is None:
        return None
    return base + token.left_edge.idx, base + token.right_edge.idx + len(token.right_edge.text)


def listed(heads: list[Token]) -> list[Token]:
    """Each item of a list of goods: 'at least 100 missiles, 200 artillery systems and anti-tank missiles'."""
    items: list[Token] = []
    for head in heads:
        for item in [head, *head.conjuncts]:
            if item not in items:
                items.append(item)
    return items


def own_span(item: Token, base: int) -> tuple[int, int]:
    """An item's own phrase: its subtree without the items coordinated after it."""
    end_token = item
    for token in item.subtree:
        if token.i < item.i:
            continue
        if token.dep_ in ("conj", "cc") and token.head.i == item.i:
            break
        end_token = token if token.i > end_token.i else end_token
    left = item.left_edge
    return base + left.idx, base + end_token.idx + len(end_token.text)


#: Nouns that name a transfer: 'any transfer of missiles to Russia', 'deliveries of shells to Moscow'.
TRANSFER_NOUNS = {"transfer", "supply", "delivery", "shipment", "sale", "export", "provision"}
#: Words of aid and dependence that state a transfer without a verb of giving.
AID = {"aid", "assistance", "package", "depend", "dependent", "rely", "reliant", "dependence"}
#: Nouns for what is handed over in this domain: an item of these with no weapon named is still goods.
GOODS = {
    "missile", "weapon", "arm", "arms", "munition", "ammunition", "shell", "round", "rocket", "drone", "artillery",
    "launcher", "howitzer", "equipment", "troop", "soldier", "oil", "technology", "component", "part", "system",
}  # fmt: skip


def is_goods(item: Token) -> bool:
    """Whether a transfer's object names goods ('any ballistic missiles', 'shipments of Iranian missiles')."""
    return any(t.lemma_.lower() in GOODS for head in [item, *item.conjuncts] for t in head.subtree)


def status_of(verb: Token) -> tuple[str, str | None, str | None]:
    """The transfer's kind, status and modality (see :func:`_status`)."""
    return _status(verb)
