"""Counting the compensation tiers (:mod:`electoral._systems._tiers`) on top of the seats won below.

Every step is kept: the national checks, each round of the national
share (a list with more seats below than its share is set aside and the
rest shared again), the levelling or list seats, and the quotients that
placed each seat. Quotients are exact fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from electoral._frozen import FrozenMap
from electoral._systems._count import _chooser, _Figures, _Lots, _share_out, check_conditions
from electoral._systems._returns import Returns
from electoral._systems._seats import (
    DistrictCount,
    NationalRound,
    NationalShare,
    Quotient,
    SeatTie,
    ThresholdCheck,
    TierCount,
)
from electoral._systems._tiers import Compensation, LevellingTier, MixedMemberTier, RegionalTopUp
from electoral._text import excerpt
from electoral.errors import CountError, MissingDataError
from electoral.rules._apportionment._kernel import DIVISOR_METHODS

__all__ = ["compensation_areas", "count_compensation"]

Held = Mapping[tuple[str, str], int]


def compensation_areas(tier: Compensation, returns: Returns) -> tuple[str, ...]:
    """The districts of ``returns`` that hold ``tier``'s own figures, which the tiers below do not count."""
    if isinstance(tier, RegionalTopUp):
        regions = {d.region for d in returns.districts if d.region is not None}
        return tuple(d.name for d in returns.districts if d.name in regions and d.votes)
    if tier.area not in returns.positions:
        raise MissingDataError(f"the returns have no district {excerpt(tier.area)}, the {tier.kind} tier's area")
    if isinstance(tier, LevellingTier):  # the regions that group the districts are not districts below
        regions = {d.region for d in returns.districts if d.region is not None}
        return (tier.area, *(d.name for d in returns.districts if d.name in regions and d.name != tier.area))
    return (tier.area,)


def _national_rounds(
    tier: LevellingTier | MixedMemberTier,
    votes: Mapping[str, int],
    qualified: list[str],
    below: Mapping[str, int],
    seats: int,
    lots: _Lots,
    drop_overhang: bool,
) -> tuple[list[NationalRound], dict[str, int]]:
    """Share ``seats`` among ``qualified`` by the tier's method; with ``drop_overhang``, a list with more
    seats below than its share keeps them, leaves, and the others share what is left (Valgloven § 11-5(3))."""
    rounds: list[NationalRound] = []
    sharing = list(qualified)
    kept: dict[str, int] = {}
    while True:
        left = seats - sum(kept.values())
        names = [p for p in sharing if votes.get(p, 0) > 0]
        ties: list[SeatTie] = []
        choose = _chooser(names, [votes[p] for p in names], lots, lambda: f"the {tier.name} tier", ties)
        held, quotients, _, _ = _share_out(tier.method, names, [votes[p] for p in names], left, choose)
        share = dict(zip(names, held, strict=True))
        over = [p for p in names if below.get(p, 0) > share[p]]
        rounds.append(NationalRound(left, FrozenMap(share), tuple(quotients), tuple(over), tuple(ties)))
        if not over or not drop_overhang:
            return rounds, share
        for p in over:
            kept[p] = below.get(p, 0)
            sharing.remove(p)


def _seats_below(held: Held) -> dict[str, int]:
    out: dict[str, int] = {}
    for (_, party), n in held.items():
        out[party] = out.get(party, 0) + n
    return out


def _levelling(tier: LevellingTier, returns: Returns, lower: Returns, held: Held, lots: _Lots) -> TierCount:
    figures = _Figures(lower)
    votes = figures.nation_votes
    below = _seats_below(held)
    checks: list[ThresholdCheck] = []
    qualified: list[str] = []
    for party in votes:
        found, ok = check_conditions(tier.thresholds, figures, party, lower.districts[0])
        checks += found
        if tier.every_district and any(party not in d.votes for d in lower.districts):
            ok = False
        if tier.or_seats is not None and below.get(party, 0) >= tier.or_seats:
            ok = True
        if ok:
            qualified.append(party)
    excluded = [p for p in votes if p not in qualified]
    if tier.continues:
        rounds = [_continued(tier, votes, qualified, below)]
        levelling = {p: n for p, n in rounds[0].share.items() if n}
    else:
        seats = tier.total - sum(below.get(p, 0) for p in excluded)
        rounds, share = _national_rounds(tier, votes, qualified, below, seats, lots, drop_overhang=True)
        levelling = {p: share.get(p, 0) - below.get(p, 0) for p in qualified if share.get(p, 0) > below.get(p, 0)}
    national = NationalShare(
        tier.total,
        FrozenMap(votes),
        tuple(checks),
        tuple(qualified),
        tuple(excluded),
        tuple(rounds),
        FrozenMap(below),
        FrozenMap(levelling),
    )
    if tier.placement == "district-quotients":
        return TierCount(tier.name, tier.kind, tuple(_place(tier, lower, held, levelling)), national)
    if tier.placement == "award-order":
        order = [q.party for q in rounds[0].quotients if q.seat is not None]
        return TierCount(tier.name, tier.kind, tuple(_place_in_order(tier, returns, lower, held, order)), national)
    regions, placed = _place_by_region(tier, returns, lower, held, levelling)
    return TierCount(tier.name, tier.kind, tuple(placed), national, tuple(regions))


def _place(tier: LevellingTier, lower: Returns, held: Held, levelling: Mapping[str, int]) -> list[DistrictCount]:
    """Valgloven § 11-6: score = the list's votes / (the district's valid votes / its seats), divided by
    2s + 1 where s is the list's seats in the district so far; the highest quotients across every list
    and district win, a list stopping at its levelling seats and a district at ``per_district``."""
    magnitude = {d.name: d.seats or 0 for d in lower.districts}
    score: dict[tuple[str, str], Fraction] = {}
    for d in lower.districts:
        for party in levelling:
            if d.votes.get(party, 0) and d.valid and magnitude[d.name]:
                score[(d.name, party)] = Fraction(d.votes[party] * magnitude[d.name], d.valid)
    got: dict[tuple[str, str], int] = {}
    need = dict(levelling)
    room = {d.name: tier.per_district for d in lower.districts}
    won: dict[str, list[Quotient]] = {d.name: [] for d in lower.districts}
    n = 0
    while any(need.values()):
        best: list[tuple[Fraction, str, str, int]] = []
        for (district, party), s in score.items():
            if need[party] and room[district] != 0:
                k = held.get((district, party), 0) + got.get((district, party), 0)
                best.append((s / (2 * k + 1), district, party, k))
        if not best:
            raise CountError(f"levelling seats are left to place but no district has room: {dict(need)}")
        best.sort(key=lambda t: t[0], reverse=True)
        if len(best) > 1 and best[0][0] == best[1][0]:
            raise CountError(
                f"equal placement quotients {excerpt(best[0][2])} in {excerpt(best[0][1])} and"
                f" {excerpt(best[1][2])} in {excerpt(best[1][1])}; the statute's tie rule is not modelled"
            )
        value, district, party, k = best[0]
        n += 1
        got[(district, party)] = got.get((district, party), 0) + 1
        need[party] -= 1
        if room[district] is not None:
            room[district] = room[district] - 1  # type: ignore[operator]
        won[district].append(Quotient(party, str(2 * k + 1), value, n))
    counts = []
    for d in lower.districts:
        seats = {p: got.get((d.name, p), 0) for p in levelling}
        counts.append(
            DistrictCount(
                d.name,
                sum(seats.values()),
                "levelling seats by district quotients",
                d.votes,
                qualified=tuple(levelling),
                quotients=tuple(won[d.name]),
                seats=FrozenMap(seats),
            )
        )
    return counts


def _continued(
    tier: LevellingTier, votes: Mapping[str, int], qualified: list[str], below: Mapping[str, int]
) -> NationalRound:
    """The seats not won below, one at a time by the tier's divisors, each list continuing after its seats below."""
    divisor = DIVISOR_METHODS[tier.method.name]
    seats = tier.total - sum(below.values())
    if seats < 0:
        raise CountError(f"the tiers below gave {sum(below.values())} seats, more than the house's {tier.total}")
    added = dict.fromkeys(qualified, 0)
    won: list[Quotient] = []
    for n in range(1, seats + 1):
        options = []
        for p in qualified:
            value = divisor.quotient(votes[p], below.get(p, 0) + added[p])
            if votes[p] and value is not None:
                options.append((value, "the nation", p))
        value, _, party = _highest(options, "the adjustment seats")
        won.append(Quotient(party, divisor.divisor_text(below.get(party, 0) + added[party]), value, n))
        added[party] += 1
    return NationalRound(seats, FrozenMap(added), tuple(won), ())


def _place_in_order(
    tier: LevellingTier, returns: Returns, lower: Returns, held: Held, order: list[str]
) -> list[DistrictCount]:
    """Each seat in award order to its list's district with the highest share of the district's list votes
    over the divisor after its seats there, among the districts with adjustment seats left."""
    room = _region_caps(returns, [d.name for d in lower.districts])
    divisor = DIVISOR_METHODS[tier.district_method.name]
    placed: dict[tuple[str, str], int] = {}
    quotients: dict[str, list[Quotient]] = {d.name: [] for d in lower.districts}
    for n, party in enumerate(order, start=1):
        options = []
        for d in lower.districts:
            k = held.get((d.name, party), 0) + placed.get((d.name, party), 0)
            if room[d.name] and d.votes.get(party, 0):
                value = divisor.quotient(d.votes[party], k)
                if value is not None:
                    options.append((value / d.list_votes, d.name, party))
        value, name, _ = _highest(options, f"adjustment seat {n} of {excerpt(party)}")
        k = held.get((name, party), 0) + placed.get((name, party), 0)
        quotients[name].append(Quotient(party, divisor.divisor_text(k), value, n))
        placed[(name, party)] = placed.get((name, party), 0) + 1
        room[name] -= 1
    parties = list(dict.fromkeys(order))
    return [
        DistrictCount(
            d.name,
            sum(placed.get((d.name, p), 0) for p in parties),
            f"adjustment seats in award order: share of the district's votes, {tier.district_method.describe()}",
            d.votes,
            qualified=tuple(parties),
            quotients=tuple(quotients[d.name]),
            seats=FrozenMap((p, placed.get((d.name, p), 0)) for p in parties),
        )
        for d in lower.districts
    ]


def _highest(candidates: list[tuple[Fraction, str, str]], where: str) -> tuple[Fraction, str, str]:
    """The highest quotient; equal highest ones raise (the statutes' tie rules here are not modelled)."""
    if not candidates:
        raise CountError(f"{where}: seats are left to place but no list can take one")
    candidates.sort(key=lambda t: t[0], reverse=True)
    if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
        a, b = candidates[0], candidates[1]
        raise CountError(
            f"{where}: equal quotients of {excerpt(a[2])} in {excerpt(a[1])} and {excerpt(b[2])} in"
            f" {excerpt(b[1])}; the statute's tie rule is not modelled"
        )
    return candidates[0]


def _region_caps(returns: Returns, regions: list[str]) -> dict[str, int]:
    """The ``max_adjustment_seats`` column of each named district of the returns (a region or a district)."""
    caps = {}
    for region in regions:
        text = returns[region].extra.get("max_adjustment_seats", "")
        if not text.strip().isdigit():
            raise MissingDataError(
                f"district {excerpt(region)} gives no max_adjustment_seats, which this placement needs"
            )
        caps[region] = int(text)
    return caps


def _place_by_region(
    tier: LevellingTier, returns: Returns, lower: Returns, held: Held, levelling: Mapping[str, int]
) -> tuple[list[DistrictCount], list[DistrictCount]]:
    """The levelling seats to the regions, pooled across lists, then within each region to its districts."""
    regions = list(dict.fromkeys(d.region for d in lower.districts if d.region is not None))
    caps = _region_caps(returns, regions)
    votes = {(r, p): 0 for r in regions for p in levelling}
    start = {(r, p): 0 for r in regions for p in levelling}
    for d in lower.districts:
        for p in levelling:
            if d.region is not None:
                votes[(d.region, p)] += d.votes.get(p, 0)
                start[(d.region, p)] += held.get((d.name, p), 0)
    divisor = DIVISOR_METHODS[tier.region_method.name]
    got = dict.fromkeys(votes, 0)
    need = dict(levelling)
    room = dict(caps)
    won: dict[str, list[Quotient]] = {r: [] for r in regions}
    for n in range(1, sum(levelling.values()) + 1):
        options = []
        for (r, p), v in votes.items():
            value = divisor.quotient(v, start[(r, p)] + got[(r, p)])
            if need[p] and room[r] and v and value is not None:
                options.append((value, r, p))
        value, r, p = _highest(options, "the levelling seats by region")
        won[r].append(Quotient(p, divisor.divisor_text(start[(r, p)] + got[(r, p)]), value, n))
        got[(r, p)] += 1
        need[p] -= 1
        room[r] -= 1
    region_counts = [
        DistrictCount(
            r,
            sum(got[(r, p)] for p in levelling),
            f"levelling seats to regions: {tier.region_method.describe()}",
            FrozenMap((p, votes[(r, p)]) for p in levelling),
            qualified=tuple(levelling),
            quotients=tuple(won[r]),
            seats=FrozenMap((p, got[(r, p)]) for p in levelling),
        )
        for r in regions
    ]
    inner = DIVISOR_METHODS[tier.district_method.name]
    placed: dict[tuple[str, str], int] = {}
    quotients: dict[str, list[Quotient]] = {d.name: [] for d in lower.districts}
    for r in regions:
        inside = [d for d in lower.districts if d.region == r]
        for p in levelling:
            for _ in range(got[(r, p)]):
                options = []
                for d in inside:
                    k = held.get((d.name, p), 0) + placed.get((d.name, p), 0)
                    value = inner.quotient(d.votes.get(p, 0), k)
                    if d.votes.get(p, 0) and value is not None:
                        options.append((value, d.name, p))
                value, name, _p = _highest(options, f"the levelling seats of {excerpt(p)} in {excerpt(r)}")
                k = held.get((name, p), 0) + placed.get((name, p), 0)
                quotients[name].append(Quotient(p, inner.divisor_text(k), value, len(quotients[name]) + 1))
                placed[(name, p)] = placed.get((name, p), 0) + 1
    counts = []
    for d in lower.districts:
        seats = {p: placed.get((d.name, p), 0) for p in levelling}
        counts.append(
            DistrictCount(
                d.name,
                sum(seats.values()),
                f"levelling seats in the region: {tier.district_method.describe()}",
                d.votes,
                qualified=tuple(levelling),
                quotients=tuple(quotients[d.name]),
                seats=FrozenMap(seats),
            )
        )
    return region_counts, counts


def _mixed_member(tier: MixedMemberTier, returns: Returns, lower: Returns, held: Held, lots: _Lots) -> TierCount:
    area = returns[tier.area]
    figures = _Figures(Returns((area,)))
    votes = dict(area.votes)
    below = _seats_below(held)
    checks: list[ThresholdCheck] = []
    qualified: list[str] = []
    for party in votes:
        found, ok = check_conditions(tier.thresholds, figures, party, area)
        checks += found
        if tier.or_seats is not None and below.get(party, 0) >= tier.or_seats:
            ok = True
        if ok and votes[party] > 0:  # a candidate without a party vote (an independent) does not share
            qualified.append(party)
    excluded = [p for p in votes if p not in qualified]
    others = sum(n for p, n in below.items() if p not in qualified)
    rounds, share = _national_rounds(tier, votes, qualified, below, tier.total - others, lots, drop_overhang=False)
    lists = {p: max(share.get(p, 0) - below.get(p, 0), 0) for p in qualified}
    national = NationalShare(
        tier.total,
        FrozenMap(votes),
        tuple(checks),
        tuple(qualified),
        tuple(excluded),
        tuple(rounds),
        FrozenMap(below),
        FrozenMap(lists),
    )
    count = DistrictCount(
        area.name,
        sum(lists.values()),
        f"list seats: {tier.method.describe()} share less the seats won below",
        area.votes,
        tuple(checks),
        tuple(qualified),
        tuple(excluded),
        rounds[-1].quotients,
        seats=FrozenMap(lists),
    )
    return TierCount(tier.name, tier.kind, (count,), national)


def _regional(tier: RegionalTopUp, returns: Returns, lower: Returns, held: Held, lots: _Lots) -> TierCount:
    divisor = DIVISOR_METHODS[tier.method.name]
    regions = [returns[name] for name in compensation_areas(tier, returns)]
    figures = _Figures(Returns(tuple(regions)))
    counts = []
    for region in regions:
        inside = {d.name for d in lower.districts if d.region == region.name}
        start: dict[str, int] = {}
        for (district, party), n in held.items():
            if district in inside:
                start[party] = start.get(party, 0) + n
        checks: list[ThresholdCheck] = []
        qualified: list[str] = []
        for party in region.votes:
            found, ok = check_conditions(tier.thresholds, figures, party, region)
            checks += found
            if ok and region.votes[party] > 0:
                qualified.append(party)
        seats = dict.fromkeys(qualified, 0)
        quotients: list[Quotient] = []
        for n in range(1, (region.seats or 0) + 1):
            open_ = [p for p in qualified if p not in region.max_seats or seats[p] < region.max_seats[p]]
            if not open_:
                raise CountError(f"region {excerpt(region.name)} has seats left but no list can take one")
            values = {p: divisor.quotient(region.votes[p], start.get(p, 0) + seats[p]) for p in open_}
            ranked = sorted(open_, key=lambda p: values[p], reverse=True)  # type: ignore[arg-type,return-value]
            if len(ranked) > 1 and values[ranked[0]] == values[ranked[1]]:
                raise CountError(
                    f"region {excerpt(region.name)}: equal quotients of {excerpt(ranked[0])} and"
                    f" {excerpt(ranked[1])}; the statute's tie rule is not modelled"
                )
            party = ranked[0]
            k = start.get(party, 0) + seats[party]
            quotients.append(Quotient(party, divisor.divisor_text(k), values[party], n))
            seats[party] += 1
        counts.append(
            DistrictCount(
                region.name,
                region.seats or 0,
                f"{tier.method.describe()} after the seats won below",
                region.votes,
                tuple(checks),
                tuple(qualified),
                tuple(p for p in region.votes if p not in qualified),
                tuple(quotients),
                seats=FrozenMap(seats),
            )
        )
    return TierCount(tier.name, tier.kind, tuple(counts))


def count_compensation(tier: Compensation, returns: Returns, lower: Returns, held: Held, lots: _Lots) -> TierCount:
    """Count ``tier`` over ``returns``, given the districts the tiers below counted and the seats they gave."""
    if isinstance(tier, LevellingTier):
        return _levelling(tier, returns, lower, held, lots)
    if isinstance(tier, MixedMemberTier):
        return _mixed_member(tier, returns, lower, held, lots)
    return _regional(tier, returns, lower, held, lots)
