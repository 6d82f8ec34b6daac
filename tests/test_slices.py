"""electoral.slices: a count broken down by part (precinct, batch), following the contest's decisions."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, Result, slices, tabulate
from electoral.errors import CandidateError, OptionError
from electoral.rules._ranked._slices import follow

NAMES = ("A", "B", "C", "D", "E")
CANDIDATES = tuple(Candidate(n) for n in NAMES)


def _ballots(draw: st.DrawFn) -> list[tuple[tuple[frozenset[Candidate], ...], str]]:
    rank = st.frozensets(st.sampled_from(CANDIDATES), min_size=0, max_size=2)
    ranking = st.lists(rank, min_size=0, max_size=4).map(tuple)
    return draw(st.lists(st.tuples(ranking, st.sampled_from("xyz")), min_size=1, max_size=40))


@st.composite
def contests(draw: st.DrawFn) -> tuple[Election, dict[str, Election]]:
    """An election and its parts: each ballot drawn with a part label."""
    drawn = _ballots(draw)
    seats = draw(st.integers(1, 3))

    def election(rows: list[tuple[frozenset[Candidate], ...]]) -> Election:
        counts = Counter(rows)
        return Election(CANDIDATES, tuple(Ballot(r, count=n) for r, n in counts.items()), seats=seats)

    whole = election([r for r, _ in drawn])
    parts = {label: election([r for r, part in drawn if part == label]) for label in sorted({p for _, p in drawn})}
    return whole, parts


RULES = st.sampled_from(
    [
        ("instant-runoff", {"tie_break": "candidate-order"}),
        (
            "instant-runoff",
            {"tie_break": "candidate-order", "batch_elimination": True, "overvote_rule": "exhaust_immediately"},
        ),
        ("instant-runoff", {"tie_break": "candidate-order", "continue_until_two_candidates_remain": True}),
        ("stv", {"tie_break": "candidate-order", "transfer": "rctab", "rctab_mode": "multiple-winners-per-round"}),
        (
            "stv",
            {
                "tie_break": "candidate-order",
                "transfer": "rctab",
                "rctab_mode": "one-winner-per-round",
                "decimal_places": 2,
            },
        ),
        ("stv", {"tie_break": "candidate-order", "transfer": "rctab", "rctab_mode": "bottoms-up"}),
        ("stv", {"tie_break": "candidate-order", "transfer": "rctab", "rctab_mode": "multi-pass-irv"}),
    ]
)


def _total(values: object) -> Fraction:
    return sum((Fraction(v) for v in values), Fraction(0))  # type: ignore[attr-defined]


def check_adds_up(result: Result, broken: dict[str, Result]) -> None:
    """The slices follow the contest's decisions and add up to it, round by round.

    Each candidate's votes over the slices are the contest's, but for a winner
    whose surplus left residual surplus (RCTab's truncation): the slices keep
    it, so theirs is the contest's figure plus that residual. The inactive
    ballots by reason add up, and so does everything together.
    """
    residual: dict[Candidate, Fraction] = {}
    for number, contest_round in enumerate(result.rounds):
        rounds = [b.rounds[number] for b in broken.values()]
        for piece in rounds:
            # the contest's decisions and threshold, in the same rounds
            assert piece.elected == contest_round.elected
            assert piece.eliminated == contest_round.eliminated
            assert piece.quota == contest_round.quota
            assert list(piece.tally) == list(contest_round.tally)
        for candidate, votes in contest_round.tally.items():
            together = _total(piece.tally[candidate] for piece in rounds)
            assert together == votes + residual.get(candidate, 0), (number + 1, candidate)
        for reason, votes in contest_round.set_aside.items():
            if reason != "residual surplus":
                assert _total(p.set_aside.get(reason, 0) for p in rounds) == votes, reason
        held = _total(_total(p.tally.values()) + _total(p.set_aside.values()) for p in rounds)
        assert held == _total(contest_round.tally.values()) + _total(contest_round.set_aside.values())
        for transfer in contest_round.transfers:
            if transfer.residual_surplus:
                residual[transfer.source] = residual.get(transfer.source, Fraction(0)) + transfer.votes


@settings(max_examples=150, deadline=None)
@given(contest=contests(), rule=RULES)
def test_slices_add_up_to_the_contest_in_every_round(
    contest: tuple[Election, dict[str, Election]], rule: tuple[str, dict[str, object]]
) -> None:
    whole, parts = contest
    name, options = rule
    if name == "instant-runoff":
        whole = whole.with_seats(1)
        parts = {k: v.with_seats(1) for k, v in parts.items()}
    result = tabulate(whole, name, **options)
    assert sum(p.cast for p in parts.values()) == whole.cast
    check_adds_up(result, slices(result, parts))


@pytest.mark.parametrize(
    "case", ["generic_csv_test", "minneapolis_multi_seat_threshold", "missing_precinct_example", "batch_example"]
)
def test_the_slices_of_rctabs_cases_add_up(case: str) -> None:
    from conftest import SHARED
    from electoral.io import read_rctab_config, tabulate_rctab

    config = SHARED / "conformance" / "rctab" / case / f"{case}_config.json"
    if not config.exists():
        pytest.skip(f"RCTab conformance suite not found at {config.parent}")
    contest = read_rctab_config(config)
    result = tabulate_rctab(contest)
    assert contest.slices
    for parts in contest.slices.values():
        check_adds_up(result, slices(result, parts))


@pytest.mark.parametrize("case", ["2013_minneapolis_park_sequential", "sequential_with_continue_until_two"])
def test_a_multi_pass_count_is_followed_pass_by_pass(case: str) -> None:
    from conftest import SHARED
    from electoral.io import read_rctab_config, tabulate_rctab

    config = SHARED / "conformance" / "rctab" / case / f"{case}_config.json"
    if not config.exists():
        pytest.skip(f"RCTab conformance suite not found at {config.parent}")
    contest = read_rctab_config(config)
    result = tabulate_rctab(contest)
    e = contest.election
    halves = {
        "even": Election(e.candidates, e.ballots[::2], seats=e.seats),
        "odd": Election(e.candidates, e.ballots[1::2], seats=e.seats, blank=e.blank),
    }
    check_adds_up(result, slices(result, halves))
    (whole,) = slices(result, {"all": e}).values()
    assert [r.tally for r in whole.rounds] == [r.tally for r in result.rounds]
    assert [r.transfers for r in whole.rounds] == [r.transfers for r in result.rounds]
    # (the slice shows RCTab's four reasons even at 0; instant-runoff omits a reason at 0)
    nonzero = [{k: v for k, v in r.set_aside.items() if v} for r in whole.rounds]
    assert nonzero == [{k: v for k, v in r.set_aside.items() if v} for r in result.rounds]


def test_a_slice_of_everything_is_the_contest() -> None:
    whole = Election.from_rankings({"A>B": 4, "B>C": 3, "C>A": 2, "C": 1}, candidates=["A", "B", "C"])
    result = tabulate(whole, "instant-runoff")
    (same,) = slices(result, {"all": whole}).values()
    assert [r.tally for r in same.rounds] == [r.tally for r in result.rounds]
    assert [r.transfers for r in same.rounds] == [r.transfers for r in result.rounds]
    assert same.winners == result.winners


def test_a_slice_follows_the_contest_not_its_own_count() -> None:
    # worked by hand: first preferences A 4, B 5, C 2 of 11 (threshold 6); C is eliminated, its ballots go
    # to A and B, and B wins 6-5. The part alone would elect C (2 of 3 first preferences); following the
    # contest, C leaves after round 1 and its two ballots go to A and B.
    whole = Election.from_rankings({"A>B": 4, "B>A": 3, "C>A": 1, "C>B": 1, "B": 2}, candidates=["A", "B", "C"])
    part = Election.from_rankings({"C>A": 1, "C>B": 1, "B": 1}, candidates=["A", "B", "C"])
    result = tabulate(whole, "instant-runoff")
    assert [c.name for c in result.rounds[0].eliminated] == ["C"]
    assert result.winner == Candidate("B")
    assert tabulate(part, "instant-runoff").winner == Candidate("C")
    piece = follow(result, part)
    assert [{c.name: v for c, v in r.tally.items()} for r in piece.rounds] == [
        {"A": 0, "B": 1, "C": 2},
        {"A": 1, "B": 2},
    ]
    moves = [(t.source.name, t.target and t.target.name, t.votes) for t in piece.rounds[0].transfers]
    assert sorted(moves) == [("C", "A", 1), ("C", "B", 1)]
    assert piece.winners == result.winners


def test_other_rules_and_other_candidates_are_refused() -> None:
    whole = Election.from_rankings({"A>B": 2, "B": 1}, candidates=["A", "B"])
    with pytest.raises(OptionError, match="slices follow"):
        slices(tabulate(whole, "plurality"), {"x": whole})
    with pytest.raises(OptionError, match="slices follow"):
        slices(tabulate(whole, "stv"), {"x": whole})
    other = Election.from_rankings({"A>C": 1}, candidates=["A", "C"])
    with pytest.raises(CandidateError, match="contest's candidates"):
        slices(tabulate(whole, "instant-runoff"), {"x": other})


def test_the_html_report_shows_each_slice_under_the_contest_decisions() -> None:
    from electoral.report import html_report

    whole = Election.from_rankings({"A>B": 4, "B>A": 3, "C>A": 1, "C>B": 1, "B": 2}, candidates=["A", "B", "C"])
    east = Election.from_rankings({"C>A": 1, "C>B": 1, "B": 1}, candidates=["A", "B", "C"])
    west = Election.from_rankings({"A>B": 4, "B>A": 3, "B": 1}, candidates=["A", "B", "C"])
    result = tabulate(whole, "instant-runoff")
    page = html_report(result, slices={"precinct": slices(result, {"east": east, "west <2>": west})})
    from _html_check import Page

    assert Page(page).problems == []
    assert '<h2 id="h-slices-precinct">By precinct</h2>' in page
    assert "Round 2 (final), 2 precincts. " in page
    assert "round 1: C eliminated; round 2: B elected" in page
    batches = html_report(result, slices={"batch": slices(result, {"east": east, "west": west})})
    assert "2 batches" in batches
    # east's final round: A 1, B 2 (worked above); west's: A 4, B 4
    assert '<th scope="row">east</th><td class="n">1</td><td class="n">2</td>' in page
    assert '<th scope="row">west &lt;2&gt;</th><td class="n">4</td><td class="n">4</td>' in page
    assert "By precinct" not in html_report(result)
