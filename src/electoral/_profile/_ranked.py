"""The ranked-ballot kernel: unique ballots as arrays, read the way tabulators read them.

:func:`ranked_ballots` gives an election's unique ballots as arrays, a view
of its :class:`~electoral._profile.Profile` (the one builder) derived once:
``ranks[i, r]`` is the candidate index at rank ``r`` of unique ballot
``i``, :data:`EMPTY` for a skipped or absent rank, or :data:`SEVERAL` when
the rank holds more than one candidate (an overvote);
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
from electoral._model import Election
from electoral._model._election import Derived, derived
from electoral._profile._build import EMPTY, SEVERAL, profile_of
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
    _blank: npt.NDArray[np.bool_] | None = attrs.field(default=None, alias="_blank")

    @property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Ballots that mark no rank at all."""
        if self._blank is not None:
            return self._blank
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
    """The election's ranked ballots as arrays: a view of its profile, derived once per election.

    Score ballots are refused with a :class:`MarkError` (the profile leaves
    them out, and a ranked count must not drop votes silently).
    """
    return derived(election, _RANKED, _view)


def _view(election: Election) -> RankedBallots:
    profile = profile_of(election)
    if profile.scored:
        raise MarkError(
            f"ranked-choice rules read rankings, but ballot {excerpt(profile.scored_example)} carries scores"
        )
    return RankedBallots(
        counts=profile.counts,
        ranks=profile.ranks,
        multi_rows=profile.multi_rows,
        multi_cols=profile.multi_cols,
        multi_cands=profile.multi_cands,
        n_candidates=profile.n_candidates,
        _blank=profile.blank,
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
    depth = ballots.ranks.shape[1]
    if reading.max_rankings is not None:
        depth = min(depth, reading.max_rankings)
    result[ballots.blank[rows]] = UNDERVOTE
    last_marked = np.full(len(rows), -1, dtype=np.int64) if reading.max_skipped_ranks is not None else None
    repeats = ballots.repeats() if reading.exhaust_on_duplicate_candidate else None
    has_multi = len(ballots.multi_rows) > 0
    local = _local_index(ballots, rows) if has_multi else None
    todo = np.flatnonzero(result == _PENDING)
    for column in range(depth):
        if column:
            todo = todo[result[todo] == _PENDING]  # those the earlier ranks did not settle
        if len(todo) == 0:
            break
        pending = todo
        # one rank at a time, read from the ranks' column (contiguous for array-built ballots)
        at = rows[pending]
        cell = ballots.ranks[:, column][at]
        marked = cell != EMPTY
        if not marked.all():
            pending, cell, at = pending[marked], cell[marked], at[marked]
        if last_marked is not None and reading.max_skipped_ranks is not None:
            too_far = column - last_marked[pending] > reading.max_skipped_ranks + 1
            result[pending[too_far]] = SKIPPED
            pending, cell, at = pending[~too_far], cell[~too_far], at[~too_far]
            last_marked[pending] = column
        if repeats is not None:
            repeated = repeats[at, column]
            result[pending[repeated]] = REPEATED
            pending, cell = pending[~repeated], cell[~repeated]
        chosen = continuing[np.maximum(cell, 0)]
        if has_multi:
            chosen &= cell >= 0
        result[pending[chosen]] = cell[chosen]
        if local is not None:
            several = pending[cell == SEVERAL]
            if len(several):
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
