"""The ``belgium-municipal`` and ``us-house`` presets against the shared parliaments data.

Every expected figure is a ``meta`` row of ``expected_seats.csv`` in the
example's folder (``ELECTORAL_SHARED``/data/parliaments/be/be_loc_anderlecht_2012
and us/us_congress_seat_apportionment_2000; see each ``system.md``).
"""

from __future__ import annotations

import csv
import os
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import systems
from electoral.errors import OptionError
from electoral.io import read_returns

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
PARLIAMENTS = ROOT / "data" / "parliaments"


def _folder(relative: str) -> Path:
    path = PARLIAMENTS / relative
    if not path.is_dir():
        pytest.skip(f"parliament data not found at {path}; set ELECTORAL_SHARED to the shared folder")
    return path


def _meta(folder: Path) -> dict[tuple[str, str], int]:
    with (folder / "expected_seats.csv").open(encoding="utf-8") as f:
        return {(r["district"], r["party"]): int(r["seats"]) for r in csv.DictReader(f) if r["source"] == "meta"}


def test_anderlecht_2012_every_meta_row() -> None:
    folder = _folder("be/be_loc_anderlecht_2012")
    result = systems.get("belgium-municipal", year=2012).tabulate(read_returns(folder))
    expected = _meta(folder)
    assert expected
    for cell, seats in expected.items():
        assert result.seats.get(cell, 0) == seats, cell
    assert dict(result.seats) == {c: n for c, n in expected.items() if n}
    assert sum(result.totals.values()) == 47


def test_imperiali_quotients_use_divisors_two_three_four() -> None:
    folder = _folder("be/be_loc_anderlecht_2012")
    count = systems.get("belgium-municipal").tabulate(read_returns(folder)).district("*")
    votes = count.votes
    winners = [q for q in count.quotients if q.seat is not None]
    assert len(winners) == 47
    for q in count.quotients:
        assert q.value == Fraction(votes[q.party], int(q.divisor))
    # each list's first quotient is its votes over 2, its second over 3
    first = {q.party: int(q.divisor) for q in reversed(winners)}
    assert set(first.values()) == {2}
    # the last seat's quotient is at least every losing quotient
    last = min(q.value for q in winners if q.value is not None)
    assert all(q.value is not None and q.value <= last for q in count.quotients if q.seat is None)


def test_belgium_json_round_trip() -> None:
    law = systems.get("belgium-municipal")
    assert systems.System.from_json(law.to_json()) == law


def test_us_house_2000_every_meta_row() -> None:
    folder = _folder("us/us_congress_seat_apportionment_2000")
    returns = read_returns(folder)
    result = systems.get("us-house", year=2000).tabulate(returns)
    expected = _meta(folder)
    assert len(expected) == 50
    for (_, state), seats in expected.items():
        assert result.totals[state] == seats, state
    assert sum(result.totals.values()) == 435


def test_us_house_is_the_method_of_equal_proportions() -> None:
    """Every state has a seat, and no seat could move: p_i^2 / (a_i (a_i - 1)) >= p_j^2 / (a_j (a_j + 1))."""
    folder = _folder("us/us_congress_seat_apportionment_2000")
    returns = read_returns(folder)
    seats = systems.get("us-house").tabulate(returns).totals
    population = returns.national_votes()
    assert min(seats.values()) >= 1
    worst_kept = min(Fraction(population[s] ** 2, a * (a - 1)) for s, a in seats.items() if a > 1)
    best_denied = max(Fraction(population[s] ** 2, a * (a + 1)) for s, a in seats.items())
    assert worst_kept >= best_denied


def test_us_house_json_round_trip_and_years() -> None:
    law = systems.get("us-house")
    assert systems.System.from_json(law.to_json()) == law
    with pytest.raises(OptionError, match="covers 1941"):
        systems.get("us-house", year=1930)
