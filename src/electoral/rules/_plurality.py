"""Plurality (first past the post), the block vote and the single non-transferable vote."""

from __future__ import annotations

from typing import ClassVar, Literal

import attrs
import numpy as np

from electoral._model import Election
from electoral._profile import EMPTY, SEVERAL, profile_of
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral.rules._base import Count, RuleBase
from electoral.rules._options import choice

__all__ = ["Plurality"]


@register
@attrs.frozen(kw_only=True)
class Plurality(RuleBase):
    """The candidates with the most votes win.

    With one seat this is first past the post: each ballot counts for its
    first preference (the first marked rank). With several seats:

    - ``method="block"`` (the default): the block vote. Each voter may mark
      up to ``seats`` candidates (at any ranks) and each marked candidate
      gets one vote; the ``seats`` candidates with most votes win.
    - ``method="sntv"``: the single non-transferable vote. Each ballot counts
      for its first preference only; the ``seats`` candidates with most votes win.

    Ballots set aside: ``"blank"`` (no mark, and the election's ``blank``
    count), ``"invalid"`` (the election's ``invalid`` count) and
    ``"overvote"`` (several candidates at the first preference, or more marks
    than seats in the block vote). Shares are of valid votes.

    >>> from electoral import Election, tabulate
    >>> result = tabulate(Election.from_counts({"A": 40, "B": 35, "C": 25}), "plurality")
    >>> [c.name for c in result.winners]
    ['A']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="plurality",
        family="plurality",
        marks={"single", "ranking", "approval"},
        winners="multiple",
        summary="First past the post; with several seats the block vote, or SNTV as an option.",
    )

    method: Literal["block", "sntv"] = attrs.field(default="block", validator=choice("block", "sntv"))

    def _count(self, election: Election, count: Count, /) -> None:
        profile = profile_of(election)
        seats = election.seats
        if seats == 1 or self.method == "sntv":
            first = profile.first_preferences()
            votes = profile.tally(first)
            blank = profile.weight(first == EMPTY)
            overvote = profile.weight(first == SEVERAL)
            continuing = sum(votes)
            basis = "valid votes"
        else:
            n_marks = profile.marked.sum(axis=1)
            valid = (n_marks >= 1) & (n_marks <= seats)
            votes = [int(v) for v in (profile.marked[valid].T.astype(np.int64) @ profile.counts[valid])]
            blank = profile.weight(n_marks == 0)
            overvote = profile.weight(n_marks > seats)
            continuing = profile.weight(valid)
            basis = "valid ballots"
        tally = dict(zip(election.candidates, votes, strict=True))
        set_aside = {
            reason: n
            for reason, n in (("blank", blank + election.blank), ("invalid", election.invalid), ("overvote", overvote))
            if n
        }
        denominator = continuing
        count.add_round(
            Round(
                number=1,
                tally=tally,
                ballots=election.cast,
                continuing=continuing,
                set_aside=set_aside,
                denominator=denominator,
                basis=basis,
            )
        )
        winners = count.top(tally, seats, round=1, decision="elect")
        count.update_round(elected=winners, note=_note(winners, seats))
        count.elected.extend(winners)


def _note(winners: tuple[object, ...], seats: int) -> str:
    names = ", ".join(str(w) for w in winners)
    return f"{names} {'has' if len(winners) == 1 else 'have'} the most votes" + (
        f" for {seats} seats" if seats > 1 else ""
    )
