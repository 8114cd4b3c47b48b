"""Attribution from the dependency tree: who says (estimates, concludes, denies…) what, relayed by whom.

A cue is a speech or cognition verb with its subject (or the agent of a
passive) as speaker and its clausal complement as content; "according to X";
"X told Y" (Y relays the claim); "X, cited by Y". Coordinated speakers
("Moscow and Pyongyang deny…") are split, one per conjunct. What the speaker
phrase refers to (a name, a pronoun, "the ministry", a report and its author)
is resolved by the reader, which knows the article's entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SPEECH = {
    "say", "tell", "state", "estimate", "conclude", "find", "confirm", "deny", "accuse", "report", "indicate",
    "claim", "announce", "add", "warn", "note", "write", "post", "reveal", "allege", "assess", "believe",
    "suggest", "show", "insist", "argue", "testify", "explain", "describe", "predict", "reject", "dismiss",
    "acknowledge", "admit", "stress", "assert", "disclose", "document", "record", "identify", "verify",
    "respond", "comment", "publish", "observe", "blame", "charge", "calculate", "count", "decline", "tally",
    "attribute", "trace", "determine", "establish", "judge", "recount", "reiterate", "emphasise",
    "emphasize", "underline", "urge", "condemn", "call", "brief", "inform", "detail", "list", "log", "register",
    "put", "quote", "cite", "speak", "dispute", "refute", "contradict", "question", "doubt",
    "denounce", "rule", "revise", "criticize", "criticise", "pledge", "reply", "suspect",
}  # fmt: skip
#: Verbs whose agentless passive passes on what no one named holds: 'is believed to', 'it is estimated that'.
HEARSAY = {"believe", "estimate", "think", "report", "say", "expect", "understand", "know", "assess", "suspect"}
#: Verbs of an act of saying (not of believing or estimating).
SAYING = {"say", "tell", "state", "announce", "report", "add", "write", "post", "inform", "brief"}
PERSONAL = {"it", "they", "he", "she"}
#: Participles of the act of speaking set beside a speaker: 'X, speaking on Tuesday, said'.
SPEAKING = {"speak", "write", "talk", "brief", "testify", "appear"}
#: Verbs of an outlet passing a statement on: 'a statement carried by KCNA'.
CARRYING = {"carry", "publish", "release", "distribute", "air", "broadcast", "run"}
#: Verbs that, as a participle beside a speaker or a claim, name who passed the words on.
RELAY_VERBS = {"cite", "quote"}
#: Events a speaker can cite or describe: a date after them is theirs.
EVENT_NOUNS = {
    "strike", "attack", "launch", "incident", "explosion", "shelling", "raid", "bombing", "assault", "barrage",
    "offensive", "hit", "blast", "shipment", "delivery", "transfer", "test",
}  # fmt: skip
#: Verbs that only attribute with a clausal complement ('showed that…', 'called it…' do; 'called for' not).
NEEDS_CONTENT = {"show", "find", "call", "put", "list", "register", "log", "record", "document", "count", "detail",
                 "identify", "trace", "attribute", "question", "speak", "brief", "inform", "publish",
                 "post"}  # fmt: skip
#: Occasions of speaking whose time is the time of what was said in them: 'an address on 30 June, in which…'.
SPEECH_EVENTS = {"address", "speech", "interview", "briefing", "conference", "remarks", "post", "statement",
                 "appearance", "testimony", "hearing", "letter", "message", "video"}  # fmt: skip
#: What a count is said to be by: 'by the count of the prosecutor's office', 'by Seoul's estimate'.
RECKONINGS = {"count", "estimate", "tally", "calculation", "reckoning", "assessment", "figure", "data"}
#: Verbs of a finding that a counted object states: 'investigators documented 30 fragments'.
COUNTING = {"find", "document", "record", "count", "identify", "tally", "log", "register", "trace", "detail"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "advcl", "parataxis", "prep", "attr", "oprd", "npadvmod", "acomp"}
SUBJECT_DEPS = {"nsubj", "csubj"}
#: People who can be a source without a name: 'citing unnamed officials'.
SOURCE_NOUNS = {
    "official", "source", "person", "people", "diplomat", "officer", "analyst", "expert", "spokesperson",
    "spokesman", "spokeswoman", "investigator", "researcher", "insider", "aide", "witness", "lawmaker",
}  # fmt: skip
REPORT_NOUNS = {
    "report", "assessment", "study", "analysis", "document", "documents", "findings", "investigation", "dossier",
    "paper", "update", "review", "survey", "data", "tally", "figures", "statistics", "numbers", "statement",
    "bulletin", "briefing", "communique", "summary", "digest", "readout", "overview",
    "post", "letter", "filing", "evaluation", "estimate", "research", "inquiry", "probe", "audit", "brief",
    "image", "images", "imagery", "photos", "photographs", "footage", "evidence", "records",
    "indictment", "complaint", "affidavit", "lawsuit",
}  # fmt: skip


@dataclass
class Cue:
    """One attribution cue: the cue words, the speaker phrases' heads, and who relays it."""

    word: str
    start: int
    end: int
    speakers: list[Token]
    relays: list[Token] = field(default_factory=list)
    verb: Token | None = None


def _conjuncts(token: Token) -> list[Token]:
    """A subject and the subjects coordinated with it ('Moscow and Pyongyang')."""
    return [token, *(t for t in token.conjuncts if t.pos_ in ("PROPN", "NOUN", "PRON"))]


def _closing_name(verb: Token) -> Token | None:
    """'…, including three children, regional governor Oleh Syniehubov said on Thursday.': a closing name the
    parser hung on the claim's last noun (and the claim's clause on the verb as its subject); the person named
    just before the verb, after the claim's last comma."""
    before = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
    if verb.dep_ != "ROOT" or before is None or before.pos_ != "PROPN" or before.ent_type_ != "PERSON":
        return None
    first = before
    while first.i > verb.sent.start and verb.doc[first.i - 1].dep_ in ("compound", "amod") and (
        verb.doc[first.i - 1].pos_ in ("PROPN", "NOUN", "ADJ")
    ):
        first = verb.doc[first.i - 1]
    return before if first.i > verb.sent.start and verb.doc[first.i - 1].text == "," else None


def _opening_name(verb: Token) -> Token | None:
    """'Andrii Chernyak, a spokesman for Ukraine's military intelligence agency (HUR), says…' parsed with no
    subject for 'says': the person the sentence opens on, set off by commas up to the verb."""
    sentence = verb.sent
    if verb.dep_ != "ROOT" or verb.i < 2 or verb.doc[verb.i - 1].text != ",":
        return None
    first = next((t.i for t in sentence if not t.is_space), sentence.start)  # (past a blanked timeline date)
    person = next((e for e in sentence.ents if e.start == first and e.label_ == "PERSON"), None)
    if person is None or person.end >= verb.i or verb.doc[person.end].text != ",":
        return None
    return person[-1]


def _subjects(verb: Token) -> tuple[list[Token], bool]:
    """The verb's speakers and whether they come from an agent ('was reported by X')."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    closing = _closing_name(verb) if all(c.dep_ == "csubj" for c in subjects) else None
    if closing is not None:
        return [closing], False
    opening = _opening_name(verb) if not subjects else None
    if opening is not None:
        return [opening], False
    if subjects:
        # two subjects hung on one verb ('…, most of them aboard freighters …, two people familiar with the
        # shipments said'): the one nearest before the verb says it
        before = [c for c in subjects if c.i < verb.i]
        return _conjuncts(before[-1] if before else subjects[0]), False
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return _conjuncts(objects[0]), True
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i < verb.i:
        # 'X went further on Tuesday, telling state television that…': the governing verb's subject tells
        governing = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
        if governing:
            return _conjuncts(governing[0]), False
    # '…, X, spokesperson for Y, said': the phrase closed by a comma just before the verb is the speaker.
    if verb.i - 2 >= verb.sent.start and verb.doc[verb.i - 1].text == ",":
        before_comma = verb.doc[verb.i - 2]
        if before_comma.pos_ in ("PROPN", "NOUN") and before_comma.ent_type_ not in ("DATE", "TIME"):
            return _conjuncts(before_comma), False
    # 'The London-based think tank estimates that…': the parser made the speaker a compound of the verb
    compounds = [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")]
    if compounds and verb.dep_ == "ROOT":
        return _conjuncts(compounds[-1]), False
    # 'Zelensky, in an interview with the BBC aired on Sunday, said…': the name set off by a comma before an
    # inserted phrase, which the parser made the subject of that phrase
    for clause in (c for c in verb.children if c.i < verb.i and c.dep_ in ("ccomp", "advcl", "csubj")):
        named = [g for g in clause.children if g.dep_ in SUBJECT_DEPS and g.i < clause.i and g.pos_ == "PROPN"
                 and g.i + 1 < len(verb.doc) and verb.doc[g.i + 1].text == ","]  # fmt: skip
        if named:
            return _conjuncts(named[0]), False
    # '…, South Korea's spy agency said.' parsed as a clause hanging off the claim: the name just before the verb
    # (before its acronym in brackets, '…Joint Chiefs of Staff (JCS) said'; the phrase's head, not 'Staff').
    if verb.dep_ in ("advcl", "parataxis", "ccomp", "ROOT", "conj") and verb.i > verb.sent.start:
        previous = _before_brackets(verb)
        while previous.dep_ == "pobj" and previous.head.dep_ == "prep" and previous.head.head.i < previous.i:
            previous = previous.head.head
        after_head = verb.dep_ == "ROOT" or (previous.i > verb.head.i and verb.head.i < verb.i)
        if previous.pos_ in ("PROPN", "NOUN") and after_head:
            return _conjuncts(previous), False
    # 'X said … and added', 'declined to comment', 'speaking at a briefing': the governing verb's subject.
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        able = verb.head.dep_ == "acomp" and verb.head.lemma_ in ("able", "unable")
        ruling = verb.head.head if able else verb.head  # "has not been able to confirm"
        for child in ruling.children:
            if child.dep_ in SUBJECT_DEPS:
                return _conjuncts(child), False
    return [], False


def _has_content(verb: Token) -> bool:
    """Whether a verb that attributes only with content has some: a clause ('found that…'); 'called the
    reports "fake"' (an object and what it is called); a document's findings as an object ('the assessment
    found more than 290 components'); or a verb set in commas inside the claim ('…, the report found, …')."""
    children = list(verb.children)
    if any(c.dep_ in ("ccomp", "xcomp") for c in children) or verb.dep_ == "parataxis":
        return True
    if verb.lemma_ == "call" and any(c.dep_ in ("oprd", "attr") for c in children):
        return True
    subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
    objects = [c for c in children if c.dep_ == "dobj"]
    if verb.lemma_ == "attribute" and objects and any(c.dep_ == "prep" and c.lower_ == "to" for c in children):
        return True  # 'attributed strikes on Kyiv to North Korean KN-23 missiles'
    if verb.lemma_ == "put" and objects and any(t.like_num for c in children if c.dep_ == "prep" and c.lower_ == "at"
                                                for t in c.subtree):
        return True  # 'put the death toll at 14'
    if subjects and verb.lemma_ in COUNTING and any(t.like_num for o in objects for t in o.subtree):
        return True  # 'the institute found 100 new launchers': what was found and counted is the claim
    return bool(subjects) and is_report(subjects[0]) and bool(objects)


def _perfect_misparsed(token: Token) -> Token | None:
    """'Moscow and Pyongyang have in the past rejected accusations': with words between the auxiliary and
    the participle the small parser reads 'have' as the main verb and the participle as an adjective of its
    object. Returns that 'have', whose subject is the speaker."""
    noun = token.head
    if token.dep_ != "amod" or token.tag_ != "VBN" or noun.dep_ != "dobj" or noun.i < token.i:
        return None
    verb = noun.head
    if verb.lemma_ != "have" or verb.i > token.i or not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    return verb


def _before_brackets(verb: Token) -> Token:
    """The token before a verb, skipping a bracketed acronym or aside just before it."""
    doc, i = verb.doc, verb.i - 1
    if doc[i].text == ")":
        opening = next((j for j in range(i - 1, max(verb.sent.start, i - 8) - 1, -1) if doc[j].text == "("), None)
        if opening is not None and opening > verb.sent.start:
            i = opening - 1
    return doc[i]


def _relays(verb: Token) -> list[Token]:
    """Who a claim was told to or cited by: 'told Reuters', 'cited by Yonhap', 'in an interview with X'."""
    found = []
    if verb.lemma_ == "tell":
        found += [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.pos_ == "PROPN"]
    for token in verb.subtree:
        if token.lemma_ == "cite" and token.tag_ == "VBN":
            for child in token.children:
                if child.dep_ == "agent":
                    found += [g for g in child.children if g.dep_ == "pobj"]
    # 'said in a statement carried by KCNA', 'in remarks published by Yonhap': the outlet that carried them
    for preposition in (c for c in verb.children if c.dep_ == "prep"):
        for statement in (g for g in preposition.children if g.dep_ == "pobj"):
            for carried in statement.children:
                if carried.dep_ == "acl" and carried.lemma_ in CARRYING and carried.tag_ == "VBN":
                    found += [g for a in carried.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    return found


def _cited(verb: Token) -> list[Token]:
    """The sources a verb's subject cites: 'Citing unnamed US officials, the Journal reported…'."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    # ("South Korea's ambassador, Joonkook Hwang, citing his country's spy agency, told…": hung on the subject)
    for child in [*verb.children, *(c for s in subjects for c in s.children if c.dep_ == "acl")]:
        if child.lemma_ == "cite" and child.tag_ == "VBG":
            return [g for g in child.children if g.dep_ == "dobj" and _is_source(g)]
    for clause in verb.children:
        # 'Kyodo reported, citing government sources, that…': the parser may hang 'citing' on what was reported
        marks = [c.i for c in clause.children if c.dep_ == "mark"] if clause.dep_ in ("ccomp", "advcl") else []
        for child in clause.children if marks else []:
            if child.lemma_ == "cite" and child.tag_ == "VBG" and verb.i < child.i < marks[0]:
                return [g for g in child.children if g.dep_ == "dobj" and _is_source(g)]
    return []


def _is_source(noun: Token) -> bool:
    """Whether a cited thing can speak: a name, people ('unnamed officials') or a document, not 'information'."""
    return noun.pos_ == "PROPN" or noun.lemma_.lower() in SOURCE_NOUNS | PUBLICATIONS


def _event_objects(verb: Token) -> list[int]:
    """Positions of the verb's objects that are events ('cites a strike', 'described the attack'): what
    follows them tells of the event, not of when it was told."""
    return [c.i for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in EVENT_NOUNS]


def _carries_content(clause: Token) -> bool:
    """'…, citing debris from a strike on Feb. 6', '…, adding that…': a participle that goes on with what was
    said (its dates are the claim's), unlike 'speaking at a briefing on Wednesday' (when it was said)."""
    return clause.lemma_ in SPEECH and clause.lemma_ != "speak"


def frame(verb: Token) -> list[tuple[int, int]]:
    """Character spans of the cue verb's own modifiers (when and where it was said), not its content clause."""
    spans = []
    if verb.dep_ == "conj" and verb.head.lemma_ in SPEECH and verb.lower_ != "according":
        # 'X on Monday called the reports "fake" and said…': the first verb's time is the second's
        spans += [span for span in frame(verb.head) if not span[0] <= verb.idx < span[1]]
    objects = _event_objects(verb)
    for child in verb.children:
        if objects and child.i > objects[0] and child.dep_ != "agent":
            continue  # 'cites a strike on Kyiv on 24 April': the date is the strike's, wherever the parser hangs it
        if child.dep_ in ("prep", "npadvmod", "advmod", "tmod", "advcl", "agent") and not (
            child.dep_ == "advcl" and (any(g.dep_ in SUBJECT_DEPS for g in child.children) or _carries_content(child))
        ):
            spans.append((child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)))
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i < verb.i:
        # 'X went further on Tuesday, telling state television that…': when the governing act happened
        spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
                  for c in verb.head.children if c.dep_ in ("prep", "npadvmod") and c.i < verb.i]  # fmt: skip
    for subject in (c for c in verb.children if c.dep_ in SUBJECT_DEPS):
        # 'Oleh Kiper, speaking on Tuesday, said…': the time of the speaking set beside the speaker
        for speaking in (c for c in subject.children if c.dep_ in ("acl", "advcl") and c.lemma_ in SPEAKING):
            spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
                      for c in speaking.children if c.dep_ in ("prep", "npadvmod")]  # fmt: skip
        # '…official, briefing reporters in Brussels on Wednesday, said': the parser may make 'briefing
        # reporters' an apposition of the speaker; its time is the speaking's all the same
        for apposed in (c for c in subject.children if c.dep_ == "appos" and c.left_edge.lemma_ in SPEAKING):
            spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
                      for c in apposed.children if c.dep_ in ("prep", "npadvmod")]  # fmt: skip
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in SPEECH_EVENTS:
        # "Zelenskyy's evening address on 30 June, in which he said…": the occasion's time is the saying's
        spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
                  for c in verb.head.children if c.dep_ in ("prep", "npadvmod") and c.i < verb.i]  # fmt: skip
    elif verb.dep_ == "relcl" and verb.head.ent_type_ == "DATE" and verb.head.head.lemma_.lower() == "on":
        # the parser hung 'in which he said' on the occasion's date ('address on 11 November, in which…')
        date = verb.head.head
        spans.append((date.idx, verb.head.idx + len(verb.head.text)))
    elif verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in PERSONAL for c in verb.children):
        # 'The Treasury on Thursday imposed sanctions on firms that it said had supplied…': said when it acted
        act = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if act is not None and any(c.dep_ == "nsubj" for c in act.children):
            spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)) for c in act.children
                      if c.dep_ in ("prep", "npadvmod") and c.i < act.i]  # fmt: skip
    return spans


#: The children of a cue verb that give what is said.
SAID_DEPS = ("ccomp", "xcomp", "dobj", "parataxis", "oprd", "attr")


def content(verb: Token) -> list[tuple[int, int]]:
    """Character spans of what a cue verb says (its clausal complement and object), whose dates are the
    claim's own and not when it was made; for 'according to', everything in the sentence outside the phrase."""
    if verb.lower_ == "according" or verb.pos_ == "ADP":  # 'according to X', 'by X's count'
        sentence = verb.sent
        start, end = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge.text)
        return [(sentence.start_char, start), (end, sentence.end_char)]
    objects = _event_objects(verb)
    told = verb.lemma_ == "tell"  # 'told the council that…': whom it was told is not what
    return [
        (child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
        for child in verb.children
        if (child.dep_ in SAID_DEPS and not (told and child.dep_ == "dobj"))
        or (child.dep_ == "advcl" and _carries_content(child))
        or (objects and child.i > objects[0] and child.dep_ != "agent")  # 'cites a strike … on 24 April'
    ]


def agentless(verb: Token) -> bool:
    """Whether a verb is passive with no one named as its agent: 'is believed to…', 'it was reported that…'."""
    children = list(verb.children)
    return any(c.dep_ in ("nsubjpass", "expl") for c in children) and not any(c.dep_ == "agent" for c in children)


#: What a relative clause says its antecedent said: 'Kallas, who told reporters that…'.
RELATIVE_SAYING = {"say", "tell", "state", "announce", "write", "claim", "warn", "estimate", "conclude", "argue"}


def cues(sentence: Span) -> list[Cue]:
    """The attribution cues of a parsed sentence, in text order."""
    found: list[Cue] = []
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            to = token.doc[token.i + 1]
            objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in token.children if c.dep_ == "pobj"]
            if objects:
                speakers = _conjuncts(objects[0])
                found.append(Cue("according to", token.idx, to.idx + 2, speakers, [], token))
            continue
        if token.lower_ in ("by", "in") and token.dep_ == "prep":
            # 'By the count of the prosecutor's office, 25 missiles…', 'by Seoul's estimate': an 'according to'
            counts = [c for c in token.children if c.dep_ == "pobj" and c.lemma_.lower() in RECKONINGS]
            owners = [g for c in counts for g in c.children if g.dep_ == "poss"] + [
                o for c in counts for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj"]  # fmt: skip
            if owners and owners[0].pos_ in ("PROPN", "NOUN"):
                speakers = _conjuncts(owners[0])
                found.append(Cue("according to", token.idx, token.idx + len(token.text), speakers, [], token))
                continue
        if token.lemma_ == "reach" and any(c.dep_ == "neg" for c in token.children):
            # 'Elektron-Servis could not be reached for comment': no response, from whoever was sought
            sought = [c for c in token.children if c.dep_ == "nsubjpass"]
            if sought:
                end = token.idx + len(token.text)
                found.append(Cue("reached", token.idx, end, _conjuncts(sought[0]), [], token))
                continue
        if token.lemma_ == "learn" and any(c.dep_ in ("nsubjpass", "expl") for c in token.children):
            # 'it was learned on the 12th from multiple government sources' (a Japanese newspaper's idiom)
            sources = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "from"
                       for o in p.children if o.dep_ == "pobj"]  # fmt: skip
            if sources:
                end = token.idx + len(token.text)
                found.append(Cue("learned from", token.idx, end, _conjuncts(sources[0]), [], token))
                continue
        # 'Shipping data reviewed by X show that…': a speech verb tagged as a noun, but the root with a subject
        misread_verb = token.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in token.children)
        if token.lemma_ not in SPEECH or (token.pos_ not in ("VERB", "AUX") and not misread_verb):
            continue
        perfect = _perfect_misparsed(token)
        if (token.dep_ in ("amod", "compound") and perfect is None) or (
            token.tag_ == "VBG" and token.dep_ in ("acl", "pcomp")
        ):
            continue
        if token.lemma_ in RELAY_VERBS and token.dep_ in ("acl", "advcl") and token.tag_ in ("VBN", "VBG"):
            continue  # 'X, cited by Y, said', 'Citing officials, Y reported': Y relays (see _relays, _cited)
        if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.lemma_ in SPEECH and token.head.i < token.i:
            continue  # 'X said …, adding that…': the same speaker's words go on
        if agentless(token):
            clause = any(c.dep_ in ("xcomp", "ccomp") for c in token.children)
            if token.lemma_ in HEARSAY and token.tag_ == "VBN" and clause and token.dep_ != "relcl":
                # 'Russia is believed to have received…', 'It is estimated that…': said by no one named
                found.append(Cue(token.text.lower(), token.idx, token.idx + len(token.text), [token], [], token))
            continue  # 'were reported': nobody is said to speak
        if token.lemma_ in NEEDS_CONTENT and not _has_content(token):
            continue
        if token.lemma_ == "rule" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children):
            continue
        if token.lemma_ == "add" and any(c.dep_ == "dobj" and c.pos_ in ("NOUN", "NUM", "PROPN")
                                         for c in token.children):  # fmt: skip
            continue  # 'the bureau had added 19 companies to its list': a deed, not words

        speakers, _ = _subjects(perfect) if perfect is not None else _subjects(token)
        relays = _relays(token)
        quoted = [c for c in token.children if c.dep_ == "dobj"] if token.lemma_ == "quote" else []
        cited = _cited(token)
        if quoted or cited:
            # 'X quoted an official as saying…', 'Citing officials, X reported…': the source speaks, X relays.
            relays, speakers = relays + speakers, _conjuncts((quoted or cited)[0])
        quoted_subject = [c for c in token.children if c.dep_ == "nsubjpass"] if token.lemma_ == "quote" else []
        if quoted_subject:
            # 'Gladkov was quoted by Interfax as saying…': Gladkov speaks, Interfax relays
            relays, speakers = _unique_tokens(relays + speakers), _conjuncts(quoted_subject[0])
        relative = token.dep_ == "relcl" and [s.lower_ for s in speakers] in (["who"], ["which"], ["that"])
        if relative and token.lemma_ in RELATIVE_SAYING and any(c.dep_ == "ccomp" for c in token.children):
            # 'Kaja Kallas, who told reporters on Monday that China had become…': the one the clause is about
            # says what its own clause says (not 'who testified', which only introduces what follows)
            # ('the EU's foreign policy chief, Kaja Kallas, who…' hangs it on the title, whose apposition names her;
            # 'X, a UK-based group, which said…' on the description: the rules for bodies read that)
            named = [token.head] if token.head.pos_ == "PROPN" else [
                c for c in token.head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]  # fmt: skip
            speakers = _conjuncts(named[0]) if named else []
        speakers = [s for s in speakers if s.lower_ not in ("i", "we", "you", "this", "that", "which", "who")]
        if not speakers:
            continue
        found.append(Cue(token.text.lower(), token.idx, token.idx + len(token.text), speakers, relays, token))
    found.sort(key=lambda c: c.start)  # the first cue of the sentence: the attribution, not a reported one
    return found


#: Bodies named by the city they sit in: 'the Russian embassy in London', 'the mission in Geneva'.
SEATED = {"embassy", "mission", "consulate", "delegation", "office", "bureau"}


def _names_a_place(preposition: Token) -> bool:
    objects = [g for g in preposition.children if g.dep_ == "pobj"]
    return bool(objects) and objects[0].pos_ == "PROPN" and objects[0].ent_type_ in ("GPE", "LOC", "")


#: Light verbs of a speech act: 'gave the estimate', 'made the assessment', 'presented its findings'.
ACT_VERBS = {"give", "make", "present", "share", "deliver", "issue", "provide", "offer", "release"}
ACT_NOUNS = {"estimate", "assessment", "briefing", "statement", "figure", "findings", "report", "evaluation", "remark"}


def reported_act(cue: Cue) -> Token | None:
    """Who performed the speech act a cue reports: in 'The NIS gave the estimate at a closed session, according
    to Rep. Lee' (or '…, Lee told reporters') the NIS speaks and the lawmaker relays it."""
    verb = cue.verb
    if verb is None:
        return None
    clauses = [verb.sent.root] if verb.lower_ == "according" else [c for c in verb.children if c.dep_ == "ccomp"]
    for clause in clauses:
        if clause.lemma_ not in ACT_VERBS or clause.i == verb.i:
            continue
        objects = [c for c in clause.children if c.dep_ == "dobj" and c.lemma_.lower() in ACT_NOUNS]
        subjects = [c for c in clause.children if c.dep_ in SUBJECT_DEPS]
        if objects and subjects:
            return subjects[0]
    return None


def phrase(head: Token) -> tuple[int, int]:
    """The character span of a speaker phrase: the head with its modifiers, without clauses or appositions."""
    left = head.i
    for child in reversed(list(head.lefts)):
        # only the modifiers right before the head: 'than Russia's own Iskander-M, air force officials have said'
        # is 'air force officials', whatever the parser hung on them
        hyphen = child.text == "-" and not child.whitespace_  # 'Choi Ji-hoon'
        if child.right_edge.i != left - 1 or (child.dep_ in ("punct", "appos", "cc", "conj", "advcl", "prep")
                                              and not hyphen):
            break
        left = child.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in ("prep", "amod", "compound", "nummod", "poss", "case") and child.lower_ not in ("on", "in"):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_ in ("brief", "familiarize", "involve"):
            right = max(right, child.right_edge.i)  # 'three officials briefed on the matter'

        elif child.lower_ == "in" and head.lower_ in SEATED and right == head.i and _names_a_place(child):
            right = max(right, child.right_edge.i)  # 'the Russian embassy in London': where it sits is its name
        else:
            break
    doc = head.doc
    tokens = [t for t in doc[left : right + 1] if t.dep_ not in ("punct", "cc") or t.i not in (left, right)]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        tokens = [head]
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


#: Documents whose author the article may name only after citing them: an indictment, a complaint.
AUTHORED_LATER = {"indictment", "complaint", "filing", "affidavit", "charge", "lawsuit"}
#: Documents that come out on a day: what they say was said then.
PUBLICATIONS = {
    "report", "assessment", "study", "analysis", "document", "dossier", "paper", "update", "review", "survey",
    "evaluation", "bulletin", "communique", "letter", "filing", "audit", "summary", "digest", "overview",
}  # fmt: skip
#: Verbs that make a document public: its date is when its author said what it says.
RELEASE_VERBS = {"release", "publish", "issue", "submit", "present", "unveil", "circulate", "post", "date", "file"}


def release_frames(doc: Span | Doc) -> list[tuple[int, int, int]]:
    """Where documents are said to have come out: (report noun offset, span start, span end) of the phrase
    that says when — 'the 29-page report, released on Thursday', 'the report was published on Monday'."""
    found = []
    for token in doc:
        if token.lemma_.lower() not in PUBLICATIONS or any(c.dep_ == "poss" for c in token.children):
            continue  # 'His statement was posted on…' is dated by whoever 'his' is, not by a document
        verbs = [c for c in token.children if c.dep_ in ("acl", "relcl") and c.lemma_ in RELEASE_VERBS]
        if token.dep_ == "nsubjpass" and token.head.lemma_ in RELEASE_VERBS:
            verbs.append(token.head)
        for verb in verbs:
            for start, end in frame(verb):
                found.append((token.idx, start, end))
    return found


def name_after(head: Token) -> Token | None:
    """The proper name right after a common-noun description, with no comma: 'state news agency KCNA'."""
    if head.pos_ != "NOUN" or head.i + 1 >= len(head.doc):
        return None
    after = head.doc[head.i + 1]
    if after.pos_ != "PROPN":
        return None
    # read as the description's apposition, or (a parser slip) as a second subject of the same verb
    same_role = after.head.i == head.head.i and after.dep_ == head.dep_
    return after if after.head.i == head.i or same_role else None


def one_of(head: Token) -> Token | None:
    """'One of the three sources': the group a speaker is one of."""
    if head.lower_ not in ("one", "two", "three", "some", "several", "many", "most", "none"):
        return None
    return next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"), None)  # fmt: skip


def governing_subject(pronoun: Token) -> Token | None:
    """The subject of the sentence's main clause, when a pronoun speaks in a clause under it: 'the ministry' in
    'The ministry summoned the ambassador to protest what it called…', 'the authors' in 'The authors estimate
    that factories could…, although they say…' ('he'/'she' want a person's name, 'it'/'they' anything else)."""
    root = pronoun.sent.root
    if pronoun.head.i == root.i or pronoun.head.dep_ == "parataxis":
        return None  # ('Iran, it says, delivered…': a speaker set into the claim is not the claim's subject)
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i and c.pos_ != "PRON"]
    if not subjects:
        return None
    personal = pronoun.lower_ in ("he", "she", "him", "her", "his")
    return subjects[0] if (subjects[0].ent_type_ == "PERSON") == personal else None


def closes_sentence(verb: Token) -> bool:
    """'…, X said on Tuesday.': a speech verb whose subject follows a comma and after which only its own
    modifiers close the sentence."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i]
    if not subjects:
        return False
    left = subjects[0].left_edge
    if left.i == 0 or verb.doc[left.i - 1].text != ",":
        return False
    end = verb.sent.end - 1 if verb.doc[verb.sent.end - 1].is_punct else verb.sent.end  # before the full stop
    return verb.right_edge.i >= end - 1


def appositions(head: Token) -> list[Token]:
    """Names set beside a speaker phrase: 'the agency's deputy head, Vadym Skibitskyi', and beside those in
    turn (the parser may hang 'the head of X, NAME' on a noun before them)."""
    found = [c for c in head.children if c.dep_ == "appos"]
    # 'A lawyer for Tolkachev, Daniel Ruiz, declined': the name the parser hung on the phrase's object
    found += [
        a for p in head.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"
        for a in o.children if a.dep_ == "appos"
    ]  # fmt: skip
    return found + [g for c in found for g in appositions(c)]


def is_report(head: Token) -> bool:
    """Whether a speaker phrase is a document, whose author is the real speaker."""
    return head.lemma_.lower() in REPORT_NOUNS or head.lower_ in REPORT_NOUNS


def report_author(head: Token) -> Token | None:
    """The author named in a report phrase: 'a report by the monitoring team', 'the team's report'."""
    for child in head.children:
        if child.dep_ == "poss" and child.ent_type_ not in ("DATE", "TIME"):
            return child  # (not "Tuesday's statement by the NIS": a day is when, the NIS is who)
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and not is_report(objects[0]):
                return objects[0]
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
    for child in head.children:
        if child.dep_ == "acl":
            for grandchild in child.children:
                if grandchild.dep_ == "agent":
                    objects = [g for g in grandchild.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
        if child.dep_ == "relcl" and child.lemma_ in RELEASE_VERBS | {"write", "prepare", "compile", "produce"}:
            # 'a report the institute published on Tuesday': who published it wrote it
            subjects = [g for g in child.children if g.dep_ == "nsubj" and g.pos_ in ("NOUN", "PROPN")]
            if subjects:
                return subjects[0]
    return None


def _unique_tokens(tokens: list[Token]) -> list[Token]:
    return list({t.i: t for t in tokens}.values())
