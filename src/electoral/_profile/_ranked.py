"""The ranked-ballot kernel: unique ballots as arrays, read the way tabulators read them.

:func:`ranked_ballots` turns an election's unique ballots into arrays, once
(cached on the election): ``ranks[i, r]`` is the candidate index at rank
``r`` of unique ballot ``i``, :data:`EMPTY` for a skipped or absent rank, or
:data:`SEVERAL` when the rank holds more than one candidate (an overvote);
the candidates of such ranks are listed in ``multi_rows``/``multi_cols``/
``multi_cands``, so memory grows with unique ballots and their marks, never
with voters.

:func:`scan` finds, for each ballot, the candidate it counts for given which
candidates are still continuing, or why it counts for nobody. The reading
rules are those of RCTab, the Universal RCV Tabulator (its configuration
documentation, and the behaviours its test suite requires):

- a ballot is read from its first rank every time its candidate is
  eliminated (equivalently, from where it stood, since eliminated
  candidates never return);
- *skipped rankings*: with ``max_skipped_ranks = k``, a ballot becomes
  inactive when a marked rank follows the previous marked rank (or the
  start) by more than ``k + 1``; trailing blanks never count;
- *repeated rankings*: with ``exhaust_on_duplicate_candidate``, a ballot
  becomes inactive on reaching a rank that marks a candidate already marked
  at an earlier rank;
- *overvotes*: a rank marking several candidates makes the ballot inactive
  (``exhaust_immediately``), is passed over (``always_skip_to_next_rank``),
  or makes it inactive only if more than one of them is continuing
  (``exhaust_if_multiple_continuing``; with exactly one, the ballot counts
  for that one);
- ranks beyond ``max_rankings`` are not read;
- a ballot that runs out of ranks is *exhausted*; one that marks nothing at
  all is an *undervote*.

The checks run in that order at each rank (skip, repeat, overvote), as RCTab
does.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import exact_sum_by
from electoral._model import ArrayBallots, Election
from electoral._model._election import Derived, derived
from electoral._text import excerpt
from electoral.errors import MarkError

__all__ = [
    "EMPTY",
    "EXHAUSTED",
    "INACTIVE_REASONS",
    "OVERVOTE",
    "REPEATED",
    "SEVERAL",
    "SKIPPED",
    "UNDERVOTE",
    "RankedBallots",
    "Reading",
    "ranked_ballots",
    "scan",
    "sum_by",
]

EMPTY: Final = -1
SEVERAL: Final = -2

# Codes for a ballot that counts for nobody; candidate indices are >= 0.
OVERVOTE: Final = -1
SKIPPED: Final = -2
EXHAUSTED: Final = -3
REPEATED: Final = -4
UNDERVOTE: Final = -5
_PENDING: Final = -9

#: The names of the inactive reasons, as they appear in ``Round.set_aside``.
INACTIVE_REASONS: Final = {
    OVERVOTE: "overvote",
    SKIPPED: "skipped rankings",
    EXHAUSTED: "exhausted choices",
    REPEATED: "repeated rankings",
    UNDERVOTE: "undervote",
}

IntArray = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int32]


@attrs.frozen(eq=False)
class RankedBallots:
    """An election's unique ranked ballots as arrays (see the module notes)."""

    counts: IntArray
    ranks: npt.NDArray[np.int32]
    multi_rows: npt.NDArray[np.intp]
    multi_cols: npt.NDArray[np.intp]
    multi_cands: npt.NDArray[np.intp]
    n_candidates: int
    _repeats: list[npt.NDArray[np.bool_]] = attrs.field(factory=list, alias="_repeats")

    @property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Ballots that mark no rank at all."""
        if self.ranks.shape[1] == 0:
            return np.ones(len(self.counts), dtype=np.bool_)
        blank: npt.NDArray[np.bool_] = (self.ranks == EMPTY).all(axis=1)
        return blank

    def repeats(self) -> npt.NDArray[np.bool_]:
        """``repeats[i, r]``: rank ``r`` of ballot ``i`` marks a candidate marked at an earlier rank."""
        if not self._repeats:
            self._repeats.append(self._find_repeats())
        return self._repeats[0]

    def _find_repeats(self) -> npt.NDArray[np.bool_]:
        n, depth = self.ranks.shape
        seen = np.zeros((n, self.n_candidates), dtype=np.bool_)
        repeats = np.zeros((n, depth), dtype=np.bool_)
        rows = np.arange(n)
        for column in range(depth):
            cell = self.ranks[:, column]
            single = cell >= 0
            repeats[single, column] = seen[rows[single], cell[single]]
            in_column = self.multi_cols == column
            m_rows, m_cands = self.multi_rows[in_column], self.multi_cands[in_column]
            repeats[m_rows[seen[m_rows, m_cands]], column] = True
            seen[rows[single], cell[single]] = True
            seen[m_rows, m_cands] = True
        return repeats


def ranked_ballots(election: Election) -> RankedBallots:
    """The election's ranked ballots as arrays, built once per election."""
    return derived(election, _RANKED, _build)


def _build(election: Election) -> RankedBallots:
    ballots = election.ballots
    if isinstance(ballots, ArrayBallots):
        # array-built ballots hold one candidate per rank: the rows are the ranks
        none = np.zeros(0, dtype=np.intp)
        return RankedBallots(
            counts=ballots.counts.astype(np.int64, copy=False),
            ranks=ballots.rows.astype(np.int32, copy=False),
            multi_rows=none,
            multi_cols=none,
            multi_cands=none,
            n_candidates=len(ballots.candidates),
        )
    index = {c: i for i, c in enumerate(election.candidates)}
    ballots = list(election.ballots)
    for ballot in ballots:
        if ballot.scores is not None:
            raise MarkError(f"ranked-choice rules read rankings, but ballot {excerpt(str(ballot))} carries scores")
    depth = max((len(b.ranking) for b in ballots), default=0)
    counts = np.fromiter((b.count for b in ballots), dtype=np.int64, count=len(ballots))
    ranks = np.full((len(ballots), depth), EMPTY, dtype=np.int32)
    multi: list[tuple[int, int, int]] = []
    for row, ballot in enumerate(ballots):
        for column, rank in enumerate(ballot.ranking):
            if len(rank) == 1:
                (only,) = rank
                ranks[row, column] = index[only]
            elif rank:
                ranks[row, column] = SEVERAL
                multi.extend((row, column, index[c]) for c in rank)
    table = np.array(multi, dtype=np.intp).reshape(-1, 3)
    return RankedBallots(
        counts=counts,
        ranks=ranks,
        multi_rows=np.ascontiguousarray(table[:, 0]),
        multi_cols=np.ascontiguousarray(table[:, 1]),
        multi_cands=np.ascontiguousarray(table[:, 2]),
        n_candidates=len(election.candidates),
    )


@attrs.frozen
class Reading:
    """How ballots are read: the options of :func:`scan` (see the module notes)."""

    overvote_rule: str = "exhaust_immediately"
    max_skipped_ranks: int | None = None
    max_rankings: int | None = None
    exhaust_on_duplicate_candidate: bool = False


def scan(
    ballots: RankedBallots,
    rows: npt.NDArray[np.intp],
    continuing: npt.NDArray[np.bool_],
    reading: Reading,
) -> Codes:
    """For each ballot in ``rows``: the continuing candidate it counts for, or an inactive code.

    ``continuing[c]`` says whether candidate ``c`` can still receive votes.
    Codes are :data:`OVERVOTE`, :data:`SKIPPED`, :data:`EXHAUSTED`,
    :data:`REPEATED` and :data:`UNDERVOTE`.
    """
    result = np.full(len(rows), _PENDING, dtype=np.int32)
    if len(rows) == 0:
        return result
    ranks = ballots.ranks[rows]
    depth = ranks.shape[1]
    if reading.max_rankings is not None:
        depth = min(depth, reading.max_rankings)
    blank = ~(ranks != EMPTY).any(axis=1) if ranks.shape[1] else np.ones(len(rows), dtype=np.bool_)
    result[blank] = UNDERVOTE
    last_marked = np.full(len(rows), -1, dtype=np.int64)
    repeats = ballots.repeats()[rows] if reading.exhaust_on_duplicate_candidate else None
    has_multi = len(ballots.multi_rows) > 0
    local = _local_index(ballots, rows) if has_multi else None
    for column in range(depth):
        pending = np.flatnonzero(result == _PENDING)
        if len(pending) == 0:
            break
        cell = ranks[pending, column]
        marked = cell != EMPTY
        pending, cell = pending[marked], cell[marked]
        if reading.max_skipped_ranks is not None:
            too_far = column - last_marked[pending] > reading.max_skipped_ranks + 1
            result[pending[too_far]] = SKIPPED
            pending, cell = pending[~too_far], cell[~too_far]
        last_marked[pending] = column
        if repeats is not None:
            repeated = repeats[pending, column]
            result[pending[repeated]] = REPEATED
            pending, cell = pending[~repeated], cell[~repeated]
        single = cell >= 0
        chosen = single & continuing[np.maximum(cell, 0)]
        result[pending[chosen]] = cell[chosen]
        several = pending[cell == SEVERAL]
        if len(several) and local is not None:
            _overvotes(ballots, local, several, column, continuing, reading.overvote_rule, result)
    result[result == _PENDING] = EXHAUSTED
    return result


def _local_index(ballots: RankedBallots, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Map each unique ballot to its position in ``rows`` (-1 if absent)."""
    local = np.full(len(ballots.counts), -1, dtype=np.intp)
    local[rows] = np.arange(len(rows))
    return local


def _overvotes(
    ballots: RankedBallots,
    local: npt.NDArray[np.intp],
    several: npt.NDArray[np.intp],
    column: int,
    continuing: npt.NDArray[np.bool_],
    rule: str,
    result: Codes,
) -> None:
    if rule == "exhaust_immediately":
        result[several] = OVERVOTE
        return
    if rule == "always_skip_to_next_rank":
        return  # passed over; a ballot with nothing after it ends up exhausted
    entries = (ballots.multi_cols == column) & (local[ballots.multi_rows] >= 0)
    positions = local[ballots.multi_rows[entries]]
    cands = ballots.multi_cands[entries]
    live = continuing[cands]
    live_count = np.zeros(len(result), dtype=np.int64)
    np.add.at(live_count, positions[live], 1)
    live_cand = np.full(len(result), -1, dtype=np.int64)
    np.maximum.at(live_cand, positions[live], cands[live])
    counts = live_count[several]
    result[several[counts > 1]] = OVERVOTE
    one = several[counts == 1]
    result[one] = live_cand[one]


def sum_by(labels: npt.NDArray[np.int32], weights: IntArray, n: int) -> IntArray:
    """Exact integer sums of ``weights`` per label in ``range(n)`` (negative labels are ignored)."""
    return exact_sum_by(labels, weights, n)


_RANKED: Final[Derived[RankedBallots]] = Derived("ranked ballots")
