"""The Wikibase export: the data model's JSON shape, verified identifiers only, hedges as bounds; QuickStatements."""

from __future__ import annotations

import io
import json
import re

from click.testing import CliRunner

from missilekg.graph.io.wikibase import GREGORIAN, PLACEHOLDER, build_statements, verified_ids
from missilekg.server.cli import main

ID = re.compile(r"^(Q|P)[1-9][0-9]*$")
DATATYPES = {"wikibase-item": "wikibase-entityid", "time": "time", "quantity": "quantity", "url": "string",
             "monolingualtext": "monolingualtext", "string": "string"}  # fmt: skip


def _id(value: str, verified: set[str]) -> None:
    assert value.startswith(PLACEHOLDER) or ID.match(value), value
    if ID.match(value):
        assert value in verified, f"{value} is not a verified Wikidata identifier"


def _snak(snak: dict, verified: set[str]) -> None:
    assert set(snak) <= {"snaktype", "property", "datatype", "datavalue", "hash"}
    assert snak["snaktype"] in {"value", "somevalue", "novalue"} and snak["datatype"] in DATATYPES
    _id(snak["property"], verified)
    if snak["snaktype"] != "value":
        assert "datavalue" not in snak
        return
    value, kind = snak["datavalue"]["value"], snak["datavalue"]["type"]
    assert kind == DATATYPES[snak["datatype"]]
    if kind == "wikibase-entityid":
        assert value["entity-type"] == "item"
        _id(value["id"], verified)
    elif kind == "time":
        assert re.match(r"^[+-]\d{4,}-\d\d-\d\dT00:00:00Z$", value["time"])
        assert (value["timezone"], value["before"], value["after"], value["precision"]) == (0, 0, 0, 11)
        assert value["calendarmodel"] == GREGORIAN
    elif kind == "quantity":
        assert re.match(r"^[+-]\d+(\.\d+)?$", value["amount"]) and value["unit"] == "1"
        for bound in ("lowerBound", "upperBound"):
            assert bound not in value or re.match(r"^[+-]\d+(\.\d+)?$", value[bound])
    elif kind == "monolingualtext":
        assert set(value) == {"text", "language"} and value["text"]
    else:
        assert isinstance(value, str) and value


def validate(document: dict, verified: set[str]) -> int:
    """Check every entity against the Wikibase data model's JSON shape; the number of statements."""
    count = 0
    for entity in document["entities"]:
        assert entity["type"] == "item" and set(entity) == {"type", "id", "labels", "descriptions", "aliases",
                                                            "claims", "sitelinks"}  # fmt: skip
        _id(entity["id"], verified)
        assert entity["labels"]["en"] == {"language": "en", "value": entity["labels"]["en"]["value"]}
        for prop, statements in entity["claims"].items():
            _id(prop, verified)
            for statement in statements:
                count += 1
                assert statement["type"] == "statement" and statement["rank"] in {"preferred", "normal", "deprecated"}
                assert statement["mainsnak"]["property"] == prop
                _snak(statement["mainsnak"], verified)
                assert statement["qualifiers-order"] == list(statement["qualifiers"])
                for qprop, snaks in statement["qualifiers"].items():
                    assert all(s["property"] == qprop for s in snaks)
                    for snak in snaks:
                        _snak(snak, verified)
                for reference in statement["references"]:
                    assert reference["snaks-order"] == list(reference["snaks"]) and reference["snaks"]
                    for snaks in reference["snaks"].values():
                        for snak in snaks:
                            _snak(snak, verified)
    for key, placeholder in document["placeholders"].items():
        assert key.startswith(PLACEHOLDER) and placeholder["label"] and placeholder["kind"] in {"item", "property"}
    return count


def test_the_seed_export_has_the_wikibase_json_shape_and_only_verified_ids(built_store):
    document = build_statements(built_store)
    verified = set(verified_ids().values())
    assert validate(document, verified) > 100
    text = json.dumps(document)
    assert '"Q159"' in text and '"Q212"' in text, "Russia and Ukraine carry their verified ids"
    assert '"P131"' in text and '"P31"' in text, "verified properties are used"
    assert PLACEHOLDER + "property/point-in-time" in document["placeholders"], "unverified: a placeholder"
    assert PLACEHOLDER + "person/john-kirby" in document["placeholders"], "Kirby has no verified id: a placeholder"


def _statements(document: dict, label_part: str) -> list[dict]:
    entity = next(e for e in document["entities"] if label_part in e["labels"]["en"]["value"])
    return [s for statements in entity["claims"].values() for s in statements]


def test_hedges_become_bounds_and_claims_become_qualifiers_and_references(built_store):
    document = build_statements(built_store)
    counts = [s["mainsnak"] for s in _statements(document, "Russia has fired North Korean")
              if s["mainsnak"]["property"].endswith("quantity")]  # fmt: skip
    values = [s["datavalue"]["value"] for s in counts if s["snaktype"] == "value"]
    assert {"amount": "+24", "unit": "1", "lowerBound": "+24"} in values, "at least 24: lower bound 24"
    assert any(s["snaktype"] == "somevalue" for s in counts), "several dozen: an unknown value"
    strike = _statements(document, "Strike in Kharkiv on 2024-02-07")
    qualifiers = strike[0]["qualifiers"]
    point = qualifiers[PLACEHOLDER + "property/point-in-time"][0]["datavalue"]["value"]["time"]
    assert point == "+2024-02-07T00:00:00Z"
    speaker = qualifiers[PLACEHOLDER + "property/stated-by"][0]["datavalue"]["value"]["id"]
    assert speaker == PLACEHOLDER + "person/serhii-bolvinov"
    title = strike[0]["references"][0]["snaks"][PLACEHOLDER + "property/title"][0]["datavalue"]["value"]["text"]
    assert title.startswith("Russia has used North Korean missiles")
    denied = _statements(document, "Iran to Russia: Iranian short-range ballistic missile (type not stated) (denied")
    assert denied and all(s["rank"] == "deprecated" for s in denied), "a ruled-out transfer is deprecated"


def test_the_cli_writes_wikibase_json_and_quickstatements(tmp_path, built_store):
    from missilekg.graph.io.wikibase import write_quickstatements

    buffer = io.BytesIO()
    write_quickstatements(built_store, buffer)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert lines[0] == "CREATE" and lines[1].startswith("LAST\tLen\t")
    statements = [line.split("\t") for line in lines if line not in ("CREATE",) and "\tLen\t" not in line]
    assert statements and all(len(parts) % 2 == 1 for parts in statements), "subject, then property/value pairs"
    assert any("P131" in parts and "Q42308" in parts for parts in statements), "Kharkiv's verified id"
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", f"oxigraph:{store}", "build"]).exit_code == 0
    result = runner.invoke(main, ["--store", f"oxigraph:{store}", "export", "--format", "wikibase"])
    assert result.exit_code == 0, result.output
    assert validate(json.loads(result.output), set(verified_ids().values())) > 100
