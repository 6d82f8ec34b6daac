"""Dropping assertions the rest of a RAIRE set makes redundant.

The branch and bound of Blom, Stuckey and Teague (2019) can keep an
assertion whose suffixes the others also rule out (their section 4 leaves
"refining the assertion set" to later work; raire-rs trims by default, see
its ``AssertionTrimmingAlgorithm.md``). Here the set is checked directly:
the alternative outcomes are the elimination-order suffixes grown from each
other candidate as winner, and a suffix is covered when some assertion
contradicts every order that ends with it. Assertions are tried for removal
from the easiest (their difficulty does not bound the set's) and dropped
when the rest still cover every alternative; removal never raises the set's
difficulty. The check visits the suffix tree once per assertion, so trimming
stops (keeping what is left) after :data:`BUDGET` (suffix, assertion) checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["BUDGET", "covers", "trim"]

#: The most (suffix, assertion) checks trimming makes, over all its passes.
BUDGET = 300_000

Key = tuple[Any, ...]  # ("NEB", w, l) or ("NEN", w, l, mask)


def _settles(key: Key, at: dict[int, int], tails: list[int]) -> bool:
    """Whether assertion ``key`` contradicts every elimination order ending with a suffix.

    The suffix is given by ``at`` (each candidate's position in it) and ``tails`` (``tails[k]``: the mask of
    its last ``k`` candidates).
    """
    w: int = key[1]
    loser: int = key[2]
    if key[0] == "NEB":  # w leaves before loser
        if loser not in at:
            return False
        return w not in at or at[w] < at[loser]
    mask: int = key[3]
    size = mask.bit_count()
    # with exactly the candidates of ``mask`` left, ``w`` is the next to go: the first of the suffix's tail
    return len(at) >= size and tails[size] == mask and at[w] == len(at) - size


class _OutOfBudget(Exception):
    pass


def covers(keys: Sequence[Key], live: Sequence[int], winner: int, budget: list[int] | None = None) -> bool:
    """Whether the assertions ``keys`` rule out every elimination order of ``live`` not won by ``winner``.

    ``budget`` (a one-item list) is decreased by the suffixes visited; at 0 the check stops with ``_OutOfBudget``.
    """
    size = len(live)

    def covered(pi: tuple[int, ...]) -> bool:
        if budget is not None:
            budget[0] -= len(keys)
            if budget[0] < 0:
                raise _OutOfBudget
        at = {c: i for i, c in enumerate(pi)}
        tails = [0] * (len(pi) + 1)
        for k in range(1, len(pi) + 1):
            tails[k] = tails[k - 1] | (1 << pi[len(pi) - k])
        if any(_settles(key, at, tails) for key in keys):
            return True
        if len(pi) == size:
            return False
        return all(covered((c, *pi)) for c in live if c not in pi)

    return all(covered((c,)) for c in live if c != winner)


def trim(keys: list[Key], difficulty: dict[Key, float], live: Sequence[int], winner: int) -> list[Key]:
    """``keys`` without those the others make redundant (tried easiest first), in their original order."""
    kept = list(keys)
    budget = [BUDGET]
    for key in sorted(keys, key=lambda k: difficulty[k]):
        rest = [k for k in kept if k != key]
        try:
            if covers(rest, live, winner, budget):
                kept = rest
        except _OutOfBudget:
            break
    return kept
