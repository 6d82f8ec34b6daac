"""The numpy kernel: an election's unique ballots as arrays, built once (one builder) and kept.

``ranks[i, r]`` is the index (in the election's candidate order) of the
candidate at rank ``r`` of unique ballot ``i``, or :data:`EMPTY` for a
skipped or absent rank, or :data:`SEVERAL` when the rank holds more than one
candidate (an overvote, or an equal preference). ``marked[i, c]`` says
whether ballot ``i`` marks candidate ``c`` at any rank. ``counts[i]`` is how
many voters cast ballot ``i``. Rules count over these arrays, so the work
grows with unique ballots, not with voters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import exact_sum_by, exact_total
from electoral._model import ArrayBallots, Election
from electoral._model._array import EMPTY, MAX_PROFILE_CELLS, SEVERAL, check_profile_size
from electoral._model._election import Derived, derived

__all__ = [
    "EMPTY",
    "MAX_PROFILE_CELLS",
    "SEVERAL",
    "Profile",
    "check_profile_size",
    "exact_sum_by",
    "exact_total",
    "profile_of",
]

IntArray = npt.NDArray[np.int64]
Cells = npt.NDArray[np.intp]
_NONE: Final = np.zeros(0, dtype=np.intp)
# float64 holds every integer below 2**53 exactly, so a float bincount of counts summing below it is exact
_EXACT_FLOAT_SUM: Final = 2**53


@attrs.frozen(eq=False)
class Profile:
    """An election's unique ranked ballots as arrays: the one kernel every rule counts from.

    ``ranks``/``counts`` as in the module notes; the candidates of each
    :data:`SEVERAL` rank are listed in ``multi_rows``/``multi_cols``/
    ``multi_cands`` (one entry per candidate of such a rank), so memory
    grows with unique ballots and their marks, never with voters. ``strict``
    says that every rank holds at most one candidate and no ballot marks a
    candidate twice (always so for array-built ballots).

    Score ballots are no rankings: they are left out of the arrays, and
    ``scored`` counts their voters (``scored_example`` shows the first), so a
    rule that reads rankings can refuse them rather than drop them (see
    :func:`~electoral._profile.ranked_ballots`). ``marked[i, c]`` (ballot
    ``i`` marks candidate ``c`` at some rank) is built on first use.
    """

    counts: IntArray
    ranks: npt.NDArray[np.int32]
    n_candidates: int
    multi_rows: Cells = _NONE
    multi_cols: Cells = _NONE
    multi_cands: Cells = _NONE
    strict: bool = True
    scored: int = 0
    scored_example: str = ""
    _marked: Callable[[], npt.NDArray[np.bool_]] | None = attrs.field(default=None, alias="_marked")
    _cache: dict[str, Any] = attrs.field(factory=dict, alias="_cache")

    @property
    def voters(self) -> int:
        return exact_total(self.counts)

    @property
    def marked(self) -> npt.NDArray[np.bool_]:
        """``marked[i, c]``: ballot ``i`` marks candidate ``c`` at some rank (built once, on first use)."""
        return self._once("marked", self._build_marked)  # type: ignore[no-any-return]

    def _build_marked(self) -> npt.NDArray[np.bool_]:
        if self._marked is not None:
            return self._marked()
        return np.zeros((len(self.counts), self.n_candidates), dtype=np.bool_)

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    @property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Ballots that mark no rank at all (built once)."""
        return self._once("blank", self._build_blank)  # type: ignore[no-any-return]

    def _build_blank(self) -> npt.NDArray[np.bool_]:
        n, depth = self.ranks.shape
        if depth == 0:
            return np.ones(n, dtype=np.bool_)
        if bool((self.ranks[:, 0] != EMPTY).all()):
            return np.zeros(n, dtype=np.bool_)
        blank: npt.NDArray[np.bool_] = (self.ranks == EMPTY).all(axis=1)
        return blank

    def ranked_voters(self) -> int:
        """Voters whose ballot marks at least one candidate at some rank."""
        blank = self.blank
        return self.voters if not blank.any() else exact_total(self.counts[~blank])

    def first_preferences(self) -> npt.NDArray[np.int32]:
        """Each ballot's first marked rank: a candidate index, EMPTY (blank) or SEVERAL."""
        return self._once("first", self._build_first).copy()  # type: ignore[no-any-return]

    def _build_first(self) -> npt.NDArray[np.int32]:
        n, depth = self.ranks.shape
        first = np.full(n, EMPTY, dtype=np.int32)
        if depth == 0:
            return first
        first[:] = self.ranks[:, 0]
        waiting = np.flatnonzero(first == EMPTY)
        for column in range(1, depth):
            if not len(waiting):
                break
            cell = self.ranks[waiting, column]
            first[waiting] = cell
            waiting = waiting[cell == EMPTY]
        return first

    def tally(self, choices: npt.NDArray[np.int32], rows: npt.NDArray[np.bool_] | None = None) -> list[int]:
        """Votes per candidate when ballot ``i`` counts for ``choices[i]`` (negative: for nobody)."""
        labels = choices if rows is None else np.where(rows, choices, -1)
        totals = self.sum_by(labels, self.n_candidates)
        return [int(v) for v in totals[: self.n_candidates]]

    def sum_by(self, labels: npt.NDArray[np.integer[Any]], n: int) -> IntArray:
        """Exact voters per label in ``range(n)`` when ballot ``i`` has label ``labels[i]`` (negative: none).

        One ``np.bincount`` over the counts in float64, converted once per
        profile, while the voters number below 2**53 (every partial sum is
        then an exact integer); :func:`exact_sum_by` otherwise.
        """
        weights = self._once("float counts", self._float_counts)
        if weights is None or not len(labels):
            return exact_sum_by(labels, self.counts, n)
        low = int(labels.min())
        if low < 0:
            sums = np.bincount(labels.astype(np.int64) - low, weights=weights, minlength=n - low)[-low:]
        else:
            sums = np.bincount(labels, weights=weights, minlength=n)
        return np.rint(sums).astype(np.int64)

    def _float_counts(self) -> npt.NDArray[np.float64] | None:
        if not len(self.counts) or int(self.counts.min()) < 0 or self.voters >= _EXACT_FLOAT_SUM:
            return None
        return self.counts.astype(np.float64)

    def weight(self, rows: npt.NDArray[np.bool_]) -> int:
        """How many voters cast the ballots selected by ``rows``."""
        if not rows.any():
            return 0
        return exact_total(self.counts[rows])


def profile_of(election: Election) -> Profile:
    """The election's profile: built once per election (one builder for every kind of ballot store), then kept."""
    return derived(election, _PROFILE, _build)


def _build(election: Election) -> Profile:
    """The one builder: the rows of an array-built election as they are, or one pass over its Ballot objects."""
    ballots = election.ballots
    n = len(election.candidates)
    if isinstance(ballots, ArrayBallots):
        # array-built ballots already hold the arrays, in the election's candidate order, one candidate per rank
        store = ballots
        return Profile(counts=ballots.counts, ranks=ballots.rows, n_candidates=n, _marked=lambda: store.marked)
    index = {c: i for i, c in enumerate(election.candidates)}
    ranked = []
    scored = 0
    example = ""
    for ballot in ballots:
        if ballot.scores is None:
            ranked.append(ballot)
        else:
            scored += ballot.count
            example = example or str(ballot)
    depth = max((len(b.ranking) for b in ranked), default=0)
    check_profile_size(len(ranked), n, depth)
    counts = np.fromiter((b.count for b in ranked), dtype=np.int64, count=len(ranked))
    ranks = np.full((len(ranked), depth), EMPTY, dtype=np.int32)
    marked = np.zeros((len(ranked), n), dtype=np.bool_)
    multi: list[tuple[int, int, int]] = []
    strict = True
    for row, ballot in enumerate(ranked):
        marks = 0
        for column, rank in enumerate(ballot.ranking):
            if len(rank) == 1:
                (only,) = rank
                ranks[row, column] = index[only]
            elif rank:
                ranks[row, column] = SEVERAL
                multi.extend((row, column, index[c]) for c in rank)
                strict = False
            for candidate in rank:
                marked[row, index[candidate]] = True
            marks += len(rank)
        if strict and marks != int(marked[row].sum()):
            strict = False  # a candidate marked at two ranks
    table = np.array(multi, dtype=np.intp).reshape(-1, 3)
    marked.flags.writeable = False
    return Profile(
        counts=counts,
        ranks=ranks,
        n_candidates=n,
        multi_rows=np.ascontiguousarray(table[:, 0]),
        multi_cols=np.ascontiguousarray(table[:, 1]),
        multi_cands=np.ascontiguousarray(table[:, 2]),
        strict=strict,
        scored=scored,
        scored_example=example,
        _marked=lambda: marked,
    )


_PROFILE: Final[Derived[Profile]] = Derived("profile")
