"""JSON input: one strict loader for every JSON format, and the election JSON file.

:func:`parse_json` is what every JSON reader (election JSON, CDF, Dominion,
RCTab configs) parses with, so that they agree: the text is UTF-8 (a leading
byte-order mark is dropped; UTF-16 and UTF-32 are recognised as the
:mod:`json` module does), JSON's non-standard constants ``NaN`` and
``Infinity`` are refused, and a whole number too long for Python to convert
is a :class:`~electoral.errors.FormatError` naming the file and the line,
not a bare ``ValueError``. Numbers are otherwise parsed by the :mod:`json`
module's own fast path; each reader checks the ranges its fields allow.

The election JSON file is format ``electoral.election``, version 1 (see
:doc:`formats`).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from electoral._model import Election
from electoral._text import excerpt
from electoral.errors import FormatError
from electoral.io._files import read_bytes

__all__ = ["UNREAD", "json_excerpt", "load_json", "parse_json", "read_json"]

_STRING = r'"(?:[^"\\]|\\.)*"'


class _Constant(Exception):
    """A ``NaN`` or ``Infinity`` met while parsing (raised through the json module, caught here)."""


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


#: ``data`` of :func:`read_json` when the file is still to be read
UNREAD: Any = object()


def _first(text: str, token: str) -> tuple[int | None, str]:
    """The line and text of the first ``token`` outside a JSON string (called only to place an error)."""
    for match in re.finditer(f"{_STRING}|(?P<token>{token})", text):
        if match.group("token") is not None:
            return text.count("\n", 0, match.start()) + 1, match.group("token")
    return None, ""


def json_excerpt(value: Any) -> str:
    """A parsed JSON value as a message shows it: ``true``, ``false`` and ``null`` as JSON spells them.

    >>> json_excerpt(True), json_excerpt(None), json_excerpt(2.7), json_excerpt("x")
    ('true', 'null', '2.7', "'x'")
    """
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return excerpt(value)


def parse_json(data: bytes, source: str) -> Any:
    """Parse the bytes of a JSON document; every failure is a FormatError naming ``source``.

    >>> parse_json(b'\\xef\\xbb\\xbf{"a": [1, 2.5]}', "x.json")
    {'a': [1, 2.5]}
    >>> parse_json(b'{"a":\\n Infinity}', "x.json")
    Traceback (most recent call last):
    ...
    electoral.errors.FormatError: x.json, line 2: Infinity is not a JSON number
    >>> parse_json(b'{"a": ' + b"9" * 5000 + b"}", "x.json")
    Traceback (most recent call last):
    ...
    electoral.errors.FormatError: x.json, line 1: a whole number of 5000 digits is longer than any figure read here
    """
    try:
        text = data.decode(json.detect_encoding(data))
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not UTF-8 text ({error.reason})", source=source) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except _Constant as constant:
        line, _ = _first(text, r"-?Infinity|NaN")
        raise FormatError(f"{constant} is not a JSON number", source=source, line=line) from None
    except json.JSONDecodeError as error:
        raise FormatError(
            f"malformed JSON: {error.msg} (column {error.colno})", source=source, line=error.lineno
        ) from None
    except RecursionError:
        raise FormatError("malformed JSON: nested too deeply", source=source) from None
    except ValueError:
        # the json module converts integers with int(), which refuses more digits than the interpreter allows
        limit = sys.get_int_max_str_digits() or 4300
        token = rf"(?<![\w.+-])-?[0-9]{{{limit + 1},}}(?![\w.])"
        line, found = _first(text, token)
        digits = len(found.lstrip("-")) or limit + 1
        raise FormatError(
            f"a whole number of {digits} digits is longer than any figure read here", source=source, line=line
        ) from None


def load_json(path: Path, source: str | None = None, *, what: str = "the file") -> Any:
    """Read and parse a JSON file (a regular file only; see :mod:`electoral.io._files`)."""
    source = str(path) if source is None else source
    return parse_json(read_bytes(path, source, what=what), source)


def read_json(path: Path, data: Any = UNREAD) -> Election:
    """Read an election JSON file; syntax errors name the line, field errors the field.

    ``data``, if given, is the file's content already parsed (by :func:`electoral.io.read`, which
    parses a ``.json`` file once to tell election JSON from CDF).
    """
    if data is UNREAD:
        data = load_json(path)
    return Election.from_dict(data, source=str(path))
