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
- the CSV form is :func:`electoral.io._rctab_csv.rctab_report_csv`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Final

from electoral._arith import whole
from electoral._model import Candidate
from electoral._result import Result, Round, Votes
from electoral._version import __version__
from electoral.io._rctab_csv import rctab_report_csv

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
