"""electoral seats FOLDER --system NAME: the published Madrid 2011 council, JSON, and refusals (exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from electoral.cli import main

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
MADRID = ROOT / "data" / "parliaments" / "es" / "es_loc_madrid_2011"


@pytest.fixture
def madrid() -> Path:
    if not MADRID.is_dir():
        pytest.skip(f"parliament data not found at {MADRID}; set ELECTORAL_SHARED to the shared folder")
    return MADRID


def test_text_and_json(madrid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The published seats (expected_seats.csv, meta rows): P.P. 31, P.S.O.E. 15, IU-LV 6, UPyD 5."""
    assert main(["seats", str(madrid), "--system", "spain-municipal", "--year", "2011"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("spain-municipal: 57 seats in 1 district\n")
    assert "* (57): P.P. 31, P.S.O.E. 15, IU-LV 6, UPyD 5" in text
    assert main(["seats", str(madrid), "--system", "spain-municipal", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p: n for p, n in data["totals"].items() if n} == {"P.P.": 31, "P.S.O.E.": 15, "IU-LV": 6, "UPyD": 5}
    district = data["tiers"][0]["districts"][0]
    assert [q["seat"] for q in district["quotients"] if q["seat"]] == list(range(1, 58))
    assert data["disproportionality"]["loosemore_hanby"].count("/") == 1  # exact


def test_a_system_json_file(madrid: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    law = {"name": "no-threshold", "tiers": [{"kind": "districts", "name": "city", "method": {"name": "dhondt"}}]}
    (tmp_path / "law.json").write_text(json.dumps(law), encoding="utf-8")
    assert main(["seats", str(madrid), "--system", str(tmp_path / "law.json"), "--format", "json"]) == 0
    assert sum(json.loads(capsys.readouterr().out)["totals"].values()) == 57


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--system", "nope"], "no system preset 'nope'"),
        (["--system", "spain-municipal", "--year", "1980"], "covers 1987 onwards, not 1980"),
        (["--system", "spain-municipal", "--year", "x"], "--year must be a whole number"),
    ],
)
def test_refusals_exit_2(madrid: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str) -> None:
    assert main(["seats", str(madrid), *extra]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_a_bad_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seats", str(tmp_path), "--system", "spain-municipal"]) == 2
    assert "votes.csv: the folder has no such file" in capsys.readouterr().err


def test_html_is_a_whole_page_that_declares_its_encoding(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Norway's names (Østfold, Høyre) read as written only when the page says it is UTF-8
    folder = shared_data / "parliaments" / "no" / "no_stortingsvalg_2009"
    assert main(["seats", str(folder), "--system", "norway-storting", "--year", "2009", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    assert page.rstrip().endswith("</body></html>")
    assert "<title>norway-storting: 169 seats in 19 districts</title>" in page
    assert "Høyre [H]" in page
    assert "<details><summary>Steps</summary>" in page
