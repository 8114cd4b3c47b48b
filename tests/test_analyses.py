"""The analyses beyond the competency questions: disputed claims (Q13), identification evidence (Q14),
supply to use (Q15), on the seeds and after an ingest; the identification typology in the ontology."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from missilekg.graph.loading.ingest import Source, ingest
from missilekg.ontology import CONCEPTS_FILE, ONTOLOGY_FILE, analysis_catalogue, named_query, query_catalogue
from missilekg.ontology.namespaces import MKG
from tests.conftest import ARTICLE

IRAN = "transfer: Iran to Russia, short-range ballistic missile"


def run(store, name: str) -> list[dict[str, str]]:
    """A named query's rows, each a dict of variable name to plain string value."""
    result = store.query(named_query(name).sparql)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in result]


def test_the_analyses_are_named_queries_beside_the_competency_questions():
    assert list(analysis_catalogue()) == ["Q13", "Q14", "Q15"]
    assert not set(analysis_catalogue()) & set(query_catalogue())
    assert named_query("q13").title.startswith("Which claims do sources dispute")


def test_disputes_show_the_iranian_missile_question_with_kirby_ruling_it_out(built_store):
    found = [r for r in run(built_store, "Q13") if r["dispute"] == IRAN]
    by_position = {r["position"]: r for r in found}
    assert set(by_position) == {"for", "open", "against"}
    assert by_position["for"]["speakerName"] == "unnamed Iranian officials"
    assert "agreements had been signed" in by_position["for"]["claim"]
    assert by_position["open"]["stance"] == "speculates" and "Fateh-110" in by_position["open"]["claim"]
    kirby = by_position["against"]
    assert (kirby["speakerName"], kirby["stance"], kirby["date"]) == ("John Kirby", "rules out", "2024-04-04")
    assert "Iran hasn\u2019t supplied short-range ballistic missiles" in kirby["claim"]
    assert kirby["statement"].endswith("/statement/003_60483e89d9ab359b/kirby-iran-not-supplied")
    assert [r["position"] for r in found] == ["for", "open", "against"]


def test_a_strike_told_with_another_weapon_and_count_is_disputed(fresh_store):
    graph = "https://missilekg.org/graph/article/test-other-account"
    fresh_store.update(f"""PREFIX mkg: <{MKG}> PREFIX id: <https://missilekg.org/id/>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        INSERT DATA {{ GRAPH <{graph}> {{
          id:strike\\/2024-02-07-kharkiv-other a mkg:Strike ; mkg:strikeDate "2024-02-07"^^xsd:date ;
             mkg:strikeLocation id:place\\/kharkiv ; mkg:weaponUsed id:weapon\\/iskander-m .
          id:statement\\/test\\/other a mkg:Statement ; mkg:speaker id:org\\/russian-foreign-ministry ;
             mkg:stance mkg:Asserts ; mkg:evidenceText "It was an Iskander." ; mkg:reportedIn id:article\\/test ;
             mkg:asserts id:strike\\/2024-02-07-kharkiv-other . }} }}""")
    found = [r for r in run(fresh_store, "Q13") if r["dispute"] == "strike: 2024-02-07 at Kharkiv"]
    assert {r["position"] for r in found} == {"says KN-23, five KN-23 missiles", "says Iskander-M"}
    assert {r["speakerName"] for r in found} == {"Serhii Bolvinov", "Ministry of Foreign Affairs of Russia"}


def test_identification_evidence_by_weapon_speaker_and_date(built_store):
    found = run(built_store, "Q14")
    bolvinov = next(r for r in found if r["speakerName"] == "Serhii Bolvinov" and r["weaponName"] == "KN-23")
    assert set(bolvinov["identifiedBy"].split(", ")) == {"debris or fragment analysis", "imagery"}
    assert bolvinov["date"] == "2024-02-07"
    kinds = {r["identifiedBy"] for r in found}
    assert {"intelligence assessment", "official statement only", "trajectory or launch data", "not stated"} <= kinds


def test_supply_to_use_chains_the_kn23_from_transfer_to_kharkiv(built_store):
    kn23 = [r for r in run(built_store, "Q15") if r["weaponName"] == "KN-23"]
    supplied = [r for r in kn23 if r["step"] == "1 supplied"]
    used = [r for r in kn23 if r["step"] == "2 used"]
    assert supplied and all(r["event"] == "North Korea to Russia, delivered" for r in supplied)
    assert used[0]["event"] == "strike in Kharkiv on 2024-02-07" and used[0]["speakerName"] == "Serhii Bolvinov"


def test_the_analyses_answer_after_an_ingest(fresh_store, tmp_path):
    before = {name: len(run(fresh_store, name)) for name in ("Q13", "Q14", "Q15")}
    path = tmp_path / "kyiv.txt"
    identified = ("Prosecutor General Andriy Kostin said on Friday that fragments of the KN-23 missiles found in "
                  "Kharkiv carried Korean markings.\n")  # fmt: skip
    path.write_text(ARTICLE + identified, encoding="utf-8")
    assert not ingest(fresh_store, [Source(str(path), path)]).failed
    after = {name: run(fresh_store, name) for name in ("Q13", "Q14", "Q15")}
    assert len(after["Q14"]) > before["Q14"], "the new article's claims about weapons are listed"
    assert any("/statement/kyiv/" in r["statement"] for r in after["Q14"])
    found = {r["identifiedBy"] for r in after["Q14"] if "/statement/kyiv/" in r["statement"]}
    expected = {"debris or fragment analysis", "markings or serial numbers"}
    assert any(set(kinds.split(", ")) == expected for kinds in found), f"the extractor's evidence kinds: {found}"
    assert len(after["Q15"]) >= before["Q15"] and len(after["Q13"]) >= before["Q13"]
    assert any(r["dispute"] == IRAN and r["position"] == "against" for r in after["Q13"])


def test_the_identification_typology_is_skos_with_labels_and_comments():
    graph = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle").parse(CONCEPTS_FILE, format="turtle")
    mkg = rdflib.Namespace(MKG)
    assert (mkg.IdentificationEvidenceTypes, RDF.type, SKOS.ConceptScheme) in graph
    assert (mkg.IdentificationEvidence, RDFS.subClassOf, SKOS.Concept) in graph
    assert (mkg.identifiedBy, RDFS.subPropertyOf, rdflib.URIRef("http://purl.org/dc/terms/type")) in graph
    concepts = set(graph.subjects(SKOS.inScheme, mkg.IdentificationEvidenceTypes))
    assert len(concepts) == 6
    for concept in concepts:
        assert (concept, RDF.type, mkg.IdentificationEvidence) in graph
        assert (concept, RDF.type, OWL.NamedIndividual) in graph
        assert graph.value(concept, SKOS.prefLabel) and graph.value(concept, RDFS.comment)


def test_seed_claims_carry_their_identification_evidence(built_store):
    statement = ox.NamedNode("https://missilekg.org/id/statement/001_b57d21d69b0ca47c/bolvinov-kharkiv")
    query = f"SELECT DISTINCT ?e WHERE {{ {statement} <{MKG}identifiedBy> ?e }}"
    found = {row["e"].value.rsplit("#", 1)[1] for row in built_store.query(query)}
    assert found == {"DebrisAnalysis", "Imagery"}
