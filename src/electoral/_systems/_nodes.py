"""The parts of an electoral system: allocation methods, thresholds and tiers, as frozen values.

A :class:`~electoral._systems._system.System` is a tree: the system holds
tiers, a tier holds its districts' rules. Each node is a frozen attrs class
with a ``kind`` tag, and :mod:`electoral._systems._json` turns each kind to
and from JSON, so that a whole electoral law is data.

Thresholds
----------
A :class:`Threshold` is a share of a basis counted in a scope:

- ``basis``: ``"valid"`` (the lists' votes and the blank ballots: Spain's
  *votos válidos*, LOREG art. 96.5 and 163.1.a), ``"lists"`` (the lists'
  votes alone, blank ballots left out) or ``"cast"`` (all ballots cast,
  the invalid ones too: the *votos emitidos* of the Valencian law);
- ``scope``: ``"district"`` (the district being counted), ``"region"``
  (its region, summed), ``"nation"`` (every district of the tier summed) or
  ``"any-district"`` (met in at least one district);
- ``comparison``: ``"at-least"`` (a list exactly at the share passes) or
  ``"above"`` (it must exceed it).

Shares are exact :class:`~fractions.Fraction` values and are compared by
integer arithmetic (:func:`electoral._arith.passes`). A tier's thresholds
must all be met; an :class:`AnyOf` is met when one of its options is ("3%
nationally or 15% in the district").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from electoral._arith import share_text
from electoral._frozen import FrozenMap
from electoral._text import excerpt
from electoral.errors import OptionError
from electoral.rules._apportionment._kernel import DIVISOR_METHODS, QUOTAS

__all__ = [
    "AnyOf",
    "Basis",
    "Comparison",
    "Condition",
    "DistrictTier",
    "LimitedVote",
    "MagnitudeApportionment",
    "Method",
    "Scope",
    "Threshold",
    "Tier",
]

Basis: TypeAlias = Literal["valid", "lists", "cast"]
Scope: TypeAlias = Literal["district", "region", "nation", "any-district"]
Comparison: TypeAlias = Literal["at-least", "above"]
BASES: tuple[Basis, ...] = ("valid", "lists", "cast")
SCOPES: tuple[Scope, ...] = ("district", "region", "nation", "any-district")
COMPARISONS: tuple[Comparison, ...] = ("at-least", "above")
BASIS_WORDS = {"valid": "valid votes", "lists": "votes for lists", "cast": "votes cast"}


def _choice(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise OptionError(f"{what} {excerpt(value)} is not one of {', '.join(map(excerpt, allowed))}")


def _share(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise OptionError(f"a threshold share must be an int or a Fraction, not {excerpt(value)}")
    share = Fraction(value)
    if not 0 <= share < 1:
        raise OptionError(f"a threshold share must be at least 0 and below 1, not {share}")
    return share


def _seat_map(value: Mapping[str, int] | Iterable[tuple[str, int]] | None) -> FrozenMap[str, int] | None:
    if value is None:
        return None
    seats = value if isinstance(value, FrozenMap) else FrozenMap(value)
    for name, n in seats.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise OptionError(f"seats of {excerpt(name)} must be a whole number of zero or more, not {excerpt(n)}")
    return seats


def _thresholds(value: Iterable[Threshold | AnyOf]) -> tuple[Threshold | AnyOf, ...]:
    return tuple(value)


def _options(value: Iterable[Threshold]) -> tuple[Threshold, ...]:
    return tuple(value)


@attrs.frozen
class Method:
    """How a district's seats are shared among its qualified lists.

    ``kind`` is ``"divisor"`` (highest averages; ``name`` is one of the
    divisor methods of :data:`electoral.rules._apportionment._kernel.DIVISOR_METHODS`,
    such as ``"dhondt"``) or ``"largest-remainder"`` (``name`` is the quota:
    ``"hare"``, ``"droop"``, ``"hagenbach-bischoff"`` or ``"imperiali"``).
    Both run on the library's exact kernels.
    """

    kind: Literal["divisor", "largest-remainder"] = "divisor"
    name: str = "dhondt"

    def __attrs_post_init__(self) -> None:
        _choice(self.kind, ("divisor", "largest-remainder"), "method kind")
        _choice(self.name, tuple(DIVISOR_METHODS) if self.kind == "divisor" else QUOTAS, f"{self.kind} method")

    def describe(self) -> str:
        """The method in words, e.g. ``"D'Hondt"`` or ``"largest remainders (Hare quota)"``."""
        if self.kind == "largest-remainder":
            return f"largest remainders ({self.name.replace('-', ' ').title()} quota)"
        return {"dhondt": "D'Hondt", "sainte-lague": "Sainte-Laguë"}.get(self.name, self.name)


@attrs.frozen
class Threshold:
    """A list takes part only if its votes reach ``share`` of the ``basis`` in the ``scope`` (see the module notes)."""

    share: Fraction = attrs.field(converter=_share)
    scope: Scope = "district"
    basis: Basis = "valid"
    comparison: Comparison = "at-least"

    def __attrs_post_init__(self) -> None:
        _choice(self.scope, SCOPES, "threshold scope")
        _choice(self.basis, BASES, "threshold basis")
        _choice(self.comparison, COMPARISONS, "threshold comparison")

    def describe(self) -> str:
        """The threshold in words, e.g. ``"at least 3% of valid votes in the district"``."""
        where = {
            "district": "in the district",
            "region": "in the region",
            "nation": "in the whole territory",
            "any-district": "in at least one district",
        }[self.scope]
        word = "at least" if self.comparison == "at-least" else "more than"
        return f"{word} {share_text(self.share)} of {BASIS_WORDS[self.basis]} {where}"


@attrs.frozen
class AnyOf:
    """Alternative thresholds: a list that meets any one of ``options`` passes."""

    options: tuple[Threshold, ...] = attrs.field(converter=_options)

    def __attrs_post_init__(self) -> None:
        if len(self.options) < 2 or not all(isinstance(o, Threshold) for o in self.options):
            raise OptionError("alternative thresholds need two or more Threshold options")

    def describe(self) -> str:
        return " or ".join(o.describe() for o in self.options)


Condition: TypeAlias = Threshold | AnyOf


@attrs.frozen
class DistrictTier:
    """Every district shares out its own seats among its lists by ``method``, after ``thresholds``.

    ``magnitudes`` fixes each district's seats; when it is None they come
    from the returns (``districts.csv``). A tier of this kind is the lowest
    tier of a system; a compensation tier added later reads its seats from
    the tier's result (see :mod:`electoral._systems._system`).
    """

    name: str = "district"
    method: Method = Method()
    thresholds: tuple[Condition, ...] = attrs.field(converter=_thresholds, default=())
    magnitudes: FrozenMap[str, int] | None = attrs.field(converter=_seat_map, default=None)
    kind: Literal["districts"] = attrs.field(default="districts", init=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.method, Method):
            raise OptionError(f"a tier's method must be a Method, not {excerpt(self.method)}")
        for condition in self.thresholds:
            if not isinstance(condition, (Threshold, AnyOf)):
                raise OptionError(f"a threshold must be a Threshold or AnyOf, not {excerpt(condition)}")


@attrs.frozen
class LimitedVote:
    """Candidate ballots: in every district the ``seats`` candidates with the most votes are elected.

    This is Spain's Senate (LOREG art. 166.1.b): each voter marks fewer
    candidates than there are seats (art. 166.1.a), which does not change
    the count, only the votes each candidate has.
    """

    name: str = "district"
    magnitudes: FrozenMap[str, int] | None = attrs.field(converter=_seat_map, default=None)
    kind: Literal["limited-vote"] = attrs.field(default="limited-vote", init=False)


@attrs.frozen
class MagnitudeApportionment:
    """The seats of each district from its population: a minimum each, the rest by ``method``.

    The units named in ``fixed`` get exactly their fixed seats. Every other
    unit gets ``minimum`` seats, and the ``total`` seats left over are
    shared among those units by ``method`` on their populations, computed
    without regard to the minimum, which is then added (LOREG art. 162:
    350 deputies, Ceuta and Melilla one each, two per province, the other
    248 by largest remainders of the provinces' population).
    """

    total: int
    minimum: int = 0
    fixed: FrozenMap[str, int] = attrs.field(converter=_seat_map, factory=FrozenMap)
    method: Method = Method("largest-remainder", "hare")
    name: str = "apportionment"
    kind: Literal["magnitudes"] = attrs.field(default="magnitudes", init=False)

    def __attrs_post_init__(self) -> None:
        for value, what in ((self.total, "total seats"), (self.minimum, "minimum seats")):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise OptionError(f"{what} must be a whole number of zero or more, not {excerpt(value)}")


Tier: TypeAlias = DistrictTier | LimitedVote | MagnitudeApportionment
