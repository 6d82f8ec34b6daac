"""The ``cambridge-ma`` preset: M.G.L. c. 54A, § 9, with Cambridge's Cincinnati method under § 16(b).

No Cambridge ballot data (cast vote records in counting order) were available
offline, so no published Cambridge count is reproduced here. Every expected
figure below is derived by hand in the test's comments from the statute's
rules (§ 9(c), (g)-(l)) and from the Cambridge Election Commission's
description of the Cincinnati method ("Cincinnati Method", cambridgema.gov,
as quoted in OpenSTV's CambridgeSTV documentation): the ballots of a
candidate with a surplus are numbered in the order counted, every n-th is
drawn, n the nearest whole number to the candidate's ballots over the
surplus, a drawn ballot with no continuing next choice is skipped, and the
draw starts again at n+1, 2n+1, ...
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from electoral import Ballot, Candidate, Election
from electoral.errors import BallotError, OptionError
from electoral.rules import Stv
from electoral.rules._presets import preset_details
from electoral.rules._ranked._stv_cambridge import cincinnati_places
from electoral.testing.strategies import elections

A, B, C, D, E = (Candidate(x) for x in "ABCDE")
CAMBRIDGE = Stv.preset("cambridge-ma")
SMALL = Stv.preset("cambridge-ma", minimum_vote_threshold=0)  # the 50-ballot defeat of § 9(g) left out


def _names(candidates: tuple[Candidate, ...]) -> list[str]:
    return [c.name for c in candidates]


def _ballots(*rows: tuple[int, list[Candidate]]) -> list[Ballot]:
    return [Ballot([{c} for c in ranking], count=k) for k, ranking in rows]


def test_preset_is_listed_with_its_citation() -> None:
    details = {p.name: p for p in preset_details("stv")}
    assert "c. 54A" in (details["cambridge-ma"].citation or "")
    assert CAMBRIDGE.minimum_vote_threshold == 50
    assert CAMBRIDGE.transfer == "cambridge"


def test_the_cincinnati_draw_order() -> None:
    # 10 ballots, surplus 3: n = 10/3 = 3.33 -> 3; places 3, 6, 9; then 4, 7, 10; then 5, 8; then 1, 2
    assert cincinnati_places(10, 3) == [3, 6, 9, 4, 7, 10, 5, 8, 1, 2]
    # 7 ballots, surplus 2: n = 3.5, the half rounded up -> 4; places 4; 5; 6; 7; then 1, 2, 3
    assert cincinnati_places(7, 2) == [4, 5, 6, 7, 1, 2, 3]
    # 5 ballots, surplus 1: n = 5; place 5, then 1 to 4
    assert cincinnati_places(5, 1) == [5, 1, 2, 3, 4]


# A>B 1, A>C 1, A 3, B 2, C 2, D 1: 10 valid ballots, 2 seats, quota 10/3 -> 3, + 1 = 4 (§ 9(c)).
# First choices: A 5 (elected), B 2, C 2, D 1. A's surplus is 1: n = 5/1 = 5, so A's 5th ballot
# in counting order is drawn (§ 16(b)). D (1) is then lowest and defeated (§ 9(i)); D's ballot
# shows nothing more and is exhausted (§ 9(h)). Of B and C, whoever took A's surplus has 3 to the
# other's 2; the other is defeated and the last continuing candidate fills the last seat (§ 9(l)).
REST = [(2, [B]), (2, [C]), (1, [D])]


def _order(a_ballots: list[list[Candidate]]) -> list[Ballot]:
    return _ballots(*((1, r) for r in a_ballots), *REST)


def test_which_ballot_is_fifth_decides_the_second_seat() -> None:
    to_b = _order([[A], [A, C], [A], [A], [A, B]])  # A's 5th ballot is A>B
    to_c = _order([[A], [A, B], [A], [A], [A, C]])  # the same ballots; A's 5th is A>C
    election = Election([A, B, C, D], to_b, seats=2)
    # the same ballots, only in another order (the election merges them; its listing order differs)
    assert sorted(map(str, Election([A, B, C, D], to_c).ballots)) == sorted(map(str, election.ballots))
    first = SMALL.tabulate(election, order=to_b)
    second = SMALL.tabulate(election, order=to_c)
    assert _names(first.winners) == ["A", "B"]
    assert _names(second.winners) == ["A", "C"]
    r1 = first.rounds[0]
    assert r1.quota == 4
    assert {c.name: v for c, v in r1.tally.items()} == {"A": 5, "B": 2, "C": 2, "D": 1}
    assert [(t.source.name, t.target.name if t.target else None, t.votes) for t in r1.transfers] == [("A", "B", 1)]
    assert {c.name: v for c, v in first.rounds[1].tally.items()} == {"A": 4, "B": 3, "C": 2, "D": 1}
    assert [_names(r.eliminated) for r in first.rounds] == [[], ["D"], ["C"], []]


def test_a_drawn_ballot_with_no_continuing_choice_is_skipped() -> None:
    # A's 5th ballot is A alone: skipped, it stays with A. The draw goes on from n + 1 = 6 (past
    # the 5 ballots), then to the places before n: the 1st ballot, A>C, goes to C.
    order = _order([[A, C], [A, B], [A], [A], [A]])
    result = SMALL.tabulate(Election([A, B, C, D], order, seats=2), order=order)
    assert [(t.target.name if t.target else None, t.votes) for t in result.rounds[0].transfers] == [("C", 1)]
    assert _names(result.winners) == ["A", "C"]


def test_without_an_order_the_election_listing_is_used_and_said() -> None:
    order = _order([[A], [A, C], [A], [A], [A, B]])
    election = Election([A, B, C, D], order, seats=2)
    # merged, the listing is A 3 (first seen at place 1), A>C, A>B: A's 5th ballot is A>B
    result = SMALL.tabulate(election)
    assert "no order given" in result.rounds[0].note
    assert _names(result.winners) == ["A", "B"]


def test_defeat_below_fifty_then_transfers_stop_at_the_quota() -> None:
    """A 120, B 90, C>B>D 30, D 60, E>D 20: 320 valid, 2 seats, quota 320/3 -> 106, + 1 = 107.

    First choices: A 120 is elected; A's surplus of 13 is drawn every 120/13 = 9.2 -> 9th ballot,
    but every A ballot shows A alone, so all are skipped and A keeps 120 (§ 16(b)). C (30) and E (20)
    have fewer than 50 and are defeated together (§ 9(g)); their ballots go as one transfer, E's
    first (fewer ballots): 20 to D (80). Then C's 30 in order: the first 17 bring B from 90 to the
    quota, 107, and B is elected and credited with no more (§ 9(c)); the other 13 pass B over and go
    to D (93). The two seats are filled, and D, still continuing, is defeated (§ 9(l))."""
    order = _ballots((120, [A]), (90, [B]), (30, [C, B, D]), (60, [D]), (20, [E, D]))
    election = Election([A, B, C, D, E], order, seats=2)
    result = CAMBRIDGE.tabulate(election, order=order)
    assert _names(result.winners) == ["A", "B"]
    first, after_surplus, after_defeat = result.rounds
    assert first.quota == 107
    assert _names(first.elected) == ["A"]
    assert first.transfers == ()  # nothing of A's could move
    assert after_surplus.tally[A] == 120
    assert "13 could not be transferred" in after_surplus.note
    assert _names(after_surplus.eliminated) == ["E", "C"]  # in the order their ballots go
    moved = [(t.source.name, t.target.name if t.target else None, t.votes) for t in after_surplus.transfers]
    assert moved == [("E", "D", 20), ("C", "B", 17), ("C", "D", 13)]
    assert {c.name: v for c, v in after_defeat.tally.items()} == {"A": 120, "B": 107, "D": 93}
    assert _names(after_defeat.elected) == ["B"]
    assert _names(after_defeat.eliminated) == ["D"]


def test_ties_at_the_bottom_look_at_the_standing_before_the_last_transfer() -> None:
    """A 4, B 3, C 2, D>C 1: 10 valid, 1 seat, quota 10/2 -> 5, + 1 = 6 (minimum left out).

    D (1) is defeated and its ballot goes to C: B 3, C 3 tie at the bottom. Before the last transfer
    B had 3 and C 2, so C is defeated (§ 9(k)); C's 3 ballots show nothing more and are exhausted.
    A 4 and B 3 are left for one seat: B is defeated, and A, the one continuing candidate, is
    elected (§ 9(l))."""
    order = _ballots((4, [A]), (3, [B]), (2, [C]), (1, [D, C]))
    result = SMALL.tabulate(Election([A, B, C, D], order, seats=1), order=order)
    assert [_names(r.eliminated) for r in result.rounds] == [["D"], ["C"], ["B"], []]
    (tie,) = result.ties
    assert _names(tie.candidates) == ["B", "C"]
    assert _names(tie.chosen) == ["C"]
    assert tie.policy.startswith("previous-rounds")
    assert _names(result.winners) == ["A"]
    assert result.rounds[2].set_aside["exhausted choices"] == 3  # C's
    assert result.rounds[3].set_aside["exhausted choices"] == 6  # and B's


def test_an_order_that_is_not_the_elections_ballots_is_refused() -> None:
    order = _ballots((2, [A]), (1, [B]))
    election = Election([A, B], order, seats=1)
    with pytest.raises(BallotError, match="order holds ballot"):
        SMALL.tabulate(election, order=_ballots((1, [A]), (1, [B])))
    with pytest.raises(OptionError, match="transfer='cambridge'"):
        Stv(transfer="wigm").tabulate(election, order=order)


@settings(max_examples=40, deadline=None)
@given(election=elections(min_candidates=2, max_candidates=5, max_ballots=10, seats=None, max_count=20))
def test_every_round_accounts_for_every_ballot_and_the_seats_are_filled(election: Election) -> None:
    result = Stv.preset("cambridge-ma", minimum_vote_threshold=3, seed=2).tabulate(election)
    for r in result.rounds:
        assert r.ballots == election.cast
        assert r.continuing == sum(r.tally.values())
        # § 9(c): nobody holds more than the quota but through a surplus that could not move
        assert all(v <= r.quota for c, v in r.tally.items() if r.number > 1 and c not in result.rounds[0].elected)
    if result.status == "decided":
        assert len(result.winners) == election.seats
