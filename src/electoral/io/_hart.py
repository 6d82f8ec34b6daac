"""Hart cast vote records: a folder of XML files, one ballot (``<Cvr>``) per file.

Files are read in path order. In the contest whose ``Id`` is ``contest``,
each ``Option`` marks the candidate with its option ``Id`` (map ids to names
through aliases) at the ranks its ``Value`` sets, read as a bit string from
the left (``"001000"`` is rank 3, ``"1"`` rank 1), as RCTab's Hart cases require. A ballot without the contest is not a
ballot of it. XML is parsed without a DTD (see :mod:`electoral.io._xml`).

Every entry of the folder whose name ends in ``.xml`` is a CVR: one that is
not a regular file (a FIFO, a device, a folder) is refused by name before
anything is read from it, rather than skipped, and a link is followed to
what it names, whose content no message shows.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, Record
from electoral.io._files import check_folder, open_binary
from electoral.io._xml import iter_xml, local

__all__ = ["read_hart_table"]


def read_hart_table(folder: Path, *, contest: str) -> CvrTable:
    """Read a folder of Hart XML CVRs (or one file) into a :class:`CvrTable`."""
    files = _files(folder)
    if not files:
        raise FormatError("no .xml CVR files in the folder", source=str(folder))
    records: Counter[Record] = Counter()
    where: dict[Record, str] = {}
    names: dict[str, str] = {}
    for path in files:
        record = _read_one(path, contest, names)
        if record is not None:
            records[record] += 1
            where.setdefault(record, path.name)
    return CvrTable(str(folder), dict(records), lambda record: where.get(record, "a file"), names)


def _files(folder: Path) -> list[Path]:
    """The CVR files: the folder's ``.xml`` entries in name order, or ``folder`` itself if it is not a folder."""
    if not folder.is_dir():
        return [folder]  # opening it says what it is, if it is not a regular file
    check_folder(folder)
    try:
        entries = os.listdir(folder)
    except OSError as error:
        raise FormatError(f"cannot read the folder: {error.strerror or error}", source=str(folder)) from None
    # sorted as names (in C), which is the order of their paths; ".xml" alone has no suffix, as for pathlib
    return [
        folder / name
        for name in sorted(entries, key=os.path.normcase)
        if len(name) > len(".xml") and name.lower().endswith(".xml")
    ]


def _read_one(path: Path, contest: str, names: dict[str, str]) -> Record | None:
    source = str(path)
    stream = open_binary(path, source)
    found: Record | None = None
    roots = 0
    with stream:
        for element in iter_xml(stream, source, tags=("Contest", "Cvr")):
            if local(element.tag) == "Cvr":
                roots += 1
                continue
            ids = [c.text for c in element if local(c.tag) == "Id"]
            if not ids or (ids[0] or "").strip() != contest:
                continue
            ranks: dict[int, list[str]] = {}
            for options in element:
                if local(options.tag) != "Options":
                    continue
                for option in options:
                    code = next(((c.text or "").strip() for c in option if local(c.tag) == "Id"), None)
                    value = next(((c.text or "").strip() for c in option if local(c.tag) == "Value"), "1")
                    if not code:
                        raise FormatError(f"an option of contest {excerpt(contest)} has no Id", source=source)
                    name = next(((c.text or "").strip() for c in option if local(c.tag) == "Name"), "")
                    if name:
                        names.setdefault(code, name)
                    # the value is a bit string, leftmost bit rank 1: "001000" is rank 3
                    if not value or value.strip("01") or len(value) > 10_000:
                        raise FormatError(
                            f"option {excerpt(code)}: value {excerpt(value)} is not a string of rank bits",
                            source=source,
                        )
                    for rank, bit in enumerate(value, start=1):
                        if bit == "1":
                            ranks.setdefault(rank, []).append(code)
            width = max(ranks, default=0)
            found = tuple(tuple(ranks.get(r, ())) for r in range(1, width + 1))
    if roots != 1:
        raise FormatError("a Hart CVR file holds one <Cvr> element", source=source)
    return found
