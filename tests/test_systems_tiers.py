"""Compensation tiers and their presets against the real returns and published seats in the shared data.

Every expected figure comes from ``expected_seats.csv`` in each example
folder (``ELECTORAL_SHARED``/data/parliaments/<country>/<election>): the
``meta`` rows are the published results, the ``computed`` rows derived from
them (see each folder's ``system.md``). All rows of the steps named below
are compared, per district and party.
"""

from __future__ import annotations

import csv
import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import systems
from electoral.cli import main
from electoral.errors import FormatError, MissingDataError, OptionError
from electoral.io import read_returns

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
DATA = ROOT / "data" / "parliaments"

#: example folder -> (preset, year, {step in expected_seats.csv: what it is in the result})
EXAMPLES = {
    "de/de_euro_2009": ("germany-european-parliament", 2009, {"district": "seats"}),
    "dk/dk_folketing_2011": (
        "denmark-folketing",
        2011,
        {
            "constituency": "tier0",
            "compensatory": "added",
            "province_adjustment": "regions",
            "constituency_adjustment": "tier1",
            "total": "seats",
        },
    ),
    "is/is_althingi_2009": (
        "iceland-althingi",
        2009,
        {"constituency": "tier0", "compensatory": "added", "constituency_adjustment": "tier1", "total": "seats"},
    ),
    "is/is_althingi_2009_b": (
        "iceland-althingi",
        2009,
        {"constituency": "tier0", "compensatory": "added", "constituency_adjustment": "tier1", "total": "seats"},
    ),
    "nz/nz_general_2011": ("new-zealand-house", 2011, {"constituency": "tier0", "list": "tier1", "total": "seats"}),
    "nz/nz_general_2011_b": ("new-zealand-house", 2011, {"constituency": "tier0", "list": "tier1", "total": "seats"}),
    "uk/uk_sco_parliament_2007": (
        "scotland-parliament",
        2007,
        {"constituency": "tier0", "list": "tier1", "total": "region"},
    ),
    "no/no_stortingsvalg_2009": (
        "norway-storting",
        2009,
        {"constituency": "tier0", "compensatory": "added", "constituency_adjustment": "tier1", "total": "seats"},
    ),
    "no/no_stortingsvalg_2013": (
        "norway-storting",
        2013,
        {"constituency": "tier0", "compensatory": "added", "constituency_adjustment": "tier1", "total": "seats"},
    ),
}


def _seats_of(result: systems.SeatResult, returns: systems.Returns, what: str, row: dict[str, str]) -> int:
    district, party = row["district"], row["party"]
    if row.get("candidate"):  # a constituency contest: one row per elected candidate
        elected = {c.candidate: c.party for c in result.district(district).elected}
        assert elected.get(row["candidate"]) == party, row
    if what == "region":  # a region's constituencies and its regional seats together
        if district == "*":
            return result.totals[party]
        inside = {d.name for d in returns.districts if d.region == district} | {district}
        return sum(n for (d, p), n in result.seats.items() if d in inside and p == party)
    if what == "regions":  # the levelling seats placed in a region, before its districts share them
        return next(c for c in result.tiers[-1].regions if c.district == district).seats.get(party, 0)
    if what == "seats":
        return result.totals[party] if district == "*" else result.seats.get((district, party), 0)
    if what == "added":
        national = result.tiers[-1].national
        assert national is not None
        return national.added.get(party, 0)
    tier = result.tiers[int(what[-1])]
    count = next(c for c in tier.districts if c.district == district)
    return count.seats.get(party, 0)


@pytest.mark.parametrize("folder", sorted(EXAMPLES))
def test_every_example_is_reproduced_per_district_and_party(folder: str) -> None:
    path = DATA / folder
    if not path.is_dir():
        pytest.skip(f"parliament data not found at {path}; set ELECTORAL_SHARED to the shared folder")
    preset, year, steps = EXAMPLES[folder]
    returns = read_returns(path)
    result = systems.get(preset, year=year).tabulate(returns)
    checked = {"meta": 0, "computed": 0, "meta_unflagged": 0}
    with (path / "expected_seats.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["step"] not in steps or row["source"] not in checked:
                continue
            got = _seats_of(result, returns, steps[row["step"]], row)
            if row.get("order"):  # Iceland: the 0-based position of the adjustment seat in the award order
                count = next(c for c in result.tiers[-1].districts if c.district == row["district"])
                assert int(row["order"]) + 1 in {q.seat for q in count.quotients if q.party == row["party"]}, row
            assert got == int(row["seats"]), row
            checked[row["source"]] += 1
    assert checked["meta"] > 0


def test_norway_2009_levelling_steps() -> None:
    """Valgloven § 11-5: Venstre (3.9% in 2009) does not share; Labour's constituency seats exceed its share,
    so it keeps them and the other sharing parties are shared again (published: 64 A, 41 FRP, 30 H)."""
    path = DATA / "no" / "no_stortingsvalg_2009"
    if not path.is_dir():
        pytest.skip("parliament data not found")
    result = systems.get("norway-storting", year=2009).tabulate(read_returns(path))
    national = result.tiers[1].national
    assert national is not None
    assert "Venstre [V]" in national.excluded
    assert [r.overhang for r in national.rounds] == [("Arbeiderpartiet [A]",), ()]
    assert result.totals["Arbeiderpartiet [A]"] == national.below["Arbeiderpartiet [A]"] == 64
    assert sum(national.added.values()) == 19
    # one levelling seat in each of the 19 constituencies
    assert [c.magnitude for c in result.tiers[1].districts] == [1] * 19
    text = str(result)
    assert "more seats below than their share: Arbeiderpartiet [A]" in text


def _toy_returns() -> systems.Returns:
    return systems.Returns(
        [
            systems.DistrictReturns("*", seats=10),
            systems.DistrictReturns("North", {"A": 5000, "B": 1000, "C": 600}, seats=4),
            systems.DistrictReturns("South", {"A": 4000, "B": 2000, "C": 400}, seats=4),
        ]
    )


def test_a_user_two_tier_system_with_a_national_threshold_and_levelling_seats() -> None:
    """5% nationally, exactly at the boundary passes "at least": C has 1000 of 13000 (7.7%)."""
    law = systems.System(
        "two-tier",
        (
            systems.DistrictTier("district", systems.Method("divisor", "dhondt")),
            systems.LevellingTier(
                10,
                systems.Method("divisor", "sainte-lague"),
                (systems.Threshold(Fraction(5, 100), "nation", "lists"),),
                per_district=None,
            ),
        ),
    )
    result = law.tabulate(_toy_returns())
    # D'Hondt by hand: North A 4 (5000, 2500, 1667, 1250 beat B's 1000); South A 3, B 1 (4000, 2000 and
    # B's 2000, then A's 1333)
    national = result.tiers[1].national
    assert national is not None
    assert national.qualified == ("A", "B", "C")
    assert dict(national.below) == {"A": 7, "B": 1}
    # Sainte-Laguë, 10 seats on A 9000, B 3000, C 1000: A 9000, 3000, 1800, 1286, 1000, 818, 692; B 3000, 1000; C 1000
    assert dict(national.rounds[0].share) == {"A": 7, "B": 2, "C": 1}
    assert dict(national.added) == {"B": 1, "C": 1}
    # placement scores (votes x seats / district votes, over 2s+1): B North 4000/6600 beats South 8000/6400/3;
    # C North 2400/6600 beats South 1600/6400
    assert result.seats[("North", "B")] == result.seats[("North", "C")] == 1
    assert sum(result.totals.values()) == 10
    back = systems.System.from_json(law.to_json())
    assert back == law
    assert back.tabulate(_toy_returns()) == result


def test_threshold_exactly_at_the_boundary_passes_in_the_levelling_tier() -> None:
    returns = systems.Returns(
        [
            systems.DistrictReturns("*", seats=20),
            systems.DistrictReturns("One", {"A": 950, "B": 50}, seats=10),
        ]
    )
    law = systems.System(
        "edge",
        (
            systems.DistrictTier("district", systems.Method("divisor", "dhondt")),
            systems.LevellingTier(
                20,
                systems.Method("divisor", "sainte-lague"),
                (systems.Threshold(Fraction(5, 100), "nation", "lists"),),
                per_district=None,
            ),
        ),
    )
    national = law.tabulate(returns).tiers[1].national
    assert national is not None
    assert "B" in national.qualified
    above = systems.System(
        "edge",
        (
            systems.DistrictTier("district", systems.Method("divisor", "dhondt")),
            systems.LevellingTier(
                20,
                systems.Method("divisor", "sainte-lague"),
                (systems.Threshold(Fraction(5, 100), "nation", "lists", "above"),),
                per_district=None,
            ),
        ),
    )
    national = above.tabulate(returns).tiers[1].national
    assert national is not None
    assert "B" in national.excluded


def test_the_published_house_totals() -> None:
    """Published totals: New Zealand 2011, 121 members with the Māori Party's overhang (Electoral Commission);
    Scotland 2007, SNP 47, Labour 46, Conservative 17, Liberal Democrat 16, Green 2, Margo MacDonald 1."""
    nz = DATA / "nz" / "nz_general_2011"
    scotland = DATA / "uk" / "uk_sco_parliament_2007"
    if not nz.is_dir() or not scotland.is_dir():
        pytest.skip("parliament data not found")
    result = systems.get("new-zealand-house", year=2011).tabulate(read_returns(nz))
    assert sum(result.totals.values()) == 121
    national = result.tiers[1].national
    assert national is not None
    assert national.rounds[0].overhang == ("Māori Party",)
    assert national.below["Māori Party"] == 3
    assert national.rounds[0].share["Māori Party"] == 2
    result = systems.get("scotland-parliament", year=2007).tabulate(read_returns(scotland))
    assert {p: n for p, n in result.totals.items() if n} == {
        "SNP": 47,
        "LAB": 46,
        "CON": 17,
        "LD": 16,
        "GRN": 2,
        "IND_0": 1,
    }


@pytest.mark.parametrize(
    "name",
    [
        "norway-storting",
        "germany-european-parliament",
        "new-zealand-house",
        "scotland-parliament",
        "denmark-folketing",
        "iceland-althingi",
    ],
)
def test_presets_round_trip_through_json(name: str) -> None:
    law = systems.get(name)
    assert systems.System.from_json(law.to_json()) == law


@pytest.mark.parametrize(
    "tier",
    [
        systems.LevellingTier(169, systems.Method("divisor", "modified-sainte-lague"), every_district=True),
        systems.LevellingTier(
            175, systems.Method("largest-remainder", "hare"), or_seats=1, placement="regions-then-districts"
        ),
        systems.LevellingTier(63, systems.Method("divisor", "dhondt"), placement="award-order", continues=True),
        systems.MixedMemberTier(120, systems.Method("divisor", "sainte-lague")),
        systems.RegionalTopUp(systems.Method("divisor", "dhondt")),
    ],
)
def test_each_compensation_kind_round_trips_through_json(tier: object) -> None:
    law = systems.System("x", (systems.LimitedVote("c"), tier))  # type: ignore[arg-type]
    data = json.loads(law.to_json())
    assert data["tiers"][1]["kind"] == tier.kind  # type: ignore[attr-defined]
    assert systems.System.from_json(law.to_json()) == law


def test_bad_compensation_tiers_are_refused() -> None:
    with pytest.raises(OptionError, match="after the tiers"):
        systems.System("x", (systems.MixedMemberTier(120, systems.Method("divisor", "sainte-lague")),))
    with pytest.raises(OptionError, match="divisor Method"):
        systems.MixedMemberTier(10, systems.Method("largest-remainder", "hare"))
    law = {"name": "x", "tiers": [{"kind": "districts", "name": "d"}, {"kind": "levelling", "name": "l", "totl": 3}]}
    with pytest.raises(FormatError, match="unknown field 'totl'"):
        systems.System.from_json(law)


def test_refusals_name_what_is_missing() -> None:
    sainte_lague = systems.Method("divisor", "sainte-lague")
    with pytest.raises(OptionError, match="thresholds are national"):
        systems.LevellingTier(10, sainte_lague, (systems.Threshold(Fraction(1, 20), "district"),))
    two_tier = systems.System("x", (systems.DistrictTier(), systems.LevellingTier(10, sainte_lague)))
    no_area = systems.Returns([systems.DistrictReturns("North", {"A": 10}, seats=2)])
    with pytest.raises(MissingDataError, match="no district '\\*'"):
        two_tier.tabulate(no_area)
    iceland_like = systems.System(
        "x",
        (systems.DistrictTier(), systems.LevellingTier(4, sainte_lague, placement="award-order", continues=True)),
    )
    returns = systems.Returns(
        [systems.DistrictReturns("*", seats=4), systems.DistrictReturns("North", {"A": 10, "B": 9}, seats=2)]
    )
    with pytest.raises(MissingDataError, match="'North' gives no max_adjustment_seats"):
        iceland_like.tabulate(returns)


def test_the_cli_writes_text_json_and_html_with_the_levelling_steps(capsys: pytest.CaptureFixture[str]) -> None:
    path = DATA / "no" / "no_stortingsvalg_2013"
    if not path.is_dir():
        pytest.skip("parliament data not found")
    assert main(["seats", str(path), "--system", "norway-storting", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    national = data["tiers"][1]["national"]
    assert sum(national["added"].values()) == 19
    assert data["tiers"][1]["kind"] == "levelling"
    assert sum(data["totals"].values()) == 169
    assert main(["seats", str(path), "--system", "norway-storting", "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert html.count("<table") == 2
    assert main(["seats", str(path), "--system", "norway-storting"]) == 0
    assert "seats added:" in capsys.readouterr().out


def test_denmark_records_the_placement_by_landsdel(capsys: pytest.CaptureFixture[str]) -> None:
    """The landsdele take the compensatory seats fixed for them: 10, 16 and 14 (districts.csv, 2011)."""
    path = DATA / "dk" / "dk_folketing_2011"
    if not path.is_dir():
        pytest.skip("parliament data not found")
    assert main(["seats", str(path), "--system", "denmark-folketing", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    regions = {r["district"]: r["magnitude"] for r in data["tiers"][1]["regions"]}
    assert regions == {"Hovedstaden": 10, "Sjælland-Syddanmark": 16, "Midtjylland-Nordjylland": 14}


#: The published party totals: Norway, Valgdirektoratet (valgresultat.no) for 2009 and 2013; Denmark, the
#: Folketing's 2011 result for Denmark proper (Danmarks Statistik); Iceland, Landskjörstjórn for 2009.
PUBLISHED = {
    ("no/no_stortingsvalg_2009", "norway-storting", 2009): {
        "A": 64,
        "FRP": 41,
        "H": 30,
        "SV": 11,
        "SP": 11,
        "KRF": 10,
        "V": 2,
    },
    ("no/no_stortingsvalg_2013", "norway-storting", 2013): {
        "A": 55,
        "H": 48,
        "FRP": 29,
        "KRF": 10,
        "SP": 10,
        "V": 9,
        "SV": 7,
        "MDG": 1,
    },
    ("dk/dk_folketing_2011", "denmark-folketing", 2011): {
        "Venstre": 47,
        "Socialdemokratiet": 44,
        "Dansk Folkeparti": 22,
        "Radikale Venstre": 17,
        "SF - Socialistisk Folkeparti": 16,
        "Enhedslisten": 12,
        "Liberal Alliance": 9,
        "Konservative Folkeparti": 8,
    },
    ("is/is_althingi_2009", "iceland-althingi", 2009): {"S": 20, "D": 16, "V": 14, "B": 9, "O": 4},
}


def _short(party: str) -> str:
    """The letter code in brackets of the Norwegian and Icelandic list names, e.g. ``Høyre [H]`` -> ``H``."""
    return party.rsplit("[", 1)[1].rstrip("]") if party.endswith("]") else party


@pytest.mark.parametrize("case", sorted(PUBLISHED))
def test_the_published_party_totals(case: tuple[str, str, int]) -> None:
    folder, preset, year = case
    path = DATA / folder
    if not path.is_dir():
        pytest.skip("parliament data not found")
    result = systems.get(preset, year=year).tabulate(read_returns(path))
    assert {_short(p): n for p, n in result.totals.items() if n} == PUBLISHED[case]


def test_mmp_takes_seats_won_by_lists_that_do_not_share_from_the_total() -> None:
    """Electoral Act 1993, s 191: an independent's electorate leaves 9 of 10 seats to the parties; A 600 and
    B 400 share them by Sainte-Laguë (600, 400, 200, 133, 120, 86, 80, 67, 57: A 5, B 4); B's electorate
    counts against its 4, so B gets 3 list seats."""
    law = systems.get("new-zealand-house")
    law = systems.System(
        "mmp",
        (law.tiers[0], systems.MixedMemberTier(10, systems.Method("divisor", "sainte-lague"))),
    )
    returns = systems.Returns(
        [
            systems.DistrictReturns("*", {"A": 600, "B": 400, "Ind": 0}),
            systems.DistrictReturns("East", seats=1, candidates=[systems.CandidateVotes("x", "Ind", 50)]),
            systems.DistrictReturns("West", seats=1, candidates=[systems.CandidateVotes("y", "B", 50)]),
        ]
    )
    result = law.tabulate(returns)
    national = result.tiers[1].national
    assert national is not None
    assert national.rounds[0].seats == 9
    assert dict(national.rounds[0].share) == {"A": 5, "B": 4}
    assert dict(result.totals) == {"A": 5, "B": 4, "Ind": 1}
