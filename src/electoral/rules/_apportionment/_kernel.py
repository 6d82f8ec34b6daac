"""Exact seat-allocation kernels: divisor (highest averages) and largest-remainder methods.

Everything here works on plain integer vote counts and returns integer
seats; the rules in :mod:`electoral.rules._apportionment` add thresholds,
caps, rounds and explanations on top.

Exactness
---------
A divisor method gives a list's next seat a *priority* ``votes / d(s)``,
where ``s`` is the number of seats it holds and ``d`` the method's divisor.
Priorities are kept as integer pairs ``(numerator, denominator)`` and
compared by cross-multiplication, so no float ever decides a seat.
Huntington–Hill's divisor ``sqrt(s(s+1))`` is irrational: its priorities are
compared squared (``votes² / (s(s+1))``), which keeps their order because
they are positive. Dean's divisor, the harmonic mean ``2s(s+1)/(2s+1)``, is
rational.

Zero divisors
-------------
Adams (``d(0) = 0``), Dean and Huntington–Hill (``d(0) = 0``) give a list
without seats an infinite priority (denominator 0): every list with votes
gets its first seat before any list gets a second. Infinite priorities are
equal to one another, so when there are more such lists than seats, the
choice among them is a tie, settled like every tie by the statute's rule
(most votes, then the tie-break policy). A list with no votes never gets a
seat under any method (``0 / 0`` has no meaning, and no law gives one).

The algorithm
-------------
Rather than award seats one at a time (``h`` steps over ``n`` lists), the
kernel first gives each list every seat whose priority is strictly above a
provisional bar (``total / seats``), which is a valid divisor allocation
for that bar, then removes or adds seats one priority level at a time,
exactly as the sequential method would, until the house is full. Only the
final steps can meet ties, and they go to the ``choose`` callback.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Final

import attrs

from electoral._text import excerpt
from electoral._ties._cut import top_with_cut
from electoral._ties._lots import LotDrawer
from electoral.errors import CountError, OptionError

__all__ = [
    "DIVISOR_METHODS",
    "QUOTAS",
    "DivisorMethod",
    "Priority",
    "apportion",
    "divisor_seats",
    "largest_remainder_seats",
    "quota_of",
]

Priority = tuple[int, int]  # (numerator, denominator); a denominator of 0 is infinite
Chooser = Callable[[list[int], int, bool], list[int]]
"""``choose(tied, places, favour)`` picks ``places`` of the ``tied`` list indices;
``favour`` is true when being picked gains a seat, false when it loses one."""


def _above(a: Priority, b: Priority) -> bool:
    """``a > b`` for positive priorities, exactly (an infinite one is above every finite one)."""
    return a[0] * b[1] > b[0] * a[1]


def _equal(a: Priority, b: Priority) -> bool:
    return a[0] * b[1] == b[0] * a[1]


@attrs.frozen
class DivisorMethod:
    """A divisor method: ``d(s) = (a·s + b) / c``, with an optional special first divisor.

    ``first`` replaces ``d(0)`` (the modified Sainte-Laguë method).
    ``kind`` is ``"linear"`` for these, or ``"huntington-hill"`` / ``"dean"``.
    """

    name: str
    a: int = 1
    b: int = 1
    c: int = 1
    first: Fraction | None = None
    kind: str = "linear"
    scale: int = 1  # the statutes' divisors are these × scale (Sainte-Laguë's 1, 3, 5, … are ½, 1½, 2½, … × 2)

    def priority(self, votes: int, held: int) -> Priority:
        """The priority of the list's next seat, when it holds ``held`` seats."""
        if self.kind == "huntington-hill":
            return votes * votes, held * (held + 1)
        if self.kind == "dean":
            return votes * (2 * held + 1), 2 * held * (held + 1)
        if held == 0 and self.first is not None:
            return votes * self.first.denominator, self.first.numerator
        return votes * self.c, self.a * held + self.b

    def divisor(self, held: int) -> Fraction | None:
        """``d(held)`` exactly, or None for Huntington–Hill's irrational divisors (see :meth:`divisor_text`)."""
        if self.kind == "huntington-hill":
            return None
        if self.kind == "dean":
            return Fraction(2 * held * (held + 1), 2 * held + 1)
        if held == 0 and self.first is not None:
            return self.first
        return Fraction(self.a * held + self.b, self.c)

    def divisor_text(self, held: int) -> str:
        """``d(held)`` as statutes write it (in their scale, e.g. 1, 3, 5, … for Sainte-Laguë)."""
        if self.kind == "huntington-hill":
            return f"√{held * (held + 1)}"
        divisor = self.divisor(held)
        assert divisor is not None
        return str(divisor * self.scale)

    def quotient(self, votes: int, held: int) -> Fraction | None:
        """``votes / d(held)`` exactly; None when it is infinite or irrational."""
        numerator, denominator = self.priority(votes, held)
        if denominator == 0 or self.kind == "huntington-hill":
            return None
        return Fraction(numerator, denominator)

    def quotient_value(self, votes: int, held: int) -> float:
        """``votes / d(held)`` in the statutes' scale, for display only (infinite for a zero divisor)."""
        numerator, denominator = self.priority(votes, held)
        if denominator == 0:
            return math.inf
        if self.kind == "huntington-hill":
            return votes / math.sqrt(held * (held + 1))
        return numerator / denominator / self.scale

    def start(self, total: int, seats: int, lists: int) -> Priority:
        """A provisional bar near the final one.

        A list holds about ``v/D - b/a + ½`` seats above a bar ``D``, so
        ``D = V / (h + n(b/a - ½))`` fills about ``h`` seats over ``n`` lists.
        """
        if self.kind == "huntington-hill":
            return total * total, seats * seats
        if self.kind == "linear":
            denominator = 2 * self.a * seats + lists * (2 * self.b - self.a)
            if denominator > 0:
                return 2 * self.a * total, denominator
        return total, seats

    def seats_above(self, votes: int, bar: Priority) -> int:
        """How many of the list's seats have a priority strictly above ``bar`` (a finite, positive bar)."""
        bar_n, bar_d = bar
        if self.kind == "linear":
            excess = votes * self.c * bar_d - self.b * bar_n
            plain = -(-excess // (self.a * bar_n)) if excess > 0 else 0
            if self.first is None:
                return plain
            first_wins = _above(self.priority(votes, 0), bar)
            return int(first_wins) + max(plain - 1, 0) if first_wins else 0
        # Huntington–Hill and Dean: start near votes/bar and step exactly.
        if self.kind == "huntington-hill":
            guess = math.isqrt(votes * votes * bar_d // bar_n)
        else:
            guess = votes * bar_d // bar_n
        held = max(guess - 2, 0)
        while held > 0 and not _above(self.priority(votes, held - 1), bar):
            held -= 1
        while _above(self.priority(votes, held), bar):
            held += 1
        return held


DIVISOR_METHODS: Final[dict[str, DivisorMethod]] = {
    "dhondt": DivisorMethod("dhondt", 1, 1, 1),
    "sainte-lague": DivisorMethod("sainte-lague", 2, 1, 2, scale=2),
    "modified-sainte-lague": DivisorMethod("modified-sainte-lague", 2, 1, 2, first=Fraction(7, 10), scale=2),
    "huntington-hill": DivisorMethod("huntington-hill", kind="huntington-hill"),
    "adams": DivisorMethod("adams", 1, 0, 1),
    "dean": DivisorMethod("dean", kind="dean"),
    "danish": DivisorMethod("danish", 3, 1, 3, scale=3),
    "imperiali": DivisorMethod("imperiali", 1, 2, 1),
}
"""The divisor methods by registered name, each with divisors in the scale ``d(s) ≈ s``.

Sainte-Laguë's divisors 1, 3, 5, … are used as ½, 1½, 2½, … (the same
order); the modified method's first divisor 1.4 is then 0.7. The Danish
method's 1, 4, 7, … are ⅓, 1⅓, 2⅓, …; Imperiali's are 2, 3, 4, ….
"""


def modified_sainte_lague(first_divisor: Fraction) -> DivisorMethod:
    """Sainte-Laguë with ``first_divisor`` in place of 1, in the usual 1, 3, 5, … scale."""
    if not 0 < first_divisor <= 3:
        raise OptionError(f"first_divisor must be above 0 and at most 3 (the second divisor), not {first_divisor}")
    return attrs.evolve(DIVISOR_METHODS["modified-sainte-lague"], first=first_divisor / 2)


def divisor_seats(
    votes: Sequence[int], seats: int, method: DivisorMethod, choose: Chooser
) -> tuple[list[int], Priority | None]:
    """Allocate ``seats`` among lists with ``votes`` by ``method``; returns the seats and the last winning priority.

    Lists with no votes get no seat. Raises CountError if no list has votes.
    """
    active = [i for i, v in enumerate(votes) if v > 0]
    if not active:
        raise CountError("no list taking part in the allocation has any votes")
    held = [0] * len(votes)
    total = sum(votes[i] for i in active)
    bar = method.start(total, seats, len(active))
    for i in active:
        held[i] = method.seats_above(votes[i], bar)
    assigned = sum(held)
    while assigned > seats:
        # Take back the weakest seats, a whole priority level at a time, so no tie is cut here.
        holders = [i for i in active if held[i]]
        lowest = min_priority([method.priority(votes[i], held[i] - 1) for i in holders])
        for i in holders:
            if _equal(method.priority(votes[i], held[i] - 1), lowest):
                held[i] -= 1
                assigned -= 1
    last: Priority | None = None
    while assigned < seats:
        nexts = [method.priority(votes[i], held[i]) for i in active]
        best = max_priority(nexts)
        tied = [i for i, p in zip(active, nexts, strict=True) if _equal(p, best)]
        room = seats - assigned
        if len(tied) > room:
            tied = choose(tied, room, True)
        for i in tied:
            held[i] += 1
        assigned += len(tied)
        last = best
    if last is None:
        holders = [i for i in active if held[i]]
        last = min_priority([method.priority(votes[i], held[i] - 1) for i in holders]) if holders else None
    return held, last


def max_priority(priorities: Sequence[Priority]) -> Priority:
    best = priorities[0]
    for p in priorities[1:]:
        if _above(p, best):
            best = p
    return best


def min_priority(priorities: Sequence[Priority]) -> Priority:
    low = priorities[0]
    for p in priorities[1:]:
        if _above(low, p):
            low = p
    return low


QUOTAS: Final = ("hare", "droop", "hagenbach-bischoff", "imperiali")


def quota_of(name: str, total: int, seats: int) -> Fraction:
    """The quota, exactly.

    - ``hare``: votes / seats;
    - ``droop``: ⌊votes / (seats + 1)⌋ + 1, the whole-number Droop quota;
    - ``hagenbach-bischoff``: votes / (seats + 1), unrounded;
    - ``imperiali``: votes / (seats + 2).
    """
    if name == "hare":
        return Fraction(total, seats)
    if name == "droop":
        return Fraction(total // (seats + 1) + 1)
    if name == "hagenbach-bischoff":
        return Fraction(total, seats + 1)
    if name == "imperiali":
        return Fraction(total, seats + 2)
    raise OptionError(f"quota {excerpt(name)} is not one of {', '.join(map(excerpt, QUOTAS))}")


def largest_remainder_seats(
    votes: Sequence[int], seats: int, quota: Fraction, choose: Chooser
) -> tuple[list[int], list[Fraction]]:
    """Whole quotas first, then the seats left to the largest remainders; returns seats and remainders.

    With the Hagenbach-Bischoff or Imperiali quota the whole quotas can add
    up to more than the house; the surplus seats are then taken back from
    the lists with the smallest remainders, one each (ties: the ``choose``
    callback, with ``favour=False``).
    """
    if quota <= 0:
        raise CountError("no list taking part in the allocation has any votes")
    q_n, q_d = quota.numerator, quota.denominator
    whole = [(v * q_d) // q_n for v in votes]
    scaled = [v * q_d - w * q_n for v, w in zip(votes, whole, strict=True)]  # remainder × q_d
    remainders = [Fraction(r, q_d) for r in scaled]
    held = list(whole)
    assigned = sum(held)
    if assigned < seats:
        order = [i for i, v in enumerate(votes) if v > 0]
        held_extra = _pick(order, scaled, seats - assigned, choose, favour=True)
        for i in held_extra:
            held[i] += 1
    elif assigned > seats:
        order = [i for i in range(len(votes)) if held[i] > 0]
        taken = _pick(order, [-r for r in scaled], assigned - seats, choose, favour=False)
        for i in taken:
            held[i] -= 1
    return held, remainders


def _pick(pool: list[int], key: list[int], places: int, choose: Chooser, *, favour: bool) -> list[int]:
    """The ``places`` lists of ``pool`` with the largest ``key``; ties at the cut go to ``choose``."""
    if places > len(pool):
        # more seats left than lists with votes (only with tiny totals): cycle round again
        return pool + _pick(pool, key, places - len(pool), choose, favour=favour)
    cut = top_with_cut(key.__getitem__, places, among=pool)
    return [*cut.sure, *(choose(list(cut.tied), cut.places, favour) if cut.is_tie else ())]


def _whole(value: object, what: str) -> int:
    """An exact integer from any integral type (Python or numpy), never from a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise CountError(f"{what} must be whole numbers, not {excerpt(value)}")
    return int(value)


def apportion(
    votes: Sequence[int],
    seats: int,
    method: str = "dhondt",
    *,
    quota: str = "hare",
    first_divisor: Fraction | int | str = Fraction(7, 5),
    seed: int | None = None,
) -> list[int]:
    """Seats for each of ``votes``, fast and exact, for simulation work.

    ``method`` is a divisor method's registered name or
    ``"largest-remainder"`` (with ``quota``). Ties go to the list with more
    votes, then, with a ``seed``, by lot (see :mod:`electoral._ties`);
    without a seed a tie raises :class:`~electoral.errors.CountError`. No
    threshold, cap or record: use :func:`electoral.tabulate` for those.

    >>> apportion([435968, 320115, 206094, 148279, 135875, 123055], 120, "largest-remainder")
    [38, 28, 18, 13, 12, 11]
    >>> apportion([340000, 280000, 160000, 60000, 15000], 7)
    [3, 3, 1, 0, 0]
    """
    seats = _whole(seats, "seats")
    if seats < 1:
        raise CountError(f"seats must be a whole number of at least 1, not {excerpt(seats)}")
    if isinstance(votes, (str, bytes)) or not isinstance(votes, Iterable):
        raise CountError(f"votes must be a sequence of whole numbers, not {excerpt(votes)}")
    votes = [_whole(v, "votes") for v in votes]
    for v in votes:
        if v < 0:
            raise CountError(f"votes must be whole numbers of zero or more, not {excerpt(v)}")
    lots = LotDrawer(seed) if seed is not None else None

    def choose(tied: list[int], places: int, favour: bool) -> list[int]:
        cut = top_with_cut(votes.__getitem__, places, among=tied, lowest=not favour)
        if not cut.is_tie:
            return list(cut.sure)
        if lots is None:
            raise CountError(
                f"lists {', '.join(str(i) for i in cut.tied)} are tied for {cut.places} seat(s);"
                " give a seed to draw lots"
            )
        return [*cut.sure, *lots.shuffle(cut.tied)[: cut.places]]

    if method == "largest-remainder":
        total = sum(votes)
        if total == 0:
            raise CountError("no list has any votes")
        held, _ = largest_remainder_seats(votes, seats, quota_of(quota, total, seats), choose)
        return held
    if method == "modified-sainte-lague":
        from electoral.rules._options import to_fraction

        return divisor_seats(votes, seats, modified_sainte_lague(to_fraction(first_divisor)), choose)[0]
    try:
        chosen = DIVISOR_METHODS[method]
    except KeyError:
        known = ", ".join(map(excerpt, [*DIVISOR_METHODS, "largest-remainder"]))
        raise OptionError(f"method {excerpt(method)} is not one of {known}") from None
    return divisor_seats(votes, seats, chosen, choose)[0]
