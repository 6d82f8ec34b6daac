"""RCTab's detailed report, from a :class:`~electoral.Result`: JSON (``jsonFormatVersion`` "1") and CSV.

The report is a view of the result and never recounts. Its layout follows
the expected reports of RCTab's test suite (schema in the conformance
suite's README):

- figures are decimal strings; whole figures print without a fraction, and
  fractional ones with the contest's ``decimalPlacesForVoteArithmetic``
  places (values are truncated, as RCTab's arithmetic is);
- ``inactiveBallots`` gives the four reasons; ballots that rank nobody are
  ``undervotes`` in the summary, not inactive;
- the transfers listed under a decision in round r are the ballots moved
  while tallying round r+1;
- in the CSV, percentages are truncated to two places (6/14 prints 42.85%).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from electoral._arith import whole
from electoral._model import Candidate
from electoral._result import Result, Round, Votes
from electoral._version import __version__

__all__ = ["rctab_report", "rctab_report_csv", "rctab_votes"]

JSON_FORMAT_VERSION: Final = "1"
_INACTIVE: Final = (
    ("overvotes", "overvote"),
    ("skippedRankings", "skipped rankings"),
    ("exhaustedChoices", "exhausted choices"),
    ("repeatedRankings", "repeated rankings"),
)
_UNDERVOTE: Final = "undervote"
_SURPLUS: Final = ("final round surplus", "finalRoundSurplus")
_SINKS: Final = {"exhausted": "exhausted", "residual-surplus": "residual surplus"}


def rctab_votes(value: Votes | Fraction, places: int) -> str:
    """A vote figure as RCTab prints it: an ``int`` plain, a ``Fraction`` truncated to ``places`` decimals.

    RCTab's figures carry a decimal scale once a fractional transfer has
    touched them, and print it even when they are whole ("6.0000"); the
    rules mark such figures by making them Fractions (see
    :mod:`electoral.rules._stv_rctab`).

    >>> rctab_votes(12, 4), rctab_votes(Fraction(29003, 4), 4), rctab_votes(Fraction(6), 4)
    ('12', '7250.7500', '6.0000')
    >>> rctab_votes(Fraction(-1, 3), 4)
    '-0.3333'
    """
    if not isinstance(value, Fraction):
        return str(int(value))
    exact = value
    scaled = abs(exact.numerator) * 10**places // exact.denominator
    sign = "-" if exact < 0 else ""
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _threshold(round_: Round) -> Votes | None:
    """The threshold in votes: the round's quota, else its threshold share of the denominator.

    A whole figure is an int here (RCTab prints its threshold without decimals
    unless ``threshold_places`` says otherwise).
    """
    if round_.threshold is None:  # RCTab prints no threshold for a round with no active votes
        return None
    votes = Fraction(round_.quota) if round_.quota is not None else round_.threshold * round_.denominator
    return whole(votes)


def _tally_results(round_: Round, places: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    sums: dict[Candidate, dict[str, Votes]] = {}
    for transfer in round_.transfers:
        # RCTab's own labels for the two places votes go that are not candidates
        target = transfer.target.name if transfer.target is not None else _SINKS[transfer.kind]
        bucket = sums.setdefault(transfer.source, {})
        # an int stays an int: only Fractions print with decimals
        bucket[target] = bucket[target] + transfer.votes if target in bucket else transfer.votes
    by_source = {c: {t: rctab_votes(v, places) for t, v in moves.items()} for c, moves in sums.items()}
    # RCTab lists several winners or eliminations of one round by name (its report keeps a sorted map)
    for key, people in (("elected", round_.elected), ("eliminated", round_.eliminated)):
        for candidate in sorted(people, key=lambda c: c.name):
            out.append({key: candidate.name, "transfers": by_source.get(candidate, {})})
    return out


def _undervotes(result: Result) -> int:
    election = result.election
    return sum(b.count for b in election.ballots if b.is_blank) + election.blank


def rctab_report(
    result: Result,
    *,
    contest: str = "",
    date: str = "",
    jurisdiction: str = "",
    office: str = "",
    decimal_places: int = 4,
    seats: int | None = None,
    threshold_places: int | None = None,
) -> dict[str, Any]:
    """The detailed report as a JSON-ready dict.

    ``threshold_places``, if given, prints every threshold with that many
    decimals: RCTab's bottoms-up percentage threshold is the percentage (a
    decimal of scale 2 for a whole percentage) times the active votes, and
    keeps that scale ("2.25", "3.90").
    """

    def threshold_text(value: Votes | None) -> str:
        if value is None:
            return ""
        if threshold_places is not None:
            return rctab_votes(Fraction(value), threshold_places)
        return rctab_votes(value, decimal_places)

    rounds: list[dict[str, Any]] = []
    for round_ in result.rounds:
        inactive = {key: rctab_votes(round_.set_aside.get(reason, 0), decimal_places) for key, reason in _INACTIVE}
        for reason, key in (_SURPLUS,):
            if reason in round_.set_aside:
                inactive[key] = rctab_votes(round_.set_aside[reason], decimal_places)
        threshold = _threshold(round_)
        rounds.append(
            {
                "round": round_.number,
                "tally": {c.name: rctab_votes(v, decimal_places) for c, v in round_.tally.items()},
                "threshold": threshold_text(threshold),
                "inactiveBallots": inactive,
                "tallyResults": _tally_results(round_, decimal_places),
            }
        )
    final = _threshold(result.rounds[-1]) if result.rounds else None
    election = result.election
    return {
        "jsonFormatVersion": JSON_FORMAT_VERSION,
        "config": {
            "contest": contest or election.title,
            "date": date,
            "jurisdiction": jurisdiction,
            "office": office,
            "generatedBy": f"electoral {__version__}",
        },
        "summary": {
            "finalThreshold": threshold_text(final),
            "numCandidates": len(election.candidates),
            "numWinners": election.seats if seats is None else seats,
            "totalNumBallots": str(election.cast),
            "undervotes": _undervotes(result),
        },
        "results": rounds,
    }


def _percent(part: Fraction, whole: Fraction) -> str:
    if not whole:
        return "0.0%"
    hundredths = int(part * 10000 / whole)  # truncated, as RCTab prints it
    whole_part, frac = divmod(hundredths, 100)
    return (
        f"{whole_part}.{frac:02d}%".replace(".00%", ".0%") if frac % 10 or frac == 0 else f"{whole_part}.{frac // 10}%"
    )


def rctab_report_csv(report: Mapping[str, Any], *, winners: Sequence[str] = (), tied: Sequence[str] = ()) -> str:
    """The detailed report as RCTab's CSV, built from the JSON form so that the two always agree.

    ``tied`` names the candidates whose election or elimination a tie-break
    decided; they are starred, with RCTab's footnote.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    config, summary, rounds = report["config"], report["summary"], report["results"]
    multi = summary["numWinners"] > 1
    writer.writerows(
        [
            ["Contest Information"],
            ["Generated By", config["generatedBy"]],
            ["CSV Format Version", "1"],
            ["Type of Election", "Multi-Winner" if multi else "Single-Winner"],
            ["Contest", config["contest"]],
            ["Jurisdiction", config["jurisdiction"]],
            ["Office", config["office"]],
            ["Date", config["date"]],
            ["Winner(s)", ", ".join(winners)],
            ["Final Threshold", summary["finalThreshold"]],
            [],
            ["Contest Summary"],
            ["Number to be Elected", summary["numWinners"]],
            ["Number of Candidates", summary["numCandidates"]],
            ["Total Number of Ballots", summary["totalNumBallots"]],
            ["Number of Undervotes (No Rankings)", summary["undervotes"]],
            [],
        ]
    )
    header = ["Rounds"]
    for r in rounds:
        header += [f"Round {r['round']} Votes", "% of vote", "transfer"]
    writer.writerow(header)
    for key, label in (("eliminated", "Eliminated"), ("elected", "Elected")):
        row = [label]
        for r in rounds:
            decided = [t[key] + ("*" if t[key] in tied else "") for t in r["tallyResults"] if key in t]
            row += ["; ".join(decided), "", ""]
        writer.writerow(row)
    names: list[str] = []
    for r in rounds:
        for name in r["tally"]:
            if name not in names:
                names.append(name)
    totals = [sum((Fraction(v) for v in r["tally"].values()), Fraction(0)) for r in rounds]
    for name in sorted(names, key=lambda n: -Fraction(rounds[0]["tally"].get(n, "0"))):
        row = [name]
        for index, r in enumerate(rounds):
            votes = r["tally"].get(name, "0")
            moved = Fraction(0)
            for t in r["tallyResults"]:
                for target, amount in t["transfers"].items():
                    if target == name:
                        moved += Fraction(amount)
                if t.get("eliminated") == name or t.get("elected") == name:
                    moved -= sum((Fraction(a) for a in t["transfers"].values()), Fraction(0))
            row += [votes, _percent(Fraction(votes), totals[index]), rctab_votes(moved, 4)]
        writer.writerow(row)
    writer.writerow(["Active Ballots", *[x for i, r in enumerate(rounds) for x in (rctab_votes(totals[i], 4), "", "")]])
    writer.writerow(["Current Round Threshold", *[x for r in rounds for x in (r["threshold"], "", "")]])
    inactive_total = [Fraction(0)] * len(rounds)
    for key, label in (
        ("overvotes", "Overvotes"),
        ("skippedRankings", "Skipped Rankings"),
        ("exhaustedChoices", "Exhausted Choices"),
        ("repeatedRankings", "Repeated Rankings"),
    ):
        row = [f"Inactive Ballots by {label}"]
        for index, r in enumerate(rounds):
            now = Fraction(r["inactiveBallots"][key])
            later = Fraction(rounds[index + 1]["inactiveBallots"][key]) if index + 1 < len(rounds) else now
            inactive_total[index] += now
            row += [r["inactiveBallots"][key], "", rctab_votes(later - now, 4)]
        writer.writerow(row)
    row = ["Inactive Ballots Total"]
    for index, total in enumerate(inactive_total):
        later = inactive_total[index + 1] if index + 1 < len(rounds) else total
        row += [rctab_votes(total, 4), "", rctab_votes(later - total, 4)]
    writer.writerow(row)
    if tied:
        writer.writerows([[], ["*Tie resolved in accordance with election law"]])
    return out.getvalue()
