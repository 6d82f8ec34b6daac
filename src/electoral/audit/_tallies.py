"""Tallies for any set of continuing candidates, from the ballots as instant-runoff reads them.

RAIRE's assertions compare tallies taken with a given set ``S`` of
candidates continuing (Blom, Stuckey and Teague 2019, section 3). Every
ballot-reading option of ``instant-runoff`` (see :mod:`electoral._profile._ranked`)
leaves a ballot's vote, for a given ``S``, decided by one rule: the ballot
counts for candidate ``c`` at a rank when ``c`` is in ``S`` and none of a set
``Q`` of other candidates is (those marked at the ranks it reads before, and,
when an overvote with one continuing candidate counts for it, the others of
that rank). Ranks after the point where the reading stops for good (an
overvote under ``exhaust_immediately``, too many skipped ranks, a repeated
candidate with ``exhaust_on_duplicate_candidate``, ``max_rankings``) give no
pair. So an election reduces to the pairs ``(c, Q)`` with the voters behind
each, merged; their number is bounded by the candidates times the distinct
ballot prefixes, whatever the number of voters, and each tally is then one
pass over the pairs. ``Q`` is a bit mask, so up to :data:`MAX_CANDIDATES`
candidates are supported.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from electoral._model import Election
from electoral._profile._ranked import EMPTY, SEVERAL, Reading, ranked_ballots, sum_by
from electoral.errors import OptionError

__all__ = ["MAX_CANDIDATES", "Tallies"]

#: The most candidates a contest may have here (a set of candidates is one int64 bit mask).
MAX_CANDIDATES: Final = 62

IntArray = npt.NDArray[np.int64]
# up to this many candidates a (candidate, mask) pair packs into one int64 (6 bits of candidate, n of mask)
_ONE_KEY: Final = 56


class Tallies:
    """The (candidate, blocking set) pairs of an election, and the tallies they give, cached by set."""

    def __init__(self, election: Election, reading: Reading) -> None:
        n = len(election.candidates)
        if n > MAX_CANDIDATES:
            raise OptionError(f"raire handles up to {MAX_CANDIDATES} candidates, not {n}")
        self.n = n
        self.cands, self.blocks, self.weights = _pairs(election, reading)
        self._cache: dict[int, IntArray] = {}

    def tally(self, continuing: int) -> IntArray:
        """Votes of every candidate (0 for those not continuing) with the candidates of bit mask ``continuing``."""
        found = self._cache.get(continuing)
        if found is None:
            inside = np.array([(continuing >> c) & 1 for c in range(self.n)], dtype=np.bool_)
            counts = inside[self.cands] & ((self.blocks & np.int64(continuing)) == 0)
            found = sum_by(self.cands[counts].astype(np.int32), self.weights[counts], self.n)
            self._cache[continuing] = found
        return found


def _pairs(election: Election, reading: Reading) -> tuple[IntArray, IntArray, IntArray]:
    """The merged ``(c, Q, voters)`` of the election's unique ballots read under ``reading``."""
    ballots = ranked_ballots(election)
    ranks = ballots.ranks
    rows, depth = ranks.shape
    if reading.max_rankings is not None:
        depth = min(depth, reading.max_rankings)
    bit = np.int64(1) << np.arange(max(ballots.n_candidates, 1), dtype=np.int64)
    # the candidates of each overvoted cell, as a mask
    multi = np.zeros((rows, depth), dtype=np.int64)
    if len(ballots.multi_rows):
        keep = ballots.multi_cols < depth
        np.bitwise_or.at(multi, (ballots.multi_rows[keep], ballots.multi_cols[keep]), bit[ballots.multi_cands[keep]])
    repeats = ballots.repeats() if reading.exhaust_on_duplicate_candidate else None
    open_ = np.ones(rows, dtype=np.bool_)  # still read: no rank has stopped the reading for good
    seen = np.zeros(rows, dtype=np.int64)  # Q: the candidates of the ranks read so far
    last = np.full(rows, -1, dtype=np.int64)
    out_c: list[IntArray] = []
    out_q: list[IntArray] = []
    out_w: list[IntArray] = []
    for column in range(depth):
        cell = ranks[:, column]
        marked = open_ & (cell != EMPTY)
        if reading.max_skipped_ranks is not None:
            too_far = marked & (column - last > reading.max_skipped_ranks + 1)
            open_ &= ~too_far
            marked &= ~too_far
            last[marked] = column
        if repeats is not None:
            repeated = marked & repeats[:, column]
            open_ &= ~repeated
            marked &= ~repeated
        single = marked & (cell >= 0)
        where = np.flatnonzero(single)
        c = cell[where].astype(np.int64)
        fresh = (seen[where] & bit[c]) == 0  # a candidate marked again adds nothing
        out_c.append(c[fresh])
        out_q.append(seen[where][fresh])
        out_w.append(ballots.counts[where][fresh])
        seen[where] |= bit[c]
        several = np.flatnonzero(marked & (cell == SEVERAL))
        if len(several):
            if reading.overvote_rule == "exhaust_immediately":
                open_[several] = False
            elif reading.overvote_rule == "exhaust_if_multiple_continuing":
                masks = multi[several, column]
                for c_i in range(ballots.n_candidates):
                    has = np.flatnonzero((masks & bit[c_i]) != 0)
                    if len(has):
                        at = several[has]
                        others = seen[at] | (masks[has] & ~bit[c_i])
                        fresh = (seen[at] & bit[c_i]) == 0
                        out_c.append(np.full(int(fresh.sum()), c_i, dtype=np.int64))
                        out_q.append(others[fresh])
                        out_w.append(ballots.counts[at][fresh])
                seen[several] |= masks
            # always_skip_to_next_rank: the rank is passed over and blocks nobody
    if not out_c:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    cands = np.concatenate(out_c)
    blocks = np.concatenate(out_q)
    weights = np.concatenate(out_w).astype(np.int64)
    if not len(cands):
        return cands, blocks, weights
    if ballots.n_candidates <= _ONE_KEY:
        # one int64 key per pair: the candidate above the mask's bits
        keys = (cands << np.int64(ballots.n_candidates)) | blocks
        unique, inverse = np.unique(keys, return_inverse=True)
        merged = sum_by(inverse.reshape(-1).astype(np.int32), weights, len(unique))
        unique_c = unique >> np.int64(ballots.n_candidates)
        unique_q = unique & ((np.int64(1) << np.int64(ballots.n_candidates)) - 1)
        return unique_c, unique_q, np.asarray(merged, dtype=np.int64)
    pairs = np.stack([cands, blocks], axis=1)
    rows_u, inverse = np.unique(pairs, axis=0, return_inverse=True)
    merged = sum_by(inverse.reshape(-1).astype(np.int32), weights, len(rows_u))
    return rows_u[:, 0].copy(), rows_u[:, 1].copy(), np.asarray(merged, dtype=np.int64)
