"""ES&S cast vote records: an xlsx workbook, one row per ballot.

The first worksheet's XML is read directly from the zip archive, in chunks,
so memory stays bounded by the chunk size and the number of unique ballots.
Every ``<row>`` element from ``first_row`` on is a ballot, even one with no
cells: RCTab counts such rows as undervotes (conformance note 1), and a
reader that iterates cell values would lose them. A row is numbered by its
``r`` attribute, or, without one, as the row after the previous one (as the
xlsx format says); numbers must increase. Column ``first_column`` holds
rank 1, the next column rank 2, and so on. Without ``first_column``, the
rank columns are found from the header row (the row before ``first_row``) by
:mod:`electoral.io._rank_headers`: Maine's sheets put ``Precinct`` and
``Ballot Style`` before the ranks, and a sheet whose header does not say
which columns are the ranks is refused rather than guessed.

Two paths read the sheet, and accept the same sheets and give the same
records (a property test mutates real sheets to check it):

- the fast path of :mod:`electoral.io._ess_dense`, when ``ranks`` is given:
  regular expressions and numpy (in C) read rows by their shapes, with no
  Python code per ballot, for the sheets of a strict grammar whose every
  byte it checks;
- the streaming XML parser of :mod:`electoral.io._xml`, for every other
  sheet: the fast path hands it anything outside its grammar, and the
  parser decides.

Both see a row as the same cells, and :class:`~electoral.io._ess_rows.Records`
makes its record.

None expands entities: a document type declaration is refused. The archive
is read within bounds taken from its directory before any part is inflated:
a part read may inflate to :data:`MAX_SHEET_BYTES` (the worksheet) or
:data:`MAX_PART_BYTES` (the others), and a part over 1 MiB to at most
:data:`MAX_RATIO` times its compressed size (``zipfile`` stops a member at
its declared size, and a member that inflates to more fails its CRC check),
so a zip bomb is refused before it is inflated. Before that, the archive's
end records are read here, and a central directory of more than
:data:`MAX_ZIP_DIRECTORY_BYTES` or :data:`MAX_ZIP_ENTRIES` entries is
refused before ``zipfile`` reads it (it would build an object per entry).

A row numbered beyond :data:`~electoral.io._ess_rows.MAX_ROW` (Excel's
1,048,576), counted beyond it, or holding a cell reference beyond it or
beyond column ``XFD`` is refused, on both paths alike: rows are at most
that many, whatever the sheet claims.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, Record
from electoral.io._ess_dense import Restart, fast_rows
from electoral.io._ess_rows import MAX_COLUMN, MAX_ROW, ROW_DIGITS, Cell, Records, beyond_row, column_number, value_text
from electoral.io._files import open_binary
from electoral.io._rank_headers import find_rank_columns
from electoral.io._xml import iter_xml, local

__all__ = [
    "MAX_FOLDER_FILES",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_SHEET_BYTES",
    "MAX_STRINGS",
    "MAX_ZIP_DIRECTORY_BYTES",
    "MAX_ZIP_ENTRIES",
    "ess_folder_files",
    "ess_rows",
    "read_ess_table",
    "read_ess_tables",
]

#: The most bytes the worksheet may inflate to (real ones: 32 MB at most; Excel holds 1,048,576 rows).
MAX_SHEET_BYTES: Final = 1 << 30
#: The most bytes any other part read (shared strings, workbook, relationships) may inflate to.
MAX_PART_BYTES: Final = 64 << 20
#: The most a part of over 1 MiB may inflate relative to its compressed size (real parts: under 15).
MAX_RATIO: Final = 100
#: The most shared strings (real ES&S workbooks hold a few hundred).
MAX_STRINGS: Final = 2_000_000
#: The most bytes of the zip central directory, the archive's table of contents (real xlsx: under 2 KB; an
#: entry takes 46 bytes and its name). ``zipfile`` reads the whole directory into memory and builds an object
#: for each entry before anything else can be checked, so this bound, and :data:`MAX_ZIP_ENTRIES`, are taken
#: from the end records, read here first.
MAX_ZIP_DIRECTORY_BYTES: Final = 1 << 20
#: The most entries (parts) of the archive (real xlsx: a few dozen).
MAX_ZIP_ENTRIES: Final = 1_000
#: The most .xlsx files of a folder read as one contest (Maine's 2018 CD2 count: 8).
MAX_FOLDER_FILES: Final = 10_000
_SMALL_PART = 1 << 20
# the zip end records: the end of central directory (22 bytes and a comment of at most 65,535), and, before it,
# the zip64 locator (20 bytes), which points at the zip64 end of central directory (56 bytes)
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_LOCATOR = struct.Struct("<4sLQL")
_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_SIGNATURE = b"PK\x06\x06"

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
    OverflowError,
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]*)")
_BEYOND_ROW = f"beyond row {MAX_ROW:,}, the last a sheet can have"


@contextmanager
def _workbook(path: Path, source: str) -> Iterator[zipfile.ZipFile]:
    """The open archive (a regular file only); a damaged one is a FormatError naming the file."""
    with open_binary(path, source) as file:
        try:
            _check_directory(file, source)
            archive = zipfile.ZipFile(file)
        except FormatError:
            raise
        except _ZIP_ERRORS as error:
            raise FormatError(f"not a readable xlsx (zip) file: {_zip_error(error)}", source=source) from None
        # zipfile reads entries to the directory's end, whatever count the end record gives: counted again here
        if len(archive.filelist) > MAX_ZIP_ENTRIES:
            archive.close()
            raise FormatError(
                f"the archive holds {len(archive.filelist):,} entries, more than MAX_ZIP_ENTRIES ({MAX_ZIP_ENTRIES:,})"
                " an xlsx needs",
                source=source,
            )
        try:
            with archive:
                yield archive
        except FormatError:
            raise
        except _ZIP_ERRORS as error:
            raise FormatError(f"the xlsx archive is damaged: {_zip_error(error)}", source=source) from None


def _check_directory(file: IO[bytes], source: str) -> None:
    """Refuse an archive whose central directory is too large, from its end records, before ``zipfile`` reads it.

    The end records are found where ``zipfile`` looks for them: the end of
    central directory in the last 22 bytes (with no comment), or else the
    last one in the last 22 + 65,535 bytes; and, if a zip64 locator precedes
    it, the zip64 end record just before the locator and the one the locator
    points at. Every directory size and entry count that ``zipfile`` could
    take from them (those of the 32-bit record too, unless a zip64 record
    precedes the locator, as it then replaces them) must be within
    :data:`MAX_ZIP_DIRECTORY_BYTES` and :data:`MAX_ZIP_ENTRIES`. An archive
    without an end record is left to ``zipfile``, which refuses it.
    """
    size = os.fstat(file.fileno()).st_size
    start = max(size - _END.size - 0xFFFF, 0)
    file.seek(start)
    tail = file.read()
    if len(tail) >= _END.size and tail.startswith(_END_SIGNATURE, len(tail) - _END.size) and tail.endswith(b"\0\0"):
        at = len(tail) - _END.size
    else:
        at = tail.rfind(_END_SIGNATURE)
        if at < 0 or len(tail) - at < _END.size:
            return
    _, _, _, here, total, directory, _, _ = _END.unpack_from(tail, at)
    claims = [(max(here, total), directory)]
    locator_at = start + at - _LOCATOR.size
    if locator_at >= 0:
        file.seek(locator_at)
        locator = file.read(_LOCATOR.size)
        if len(locator) == _LOCATOR.size and locator.startswith(_LOCATOR_SIGNATURE):
            for offset in (locator_at - _END64.size, _LOCATOR.unpack(locator)[2]):
                if not 0 <= offset <= size - _END64.size:
                    continue
                file.seek(offset)
                record = file.read(_END64.size)
                if record.startswith(_END64_SIGNATURE):
                    fields = _END64.unpack(record)
                    claims.append((max(fields[6], fields[7]), fields[8]))
                    if offset == locator_at - _END64.size:
                        del claims[0]  # zipfile takes this record's sizes instead of the 32-bit ones
    for entries, directory in claims:
        if directory > MAX_ZIP_DIRECTORY_BYTES:
            raise FormatError(
                f"the zip central directory claims {directory:,} bytes, more than MAX_ZIP_DIRECTORY_BYTES"
                f" ({MAX_ZIP_DIRECTORY_BYTES:,}) an xlsx needs: refused before it is read",
                source=source,
            )
        if entries > MAX_ZIP_ENTRIES:
            raise FormatError(
                f"the zip central directory claims {entries:,} entries, more than MAX_ZIP_ENTRIES"
                f" ({MAX_ZIP_ENTRIES:,}) an xlsx needs: refused before it is read",
                source=source,
            )


def _zip_error(error: BaseException) -> str:
    return excerpt(str(error), 200)[1:-1] or type(error).__name__


def _open_part(archive: zipfile.ZipFile, name: str, source: str, limit: int | None = None) -> IO[bytes]:
    """A part of the archive, refused from its directory entry if it would inflate beyond the bounds.

    ``limit`` is the most bytes it may inflate to (:data:`MAX_PART_BYTES` if None).
    """
    limit = MAX_PART_BYTES if limit is None else limit
    info = archive.getinfo(name)
    where = f"{source} ({name})"
    if info.flag_bits & 0x1:
        raise FormatError("the part is encrypted", source=where)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise FormatError(f"the part uses compression method {info.compress_type}, not one of xlsx", source=where)
    if info.file_size > limit:
        raise FormatError(f"the part inflates to {info.file_size:,} bytes, more than {limit:,}", source=where)
    if info.file_size > _SMALL_PART and info.file_size > MAX_RATIO * info.compress_size:
        ratio = info.file_size // max(info.compress_size, 1)
        raise FormatError(
            f"the part inflates {ratio:,} times over (from {info.compress_size:,} to {info.file_size:,} bytes), "
            f"more than {MAX_RATIO}: refused as a zip bomb",
            source=where,
        )
    size = os.fstat(archive.fp.fileno()).st_size if archive.fp is not None else 0
    if info.compress_size > size:
        raise FormatError(f"the part claims {info.compress_size:,} compressed bytes, more than the file", source=where)
    return archive.open(info)


def _sheet_path(archive: zipfile.ZipFile, source: str) -> str:
    """The first worksheet's part name, through the workbook's relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return _fallback_sheet(names, source)
    first = None
    with _open_part(archive, "xl/workbook.xml", source) as stream:
        for sheet in iter_xml(stream, f"{source} (xl/workbook.xml)", tags=("sheet",)):
            first = sheet if first is None else first  # the whole part is read, so that it is checked
    if first is None:
        raise FormatError("the workbook has no worksheet", source=source)
    rel_id = first.get(f"{{{_REL}}}id")
    name = "xl/_rels/workbook.xml.rels"
    found = None
    with _open_part(archive, name, source) as stream:
        for rel in iter_xml(stream, f"{source} ({name})", tags=("Relationship",)):
            if found is None and rel.get("Id") == rel_id:
                target = str(rel.get("Target", ""))
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                found = path if path in names else None
    return found or _fallback_sheet(names, source)


def _fallback_sheet(names: set[str], source: str) -> str:
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise FormatError("not an xlsx workbook: no worksheet found", source=source)


def _shared_strings(archive: zipfile.ZipFile, source: str) -> list[str]:
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return []
    strings: list[str] = []
    unique: dict[str, str] = {}
    where = f"{source} ({name})"
    with _open_part(archive, name, source) as stream:
        for element in iter_xml(stream, where, tags=("si",)):
            # rich text keeps its runs in <r><t>; phonetic hints (<rPh>) are not text
            skip = {id(t) for p in element.iter() if local(p.tag) == "rPh" for t in p.iter()}
            text = "".join(t.text or "" for t in element.iter() if local(t.tag) == "t" and id(t) not in skip)
            strings.append(unique.setdefault(text, text))
            if len(strings) > MAX_STRINGS:
                raise FormatError(f"more than {MAX_STRINGS:,} shared strings", source=where)
    return strings


def read_ess_table(
    path: Path,
    *,
    first_row: int = 2,
    first_column: int | None = None,
    ranks: int | None = None,
    force_parser: bool = False,
    precinct_column: int | None = None,
    batch_column: int | None = None,
) -> CvrTable:
    """Read an ES&S xlsx CVR into a :class:`CvrTable` (1-based ``first_row`` and ``first_column``).

    ``ranks`` limits how many columns from ``first_column`` are ranks (all
    of a row's cells from there, if None). Without ``first_column``, the
    header row (row ``first_row - 1``) gives the rank columns, and, unless
    ``ranks`` is given, their number. ``force_parser`` skips the fast
    paths (used by the tests to check that all paths agree). ``precinct_column`` and ``batch_column`` (1-based) also
    split the records by the precinct or batch each row gives there (a blank
    cell is RCTab's ``missing_precinct_id`` or ``missing_batch_id``), in the
    table's ``slices``; the rows are then read by the parser.
    """
    source = str(path)
    wanted = {k: c for k, c in (("precinct", precinct_column), ("batch", batch_column)) if c is not None}
    if wanted and path.is_dir():
        raise FormatError("precinct and batch columns are read from a file, not a folder", source=source)
    if path.is_dir():
        return _read_folder(path, first_row=first_row, first_column=first_column, ranks=ranks, force=force_parser)
    column = first_column
    if column is None:
        column, found = _header_ranks(path, first_row)
        ranks = found if ranks is None else ranks
    if first_row < 1 or column < 1:
        raise FormatError(f"first row and column are 1-based, got row {first_row}, column {column}", source=source)
    with _workbook(path, source) as archive:
        sheet = _sheet_path(archive, source)
        where = f"{source} ({sheet})"
        strings = _shared_strings(archive, source)
        rows = None
        if ranks is not None and not force_parser:
            # outside the fast path's grammar, the parser reads the sheet, and decides; the fast path
            # keeps the cells of one run of columns: the ranks, and the precinct and batch columns
            low = min([column, *wanted.values()])
            high = max([column + ranks - 1, *wanted.values()])
            with _open_part(archive, sheet, source, MAX_SHEET_BYTES) as stream, contextlib.suppress(Restart):
                rows = fast_rows(stream, first_row, low, high - low + 1)
        if rows is None:
            with _open_part(archive, sheet, source, MAX_SHEET_BYTES) as stream:
                rows = _parse_rows(stream, where, first_row)
        records: Counter[Record] = Counter()
        record_of = Records(strings, column, ranks, source)
        slices: dict[str, dict[str, Counter[Record]]] = {kind: {} for kind in wanted}
        labels = {kind: _Label(strings, number, source) for kind, number in wanted.items()}
        for raw, count in rows.items():
            # many distinct rows (different precincts) give one ballot record
            record = record_of(raw)
            records[record] += count
            for kind, label_of in labels.items():
                label = label_of(raw) or _MISSING[kind]
                slices[kind].setdefault(label, Counter())[record] += count

    def locate(record: Record) -> str:
        return _locate(path, record, first_row, column, ranks)

    parts = {kind: {label: dict(part) for label, part in by.items()} for kind, by in slices.items()}
    return CvrTable(source, dict(records), locate, slices=parts)


#: what RCTab calls the slice of rows whose precinct or batch cell is blank (its StreamingCvrReader's
#: MISSING_PRECINCT_ID and MISSING_BATCH_ID)
_MISSING: Final = {"precinct": "missing_precinct_id", "batch": "missing_batch_id"}


class _Label:
    """The text of one column of a row (a precinct or batch), '' when blank."""

    def __init__(self, strings: list[str], column: int, source: str) -> None:
        self.cells = Records(strings, column, 1, source)

    def __call__(self, raw: tuple[Cell, ...]) -> str:
        record = self.cells(raw)
        return record[0][0] if record and record[0] else ""


def ess_rows(
    path: Path, *, first_row: int, first_column: int, ranks: int | None, columns: Mapping[str, int]
) -> Iterator[tuple[int, Record, dict[str, str]]]:
    """Each ballot row of one ES&S file, in sheet order: its row number, record, and the text of ``columns``.

    ``columns`` names extra 1-based columns to read (an id, a precinct, a
    batch); an empty cell reads as "". Rows are streamed with the parser,
    one at a time, so nothing but the caller's own list grows with the file.
    """
    source = str(path)
    with _workbook(path, source) as archive:
        sheet = _sheet_path(archive, source)
        strings = _shared_strings(archive, source)
        record_of = Records(strings, first_column, ranks, source)
        extra = {name: Records(strings, column, 1, source) for name, column in columns.items()}
        with _open_part(archive, sheet, source, MAX_SHEET_BYTES) as stream:
            for number, cells in _parsed_rows(stream, f"{source} ({sheet})"):
                if number < first_row:
                    continue
                texts = {name: _first_mark(read(cells)) for name, read in extra.items()}
                yield number, record_of(cells), texts


def _first_mark(record: Record) -> str:
    return record[0][0] if record and record[0] else ""


def ess_folder_files(folder: Path) -> list[Path]:
    """The ES&S files of a folder read as one contest, in the order of their names (sorted by code point).

    Every entry but a hidden one (a name starting with ``.``) must be an
    ``.xlsx`` file: a folder that mixes other files in, or holds none, is
    refused, so that nothing is read by guess or silently left out.
    """
    source = str(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        raise FormatError(f"cannot read the folder: {error.strerror or error}", source=source) from None
    files = [entry for entry in entries if not entry.name.startswith(".")]
    if len(files) > MAX_FOLDER_FILES:
        raise FormatError(
            f"the folder holds {len(files):,} entries, more than MAX_FOLDER_FILES ({MAX_FOLDER_FILES:,})", source=source
        )
    for entry in files:
        try:
            regular = entry.is_file()
        except OSError:
            regular = False
        if not entry.name.lower().endswith(".xlsx") or not regular:
            what = "a file" if regular else "not a regular file"
            raise FormatError(
                f"the folder holds {excerpt(entry.name)}, {what} that is not an ES&S .xlsx file;"
                " an ES&S folder holds only the .xlsx files of one contest",
                source=source,
            )
    if not files:
        raise FormatError("the folder holds no ES&S .xlsx file", source=source)
    return [Path(entry.path) for entry in files]


def _read_folder(folder: Path, *, first_row: int, first_column: int | None, ranks: int | None, force: bool) -> CvrTable:
    """Every ES&S file of ``folder`` (:func:`ess_folder_files`) as one table: the records of all, summed."""
    tables = [
        read_ess_table(p, first_row=first_row, first_column=first_column, ranks=ranks, force_parser=force)
        for p in ess_folder_files(folder)
    ]
    records: Counter[Record] = Counter()
    for table in tables:
        records.update(table.records)

    def locate(record: Record) -> str:
        table = next(t for t in tables if record in t.records)
        return f"{Path(table.source).name}, {table.locate(record)}"

    return CvrTable(str(folder), dict(records), locate)


def _header_ranks(path: Path, first_row: int) -> tuple[int, int]:
    """The first rank column (1-based) and the number of rank columns, from the header row before ``first_row``."""
    source = str(path)
    settle = "first_column= (and ranks=)"
    if first_row < 2:
        raise FormatError(
            f"first_row is {first_row}, so the sheet has no header row to find the rank columns in: pass {settle}",
            source=source,
        )
    header_row = first_row - 1
    header: tuple[Cell, ...] | None = None
    with _workbook(path, source) as archive:
        sheet = _sheet_path(archive, source)
        strings = _shared_strings(archive, source)
        with _open_part(archive, sheet, source, MAX_SHEET_BYTES) as stream:
            for number, cells in _parsed_rows(stream, f"{source} ({sheet})"):
                if number >= header_row:
                    header = cells if number == header_row else ()
                    break
    texts = [rank[0] if rank else "" for rank in Records(strings, 1, None, source)(header or ())]
    start, count = find_rank_columns(
        texts, source=source, row=header_row, column=lambda i: _letters(i + 1), options=settle
    )
    return start + 1, count


def _letters(number: int) -> str:
    """Column ``number`` (1-based) in letters: 1 is ``A``, 27 ``AA``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _parse_rows(stream: IO[bytes], source: str, first_row: int) -> Counter[tuple[Cell, ...]]:
    """The parser path: every row, numbered, from ``first_row`` on."""
    rows: Counter[tuple[Cell, ...]] = Counter()
    for number, cells in _parsed_rows(stream, source):
        if number >= first_row:
            rows[cells] += 1
    return rows


def _parsed_rows(stream: IO[bytes], source: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    """Each row's number (its ``r``, or the previous one's plus 1) and cells, in order."""
    previous = 0
    for element in iter_xml(stream, source, tags=("row",)):
        r = element.get("r")
        if r is None:
            number = previous + 1
            if number > MAX_ROW:
                raise FormatError(f"a row without a number after row {previous:,} is {_BEYOND_ROW}", source=source)
        else:
            parsed = ascii_int(r)
            if parsed is None:
                raise FormatError(f"row number {excerpt(r)} is not a whole number", source=source)
            if parsed > MAX_ROW:
                raise FormatError(f"row number {excerpt(r)} is {_BEYOND_ROW}", source=source)
            if parsed <= previous:
                raise FormatError(f"row {parsed} comes after row {previous}", source=source)
            number = parsed
        previous = number
        cells: list[Cell] = []
        for cell in element:
            if local(cell.tag) != "c":
                continue
            ref = cell.get("r", "")
            match = _CELL_REFERENCE.fullmatch(ref)
            if match is None:
                raise FormatError(f"row {number}: cell reference {excerpt(ref)} is not a column and row", source=source)
            letters, digits = match.groups()
            # (checked cheaply first: this runs for every cell)
            if len(letters) == 3 and column_number(letters) > MAX_COLUMN:
                raise FormatError(
                    f"row {number}: cell reference {excerpt(ref)} is beyond column XFD ({MAX_COLUMN:,}),"
                    " the last a sheet can have",
                    source=source,
                )
            if len(digits) >= ROW_DIGITS and beyond_row(digits):
                raise FormatError(f"row {number}: cell reference {excerpt(ref)} is {_BEYOND_ROW}", source=source)
            kind = cell.get("t", "")
            value = ""
            for child in cell:
                name = local(child.tag)
                if name == "v":
                    value = child.text or ""
                elif name == "is":
                    value = "".join(t.text or "" for t in child.iter() if local(t.tag) == "t")
            cells.append((letters, kind, value_text(value)))
        yield number, tuple(cells)


def _locate(path: Path, target: Record, first_row: int, first_column: int, ranks: int | None) -> str:
    """The first row holding ``target`` (slow: re-reads the sheet with the parser)."""
    source = str(path)
    try:
        with _workbook(path, source) as archive:
            strings = _shared_strings(archive, source)
            sheet = _sheet_path(archive, source)
            record_of = Records(strings, first_column, ranks, source)
            with _open_part(archive, sheet, source, MAX_SHEET_BYTES) as stream:
                for number, cells in _parsed_rows(stream, f"{source} ({sheet})"):
                    if number >= first_row and record_of(cells) == target:
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
    paths: list[Path],
    *,
    first_row: int,
    first_column: int,
    ranks: int | None,
    workers: int | None = None,
    precinct_column: int | None = None,
    batch_column: int | None = None,
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
    if workers <= 1 or len(paths) <= 1 or precinct_column is not None or batch_column is not None:
        return [
            read_ess_table(
                p,
                first_row=first_row,
                first_column=first_column,
                ranks=ranks,
                precinct_column=precinct_column,
                batch_column=batch_column,
            )
            for p in paths
        ]
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
