"""The election JSON file (format ``electoral.election``, version 1; see :doc:`formats`)."""

from __future__ import annotations

import json
from pathlib import Path

from electoral._model import Election
from electoral.errors import FormatError

__all__ = ["read_json"]


def read_json(path: Path) -> Election:
    """Read an election JSON file; syntax errors name the line, field errors the field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise FormatError(f"cannot read the file: {error.strerror or error}", source=str(path)) from None
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not UTF-8 text ({error.reason})", source=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"malformed JSON: {error.msg} (column {error.colno})", source=str(path), line=error.lineno
        ) from None
    except RecursionError:
        raise FormatError("malformed JSON: nested too deeply", source=str(path)) from None
    return Election.from_dict(data, source=str(path))
