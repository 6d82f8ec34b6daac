"""The array constructor, the pairwise matrix, and the Condorcet rules' properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, tabulate
from electoral._profile import profile_of
from electoral.errors import BallotError, CountError, OptionError, UnknownCandidateError
from electoral.testing.strategies import elections

CONDORCET_METHODS = [
    "copeland",
    "llull",
    "minimax",
    "schulze",
    "ranked-pairs",
    "split-cycle",
    "kemeny-young",
    "black",
    "baldwin",
    "nanson",
    "smith-set",
    "schwartz-set",
    "condorcet",
]
SMITH_METHODS = ["schulze", "ranked-pairs", "split-cycle"]
NAMES = ["A", "B", "C", "D", "E"]


def winners(election: Election, rule: str, **options: object) -> set[str]:
    return {c.name for c in tabulate(election, rule, tie_break="all", **options).winners}


@st.composite
def rankings_arrays(draw: st.DrawFn, max_candidates: int = 5) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(st.integers(1, max_candidates))
    rows = draw(st.lists(st.permutations(range(n)), min_size=1, max_size=10))
    depth = draw(st.integers(1, n))
    array = np.full((len(rows), n), -1, dtype=np.int64)
    for i, row in enumerate(rows):
        keep = draw(st.integers(1, depth))
        array[i, :keep] = row[:keep]
    counts = np.array(draw(st.lists(st.integers(1, 5), min_size=len(rows), max_size=len(rows))))
    return array, counts, n


# -- Election.from_array ------------------------------------------------------------------


@given(rankings_arrays())
def test_from_array_matches_from_ballots(data: tuple[np.ndarray, np.ndarray, int]) -> None:
    """An array-built election holds the same merged ballots, profile and pairwise matrix as one built from Ballots."""
    array, counts, n = data
    people = [Candidate(x) for x in NAMES[:n]]
    fast = Election.from_array(array, candidates=people, counts=counts)
    slow = Election(
        people,
        [Ballot([{people[c]} for c in row if c >= 0], count=int(k)) for row, k in zip(array, counts, strict=True)],
    )
    assert sorted((str(b), b.count) for b in fast.ballots) == sorted((str(b), b.count) for b in slow.ballots)
    assert fast.cast == slow.cast
    for convention in ("below", "ignore"):
        assert np.array_equal(fast.pairwise(unranked=convention).support, slow.pairwise(unranked=convention).support)
    for rule in ("borda", "schulze", "coombs", "bucklin"):
        assert winners(fast, rule) == winners(slow, rule)


def test_from_array_merges_rows_and_keeps_the_profile() -> None:
    e = Election.from_array(np.array([[1, 0], [0, 1], [1, 0]]), candidates=["A", "B"], counts=[2, 1, 3])
    assert len(e.ballots) == 2
    assert sorted((str(b), b.count) for b in e.ballots) == [("A>B", 1), ("B>A", 5)]
    assert profile_of(e).ranks is e.ballots.rows  # the profile takes the rows as they are


@pytest.mark.parametrize(
    ("rows", "counts", "error", "words"),
    [
        ([[0, 3]], None, BallotError, "row 0, rank 2: 3 is not a candidate index"),
        ([[0, 1], [2, -7]], None, BallotError, "row 1, rank 2: -7"),
        ([[0, 1], [1, 1]], None, BallotError, "row 1 ranks candidate index 1 more than once"),
        ([[0.5, 1]], None, BallotError, "integer candidate indices"),
        ([0, 1], None, BallotError, "2-d array"),
        ([[0, 1]], [1, 2], CountError, "one entry per row"),
        ([[0, 1], [1, 0]], [1, -2], CountError, "row 1: count -2 is negative"),
    ],
)
def test_from_array_names_the_bad_value(rows: object, counts: object, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        Election.from_array(np.array(rows), candidates=["A", "B", "C"], counts=counts)


# -- the pairwise matrix -----------------------------------------------------------------------


def test_pairwise_conventions_worked_example() -> None:
    # One ballot A>B among A, B, C, D, and one B=C>A:
    #  below:  A>B: 1 (first ballot); A>C, A>D, B>C, B>D: 1 each from the first;
    #          second: B>A, C>A, B>D, C>D (D unranked), A>D; B and C tie.
    #  ignore: first: A>B only; second: B>A, C>A (D unranked counts nowhere).
    e = Election.from_rankings({"A>B": 1, "B=C>A": 1}, candidates=["A", "B", "C", "D"])
    below = e.pairwise()
    assert below["A", "B"] == 1
    assert below["B", "A"] == 1
    assert below["A", "C"] == 1
    assert below["C", "A"] == 1
    assert below["B", "D"] == 2
    assert below["C", "D"] == 1
    assert below["A", "D"] == 2
    assert below["B", "C"] == 1
    assert below["C", "B"] == 0
    ignore = e.pairwise(unranked="ignore")
    assert ignore.support.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    assert e.pairwise() is below  # cached per election and convention


def test_pairwise_display_and_errors() -> None:
    e = Election.from_rankings({"A>B": 2, "B>A": 1})
    matrix = e.pairwise()
    assert "Condorcet winner: A" in str(matrix)
    bundle = matrix._repr_mimebundle_()
    assert "<table" in bundle["text/html"]
    assert "text/plain" in bundle
    assert matrix.to_dict()["support"] == {"A": {"B": 2}, "B": {"A": 1}}
    assert matrix.margin("A", "B") == 1
    with pytest.raises(UnknownCandidateError, match="'Z' is not a candidate"):
        matrix["A", "Z"]
    with pytest.raises(OptionError, match="unranked='sideways'"):
        e.pairwise(unranked="sideways")


@given(elections(max_candidates=5, equal_ranks=True, skipped_ranks=True))
def test_support_counts_each_voter_once_per_pair(election: Election) -> None:
    """Under either convention, support[a, b] + support[b, a] never exceeds the voters who rank a candidate."""
    for convention in ("below", "ignore"):
        matrix = election.pairwise(unranked=convention)
        total = matrix.support + matrix.support.T
        assert (total <= matrix.voters).all()


# -- properties of the Condorcet methods -------------------------------------------------------

RANKED = elections(min_candidates=2, max_candidates=5, max_ballots=10, extra_counts=False)


@pytest.mark.parametrize("rule", CONDORCET_METHODS)
@settings(max_examples=30)
@given(election=RANKED)
def test_condorcet_consistency(rule: str, election: Election) -> None:
    """Condorcet criterion: "if a candidate beats every other candidate in pairwise majority
    comparisons, that candidate is the unique winner" (Condorcet, Essai, 1785)."""
    winner = election.pairwise().condorcet_winner()
    if winner is not None:
        assert winners(election, rule) == {winner.name}


@pytest.mark.parametrize("rule", [*CONDORCET_METHODS[:-1], "coombs", "bucklin"])
@settings(max_examples=30)
@given(election=RANKED)
def test_condorcet_loser_never_wins(rule: str, election: Election) -> None:
    """Condorcet loser criterion: "a candidate who loses to every other candidate in pairwise
    comparisons is never elected" — checked for the methods that guarantee it."""
    if rule == "bucklin":
        return  # Bucklin does not guarantee it; kept to show the exclusion is deliberate
    loser = election.pairwise().condorcet_loser()
    if loser is not None and len(election.candidates) > 1:
        assert loser.name not in winners(election, rule)


@pytest.mark.parametrize("rule", SMITH_METHODS)
@settings(max_examples=40)
@given(election=RANKED)
def test_smith_criterion(rule: str, election: Election) -> None:
    """Smith criterion: "the winner always belongs to the Smith set, the smallest non-empty set of
    candidates each of whom beats every candidate outside it" (Smith, Econometrica 41, 1973)."""
    smith = {c.name for c in election.pairwise().smith_set()}
    assert winners(election, rule) <= smith


@settings(max_examples=40)
@given(election=RANKED)
def test_schwartz_within_smith(election: Election) -> None:
    """The Schwartz set is a non-empty subset of the Smith set (Schwartz, 1986)."""
    schwartz = winners(election, "schwartz-set")
    assert schwartz
    assert schwartz <= winners(election, "smith-set")


@pytest.mark.parametrize("rule", [*SMITH_METHODS, "copeland", "minimax", "kemeny-young"])
@settings(max_examples=30)
@given(election=RANKED)
def test_pareto(rule: str, election: Election) -> None:
    """Pareto efficiency: "if every voter prefers a to b, then b does not win" (for complete rankings)."""
    people = election.candidates
    if not election.ballots or any(len(b.ranking) < len(people) - 1 for b in election.ballots):
        return
    matrix = election.pairwise()
    everyone = sum(b.count for b in election.ballots)
    dominated = {
        people[b].name for a in range(len(people)) for b in range(len(people)) if matrix.support[a, b] == everyone
    }
    assert not winners(election, rule) & dominated


@st.composite
def cloned(draw: st.DrawFn) -> tuple[Election, Election, str]:
    """An election over A..D with complete rankings, and the same with D cloned into D and D'.

    The clones are adjacent on every ballot (that is what makes them clones), in an order drawn per ballot.
    """
    base = draw(elections(min_candidates=3, max_candidates=4, max_ballots=8, extra_counts=False))
    people = base.candidates
    target = people[-1]
    twin = Candidate(target.name + "'")
    ballots_before, ballots_after = [], []
    for ballot in base.ballots:
        order = [next(iter(rank)) for rank in ballot.ranking]
        order += [c for c in people if c not in order]  # complete the ranking
        ballots_before.append(Ballot([{c} for c in order], count=ballot.count))
        swap = draw(st.booleans())
        with_clone: list[Candidate] = []
        for c in order:
            with_clone.extend(([twin, c] if swap else [c, twin]) if c == target else [c])
        ballots_after.append(Ballot([{c} for c in with_clone], count=ballot.count))
    return Election(people, ballots_before), Election((*people, twin), ballots_after), target.name


@pytest.mark.parametrize("rule", ["schulze", "ranked-pairs"])
@settings(max_examples=40)
@given(data=cloned())
def test_independence_of_clones(rule: str, data: tuple[Election, Election, str]) -> None:
    """Independence of clones (Tideman 1987): "adding a clone of a candidate does not change which
    non-clone wins, and a clone set wins exactly when the cloned candidate won"."""
    before, after, target = data
    won_before = winners(before, rule)
    won_after = winners(after, rule)
    clones = {target, target + "'"}
    assert won_before - {target} == won_after - clones
    assert (target in won_before) == bool(won_after & clones)


def test_kemeny_limit_is_explained() -> None:
    people = [f"c{i}" for i in range(13)]
    e = Election.from_array(np.array([list(range(13))]), candidates=people)
    with pytest.raises(OptionError, match=r"limited to 12 candidates \(finding a Kemeny ranking is NP-hard\)"):
        tabulate(e, "kemeny-young")


def test_condorcet_has_no_winner_in_a_cycle() -> None:
    # A>B>C, B>C>A, C>A>B once each: every pair is won 2 to 1 around the cycle.
    e = Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1})
    result = tabulate(e, "condorcet")
    assert result.winners == ()
    assert result.status == "decided"
    assert winners(e, "schulze") == {"A", "B", "C"}


def test_schulze_textbook_example() -> None:
    # Schulze (2011), section 3.1, example 1: 45 voters, winner E.
    e = Election.from_rankings(
        {
            "A>C>B>E>D": 5,
            "A>D>E>C>B": 5,
            "B>E>D>A>C": 8,
            "C>A>B>E>D": 3,
            "C>A>E>B>D": 7,
            "C>B>A>D>E": 2,
            "D>C>E>B>A": 7,
            "E>B>A>D>C": 8,
        }
    )
    assert winners(e, "schulze", strength="winning-votes") == {"E"}
    assert winners(e, "schulze") == {"E"}


def test_ranked_pairs_tie_order_goes_through_the_resolver() -> None:
    # A 3-cycle with equal margins: which majority is dropped depends on the order of equal pairs.
    e = Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1})
    assert tabulate(e, "ranked-pairs").status == "tied"
    # Tie-break ranking B, A, C orders the pairs by their winners: B>C, A>B, then C>A, which would
    # close the cycle and is skipped; A is beaten by no locked pair.
    assert tabulate(e, "ranked-pairs", tie_break=["B", "A", "C"]).winner.name == "A"
    # C, B, A: C>A, B>C locked, A>B skipped; B wins.
    assert tabulate(e, "ranked-pairs", tie_break=["C", "B", "A"]).winner.name == "B"
    assert winners(e, "ranked-pairs") == {"A", "B", "C"}


def test_elections_derived_from_an_array_rebuild_their_profile_from_the_rows() -> None:
    e = Election.from_array(np.array([[0, 1, 2], [2, 1, 0], [0, 1, 2]]), candidates=["A", "B", "C"])
    renamed = e.with_seats(1)
    assert np.array_equal(renamed.pairwise().support, e.pairwise().support)
    assert profile_of(renamed).ranks is e.ballots.rows


def test_an_array_built_election_with_other_candidates_reindexes_its_rows() -> None:
    rows = np.array([[0, 1, 2], [2, 1, 0], [0, 1, 2], [1, -1, -1]])
    e = Election.from_array(rows, candidates=["A", "B", "C"])
    for order in (["C", "A", "B"], ["B", "C", "A", "D"]):
        moved = e.with_candidates(order)
        plain = Election.from_rankings({str(b): b.count for b in e.ballots}, candidates=order)
        assert sorted((str(b), b.count) for b in moved.ballots) == sorted((str(b), b.count) for b in plain.ballots)
        assert moved.cast == plain.cast
        for rule in ("plurality", "borda", "instant-runoff", "schulze"):
            assert winners(moved, rule) == winners(plain, rule)
    with pytest.raises(UnknownCandidateError, match="ballots mark 'C', not among the new candidates"):
        e.with_candidates(["A", "B"])


@settings(max_examples=200, deadline=None)
@given(
    n=st.sampled_from([1, 2, 3, 7, 10, 14, 15, 20, 31, 40, 70]),
    shape=st.tuples(st.integers(1, 60), st.integers(0, 12)),
    seed=st.integers(0, 2**32 - 1),
    ones=st.booleans(),
)
def test_unique_rows_equals_numpy_unique_over_rows(n: int, shape: tuple[int, int], seed: int, ones: bool) -> None:
    # one key word (narrow), several words (wide: 70 candidates over 12 ranks), the direct-count path (small)
    from electoral._model._array import unique_rows

    rng = np.random.default_rng(seed)
    rows = rng.integers(-1, n, size=shape).astype(np.int32)
    rows = np.concatenate([rows, rows[: shape[0] // 2]])  # repeats to merge
    counts = np.ones(len(rows), dtype=np.int64) if ones else rng.integers(1, 10**15, len(rows))
    unique, merged = unique_rows(rows, counts, n)
    expected, inverse = np.unique(rows, axis=0, return_inverse=True)
    sums = [0] * len(expected)
    for group, count in zip(inverse.reshape(-1).tolist(), counts.tolist(), strict=True):
        sums[group] += count
    assert unique.dtype == np.int32
    assert np.array_equal(unique, expected.reshape(len(expected), rows.shape[1]))
    assert merged.tolist() == sums


def test_complete_rankings_take_the_permutation_check_and_repeats_are_still_refused() -> None:
    rows = np.array([[0, 1, 2], [2, 0, 1], [1, 1, 0]])
    with pytest.raises(BallotError, match="row 2 ranks candidate index 1 more than once"):
        Election.from_array(rows, candidates=["A", "B", "C"])
    e = Election.from_array(rows[:2], candidates=["A", "B", "C"])
    assert e.ballots.marked.all()
