"""Compensation tiers: nodes that add seats on top of the tiers before them, from national or regional votes.

Each kind names the pseudo-district (``area``) or the regions of the
returns that hold its own figures; the tiers before it count every other
district. Three kinds:

- :class:`LevellingTier`: the whole house (``total`` seats) is shared
  nationally by ``method`` among the lists that pass ``thresholds``; each
  list's levelling seats are its share less the seats it won below, a list
  with more seats below than its share keeping them while the others are
  shared again (Norway, Valgloven § 11-5); the levelling seats are then
  placed in the districts (``placement``, § 11-6);
- :class:`MixedMemberTier`: MMP, one national party vote; ``total`` seats
  shared by ``method`` among the lists that pass ``thresholds`` or won
  ``or_seats`` seats below; list seats are the share less those seats, an
  overhang kept (New Zealand, Electoral Act 1993, ss 191-192);
- :class:`RegionalTopUp`: AMS, in each region its list seats by ``method``,
  each list's divisors starting after the seats it won below in the region
  (Scotland Act 1998, ss 7-8).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias

import attrs

from electoral._systems._nodes import AnyOf, Condition, Method, Threshold
from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = ["Compensation", "LevellingTier", "MixedMemberTier", "RegionalTopUp"]


_SAINTE_LAGUE = Method("divisor", "sainte-lague")
_DANISH = Method("divisor", "danish")
PLACEMENTS = ("district-quotients", "regions-then-districts", "award-order")


def _thresholds(value: Iterable[Condition]) -> tuple[Condition, ...]:
    conditions = tuple(value)
    for condition in conditions:
        if not isinstance(condition, (Threshold, AnyOf)):
            raise OptionError(f"a threshold must be a Threshold or AnyOf, not {excerpt(condition)}")
    return conditions


def _national(conditions: tuple[Condition, ...], kind: str) -> None:
    for condition in conditions:
        for threshold in condition.options if isinstance(condition, AnyOf) else (condition,):
            if threshold.scope != "nation":
                raise OptionError(
                    f"a {kind} tier's thresholds are national (scope 'nation'), not {excerpt(threshold.scope)}"
                )


def _whole(value: object, what: str, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{what} must be a whole number of {minimum} or more, not {excerpt(value)}")


def _method(value: object) -> None:
    if not isinstance(value, Method) or value.kind != "divisor":
        raise OptionError(f"a compensation tier shares seats by a divisor Method, not {excerpt(value)}")


@attrs.frozen
class LevellingTier:
    """Levelling seats: the house shared nationally, each list's shortfall placed in the districts.

    ``total`` is the size of the whole house, ``method`` the national
    method (a divisor method, or largest remainders over the sharing lists'
    votes), ``thresholds`` the national bars (scope ``nation``), ``or_seats``
    the seats won below that also let a list share (None: none do),
    ``every_district`` whether a list must stand in every district to
    share, and ``placement`` how a list's levelling seats go to the districts:

    - ``"district-quotients"`` (Valgloven § 11-6): each list's votes in a
      district over the district's valid votes per seat, divided by 1, 3,
      5, ... from the seats it already has there, highest quotients first
      across all lists; ``per_district`` is the most levelling seats one
      district takes;
    - ``"regions-then-districts"`` (Denmark's Folketingsvalglov): first to
      the regions (the districts the others name as their ``region``) by
      ``region_method`` on each list's votes there, continuing after its
      seats below in the region, highest quotients first across all lists,
      a region taking at most the ``max_adjustment_seats`` its row in the
      returns gives; then, list by list and region by region, to the
      region's districts by ``district_method``, continuing after its seats
      in each;
    - ``"award-order"`` (Iceland's elections act): the seats in the order
      the national count awarded them, each to its list's district with
      the highest share of the district's list votes divided by
      ``district_method``'s divisor after its seats there, a district
      taking at most the ``max_adjustment_seats`` its row in the returns
      gives.

    With ``continues``, the national count does not share the whole house:
    the ``total`` less the seats won below are given one at a time by
    ``method``, each sharing list's divisors continuing after its seats
    below (Iceland). ``area`` is the returns' national pseudo-district.
    """

    total: int
    method: Method
    thresholds: tuple[Condition, ...] = attrs.field(converter=_thresholds, default=())
    every_district: bool = False
    placement: Literal["district-quotients", "regions-then-districts", "award-order"] = "district-quotients"
    per_district: int | None = 1
    or_seats: int | None = None
    region_method: Method = _SAINTE_LAGUE
    district_method: Method = _DANISH
    continues: bool = False
    area: str = "*"
    name: str = "levelling"
    kind: Literal["levelling"] = attrs.field(default="levelling", init=False)

    def __attrs_post_init__(self) -> None:
        _whole(self.total, "a levelling tier's total seats", 1)
        _national(self.thresholds, "levelling")
        if not isinstance(self.method, Method):
            raise OptionError(f"a levelling tier's method must be a Method, not {excerpt(self.method)}")
        _method(self.region_method)
        _method(self.district_method)
        if self.placement not in PLACEMENTS:
            raise OptionError(
                f"placement {excerpt(self.placement)} is not one of {', '.join(map(excerpt, PLACEMENTS))}"
            )
        if self.or_seats is not None:
            _whole(self.or_seats, "the seats that qualify a list", 1)
        if self.continues:
            _method(self.method)
        if self.per_district is not None:
            _whole(self.per_district, "levelling seats per district", 1)


@attrs.frozen
class MixedMemberTier:
    """MMP: ``total`` seats shared on the national party vote (in ``area``), less the seats won below.

    A list shares if it passes ``thresholds`` or won at least ``or_seats``
    seats below (None: no such alternative). Seats won below by lists that
    do not share (and by independents) are taken from ``total`` first
    (Electoral Act 1993, s 191(4)). ``overhang`` is ``"kept"``: a list with
    more seats below than its share keeps them and the house grows (s 192(5)).
    """

    total: int
    method: Method
    thresholds: tuple[Condition, ...] = attrs.field(converter=_thresholds, default=())
    or_seats: int | None = 1
    overhang: Literal["kept"] = "kept"
    area: str = "*"
    name: str = "list"
    kind: Literal["mixed-member"] = attrs.field(default="mixed-member", init=False)

    def __attrs_post_init__(self) -> None:
        _whole(self.total, "a mixed-member tier's total seats", 1)
        _national(self.thresholds, "mixed-member")
        _method(self.method)
        if self.or_seats is not None:
            _whole(self.or_seats, "the seats that qualify a list", 1)
        if self.overhang != "kept":
            raise OptionError(f"overhang {excerpt(self.overhang)} is not one of 'kept'")


@attrs.frozen
class RegionalTopUp:
    """AMS: every region (a district of the returns that other districts name as their region) shares
    its own seats by ``method`` on its list votes, each list's divisors starting after the seats its
    party won below in the region; ``thresholds`` are the regional bars, if any."""

    method: Method
    thresholds: tuple[Condition, ...] = attrs.field(converter=_thresholds, default=())
    name: str = "regional"
    kind: Literal["regional-top-up"] = attrs.field(default="regional-top-up", init=False)

    def __attrs_post_init__(self) -> None:
        _method(self.method)


Compensation: TypeAlias = LevellingTier | MixedMemberTier | RegionalTopUp
