"""The Bundestag's count: Oberverteilung among parties, Unterverteilung to Land lists, constituency seats.

Two laws are modelled, both on second votes (*Zweitstimmen*) per Land list
and first votes (*Erststimmen*) per constituency (*Wahlkreis*):

- ``law="2023"``: the Bundeswahlgesetz (BWahlG) as amended on 8 June 2023
  (BGBl. 2023 I Nr. 147), in force from the 2025 election, read with the
  Federal Constitutional Court's judgment of 30 July 2024 (2 BvF 1/23),
  which kept the three-constituency clause (*Grundmandatsklausel*) in force.
  The ``seats`` (630, § 1) are shared among the parties with at least 5% of
  the valid second votes or three constituency wins, parties of national
  minorities exempt (§ 4 Abs. 2), by the divisor method with standard
  rounding (Sainte-Laguë/Schepers: the *Oberverteilung*, § 4 Abs. 1 and 3);
  each party's seats are shared among its Land lists by the same method
  (the *Unterverteilung*, § 5). A constituency winner of a party takes a
  seat only as far as the party's seats in that Land cover its winners
  there, in the order of their share of the first votes in their
  constituency (*Zweitstimmendeckung*, § 6 Abs. 1); an uncovered winner
  gets no seat, and the Land's other seats go to the list.
- ``law="2020"``: the BWahlG as amended on 14 November 2020 (BGBl. 2020 I
  S. 2395), the 2021 election. The ``seats`` (598) are first shared among
  the Länder by their German population and, in each Land, among the Land
  lists (*Sitzkontingente*, § 6 Abs. 1-2). A party's minimum in a Land is
  its constituency wins, but at least the rounded mean of those and its
  Sitzkontingent (§ 6 Abs. 4); the total is increased until every party gets
  its minimum in the national Sainte-Laguë distribution, up to three
  overhang seats left uncompensated (§ 6 Abs. 5), and each party's seats go
  to its Land lists, each at least its constituency wins (§ 6 Abs. 6).

Returns: each district of the returns is a constituency whose ``region`` is
its Land (its ``votes`` the second votes cast there, its ``candidates`` the
first votes of every candidate), or, without a region, a Land whose
``votes`` are its lists' second votes. The 2020 law reads each Land's
population from the ``population`` column of ``districts.csv`` (summed over
its constituencies). Not modelled: independent constituency winners and the
second votes of their voters (§ 4 Abs. 1-2 of either law), which no election
since 1949 has had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Literal

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._count import _chooser, _Lots, _share_out, passes
from electoral._systems._nodes import Method
from electoral._systems._returns import CandidateVotes, Returns
from electoral._systems._seats import DistrictCount, Quotient, SeatTie, ThresholdCheck, TierCount
from electoral._text import excerpt
from electoral.errors import CountError, MissingDataError, OptionError

__all__ = ["BundestagCount", "BundestagTier", "ConstituencySeat", "count_bundestag"]

SAINTE_LAGUE = Method("divisor", "sainte-lague")
FEDERAL = "Bundesgebiet"


def _parties(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class BundestagTier:
    """The whole Bundestag count under ``law`` (``"2023"`` or ``"2020"``); see the module notes for the statute.

    ``threshold`` is the share of the valid second votes a party needs
    (at least), ``constituencies`` the constituency wins that admit a party
    without it (0: no such clause), ``exempt`` the parties of national
    minorities (§ 4 Abs. 2 Satz 3 BWahlG 2023; § 6 Abs. 3 Satz 2 BWahlG
    2020), ``uncompensated`` the overhang seats the 2020 law leaves
    uncompensated.
    """

    seats: int
    law: Literal["2023", "2020"] = "2023"
    threshold: Fraction = Fraction(5, 100)
    constituencies: int = 3
    exempt: tuple[str, ...] = attrs.field(converter=_parties, default=("SSW",))
    uncompensated: int = 3
    name: str = "land"
    kind: Literal["bundestag"] = attrs.field(default="bundestag", init=False)

    def __attrs_post_init__(self) -> None:
        if self.law not in ("2023", "2020"):
            raise OptionError(f"Bundestag law {excerpt(self.law)} is not one of '2023', '2020'")
        for value, what in (
            (self.seats, "seats"),
            (self.constituencies, "constituency wins"),
            (self.uncompensated, "uncompensated overhang seats"),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise OptionError(f"{what} must be a whole number of zero or more, not {excerpt(value)}")
        if not isinstance(self.threshold, Fraction) or not 0 <= self.threshold < 1:
            raise OptionError(f"the threshold must be a Fraction from 0 to below 1, not {excerpt(self.threshold)}")


@attrs.frozen
class ConstituencySeat:
    """A constituency winner: ``share`` of the first votes, ``rank`` in the Land's order, ``seated`` or not.

    Under the 2023 law ``seated`` is false for a winner whom the party's
    seats in the Land do not cover (§ 6 Abs. 1 BWahlG 2023); under the 2020
    law every winner is seated.
    """

    constituency: str
    land: str
    party: str
    candidate: str
    votes: int
    share: Fraction
    rank: int
    seated: bool


@attrs.frozen
class BundestagCount(TierCount):
    """The Bundestag tier's count: the Land counts (``districts``), and the federal steps.

    ``federal`` is the Oberverteilung (its ``checks`` the 5% threshold,
    ``seats`` each party's seats, ``magnitude`` the final size of the
    house), ``contingents`` the 2020 law's Sitzkontingente per Land (empty
    under 2023), ``minimums`` each party's minimum per Land (2020),
    ``constituency_seats`` every constituency winner in order.
    """

    federal: DistrictCount | None = None
    contingents: tuple[DistrictCount, ...] = ()
    minimums: FrozenMap[tuple[str, str], int] = attrs.field(factory=FrozenMap)
    constituency_seats: tuple[ConstituencySeat, ...] = ()


class _Lands:
    """Second votes per Land list, population per Land, and the constituency winners."""

    def __init__(self, returns: Returns) -> None:
        self.votes: dict[str, dict[str, int]] = {}
        self.population: dict[str, int] = {}
        self.winners: list[tuple[str, str, CandidateVotes, Fraction]] = []
        for district in returns.districts:
            land = district.region or district.name
            lists = self.votes.setdefault(land, {})
            for party, n in district.votes.items():
                lists[party] = lists.get(party, 0) + n
            people = district.extra.get("population")
            if people is not None:
                if not people.isdigit():
                    raise CountError(f"population of {excerpt(district.name)} is not a whole number: {excerpt(people)}")
                self.population[land] = self.population.get(land, 0) + int(people)
            if district.candidates:
                self.winners.append((district.name, land, *_winner(district.name, district.candidates)))

    def wins(self) -> dict[tuple[str, str], int]:
        counted: dict[tuple[str, str], int] = {}
        for _, land, winner, _ in self.winners:
            counted[(land, winner.party)] = counted.get((land, winner.party), 0) + 1
        return counted


def _winner(constituency: str, candidates: tuple[CandidateVotes, ...]) -> tuple[CandidateVotes, Fraction]:
    total = sum(c.votes for c in candidates)
    best = max(c.votes for c in candidates)
    top = [c for c in candidates if c.votes == best]
    if len(top) > 1 or total == 0:
        # BWahlG: on equal first votes the Kreiswahlleiter draws a lot; the returns must say who won
        raise CountError(f"constituency {excerpt(constituency)} has no single winner; give the drawn winner more votes")
    return top[0], Fraction(best, total)


def _divisor(
    names: list[str], votes: list[int], seats: int, lots: _Lots, where: str, ties: list[SeatTie]
) -> tuple[list[int], list[Quotient]]:
    choose = _chooser(names, votes, lots, lambda: where, ties)
    held, quotients, _, _ = _share_out(SAINTE_LAGUE, names, votes, seats, choose)
    return held, quotients


def _with_minimums(votes: list[int], seats: int, minimums: list[int], where: str) -> list[int]:
    """Sainte-Laguë with a minimum per list: seats start at the minimums, the rest by the highest quotients."""
    held = list(minimums)
    if sum(held) > seats:
        raise CountError(f"{where}: the minimums need {sum(held)} seats, more than {seats}")
    for _ in range(seats - sum(held)):
        best = max(range(len(votes)), key=lambda i: (Fraction(2 * votes[i], 2 * held[i] + 1), votes[i]))
        tied = [i for i in range(len(votes)) if i != best and votes[i] == votes[best] and held[i] == held[best]]
        if tied:
            raise CountError(f"{where}: equal quotients need a lot, which this count does not draw")
        held[best] += 1
    return held


def _qualify(
    tier: BundestagTier, national: Mapping[str, int], valid: int, wins: Mapping[str, int]
) -> tuple[list[ThresholdCheck], list[str], list[str]]:
    checks: list[ThresholdCheck] = []
    qualified: list[str] = []
    excluded: list[str] = []
    for party, n in national.items():
        passed = passes(n, valid, tier.threshold, "at-least")
        checks.append(ThresholdCheck(party, 0, None, "nation", FEDERAL, n, valid, tier.threshold, "at-least", passed))
        by_wins = tier.constituencies > 0 and wins.get(party, 0) >= tier.constituencies
        (qualified if passed or by_wins or party in tier.exempt else excluded).append(party)
    return checks, qualified, excluded


def count_bundestag(tier: BundestagTier, returns: Returns, lots: _Lots) -> BundestagCount:
    """Count ``returns`` under the Bundestag ``tier``, recording every step."""
    lands = _Lands(returns)
    national: dict[str, int] = {}
    for lists in lands.votes.values():
        for party, n in lists.items():
            national[party] = national.get(party, 0) + n
    valid = sum(national.values())
    wins = lands.wins()
    party_wins: dict[str, int] = {}
    for (_, party), n in wins.items():
        party_wins[party] = party_wins.get(party, 0) + n
    checks, qualified, excluded = _qualify(tier, national, valid, party_wins)
    ties: list[SeatTie] = []
    contingents: list[DistrictCount] = []
    minimums: dict[tuple[str, str], int] = {}
    votes = [national[p] for p in qualified]
    if tier.law == "2023":
        held, quotients = _divisor(qualified, votes, tier.seats, lots, "the Oberverteilung", ties)
        size = tier.seats
    else:
        contingents, minimums = _contingents(tier, lands, qualified, wins, lots, ties)
        held, quotients, size = _increase(tier, qualified, votes, minimums, lots, ties)
    federal = DistrictCount(
        FEDERAL,
        size,
        "Sainte-Laguë",
        FrozenMap(national),
        tuple(checks),
        tuple(qualified),
        tuple(excluded),
        tuple(quotients),
        seats=FrozenMap(zip(qualified, held, strict=True)),
        ties=tuple(ties),
    )
    counts = _unterverteilung(tier, lands, federal, wins, lots)
    return BundestagCount(
        tier.name,
        tier.kind,
        tuple(counts),
        federal=federal,
        contingents=tuple(contingents),
        minimums=FrozenMap(minimums),
        constituency_seats=_constituency_seats(tier, lands, counts),
    )


def _contingents(
    tier: BundestagTier,
    lands: _Lands,
    qualified: list[str],
    wins: Mapping[tuple[str, str], int],
    lots: _Lots,
    ties: list[SeatTie],
) -> tuple[list[DistrictCount], dict[tuple[str, str], int]]:
    """The 2020 law's first distribution: seats to the Länder by population, then to the Land lists."""
    names = list(lands.votes)
    missing = [land for land in names if land not in lands.population]
    if missing:
        raise MissingDataError(f"the 2020 law needs the population of Land {excerpt(missing[0])} (districts.csv)")
    by_land, _ = _divisor(names, [lands.population[n] for n in names], tier.seats, lots, "the Länder", ties)
    counts, minimums = [], {}
    for land, seats in zip(names, by_land, strict=True):
        parties = [p for p in qualified if lands.votes[land].get(p, 0)]
        held, quotients = _divisor(parties, [lands.votes[land][p] for p in parties], seats, lots, land, ties)
        counts.append(
            DistrictCount(
                land,
                seats,
                "Sainte-Laguë",
                FrozenMap(lands.votes[land]),
                qualified=tuple(parties),
                quotients=tuple(quotients),
                seats=FrozenMap(zip(parties, held, strict=True)),
            )
        )
        for party, k in zip(parties, held, strict=True):
            won = wins.get((land, party), 0)
            minimums[(land, party)] = max(won, (won + k + 1) // 2)
        for (where, party), won in wins.items():
            if where == land and party in qualified and (land, party) not in minimums:
                minimums[(land, party)] = won
    return counts, minimums


def _increase(
    tier: BundestagTier,
    qualified: list[str],
    votes: list[int],
    minimums: Mapping[tuple[str, str], int],
    lots: _Lots,
    ties: list[SeatTie],
) -> tuple[list[int], list[Quotient], int]:
    """§ 6 Abs. 5 BWahlG 2020: the smallest size at which every party meets its minimum, up to 3 seats short."""
    need = [sum(m for (_, p), m in minimums.items() if p == party) for party in qualified]
    size = tier.seats
    while True:
        trial: list[SeatTie] = []
        held, quotients = _divisor(qualified, votes, size, lots, "the Oberverteilung", trial)
        short = sum(max(0, n - h) for n, h in zip(need, held, strict=True))
        if short <= tier.uncompensated:
            ties.extend(trial)
            final = [max(n, h) for n, h in zip(need, held, strict=True)]
            return final, quotients, sum(final)
        size += 1


def _unterverteilung(
    tier: BundestagTier, lands: _Lands, federal: DistrictCount, wins: Mapping[tuple[str, str], int], lots: _Lots
) -> list[DistrictCount]:
    """Each party's seats shared among its Land lists; the results regrouped by Land."""
    by_land: dict[str, dict[str, int]] = {land: {} for land in lands.votes}
    quotients: dict[str, list[Quotient]] = {land: [] for land in lands.votes}
    ties: dict[str, list[SeatTie]] = {land: [] for land in lands.votes}
    for party, seats in federal.seats.items():
        names = [land for land in lands.votes if lands.votes[land].get(party, 0)]
        votes = [lands.votes[land][party] for land in names]
        where = f"the Unterverteilung of {excerpt(party)}"
        if tier.law == "2023":
            party_ties: list[SeatTie] = []
            held, party_quotients = _divisor(names, votes, seats, lots, where, party_ties)
            for q in party_quotients:
                quotients[q.party].append(Quotient(party, q.divisor, q.value, q.seat))
            for tie in party_ties:
                ties[tie.chosen[0] if tie.chosen else names[0]].append(tie)
        else:
            held = _with_minimums(votes, seats, [wins.get((land, party), 0) for land in names], where)
        for land, n in zip(names, held, strict=True):
            by_land[land][party] = n
    return [
        DistrictCount(
            land,
            sum(by_land[land].values()),
            "Sainte-Laguë (Unterverteilung of each party's seats)",
            FrozenMap(lands.votes[land]),
            qualified=tuple(by_land[land]),
            excluded=tuple(p for p in lands.votes[land] if p not in by_land[land]),
            quotients=tuple(quotients[land]),
            seats=FrozenMap(by_land[land]),
            ties=tuple(ties[land]),
        )
        for land in lands.votes
    ]


def _constituency_seats(
    tier: BundestagTier, lands: _Lands, counts: list[DistrictCount]
) -> tuple[ConstituencySeat, ...]:
    """§ 6 Abs. 1 BWahlG 2023: winners seated in order of first-vote share, as far as the party's seats go."""
    seats = {(c.district, p): n for c in counts for p, n in c.seats.items()}
    ordered = sorted(lands.winners, key=lambda w: (w[1], w[2].party, -w[3]))
    out: list[ConstituencySeat] = []
    rank: dict[tuple[str, str], int] = {}
    for constituency, land, winner, share in ordered:
        key = (land, winner.party)
        rank[key] = rank.get(key, 0) + 1
        seated = tier.law == "2020" or rank[key] <= seats.get(key, 0)
        out.append(
            ConstituencySeat(constituency, land, winner.party, winner.candidate, winner.votes, share, rank[key], seated)
        )
    for seat in out:
        if any(
            o.share == seat.share and o.seated != seat.seated
            for o in out
            if (o.land, o.party) == (seat.land, seat.party)
        ):
            # § 6 Abs. 1 BWahlG 2023: on equal shares the Landeswahlleiter draws a lot, which the returns do not hold
            raise CountError(
                f"equal first-vote shares in {excerpt(seat.land)} for {excerpt(seat.party)} straddle the covered seats;"
                " the lot is the Landeswahlleiter's"
            )
    return tuple(out)
