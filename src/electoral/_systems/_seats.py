"""The result of counting a system: seats by district and party, and every step of every tier."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._indices import Disproportionality, disproportionality
from electoral._systems._present import seat_result_data, seat_result_html, seat_result_text
from electoral._systems._returns import CandidateVotes
from electoral._text import excerpt
from electoral.errors import UnknownCandidateError

__all__ = [
    "DistrictCount",
    "NationalRound",
    "NationalShare",
    "Quotient",
    "SeatResult",
    "SeatTie",
    "ThresholdCheck",
    "TierCount",
]


@attrs.frozen
class ThresholdCheck:
    """One list against one threshold: its ``votes`` out of ``base`` in ``area``, needing ``share``.

    ``condition`` is the threshold's position in the tier's list (0-based)
    and ``option`` its position inside an alternative (:class:`AnyOf`), or
    None. ``passed`` is this check's outcome; whether the list qualified is
    in :attr:`DistrictCount.qualified`.
    """

    party: str
    condition: int
    option: int | None
    scope: str
    area: str
    votes: int
    base: int
    share: Fraction
    comparison: str
    passed: bool

    @property
    def needed(self) -> Fraction:
        """The votes the share asks for: ``share × base``, exactly."""
        return self.share * self.base


@attrs.frozen
class Quotient:
    """A divisor-method quotient ``votes / divisor``: ``seat`` is the district seat it won (1-based), or None.

    ``value`` is exact, or None where it is infinite or irrational
    (Adams' first divisor 0, Huntington–Hill's square roots).
    """

    party: str
    divisor: str
    value: Fraction | None
    seat: int | None


@attrs.frozen
class SeatTie:
    """Equal quotients or remainders for fewer places than lists: how the statute's rule settled it.

    ``gaining`` is true when the places are seats won, false when they are
    seats taken back (a quota whose whole seats overfill the district).
    ``by`` is ``"more votes"`` (the list with more votes wins: LOREG art.
    163.1.c) or ``"lot"`` (a draw from the count's seed).
    """

    tied: tuple[str, ...]
    places: int
    chosen: tuple[str, ...]
    by: Literal["more votes", "lot"]
    gaining: bool = True


@attrs.frozen
class DistrictCount:
    """The count of one district (or, in an apportionment, of one pool of units).

    ``checks`` holds every list against every threshold, ``qualified`` and
    ``excluded`` the outcome, ``quotients`` the quotients that won seats (in
    seat order) and each qualified list's best losing quotient, ``quota``
    and ``remainders`` a largest-remainder count, ``seats`` each list's
    seats (zero included for the lists that took part), ``elected`` the
    candidates of a candidate ballot. In an apportionment of magnitudes, each
    pool of units is one count, ``minimum`` the seats every unit had first,
    and the ties of the whole apportionment are on the last pool.
    """

    district: str
    magnitude: int
    method: str
    votes: FrozenMap[str, int]
    checks: tuple[ThresholdCheck, ...] = ()
    qualified: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    quotients: tuple[Quotient, ...] = ()
    quota: Fraction | None = None
    remainders: FrozenMap[str, Fraction] = attrs.field(factory=FrozenMap)
    seats: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    elected: tuple[CandidateVotes, ...] = ()
    ties: tuple[SeatTie, ...] = ()
    minimum: int = 0


@attrs.frozen
class NationalRound:
    """One round of a compensation tier's national share: ``seats`` among the lists of ``share``.

    ``quotients`` are the divisor quotients of the round, ``overhang`` the
    lists whose seats below exceed their share (under levelling they keep
    those seats and leave, and the next round shares what is left), ``ties``
    how equal quotients were settled.
    """

    seats: int
    share: FrozenMap[str, int]
    quotients: tuple[Quotient, ...]
    overhang: tuple[str, ...]
    ties: tuple[SeatTie, ...] = ()


@attrs.frozen
class NationalShare:
    """A compensation tier's national count: the house of ``total`` seats, the national ``votes``, the
    threshold ``checks`` and their outcome, every round, the seats each list won ``below`` and the
    seats the tier adds (``added``: levelling or list seats)."""

    total: int
    votes: FrozenMap[str, int]
    checks: tuple[ThresholdCheck, ...]
    qualified: tuple[str, ...]
    excluded: tuple[str, ...]
    rounds: tuple[NationalRound, ...]
    below: FrozenMap[str, int]
    added: FrozenMap[str, int]


@attrs.frozen
class TierCount:
    """The count of one tier: its districts in the order of the returns; ``national`` the national share of
    a compensation tier (None for the other kinds), ``regions`` an intermediate placement by region (its
    seats are those the districts then share, not seats of their own)."""

    name: str
    kind: str
    districts: tuple[DistrictCount, ...]
    national: NationalShare | None = None
    regions: tuple[DistrictCount, ...] = ()


@attrs.frozen
class SeatResult:
    """Seats by district and party, party totals, national votes and the count of every tier.

    ``seats`` maps ``(district, party)`` to seats and holds only the
    non-zero ones; ``totals`` maps each party to its seats (zero included
    for every list in the returns), largest first; ``votes`` is each list's
    national vote.
    """

    system: str
    seats: FrozenMap[tuple[str, str], int]
    totals: FrozenMap[str, int]
    votes: FrozenMap[str, int]
    tiers: tuple[TierCount, ...]

    def disproportionality(self) -> Disproportionality:
        """The disproportionality indices of :attr:`totals` against :attr:`votes`."""
        return disproportionality(self.votes, self.totals)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, every step included (exact figures as ``"p/q"`` strings)."""
        return seat_result_data(self)

    def __str__(self) -> str:
        return seat_result_text(self)

    def _repr_html_(self) -> str:
        return seat_result_html(self)

    def district(self, name: str) -> DistrictCount:
        """The count of district ``name`` in the first tier that has it."""
        for tier in self.tiers:
            for count in tier.districts:
                if count.district == name:
                    return count
        raise UnknownCandidateError(f"no district {excerpt(name)} in the result")
