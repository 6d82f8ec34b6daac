"""Biproportional apportionment (Pukelsheim's *doppelter Pukelsheim*): a node, its exact count and its record.

The method
----------
Two apportionments, as Zürich's law orders them (Gesetz über die politischen
Rechte of the canton of Zürich, LS 161, §§ 102-105 as amended for the 2006
and 2007 elections; F. Pukelsheim, *Proportional Representation*, Springer
2014, ch. 14-15), and as the City of Zürich publishes its counts
("Herleitung der Oberzuteilung" and "der Unterzuteilung", Gemeinderat
elections of 2014 and 2018):

1. **Upper apportionment** (*Oberzuteilung*): the parties' seats in the whole
   body, by a divisor method with standard rounding (Sainte-Laguë) on each
   party's *voter numbers*: its list votes in each district divided by the
   district's magnitude (a voter there has as many votes as seats), rounded
   to a whole number, summed.
2. **Lower apportionment** (*Unterzuteilung*): a divisor for every district
   and for every party such that ``seats = round(votes / (district divisor ×
   party divisor))`` in every cell, every district's seats sum to its
   magnitude and every party's to its upper seats. Such divisors exist and,
   without ties, the seats are unique (M. L. Balinski and G. Demange, "An
   axiomatic approach to proportionality between matrices", *Mathematics of
   Operations Research* 14 (1989) 700-719). They are found by *alternating
   scaling*: fit every district's row with the party divisors held fixed,
   then every party's column with the district divisors held fixed, and so
   on until both margins fit (Pukelsheim 2014, § 15.4).

Every figure is exact (:class:`~fractions.Fraction`). A divisor is chosen,
as the Zürich office publishes them, as the number with the fewest
significant digits in the interval of divisors that give the same seats
(the one nearest the middle of the interval when several do); which divisor
of the interval is taken changes no seat. Each scaling step is recorded with
its divisors and the sums of the other margin it left.

Ties and limits
---------------
A cell exactly half-way between two whole numbers may round either way.
When alternating scaling stalls on such cells, the seats are settled with
the divisors reached: each half-way cell takes its upper seat or not, as a
flow from the districts short of seats to the parties short of them
requires. The count then lists every tied cell
(:attr:`BiproportionalCount.ties`): exactly those cells where another
lawful apportionment differs, found as the constraints on a cycle of
product one (Balinski and Demange 1989); an empty list means the seats are
the only lawful ones. The law's lot between tied apportionments is not
drawn: the seats are one of them. Ties in the upper apportionment are
listed under the district ``"*"`` and settled for the larger weight, then
the party named first. Balinski and Demange's full tie-and-transfer
algorithm is not built: when alternating scaling fits neither margin within
:data:`MAX_STEPS` steps (rarely, ties that stall it), the count raises
:class:`~electoral.errors.CountError`. So it does, before any scaling,
when no apportionment exists at all: when no whole-number table with the
two margins puts seats only where a party has votes (a flow test), the
condition under which biproportional divisors exist (Balinski and Demange
1989).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from electoral._arith import format_decimal
from electoral._frozen import FrozenMap
from electoral._systems._count import _Figures, _qualify, tier_returns
from electoral._systems._nodes import AnyOf, Condition, DistrictTier, Threshold, _seat_map
from electoral._systems._returns import Returns
from electoral._systems._seats import DistrictCount, TierCount
from electoral._text import excerpt
from electoral.errors import CountError, MissingDataError, OptionError

__all__ = [
    "MAX_STEPS",
    "WEIGHTS",
    "Biproportional",
    "BiproportionalCount",
    "ScalingStep",
    "Weights",
    "count_biproportional",
    "nice_divisor",
]

Weights: TypeAlias = Literal["rounded", "exact", "votes"]
WEIGHTS: tuple[Weights, ...] = ("rounded", "exact", "votes")

#: alternating-scaling steps (a row step and a column step each count one) before the count gives up
MAX_STEPS = 1000


def _conditions(value: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(value)


@attrs.frozen
class Biproportional:
    """Biproportional apportionment over all the districts (see the module notes).

    ``thresholds`` decide which parties take part, once for the whole body:
    their scope must be ``"nation"`` or ``"any-district"`` (Zürich: 5% of a
    district's party votes in at least one district). ``weights`` are what
    the upper apportionment shares seats on: ``"rounded"`` voter numbers
    (each district's party votes divided by its magnitude, rounded to the
    nearest whole number, half up, then summed: Zürich's *Wählerzahl*, as
    the city's published counts show, e.g. Gemeinderatswahl 4 March 2018,
    "Oberzuteilung": SP 37,360 votes / 12 seats = 3,113), ``"exact"``
    voter numbers (not rounded) or ``"votes"`` (the party votes summed, no
    division). A row of the returns with a ``tier`` and no votes (the
    whole body, ``*``) is not a district: its seats, if given, must be the
    districts' sum. Only standard rounding (Sainte-Laguë) is built, in both
    apportionments. ``magnitudes`` fixes the districts' seats, else they
    come from the returns.
    """

    name: str = "biproportional"
    thresholds: tuple[Condition, ...] = attrs.field(converter=_conditions, default=())
    weights: Weights = "rounded"
    magnitudes: FrozenMap[str, int] | None = attrs.field(converter=_seat_map, default=None)
    kind: Literal["biproportional"] = attrs.field(default="biproportional", init=False)

    def __attrs_post_init__(self) -> None:
        if self.weights not in WEIGHTS:
            raise OptionError(f"weights {excerpt(self.weights)} is not one of 'rounded', 'exact', 'votes'")
        for condition in self.thresholds:
            if not isinstance(condition, (Threshold, AnyOf)):
                raise OptionError(f"a threshold must be a Threshold or AnyOf, not {excerpt(condition)}")
            for option in condition.options if isinstance(condition, AnyOf) else (condition,):
                if option.scope not in ("nation", "any-district"):
                    raise OptionError(
                        f"a biproportional threshold applies to the whole body: scope {excerpt(option.scope)}"
                        " is not 'nation' or 'any-district'"
                    )


@attrs.frozen
class ScalingStep:
    """One step of alternating scaling: new ``divisors`` of the ``side`` (``"districts"`` or ``"parties"``).

    ``sums`` are the other side's seat sums that these divisors give, and
    ``targets`` what they must be; the count ends when they agree.
    """

    side: Literal["districts", "parties"]
    divisors: FrozenMap[str, Fraction]
    sums: FrozenMap[str, int]
    targets: FrozenMap[str, int]

    @property
    def fits(self) -> bool:
        return self.sums == self.targets


@attrs.frozen
class BiproportionalCount(TierCount):
    """The count of a biproportional tier: ``districts`` (one count each, as any tier) and the apportionments.

    ``weights`` (each party's voter numbers) and ``party_seats`` are the upper apportionment, with
    its ``upper_divisor``; ``district_divisors`` and ``party_divisors`` are
    the final divisors of the lower apportionment; ``steps`` its alternating
    scaling; ``ties`` the (district, party) cells exactly half-way, whose
    rounding either way the law allows (empty: the apportionment is unique).
    """

    weights: FrozenMap[str, Fraction] = attrs.field(factory=FrozenMap)
    party_seats: FrozenMap[str, int] = attrs.field(factory=FrozenMap)
    upper_divisor: Fraction = Fraction(1)
    district_divisors: FrozenMap[str, Fraction] = attrs.field(factory=FrozenMap)
    party_divisors: FrozenMap[str, Fraction] = attrs.field(factory=FrozenMap)
    steps: tuple[ScalingStep, ...] = ()
    ties: tuple[tuple[str, str], ...] = ()

    def step_lines(self) -> list[str]:
        """The apportionments as text lines: the upper one, the divisors, the scaling steps, the tied cells."""
        upper = ", ".join(f"{p} {n}" for p, n in self.party_seats.items())
        lines = [
            f"upper apportionment (divisor {_divisor_text(self.upper_divisor)}): {upper}",
            "party divisors: " + ", ".join(f"{p} {_divisor_text(d)}" for p, d in self.party_divisors.items()),
            "district divisors: " + ", ".join(f"{d} {_divisor_text(v)}" for d, v in self.district_divisors.items()),
            f"alternating scaling: {len(self.steps)} steps",
        ]
        if self.ties:
            lines.append("tied (either rounding is lawful): " + ", ".join(f"{d}/{p}" for d, p in self.ties))
        return lines

    def details(self) -> dict[str, object]:
        """The apportionments as JSON-ready data (exact figures as ``"p/q"`` strings)."""

        def text(value: Fraction) -> str:
            return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"

        return {
            "weights": {p: text(v) for p, v in self.weights.items()},
            "party_seats": dict(self.party_seats),
            "upper_divisor": text(self.upper_divisor),
            "district_divisors": {d: text(v) for d, v in self.district_divisors.items()},
            "party_divisors": {p: text(v) for p, v in self.party_divisors.items()},
            "steps": [
                {
                    "side": s.side,
                    "divisors": {k: text(v) for k, v in s.divisors.items()},
                    "sums": dict(s.sums),
                    "targets": dict(s.targets),
                }
                for s in self.steps
            ],
            "ties": [list(cell) for cell in self.ties],
        }


def nice_divisor(low: Fraction, high: Fraction | None) -> Fraction:
    """The number strictly between ``low`` and ``high`` with fewest significant digits, nearest the middle.

    ``high`` None is no upper bound; ``high == low`` gives ``low`` itself (a tie). A divisor
    strictly inside its interval puts no quotient exactly half-way, so alternating scaling
    does not stall on a rounding that could go either way.
    """
    if high is not None and high < low:
        raise CountError(f"no divisor lies between {low} and {high}")
    if high is not None and high == low:
        return low
    if high is None:
        if low == 0:
            return Fraction(1)
        high = 2 * low
    middle = (low + high) / 2
    # 10 ** exponent > high; one too high is harmless: no multiple fits, and the loop steps down
    exponent = len(str(high.numerator)) - len(str(high.denominator)) + 1
    while True:
        step = Fraction(10) ** exponent
        first, last = math.floor(low / step) + 1, math.ceil(high / step) - 1  # inside, off the ends
        if first <= last and last > 0:
            return max(first, 1, min(last, round(middle / step))) * step
        exponent -= 1


def round_seats(weights: Sequence[Fraction], seats: int) -> tuple[list[int], Fraction]:
    """Sainte-Laguë (standard rounding) of ``seats`` on exact ``weights``: the seats and a nice divisor.

    Equal quotients for the last seats go to the larger weight, then to the
    earlier one; the divisor then sits exactly on the tie.
    """
    held = [0] * len(weights)
    if seats and not any(weights):
        raise CountError(f"{seats} seats cannot be shared among lists that have no votes")
    # a first guess by the divisor total/seats, then seat by seat to the exact count
    if seats:
        guess = sum(weights) / seats
        held = [math.floor(w / guess + Fraction(1, 2)) for w in weights]
    while sum(held) > seats:
        i = min(
            (i for i, h in enumerate(held) if h),
            key=lambda i: (weights[i] / (held[i] - Fraction(1, 2)), weights[i], -i),
        )
        held[i] -= 1
    while sum(held) < seats:
        i = max(range(len(weights)), key=lambda i: (weights[i] / (held[i] + Fraction(1, 2)), weights[i], -i))
        held[i] += 1
    low = max(w / (h + Fraction(1, 2)) for w, h in zip(weights, held, strict=True))
    highs = [w / (h - Fraction(1, 2)) for w, h in zip(weights, held, strict=True) if h]
    return held, nice_divisor(low, min(highs) if highs else None)


def count_biproportional(tier: Biproportional, returns: Returns) -> BiproportionalCount:
    """Count ``returns`` under a biproportional ``tier``: thresholds, upper and lower apportionment."""
    returns = tier_returns(tier.magnitudes, returns)
    body = [d for d in returns.districts if d.tier is not None and not d.votes]
    returns = Returns(tuple(d for d in returns.districts if d not in body), returns.source)
    magnitude: dict[str, int] = {}
    for d in returns.districts:
        given = tier.magnitudes[d.name] if tier.magnitudes is not None else d.seats
        if given is None:
            raise MissingDataError(f"the returns give no seats for district {excerpt(d.name)}")
        magnitude[d.name] = given
    figures = _Figures(returns)
    gate = DistrictTier(tier.name, thresholds=tier.thresholds)
    qualifying = {d.name: _qualify(gate, figures, d) for d in returns.districts}
    parties = list(dict.fromkeys(p for d in returns.districts for p in d.votes))
    passed = {p for _, ok, _ in qualifying.values() for p in ok}
    failed = {p for _, _, out in qualifying.values() for p in out}
    qualified = [p for p in parties if p in passed and p not in failed]
    districts = [d.name for d in returns.districts]
    votes = {(d.name, p): d.votes.get(p, 0) for d in returns.districts for p in qualified}
    weight = {
        p: sum((_weight(tier.weights, votes[d, p], magnitude[d]) for d in districts), Fraction(0)) for p in qualified
    }
    total = sum(magnitude.values())
    for d in body:
        if d.seats is not None and d.seats != total:
            raise CountError(f"the districts' seats add up to {total}, but {excerpt(d.name)} ({d.tier}) has {d.seats}")
    upper, upper_divisor = round_seats([weight[p] for p in qualified], total)
    party_seats = dict(zip(qualified, upper, strict=True))
    seats, rows, columns, steps = _alternate(districts, qualified, votes, magnitude, party_seats)
    half = (Fraction(1, 2), Fraction(-1, 2))
    half = (Fraction(1, 2), Fraction(-1, 2))
    upper_ties = tuple(("*", p) for p in qualified if weight[p] / upper_divisor - party_seats[p] in half)
    ties = upper_ties + _tied_cells(districts, qualified, votes, seats)
    counts = tuple(
        DistrictCount(
            d.name,
            magnitude[d.name],
            "biproportional (Sainte-Laguë)",
            d.votes,
            tuple(qualifying[d.name][0]),
            tuple(p for p in d.votes if p in party_seats),
            tuple(p for p in d.votes if p not in party_seats),
            seats=FrozenMap((p, seats[d.name, p]) for p in d.votes if p in party_seats),
        )
        for d in returns.districts
    )
    return BiproportionalCount(
        tier.name,
        tier.kind,
        counts,
        weights=FrozenMap(weight),
        party_seats=FrozenMap(party_seats),
        upper_divisor=upper_divisor,
        district_divisors=FrozenMap(rows),
        party_divisors=FrozenMap(columns),
        steps=tuple(steps),
        ties=ties,
    )


def _settle_ties(
    districts: list[str],
    parties: list[str],
    votes: Mapping[tuple[str, str], int],
    magnitude: Mapping[str, int],
    party_seats: Mapping[str, int],
    rows: Mapping[str, Fraction],
    columns: Mapping[str, Fraction],
) -> dict[tuple[str, str], int] | None:
    """Seats that fit both margins with these divisors, rounding the cells exactly half-way either way, if any.

    Each half-way cell may take its upper seat or not; which ones do is a
    flow from the districts short of their seats to the parties short of
    theirs, one unit at most through each half-way cell (augmenting paths).
    None when no cell is half-way or no choice fits both margins.
    """
    base: dict[tuple[str, str], int] = {}
    flexible: list[tuple[str, str]] = []
    for d in districts:
        for p in parties:
            q = votes[d, p] / (rows[d] * columns[p])
            base[d, p] = math.floor(q + Fraction(1, 2))
            if votes[d, p] and q - math.floor(q) == Fraction(1, 2):
                base[d, p] -= 1
                flexible.append((d, p))
    if not flexible:
        return None
    short_d = {d: magnitude[d] - sum(base[d, p] for p in parties) for d in districts}
    short_p = {p: party_seats[p] - sum(base[d, p] for d in districts) for p in parties}
    if min([*short_d.values(), *short_p.values()]) < 0 or sum(short_d.values()) != sum(short_p.values()):
        return None
    through = _transport(short_d, short_p, flexible, 1)
    if through is None:
        return None
    return {c: n + through.get(c, 0) for c, n in base.items()}


def _transport(
    supply: Mapping[str, int], demand: Mapping[str, int], cells: Sequence[tuple[str, str]], limit: int
) -> dict[tuple[str, str], int] | None:
    """Whole amounts through ``cells`` (at most ``limit`` each) that meet every ``supply`` and ``demand``, or None.

    A maximal flow by shortest augmenting paths (Edmonds-Karp), exact in integers.
    """
    source, sink = ("s", ""), ("t", "")
    capacity: dict[tuple[tuple[str, str], tuple[str, str]], int] = {}
    for d, n in supply.items():
        capacity[source, ("d", d)] = n
    for d, p in cells:
        capacity[("d", d), ("p", p)] = limit
    for p, n in demand.items():
        capacity[("p", p), sink] = n
    for a, b in list(capacity):
        capacity.setdefault((b, a), 0)
    neighbours: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, b in capacity:
        neighbours.setdefault(a, []).append(b)
    needed = sum(supply.values())
    if needed != sum(demand.values()):
        return None
    while needed:
        parent: dict[tuple[str, str], tuple[str, str]] = {source: source}
        queue = [source]
        while queue and sink not in parent:
            node = queue.pop(0)
            for nxt in neighbours.get(node, []):
                if nxt not in parent and capacity[node, nxt] > 0:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return None
        path = [sink]
        while path[-1] != source:
            path.append(parent[path[-1]])
        amount = min(capacity[parent[b], b] for b in path[:-1])
        for b in path[:-1]:
            capacity[parent[b], b] -= amount
            capacity[b, parent[b]] += amount
        needed -= amount
    return {(d, p): capacity[("p", p), ("d", d)] for d, p in cells}


def _tied_cells(
    districts: list[str],
    parties: list[str],
    votes: Mapping[tuple[str, str], int],
    seats: Mapping[tuple[str, str], int],
) -> tuple[tuple[str, str], ...]:
    """The cells that every choice of divisors puts exactly half-way: where another apportionment is as lawful.

    With ``x`` a district divisor and ``y`` the inverse of a party divisor,
    a cell with ``v`` votes and ``s`` seats asks ``y <= x (s + 1/2) / v`` and,
    if ``s > 0``, ``x <= y v / (s - 1/2)``. These ratio constraints form a
    graph whose cycles all have a product of at least one (divisors exist); a
    cell is tied exactly when one of its constraints lies on a cycle of
    product one, for then moving a seat around that cycle keeps every margin
    and every rounding lawful (Balinski and Demange 1989). Minimal products
    by Floyd-Warshall, in exact fractions.
    """
    n = len(districts)
    size = n + len(parties)
    best: list[list[Fraction | None]] = [[None] * size for _ in range(size)]
    edges: list[tuple[int, int, Fraction, tuple[str, str]]] = []
    for i, d in enumerate(districts):
        for j, p in enumerate(parties):
            v, h = votes[d, p], seats[d, p]
            if v:
                edges.append((i, n + j, Fraction(2 * h + 1, 2 * v), (d, p)))
                if h:
                    edges.append((n + j, i, Fraction(2 * v, 2 * h - 1), (d, p)))
    for a, b, w, _ in edges:
        old = best[a][b]
        best[a][b] = w if old is None else min(old, w)
    for k in range(size):
        row_k = best[k]
        for a in range(size):
            via = best[a][k]
            if via is None:
                continue
            row_a = best[a]
            for b in range(size):
                after = row_k[b]
                if after is not None:
                    product = via * after
                    old = row_a[b]
                    if old is None or product < old:
                        row_a[b] = product
    tied = {cell for a, b, w, cell in edges if (back := best[b][a]) is not None and w * back == 1}
    return tuple(c for c in ((d, p) for d in districts for p in parties) if c in tied)


def _weight(weights: Weights, votes: int, seats: int) -> Fraction:
    """One district's part of a party's upper-apportionment weight (see :class:`Biproportional`)."""
    if weights == "votes":
        return Fraction(votes)
    if not seats:
        return Fraction(0)
    exact = Fraction(votes, seats)
    return Fraction(math.floor(exact + Fraction(1, 2))) if weights == "rounded" else exact


def _alternate(
    districts: list[str],
    parties: list[str],
    votes: Mapping[tuple[str, str], int],
    magnitude: Mapping[str, int],
    party_seats: Mapping[str, int],
    first: Literal["districts", "parties"] = "districts",
) -> tuple[dict[tuple[str, str], int], dict[str, Fraction], dict[str, Fraction], list[ScalingStep]]:
    """Alternating scaling: district steps and party steps until both margins fit (Pukelsheim 2014, § 15.4).

    Zürich's count starts with the districts (all party divisors 1); ``first="parties"``
    starts the other way, which without ties ends at the same seats.
    """
    for d in districts:
        if magnitude[d] and not any(votes[d, p] for p in parties):
            raise CountError(f"district {excerpt(d)} has {magnitude[d]} seats but no votes for a qualified party")
    for p in parties:
        if party_seats[p] and not any(votes[d, p] for d in districts):
            raise CountError(f"party {excerpt(p)} has seats but no votes")
    cells = [(d, p) for d in districts for p in parties if votes[d, p]]
    if _transport(magnitude, party_seats, cells, sum(magnitude.values())) is None:
        raise CountError(
            "no biproportional apportionment exists: the parties' seats cannot be placed in the districts"
            " where they have votes, with each district's seats"
        )
    rows = dict.fromkeys(districts, Fraction(1))
    columns = dict.fromkeys(parties, Fraction(1))
    seats: dict[tuple[str, str], int] = {}
    steps: list[ScalingStep] = []
    start = 0 if first == "districts" else 1
    for n in range(start, start + MAX_STEPS):
        if n % 2 == 0:
            for d in districts:
                held, rows[d] = round_seats([votes[d, p] / columns[p] for p in parties], magnitude[d])
                seats.update(((d, p), h) for p, h in zip(parties, held, strict=True))
            sums = {p: sum(seats[d, p] for d in districts) for p in parties}
            steps.append(ScalingStep("districts", FrozenMap(rows), FrozenMap(sums), FrozenMap(party_seats)))
        else:
            for p in parties:
                held, columns[p] = round_seats([votes[d, p] / rows[d] for d in districts], party_seats[p])
                seats.update(((d, p), h) for d, h in zip(districts, held, strict=True))
            sums = {d: sum(seats[d, p] for p in parties) for d in districts}
            steps.append(ScalingStep("parties", FrozenMap(columns), FrozenMap(sums), FrozenMap(magnitude)))
        if steps[-1].fits:
            return seats, rows, columns, steps
        settled = _settle_ties(districts, parties, votes, magnitude, party_seats, rows, columns)
        if settled is not None:
            return settled, rows, columns, steps
    raise CountError(f"alternating scaling fitted no apportionment in {MAX_STEPS} steps: ties stall it")


def _divisor_text(value: Fraction) -> str:
    """A divisor as a short decimal: exact when it has at most 6 decimals, else rounded there (display only)."""
    for places in range(7):
        if (value * 10**places).denominator == 1:
            return format_decimal(value, places, grouped=False)
    return format_decimal(value, 6, grouped=False)
