"""What the Condorcet, positional, iterative and cardinal rules share.

- :class:`ProfileRule` checks ballot marks without building a Ballot object
  per unique row of an array-built election, and counts ballots from the
  profile's arrays.
- :func:`ballot_figures` gives a round's ``ballots``, ``continuing`` and
  ``set_aside`` so that every ballot is accounted for.
- :func:`elect_best` elects the candidates with the best score, with ties
  through the resolver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np

from electoral._model import ArrayBallots, Candidate, Derived, Election, derived
from electoral._profile._build import profile_of
from electoral._text import excerpt
from electoral._ties._cut import top_with_cut
from electoral.errors import MarkError, SeatsError
from electoral.rules._base import Count, RuleBase

__all__ = ["ProfileRule", "ballot_figures", "cast_of", "elect_best", "elect_one_of", "names", "ranked_voters"]

Votes = int | Fraction

_WORDS: dict[str, str] = {
    "ranking": "rankings",
    "single": "single marks",
    "approval": "approvals (one rank of approved candidates)",
    "scores": "scores",
}


def names(candidates: Sequence[Candidate]) -> str:
    return ", ".join(c.name for c in candidates)


def cast_of(election: Election) -> int:
    """Every ballot cast, without building Ballot objects for array-built elections."""
    if isinstance(election.ballots, ArrayBallots):
        return election.ballots.voters() + election.blank + election.invalid
    return election.cast


def ranked_voters(election: Election) -> int:
    """Voters whose ballot marks at least one candidate at some rank."""
    return profile_of(election).ranked_voters()


def ballot_figures(election: Election, continuing: Votes, **more_set_aside: Votes) -> dict[str, Any]:
    """``ballots``/``continuing``/``set_aside`` for a Round: every ballot cast is accounted for.

    Ballots that are neither ``continuing`` nor in ``more_set_aside`` are
    counted as ``"blank"`` (ballots marking nobody the rule can count).
    """
    cast = cast_of(election)
    set_aside: dict[str, Votes] = {k.replace("_", " "): v for k, v in more_set_aside.items() if v}
    blank = cast - election.invalid - continuing - sum(set_aside.values())
    if blank:
        set_aside["blank"] = blank
    if election.invalid:
        set_aside["invalid"] = election.invalid
    return {"ballots": cast, "continuing": continuing, "set_aside": set_aside}


def elect_best(
    count: Count,
    score: Mapping[Candidate, Votes],
    *,
    round: int,
    places: int = 1,
    lower_is_better: bool = False,
    among: Sequence[Candidate] | None = None,
) -> tuple[Candidate, ...]:
    """Elect the ``places`` candidates with the best score; a tie at the cut goes to the resolver.

    The cut is found by :func:`~electoral._ties._cut.top_with_cut`.
    """
    cut = top_with_cut(score, places, among=score if among is None else among, lowest=lower_is_better)
    chosen = cut.sure
    if cut.is_tie:
        picked = count.decide_tie(
            cut.tied, cut.places, round=round, decision="elect", favour=True, history=count.history(round)
        )
        taken = set(picked)
        chosen += tuple(c for c in cut.tied if c in taken)
    count.elected.extend(chosen)
    return chosen


def elect_one_of(count: Count, winners: Sequence[Candidate], *, round: int) -> tuple[Candidate, ...]:
    """Elect the one winner from ``winners`` (several of them: a tie, through the resolver)."""
    chosen = tuple(winners)
    if len(chosen) > 1:
        chosen = count.decide_tie(chosen, 1, round=round, decision="elect", favour=True, history=count.history(round))
    count.elected.extend(chosen)
    return chosen


@attrs.frozen(kw_only=True)
class ProfileRule(RuleBase):
    """A rule that counts from the numpy profile and checks marks without touching every ballot."""

    def _check_marks(self, election: Election) -> None:
        if self.info.winners == "single" and election.seats > 1:
            raise SeatsError(
                f"rule {excerpt(self.info.name)} elects one candidate, but the election has {election.seats} seats"
            )
        reads = self.info.marks
        ballots = election.ballots
        if isinstance(ballots, ArrayBallots):
            if "ranking" in reads:
                return
            if "approval" in reads:
                filled = (ballots.rows >= 0).sum(axis=1)
                if (filled <= 1).all():
                    return
                row = int(np.argmax(filled > 1))
                raise MarkError(
                    _mark_message(self.info.name, reads, f"ballot {excerpt(str(ballots[row]))} ranks candidates")
                )
            raise MarkError(_mark_message(self.info.name, reads, "the ballots are rankings"))
        for kind, example in derived(election, _MARK_KINDS, _mark_kinds).items():
            if _reads(reads, kind):
                continue
            raise MarkError(_mark_message(self.info.name, reads, f"ballot {excerpt(example)} {_DESCRIBE[kind]}"))


_DESCRIBE: dict[str, str] = {
    "scores": "carries scores",
    "ranking": "ranks candidates in order",
    "approval": "is one rank of candidates",
}


def _reads(reads: frozenset[str], kind: str) -> bool:
    if kind == "scores":
        return "scores" in reads
    if kind == "approval":  # one rank: an approval ballot, a single mark, or a one-rank ranking
        return bool(reads & {"ranking", "approval", "single"})
    return "ranking" in reads


def _mark_kinds(election: Election) -> dict[str, str]:
    """One example ballot of each kind of marks in the election: scores, several ranks, one rank."""
    kinds: dict[str, str] = {}
    for ballot in election.ballots:
        if ballot.scores is not None:
            kind = "scores"
        elif sum(1 for rank in ballot.ranking if rank) > 1:
            kind = "ranking"
        elif ballot.ranking:
            kind = "approval"
        else:
            continue
        if kind not in kinds:
            kinds[kind] = str(ballot)
            if len(kinds) == len(_DESCRIBE):
                break
    return kinds


def _mark_message(name: str, reads: frozenset[str], problem: str) -> str:
    described = " or ".join(_WORDS[m] for m in sorted(reads))
    return f"rule {excerpt(name)} reads {described}, but {problem}"


_MARK_KINDS: Final[Derived[dict[str, str]]] = Derived("kinds of mark")
