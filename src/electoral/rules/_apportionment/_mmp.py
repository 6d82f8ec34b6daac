"""Two tiers: constituency (electorate) seats with proportional list seats on top (MMP).

In a mixed-member proportional system each list's share of the house is
set by the party votes, and the constituency seats it won count towards
that share; the list tier tops it up. The steps, as the New Zealand
Electoral Act 1993 (s 191) sets them out:

1. Seats won in electorates by candidates outside the allocation
   (independents, parties that do not qualify) are taken off the house
   (``other_electorate_seats``, and the electorate seats of lists that do
   not qualify).
2. The rest of the house is shared among the qualifying lists by the rule's
   method (the allocation round).
3. Each list gets list seats to make up the difference between its share
   and its electorate seats. A list that won more electorates than its
   share keeps them all: the difference is **overhang**.

What happens to overhang differs: with ``overhang="keep"`` the house grows
by it and the other lists keep their shares (New Zealand, 2008: 122 seats).
With ``overhang="level"`` the house grows until every list's proportional
share covers its electorate seats, so that the whole house stays
proportional (Germany's Bundestag under the 2013 Federal Elections Act, §
6(5), before the 2023 reform).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from electoral._display import text_table
from electoral._model import Candidate, Election
from electoral._result import Round
from electoral._text import excerpt
from electoral.errors import CountError, OptionError
from electoral.rules._base import Count
from electoral.rules._options import option_type

if TYPE_CHECKING:
    from electoral.rules._apportionment._rules import _Apportionment

__all__ = ["deducted_seats", "mixed_member", "to_seat_counts"]

MAX_LEVELLED_HOUSE = 10_000_000


def to_seat_counts(value: Any) -> tuple[tuple[str, int], ...]:
    """Seats won by each list: ``{list: seats}``, ``"A:46,B:23"`` or JSON."""
    from electoral.rules._apportionment._threshold import _count_value, _items, _load

    loaded = _load(value, "electorate_seats")
    return tuple(
        (str(name), _count_value(n, f"electorate_seats[{excerpt(name)}]"))
        for name, n in _items(loaded, "electorate_seats")
    )


def deducted_seats(
    rule: _Apportionment, electorate: Mapping[Candidate, int], taking_part: tuple[Candidate, ...]
) -> int:
    """Electorate seats outside the allocation, taken off the house before it is shared."""
    counted = frozenset(taking_part)
    return rule.other_electorate_seats + sum(n for c, n in electorate.items() if c not in counted)


def mixed_member(
    rule: _Apportionment,
    election: Election,
    count: Count,
    tally: dict[Candidate, int],
    taking_part: tuple[Candidate, ...],
    house: int,
    set_aside: dict[str, int],
    proportional: dict[Candidate, int],
    electorate: dict[Candidate, int],
) -> dict[Candidate, int]:
    """Add the electorate tier to the proportional seats; returns every list's total seats."""
    pool = list(taking_part)
    won = {c: electorate.get(c, 0) for c in election.candidates}
    shares = {c: proportional[c] for c in pool}
    size = house
    if rule.overhang == "level" and any(won[c] > shares[c] for c in pool):
        size = _levelled_house(rule, tally, pool, won, house)
        held = rule.allocation_round(
            election,
            count,
            tally,
            pool,
            size,
            set_aside,
            f"Levelling: the house grows from {house} to {size} seats, the fewest in which every list's "
            "proportional seats cover its electorate seats.",
        )
        shares = dict(zip(pool, held, strict=True))
    totals = {c: max(shares[c], won[c]) for c in pool}
    counted = frozenset(pool)
    outside = {c: won[c] for c in election.candidates if c not in counted and won[c]}
    totals.update(outside)
    rows = []
    for party in pool:
        list_seats = max(shares[party] - won[party], 0)
        overhang = max(won[party] - shares[party], 0)
        rows.append(
            [party.name, str(shares[party]), str(won[party]), str(list_seats), str(overhang), str(totals[party])]
        )
    for party, n in outside.items():
        rows.append([party.name, "", str(n), "", "", str(n)])
    overhang_total = sum(max(won[c] - shares[c], 0) for c in pool)
    total_seats = sum(totals.values()) + rule.other_electorate_seats
    rows.append(["total", str(size), str(sum(won.values())), "", str(overhang_total), str(sum(totals.values()))])
    table = text_table(
        ["list", "proportional", "electorate", "list seats", "overhang", "seats"],
        rows,
        right=[False, True, True, True, True, True],
    )
    lines = ["Electorate seats: each list's proportional seats are made up of its electorate seats and list seats."]
    if rule.other_electorate_seats:
        lines.append(f"{rule.other_electorate_seats} electorate seats went to candidates outside the allocation.")
    lines.append(
        f"The house has {total_seats} seats" + (f", with {overhang_total} overhang." if overhang_total else ".")
    )
    votes = {c: tally[c] for c in pool}
    count.add_round(
        Round(
            number=len(count.rounds) + 1,
            tally=votes,
            ballots=election.cast,
            continuing=sum(votes.values()),
            set_aside=set_aside,
            denominator=sum(votes.values()),
            basis="votes in the allocation",
            elected=tuple(c for c in pool if totals[c]),
            note="\n".join([*lines, table]),
        )
    )
    return totals


def _levelled_house(
    rule: _Apportionment, tally: dict[Candidate, int], pool: list[Candidate], won: dict[Candidate, int], house: int
) -> int:
    """The smallest house (from ``house`` up) whose proportional seats cover every list's electorate seats.

    A house is large enough when every list with electorate seats gets them
    even if it loses every tie, so the allocation recorded at that size (with
    the rule's own tie handling) has no overhang, however its ties go.
    Divisor methods are house-monotone, so that condition only changes once
    as the house grows: the answer is found by doubling, then bisection.
    """
    votes = [tally[c] for c in pool]
    if any(won[c] and not tally[c] for c in pool):
        raise CountError("a list with electorate seats but no party votes can never be levelled")

    def covered(size: int, j: int) -> bool:
        """Whether list ``j`` gets its electorate seats at ``size`` even if it loses every tie."""

        def against_j(tied: list[int], places: int, favour: bool) -> list[int]:
            return sorted(tied, key=lambda i: (i == j, -votes[i], i))[:places]

        return rule._allocate(votes, size, against_j)[0][j] >= won[pool[j]]

    def enough(size: int) -> bool:
        return all(covered(size, j) for j, c in enumerate(pool) if won[c])

    low, high = house, house + 1  # ``low`` is too small (there is overhang at ``house``)
    while not enough(high):
        low, high = high, 2 * high
        if high > MAX_LEVELLED_HOUSE:
            raise OptionError(f"levelling would need more than {MAX_LEVELLED_HOUSE:,} seats")
    while high - low > 1:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle
    return high


# what the converters take, for the options' documentation (``electoral rules NAME``)
option_type(to_seat_counts, "list:seats pairs (A:46,B:23), or JSON")
