"""Where derived triples live: the inference graph, its provenance graph, and the mark that they are up to date.
"""

from __future__ import annotations

import pyoxigraph as ox

from missilekg.ontology.namespaces import GRAPH, MKG, XSD_BOOLEAN

INFERRED_GRAPH = ox.NamedNode(GRAPH + "inferred")


PROVENANCE_GRAPH = ox.NamedNode(GRAPH + "inferred/provenance")


DERIVED_GRAPHS = frozenset({INFERRED_GRAPH, PROVENANCE_GRAPH})


#: Present while the inference graph matches the asserted graphs; writes that skip inference delete it.
UP_TO_DATE = ox.Quad(INFERRED_GRAPH, ox.NamedNode(MKG + "upToDate"),
                     ox.Literal("true", datatype=XSD_BOOLEAN),
                     PROVENANCE_GRAPH)  # fmt: skip
