"""The cast-vote-record readers: real files from RCTab's suite, and small hand-made ones.

Hand-made files are built here byte by byte, so each test shows exactly what
the reader is given.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from electoral import io
from electoral.errors import ElectoralError, FormatError
from electoral.io._cvr import Record
from electoral.io._ess import read_ess_table
from electoral.io._ess_dense import fast_rows
from electoral.io._ess_rows import Records
from electoral.io._formats import READ_OPTIONS

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_xlsx(path: Path, rows: str, *, strings: list[str] = (), prologue: str = "") -> Path:  # type: ignore[assignment]
    """A minimal xlsx: ``rows`` is the inside of <sheetData>."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}<worksheet xmlns="{_MAIN}">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{sst}</sst>')
    return path


def cell(ref: str, index: int) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


# -- ES&S -------------------------------------------------------------------------------


def test_every_row_is_a_ballot_even_an_empty_one(tmp_path: Path) -> None:
    # header row 1; rows 2-3 rank A then B; row 4 has no cells; row 9 is self-closed:
    # five ballots in all (conformance note 1: empty rows are undervotes)
    rows = (
        f'<row r="1">{cell("A1", 2)}</row>'
        f'<row r="2">{cell("A2", 0)}{cell("B2", 1)}</row>'
        f'<row r="3">{cell("A3", 0)}{cell("B3", 1)}</row>'
        '<row r="4"></row>'
        f'<row r="5">{cell("B5", 0)}</row>'
        '<row r="9"/>'
    )
    path = write_xlsx(tmp_path / "cvr.xlsx", rows, strings=["A", "B", "header"])
    for force in (False, True):
        table = read_ess_table(path, first_row=2, first_column=1, ranks=2, force_parser=force)
        assert table.ballots == 5
        assert table.records == {(("A",), ("B",)): 2, (): 2, ((), ("A",)): 1}
    election = io.read(path, first_row=2, first_column=1, ranks=2)
    assert election.cast == 5
    assert sum(b.count for b in election.ballots if b.is_blank) == 2


def test_inline_strings_and_numbers_take_the_parser_path(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Rank 1</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann &amp; Co</t></is></c><c r="B2"><v>42</v></c></row>'
    )
    path = write_xlsx(tmp_path / "cvr.xlsx", rows)
    table = read_ess_table(path, first_row=2, first_column=1, ranks=2)
    assert table.records == {(("Ann & Co",), ("42",)): 1}


@pytest.mark.parametrize(
    "xlsx",
    [
        "_shared/simple_ess_cvr.xlsx",
        "_shared/bottoms_up_cvr.xlsx",
        "batch_example/batch_example_cvr.xlsx",
        "test_set_treat_blank_as_undeclared_write_in/test_set_treat_blank_as_undeclared_write_in_cvr.xlsx",
        "2015_portland_mayor/2015_portland_mayor_cvr.xlsx",
    ],
)
def test_fast_path_and_parser_agree_on_real_files(rctab_suite: Path, xlsx: str) -> None:
    fast = read_ess_table(rctab_suite / xlsx, first_row=2, first_column=2, ranks=3)
    parsed = read_ess_table(rctab_suite / xlsx, first_row=2, first_column=2, ranks=3, force_parser=True)
    assert fast.records == parsed.records


@pytest.mark.slow
def test_minneapolis_park_has_every_published_ballot(rctab_suite: Path) -> None:
    # RCTab's expected report: totalNumBallots 80101
    table = read_ess_table(rctab_suite / "_shared/2013_minneapolis_park_cvr.xlsx", ranks=3)
    assert table.ballots == 80101


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    bomb = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    path = write_xlsx(
        tmp_path / "bomb.xlsx", '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>', prologue=bomb
    )
    with pytest.raises(FormatError, match="document type"):
        read_ess_table(path, first_row=1, first_column=1, ranks=1)


def test_an_unknown_code_names_the_file_and_row(tmp_path: Path) -> None:
    rows = f'<row r="1">{cell("A1", 0)}</row><row r="2">{cell("A2", 0)}</row><row r="3">{cell("A3", 1)}</row>'
    path = write_xlsx(tmp_path / "cvr.xlsx", rows, strings=["Ann", "Zed"])
    with pytest.raises(FormatError, match=r"cvr\.xlsx.*row 3.*'Zed'"):
        io.read(path, first_row=1, first_column=1, ranks=1, candidates=["Ann"])


def test_not_a_zip_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "cvr.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(FormatError, match=r"cvr\.xlsx"):
        io.read(path)


# -- labels, aliases, overvotes ----------------------------------------------------------


def test_labels_map_to_marks(tmp_path: Path) -> None:
    # "ov" is an overvote (every candidate at that rank), "skip" a skipped rank, "W" a write-in
    rows = f'<row r="1">{cell("A1", 0)}{cell("B1", 1)}</row><row r="2">{cell("A2", 2)}{cell("B2", 3)}</row>'
    xlsx = write_xlsx(tmp_path / "cvr.xlsx", rows, strings=["ov", "a1", "skip", "W"])
    election = io.read(
        xlsx,
        first_row=1,
        first_column=1,
        ranks=2,
        candidates=["Ann", "Bob"],
        aliases={"a1": "Ann"},
        overvote_label="ov",
        skipped_label="skip",
        undeclared_write_in="W",
    )
    assert election.names == ("Ann", "Bob", io.UNDECLARED_WRITE_INS)
    rankings = {tuple(tuple(sorted(c.name for c in rank)) for rank in b.ranking) for b in election.ballots}
    assert rankings == {(("Ann", "Bob", io.UNDECLARED_WRITE_INS), ("Ann",)), ((), (io.UNDECLARED_WRITE_INS,))}


# -- the other formats, through read() ---------------------------------------------------


def test_cdf_json_finds_the_contest_by_name(rctab_suite: Path) -> None:
    path = rctab_suite / "test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json"
    election = io.read(path, contest="test set 1")
    assert election.cast == 15
    with pytest.raises(FormatError, match="no contest named 'nope'"):
        io.read(path, contest="nope")


def test_cdf_xml_skips_cvrs_without_the_contest(rctab_suite: Path) -> None:
    # RCTab's expected report for nist_xml_cdf_2: 1 ballot, and it is an undervote
    election = io.read(
        rctab_suite / "nist_xml_cdf_2/nist_xml_cdf_2.xml", contest="For Governor and Lieutenant Governor"
    )
    assert election.cast == 1
    assert all(b.is_blank for b in election.ballots)


def test_dominion_drops_outstack_condition_7(rctab_suite: Path) -> None:
    # conformance note 4: 197 sessions, 124 ballots counted
    election = io.read(rctab_suite / "2024_alaska_dominion/partial_cvr", contest="7")
    assert election.cast == 124


def test_dominion_multi_file_reads_every_export(rctab_suite: Path) -> None:
    election = io.read(rctab_suite / "dominion_multi_file/dominion_multi_file_input_data", contest="13")
    assert election.cast == 25  # RCTab's expected totalNumBallots


def test_hart_values_are_rank_bits_from_the_left(rctab_suite: Path) -> None:
    election = io.read(
        rctab_suite / "_shared/hart_cvr_archive", format="hart", contest="b651b997-417a-46d9-a676-a43d4df94ddc"
    )
    assert election.cast == 9  # RCTab's expected totalNumBallots
    assert sum(b.count for b in election.ballots if b.is_blank) == 2  # and undervotes


def test_clear_ballot_reads_quoted_contest_names(rctab_suite: Path) -> None:
    path = rctab_suite / "clear_ballot_with_inline_comma/clear_ballot_with_inline_comma_cvr.csv"
    election = io.read(path, format="clearballot", contest="City of Portland, Auditor")
    assert election.cast == 178


def test_generic_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cvr.csv"
    path.write_text("id,A,B\n1,1,2\n2,x,1\n")
    with pytest.raises(FormatError, match=r"cvr\.csv, line 3.*'x'"):
        io.read(path, first_column=2)


def test_read_sniffs_content_when_the_extension_does_not_say(rctab_suite: Path, tmp_path: Path) -> None:
    cdf = rctab_suite / "test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json"
    copy = tmp_path / "cvr.data"
    copy.write_bytes(cdf.read_bytes())
    assert io.read(copy, contest="test set 1").cast == 15
    with pytest.raises(FormatError, match="Dominion export holds many contests"):
        io.read(rctab_suite / "dominion_multi_file/dominion_multi_file_input_data")


def test_unknown_options_and_formats_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"votes": {"A": 1}}))
    with pytest.raises(FormatError, match="takes no options"):
        io.read(path, contest="x")
    with pytest.raises(FormatError, match="unknown format"):
        io.read(path, format="nope")
    with pytest.raises(FormatError, match="no such file"):
        io.read(tmp_path / "missing.bin")


def test_every_format_is_listed() -> None:
    assert {"json", "ess", "cdf", "dominion", "hart", "clearballot", "csv"} <= set(io.formats())


# -- RCTab configs ---------------------------------------------------------------------


def test_config_errors_name_the_field(tmp_path: Path, rctab_suite: Path) -> None:
    config = json.loads((rctab_suite / "tiebreak_seed_test/tiebreak_seed_test_config.json").read_text())
    config["rules"]["overvoteRule"] = "invalidOption"
    config["cvrFileSources"][0]["filePath"] = str(rctab_suite / "_shared/tiebreak_cvr.xlsx")
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    with pytest.raises(FormatError, match=r"config\.json: rules\.overvoteRule: 'invalidOption'"):
        io.read_rctab_config(path)


@pytest.mark.parametrize("case", ["invalid_params_test", "invalid_sources_test"])
def test_invalid_suite_configs_are_refused(rctab_suite: Path, case: str) -> None:
    with pytest.raises(ElectoralError):
        io.read_rctab_config(rctab_suite / case / f"{case}_config.json")


def test_preflib_and_blt_readers_are_dispatched_when_present(shared_data: Path) -> None:
    blt = sorted(shared_data.rglob("*.blt"))
    soi = sorted(shared_data.rglob("*.soi"))
    assert {"blt", "preflib"} <= set(io.formats())
    assert blt
    assert soi
    assert io.read(blt[0]).cast > 0
    assert io.read(soi[0]).cast > 0


@pytest.mark.parametrize(
    ("part", "whole", "printed"),
    [
        (6, 14, "42.85%"),
        (1, 3, "33.33%"),
        (2, 5, "40.0%"),
        (1, 8, "12.5%"),
        (0, 9, "0.0%"),
        # RCTab divides with Java's MathContext.DECIMAL32 (7 significant digits, half-even) before it
        # truncates, so a share just under 1 prints 100.0%, not 99.99%
        (99999999, 100000000, "100.0%"),
        (9999999, 10000000, "99.99%"),
    ],
)
def test_csv_percentages_are_truncated(part: int, whole: int, printed: str) -> None:
    # README of RCTab's suite: "6/14 prints as 42.85%" (42.857... truncated, not rounded)
    from fractions import Fraction

    from electoral.io._rctab_csv import percent

    assert percent(Fraction(part), Fraction(whole)) == printed


@pytest.mark.parametrize("fmt", ["cdf", "hart"])
def test_xml_readers_refuse_a_doctype(tmp_path: Path, fmt: str) -> None:
    # a "billion laughs" document: refused before any entity could be expanded
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<CastVoteRecordReport><CVR>&b;</CVR></CastVoteRecordReport>"
    )
    path = tmp_path / "cvr.xml"
    path.write_text(bomb)
    with pytest.raises(FormatError, match=r"cvr\.xml.*document type"):
        io.read(path, format=fmt, contest="x")


def test_dense_sheets_agree_with_the_parser(tmp_path: Path) -> None:
    # two header rows, then ballots with a precinct in column A and ranks in B-C (the ES&S shape);
    # codes stay raw in a table ("skip" is only a label once the election is built)
    strings = ["Precinct", "Rank 1", "Rank 2", "P1", "Ann", "Bob", "skip"]
    ballots = [(4, 5), (4, 6), (3, 6), (6, 6), (6, 5)]
    rows = f'<row r="1">{cell("A1", 0)}{cell("B1", 1)}{cell("C1", 2)}</row><row r="2">{cell("A2", 0)}</row>'
    for number, (first, second) in enumerate(ballots, start=3):
        rows += (
            f'<row r="{number}">{cell(f"A{number}", 3)}{cell(f"B{number}", first)}{cell(f"C{number}", second)}</row>'
        )
    path = write_xlsx(tmp_path / "cvr.xlsx", rows, strings=strings)
    dense = read_ess_table(path, first_row=3, first_column=2, ranks=2)
    parsed = read_ess_table(path, first_row=3, first_column=2, ranks=2, force_parser=True)
    assert dense.records == parsed.records
    assert dense.ballots == 5
    # the fast path was the one taken (it raises Restart for a sheet it leaves to the parser), and its rows,
    # made into records as read_ess_table makes them, are the parser's records
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as stream:
        rows = fast_rows(stream, 3, 2, 2)
    record_of = Records(strings, 2, 2, str(path))
    records: Counter[Record] = Counter()
    for raw, count in rows.items():
        records[record_of(raw)] += count
    assert dict(records) == dict(parsed.records)


@pytest.mark.parametrize("name", sorted(READ_OPTIONS))
def test_every_declared_read_option_refuses_a_value_of_another_type(name: str) -> None:
    # io.read checks Python values against the same declarations the CLI parses and describes
    declared = READ_OPTIONS[name]
    path = Path(__file__).resolve().parents[1] / "examples" / "kyrgyzstan-2017.json"
    with pytest.raises(FormatError) as caught:
        io.read(path, **{name: object()})
    assert str(caught.value).startswith(f"{path}: option {name}: expected {declared.expected}, not")
