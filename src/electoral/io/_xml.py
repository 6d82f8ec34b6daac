"""XML, parsed safely and in a stream: no document type, no entities, bounded work and memory.

Shared by the XML readers (CDF XML, Hart) and the xlsx parts of ES&S. The
parser is expat (``xml.parsers.expat``), driven directly rather than through
ElementTree, so that its handlers can refuse what a reader never needs:

- **A document type declaration** (``<!DOCTYPE``), in any encoding expat
  reads (UTF-8, UTF-16 with or without a byte-order mark, the single-byte
  code pages a declaration names): the handler that expat calls when the
  declaration starts raises, and an exception in a handler stops expat at
  once, before any entity of it is declared, let alone expanded. Entity
  declarations and external entity references cannot occur without one,
  and their handlers raise too. The five predefined entities and character
  references are plain text. UTF-32, which expat cannot read, is refused as
  malformed.
- **Deep nesting**: more than :data:`MAX_DEPTH` open elements.
- **Long values**: a text of more than :data:`MAX_TEXT` characters (the
  character data between two tags, comments and CDATA sections included),
  and markup left unfinished over more than :data:`MAX_MARKUP` bytes at a
  read boundary (so any one tag, with its attribute values, any comment or
  processing instruction of up to :data:`MAX_MARKUP` bytes is read, and
  none beyond twice that).
- **Large kept elements**: each element the caller asks for is built as an
  ElementTree element with its descendants; one that spans more than
  :data:`MAX_KEPT_BYTES` bytes of the document or holds more than
  :data:`MAX_KEPT_ELEMENTS` elements is refused.

Only the elements asked for (and their descendants) are built: everything
else is counted and dropped, and a kept element is not attached to its
parent, so a stream of many small kept elements (rows of a sheet, CVRs)
holds one at a time. Whitespace between elements is never stored: an
element's ``text`` is the character data before its first child, and the
character data after an element (ElementTree's ``tail``) is dropped.

A document of at most :data:`SMALL` bytes (a Hart CVR, most xlsx parts) is
read faster: an expat parser with the refusing handlers reads its prolog,
where alone a document type can be (after the root element starts, one is a
syntax error), and ElementTree, on the same expat, then builds it whole, in
C. Within that size no bound but the depth can be reached, and the depth is
checked on the tree; its elements keep their ``tail``.

Every failure is a :class:`~electoral.errors.FormatError` naming ``source``
and, where known, the line.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final, NoReturn, cast
from xml.etree.ElementTree import Element, SubElement
from xml.parsers import expat

from electoral.errors import FormatError

__all__ = [
    "MAX_DEPTH",
    "MAX_KEPT_BYTES",
    "MAX_KEPT_ELEMENTS",
    "MAX_MARKUP",
    "MAX_TEXT",
    "SMALL",
    "iter_xml",
    "local",
]

#: The most elements open at once (real CVR documents nest fewer than 12 deep).
MAX_DEPTH: Final = 256
#: The most characters of one text between two tags (a candidate name, a shared string, a rank bit string).
MAX_TEXT: Final = 1 << 20
#: The most bytes of one unfinished tag, comment or processing instruction at a read boundary.
MAX_MARKUP: Final = 1 << 20
#: The most bytes of the document one kept element (with its descendants) spans.
MAX_KEPT_BYTES: Final = 16 << 20
#: The most elements one kept element holds, itself included.
MAX_KEPT_ELEMENTS: Final = 100_000
#: The most bytes of a document built whole (within it, a text, a tag or a kept element cannot pass its bound).
SMALL: Final = 1 << 18

_CHUNK: Final = 1 << 20
_DOCTYPE: Final = "the XML declares a document type (<!DOCTYPE>), which is refused: it could declare entities"


def iter_xml(stream: IO[bytes], source: str, *, tags: Iterable[str] = ()) -> Iterator[Element]:
    """Stream the elements whose local name is in ``tags`` (every element, if empty), each as it ends.

    Each is an :class:`xml.etree.ElementTree.Element` with its descendants
    and their attributes and texts (tags and attribute names in
    ElementTree's ``{namespace}name`` form). An element asked for inside
    another one is yielded too, before the one that holds it. See the
    module's docstring for what is refused, and for the small documents
    built whole; of a larger document, an element yielded is attached to
    no parent, so dropping it frees it.
    """
    wanted = frozenset(tags)
    first = _read(stream, source)
    if len(first) <= SMALL:
        second = _read(stream, source)
        if not second:
            yield from _small(first, source, wanted)
            return
        chunks = [first, second]
    else:
        chunks = [first]
    builder = _Builder(source, wanted)
    fed = 0
    while True:
        chunk = chunks.pop(0) if chunks else _read(stream, source)
        fed += len(chunk)
        builder.parse(chunk, final=not chunk)
        yield from builder.take()
        if not chunk:
            return
        builder.check_bounds(fed)


def _read(stream: IO[bytes], source: str) -> bytes:
    try:
        return stream.read(_CHUNK)
    except FormatError:
        raise
    except Exception as error:  # a damaged zip member or a failing disk, in the many forms they take
        raise FormatError(f"cannot read the XML: {_describe(error)}", source=source) from None


class _RootStarts(Exception):
    """The prolog is over: no document type can come."""


def _small(document: bytes, source: str, wanted: frozenset[str]) -> list[Element]:
    """The elements asked for of a small document, built by ElementTree once its prolog is checked."""
    guard = _Builder(source, wanted, guard=True)
    with contextlib.suppress(_RootStarts):
        guard.parse(document, final=True)
    parser: ET.XMLPullParser[Element] = ET.XMLPullParser(events=("end",))
    found: list[Element] = []
    root = None
    kept: dict[str, bool] = {}
    try:
        parser.feed(document)
        events = list(parser.read_events())  # an error in feeding is raised here, with its position
        parser.close()
        events += parser.read_events()
    except ET.ParseError as error:
        line, column = error.position
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise FormatError(f"malformed XML: {message} (column {column + 1})", source=source, line=line) from None
    except (LookupError, ValueError, TypeError) as error:  # a declared encoding Python cannot map
        raise FormatError(
            f"the XML declares an encoding that cannot be read ({_describe(error)})", source=source
        ) from None
    for _, element in cast("list[tuple[str, Element]]", events):
        root = element
        keep = kept.get(element.tag)
        if keep is None:
            keep = kept[element.tag] = not wanted or local(element.tag) in wanted
        if keep:
            found.append(element)
    level = [root] if root is not None else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise FormatError(f"elements nest deeper than {MAX_DEPTH} levels", source=source)
        level = [child for element in level for child in element]
    return found


def _root_starts(*_: Any) -> NoReturn:
    raise _RootStarts()


class _Builder:
    """The expat parser and the handlers that build the kept elements.

    As a ``guard``, it only reads the prolog: its element handler stops it
    at the start of the root, with :class:`_RootStarts`.
    """

    def __init__(self, source: str, wanted: frozenset[str], *, guard: bool = False) -> None:
        self.source = source
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.UnparsedEntityDeclHandler = self._doctype
        parser.NotationDeclHandler = self._doctype
        parser.ExternalEntityRefHandler = self._doctype
        parser.SkippedEntityHandler = self._doctype
        self.parser = parser
        self.ready: list[Element] = []
        self.stack: list[Element] = []
        self.kept_start = 0
        if guard:
            parser.StartElementHandler = _root_starts
        else:
            _handlers(self, parser, wanted)

    def _doctype(self, *_: Any) -> NoReturn:
        self.refuse(_DOCTYPE)

    def refuse(self, message: str) -> NoReturn:
        raise FormatError(message, source=self.source, line=self.parser.CurrentLineNumber)

    def parse(self, chunk: bytes, *, final: bool) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError as error:
            message = expat.ErrorString(error.code) or "not well-formed"
            raise FormatError(
                f"malformed XML: {message} (column {error.offset + 1})", source=self.source, line=error.lineno
            ) from None
        except FormatError:
            raise
        except (LookupError, ValueError, TypeError) as error:  # a declared encoding Python cannot map
            raise FormatError(
                f"the XML declares an encoding that cannot be read ({_describe(error)})", source=self.source
            ) from None

    def take(self) -> list[Element]:
        ready = self.ready[:]
        self.ready.clear()  # the handlers hold this list
        return ready

    def check_bounds(self, fed: int) -> None:
        """After a read: no markup left unfinished too long, no kept element too large."""
        if fed - max(self.parser.CurrentByteIndex, 0) > MAX_MARKUP:
            self.refuse(f"a tag, comment or processing instruction runs over more than {MAX_MARKUP:,} bytes")
        if self.stack and fed - self.kept_start > MAX_KEPT_BYTES:
            self.refuse(f"an element <{local(self.stack[0].tag)}> spans more than {MAX_KEPT_BYTES:,} bytes")


def _handlers(builder: _Builder, parser: Any, wanted: frozenset[str]) -> None:
    """Install the element and text handlers, as closures over their state (the fastest handlers)."""
    names: dict[str, tuple[str, bool]] = {}
    stack = builder.stack
    ready = builder.ready
    depth = 0
    run = 0
    kept = 0
    target: Element | None = None

    def name_of(raw: str) -> tuple[str, bool]:
        # expat writes "namespace}name"; ElementTree's form is "{namespace}name"
        tag = "{" + raw if "}" in raw else raw
        info = names[raw] = (tag, not wanted or tag.rpartition("}")[2] in wanted)
        return info

    def start(raw: str, attrs: dict[str, str]) -> None:
        nonlocal depth, run, kept, target
        depth += 1
        if depth > MAX_DEPTH:
            builder.refuse(f"elements nest deeper than {MAX_DEPTH} levels")
        run = 0
        info = names.get(raw) or name_of(raw)
        if stack:
            kept += 1
            if kept > MAX_KEPT_ELEMENTS:
                builder.refuse(f"an element <{local(stack[0].tag)}> holds more than {MAX_KEPT_ELEMENTS:,} elements")
            target = SubElement(stack[-1], info[0], _attributes(attrs) if attrs else attrs)
            stack.append(target)
        elif info[1]:
            target = Element(info[0], _attributes(attrs) if attrs else attrs)
            stack.append(target)
            kept = 1
            builder.kept_start = parser.CurrentByteIndex
        else:
            target = None

    def end(raw: str) -> None:
        nonlocal depth, run, target
        depth -= 1
        run = 0
        target = None
        if stack:
            element = stack.pop()
            if names[raw][1]:
                ready.append(element)

    def text(data: str) -> None:
        nonlocal run
        run += len(data)
        if run > MAX_TEXT:
            builder.refuse(f"a text of more than {MAX_TEXT:,} characters")
        if target is not None:
            # the text before the element's first child (a long one comes in pieces); text after a child is dropped
            before = target.text
            target.text = data if before is None else before + data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text


def _attributes(attrs: dict[str, str]) -> dict[str, str]:
    for name in attrs:
        if "}" in name:
            return {("{" + key if "}" in key else key): value for key, value in attrs.items()}
    return attrs


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]
