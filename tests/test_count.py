"""The typed Count a rule writes into, the rule protocol tabulate() builds rules by, and runoff ballots.

The third-party rules here import only public names (checked below), as a
plugin would: ``electoral`` and ``electoral.rules``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

from electoral import Candidate, Election, Result, Round, TieRecord, Transfer, tabulate
from electoral.errors import ElectoralError, OptionError
from electoral.rules import Count, Plurality, RuleBase, RuleInfo, TwoRound, get, names, register


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Leave the registry as it was: rules registered by a test are forgotten after it."""
    from electoral import _registry  # the test's own bookkeeping, not what a plugin needs

    saved = dict(_registry._RULES)
    yield
    _registry._RULES.clear()
    _registry._RULES.update(saved)


# -- a third-party rule, written with public names only -------------------------------------


@attrs.frozen(kw_only=True)
class LastOut(RuleBase):
    """Eliminate the candidate with fewest first preferences, transfer, repeat; the last one standing wins.

    A ballot counts for its first rank that holds a continuing candidate.
    ``quota`` ends the count early: a candidate with at least that many
    votes is elected at once.
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="test-last-out", family="test", marks={"ranking"}, winners="single", summary="For tests only."
    )

    quota: int | None = None

    def _count(self, election: Election, count: Count) -> None:
        continuing = list(election.candidates)
        number = 0
        while True:
            number += 1
            tally = dict.fromkeys(continuing, 0)
            exhausted = 0
            for ballot in election.ballots:
                top = next((c for rank in ballot.ranking for c in rank if c in tally), None)
                if top is None:
                    exhausted += ballot.count
                else:
                    tally[top] += ballot.count
            valid = sum(tally.values())
            count.add_round(Round(number=number, tally=tally, ballots=valid + exhausted, continuing=valid))
            if exhausted:
                count.set_aside("exhausted", exhausted)
            if self.quota is not None:
                count.set_threshold(Fraction(self.quota, valid or 1), "at-least")
                over = [c for c in continuing if tally[c] >= self.quota]
                if over:
                    count.elect(*count.top(tally, 1, round=number, decision="elect"), note="quota reached")
                    return
            if len(continuing) == 1:
                count.elect(continuing[0], note=f"{continuing[0].name} is the last one standing")
                return
            fewest = min(tally.values())
            (out,) = count.decide_tie(
                [c for c in continuing if tally[c] == fewest], 1, round=number, decision="eliminate", favour=False
            )
            continuing.remove(out)
            count.eliminate(out, note=f"{out.name} has fewest votes")
            moves: dict[Candidate | None, int] = {}
            for ballot in election.ballots:
                top = next((c for rank in ballot.ranking for c in rank if c in tally), None)
                if top == out:
                    after = next((c for rank in ballot.ranking for c in rank if c in continuing), None)
                    moves[after] = moves.get(after, 0) + ballot.count
            count.transfer(
                *(
                    Transfer(out, target, votes, kind="candidate" if target else "exhausted")
                    for target, votes in moves.items()
                )
            )


@attrs.frozen
class PlainRule:
    """A rule that is a plain attrs class, not a RuleBase: the minimal protocol (info, tabulate, to_dict).

    It takes a runoff (``info.takes_runoff``): with one, the runoff's plurality winner wins.
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="test-plain", family="test", marks={"ranking"}, winners="single", summary="For tests.", takes_runoff=True
    )

    bonus: int = 0

    def tabulate(self, election: Election, /, *, runoff: Election | None = None) -> Result:
        return Plurality().tabulate(election if runoff is None else runoff)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.info.name, "options": {"bonus": self.bonus}}


def test_this_file_imports_only_public_names() -> None:
    """What the third-party rules above use is the public surface: no module path has a private part."""
    tree = ast.parse(Path(__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("electoral"):
            assert not any(part.startswith("_") for part in node.module.split(".")), node.module
            if node.col_offset == 0:  # module level: what the rules see
                assert not any(alias.name.startswith("_") for alias in node.names), node.module


def test_the_public_names_a_rule_author_needs() -> None:
    import electoral
    import electoral.rules

    for name in ("Round", "Transfer", "Result", "TieBreak", "TieRecord", "Candidate", "Election"):
        assert name in electoral.__all__, name
    for name in ("RuleBase", "Count", "RuleInfo", "Rule", "RunoffRule", "register", "first_preference_count"):
        assert name in electoral.rules.__all__, name
        assert getattr(electoral.rules, name).__doc__, name


@pytest.mark.usefixtures("clean_registry")
def test_a_third_party_rule_is_registered_and_counted_by_name() -> None:
    register(LastOut)
    assert "test-last-out" in names()
    # A 4, B 3, C 2: C has fewest and is eliminated; C's two ballots go to B (C>B): B 5, A 4, B wins.
    election = Election.from_rankings({"A>B": 4, "B>A": 3, "C>B": 2})
    a, b, c = election.candidates
    result = tabulate(election, "test-last-out")
    assert result.winners == (b,)
    assert result.status == "decided"
    first, second, third = result.rounds
    assert dict(first.tally) == {a: 4, b: 3, c: 2}
    assert first.eliminated == (c,)
    assert first.transfers == (Transfer(c, b, 2),)
    assert first.note == "C has fewest votes"
    assert dict(second.tally) == {a: 4, b: 5}
    assert second.eliminated == (a,)
    assert second.transfers == (Transfer(a, b, 4),)
    assert dict(third.tally) == {b: 9}
    assert third.elected == (b,)
    assert result.notes[-1] == "B is the last one standing"


@pytest.mark.usefixtures("clean_registry")
def test_a_third_party_rule_takes_options_and_refuses_unknown_ones() -> None:
    register(LastOut)
    election = Election.from_rankings({"A>B": 4, "B>A": 3, "C>B": 2})
    result = tabulate(election, "test-last-out", quota=4)  # A has 4 at once
    assert [w.name for w in result.winners] == ["A"]
    assert len(result.rounds) == 1
    assert result.rounds[0].threshold == Fraction(4, 9)
    assert result.rounds[0].comparison == "at-least"
    assert result.rule == LastOut(quota=4)
    with pytest.raises(OptionError, match="'test-last-out' has no option 'quoat'"):
        tabulate(election, "test-last-out", quoat=4)


@pytest.mark.usefixtures("clean_registry")
def test_exhausted_votes_are_set_aside() -> None:
    register(LastOut)
    # A 3, B 2, C 1 (C alone): C is eliminated and its ballot exhausts; then B, whose ballots go to A.
    election = Election.from_rankings({"A": 3, "B>A": 2, "C": 1})
    result = tabulate(election, "test-last-out")
    assert [w.name for w in result.winners] == ["A"]
    second = result.rounds[1]
    assert dict(second.set_aside) == {"exhausted": 1}
    assert second.ballots == 6
    assert second.continuing == 5
    assert result.rounds[0].transfers == (Transfer(election.candidates[2], None, 1, kind="exhausted"),)


@pytest.mark.usefixtures("clean_registry")
def test_decide_tie_follows_the_tie_break_and_is_recorded() -> None:
    register(LastOut)
    # A 2, B 2: a tie for elimination in round 1.
    election = Election.from_rankings({"A": 2, "B": 2})
    a, b = election.candidates
    # favour=False: the least favoured of the order (A first, so B) is eliminated, and A wins.
    result = tabulate(election, "test-last-out", tie_break=["A", "B"])
    assert result.winners == (a,)
    assert result.ties == (
        TieRecord(
            round=1,
            decision="eliminate",
            candidates=(a, b),
            places=1,
            policy=str(result.rule.tie_break),  # type: ignore[attr-defined]
            chosen=(b,),
            detail=result.ties[0].detail,
        ),
    )
    assert tabulate(election, "test-last-out", tie_break=["B", "A"]).winners == (b,)
    # "stop" leaves the tie open: the count ends there, tied, with the tie recorded unresolved.
    stopped = tabulate(election, "test-last-out")
    assert stopped.status == "tied"
    assert stopped.winners == ()
    assert not stopped.ties[0].resolved
    # "all" follows both resolutions: each of A and B wins under one.
    everything = tabulate(election, "test-last-out", tie_break="all")
    assert everything.winners == (a, b)
    assert everything.outcomes == 2


# -- each Count operation, on a count of its own ------------------------------------------


def _count_of(election: Election) -> Count:
    """A Count as the library makes one (the resolver type is private: the test reaches it through a rule)."""
    made: list[Count] = []

    @attrs.frozen(kw_only=True)
    class Capture(RuleBase):
        """Keeps the Count it is given."""

        info: ClassVar[RuleInfo] = RuleInfo(
            name="test-capture", family="test", marks={"ranking"}, winners="multiple", summary="For tests."
        )

        def _count(self, election: Election, count: Count, /) -> None:
            made.append(count)

    Capture().tabulate(election)
    return made[0]


ELECTION = Election.from_rankings({"A>B": 5, "B>C": 3, "C": 2}, seats=2)
A, B, C = ELECTION.candidates


def _round(number: int = 1, **more: Any) -> Round:
    return Round(number=number, tally={A: 5, B: 3, C: 2}, ballots=10, continuing=10, **more)


def test_add_round_records_the_latest_round() -> None:
    count = _count_of(ELECTION)
    first = _round(1)
    assert count.add_round(first) is first
    second = _round(2)
    count.add_round(second)
    assert count.rounds == [first, second]
    with pytest.raises(ElectoralError, match=r"add_round.*Round"):
        count.add_round({"A": 1})  # type: ignore[arg-type]


def test_operations_need_a_round() -> None:
    count = _count_of(ELECTION)
    for operation in (
        lambda: count.elect(A),
        lambda: count.eliminate(A),
        lambda: count.advance(A),
        lambda: count.transfer(Transfer(A, B, 1)),
        lambda: count.set_aside("exhausted", 1),
        lambda: count.set_threshold(Fraction(1, 2), "above"),
        lambda: count.note("x"),
    ):
        with pytest.raises(ElectoralError, match="no round was added"):
            operation()
    assert count.elected == []
    assert count.advancing == []


def test_elect_records_in_the_round_and_among_the_winners() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1, note="before"))
    latest = count.elect(B)
    assert latest is count.rounds[-1]
    assert latest.elected == (B,)
    assert latest.note == "before"  # no note given: the note stays
    count.elect(A, note="A and B elected")
    assert count.rounds[-1].elected == (B, A)
    assert count.rounds[-1].note == "A and B elected"
    assert count.elected == [B, A]
    count.elect(A)  # already a winner: recorded in the round again, not added to the winners twice
    assert count.elected == [B, A]
    count.add_round(_round(2))
    count.elect(C, in_result=False)
    assert count.rounds[-1].elected == (C,)
    assert count.elected == [B, A]
    assert count.rounds[0].elected == (B, A, A)
    with pytest.raises(ElectoralError, match=r"elect\(\) takes candidates.*'A'"):
        count.elect("A")  # type: ignore[arg-type]


def test_eliminate_records_in_the_round() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1, note="kept"))
    count.eliminate(C)
    count.eliminate(B, note="B and C out")
    assert count.rounds[-1].eliminated == (C, B)
    assert count.rounds[-1].note == "B and C out"
    assert count.elected == []
    with pytest.raises(ElectoralError, match="eliminate"):
        count.eliminate(None)  # type: ignore[arg-type]


def test_advance_records_in_the_round_and_in_the_result() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1))
    count.advance(A, B, note="A and B go on")
    assert count.rounds[-1].advancing == (A, B)
    assert count.rounds[-1].note == "A and B go on"
    assert count.advancing == [A, B]
    count.add_round(_round(2))
    count.advance(C, in_result=False)
    assert count.rounds[-1].advancing == (C,)
    assert count.advancing == [A, B]


def test_transfer_records_transfers_after_those_already_there() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1, note="n"))
    first, second = Transfer(C, B, 2), Transfer(C, None, Fraction(1, 3), kind="exhausted")
    count.transfer(first)
    count.transfer(second)
    assert count.rounds[-1].transfers == (first, second)
    assert count.rounds[-1].tally == _round(1).tally  # the tally is the rule's to record
    assert count.rounds[-1].note == "n"
    count.transfer(note="nothing moved")
    assert count.rounds[-1].transfers == (first, second)
    assert count.rounds[-1].note == "nothing moved"
    with pytest.raises(ElectoralError, match="Transfer"):
        count.transfer((C, B, 2))  # type: ignore[arg-type]


def test_set_aside_adds_votes_by_reason() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1, set_aside={"blank": 1}))
    count.set_aside("exhausted", 2)
    count.set_aside("exhausted", Fraction(1, 2))
    count.set_aside("final round surplus", 0)
    latest = count.rounds[-1]
    assert dict(latest.set_aside) == {"blank": 1, "exhausted": Fraction(5, 2), "final round surplus": 0}
    assert list(latest.set_aside) == ["blank", "exhausted", "final round surplus"]
    assert latest.continuing == 10  # not changed
    with pytest.raises(ElectoralError, match="votes"):
        count.set_aside("exhausted", 1.5)  # type: ignore[arg-type]
    with pytest.raises(ElectoralError, match="reason"):
        count.set_aside("", 1)


def test_set_threshold_records_the_share_and_how_it_is_compared() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1))
    count.set_threshold(Fraction(1, 2), "plus-one")
    assert (count.rounds[-1].threshold, count.rounds[-1].comparison) == (Fraction(1, 2), "plus-one")
    with pytest.raises(ElectoralError, match="'more'"):
        count.set_threshold(Fraction(1, 2), "more")


def test_note_replaces_or_appends() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1, note="threshold 6 votes"))
    count.note("; A elected", append=True)
    assert count.rounds[-1].note == "threshold 6 votes; A elected"
    count.note("fresh")
    assert count.rounds[-1].note == "fresh"
    with pytest.raises(ElectoralError, match="text"):
        count.note(3)  # type: ignore[arg-type]


def test_the_result_is_built_from_what_the_operations_record() -> None:
    @attrs.frozen(kw_only=True)
    class TwoSteps(RuleBase):
        """Round 1 sends A and B on; round 2 elects B."""

        info: ClassVar[RuleInfo] = RuleInfo(
            name="test-two-steps", family="test", marks={"ranking"}, winners="multiple", summary="For tests."
        )

        def _count(self, election: Election, count: Count, /) -> None:
            a, b, c = election.candidates
            count.add_round(Round(number=1, tally={a: 5, b: 3, c: 2}, ballots=10, continuing=10))
            count.advance(a, b)
            count.eliminate(c, note="C out")
            count.transfer(Transfer(c, b, 2))
            count.add_round(Round(number=2, tally={a: 5, b: 5}, ballots=10, continuing=10))
            count.elect(b, note="B elected")

    result = TwoSteps().tabulate(ELECTION)
    assert result.winners == (B,)
    assert result.advancing == (A, B)
    assert result.notes == ("C out", "B elected")
    assert [r.to_dict()["eliminated"] for r in result.rounds] == [["C"], []]


# -- runoff ballots, passed explicitly ------------------------------------------------------

FIRST = Election.from_counts({"A": 45, "B": 40, "C": 15})


def test_the_runoff_reaches_the_rule_explicitly() -> None:
    runoff = Election.from_counts({"A": 30, "B": 70})
    by_name = tabulate(FIRST, "two-round", runoff=runoff)
    direct = TwoRound().tabulate(FIRST, runoff=runoff)
    assert by_name == direct
    assert by_name.status == "decided"
    assert by_name.winner is not None
    assert by_name.winner.name == "B"
    assert {c.name: v for c, v in by_name.rounds[1].tally.items()} == {"A": 30, "B": 70}
    # without the runoff's ballots, the same count stops at round 1 and names who goes on
    waiting = tabulate(FIRST, "two-round")
    assert waiting.status == "runoff"
    assert [c.name for c in waiting.advancing] == ["A", "B"]
    assert len(waiting.rounds) == 1
    # under tie_break="all" the runoff reaches every run of the count
    assert tabulate(FIRST, "two-round", runoff=runoff, tie_break="all").winners == by_name.winners


def test_rule_info_declares_who_takes_a_runoff() -> None:
    assert TwoRound.info.takes_runoff
    assert not Plurality.info.takes_runoff
    assert not RuleInfo(name="x", family="x", marks={"single"}, winners="single", summary="x").takes_runoff
    assert "two-round" in {name for name in names() if get(name).info.takes_runoff}


def test_a_runoff_for_a_rule_without_one_is_an_option_error() -> None:
    runoff = Election.from_counts({"A": 30, "B": 70})
    for rule in ("plurality", Plurality(), "instant-runoff", "contingent"):
        with pytest.raises(OptionError, match="has no second round to give runoff ballots to"):
            tabulate(FIRST, rule, runoff=runoff)


# -- the rule protocol: a plain class --------------------------------------------------------


@pytest.mark.usefixtures("clean_registry")
def test_a_plain_class_rule_is_built_with_its_options() -> None:
    register(PlainRule)
    result = tabulate(FIRST, "test-plain", bonus=2)
    assert result.winner is not None
    assert result.winner.name == "A"
    with pytest.raises(OptionError, match="'test-plain'"):
        tabulate(FIRST, "test-plain", malus=2)
    with pytest.raises(OptionError, match="'test-plain' does not take options here"):
        tabulate(FIRST, PlainRule(), bonus=1)
    # it declares takes_runoff, so it is given the runoff's ballots
    runoff = Election.from_counts({"A": 30, "B": 70})
    chosen = tabulate(FIRST, "test-plain", runoff=runoff)
    assert chosen.winner is not None
    assert chosen.winner.name == "B"


@pytest.mark.usefixtures("clean_registry")
def test_axioms_and_rctab_build_rules_the_same_way() -> None:
    from electoral import axioms

    register(PlainRule)
    assert axioms.rule_instance("test-plain") == PlainRule()
    assert axioms.rule_instance(LastOut) == LastOut()
    assert axioms.rule_instance("two-round") == TwoRound()


def test_a_tie_the_statute_settles_is_recorded_without_the_tie_break() -> None:
    count = _count_of(ELECTION)
    count.add_round(_round(1))
    assert count.ties_recorded == 0
    count.settled_tie([C, B], 1, [B], round=1, decision="award a seat", rule="most votes", detail="B has more")
    assert count.ties_recorded == 1
    (record,) = count.resolver.records
    assert (record.candidates, record.chosen) == ((C, B), (B,))
    assert (record.policy, record.detail) == ("most votes", "B has more")


def test_apportionment_records_a_tie_settled_by_votes() -> None:
    # equal D'Hondt quotients (A 20/2 = B 10/1) for the last seat; the statute gives it to the list with more votes
    election = Election.from_counts({"A": 20, "B": 10}, seats=2)
    result = tabulate(election, "dhondt", tie_votes=True)
    (record,) = result.ties
    assert record.policy == "most votes"
    assert [c.name for c in record.chosen] == ["A"]
