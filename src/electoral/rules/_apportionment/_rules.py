"""Proportional representation: party-list seat allocation with thresholds and caps.

Parties (lists) are :class:`~electoral.Candidate` objects and votes are
single-mark ballots, usually from :meth:`Election.from_counts`; the
election's ``seats`` is the size of the house, which may exceed the number
of lists.

Every rule here counts in up to four kinds of round:

1. **Threshold** (only when the options set one): every list's votes and
   share of the threshold's denominator; the lists that qualify are marked
   "advances", the others "eliminated", and the note says why for each.
2. **Allocation**: the qualifying lists' votes; votes for the other lists
   are set aside as ``"below threshold"`` (with blank and invalid ballots),
   so ``ballots == continuing + sum(set_aside)``. The note holds the seat
   table: votes, share of the votes in the allocation, the quotients (the
   last that won a seat and the next) or the quota, whole quotas and
   remainders, and seats.
3. **Cap** (only when a list wins more than ``cap``): the list keeps
   ``cap`` seats and the seats over it are shared among the other lists by
   the same method, as if the capped list were not there, repeated until no
   list is over the cap. This is the Kyrgyz rule of 2011–2020: the 2010
   Constitution limits a party to 65 of the 120 seats, and the
   Constitutional Law "On elections of the President and deputies of the
   Jogorku Kenesh" (2 July 2011, No. 68) gives the seats over the limit to
   the other lists that passed the threshold, in proportion to their votes.
4. **Two tiers** (only with ``electorate_seats``): levelling, if asked for,
   then each list's electorate and list seats and any overhang (see
   :func:`~electoral.rules._apportionment_mmp.mixed_member`).

``Result.seats`` maps every list (zeros included) to its seats, and
``Result.winners`` lists the lists with at least one seat, in the
election's order.

Ties (equal quotients or remainders for the last seats) go to the list
with more votes, as many statutes provide (``tie_votes=True``); lists also
equal in votes are settled by ``tie_break`` (e.g. ``"lot"`` with a
``seed``). Every tie is recorded in ``Result.ties``, including those that
votes settled (policy ``"most votes"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar, Literal

import attrs

from electoral._arith import format_decimal
from electoral._display import text_table
from electoral._model import Candidate, Election
from electoral._registry import RuleInfo, register
from electoral._result import Round, format_percent
from electoral._text import excerpt
from electoral._ties._cut import top_with_cut
from electoral.errors import CountError, OptionError
from electoral.rules._apportionment._kernel import (
    DIVISOR_METHODS,
    QUOTAS,
    Chooser,
    DivisorMethod,
    divisor_seats,
    largest_remainder_seats,
    modified_sainte_lague,
    quota_of,
)
from electoral.rules._apportionment._mmp import deducted_seats, mixed_member, to_seat_counts
from electoral.rules._apportionment._threshold import (
    RegionalVotes,
    qualify,
    to_coalition_thresholds,
    to_coalitions,
    to_regional_cast,
    to_regional_votes,
)
from electoral.rules._base import Count, RuleBase, first_preference_count
from electoral.rules._options import (
    choice,
    to_bool,
    to_fraction,
    to_int,
    to_names,
    to_optional_fraction,
    to_optional_int,
)

__all__ = [
    "Adams",
    "DHondt",
    "Danish",
    "Dean",
    "HuntingtonHill",
    "ImperialiDivisor",
    "LargestRemainder",
    "ModifiedSainteLague",
    "SainteLague",
]


def _check_share(instance: Any, attribute: Any, value: Fraction | None) -> None:
    if value is not None and not 0 <= value <= 1:
        raise OptionError(f"{attribute.name} must be a share between 0 and 1, not {value}")


def _check_cap(instance: Any, attribute: Any, value: int | None) -> None:
    if value is not None and value < 1:
        raise OptionError(f"cap must be at least 1 seat, not {value}")


@attrs.frozen(kw_only=True)
class _Apportionment(RuleBase):
    """Options shared by every party-list method (see the module notes).

    - ``threshold``: the share a list needs (``Fraction`` or ``"5%"``); none by default.
    - ``threshold_of``: ``"valid"`` votes (default) or all ballots ``"cast"``.
    - ``threshold_comparison``: ``"at-least"`` (default) or strictly ``"above"``.
    - ``ineligible``: candidates whose votes count in every total but who take
      no seat: "against all", or lists reported only as a combined figure.
    - ``also_qualify``: lists that qualify whatever their shares, for
      ``also_qualify_reason`` (e.g. New Zealand's electorate seat).
    - ``regional_threshold`` with ``regional_votes`` (``{region: {list: votes}}``,
      adding up to the national votes) and, for shares of ballots cast,
      ``regional_cast`` (``{region: ballots}``): the share needed in every region.
    - ``coalitions`` (``{list: number of parties}``) with ``coalition_thresholds``
      (``{parties: share}``; a key applies to coalitions of that many parties or more).
    - ``cap``: the most seats one list may hold.
    - Mixed-member proportional (two tiers; see the API page):
      ``electorate_seats`` (``{list: constituency seats won}``), ``electorate_qualify``
      (that many electorate seats qualify a list whatever its share: New Zealand 1),
      ``other_electorate_seats`` (won by independents and others outside the
      allocation, taken off the house), and ``overhang``: ``"keep"`` (the house grows
      by the overhang, as in New Zealand) or ``"level"`` (the house grows until every
      list's proportional seats cover its electorate seats, as in Germany 2013–2021).
    - ``tie_votes``: equal quotients or remainders go to the list with more votes
      first (default true); then ``tie_break``.
    """

    threshold: Fraction | None = attrs.field(default=None, converter=to_optional_fraction, validator=_check_share)
    threshold_of: Literal["valid", "cast"] = attrs.field(default="valid", validator=choice("valid", "cast"))
    threshold_comparison: Literal["at-least", "above"] = attrs.field(
        default="at-least", validator=choice("at-least", "above")
    )
    ineligible: tuple[str, ...] = attrs.field(default=(), converter=to_names)
    also_qualify: tuple[str, ...] = attrs.field(default=(), converter=to_names)
    also_qualify_reason: str = attrs.field(default="qualified by another condition of the law")
    regional_threshold: Fraction | None = attrs.field(
        default=None, converter=to_optional_fraction, validator=_check_share
    )
    regional_votes: RegionalVotes = attrs.field(default=(), converter=to_regional_votes)
    regional_cast: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=to_regional_cast)
    coalitions: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=to_coalitions)
    coalition_thresholds: tuple[tuple[int, Fraction], ...] = attrs.field(default=(), converter=to_coalition_thresholds)
    cap: int | None = attrs.field(default=None, converter=to_optional_int, validator=_check_cap)
    electorate_seats: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=to_seat_counts)
    electorate_qualify: int | None = attrs.field(default=None, converter=to_optional_int)
    other_electorate_seats: int = attrs.field(default=0, converter=to_int)
    overhang: Literal["keep", "level"] = attrs.field(default="keep", validator=choice("keep", "level"))
    tie_votes: bool = attrs.field(default=True, converter=to_bool)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if (self.regional_votes or self.regional_cast) and self.regional_threshold is None:
            raise OptionError("regional_votes and regional_cast are read only with a regional_threshold")
        if self.regional_threshold is not None and not self.regional_votes:
            raise OptionError("regional_threshold needs the regional returns: regional_votes={region: {list: votes}}")
        if self.coalitions and not self.coalition_thresholds:
            raise OptionError("coalitions need coalition_thresholds, e.g. {2: '8%', 3: '11%'}")
        if self.electorate_qualify is not None and self.electorate_qualify < 1:
            raise OptionError(f"electorate_qualify must be at least 1 seat, not {self.electorate_qualify}")
        if self.other_electorate_seats < 0:
            raise OptionError(f"other_electorate_seats must be 0 or more, not {self.other_electorate_seats}")
        if self.electorate_seats and self.cap is not None:
            raise OptionError("a cap and electorate seats (mixed-member) cannot be combined")
        if self.overhang == "level" and not self._house_monotone():
            raise OptionError(
                f"overhang='level' needs a divisor method: {excerpt(self.info.name)}"
                " is not house-monotone (Alabama paradox)"
            )

    def _house_monotone(self) -> bool:
        """Whether adding a seat to the house can never take a seat from a list."""
        return True

    # -- what each method supplies ----------------------------------------------------

    def _allocate(
        self, votes: Sequence[int], seats: int, choose: Chooser
    ) -> tuple[list[int], str, list[str], list[list[str]]]:
        """Seats for ``votes``, a headline for the seat table, its extra headers and its cells per list."""
        raise NotImplementedError

    # -- counting ---------------------------------------------------------------------

    def _has_threshold(self) -> bool:
        return bool(
            self.threshold is not None
            or self.regional_threshold is not None
            or self.coalition_thresholds
            or self.also_qualify
            or self.ineligible
            or self.electorate_qualify is not None
        )

    def _count(self, election: Election, count: Count, /) -> None:
        tally, set_aside = first_preference_count(election)
        valid = sum(tally.values())
        taking_part: tuple[Candidate, ...] = election.candidates
        if self._has_threshold():
            stage = qualify(self, election, tally, valid)
            count.add_round(
                Round(
                    number=1,
                    tally=tally,
                    ballots=election.cast,
                    continuing=valid,
                    set_aside=set_aside,
                    denominator=stage.denominator,
                    basis="valid votes" if self.threshold_of == "valid" else "ballots cast",
                    threshold=self.threshold,
                    comparison=self.threshold_comparison,
                    advancing=stage.qualified,
                    eliminated=stage.excluded,
                    note="Threshold:\n" + "\n".join(stage.lines),
                )
            )
            taking_part = stage.qualified
            if not taking_part:
                raise CountError("no list reached the threshold, so no seat can be allocated")
        ineligible = {election.candidate(name) for name in self.ineligible}
        counted = frozenset(taking_part)  # membership in a set: a tuple made this quadratic in the lists
        below = sum(tally[c] for c in election.candidates if c not in counted and c not in ineligible)
        for reason, votes in (
            ("below threshold", below),
            ("not eligible for seats", sum(tally[c] for c in ineligible)),
        ):
            if votes:
                set_aside[reason] = votes
        electorate = {election.candidate(name): n for name, n in self.electorate_seats}
        house = election.seats - deducted_seats(self, electorate, taking_part)
        if house < 1:
            raise CountError(
                f"electorate seats outside the allocation leave {house} of {election.seats} seats to share"
            )
        seats = dict.fromkeys(election.candidates, 0)
        seats.update(self._capped_allocation(election, count, tally, taking_part, house, set_aside))
        if electorate:
            seats.update(mixed_member(self, election, count, tally, taking_part, house, set_aside, seats, electorate))
        count.seats = seats
        count.elected.extend(c for c in election.candidates if seats[c])

    def _capped_allocation(
        self,
        election: Election,
        count: Count,
        tally: dict[Candidate, int],
        taking_part: tuple[Candidate, ...],
        house: int,
        set_aside: dict[str, int],
    ) -> dict[Candidate, int]:
        """Allocate ``house`` seats among ``taking_part``, again without any list over the cap."""
        seats: dict[Candidate, int] = {}
        fixed: dict[Candidate, int] = {}
        remaining = house
        while True:
            pool = [c for c in taking_part if c not in fixed]
            aside = dict(set_aside)
            capped = sum(tally[c] for c in fixed)
            if capped:
                aside["lists at the cap"] = capped
            prefix = ""
            if fixed:
                kept = ", ".join(f"{c.name} {n}" for c, n in fixed.items())
                prefix = f"The {remaining} seats left by the lists at the cap ({kept}) are shared likewise."
            held = self.allocation_round(election, count, tally, pool, remaining, aside, prefix)
            seats.update(zip(pool, held, strict=False))
            over = [c for c in pool if self.cap is not None and seats[c] > self.cap]
            if not over:
                return seats
            assert self.cap is not None
            names = ", ".join(f"{c.name} ({seats[c]})" for c in over)
            count.note(
                f"\nCap: no list may hold more than {self.cap} seats. {names} keep "
                f"{self.cap}; the seats over the cap pass to the other lists by the same method.",
                append=True,
            )
            for party in over:
                fixed[party] = seats[party] = self.cap
            remaining = house - sum(fixed.values())
            if remaining == 0:
                return seats
            if all(c in fixed for c in taking_part):
                raise CountError(
                    f"every qualifying list is at the cap of {self.cap} seats, and {remaining} seats are left unfilled"
                )

    def allocation_round(
        self,
        election: Election,
        count: Count,
        tally: dict[Candidate, int],
        pool: list[Candidate],
        seats: int,
        set_aside: dict[str, int],
        prefix: str = "",
    ) -> list[int]:
        """Record one allocation of ``seats`` among ``pool`` as a round, with its seat table; return the seats."""
        votes = {c: tally[c] for c in pool}
        counted = sum(votes.values())
        number = len(count.rounds) + 1
        count.add_round(
            Round(
                number=number,
                tally=votes,
                ballots=election.cast,
                continuing=counted,
                set_aside=set_aside,
                denominator=counted,
                basis="votes in the allocation",
            )
        )
        choose = self._chooser(count, pool, votes, number)
        held, headline, headers, cells = self._allocate([tally[c] for c in pool], seats, choose)
        table = self._seat_table(pool, votes, counted, held, headers, cells)
        note = f"{prefix}\n{headline}\n{table}" if prefix else f"{headline}\n{table}"
        # the count's winners are the lists with seats at the end, in the election's order
        count.elect(*(c for c, n in zip(pool, held, strict=True) if n), note=note, in_result=False)
        return held

    def _chooser(self, count: Count, pool: list[Candidate], votes: dict[Candidate, int], number: int) -> Chooser:
        """A tie callback for the kernels that follows the statute and records every tie."""

        def choose(tied_index: list[int], places: int, favour: bool) -> list[int]:
            tied = [pool[i] for i in tied_index]
            decision = "award a seat" if favour else "take back a seat"
            before = count.ties_recorded
            if self.tie_votes:
                cut = top_with_cut(votes, places, among=tied, lowest=not favour)
                chosen = cut.sure
                if cut.is_tie:
                    chosen += count.decide_tie(
                        cut.tied,
                        cut.places,
                        round=number,
                        decision=decision,
                        favour=favour,
                        history=count.history(number),
                    )
            else:
                chosen = count.decide_tie(
                    tied, places, round=number, decision=decision, favour=favour, history=count.history(number)
                )
            if count.ties_recorded == before:
                count.settled_tie(
                    tied,
                    places,
                    chosen,
                    round=number,
                    decision=decision,
                    rule="most votes",
                    detail="equal quotients or remainders; the statute's rule favours the list with more votes",
                )
            index = {c: i for i, c in enumerate(pool)}
            return [index[c] for c in chosen]

        return choose

    @staticmethod
    def _seat_table(
        pool: list[Candidate],
        votes: dict[Candidate, int],
        counted: int,
        held: list[int],
        headers: list[str],
        cells: list[list[str]],
    ) -> str:
        rows = []
        for party, n, extra in zip(pool, held, cells, strict=True):
            share = Fraction(votes[party], counted) if counted else Fraction(0)
            rows.append([party.name, f"{votes[party]:,}", f"{format_percent(share)}%", *extra, str(n)])
        total = ["total", f"{counted:,}", "100.00%" if counted else "", *([""] * len(headers)), str(sum(held))]
        rows.append(total)
        head = ["list", "votes", "share", *headers, "seats"]
        return text_table(head, rows, right=[False] + [True] * (len(head) - 1))


def _number(value: Fraction | float) -> str:
    """A quotient or remainder for display (two decimals); the exact figure decides, not this text."""
    if isinstance(value, float) and value == float("inf"):
        return "∞"
    return format_decimal(Fraction(value), 2)


@attrs.frozen(kw_only=True)
class _Divisor(_Apportionment):
    """A highest-averages method; the divisors come from the registry of divisor methods by name."""

    def _method(self) -> DivisorMethod:
        return DIVISOR_METHODS[self.info.name]

    def _allocate(
        self, votes: Sequence[int], seats: int, choose: Chooser
    ) -> tuple[list[int], str, list[str], list[list[str]]]:
        method = self._method()
        held, last = divisor_seats(votes, seats, method, choose)
        cells = []
        for v, n in zip(votes, held, strict=True):
            won = _number(method.quotient_value(v, n - 1)) if n else ""
            following = _number(method.quotient_value(v, n)) if v else ""
            cells.append([won, following])
        divisors = ", ".join(method.divisor_text(s) for s in range(4))
        headline = f"{self.info.summary} Divisors {divisors}, …; quotient = votes ÷ divisor."
        if last is not None:
            value = last[0] / last[1] / method.scale if last[1] else float("inf")
            if method.kind == "huntington-hill" and last[1]:
                value = value**0.5
            headline += f" The last seat went at quotient {_number(value)}."
        return held, headline, ["last quotient won", "next quotient"], cells


def _divisor_rule(class_name: str, name: str, summary: str, doc: str) -> type[_Divisor]:
    """Build and register the rule class for one divisor method (metadata as data)."""
    info = RuleInfo(name=name, family="apportionment", marks={"single"}, winners="multiple", summary=summary)
    cls = type(class_name, (_Divisor,), {"__doc__": doc, "info": info, "__module__": __name__})
    cls.__qualname__ = class_name
    return register(attrs.frozen(kw_only=True)(cls))


_EXAMPLE = """

>>> from electoral import Election, tabulate
>>> e = Election.from_counts({"A": 340000, "B": 280000, "C": 160000, "D": 60000}, seats=7)
>>> {c.name: n for c, n in tabulate(e, "%s").seats.items()}
%s
"""

DHondt = _divisor_rule(
    "DHondt",
    "dhondt",
    "D'Hondt (Jefferson) highest averages.",
    "D'Hondt's method (Jefferson's in the USA): divisors 1, 2, 3, …; favours larger lists."
    + _EXAMPLE % ("dhondt", "{'A': 3, 'B': 3, 'C': 1, 'D': 0}"),
)
SainteLague = _divisor_rule(
    "SainteLague",
    "sainte-lague",
    "Sainte-Laguë (Webster) highest averages.",
    "The Sainte-Laguë method (Webster's): divisors 1, 3, 5, … (equivalently ½, 1½, 2½, …)."
    + _EXAMPLE % ("sainte-lague", "{'A': 3, 'B': 2, 'C': 1, 'D': 1}"),
)
HuntingtonHill = _divisor_rule(
    "HuntingtonHill",
    "huntington-hill",
    "Huntington–Hill (equal proportions) highest averages.",
    "Huntington–Hill's method (US House since 1941, 2 U.S.C. § 2a): divisors √(s(s+1)).\n\n"
    "The first divisor is 0, so every list with votes gets a seat before any gets a second "
    "(see the kernel's notes); quotients are compared squared, exactly."
    + _EXAMPLE
    % ("huntington-hill", "{'A': 3, 'B': 2, 'C': 1, 'D': 1}"),
)
Adams = _divisor_rule(
    "Adams",
    "adams",
    "Adams (smallest divisors) highest averages.",
    "Adams's method: divisors 0, 1, 2, …; every list with votes gets a first seat before any gets a second."
    + _EXAMPLE % ("adams", "{'A': 3, 'B': 2, 'C': 1, 'D': 1}"),
)
Dean = _divisor_rule(
    "Dean",
    "dean",
    "Dean (harmonic mean) highest averages.",
    "Dean's method: divisors 2s(s+1)/(2s+1), the harmonic means of s and s+1 (0 for the first seat)."
    + _EXAMPLE % ("dean", "{'A': 3, 'B': 2, 'C': 1, 'D': 1}"),
)
Danish = _divisor_rule(
    "Danish",
    "danish",
    "Danish method highest averages (divisors 1, 4, 7, …).",
    "The Danish method, used in Danish Folketing elections: divisors 1, 4, 7, 10, …."
    + _EXAMPLE % ("danish", "{'A': 3, 'B': 2, 'C': 1, 'D': 1}"),
)
ImperialiDivisor = _divisor_rule(
    "ImperialiDivisor",
    "imperiali",
    "Imperiali highest averages (divisors 2, 3, 4, …).",
    "The Imperiali divisor method (Belgian municipal elections): divisors 2, 3, 4, …; favours large lists more "
    "than D'Hondt. (The Imperiali *quota* is ``largest-remainder`` with ``quota='imperiali'``.)"
    + _EXAMPLE
    % ("imperiali", "{'A': 3, 'B': 3, 'C': 1, 'D': 0}"),
)


@register
@attrs.frozen(kw_only=True)
class ModifiedSainteLague(_Divisor):
    """Sainte-Laguë with a larger first divisor, ``first_divisor`` (default 1.4, exactly 7/5).

    Divisors ``first_divisor``, 3, 5, 7, …: 1.4 in Norway (Election Act,
    valgloven, § 11-5) and in Sweden until 2018, when Sweden's Elections Act
    (vallagen, 14 kap.) moved to 1.2. ``first_divisor`` must be above 0 and
    at most 3 (the second divisor), so that quotients keep falling.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_counts({"A": 340000, "B": 280000, "C": 160000, "D": 60000}, seats=7)
    >>> {c.name: n for c, n in tabulate(e, "modified-sainte-lague").seats.items()}
    {'A': 3, 'B': 3, 'C': 1, 'D': 0}
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="modified-sainte-lague",
        family="apportionment",
        marks={"single"},
        winners="multiple",
        summary="Modified Sainte-Laguë highest averages (first divisor 1.4).",
    )

    first_divisor: Fraction = attrs.field(default=Fraction(7, 5), converter=to_fraction)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        modified_sainte_lague(self.first_divisor)  # validates

    def _method(self) -> DivisorMethod:
        return modified_sainte_lague(self.first_divisor)


_QUOTA_NAMES = {"hare": "Hare", "droop": "Droop", "hagenbach-bischoff": "Hagenbach-Bischoff", "imperiali": "Imperiali"}


@register
@attrs.frozen(kw_only=True)
class LargestRemainder(_Apportionment):
    """Largest remainders: each list gets its whole quotas, then the seats left go to the largest remainders.

    ``quota``: ``"hare"`` (votes ÷ seats; Hamilton's method), ``"droop"``
    (⌊votes ÷ (seats + 1)⌋ + 1), ``"hagenbach-bischoff"`` (votes ÷ (seats + 1))
    or ``"imperiali"`` (votes ÷ (seats + 2)), of the votes in the allocation.
    If the whole quotas exceed the house (possible with the last two), the
    surplus seats are taken back from the lists with the smallest
    remainders. Hare with a 7% threshold and a 65-seat cap is Kyrgyzstan's
    rule for the Jogorku Kenesh from 2011 to 2020 (see the tutorial).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_counts({"A": 340000, "B": 280000, "C": 160000, "D": 60000}, seats=7)
    >>> {c.name: n for c, n in tabulate(e, "largest-remainder").seats.items()}
    {'A': 3, 'B': 2, 'C': 1, 'D': 1}
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="largest-remainder",
        family="apportionment",
        marks={"single"},
        winners="multiple",
        summary="Largest remainder (Hamilton) with a Hare, Droop, Hagenbach-Bischoff or Imperiali quota.",
    )

    quota: Literal["hare", "droop", "hagenbach-bischoff", "imperiali"] = attrs.field(
        default="hare", validator=choice(*QUOTAS)
    )

    def _house_monotone(self) -> bool:
        return False  # Hamilton's method shows the Alabama paradox

    def _allocate(
        self, votes: Sequence[int], seats: int, choose: Chooser
    ) -> tuple[list[int], str, list[str], list[list[str]]]:
        total = sum(votes)
        if total == 0:
            raise CountError("no list taking part in the allocation has any votes")
        quota = quota_of(self.quota, total, seats)
        held, remainders = largest_remainder_seats(votes, seats, quota, choose)
        whole = [(v * quota.denominator) // quota.numerator for v in votes]
        cells = [[str(w), _number(r)] for w, r in zip(whole, remainders, strict=True)]
        left = seats - sum(whole)
        headline = f"{_QUOTA_NAMES[self.quota]} quota: {total:,} votes, {seats} seats: quota {_number(quota)}."
        if left > 0:
            headline += f" Whole quotas fill {sum(whole)} seats; the {left} left go to the largest remainders."
        elif left < 0:
            headline += f" Whole quotas come to {sum(whole)}, {-left} over; the smallest remainders give one back."
        return held, headline, ["whole quotas", "remainder"], cells
