"""Disproportionality indices: how far a party's share of seats is from its share of votes.

Write ``v_i`` and ``s_i`` for party *i*'s share of the votes and of the
seats **in percent** (so that the indices come out in percentage points, as
they are published), over every party with votes or seats. All indices are
exact :class:`~fractions.Fraction` values except Gallagher's, whose square
root is irrational in general: :attr:`Disproportionality.gallagher_squared`
is exact and :attr:`Disproportionality.gallagher` is its root as a float, for
display only.

Vote shares are of the votes for lists (blank and invalid ballots are not
part of any party's share).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

import attrs

from electoral._text import excerpt
from electoral.errors import CountError

__all__ = [
    "Disproportionality",
    "dhondt_index",
    "disproportionality",
    "gallagher_squared",
    "lijphart_index",
    "loosemore_hanby",
    "rae_index",
    "sainte_lague_index",
    "shares",
]


def shares(votes: Mapping[str, int], seats: Mapping[str, int]) -> list[tuple[str, Fraction, Fraction]]:
    """``(party, v_i, s_i)`` in percent for every party with votes or seats, exactly."""
    parties = list(dict.fromkeys([*votes, *seats]))
    for name, mapping in (("votes", votes), ("seats", seats)):
        for party, n in mapping.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise CountError(f"{name} of {excerpt(party)} must be a whole number of zero or more, not {excerpt(n)}")
    total_votes = sum(votes.values())
    total_seats = sum(seats.values())
    if total_votes == 0 or total_seats == 0:
        raise CountError("disproportionality needs some votes and some seats")
    rows = []
    for party in parties:
        v, s = votes.get(party, 0), seats.get(party, 0)
        if v or s:
            rows.append((party, Fraction(100 * v, total_votes), Fraction(100 * s, total_seats)))
    return rows


def loosemore_hanby(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """Loosemore–Hanby: ``D = ½ Σ |v_i − s_i|``.

    Loosemore, J. and Hanby, V. J. (1971), "The Theoretical Limits of
    Maximum Distortion", *British Journal of Political Science* 1(4): 467–477.
    """
    return sum((abs(v - s) for _, v, s in shares(votes, seats)), Fraction(0)) / 2


def gallagher_squared(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """The square of Gallagher's least-squares index: ``LSq² = ½ Σ (v_i − s_i)²``, exactly.

    Gallagher, M. (1991), "Proportionality, Disproportionality and Electoral
    Systems", *Electoral Studies* 10(1): 33–51. The index is the square root.
    """
    return sum(((v - s) ** 2 for _, v, s in shares(votes, seats)), Fraction(0)) / 2


def sainte_lague_index(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """The Sainte-Laguë index: ``Σ (s_i − v_i)² / v_i`` over the parties with votes.

    Gallagher (1991), *Electoral Studies* 10(1): 33–51, section on the
    Sainte-Laguë index (the chi-square of seat against vote shares, which the
    Sainte-Laguë method minimises). A party with seats and no votes would make
    it infinite: it raises CountError.
    """
    total = Fraction(0)
    for party, v, s in shares(votes, seats):
        if v == 0:
            raise CountError(f"the Sainte-Laguë index is infinite: {excerpt(party)} has seats and no votes")
        total += (s - v) ** 2 / v
    return total


def dhondt_index(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """The D'Hondt index: ``max_i s_i / v_i``, the largest advantage ratio (1 is perfect; no unit).

    Gallagher (1991), *Electoral Studies* 10(1): 33–51 (the index the D'Hondt
    method minimises); Taagepera and Shugart, *Seats and Votes* (1989), call
    ``s_i / v_i`` the advantage ratio.
    """
    ratios = []
    for party, v, s in shares(votes, seats):
        if v == 0:
            raise CountError(f"the D'Hondt index is infinite: {excerpt(party)} has seats and no votes")
        ratios.append(s / v)
    return max(ratios)


def rae_index(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """Rae's index: ``I = (1/n) Σ |v_i − s_i|``, over the ``n`` parties with votes or seats.

    Rae, D. W. (1967), *The Political Consequences of Electoral Laws*, Yale
    University Press. Rae left out parties below 0.5% of the vote; this
    counts every party given, so drop the small ones first to follow him.
    """
    rows = shares(votes, seats)
    return sum((abs(v - s) for _, v, s in rows), Fraction(0)) / len(rows)


def lijphart_index(votes: Mapping[str, int], seats: Mapping[str, int]) -> Fraction:
    """Lijphart's index: ``max_i |v_i − s_i|``, the largest deviation.

    Lijphart, A. (1994), *Electoral Systems and Party Systems*, Oxford
    University Press, pp. 60–62.
    """
    return max(abs(v - s) for _, v, s in shares(votes, seats))


@attrs.frozen
class Disproportionality:
    """The six indices of one seat result, in percentage points (D'Hondt's is a ratio)."""

    gallagher_squared: Fraction
    loosemore_hanby: Fraction
    sainte_lague: Fraction
    dhondt: Fraction
    rae: Fraction
    lijphart: Fraction

    @property
    def gallagher(self) -> float:
        """Gallagher's least-squares index, the square root of :attr:`gallagher_squared` (a float, for display)."""
        return math.sqrt(self.gallagher_squared)


def disproportionality(votes: Mapping[str, int], seats: Mapping[str, int]) -> Disproportionality:
    """All six indices of ``seats`` against ``votes`` (party → votes, party → seats)."""
    return Disproportionality(
        gallagher_squared(votes, seats),
        loosemore_hanby(votes, seats),
        sainte_lague_index(votes, seats),
        dhondt_index(votes, seats),
        rae_index(votes, seats),
        lijphart_index(votes, seats),
    )
