"""Biproportional apportionment (``zurich-kantonsrat``) against real counts, and its properties.

Expected figures come from two places, never from this code:

- the shared parliaments data, ``ch/ch_zurich_canton_parliament_2006``
  (``expected_seats.csv``, every ``meta`` row: the party seats of the upper
  apportionment and the seats of every party in every Wahlkreis);
- the City of Zürich's published counts of the Gemeinderat elections of
  9 February 2014 and 4 March 2018 (stadt-zuerich.ch, archive of the
  "Erneuerungswahlen", pages "Herleitung der Oberzuteilung" (2018) and
  "Herleitung der Unterzuteilung" (both)): the party votes of the seven
  lists that passed the 5% quorum in each Wahlkreis, the voter numbers
  (2018), the seats of each list group, the seats by Wahlkreis and party,
  and the published Wahlkreis and Listengruppen divisors.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import systems
from electoral._systems._biproportional import _alternate, count_biproportional, nice_divisor
from electoral.cli import main
from electoral.errors import CountError, FormatError, OptionError
from electoral.io import read_returns

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
ZURICH_2006 = ROOT / "data" / "parliaments" / "ch" / "ch_zurich_canton_parliament_2006"

WAHLKREISE_2018 = ("1+2", "3", "4+5", "6", "7+8", "9", "10", "11", "12")
MAGNITUDES_2018 = (12, 15, 13, 10, 16, 16, 12, 22, 9)
# party: (party votes by Wahlkreis, seats by Wahlkreis, published Listengruppendivisor)
GEMEINDERAT_2018 = {
    "SP": (
        (37360, 67129, 49212, 34296, 71164, 60063, 52231, 89477, 13192),
        (4, 6, 5, 4, 4, 5, 5, 7, 3),
        "1",
    ),
    "SVP": ((15856, 19340, 8339, 8974, 28050, 33783, 17789, 55160, 8980), (2, 1, 1, 1, 2, 3, 1, 4, 2), "1.0708"),
    "FDP": ((23990, 20529, 13844, 16857, 69536, 26712, 23098, 40194, 3826), (2, 2, 1, 2, 5, 3, 2, 3, 1), "0.973"),
    "Grüne": ((15007, 26471, 19388, 12571, 31442, 20296, 15534, 28713, 4191), (2, 2, 2, 1, 2, 2, 2, 2, 1), "0.934"),
    "glp": ((12551, 19573, 16442, 11613, 28414, 16488, 14630, 31911, 2931), (1, 2, 2, 1, 2, 1, 1, 3, 1), "1.02"),
    "AL": ((7668, 22692, 22136, 7612, 13659, 10164, 12054, 12435, 1954), (1, 2, 2, 1, 1, 1, 1, 1, 0), "1"),
    "EVP/BDP": ((1841, 2939, 1152, 2101, 5655, 9777, 3374, 13901, 2568), (0, 0, 0, 0, 0, 1, 0, 2, 1), "0.73"),
}
WAHLKREIS_DIVISORS_2018 = (9870, 12100, 10000, 9000, 15850, 10950, 11080, 12400, 5000)
# 9 February 2014, "Herleitung der Unterzuteilung" (same Wahlkreise and magnitudes): the seven lists that passed
GEMEINDERAT_2014 = {
    "SP": ((30933, 54797, 40953, 29882, 62554, 46248, 40979, 79160, 11448), (3, 5, 5, 4, 4, 5, 4, 6, 3), "1.027"),
    "SVP": ((18882, 25663, 9836, 11132, 34834, 41366, 24261, 70002, 10635), (2, 2, 1, 1, 2, 4, 2, 6, 3), "0.988"),
    "FDP": ((24403, 17918, 10238, 15090, 69163, 21307, 21957, 37123, 3412), (3, 2, 1, 2, 4, 2, 3, 3, 1), "0.894"),
    "Grüne": ((13239, 21915, 15880, 10034, 28630, 15001, 13598, 22448, 2433), (1, 2, 2, 1, 2, 2, 1, 2, 1), "1"),
    "glp": ((12202, 17746, 12416, 11024, 26498, 14738, 13901, 29648, 2151), (1, 2, 2, 1, 2, 1, 1, 3, 0), "1"),
    "CVP": ((5936, 6873, 3645, 3692, 11017, 10816, 4898, 14852, 2786), (1, 1, 0, 0, 1, 1, 0, 1, 1), "1"),
    "AL": ((5650, 16680, 17323, 6650, 10082, 8020, 8543, 11655, 1061), (1, 1, 2, 1, 1, 1, 1, 1, 0), "1"),
}
WAHLKREIS_DIVISORS_2014 = (10000, 11500, 8000, 8000, 17300, 10000, 9819, 11860, 4303)
# the published "Sitzanspruch" of each list group in the upper apportionment, 2014
UPPER_2014 = {"SP": 39, "SVP": 23, "FDP": 21, "Grüne": 14, "glp": 13, "CVP": 6, "AL": 9}
# 2014's party divisors are shown to three decimals (SVP's 0.988 is rounded: SVP in Wahlkreis 10 is 2.5008 with
# it), so they are checked up to half a unit of that last decimal; 2018's are shown as they are (1.0708, 0.73)
COUNTS = {
    2014: (GEMEINDERAT_2014, WAHLKREIS_DIVISORS_2014, Fraction(5, 10_000)),
    2018: (GEMEINDERAT_2018, WAHLKREIS_DIVISORS_2018, Fraction(0)),
}
# "Oberzuteilung": total voter numbers and seats of each list group
UPPER_2018 = {
    "SP": (32892, 43),
    "SVP": (12999, 17),
    "FDP": (16312, 21),
    "Grüne": (12064, 16),
    "glp": (10580, 14),
    "AL": (7892, 10),
    "EVP/BDP": (2810, 4),
}


@pytest.fixture(scope="module")
def zurich_2006() -> Path:
    if not ZURICH_2006.is_dir():
        pytest.skip(f"parliament data not found at {ZURICH_2006}; set ELECTORAL_SHARED to the shared folder")
    return ZURICH_2006


def _meta(folder: Path) -> list[dict[str, str]]:
    with (folder / "expected_seats.csv").open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["source"] == "meta"]


def test_zurich_2006_every_meta_row(zurich_2006: Path) -> None:
    result = systems.get("zurich-kantonsrat", year=2006).tabulate(read_returns(zurich_2006))
    tier = result.tiers[0]
    assert isinstance(tier, systems.BiproportionalCount)
    rows = _meta(zurich_2006)
    assert {r["step"] for r in rows} == {"party_seats", "district"}
    for row in rows:
        if row["step"] == "party_seats":
            assert tier.party_seats[row["party"]] == int(row["seats"]), row
            assert result.totals[row["party"]] == int(row["seats"]), row
        else:
            assert result.seats.get((row["district"], row["party"]), 0) == int(row["seats"]), row
    expected = {(r["district"], r["party"]): int(r["seats"]) for r in rows if r["step"] == "district"}
    assert dict(result.seats) == {k: n for k, n in expected.items() if n}
    assert tier.ties == ()


def test_zurich_2006_weights_do_not_change_its_seats(zurich_2006: Path) -> None:
    """The example does not say whether its votes are party votes or voter numbers; here each reading agrees."""
    returns = read_returns(zurich_2006)
    law = systems.get("zurich-kantonsrat", year=2006)
    seats = [
        attrs.evolve(law, tiers=(attrs.evolve(law.tiers[0], weights=w),)).tabulate(returns).seats
        for w in ("rounded", "exact", "votes")
    ]
    assert seats[0] == seats[1] == seats[2]


def _gemeinderat(year: int) -> systems.Returns:
    table = COUNTS[year][0]
    return systems.Returns(
        tuple(
            systems.DistrictReturns(
                wk, {party: votes[i] for party, (votes, _, _) in table.items()}, seats=MAGNITUDES_2018[i]
            )
            for i, wk in enumerate(WAHLKREISE_2018)
        )
    )


@pytest.mark.parametrize("year", [2014, 2018])
def test_published_divisors_give_the_published_seats(year: int) -> None:
    """A check of the transcribed figures: round(votes / (Wahlkreis divisor × party divisor)) is every seat."""
    table, divisors, shown = COUNTS[year]
    half = Fraction(1, 2)
    for party, (votes, seats, divisor) in table.items():
        for i, v in enumerate(votes):
            low, high = Fraction(divisor) - shown, Fraction(divisor) + shown
            assert v / (divisors[i] * high) <= seats[i] + half, (party, WAHLKREISE_2018[i])
            assert v / (divisors[i] * low) >= seats[i] - half, (party, WAHLKREISE_2018[i])
    assert [sum(table[p][1][i] for p in table) for i in range(9)] == list(MAGNITUDES_2018)


@pytest.mark.parametrize("year", [2014, 2018])
def test_gemeinderat_upper_and_lower_apportionment(year: int) -> None:
    # only the seven lists that passed the quorum are transcribed, so the quorum is not applied here
    law = systems.get("zurich-kantonsrat", year=year)
    law = attrs.evolve(law, tiers=(attrs.evolve(law.tiers[0], thresholds=()),))
    result = law.tabulate(_gemeinderat(year))
    tier = result.tiers[0]
    assert isinstance(tier, systems.BiproportionalCount)
    if year == 2018:
        assert {p: (int(w), tier.party_seats[p]) for p, w in tier.weights.items()} == UPPER_2018
    else:
        assert dict(tier.party_seats) == UPPER_2014
    for party, (_, seats, _) in COUNTS[year][0].items():
        for i, wk in enumerate(WAHLKREISE_2018):
            assert result.seats.get((wk, party), 0) == seats[i], (party, wk)
    assert tier.ties == ()
    # the division by magnitudes matters: summing the raw party votes would give SP one seat less
    raw = attrs.evolve(law, tiers=(attrs.evolve(law.tiers[0], weights="votes"),)).tabulate(_gemeinderat(year))
    assert raw.totals["SP"] == result.totals["SP"] - 1


def test_the_threshold_is_five_percent_in_one_wahlkreis_at_least() -> None:
    # Tages-Anzeiger on the 2018 count: the EVP's 8,616 party votes in Wahlkreis 9 were exactly the 5% needed
    base = 8616 * 20
    returns = systems.Returns(
        (
            systems.DistrictReturns("9", {"A": base - 8616 - 1, "EVP": 8616, "B": 1}, seats=10),
            systems.DistrictReturns("11", {"A": 50_000, "EVP": 100, "B": 1}, seats=10),
        )
    )
    result = systems.get("zurich-kantonsrat").tabulate(returns)
    count = result.district("9")
    assert "EVP" in count.qualified
    assert "B" in count.excluded
    one_less = systems.Returns(
        (
            systems.DistrictReturns("9", {"A": base - 8616, "EVP": 8615, "B": 1}, seats=10),
            returns.districts[1],
        )
    )
    assert "EVP" in systems.get("zurich-kantonsrat").tabulate(one_less).district("9").excluded


def test_json_round_trip_and_result_data(zurich_2006: Path) -> None:
    law = systems.get("zurich-kantonsrat")
    again = systems.System.from_json(law.to_json())
    assert again == law
    assert json.loads(law.to_json())["tiers"][0]["kind"] == "biproportional"
    data = law.tabulate(read_returns(zurich_2006)).to_dict()
    tier = data["tiers"][0]
    assert tier["party_seats"]["SP"] == 44
    assert tier["steps"][-1]["sums"] == tier["steps"][-1]["targets"]
    json.dumps(data)


def test_bad_biproportional_nodes_and_json() -> None:
    with pytest.raises(OptionError, match="whole body"):
        systems.Biproportional(thresholds=(systems.Threshold(Fraction(1, 20)),))
    with pytest.raises(OptionError, match="weights"):
        systems.Biproportional(weights="people")  # type: ignore[arg-type]
    text = systems.get("zurich-kantonsrat").to_json().replace('"weights"', '"weight"')
    with pytest.raises(FormatError, match="unknown field 'weight'"):
        systems.System.from_json(text)
    with pytest.raises(OptionError, match="covers 2006"):
        systems.get("zurich-kantonsrat", year=2002)


def test_a_district_without_votes_cannot_be_filled() -> None:
    returns = systems.Returns(
        (systems.DistrictReturns("a", {"X": 10}, seats=2), systems.DistrictReturns("b", {"X": 0}, seats=1))
    )
    with pytest.raises(CountError, match="district 'b'"):
        systems.System("t", (systems.Biproportional(),)).tabulate(returns)


def test_nice_divisor() -> None:
    assert nice_divisor(Fraction(6850), Fraction(7120)) == 7000
    assert nice_divisor(Fraction(9861), Fraction(9874)) == 9870
    assert nice_divisor(Fraction(1, 3), Fraction(1, 3)) == Fraction(1, 3)
    assert nice_divisor(Fraction(99, 100), Fraction(101, 100)) == 1
    assert nice_divisor(Fraction(7000), Fraction(8000)) == 7500
    with pytest.raises(CountError):
        nice_divisor(Fraction(2), Fraction(1))


# --- properties -----------------------------------------------------------------------------------


@st.composite
def _instances(draw: st.DrawFn, max_districts: int = 4, max_parties: int = 4, max_votes: int = 10_000) -> tuple:
    n = draw(st.integers(2, max_districts))
    k = draw(st.integers(2, max_parties))
    votes = [[draw(st.integers(0, max_votes)) for _ in range(k)] for _ in range(n)]
    for row in votes:
        if not any(row):
            row[0] = 1
    for j in range(k):
        if not any(row[j] for row in votes):
            votes[0][j] = 1
    magnitudes = [draw(st.integers(1, 6)) for _ in range(n)]
    return votes, magnitudes


def _system_returns(votes: list[list[int]], magnitudes: list[int]) -> systems.Returns:
    return systems.Returns(
        tuple(
            systems.DistrictReturns(f"d{i}", {f"p{j}": v for j, v in enumerate(row)}, seats=magnitudes[i])
            for i, row in enumerate(votes)
        )
    )


def _fits(v: int, s: int, q: Fraction) -> bool:
    """``s`` is a standard rounding of ``q`` (either way at exactly one half), and a list without votes has no seat."""
    return s == 0 if v == 0 else (s - Fraction(1, 2) <= q <= s + Fraction(1, 2))


@settings(max_examples=150, deadline=None)
@given(_instances())
def test_margins_fit_and_the_divisors_explain_every_seat(instance: tuple) -> None:
    votes, magnitudes = instance
    returns = _system_returns(votes, magnitudes)
    failure = ""
    try:
        tier = count_biproportional(systems.Biproportional(weights="votes"), returns)
    except CountError as error:
        failure = str(error)
    if failure:
        # no apportionment exists for this zero pattern, or (rarely) ties stall the scaling: never a wrong one
        assert "no biproportional apportionment exists" in failure or "ties stall" in failure
        return
    seats = {(c.district, p): n for c in tier.districts for p, n in c.seats.items()}
    for i, m in enumerate(magnitudes):
        assert sum(seats.get((f"d{i}", f"p{j}"), 0) for j in range(len(votes[0]))) == m
    for p, n in tier.party_seats.items():
        assert sum(seats.get((f"d{i}", p), 0) for i in range(len(votes))) == n
    assert sum(tier.party_seats.values()) == sum(magnitudes)
    for (d, p), s in seats.items():
        v = votes[int(d[1:])][int(p[1:])]
        q = v / (tier.district_divisors[d] * tier.party_divisors[p])
        assert isinstance(q, Fraction)
        assert _fits(v, s, q)
    # the upper apportionment is a standard rounding by its own divisor
    for p, w in tier.weights.items():
        assert _fits(1 if w else 0, tier.party_seats[p], w / tier.upper_divisor)


def _feasible(votes: list[list[int]], seats: list[list[int]]) -> bool:
    """Do district and party divisors exist that round ``votes`` to ``seats``? An independent exact test.

    With x = district divisor and y = 1 / party divisor, each cell asks
    ``votes / (s + 1/2) <= x / y <= votes / (s - 1/2)``: a system of ratio
    constraints, feasible exactly when no cycle of the constraint graph has a
    product below one (Bellman-Ford, multiplicatively, in fractions).
    """
    n, k = len(votes), len(votes[0])
    edges: list[
        tuple[int, int, Fraction]
    ] = []  # value[b] <= value[a] * w: y_j <= x_i (s + 1/2) / v, x_i <= y_j v / (s - 1/2)
    for i in range(n):
        for j in range(k):
            v, s = votes[i][j], seats[i][j]
            if v == 0:
                if s:
                    return False
                continue
            edges.append((i, n + j, Fraction(2 * s + 1, 2 * v)))
            if s:
                edges.append((n + j, i, Fraction(2 * v, 2 * s - 1)))
    value = [Fraction(1)] * (n + k)
    for _ in range(n + k + 1):
        changed = False
        for a, b, w in edges:
            if value[a] * w < value[b]:
                value[b] = value[a] * w
                changed = True
        if not changed:
            return True
    return False


def _matrices(magnitudes: list[int], totals: list[int]) -> list[list[list[int]]]:
    """Every non-negative integer matrix with these row and column sums (small cases only)."""
    k = len(totals)
    found: list[list[list[int]]] = []

    def rows(i: int, left: list[int], acc: list[list[int]]) -> None:
        if i == len(magnitudes):
            if not any(left):
                found.append([r[:] for r in acc])
            return
        for row in itertools.product(*(range(min(m, magnitudes[i]) + 1) for m in left)):
            if sum(row) == magnitudes[i]:
                rows(i + 1, [a - b for a, b in zip(left, row, strict=True)], [*acc, list(row)])

    rows(0, list(totals), [])
    assert all(len(m[0]) == k for m in found)
    return found


@settings(max_examples=80, deadline=None)
@given(_instances(max_districts=3, max_parties=3, max_votes=300))
def test_the_result_is_lawful_and_unique_unless_the_count_reports_a_tie(instance: tuple) -> None:
    """Every lawful lower apportionment, by brute force and an exact divisor test, against the count's."""
    votes, magnitudes = instance
    returns = _system_returns(votes, magnitudes)
    try:
        tier = count_biproportional(systems.Biproportional(weights="votes"), returns)
    except CountError:
        return
    k = len(votes[0])
    ours = [[tier.districts[i].seats.get(f"p{j}", 0) for j in range(k)] for i in range(len(votes))]
    totals = [tier.party_seats[f"p{j}"] for j in range(k)]
    lawful = [m for m in _matrices(magnitudes, totals) if _feasible(votes, m)]
    assert ours in lawful
    lower_ties = [cell for cell in tier.ties if cell[0] != "*"]
    assert (len(lawful) > 1) == bool(lower_ties)
    for m in lawful:  # another lawful apportionment differs only in tied cells
        for i, j in itertools.product(range(len(votes)), range(k)):
            assert m[i][j] == ours[i][j] or (f"d{i}", f"p{j}") in lower_ties


def test_a_tie_is_reported_with_its_cells() -> None:
    # two districts and two parties with equal votes everywhere: 1 seat each way can go to either party
    returns = _system_returns([[100, 100], [100, 100]], [1, 1])
    tier = count_biproportional(systems.Biproportional(weights="votes"), returns)
    assert sorted(tier.party_seats.values()) == [1, 1]
    assert set(tier.ties) >= {("d0", "p0"), ("d0", "p1"), ("d1", "p0"), ("d1", "p1")}


@settings(max_examples=100, deadline=None)
@given(_instances())
def test_starting_with_the_parties_ends_at_the_same_seats(instance: tuple) -> None:
    votes, magnitudes = instance
    districts = [f"d{i}" for i in range(len(votes))]
    parties = [f"p{j}" for j in range(len(votes[0]))]
    table = {(d, p): votes[i][j] for i, d in enumerate(districts) for j, p in enumerate(parties)}
    try:
        tier = count_biproportional(systems.Biproportional(weights="votes"), _system_returns(votes, magnitudes))
    except CountError:
        return
    if tier.ties:
        return
    other, _, _, _ = _alternate(
        districts, parties, table, dict(zip(districts, magnitudes, strict=True)), tier.party_seats, "parties"
    )
    assert {c: n for c, n in other.items() if n} == {
        (c.district, p): n for c in tier.districts for p, n in c.seats.items() if n
    }


def test_no_apportionment_exists_when_a_party_cannot_be_placed() -> None:
    # p1 has votes only in the one-seat district d0 but wins 3 of the 4 seats in the upper apportionment
    returns = _system_returns([[0, 2], [1, 0]], [1, 3])
    with pytest.raises(CountError, match="no biproportional apportionment exists"):
        count_biproportional(systems.Biproportional(weights="votes"), returns)


def test_cli_text_shows_both_apportionments(zurich_2006: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seats", str(zurich_2006), "--system", "zurich-kantonsrat", "--year", "2006"]) == 0
    text = capsys.readouterr().out
    assert "upper apportionment (divisor " in text
    assert "SP 44, SVP 24, FDP 19, Grüne 14, CVP 10, EVP 6, AL 5, SD 3" in text  # the meta party_seats rows
    assert "district divisors: WK1+2 " in text
    assert "WK3 (16): SP 7, SVP 3, Grüne 3, FDP 1, CVP 1, AL 1" in text  # the meta district rows of WK3
