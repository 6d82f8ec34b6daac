"""Disproportionality indices: hand-checked cases and a published worked example."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import systems
from electoral.errors import CountError


def test_a_two_party_case_by_hand() -> None:
    # votes 60/40 (%), seats 3 of 4 = 75/25: deviations 15 and 15 points
    d = systems.disproportionality({"A": 600, "B": 400}, {"A": 3, "B": 1})
    assert d.loosemore_hanby == 15  # ½ (15 + 15)
    assert d.gallagher_squared == 225  # ½ (15² + 15²)
    assert d.gallagher == 15.0
    assert d.rae == 15  # (15 + 15) / 2 parties
    assert d.lijphart == 15
    assert d.dhondt == Fraction(75, 60)  # A's advantage ratio
    assert d.sainte_lague == Fraction(225, 60) + Fraction(225, 40)


def test_a_party_without_seats_counts_and_one_without_votes_is_refused() -> None:
    d = systems.disproportionality({"A": 500, "B": 300, "C": 200}, {"A": 1, "B": 1})
    # shares 50/30/20 against 50/50/0: deviations 0, 20, 20
    assert (d.loosemore_hanby, d.lijphart, d.rae) == (20, 20, Fraction(40, 3))
    assert d.gallagher_squared == 400
    with pytest.raises(CountError, match="has seats and no votes"):
        systems.sainte_lague_index({"A": 10}, {"A": 1, "Z": 1})
    with pytest.raises(CountError, match="some votes and some seats"):
        systems.loosemore_hanby({"A": 0}, {"A": 0})


def test_gallagher_on_the_published_new_zealand_2005_example() -> None:
    """Wikipedia, "Gallagher index", worked example: New Zealand 2005 party vote, LSq = 1.11.

    The example works from vote percentages rounded to 0.01 and the 121 seats
    (Labour 50, National 48, NZ First 7, Greens 6, Māori 4, United Future 3,
    ACT 2, Progressive 1); the percentages are used here as votes in
    hundredths of a percent. The published 1.11 squares differences of
    percentages rounded to 0.01 (seat shares too, and the vote percentages
    add up to 99.98), so the exact index of the same figures, 1.125, agrees
    to within that rounding, not to the last digit.
    """
    percent = [4110, 3910, 572, 530, 212, 267, 151, 116, 62, 25, 12, 7, 5, 5, 4, 3, 3, 2, 2]
    seats = [50, 48, 7, 6, 4, 3, 2, 1]
    votes = {f"P{i}": v for i, v in enumerate(percent)}
    held = {f"P{i}": s for i, s in enumerate(seats)}
    assert abs(systems.disproportionality(votes, held).gallagher - 1.11) < 0.02


@given(st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 50)), min_size=1, max_size=8))
def test_the_indices_are_ordered_and_zero_only_when_proportional(rows: list[tuple[int, int]]) -> None:
    votes = {f"P{i}": v for i, (v, _) in enumerate(rows)}
    seats = {f"P{i}": s for i, (_, s) in enumerate(rows)}
    if not sum(seats.values()):
        return
    d = systems.disproportionality(votes, seats)
    assert 0 <= d.lijphart <= d.loosemore_hanby <= 100
    assert d.rae <= d.lijphart
    assert d.gallagher_squared <= d.loosemore_hanby**2  # LSq never exceeds LH
    assert d.dhondt >= 1
    assert (d.loosemore_hanby == 0) == (d.gallagher_squared == 0) == (d.sainte_lague == 0)


def test_a_seat_result_gives_its_indices() -> None:
    returns = systems.Returns([systems.DistrictReturns("D", {"A": 600, "B": 400}, seats=3)])
    result = systems.System("t", [systems.DistrictTier()]).tabulate(returns)
    assert dict(result.totals) == {"A": 2, "B": 1}  # D'Hondt: 600, 400, 300
    assert result.disproportionality().loosemore_hanby == Fraction(20, 3)  # 66⅔ - 60
