"""Every namespace missilekg writes or reads, in one place: import these instead of typing IRIs out.

Strings end with their separator, so ``RDFS + "label"`` is the full IRI; the few
terms used everywhere are also given as pyoxigraph nodes.
"""

from __future__ import annotations

import pyoxigraph as ox

# -- missilekg's own ----------------------------------------------------------------
MKG = "https://missilekg.org/ontology#"
ID = "https://missilekg.org/id/"
GRAPH = "https://missilekg.org/graph/"
RULE = "https://missilekg.org/ontology/rule#"
#: Actors and places found in articles but not in the vocabulary: one shared graph, so a new name
#: quoted by a thousand articles is described once (a triple repeated in many graphs multiplies joins).
ENTITIES_GRAPH = GRAPH + "entities"

# -- W3C and other well-known vocabularies ------------------------------------------
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "http://schema.org/"
SHACL = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"
WIKIDATA = "http://www.wikidata.org/entity/"

# -- terms used everywhere ----------------------------------------------------------
RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
RDFS_COMMENT = ox.NamedNode(RDFS + "comment")
SKOS_PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
XSD_INTEGER = ox.NamedNode(XSD + "integer")

#: Prefixes for exports, result tables and explanations (the longest match wins in :func:`prefixed`).
PREFIXES: dict[str, str] = {
    "mkg": MKG,
    **{kind: f"{ID}{kind}/" for kind in ("state", "org", "person", "anon", "place", "weapon", "strike", "transfer",
                                          "proposition", "article")},
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "schema": SCHEMA,
    "oa": OA,
    "wd": WIKIDATA,
}


def prefixed(iri: str) -> str:
    """The IRI as a prefixed name where one of :data:`PREFIXES` fits (the longest), else unchanged.

    >>> prefixed("https://missilekg.org/id/place/kharkiv"), prefixed("https://example.org/x")
    ('place:kharkiv', 'https://example.org/x')
    """
    for name, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{name}:{iri[len(namespace) :]}"
    return iri
