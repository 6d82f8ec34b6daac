"""The one function that finds "the top *k*, with a tie at the cut": :func:`top_with_cut`.

Every rule that elects, advances or awards seats to the best *k* of a pool
(plurality's winners, a runoff's finalists, the lists with the largest
remainders or quotients) asks this function who is surely in and which
group, if any, is level across the cut; only that group goes to the tie
resolver. Scores are compared exactly (``int`` and ``Fraction``), never as
floats.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Generic, TypeVar

import attrs

__all__ = ["Cut", "top_with_cut"]

K = TypeVar("K", bound=Hashable)
Votes = int | Fraction


@attrs.frozen
class Cut(Generic[K]):
    """Who is in the top *k* for sure, and the group level at the cut, of which ``places`` are still to be chosen.

    Without a tie at the cut, ``sure`` holds the whole top *k* (best first)
    and ``tied`` is empty. With one, ``sure`` holds those strictly above the
    cut (best first), ``tied`` every candidate whose score equals the cut
    (in the pool's order), and ``0 < places < len(tied)``.
    """

    sure: tuple[K, ...]
    tied: tuple[K, ...] = ()
    places: int = 0

    @property
    def is_tie(self) -> bool:
        """Whether the cut falls inside a group of equal scores, so that a tie must be broken."""
        return bool(self.tied)


def top_with_cut(
    scores: Mapping[K, Votes] | Callable[[K], Votes],
    k: int,
    *,
    among: Iterable[K] | None = None,
    lowest: bool = False,
) -> Cut[K]:
    """The ``k`` best of ``among`` (by default, every key of ``scores``), with the tie at the cut, if any.

    ``scores`` is a mapping (a key missing from it scores 0) or a function
    (then ``among`` names the pool); the best score is the highest, or with ``lowest`` the lowest. Candidates
    with equal scores keep their order in the pool.

    >>> top_with_cut({"A": 5, "B": 3, "C": 3, "D": 1}, 2)
    Cut(sure=('A',), tied=('B', 'C'), places=1)
    >>> top_with_cut({"A": 5, "B": 3, "C": 3, "D": 1}, 3)
    Cut(sure=('A', 'B', 'C'), tied=(), places=0)
    """
    score: Callable[[K], Votes]
    if isinstance(scores, Mapping):
        mapping = scores
        score = lambda c: mapping.get(c, 0)  # noqa: E731
    else:
        score = scores
    if among is None:
        among = scores if isinstance(scores, Mapping) else ()
    pool = list(among)
    if k <= 0:
        return Cut(())
    # a stable sort, best first: candidates level on score keep the pool's order
    ordered = sorted(pool, key=score, reverse=not lowest)
    if k >= len(ordered):
        return Cut(tuple(ordered))
    cut = score(ordered[k - 1])
    # the level group is contiguous in sorted order: find its ends from the cut
    start = k - 1
    while start > 0 and score(ordered[start - 1]) == cut:
        start -= 1
    end = k
    while end < len(ordered) and score(ordered[end]) == cut:
        end += 1
    if end == k:
        return Cut(tuple(ordered[:k]))
    return Cut(tuple(ordered[:start]), tuple(ordered[start:end]), k - start)
