"""Numpy helpers for the preference models: sampling rankings and merging identical ones.

Every model produces a ``(rows, counts)`` pair: ``rows[i]`` is a complete
ranking (candidate indices, most preferred first) and ``counts[i]`` how many
voters cast it. Rows are merged here, so an election is built from unique
rankings only and the work after sampling grows with distinct rankings, not
with voters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from math import factorial

import numpy as np
import numpy.typing as npt

from electoral._model import MAX_VOTERS, Candidate, Election
from electoral._text import excerpt
from electoral.errors import CountError, OptionError

__all__ = [
    "IntArray",
    "build_election",
    "candidate_names",
    "check_rng",
    "check_voters",
    "decode_lehmer",
    "merge_codes",
    "merge_rows",
    "polya_roots",
    "random_permutations",
    "uniform_permutations",
]

IntArray = npt.NDArray[np.int64]


def check_rng(rng: object) -> np.random.Generator:
    """Refuse anything but a ``numpy.random.Generator``: a model's randomness must be passed in and seeded."""
    if not isinstance(rng, np.random.Generator):
        raise OptionError(
            f"rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(2024)), not {excerpt(rng)}"
        )
    return rng


def check_voters(voters: object) -> int:
    if not isinstance(voters, (int, np.integer)) or isinstance(voters, bool) or voters < 0:
        raise CountError(f"the number of voters must be a whole number, zero or more, not {excerpt(voters)}")
    if voters >= MAX_VOTERS:
        raise CountError(
            f"the number of voters, {excerpt(voters)}, is more than this library counts ({MAX_VOTERS - 1})"
        )
    return int(voters)


def check_real(value: object, what: str) -> float:
    """A model parameter as a finite float; anything else is an OptionError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise OptionError(f"{what} must be a number, not {excerpt(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise OptionError(f"{what} must be a finite number, not {excerpt(value)}")
    return number


def real_array(value: object, what: str) -> npt.NDArray[np.float64]:
    """A model parameter as a float array; text, ragged or nested junk is an OptionError naming it."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise OptionError(f"{what} must be numbers, not {excerpt(value)}") from None


def candidate_names(candidates: int | Iterable[str | Candidate]) -> list[str | Candidate]:
    """Names for ``candidates``: a count gives "A", "B", ... ("C1", "C2", ... past 26)."""
    if isinstance(candidates, (bool, str)):
        raise OptionError(f"candidates must be a number or a list of names, not {excerpt(candidates)}")
    if isinstance(candidates, (int, np.integer)):
        n = int(candidates)
        if n < 1:
            raise CountError(f"an election needs at least one candidate, not {excerpt(candidates)}")
        if n <= 26:
            return [chr(ord("A") + i) for i in range(n)]
        return [f"C{i + 1}" for i in range(n)]
    names = list(candidates)
    if not names:
        raise CountError("an election needs at least one candidate")
    return names


def uniform_permutations(rng: np.random.Generator, voters: int, m: int) -> tuple[IntArray, IntArray]:
    """``voters`` independent uniformly random permutations of ``range(m)``, merged: (unique rows, counts)."""
    if voters and factorial(m) <= voters:
        # Few possible rankings: one multinomial draw over all of them is exact and cheapest.
        every = np.array(list(itertools.permutations(range(m))), dtype=np.int64).reshape(-1, m)
        counts = rng.multinomial(voters, np.full(len(every), 1 / len(every)))
        keep = counts > 0
        return every[keep], counts[keep].astype(np.int64)
    if m <= 20:
        # A permutation's Lehmer code is a uniform integer below m!: merge the codes, then decode the few.
        codes, counts = merge_codes(rng.integers(0, factorial(m), size=voters, dtype=np.int64))
        return decode_lehmer(codes, m), counts
    return merge_rows(np.argsort(rng.random((voters, m)), axis=1).astype(np.int64))


def random_permutations(rng: np.random.Generator, rows: int, m: int) -> IntArray:
    """``rows`` uniformly random permutations of ``range(m)``, one per row (not merged)."""
    if m <= 20:
        return decode_lehmer(rng.integers(0, factorial(m), size=rows, dtype=np.int64), m)
    return np.argsort(rng.random((rows, m)), axis=1).astype(np.int64)


def merge_codes(codes: IntArray, counts: IntArray | None = None) -> tuple[IntArray, IntArray]:
    """Merge equal integer codes, summing their counts exactly: (sorted unique codes, counts)."""
    if counts is None:
        unique, summed = np.unique(codes, return_counts=True)
        return unique, summed.astype(np.int64)
    order = np.argsort(codes, kind="stable")
    ordered = codes[order]
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.add.reduceat(counts[order].astype(np.int64), starts)


def decode_lehmer(codes: IntArray, m: int) -> IntArray:
    """The permutations of ``range(m)`` whose Lehmer codes (factorial-base numbers) are ``codes``."""
    digits = np.empty((len(codes), m), dtype=np.int8 if m <= 127 else np.int64)
    rest = codes.copy()
    for position in range(m):
        quotient, rest = np.divmod(rest, factorial(m - 1 - position))
        digits[:, position] = quotient
    # Right to left: the digit is the value's rank among the values not used further left,
    # so every value already placed to its right at or above it moves up by one.
    for position in range(m - 2, -1, -1):
        tail = digits[:, position + 1 :]
        tail += tail >= digits[:, position : position + 1]
    return digits.astype(np.int64)


def merge_rows(rows: IntArray, counts: IntArray | None = None) -> tuple[IntArray, IntArray]:
    """Merge identical rankings, summing their counts exactly; rows come back in sorted order."""
    if rows.ndim != 2:
        raise ValueError(f"rows must be 2-d, got shape {rows.shape}")
    m = rows.shape[1]
    if len(rows) == 0:
        return rows, np.zeros(0, dtype=np.int64)
    bits = max(1, int(m - 1).bit_length())
    if bits * m > 63:
        unique_rows, inverse = np.unique(rows, axis=0, return_inverse=True)
        weights = np.ones(len(rows), dtype=np.int64) if counts is None else counts
        summed = np.zeros(len(unique_rows), dtype=np.int64)
        np.add.at(summed, inverse.ravel(), weights)
        return unique_rows.astype(np.int64), summed
    # Pack each ranking into one int64 key: sorting keys is far faster than sorting rows.
    key = np.zeros(len(rows), dtype=np.int64)
    for column in range(m):
        key = (key << bits) | rows[:, column]
    unique_keys, summed = merge_codes(key, counts)
    unpacked = np.empty((len(unique_keys), m), dtype=np.int64)
    mask = (1 << bits) - 1
    for column in range(m - 1, -1, -1):
        unpacked[:, column] = unique_keys & mask
        unique_keys = unique_keys >> bits
    return unpacked, summed


def polya_roots(rng: np.random.Generator, voters: int, alpha: float) -> tuple[IntArray, IntArray]:
    """Which voters draw a fresh ranking under a Pólya–Eggenberger urn, and how many copy each.

    Voter ``i`` (from 0) copies an earlier voter's ranking with probability
    ``i·alpha / (1 + i·alpha)``, the chance of drawing one of the ``i·alpha·m!``
    balls added back by earlier draws from an urn that started with one ball
    per ranking; otherwise it draws a fresh uniform ranking. Returns the
    indices of the fresh voters and the size of each one's family of copies.
    """
    if voters == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i = np.arange(voters, dtype=np.float64)
    copies = rng.random(voters) < (i * alpha) / (1.0 + i * alpha)
    parent = np.arange(voters, dtype=np.int64)
    earlier = np.floor(rng.random(voters) * i).astype(np.int64)
    parent[copies] = earlier[copies]
    # pointer doubling: each pass halves the remaining distance to the root
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            break
        parent = grand
    roots, sizes = np.unique(parent, return_counts=True)
    return roots, sizes.astype(np.int64)


def build_election(
    names: list[str | Candidate], rows: IntArray, counts: IntArray, *, seats: int, title: str
) -> Election:
    """An election from unique complete rankings, through ``Election.from_array`` (no Ballot per ranking)."""
    return Election.from_array(rows, candidates=names, counts=counts, seats=seats, title=title)
