"""RCTab's slice reports: one detailed report per precinct (``tabulateByPrecinct``) or batch (``tabulateByBatch``).

Each slice's ballots are counted along the contest's decisions (see
:func:`electoral.slices`), and written as RCTab 2.0 writes them, in the
folders ``Tabulate by Precinct/`` and ``Tabulate by Batch/``, as the
expected files of RCTab's test suite show (``2013_minneapolis_mayor``,
``2017_minneapolis_mayor``, ``batch_example``, ``generic_csv_test``,
``minneapolis_multi_seat_threshold``, ``missing_precinct_example``,
``precinct_example``):

- a file is named ``<case>_<slice>_precinct_detailed_report.json`` (or
  ``_batch_``, and ``.csv``), where ``<case>`` is the config's file name
  without ``_config.json`` and ``<slice>`` the label with every character
  but ASCII letters, digits, ``_``, ``-`` and ``.`` replaced by ``_``
  (RCTab's ``ResultsWriter.sanitizeStringForOutput``); two labels that
  come out alike get ``_2``, ``_3``... in the order the labels first appear;
- the JSON is the detailed report of the slice, with the slice's label as
  ``config.precinct`` (or ``config.batch``), the contest's threshold in
  every round and as ``finalThreshold``, and the slice's own ballots in
  ``totalNumBallots`` and ``undervotes``;
- the CSV is the detailed CSV report with the slice's label in place of the
  ``Final Threshold`` line, no ``Current Round Threshold`` line, the
  decision rows marked ``Eliminated†`` and ``Elected†``, the candidates in
  the contest's order, and the footnote "†Elect/Eliminate decisions are
  from the full contest. All other results on this report are at the
  precinct level." (or "batch level").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from electoral._result import Result
from electoral.errors import OptionError
from electoral.io._rctab import rctab_reports, report_json_text, slice_csv_layout
from electoral.io._rctab_config import RctabContest, artifact_prefix, tabulate_rctab
from electoral.io._rctab_csv import rctab_report_csv
from electoral.rules._ranked._slices import slices

__all__ = ["SLICE_FOLDERS", "rctab_slices", "slice_artifacts", "slice_file_label"]

#: the folder RCTab writes each kind of slice into
SLICE_FOLDERS: Final = {"precinct": "Tabulate by Precinct", "batch": "Tabulate by Batch"}
_UNSAFE: Final = re.compile(r"[^a-zA-Z0-9_\-.]")
_FOOTNOTE: Final = (
    "†Elect/Eliminate decisions are from the full contest. All other results on this report are at the {} level."
)


def slice_file_label(label: str, taken: set[str]) -> str:
    """The label as a file name part, unique among ``taken`` (which it joins).

    >>> taken = set()
    >>> slice_file_label("MINNEAPOLIS W-1 P-01", taken), slice_file_label("MINNEAPOLIS W-1/P-01", taken)
    ('MINNEAPOLIS_W-1_P-01', 'MINNEAPOLIS_W-1_P-01_2')
    """
    safe = _UNSAFE.sub("_", label)
    name, number = safe, 2
    while name in taken:
        name, number = f"{safe}_{number}", number + 1
    taken.add(name)
    return name


def rctab_slices(contest: RctabContest, kind: str, result: Result | None = None) -> dict[str, Result]:
    """The contest's count broken down by ``kind`` ("precinct" or "batch"): label -> the slice's Result."""
    if kind not in SLICE_FOLDERS:
        raise OptionError(f"a slice is a precinct or a batch, not {kind!r}")
    if result is None:
        result = tabulate_rctab(contest)
    return slices(result, contest.slices.get(kind, {}))


def slice_artifacts(contest: RctabContest, result: Result | None = None) -> dict[str, str]:
    """Every slice report RCTab writes for the config's ``outputSettings``: relative path -> text.

    Multi-pass contests (``multiPassIrv``) have no slice reports here: RCTab's
    test suite has none, to show how it names them per pass. The CSV is the
    contest CSV writer's slice form (``rctab_slice_report_csv``), with the
    contest's part of it (:func:`slice_csv_layout`) worked out once.
    """
    if not contest.slices or contest.mode == "multiPassIrv":
        return {}
    if result is None:
        result = tabulate_rctab(contest)
    (report,) = rctab_reports(contest, result)
    files: dict[str, str] = {}
    case = artifact_prefix(contest)
    layout = slice_csv_layout(contest, result)
    for kind, folder in SLICE_FOLDERS.items():
        if kind not in contest.slices:
            continue
        taken: set[str] = set()
        for label, part in rctab_slices(contest, kind, result).items():
            (piece,) = rctab_reports(contest, part)
            piece = _slice_report(piece, report, kind, label)
            stem = f"{folder}/{case}_{slice_file_label(label, taken)}_{kind}_detailed_report"
            files[f"{stem}.json"] = report_json_text(piece)
            files[f"{stem}.csv"] = rctab_report_csv(piece, **layout, slice=(kind.capitalize(), label))
    return files


def _slice_report(piece: dict[str, Any], report: Mapping[str, Any], kind: str, label: str) -> dict[str, Any]:
    piece["config"] = {**piece["config"], kind: label}
    # every figure of the contest's decisions is the contest's: its threshold in each round
    for mine, theirs in zip(piece["results"], report["results"], strict=True):
        mine["threshold"] = theirs["threshold"]
    piece["summary"] = {**piece["summary"], "finalThreshold": report["summary"]["finalThreshold"]}
    return piece
