"""The one tie engine: top_with_cut against brute force, RCTab's modes as TieBreak policies, the deprecated names."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import electoral._ties as ties
import electoral._ties._ranked as ranked_module
from electoral import Election, TieBreak, tabulate
from electoral._ties import TieResolver, to_ranked_tie_break, to_tie_break, top_with_cut
from electoral._ties._lots import JavaRandom, java_hash_set_order, java_shuffle
from electoral.errors import OptionError
from electoral.rules import InstantRunoff, Plurality

# -- top_with_cut against brute force ---------------------------------------------------------

scores_strategy = st.one_of(
    st.integers(min_value=-3, max_value=3),
    st.fractions(min_value=-2, max_value=2, max_denominator=3),
)


def brute_force(score: dict[str, int | Fraction], pool: list[str], k: int) -> tuple[set[str], set[str]]:
    """Every set of k of the pool that no outsider beats: those in all of them are sure, the rest tied."""
    k = min(max(k, 0), len(pool))
    valid = [
        set(chosen)
        for chosen in itertools.combinations(pool, k)
        if all(score[inside] >= score[outside] for inside in chosen for outside in pool if outside not in chosen)
    ]
    sure = set.intersection(*valid) if valid else set()
    return sure, set.union(*valid) - sure if valid else set()


@given(
    st.lists(scores_strategy, min_size=0, max_size=7),
    st.integers(min_value=-1, max_value=8),
    st.booleans(),
)
def test_top_with_cut_matches_brute_force(values: list[int | Fraction], k: int, lowest: bool) -> None:
    pool = [f"c{i}" for i in range(len(values))]
    score = {c: (-v if lowest else v) for c, v in zip(pool, values, strict=True)}  # brute force: higher is better
    given_scores = dict(zip(pool, values, strict=True))
    cut = top_with_cut(given_scores, k, lowest=lowest)
    sure, tied = brute_force(score, pool, k)
    assert set(cut.sure) == sure
    assert len(cut.sure) == len(sure)
    if tied:
        assert cut.is_tie
        # the tied group is everyone level at the cut, so it holds the tied of brute force and nobody sure
        assert set(cut.tied) == tied
        assert cut.places == min(max(k, 0), len(pool)) - len(sure)
        assert 0 < cut.places < len(cut.tied)
        assert list(cut.tied) == [c for c in pool if c in tied]  # in the pool's order
    else:
        assert not cut.is_tie
        assert cut.tied == ()
        assert cut.places == 0
    # sure ones come best first, candidates level on score in the pool's order
    keys = [(-score[c], pool.index(c)) for c in cut.sure]
    assert keys == sorted(keys)


@given(st.lists(scores_strategy, min_size=1, max_size=6), st.integers(min_value=1, max_value=6), st.data())
def test_top_with_cut_takes_a_function_and_a_pool(values: list[int | Fraction], k: int, data: st.DataObject) -> None:
    pool = list(range(len(values)))
    among = data.draw(st.lists(st.sampled_from(pool), unique=True))
    by_function = top_with_cut(values.__getitem__, k, among=among)
    by_mapping = top_with_cut(dict(enumerate(values)), k, among=among)
    assert by_function == by_mapping
    assert set(by_function.sure) | set(by_function.tied) <= set(among)


def test_top_with_cut_scores_a_missing_key_as_zero_and_compares_exactly() -> None:
    # 1/3 and 0.333... would be equal as floats only by accident; exact values never are
    cut = top_with_cut({"A": Fraction(1, 3), "B": Fraction(333, 1000)}, 1, among=["A", "B", "C"])
    assert (cut.sure, cut.tied) == (("A",), ())
    cut = top_with_cut({"A": 2, "B": Fraction(4, 2)}, 1, among=["C", "A", "B"])
    assert (cut.sure, cut.tied, cut.places) == ((), ("A", "B"), 1)
    assert top_with_cut({"A": 0}, 1, among=["A", "Z"]) == top_with_cut({"A": 0, "Z": 0}, 1)


# -- RCTab's modes are TieBreak policies --------------------------------------------------------

# Round 1: B, C and D tie for last (2 each).
LAST_THREE = Election.from_rankings({"A": 5, "B": 2, "C": 2, "D": 2})
# Round 1: A 10, B 5, C 4, D 1; D's ballot goes to C, so B and C tie at 5 in round 2, and round 1 separates them.
SEPARATED = Election.from_rankings({"A": 10, "B": 5, "C": 4, "D>C": 1})


@pytest.mark.parametrize("policy", ["rctab-random", "rctab-permutation", "previous-rounds+rctab-random"])
def test_rctab_modes_are_tie_break_policies_that_need_a_seed(policy: str) -> None:
    tie_break = TieBreak(policy)  # type: ignore[arg-type]
    assert tie_break.rctab
    assert tie_break.needs_seed
    assert str(tie_break) == policy
    assert to_ranked_tie_break(policy) == tie_break
    assert to_ranked_tie_break(tie_break.to_data()) == tie_break
    with pytest.raises(OptionError, match="seed"):
        InstantRunoff(tie_break=tie_break)
    by_object = InstantRunoff(tie_break=tie_break, seed=11).tabulate(LAST_THREE)
    by_name = InstantRunoff(tie_break=policy, seed=11).tabulate(LAST_THREE)
    assert by_object.to_dict() == by_name.to_dict()


def test_candidate_order_needs_no_seed_and_spares_the_first_listed() -> None:
    tie_break = TieBreak("candidate-order")
    assert tie_break.rctab
    assert not tie_break.needs_seed
    result = InstantRunoff(tie_break=tie_break).tabulate(LAST_THREE)
    first = result.ties[0]
    assert [c.name for c in first.candidates] == ["B", "C", "D"]
    assert [c.name for c in first.chosen] == ["D"]  # eliminated: the last listed
    assert first.policy == "candidate-order"
    assert first.detail == "D by candidate order"


@pytest.mark.parametrize("seed", [1, 7, 2024, -5, 2**62])
def test_rctab_random_picks_by_java_random_over_the_sorted_names(seed: int) -> None:
    result = InstantRunoff(tie_break=TieBreak("rctab-random"), seed=seed).tabulate(LAST_THREE)
    first = result.ties[0]
    index = math.floor(JavaRandom(seed).next_double() * 3)
    expected = ["B", "C", "D"][index]
    assert [c.name for c in first.chosen] == [expected]
    assert first.detail == f"{expected} drawn by java.util.Random (index {index} of B, C, D)"
    assert result.rounds[0].eliminated == first.chosen


@pytest.mark.parametrize("seed", [3, 99, 123456789])
def test_rctab_permutation_eliminates_the_last_of_the_drawn_permutation(seed: int) -> None:
    result = InstantRunoff(tie_break=TieBreak("rctab-permutation"), seed=seed).tabulate(LAST_THREE)
    permutation = java_shuffle(["A", "B", "C", "D"], JavaRandom(seed))
    expected = [name for name in permutation if name in {"B", "C", "D"}][-1]
    first = result.ties[0]
    assert [c.name for c in first.chosen] == [expected]
    assert first.detail == f"{expected} by the generated permutation"


def test_previous_rounds_then_rctab_random_looks_back_first() -> None:
    result = InstantRunoff(tie_break=TieBreak("previous-rounds+rctab-random"), seed=5).tabulate(SEPARATED)
    (tie,) = result.ties
    assert (tie.round, [c.name for c in tie.candidates], [c.name for c in tie.chosen]) == (2, ["B", "C"], ["C"])
    assert tie.detail == "C by counts 1 round(s) back"
    # with nothing earlier to separate them, the pick indexes a Java HashSet's order of the names
    result = InstantRunoff(tie_break="previous-rounds+rctab-random", seed=5).tabulate(LAST_THREE)
    names = java_hash_set_order(["B", "C", "D"])
    index = math.floor(JavaRandom(5).next_double() * 3)
    assert [c.name for c in result.ties[0].chosen] == [names[index]]
    assert result.ties[0].detail.startswith("earlier rounds did not separate them; ")


def test_one_resolver_breaks_every_policy() -> None:
    # the resolver the ranked rules use is the one every rule uses, with no stand-in policy
    candidates = LAST_THREE.candidates
    b, c, d = candidates[1:]
    for tie_break, seed in [(TieBreak("lot"), 3), (TieBreak("candidate-order"), None), (TieBreak("rctab-random"), 3)]:
        resolver = TieResolver(tie_break, seed, candidates)
        (chosen,) = resolver.choose([d, b, c], 1, round=1, decision="eliminate", favour=False)
        (record,) = resolver.records
        assert record.policy == str(tie_break)
        assert record.candidates == (b, c, d)
        assert record.chosen == (chosen,)


def test_other_rules_refuse_rctab_modes() -> None:
    level = Election.from_counts({"A": 3, "B": 3})
    with pytest.raises(OptionError, match="only the ranked rules"):
        Plurality(tie_break=TieBreak("candidate-order"))
    with pytest.raises(OptionError, match="'rctab-random' is not one of"):
        tabulate(level, "plurality", tie_break="rctab-random", seed=1)
    with pytest.raises(OptionError, match="is not one of stop, all, lot, order, previous-rounds"):
        to_tie_break({"policy": "candidate-order"})
    with pytest.raises(OptionError, match="cannot be a fallback"):
        TieBreak("previous-rounds", then=TieBreak("rctab-random"))


# -- the deprecated names ------------------------------------------------------------------------


def test_rctab_tie_break_is_a_deprecated_factory_of_tie_break() -> None:
    for module in (ties, ranked_module):
        with pytest.warns(DeprecationWarning, match="RctabTieBreak is deprecated"):
            made = module.RctabTieBreak("rctab-random")
        assert made == TieBreak("rctab-random")
        with pytest.warns(DeprecationWarning, match="RctabTieBreak"), pytest.raises(OptionError, match="not one of"):
            module.RctabTieBreak("lot")
    with pytest.warns(DeprecationWarning, match="use TieBreak"):
        rule = InstantRunoff(tie_break=ties.RctabTieBreak("candidate-order"))
    assert rule == InstantRunoff(tie_break="candidate-order")


def test_ranked_tie_resolver_is_a_deprecated_alias_of_tie_resolver() -> None:
    for module in (ties, ranked_module):
        with pytest.warns(DeprecationWarning, match="RankedTieResolver is deprecated"):
            alias = module.RankedTieResolver
        assert alias is TieResolver
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ties.TieResolver is TieResolver  # the current names do not warn
    with pytest.raises(AttributeError):
        _ = ties.NoSuchName
