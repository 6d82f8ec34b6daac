"""Sweden's Riksdag: fixed constituency seats, the 4% and 12% thresholds and adjustment seats (Vallag 2005:837 ch. 14).

A :class:`RiksdagTier` counts every constituency of the returns (its fixed
seats from ``districts.csv``, 310 in all) and shares ``adjustment_seats``
(39) on top, as the Election Authority (Valmyndigheten) does:

1. only parties with at least 4% of the votes in the whole country take part
   in the distribution of seats; a party below that with at least 12% of the
   votes in a constituency takes part in the distribution of that
   constituency's fixed seats (ch. 14 § 3);
2. each constituency's fixed seats are shared among its parties by the
   modified odd-number method (*jämkade uddatalsmetoden*): votes divided by
   ``first_divisor`` while a party has no seat, then by 3, 5, 7, …
   (ch. 14 § 5; the first divisor 1.2 from the 2018 election, after the
   2014 reform, 1.4 before);
3. all seats (fixed and adjustment together) are shared among the parties
   with 4% nationally by the same method on their national votes; a party
   whose fixed seats exceed that share keeps them and the share is worked
   out again among the other parties for the seats left (ch. 14 § 6);
4. each party's adjustment seats are the difference. They are given one at
   a time, to the party with the largest national comparison figure (its
   national votes over the divisor of the seats it holds), and each is
   placed in the constituency where that party has the largest comparison
   figure, counting the seats it already holds there (ch. 14 §§ 7-8).

Equal comparison figures, where they compete for fewer seats than there
are of them, go to the party with more votes, then by lot, from the count's
seed. The ordering of a party's candidates (personal votes) is not
modelled. The act's text was not at hand offline: the section numbers and
the tie rule are from memory of it, and the method from secondary
accounts (an Election Authority statistician quoted in Upsala Nya Tidning,
September 2018, on the 1.2 divisor and the placing of adjustment seats;
the val.se notice of 8 April 2022 on the 310 fixed and 39 adjustment seats).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._count import _Lots
from electoral._systems._returns import DistrictReturns, Returns
from electoral._systems._seats import DistrictCount, Quotient, SeatTie, ThresholdCheck, TierCount
from electoral._text import excerpt
from electoral.errors import CountError, MissingDataError, OptionError

__all__ = ["RiksdagCount", "RiksdagTier", "count_riksdag"]


def _fraction(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise OptionError(f"{what} must be an int or a Fraction, not {excerpt(value)}")
    return Fraction(value)


@attrs.frozen
class RiksdagTier:
    """Fixed seats per constituency and ``adjustment_seats`` over the nation (see the module notes)."""

    name: str = "constituency"
    adjustment_seats: int = 39
    first_divisor: Fraction = attrs.field(default=Fraction(6, 5))
    national_share: Fraction = attrs.field(default=Fraction(4, 100))
    constituency_share: Fraction = attrs.field(default=Fraction(12, 100))
    kind: Literal["riksdag"] = attrs.field(default="riksdag", init=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.adjustment_seats, bool) or not isinstance(self.adjustment_seats, int):
            raise OptionError(f"adjustment seats must be a whole number, not {excerpt(self.adjustment_seats)}")
        if self.adjustment_seats < 0:
            raise OptionError(f"adjustment seats must be zero or more, not {self.adjustment_seats}")
        if not 1 <= _fraction(self.first_divisor, "the first divisor") <= 3:
            raise OptionError(f"the first divisor must be from 1 to 3, not {self.first_divisor}")
        for share, what in ((self.national_share, "national"), (self.constituency_share, "constituency")):
            if not 0 <= _fraction(share, f"the {what} threshold") < 1:
                raise OptionError(f"the {what} threshold must be at least 0 and below 1, not {share}")

    def count(self, returns: Returns, lots: _Lots) -> tuple[TierCount, ...]:
        return count_riksdag(self, returns, lots)

    def to_data(self) -> dict[str, Any]:
        def text(f: Fraction) -> str:
            return f"{f.numerator}/{f.denominator}"

        return {
            "kind": self.kind,
            "name": self.name,
            "adjustment_seats": self.adjustment_seats,
            "first_divisor": text(self.first_divisor),
            "national_share": text(self.national_share),
            "constituency_share": text(self.constituency_share),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RiksdagTier:
        def share(key: str, default: str) -> Fraction:
            value = data.get(key, default)
            if not isinstance(value, str):
                raise OptionError(f'{key} must be a "p/q" string, not {excerpt(value)}')
            try:
                return Fraction(value)
            except (ValueError, ZeroDivisionError):
                raise OptionError(f'{key} must be a "p/q" string, not {excerpt(value)}') from None

        return cls(
            data.get("name"),  # type: ignore[arg-type]  # checked by the caller
            data.get("adjustment_seats", 39),
            share("first_divisor", "6/5"),
            share("national_share", "1/25"),
            share("constituency_share", "3/25"),
        )


@attrs.frozen
class RiksdagCount(TierCount):
    """The adjustment tier: each party's national ``entitled`` seats, ``fixed`` seats, and ``adjustment`` seats.

    ``overhang`` lists the parties left out of the national share-out
    because their fixed seats exceeded it (ch. 14 § 6) or because they
    won fixed seats without 4% nationally; ``national_quotients`` is the national
    allocation's winning quotients; ``order`` the adjustment seats as given,
    ``(party, constituency)``. Its ``districts`` hold each constituency's
    adjustment seats.
    """

    entitled: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    fixed: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    adjustment: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    overhang: tuple[str, ...] = ()
    national_quotients: tuple[Quotient, ...] = ()
    order: tuple[tuple[str, str], ...] = ()


class _Odd:
    """The modified odd-number method: divisors ``first``, 3, 5, 7, …"""

    def __init__(self, first: Fraction) -> None:
        self.first = first

    def divisor(self, held: int) -> Fraction:
        return self.first if held == 0 else Fraction(2 * held + 1)

    def figure(self, votes: int, held: int) -> Fraction:
        return votes / self.divisor(held)


def _pick(
    figures: Mapping[str, Fraction],
    votes: Mapping[str, int],
    room: int,
    lots: _Lots,
    ties: list[SeatTie],
    where: str,
) -> str:
    """The largest figure; equal ones go to more votes, then by lot, unless all of them fit in ``room`` seats."""
    top = max(figures.values())
    tied = [p for p, f in figures.items() if f == top]
    if len(tied) <= room:
        return tied[0]
    most = max(votes[p] for p in tied)
    leaders = [p for p in tied if votes[p] == most]
    if len(leaders) == 1:
        ties.append(SeatTie(tuple(tied), 1, (leaders[0],), "more votes"))
        return leaders[0]
    chosen = leaders[lots.draw(leaders, 1, lambda: where)[0]]
    ties.append(SeatTie(tuple(tied), 1, (chosen,), "lot"))
    return chosen


def _allocate(
    method: _Odd, votes: Mapping[str, int], seats: int, lots: _Lots, ties: list[SeatTie], where: str
) -> tuple[dict[str, int], list[Quotient]]:
    """``seats`` among ``votes`` one at a time by the largest comparison figure; the winning quotients."""
    held = dict.fromkeys(votes, 0)
    quotients: list[Quotient] = []
    live = {p: v for p, v in votes.items() if v > 0}
    if seats and not live:
        raise CountError(f"{where}: no party taking part has any votes")
    for seat in range(1, seats + 1):
        figures = {p: method.figure(v, held[p]) for p, v in live.items()}
        party = _pick(figures, live, seats - seat + 1, lots, ties, where)
        quotients.append(Quotient(party, str(method.divisor(held[party])), figures[party], seat))
        held[party] += 1
    return held, quotients


def _magnitude(district: DistrictReturns) -> int:
    if district.seats is None:
        raise MissingDataError(f"constituency {excerpt(district.name)} has no fixed seats (districts.csv)")
    return district.seats


def count_riksdag(tier: RiksdagTier, returns: Returns, lots: _Lots) -> tuple[TierCount, ...]:
    """The fixed-seat tier and the adjustment tier of a Riksdag count (see the module notes)."""
    method = _Odd(tier.first_divisor)
    national = returns.national_votes()
    total = sum(national.values())
    if total == 0:
        raise CountError("no party has any votes")
    qualified = [
        p for p, v in national.items() if v * tier.national_share.denominator >= tier.national_share.numerator * total
    ]
    ties: list[SeatTie] = []
    counts: list[DistrictCount] = []
    fixed: dict[str, dict[str, int]] = {}
    for district in returns.districts:
        base = district.list_votes
        checks = []
        taking = []
        for party, v in district.votes.items():
            nation_ok = party in qualified
            local_ok = v * tier.constituency_share.denominator >= tier.constituency_share.numerator * base
            checks.append(
                ThresholdCheck(
                    party, 0, 0, "nation", "*", national[party], total, tier.national_share, "at-least", nation_ok
                )
            )
            checks.append(
                ThresholdCheck(
                    party, 0, 1, "district", district.name, v, base, tier.constituency_share, "at-least", local_ok
                )
            )
            if nation_ok or local_ok:
                taking.append(party)
        held, quotients = _allocate(
            method, {p: district.votes[p] for p in taking}, _magnitude(district), lots, ties, district.name
        )
        fixed[district.name] = held
        counts.append(
            DistrictCount(
                district.name,
                _magnitude(district),
                f"modified odd-number method (first divisor {tier.first_divisor})",
                district.votes,
                checks=tuple(checks),
                qualified=tuple(taking),
                excluded=tuple(p for p in district.votes if p not in taking),
                quotients=tuple(quotients),
                seats=FrozenMap(held),
                ties=tuple(ties),
            )
        )
        ties = []
    fixed_total: dict[str, int] = {}
    for held in fixed.values():
        for party, n in held.items():
            fixed_total[party] = fixed_total.get(party, 0) + n
    house = sum(_magnitude(d) for d in returns.districts) + tier.adjustment_seats
    out = [p for p in fixed_total if p not in qualified and fixed_total[p]]
    while True:
        pool = [p for p in qualified if p not in out]
        left = house - sum(fixed_total.get(p, 0) for p in out)
        entitled, nat_quotients = _allocate(method, {p: national[p] for p in pool}, left, lots, ties, "the nation")
        over = [p for p in pool if fixed_total.get(p, 0) > entitled[p]]
        if not over:
            break
        out += over
    for p in out:
        entitled[p] = fixed_total.get(p, 0)
    due = {p: entitled[p] - fixed_total.get(p, 0) for p in pool}
    now = {d: dict(h) for d, h in fixed.items()}
    party_seats = {p: fixed_total.get(p, 0) for p in pool}
    placed: dict[str, dict[str, int]] = {d.name: {} for d in returns.districts}
    order: list[tuple[str, str]] = []
    for _ in range(sum(due.values())):
        open_ = {p: method.figure(national[p], party_seats[p]) for p in pool if due[p] > 0}
        # the order in which parties take their adjustment seats changes no placement: no lot is needed
        party = _pick(open_, national, len(open_), lots, ties, "adjustment seats")
        figures = {
            d.name: method.figure(d.votes.get(party, 0), now[d.name].get(party, 0))
            for d in returns.districts
            if d.votes.get(party, 0) > 0
        }
        where = _pick(
            figures, {d.name: d.votes.get(party, 0) for d in returns.districts}, due[party], lots, ties, party
        )
        now[where][party] = now[where].get(party, 0) + 1
        placed[where][party] = placed[where].get(party, 0) + 1
        party_seats[party] += 1
        due[party] -= 1
        order.append((party, where))
    adjustment_counts = tuple(
        DistrictCount(
            d.name,
            sum(placed[d.name].values()),
            "adjustment seats (Vallag ch. 14 §§ 7-8)",
            d.votes,
            qualified=tuple(p for p in pool if p in d.votes),
            seats=FrozenMap(placed[d.name]),
            ties=tuple(ties) if d is returns.districts[-1] else (),
        )
        for d in returns.districts
    )
    adjustment = RiksdagCount(
        "adjustment",
        "riksdag-adjustment",
        adjustment_counts,
        entitled=FrozenMap(sorted(entitled.items(), key=lambda kv: -kv[1])),
        fixed=FrozenMap(fixed_total),
        adjustment=FrozenMap((p, entitled[p] - fixed_total.get(p, 0)) for p in pool),
        overhang=tuple(out),
        national_quotients=tuple(nat_quotients),
        order=tuple(order),
    )
    return TierCount(tier.name, tier.kind, tuple(counts)), adjustment
