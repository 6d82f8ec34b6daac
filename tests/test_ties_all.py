"""``tie_break="all"``: each state of a count is explored once, with the same result as every resolution.

Counts that mark their state each round (instant-runoff, STV, Baldwin,
Nanson, Coombs) stop a run that reaches an explored state; the merged
result must be identical, field for field, to following every resolution to
its end (``memo=False``, the enumeration as it was before states were
merged). The bound on runs is named when it is reached.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Hashable
from typing import Any

import pytest

import electoral._ties._engine as ties
from electoral import Election, tabulate
from electoral._ties._engine import KnownState, Search, TieBreak, TieResolver, every_universe
from electoral.errors import OptionError
from electoral.rules import get

RULES: list[tuple[str, dict[str, Any]]] = [
    ("instant-runoff", {}),
    ("instant-runoff", {"overvote_rule": "exhaust_if_multiple_continuing"}),
    ("instant-runoff", {"batch_elimination": True}),
    ("instant-runoff", {"continue_until_two_candidates_remain": True}),
    ("stv", {}),
    ("stv", {"transfer": "gregory"}),
    ("stv", {"transfer": "meek"}),
    ("stv", {"transfer": "rctab"}),
    ("stv", {"transfer": "rctab", "rctab_mode": "multi-pass-irv"}),
    ("baldwin", {}),
    ("nanson", {}),
    ("coombs", {}),
    ("plurality", {}),
]


def _random_election(rng: random.Random, most: int = 5) -> Election:
    n = rng.randint(2, most)
    names = [chr(65 + i) for i in range(n)]
    ballots: dict[tuple[tuple[str, ...], ...], int] = {}
    for _ in range(rng.randint(0, 6)):
        order = rng.sample(names, rng.randint(1, n))
        ranks = [[name] for name in order]
        if len(ranks) >= 2 and rng.random() < 0.2:
            ranks[0].append(ranks.pop(1)[0])  # an equal preference now and then
        key = tuple(tuple(rank) for rank in ranks)
        ballots[key] = ballots.get(key, 0) + rng.randint(1, 3)
    election = Election.from_rankings(ballots, candidates=names) if ballots else Election(names)
    return election.with_seats(rng.randint(1, max(1, n - 1)))


@pytest.mark.parametrize(("name", "options"), RULES, ids=[f"{n}{o or ''}" for n, o in RULES])
def test_merging_states_gives_the_result_of_every_resolution(name: str, options: dict[str, Any]) -> None:
    rng = random.Random(f"{name}{options}")
    rule_class = get(name)
    most = 4 if options.get("rctab_mode") == "multi-pass-irv" else 5  # one IRV count per seat: keep it small
    for _ in range(60):
        election = _random_election(rng, most)
        if rule_class.info.winners == "single":
            election = election.with_seats(1)
        rule = rule_class.from_options(tie_break="all", **options)
        merged = rule._tabulate_all(election, memo=True)  # type: ignore[attr-defined]
        try:
            everything = rule._tabulate_all(election, memo=False)  # type: ignore[attr-defined]
        except OptionError:
            continue  # more than the bound of resolutions: only the merged search finishes
        assert merged == everything


def test_eight_candidates_tied_in_every_round_need_states_not_permutations() -> None:
    names = ["Ann", "Bob", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"]
    result = tabulate(Election(names), "instant-runoff", tie_break="all")
    assert [c.name for c in result.winners] == names
    assert result.status == "tied"
    # one tie per set of two or more continuing candidates: 2**8 - 1 - 8
    assert len(result.ties) == 247
    assert all(t.chosen == t.candidates for t in result.ties)


def test_symmetric_rankings_give_the_same_result_merged_or_not() -> None:
    names = ["A", "B", "C", "D", "E"]
    election = Election.from_rankings({">".join(p): 1 for p in itertools.permutations(names)})
    rule = get("instant-runoff").from_options(tie_break="all")
    merged = rule._tabulate_all(election, memo=True)
    assert merged == rule._tabulate_all(election, memo=False)
    assert [c.name for c in merged.winners] == names


def test_the_bound_on_runs_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ties, "MAX_UNIVERSES", 50)
    with pytest.raises(OptionError, match="more than 50 resolutions"):
        tabulate(Election(["A", "B", "C", "D", "E", "F"]), "instant-runoff", tie_break="all")
    with pytest.raises(OptionError, match="more than 50 resolutions"):
        tabulate(Election.from_counts(dict.fromkeys("ABCDEFGH", 1), seats=4), "plurality", tie_break="all")
    assert len(tabulate(Election(["A", "B", "C"]), "instant-runoff", tie_break="all").winners) == 3


def _removal_game(items: int) -> tuple[int, set[Hashable]]:
    """A toy count: each round one of the remaining items is removed (a tie among all); the last one wins."""

    def make(script: list[int], search: Search | None) -> TieResolver:
        return TieResolver(TieBreak("all"), None, (), script=script, search=search)

    def run(resolver: TieResolver) -> frozenset[int]:
        left = set(range(items))
        while len(left) > 1:
            resolver.checkpoint(lambda: frozenset(left))
            options = sorted(left)
            pick = resolver._branch(options, 1)[0][0]  # type: ignore[arg-type]
            left.discard(pick)
        return frozenset(left)

    found = every_universe(run, make, lambda winner: winner)
    return found.runs, set(found.outcomes)


def test_each_state_is_explored_once() -> None:
    runs, outcomes = _removal_game(8)
    assert outcomes == {frozenset({i}) for i in range(8)}
    # every (state, choice) is followed at most once: at most 8 * 2**7 runs, against 8! = 40,320 orders
    assert runs <= 8 * 2**7


def test_a_known_state_stops_the_run() -> None:
    search = Search()
    resolver = TieResolver(TieBreak("all"), None, (), search=search)
    search.explored["state"] = ties.Summary()
    with pytest.raises(KnownState):
        resolver.checkpoint(lambda: "state")
    TieResolver(TieBreak("all"), None, ()).checkpoint(lambda: "never built")  # outside a search: nothing happens


def test_all_cannot_be_a_fallback() -> None:
    with pytest.raises(OptionError, match="cannot be a fallback"):
        tabulate(Election.from_rankings({"A>B": 1, "B>A": 1}), "instant-runoff", tie_break="previous-rounds+all")


def _no_listing(*args: object) -> object:
    raise AssertionError("the options of a tie were listed")


def test_a_wide_tie_is_counted_and_refused_before_its_options_are_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    # 60 candidates tied for 30 seats: C(60, 30) = 118,264,581,564,861,424 ways, refused at once by name
    monkeypatch.setattr(ties.itertools, "combinations", _no_listing)
    election = Election.from_counts({f"C{i}": 1 for i in range(60)}, seats=30)
    with pytest.raises(OptionError, match=r"60 candidates for 30 place\(s\) has 118,264,581,564,861,424 resolutions"):
        tabulate(election, "plurality", tie_break="all")
    with pytest.raises(OptionError, match="more than 10,000 resolutions"):
        tabulate(election, "plurality", tie_break="all")
    # a count of too many digits to print is given by its order of magnitude, and never computed
    resolver = TieResolver(TieBreak("all"), None, [])
    with pytest.raises(OptionError, match=r"has about 10\^600 resolutions"):
        resolver._branch(list(range(2000)), 1000)  # type: ignore[arg-type]


def test_the_options_of_a_tie_are_chosen_by_index_in_lexicographic_order() -> None:
    for n in range(7):
        for k in range(n + 1):
            expected = list(itertools.combinations(range(n), k))
            assert ties.options_within(n, k, 10**6) == len(expected)
            assert [tuple(ties.combination(n, k, i)) for i in range(len(expected))] == expected
    assert ties.options_within(10**6, 5 * 10**5, 10_000) is None
    assert ties.options_within(10_000, 9_999, 10_000) == 10_000


def test_a_tie_as_wide_as_the_bound_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ties.itertools, "combinations", _no_listing)
    monkeypatch.setattr(ties, "MAX_UNIVERSES", 10)
    result = tabulate(Election.from_counts(dict.fromkeys("ABCDE", 1), seats=2), "plurality", tie_break="all")
    assert (result.resolutions, result.outcomes) == (10, 10)
    assert [c.name for c in result.winners] == list("ABCDE")


def test_the_headline_under_all_says_what_was_explored() -> None:
    split = tabulate(Election.from_counts({"A": 2, "B": 2, "C": 1}), "plurality", tie_break="all")
    assert split.status == "tied"
    assert (split.resolutions, split.outcomes) == (2, 2)
    headline = str(split).splitlines()[1]
    assert "left open" not in headline
    assert headline == "Tied: 2 resolutions of the ties explored, with 2 different outcomes; elected under some: A, B"
    # A or B is eliminated first, and D wins either way
    agreed = tabulate(Election.from_rankings({"A>D": 1, "B>D": 1, "D": 2, "C": 2}), "instant-runoff", tie_break="all")
    assert agreed.status == "decided"
    assert agreed.ties
    assert str(agreed).splitlines()[1] == "Elected: D (2 resolutions of the ties explored; all agree)"
    assert "all agree" in agreed._html()
    # another policy leaves the tie open, and says so
    stopped = tabulate(Election.from_counts({"A": 2, "B": 2, "C": 1}), "plurality")
    assert stopped.resolutions is None
    assert str(stopped).splitlines()[1] == "Tied: no winner (a tie was left open)"


def test_resolutions_count_every_resolution_merged_or_not() -> None:
    names = ["A", "B", "C", "D", "E"]
    election = Election.from_rankings({">".join(p): 1 for p in itertools.permutations(names)})
    rule = get("instant-runoff").from_options(tie_break="all")
    merged = rule._tabulate_all(election, memo=True)
    assert merged.resolutions == rule._tabulate_all(election, memo=False).resolutions == 120
    assert merged.outcomes == 5


def test_the_runs_are_bounded_by_the_size_of_the_count_too() -> None:
    # 3,000 tied candidates for 2,999 places: 3,000 resolutions, within MAX_UNIVERSES, but each run
    # counts 3,000 ballots over 3,000 candidates; without the work bound this ran for minutes
    election = Election.from_counts({f"c{i}": 1 for i in range(3_000)}, seats=2_999)
    with pytest.raises(OptionError, match=r"more than 111 resolutions .*9,000,000 cells.*MAX_TIE_WORK"):
        tabulate(election, "plurality", tie_break="all")
    assert ties.run_limit(9_000_000) == ties.MAX_TIE_WORK // 9_000_000 == 111


def test_the_work_bound_leaves_small_counts_alone() -> None:
    # eight candidates tied in every round over all 40,320 rankings: 770 runs of 322,560 cells
    assert ties.run_limit(40_320 * 8) >= 770
    assert ties.run_limit(1) == ties.run_limit(0) == ties.MAX_UNIVERSES
    assert ties.run_limit(10**30) == 1
    assert ties.run_limit(100, limit=5) == 5


def test_the_work_bound_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ties, "MAX_TIE_WORK", 40)
    # 6 unique ballots over 6 candidates: 36 cells, so one run only
    with pytest.raises(OptionError, match=r"more than 1 resolutions .*36 cells"):
        tabulate(Election.from_counts(dict.fromkeys("ABCDEF", 1), seats=3), "plurality", tie_break="all")


def test_a_result_with_different_outcomes_says_whose_rounds_it_shows() -> None:
    names = ["Ann", "Bob", "Cy", "Dee"]
    split = tabulate(
        Election.from_rankings({">".join(p): 1 for p in itertools.permutations(names)}),
        "instant-runoff",
        tie_break="all",
    )
    bundle = split._repr_mimebundle_()
    html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    assert "first resolution of every tie" in str(split)
    assert "first resolution of every tie" in html
    agreed = tabulate(Election.from_rankings({"A>B": 3, "B>A": 2}), "instant-runoff", tie_break="all")
    assert "first resolution" not in str(agreed)
