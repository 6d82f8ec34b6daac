"""Differential tests against the peers ``apportionment`` and ``votelib``, used only as oracles.

Known defects of the oracles, worked around here rather than copied:

- ``votelib`` rejects a list exactly at the threshold even with ``accept_equal``; the threshold
  comparison leaves out lists exactly at it (our boundary behaviour is tested in
  test_apportionment.py and test_apportionment_properties.py).
- ``votelib``'s ``HighestAverages`` crashes on Huntington–Hill: with no seats held its first
  divisor is 0 (ZeroDivisionError), and even with a first seat given through ``prev_gains`` it
  mixes ``Decimal`` square roots with ``Fraction`` votes (TypeError, votelib 0.4.0). Huntington–Hill,
  Adams and Dean are therefore compared with ``apportionment`` only (whose square roots are
  floats, exact enough for votes up to 10^5 away from ties).
- Both break ties silently (by position), so cases with any tie in our result are skipped.
- ``apportionment`` computes with floats unless ``fractions=True``; that is used throughout.
- With the Hagenbach-Bischoff or Imperiali quota the whole quotas can exceed the house; votelib
  resolves that its own way, so those cases are left out of the comparison.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from electoral.errors import CountError
from electoral.rules import apportion

votes_lists = st.lists(st.integers(min_value=1, max_value=10**5), min_size=2, max_size=8)
houses = st.integers(min_value=1, max_value=40)


def ours(votes: list[int], seats: int, method: str, **options: Any) -> list[int]:
    try:
        return apportion(votes, seats, method, **options)
    except CountError:  # a tie between equal votes: the oracles break it silently
        assume(False)
        raise


def no_tie(votes: list[int], seats: int, method: str, **options: Any) -> list[int]:
    """Our seats, skipping cases where a tie decided a seat (the peers pick by position)."""
    from electoral import Election, tabulate

    names = [f"p{i}" for i in range(len(votes))]
    election = Election.from_counts(dict(zip(names, votes, strict=True)), seats=seats)
    rule = "largest-remainder" if method == "largest-remainder" else method
    result = tabulate(election, rule, **options)
    assume(not result.ties and result.seats is not None)
    assert result.seats is not None
    return [result.seats[c] for c in election.candidates]


APPORTIONMENT_NAMES = {
    "dhondt": "dhondt",
    "sainte-lague": "saintelague",
    "modified-sainte-lague": "modified_saintelague",
    "huntington-hill": "huntington",
    "adams": "adams",
    "dean": "dean",
    "largest-remainder": "largest_remainder",
}


@pytest.mark.parametrize("method", APPORTIONMENT_NAMES)
@given(votes=votes_lists, seats=houses)
def test_against_apportionment(method: str, votes: list[int], seats: int) -> None:
    """Our seats equal those of the ``apportionment`` package (Hare for largest remainder)."""
    oracle = pytest.importorskip("apportionment.methods")
    expected = no_tie(votes, seats, method)
    got = oracle.compute(APPORTIONMENT_NAMES[method], votes, seats, fractions=True, tiesallowed=True)
    assert list(got) == expected


VOTELIB_DIVISORS = {"dhondt": "d_hondt", "sainte-lague": "sainte_lague", "imperiali": "imperiali", "danish": "danish"}


@pytest.mark.parametrize("method", VOTELIB_DIVISORS)
@given(votes=votes_lists, seats=houses)
def test_against_votelib_divisors(method: str, votes: list[int], seats: int) -> None:
    """Our seats equal votelib's HighestAverages with the same divisor."""
    proportional = pytest.importorskip("votelib.evaluate.proportional")
    expected = no_tie(votes, seats, method)
    named = {f"p{i}": v for i, v in enumerate(votes)}
    got = proportional.HighestAverages(VOTELIB_DIVISORS[method]).evaluate(named, seats)
    assert [got.get(f"p{i}", 0) for i in range(len(votes))] == expected


@pytest.mark.parametrize("quota", ["hare", "droop", "hagenbach-bischoff", "imperiali"])
@given(votes=votes_lists, seats=houses)
def test_against_votelib_largest_remainder(quota: str, votes: list[int], seats: int) -> None:
    """Our largest-remainder seats equal votelib's LargestRemainder with the same quota,
    where the whole quotas do not overflow the house (votelib handles overflow its own way)."""
    proportional = pytest.importorskip("votelib.evaluate.proportional")
    from electoral.rules._apportionment._kernel import quota_of

    q = quota_of(quota, sum(votes), seats)
    whole = sum(v // q for v in votes)
    # Left out: whole quotas over the house (see above), and tiny totals where more seats are left
    # than there are lists (a Droop quota of 1 vote), which we share round the lists again.
    assume(whole <= seats <= whole + len(votes))
    expected = no_tie(votes, seats, "largest-remainder", quota=quota)
    named = {f"p{i}": v for i, v in enumerate(votes)}
    got = proportional.LargestRemainder(quota.replace("-", "_")).evaluate(named, seats)
    assert [got.get(f"p{i}", 0) for i in range(len(votes))] == expected


@given(votes=votes_lists, percent=st.integers(min_value=1, max_value=40))
def test_threshold_against_votelib(votes: list[int], percent: int) -> None:
    """The lists that reach a percentage of valid votes equal votelib's RelativeThreshold,
    except exactly at the threshold, where votelib rejects a list even with accept_equal=True
    (votelib 0.4.0: RelativeThreshold(1/20).evaluate({'a': 95, 'b': 5}) == ['a']); we accept it
    and test that boundary in test_apportionment.py."""
    threshold = pytest.importorskip("votelib.evaluate.threshold")
    from fractions import Fraction

    from electoral import Election, tabulate

    total = sum(votes)
    assume(all(v * 100 != percent * total for v in votes))
    named = {f"p{i}": v for i, v in enumerate(votes)}
    expected = set(threshold.RelativeThreshold(Fraction(percent, 100), accept_equal=True).evaluate(named))
    election = Election.from_counts(named, seats=10)
    try:
        result = tabulate(election, "dhondt", threshold=f"{percent}%")
    except CountError:  # no list reached the threshold
        assert expected == set()
        return
    assert {c.name for c in result.rounds[0].advancing} == expected
