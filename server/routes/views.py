"""Views: the timeline of claims and counts as bar charts, disputed claims side by side, supply-to-use chains.

Both read the store with SPARQL (the timeline with the catalogue's Q2) and draw
SVG on the server (:mod:`missilekg.server.charts`), with the data as a table beneath.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue

from missilekg.graph.store.base import select
from missilekg.ontology import named_query, query_catalogue
from missilekg.ontology.namespaces import MKG, SKOS_PREF_LABEL
from missilekg.server.analyses import disputes, supply_chains
from missilekg.server.charts import Bar, Claim, bar_chart_svg, timeline_svg
from missilekg.server.http import ProtocolError, dataset
from missilekg.server.routes.entities import local_href

bp = Blueprint("views", __name__, url_prefix="/views")

SKOS_PREF = f"<{SKOS_PREF_LABEL.value}>"
COUNTS = {
    "speaker": ("Statements per speaker", f"?s a <{MKG}Statement> ; <{MKG}speaker> ?key ."),
    "weapon": ("Statements per weapon system", f"?s a <{MKG}Statement> ; <{MKG}aboutWeapon> ?key ."),
    "stance": ("Statements per stance", f"?s a <{MKG}Statement> ; <{MKG}stance> ?key ."),
    "strike-place": ("Strikes per place", f"?s a <{MKG}Strike> ; <{MKG}strikeLocation> ?key ."),
    "supplier": ("Transfers per supplier", f"?s <{MKG}supplier> ?key ."),
}


def _day(term: ox.Literal | None) -> dt.date | None:
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(term.value[:10])
    except ValueError:
        return None


@bp.get("/timeline")
def timeline() -> ResponseReturnValue:
    """Who claimed which count of North Korean ballistic missiles (or their use) when: Q2, drawn."""
    store = dataset(current_app).reader()
    query = query_catalogue()["Q2"]
    claims: list[Claim] = []
    undated: list[dict[str, str | None]] = []
    solutions = select(store, query.sparql)
    for row in solutions:
        statement = row["statement"]
        label = row["quantityText"].value
        if row["unit"] is not None and row["unit"].value not in label:
            label += f" {row['unit'].value}"
        href = local_href(statement) if isinstance(statement, ox.NamedNode) else None
        value = float(row["value"].value) if row["value"] is not None else None
        day = _day(row["date"])
        if day is None:
            undated.append({"date": "undated", "speaker": row["speakerName"].value, "label": label, "href": href})
        else:
            claims.append(Claim(day, row["speakerName"].value, label, value, href))
    dated = [{"date": c.date.isoformat(), "speaker": c.speaker, "label": c.label, "href": c.href} for c in claims]
    return render_template(
        "view.html",
        title="Timeline of claims",
        intro=query.title,
        chart=timeline_svg(claims),
        rows=dated + undated,
        columns=("date", "speaker", "label"),
        query_name="Q2",
    )


@bp.get("/counts")
def counts() -> ResponseReturnValue:
    """How many statements, strikes or transfers per speaker, weapon, stance, place or supplier."""
    by = request.args.get("by", "speaker")
    if by not in COUNTS:
        raise ProtocolError(400, f"unknown 'by' value {by!r}; use one of: {', '.join(COUNTS)}")
    title, pattern = COUNTS[by]
    sparql = f"""SELECT ?key (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        {pattern} OPTIONAL {{ ?key {SKOS_PREF} ?l }} }} GROUP BY ?key ORDER BY DESC(?n) ?label LIMIT 25"""
    store = dataset(current_app).reader()
    bars = []
    solutions = select(store, sparql)
    for row in solutions:
        key = row["key"]
        label = row["label"].value if row["label"] is not None else key.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        href = local_href(key) if isinstance(key, ox.NamedNode) else None
        bars.append(Bar(label, int(row["n"].value), href))
    return render_template(
        "view.html",
        title=title,
        intro="Counted over every article in the graph; each bar opens the page of what it counts.",
        chart=bar_chart_svg(bars, title),
        rows=[{"label": b.label, "count": b.value, "href": b.href} for b in bars],
        columns=("label", "count"),
        choices=[(key, label) for key, (label, _) in COUNTS.items()],
        current=by,
    )


@bp.get("/disputes")
def disputed() -> ResponseReturnValue:
    """Disputed claims side by side (Q13): for each question, the claims for it, open on it and against it."""
    store = dataset(current_app).reader()
    return render_template("disputes.html", title="Disputed claims", disputes=disputes(store),
                           query=named_query("Q13"), page=local_href_of)  # fmt: skip


@bp.get("/supply")
def supply() -> ResponseReturnValue:
    """From supply to use (Q15): per weapon, the claimed transfers that supplied it and the strikes that used it."""
    store = dataset(current_app).reader()
    return render_template("supply.html", title="From supply to use", chains=supply_chains(store),
                           query=named_query("Q15"), page=local_href_of)  # fmt: skip


def local_href_of(iri: str) -> str:
    """The page of an IRI on this server when the graph minted it, else the IRI."""
    return local_href(ox.NamedNode(iri)) or iri
