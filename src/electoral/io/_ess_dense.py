"""The fast path through an ES&S sheet: rows read by their shapes, with regular expressions and numpy.

ES&S exports (and most spreadsheet writers) repeat a handful of row shapes:
the rows differ only in their digits (row numbers, cell references, the
shared-string indices that name candidates). So each chunk of the sheet is
read in C: digits are masked (``bytes.translate``), the chunk is split at
``</row>``, and each distinct masked row, a *shape*, is checked once, in
Python, against the strict grammar below; numpy then reads every row's
digits at the offsets its shape gives, and counts identical ballots. No
Python code runs per ballot, and every byte of the rows is checked.

The fast path must accept exactly the sheets the XML parser accepts and read
the same rows, so it takes only sheets whose every byte it accounts for, and
returns None (raising :class:`Restart` inside) for anything else; the caller
then reads the sheet with the parser, which decides. The grammar:

- **The frame** (the XML before ``<sheetData>`` and after ``</sheetData>``)
  is UTF-8 (declared so, or undeclared), at most :data:`MAX_FRAME` bytes,
  holds no comment, CDATA section or processing instruction before
  ``<sheetData>``, and parses, with ``<sheetData/>`` in place of the rows,
  with the safe parser of :mod:`electoral.io._xml`, without a ``row``
  element (which the parser would count).
- **A row** is ``<row r="N" ...>`` with ``r`` its first attribute (1 to 9
  ASCII digits), then at most 32 attributes of ASCII names, with
  double-quoted values free of ``<``, ``>`` and ``&`` (so no entity), each
  local name once (``a`` and ``x:a``, or ``x:a`` and ``y:a``, may or may
  not clash, as their prefixes' namespaces say: the parser decides), none
  ``r`` but the first, no namespace declaration and every prefix declared
  on the root element. It is self-closed or holds at most 4,096 cells
  ``<c r="B7" s="3" t="s">`` (column letters and row digits; the style and
  type optional, each once) with an optional ``<v>`` value of at most 1,000
  bytes free of ``<``, ``>`` and ``&``.
- **Within the sheet's bounds**: no row number, and no row a cell reference
  names, is beyond :data:`~electoral.io._ess_rows.MAX_ROW` (1,048,576), and
  no column beyond :data:`~electoral.io._ess_rows.MAX_COLUMN` (``XFD``); the
  parser refuses those, with the message.
- Rows tile ``<sheetData>``: nothing but whitespace (at most 256 bytes a
  run) lies between them, no character that XML forbids occurs, text outside
  ASCII is valid UTF-8, and row numbers increase strictly.

Within this grammar the parser's bounds (:mod:`electoral.io._xml`) are never
reached, and every value reads as the parser reads it once line ends are
normalised (:func:`~electoral.io._ess_rows.value_text`). Rows from
``first_row`` on are ballots; of a row, only the cells of the rank columns
are kept, in order, and :class:`~electoral.io._ess_rows.Records` makes the
record, as for the parser. Memory is bounded by the chunk size and the
number of unique ballots.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import IO, Final

import numpy as np
import numpy.typing as npt

from electoral.errors import FormatError
from electoral.io._ess_rows import MAX_COLUMN, MAX_ROW, ROW_DIGITS, Cell, column_number, value_text
from electoral.io._xml import MAX_MARKUP, iter_xml

__all__ = ["MAX_FRAME", "Restart", "fast_rows"]

#: The most bytes of the frame around the rows that the fast path takes (below the parser's markup bound).
MAX_FRAME: Final = MAX_MARKUP // 2
_CHUNK: Final = 1 << 23
#: The most bytes held while the end of a row is looked for.
_MAX_PIECE: Final = 1 << 20
#: More distinct row shapes than this (and than a quarter of a chunk's rows) leave the sheet to the parser.
_MAX_SHAPES: Final = 4096
#: The most bytes of distinct row shapes kept.
_MAX_SHAPE_BYTES: Final = 64 << 20
#: Cell references with fewer row digits than MAX_ROW cannot pass it, and are not read.

# digits become \x01 (a shape), characters XML forbids \x00 (refused)
_TABLE = bytearray(range(256))
for _byte in b"0123456789":
    _TABLE[_byte] = 1
for _byte in [*range(9), 11, 12, *range(14, 32)]:
    _TABLE[_byte] = 0
_MASK: Final = bytes(_TABLE)

_D = rb"\x01{1,9}"
_NAME = rb"[A-Za-z_][A-Za-z\x01_.\-]{0,63}"
_QNAME = _NAME + rb"(?::" + _NAME + rb")?"
_ATTRIBUTES = rb"(?: " + _QNAME + rb'="[^"<>&]{0,256}"){0,32}'
_WS = rb"[ \t\r\n]{0,256}"
_ROW = rb'<row r="' + _D + rb'"' + _ATTRIBUTES
_CELL_ATTRIBUTES = rb'(?: s="' + _D + rb'"(?: t="([a-z]{1,9})")?| t="([a-z]{1,9})"(?: s="' + _D + rb'")?)?'
_CELL = rb'<c r="([A-Z]{1,3})(' + _D + rb')"' + _CELL_ATTRIBUTES + rb"(?:/>|>(?:<v>([^<>&]{0,1000})</v>|<v/>)?</c>)"
# the masked text between two </row>: self-closed rows, then one row open with its cells (the tail has none)
_PIECE = re.compile(
    _WS
    + rb"(?:"
    + _ROW
    + rb"/>"
    + _WS
    + rb"){0,1000}(?:"
    + _ROW
    + rb">(?:"
    + _WS
    + _CELL
    + rb"){0,4096}"
    + _WS
    + rb")?"
)
_ROW_TOKEN = re.compile(rb'<row r="(' + _D + rb')"(' + _ATTRIBUTES + rb")(/?)>")
_CELL_TOKEN = re.compile(_CELL)
_ATTRIBUTE = re.compile(rb" (" + _QNAME + rb')="')
_XML_DECLARATION = re.compile(
    rb"(?:\xef\xbb\xbf)?<\?xml[ \t\r\n]+version=(?:\"1\.0\"|'1\.0')"
    rb"(?:[ \t\r\n]+encoding=(?:\"[Uu][Tt][Ff]-8\"|'[Uu][Tt][Ff]-8'))?"
    rb"(?:[ \t\r\n]+standalone=(?:\"(?:yes|no)\"|'(?:yes|no)'))?[ \t\r\n]*\?>"
)
_ROOT_NAME = rb"[A-Za-z_][A-Za-z0-9_.\-]{0,63}(?::[A-Za-z_][A-Za-z0-9_.\-]{0,63})?"
_ROOT_VALUE = rb"[ \t\r\n]*=[ \t\r\n]*(?:\"[^\"<&]*\"|'[^'<&]*')"
_ROOT_ATTRIBUTE = re.compile(rb"[ \t\r\n]+(" + _ROOT_NAME + rb")" + _ROOT_VALUE)
_ROOT = re.compile(rb"[ \t\r\n]*<" + _ROOT_NAME + rb"((?:[ \t\r\n]+" + _ROOT_NAME + _ROOT_VALUE + rb")*)[ \t\r\n]*>")
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE and U+FFFF, which XML forbids

Ints = npt.NDArray[np.int64]


class Restart(Exception):
    """The sheet is not in the fast path's grammar: the caller reads it with the parser."""


def fast_rows(stream: IO[bytes], first_row: int, first_column: int, ranks: int | None) -> Counter[tuple[Cell, ...]]:
    """Each distinct row from ``first_row`` on (its rank cells only) and how many rows have it; or Restart."""
    prologue, pending, prefixes = _prologue(stream)
    reader = _Reader(prefixes, first_row, first_column, ranks)
    searched = 0  # pending holds no </sheetData> before this
    exhausted = False
    while True:
        end = pending.find(b"</sheetData>", searched)
        if end >= 0:
            reader.read(pending[:end], final=True)
            rest = pending[end + len(b"</sheetData>") :]
            break
        if exhausted:
            raise Restart()  # truncated: the parser says where
        cut = pending.rfind(b"</row>") + len(b"</row>")
        body = b""
        if cut >= len(b"</row>"):
            body, pending = pending[:cut], pending[cut:]
        elif len(pending) > _MAX_PIECE:
            raise Restart()
        searched = max(len(pending) - len(b"</sheetData>"), 0)
        chunk = stream.read(_CHUNK)
        exhausted = not chunk
        pending += chunk
        if body:
            reader.read(body, final=False)
    room = MAX_FRAME - len(prologue) - len(rest)
    if room < 0:
        raise Restart()
    rest += stream.read(room + 1)
    if len(prologue) + len(rest) > MAX_FRAME:
        raise Restart()
    _check_frame(prologue + b"<sheetData/>" + rest)
    return reader.rows()


class _Shape:
    """What a distinct masked row says of every row of its shape: where the digits and the rank values are."""

    __slots__ = ("cells", "closed", "columns", "layout", "numbers", "open", "prefixes", "references")

    def __init__(self, piece: bytes, reader: _Reader) -> None:
        if _PIECE.fullmatch(piece) is None:
            raise Restart()
        rows = list(_ROW_TOKEN.finditer(piece))
        #: the offsets of the namespace prefixes with digits, which each row's own digits spell
        self.prefixes: list[tuple[int, int]] = []
        for row in rows:
            reader.check_attributes(row.group(2))
            for name in _ATTRIBUTE.finditer(piece, row.start(2), row.end(2)):
                colon = name.group(1).find(b":")
                if colon > 0 and b"\x01" in name.group(1)[:colon]:
                    self.prefixes.append((name.start(1), name.start(1) + colon))
        #: the offsets of each row's number, in order (self-closed rows first)
        self.numbers = [row.span(1) for row in rows]
        self.open = bool(rows) and not rows[-1].group(3)
        self.closed = len(rows) - self.open
        #: the rank cells of the open row: letters, type, the offsets of the value (or None)
        self.cells: list[tuple[str, str, tuple[int, int] | None]] = []
        #: the offsets of the row digits of the open row's cell references long enough to pass MAX_ROW
        self.references: list[tuple[int, int]] = []
        if self.open:
            for match in _CELL_TOKEN.finditer(piece, rows[-1].end()):
                letters = match.group(1).decode()
                column = column_number(letters)
                if column > MAX_COLUMN:
                    raise Restart()  # the parser refuses it, and says so
                a, b = match.span(2)
                if b - a >= ROW_DIGITS:
                    self.references.append((a, b))
                if column < reader.first_column or (reader.ranks is not None and column >= reader.last_column):
                    continue
                kind = (match.group(3) or match.group(4) or b"").decode()
                self.cells.append((letters, kind, match.span(5) if match.group(5) is not None else None))
        spans = [span for _, _, span in self.cells if span is not None]
        self.columns = np.concatenate(
            [np.arange(a, b, dtype=np.int64) for a, b in spans] or [np.zeros(0, dtype=np.int64)]
        )
        #: the rank cells as the values of a row of this shape spell them, one after the other
        self.layout = tuple((letters, kind, span[1] - span[0] if span else -1) for letters, kind, span in self.cells)


def _cells(layout: tuple[tuple[str, str, int], ...], key: bytes) -> tuple[Cell, ...]:
    """The rank cells of a row: its ``layout``, and the bytes of its values, one after the other."""
    cells = []
    at = 0
    for letters, kind, length in layout:
        if length < 0:
            cells.append((letters, kind, ""))
        else:
            cells.append((letters, kind, value_text(key[at : at + length].decode())))
            at += length
    return tuple(cells)


class _Reader:
    """The state carried from chunk to chunk: the shapes seen, the last row number, the rows counted."""

    def __init__(self, prefixes: frozenset[bytes], first_row: int, first_column: int, ranks: int | None) -> None:
        self.prefixes = prefixes
        self.first_row = first_row
        self.first_column = first_column
        self.ranks = ranks
        self.last_column = first_column + (ranks or 0)
        self.shapes: dict[bytes, int] = {}
        self.shape_list: list[_Shape] = []
        self.shape_bytes = 0
        self.attributes: set[bytes] = {b""}
        self.last = 0
        #: the ballots counted: for each layout of rank cells, the values of each row and their number
        self.counts: dict[tuple[tuple[str, str, int], ...], Counter[bytes]] = {(): Counter()}

    def rows(self) -> Counter[tuple[Cell, ...]]:
        """The distinct rows counted (their rank cells) and the number of each."""
        rows: Counter[tuple[Cell, ...]] = Counter()
        for layout, counts in self.counts.items():
            for key, count in counts.items():
                rows[_cells(layout, key)] += count
        return rows

    def check_attributes(self, attributes: bytes) -> None:
        """A row's attributes after ``r``: each name once, none ``r`` or a namespace declaration, prefixes declared."""
        if attributes in self.attributes:
            return
        names = _ATTRIBUTE.findall(attributes)
        # two attributes of one local name (r and x:r, or x:a and y:a) are left to the parser: whether they
        # clash depends on the namespaces their prefixes name; so are two names alike once masked
        locals_ = [name.rpartition(b":")[2] for name in names]
        if len(set(locals_)) != len(locals_) or b"r" in locals_:
            raise Restart()
        for name in names:
            prefix, colon, _ = name.partition(b":")
            if name == b"xmlns" or prefix == b"xmlns":
                raise Restart()
            if colon and b"\x01" not in prefix and prefix not in self.prefixes:
                raise Restart()  # (a prefix with digits is checked row by row)
        self.attributes.add(attributes)

    def check_references(self, data: npt.NDArray[np.uint8], shape: _Shape, starts: Ints) -> None:
        """No cell reference of the rows of a shape names a row beyond MAX_ROW (the parser refuses one)."""
        for a, b in shape.references:
            if bool((_digits(data, starts + a, b - a) > MAX_ROW).any()):
                raise Restart()

    def check_prefixes(self, data: npt.NDArray[np.uint8], shape: _Shape, starts: Ints) -> None:
        """The prefixes with digits of the rows of a shape: alike in every row, and declared."""
        for a, b in shape.prefixes:
            spelled = data[starts[:, None] + np.arange(a, b, dtype=np.int64)[None, :]]
            if not bool((spelled == spelled[0]).all()) or bytes(spelled[0]) not in self.prefixes:
                raise Restart()

    def read(self, body: bytes, *, final: bool) -> None:
        """Count the ballot rows of ``body``: whole rows, each ended by ``</row>`` (the last chunk's tail aside)."""
        if not body.isascii():
            _check_utf8(body)
        masked = body.translate(_MASK)
        if b"\x00" in masked:
            raise Restart()
        pieces = masked.split(b"</row>")
        tail = _Shape(pieces.pop(), self)
        if tail.open or (tail.closed and not final):
            raise Restart()
        known = list(map(self.shapes.get, pieces))
        if None in known:
            # in the order they first appear, so that the records (and the names inferred from them) come in file order
            for piece in dict.fromkeys(pieces):
                if piece not in self.shapes:
                    self._add_shape(piece)
            known = list(map(self.shapes.__getitem__, pieces))
        ids = np.array(known, dtype=np.int64)
        if len(self.shapes) > _MAX_SHAPES and len(self.shapes) * 4 > len(pieces):
            raise Restart()  # too varied for this path to pay
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)) + len(b"</row>")
        starts = np.zeros(len(pieces) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        data = np.frombuffer(body, dtype=np.uint8)
        # the pieces, then the tail: each row's number, in order
        shapes = [*self.shape_list, tail]
        ids = np.append(ids, len(shapes) - 1)
        count_of = np.array([len(shape.numbers) for shape in shapes], dtype=np.int64)[ids]
        first = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(count_of, out=first[1:])
        numbers = np.zeros(int(first[-1]), dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        bounds = np.searchsorted(ids[order], np.arange(len(shapes) + 1))
        groups = [(index, order[bounds[index] : bounds[index + 1]]) for index in range(len(shapes))]
        for index, members in groups:
            for slot, (a, b) in enumerate(shapes[index].numbers):
                numbers[first[members] + slot] = _digits(data, starts[members] + a, b - a)
        if len(numbers):
            if numbers[0] <= self.last or bool((numbers[1:] <= numbers[:-1]).any()):
                raise Restart()  # a row out of order: the parser names it
            if numbers[-1] > MAX_ROW:
                raise Restart()  # (the last is the largest) the parser refuses it
            self.last = int(numbers[-1])
        ballots_from = int(np.searchsorted(numbers, self.first_row))
        for index, members in groups:
            if len(members):
                self.check_references(data, shapes[index], starts[members])
                self.check_prefixes(data, shapes[index], starts[members])
                self._count(data, shapes[index], members, first, starts, ballots_from)

    def _add_shape(self, piece: bytes) -> None:
        shape = _Shape(piece, self)
        if not shape.open:
            raise Restart()  # a piece ended by </row> holds an open row
        self.shape_bytes += len(piece)
        if self.shape_bytes > _MAX_SHAPE_BYTES:
            raise Restart()
        self.shapes[piece] = len(self.shape_list)
        self.shape_list.append(shape)

    def _count(
        self, data: npt.NDArray[np.uint8], shape: _Shape, members: Ints, first: Ints, starts: Ints, ballots_from: int
    ) -> None:
        """Count the ballots among the rows of one shape (``members`` are the indices of its pieces)."""
        empty = self.counts[()]
        for slot in range(shape.closed):  # self-closed rows: no cells
            empty[b""] += int((first[members] + slot >= ballots_from).sum())
        if not shape.open:
            return
        members = members[first[members] + shape.closed >= ballots_from]
        if not len(members):
            return
        counts = self.counts.setdefault(shape.layout, Counter())
        if not len(shape.columns):
            counts[b""] += len(members)
            return
        values = data[starts[members][:, None] + shape.columns[None, :]]
        keys = np.ascontiguousarray(values).view(f"S{len(shape.columns)}").ravel()
        unique, frequencies = np.unique(keys, return_counts=True)
        counts.update(dict(zip(unique.tolist(), frequencies.tolist(), strict=True)))


def _digits(data: npt.NDArray[np.uint8], positions: Ints, length: int) -> Ints:
    """The numbers whose ``length`` ASCII digits start at ``positions``."""
    value = data[positions].astype(np.int64) - 48
    for offset in range(1, length):
        value = value * 10 + (data[positions + offset].astype(np.int64) - 48)
    return value


def _prologue(stream: IO[bytes]) -> tuple[bytes, bytes, frozenset[bytes]]:
    """The XML before ``<sheetData>``, what follows it in the bytes read, and the prefixes the root declares."""
    head = b""
    while True:
        chunk = stream.read(1 << 16)
        if not chunk:
            raise Restart()
        searched = max(len(head) - len(b"<sheetData>"), 0)
        head += chunk
        start = head.find(b"<sheetData>", searched)
        if start >= 0:
            break
        if len(head) > MAX_FRAME:
            raise Restart()
    prologue = head[:start]
    declaration = _XML_DECLARATION.match(prologue)
    position = declaration.end() if declaration else 0
    if (not declaration and not prologue.startswith(b"<")) or prologue[1:2] == b"\x00":
        raise Restart()  # another encoding than UTF-8, or a byte-order mark of one
    if b"<!" in prologue[position:] or b"<?" in prologue[position:]:
        raise Restart()  # a comment could hide a <sheetData>
    root = _ROOT.match(prologue, position)
    if root is None:
        raise Restart()
    # the root's attributes, one after the other: the prefixes it declares are those in scope at the rows
    names = _ROOT_ATTRIBUTE.findall(root.group(1))
    prefixes = frozenset(name[len(b"xmlns:") :] for name in names if name.startswith(b"xmlns:"))
    return prologue, head[start + len(b"<sheetData>") :], prefixes | {b"xml"}


def _check_utf8(body: bytes) -> None:
    try:
        body.decode()
    except UnicodeDecodeError:
        raise Restart() from None
    if any(bad in body for bad in _NONCHARACTERS):
        raise Restart()


def _check_frame(document: bytes) -> None:
    """Parse the frame with the safe parser; a row in it (which the parser would count) leaves it to the parser."""
    try:
        for _ in iter_xml(io.BytesIO(document), "<frame>", tags=("row",)):
            raise Restart()
    except FormatError:
        raise Restart() from None
