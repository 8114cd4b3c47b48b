"""What the endpoint must know about a query before running it: its form and its SERVICE calls.

pyoxigraph parses and runs a query in one call and always executes SERVICE
clauses, so the endpoint reads the text itself first: a small lexer that skips
comments, strings and IRIs finds the query form (to negotiate the response
format, and answer 406, before any work) and every SERVICE endpoint (to refuse
the ones not allowed, before any request leaves the server).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
                |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'
                |"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<pname>[A-Za-z][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
    | (?P<word>[A-Za-z]+)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class Service:
    """A SERVICE clause: its endpoint IRI (None when it is a variable) and where it starts."""

    endpoint: str | None
    offset: int


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(iri: str) -> str:
    """IRIs may hide characters as \\uXXXX escapes, which the query engine decodes: compare decoded IRIs."""
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), iri)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """The text's tokens outside comments: (kind, text, offset), kind being string, iri, var, pname, word or other."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"  # every alternative of the pattern is a named group
        if kind != "comment":
            yield kind, match.group(), match.start()


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, or None if no form keyword comes first.

    >>> query_form("PREFIX s: <http://x/> # SELECT in a comment\\nCONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }")
    'CONSTRUCT'
    >>> query_form("BASE <http://x/> ask { ?s ?p ?o }")
    'ASK'
    """
    for kind, value, _ in tokens(text):
        if kind == "word":
            upper = value.upper()
            if upper in FORMS:
                return upper
            if upper not in {"PREFIX", "BASE"}:
                return None
    return None


def is_update(text: str) -> bool:
    """True when the text reads as a SPARQL Update rather than a query.

    >>> is_update("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")
    True
    """
    for kind, value, _ in tokens(text):
        if kind == "word" and value.upper() not in {"PREFIX", "BASE"}:
            return value.upper() in UPDATE_KEYWORDS
    return False


def resolve(base: str | None, iri: str) -> str:
    """``iri`` resolved against ``base`` (RFC 3986), as the query engine does; absolute IRIs are returned as they are.

    >>> resolve("http://host/sparql", "person/1"), resolve(None, "person/1"), resolve("http://a/b", "urn:x")
    ('http://host/person/1', 'person/1', 'urn:x')
    """
    if base is None or _SCHEME.match(iri):
        return iri
    return urljoin(base, iri)


_INSERT_DATA_WORDS = {"PREFIX", "BASE", "INSERT", "DATA", "GRAPH", "A", "TRUE", "FALSE"}


def inserts_data_only(text: str) -> bool:
    """True when every operation of the update is ``INSERT DATA`` (nothing deleted, nothing matched).

    Conservative: any other keyword says False.

    >>> inserts_data_only("PREFIX x: <http://x/> INSERT DATA { x:a x:b 'DELETE'@en } ; INSERT DATA { x:a a x:C }")
    True
    >>> inserts_data_only("INSERT { <a:s> <a:p> ?o } WHERE { ?s <a:p> ?o }")
    False
    """
    words = [value.upper() for kind, value, start in tokens(text)
             if kind == "word" and text[start - 1 : start] != "@"]  # a language tag is not a keyword
    if "INSERT" not in words or not set(words) <= _INSERT_DATA_WORDS:
        return False
    pairs = zip(words, [*words[1:], ""], strict=True)
    return all(following == "DATA" for word, following in pairs if word == "INSERT")


def services(text: str, keyword: str = "SERVICE", *, base: str | None = None) -> list[Service]:
    """Every SERVICE clause of a query or update, with its endpoint resolved against the PREFIX declarations.

    With ``keyword="LOAD"``, every LOAD operation of an update and the IRI it would fetch. Relative IRIs
    are resolved as the engine resolves them: against ``base`` (the endpoint's IRI), or the ``BASE`` the
    text declares, so that ``BASE <https://a/> … GRAPH <b>`` is seen as ``<https://a/b>``.

    >>> [s.endpoint for s in services('PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE SILENT wd:sparql {} '
    ...                               '"SERVICE <http://no/>" SERVICE ?where {} }')]
    ['https://query.wikidata.org/sparql', None]
    """
    if keyword.lower() not in text.lower():
        return []
    lexed = list(tokens(text))
    prefixes: dict[str, str] = {}
    found: list[Service] = []
    for i, (kind, value, offset) in enumerate(lexed):
        upper = value.upper() if kind == "word" else ""
        if upper == "BASE" and i + 1 < len(lexed) and lexed[i + 1][0] == "iri":
            base = resolve(base, _unescape(lexed[i + 1][1][1:-1]))
        if upper == "PREFIX" and i + 2 < len(lexed) and lexed[i + 2][0] == "iri":
            prefixes[lexed[i + 1][1].rstrip(":")] = resolve(base, _unescape(lexed[i + 2][1][1:-1]))
        if upper != keyword:
            continue
        j = i + 1
        if j < len(lexed) and lexed[j][0] == "word" and lexed[j][1].upper() == "SILENT":
            j += 1
        target_kind, target = (lexed[j][0], lexed[j][1]) if j < len(lexed) else ("", "")
        if target_kind == "iri":
            found.append(Service(resolve(base, _unescape(target[1:-1])), offset))
        elif target_kind == "pname" and target.split(":", 1)[0] in prefixes:
            prefix, local = target.split(":", 1)
            found.append(Service(prefixes[prefix] + local, offset))
        else:
            found.append(Service(None, offset))
    return found


@dataclass(frozen=True)
class Complexity:
    """How deeply a query nests its brackets, and how many operators it chains."""

    depth: int
    operators: int


def complexity(text: str) -> Complexity:
    """Bracket depth and operator count outside strings, IRIs and comments.

    pyoxigraph parses and plans recursively, so a query nested ten thousand
    levels deep, or chaining fifty thousand ``/``, ``||`` or ``!``, overflows
    the stack and kills the process; the endpoint refuses such texts first.

    >>> complexity("SELECT * { { ?s ?p ?o } FILTER (!(?o > 1 || ?o < 0)) }")
    Complexity(depth=3, operators=6)
    """
    depth = deepest = operators = 0
    for kind, value, _ in tokens(text):
        if kind != "other":
            continue
        if value in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif value in "})]":
            depth -= 1
        elif value in "/|&!^<>=*+":
            operators += 1
    return Complexity(deepest, operators)
