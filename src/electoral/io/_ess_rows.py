"""What both paths through an ES&S sheet share: a row's cells, and the record they make.

A row is read, by the XML parser or by the fast path, as a tuple of cells
``(column letters, type, value)``; :class:`Records` turns one into a ballot
record, the same way for both, so that the paths can only differ in which
rows and cells they see, and the tests compare exactly that.
"""

from __future__ import annotations

import re
from typing import Final

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import Record

__all__ = ["MAX_COLUMN", "MAX_ROW", "ROW_DIGITS", "Cell", "Records", "beyond_row", "column_number", "value_text"]

#: The last row a sheet may number: Excel's (and the xlsx format's) 1,048,576. A sheet numbering a row
#: beyond it is refused on both paths, so that its row numbers, and the rows counted one after another,
#: bound the rows a sheet can hold, whatever it claims.
MAX_ROW: Final = 1 << 20
#: The digits of MAX_ROW: a row number with fewer cannot pass it.
ROW_DIGITS: Final = len(str(MAX_ROW))
#: The last column a cell may name: ``XFD``, Excel's 16,384. Beyond it (``XFE`` to ``ZZZ``) is refused on
#: both paths, so that a record without a rank limit is at most that wide.
MAX_COLUMN: Final = 1 << 14

#: A cell of a row: its column letters, its ``t`` type and its value (stripped).
Cell = tuple[str, str, str]

_INTEGER = re.compile(r"-?[0-9]+")


def column_number(letters: str) -> int:
    """``"A"`` is 1, ``"Z"`` 26, ``"AA"`` 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def beyond_row(digits: str) -> bool:
    """Whether ASCII ``digits`` (a cell reference's, leading zeros allowed, any length) spell a row beyond MAX_ROW."""
    digits = digits.lstrip("0")
    return len(digits) > ROW_DIGITS or (bool(digits) and int(digits) > MAX_ROW)


def value_text(raw: str) -> str:
    """A cell value as the parser gives it: line ends normalised as XML does, then stripped."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw.strip()


class Records:
    """Makes the ballot record of a row's cells: rank ``i`` is the cell of column ``first_column + i``.

    Cells outside the rank columns are ignored; of two cells of one column,
    the later one counts. A blank cell within the row's last filled rank is
    an empty rank. What each distinct cell says is worked out once.
    """

    def __init__(self, strings: list[str], first_column: int, ranks: int | None, source: str) -> None:
        self.strings = strings
        self.first_column = first_column
        self.ranks = ranks
        self.source = source
        self.cells: dict[Cell, tuple[int, str]] = {}

    def __call__(self, raw: tuple[Cell, ...]) -> Record:
        values: dict[int, str] = {}
        cells = self.cells
        for cell in raw:
            entry = cells.get(cell)
            if entry is None:
                entry = cells[cell] = self._read(cell)
            if entry[0] >= 0:
                values[entry[0]] = entry[1]
        width = max(values, default=-1) + 1
        if self.ranks is not None:
            width = min(width, self.ranks)
        return tuple((values[i],) if values.get(i) else () for i in range(width))

    def _read(self, cell: Cell) -> tuple[int, str]:
        """The rank a cell is at (-1 outside the rank columns) and the text it marks."""
        letters, kind, value = cell
        rank = column_number(letters) - self.first_column
        if rank < 0 or (self.ranks is not None and rank >= self.ranks):
            return -1, ""
        if kind == "s":
            index = ascii_int(value)
            if index is None or index >= len(self.strings):
                raise FormatError(f"cell {letters}: shared string {excerpt(value)} does not exist", source=self.source)
            text = self.strings[index]
        elif kind in ("inlineStr", "str", "b"):
            text = value
        elif kind in ("", "n"):
            text = _number_text(value)
        else:
            raise FormatError(f"cell {letters}: cell type {excerpt(kind)} is not a candidate mark", source=self.source)
        return rank, text.strip()


def _number_text(value: str) -> str:
    # a numeric code such as 1234 is stored as "1234" or "1234.0"
    if value.endswith(".0") and _INTEGER.fullmatch(value[:-2]):
        return value[:-2]
    return value
