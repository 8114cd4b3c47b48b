"""The SPARQL 1.1 Protocol's update dataset: ``using-graph-uri`` and ``using-named-graph-uri`` as USING clauses.

pyoxigraph's ``update`` takes no dataset, so the protocol parameters are
written into the text: ``USING <g>`` / ``USING NAMED <g>`` before the
``WHERE`` of every DELETE/INSERT operation, which is exactly what the
protocol says they mean (SPARQL 1.1 Protocol, 2.2.3). The short form
``DELETE WHERE { P }`` cannot carry USING, so it becomes its long form
``DELETE { P } USING … WHERE { P }``. An operation that names its own
dataset (USING, USING NAMED or WITH) while the request names one too is an
error the protocol asks the service to refuse, reported with the operation's
number and position. Operations without a WHERE (INSERT DATA, LOAD, CLEAR…)
are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

from missilekg.graph.io.sparql_text import tokens

OPENING, CLOSING = "{([", "})]"


class DatasetConflict(ValueError):
    """An operation has its own USING or WITH while the request also carries a protocol dataset."""


def _closing(items: list[tuple[str, str, int]], start: int) -> int | None:
    """The index of the bracket that closes the one at ``start`` (None if none does: the parser will say so)."""
    depth = 0
    for index in range(start, len(items)):
        kind, value, _ = items[index]
        if kind == "other" and value in OPENING:
            depth += 1
        elif kind == "other" and value in CLOSING:
            depth -= 1
            if depth == 0:
                return index
    return None


def with_protocol_dataset(text: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """The update with the protocol's dataset written in as USING / USING NAMED clauses of each operation.

    ``using`` and ``using_named`` are absolute IRIs (already checked); with neither, the text is unchanged.

    >>> with_protocol_dataset("INSERT { ?s a 1 } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'INSERT { ?s a 1 } USING <http://g/1> WHERE { ?s ?p ?o }'
    >>> with_protocol_dataset("DELETE WHERE { ?s ?p 1 }", [], ["http://g/2"])
    'DELETE { ?s ?p 1 } USING NAMED <http://g/2> WHERE { ?s ?p 1 }'
    """
    if not using and not using_named:
        return text
    clauses = " ".join([*(f"USING <{iri}>" for iri in using), *(f"USING NAMED <{iri}>" for iri in using_named)])
    items = list(tokens(text))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in text order
    depth, operation, previous = 0, 1, ""
    index = 0
    while index < len(items):
        kind, value, offset = items[index]
        if kind == "other" and value in OPENING:
            depth += 1
        elif kind == "other" and value in CLOSING:
            depth -= 1
        elif depth == 0 and kind == "other" and value == ";":
            operation += 1
        elif depth == 0 and kind == "word" and value.upper() in ("WITH", "USING"):
            raise DatasetConflict(
                f"operation {operation} has its own {value.upper()} (at character {offset}) and the request also "
                "names a dataset with using-graph-uri / using-named-graph-uri: the SPARQL 1.1 Protocol forbids both"
            )
        elif depth == 0 and kind == "word" and value.upper() == "WHERE":
            if previous == "DELETE":  # DELETE WHERE { P } → DELETE { P } USING … WHERE { P }
                delete_at = items[index - 1][2]
                end = _closing(items, index + 1) if index + 1 < len(items) and items[index + 1][1] == "{" else None
                if end is None:  # malformed: left for the parser to report with its position
                    break
                pattern = text[items[index + 1][2] : items[end][2] + 1]
                edits.append((delete_at, items[end][2] + 1, f"DELETE {pattern} {clauses} WHERE {pattern}"))
                previous, index = "", end + 1
                continue
            edits.append((offset, offset, f"{clauses} "))
        previous = value.upper() if kind == "word" else ""
        index += 1
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text
