"""Instant-runoff: properties, the US ballot-reading options, and RCTab's tie-break modes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, tabulate
from electoral._ties._ranked import JavaRandom, java_hash_set_order, java_shuffle, java_string_hash
from electoral.errors import OptionError
from electoral.rules import InstantRunoff
from electoral.rules._ranked._irv import batch_to_eliminate
from electoral.testing.strategies import elections


def _prefers(ballot: Ballot, a: Candidate, b: Candidate) -> bool:
    """Whether the ballot ranks ``a`` above ``b`` (an unranked candidate is below every ranked one)."""
    order = [next(iter(rank)) for rank in ballot.ranking if rank]
    if a not in order:
        return False
    return b not in order or order.index(a) < order.index(b)


# -- properties -------------------------------------------------------------------


@given(elections(max_candidates=5, max_ballots=15, equal_ranks=True, skipped_ranks=True))
def test_every_ballot_is_accounted_for_in_every_round(election: Election) -> None:
    """ "Every ballot accounted for in every round": each ballot cast is continuing (counting for a
    candidate of the tally), or set aside by reason (overvote, skipped rankings, exhausted choices,
    repeated rankings, undervote, invalid)."""
    for rule in (InstantRunoff(), InstantRunoff(overvote_rule="always_skip_to_next_rank", max_skipped_ranks=0)):
        for r in rule.tabulate(election).rounds:
            assert r.continuing == sum(r.tally.values())
            assert r.ballots == r.continuing + sum(r.set_aside.values()) == election.cast


@given(elections(min_candidates=2, max_candidates=5, min_ballots=1, max_ballots=12, extra_counts=False))
def test_a_majority_of_first_preferences_wins(election: Election) -> None:
    """Majority criterion: "if a candidate is ranked first by more than half of the voters, that
    candidate wins" (for the voters whose ballots count)."""
    firsts: dict[Candidate, int] = {}
    for ballot in election.ballots:
        if ballot.ranking:
            (first,) = ballot.ranking[0]
            firsts[first] = firsts.get(first, 0) + ballot.count
    total = sum(firsts.values())
    leader = max(firsts, key=firsts.__getitem__, default=None)
    result = InstantRunoff().tabulate(election)
    if leader is not None and 2 * firsts[leader] > total:
        assert result.winners == (leader,)
        assert len(result.rounds) == 1


@given(elections(min_candidates=3, max_candidates=5, min_ballots=1, max_ballots=12, extra_counts=False))
def test_the_condorcet_loser_never_wins(election: Election) -> None:
    """Condorcet loser criterion: "a candidate who loses every pairwise contest to each other
    candidate is never elected" (a ranked candidate is preferred to an unranked one)."""
    result = InstantRunoff(tie_break="all").tabulate(election)
    for candidate in election.candidates:
        loses_all = all(
            sum(b.count for b in election.ballots if _prefers(b, candidate, other))
            < sum(b.count for b in election.ballots if _prefers(b, other, candidate))
            for other in election.candidates
            if other != candidate
        )
        if loses_all:
            assert candidate not in result.winners


@settings(max_examples=50)
@given(elections(max_candidates=5, max_ballots=12, equal_ranks=True), st.randoms(use_true_random=False))
def test_ballot_order_does_not_change_the_result(election: Election, rng: random.Random) -> None:
    """Anonymity: permuting the ballots leaves every round unchanged."""
    shuffled = list(election.ballots)
    rng.shuffle(shuffled)
    rule = InstantRunoff(tie_break="rctab-random", seed=7, batch_elimination=True)
    before, after = rule.tabulate(election), rule.tabulate(election.with_ballots(shuffled))
    assert before.winners == after.winners
    assert [r.tally for r in before.rounds] == [r.tally for r in after.rounds]
    assert [r.set_aside for r in before.rounds] == [r.set_aside for r in after.rounds]


@given(elections(min_candidates=2, max_candidates=5, max_ballots=12, extra_counts=False))
def test_transfers_move_exactly_the_eliminated_candidates_votes(election: Election) -> None:
    """An elimination moves every vote the eliminated candidate held, to candidates or to exhausted."""
    result = InstantRunoff(tie_break="candidate-order").tabulate(election)
    for this, _after in zip(result.rounds, result.rounds[1:], strict=False):
        for loser in this.eliminated:
            moved = sum(t.votes for t in this.transfers if t.source == loser)
            assert moved == this.tally[loser]


# -- options, on hand-worked elections ----------------------------------------------


def test_worked_example() -> None:
    # 4 A>B, 3 B>C, 2 C>B: 9 active, threshold 5. Round 1 nobody has 5; C (2) goes, both to B.
    # Round 2: A 4, B 5 -> B reaches 5 and wins.
    e = Election.from_rankings({"A>B": 4, "B>C": 3, "C>B": 2})
    r = tabulate(e, "instant-runoff")
    assert r.winner is not None
    assert r.winner.name == "B"
    assert [{c.name: v for c, v in x.tally.items()} for x in r.rounds] == [
        {"A": 4, "B": 3, "C": 2},
        {"A": 4, "B": 5},
    ]
    assert [(t.source.name, t.target and t.target.name, t.votes) for t in r.rounds[0].transfers] == [("C", "B", 2)]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("exhaust_immediately", "overvote"),
        ("always_skip_to_next_rank", None),
        ("exhaust_if_multiple_continuing", "overvote"),
    ],
)
def test_overvote_rules(rule: str, reason: str | None) -> None:
    # 3 C>A=B>D when C is eliminated: the overvote A=B holds two continuing candidates.
    # exhaust rules make those 3 inactive; skipping moves them to D.
    a, b, c, d = (Candidate(n) for n in "ABCD")
    e = Election(
        [a, b, c, d],
        [Ballot([{a}], count=5), Ballot([{b}], count=4), Ballot([{d}], count=4), Ballot([{c}, {a, b}, {d}], count=3)],
    )
    r = InstantRunoff(overvote_rule=rule).tabulate(e)
    assert r.rounds[0].eliminated == (c,)
    if reason is None:
        assert r.rounds[1].tally[d] == 7
    else:
        assert r.rounds[1].set_aside[reason] == 3


def test_exhaust_if_multiple_continuing_counts_the_one_continuing_candidate() -> None:
    # 2 C>A=D: after C goes, A and D are both continuing (overvote); after D goes too, A alone counts.
    a, c, d, e_ = (Candidate(n) for n in "ACDE")
    e = Election(
        [a, c, d, e_],
        [Ballot([{a}], count=4), Ballot([{e_}], count=5), Ballot([{d}], count=3), Ballot([{c}, {a, d}], count=2)],
    )
    r = InstantRunoff(overvote_rule="exhaust_if_multiple_continuing").tabulate(e)
    assert r.rounds[1].set_aside["overvote"] == 2


def test_skipped_rankings_are_measured_between_marked_ranks() -> None:
    # "A, _, _, B": with max 1 skipped rank the gap of 2 blanks exhausts the ballot when A goes;
    # with 2 allowed it reaches B. Trailing blanks never count.
    a, b, c = (Candidate(n) for n in "ABC")
    ballots = [Ballot([{a}, set(), set(), {b}], count=2), Ballot([{b}], count=3), Ballot([{c}], count=4)]
    e = Election([a, b, c], ballots)
    strict = InstantRunoff(max_skipped_ranks=1).tabulate(e)
    assert strict.rounds[1].set_aside["skipped rankings"] == 2
    loose = InstantRunoff(max_skipped_ranks=2).tabulate(e)
    assert loose.rounds[1].tally[b] == 5


def test_repeated_rankings_exhaust_only_when_asked() -> None:
    a, b, c = (Candidate(n) for n in "ABC")
    e = Election([a, b, c], [Ballot([{a}, {a}, {b}], count=2), Ballot([{b}], count=3), Ballot([{c}], count=4)])
    assert InstantRunoff(exhaust_on_duplicate_candidate=True).tabulate(e).rounds[1].set_aside["repeated rankings"] == 2
    assert InstantRunoff().tabulate(e).rounds[1].tally[b] == 5


def test_max_rankings_ignores_later_ranks() -> None:
    e = Election.from_rankings({"A>B>C": 2, "C": 3, "B": 2, "D": 1})
    r = InstantRunoff(max_rankings=1).tabulate(e)
    assert all(t.target is None for t in r.rounds[1].transfers if t.source.name == "A")


def test_batch_elimination_groups_the_lowest() -> None:
    # A 8, B 6, C 2, D 1 (threshold 9): C+D = 3 < 6, so C and D go together.
    e = Election.from_rankings({"A": 8, "B": 6, "C>B": 2, "D>B": 1})
    r = InstantRunoff(batch_elimination=True).tabulate(e)
    assert {c.name for c in r.rounds[0].eliminated} == {"C", "D"}
    assert batch_to_eliminate({0: 10, 1: 6, 2: 2, 3: 1}) == [2, 3]
    assert batch_to_eliminate({0: 10, 1: 10}) == []


def test_continue_until_two_candidates_remain_freezes_the_threshold() -> None:
    # A 6 of 10 wins in round 1 (threshold 6); the count goes on to two candidates.
    e = Election.from_rankings({"A": 6, "B": 2, "C": 1, "D": 1})
    r = InstantRunoff(continue_until_two_candidates_remain=True, tie_break="candidate-order").tabulate(e)
    assert [c.name for c in r.winners] == ["A"]
    assert len(r.rounds[-1].tally) == 2
    assert r.rounds[1].tally == r.rounds[0].tally  # the winning round decides nothing else


def test_undeclared_write_ins_never_win_and_go_first() -> None:
    e = Election.from_rankings({"UWI": 6, "A": 3, "B>A": 2})
    r = InstantRunoff(undeclared_write_in="UWI").tabulate(e)
    assert r.rounds[0].eliminated[0].name == "UWI"
    assert r.winner is not None
    assert r.winner.name == "A"


def test_minimum_vote_threshold_and_stopping_early() -> None:
    e = Election.from_rankings({"A": 5, "B": 4, "C>B": 2, "D>A": 1})
    r = InstantRunoff(minimum_vote_threshold=3).tabulate(e)
    assert {c.name for c in r.rounds[0].eliminated} == {"C", "D"}
    stopped = InstantRunoff(stop_tabulation_early_after_round=1).tabulate(e)
    assert len(stopped.rounds) == 1
    assert stopped.winners == ()


def test_first_round_determines_threshold() -> None:
    # 10 ballots, threshold 6 frozen; after C's 3 exhaust, A 4 and B 3 remain: A leads and wins below 6.
    e = Election.from_rankings({"A": 4, "B": 3, "C": 3}, candidates=["A", "B", "C"])
    r = InstantRunoff(does_first_round_determine_threshold=True, tie_break="candidate-order").tabulate(e)
    assert r.winner is not None
    assert r.winner.name == "A"
    assert all(x.threshold is not None and x.threshold * x.denominator == 6 for x in r.rounds)


def test_options_are_checked_and_read_from_text() -> None:
    with pytest.raises(OptionError, match="overvote_rule"):
        InstantRunoff(overvote_rule="whatever")
    with pytest.raises(OptionError, match="max_skipped_ranks"):
        InstantRunoff(max_skipped_ranks=-3)
    rule = InstantRunoff.from_options(max_skipped_ranks="unlimited", batch_elimination="true", max_rankings="4")
    assert rule.max_skipped_ranks is None
    assert rule.batch_elimination
    assert rule.max_rankings == 4
    with pytest.raises(OptionError, match="not a candidate"):
        InstantRunoff(undeclared_write_in="Nobody").tabulate(Election.from_rankings({"A": 1}))
    with pytest.raises(OptionError, match="seed"):
        InstantRunoff(tie_break="rctab-random")


def test_to_dict_round_trips_the_rctab_tie_break() -> None:
    rule = InstantRunoff(tie_break="previous-rounds+rctab-random", seed=12345)
    options = rule.to_dict()["options"]
    assert InstantRunoff.from_options(**options) == rule


# -- RCTab's tie-break modes ----------------------------------------------------------


def test_java_random_matches_the_java_specification() -> None:
    # Values of java.util.Random documented by running Java: new Random(1).nextDouble() twice,
    # new Random(0).nextDouble(), new Random(42).nextInt(10).
    r = JavaRandom(1)
    assert r.next_double() == 0.7308781907032909
    assert r.next_double() == 0.41008081149220166
    assert JavaRandom(0).next_double() == 0.730967787376657
    assert JavaRandom(42).next_int(10) == 0
    assert java_string_hash("Hello") == 69609650
    assert java_string_hash("") == 0


def test_generated_permutation_and_hash_set_order() -> None:
    # RCTab's tiebreak_generate_permutation_test expects Mookie, then Yinka, to be eliminated and
    # George to beat Sedale: the shuffled order George, Sedale, Yinka, Mookie.
    names = sorted(["Mookie Blaylock", "Yinka Dare", "George Gervin", "Sedale Threatt"])
    assert java_shuffle(names, JavaRandom(12345)) == [
        "George Gervin",
        "Sedale Threatt",
        "Yinka Dare",
        "Mookie Blaylock",
    ]
    # RCTab's previous-round-counts test needs Sneezy first: HashSet order, not alphabetical.
    assert java_hash_set_order(["Dopey", "Sneezy"]) == ["Sneezy", "Dopey"]


def test_rctab_random_breaks_an_elimination_tie_as_rctab_does() -> None:
    # RCTab's tiebreak_seed_test: three tied at 3, seed 1: sorted names, floor(0.7308 * 3) = 2
    # eliminates Yinka; then George and Mookie tie at 3: floor(0.4100 * 2) = 0 elects George.
    e = Election.from_rankings({"George Gervin": 3, "Mookie Blaylock": 3, "Yinka Dare": 3})
    r = InstantRunoff(tie_break="rctab-random", seed=1).tabulate(e)
    assert r.rounds[0].eliminated[0].name == "Yinka Dare"
    assert r.winner is not None
    assert r.winner.name == "George Gervin"
    assert len(r.ties) == 2


def test_candidate_order_favours_the_first_listed() -> None:
    e = Election.from_rankings({"A": 2, "B": 2, "C": 2})
    r = InstantRunoff(tie_break="candidate-order").tabulate(e)
    assert [c.name for c in r.rounds[0].eliminated] == ["C"]
    assert r.winner is not None
    assert r.winner.name == "A"


def test_stop_leaves_the_tie_open() -> None:
    e = Election.from_rankings({"A": 2, "B": 2, "C": 2})
    r = InstantRunoff().tabulate(e)
    assert r.status == "tied"
    assert r.winners == ()
