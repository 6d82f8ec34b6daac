"""Positional (scoring) rules: Borda, Dowdall and anti-plurality.

Each rank position is worth some points, from a score vector ``s`` over the
``n`` candidates (``s[0]`` for first place). Every figure is exact.

Equal preferences and unranked candidates
-----------------------------------------
A candidate's position on a ballot is the number of candidates ranked
strictly above it. Candidates sharing a rank occupy as many positions as
there are of them, and each gets the *average* of those positions' points
(so a ballot always hands out the same total). For the candidates a ballot
leaves unranked, the ``unranked`` option chooses:

- ``"average"``: they share the remaining positions like an equal rank at the
  bottom, which matches the pairwise convention "unranked candidates tie
  below every ranked one" (Borda's score is then the sum of pairwise
  support, with half a point per tie);
- ``"zero"``: they get no points, and ranked candidates get the points of
  their positions;
- ``"modified"`` (Borda only): the modified Borda count, where a ballot
  ranking ``m`` candidates gives ``m`` points to its first choice, ``m - 1``
  to its second, down to 1 for its last, and none to unranked candidates
  (P. Emerson, "The original Borda count and partial voting", *Social
  Choice and Welfare* 40 (2013) 353–358).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import ClassVar, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from electoral._array import profile_for
from electoral._model import Candidate, Election
from electoral._pairwise import positions_of
from electoral._profile import SEVERAL, exact_sum_by
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral.rules._base import Count
from electoral.rules._common import ProfileRule, ballot_figures, elect_best, names, ranked_voters
from electoral.rules._options import choice

__all__ = ["AntiPlurality", "Borda", "Dowdall", "position_classes", "positional_scores"]

Votes = int | Fraction
IntArray = npt.NDArray[np.int64]

_CHUNK: Final = 1 << 16


def exact_bincount(keys: npt.NDArray[np.int64], weights: IntArray, size: int) -> IntArray:
    """Exact integer sums of ``weights`` per key."""
    return exact_sum_by(keys, weights, size)


def position_classes(election: Election) -> IntArray:
    """Voters per (candidate, candidates strictly ahead, size of its rank group, ranked or not).

    Shape ``(n, n, n + 1, 2)``. An unranked candidate of a ballot ranking
    ``m`` candidates is in the class (``m`` ahead, group of ``n - m``, 0).
    Cached on the election.
    """
    cached = election._cache.get("position-classes")
    if isinstance(cached, np.ndarray):
        return cached
    profile = profile_for(election)
    n = profile.n_candidates
    size = n * n * (n + 1) * 2
    ranks = profile.ranks
    filled = ranks >= 0
    n_marked = profile.marked.sum(axis=1)
    strict = not (ranks == SEVERAL).any() and bool((filled.sum(axis=1) == n_marked).all())
    if strict:
        classes = _strict_classes(profile.counts, ranks, filled, profile.marked, n)
    else:
        ahead, group = _ahead_and_size(election)
        keys = ((np.arange(n, dtype=np.int64)[None, :] * n + ahead) * (n + 1) + group) * 2 + profile.marked
        weights = np.ascontiguousarray(np.broadcast_to(profile.counts[:, None], keys.shape))
        classes = exact_bincount(keys.ravel(), weights.ravel(), size)
    classes = classes.reshape(n, n, n + 1, 2)
    election._cache["position-classes"] = classes
    return classes


def _strict_classes(
    counts: IntArray, ranks: npt.NDArray[np.int32], filled: npt.NDArray[np.bool_], marked: npt.NDArray[np.bool_], n: int
) -> IntArray:
    """Position classes of ballots with one candidate per rank: one bincount per rank column."""
    size = n * n * (n + 1) * 2
    classes = np.zeros(size, dtype=np.int64)
    ahead = np.zeros(len(ranks), dtype=np.int64)
    for column in range(ranks.shape[1]):
        rows = filled[:, column]
        keys = ((ranks[rows, column].astype(np.int64) * n + ahead[rows]) * (n + 1) + 1) * 2 + 1
        classes += exact_bincount(keys, counts[rows], size)
        ahead += rows
    n_marked = ahead  # after the last column: how many candidates each ballot ranks
    for m in np.unique(n_marked).tolist():
        if m == n:
            continue
        rows = n_marked == m
        unranked_voters = counts[rows] @ (~marked[rows]).astype(np.int64)
        for c in np.flatnonzero(unranked_voters).tolist():
            classes[((c * n + m) * (n + 1) + (n - m)) * 2] += int(unranked_voters[c])
    return classes


def _ahead_and_size(election: Election) -> tuple[IntArray, IntArray]:
    """Per ballot and candidate: how many candidates are ranked strictly ahead, and the size of its group."""
    positions = positions_of(election)
    ahead = np.empty(positions.shape, dtype=np.int64)
    size = np.empty(positions.shape, dtype=np.int64)
    for start in range(0, len(positions), _CHUNK):
        block = positions[start : start + _CHUNK]
        ahead[start : start + _CHUNK] = (block[:, None, :] < block[:, :, None]).sum(axis=2)
        size[start : start + _CHUNK] = (block[:, None, :] == block[:, :, None]).sum(axis=2)
    return ahead, size


Unranked = Literal["average", "zero", "modified"]


def positional_scores(
    election: Election, points: Sequence[Fraction], unranked: Unranked, candidates: Sequence[int] | None = None
) -> dict[Candidate, Votes]:
    """Each candidate's exact score under the score vector ``points`` (see the module notes)."""
    n = len(election.candidates)
    classes = position_classes(election)
    prefix = [Fraction(0)]
    for p in points:
        prefix.append(prefix[-1] + p)
    scores: dict[Candidate, Votes] = {}
    modified_base = _modified_base(election) if unranked == "modified" else None
    for c in range(n) if candidates is None else candidates:
        total = Fraction(0)
        for ahead, group, ranked in zip(*np.nonzero(classes[c]), strict=True):
            voters = int(classes[c, ahead, group, ranked])
            if not ranked and unranked != "average":
                continue
            if unranked == "modified":
                total -= voters * (Fraction(int(ahead)) + Fraction(int(group) - 1, 2))
            else:
                total += voters * (prefix[ahead + group] - prefix[ahead]) / int(group)
        if modified_base is not None:
            total += int(modified_base[c])
        scores[election.candidates[c]] = total.numerator if total.denominator == 1 else total
    return scores


def _modified_base(election: Election) -> IntArray:
    """Σ over ballots ranking the candidate of (voters × number of candidates the ballot ranks)."""
    profile = profile_for(election)
    ranked_counts = profile.marked.sum(axis=1).astype(np.int64) * profile.counts
    base: IntArray = ranked_counts @ profile.marked.astype(np.int64)
    return base


@attrs.frozen(kw_only=True)
class _Positional(ProfileRule):
    default_unranked: ClassVar[Unranked] = "average"

    def _points(self, n: int) -> list[Fraction]:
        raise NotImplementedError

    def _unranked(self) -> Unranked:
        return self.default_unranked

    def _count(self, election: Election, count: Count, /) -> None:
        points = self._points(len(election.candidates))
        tally = positional_scores(election, points, self._unranked())
        voters = ranked_voters(election)
        count.add_round(Round(number=1, tally=tally, **ballot_figures(election, voters), basis="points", denominator=0))
        winners = elect_best(count, tally, round=1, places=election.seats)
        count.update_round(elected=winners, note=f"{names(winners)}: most points")


@register
@attrs.frozen(kw_only=True)
class Borda(_Positional):
    """The Borda count: with ``n`` candidates, ``n - 1`` points for first place, down to 0 for last.

    ``unranked`` says how truncated ballots count (see the module notes):
    ``"average"`` (default), ``"zero"`` or ``"modified"``. The ``seats``
    candidates with most points win.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>B>A": 1})
    >>> result = tabulate(e, "borda")
    >>> {c.name: v for c, v in result.rounds[0].tally.items()}
    {'A': 6, 'B': 8, 'C': 4}
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="borda",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Borda count: n-1 points for first place down to 0 for last; variants for truncated ballots.",
    )

    unranked: Unranked = attrs.field(default="average", validator=choice("average", "zero", "modified"))

    def _points(self, n: int) -> list[Fraction]:
        return [Fraction(n - 1 - k) for k in range(n)]

    def _unranked(self) -> Unranked:
        return self.unranked


@register
@attrs.frozen(kw_only=True)
class Dowdall(_Positional):
    """The Dowdall rule used in Nauru: 1 point for first place, 1/2 for second, 1/3 for third...

    Points are exact fractions. Unranked candidates get nothing by default
    (``unranked="zero"``); ``"average"`` shares the remaining positions.
    Nauru elects its parliament this way (B. Reilly, "Social choice in the
    South Seas: electoral innovation and the Borda count in the Pacific
    island countries", *International Political Science Review* 23 (2002) 355–372).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 2, "B>C>A": 2, "C>B>A": 1})
    >>> str(tabulate(e, "dowdall").rounds[0].tally[e.candidate("B")])
    '7/2'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="dowdall",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Dowdall (Nauru): 1, 1/2, 1/3, ... points by rank.",
    )

    unranked: Literal["average", "zero"] = attrs.field(default="zero", validator=choice("average", "zero"))

    def _points(self, n: int) -> list[Fraction]:
        return [Fraction(1, k + 1) for k in range(n)]

    def _unranked(self) -> Unranked:
        return self.unranked


@register
@attrs.frozen(kw_only=True)
class AntiPlurality(_Positional):
    """Anti-plurality (veto): a point for every candidate but the last-placed one.

    With equal last places or unranked candidates, the bottom group shares
    the missing point (``unranked="average"``, the default); with
    ``unranked="zero"`` unranked candidates get nothing.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>B>A": 2})
    >>> tabulate(e, "anti-plurality").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="anti-plurality",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Anti-plurality (veto): one point for every candidate except the last placed.",
    )

    unranked: Literal["average", "zero"] = attrs.field(default="average", validator=choice("average", "zero"))

    def _points(self, n: int) -> list[Fraction]:
        return [Fraction(1)] * (n - 1) + [Fraction(0)]

    def _unranked(self) -> Unranked:
        return self.unranked
