"""Each competency question (ontology/queries/Q*.rq) against the seed graph, on values.

Every test runs twice: on the embedded store, and on Virtuoso Open Source (from
Debian's packages, started on loopback by tests/virtuoso.py) through the
remote SPARQL 1.1 store, built by the same `build`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from missilekg.graph.loading.build import build
from missilekg.graph.reasoning.passes import infer
from missilekg.graph.store.base import Store
from missilekg.graph.store.embedded import EmbeddedStore
from missilekg.graph.store.remote import RemoteStore
from missilekg.ontology import named_query, query_catalogue
from tests.conftest import SEEDS
from tests.virtuoso import running_virtuoso

PROPOSITION = "https://missilekg.org/id/proposition/russia-fired-dprk-missiles-at-ukraine"


@pytest.fixture(scope="module", params=["embedded", "virtuoso"])
def built_store(request, tmp_path_factory) -> Iterator[Store]:
    """The seed graph on each back end (this module's own, shadowing the shared embedded one)."""
    if request.param == "embedded":
        store = EmbeddedStore()
        build(store, SEEDS)
        yield store
        return
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as virtuoso:
        remote = RemoteStore(virtuoso.sparql, graph_store_url=virtuoso.graph_store)
        build(remote, SEEDS)
        yield remote
        remote.close()


def rows(store, name: str) -> list[dict[str, str]]:
    """Run a catalogue query; each row maps variable names to plain string values."""
    result = store.query(named_query(name).sparql)
    variables = [v.value for v in result.variables]
    return [{v: (s[v].value if s[v] is not None else "") for v in variables} for s in result]


def test_catalogue_has_one_query_per_question():
    assert list(query_catalogue()) == [f"Q{n}" for n in range(1, 13)]
    for query in query_catalogue().values():
        assert query.title and query.description


def test_q1_who_says_russia_fired_dprk_missiles(built_store):
    found = {(r["speakerName"], r["date"], r["dateDerived"]) for r in rows(built_store, "Q1")}
    expected = {
        ("Mykhailo Podolyak", "2024-01-05", "false"),
        ("John Kirby", "2024-01-04", "false"),
        ("John Kirby", "2024-04-04", "false"),
        ("Robert Wood", "2024-02-06", "false"),
        ("Joonkook Hwang", "", ""),
        ("Serhii Bolvinov", "2024-02-07", "false"),
        ("Andriy Kostin", "2024-02-09", "true"),
        ("Andrii Chernyak", "2024-12-02", "true"),
    }
    assert expected <= found
    venues = {r["speakerName"]: r["venue"] for r in rows(built_store, "Q1") if r["venue"]}
    assert "X" in venues["Mykhailo Podolyak"]
    assert "Security Council" in venues["Robert Wood"]
    assert "Radio Free Europe" in venues["Andrii Chernyak"]
    roles = {r["role"] for r in rows(built_store, "Q1") if r["speakerName"] == "Andrii Chernyak"}
    assert any("Defense Intelligence" in role for role in roles)


def test_q2_numbers_keep_hedge_and_unit(built_store):
    found = {(r["date"], r["speakerName"], r["hedge"], r["value"], r["unit"]) for r in rows(built_store, "Q2")}
    expected = {
        ("2024-01-04", "John Kirby", "several dozen", "", "missiles"),
        ("2024-02-06", "Robert Wood", "at least", "9", "occasions"),
        ("2024-02-07", "Serhii Bolvinov", "exactly", "5", "missiles"),
        ("2024-02-09", "Andriy Kostin", "at least", "24", "missiles"),
        ("2024-02-09", "Andriy Kostin", "at least", "12", "attacks"),
        ("2024-02-09", "Andriy Kostin", "exactly", "7", "regions"),
        ("2024-02-09", "Andriy Kostin", "at least", "14", "civilians killed"),
        ("2024-02-09", "Andriy Kostin", "exactly", "2", "missiles"),
        ("", "Joonkook Hwang", "exactly", "3", "occasions"),
        ("2024-04-04", "John Kirby", "dozens", "", "missiles"),
        ("2024-12-02", "Andrii Chernyak", "at least", "60", "missiles"),
    }
    assert expected <= found
    assert all(r["unit"] != "km" for r in rows(built_store, "Q2"))
    dated = [r["date"] for r in rows(built_store, "Q2") if r["date"]]
    assert dated == sorted(dated), "the timeline is in date order"


def test_q3_strikes(built_store):
    strikes = {r["strike"].rsplit("/", 1)[1]: r for r in rows(built_store, "Q3")}
    assert set(strikes) == {
        "2023-12-30-dprk-missile", "2024-01-02-dprk-missiles", "2024-02-07-kharkiv-kn23",
        "2024-03-30-dprk-missile", "2024-04-02-dprk-missile", "kostin-oil-refinery", "kostin-airfield",
    }  # fmt: skip
    first = strikes["2023-12-30-dprk-missile"]
    assert "Zaporizhzhia Oblast" in first["places"] and "at least one" in first["missileCount"]
    assert "open field" in first["targets"]
    assert {"John Kirby", "Mykhailo Podolyak"} <= set(first["claimedBy"].split(" / "))
    assert "multiple" in strikes["2024-01-02-dprk-missiles"]["missileCount"]
    kharkiv = strikes["2024-02-07-kharkiv-kn23"]
    assert kharkiv["places"] == "Kharkiv" and kharkiv["weapons"] == "KN-23"
    assert kharkiv["missileCount"] == "five KN-23 missiles" and kharkiv["claimedBy"] == "Serhii Bolvinov"
    assert "could not be verified according to Business Insider" in kharkiv["caveats"]
    assert "John Kirby" in strikes["2024-03-30-dprk-missile"]["claimedBy"]
    assert "evaluated" in strikes["2024-04-02-dprk-missile"]["impacts"]
    assert strikes["kostin-oil-refinery"]["targets"] == "oil refinery"
    assert strikes["kostin-airfield"]["targets"] == "airfield"
    assert strikes["kostin-airfield"]["date"] == ""


def test_q4_transfers_from_north_korea(built_store):
    transfers = {r["transfer"].rsplit("/", 1)[1]: r for r in rows(built_store, "Q4")}
    jan = transfers["dprk-missiles-and-launchers-to-russia-2024-01"]
    assert jan["qualifier"] == "several dozen" and "John Kirby (2024-01-04)" in jan["claimedBy"]
    assert "launcher" in jan["items"]
    apr = transfers["dprk-missiles-and-launchers-to-russia-2024-04"]
    assert apr["qualifier"] == "dozens" and "John Kirby (2024-04-04)" in apr["claimedBy"]
    nyt = transfers["dprk-containers-to-russia-2023-10"]
    assert (nyt["qualifier"], nyt["amount"], nyt["units"]) == ("over", "1000", "containers")
    assert "The New York Times" in nyt["claimedBy"] and nyt["when"] == "October 2023"
    far_east = transfers["dprk-containers-to-russian-far-east"]
    assert (far_east["qualifier"], far_east["amount"]) == ("about", "2000")
    assert "South Korean authorities" in far_east["claimedBy"]
    ammo = transfers["dprk-artillery-ammunition-to-russia"]
    assert ammo["qualifier"] == "hundreds of thousands" and ammo["units"] == "rounds"
    assert "United States" in ammo["claimedBy"] and "unattributed reports" in ammo["claimedBy"]
    artillery = transfers["dprk-heavy-artillery-to-russia-2024"]
    assert (artillery["amount"], artillery["units"]) == ("100", "units")
    assert "M1989" in artillery["items"] and "M1991" in artillery["items"]
    missiles = transfers["dprk-kn23-kn24-to-russia"]
    assert (missiles["qualifier"], missiles["amount"]) == ("over", "100")
    assert "capability" not in " ".join(transfers), "a capability is not a reported shipment"
    assert "dprk-russia-rail-capability" not in transfers


def test_q5_other_transfers_and_the_negative_claim(built_store):
    found = {r["transfer"].rsplit("/", 1)[1]: r for r in rows(built_store, "Q5")}
    us = found["us-aid-to-ukraine-2024-12"]
    assert (us["class"], us["kind"], us["quantity"]) == ("transfer", "pledged", "$725 million")
    assert "Antony Blinken" in us["claimedBy"] and "anti-personnel mine" in us["items"]
    assert found["german-aid-to-ukraine-2024-12"]["quantity"] == "650 million euros ($684 million)"
    assert found["iran-drones-to-russia"]["claimedBy"].startswith("Reuters")
    assert found["iran-drones-srbm-agreement-2022"]["kind"] == "agreed"
    denied = found["iran-srbm-to-russia-ruled-out"]
    assert (denied["class"], denied["kind"]) == ("unrealised", "denied or ruled out")
    assert "John Kirby rules out (2024-04-04)" in denied["claimedBy"]
    requested = found["russia-to-dprk-requested-in-exchange"]
    assert (requested["class"], requested["kind"]) == ("unrealised", "requested")
    assert "fighter jet" in requested["items"]
    denial = "<https://missilekg.org/id/transfer/iran-srbm-to-russia-ruled-out>"
    ask = f"ASK {{ {denial} a <https://missilekg.org/ontology#Transfer> }}"
    assert not bool(built_store.query(ask)), "a denial never becomes a transfer"


def test_q6_weapon_systems(built_store):
    weapons = {r["name"]: r for r in rows(built_store, "Q6")}
    kn23 = weapons["KN-23"]
    assert kn23["class"] == "short-range ballistic missile" and kn23["origin"] == "North Korea"
    assert "Hwasong-11A" in kn23["aliases"] and "Iskander-M" in kn23["comparableTo"]
    assert "about 900 km" in kn23["ranges"]
    assert "limited accuracy" in kn23["accuracyRemarks"] and "Andrii Chernyak" in kn23["accuracyRemarks"]
    assert "MGM-140 ATACMS" in weapons["KN-24"]["comparableTo"]
    unspecified = weapons["North Korean ballistic missile (type not stated)"]
    assert "questionable (Andriy Kostin)" in unspecified["accuracyRemarks"]
    assert "about 900 km" in unspecified["ranges"]
    assert "300" in weapons["Fateh-110"]["ranges"] and weapons["Fateh-110"]["origin"] == "Iran"
    assert "700" in weapons["Zolfaghar"]["ranges"]
    assert weapons["M1989 170 mm self-propelled howitzer"]["class"] == "self-propelled howitzer"
    assert weapons["M1991 240 mm multiple rocket launcher"]["class"] == "multiple rocket launcher"


def test_q7_claims_corroborated_across_states(built_store):
    claims = {r["claim"]: r for r in rows(built_store, "Q7")}
    use = claims[PROPOSITION]
    assert set(use["states"].split(" / ")) == {"United States", "Ukraine", "South Korea"}
    assert {"John Kirby", "Robert Wood", "Mykhailo Podolyak", "Andriy Kostin", "Serhii Bolvinov",
            "Andrii Chernyak", "Joonkook Hwang"} <= set(use["speakers"].split(" / "))  # fmt: skip
    for strike in ("2023-12-30-dprk-missile", "2024-01-02-dprk-missiles"):
        states = claims[f"https://missilekg.org/id/strike/{strike}"]["states"].split(" / ")
        assert set(states) == {"United States", "Ukraine"}
    assert set(claims) == {PROPOSITION, *(f"https://missilekg.org/id/strike/{s}" for s in
                                         ("2023-12-30-dprk-missile", "2024-01-02-dprk-missiles"))}  # fmt: skip


def test_q8_provenance_with_evidence(built_store):
    found = rows(built_store, "Q8")
    assert len(found) == 47
    wood = next(r for r in found if r["statement"].endswith("/wood-nine-occasions"))
    assert wood["relayedVia"] == "Reuters" and "at least nine occasions" in wood["evidence"]
    assert "Security Council" in wood["venue"] and wood["publisher"] == "not stated"
    chernyak = next(r for r in found if r["statement"].endswith("/chernyak-at-least-60"))
    assert chernyak["publisher"] == "Korea JoongAng Daily"
    assert "Radio Free Europe" in chernyak["venue"]
    pardo = next(r for r in found if r["statement"].endswith("/pacheco-pardo-effectiveness"))
    assert pardo["relayedVia"] == "Business Insider"
    sullivan = next(r for r in found if r["statement"].endswith("/white-house-official-sullivan"))
    assert sullivan["relayedVia"] == "CNN"
    containers = next(r for r in found if r["statement"].endswith("/nyt-containers"))
    assert containers["speakerName"] == "The New York Times"
    assert all(int(r["end"]) > int(r["start"]) for r in found)


def test_q9_strikes_in_ukraine_with_north_korean_weapons(built_store):
    strikes = {r["strike"].rsplit("/", 1)[1] for r in rows(built_store, "Q9")}
    q3 = {r["strike"].rsplit("/", 1)[1] for r in rows(built_store, "Q3")}
    assert strikes == q3, "every strike in Q3 lies in Ukraine and involved a North Korean weapon system"


def test_q7_and_q9_return_nothing_without_inference():
    store = EmbeddedStore()
    build(store, SEEDS, infer=False)
    assert rows(store, "Q9") == [] and rows(store, "Q7") == []
    infer(store)
    assert len(rows(store, "Q9")) == 7 and len(rows(store, "Q7")) == 3


def test_q10_wikidata_links(built_store):
    links = {r["label"]: r["wikidata"].rsplit("/", 1)[1] for r in rows(built_store, "Q10")}
    assert links["Russia"] == "Q159" and links["Ukraine"] == "Q212" and links["North Korea"] == "Q423"
    assert links["Kharkiv"] == "Q42308" and links["Kharkiv Oblast"] == "Q170666"
    assert links["Zaporizhzhia Oblast"] == "Q171334" and links["Reuters"] == "Q130879"
    assert links["Vladimir Putin"] == "Q7747"
    for unverified in (
        "John Kirby",
        "KN-23",
        "Business Insider",
        "Andriy Kostin",
        "Russian Far East",
    ):
        assert unverified not in links


def test_q11_claims_as_of_a_date(built_store):
    found = rows(built_store, "Q11")
    dated = {(r["speakerName"], r["date"]) for r in found if r["status"] == "claimed by then"}
    assert dated == {
        ("John Kirby", "2024-01-04"), ("Mykhailo Podolyak", "2024-01-05"),
        ("Robert Wood", "2024-02-06"), ("Serhii Bolvinov", "2024-02-07"),
        ("Andriy Kostin", "2024-02-09"),
    }  # fmt: skip
    assert {r["speakerName"] for r in found if r["status"] == "undated"} == {"Joonkook Hwang"}
    assert "Andrii Chernyak" not in {r["speakerName"] for r in found}
    assert all(r["date"] != "2024-04-04" for r in found)


def test_q12_stances(built_store):
    found = rows(built_store, "Q12")
    stances = {(r["speakerName"], r["stance"]) for r in found}
    assert {
        ("Mykhailo Podolyak", "confirms"), ("Robert Wood", "accuses"), ("John Kirby", "accuses"),
        ("Andriy Kostin", "reports"), ("Andrii Chernyak", "reports"), ("Serhii Bolvinov", "accuses"),
        ("Russia", "has not responded"), ("John Kirby", "rules out"),
        ("Business Insider", "could not be verified"),
    } <= stances  # fmt: skip
    doubt = next(r for r in found if r["stance"] == "could not be verified")
    assert doubt["about"] == "statement by Serhii Bolvinov"
    ruled_out = next(r for r in found if r["stance"] == "rules out")
    assert ruled_out["about"].endswith("iran-srbm-to-russia-ruled-out")
