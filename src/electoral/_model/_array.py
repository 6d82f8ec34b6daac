"""Elections built from integer arrays of rankings, without a Ballot object per voter.

:meth:`Election.from_array` takes an array of shape (ballots, ranks) whose
row ``i`` lists candidate indices from first preference on, with -1 for an
empty rank. Identical rows are merged with numpy, and the election holds an
:class:`ArrayBallots`: a read-only sequence of the unique rows and their
counts that builds a :class:`~electoral.Ballot` only when one is asked for.
The counting kernel (:mod:`electoral._profile`) recognises the store by its
type and takes its arrays as they are, so no rule rebuilds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

import numpy as np
import numpy.typing as npt

from electoral._arith import exact_sum_by, exact_total
from electoral._model._values import MAX_VOTERS, Ballot, Candidate, _to_candidates
from electoral._text import excerpt
from electoral.errors import BallotError, CountError, UnknownCandidateError

if TYPE_CHECKING:
    from electoral._model._election import Election

__all__ = [
    "EMPTY",
    "MAX_PROFILE_CELLS",
    "SEVERAL",
    "ArrayBallots",
    "check_profile_size",
    "election_from_array",
    "times_marked",
    "unique_rows",
]

EMPTY: Final = -1
SEVERAL: Final = -2

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


IntArray = npt.NDArray[np.int64]
RankArray = npt.NDArray[np.int32]

# Rows are packed into one int64 key per row when every row fits in 63 bits;
# sorting one column of keys is several times faster than sorting rows.
_KEY_BITS: Final = 63
# With keys below 2**20, rows are merged by counting per key, without sorting.
_DIRECT_KEY_BITS: Final = 20
_MASK_BITS: Final = 64


class ArrayBallots(Sequence[Ballot]):
    """The unique ballots of an array-built election, as a lazy, read-only sequence.

    ``rows[i]`` holds candidate indices (or -1) and ``counts[i]`` the number
    of voters who cast that row. Ballot objects are built on access only.
    Every row is a ranking with one candidate per rank, so :attr:`mark_kinds`
    is known without looking at a single ballot.
    """

    mark_kinds: Final = frozenset({"ranking"})

    __slots__ = ("candidates", "counts", "marked", "rows")

    def __init__(
        self,
        candidates: tuple[Candidate, ...],
        rows: RankArray,
        counts: IntArray,
        marked: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        self.candidates = candidates
        self.rows = rows
        self.counts = counts
        self.marked = times_marked(rows, len(candidates)) > 0 if marked is None else marked
        rows.flags.writeable = False
        counts.flags.writeable = False
        self.marked.flags.writeable = False

    def __len__(self) -> int:
        return len(self.counts)

    def voters(self) -> int:
        """How many voters cast these ballots (without building them), exactly even past int64."""
        return exact_total(self.counts)

    def reindexed(self, candidates: tuple[Candidate, ...]) -> ArrayBallots:
        """The same ballots, with indices into ``candidates`` (which must hold every marked candidate)."""
        where = {c: i for i, c in enumerate(candidates)}
        marked: list[bool] = (
            np.asarray(self.marked.any(axis=0)).tolist() if len(self.counts) else [False] * len(self.candidates)
        )
        missing = [c.name for c, m in zip(self.candidates, marked, strict=True) if m and c not in where]
        if missing:
            shown = ", ".join(excerpt(name) for name in missing[:20])
            more = f" and {len(missing) - 20:,} more" if len(missing) > 20 else ""
            raise UnknownCandidateError(f"ballots mark {shown}{more}, not among the new candidates")
        old_to_new = np.full(len(self.candidates) + 1, EMPTY, dtype=np.int32)  # the last slot maps EMPTY to EMPTY
        for i, c in enumerate(self.candidates):
            old_to_new[i] = where.get(c, EMPTY)
        rows = old_to_new[self.rows]
        columns = np.zeros((len(self.counts), len(candidates)), dtype=np.bool_)
        kept = [i for i, c in enumerate(self.candidates) if c in where]
        columns[:, [where[self.candidates[i]] for i in kept]] = self.marked[:, kept]
        return ArrayBallots(candidates, np.ascontiguousarray(rows), self.counts, columns)

    @overload
    def __getitem__(self, index: int) -> Ballot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Ballot]: ...
    def __getitem__(self, index: int | slice) -> Ballot | Sequence[Ballot]:
        if isinstance(index, slice):
            return tuple(self._ballot(i) for i in range(*index.indices(len(self))))
        if not -len(self) <= index < len(self):
            raise IndexError(f"ballot index {index} is out of range for {len(self)} unique ballots")
        return self._ballot(index % len(self))

    def __iter__(self) -> Iterator[Ballot]:
        for i in range(len(self)):
            yield self._ballot(i)

    def _ballot(self, i: int) -> Ballot:
        ranks = [{self.candidates[c]} if c >= 0 else set() for c in self.rows[i].tolist()]
        return Ballot(ranks, count=int(self.counts[i]))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ArrayBallots):
            return (
                self.candidates == other.candidates
                and self.rows.shape == other.rows.shape
                and bool(np.array_equal(self.rows, other.rows))
                and bool(np.array_equal(self.counts, other.counts))
            )
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.candidates, self.rows.shape, self.rows.tobytes(), self.counts.tobytes()))

    def __repr__(self) -> str:
        return f"<ArrayBallots: {len(self)} unique ballots, {self.voters()} voters>"


def unique_rows(rows: RankArray, counts: IntArray, n_candidates: int) -> tuple[RankArray, IntArray]:
    """Merge identical rows, summing their counts; unique rows come back in lexicographic order.

    Sorted order is canonical: two arrays holding the same ballots in any
    order give equal elections. Each row is packed into one or more int64
    keys (one digit of ``bits`` bits per rank, the first rank most
    significant), so sorting keys sorts the rows; the unique rows are decoded
    from the sorted keys rather than gathered from the input.
    """
    if len(rows) == 0:
        return rows, counts
    width = rows.shape[1]
    bits = int(n_candidates + 1).bit_length()
    if width * bits <= _DIRECT_KEY_BITS:
        # few possible rows: count them per key directly, in one pass and in key order
        (keys,) = _pack(rows, bits, max(width, 1))
        per_key = _sum_by(keys, counts, 1 << (width * bits))
        present = np.flatnonzero(per_key)
        return _unpack(present[None, :], width, bits, max(width, 1)), per_key[present]
    per_word = _KEY_BITS // bits
    words = _pack(rows, bits, per_word)
    if len(words) == 1:
        if bool((counts == 1).all()):
            # one voter a row (the usual array): sort the keys alone and count the runs
            ordered = np.sort(words[0])
            starts = _run_starts(ordered[None, :])
            merged = np.diff(np.append(starts, len(ordered))).astype(np.int64)
            return _unpack(ordered[starts][None, :], width, bits, per_word), merged
        order = np.argsort(words[0])
    else:
        order = np.lexsort(words[::-1])  # the first word (the first ranks) is the primary key
    ordered_words = words[:, order]
    starts = _run_starts(ordered_words)
    return _unpack(ordered_words[:, starts], width, bits, per_word), np.add.reduceat(counts[order], starts)


def _pack(rows: RankArray, bits: int, per_word: int) -> IntArray:
    """Each row as ``ceil(width / per_word)`` int64 keys of ``bits``-bit digits (rank value + 1).

    A word is one integer matrix product: digits below ``2**bits`` times
    powers of two summing below ``2**63`` cannot wrap, even in partial sums.
    """
    width = rows.shape[1]
    words = np.zeros((-(-width // per_word) if width else 1, len(rows)), dtype=np.int64)
    for w, start in enumerate(range(0, width, per_word)):
        stop = min(width, start + per_word)
        powers = np.left_shift(np.int64(1), bits * np.arange(stop - start - 1, -1, -1, dtype=np.int64))
        np.matmul(rows[:, start:stop], powers, out=words[w])
        words[w] += int(powers.sum())  # the +1 of every digit
    return words


def _unpack(words: IntArray, width: int, bits: int, per_word: int) -> RankArray:
    """The rows that :func:`_pack` packed into ``words``."""
    columns = np.empty((width, words.shape[1]), dtype=np.int32)
    mask = (1 << bits) - 1
    for w in range(len(words)):
        key = words[w].copy()
        for column in range(min(width, (w + 1) * per_word) - 1, w * per_word - 1, -1):
            np.bitwise_and(key, mask, out=columns[column], casting="unsafe")
            key >>= bits
    columns -= 1
    # rows by ranks, stored rank by rank: every rank's column is contiguous, as the counting kernel reads them
    unpacked: RankArray = columns.T
    return unpacked


def _run_starts(ordered: IntArray) -> npt.NDArray[np.intp]:
    """Where each run of equal columns of the sorted ``ordered`` keys (words × rows) starts."""
    new = np.empty(ordered.shape[1], dtype=np.bool_)
    new[:1] = True
    np.any(ordered[:, 1:] != ordered[:, :-1], axis=0, out=new[1:])
    return np.flatnonzero(new)


def _complete_marks(rows: RankArray, n_candidates: int) -> npt.NDArray[np.bool_] | None:
    """Every candidate marked on every row, if each row ranks all candidates once; else None.

    A row of ``n`` indices in ``0..n-1`` whose bits cover all ``n`` candidates
    repeats none of them, so one OR per column settles it.
    """
    if rows.shape[1] != n_candidates or not 0 < n_candidates < _MASK_BITS - 1 or not len(rows):
        return None
    if int(rows.min()) < 0:
        return None
    seen = np.zeros(len(rows), dtype=np.int64)
    for column in range(n_candidates):
        seen |= np.left_shift(np.int64(1), rows[:, column], dtype=np.int64)
    if not bool((seen == (1 << n_candidates) - 1).all()):
        return None
    return np.ones((len(rows), n_candidates), dtype=np.bool_)


def _sum_by(groups: npt.NDArray[Any], counts: IntArray, n_groups: int) -> IntArray:
    """Exact integer sums of ``counts`` per group."""
    return exact_sum_by(groups, counts, n_groups)


def election_from_array(
    cls: type[Election],
    rankings: Any,
    *,
    candidates: Iterable[str | Candidate],
    counts: Any = None,
    seats: int = 1,
    title: str = "",
) -> Election:
    """Build an :class:`Election` from an integer array of rankings (see :meth:`Election.from_array`).

    >>> import numpy as np
    >>> from electoral import Election
    >>> e = Election.from_array(np.array([[0, 1, -1], [2, 0, 1], [0, 1, -1]]), candidates=["A", "B", "C"])
    >>> [(str(b), b.count) for b in e.ballots]
    [('A>B', 2), ('C>A>B', 1)]
    """
    people = _to_candidates(candidates)
    given = _check_rows(rankings, len(people))
    weights = _check_counts(counts, len(given))
    rows = given
    keep = weights > 0
    if not keep.all():
        rows, weights = rows[keep], weights[keep]
    rows = _trim_empty_tail(rows)
    rows, weights = unique_rows(rows, weights, len(people))
    check_profile_size(len(rows), len(people), rows.shape[1])
    marked = _complete_marks(rows, len(people))
    if marked is None:
        marks = times_marked(rows, len(people))
        _check_repeats(marks, rows, given)
        marked = marks > 0
    return cls(people, ArrayBallots(people, rows, weights, marked), seats=seats, title=title)


def _check_rows(rankings: Any, n_candidates: int) -> RankArray:
    try:
        array = np.asarray(rankings)
    except ValueError:  # numpy refuses ragged nested lists
        raise BallotError("rankings must be a rectangular array (ballots × ranks); rows differ in length") from None
    if array.ndim == 1 and array.size == 0:
        array = array.reshape(0, 0)
    if array.ndim != 2:
        raise BallotError(f"rankings must be a 2-d array (ballots × ranks), got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise BallotError(f"rankings must hold integer candidate indices, not {array.dtype} values")
    # no copy: the merge decodes new arrays from its keys and never writes to these
    rows = array.astype(np.int32, copy=False) if array.size else np.zeros(array.shape, dtype=np.int32)
    # two fast reductions first; the element-wise search runs only when something is wrong
    if array.size and (int(array.min()) < EMPTY or int(array.max()) >= n_candidates):
        bad = (array < EMPTY) | (array >= n_candidates)
        if bad.any():
            row, column = (int(v) for v in np.argwhere(bad)[0])
            raise BallotError(
                f"row {row}, rank {column + 1}: {excerpt(array[row, column].item())} is not a candidate index"
                f" (0 to {n_candidates - 1}, or -1 for an empty rank)"
            )
    return rows


def times_marked(rows: RankArray, n_candidates: int) -> npt.NDArray[np.int16]:
    """How many ranks of each row mark each candidate."""
    if rows.size and n_candidates <= _MASK_BITS:
        # One bit per candidate: a row repeats nobody when its bits number its filled ranks.
        bits = np.zeros(len(rows), dtype=np.uint64)
        for column in range(rows.shape[1]):
            filled = rows[:, column] >= 0
            bits |= np.where(filled, np.left_shift(np.uint64(1), rows[:, column].clip(0).astype(np.uint64)), 0).astype(
                np.uint64
            )
        if (np.bitwise_count(bits) == (rows >= 0).sum(axis=1)).all():
            shifts = np.arange(n_candidates, dtype=np.uint64)
            return ((bits[:, None] >> shifts) & np.uint64(1)).astype(np.int16)
    times = np.zeros((len(rows), n_candidates), dtype=np.int16)
    if rows.size == 0:
        return times
    filled = rows >= 0
    flat = (np.arange(len(rows), dtype=np.int64)[:, None] * n_candidates + rows)[filled]
    counted = np.bincount(flat, minlength=len(rows) * n_candidates)
    return counted.reshape(len(rows), n_candidates).astype(np.int16)


def _check_repeats(times_marked: npt.NDArray[np.int16], unique: RankArray, given: RankArray) -> None:
    repeated = times_marked > 1
    if not repeated.any():
        return
    row, candidate = (int(v) for v in np.argwhere(repeated)[0])
    width = unique.shape[1]
    padded = given[:, :width] if given.shape[1] >= width else given
    original = int(np.flatnonzero((padded == unique[row]).all(axis=1))[0])
    raise BallotError(
        f"row {original} ranks candidate index {candidate} more than once; an array ranking lists each candidate once"
    )


def _check_counts(counts: Any, n_rows: int) -> IntArray:
    if counts is None:
        return np.ones(n_rows, dtype=np.int64)
    array = np.asarray(counts)
    if array.shape != (n_rows,):
        raise CountError(f"counts must have one entry per row ({n_rows}), got shape {array.shape}")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise CountError(f"counts must be whole numbers, not {array.dtype} values")
    if array.size and array.min() < 0:
        row = int(np.argmax(array < 0))
        raise CountError(f"row {row}: count {excerpt(array[row].item())} is negative")
    if array.size and array.max() >= MAX_VOTERS:
        row = int(np.argmax(array >= MAX_VOTERS))
        raise CountError(
            f"row {row}: count {excerpt(array[row].item())} is more than this library counts ({MAX_VOTERS - 1})"
        )
    values = array.astype(np.int64)
    total = exact_total(values)
    if total >= MAX_VOTERS:
        raise CountError(f"{total} voters in all is more than this library counts ({MAX_VOTERS - 1})")
    return values


def _trim_empty_tail(rows: RankArray) -> RankArray:
    """Drop rank columns that are empty on every row (they carry no information)."""
    if rows.size == 0:
        return rows.reshape(len(rows), 0)
    if not (rows[:, -1] == EMPTY).all():
        return rows
    filled_columns = np.flatnonzero((rows != EMPTY).any(axis=0))
    width = int(filled_columns[-1]) + 1 if len(filled_columns) else 0
    return np.ascontiguousarray(rows[:, :width])
