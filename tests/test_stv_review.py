"""A hostile review of the statutory STV presets: accounting, huge counts, ties, edge cases, time.

No figure here is a published count: the accounting property checks only
that every ballot is accounted for (the candidates' votes plus the figures
set aside make the same total in every round, the ballots cast); the huge
counts check that a count is exact or refused with an ElectoralError; the
ties check that a tie with no seed is left open, never decided.
"""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings

from electoral import Ballot, Candidate, Election
from electoral.errors import CountError, ElectoralError
from electoral.rules import Stv
from electoral.testing.strategies import elections

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
# the scotland-2011 and cambridge-ma counts, a known limit (docs/design.md), so they are left out here
BOUNDED = [p for p in PRESETS if p not in ("scotland-2011", "cambridge-ma")]


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


def _cast(election: Election) -> int:
    return sum(b.count for b in election.ballots) + election.blank + election.invalid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(min_candidates=1, max_candidates=6, max_ballots=15, seats=None, skipped_ranks=True, equal_ranks=True))
def test_every_ballot_is_accounted_for_in_every_round(election: Election) -> None:
    # as each engine's arithmetic defines it: the candidates' votes (kept in hundredths, in 10**-9,
    # in five decimals or in whole papers) plus what is set aside (exhausted, lost by fraction,
    # residual surplus, non-transferable, blank and invalid) make the ballots cast, in every round
    cast = _cast(election)
    for preset in PRESETS:
        try:
            result = _rule(preset).tabulate(election)
        except ElectoralError:
            continue  # refused with a clear error (e.g. more seats than candidates)
        for row in result.rounds:
            held = sum(row.tally.values(), Fraction(0))
            assert held + sum(row.set_aside.values(), Fraction(0)) == cast, (preset, row.number)
            assert row.ballots == cast, (preset, row.number)
        if result.status == "decided":
            assert len(result.winners) == election.seats, preset
        for tie in result.ties:  # no seed: a tie is never settled by lot
            assert "drawn by lot" not in tie.detail, (preset, tie)
        if not result.ties:
            assert result.status == "decided", preset


TIES = {
    # the two candidates level with 3 each, one seat: only a lot can separate them
    "level": (_rankings({"A": 3, "B": 3}, seats=1), 1),
    # B and C level lowest at 3 from the start, two seats
    "lowest": (_rankings({"A": 5, "B": 3, "C": 3, "D": 1}, seats=2), 2),
    # A and B with equal surpluses: which goes first
    "surplus": (_rankings({"A>C": 6, "B>D": 6, "C": 2, "D": 2, "E": 1}, seats=3), 3),
}


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("case", sorted(TIES))
def test_a_tie_with_no_seed_is_left_open_and_with_a_seed_decided(preset: str, case: str) -> None:
    election, seats = TIES[case]
    open_ = _rule(preset).tabulate(election)
    assert open_.ties
    if open_.status == "decided":  # the tie did not matter to who is elected: then it was not drawn
        assert all("drawn by lot" not in t.detail for t in open_.ties)
    else:
        assert open_.status == "tied"
        assert len(open_.winners) < seats
    first, second = (_rule(preset, seed=11).tabulate(election) for _ in range(2))
    assert first.status == "decided"
    assert len(first.winners) == seats
    assert first.winners == second.winners
    assert [(t.decision, t.chosen) for t in first.ties] == [(t.decision, t.chosen) for t in second.ties]


_DETERMINISM = """
from electoral import Election
from electoral.rules import Stv
e = Election.from_rankings({"A>C>E": 6, "B>D>F": 6, "C>B": 2, "D>A": 2, "E>F": 2, "F>E": 2, "G": 1, "H": 1}, seats=3)
for p in %r:
    options = {"minimum_vote_threshold": 0} if p == "cambridge-ma" else {}
    r = Stv.preset(p, seed=5, **options).tabulate(e)
    print(p, [c.name for c in r.winners], [(t.decision, [c.name for c in t.chosen]) for t in r.ties])
    print([sorted((c.name, str(v)) for c, v in row.tally.items()) for row in r.rounds])
"""


def test_the_same_seed_gives_the_same_count_under_any_hash_seed() -> None:
    import os
    import subprocess
    import sys

    outputs = set()
    for hash_seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _DETERMINISM % (PRESETS,)], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert len(next(iter(outputs)).splitlines()) == 2 * len(PRESETS)


@pytest.mark.parametrize(
    "preset",
    [
        "scotland",
        "scotland-2011",
        "ireland-dail",
        "ers97",
        "australia-senate",
        "hare-clark",
        "hare-clark-act",
        "new-zealand-meek",
    ],
)
def test_a_candidate_elected_before_a_tie_left_open_stays_among_the_winners(preset: str) -> None:
    # A reaches the quota in round 1; B, C and D then tie at 0 for the last seat, and no seed is given
    a = Candidate("A")
    election = Election(["A", "B", "C", "D"], [Ballot([{a}], count=5)], seats=2)
    result = Stv.preset(preset).tabulate(election)
    assert result.status == "tied"
    assert result.rounds[0].elected == (a,)
    assert result.winners == (a,)
