"""The Bundestag presets: the 2023 law (Zweitstimmendeckung) and the 2020 law (overhang and its compensation)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from electoral import systems
from electoral.errors import CountError, FormatError, MissingDataError, OptionError
from electoral.io import read_returns

#: second votes per Land list, 2025, from the Bundeswahlleiterin's final result (see SOURCE.md there)
RETURNS_2025 = Path(__file__).parent / "data" / "germany-2025-bundestag"


def _candidates(**votes: int) -> tuple[systems.CandidateVotes, ...]:
    return tuple(systems.CandidateVotes(f"{party} candidate", party, n) for party, n in votes.items())


def _constituency(name: str, land: str, second: dict[str, int], first: dict[str, int]) -> systems.DistrictReturns:
    return systems.DistrictReturns(name, second, region=land, candidates=_candidates(**first))


def _bundestag(result: systems.SeatResult) -> systems.BundestagCount:
    count = result.tiers[0]
    assert isinstance(count, systems.BundestagCount)
    return count


def test_2025_reproduces_the_official_seat_totals() -> None:
    # the official totals (Bundeswahlleiterin, final result of 14 March 2025): 630 seats
    result = systems.get("germany-bundestag", year=2025).tabulate(read_returns(RETURNS_2025))
    official = {"CDU": 164, "AfD": 152, "SPD": 120, "GRÜNE": 85, "Die Linke": 64, "CSU": 44, "SSW": 1}
    assert {p: n for p, n in result.totals.items() if n} == official
    assert sum(result.totals.values()) == 630


def test_2025_thresholds_bsw_and_fdp_fail_ssw_is_exempt() -> None:
    result = systems.get("germany-bundestag", year=2025).tabulate(read_returns(RETURNS_2025))
    federal = _bundestag(result).federal
    assert federal is not None
    checks = {c.party: c for c in federal.checks}
    # BSW: 2,472,947 of 49,649,512 valid second votes, 4.98%: below 5%
    assert (checks["BSW"].votes, checks["BSW"].base, checks["BSW"].passed) == (2472947, 49649512, False)
    assert not checks["SSW"].passed
    assert "SSW" in federal.qualified
    assert set(federal.excluded) == {"BSW", "FDP", "Übrige"}


def test_2025_unterverteilung_of_nordrhein_westfalen() -> None:
    # NRW's 136 members: CDU 47, SPD 31, AfD 26, Grüne 19, Linke 13 (dpa, from the Landeswahlleiterin's table,
    # https://kulthitradio.de/share/2672822)
    result = systems.get("germany-bundestag", year=2025).tabulate(read_returns(RETURNS_2025))
    nrw = {p: n for (land, p), n in result.seats.items() if land == "Nordrhein-Westfalen"}
    assert nrw == {"CDU": 47, "SPD": 31, "AfD": 26, "GRÜNE": 19, "Die Linke": 13}
    # every party's Land seats add up to its Oberverteilung seats
    for party, total in result.totals.items():
        assert sum(n for (_, p), n in result.seats.items() if p == party) == total


def _covered_case() -> systems.Returns:
    # Land A: X wins all three constituencies (60%, 55%, 51% of first votes); Land B has list votes only
    first = ({"X": 60, "Y": 40}, {"X": 55, "Y": 45}, {"X": 51, "Y": 49})
    a = [_constituency(f"A{i + 1}", "A", {"X": 40, "Y": 60}, f) for i, f in enumerate(first)]
    return systems.Returns([*a, systems.DistrictReturns("B", {"X": 100, "Y": 100})])


def test_zweitstimmendeckung_leaves_the_weakest_winner_without_a_seat() -> None:
    law = systems.System("t", (systems.BundestagTier(10, "2023", constituencies=0, exempt=()),))
    result = law.tabulate(_covered_case())
    # X 220, Y 280 of 500: Sainte-Laguë 4.4 -> 4 and 5.6 -> 6; X's 4 among A 120 and B 100:
    # quotients 120, 100, 40, 33.3 -> A 2, B 2; so X's three winners in A share two seats
    assert dict(result.totals) == {"Y": 6, "X": 4}
    assert result.seats[("A", "X")] == 2
    seats = {s.constituency: (s.rank, s.seated) for s in _bundestag(result).constituency_seats}
    assert seats == {"A1": (1, True), "A2": (2, True), "A3": (3, False)}
    a3 = next(s for s in _bundestag(result).constituency_seats if s.constituency == "A3")
    assert a3.share == Fraction(51, 100)


def test_three_constituency_wins_admit_a_party_below_five_percent() -> None:
    # Z has 4 of 100 second votes (4%), below 5%, but wins three constituencies
    lands = [_constituency(f"W{i}", "L", {"X": 30, "Y": 19, "Z": 1}, {"Z": 40, "X": 35, "Y": 25}) for i in range(3)] + [
        systems.DistrictReturns("M", {"X": 30, "Y": 19, "Z": 1})
    ]
    returns = systems.Returns(lands)
    with_clause = systems.get("germany-bundestag", year=2025).tabulate(returns)
    assert with_clause.totals["Z"] > 0
    no_clause = attrs.evolve(
        systems.get("germany-bundestag", year=2025), tiers=(systems.BundestagTier(630, constituencies=0),)
    )
    assert no_clause.tabulate(returns).totals["Z"] == 0


def test_a_party_at_exactly_five_percent_passes() -> None:
    law = systems.System("t", (systems.BundestagTier(20, "2023", exempt=()),))
    result = law.tabulate(systems.Returns([systems.DistrictReturns("L", {"A": 95, "B": 5})]))
    assert result.totals["B"] == 1
    result = law.tabulate(systems.Returns([systems.DistrictReturns("L", {"A": 951, "B": 49})]))
    assert result.totals["B"] == 0


def _overhang_case() -> systems.Returns:
    # Land A (population 50): X wins its 5 constituencies; Land B (population 50): list votes only
    a = [
        attrs.evolve(_constituency(f"A{i}", "A", {"X": 64, "Y": 136}, {"X": 60, "Y": 40}), extra={"population": "10"})
        for i in range(5)
    ]
    b = systems.DistrictReturns("B", {"X": 480, "Y": 520}, extra={"population": "50"})
    return systems.Returns([*a, b])


def test_2020_law_enlarges_the_house_leaving_three_overhang_seats_uncompensated() -> None:
    # 10 seats: A 5, B 5 by population. Contingents: A (X 320, Y 680): X 2, Y 3; B (X 480, Y 520): X 2, Y 3.
    # Minimums: X in A max(5, mean of 5 and 2 rounded = 4) = 5, X in B 1, Y in A 2, Y in B 2: X 6, Y 4.
    # At 10 seats Sainte-Laguë gives X 4 (800 votes), Y 6 (1200): X is 2 short, within the 3 uncompensated.
    law = systems.System("t", (systems.BundestagTier(10, "2020", exempt=()),))
    result = law.tabulate(_overhang_case())
    count = _bundestag(result)
    assert dict(count.minimums) == {("A", "X"): 5, ("A", "Y"): 2, ("B", "X"): 1, ("B", "Y"): 2}
    assert dict(result.totals) == {"X": 6, "Y": 6}
    assert count.federal is not None
    assert count.federal.magnitude == 12


def test_2020_law_without_uncompensated_overhang_compensates_fully() -> None:
    # X needs 6: Sainte-Laguë on 800 : 1200 first gives X 6 at 14 seats (5.6 -> 6, 8.4 -> 8);
    # X's 6 go A 5 (its wins), then B (480/0.5 beats 320/5.5); Y's 8 by Sainte-Laguë: A 5, B 3
    law = systems.System("t", (systems.BundestagTier(10, "2020", exempt=(), uncompensated=0),))
    result = law.tabulate(_overhang_case())
    assert dict(result.totals) == {"Y": 8, "X": 6}
    assert result.seats == {("A", "X"): 5, ("A", "Y"): 5, ("B", "X"): 1, ("B", "Y"): 3}
    assert all(s.seated for s in _bundestag(result).constituency_seats)


def test_2020_law_needs_populations() -> None:
    returns = systems.Returns([systems.DistrictReturns("L", {"A": 60, "B": 40})])
    with pytest.raises(MissingDataError, match="population"):
        systems.get("germany-bundestag", year=2021).tabulate(returns)


def test_presets_by_year_and_json() -> None:
    assert "germany-bundestag" in systems.names()
    for year, seats, law in ((2021, 598, "2020"), (2025, 630, "2023"), (None, 630, "2023")):
        system = systems.get("germany-bundestag", year=year)
        tier = system.tiers[0]
        assert isinstance(tier, systems.BundestagTier)
        assert (tier.seats, tier.law) == (seats, law)
        assert systems.System.from_json(system.to_json()) == system
    with pytest.raises(OptionError, match="2017"):
        systems.get("germany-bundestag", year=2017)


def test_bad_nodes_and_json() -> None:
    with pytest.raises(OptionError, match="2019"):
        systems.BundestagTier(598, "2019")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="seats"):
        systems.BundestagTier(-1)
    data = systems.get("germany-bundestag", year=2025).to_dict()
    data["tiers"][0]["exempt"] = "SSW"
    with pytest.raises(FormatError, match="exempt"):
        systems.System.from_json(data)


def test_a_tied_constituency_needs_the_drawn_winner() -> None:
    returns = systems.Returns([_constituency("W", "L", {"X": 60, "Y": 40}, {"X": 50, "Y": 50})])
    with pytest.raises(CountError, match="no single winner"):
        systems.get("germany-bundestag", year=2025).tabulate(returns)


def test_equal_first_vote_shares_across_the_cover_need_the_lot() -> None:
    # X wins two constituencies with the same share (60%) but, with 1 seat in the Land, only one is covered
    wins = [_constituency(f"W{i}", "L", {"X": 10, "Y": 90}, {"X": 60, "Y": 40}) for i in range(2)]
    law = systems.System("t", (systems.BundestagTier(10, "2023", constituencies=0, exempt=()),))
    with pytest.raises(CountError, match="straddle"):
        law.tabulate(systems.Returns(wins))


def test_2025_bremen_i_winner_is_not_covered() -> None:
    # The SPD won both Bremen constituencies but one list seat in Bremen. Bremerhaven's winner had 46,604 of
    # 153,953 first votes (30.3%), Bremen I's 48,663 of 193,127 (25.2%): more votes, smaller share. The
    # Bundeswahlleiterin's final result marks Bremen I Zweitstimmendeckung="false", Bremen II "true".
    result = systems.get("germany-bundestag", year=2025).tabulate(read_returns(RETURNS_2025))
    assert result.seats[("Bremen", "SPD")] == 1
    seats = {s.constituency: (s.candidate, s.seated) for s in _bundestag(result).constituency_seats}
    assert seats == {"Bremen I": ("Hiller, Ulrike", False), "Bremen II – Bremerhaven": ("Schmidt, Uwe", True)}
