"""XML, parsed safely and in a stream: no document type, no entities.

Shared by the XML readers (CDF XML, Hart) and the xlsx parts of ES&S.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, cast

from electoral.errors import FormatError

__all__ = ["iter_xml", "local"]

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def iter_xml(stream: IO[bytes], source: str, *, tags: Iterable[str] = ()) -> Iterator[ET.Element]:
    """Stream the elements of an XML document as they end, rejecting any DTD.

    A document type declaration is where entities are declared, so refusing
    it means no entity is ever expanded (the five predefined ones and
    character references are plain text). Elements whose local name is in
    ``tags`` (all, if empty) are yielded; the caller may ``clear()`` them to
    keep memory bounded.
    """
    wanted = frozenset(tags)
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("end",))
    tail = b""
    try:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            for bad in _FORBIDDEN:
                if bad in window:
                    raise FormatError(
                        "the XML declares a document type or entities, which are refused for safety", source=source
                    )
            tail = window[-16:]
            parser.feed(chunk)
            yield from _ended(parser, wanted)
        parser.close()
        yield from _ended(parser, wanted)
    except ET.ParseError as error:
        line, column = error.position
        raise FormatError(
            f"malformed XML: {_expat_message(error)} (column {column + 1})", source=source, line=line
        ) from None
    except (OSError, EOFError, ValueError, LookupError, zlib.error) as error:
        if isinstance(error, FormatError):
            raise
        raise FormatError(f"cannot read the XML: {error}", source=source) from None


def _ended(parser: ET.XMLPullParser[ET.Element], wanted: frozenset[str]) -> Iterator[ET.Element]:
    for event in parser.read_events():
        element = cast("tuple[str, object]", event)[1]  # "end" events are (event, element)
        if isinstance(element, ET.Element) and (not wanted or local(element.tag) in wanted):
            yield element


def _expat_message(error: ET.ParseError) -> str:
    return re.sub(r": line \d+, column \d+$", "", str(error))


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]
