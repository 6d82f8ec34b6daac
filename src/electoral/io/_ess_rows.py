"""What both paths through an ES&S sheet share: a row's cells, and the record they make.

A row is read, by the XML parser or by the fast path, as a tuple of cells
``(column letters, type, value)``; :func:`record_of` turns one into a ballot
record, the same way for both, so that the paths can only differ in which
rows and cells they see, and the tests compare exactly that.
"""

from __future__ import annotations

import re

from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import Record

__all__ = ["Cell", "column_number", "letters_of", "record_of", "value_text"]

#: A cell of a row: its column letters, its ``t`` type and its value (stripped).
Cell = tuple[str, str, str]

_INTEGER = re.compile(r"-?[0-9]+")


def column_number(letters: str) -> int:
    """``"A"`` is 1, ``"Z"`` 26, ``"AA"`` 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def letters_of(column: int) -> str:
    """The letters of a 1-based column number."""
    text = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        text = chr(65 + remainder) + text
    return text


def value_text(raw: str) -> str:
    """A cell value as the parser gives it: line ends normalised as XML does, then stripped."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return raw.strip()


def record_of(raw: tuple[Cell, ...], strings: list[str], first_column: int, ranks: int | None, source: str) -> Record:
    """The ballot record of a row's cells: rank ``i`` is the cell of column ``first_column + i``.

    Cells outside the rank columns are ignored; of two cells of one column,
    the later one counts. A blank cell within the row's last filled rank is
    an empty rank.
    """
    values: dict[int, str] = {}
    for letters, kind, value in raw:
        column = column_number(letters)
        if column < first_column or (ranks is not None and column >= first_column + ranks):
            continue
        if kind == "s":
            index = ascii_int(value)
            if index is None or index >= len(strings):
                raise FormatError(f"cell {letters}: shared string {excerpt(value)} does not exist", source=source)
            text = strings[index]
        elif kind in ("inlineStr", "str", "b"):
            text = value
        elif kind in ("", "n"):
            text = _number_text(value)
        else:
            raise FormatError(f"cell {letters}: cell type {excerpt(kind)} is not a candidate mark", source=source)
        values[column - first_column] = text.strip()
    width = max(values, default=-1) + 1
    if ranks is not None:
        width = min(width, ranks)
    return tuple((values[i],) if values.get(i) else () for i in range(width))


def _number_text(value: str) -> str:
    # a numeric code such as 1234 is stored as "1234" or "1234.0"
    if value.endswith(".0") and _INTEGER.fullmatch(value[:-2]):
        return value[:-2]
    return value
