"""Counting a tier over district returns, exactly, and recording every step.

Ties are settled as LOREG art. 163.1.c orders for Spain, which is also the
common rule elsewhere: between equal quotients the seat goes to the list
with more votes in the district; between lists with equal votes, by lot.
Lots are drawn from the count's ``seed`` (:class:`electoral._ties._lots.LotDrawer`,
one stream for the whole count, districts in the order of the returns);
without a seed a tie that needs a lot raises
:class:`~electoral.errors.CountError`. The statute's alternation of later
ties between the same lists ("los sucesivos de forma alternativa") is not
modelled: each lot is a fresh draw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from electoral._frozen import FrozenMap
from electoral._systems._nodes import (
    AnyOf,
    Condition,
    DistrictTier,
    LimitedVote,
    MagnitudeApportionment,
    Method,
    Threshold,
)
from electoral._systems._returns import DistrictReturns, Returns
from electoral._systems._seats import DistrictCount, Quotient, SeatTie, ThresholdCheck, TierCount
from electoral._text import excerpt
from electoral._ties._cut import top_with_cut
from electoral._ties._lots import LotDrawer
from electoral.errors import CountError, MissingDataError
from electoral.rules._apportionment._kernel import (
    DIVISOR_METHODS,
    DivisorMethod,
    divisor_seats,
    largest_remainder_seats,
    quota_of,
)

__all__ = ["check_conditions", "count_tier"]

Chooser = Callable[[list[int], int, bool], list[int]]


class _Lots:
    """The count's one stream of lots, made on first need."""

    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self._drawer: LotDrawer | None = None

    def draw(self, tied: Sequence[str], places: int, where: Callable[[], str]) -> list[int]:
        if self.seed is None:
            names = ", ".join(map(excerpt, tied))
            raise CountError(
                f"{where()}: {names} are tied for {places} place(s) with equal votes; give a seed to draw lots"
            )
        if self._drawer is None:
            self._drawer = LotDrawer(self.seed)
        return self._drawer.shuffle(range(len(tied)))[:places]


def _chooser(
    names: Sequence[str], votes: Sequence[int], lots: _Lots, where: Callable[[], str], ties: list[SeatTie]
) -> Chooser:
    def choose(tied: list[int], places: int, favour: bool) -> list[int]:
        cut = top_with_cut(votes.__getitem__, places, among=tied, lowest=not favour)
        chosen = list(cut.sure)
        by: str = "more votes"
        if cut.is_tie:
            by = "lot"
            pool = list(cut.tied)
            chosen += [pool[i] for i in lots.draw([names[i] for i in pool], cut.places, where)]
        ties.append(
            SeatTie(
                tuple(names[i] for i in tied),
                places,
                tuple(names[i] for i in chosen),
                "lot" if by == "lot" else "more votes",
                favour,
            )
        )
        return chosen

    return choose


def passes(votes: int, base: int, share: Fraction, comparison: str) -> bool:
    """``votes`` against ``share`` of ``base``, in integers (as :func:`electoral._arith.passes`, without a Fraction)."""
    left, right = votes * share.denominator, share.numerator * base
    return left >= right if comparison == "at-least" else left > right


class _Figures:
    """Votes and bases summed by district, region and nation, for the thresholds."""

    def __init__(self, returns: Returns) -> None:
        self.returns = returns
        self.region_votes: dict[str, dict[str, int]] = {}
        self.region_base: dict[str, list[int]] = {}
        nation: dict[str, int] = {}
        base = [0, 0, 0]
        self.bases: dict[str, tuple[int, int, int]] = {}
        for d in returns.districts:
            lists = sum(d.votes.values())
            figures = (lists + d.blank, lists, lists + d.blank + d.invalid)
            self.bases[d.name] = figures
            for party, n in d.votes.items():
                nation[party] = nation.get(party, 0) + n
            base = [a + b for a, b in zip(base, figures, strict=True)]
            if d.region is not None:
                votes = self.region_votes.setdefault(d.region, {})
                for party, n in d.votes.items():
                    votes[party] = votes.get(party, 0) + n
                rb = self.region_base.setdefault(d.region, [0, 0, 0])
                self.region_base[d.region] = [a + b for a, b in zip(rb, figures, strict=True)]
        self.nation_votes = nation
        self.nation_base = base

    def check(self, threshold: Threshold, party: str, district: DistrictReturns) -> tuple[str, int, int, bool]:
        """(area, votes, base, passed) for one list in one district."""
        index = ("valid", "lists", "cast").index(threshold.basis)
        if threshold.scope == "district":
            area, votes, base = district.name, district.votes.get(party, 0), self.bases[district.name][index]
        elif threshold.scope == "region":
            if district.region is None:
                raise MissingDataError(
                    f"district {excerpt(district.name)} has no region, which a regional threshold needs"
                )
            area = district.region
            votes, base = self.region_votes[area].get(party, 0), self.region_base[area][index]
        elif threshold.scope == "nation":
            area, votes, base = "*", self.nation_votes.get(party, 0), self.nation_base[index]
        else:
            best: tuple[str, int, int, bool] | None = None
            for d in self.returns.districts:
                b = self.bases[d.name][index]
                ok = passes(d.votes.get(party, 0), b, threshold.share, threshold.comparison)
                if best is None or (ok and not best[3]):
                    best = (d.name, d.votes.get(party, 0), b, ok)
                if ok:
                    break
            assert best is not None
            return best
        return area, votes, base, passes(votes, base, threshold.share, threshold.comparison)


def check_conditions(
    conditions: Sequence[Condition], figures: _Figures, party: str, where: DistrictReturns
) -> tuple[list[ThresholdCheck], bool]:
    """Every check of ``party`` against ``conditions`` in district ``where``, and whether it meets them all."""
    checks: list[ThresholdCheck] = []
    ok_all = True
    for c, condition in enumerate(conditions):
        options = condition.options if isinstance(condition, AnyOf) else (condition,)
        ok_any = False
        for o, threshold in enumerate(options):
            area, votes, base, ok = figures.check(threshold, party, where)
            option = o if isinstance(condition, AnyOf) else None
            checks.append(
                ThresholdCheck(
                    party, c, option, threshold.scope, area, votes, base, threshold.share, threshold.comparison, ok
                )
            )
            ok_any = ok_any or ok
        ok_all = ok_all and ok_any
    return checks, ok_all


def _qualify(
    tier: DistrictTier, figures: _Figures, district: DistrictReturns
) -> tuple[list[ThresholdCheck], list[str], list[str]]:
    checks: list[ThresholdCheck] = []
    qualified: list[str] = []
    excluded: list[str] = []
    for party in district.votes:
        found, ok = check_conditions(tier.thresholds, figures, party, district)
        checks += found
        (qualified if ok else excluded).append(party)
    return checks, qualified, excluded


def _share_out(
    method: Method,
    names: list[str],
    votes: list[int],
    seats: int,
    choose: Chooser,
    caps: Mapping[str, int] | None = None,
) -> tuple[list[int], list[Quotient], Fraction | None, dict[str, Fraction]]:
    """Seats by ``method``, with the quotients that won and the best losing ones, or the quota and remainders.

    ``caps`` limits a list's seats (a list with fewer candidates than seats): under a divisor method a
    list at its cap takes no further seat and the others share the rest, as the sequential count that
    skips a full list does. A binding cap under largest remainders raises: statutes differ there.
    """
    if seats == 0 or not any(votes):
        return [0] * len(names), [], None, {}
    if method.kind == "largest-remainder":
        quota = quota_of(method.name, sum(votes), seats)
        held, remainders = largest_remainder_seats(votes, seats, quota, choose)
        over = [n for n, h in zip(names, held, strict=True) if caps and n in caps and h > caps[n]]
        if over:
            raise CountError(f"list {excerpt(over[0])} won more seats than its cap; caps apply to divisor methods only")
        return held, [], quota, dict(zip(names, remainders, strict=True))
    divisor = DIVISOR_METHODS[method.name]
    held = [0] * len(names)
    full: set[int] = set()
    while True:
        active = [i for i in range(len(names)) if i not in full]
        left = seats - sum(held[i] for i in full)
        if not active or not any(votes[i] for i in active):
            raise CountError(f"the lists have too few candidates for the {seats} seats (caps: max_seats)")

        part, _ = divisor_seats([votes[i] for i in active], left, divisor, _among(choose, active))
        limits = caps or {}
        beyond = [i for i, h in zip(active, part, strict=True) if names[i] in limits and h > limits[names[i]]]
        if not beyond:
            for i, h in zip(active, part, strict=True):
                held[i] = h
            break
        for i in beyond:
            held[i] = limits[names[i]]
            full.add(i)
    return held, _quotients(divisor, names, votes, held, full), None, {}


def _among(choose: Chooser, active: list[int]) -> Chooser:
    """``choose`` for a count over the lists ``active`` only (its indices are positions in ``active``)."""
    where = {i: k for k, i in enumerate(active)}

    def local(tied: list[int], places: int, favour: bool) -> list[int]:
        return [where[i] for i in choose([active[k] for k in tied], places, favour)]

    return local


def _quotients(
    divisor: DivisorMethod, names: list[str], votes: list[int], held: list[int], full: set[int]
) -> list[Quotient]:
    """The quotients that won seats, in seat order, then each list's best losing one (none for a full list)."""
    texts = [divisor.divisor_text(k) for k in range(max(held) + 1)]
    won: list[tuple[Fraction | float, int, str, str, Fraction | None]] = []
    for i, (name, v) in enumerate(zip(names, votes, strict=True)):
        for k in range(held[i]):
            value = divisor.quotient(v, k)
            key = value if value is not None else _priority_key(divisor.priority(v, k))
            won.append((key, v, name, texts[k], value))
    # seat order: highest priority first; equal ones in the order the tie rule gave them (more votes first)
    won.sort(key=lambda t: (t[0], t[1]), reverse=True)
    quotients = [Quotient(name, text, value, n) for n, (_, _, name, text, value) in enumerate(won, start=1)]
    for i, (name, v) in enumerate(zip(names, votes, strict=True)):
        if v > 0 and i not in full:
            quotients.append(Quotient(name, texts[held[i]], divisor.quotient(v, held[i]), None))
    return quotients


def _priority_key(priority: tuple[int, int]) -> Fraction | float:
    """A sort key for a priority with no exact quotient: infinite, or Huntington–Hill's squared priority."""
    numerator, denominator = priority
    return float("inf") if denominator == 0 else Fraction(numerator, denominator)


def _where(district: str) -> Callable[[], str]:
    return lambda: f"district {excerpt(district)}"


def _magnitude(magnitudes: FrozenMap[str, int] | None, district: DistrictReturns) -> int:
    if magnitudes is not None:
        if district.name not in magnitudes:
            raise MissingDataError(f"the system gives no seats for district {excerpt(district.name)}")
        return magnitudes[district.name]
    if district.seats is None:
        raise MissingDataError(f"the returns give no seats for district {excerpt(district.name)}")
    return district.seats


def tier_returns(magnitudes: FrozenMap[str, int] | None, returns: Returns) -> Returns:
    """The districts a tier counts: those its ``magnitudes`` name (all of them must be in the returns), else all."""
    if magnitudes is None:
        return returns
    positions = returns.positions
    missing = [name for name in magnitudes if name not in positions]
    if missing:
        raise MissingDataError(f"the returns have no district {excerpt(missing[0])}, which the system gives seats")
    # in the returns' order, in time proportional to the tier's own districts (a system may have many tiers)
    return Returns(tuple(returns.districts[i] for i in sorted(positions[name] for name in magnitudes)), returns.source)


def _count_districts(tier: DistrictTier, returns: Returns, lots: _Lots) -> TierCount:
    returns = tier_returns(tier.magnitudes, returns)
    figures = _Figures(returns)
    counts = []
    for district in returns.districts:
        magnitude = _magnitude(tier.magnitudes, district)
        checks, qualified, excluded = _qualify(tier, figures, district)
        votes = [district.votes[p] for p in qualified]
        ties: list[SeatTie] = []
        choose = _chooser(qualified, votes, lots, _where(district.name), ties)
        caps = {p: district.max_seats[p] for p in qualified if p in district.max_seats}
        held, quotients, quota, remainders = _share_out(tier.method, qualified, votes, magnitude, choose, caps)
        counts.append(
            DistrictCount(
                district.name,
                magnitude,
                tier.method.describe(),
                district.votes,
                tuple(checks),
                tuple(qualified),
                tuple(excluded),
                tuple(quotients),
                quota,
                FrozenMap(remainders),
                FrozenMap(zip(qualified, held, strict=True)),
                ties=tuple(ties),
            )
        )
    return TierCount(tier.name, tier.kind, tuple(counts))


def _count_limited(tier: LimitedVote, returns: Returns, lots: _Lots) -> TierCount:
    returns = tier_returns(tier.magnitudes, returns)
    counts = []
    for district in returns.districts:
        magnitude = _magnitude(tier.magnitudes, district)
        candidates = list(district.candidates)
        if not candidates:
            raise MissingDataError(
                f"district {excerpt(district.name)} has no candidate votes, which a limited vote needs"
            )
        cut = top_with_cut([c.votes for c in candidates].__getitem__, magnitude, among=range(len(candidates)))
        chosen = list(cut.sure)
        ties: list[SeatTie] = []
        if cut.is_tie:
            pool = list(cut.tied)
            names = [candidates[i].candidate for i in pool]
            picked = [pool[i] for i in lots.draw(names, cut.places, _where(district.name))]
            chosen += picked
            ties.append(SeatTie(tuple(names), cut.places, tuple(candidates[i].candidate for i in picked), "lot"))
        elected = tuple(candidates[i] for i in sorted(chosen, key=lambda i: -candidates[i].votes))
        seats: dict[str, int] = dict.fromkeys(dict.fromkeys(c.party for c in candidates), 0)
        for c in elected:
            seats[c.party] += 1
        counts.append(
            DistrictCount(
                district.name,
                magnitude,
                "limited vote",
                district.votes,
                qualified=tuple(seats),
                seats=FrozenMap(seats),
                elected=elected,
                ties=tuple(ties),
            )
        )
    return TierCount(tier.name, tier.kind, tuple(counts))


def _count_magnitudes(tier: MagnitudeApportionment, returns: Returns, lots: _Lots) -> TierCount:
    """Each pool of the returns holds units (its "lists") with their population; seats by the apportionment rule."""
    units = [(d.name, unit, pop) for d in returns.districts for unit, pop in d.votes.items()]
    missing = [name for name in tier.fixed if name not in {u for _, u, _ in units}]
    if missing:
        raise MissingDataError(f"the returns have no unit {excerpt(missing[0])}, which the apportionment fixes")
    shared = [(pool, unit, pop) for pool, unit, pop in units if unit not in tier.fixed]
    left = tier.total - sum(tier.fixed.values()) - tier.minimum * len(shared)
    if left < 0:
        raise CountError(
            f"{tier.total} seats cannot give {len(shared)} units {tier.minimum} each and the fixed ones theirs"
        )
    names = [unit for _, unit, _ in shared]
    population = [pop for _, _, pop in shared]
    ties: list[SeatTie] = []
    choose = _chooser(names, population, lots, lambda: "the apportionment", ties)
    held, quotients, quota, remainders = _share_out(tier.method, names, population, left, choose)
    by_unit = {unit: tier.minimum + h for unit, h in zip(names, held, strict=True)}
    by_unit.update(tier.fixed)
    counts = []
    for district in returns.districts:
        counts.append(
            DistrictCount(
                district.name,
                sum(by_unit[u] for u in district.votes),
                tier.method.describe(),
                district.votes,
                qualified=tuple(u for u in district.votes if u not in tier.fixed),
                quotients=tuple(q for q in quotients if q.party in district.votes),
                quota=quota,
                remainders=FrozenMap((u, r) for u, r in remainders.items() if u in district.votes),
                seats=FrozenMap((u, by_unit[u]) for u in district.votes),
                ties=tuple(ties) if district is returns.districts[-1] else (),
                minimum=tier.minimum,
            )
        )
    return TierCount(tier.name, tier.kind, tuple(counts))


def count_tier(tier: DistrictTier | LimitedVote | MagnitudeApportionment, returns: Returns, lots: _Lots) -> TierCount:
    """Count one tier of a system over ``returns``."""
    if isinstance(tier, DistrictTier):
        return _count_districts(tier, returns, lots)
    if isinstance(tier, LimitedVote):
        return _count_limited(tier, returns, lots)
    return _count_magnitudes(tier, returns, lots)


def new_lots(seed: int | None) -> _Lots:
    """The count's stream of lots from ``seed`` (None: a tie needing a lot raises)."""
    return _Lots(seed)
