"""A seat result as text (a table by party, then by district) and as JSON-ready data (every step)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from electoral._arith import format_decimal, json_number
from electoral._display import escape
from electoral._result._seats_table import seats_html, seats_text
from electoral.errors import CountError

if TYPE_CHECKING:
    from electoral._systems._seats import DistrictCount, NationalShare, Quotient, SeatResult, ThresholdCheck, TierCount

__all__ = ["seat_result_data", "seat_result_html", "seat_result_text"]


def _exact(value: Fraction | None) -> int | str | None:
    return None if value is None else json_number(value)


def _check_data(c: ThresholdCheck) -> dict[str, Any]:
    return {
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


def _quotient_data(q: Quotient) -> dict[str, Any]:
    return {"party": q.party, "divisor": q.divisor, "quotient": _exact(q.value), "seat": q.seat}


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
        data["thresholds"] = [_check_data(c) for c in count.checks]
    if count.quotients:
        data["quotients"] = [_quotient_data(q) for q in count.quotients]
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


def _national_data(national: NationalShare) -> dict[str, Any]:
    return {
        "total": national.total,
        "votes": dict(national.votes),
        "thresholds": [_check_data(c) for c in national.checks],
        "qualified": list(national.qualified),
        "excluded": list(national.excluded),
        "rounds": [
            {
                "seats": r.seats,
                "share": dict(r.share),
                "quotients": [_quotient_data(q) for q in r.quotients],
                "overhang": list(r.overhang),
            }
            for r in national.rounds
        ],
        "below": dict(national.below),
        "added": dict(national.added),
    }


def _tier_data(tier: TierCount) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": tier.name,
        "kind": tier.kind,
        "districts": [_district_data(c) for c in tier.districts],
    }
    if tier.national is not None:
        data["national"] = _national_data(tier.national)
    if tier.regions:
        data["regions"] = [_district_data(c) for c in tier.regions]
    details = getattr(tier, "details", None)
    if callable(details):
        data.update(details())
    return data


def _tier_lines(tier: TierCount, pad: str) -> list[str]:
    """The lines a tier kind adds about its own steps (``step_lines``: a biproportional tier's divisors)."""
    step_lines = getattr(tier, "step_lines", None)
    return [pad + line for line in step_lines()] if callable(step_lines) else []


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
        "tiers": [_tier_data(t) for t in result.tiers],
    }


def _steps(result: SeatResult) -> list[str]:
    """Each tier's districts: their seats, the lists below the thresholds, and the ties and how they were settled."""
    lines: list[str] = []
    several = len(result.tiers) > 1
    for tier in result.tiers:
        if several:
            lines.append(f"{tier.name} ({tier.kind}):")
        pad = "  " if several else ""
        if tier.national is not None:
            n = tier.national
            if n.excluded:
                lines.append(f"{pad}not sharing: {', '.join(n.excluded)}")
            for k, r in enumerate(n.rounds, start=1):
                share = ", ".join(f"{p} {s}" for p, s in r.share.items() if s)
                lines.append(f"{pad}national round {k} ({r.seats} seats): {share}")
                if r.overhang:
                    lines.append(f"{pad}  more seats below than their share: {', '.join(r.overhang)}")
            added = ", ".join(f"{p} {s}" for p, s in n.added.items() if s)
            lines.append(f"{pad}seats added: {added or 'none'}")
        lines += _tier_lines(tier, pad)
        for region in tier.regions:
            won = ", ".join(f"{p} {s}" for p, s in region.seats.items() if s)
            lines.append(f"{pad}to region {region.district} ({region.magnitude}): {won or 'no seats'}")
        for count in tier.districts:
            won = ", ".join(f"{p} {n}" for p, n in sorted(count.seats.items(), key=lambda kv: -kv[1]) if n)
            lines.append(f"{pad}{count.district} ({count.magnitude}): {won or 'no seats'}")
            if count.excluded:
                lines.append(f"{pad}  below the threshold: {', '.join(count.excluded)}")
            for tie in count.ties:
                lines.append(f"{pad}  tie: {', '.join(tie.tied)} for {tie.places}; {', '.join(tie.chosen)} by {tie.by}")
    return lines


def _title(result: SeatResult) -> str:
    seats_total = sum(result.totals.values())
    districts = {c.district for t in result.tiers for c in t.districts}
    where = f"{len(districts)} district" + ("" if len(districts) == 1 else "s")
    return f"{result.system}: {seats_total} seats in {where}"


def _indices_line(result: SeatResult) -> str | None:
    if _indices(result) is None:
        return None
    d = result.disproportionality()
    return (
        f"Gallagher {d.gallagher:.2f}, Loosemore-Hanby {format_decimal(d.loosemore_hanby, 2)}, "
        f"Rae {format_decimal(d.rae, 2)}, Lijphart {format_decimal(d.lijphart, 2)}, "
        f"Sainte-Laguë {format_decimal(d.sainte_lague, 2)}, D'Hondt {format_decimal(d.dhondt, 3)}"
    )


def _districts(result: SeatResult) -> list[str]:
    return list(dict.fromkeys(c.district for t in result.tiers for c in t.districts))


def seat_result_text(result: SeatResult) -> str:
    """The title, the seat tables by party (with votes) and by district, the indices, then every tier's steps."""
    tables = seats_text(result.seats, result.votes, parties=list(result.totals), districts=_districts(result))
    parts = [_title(result), tables]
    indices = _indices_line(result)
    if indices is not None:
        parts.append(indices)
    parts.append("\n".join(["Steps", "-----", *_steps(result)]))
    return "\n\n".join(parts)


def seat_result_html(result: SeatResult) -> str:
    """The seat tables of :func:`seat_result_text` as notebook HTML, the indices under them, then every tier's
    steps (as the text gives them) folded in a ``<details>`` element."""
    html = seats_html(
        result.seats, result.votes, title=_title(result), parties=list(result.totals), districts=_districts(result)
    )
    indices = _indices_line(result)
    if indices is not None:
        html += f"<p>{escape(indices)}</p>"
    steps = "\n".join(_steps(result))
    return html + f"<details><summary>Steps</summary><pre>{escape(steps)}</pre></details>"


def seat_result_page(result: SeatResult) -> str:
    """:func:`seat_result_html` as a whole page (``electoral seats --format html``): UTF-8 declared, so a
    browser opening the file reads every name as written."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(_title(result))}</title></head><body>{seat_result_html(result)}</body></html>\n"
    )
