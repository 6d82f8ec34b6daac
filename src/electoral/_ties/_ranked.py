"""RCTab's tie-break modes, reproduced exactly, for the ranked-choice rules.

RCTab (the Universal RCV Tabulator) is written in Java, and its random
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

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, Literal, TypeAlias

import attrs

from electoral._model import Candidate
from electoral._result import TieRecord
from electoral._text import excerpt
from electoral._ties._engine import OpenTie, TieBreak, TieResolver, to_tie_break
from electoral.errors import OptionError

__all__ = [
    "RCTAB_POLICIES",
    "JavaRandom",
    "RankedTieResolver",
    "RctabTieBreak",
    "java_hash_set_order",
    "java_shuffle",
    "java_string_hash",
    "to_ranked_tie_break",
]

RctabPolicy: TypeAlias = Literal["rctab-random", "rctab-permutation", "previous-rounds+rctab-random", "candidate-order"]
RCTAB_POLICIES: Final[tuple[RctabPolicy, ...]] = (
    "rctab-random",
    "rctab-permutation",
    "previous-rounds+rctab-random",
    "candidate-order",
)
Votes: TypeAlias = int | Fraction

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


def _java_order(name: str) -> bytes:
    return name.encode("utf-16-be")  # String.compareTo compares UTF-16 code units


@attrs.frozen
class RctabTieBreak:
    """One of RCTab's tie-break modes (see the module notes); ``stop`` and the rest are :class:`TieBreak`."""

    policy: RctabPolicy

    def __attrs_post_init__(self) -> None:
        if self.policy not in RCTAB_POLICIES:
            raise OptionError(f"tie_break {excerpt(self.policy)} is not one of {', '.join(RCTAB_POLICIES)}")

    @property
    def needs_seed(self) -> bool:
        return self.policy != "candidate-order"

    def __str__(self) -> str:
        return self.policy

    def to_data(self) -> str:
        return self.policy


def to_ranked_tie_break(value: Any) -> TieBreak | RctabTieBreak:
    """The core policies and shorthands, plus RCTab's modes by name."""
    if isinstance(value, RctabTieBreak):
        return value
    if isinstance(value, str) and value.strip() in RCTAB_POLICIES:
        return RctabTieBreak(value.strip())  # type: ignore[arg-type]
    if isinstance(value, Mapping) and value.get("policy") in RCTAB_POLICIES:
        return RctabTieBreak(value["policy"])
    return to_tie_break(value)


class RankedTieResolver(TieResolver):
    """A :class:`TieResolver` that also knows RCTab's modes."""

    def __init__(
        self,
        tie_break: TieBreak | RctabTieBreak,
        seed: int | None,
        candidates: Sequence[Candidate],
        *,
        script: list[int] | None = None,
    ) -> None:
        core = tie_break if isinstance(tie_break, TieBreak) else TieBreak("stop")
        super().__init__(core, seed if isinstance(tie_break, TieBreak) else None, candidates, script=script)
        self.mode = tie_break if isinstance(tie_break, RctabTieBreak) else None
        self.candidates = tuple(candidates)
        self.seed = seed
        self.java = JavaRandom(seed) if seed is not None and self.mode is not None else None
        self._permutation: dict[Candidate, int] | None = None

    def choose(
        self,
        tied: Iterable[Candidate],
        places: int,
        *,
        round: int,
        decision: str,
        favour: bool = True,
        history: Sequence[Mapping[Candidate, Votes]] = (),
    ) -> tuple[Candidate, ...]:
        if self.mode is None:
            return super().choose(tied, places, round=round, decision=decision, favour=favour, history=history)
        ordered = sorted(set(tied), key=self.position.__getitem__)
        if places >= len(ordered):
            return tuple(ordered)
        chosen: list[Candidate] = []
        details: list[str] = []
        pool = list(ordered)
        for _ in range(places):
            pick, detail = self._pick_one(pool, favour, history)
            if pick is None:
                self._record(round, decision, ordered, places, (), detail)
                raise OpenTie(decision)
            chosen.append(pick)
            details.append(detail)
            pool.remove(pick)
        return self._record(round, decision, ordered, places, chosen, "; ".join(details))

    def _record(
        self,
        round: int,
        decision: str,
        tied: Sequence[Candidate],
        places: int,
        chosen: Sequence[Candidate],
        detail: str,
    ) -> tuple[Candidate, ...]:
        policy = str(self.mode)
        self.records.append(TieRecord(round, decision, tuple(tied), places, policy, tuple(chosen), detail))
        return tuple(sorted(chosen, key=self.position.__getitem__))

    def _pick_one(
        self, pool: list[Candidate], favour: bool, history: Sequence[Mapping[Candidate, Votes]]
    ) -> tuple[Candidate | None, str]:
        assert self.mode is not None
        policy = self.mode.policy
        if policy == "candidate-order":
            pick = pool[0] if favour else pool[-1]
            return pick, f"{pick.name} by candidate order"
        if policy == "rctab-permutation":
            order = self._permutation_order()
            if order is None:
                return None, "left open: generating a permutation needs a seed"
            ranked = sorted(pool, key=order.__getitem__)
            pick = ranked[0] if favour else ranked[-1]
            return pick, f"{pick.name} by the generated permutation"
        if policy == "previous-rounds+rctab-random":
            group = list(pool)
            for back, tally in enumerate(reversed(history), start=1):
                best = (max if favour else min)(tally.get(c, 0) for c in group)
                group = [c for c in group if tally.get(c, 0) == best]
                if len(group) == 1:
                    return group[0], f"{group[0].name} by counts {back} round(s) back"
            names = java_hash_set_order([c.name for c in group])
            return self._java_pick(group, names, "earlier rounds did not separate them; ")
        names = sorted((c.name for c in pool), key=_java_order)
        return self._java_pick(pool, names, "")

    def _java_pick(self, group: list[Candidate], names: list[str], prefix: str) -> tuple[Candidate | None, str]:
        if self.java is None:
            return None, prefix + "left open: a random tie-break needs a seed"
        index = math.floor(self.java.next_double() * len(names))
        by_name = {c.name: c for c in group}
        pick = by_name[names[index]]
        return pick, f"{prefix}{pick.name} drawn by java.util.Random (index {index} of {', '.join(names)})"

    def _permutation_order(self) -> dict[Candidate, int] | None:
        if self._permutation is None:
            if self.seed is None:
                return None
            names = sorted((c.name for c in self.candidates), key=_java_order)
            shuffled = java_shuffle(names, JavaRandom(self.seed))
            by_name = {c.name: c for c in self.candidates}
            self._permutation = {by_name[name]: i for i, name in enumerate(shuffled)}
        return self._permutation
