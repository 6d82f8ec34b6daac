"""Preference models: exact sampling identities, distributions with fixed seeds and tolerant bounds, and bad input.

Tolerances are five standard deviations of the count being checked, so a
correct sampler fails with negligible probability while a wrong one (a
probability off by a few points at these sample sizes) fails for sure. The
seeds are fixed, so the tests are deterministic anyway.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import Election, generate
from electoral._model import ArrayBallots
from electoral._research._generate_arrays import decode_lehmer, merge_rows
from electoral.errors import CountError, OptionError

N = 60_000


def rankings(election: Election) -> Counter[str]:
    return Counter({str(b): b.count for b in election.ballots})


def within(observed: int, n: int, p: float) -> bool:
    """Whether ``observed`` is within five standard deviations of a Binomial(n, p) mean."""
    return abs(observed - n * p) <= 5 * math.sqrt(n * p * (1 - p)) + 1


def test_lehmer_codes_decode_to_every_permutation_once() -> None:
    """A factorial-base code is a bijection between 0..m!-1 and the permutations of m items."""
    decoded = decode_lehmer(np.arange(math.factorial(5), dtype=np.int64), 5)
    assert {tuple(r) for r in decoded.tolist()} == set(itertools.permutations(range(5)))
    assert decoded[0].tolist() == [0, 1, 2, 3, 4]  # code 0 is the identity


@given(st.lists(st.permutations(range(4)), min_size=1, max_size=40), st.data())
def test_merge_rows_sums_counts_of_identical_rows(rows: list[list[int]], data: st.DataObject) -> None:
    """Merging keeps every voter: each unique row's count is the sum of its copies' counts."""
    counts = data.draw(st.lists(st.integers(1, 1000), min_size=len(rows), max_size=len(rows)))
    unique, merged = merge_rows(np.array(rows, dtype=np.int64), np.array(counts, dtype=np.int64))
    expected: Counter[tuple[int, ...]] = Counter()
    for row, n in zip(rows, counts, strict=True):
        expected[tuple(row)] += n
    assert dict(zip(map(tuple, unique.tolist()), merged.tolist(), strict=True)) == dict(expected)


@pytest.mark.parametrize("m", [3, 9, 22])  # multinomial over all rankings, Lehmer codes, and argsort paths
def test_impartial_culture_is_uniform(m: int) -> None:
    """Under impartial culture each candidate is ranked first with probability 1/m."""
    election = generate.impartial_culture(N if m < 22 else 5_000, m, rng=np.random.default_rng(11))
    voters = sum(b.count for b in election.ballots)
    first: Counter[str] = Counter()
    for ballot in election.ballots:
        (top,) = ballot.ranking[0]
        first[top.name] += ballot.count
        assert len(ballot.ranking) == m  # complete, strict rankings
    assert all(within(first[name], voters, 1 / m) for name in election.names)


def test_impartial_culture_three_candidates_each_ranking_one_sixth() -> None:
    counts = rankings(generate.impartial_culture(N, ["A", "B", "C"], rng=np.random.default_rng(3)))
    assert len(counts) == 6
    assert all(within(n, N, 1 / 6) for n in counts.values())


def test_impartial_anonymous_culture_is_uniform_over_profiles() -> None:
    """With two candidates, IAC makes every split k : n-k of n voters equally likely (1/(n+1) each)."""
    n, samples = 10, 2_000
    rng = np.random.default_rng(5)
    splits = Counter(
        rankings(generate.impartial_anonymous_culture(n, 2, rng=rng)).get("A>B", 0) for _ in range(samples)
    )
    assert set(splits) <= set(range(n + 1))
    assert all(within(splits[k], samples, 1 / (n + 1)) for k in range(n + 1))


def test_urn_with_no_added_balls_is_impartial_culture() -> None:
    counts = rankings(generate.urn(N, 3, rng=np.random.default_rng(8), alpha=0))
    assert all(within(n, N, 1 / 6) for n in counts.values())


def test_urn_with_many_added_balls_clusters() -> None:
    """With alpha large, almost every voter copies the first voter: few kinds of ballot."""
    election = generate.urn(10_000, 8, rng=np.random.default_rng(9), alpha=1000.0)
    assert sum(b.count for b in election.ballots) == 10_000
    assert max(b.count for b in election.ballots) > 9_900


def kendall_tau(order: tuple[int, ...]) -> int:
    return sum(1 for i, j in itertools.combinations(range(len(order)), 2) if order[i] > order[j])


def test_mallows_probabilities_follow_kendall_distance() -> None:
    """P(ranking) = φ^d / Z, d its Kendall tau distance from the reference: with φ = 1/2 and three
    candidates the distances are 0, 1, 1, 2, 2, 3, so Z = 1 + 1/2 + 1/2 + 1/4 + 1/4 + 1/8 = 21/8."""
    phi = 0.5
    election = generate.mallows(N, 3, rng=np.random.default_rng(13), dispersion=phi)
    counts = rankings(election)
    z = sum(phi ** kendall_tau(p) for p in itertools.permutations(range(3)))
    assert z == 21 / 8
    for order in itertools.permutations(range(3)):
        text = ">".join("ABC"[i] for i in order)
        assert within(counts[text], N, phi ** kendall_tau(order) / z), (text, counts[text])


def test_mallows_extremes_and_reference() -> None:
    rng = np.random.default_rng(2)
    fixed = generate.mallows(500, ["X", "Y", "Z"], rng=rng, dispersion=0.0, reference=["Z", "X", "Y"])
    assert rankings(fixed) == Counter({"Z>X>Y": 500})
    uniform = rankings(generate.mallows(N, 3, rng=rng, dispersion=1.0))
    assert all(within(n, N, 1 / 6) for n in uniform.values())


def test_mallows_many_candidates_is_complete_and_near_reference() -> None:
    election = generate.mallows(2_000, 12, rng=np.random.default_rng(4), dispersion=0.3)
    top: Counter[str] = Counter()
    for ballot in election.ballots:
        assert sorted(c.name for rank in ballot.ranking for c in rank) == sorted(election.names)
        (first,) = ballot.ranking[0]
        top[first.name] += ballot.count
    # The reference's first is first unless displaced by a later insertion at slot 0, which has
    # probability at most φ/(1+φ) + φ²/(1+φ+φ²) + ... < 0.5 for φ = 0.3.
    assert top["A"] > 1_000


def test_plackett_luce_first_place_and_full_ranking_probabilities() -> None:
    """With weights 3, 2, 1: P(A first) = 3/6 and P(A>B>C) = 3/6 · 2/3 = 1/3."""
    counts = rankings(generate.plackett_luce(N, 3, rng=np.random.default_rng(21), weights=[3, 2, 1]))
    a_first = sum(n for text, n in counts.items() if text.startswith("A"))
    assert within(a_first, N, 1 / 2)
    assert within(counts["A>B>C"], N, 1 / 3)


def test_spatial_ranks_by_distance() -> None:
    """Candidates at 0, 1 and 3 on a line. A voter at 0.4 is 0.4, 0.6 and 2.6 from them (A>B>C);
    a voter at 2.5 is 2.5, 1.5 and 0.5 away (C>B>A); a voter at 1.2 is 1.2, 0.2, 1.8 away (B>A>C)."""
    election = generate.spatial(
        3,
        3,
        rng=np.random.default_rng(0),
        candidate_positions=[0.0, 1.0, 3.0],
        voter_positions=[[0.4], [2.5], [1.2]],
    )
    assert rankings(election) == Counter({"A>B>C": 1, "C>B>A": 1, "B>A>C": 1})


def is_single_peaked(order: list[int]) -> bool:
    """Single-peaked on the axis 0..m-1: every prefix of the ranking is an interval of the axis."""
    return all(max(order[:k]) - min(order[:k]) == k - 1 for k in range(1, len(order) + 1))


def test_one_dimensional_spatial_rankings_are_single_peaked() -> None:
    election = generate.spatial(
        5_000, 5, rng=np.random.default_rng(1), dimensions=1, candidate_positions=[-2, -1, 0, 1, 2]
    )
    index = {name: i for i, name in enumerate(election.names)}
    for ballot in election.ballots:
        assert is_single_peaked([index[next(iter(rank)).name] for rank in ballot.ranking])


def test_single_peaked_walsh_is_uniform_over_single_peaked_rankings() -> None:
    """There are 2^(m-1) single-peaked rankings on an axis of m; Walsh's sampler gives each 1/2^(m-1)."""
    election = generate.single_peaked(N, 4, rng=np.random.default_rng(17))
    counts = rankings(election)
    assert len(counts) == 8
    for text, n in counts.items():
        assert is_single_peaked(["ABCD".index(x) for x in text.split(">")])
        assert within(n, N, 1 / 8)


def test_single_peaked_conitzer_has_a_uniform_peak() -> None:
    election = generate.single_peaked(N, 5, rng=np.random.default_rng(19), method="conitzer")
    peaks: Counter[str] = Counter()
    for ballot in election.ballots:
        order = ["ABCDE".index(next(iter(rank)).name) for rank in ballot.ranking]
        assert is_single_peaked(order)
        peaks["ABCDE"[order[0]]] += ballot.count
    assert all(within(peaks[c], N, 1 / 5) for c in "ABCDE")


@pytest.mark.parametrize("name", sorted(generate.MODELS))
def test_every_model_is_seeded_and_keeps_every_voter(name: str) -> None:
    options = {"urn": {"alpha": 0.5}, "mallows": {"dispersion": 0.6}, "plackett-luce": {"weights": [1, 2, 3, 4]}}
    model = generate.MODELS[name]
    first = model(1_000, 4, rng=np.random.default_rng(42), **options.get(name, {}))
    again = model(1_000, 4, rng=np.random.default_rng(42), **options.get(name, {}))
    assert rankings(first) == rankings(again)
    assert sum(b.count for b in first.ballots) == 1_000
    assert first.names == ("A", "B", "C", "D")


def test_a_million_voters_are_aggregated() -> None:
    election = generate.impartial_culture(10**6, 5, rng=np.random.default_rng(0))
    assert len(election.ballots) == 120
    assert sum(b.count for b in election.ballots) == 10**6


def test_generated_elections_hold_array_ballots() -> None:
    election = generate.impartial_culture(1000, 4, rng=np.random.default_rng(0))
    assert isinstance(election.ballots, ArrayBallots)  # no Ballot object per ranking
    assert election.cast == 1000


def test_many_candidates_get_numbered_names() -> None:
    election = generate.impartial_culture(10, 27, rng=np.random.default_rng(0))
    assert election.names[0] == "C1"
    assert election.names[-1] == "C27"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: generate.impartial_culture(10, 3, rng=np.random.RandomState(0)), OptionError, "Generator"),
        (lambda: generate.impartial_culture(-1, 3, rng=np.random.default_rng()), CountError, "-1"),
        (lambda: generate.impartial_culture(10, 0, rng=np.random.default_rng()), CountError, "0"),
        (lambda: generate.impartial_culture(10, "ABC", rng=np.random.default_rng()), OptionError, "'ABC'"),
        (lambda: generate.mallows(10, 3, rng=np.random.default_rng(), dispersion=1.5), OptionError, "1.5"),
        (
            lambda: generate.mallows(10, 3, rng=np.random.default_rng(), dispersion=0.5, reference=["A", "B"]),
            OptionError,
            "['A', 'B']",
        ),
        (lambda: generate.urn(10, 3, rng=np.random.default_rng(), alpha=-1), OptionError, "-1"),
        (
            lambda: generate.plackett_luce(10, 3, rng=np.random.default_rng(), weights=[1, 0, 2]),
            OptionError,
            "[1, 0, 2]",
        ),
        (
            lambda: generate.spatial(2, 3, rng=np.random.default_rng(), voter_positions=[[0.0, 1.0]]),
            OptionError,
            "voter_positions",
        ),
        (lambda: generate.single_peaked(10, 3, rng=np.random.default_rng(), method="random"), OptionError, "'random'"),
    ],
)
def test_bad_parameters_are_named(call: object, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=re.escape(words)):
        call()  # type: ignore[operator]
