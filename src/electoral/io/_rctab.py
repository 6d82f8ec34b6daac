"""RCTab contests end to end: config in, detailed reports out.

This is the one reader module that counts (see ``docs/design.md``): it turns
an RCTab config into a configured rule, tabulates, and writes the reports
RCTab writes. Multi-pass contests (``multiPassIrv``) give one report per
pass, written to files suffixed ``_1``, ``_2``..., as RCTab names them.

Reports are written only to the paths the caller gives (never to the
config's ``outputSettings.outputDirectory``), all or nothing (see
:func:`electoral.io._files.write_files`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from electoral._result import Result, Round, TieRecord
from electoral.errors import FormatError
from electoral.io._files import write_files
from electoral.io._rctab_config import RctabContest, read_rctab_config, tabulate_rctab
from electoral.io._rctab_csv import rctab_candidate_order
from electoral.io._rctab_report import rctab_report, rctab_report_csv

__all__ = [
    "RctabContest",
    "rctab_csv_layout",
    "rctab_reports",
    "rctab_reports_csv",
    "rctab_slice_report_csv",
    "read_rctab_config",
    "report_json_text",
    "slice_csv_layout",
    "tabulate_rctab",
    "write_rctab_reports",
]


_SURPLUS_MODES: Final = ("multiWinnerAllowMultipleWinnersPerRound", "multiWinnerAllowOnlyOneWinnerPerRound")


def _passes(contest: RctabContest, result: Result) -> list[Result]:
    """One result per pass: a multi-pass count numbers each pass's rounds from 1.

    Each pass keeps the tie-breaks made in its own rounds: the result lists
    its ties in the order they were made, each with its pass's round number,
    so a tie belongs to the first round at or after the previous tie's that
    has its number and counts its candidates.
    """
    if contest.mode != "multiPassIrv":
        return [result]
    groups: list[list[Round]] = []
    where: list[tuple[int, Round]] = []
    for round_ in result.rounds:
        if round_.number == 1 or not groups:
            groups.append([])
        groups[-1].append(round_)
        where.append((len(groups) - 1, round_))
    ties: list[list[TieRecord]] = [[] for _ in groups]
    at = 0
    for tie in result.ties:
        for index in range(at, len(where)):
            number, round_ = where[index]
            if round_.number == tie.round and all(c in round_.tally for c in tie.candidates):
                ties[number].append(tie)
                at = index
                break
    passes = []
    for rounds, own in zip(groups, ties, strict=True):
        elected = tuple(c for r in rounds for c in r.elected)
        passes.append(attrs.evolve(result, rounds=tuple(rounds), winners=elected, ties=tuple(own)))
    return passes


def rctab_reports(contest: RctabContest, result: Result | None = None) -> list[dict[str, Any]]:
    """The detailed report(s) of the contest, as JSON-ready dicts (one per pass)."""
    if result is None:
        result = tabulate_rctab(contest)
    output = contest.output

    def text(key: str) -> str:
        value = output.get(key, "")
        return value if isinstance(value, str) else str(value)

    seats = 1 if contest.mode == "multiPassIrv" else contest.winners
    threshold_places = None
    if contest.mode == "bottomsUpUsingPercentageThreshold":
        percent = str(contest.config.get("rules", {}).get("multiSeatBottomsUpPercentageThreshold", "")).strip()
        threshold_places = len(percent.partition(".")[2]) + 2  # a percentage is hundredths
    return [
        rctab_report(
            one,
            contest=text("contestName"),
            date=text("contestDate"),
            jurisdiction=text("contestJurisdiction"),
            office=text("contestOffice"),
            decimal_places=contest.decimal_places,
            seats=seats,
            threshold_places=threshold_places,
        )
        for one in _passes(contest, result)
    ]


def _flag(rules: Mapping[str, Any], key: str) -> bool:
    value = rules.get(key, False)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def rctab_csv_layout(contest: RctabContest, report: Mapping[str, Any], one: Result, number: int = 1) -> dict[str, Any]:
    """The keyword arguments of :func:`rctab_report_csv` for one pass (``number``) of the contest.

    What the CSV says that the JSON report does not, as RCTab 2.0.0's
    expected CSV reports show it:

    - "Type of Election" is Single-Winner only for ``singleWinnerMajority``
      (a multi-pass count and a bottoms-up percentage count are
      Multi-Winner);
    - "Number of Candidates" leaves out excluded candidates, and each pass of
      a multi-pass count leaves out the earlier passes' winners;
    - a bottoms-up percentage count is to elect "All candidates over the 15%
      threshold";
    - ``% of vote`` divides by each round's active ballots in a
      single-winner or bottoms-up percentage count unless the first round
      determines the threshold, and by the first round's otherwise;
    - the "Final Round Surplus" row is there when surpluses are transferred
      (the two multi-winner modes);
    - winners are listed in the order of their rounds.

    Slice reports pass the contest's ``candidates`` and their ``slice``.
    """
    rules = contest.config.get("rules", {})
    excluded = sum(1 for c in contest.config.get("candidates", []) if isinstance(c, Mapping) and _flag(c, "excluded"))
    layout: dict[str, Any] = {
        "winners": [t["elected"] for r in report["results"] for t in r["tallyResults"] if "elected" in t],
        "tied": sorted({c.name for tie in one.ties for c in tie.chosen}),
        "single_winner": contest.mode == "singleWinnerMajority",
        "round_share": contest.mode in ("singleWinnerMajority", "bottomsUpUsingPercentageThreshold")
        and not _flag(rules, "doesFirstRoundDetermineThreshold"),
        "num_candidates": report["summary"]["numCandidates"] - excluded - (number - 1),
        "surpluses": contest.mode in _SURPLUS_MODES,
    }
    if contest.mode == "bottomsUpUsingPercentageThreshold":
        percent = str(rules.get("multiSeatBottomsUpPercentageThreshold", "")).strip()
        layout["number_to_elect"] = f"All candidates over the {percent}% threshold"
    return layout


def rctab_reports_csv(contest: RctabContest, result: Result | None = None) -> list[str]:
    """The detailed report(s) of the contest as RCTab's CSV text (one per pass)."""
    if result is None:
        result = tabulate_rctab(contest)
    reports = rctab_reports(contest, result)
    passes = _passes(contest, result)
    return [
        rctab_report_csv(report, **rctab_csv_layout(contest, report, one, number))
        for number, (report, one) in enumerate(zip(reports, passes, strict=True), start=1)
    ]


def rctab_slice_report_csv(
    contest: RctabContest,
    result: Result,
    slice_report: Mapping[str, Any],
    *,
    kind: str,
    slice_id: str,
    number: int = 1,
) -> str:
    """A per-precinct or per-batch report (in RCTab's JSON layout) as RCTab's CSV.

    ``kind`` is ``"precinct"`` or ``"batch"``. The slice's own figures come
    from ``slice_report``; the winners, the candidates' order, the summary's
    wording and the tie stars are the contest's (pass ``number`` of a
    multi-pass contest), as in RCTab's slice reports, which list their
    candidates in the contest's order.
    """
    layout = slice_csv_layout(contest, result, number)
    return rctab_report_csv(slice_report, **layout, slice=(kind.capitalize(), slice_id))


def slice_csv_layout(contest: RctabContest, result: Result, number: int = 1) -> dict[str, Any]:
    """What every slice CSV of pass ``number`` takes from the contest (:func:`rctab_slice_report_csv`).

    It is the same for all the slices of a count, so a writer of many
    slices works it out once.
    """
    contest_report = rctab_reports(contest, result)[number - 1]
    layout = rctab_csv_layout(contest, contest_report, _passes(contest, result)[number - 1], number)
    layout["candidates"] = rctab_candidate_order(contest_report)
    return layout


def report_json_text(report: Mapping[str, Any]) -> str:
    """The JSON report as a file's text: keys sorted (RCTab's writer sorts them too), two-space indents."""
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _numbered(path: Path, number: int, total: int) -> Path:
    if total == 1:
        return path
    if path.name in ("", ".", ".."):
        raise FormatError("a report needs a file name, not a folder", source=str(path))
    return path.with_name(f"{path.stem}_{number}{path.suffix}")


def write_rctab_reports(
    contest: RctabContest,
    json_path: Path | None,
    csv_path: Path | None = None,
    *,
    extra: Sequence[tuple[Path, str]] = (),
) -> list[Path]:
    """Tabulate and write the JSON and/or CSV report(s); return the files written.

    ``extra`` are more ``(path, text)`` files (the command line's HTML
    report) to write with them, all or nothing.

    Everything is computed before the first file is written, and the files
    are written all or nothing: each goes to a temporary file beside its
    target, and the targets are replaced only once every report is written.
    On an error no target is changed and no temporary file is left. A target
    that is a symbolic link is written through (the file it points to gets
    the report); a folder or a device is refused.
    """
    result = tabulate_rctab(contest)
    reports = rctab_reports(contest, result)
    winners: Sequence[Result] = _passes(contest, result)
    files: list[tuple[Path, str]] = []
    for number, (report, one) in enumerate(zip(reports, winners, strict=True), start=1):
        if json_path is not None:
            text = report_json_text(report)
            files.append((_numbered(json_path, number, len(reports)), text))
        if csv_path is not None:
            text = rctab_report_csv(report, **rctab_csv_layout(contest, report, one, number))
            files.append((_numbered(csv_path, number, len(reports)), text))
    return write_files([*files, *extra])
