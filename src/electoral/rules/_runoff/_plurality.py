"""Plurality (first past the post), the block vote and the single non-transferable vote."""

from __future__ import annotations

from typing import ClassVar, Literal

import attrs
import numpy as np

from electoral._model import Candidate, Election
from electoral._profile._build import profile_of
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral.rules._base import Count, RuleBase, first_preference_count
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
        seats = election.seats
        if seats == 1 or self.method == "sntv":
            tally, set_aside = first_preference_count(election)
            continuing = sum(tally.values())
            basis = "valid votes"
        else:
            tally, set_aside, continuing = _block_vote_count(election)
            basis = "valid ballots"
        count.add_round(
            Round(
                number=1,
                tally=tally,
                ballots=election.cast,
                continuing=continuing,
                set_aside=set_aside,
                denominator=continuing,
                basis=basis,
            )
        )
        winners = count.top(tally, seats, round=1, decision="elect")
        count.elect(*winners, note=_note(winners, seats))


def _block_vote_count(election: Election) -> tuple[dict[Candidate, int], dict[str, int], int]:
    """Block-vote tallies: each ballot marking 1 to ``seats`` candidates gives each of them a vote."""
    profile = profile_of(election)
    n_marks = profile.marked.sum(axis=1)
    valid = (n_marks >= 1) & (n_marks <= election.seats)
    votes = profile.marked[valid].T.astype(np.int64) @ profile.counts[valid]
    tally = dict(zip(election.candidates, (int(v) for v in votes), strict=True))
    reasons = (
        ("blank", profile.weight(n_marks == 0) + election.blank),
        ("invalid", election.invalid),
        ("overvote", profile.weight(n_marks > election.seats)),
    )
    return tally, {reason: n for reason, n in reasons if n}, profile.weight(valid)


def _note(winners: tuple[object, ...], seats: int) -> str:
    names = ", ".join(str(w) for w in winners)
    return f"{names} {'has' if len(winners) == 1 else 'have'} the most votes" + (
        f" for {seats} seats" if seats > 1 else ""
    )
