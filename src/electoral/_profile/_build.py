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

from typing import Final

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
    """The election's profile: built once per election (one builder for every kind of ballot store), then kept."""
    return derived(election, _PROFILE, _build)


def _build(election: Election) -> Profile:
    ballots = election.ballots
    if isinstance(ballots, ArrayBallots):
        # array-built ballots already hold the arrays, in the election's candidate order
        return Profile(
            counts=ballots.counts, ranks=ballots.rows, marked=ballots.marked, n_candidates=len(ballots.candidates)
        )
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


_PROFILE: Final[Derived[Profile]] = Derived("profile")
