"""The text of messages: short escaped excerpts of values, one-line messages, and strict whole numbers.

A message quotes at most :data:`EXCERPT` characters of any value, escaped so
that it stays on one line, and a whole message is at most
:data:`MESSAGE_LIMIT` characters. Where a format says "integer", only ASCII
decimal digits are read: ``int()`` would also take ``1_000``, ``²`` (no: it
raises) and Arabic-Indic digits, and it refuses more than 4,300 digits with
a bare ``ValueError``.

Inside :func:`redacted` (as while an RCTab config's CVR sources are read),
:func:`excerpt` describes a value by its length instead of quoting it, so
that an error about a file the user did not name on the command line shows
nothing of that file's content.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import reprlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

__all__ = [
    "EXCERPT",
    "MESSAGE_LIMIT",
    "ascii_int",
    "did_you_mean",
    "excerpt",
    "one_line",
    "path_text",
    "redacted",
    "redacting",
]

#: The most characters of one value that a message quotes (then ``…``).
EXCERPT: Final = 80
#: The most characters of a whole message.
MESSAGE_LIMIT: Final = 600
#: The most characters of a file path that a message shows (its start and its end).
PATH_LIMIT: Final = 160
#: Digits beyond any bound the library has (counts are below 2**62, 19 digits).
_MAX_DIGITS: Final = 40

#: whether messages describe values instead of quoting them (see :func:`redacted`)
_REDACT: ContextVar[bool] = ContextVar("electoral_redact", default=False)

_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")
# characters that would break a message over lines, hide text or fail to print: C0/C1 controls, line and
# paragraph separators, bidi marks, and lone surrogates (no encoding can write them)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` with line breaks and control characters escaped, cut in the middle to ``limit`` characters."""
    text = _UNSAFE.sub(_escape, text)
    if len(text) <= limit:
        return text
    head = (limit * 2) // 3
    return text[:head] + "…" + text[len(text) - (limit - head - 1) :]


def excerpt(value: object, limit: int = EXCERPT, *, given: bool = False) -> str:
    """A value as a message quotes it: ``repr``-like, escaped, and at most ``limit`` characters of it.

    ``given`` marks a value the user gave directly (an option, a field of an
    RCTab config), which is quoted even inside :func:`redacted`.

    >>> excerpt("Jeenbekov")
    "'Jeenbekov'"
    >>> excerpt("a\\nb")
    "'a\\\\nb'"
    >>> excerpt("x" * 100)[-4:]
    "xx…'"
    >>> excerpt(10**5000)
    'a whole number of 5001 digits'

    Inside :func:`redacted`, only the value's length is shown:

    >>> with redacted():
    ...     excerpt("root:x:0:0"), excerpt(12345)
    ('(a value of 10 characters)', '(a whole number of 5 digits)')
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if not given and _REDACT.get():
        return _described(value)
    if isinstance(value, int):
        if value.bit_length() > 128:
            return f"a {'negative ' if value < 0 else ''}whole number of {_digits(value)} digits"
        return repr(value)
    if isinstance(value, str):
        return _quoted(value, limit)
    try:
        text = _SHORT.repr(value)
    except Exception:  # a value whose repr fails is still named by its type
        text = f"<{type(value).__name__}>"
    return one_line(text, limit + 2)


def _quoted(text: str, limit: int) -> str:
    """``text`` in single quotes, escaped, with at most ``limit`` characters inside the quotes (then ``…``)."""
    pieces: list[str] = []
    size = 0
    for char in text[: limit + 1]:
        if char == "\\" or char == "'":
            piece = "\\" + char
        elif (unsafe := _UNSAFE.match(char)) is not None:
            piece = _escape(unsafe)
        else:
            piece = char
        if size + len(piece) > limit:
            return "'" + "".join(pieces) + "…'"
        pieces.append(piece)
        size += len(piece)
    return "'" + "".join(pieces) + ("…'" if len(text) > limit else "'")


class _ShortRepr(reprlib.Repr):
    """``repr`` that looks at a bounded part of a value: a few items, a few levels, no huge integer."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxarray = self.maxdeque = 6
        self.maxset = self.maxfrozenset = 6
        self.maxdict = 4
        self.maxstring = self.maxother = EXCERPT

    def repr_int(self, x: int, level: int) -> str:
        return excerpt(x)

    def repr_str(self, x: str, level: int) -> str:
        return _quoted(x, self.maxstring)


_SHORT = _ShortRepr()


def _described(value: object) -> str:
    """A value by its kind and length only, for a message that must not show it."""
    if isinstance(value, int):
        digits = _digits(value)
        return f"(a whole number of {digits} digit{'s' if digits != 1 else ''})"
    if isinstance(value, str):
        size = len(value)
        return f"(a value of {size} character{'s' if size != 1 else ''})"
    return f"(a value of type {type(value).__name__})"


@contextmanager
def redacted(on: bool = True) -> Iterator[None]:
    """Within this block (in this thread or task), :func:`excerpt` describes values instead of quoting them.

    ``on=False`` lifts an outer redaction; the previous state comes back on exit.
    """
    token = _REDACT.set(on)
    try:
        yield
    finally:
        _REDACT.reset(token)


def redacting() -> bool:
    """Whether :func:`excerpt` is describing values instead of quoting them here."""
    return _REDACT.get()


def _digits(value: int) -> int:
    """The number of decimal digits of an int, without converting it to text (Python limits that)."""
    value = abs(value)
    if value.bit_length() < 1000:
        return len(str(value))
    digits = int(value.bit_length() * math.log10(2)) + 1
    return digits - int(value < 10 ** (digits - 1))


def path_text(path: str | os.PathLike[str]) -> str:
    """A file path as a message shows it: escaped, and its middle cut if it is very long."""
    return one_line(os.fspath(path), PATH_LIMIT)


def ascii_int(text: str, *, signed: bool = False) -> int | None:
    """The integer ``text`` spells in ASCII decimal digits (surrounding spaces allowed), else None.

    Underscores, non-ASCII digits, signs (unless ``signed``), decimal points
    and more than 40 digits give None, so the caller can name the value.

    >>> ascii_int(" 42 "), ascii_int("1_000"), ascii_int("٣"), ascii_int("2.0"), ascii_int("-3", signed=True)
    (42, None, None, None, -3)
    """
    text = text.strip(" \t\r\n")
    if not (_SIGNED if signed else _DIGITS).fullmatch(text) or len(text) > _MAX_DIGITS:
        return None
    return int(text)


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """``"; did you mean 'a' or 'b'?"`` for the names of ``known`` close to ``value`` (difflib), else ``""``.

    >>> did_you_mean("sainte", ["sainte-lague", "modified-sainte-lague", "dhondt"])
    "; did you mean 'sainte-lague' or 'modified-sainte-lague'?"
    """
    if not isinstance(value, str):
        return ""
    names = list(known)
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.65)
    folded = value.lower()
    close += [
        n for n in names if n not in close and folded and (folded in n.lower() or (len(n) >= 3 and n.lower() in folded))
    ][: 3 - len(close)]
    if not close:
        return ""
    quoted = [excerpt(name) for name in close]
    return "; did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"
