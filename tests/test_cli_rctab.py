"""``electoral rctab`` and ``electoral tabulate`` on CVR files, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from electoral.cli import main


def _comparable(report: dict[str, object]) -> dict[str, object]:
    config = dict(report["config"])  # type: ignore[call-overload]
    config.pop("generatedBy")
    config.pop("date")
    return {**report, "config": config}


def test_rctab_writes_the_expected_report(
    rctab_suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = rctab_suite / "tiebreak_seed_test"
    out_json, out_csv = tmp_path / "report.json", tmp_path / "report.csv"
    assert (
        main(["rctab", str(case / "tiebreak_seed_test_config.json"), "--json", str(out_json), "--csv", str(out_csv)])
        == 0
    )
    expected = json.loads((case / "tiebreak_seed_test_expected_detailed_report.json").read_text())
    assert _comparable(json.loads(out_json.read_text())) == _comparable(expected)
    csv_text = out_csv.read_text()
    assert "Winner(s),George Gervin" in csv_text
    assert "33.33%" in csv_text  # 3/9 truncated, as RCTab prints it
    assert str(out_json) in capsys.readouterr().out


def test_multi_pass_contests_write_one_file_per_pass(rctab_suite: Path, tmp_path: Path) -> None:
    case = rctab_suite / "sequential_with_batch"
    status = main(["rctab", str(case / "sequential_with_batch_config.json"), "--json", str(tmp_path / "out.json")])
    assert status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out_1.json", "out_2.json", "out_3.json"]
    # each pass elects one: A, then B, then C (RCTab's expected reports for this case)
    winners = [
        next(
            t["elected"]
            for r in json.loads((tmp_path / f"out_{n}.json").read_text())["results"]
            for t in r["tallyResults"]
            if "elected" in t
        )
        for n in (1, 2, 3)
    ]
    assert winners == ["A", "B", "C"]


def test_a_bad_config_prints_one_line_and_writes_nothing(
    rctab_suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = json.loads((rctab_suite / "tiebreak_seed_test/tiebreak_seed_test_config.json").read_text())
    config["rules"]["maxSkippedRanksAllowed"] = "-3"
    config["cvrFileSources"][0]["filePath"] = str(rctab_suite / "_shared/tiebreak_cvr.xlsx")
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    out = tmp_path / "out.json"
    assert main(["rctab", str(path), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "rules.maxSkippedRanksAllowed" in err
    assert not out.exists()


def test_rctab_needs_an_output(rctab_suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rctab", str(rctab_suite / "tiebreak_seed_test/tiebreak_seed_test_config.json")]) == 2
    assert "--json" in capsys.readouterr().err


def test_tabulate_reads_a_cvr_format(rctab_suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rctab_suite / "test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json"
    status = main(
        ["tabulate", str(path), "--rule", "plurality", "--read-option", "contest=test set 1", "--format", "json"]
    )
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert sum(result["rounds"][0]["tally"].values()) <= 15


def test_tabulate_reader_option_errors_are_one_line(rctab_suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = rctab_suite / "_shared/tiebreak_cvr.xlsx"
    assert main(["tabulate", str(path), "--rule", "plurality", "--read-option", "ranks=many"]) == 2
    assert "ranks must be a whole number" in capsys.readouterr().err
