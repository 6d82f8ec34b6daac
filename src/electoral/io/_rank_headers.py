"""Finding a CVR's rank columns from its header row (ES&S sheets and rank-column CSVs).

A header names a rank column when it gives a rank number in one of the
spellings real files use:

- ``Choice 1``, ``Choice 1 of 5``, ``For Mayor Choice 1 (45)`` (ES&S, as in
  the RCTab test suite's Portland 2015 sheets), ``Choice_1``;
- ``1st Choice``, ``1ST CHOICE MAYOR MINNEAPOLIS``, ``Rep. to Congress
  District 2 1st Choice`` (Maine's Secretary of State, 2018), ``2nd``;
- ``Rank 1``, ``rank1`` (votekit's condensed CSVs: Portland 2024),
  ``Preference 1``;
- a bare number, ``1`` (RCTab's ``bottoms_up`` sheet).

The rank columns are then the one run of adjacent columns numbered 1, 2, 3
and so on. Anything else is ambiguous, and refused rather than guessed: no
rank header at all (a Precinct column is never taken for rank 1), two runs
(two contests in one sheet), or a rank header outside the run (``Choice 3``
before ``Choice 1``, a rank given twice). The error names the file, the
header row and the columns, and says which read options settle it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final

from electoral._text import excerpt
from electoral.errors import FormatError

__all__ = ["MAX_HEADER_RANK", "find_rank_columns", "rank_number"]

#: The highest rank number a header may give (higher numbers are not rank headers).
MAX_HEADER_RANK: Final = 9_999

_RANK = re.compile(
    r"^\s*(?P<bare>[0-9]{1,4})\s*$"
    r"|(?<![A-Za-z])(?:choice|rank|preference)[\s_#-]*(?P<after>[0-9]{1,4})(?![0-9])"
    r"|(?<![0-9.])(?P<ordinal>[0-9]{1,4})(?:st|nd|rd|th)(?![A-Za-z0-9])",
    re.IGNORECASE | re.ASCII,
)
# a header longer than this is no rank header (and is not searched)
_MAX_HEADER: Final = 1_000


def rank_number(header: str) -> int | None:
    """The rank a column's header gives (``"Rank 2"`` is 2), or None if it is no rank header.

    >>> [rank_number(h) for h in ("Choice 1 of 5", "1ST CHOICE MAYOR", "rank3", "Precinct", "District 2")]
    [1, 1, 3, None, None]
    """
    if len(header) > _MAX_HEADER:
        return None
    match = _RANK.search(header)
    if match is None:
        return None
    number = int(match.group("bare") or match.group("after") or match.group("ordinal"))
    return number if 1 <= number <= MAX_HEADER_RANK else None


def find_rank_columns(
    headers: Sequence[str], *, source: str, row: int, column: Callable[[int], str], options: str
) -> tuple[int, int]:
    """The 0-based index of the rank-1 column and the number of rank columns, from a header row.

    ``headers`` are the row's cells in column order (``""`` for a blank
    one); ``row`` is its 1-based number and ``column(i)`` names column
    ``i`` in messages (``"D"``, ``"4"``); ``options`` are the read options
    that give the rank columns instead, for the message.
    """
    numbers = [rank_number(h) for h in headers]
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(numbers):
        if numbers[index] == 1:
            start = index
            while index + 1 < len(numbers) and numbers[index + 1] == numbers[index] + 1:  # type: ignore[operator]
                index += 1
            runs.append((start, index - start + 1))
        index += 1

    def named(i: int) -> str:
        return f"{column(i)} {excerpt(headers[i], 40)}"

    def span(start: int, count: int) -> str:
        return f"column {named(start)}" if count == 1 else f"columns {named(start)} to {named(start + count - 1)}"

    settle = f"pass {options} to say which columns are the ranks"
    if not runs:
        shown = ", ".join(named(i) for i in range(min(len(headers), 6))) + (", ..." if len(headers) > 6 else "")
        raise FormatError(
            f"row {row}: no column's header names rank 1 (like 'Choice 1', 'Rank 1' or '1st Choice');"
            f" the columns are {shown or 'none'}: {settle}",
            source=source,
        )
    if len(runs) > 1:
        spans = " and ".join(span(*r) for r in runs[:3])
        raise FormatError(
            f"row {row}: the header is ambiguous: {len(runs)} runs of rank columns, {spans}: {settle}", source=source
        )
    start, count = runs[0]
    stray = [i for i, n in enumerate(numbers) if n is not None and not start <= i < start + count]
    if stray:
        raise FormatError(
            f"row {row}: the header is ambiguous: the rank columns are {span(start, count)},"
            f" but column {named(stray[0])} also names a rank: {settle}",
            source=source,
        )
    return start, count
