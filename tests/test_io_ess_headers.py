"""ES&S rank columns found from the header row, ambiguous sheets refused, and a folder of ES&S files as one contest.

Oracles: RCTab's own ES&S configs (their ``firstVoteColumnIndex`` says where
each sheet's ranks start), and the Maine Secretary of State's official
ranked-choice tabulation of the 2nd congressional district, November 2018
(round 1: Poliquin 134,184, Golden 132,013, Bond 16,552, Hoar 6,875;
round 2: Golden 142,440, Poliquin 138,931).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import electoral
from electoral import io
from electoral.errors import FormatError
from electoral.io._cvr import MarkSpec, build_election
from electoral.io._ess import _header_ranks, read_ess_table, read_ess_tables
from electoral.io._rank_headers import rank_number

POLIQUIN, GOLDEN, BOND, HOAR = "REP Poliquin, Bruce", "DEM Golden, Jared F.", "Bond, Tiffany L.", "Hoar, William R.S."
MAINE_OPTIONS = {
    "candidates": [POLIQUIN, GOLDEN, BOND, HOAR],
    # some of the county exports add the candidate's ballot code to the name
    "aliases": {f"{POLIQUIN} (5931)": POLIQUIN, f"{GOLDEN} (5471)": GOLDEN},
    "overvote_label": "overvote",
    "skipped_label": "undervote",
}


def write_sheet(path: Path, rows: list[list[str]]) -> Path:
    """A minimal xlsx: one worksheet of inline strings (``""`` leaves a cell out), at most 26 columns."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(64 + c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row, start=1)
            if v
        )
        body.append(f'<row r="{r}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_rank_header_spellings_of_real_files() -> None:
    real = {
        "Rep. to Congress District 2 1st Choice": 1,  # Maine 2018
        "Rep. to Congress 3rd Choice District 2": 3,
        "For Mayor Choice 12 (100)": 12,  # Portland 2015, in RCTab's suite
        "2ND CHOICE MAYOR MINNEAPOLIS": 2,
        "Choice 1 of 5": 1,
        "rank6": 6,  # Portland 2024, votekit's condensed files
        "4": 4,
    }
    assert {header: rank_number(header) for header in real} == real
    for other in ("Precinct", "Ballot Style", "Cast Vote Record", "CVR ID", "Ballot #", "COUNT", "District 2", ""):
        assert rank_number(other) is None, other


def _ess_configs(rctab_suite: Path) -> list[tuple[Path, int]]:
    found = []
    for config in sorted(rctab_suite.glob("*/*config*.json")):
        data = json.loads(config.read_text())
        for source in data.get("cvrFileSources", []):
            if source.get("provider") != "ess" or str(source.get("firstVoteRowIndex")) != "2":
                continue
            path = (config.parent / source["filePath"]).resolve()
            if path.is_file():
                found.append((path, int(source["firstVoteColumnIndex"])))
    return found


def test_the_header_finds_the_first_vote_column_rctabs_configs_give(rctab_suite: Path) -> None:
    sources = _ess_configs(rctab_suite)
    assert len(sources) >= 40
    for path, first_column in sources:
        assert _header_ranks(path, 2)[0] == first_column, path.name


def test_maine_is_read_from_its_ranks_not_its_precincts(shared_data: Path) -> None:
    path = shared_data / "maine-2018-cd2" / "RepCD2-8final.xlsx"
    election = io.read(path, aliases=MAINE_OPTIONS["aliases"])
    # without declared candidates every code marked is one: the rank columns hold candidates only, and
    # ES&S's own words for an overvote and a skipped rank are read as such by default
    assert not {"Blue Hill", "CAN Ballot Style 53"} & set(election.names)
    assert set(election.names) == set(MAINE_OPTIONS["candidates"])
    explicit = read_ess_table(path, first_column=4, ranks=5)
    assert read_ess_table(path).records == explicit.records


def test_one_name_with_and_without_a_vendor_code_is_refused_not_split(shared_data: Path) -> None:
    # Counted apart, Golden's votes fall into two piles and Poliquin is elected; the reader refuses instead
    path = shared_data / "maine-2018-cd2"
    with pytest.raises(FormatError) as caught:
        io.read(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: the records mark both ")
    assert f"'{POLIQUIN}' and '{POLIQUIN} (5931)'" in text
    assert "aliases=" in text
    assert "\n" not in text


def test_explicit_columns_still_win(shared_data: Path) -> None:
    path = shared_data / "maine-2018-cd2" / "RepCD2-8final.xlsx"
    precincts = io.read(path, first_column=2, ranks=1)
    assert "Blue Hill" in precincts.names
    two = read_ess_table(path, ranks=2)
    assert {len(record) for record in two.records} <= {0, 1, 2}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["Cast Vote Record", "Precinct", "Ballot Style"], "no column's header names rank 1"),
        (["Id", "Mayor 1st Choice", "Mayor 2nd Choice", "Council 1st Choice"], "2 runs of rank columns"),
        (["Id", "Choice 1", "Choice 2", "Precinct", "Choice 3"], "column E 'Choice 3' also names a rank"),
        (["Id", "Choice 1", "Choice 1"], "2 runs of rank columns, column B 'Choice 1' and column C"),
    ],
)
def test_an_ambiguous_header_is_refused_naming_file_row_and_columns(
    tmp_path: Path, header: list[str], message: str
) -> None:
    path = write_sheet(tmp_path / "cvr.xlsx", [header, ["1", "Ann", "Bob", "Cy", "Dee"][: len(header)]])
    with pytest.raises(FormatError) as caught:
        io.read(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: row 1: ")
    assert message in text
    assert "pass first_column=" in text
    assert "\n" not in text
    # the explicit option settles it
    assert io.read(path, first_column=2, ranks=1).names == ("Ann",)


def test_two_contests_name_both_runs(tmp_path: Path) -> None:
    header = ["Id", "Mayor 1st Choice", "Mayor 2nd Choice", "Council 1st Choice", "Council 2nd Choice"]
    path = write_sheet(tmp_path / "cvr.xlsx", [header, ["1", "A", "B", "C", "D"]])
    with pytest.raises(FormatError, match=r"columns B 'Mayor 1st Choice' to C 'Mayor 2nd Choice' and columns D"):
        io.read(path)


def test_without_a_header_row_the_columns_must_be_given(tmp_path: Path) -> None:
    path = write_sheet(tmp_path / "cvr.xlsx", [["1", "Ann", "Bob"]])
    with pytest.raises(FormatError, match="first_row is 1, so the sheet has no header row"):
        io.read(path, first_row=1)
    assert io.read(path, first_row=1, first_column=2).names == ("Ann", "Bob")


def _maine_rounds(election: electoral.Election) -> list[dict[str, int]]:
    result = electoral.tabulate(election, "instant-runoff", max_skipped_ranks=1, batch_elimination=True)
    assert [c.name for c in result.winners] == [GOLDEN]
    return [{c.name: int(v) for c, v in r.tally.items()} for r in result.rounds]


def test_maine_2018_cd2_counts_from_its_folder_to_the_official_result(shared_data: Path) -> None:
    folder = shared_data / "maine-2018-cd2"
    election = io.read(folder, **MAINE_OPTIONS)
    assert election.cast == 296_077
    rounds = _maine_rounds(election)
    assert rounds == [
        {POLIQUIN: 134_184, GOLDEN: 132_013, BOND: 16_552, HOAR: 6_875},
        {POLIQUIN: 138_931, GOLDEN: 142_440},
    ]


def test_the_folder_reads_as_its_files_read_one_by_one(shared_data: Path) -> None:
    # the RCTab path (one cvrFileSources entry per file, columns given) and the folder path agree
    folder = shared_data / "maine-2018-cd2"
    files = sorted(folder.glob("*.xlsx"))
    tables = read_ess_tables(files, first_row=2, first_column=4, ranks=None)
    options = {k: v for k, v in MAINE_OPTIONS.items() if k != "candidates"}
    one_by_one = build_election(tables, MarkSpec(candidates=tuple(MAINE_OPTIONS["candidates"]), **options))
    folder_read = io.read(folder, **MAINE_OPTIONS)
    assert folder_read.candidates == one_by_one.candidates
    # the same ballots, merged in another order
    assert Counter(folder_read.ballots) == Counter(one_by_one.ballots)


def test_the_cli_counts_a_folder(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from electoral.cli import main

    aliases = ["--read-option", "aliases=" + json.dumps(MAINE_OPTIONS["aliases"])]
    code = main(["tabulate", str(shared_data / "maine-2018-cd2"), "--rule", "plurality", "--format", "json", *aliases])
    out = capsys.readouterr().out
    assert code == 0
    tally = json.loads(out)["rounds"][0]["tally"]
    assert set(tally) == set(MAINE_OPTIONS["candidates"])
    election = io.read(shared_data / "maine-2018-cd2", aliases=MAINE_OPTIONS["aliases"])
    library = electoral.tabulate(election, "plurality").rounds[0].tally
    assert tally == {c.name: int(v) for c, v in library.items()}
    assert sum(tally.values()) < 296_077  # ballots whose first rank is skipped or overvoted count for nobody


def test_a_folder_with_other_files_or_none_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cvrs"
    folder.mkdir()
    write_sheet(folder / "b.xlsx", [["Id", "Choice 1"], ["1", "Ann"]])
    write_sheet(folder / "a.xlsx", [["Id", "Choice 1"], ["2", "Bob"], ["3", "Bob"]])
    (folder / ".DS_Store").write_bytes(b"\0")  # hidden files are no part of the contest
    election = io.read(folder)
    assert election.names == ("Bob", "Ann")  # a.xlsx is read first
    assert election.cast == 3
    (folder / "notes.txt").write_text("counted by hand")
    with pytest.raises(FormatError, match=r"cvrs: the folder holds 'notes.txt', a file that is not an ES&S \.xlsx"):
        io.read(folder)
    (folder / "notes.txt").unlink()
    (folder / "sub.xlsx").mkdir()
    with pytest.raises(FormatError, match=r"'sub\.xlsx', not a regular file"):
        io.read(folder)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FormatError, match=r"the folder holds no ES&S \.xlsx file"):
        io.read(empty, format="ess")
    with pytest.raises(FormatError, match="cannot tell the format"):
        io.read(empty)


def test_an_error_in_a_folder_names_the_file_and_row(tmp_path: Path) -> None:
    folder = tmp_path / "cvrs"
    folder.mkdir()
    write_sheet(folder / "a.xlsx", [["Id", "Choice 1"], ["1", "Ann"]])
    write_sheet(folder / "b.xlsx", [["Id", "Choice 1"], ["1", "Ann"], ["2", "Zed"]])
    with pytest.raises(FormatError, match=r"cvrs: b\.xlsx, row 3: unknown candidate code 'Zed'"):
        io.read(folder, candidates=["Ann"])


def test_the_records_and_inferred_names_do_not_depend_on_the_hash_seed(shared_data: Path, tmp_path: Path) -> None:
    # the fast reader once registered row shapes in set order, so the inferred candidates came in a per-process order
    path = shared_data / "maine-2018-cd2" / "RepCD2-8final.xlsx"
    script = (
        "import sys, pathlib; from electoral.io._ess import read_ess_table;"
        " t = read_ess_table(pathlib.Path(sys.argv[1])); print(list(t.names)); print([r for r in list(t.records)[:50]])"
    )
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
