"""Majority with runoff (two-round), and the runoff simulated from ranked ballots.

The two-round rule is configurable because real laws differ: the share
needed to win in the first round and how it is compared, an alternative
"share plus lead" condition, a minimum share of registered voters, the
denominator shares are taken of, who advances, and withdrawals between the
rounds. :meth:`TwoRound.preset` configures it as a named statute does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import ClassVar, Literal

import attrs
import numpy as np

from electoral._arith import passes, share_text
from electoral._model import Candidate, Election
from electoral._profile._build import EMPTY, SEVERAL, profile_of
from electoral._registry import RuleInfo, register
from electoral._result import Result, Round, Transfer, format_percent
from electoral._text import excerpt
from electoral.errors import BallotError, MissingDataError, OptionError
from electoral.rules._base import Count, RuleBase, first_preference_count
from electoral.rules._options import choice, to_fraction, to_names, to_optional_fraction, to_optional_int
from electoral.rules._presets import PresetRule, Presets, preset_field
from electoral.rules._runoff._presets import PRESETS

__all__ = ["Contingent", "Supplementary", "TwoRound"]

Comparison = Literal["above", "at-least", "plus-one"]
Denominator = Literal["valid", "cast", "registered"]
_COMPARISONS = ("above", "at-least", "plus-one")
_BASIS = {"valid": "valid votes", "cast": "ballots cast", "registered": "registered voters"}


_COMPARISON_WORDS = {"above": "more than", "at-least": "at least", "plus-one": "one vote more than"}


def first_round(election: Election, count: Count, *, denominator: str, rule: str) -> tuple[Round, dict[Candidate, int]]:
    """Count first preferences into round 1 and return the round and its tally."""
    tally, set_aside = first_preference_count(election)
    valid = sum(tally.values())
    if denominator == "registered":
        if election.registered is None:
            raise MissingDataError(
                f"rule {rule} takes shares of registered voters, but the election has no 'registered'"
            )
        base = election.registered
    else:
        base = valid if denominator == "valid" else election.cast
    round = Round(
        number=len(count.rounds) + 1,
        tally=tally,
        ballots=election.cast,
        continuing=valid,
        set_aside=set_aside,
        denominator=base,
        basis=_BASIS[denominator],
    )
    return count.add_round(round), tally


@register
@attrs.frozen(kw_only=True)
class TwoRound(PresetRule, RuleBase):
    """Majority with runoff: win outright in round 1, or the leaders meet in round 2.

    **Round 1.** The leader is elected if their share of the ``denominator``
    (``"valid"`` votes, all ballots ``"cast"`` including blank and invalid,
    or ``"registered"`` voters) meets ``threshold`` under ``comparison``
    (``"above"``, ``"at-least"`` or ``"plus-one"``). Alternatively, if
    ``alternative_share`` is set, the leader is elected with that share
    (compared by ``alternative_comparison``) and a lead over the runner-up of
    more than ``alternative_lead`` (``alternative_lead_comparison``), both in
    points of the same denominator. If ``registered_share`` is set, the
    winner must also have that share of registered voters.

    **Who advances.** ``advance="top-two"``: the two with most votes among
    those who did not withdraw (``withdrawn``). ``advance="registered-share"``:
    everyone with at least ``advance_share`` of registered voters; if only
    one, the runner-up too; if none, the top two; then the withdrawn leave.
    Withdrawing every candidate, or withdrawals that leave nobody to advance
    when round 1 decides nothing, is an OptionError: there is no second
    round to hold.

    **Round 2.** ``tabulate(first_round, runoff=second_round)`` counts the
    runoff's own ballots; the candidate with most votes wins. Without them,
    the result's status is ``"runoff"`` and ``Result.advancing`` names who
    goes on.

    ``TwoRound.preset(name)`` configures the rule as a statute does; see
    :func:`TwoRound.presets` for the names and their legal sources.
    """

    _extra_options: ClassVar[tuple[str, ...]] = ("preset",)
    _presets: ClassVar[Presets] = PRESETS
    info: ClassVar[RuleInfo] = RuleInfo(
        name="two-round",
        family="runoff",
        marks={"single", "ranking"},
        winners="single",
        summary="Majority with runoff, configurable to real statutes (presets for a dozen countries).",
        takes_runoff=True,
    )

    threshold: Fraction = attrs.field(default=Fraction(1, 2), converter=to_fraction)
    comparison: Comparison = attrs.field(default="above", validator=choice(*_COMPARISONS))
    denominator: Denominator = attrs.field(default="valid", validator=choice("valid", "cast", "registered"))
    alternative_share: Fraction | None = attrs.field(default=None, converter=to_optional_fraction)
    alternative_comparison: Comparison = attrs.field(default="at-least", validator=choice(*_COMPARISONS))
    alternative_lead: Fraction | None = attrs.field(default=None, converter=to_optional_fraction)
    alternative_lead_comparison: Literal["above", "at-least"] = attrs.field(
        default="above", validator=choice("above", "at-least")
    )
    registered_share: Fraction | None = attrs.field(default=None, converter=to_optional_fraction)
    advance: Literal["top-two", "registered-share"] = attrs.field(
        default="top-two", validator=choice("top-two", "registered-share")
    )
    advance_share: Fraction | None = attrs.field(default=None, converter=to_optional_fraction)
    withdrawn: tuple[str, ...] = attrs.field(default=(), converter=to_names)
    preset_name: str | None = preset_field()

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if (self.alternative_share is None) != (self.alternative_lead is None):
            raise OptionError("alternative_share and alternative_lead go together: give both or neither")
        if self.advance == "registered-share" and self.advance_share is None:
            raise OptionError("advance='registered-share' needs advance_share, e.g. advance_share=12.5%")
        for name in ("threshold", "alternative_share", "alternative_lead", "registered_share", "advance_share"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise OptionError(f"{name} must be a share between 0 and 1, not {value}")

    # -- counting -------------------------------------------------------------------

    def tabulate(self, election: Election, /, runoff: Election | None = None) -> Result:
        """Count round 1, and round 2 from ``runoff`` if a runoff is needed and its ballots are given."""
        if not isinstance(election, Election):
            raise OptionError(f"rule 'two-round' counts an Election, not {excerpt(election)}")
        if runoff is not None and not isinstance(runoff, Election):
            raise OptionError(f"runoff must be the Election of the second round's ballots, not {excerpt(runoff)}")
        self._check_needs(election)
        if runoff is not None:
            self._check_marks(runoff)
        return self._tabulate(election, lambda election, count: self._count_rounds(election, count, runoff))

    def _label(self) -> str:
        return f"'two-round' (preset {excerpt(self.preset_name)})" if self.preset_name else "'two-round'"

    def _check_needs(self, election: Election) -> None:
        for name in self.withdrawn:
            election.candidate(name)  # a misspelt withdrawal is an error even when round 1 decides
        if set(self.withdrawn) >= set(election.names):
            raise OptionError(
                f"rule {self._label()}: every one of the {len(election.candidates)} candidate(s) withdrew;"
                " no candidate is left for a second round"
            )
        needs = (
            self.denominator == "registered" or self.registered_share is not None or self.advance == "registered-share"
        )
        if needs and election.registered is None:
            raise MissingDataError(
                f"rule {self._label()} needs the number of registered voters; give the election registered=..."
            )

    def _count_rounds(self, election: Election, count: Count, runoff: Election | None) -> None:
        round1, tally = first_round(election, count, denominator=self.denominator, rule=self._label())
        base = int(round1.denominator)
        reason = self._outright(tally, base, election)
        if reason is not None:
            # Only when several leaders share the winning score does a tie decide who is elected.
            (leader,) = count.top(tally, 1, round=1, decision="elect in round 1")
            count.set_threshold(self.threshold, self.comparison)
            count.elect(leader, note=reason(leader))
            if runoff is not None:
                raise OptionError(f"no runoff was needed: {leader.name} was elected in round 1")
            return
        advancing = self._advancing(tally, election, count)
        if not advancing:
            raise OptionError(
                f"rule {self._label()}: no candidate won in round 1, and the withdrawals leave nobody to"
                " advance to round 2"
            )
        eliminated = tuple(c for c in election.candidates if c not in advancing)
        count.set_threshold(self.threshold, self.comparison)
        count.advance(*advancing)
        count.eliminate(*eliminated, note=self._runoff_note(tally, base, advancing))
        if runoff is None:
            count.status = "runoff"
            return
        self._second_round(count, advancing, runoff)

    def _outright(
        self, tally: dict[Candidate, int], base: int, election: Election
    ) -> Callable[[Candidate], str] | None:
        """If the most-voted candidate wins in round 1, a function giving the reason; else None.

        The conditions read only the leading score and the runner-up's score,
        so no tie needs breaking to decide whether round 1 is decisive.
        """
        scores = sorted(tally.values(), reverse=True)
        votes = scores[0]
        second = scores[1] if len(scores) > 1 else 0
        share = Fraction(votes, base) if base else Fraction(0)

        def of(leader: Candidate) -> str:
            return f"{leader.name} has {votes:,} of {base:,} {_BASIS[self.denominator]} ({format_percent(share)}%)"

        if self.registered_share is not None:
            assert election.registered is not None  # checked before counting
            if not votes >= self.registered_share * election.registered:
                return None
        if base and passes(votes, base, self.threshold, self.comparison):
            words = f"{_COMPARISON_WORDS[self.comparison]} {share_text(self.threshold, half=True)}"
            return lambda leader: f"{of(leader)}, {words}: elected in round 1."
        if self.alternative_share is not None and self.alternative_lead is not None and base:
            lead = Fraction(votes - second, base)
            if self.alternative_lead_comparison == "above":
                lead_ok = lead > self.alternative_lead
            else:
                lead_ok = lead >= self.alternative_lead
            if passes(votes, base, self.alternative_share, self.alternative_comparison) and lead_ok:
                words = (
                    f"{_COMPARISON_WORDS[self.alternative_comparison]} {share_text(self.alternative_share, half=True)}"
                )
                return lambda leader: (
                    f"{of(leader)}, {words}, with a lead of {format_percent(lead)} points: elected in round 1."
                )
        return None

    def _advancing(self, tally: dict[Candidate, int], election: Election, count: Count) -> tuple[Candidate, ...]:
        withdrawn = {election.candidate(name) for name in self.withdrawn}
        decision = "advance to round 2"
        if self.advance == "top-two":
            return count.top(tally, 2, round=1, decision=decision, among=[c for c in tally if c not in withdrawn])
        assert self.advance_share is not None
        assert election.registered is not None
        needed = self.advance_share * election.registered
        qualified = [c for c in tally if tally[c] >= needed]
        if not qualified:
            chosen = count.top(tally, 2, round=1, decision=decision)
        elif len(qualified) == 1:
            others = [c for c in tally if c not in qualified]
            chosen = tuple(qualified) + count.top(tally, 1, round=1, decision=decision, among=others)
        else:
            chosen = tuple(sorted(qualified, key=lambda c: -tally[c]))
        return tuple(c for c in chosen if c not in withdrawn)

    def _runoff_note(self, tally: dict[Candidate, int], base: int, advancing: tuple[Candidate, ...]) -> str:
        top = max(tally.values())
        share = Fraction(top, base) if base else Fraction(0)
        leaders = [c.name for c in tally if tally[c] == top]
        who = f"the leader {leaders[0]} has" if len(leaders) == 1 else f"the leaders {join_names(leaders)} have"
        share_words = share_text(self.threshold, half=True)
        needed = f"{_COMPARISON_WORDS[self.comparison]} {share_words} of {_BASIS[self.denominator]}"
        names = join_names(c.name for c in advancing) or "nobody"
        return (
            f"No candidate won outright (needed {needed}; {who} {format_percent(share)}%). "
            f"{names} {'advances' if len(advancing) == 1 else 'advance'} to round 2."
        )

    def _second_round(self, count: Count, advancing: tuple[Candidate, ...], runoff: Election) -> None:
        names = {c.name: c for c in advancing}
        for ballot in runoff.ballots:
            strays = sorted(c.name for c in ballot.candidates() if c.name not in names)
            if strays:
                raise BallotError(
                    f"runoff ballot {excerpt(str(ballot))} marks {', '.join(map(excerpt, strays))}, "
                    "who did not advance to round 2"
                )
        runoff_tally, set_aside = first_preference_count(runoff)
        by_name = {c.name: votes for c, votes in runoff_tally.items()}
        tally = {c: by_name.get(c.name, 0) for c in advancing}
        valid = sum(tally.values())
        count.add_round(
            Round(
                number=2,
                tally=tally,
                ballots=runoff.cast,
                continuing=valid,
                set_aside=set_aside,
                denominator=valid,
                basis="valid votes",
            )
        )
        (winner,) = count.top(tally, 1, round=2, decision="elect in round 2")
        share = Fraction(tally[winner], valid) if valid else Fraction(0)
        count.elect(
            winner,
            note=f"{winner.name} {_wins(tally, winner)} in round 2: {tally[winner]:,} of {valid:,} valid votes "
            f"({format_percent(share)}%).",
        )

    def _count(self, election: Election, count: Count, /) -> None:
        self._count_rounds(election, count, None)


def _simulated_runoff(rule: RuleBase, election: Election, count: Count, limit: int | None, threshold: Fraction) -> None:
    round1, tally = first_round(election, count, denominator="valid", rule=repr(rule.info.name))
    valid = int(round1.denominator)
    top = max(tally.values())
    if valid and passes(top, valid, threshold, "above"):
        (leader,) = count.top(tally, 1, round=1, decision="elect in round 1")
        share = Fraction(top, valid)
        count.set_threshold(threshold, "above")
        count.elect(
            leader,
            note=f"{leader.name} has {format_percent(share)}% of first preferences, "
            f"more than {share_text(threshold, half=True)}: elected.",
        )
        return
    finalists = count.top(tally, 2, round=1, decision="go on to the second count")
    eliminated = tuple(c for c in election.candidates if c not in finalists)
    count.set_threshold(threshold, "above")
    count.advance(*finalists)
    count.eliminate(
        *eliminated,
        note=f"No candidate has more than {share_text(threshold, half=True)} of first preferences; "
        f"{join_names(c.name for c in finalists)} go on, and the other ballots transfer.",
    )
    profile = profile_of(election)
    index = {c: i for i, c in enumerate(election.candidates)}
    first = profile.first_preferences()
    ranks = profile.ranks if limit is None else profile.ranks[:, :limit]
    final_idx = np.array([index[c] for c in finalists], dtype=np.int32)
    moving = (first >= 0) & ~np.isin(first, final_idx)
    hit = np.isin(ranks, final_idx) | (ranks == SEVERAL)
    found = hit.any(axis=1)
    target = np.where(found, ranks[np.arange(len(first)), hit.argmax(axis=1)] if ranks.shape[1] else EMPTY, EMPTY)
    target[target == SEVERAL] = EMPTY  # an overvote before any finalist ends the ballot's say
    transfers: list[Transfer] = []
    new_tally = {c: tally[c] for c in finalists}
    exhausted = 0
    for source in eliminated:
        rows = moving & (first == index[source])
        for destination in (*finalists, None):
            code = EMPTY if destination is None else index[destination]
            votes = profile.weight(rows & (target == code))
            if votes:
                transfers.append(
                    Transfer(source, destination, votes, kind="exhausted" if destination is None else "candidate")
                )
                if destination is None:
                    exhausted += votes
                else:
                    new_tally[destination] += votes
    set_aside = dict(round1.set_aside)
    if exhausted:
        set_aside["exhausted"] = exhausted
    continuing = sum(new_tally.values())
    count.add_round(
        Round(
            number=2,
            tally=new_tally,
            ballots=election.cast,
            continuing=continuing,
            set_aside=set_aside,
            denominator=continuing,
            basis="continuing votes",
            transfers=tuple(transfers),
        )
    )
    (winner,) = count.top(new_tally, 1, round=2, decision="elect in round 2")
    count.elect(
        winner,
        note=f"After transfers {winner.name} {_wins(new_tally, winner)}: {new_tally[winner]:,} of {continuing:,} "
        "continuing votes.",
    )


def share_between_0_and_1(instance: object, attribute: attrs.Attribute[Fraction], value: Fraction) -> None:
    if not 0 <= value <= 1:
        raise OptionError(f"{attribute.name} must be a share between 0 and 1, not {value}")


def at_least_one(instance: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < 1:
        raise OptionError(f"{attribute.name} must be at least 1 (or None for every rank), not {value}")


def _wins(tally: Mapping[Candidate, int], winner: Candidate) -> str:
    level = [c for c in tally if c != winner and tally[c] == tally[winner]]
    return "wins the tie-break (see the ties)" if level else "has the most votes"


def join_names(names: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


@register
@attrs.frozen(kw_only=True)
class Contingent(RuleBase):
    """The contingent vote: a runoff simulated from ranked ballots.

    A candidate with more than ``threshold`` (default half) of valid first
    preferences is elected. Otherwise the two candidates with most first
    preferences go on, every other candidate is eliminated at once, and each
    of their ballots transfers to whichever finalist it ranks higher, or is
    exhausted. ``max_preferences`` limits how many ranks are read (all by
    default). An overvoted rank ends a ballot's say.
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="contingent",
        family="runoff",
        marks={"ranking"},
        winners="single",
        summary="Contingent vote: top two go on, other ballots transfer to the finalist ranked higher.",
    )

    threshold: Fraction = attrs.field(default=Fraction(1, 2), converter=to_fraction, validator=share_between_0_and_1)
    max_preferences: int | None = attrs.field(default=None, converter=to_optional_int, validator=at_least_one)

    def _count(self, election: Election, count: Count, /) -> None:
        _simulated_runoff(self, election, count, self.max_preferences, self.threshold)


@register
@attrs.frozen(kw_only=True)
class Supplementary(RuleBase):
    """The supplementary vote: the contingent vote reading only the first two preferences.

    As used for directly elected mayors in England (Greater London Authority
    Act 1999, Schedule 2, paragraph 4, before its repeal by the Elections Act
    2022): with no candidate over half of first preferences, the top two go
    on and second preferences for either are added to their totals.
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="supplementary",
        family="runoff",
        marks={"ranking"},
        winners="single",
        summary="Supplementary vote: the contingent vote reading only first and second preferences.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        _simulated_runoff(self, election, count, 2, Fraction(1, 2))
