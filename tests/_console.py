"""The console-block conventions of the docs, shared by the tests that run them.

A line ``...`` in expected output stands for any lines, and ``...`` inside a
line for any text; runs of spaces match any run of spaces.
"""

from __future__ import annotations

import re


def console_pattern(expected: str) -> re.Pattern[str]:
    """A regular expression for the ``expected`` output of a console block."""
    parts: list[str] = []
    for line in expected.splitlines():
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pieces = [re.sub(r"(?:\\ | )+", "[ ]+", re.escape(piece)) for piece in line.split("...")]
        parts.append("[^\n]*?".join(pieces) + r"[ ]*\n")
    return re.compile("".join(parts))
