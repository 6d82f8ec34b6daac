"""What an RCTab config may read, and what its errors may show.

A config names its CVR sources itself, so it can name any file the user can
read. The trust model: any regular file or folder, absolute or relative to
the config's folder, may be read; a device, FIFO or socket, or a folder
where a file is expected, is refused before anything is read; and an error
about the content of a file the config names never quotes that content. It
names the file, the row and the column or field, and describes the value by
its length. The config's own values (candidate names, labels, the contest
id) are still quoted, and so are values of files given on the command line.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from electoral import io
from electoral._text import excerpt, redacted, redacting
from electoral.cli import main
from electoral.errors import FormatError
from rctab_contest import write_contest

SECRET = "SECRETMARK-root-x-0-0"


def refusal(config: Path, workers: int | None = None) -> str:
    with pytest.raises(FormatError) as caught:
        io.read_rctab_config(config, workers=workers)
    assert not redacting()  # the redaction ends with the reading
    return str(caught.value)


def assert_hidden(message: str, *names: str) -> None:
    assert "SECRETMARK" not in message, message
    assert "(a value of" in message, message
    for name in names:
        assert name in message, message


# -- files whose content an error would otherwise quote ---------------------------------------


def _cdf(candidate_names: tuple[str, ...] = ("A", SECRET), rank: Any = 1, contest: str = "Mayor") -> dict[str, Any]:
    candidates = [{"@id": f"c{i}", "Name": name} for i, name in enumerate(candidate_names)]
    selections = [{"@id": f"s{i}", "CandidateIds": [f"c{i}"]} for i in range(len(candidate_names))]
    marks = [
        {"ContestSelectionId": f"s{i}", "SelectionPosition": [{"HasIndication": "yes", "Rank": rank if i else 1}]}
        for i in range(len(candidate_names))
    ]
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Election": [
            {"Candidate": candidates, "Contest": [{"@id": "k1", "Name": contest, "ContestSelection": selections}]}
        ],
        "CVR": [{"CVRSnapshot": [{"@id": "x", "CVRContest": [{"ContestId": "k1", "CVRContestSelection": marks}]}]}],
    }


def _cdf_xml(name: str) -> str:
    return (
        '<CastVoteRecordReport xmlns="http://itl.nist.gov/ns/voting/1500-103/v1">'
        '<Election ObjectId="e"><Candidate ObjectId="c1"><Name>A</Name></Candidate>'
        f'<Candidate ObjectId="c2"><Name>{name}</Name></Candidate>'
        '<Contest ObjectId="k1"><Name>Mayor</Name>'
        '<ContestSelection ObjectId="s1"><CandidateIds>c1</CandidateIds></ContestSelection>'
        '<ContestSelection ObjectId="s2"><CandidateIds>c2</CandidateIds></ContestSelection></Contest></Election>'
        '<CVR><CurrentSnapshotId>x</CurrentSnapshotId><CVRSnapshot ObjectId="x"><CVRContest><ContestId>k1</ContestId>'
        "<CVRContestSelection><ContestSelectionId>s2</ContestSelectionId>"
        "<SelectionPosition><HasIndication>yes</HasIndication><Rank>1</Rank></SelectionPosition>"
        "</CVRContestSelection></CVRContest></CVRSnapshot></CVR></CastVoteRecordReport>"
    )


def _dominion(folder: Path, rank: Any = 1, candidate: Any = 1) -> None:
    folder.mkdir()
    marks = [{"CandidateId": candidate, "Rank": rank, "IsAmbiguous": False}]
    card = {"Contests": [{"Id": "Mayor", "Marks": marks}]}
    (folder / "CvrExport.json").write_text(json.dumps({"Sessions": [{"Original": {"Cards": [card]}}]}))


def _hart(folder: Path, code: str) -> None:
    folder.mkdir()
    option = f"<Option><Id>{code}</Id><Value>1</Value></Option>"
    cvr = f"<Cvr><Contests><Contest><Id>Mayor</Id><Options>{option}</Options></Contest></Contests></Cvr>"
    (folder / "a.xml").write_text(cvr)


def xlsx(path: Path, rows: list[list[str]]) -> None:
    """A minimal ES&S-style workbook: one sheet, every cell a shared string."""
    strings: list[str] = []
    body = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row):
            if value not in strings:
                strings.append(value)
            cells.append(f'<c r="{chr(65 + column)}{number}" t="s"><v>{strings.index(value)}</v></c>')
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{''.join(body)}</sheetData></worksheet>"
        )
        shared = "".join(f"<si><t>{value}</t></si>" for value in strings)
        archive.writestr("xl/sharedStrings.xml", f"<sst {ns}>{shared}</sst>")


CSV_CASES = {
    "csv rank": ("genericCsv", f"id,A,B\n1,{SECRET},1\n", ("line 2", "column 2")),
    "csv header and rank": ("genericCsv", f"id,{SECRET}\n1,x\n", ("line 2", "column 2")),
    "csv unknown candidate": ("genericCsv", f"id,A,{SECRET}\n1,1,2\n", ("line 2", "unknown candidate")),
    "clear ballot rank": ("clearBallot", f"RowNumber,BoxID,Choice_1_1:Mayor:{SECRET}:1:A:NP\n1,1,1\n", ("column 3",)),
    "clear ballot mark": ("clearBallot", f"RowNumber,BoxID,Choice_1_1:Mayor:1:1:A:NP\n1,1,{SECRET}\n", ("column 3",)),
    "clear ballot candidate": ("clearBallot", f"RowNumber,Choice_1_1:Mayor:1:1:{SECRET}:NP\n1,1\n", ("line 2",)),
    "cdf rank": ("cdf", json.dumps(_cdf(rank=SECRET)), ("CVR 1", "rank")),
    "cdf unknown candidate": ("cdf", json.dumps(_cdf()), ("CVR 1", "unknown candidate")),
    "cdf contest list": ("cdf", json.dumps(_cdf(contest=SECRET)), ("'Mayor'",)),
    "cdf nameless id": ("cdf", json.dumps({"Election": [{"Candidate": [{"Name": SECRET}]}]}), ("@id",)),
}


@pytest.mark.parametrize(("provider", "content", "names"), CSV_CASES.values(), ids=CSV_CASES.keys())
def test_errors_about_a_configured_file_do_not_show_its_content(
    tmp_path: Path, provider: str, content: str, names: tuple[str, ...]
) -> None:
    suffix = ".json" if provider == "cdf" else ".csv"
    (tmp_path / f"cvr_file{suffix}").write_text(content, encoding="utf-8")
    config = write_contest(tmp_path, file_path=f"cvr_file{suffix}", provider=provider, cvr=None)
    assert_hidden(refusal(config), f"cvr_file{suffix}", *names)


def test_cdf_xml_content_is_not_shown(tmp_path: Path) -> None:
    (tmp_path / "cvr.xml").write_text(_cdf_xml(SECRET), encoding="utf-8")
    config = write_contest(tmp_path, file_path="cvr.xml", provider="cdf", cvr=None)
    assert_hidden(refusal(config), "cvr.xml", "unknown candidate")


@pytest.mark.parametrize(("rank", "candidate"), [(SECRET, 1), (1, SECRET)], ids=["rank", "candidate"])
def test_dominion_content_is_not_shown(tmp_path: Path, rank: Any, candidate: Any) -> None:
    _dominion(tmp_path / "export", rank, candidate)
    config = write_contest(tmp_path, file_path="export", provider="dominion", cvr=None)
    assert_hidden(refusal(config), "export")


def test_hart_content_is_not_shown(tmp_path: Path) -> None:
    _hart(tmp_path / "hart", SECRET)
    config = write_contest(tmp_path, file_path="hart", provider="hart", cvr=None)
    assert_hidden(refusal(config), "hart", "unknown candidate")


@pytest.mark.parametrize("workers", [1, 2])
def test_ess_content_is_not_shown_in_this_process_or_in_workers(tmp_path: Path, workers: int) -> None:
    xlsx(tmp_path / "one.xlsx", [["Id", "Choice 1"], ["1", "A"]])
    xlsx(tmp_path / "two.xlsx", [["Id", "Choice 1"], ["1", SECRET]])
    config = write_contest(tmp_path, file_path="one.xlsx", provider="ess", cvr=None)
    data = json.loads(config.read_text(encoding="utf-8"))
    data["cvrFileSources"].append({**data["cvrFileSources"][0], "filePath": "two.xlsx"})
    config.write_text(json.dumps(data), encoding="utf-8")
    assert_hidden(refusal(config, workers=workers), "two.xlsx", "unknown candidate")


def test_ess_workers_take_the_redaction_with_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from electoral.io import _ess

    def failing(path: Path, **options: Any) -> Any:
        raise FormatError(f"cell A1: {excerpt(SECRET)}", source=str(path))

    monkeypatch.setattr(_ess, "read_ess_table", failing)
    with pytest.raises(FormatError) as caught:
        _ess._records_of(tmp_path / "x.xlsx", 2, 2, 3, True)
    assert_hidden(str(caught.value), "x.xlsx")
    with pytest.raises(FormatError, match="SECRETMARK"):
        _ess._records_of(tmp_path / "x.xlsx", 2, 2, 3, False)


def test_the_config_own_values_are_still_quoted(tmp_path: Path) -> None:
    config = write_contest(tmp_path, candidates=("Zed", "Zed"))
    assert "'Zed' is listed twice" in refusal(config)
    config = write_contest(tmp_path, rules={"overvoteRule": "sometimes"})
    assert "'sometimes' is not one of" in refusal(config)
    (tmp_path / "cvr.json").write_text(json.dumps(_cdf(contest="Council")), encoding="utf-8")
    config = write_contest(tmp_path, file_path="cvr.json", provider="cdf", cvr=None)
    assert "no contest named 'Mayor'" in refusal(config)


def test_files_given_on_the_command_line_are_quoted(tmp_path: Path) -> None:
    (tmp_path / "cvr.csv").write_text(f"id,A,B\n1,{SECRET},1\n", encoding="utf-8")
    with pytest.raises(FormatError, match=SECRET):
        io.read(tmp_path / "cvr.csv", first_column=2)


def test_redaction_is_scoped() -> None:
    assert excerpt("x") == "'x'"
    with redacted():
        assert excerpt("xyz") == "(a value of 3 characters)"
        assert excerpt("xyz", given=True) == "'xyz'"
        with redacted(False):
            assert excerpt("x") == "'x'"
        assert excerpt(7) == "(a whole number of 1 digit)"
    assert not redacting()


# -- what a config may name --------------------------------------------------------------------


def test_any_readable_file_may_be_named_relative_or_absolute(tmp_path: Path) -> None:
    shared = tmp_path / "_shared"
    write_contest(shared, name="unused_config.json")
    relative = write_contest(tmp_path / "case", file_path="../_shared/cvr.csv", cvr=None)
    absolute = write_contest(tmp_path / "other", file_path=str(shared / "cvr.csv"), cvr=None)
    os.symlink(shared / "cvr.csv", tmp_path / "linked.csv")
    linked = write_contest(tmp_path, file_path="linked.csv", cvr=None, name="linked_config.json")
    for config in (relative, absolute, linked):
        assert io.read_rctab_config(config).election.cast == 5


DEVICE_CASES = ["genericCsv", "clearBallot", "cdf", "ess", "hart", "dominion"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("provider", DEVICE_CASES)
def test_a_device_is_refused_before_reading(tmp_path: Path, provider: str) -> None:
    config = write_contest(tmp_path, file_path="/dev/zero", provider=provider, cvr=None)
    message = refusal(config)
    assert "cvrFileSources[0].filePath: /dev/zero is a device" in message
    assert "contest_config.json" in message


def test_a_folder_where_a_file_is_expected_and_a_file_where_a_folder_is(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    config = write_contest(tmp_path, file_path="folder")
    assert "is a folder, not a regular file" in refusal(config)
    config = write_contest(tmp_path, file_path="cvr.csv", provider="dominion")
    assert "is a file, not a folder" in refusal(config)


@pytest.mark.parametrize(
    ("file_path", "text"),
    [("a\x00b.csv", "NUL character"), ("x" * 5000, "File name too long"), ("missing.csv", "does not exist")],
    ids=["nul", "too-long", "missing"],
)
def test_unusable_paths_name_the_config_and_field(tmp_path: Path, file_path: str, text: str) -> None:
    message = refusal(write_contest(tmp_path, file_path=file_path))
    assert "contest_config.json: cvrFileSources[0].filePath: " in message
    assert text in message
    assert "\x00" not in message
    assert len(message) <= 600


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="no /proc/self/environ here")
def test_the_environment_read_as_a_cvr_appears_nowhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = write_contest(tmp_path, file_path="/proc/self/environ", cvr=None)
    status = main(["rctab", str(config), "--json", "o.json"])
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    if status == 0:
        shown += (tmp_path / "o.json").read_text(encoding="utf-8")
    environment = Path("/proc/self/environ").read_bytes().decode("utf-8", "replace").split("\x00")
    for entry in environment:
        if "=" in entry and len(entry.partition("=")[2]) >= 8:
            assert entry not in shown
            assert entry.partition("=")[2] not in shown


@pytest.mark.parametrize("second", ["cvr.csv", "./cvr.csv", "link.csv"])
def test_a_file_named_twice_is_refused(tmp_path: Path, second: str) -> None:
    # RCTab refuses a config whose cvrFileSources name one file twice (ContestConfig.validateCvrFileSources,
    # "Duplicate cast vote record filePaths are not allowed"): reading it twice would count its ballots twice
    config = write_contest(tmp_path)
    (tmp_path / "link.csv").symlink_to(tmp_path / "cvr.csv")
    data = json.loads(config.read_text())
    data["cvrFileSources"].append({**data["cvrFileSources"][0], "filePath": second})
    config.write_text(json.dumps(data))
    message = refusal(config)
    assert "cvrFileSources[1].filePath" in message
    assert "cvrFileSources[0]" in message
