"""ES&S cast vote records: an xlsx workbook, one row per ballot.

The first worksheet's XML is read directly from the zip archive, in chunks,
so memory stays bounded by the chunk size and the number of unique ballots.
Every ``<row>`` element from ``first_row`` on is a ballot, even one with no
cells: RCTab counts such rows as undervotes (conformance note 1), and a
reader that iterates cell values would lose them. Column ``first_column``
holds rank 1, the next column rank 2, and so on.

Three paths read the sheet, and give the same records:

- for the dense sheets ES&S writes (a shared-string cell for every rank of
  every ballot), :mod:`electoral.io._ess_dense` counts ballots with one
  regular expression and numpy;
- a fast path for the regular XML that spreadsheet writers produce, in which
  regular expressions (running in C) rewrite each chunk to a compact form and
  identical rows are counted before any Python code looks at a cell;
- the streaming XML parser, for any chunk the fast path does not recognise.

Neither expands entities: a document type declaration is refused.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, Record
from electoral.io._ess_dense import dense_records
from electoral.io._xml import iter_xml, local

__all__ = ["read_ess_table", "read_ess_tables"]

# what the zipfile module raises for a damaged archive (it has no single exception)
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    KeyError,
    ValueError,
    IndexError,
    LookupError,
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 1 << 23

_CONTROL = re.compile(rb"[\x00-\x08]")
_CONTROL_BYTES = bytes(range(9))
# Markup the fast path leaves to the parser: text cells, formulas, comments, CDATA, entities.
_IRREGULAR = (b"&",)  # other markup (<is>, <f>, comments, CDATA) fails the strict row pattern below
# A row fragment after normalisation: self-closed empty rows, then one open row and its cells.
_FRAGMENT = re.compile(
    rb'\s*((?:<row r=""[^<>]*?/>\s*)*)<row r=""[^<>/]*(?:"[^<>/]*)*>'
    rb'((?:<c r="[A-Z]{1,3}"(?: s="[0-9]*")?(?: t="[a-z]*")?(?: s="[0-9]*")?'
    rb"(?:/>|>(?:<v>[^<]*</v>|<v/>)?</c>)\s*)*)"
)
_TAIL = re.compile(rb'\s*((?:<row r=""[^<>]*?/>\s*)*)')
_FRAGMENT_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})"(?: s="[0-9]*")?(?: t="([a-z]*)")?(?: s="[0-9]*")?(?:/>|>(?:<v>([^<]*)</v>|<v/>)?</c>)'
)
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _sheet_path(archive: zipfile.ZipFile, source: str) -> str:
    """The first worksheet's part name, through the workbook's relationships."""
    names = set(archive.namelist())
    try:
        workbook = _parse_small(archive, "xl/workbook.xml", source)
        rels = _parse_small(archive, "xl/_rels/workbook.xml.rels", source)
    except KeyError:
        return _fallback_sheet(names, source)
    first = next((e for e in workbook.iter() if local(e.tag) == "sheet"), None)
    if first is None:
        raise FormatError("the workbook has no worksheet", source=source)
    rel_id = first.get(f"{{{_REL}}}id")
    for rel in rels.iter():
        if local(rel.tag) == "Relationship" and rel.get("Id") == rel_id:
            target = str(rel.get("Target", ""))
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if path in names:
                return path
    return _fallback_sheet(names, source)


def _fallback_sheet(names: set[str], source: str) -> str:
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise FormatError("not an xlsx workbook: no worksheet found", source=source)


def _parse_small(archive: zipfile.ZipFile, name: str, source: str) -> Element:
    with archive.open(name) as stream:
        root = None
        for element in iter_xml(stream, f"{source} ({name})"):
            root = element  # the last element to end is the root
    if root is None:
        raise FormatError(f"{name} is empty", source=source)
    return root


def _shared_strings(archive: zipfile.ZipFile, source: str) -> list[str]:
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open(name) as stream:
        for element in iter_xml(stream, f"{source} ({name})", tags=("si",)):
            # rich text keeps its runs in <r><t>; phonetic hints (<rPh>) are not text
            parts = [t.text or "" for t in element.iter() if local(t.tag) == "t"]
            skip = {id(t) for p in element.iter() if local(p.tag) == "rPh" for t in p.iter()}
            parts = [t.text or "" for t in element.iter() if local(t.tag) == "t" and id(t) not in skip]
            strings.append("".join(parts))
            element.clear()
    return strings


def read_ess_table(
    path: Path,
    *,
    first_row: int = 2,
    first_column: int = 2,
    ranks: int | None = None,
    force_parser: bool = False,
) -> CvrTable:
    """Read an ES&S xlsx CVR into a :class:`CvrTable` (1-based ``first_row`` and ``first_column``).

    ``ranks`` limits how many columns from ``first_column`` are ranks (all
    of a row's cells from there, if None). ``force_parser`` skips the fast
    path (used by the tests to check that both paths agree).
    """
    source = str(path)
    records: Counter[Record]
    if first_row < 1 or first_column < 1:
        raise FormatError(
            f"first row and column are 1-based, got row {first_row}, column {first_column}", source=source
        )
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS as error:
        raise FormatError(f"not a readable xlsx (zip) file: {error}", source=source) from None
    try:
        with archive:
            sheet = _sheet_path(archive, source)
            strings = _shared_strings(archive, source)
            dense = None
            if ranks is not None and not force_parser:
                with archive.open(sheet) as stream:
                    dense = dense_records(stream, first_row, first_column, ranks, strings)
            if dense is not None:
                records = dense
            else:
                try:
                    with archive.open(sheet) as stream:
                        rows = _read_rows(stream, source, first_row, first_column, ranks, force_parser)
                except _Restart:
                    with archive.open(sheet) as stream:
                        rows = _parse_rows(b"", stream, source, first_row)
                records = Counter()
                for raw, count in rows.items():
                    # many distinct rows (different precincts) give one ballot record
                    records[_record(raw, strings, first_column, ranks, source)] += count
    except FormatError:
        raise
    except _ZIP_ERRORS as error:
        raise FormatError(f"the xlsx archive is damaged: {error}", source=source) from None

    def locate(record: Record) -> str:
        return _locate(path, record, first_row, first_column, ranks)

    return CvrTable(source, dict(records), locate)


# A row, in either path, is a tuple of (column letters, type, value) cells.
Cell = tuple[str, str, str]


def _letters(column: int) -> bytes:
    text = b""
    while column:
        column, remainder = divmod(column - 1, 26)
        text = bytes([65 + remainder]) + text
    return text


def _read_rows(
    stream: IO[bytes], source: str, first_row: int, first_column: int, ranks: int | None, force_parser: bool
) -> Counter[tuple[Cell, ...]]:
    """The fast path: normalise each chunk with regular expressions, count identical rows, then parse those.

    Row numbers are deleted from the markup (rows after the header are all
    ballots, whatever their number), and so are cells outside the rank
    columns, so that identical ballots become identical bytes and are
    counted in C. Each distinct row is then checked against a strict
    pattern; anything unexpected hands the whole sheet to the XML parser.
    """
    if force_parser or ranks is None or ranks > 64:
        raise _Restart()
    head = b""
    while b"<sheetData" not in head:  # everything before it is checked as XML below
        chunk = stream.read(1 << 16)
        if not chunk:
            raise _Restart()
        head += chunk
    start = head.find(b"<sheetData>")
    if start < 0 or _CONTROL.search(head):
        raise _Restart()
    prologue, pending = head[:start], head[start + len(b"<sheetData>") :]
    columns = [
        (re.compile(rb'<c r="' + _letters(c) + rb'[0-9]+"'), b'<c r="' + _letters(c) + b'"')
        for c in range(first_column, first_column + ranks)
    ]
    fragments: Counter[bytes] = Counter()
    header = True
    last_number = 0
    while True:
        chunk = stream.read(_CHUNK)
        pending += chunk
        end = pending.find(b"</sheetData>")
        if end >= 0:
            body, rest = pending[:end], pending[end + len(b"</sheetData>") :]
        elif not chunk:
            raise _Restart()  # truncated: the parser says where
        else:
            cut = pending.rfind(b"</row>") + 6
            if cut < 6:
                continue
            body, pending = pending[:cut], pending[cut:]
        if len(body.translate(None, _CONTROL_BYTES)) != len(body) or any(mark in body for mark in _IRREGULAR):
            raise _Restart()
        if header:
            # drop the rows before first_row, one by one
            for match in _ROW_NUMBER.finditer(body):
                number = int(match.group(1))
                if number <= last_number:
                    raise _Restart()
                last_number = number
                if number >= first_row:
                    body = body[match.start() :]
                    header = False
                    break
            else:
                body = b""
        for pattern, replacement in columns:
            body = pattern.sub(replacement, body)
        body = _ROW_NUMBER.sub(b'<row r=""', body)
        body = _DROP.sub(b"", body)
        pieces = body.split(b"</row>")
        fragments.update(pieces[:-1])
        tail = pieces[-1]
        if end >= 0:
            fragments[b"\x00" + tail] += 1
            break
        if tail.strip():
            raise _Restart()
    rest += stream.read(1 << 20)
    if stream.read(1):
        raise _Restart()
    _check_frame(prologue + b"<sheetData/>" + rest, source)
    rows: Counter[tuple[Cell, ...]] = Counter()
    for fragment, count in fragments.items():
        for cells in _decode_fragment(fragment):
            rows[cells] += count
    return rows


_DROP = re.compile(rb'<c r="[A-Z]{1,3}[0-9]+"[^<>]*?(?:/>|>(?:<v>[^<]*</v>|<v/>)?</c>)')


def _decode_fragment(fragment: bytes) -> list[tuple[Cell, ...]]:
    if fragment.startswith(b"\x00"):  # the end of the sheet: only self-closed rows may be left
        match = _TAIL.fullmatch(fragment[1:])
        if match is None:
            raise _Restart()
        return [()] * match.group(1).count(b"/>")
    match = _FRAGMENT.fullmatch(fragment)
    if match is None:
        raise _Restart()
    empty = match.group(1).count(b"/>")
    try:
        cells = tuple(
            (m.group(1).decode("ascii"), (m.group(2) or b"").decode("ascii"), (m.group(3) or b"").strip().decode())
            for m in _FRAGMENT_CELL.finditer(match.group(2))
        )
    except UnicodeDecodeError:
        raise _Restart() from None
    return [*[()] * empty, cells]


def _check_frame(document: bytes, source: str) -> None:
    """Check, with the parser, the XML around the rows (the fast path reads only the rows)."""
    import io

    for _ in iter_xml(io.BytesIO(document), source, tags=("worksheet",)):
        pass


class _Restart(Exception):
    """The fast path met XML it does not recognise; the caller re-reads with the parser."""


def _parse_rows(head: bytes, stream: IO[bytes], source: str, first_row: int) -> Counter[tuple[Cell, ...]]:
    rows: Counter[tuple[Cell, ...]] = Counter()
    number = 0
    for row, cells in _parsed_rows(_Prefixed(head, stream), source):  # type: ignore[arg-type]
        number = row if row is not None else number + 1
        if number >= first_row:
            rows[cells] += 1
    return rows


def _parsed_rows(stream: IO[bytes], source: str) -> Iterator[tuple[int | None, tuple[Cell, ...]]]:
    previous = 0
    for element in iter_xml(stream, source, tags=("row",)):
        r = element.get("r")
        number: int | None = None
        if r is not None:
            if not r.isdigit():
                raise FormatError(f"row number {r!r} is not a whole number", source=source)
            number = int(r)
            if number <= previous:
                raise FormatError(f"row {number} comes after row {previous}", source=source)
            previous = number
        else:
            previous += 1
        cells: list[Cell] = []
        for cell in element:
            if local(cell.tag) != "c":
                continue
            ref = cell.get("r", "")
            letters = ref.rstrip("0123456789")
            if not letters or not letters.isalpha() or not letters.isupper() or len(letters) > 3:
                raise FormatError(f"row {previous}: cell reference {ref!r} is not a column and row", source=source)
            kind = cell.get("t", "")
            value = ""
            for child in cell:
                name = local(child.tag)
                if name == "v":
                    value = child.text or ""
                elif name == "is":
                    value = "".join(t.text or "" for t in child.iter() if local(t.tag) == "t")
            cells.append((letters, kind, value.strip()))
        element.clear()
        yield number, tuple(cells)


class _Prefixed:
    """A stream that first returns bytes already read."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            head, self.head = self.head, b""
            return head
        return self.stream.read(size)


def _record(raw: tuple[Cell, ...], strings: list[str], first_column: int, ranks: int | None, source: str) -> Record:
    values: dict[int, str] = {}
    for letters, kind, value in raw:
        column = _column_number(letters)
        if column < first_column or (ranks is not None and column >= first_column + ranks):
            continue
        if kind == "s":
            try:
                text = strings[int(value)]
            except (ValueError, IndexError):
                raise FormatError(f"cell {letters}: shared string {value!r} does not exist", source=source) from None
        elif kind in ("inlineStr", "str"):
            text = value
        elif kind in ("", "n"):
            text = _number_text(value)
        elif kind == "b":
            text = value
        else:
            raise FormatError(f"cell {letters}: cell type {kind!r} is not a candidate mark", source=source)
        values[column - first_column] = text.strip()
    width = max(values, default=-1) + 1
    if ranks is not None:
        width = min(width, ranks)
    return tuple((values[i],) if values.get(i) else () for i in range(width))


def _number_text(value: str) -> str:
    # a numeric code such as 1234 is stored as "1234" or "1234.0"
    if value.endswith(".0") and value[:-2].lstrip("-").isdigit():
        return value[:-2]
    return value


def _locate(path: Path, target: Record, first_row: int, first_column: int, ranks: int | None) -> str:
    """The first row holding ``target`` (slow: re-reads the sheet with the parser)."""
    try:
        with zipfile.ZipFile(path) as archive:
            strings = _shared_strings(archive, str(path))
            with archive.open(_sheet_path(archive, str(path))) as stream:
                number = 0
                for row, cells in _parsed_rows(stream, str(path)):
                    number = row if row is not None else number + 1
                    if number >= first_row and _record(cells, strings, first_column, ranks, str(path)) == target:
                        return f"row {number}"
    except Exception:  # pragma: no cover - locating is best effort inside an error already raised
        pass
    return "a row"


def _records_of(
    path: Path, first_row: int, first_column: int, ranks: int | None, redact: bool = False
) -> dict[Record, int]:
    """A worker's task: one file's records (a CvrTable's ``locate`` closure does not cross processes)."""
    from electoral._text import redacted  # a spawned worker does not inherit the caller's redaction

    with redacted(redact):
        return dict(read_ess_table(path, first_row=first_row, first_column=first_column, ranks=ranks).records)


def read_ess_tables(
    paths: list[Path], *, first_row: int, first_column: int, ranks: int | None, workers: int | None = None
) -> list[CvrTable]:
    """Read several ES&S files, in parallel processes when that pays.

    ``workers`` is the number of processes: None or 1 reads in this process
    (the default: on a busy machine, extra processes only compete for the
    same cores); 0 uses one process per CPU. Tables come back in the order of
    ``paths``, whatever the workers.
    """
    if workers is None:
        workers = 1
    elif workers == 0:
        workers = os.cpu_count() or 1
    if workers <= 1 or len(paths) <= 1:
        return [read_ess_table(p, first_row=first_row, first_column=first_column, ranks=ranks) for p in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from electoral._text import redacting

    # spawn, not fork: forking a process that may run threads is unsafe
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_records_of, p, first_row, first_column, ranks, redacting()) for p in paths]
            results = [future.result() for future in futures]
    except (BrokenProcessPool, OSError):
        # no usable worker processes here (e.g. a main module that cannot be re-imported): read serially
        return read_ess_tables(paths, first_row=first_row, first_column=first_column, ranks=ranks, workers=1)

    def locator(path: Path) -> Callable[[Record], str]:
        return lambda record: _locate(path, record, first_row, first_column, ranks)

    return [CvrTable(str(p), records, locator(p)) for p, records in zip(paths, results, strict=True)]
