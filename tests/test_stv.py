"""STV: the Scottish WIGM count, exact Gregory, Meek, and RCTab's multi-seat modes."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Election, Result, Round, tabulate
from electoral.errors import OptionError
from electoral.rules import Stv
from electoral.testing.strategies import elections

RULES = {
    "scotland": Stv.preset("scotland", tie_break="previous-rounds+lot", seed=3),
    "gregory": Stv(transfer="gregory", tie_break="lot", seed=3),
    "meek": Stv(transfer="meek", tie_break="lot", seed=3),
    "rctab": Stv(transfer="rctab", decimal_places=4, tie_break="rctab-random", seed=3),
}
SMALL = elections(min_candidates=2, max_candidates=5, max_ballots=10, seats=None, max_count=20)


def _quota(r: Round) -> Fraction:
    assert r.threshold is not None
    return r.threshold * Fraction(r.denominator)


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=40)
@given(election=SMALL)
def test_ballots_are_conserved_in_every_round(name: str, election: Election) -> None:
    """ "Every ballot accounted for in every round": the value held by candidates plus the value set
    aside (inactive by reason, residual surplus lost to truncation, undervotes, invalid) is every
    ballot cast."""
    for r in RULES[name].tabulate(election).rounds:
        assert r.continuing == sum(Fraction(v) for v in r.tally.values())
        assert Fraction(r.ballots) == Fraction(r.continuing) + sum(Fraction(v) for v in r.set_aside.values())
        assert Fraction(r.ballots) == election.cast


@pytest.mark.parametrize("name", ["scotland", "gregory", "meek"])
@settings(max_examples=40)
@given(election=SMALL)
def test_stv_fills_every_seat(name: str, election: Election) -> None:
    """ "STV elects exactly `seats` candidates" (there are always at least as many candidates as seats,
    and the last continuing candidates fill the seats left), unless a tie is left open."""
    result = RULES[name].tabulate(election)
    if result.status == "decided":
        assert len(result.winners) == election.seats == len(set(result.winners))


@pytest.mark.parametrize("name", ["scotland", "gregory", "meek"])
@settings(max_examples=40)
@given(election=SMALL)
def test_each_winner_reached_the_quota_or_was_among_the_last_left(name: str, election: Election) -> None:
    """ "Each winner reached the quota or was among the last left": in the round a candidate is
    elected, their votes meet the quota, or the continuing candidates no more than fill the seats."""
    result = RULES[name].tabulate(election)
    elected_before: set[object] = set()
    for r in result.rounds:
        hopeful = [c for c in r.tally if c not in elected_before]
        left = election.seats - len(elected_before)
        for winner in r.elected:
            assert len(hopeful) <= left or r.tally[winner] >= _quota(r)
        elected_before.update(r.elected)


@settings(max_examples=60)
@given(election=SMALL)
def test_scottish_transfers_add_up_to_the_surplus(election: Election) -> None:
    """ "Transfers add up to the surplus, to the arithmetic's precision": what a surplus transfer
    credits to candidates, plus its non-transferable part, plus what truncation to five decimals
    lost (residual surplus) is the surplus exactly; each transfer value is a whole number of
    hundred-thousandths (SSI 2007/42, Sch. 1, r. 48(3))."""
    result = RULES["scotland"].tabulate(election)
    for this, after in zip(result.rounds, result.rounds[1:], strict=False):
        sources = {t.source for t in this.transfers}
        if not sources or this.eliminated:
            continue
        (source,) = sources
        surplus = Fraction(this.tally[source]) - _quota(this)
        moved = sum(Fraction(t.votes) for t in this.transfers)
        lost = Fraction(after.set_aside.get("residual surplus", 0)) - Fraction(
            this.set_aside.get("residual surplus", 0)
        )
        booked = sum(Fraction(t.votes) for t in this.transfers if t.kind == "residual-surplus")
        assert moved == surplus
        assert booked == lost >= 0
        assert all((Fraction(t.votes) * 10**5).denominator == 1 for t in this.transfers)


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=25)
@given(election=SMALL, rng=st.randoms(use_true_random=False))
def test_ballot_order_does_not_change_the_result(name: str, election: Election, rng: random.Random) -> None:
    """Anonymity: permuting the ballots leaves the winners and every tally unchanged."""
    shuffled = list(election.ballots)
    rng.shuffle(shuffled)
    before = RULES[name].tabulate(election)
    after = RULES[name].tabulate(election.with_ballots(shuffled))
    assert before.winners == after.winners
    assert [r.tally for r in before.rounds] == [r.tally for r in after.rounds]


# -- hand-worked counts ------------------------------------------------------------------


def test_scottish_count_worked_example() -> None:
    # 12 votes, 2 seats: quota floor(12/3) + 1 = 5. A has 8: surplus 3, transfer value
    # 3 * 1 / 8 = 0.375 on each of A's 8 papers: 5 A>B give B 1.875, 3 A>C give C 1.125.
    # Stage 2: B 3.875, C 3.125; C (fewest) is excluded and its papers exhaust; B, the last
    # continuing candidate, fills the last seat (rule 51).
    e = Election.from_rankings({"A>B": 5, "A>C": 3, "B": 2, "C": 2}, seats=2)
    r = Stv.preset("scotland").tabulate(e)
    assert [c.name for c in r.winners] == ["A", "B"]
    assert _quota(r.rounds[0]) == 5
    assert {t.target.name: t.votes for t in r.rounds[0].transfers if t.target} == {
        "B": Fraction(15, 8),
        "C": Fraction(9, 8),
    }
    assert r.rounds[2].set_aside["exhausted choices"] == Fraction(25, 8)


def test_scottish_transfer_values_are_truncated_to_five_places() -> None:
    # 7 votes, 1 seat... quota floor(7/2)+1 = 4; but with 2 seats: quota floor(7/3)+1 = 3.
    # A has 7 = 7 A>B; surplus 4; transfer value 4/7 = 0.571428... -> 0.57142; B gets 7 * 0.57142
    # = 3.99994 and 0.00006 is lost to truncation.
    e = Election.from_rankings({"A>B": 7}, candidates=["A", "B", "C"], seats=2)
    r = Stv.preset("scotland").tabulate(e)
    assert r.rounds[0].transfers[0].votes == Fraction(399994, 100000)
    assert r.rounds[1].set_aside["residual surplus"] == Fraction(6, 100000)


def test_quotas() -> None:
    rule = Stv()
    assert rule.quota_of(100, 3) == (26, False)
    assert Stv(quota="droop", whole_quota=False).quota_of(100, 3) == (Fraction(25), True)
    assert Stv(quota="hare").quota_of(100, 3) == (34, False)
    assert Stv(quota="hare", whole_quota=False).quota_of(100, 3) == (Fraction(100, 3), False)
    assert Stv(quota="hagenbach-bischoff").quota_of(101, 3) == (25, False)


def test_presets_and_options() -> None:
    assert "SSI 2007/42" in Stv.presets()["scotland"]
    assert Stv.from_options(preset="scotland", decimal_places="6").decimal_places == 6
    with pytest.raises(OptionError, match="preset"):
        Stv.preset("atlantis")
    with pytest.raises(OptionError, match="transfer"):
        Stv(transfer="random")
    with pytest.raises(OptionError, match="bottoms_up_threshold"):
        Stv(transfer="rctab", rctab_mode="bottoms-up-percentage")


def test_meek_worked_example() -> None:
    # 12 votes, 2 seats. Round 1: quota 12/3 = 4, A has 8 and is elected. Meek then lowers A's
    # keep factor to 1/2 (A keeps 4 of 8): B gets 5 * 1/2 = 2.5 more (4.5), C 3 * 1/2 (3.5).
    e = Election.from_rankings({"A>B": 5, "A>C": 3, "B": 2, "C": 2}, seats=2)
    r = tabulate(e, "stv", transfer="meek")
    assert [c.name for c in r.winners] == ["A", "B"]
    second = {c.name: v for c, v in r.rounds[1].tally.items()}
    assert second == {"A": 4, "B": Fraction(9, 2), "C": Fraction(7, 2)}


def test_rctab_multi_winner_worked_example() -> None:
    # 11 ballots, 2 seats, 4 decimals, non-integer threshold: trunc4(11/3) + 0.0001 = 3.6667.
    # Round 1: A 6 elected; surplus fraction trunc4((6 - 3.6667)/6) = 0.3888, so each A>B ballot
    # moves 0.3888 to B and A keeps 6 * 0.6112 = 3.6672: residual surplus 0.0005.
    # Round 2: B 2 + 6 * 0.3888 = 4.3328 elected, the last seat. Its fraction trunc4(0.6661/4.3328)
    # = 0.1537: 2 * 0.1537 + 6 * trunc4(0.3888 * 0.1537) = 0.3074 + 0.3582 = 0.6656 is the final
    # round surplus, and B keeps 2 * 0.8463 + 6 * 0.3291 = 3.6672: another 0.0005 residual.
    e = Election.from_rankings({"A>B": 6, "B": 2, "C": 3}, seats=2)
    rule = Stv(transfer="rctab", decimal_places=4, non_integer_winning_threshold=True, tie_break="candidate-order")
    r = rule.tabulate(e)
    assert [c.name for c in r.winners] == ["A", "B"]
    assert [len(r.rounds), _quota(r.rounds[0])] == [3, Fraction(36667, 10000)]
    assert r.rounds[1].tally[e.candidate("B")] == Fraction(43328, 10000)
    last = r.rounds[2]
    assert last.set_aside["final round surplus"] == Fraction(6656, 10000)
    assert last.set_aside["residual surplus"] == Fraction(10, 10000)
    residual = [t for t in r.rounds[0].transfers if t.kind == "residual-surplus"]
    assert [t.votes for t in residual] == [Fraction(5, 10000)]


def test_rctab_bottoms_up_and_multi_pass() -> None:
    e = Election.from_rankings({"A": 5, "B>A": 4, "C>B": 3, "D>C": 1}, seats=2)
    bottoms_up = Stv(transfer="rctab", rctab_mode="bottoms-up", tie_break="candidate-order").tabulate(e)
    assert [c.name for c in bottoms_up.winners] == ["A", "B"]
    # Pass 1: D's ballot goes to C (4), C and B tie at 4 and C (listed later) goes: B 7 beats A 5.
    # Pass 2, without B: A wins.
    passes = Stv(transfer="rctab", rctab_mode="multi-pass-irv", tie_break="candidate-order").tabulate(e)
    assert [c.name for c in passes.winners] == ["B", "A"]
    assert [r.number for r in passes.rounds].count(1) == 2  # each pass numbers its rounds from 1
    pct = Stv(
        transfer="rctab", rctab_mode="bottoms-up-percentage", bottoms_up_threshold="25%", tie_break="candidate-order"
    )
    # 25% of 13 active votes is 3.25: D (1) goes to C; then A 5, B 4, C 4 all reach 3.25.
    assert [c.name for c in pct.tabulate(e).winners] == ["A", "B", "C"]


def _winners(result: Result) -> list[str]:
    return [c.name for c in result.winners]


def test_gregory_and_wigm_agree_where_rounding_cannot_matter() -> None:
    e = Election.from_rankings({"A>B>C": 40, "B>A": 25, "C>B": 20, "D>C": 15}, seats=2)
    assert _winners(Stv.preset("scotland").tabulate(e)) == _winners(Stv(transfer="gregory").tabulate(e))
