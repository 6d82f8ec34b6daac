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

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from electoral._result import Result, Round
from electoral.errors import FormatError
from electoral.io._files import write_files
from electoral.io._rctab_config import RctabContest, read_rctab_config, tabulate_rctab
from electoral.io._rctab_report import rctab_report, rctab_report_csv

__all__ = ["RctabContest", "rctab_reports", "read_rctab_config", "tabulate_rctab", "write_rctab_reports"]


def _passes(contest: RctabContest, result: Result) -> list[Result]:
    """One result per pass: a multi-pass count numbers each pass's rounds from 1."""
    if contest.mode != "multiPassIrv":
        return [result]
    groups: list[list[Round]] = []
    for round_ in result.rounds:
        if round_.number == 1 or not groups:
            groups.append([])
        groups[-1].append(round_)
    passes = []
    for group in groups:
        elected = tuple(c for r in group for c in r.elected)
        passes.append(attrs.evolve(result, rounds=tuple(group), winners=elected, ties=()))
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
    import json

    result = tabulate_rctab(contest)
    reports = rctab_reports(contest, result)
    winners: Sequence[Result] = _passes(contest, result)
    files: list[tuple[Path, str]] = []
    for number, (report, one) in enumerate(zip(reports, winners, strict=True), start=1):
        if json_path is not None:
            text = json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            files.append((_numbered(json_path, number, len(reports)), text))
        if csv_path is not None:
            tied = sorted({c.name for tie in one.ties for c in tie.chosen})
            text = rctab_report_csv(report, winners=[c.name for c in one.winners], tied=tied)
            files.append((_numbered(csv_path, number, len(reports)), text))
    return write_files([*files, *extra])
