"""The fast path and the XML parser read every ES&S sheet alike: both refuse it, or both give the same records.

Real sheets (RCTab's suite, Maine 2018) are mutated at the XML level: row
numbers dropped, repeated or swapped, rows repeated, closing tags removed,
entities, comments, CDATA and processing instructions inserted, bytes
flipped, the sheet cut short, cells turned into inline strings, empty rows
added, and more. For each mutated sheet, ``read_ess_table(..., ranks=k)``
(the fast path, where the sheet allows it) and the same call with
``force_parser=True`` must either both raise :class:`ElectoralError` or give
equal records; so must the parser building a small sheet whole and
streaming it. Hand-written cases pin the semantics the paths share: a row
without ``r`` is the row after the previous one, and row numbers increase.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import electoral.io._xml as _xml
from conftest import SHARED
from electoral.errors import ElectoralError, FormatError
from electoral.io._cvr import CvrTable
from electoral.io._ess import read_ess_table
from electoral.io._ess_dense import Restart, fast_rows

SHEET = "xl/worksheets/sheet1.xml"
SOURCES = [
    "_shared/simple_ess_cvr.xlsx",
    "_shared/bottoms_up_cvr.xlsx",
    "_shared/simple_sequential_cvr.xlsx",
    "aliases_ess_xlsx/aliases_ess_xlsx_cvr.xlsx",
    "batch_example/batch_example_cvr.xlsx",
    "2015_portland_mayor/2015_portland_mayor_cvr.xlsx",
    "2015_portland_mayor_codes/2015_portland_mayor_codes_cvr.xlsx",
    "test_set_treat_blank_as_undeclared_write_in/test_set_treat_blank_as_undeclared_write_in_cvr.xlsx",
    "test_set_overvote_delimiter/test_set_overvote_delimiter_cvr.xlsx",
    "minneapolis_multi_seat_threshold/minneapolis_multi_seat_threshold_cvr.xlsx",
    "maine:UOCAVA-FINALRepCD2.xlsx",
    "maine:UOCAVA2CVRRepCD2.xlsx",
    "maine:AUXCVRProofedCVR95RepCD2.xlsx",
]


def _path(name: str) -> Path:
    if name.startswith("maine:"):
        return SHARED / "data" / "maine-2018-cd2" / name.removeprefix("maine:")
    return SHARED / "conformance" / "rctab" / name


@functools.cache
def _parts(name: str) -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    with zipfile.ZipFile(_path(name)) as archive:
        return tuple((info, archive.read(info)) for info in archive.infolist())


pytestmark = pytest.mark.skipif(
    not all(_path(name).is_file() for name in SOURCES),
    reason=f"the real ES&S sheets were not found under {SHARED}; set ELECTORAL_SHARED to the shared folder",
)


def _write(name: str, sheet: bytes, target: Path) -> Path:
    """The workbook ``name`` with its sheet replaced."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in _parts(name):
            archive.writestr(info.filename, sheet if info.filename == SHEET else data)
    return target


def _read(path: Path, ranks: int, first_row: int, first_column: int, force: bool) -> CvrTable | str:
    try:
        return read_ess_table(path, first_row=first_row, first_column=first_column, ranks=ranks, force_parser=force)
    except ElectoralError as error:
        return f"error: {error}"


def _agree(first: CvrTable | str, second: CvrTable | str, what: str) -> None:
    if isinstance(first, str) or isinstance(second, str):
        assert isinstance(first, str), f"{what}: the second refused, the first read:\n{first!r}\n{second}"
        assert isinstance(second, str), f"{what}: the first refused, the second read:\n{first}\n{second!r}"
    else:
        assert dict(first.records) == dict(second.records), what


def assert_paths_agree(path: Path, ranks: int, first_row: int = 2, first_column: int = 2) -> CvrTable | str:
    """Both paths refuse ``path``, or both read the same records from it; what the parser gave.

    The parser is run twice: as it is (a small sheet is built whole by
    ElementTree) and streaming every sheet, and must agree with itself too.
    """
    fast = _read(path, ranks, first_row, first_column, force=False)
    parsed = _read(path, ranks, first_row, first_column, force=True)
    with mock.patch.object(_xml, "SMALL", -1):
        streamed = _read(path, ranks, first_row, first_column, force=True)
    _agree(fast, parsed, "fast path, parser")
    _agree(parsed, streamed, "parser building small sheets whole, parser streaming")
    return parsed


# -- mutations of a sheet's XML --------------------------------------------------------

_ROW_START = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
_SHARED_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?) t="s"([^>]*)><v>([0-9]+)</v></c>')
_INSERTS = [
    b"&amp;",
    b"&#65;",
    b"&#x42;",
    b"&lt;",
    b"&nosuch;",
    b"<!-- a comment -->",
    b"<![CDATA[x]]>",
    b'<![CDATA[<row r="9"/>]]>',
    b"<?pi data?>",
    b'<!DOCTYPE worksheet [<!ENTITY e "Injected">]>',
    b"<row/>",
    b'<row r="3"/>',
    b"<row></row>",
    b'<row r="7"><c r="B7" t="s"><v>1</v></c></row>',
    b'<c r="B9" t="inlineStr"><is><t>Ann</t></is></c>',
    b'<c r="C9" t="str"><v>Ann</v></c>',
    b'<c r="B9"><v>5.0</v></c>',
    b'<c r="b9" t="s"><v>1</v></c>',
    b'<c t="s"><v>1</v></c>',
    b' s="1"',
    b' t="s"',
    b' x="1"',
    b' foo:bar="1"',
    b' xmlns:foo="urn:x"',
    b' r="4"',
    b" ",
    b"\r\n",
    b"\t",
    b"\r",
    b"\x0b",
    b"\x00",
    b"\xc3\xa9",
    b"\xff",
    b"\xef\xbf\xbe",
    b"]]>",
    b">",
    b"<",
    b'"',
    b"</row>",
    b"</c>",
    b"</v>",
    b"<v>",
    b"<sheetData>",
    b"</sheetData>",
    b"0",
    b"9" * 12,
]
_KINDS = [
    "drop_r",
    "repeat_r",
    "swap_r",
    "zero_pad_r",
    "repeat_row",
    "drop_closing",
    "insert",
    "flip",
    "truncate",
    "inline",
    "empty_row",
    "delete",
    "encoding",
    "alias_prefix",
]


#: a mutation: its kind and three numbers that choose where and what (each taken modulo what there is)
Mutation = tuple[str, int, int, int]
mutations = st.tuples(st.sampled_from(_KINDS), st.integers(0, 1 << 20), st.integers(0, 1 << 20), st.integers(0, 255))


def mutate(sheet: bytes, mutation: Mutation) -> bytes:
    """``sheet`` with one mutation applied (an insertion, if the kind finds nothing to change)."""
    kind, a, b, c = mutation
    rows = list(_ROW_START.finditer(sheet))
    numbers = list(_ROW_NUMBER.finditer(sheet))
    if kind == "drop_r" and numbers:
        out = sheet
        for match in reversed(numbers[a % len(numbers) :][: 1 + b % len(numbers)]):
            out = out[: match.start()] + b"<row" + out[match.end() :]
        return out
    if kind in ("repeat_r", "swap_r") and len(numbers) >= 2:
        first, second = numbers[a % (len(numbers) - 1)], numbers[a % (len(numbers) - 1) + 1]
        if kind == "repeat_r":
            return sheet[: second.start(1)] + first.group(1) + sheet[second.end(1) :]
        return (
            sheet[: first.start(1)]
            + second.group(1)
            + sheet[first.end(1) : second.start(1)]
            + first.group(1)
            + sheet[second.end(1) :]
        )
    if kind == "zero_pad_r" and numbers:
        match = numbers[a % len(numbers)]
        return sheet[: match.start(1)] + b"0" + sheet[match.start(1) :]
    if kind == "repeat_row" and rows:
        start = rows[a % len(rows)].start()
        end = sheet.find(b"</row>", start)
        if end > 0:
            row = sheet[start : end + len(b"</row>")]
            return sheet[:start] + row + sheet[start:]
    if kind == "drop_closing":
        tag = [b"</row>", b"</c>", b"</v>", b"</sheetData>", b"</worksheet>", b"/>"][b % 6]
        places = [m.start() for m in re.finditer(re.escape(tag), sheet)]
        if places:
            at = places[a % len(places)]
            return sheet[:at] + sheet[at + len(tag) :]
    if kind == "inline":
        cells = list(_SHARED_CELL.finditer(sheet))
        if cells:
            match = cells[a % len(cells)]
            text = [b"Ann", b" Bob ", b"", b"undervote", b"A &amp; B", b"\xc3\x89lise"][b % 6]
            new = b'<c r="' + match.group(1) + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"
            return sheet[: match.start()] + new + sheet[match.end() :]
    if kind == "empty_row" and numbers:
        match = numbers[a % len(numbers)]
        row = [b"<row/>", b"<row></row>", b'<row spans="1:4"/>', b'<row r="9999"/>'][b % 4]
        return sheet[: match.start()] + row + sheet[match.start() :]
    if kind == "alias_prefix" and numbers:
        # two prefixes of one namespace on the root, and attributes of one local name on a row
        root = sheet.find(b"<worksheet")
        if root >= 0:
            at = root + len(b"<worksheet")
            sheet = sheet[:at] + b' xmlns:p="urn:p" xmlns:q="urn:p" xmlns:u="urn:u"' + sheet[at:]
            match = list(_ROW_NUMBER.finditer(sheet))[a % len(numbers)]
            extra = [b' p:z="1" q:z="2"', b' p:z="1" u:z="2"', b' z="1" p:z="2"', b' p:r="1"', b' p:r="1" q:r="2"']
            return sheet[: match.end()] + extra[b % len(extra)] + sheet[match.end() :]
    if kind == "encoding":
        text = sheet.decode("utf-8", "replace")
        if b % 3 == 0:
            return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        if b % 3 == 1:
            return b"\xef\xbb\xbf" + sheet
        return text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1", "replace")
    at = a % max(len(sheet), 1)
    if kind == "flip" and sheet:
        return sheet[:at] + bytes([sheet[at] ^ (c or 1)]) + sheet[at + 1 :]
    if kind == "truncate":
        return sheet[:at]
    if kind == "delete":
        return sheet[:at] + sheet[at + 1 + b % 40 :]
    return sheet[:at] + _INSERTS[b % len(_INSERTS)] + sheet[at:]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_real_sheets_read_alike_on_both_paths(tmp_path: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(SOURCES), label="source")
    sheet = {info.filename: content for info, content in _parts(name)}[SHEET]
    for mutation in data.draw(st.lists(mutations, min_size=1, max_size=3), label="mutations"):
        sheet = mutate(sheet, mutation)
    first_column = 4 if name.startswith("maine:") else 2
    ranks = data.draw(st.integers(1, 5), label="ranks")
    first_row = data.draw(st.sampled_from([1, 2, 2, 3]), label="first_row")
    path = _write(name, sheet, tmp_path / "cvr.xlsx")
    assert_paths_agree(path, ranks, first_row, first_column)


@pytest.mark.parametrize("name", SOURCES)
def test_the_real_sheets_themselves_read_alike(tmp_path: Path, name: str) -> None:
    first_column = 4 if name.startswith("maine:") else 2
    for ranks in (1, 3, 5):
        parsed = assert_paths_agree(_path(name), ranks, 2, first_column)
        assert not isinstance(parsed, str)


# -- the semantics both paths share, by hand ----------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(rows: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def _cell(ref: str, index: int) -> str:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def _aliases(tmp_path: Path, rows: str) -> Path:
    return _write("aliases_ess_xlsx/aliases_ess_xlsx_cvr.xlsx", _sheet(rows), tmp_path / "cvr.xlsx")


def test_a_row_without_r_is_the_row_after_the_previous_one(tmp_path: Path) -> None:
    # header row 1 (numbered), then three ballots without r: rows 2, 3 and 4
    rows = f'<row r="1">{_cell("B1", 0)}</row>' + "".join(f"<row>{_cell(f'B{n}', 4)}</row>" for n in (2, 3, 4))
    parsed = assert_paths_agree(_aliases(tmp_path, rows), ranks=3)
    assert isinstance(parsed, CvrTable)
    assert parsed.ballots == 3
    # a sheet whose rows all lack r: the first is row 1, the header
    rows = "".join(f"<row>{_cell(f'B{n}', 4)}</row>" for n in (1, 2, 3))
    parsed = assert_paths_agree(_aliases(tmp_path, rows), ranks=3)
    assert isinstance(parsed, CvrTable)
    assert parsed.ballots == 2


def test_a_row_number_that_does_not_increase_is_refused_on_both_paths(tmp_path: Path) -> None:
    for numbers in ((1, 2, 2), (1, 3, 2), (2, 1), (1, 2, 0)):
        rows = "".join(f'<row r="{n}">{_cell(f"B{n}", 4)}</row>' for n in numbers)
        assert "comes after row" in str(assert_paths_agree(_aliases(tmp_path, rows), ranks=3))
    # numbered after an unnumbered one: <row> is row 2, so r="2" repeats it
    rows = f'<row r="1">{_cell("B1", 0)}</row><row>{_cell("B2", 4)}</row><row r="2">{_cell("B2", 4)}</row>'
    assert "row 2 comes after row 2" in str(assert_paths_agree(_aliases(tmp_path, rows), ranks=3))


def test_the_audits_sheets_read_alike(tmp_path: Path) -> None:
    reliability = SHARED / "reliability"
    if not reliability.is_dir():
        pytest.skip(f"reliability reproducers not found at {reliability}")
    parsed = assert_paths_agree(reliability / "ess_rows_without_r.xlsx", ranks=3)
    assert isinstance(parsed, CvrTable)
    assert parsed.ballots == 9
    assert "row 5" in str(assert_paths_agree(reliability / "ess_duplicate_row_number.xlsx", ranks=3))


# -- Excel's bounds: the last row and the last column, refused alike on both paths ----------


def _fast_path_takes(path: Path, ranks: int = 3, first_row: int = 2, first_column: int = 2) -> bool:
    """Whether the fast path reads the sheet itself (rather than handing it to the parser)."""
    with zipfile.ZipFile(path) as archive, archive.open(SHEET) as stream:
        try:
            fast_rows(stream, first_row, first_column, ranks)
        except Restart:
            return False
    return True


def _refused_alike(path: Path, ranks: int = 3) -> str:
    """Both paths refuse ``path`` with the same FormatError; its message."""
    messages = []
    for force in (False, True):
        with pytest.raises(FormatError) as caught:
            read_ess_table(path, first_column=2, ranks=ranks, force_parser=force)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert_paths_agree(path, ranks)
    return messages[0]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (f'<row r="1048577">{_cell("B1048577", 4)}</row>', "row number '1048577' is beyond row 1,048,576"),
        (f'<row r="999999999">{_cell("A999999999", 4)}</row>', "row number '999999999' is beyond row 1,048,576"),
        ('<row r="0000001048577"/>', "row number '0000001048577' is beyond row 1,048,576"),
        (f'<row r="5">{_cell("B1048577", 4)}</row>', "row 5: cell reference 'B1048577' is beyond row 1,048,576"),
        (f'<row r="5">{_cell("C999999999", 4)}</row>', "row 5: cell reference 'C999999999' is beyond row"),
        (f'<row r="5">{_cell("B" + "9" * 5000, 4)}</row>', "row 5: cell reference 'B99999"),
        (f'<row r="5">{_cell("XFE5", 4)}</row>', "row 5: cell reference 'XFE5' is beyond column XFD (16,384)"),
        (f'<row r="5">{_cell("ZZZ5", 4)}</row>', "row 5: cell reference 'ZZZ5' is beyond column XFD"),
        (
            f'<row r="1048576">{_cell("B1048576", 4)}</row><row>{_cell("B1", 4)}</row>',
            "a row without a number after row 1,048,576 is beyond row 1,048,576",
        ),
    ],
)
def test_a_row_or_column_beyond_excels_is_refused_alike_on_both_paths(tmp_path: Path, rows: str, message: str) -> None:
    path = _aliases(tmp_path, f'<row r="1">{_cell("B1", 0)}</row>' + rows)
    refused = _refused_alike(path)
    assert message in refused
    assert "cvr.xlsx" in refused
    assert not _fast_path_takes(path)  # the fast path hands it over, and the parser says why


def test_the_last_row_and_column_themselves_are_read_by_the_fast_path(tmp_path: Path) -> None:
    rows = (
        f'<row r="1">{_cell("B1", 0)}</row>'
        f'<row r="1048575">{_cell("B1048575", 4)}{_cell("XFD1048575", 5)}</row>'
        f'<row r="1048576">{_cell("B1048576", 4)}{_cell("C001048576", 5)}</row>'
    )
    path = _aliases(tmp_path, rows)
    assert _fast_path_takes(path)
    parsed = assert_paths_agree(path, ranks=3)
    assert isinstance(parsed, CvrTable)
    assert parsed.ballots == 2


# -- attributes of one local name in two namespaces ------------------------------------------


def _namespaced(tmp_path: Path, rows: str) -> Path:
    root = f'<worksheet xmlns="{_MAIN}" xmlns:a="urn:one" xmlns:b="urn:one" xmlns:c="urn:two">'
    sheet = f'<?xml version="1.0" encoding="UTF-8"?>{root}<sheetData>{rows}</sheetData></worksheet>'
    return _write("aliases_ess_xlsx/aliases_ess_xlsx_cvr.xlsx", sheet.encode(), tmp_path / "cvr.xlsx")


@pytest.mark.parametrize(
    ("attributes", "refused"),
    [
        (' a:z="1" b:z="2"', True),  # a and b name one namespace: the same attribute twice
        (' a:z="1" c:z="2"', False),  # two namespaces: two attributes
        (' z="1" a:z="2"', False),  # no namespace and one
        (' a:r="7"', False),  # not the row's number
        (' a:r="7" b:r="8"', True),
        (' spans="1:3" a:spans="1:3" b:spans="1:3"', True),
    ],
)
def test_attributes_of_one_local_name_read_alike_on_both_paths(tmp_path: Path, attributes: str, refused: bool) -> None:
    rows = f'<row r="1">{_cell("B1", 0)}</row>' + "".join(
        f'<row r="{n}"{attributes}>{_cell(f"B{n}", 4)}</row>' for n in (2, 3, 4)
    )
    path = _namespaced(tmp_path, rows)
    parsed = assert_paths_agree(path, ranks=3)
    if refused:
        assert "duplicate attribute" in str(parsed)
        assert "cvr.xlsx" in str(parsed)
    else:
        assert isinstance(parsed, CvrTable)
        assert parsed.ballots == 3
    assert not _fast_path_takes(path)  # whether they clash is the parser's to say
