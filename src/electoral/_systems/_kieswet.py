"""The Dutch Kieswet, chapter P: the electoral quota, residual seats, P 9, list exhaustion and preference votes.

A :class:`KieswetTier` counts one national pool (the lists' votes summed over
every district of the returns: the Tweede Kamer's twenty kieskringen are one
pool, Kieswet P 5/P 6), as the centraal stembureau does:

1. the *kiesdeler* (electoral quota) is the total of the lists' votes divided
   by the seats (P 5); each list gets a seat for every whole quota (P 6);
   lists joined in a *lijstencombinatie* count as one list (P 3/P 4 as they
   stood until the 2017 amendment that abolished list combinations);
2. the residual seats (P 7): with 19 seats or more, one at a time to the
   largest average ``votes / (seats + 1)`` (D'Hondt); for the Tweede Kamer
   only lists that reached the kiesdeler take part (P 7, second paragraph).
   With fewer than 19 seats (P 8, municipal councils), one seat each to the
   largest surpluses over the quota among lists with at least three quarters
   of the kiesdeler, then any left by largest averages, one more at most each;
3. the absolute-majority correction (P 9): a list with more than half the
   votes but not more than half the seats gets one more seat, taken from the
   list that got the last residual seat;
4. list exhaustion (P 10): a list with fewer candidates than seats
   (``max_seats`` in the returns) keeps as many as it has candidates, and the
   seats left over are given as residual seats to the other lists;
5. within a combination, the seats are shared by the *groepskiesdeler* (the
   combination's votes over its seats), whole quotients first, then the
   largest surpluses (P 13 as it stood before 2017; U 12 is the same rule);
6. within each list, candidates whose preference votes reach ``preference_share``
   of the kiesdeler are elected first, by their votes; the rest follow the
   list order (P 15-P 19; 25% of the kiesdeler for the Tweede Kamer from the
   1998 election, half before).

Equal averages or surpluses are settled by lot (P 7 and P 8: "beslist zo
nodig het lot"), from the count's seed, only when they compete for fewer
seats than there are of them. Every quotient, surplus and correction is
recorded in a :class:`KieswetCount`.

Limits: a list's cap (P 10) binds while the seats are given, so a list never
takes a seat beyond its candidates; the statute applies P 9 first and then
takes the surplus seats back, which gives the same seats unless the list with
the absolute majority is itself exhausted. Within a combination, every member
list shares in the group's seats, as U 12 words the rule; whether a member
below the kiesdeler could share in the Tweede Kamer before 2018 is not
checked. Candidates' votes are summed over the districts, and a list's order
is the order of its candidates' first rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._count import _Lots
from electoral._systems._returns import CandidateVotes, Returns
from electoral._systems._seats import DistrictCount, Quotient, SeatTie, ThresholdCheck, TierCount
from electoral._text import excerpt
from electoral.errors import CountError, OptionError

__all__ = ["KieswetCount", "KieswetTier", "count_kieswet"]


def _groups(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(group) for group in value)


def _whole(value: object, what: str, least: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise OptionError(f"{what} must be a whole number of at least {least}, not {excerpt(value)}")


@attrs.frozen
class KieswetTier:
    """One pool of ``seats`` counted by the Kieswet's chapter P (see the module notes).

    ``residual_bar`` is ``"quota"`` when only lists that reached the
    kiesdeler take residual seats (the Tweede Kamer, P 7.2) or ``"none"``
    (councils); ``small`` is the magnitude below which P 8's largest
    surpluses apply (19); ``combinations`` names the joined lists;
    ``preference_share`` is the preference threshold as a share of the
    kiesdeler.
    """

    name: str = "Nederland"
    seats: int = 150
    residual_bar: Literal["quota", "none"] = "quota"
    small: int = 19
    majority_correction: bool = True
    combinations: tuple[tuple[str, ...], ...] = attrs.field(converter=_groups, default=())
    preference_share: Fraction = Fraction(1, 4)
    kind: Literal["kieswet"] = attrs.field(default="kieswet", init=False)

    def __attrs_post_init__(self) -> None:
        _whole(self.seats, "seats", 1)
        _whole(self.small, "the small-body bound", 0)
        if self.residual_bar not in ("quota", "none"):
            raise OptionError(f"residual_bar {excerpt(self.residual_bar)} is not one of 'quota', 'none'")
        if not isinstance(self.preference_share, Fraction) or not 0 <= self.preference_share <= 1:
            raise OptionError(f"preference_share must be a Fraction from 0 to 1, not {excerpt(self.preference_share)}")
        seen: set[str] = set()
        for group in self.combinations:
            if len(group) < 2 or not all(isinstance(p, str) for p in group):
                raise OptionError(f"a list combination joins two or more lists, not {excerpt(group)}")
            if seen & set(group):
                raise OptionError(f"list {excerpt(sorted(seen & set(group))[0])} is in two combinations")
            seen |= set(group)

    def count(self, returns: Returns, lots: _Lots) -> tuple[TierCount, ...]:
        return (count_kieswet(self, returns, lots),)

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "seats": self.seats,
            "residual_bar": self.residual_bar,
            "small": self.small,
            "majority_correction": self.majority_correction,
            "combinations": [list(g) for g in self.combinations],
            "preference_share": f"{self.preference_share.numerator}/{self.preference_share.denominator}",
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> KieswetTier:
        share = data.get("preference_share", "1/4")
        if not isinstance(share, str):
            raise OptionError(f'preference_share must be a "p/q" string, not {excerpt(share)}')
        try:
            fraction = Fraction(share)
        except (ValueError, ZeroDivisionError):
            raise OptionError(f'preference_share must be a "p/q" string, not {excerpt(share)}') from None
        combinations = data.get("combinations", [])
        if not isinstance(combinations, list) or not all(isinstance(g, list) for g in combinations):
            raise OptionError(f"combinations must be a list of lists, not {excerpt(combinations)}")
        return cls(
            data.get("name"),  # type: ignore[arg-type]  # checked by the caller
            data.get("seats", 150),
            data.get("residual_bar", "quota"),
            data.get("small", 19),
            data.get("majority_correction", True),
            combinations,
            fraction,
        )


@attrs.frozen
class KieswetCount(DistrictCount):
    """A chapter P count: ``full`` seats by whole quotas (P 6), ``residual`` seats (P 7/P 8), and the corrections.

    ``units`` are the lists and combinations as counted; ``majority``
    is ``(gaining, losing)`` when P 9 moved a seat; ``exhausted`` the lists
    capped at their candidates (P 10); ``split`` each combination's share-out
    (list → seats); ``preference_threshold`` the votes a candidate needs to be
    elected out of list order.
    """

    full: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    residual: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    majority: tuple[str, str] | None = None
    exhausted: tuple[str, ...] = ()
    split: FrozenMap[str, FrozenMap[str, int]] = attrs.field(factory=FrozenMap)
    preference_threshold: Fraction | None = None


def _draw(lots: _Lots, tied: Sequence[str], places: int, ties: list[SeatTie], what: str) -> list[str]:
    picked = [tied[i] for i in lots.draw(tied, places, lambda: what)]
    ties.append(SeatTie(tuple(tied), places, tuple(picked), "lot"))
    return picked


def _best(keys: dict[str, Fraction], room: int, lots: _Lots, ties: list[SeatTie], what: str) -> tuple[str, Fraction]:
    """The unit with the largest key; equal keys for fewer than ``room`` seats all win in turn, else a lot."""
    top = max(keys.values())
    tied = [u for u, k in keys.items() if k == top]
    return (tied[0] if len(tied) <= room else _draw(lots, tied, 1, ties, what)[0]), top


class _Pool:
    """The running count: units (lists or combinations), their votes, caps and seats."""

    def __init__(self, tier: KieswetTier, votes: dict[str, int], caps: dict[str, int]) -> None:
        joined = {p: group for group in tier.combinations for p in group}
        self.members: dict[str, tuple[str, ...]] = {}
        for party in votes:
            group = joined.get(party)
            unit = " + ".join(group) if group else party
            self.members.setdefault(unit, group if group else (party,))
        self.votes = {u: sum(votes.get(p, 0) for p in ms) for u, ms in self.members.items()}
        self.caps = {u: sum(caps[p] for p in ms) for u, ms in self.members.items() if all(p in caps for p in ms)}
        self.total = sum(self.votes.values())
        if self.total == 0:
            raise CountError("no list has any votes")
        self.quota = Fraction(self.total, tier.seats)
        self.full = {u: min(int(v / self.quota), self.caps.get(u, tier.seats)) for u, v in self.votes.items()}
        self.exhausted = [u for u, v in self.votes.items() if u in self.caps and int(v / self.quota) > self.caps[u]]
        self.seats = dict(self.full)

    def open(self, unit: str) -> bool:
        return unit not in self.caps or self.seats[unit] < self.caps[unit]


def _residual(tier: KieswetTier, pool: _Pool, lots: _Lots, ties: list[SeatTie]) -> tuple[list[Quotient], list[str]]:
    """Residual seats (P 7, P 8, P 10); returns the quotients that won and the order the seats were given."""
    left = tier.seats - sum(pool.seats.values())
    order: list[str] = []
    quotients: list[Quotient] = []
    eligible = [u for u in pool.votes if pool.votes[u] > 0]
    if tier.residual_bar == "quota":
        eligible = [u for u in eligible if pool.votes[u] >= pool.quota]
    once: set[str] | None = None  # P 8, second paragraph: one seat at most per list by largest averages
    if tier.seats < tier.small:
        barred = [u for u in eligible if 4 * pool.votes[u] >= 3 * pool.quota]
        surplus = {u: pool.votes[u] - pool.full[u] * pool.quota for u in barred if pool.open(u)}
        while left and surplus:
            unit, _ = _best(surplus, left, lots, ties, "equal surpluses (Kieswet P 8)")
            del surplus[unit]
            pool.seats[unit] += 1
            order.append(unit)
            left -= 1
        once = set()
    seat = sum(pool.full.values()) + len(order)
    while left:
        averages = {
            u: Fraction(pool.votes[u], pool.seats[u] + 1)
            for u in eligible
            if pool.open(u) and (once is None or u not in once)
        }
        if not averages and once:
            once = None  # every list had its one seat by averages: the rest by plain largest averages
            continue
        if not averages:
            raise CountError(f"{left} seat(s) are left and no list can take them (every list is exhausted)")
        unit, value = _best(averages, left, lots, ties, "equal averages (Kieswet P 7)")
        seat += 1
        quotients.append(Quotient(unit, str(pool.seats[unit] + 1), value, seat))
        pool.seats[unit] += 1
        if once is not None:
            once.add(unit)
        order.append(unit)
        left -= 1
    return quotients, order


def _split(
    group: tuple[str, ...], votes: dict[str, int], seats: int, lots: _Lots, ties: list[SeatTie]
) -> dict[str, int]:
    """A combination's seats among its lists by the groepskiesdeler and the largest surpluses (P 13, U 12)."""
    total = sum(votes.get(p, 0) for p in group)
    if seats == 0 or total == 0:
        return dict.fromkeys(group, 0)
    quota = Fraction(total, seats)
    held = {p: int(votes.get(p, 0) / quota) for p in group}
    surplus = {p: votes.get(p, 0) - held[p] * quota for p in group}
    for n in range(seats - sum(held.values()), 0, -1):
        party, _value = _best(surplus, n, lots, ties, "equal surpluses in a list combination")
        del surplus[party]
        held[party] += 1
    return held


def elect(
    candidates: Sequence[CandidateVotes], seats: int, threshold: Fraction, lots: _Lots, ties: list[SeatTie]
) -> tuple[CandidateVotes, ...]:
    """A list's ``seats`` candidates: those reaching ``threshold`` by their votes (P 15), then in list order (P 17).

    ``candidates`` are in list order. Equal preference votes for the last
    places are settled by lot (P 15, second paragraph).
    """
    over = [c for c in candidates if c.votes >= threshold]
    by_votes = sorted(over, key=lambda c: -c.votes)
    chosen: list[CandidateVotes] = by_votes[:seats]
    if len(by_votes) > seats and by_votes[seats].votes == by_votes[seats - 1].votes and seats:
        level = by_votes[seats - 1].votes
        sure = [c for c in by_votes if c.votes > level]
        tied = [c for c in by_votes if c.votes == level]
        names = [c.candidate for c in tied]
        picked = set(_draw(lots, names, seats - len(sure), ties, "equal preference votes (Kieswet P 15)"))
        chosen = sure + [c for c in tied if c.candidate in picked]
    rest = [c for c in candidates if c not in chosen]
    return (*chosen, *rest[: max(0, seats - len(chosen))])


def count_kieswet(tier: KieswetTier, returns: Returns, lots: _Lots) -> TierCount:
    """Count ``returns`` as one national pool under chapter P (see the module notes)."""
    votes: dict[str, int] = {}
    caps: dict[str, int] = {}
    candidates: dict[str, dict[str, CandidateVotes]] = {}
    for district in returns.districts:
        for party, n in district.votes.items():
            votes[party] = votes.get(party, 0) + n
        for party, cap in district.max_seats.items():
            caps[party] = max(caps.get(party, 0), cap)
        for c in district.candidates:
            known = candidates.setdefault(c.party, {})
            old = known.get(c.candidate)
            known[c.candidate] = CandidateVotes(c.candidate, c.party, c.votes + (old.votes if old else 0))
    for party in candidates:
        caps.setdefault(party, len(candidates[party]))
    missing = [p for g in tier.combinations for p in g if p not in votes]
    if missing:
        raise CountError(f"list {excerpt(missing[0])} of a list combination is not in the returns")
    ties: list[SeatTie] = []
    pool = _Pool(tier, votes, caps)
    checks = tuple(
        ThresholdCheck(
            u, 0, None, "nation", tier.name, v, pool.total, Fraction(1, tier.seats), "at-least", v >= pool.quota
        )
        for u, v in pool.votes.items()
    )
    quotients, order = _residual(tier, pool, lots, ties)
    majority: tuple[str, str] | None = None
    if tier.majority_correction:
        for unit, v in pool.votes.items():
            if 2 * v > pool.total and 2 * pool.seats[unit] <= tier.seats and pool.open(unit):
                losers = [u for u in reversed(order) if u != unit]
                if losers:
                    pool.seats[losers[0]] -= 1
                    pool.seats[unit] += 1
                    majority = (unit, losers[0])
    split: dict[str, FrozenMap[str, int]] = {}
    seats: dict[str, int] = {}
    for unit, members in pool.members.items():
        if len(members) == 1:
            seats[members[0]] = pool.seats[unit]
        else:
            shares = _split(members, votes, pool.seats[unit], lots, ties)
            split[unit] = FrozenMap(shares)
            seats.update(shares)
    threshold = tier.preference_share * pool.quota
    elected: list[CandidateVotes] = []
    for party, known in candidates.items():
        elected += elect(list(known.values()), seats.get(party, 0), threshold, lots, ties)
    name = returns.districts[0].name if len(returns.districts) == 1 else tier.name
    count = KieswetCount(
        name,
        tier.seats,
        "largest surpluses, then D'Hondt" if tier.seats < tier.small else "D'Hondt residual seats",
        FrozenMap(votes),
        checks=checks,
        qualified=tuple(u for u in pool.votes if pool.votes[u] >= pool.quota or tier.residual_bar == "none"),
        excluded=tuple(u for u in pool.votes if pool.votes[u] < pool.quota and tier.residual_bar == "quota"),
        quotients=tuple(quotients),
        quota=pool.quota,
        remainders=FrozenMap((u, v - pool.full[u] * pool.quota) for u, v in pool.votes.items()),
        seats=FrozenMap(seats),
        elected=tuple(elected),
        ties=tuple(ties),
        full=FrozenMap(pool.full),
        residual=FrozenMap((u, pool.seats[u] - pool.full[u]) for u in pool.votes),
        majority=majority,
        exhausted=tuple(pool.exhausted),
        split=FrozenMap(split),
        preference_threshold=threshold if candidates else None,
    )
    return TierCount(tier.name, tier.kind, (count,))
