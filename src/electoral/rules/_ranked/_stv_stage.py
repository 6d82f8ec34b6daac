"""What the statutory STV counts (``"irish"``, ``"ers97"``) record alike: a stage's round, and names in notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from electoral._model import Candidate
from electoral._result import Round
from electoral.rules._base import Count
from electoral.rules._ranked._stv_earliest import lowest_to_exclude

__all__ = ["exclusion", "names", "stage_round"]

Votes = int | Fraction


def stage_round(
    *,
    number: int,
    tally: Mapping[Candidate, Votes],
    set_aside: Mapping[str, Votes],
    valid: Votes,
    quota: Votes,
    note: str,
) -> Round:
    """The round of a stage: the candidates' votes, what is set aside, and the quota (reached at that)."""
    held = sum(tally.values())
    return Round(
        number=number,
        tally=tally,
        ballots=held + sum(set_aside.values()),
        continuing=held,
        set_aside=set_aside,
        denominator=valid,
        basis="valid votes",
        threshold=Fraction(quota) / Fraction(valid) if valid else None,
        comparison="at-least",
        note=note,
        quota=quota,
    )


def names(candidates: Sequence[Candidate], indices: Sequence[int]) -> str:
    """The names of the candidates at ``indices``, comma-separated, for a round's note."""
    return ", ".join(candidates[i].name for i in indices)


def exclusion(
    count: Count,
    hopeful: Sequence[int],
    left: int,
    waiting: int,
    tally: Any,
    *,
    together: Callable[[int, int, int], bool],
    number: int,
    history: Sequence[Mapping[Candidate, Votes]],
    candidates: Sequence[Candidate],
    rule: str,
) -> list[int]:
    """Whom to exclude: the largest group of the lowest that may go together, else the lowest one.

    A group leaves a candidate for every place ``left``; ``together(below, last, next)`` says whether
    the group may go, given its votes with the surpluses ``waiting`` (``below``), the votes of its
    highest member (``last``) and those of the candidate next above (``next``). Equal lowest are
    settled by :func:`~electoral.rules._ranked._stv_earliest.lowest_to_exclude` under ``rule``.
    """
    ordered = sorted(hopeful, key=lambda i: int(tally[i]))
    most = len(ordered) - left
    for size in range(min(most, len(ordered) - 1), 1, -1):
        below = sum(int(tally[i]) for i in ordered[:size]) + waiting
        if together(below, int(tally[ordered[size - 1]]), int(tally[ordered[size]])):
            return ordered[:size]
    lowest = int(tally[ordered[0]])
    level = [i for i in ordered if tally[i] == lowest]
    return lowest_to_exclude(count, level, lowest, number=number, history=history, candidates=candidates, rule=rule)
