"""RCTab's detailed report as CSV ("CSV Format Version" 1), built from the JSON report.

The CSV is a view of the JSON report (:func:`electoral.io.rctab_report`), so
the two always agree. Its layout follows the expected CSV reports of RCTab's
test suite (BrightSpots/rcv, ``src/test/resources/.../test_data``, RCTab
2.0.0), row by row:

- every figure keeps the decimal scale the JSON report gives it ("14866" in
  a round before any fractional transfer, "14866.0000" after one), because
  RCTab prints its ``BigDecimal`` values as they are. A difference (the
  ``transfer`` columns, the totals) has the larger scale of its terms, as a
  ``BigDecimal`` sum has;
- ``transfer`` is the change of a row from this round to the next, and 0 in
  the last round;
- ``% of vote`` is the tally over the active ballots, rounded to 7
  significant digits and then truncated to hundredths of a percent (6/14
  prints 42.85%). The active ballots are the round's own in a single-seat
  count (every pass of a multi-pass count, and a bottoms-up percentage
  count) or when the first round determines the threshold, and the first
  round's otherwise;
- candidates are listed in the contest's candidate order (see
  :func:`rctab_candidate_order`), every slice report in the contest's order;
- a slice report (per precinct or per batch) names its slice where the
  contest report gives its final threshold, has no threshold or residual
  surplus rows, marks the decision rows with a dagger, and ends with RCTab's
  note that decisions are the full contest's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from electoral._ties._lots import java_hash_set_order

__all__ = ["ScaledDecimal", "rctab_candidate_order", "rctab_report_csv"]

_INACTIVE: Final = (
    ("overvotes", "Overvotes"),
    ("skippedRankings", "Skipped Rankings"),
    ("exhaustedChoices", "Exhausted Choices"),
    ("repeatedRankings", "Repeated Rankings"),
)
_DAGGER: Final = "\u2020"
UNDECLARED: Final = "Undeclared Write-ins"
_SLICE_NOTE: Final = "All other results on this report are at the {level} level."
TIE_NOTE: Final = "*Tie resolved in accordance with election law"


class ScaledDecimal:
    """A decimal figure with its scale, as RCTab's ``BigDecimal`` keeps it: "6" and "6.0000" differ.

    >>> a, b = ScaledDecimal.parse("9452"), ScaledDecimal.parse("9452.0000")
    >>> str(b - a), str(a + ScaledDecimal.parse("0.5")), str(ScaledDecimal.parse("-178.0000"))
    ('0.0000', '9452.5', '-178.0000')
    """

    __slots__ = ("scale", "value")

    def __init__(self, value: Fraction, scale: int) -> None:
        self.value = value
        self.scale = scale

    @classmethod
    def parse(cls, text: str) -> ScaledDecimal:
        return cls(Fraction(text), len(text.partition(".")[2]))

    def __add__(self, other: ScaledDecimal) -> ScaledDecimal:
        return ScaledDecimal(self.value + other.value, max(self.scale, other.scale))

    def __sub__(self, other: ScaledDecimal) -> ScaledDecimal:
        return ScaledDecimal(self.value - other.value, max(self.scale, other.scale))

    def __str__(self) -> str:
        scaled = abs(self.value.numerator) * 10**self.scale // self.value.denominator
        sign = "-" if self.value < 0 else ""
        if not self.scale:
            return f"{sign}{scaled}"
        whole, frac = divmod(scaled, 10**self.scale)
        return f"{sign}{whole}.{frac:0{self.scale}d}"


_ZERO: Final = ScaledDecimal(Fraction(0), 0)


def _total(figures: Sequence[ScaledDecimal]) -> ScaledDecimal:
    total = _ZERO
    for figure in figures:
        total = total + figure
    return total


def _significant(value: Fraction, digits: int) -> Fraction:
    """``value`` rounded half-even to ``digits`` significant digits (Java's ``MathContext.DECIMAL32`` has 7)."""
    if not value:
        return value
    exponent = 0
    size = abs(value)
    while size >= 10**digits:
        size /= 10
        exponent += 1
    while size < 10 ** (digits - 1):
        size *= 10
        exponent -= 1
    return Fraction(round(size)) * Fraction(10) ** exponent * (1 if value > 0 else -1)


def percent(part: Fraction, whole: Fraction) -> str:
    """A share as RCTab prints it: 7 significant digits, then truncated to hundredths of a percent.

    >>> percent(Fraction(6), Fraction(14)), percent(Fraction(1), Fraction(1)), percent(Fraction(0), Fraction(3))
    ('42.85%', '100.0%', '0.0%')
    """
    if not whole:
        return ""
    hundredths = int(_significant(part / whole, 7) * 10000)
    return f"{hundredths / 100!r}%"


def rctab_candidate_order(report: Mapping[str, Any]) -> list[str]:
    """The candidates of a report in RCTab's CSV order: by first-round tally, highest first.

    RCTab sorts the entries of its first-round tally, a Java ``HashMap`` keyed
    by name, with a stable sort; so candidates with equal first-round
    tallies keep the map's iteration order (by ``String.hashCode`` bucket,
    see :func:`electoral._ties._lots.java_hash_set_order`), not the
    config's order or the alphabet. The expected CSV reports of RCTab's test
    suite with tied first rounds (``tiebreak_seed_test``, ``nist_xml_cdf_2``,
    the ``unisyn_xml_cdf_*`` cases) list their candidates in this order.
    """
    first = report["results"][0]["tally"]
    # the map holds the undeclared write-ins too (its size sets the buckets), but they are listed last
    # whatever their tally (``multi_seat_uwi_test``, ``uwi_cannot_win_test``, ``unisyn_xml_cdf_city_mayor``)
    return sorted(java_hash_set_order(list(first)), key=lambda name: (name == UNDECLARED, -Fraction(first[name])))


def _decisions(rounds: Sequence[Mapping[str, Any]], key: str, tied: Sequence[str]) -> list[str]:
    return ["; ".join(t[key] + ("*" if t[key] in tied else "") for t in r["tallyResults"] if key in t) for r in rounds]


def rctab_report_csv(
    report: Mapping[str, Any],
    *,
    winners: Sequence[str] = (),
    tied: Sequence[str] = (),
    candidates: Sequence[str] | None = None,
    single_winner: bool | None = None,
    round_share: bool | None = None,
    number_to_elect: str | None = None,
    num_candidates: int | None = None,
    surpluses: bool | None = None,
    slice: tuple[str, str] | None = None,
) -> str:
    """The detailed report as RCTab's CSV, built from the JSON form so that the two always agree.

    ``winners`` are listed in the order RCTab elected them; ``tied`` names
    the candidates whose election or elimination a tie-break decided (they
    are starred, with RCTab's footnote). ``candidates`` is the row order
    (default :func:`rctab_candidate_order` of this report; a slice report
    takes the contest's). ``single_winner`` (default: one seat) gives the
    "Type of Election"; ``round_share`` (default: one seat) says whether
    ``% of vote`` divides by each round's active ballots rather than the
    first round's; ``number_to_elect`` and ``num_candidates`` replace the
    summary's figures; ``surpluses`` (default: more than one seat) adds the
    "Final Round Surplus" row. ``slice`` is ``(kind, id)`` for a per-precinct
    or per-batch report, e.g. ``("Precinct", "MINNEAPOLIS W-1 P-02")``.
    """
    config, summary, rounds = report["config"], report["summary"], report["results"]
    seats = summary["numWinners"]
    single = seats == 1 if single_winner is None else single_winner
    by_round = seats <= 1 if round_share is None else round_share
    surplus_row = seats > 1 if surpluses is None else surpluses
    order = list(rctab_candidate_order(report) if candidates is None else candidates)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    place = [slice[0], slice[1]] if slice is not None else ["Final Threshold", summary["finalThreshold"]]
    writer.writerows(
        [
            ["Contest Information"],
            ["Generated By", config["generatedBy"]],
            ["CSV Format Version", "1"],
            ["Type of Election", "Single-Winner" if single else "Multi-Winner"],
            ["Contest", config["contest"]],
            ["Jurisdiction", config["jurisdiction"]],
            ["Office", config["office"]],
            ["Date", config["date"]],
            ["Winner(s)", ", ".join(winners)],
            place,
            [],
            ["Contest Summary"],
            ["Number to be Elected", seats if number_to_elect is None else number_to_elect],
            ["Number of Candidates", summary["numCandidates"] if num_candidates is None else num_candidates],
            ["Total Number of Ballots", summary["totalNumBallots"]],
            ["Number of Undervotes (No Rankings)", summary["undervotes"]],
            [],
        ]
    )
    header = ["Rounds"]
    for r in rounds:
        header += [f"Round {r['round']} Votes", "% of vote", "transfer"]
    writer.writerow(header)
    mark = _DAGGER if slice is not None else ""
    for key, label in (("eliminated", "Eliminated"), ("elected", "Elected")):
        writer.writerow([label + mark, *[x for cell in _decisions(rounds, key, tied) for x in (cell, "", "")]])
    tallies = [{n: ScaledDecimal.parse(v) for n, v in r["tally"].items()} for r in rounds]
    final_surplus = [ScaledDecimal.parse(r["inactiveBallots"].get("finalRoundSurplus", "0")) for r in rounds]
    active = [_total(list(t.values())) + s for t, s in zip(tallies, final_surplus, strict=True)]
    last = len(rounds) - 1

    def moves(figures: Sequence[ScaledDecimal]) -> list[str]:
        return [str(figures[i + 1] - figures[i]) if i < last else "0" for i in range(len(figures))]

    for name in order:
        figures = [t.get(name, _ZERO) for t in tallies]
        row = [name]
        for index, (figure, move) in enumerate(zip(figures, moves(figures), strict=True)):
            divisor = active[index] if by_round else active[0]
            row += [str(figure), percent(figure.value, divisor.value), move]
        writer.writerow(row)
    writer.writerow(["Active Ballots", *[x for a in active for x in (str(a), "", "")]])
    if slice is None:
        writer.writerow(["Current Round Threshold", *[x for r in rounds for x in (r["threshold"], "", "")]])
    inactive_total = [_ZERO] * len(rounds)
    for key, label in _INACTIVE:
        figures = [ScaledDecimal.parse(r["inactiveBallots"][key]) for r in rounds]
        inactive_total = [a + b for a, b in zip(inactive_total, figures, strict=True)]
        writer.writerow(
            [
                f"Inactive Ballots by {label}",
                *[x for f, m in zip(figures, moves(figures), strict=True) for x in (str(f), "", m)],
            ]
        )
    writer.writerow(
        [
            "Inactive Ballots Total",
            *[x for f, m in zip(inactive_total, moves(inactive_total), strict=True) for x in (str(f), "", m)],
        ]
    )
    residual = [_ZERO]
    for r in rounds[:-1]:
        moved = [
            ScaledDecimal.parse(t["transfers"]["residual surplus"])
            for t in r["tallyResults"]
            if "residual surplus" in t["transfers"]
        ]
        residual.append(residual[-1] + _total(moved))
    if slice is None and residual[-1].value > 0:
        writer.writerow(["Residual surplus", *[x for f in residual for x in (str(f), "", "")]])
    if surplus_row:
        # RCTab leaves the cell blank for an unscaled zero (``BigDecimal.equals(ZERO)``), not for "0.0000"
        cells = [r["inactiveBallots"].get("finalRoundSurplus", "0") for r in rounds]
        cells = ["" if c == "0" else c for c in cells]
        writer.writerow(["Final Round Surplus", *[x for c in cells for x in (c, "", "")]])
    if slice is not None:
        level = slice[0].lower()
        note = f"{_DAGGER}Elect/Eliminate decisions are from the full contest. {_SLICE_NOTE.format(level=level)}"
        writer.writerows([[], [note]])
    if tied:
        writer.writerows([[], [TIE_NOTE]])
    return out.getvalue()
