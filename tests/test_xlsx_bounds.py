"""Reading an xlsx file uses bounded time and memory: zip bombs are refused, big parts stream.

The six bombs of the audit (``shared/reliability/bombs``) are built here
cheaply: one deflate block of a repeated unit, compressed once after a full
flush, is repeated, so that a 2 GiB part costs a few megabytes and no 2 GiB
of compression. Each is read in a child process, on the parser path and on
the fast path, which reports its time and its peak memory (its own
high-water mark, ``VmHWM``, where Linux gives one: its ``ru_maxrss`` starts
from the parent's). They must be refused with an ElectoralError in seconds,
under 300 MB. The archive's own claims cannot get past the bounds: a part
that inflates beyond its declared size fails, and so do a compressed size
beyond the file, other compression methods and encryption. With the
archive's bounds lifted, the streaming bounds still refuse what they must,
and a big part that is legitimate streams in bounded memory.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest

import electoral.io._ess as _ess
from conftest import SHARED
from electoral.errors import FormatError
from electoral.io._ess import read_ess_table

SOURCE = SHARED / "conformance" / "rctab" / "aliases_ess_xlsx" / "aliases_ess_xlsx_cvr.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
GIB = 1 << 30
MIB = 1 << 20

pytestmark = pytest.mark.skipif(
    not SOURCE.is_file(), reason=f"RCTab's conformance suite not found at {SOURCE}; set ELECTORAL_SHARED"
)

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
ROW1 = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
SST = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SMALL_SHEET = HEAD + b"<sheetData>" + ROW1 + b"</sheetData></worksheet>"
# each bomb: the part it fills, and its start, repeated unit and end (the audit's make_bombs.py)
BOMBS = {
    "empty_rows": (SHEET, HEAD + b"<sheetData>" + ROW1, b"<row/>", b"</sheetData></worksheet>"),
    "ws_before": (SHEET, HEAD, b" ", b"<sheetData>" + ROW1 + b"</sheetData></worksheet>"),
    "huge_cell": (
        SHEET,
        HEAD + b"<sheetData>" + ROW1 + b'<row r="2"><c r="B2" t="inlineStr"><is><t>',
        b"A",
        b"</t></is></c></row></sheetData></worksheet>",
    ),
    "rows_ballots": (
        SHEET,
        HEAD + b"<sheetData>" + ROW1,
        b'<row><c r="B2" t="s"><v>4</v></c></row>',
        b"</sheetData></worksheet>",
    ),
    "strings": (STRINGS, SST, b"<si><t>A</t></si>", b"</sst>"),
    "ws_strings": (STRINGS, SST + b"<si><t>", b"B", b"</t></si></sst>"),
}


def repeated_deflate(head: bytes, unit: bytes, size: int, tail: bytes) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``head``, ``unit`` repeated to about ``size`` bytes, ``tail``; its size and CRC.

    The CRC is computed only for parts of up to 256 MiB (a bomb is refused before its CRC is checked).
    """
    block = unit * max(1, MIB // len(unit))
    times = max(1, size // len(block))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    # after a full flush nothing refers back, so the same bytes inflate to the same block every time
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    inflated = len(head) + len(block) * times + len(tail)
    crc = 0
    if inflated <= 256 * MIB:
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(block, crc)
        crc = zlib.crc32(tail, crc)
    return first + middle * times + last, inflated, crc


def write_zip(
    path: Path,
    members: list[tuple[str, bytes, int, int, int]],
    *,
    flags: int = 0,
    zip64: bool = False,
    comment: bytes = b"",
) -> Path:
    """A zip archive of raw members ``(name, data, method, crc, inflated size)``, written by hand.

    With ``zip64``, the end records are zip64's (the 32-bit one saying only "see zip64"), as some writers
    put them even when the sizes do not need them.
    """
    local, central = bytearray(), bytearray()
    for name, data, method, crc, size in members:
        encoded = name.encode()
        offset = len(local)
        local += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            flags,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    path.write_bytes(bytes(local + central) + end_records(len(members), len(central), len(local), zip64, comment))
    return path


def end_records(entries: int, directory: int, offset: int, zip64: bool = False, comment: bytes = b"") -> bytes:
    """The end of central directory (and zip64's end records before it) of a directory at ``offset``."""
    if not zip64:
        return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, directory, offset, len(comment)) + comment
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + directory, 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    return record + locator + end + comment


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data)


def workbook(path: Path, part: str, member: tuple[bytes, int, int], *, method: int = 8, flags: int = 0) -> Path:
    """The conformance workbook with ``part`` replaced by the raw deflate ``member`` (data, size, CRC)."""
    members = []
    with zipfile.ZipFile(SOURCE) as source:
        for info in source.infolist():
            if info.filename == part:
                data, size, crc = member
                members.append((part, data, method, crc, size))
            else:
                content = SMALL_SHEET if info.filename == SHEET and part == STRINGS else source.read(info)
                data, size, crc = _deflated(content)
                members.append((info.filename, data, 8, crc, size))
    return write_zip(path, members, flags=flags)


def bomb(tmp_path: Path, kind: str, size: int) -> Path:
    part, head, unit, tail = BOMBS[kind]
    return workbook(tmp_path / f"bomb_{kind}.xlsx", part, repeated_deflate(head, unit, size, tail))


CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    import electoral.io._ess, electoral.io._xml, electoral.io._ess_dense
    for dotted, value in json.loads(sys.argv[2]).items():
        module, name = dotted.rsplit(".", 1)
        setattr(sys.modules[module], name, value)
    from electoral import io
    from electoral.errors import ElectoralError
    from electoral.io._ess import read_ess_table
    start = time.perf_counter()
    try:
        if sys.argv[3] == "io":
            outcome = {"ballots": io.read(sys.argv[1], format="ess").cast}
        else:
            ranks = None if sys.argv[3] == "none" else int(sys.argv[3])
            outcome = {"ballots": read_ess_table(Path(sys.argv[1]), first_column=2, ranks=ranks).ballots}
    except ElectoralError as error:
        outcome = {"error": str(error)}
    outcome["seconds"] = time.perf_counter() - start
    # the peak resident memory of this process; Linux carries ru_maxrss over from the parent through exec,
    # so its own high-water mark (VmHWM) is read where there is one
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    outcome["megabytes"] = peak / 1024
    print(json.dumps(outcome))
    """
)


def measure(path: Path, how: str, patches: dict[str, int] | None = None, timeout: float = 60) -> dict[str, object]:
    """Read ``path`` in a child process: ``how`` is "io" (the parser path), "none" or a number of ranks."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(patches or {}), how],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("how", ["io", "3"])
@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_the_audits_bombs_are_refused_quickly_in_little_memory(tmp_path: Path, kind: str, how: str) -> None:
    path = bomb(tmp_path, kind, 2 * GIB)
    assert path.stat().st_size < 8 * MIB
    result = measure(path, how)
    assert "error" in result, result
    assert "bomb_" in str(result["error"])
    assert float(str(result["seconds"])) < 10
    assert float(str(result["megabytes"])) < 300


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_bomb_within_the_size_bound_is_refused_by_its_ratio(tmp_path: Path, kind: str) -> None:
    size = 48 * MIB  # under both size bounds; the compressed part is some 50 KB
    path = bomb(tmp_path, kind, size)
    for ranks in (None, 3):
        with pytest.raises(FormatError, match=r"inflates .* times over"):
            read_ess_table(path, first_column=2, ranks=ranks)


def test_real_parts_are_within_every_bound(shared_data: Path) -> None:
    # the largest real sheets (32 MB) inflate about 9 times; every part here is read
    for path in sorted((SHARED / "conformance").rglob("*.xlsx")) + sorted(shared_data.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename in (SHEET, STRINGS):
                    assert info.file_size <= (_ess.MAX_SHEET_BYTES if info.filename == SHEET else _ess.MAX_PART_BYTES)
                    assert info.file_size <= 1 << 20 or info.file_size <= _ess.MAX_RATIO * info.compress_size


# -- what the archive claims ----------------------------------------------------------------


def test_a_part_that_inflates_beyond_its_declared_size_fails_after_that_size(tmp_path: Path) -> None:
    _, head, unit, tail = BOMBS["empty_rows"]
    data, _, _ = repeated_deflate(head, unit, 2 * GIB, tail)
    path = workbook(tmp_path / "lying.xlsx", SHEET, (data, MIB, 0))  # claims 1 MiB: a ratio that passes
    for how in ("none", "3"):
        result = measure(path, how, {"electoral.io._ess.MAX_RATIO": 10**9})
        assert "error" in result, result
        assert "lying.xlsx" in str(result["error"])
        assert float(str(result["seconds"])) < 10
        assert float(str(result["megabytes"])) < 300


def test_a_compressed_size_beyond_the_file_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "cvr.xlsx", SHEET, _deflated(SMALL_SHEET))
    raw = bytearray(path.read_bytes())
    # the sheet's central directory entry (its name follows the 46-byte header) claims 1 GB of compressed data
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = raw.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", raw, central + 20, 10**9)
    path.write_bytes(bytes(raw))
    with pytest.raises(FormatError, match=r"cvr\.xlsx"):
        read_ess_table(path, first_column=2, ranks=3)


@pytest.mark.parametrize(("method", "flags", "message"), [(12, 0, "compression method 12"), (8, 1, "encrypted")])
def test_other_methods_and_encryption_are_refused(tmp_path: Path, method: int, flags: int, message: str) -> None:
    path = workbook(tmp_path / "cvr.xlsx", SHEET, _deflated(SMALL_SHEET), method=method, flags=flags)
    for ranks in (None, 3):
        with pytest.raises(FormatError, match=message):
            read_ess_table(path, first_column=2, ranks=ranks)


def test_the_declared_size_bounds_hold_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "cvr.xlsx", SHEET, _deflated(SMALL_SHEET))
    monkeypatch.setattr(_ess, "MAX_SHEET_BYTES", len(SMALL_SHEET))
    assert read_ess_table(path, first_column=2, ranks=3).ballots == 0
    monkeypatch.setattr(_ess, "MAX_SHEET_BYTES", len(SMALL_SHEET) - 1)
    with pytest.raises(FormatError, match="more than"):
        read_ess_table(path, first_column=2, ranks=3)


# -- with the archive's bounds lifted, the streaming bounds ----------------------------------

LIFTED = {
    "electoral.io._ess.MAX_RATIO": 10**9,
    "electoral.io._ess.MAX_SHEET_BYTES": 1 << 40,
    "electoral.io._ess.MAX_PART_BYTES": 1 << 40,
}


@pytest.mark.parametrize("how", ["none", "3"])
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("huge_cell", "text of more than"),
        ("ws_before", "text of more than"),
        ("ws_strings", "text of more than"),
        ("strings", "more than 20,000 shared strings"),
    ],
)
def test_streaming_bounds_refuse_what_the_archive_bounds_let_through(
    tmp_path: Path, kind: str, message: str, how: str
) -> None:
    path = bomb(tmp_path, kind, 2 * GIB)
    result = measure(path, how, {**LIFTED, "electoral.io._ess.MAX_STRINGS": 20_000})
    assert message in str(result.get("error")), result
    assert float(str(result["seconds"])) < 10
    assert float(str(result["megabytes"])) < 300


@pytest.mark.parametrize("how", ["none", "3"])
@pytest.mark.parametrize(("kind", "size"), [("empty_rows", 4 * MIB), ("rows_ballots", 4 * MIB)])
def test_a_big_legitimate_part_streams_in_bounded_memory(tmp_path: Path, kind: str, size: int, how: str) -> None:
    path = bomb(tmp_path, kind, size)
    unit = BOMBS[kind][2]
    per_block = MIB // len(unit)
    ballots = per_block * (size // (len(unit) * per_block))  # every repeated row is a ballot
    result = measure(path, how, LIFTED)
    assert result.get("ballots") == ballots, result
    # hundreds of thousands of rows, none kept once counted: the memory of a small read (some 60 MB)
    assert float(str(result["megabytes"])) < 100


@pytest.mark.parametrize("how", ["none", "3"])
@pytest.mark.parametrize("kind", ["empty_rows", "rows_ballots"])
def test_rows_beyond_excels_last_are_refused_whatever_the_archive_bounds(tmp_path: Path, kind: str, how: str) -> None:
    # 2 GiB of rows numbered one after another, with the archive's bounds lifted: the 1,048,577th row is refused
    # (without the row bound, reading every row took minutes)
    path = bomb(tmp_path, kind, 2 * GIB)
    result = measure(path, how, LIFTED)
    assert "beyond row 1,048,576" in str(result.get("error")), result
    assert "bomb_" in str(result["error"])
    assert float(str(result["seconds"])) < 30
    assert float(str(result["megabytes"])) < 300


# -- the central directory, bounded before zipfile reads it ----------------------------------


def empty_entries(count: int) -> bytes:
    """A central directory of ``count`` zero-length entries (named by 7 digits), fast to build."""
    header = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0)
    return b"".join(header + b"%07d" % index for index in range(count))


def refused(path: Path, pattern: str) -> str:
    """The one-line FormatError reading ``path`` gives, which names the file once and matches ``pattern``."""
    with pytest.raises(FormatError) as caught:
        read_ess_table(path, first_column=2, ranks=3)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert message.count(path.name) == 1, message
    assert "\n" not in message
    return message


@pytest.fixture
def no_zipfile(monkeypatch: pytest.MonkeyPatch) -> None:
    """zipfile.ZipFile must not be reached: the archive is refused before."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("zipfile read the central directory")

    monkeypatch.setattr(_ess.zipfile, "ZipFile", refuse)


@pytest.mark.parametrize("zip64", [True, False])
def test_a_million_entries_are_refused_before_zipfile_reads_them(tmp_path: Path, zip64: bool, no_zipfile: None) -> None:
    # zip64's end records give the true count; the 32-bit one can only say 65,535 (or lie)
    directory = empty_entries(1_000_000)
    path = tmp_path / "entries.xlsx"
    path.write_bytes(directory + end_records(1_000_000 if zip64 else 0xFFFF, len(directory), 0, zip64))
    refused(path, r"entries\.xlsx: the zip central directory claims .*, more than MAX_ZIP_")


@pytest.mark.parametrize("zip64", [True, False])
def test_a_directory_over_its_bound_is_refused_whatever_count_it_claims(
    tmp_path: Path, zip64: bool, no_zipfile: None
) -> None:
    directory = empty_entries(_ess.MAX_ZIP_DIRECTORY_BYTES // 53 + 1)  # 53 bytes an entry: just over the bound
    path = tmp_path / "cvr.xlsx"
    path.write_bytes(directory + end_records(3, len(directory), 0, zip64))
    refused(path, r"claims 1,048,6\d\d bytes, more than MAX_ZIP_DIRECTORY_BYTES \(1,048,576\)")


def test_more_entries_than_an_xlsx_has_are_refused_as_claimed_and_as_counted(tmp_path: Path) -> None:
    directory = empty_entries(_ess.MAX_ZIP_ENTRIES + 1)  # some 53 KB: within the directory's bound
    path = tmp_path / "cvr.xlsx"
    path.write_bytes(directory + end_records(_ess.MAX_ZIP_ENTRIES + 1, len(directory), 0))
    refused(path, r"claims 1,001 entries, more than MAX_ZIP_ENTRIES \(1,000\)")
    # an end record that claims fewer: zipfile reads to the directory's end, and the entries are counted
    path.write_bytes(directory + end_records(3, len(directory), 0))
    refused(path, r"cvr\.xlsx: the archive holds 1,001 entries, more than MAX_ZIP_ENTRIES")


@pytest.mark.parametrize(("zip64", "comment"), [(True, b""), (False, b"a comment"), (True, b"PK a comment")])
def test_zip64_end_records_and_comments_of_a_real_workbook_are_read(
    tmp_path: Path, zip64: bool, comment: bytes
) -> None:
    members = []
    with zipfile.ZipFile(SOURCE) as source:
        for info in source.infolist():
            data, size, crc = _deflated(source.read(info))
            members.append((info.filename, data, 8, crc, size))
    path = write_zip(tmp_path / "cvr.xlsx", members, zip64=zip64, comment=comment)
    assert (
        read_ess_table(path, first_column=2, ranks=3).records == read_ess_table(SOURCE, first_column=2, ranks=3).records
    )


def test_a_zip64_record_over_the_bound_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "cvr.xlsx", SHEET, _deflated(SMALL_SHEET))
    raw = path.read_bytes()
    end = raw.rindex(b"PK\x05\x06")
    (entries,) = struct.unpack_from("<H", raw, end + 10)
    # the same directory, with zip64 end records that claim a 2 MiB directory
    records = end_records(entries, 2 * MIB, 0, zip64=True)
    path.write_bytes(raw[:end] + records)
    refused(path, r"claims 2,097,152 bytes, more than MAX_ZIP_DIRECTORY_BYTES")
