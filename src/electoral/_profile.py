"""The numpy kernel: an election's unique ballots as arrays, built once and cached.

``ranks[i, r]`` is the index (in the election's candidate order) of the
candidate at rank ``r`` of unique ballot ``i``, or :data:`EMPTY` for a
skipped or absent rank, or :data:`SEVERAL` when the rank holds more than one
candidate (an overvote, or an equal preference). ``marked[i, c]`` says
whether ballot ``i`` marks candidate ``c`` at any rank. ``counts[i]`` is how
many voters cast ballot ``i``. Rules count over these arrays, so the work
grows with unique ballots, not with voters.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import Election
from electoral.errors import CountError

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

EMPTY: Final = -1
SEVERAL: Final = -2

IntArray = npt.NDArray[np.int64]

#: The most cells a profile may have: unique ballots times the wider of the
#: candidates and the longest ballot. Its arrays hold one to four bytes a
#: cell, so at the bound they take a few GiB; beyond it the rules would need a
#: sparse layout, and an election is refused before anything is allocated.
#: A million different ballots over a thousand candidates fit.
MAX_PROFILE_CELLS: Final = 2**30


def check_profile_size(unique_ballots: int, candidates: int, depth: int = 0) -> None:
    """Refuse, with a :class:`CountError`, a profile of more than :data:`MAX_PROFILE_CELLS` cells."""
    cells = unique_ballots * max(candidates, depth)
    if cells > MAX_PROFILE_CELLS:
        raise CountError(
            f"{unique_ballots:,} different ballots over {max(candidates, depth):,} candidates or ranks need "
            f"{cells:,} cells, more than the {MAX_PROFILE_CELLS:,} (MAX_PROFILE_CELLS) the counting arrays hold"
        )


# float64 represents every integer below 2**53 exactly, so a float bincount of
# non-negative integers is exact while the grand total stays below that.
_EXACT_FLOAT_SUM: Final = 2**53
# Any sum of int64 values whose magnitudes add up to less than this cannot wrap.
_INT64_SAFE: Final = 2**63


def exact_total(values: npt.NDArray[Any]) -> int:
    """The exact sum of an integer array, as a Python int: in int64 when it cannot wrap, else in Python."""
    if values.dtype == object:
        return int(sum(values.tolist()))
    if not len(values):
        return 0
    largest = max(abs(int(values.max())), abs(int(values.min())))
    if largest * len(values) < _INT64_SAFE:
        return int(values.sum())
    return int(sum(values.tolist()))


def exact_sum_by(labels: npt.NDArray[np.integer], weights: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """Exact integer sums of ``weights`` per label in ``range(n)``; negative labels are ignored.

    ``np.bincount`` is fast but adds in float64; it is used only when every
    partial sum is provably exact (non-negative weights summing below 2**53).
    Otherwise integer ``np.add.at`` adds in int64 while no sum can pass it,
    and an array of Python integers (dtype ``object``) comes back when one could.
    """
    keep = labels >= 0
    labels, weights = labels[keep], weights[keep]
    wide = weights.dtype == object
    if not wide and len(weights):
        low, high = int(weights.min()), int(weights.max())
        if low >= 0:
            # non-negative: every partial sum is at most the total
            grand = int(weights.sum()) if high * len(weights) < _INT64_SAFE else exact_total(weights)
            if grand < _EXACT_FLOAT_SUM:
                return np.rint(np.bincount(labels, weights=weights.astype(np.float64), minlength=n)).astype(np.int64)
            wide = grand >= _INT64_SAFE
        else:
            wide = max(-low, high) * len(weights) >= _INT64_SAFE
    if wide:
        sums = [0] * n
        for label, weight in zip(labels.tolist(), weights.tolist(), strict=True):
            sums[label] += int(weight)
        out = np.empty(n, dtype=object)
        out[:] = sums
        return out
    total = np.zeros(n, dtype=np.int64)
    np.add.at(total, labels, weights)
    return total


@attrs.frozen(eq=False)
class Profile:
    """Unique ranked ballots of one election as arrays (score ballots are not included)."""

    counts: IntArray
    ranks: npt.NDArray[np.int32]
    marked: npt.NDArray[np.bool_]
    n_candidates: int

    @property
    def voters(self) -> int:
        return exact_total(self.counts)

    def first_preferences(self) -> npt.NDArray[np.int32]:
        """Each ballot's first marked rank: a candidate index, EMPTY (blank) or SEVERAL."""
        if self.ranks.shape[1] == 0:
            return np.full(len(self.counts), EMPTY, dtype=np.int32)
        filled = self.ranks != EMPTY
        first_column = filled.argmax(axis=1)
        first: npt.NDArray[np.int32] = self.ranks[np.arange(len(self.counts)), first_column]
        first[~filled.any(axis=1)] = EMPTY
        return first

    def tally(self, choices: npt.NDArray[np.int32], rows: npt.NDArray[np.bool_] | None = None) -> list[int]:
        """Votes per candidate when ballot ``i`` counts for ``choices[i]`` (negative: for nobody)."""
        keep = choices >= 0 if rows is None else (choices >= 0) & rows
        totals = np.zeros(self.n_candidates, dtype=np.int64)
        np.add.at(totals, choices[keep], self.counts[keep])  # each total is at most the voters: no wrap
        return [int(v) for v in totals]

    def weight(self, rows: npt.NDArray[np.bool_]) -> int:
        """How many voters cast the ballots selected by ``rows``."""
        return exact_total(self.counts[rows])


def profile_of(election: Election) -> Profile:
    """The election's profile, built on first use and cached on the (immutable) election."""
    cached = election._cache.get("profile")
    if not isinstance(cached, Profile):
        # Array-backed ballots (Election.from_array) already hold the arrays; use them directly
        # unless the candidate list was changed after they were built.
        arrays = getattr(election.ballots, "profile", None)
        same = getattr(election.ballots, "candidates", None) == election.candidates
        cached = arrays() if callable(arrays) and same else _build(election)
        election._cache["profile"] = cached
    return cached


def _build(election: Election) -> Profile:
    index = {c: i for i, c in enumerate(election.candidates)}
    ranked = [b for b in election.ballots if b.scores is None]
    depth = max((len(b.ranking) for b in ranked), default=0)
    check_profile_size(len(ranked), len(election.candidates), depth)
    counts = np.fromiter((b.count for b in ranked), dtype=np.int64, count=len(ranked))
    ranks = np.full((len(ranked), depth), EMPTY, dtype=np.int32)
    marked = np.zeros((len(ranked), len(election.candidates)), dtype=np.bool_)
    for row, ballot in enumerate(ranked):
        for column, rank in enumerate(ballot.ranking):
            if len(rank) == 1:
                (only,) = rank
                ranks[row, column] = index[only]
            elif rank:
                ranks[row, column] = SEVERAL
            for candidate in rank:
                marked[row, index[candidate]] = True
    return Profile(counts=counts, ranks=ranks, marked=marked, n_candidates=len(election.candidates))
