"""A seat result as text (a table by party, then by district) and as JSON-ready data (every step)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from electoral._arith import format_decimal, format_percent, json_number
from electoral.errors import CountError

if TYPE_CHECKING:
    from electoral._systems._seats import DistrictCount, SeatResult

__all__ = ["seat_result_data", "seat_result_text"]


def _exact(value: Fraction | None) -> int | str | None:
    return None if value is None else json_number(value)


def _district_data(count: DistrictCount) -> dict[str, Any]:
    data: dict[str, Any] = {
        "district": count.district,
        "magnitude": count.magnitude,
        "method": count.method,
        "votes": dict(count.votes),
        "qualified": list(count.qualified),
        "excluded": list(count.excluded),
        "seats": dict(count.seats),
    }
    if count.checks:
        data["thresholds"] = [
            {
                "party": c.party,
                "condition": c.condition,
                "option": c.option,
                "scope": c.scope,
                "area": c.area,
                "votes": c.votes,
                "base": c.base,
                "share": _exact(c.share),
                "comparison": c.comparison,
                "passed": c.passed,
            }
            for c in count.checks
        ]
    if count.quotients:
        data["quotients"] = [
            {"party": q.party, "divisor": q.divisor, "quotient": _exact(q.value), "seat": q.seat}
            for q in count.quotients
        ]
    if count.quota is not None:
        data["quota"] = _exact(count.quota)
        data["remainders"] = {p: _exact(r) for p, r in count.remainders.items()}
    if count.minimum:
        data["minimum"] = count.minimum
    if count.elected:
        data["elected"] = [{"candidate": c.candidate, "party": c.party, "votes": c.votes} for c in count.elected]
    if count.ties:
        data["ties"] = [
            {"tied": list(t.tied), "places": t.places, "chosen": list(t.chosen), "by": t.by, "gaining": t.gaining}
            for t in count.ties
        ]
    return data


def _indices(result: SeatResult) -> dict[str, Any] | None:
    try:
        d = result.disproportionality()
    except CountError:  # no votes or seats, or seats without votes: the indices do not exist
        return None
    return {
        "gallagher_squared": _exact(d.gallagher_squared),
        "gallagher": round(d.gallagher, 6),
        "loosemore_hanby": _exact(d.loosemore_hanby),
        "sainte_lague": _exact(d.sainte_lague),
        "dhondt": _exact(d.dhondt),
        "rae": _exact(d.rae),
        "lijphart": _exact(d.lijphart),
    }


def seat_result_data(result: SeatResult) -> dict[str, Any]:
    """The result as JSON-ready data: exact fractions as ``"p/q"`` strings, the indices' floats for display."""
    return {
        "system": result.system,
        "totals": dict(result.totals),
        "votes": dict(result.votes),
        "seats": [{"district": d, "party": p, "seats": n} for (d, p), n in result.seats.items()],
        "disproportionality": _indices(result),
        "tiers": [
            {
                "name": t.name,
                "kind": t.kind,
                "districts": [_district_data(c) for c in t.districts],
                **(t.details() if hasattr(t, "details") else {}),
            }
            for t in result.tiers
        ],
    }


def _divisor_text(value: Fraction) -> str:
    """A divisor as a short decimal: exact when it has at most 6 decimals, else rounded there (display only)."""
    for places in range(7):
        if (value * 10**places).denominator == 1:
            return format_decimal(value, places, grouped=False)
    return format_decimal(value, 6, grouped=False)


def _biproportional_lines(tier: object) -> list[str]:
    """The apportionments of a biproportional tier, if ``tier`` is one."""
    from electoral._systems._biproportional import BiproportionalCount  # here: that module imports this one

    if not isinstance(tier, BiproportionalCount):
        return []
    upper = ", ".join(f"{p} {n}" for p, n in tier.party_seats.items())
    lines = [
        f"upper apportionment (divisor {_divisor_text(tier.upper_divisor)}): {upper}",
        "party divisors: " + ", ".join(f"{p} {_divisor_text(d)}" for p, d in tier.party_divisors.items()),
        "district divisors: " + ", ".join(f"{d} {_divisor_text(v)}" for d, v in tier.district_divisors.items()),
        f"alternating scaling: {len(tier.steps)} steps",
    ]
    if tier.ties:
        lines.append("tied (either rounding is lawful): " + ", ".join(f"{d}/{p}" for d, p in tier.ties))
    return [*lines, ""]


def seat_result_text(result: SeatResult) -> str:
    """Seats by party (with votes and shares), the indices, then each district's seats and excluded lists."""
    seats_total = sum(result.totals.values())
    votes_total = sum(result.votes.values())
    districts = [c for t in result.tiers for c in t.districts]
    where = f"{len(districts)} district" + ("" if len(districts) == 1 else "s")
    lines = [f"{result.system}: {seats_total} seats in {where}", ""]
    width = max([len("party"), *(len(p) for p, n in result.totals.items() if n)])
    lines.append(f"{'party':<{width}}  {'votes':>12}  {'votes %':>7}  {'seats':>5}  {'seats %':>7}")
    for party, n in result.totals.items():
        if not n:
            continue
        votes = result.votes.get(party, 0)
        vote_share = format_percent(Fraction(votes, votes_total)) if votes_total else "-"
        seat_share = format_percent(Fraction(n, seats_total))
        lines.append(f"{party:<{width}}  {votes:>12,}  {vote_share:>7}  {n:>5}  {seat_share:>7}")
    unseated = sum(1 for n in result.totals.values() if not n)
    if unseated:
        lines.append(f"({unseated} more lists won no seat)")
    indices = _indices(result)
    if indices is not None:
        d = result.disproportionality()
        lines += [
            "",
            f"Gallagher {d.gallagher:.2f}, Loosemore-Hanby {format_decimal(d.loosemore_hanby, 2)}, "
            f"Rae {format_decimal(d.rae, 2)}, Lijphart {format_decimal(d.lijphart, 2)}, "
            f"Sainte-Laguë {format_decimal(d.sainte_lague, 2)}, D'Hondt {format_decimal(d.dhondt, 3)}",
        ]
    lines.append("")
    for tier in result.tiers:
        lines += _biproportional_lines(tier)
    for count in districts:
        won = ", ".join(f"{p} {n}" for p, n in sorted(count.seats.items(), key=lambda kv: -kv[1]) if n)
        lines.append(f"{count.district} ({count.magnitude}): {won or 'no seats'}")
        if count.excluded:
            lines.append(f"  below the threshold: {', '.join(count.excluded)}")
        for tie in count.ties:
            lines.append(f"  tie: {', '.join(tie.tied)} for {tie.places}; {', '.join(tie.chosen)} by {tie.by}")
    return "\n".join(lines)
