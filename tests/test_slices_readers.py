"""The readers keep each row's precinct and batch (the slices RCTab's tabulateByPrecinct/ByBatch report on)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import SHARED
from electoral.errors import FormatError
from electoral.io import read_rctab_config
from electoral.io._csv import read_generic_csv_table
from electoral.io._ess import read_ess_table
from electoral.io._rctab_slices import slice_file_label

SUITE = SHARED / "conformance" / "rctab"
pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"RCTab conformance suite not found at {SUITE}")


def _sum(parts: dict[str, dict[tuple[object, ...], int]]) -> Counter[tuple[object, ...]]:
    total: Counter[tuple[object, ...]] = Counter()
    for records in parts.values():
        total.update(records)
    return total


@pytest.mark.parametrize(
    ("case", "column", "kind"),
    [("missing_precinct_example", 1, "precinct"), ("batch_example", 1, "batch"), ("precinct_example", 1, "precinct")],
)
def test_ess_fast_path_and_parser_give_the_same_slices(case: str, column: int, kind: str) -> None:
    path = SUITE / case / f"{case}_cvr.xlsx"
    options = {"first_row": 2, "first_column": 2, "ranks": 3, f"{kind}_column": column}
    fast = read_ess_table(path, **options)  # type: ignore[arg-type]
    slow = read_ess_table(path, **options, force_parser=True)  # type: ignore[arg-type]
    plain = read_ess_table(path, first_row=2, first_column=2, ranks=3)
    assert fast.slices == slow.slices
    assert fast.records == plain.records
    # the slices split the records: together they are the file's
    assert _sum(dict(fast.slices[kind])) == Counter(plain.records)


def test_a_blank_precinct_cell_is_rctabs_missing_precinct_id() -> None:
    # missing_precinct_example's expected files include "..._missing_precinct_id_precinct_detailed_report.json"
    # with totalNumBallots "1": one row of the sheet has no precinct
    table = read_ess_table(
        SUITE / "missing_precinct_example" / "missing_precinct_example_cvr.xlsx",
        first_row=2,
        first_column=2,
        ranks=3,
        precinct_column=1,
    )
    assert sum(table.slices["precinct"]["missing_precinct_id"].values()) == 1


def test_generic_csv_slices_by_column() -> None:
    # generic_csv_test_cvr.csv: 13 rows of p1/b1, 10 of p2/b2, 3 with neither (the expected slice files'
    # totalNumBallots: 13, 10 and 3)
    table = read_generic_csv_table(
        SUITE / "generic_csv_test" / "generic_csv_test_cvr.csv", first_column=4, precinct_column=2, batch_column=3
    )
    sizes = {kind: {label: sum(r.values()) for label, r in parts.items()} for kind, parts in table.slices.items()}
    assert sizes == {
        "precinct": {"p1": 13, "p2": 10, "no precinct id": 3},
        "batch": {"b1": 13, "b2": 10, "no batch id": 3},
    }


def test_contest_slices_hold_every_ballot_with_the_contests_candidates() -> None:
    contest = read_rctab_config(SUITE / "generic_csv_test" / "generic_csv_test_config.json")
    for parts in contest.slices.values():
        assert sum(e.cast for e in parts.values()) == contest.election.cast
        assert all(e.candidates == contest.election.candidates for e in parts.values())


def test_a_slice_output_without_a_column_or_from_another_format_is_refused(tmp_path: Path) -> None:
    case = SUITE / "generic_csv_test"
    config = json.loads((case / "generic_csv_test_config.json").read_text(encoding="utf-8"))
    config["cvrFileSources"][0]["precinctColumnIndex"] = ""
    shutil.copy(case / "generic_csv_test_cvr.csv", tmp_path)
    (tmp_path / "x_config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(FormatError, match=r"cvrFileSources\[0\]\.precinctColumnIndex: outputSettings asks"):
        read_rctab_config(tmp_path / "x_config.json")
    # RCTab aborts this case ("gracefully fail when tabulate-by-precinct option set without any precincts")
    with pytest.raises(FormatError, match=r"outputSettings\.tabulateByPrecinct: a dominion source gives no precinct"):
        read_rctab_config(
            SUITE / "tabulate_by_precinct_without_precincts" / "tabulate_by_precinct_without_precincts_config.json"
        )


def test_slice_file_names_follow_rctabs_sanitising() -> None:
    taken: set[str] = set()
    # the suite's names: "MINNEAPOLIS W-1 P-01" -> MINNEAPOLIS_W-1_P-01, "no precinct id" -> no_precinct_id
    assert slice_file_label("MINNEAPOLIS W-1 P-01", taken) == "MINNEAPOLIS_W-1_P-01"
    assert slice_file_label("no precinct id", taken) == "no_precinct_id"
    assert slice_file_label("a/b", taken) == "a_b"
    assert slice_file_label("a b", taken) == "a_b_2"
    assert slice_file_label("é.1", taken) == "_.1"
