"""The lots: the library's own SHA-256 stream, and RCTab's ``java.util.Random``, reproduced exactly.

**The library's lots.** ``TieBreak("lot")`` needs an explicit integer seed. Lots are drawn with a
counter-mode SHA-256 stream: draw number *i* (from 0) hashes the seed, as
16 bytes big-endian two's complement (so -2**127 <= seed < 2**127), followed
by *i* as 8 bytes big-endian. The digest, read as a big-endian integer,
picks a number below *n* by rejection sampling (digests at or above the
largest multiple of *n* below 2**256 are skipped, and the next draw is
taken). The tied candidates, in the election's order, are shuffled by
Fisher–Yates (for *k* from the last index down to 1, swap item *k* with item
*j*, *j* drawn below *k* + 1), and the first ones of the shuffle are chosen. The stream
depends on nothing but the seed, so a result is reproducible on any
platform, with any version of Python or numpy.

**RCTab's lots.** RCTab (the Universal RCV Tabulator) is written in Java, and its random
tie-breaks use ``java.util.Random``, a 48-bit linear congruential generator
whose algorithm is part of the Java SE specification (the class
documentation gives ``next``, ``nextInt`` and ``nextDouble`` in full).
:class:`JavaRandom` implements that specification, so that a seed in an
RCTab contest configuration breaks ties here exactly as it does there:

- ``"rctab-random"`` (RCTab ``random``): one generator per count, seeded
  with ``seed``; at each tie, the tied candidates are sorted by name and
  ``floor(nextDouble() * n)`` picks the one the decision falls on (the one
  eliminated, or the one elected).
- ``"rctab-permutation"`` (RCTab ``generatePermutation``): at the start, the
  candidate names are sorted and shuffled by Java's
  ``Collections.shuffle(list, new Random(seed))``; ties then go as by
  candidate order, in that permutation.
- ``"previous-rounds+rctab-random"`` (RCTab ``previousRoundCountsThenRandom``):
  going back one round at a time, only the tied candidates with the fewest
  votes (to eliminate) or the most (to elect) stay in the tie; if no earlier
  round settles it, the random pick indexes the candidates in the iteration
  order of a Java ``HashSet`` of their names (by ``String.hashCode`` bucket),
  as RCTab's test suite requires, not alphabetically.
- ``"candidate-order"`` (RCTab ``useCandidateOrder``): the candidate listed
  first in the election is favoured (elected, or kept when one is to be
  eliminated).

``java.util.Random.nextDouble`` returns an IEEE-754 double and RCTab
multiplies it by the number of tied candidates in double arithmetic; Python
floats are the same IEEE-754 doubles, so the pick is reproduced bit for bit.
That double is the specified lot, not an approximation of a vote count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Final, TypeVar

from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = [
    "SEED_RANGE",
    "JavaRandom",
    "LotDrawer",
    "check_seed",
    "java_hash_set_order",
    "java_order",
    "java_shuffle",
    "java_string_hash",
]

T = TypeVar("T")

SEED_RANGE = range(-(2**127), 2**127)


def check_seed(seed: object) -> int:
    """A lot seed: an integer that fits the 16 bytes the stream encodes it in."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise OptionError(f"seed must be an integer, not {excerpt(seed)}")
    if seed not in SEED_RANGE:
        raise OptionError(f"seed {seed} is out of range: it must be at least -2**127 and below 2**127")
    return seed


class LotDrawer:
    """The documented, platform-independent stream of lots (see the module notes)."""

    def __init__(self, seed: int) -> None:
        check_seed(seed)
        self._seed = seed.to_bytes(16, "big", signed=True)
        self._counter = 0

    def below(self, n: int) -> int:
        """Return a uniformly drawn integer in ``range(n)``."""
        limit = (1 << 256) // n * n
        while True:
            digest = hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            value = int.from_bytes(digest, "big")
            if value < limit:
                return value % n

    def shuffle(self, items: Sequence[T]) -> list[T]:
        """Return ``items`` in an order drawn by Fisher–Yates."""
        result = list(items)
        for i in range(len(result) - 1, 0, -1):
            j = self.below(i + 1)
            result[i], result[j] = result[j], result[i]
        return result


_MULTIPLIER: Final = 0x5DEECE66D
_ADDEND: Final = 0xB
_MASK: Final = (1 << 48) - 1


class JavaRandom:
    """``java.util.Random``, as the Java SE specification defines it.

    >>> round(JavaRandom(0).next_double(), 15)
    0.730967787376657
    >>> JavaRandom(42).next_int(10)
    0
    """

    def __init__(self, seed: int) -> None:
        self._state = (seed ^ _MULTIPLIER) & _MASK

    def next(self, bits: int) -> int:
        """The generator's ``next(bits)``: the top ``bits`` of the new state (as a signed 32-bit int)."""
        self._state = (self._state * _MULTIPLIER + _ADDEND) & _MASK
        value = self._state >> (48 - bits)
        return value - (1 << 32) if value >= 1 << 31 else value

    def next_double(self) -> float:
        """``nextDouble()``: 53 random bits as a double in [0, 1)."""
        return ((self.next(26) << 27) + self.next(27)) * 2.0**-53

    def next_int(self, bound: int) -> int:
        """``nextInt(bound)``: a uniform int in ``range(bound)``, with Java's rejection rule."""
        if bound <= 0:
            raise OptionError(f"bound must be positive, not {bound}")
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            value = bits % bound
            if bits - value + (bound - 1) < 1 << 31:  # Java's int overflow test
                return value


def java_shuffle(items: Sequence[Any], random: JavaRandom) -> list[Any]:
    """``Collections.shuffle(list, random)``: swap ``i - 1`` with ``nextInt(i)`` for ``i`` from the size down to 2."""
    result = list(items)
    for i in range(len(result), 1, -1):
        j = random.next_int(i)
        result[i - 1], result[j] = result[j], result[i - 1]
    return result


def java_string_hash(text: str) -> int:
    """Java's ``String.hashCode``: ``s[0]*31^(n-1) + ... + s[n-1]`` over UTF-16 units, as a signed 32-bit int.

    >>> java_string_hash("Hello")
    69609650
    """
    value = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        value = (31 * value + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def java_hash_set_order(names: Sequence[str]) -> list[str]:
    """The iteration order of a ``java.util.HashSet`` into which ``names`` were added in order.

    A HashMap table starts with 16 buckets and doubles whenever it would
    hold more than 3/4 of its buckets; a name goes to bucket
    ``(h ^ (h >>> 16)) & (buckets - 1)`` with ``h`` its hash code, and a
    bucket keeps insertion order.
    """
    buckets = 16
    while len(names) > buckets * 3 // 4:
        buckets *= 2

    def bucket(name: str) -> int:
        h = java_string_hash(name) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & (buckets - 1)

    return [name for _, name in sorted(enumerate(names), key=lambda item: (bucket(item[1]), item[0]))]


def java_order(name: str) -> bytes:
    """A sort key that orders names as Java's ``String.compareTo`` does (by UTF-16 code units)."""
    return name.encode("utf-16-be")
