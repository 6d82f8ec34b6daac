"""The one counting kernel: one builder, the views derived from it, and its fast paths against plain loops."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, tabulate
from electoral._profile import Profile, positions_of, profile_of, ranked_ballots
from electoral._profile._pairwise import UNRANKED, strict_support_matrix, support_matrix
from electoral._research import _axioms_pairwise
from electoral.errors import MarkError

NAMES = ("A", "B", "C", "D", "E")
CANDIDATES = tuple(Candidate(n) for n in NAMES)

ranks_strategy = st.lists(
    st.lists(st.sets(st.sampled_from(CANDIDATES), max_size=2), max_size=5).map(tuple), min_size=1, max_size=12
)


def _ballots(rankings: list[tuple[set[Candidate], ...]], counts: list[int]) -> list[Ballot]:
    return [Ballot(list(r), count=c) for r, c in zip(rankings, counts, strict=True)]


def _positions_by_hand(ballot: Ballot) -> list[int]:
    """Each candidate's earliest rank on ``ballot`` (UNRANKED if unmarked), read from the Ballot object."""
    out = [UNRANKED] * len(CANDIDATES)
    for column, rank in enumerate(ballot.ranking):
        for candidate in rank:
            i = CANDIDATES.index(candidate)
            out[i] = min(out[i], column)
    return out


def _support_by_hand(election: Election, unranked: str) -> list[list[int]]:
    support = [[0] * len(CANDIDATES) for _ in CANDIDATES]
    for ballot in election.ballots:
        if ballot.scores is not None:
            continue
        where = _positions_by_hand(ballot)
        for a in range(len(CANDIDATES)):
            for b in range(len(CANDIDATES)):
                if unranked == "ignore" and UNRANKED in (where[a], where[b]):
                    continue
                if where[a] < where[b]:
                    support[a][b] += ballot.count
    return support


@settings(max_examples=150, deadline=None)
@given(rankings=ranks_strategy, seed=st.integers(0, 2**32 - 1))
def test_positions_and_support_equal_a_ballot_by_ballot_reading(
    rankings: list[tuple[set[Candidate], ...]], seed: int
) -> None:
    """Shared ranks, repeated candidates and skipped ranks: the kernel's positions and matrix, read by hand."""
    counts = np.random.default_rng(seed).integers(1, 50, len(rankings)).tolist()
    election = Election(CANDIDATES, _ballots(rankings, counts))
    positions = positions_of(election)
    assert positions.tolist() == [_positions_by_hand(b) for b in election.ballots]
    for unranked in ("below", "ignore"):
        assert election.pairwise(unranked=unranked).support.tolist() == _support_by_hand(election, unranked)
    # the axioms read the kernel's positions, unranked one past the deepest rank
    counts_out, research = _axioms_pairwise.positions(election)
    depth = profile_of(election).ranks.shape[1]
    assert counts_out.tolist() == [b.count for b in election.ballots]
    assert research.tolist() == [[depth if p == UNRANKED else p for p in row] for row in positions.tolist()]


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(1, 9),
    shape=st.tuples(st.integers(1, 80), st.integers(0, 9)),
    seed=st.integers(0, 2**32 - 1),
    empty=st.floats(0, 0.5),
)
def test_the_one_pass_support_matrix_equals_the_pair_by_pair_one(
    n: int, shape: tuple[int, int], seed: int, empty: float
) -> None:
    """Array-built (strict) profiles with empty ranks: the bincount over sets below equals the loop over pairs."""
    rng = np.random.default_rng(seed)
    width = min(shape[1], n)
    rows = np.array([rng.permutation(n)[:width] for _ in range(shape[0])], dtype=np.int64).reshape(shape[0], width)
    rows[rng.random(rows.shape) < empty] = -1
    election = Election.from_array(
        rows, candidates=[f"c{i}" for i in range(n)], counts=rng.integers(1, 10**6, len(rows))
    )
    profile = profile_of(election)
    assert profile.strict
    for unranked in ("below", "ignore"):
        fast = strict_support_matrix(profile, unranked)
        slow = support_matrix(positions_of(election), profile.counts, unranked)
        assert fast.tolist() == slow.tolist()


def test_ranked_ballots_are_a_view_of_the_profile_derived_once() -> None:
    e = Election.from_rankings({"A>B": 3, "B=C>A": 2, "C": 1})
    profile, ranked = profile_of(e), ranked_ballots(e)
    assert ranked is ranked_ballots(e)
    assert ranked.ranks is profile.ranks
    assert ranked.counts is profile.counts
    assert ranked.multi_rows is profile.multi_rows
    assert len(profile.multi_rows) == 2
    assert not profile.strict


def test_score_ballots_are_counted_as_left_out_and_refused_by_ranked_counts() -> None:
    a, b = Candidate("A"), Candidate("B")
    e = Election([a, b], [Ballot([{a}, {b}], count=4), Ballot(scores={a: 1, b: 5}, count=3)])
    profile = profile_of(e)
    assert profile.counts.tolist() == [4]
    assert profile.scored == 3
    assert "A:1" in profile.scored_example
    with pytest.raises(MarkError, match="read rankings, but ballot 'A:1,B:5' carries scores"):
        ranked_ballots(e)
    for rule in ("instant-runoff", "borda", "copeland", "stv"):
        with pytest.raises(MarkError, match="carries scores"):
            tabulate(e, rule)


def test_strict_is_false_for_a_candidate_marked_twice() -> None:
    a, b = Candidate("A"), Candidate("B")
    e = Election([a, b], [Ballot([{a}, {b}, {a}])])
    assert not profile_of(e).strict
    assert positions_of(e).tolist() == [[0, 1]]


@given(st.lists(st.tuples(st.integers(-9, 4), st.integers(1, 2**61)), min_size=1, max_size=20))
def test_profile_sums_are_exact_on_either_side_of_float_precision(pairs: list[tuple[int, int]]) -> None:
    labels = np.array([p[0] for p in pairs], dtype=np.int64)
    counts = [p[1] for p in pairs]
    if sum(counts) >= 2**62:
        return
    # a profile of one unique ballot per pair: the float path below 2**53 voters, the integer one above
    profile = Profile(
        counts=np.array(counts, dtype=np.int64), ranks=np.zeros((len(pairs), 1), np.int32), n_candidates=5
    )
    expected = [0] * 5
    for label, count in pairs:
        if label >= 0:
            expected[label] += count
    assert profile.sum_by(labels, 5).tolist() == expected


def test_first_preferences_skip_leading_empty_ranks() -> None:
    rows = np.array([[-1, 2, 0], [1, -1, -1], [-1, -1, 0], [-1, -1, -1]])
    e = Election.from_array(rows, candidates=["A", "B", "C"], counts=[1, 2, 3, 4])
    profile = profile_of(e)
    by_row = dict(zip(map(tuple, profile.ranks.tolist()), profile.first_preferences().tolist(), strict=True))
    assert by_row == {(-1, 2, 0): 2, (1, -1, -1): 1, (-1, -1, 0): 0, (-1, -1, -1): -1}
    assert profile.ranked_voters() == 6
