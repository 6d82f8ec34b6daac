"""RCTab's own tabulation test suite, run case by case.

Each case folder of the suite holds a contest config and the detailed report
RCTab produced for it. We read the config (and through it every CVR source),
tabulate, write our report, and compare it with the expected one as RCTab's
tests do: nested equality of the JSON, ignoring ``config.generatedBy`` and
the generation date. Multi-pass contests compare one report per pass.

Cases that still differ are marked ``xfail(strict=True)`` with the reason,
so that a case that starts to pass is noticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from electoral.io import rctab_reports, read_rctab_config

MISSING_INPUT = {
    "2018_maine_governor_primary": "CVR input missing from the suite copy (2018_maine_governor_primary_cvr.xlsx)",
    "dominion_kansas": "CVR input missing from the suite copy (kansas_input_data/CvrExport.json)",
}

# case -> why it still differs (reader gap or rule gap, and which option/behaviour); each is a strict
# xfail, so that a case that starts to pass fails the run until it is taken off this list
KNOWN_FAILURES: dict[str, str] = {}

SLOW = {"2013_minneapolis_mayor_scale", "2013_minneapolis_mayor", "2017_minneapolis_mayor"}


def _suite_root() -> Path:
    import os

    shared = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    return shared / "conformance" / "rctab"


def _cases(extension: str = "json", known_failures: dict[str, str] | None = None) -> list[Any]:
    """One parameter per suite case with an expected detailed report of ``extension``, marked as it must be."""
    known = KNOWN_FAILURES if known_failures is None else known_failures
    root = _suite_root()
    if not root.is_dir():
        return [pytest.param("", marks=pytest.mark.skip(reason=f"RCTab conformance suite not found at {root}"))]
    params = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        case = folder.name
        if not expected_reports(folder, extension):
            continue  # conversion and error cases have no tabulation report to compare
        marks: list[Any] = []
        if case in MISSING_INPUT:
            marks.append(pytest.mark.skip(reason=MISSING_INPUT[case]))
        elif case in known:
            marks.append(pytest.mark.xfail(strict=True, reason=known[case]))
        if case in SLOW:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(case, marks=marks, id=case))
    return params


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    config = dict(report.get("config", {}))
    config.pop("generatedBy", None)
    config.pop("date", None)
    return {**report, "config": config}


def expected_reports(folder: Path, extension: str = "json") -> list[Path]:
    """The case's expected detailed report(s) of one kind (``json`` or ``csv``), in pass order."""
    case = folder.name
    single = folder / f"{case}_expected_detailed_report.{extension}"
    if single.exists():
        return [single]
    # multi-pass contests: <case>_1_expected_detailed_report.json, <case>_2_..., one per pass
    passes = {
        p: p.name[len(case) + 1 :].partition("_")[0]
        for p in folder.glob(f"{case}_*_expected_detailed_report.{extension}")
    }
    return sorted((p for p, n in passes.items() if n.isdigit()), key=lambda p: int(passes[p]))


@pytest.mark.parametrize("case", _cases())
def test_case_matches_rctab(rctab_suite: Path, case: str) -> None:
    folder = rctab_suite / case
    contest = read_rctab_config(folder / f"{case}_config.json")
    ours = rctab_reports(contest)
    expected = [json.loads(p.read_text(encoding="utf-8")) for p in expected_reports(folder)]
    assert len(ours) == len(expected), f"{len(ours)} reports (passes), expected {len(expected)}"
    for mine, theirs in zip(ours, expected, strict=True):
        mine_c, theirs_c = _comparable(mine), _comparable(theirs)
        assert mine_c["summary"] == theirs_c["summary"]
        for index, (a, b) in enumerate(zip(mine_c["results"], theirs_c["results"], strict=False)):
            assert a == b, f"round {index + 1} differs"
        assert mine_c == theirs_c
