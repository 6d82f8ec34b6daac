"""The compact ballot notation: ``A>B=C>D`` for rankings, ``A:5,B:3`` for scores.

Grammar (white space around tokens is ignored)::

    ballot  := ""                      a blank ballot
             | rank (">" rank)*        a ranking; ">" separates ranks
             | score ("," score)*      a score ballot
    rank    := "" | name ("=" name)*   "=" joins candidates at one rank;
                                       an empty rank is a skipped rank
    score   := name ":" integer
    name    := bare | quoted
    bare    := one or more characters other than > = : , " (trimmed)
    quoted  := a JSON string literal, for names that hold those characters

Printing quotes exactly the names that need it, so a printed ballot always
parses back to the same ballot.
"""

from __future__ import annotations

import json
import re

from electoral._text import excerpt
from electoral.errors import NotationError

__all__ = ["format_name", "format_ranking", "format_scores", "parse"]

_SPECIAL = re.compile(r'[>=:,"\\]')
_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([^>=:,"]+)|([>=:,]))')


def format_name(name: str) -> str:
    """Return ``name`` as written in the notation, quoted only where needed."""
    if _SPECIAL.search(name) or name != name.strip() or not name:
        return json.dumps(name, ensure_ascii=False)
    return name


def format_ranking(ranks: list[list[str]]) -> str:
    """Print a ranking given as ranks of names (each rank already ordered)."""
    return ">".join("=".join(format_name(n) for n in rank) for rank in ranks)


def format_scores(scores: list[tuple[str, int]]) -> str:
    """Print a score ballot given as (name, score) pairs."""
    return ",".join(f"{format_name(n)}:{s}" for n, s in scores)


def _tokens(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ("name", value) and ("op", symbol) tokens."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            raise NotationError(f"cannot read {excerpt(text[pos:])} in ballot {excerpt(text)}")
        quoted, bare, op = match.groups()
        if quoted is not None:
            try:
                tokens.append(("name", json.loads(quoted)))
            except json.JSONDecodeError:
                raise NotationError(f"bad quoted name {quoted} in ballot {excerpt(text)}") from None
        elif bare is not None:
            tokens.append(("name", bare.strip()))
        else:
            tokens.append(("op", op))
        pos = match.end()
    return tokens


def parse(text: str) -> tuple[str, list[list[str]] | list[tuple[str, int]]]:
    """Parse one ballot.

    Returns ``("ranking", ranks)`` with ranks as lists of names, or
    ``("scores", pairs)`` with (name, score) pairs. A blank ballot is
    ``("ranking", [])``. Raises :class:`~electoral.errors.NotationError`.
    """
    if not isinstance(text, str):
        raise NotationError(f"a ballot in notation must be a string, not {excerpt(text)}")
    tokens = _tokens(text)
    if not tokens:
        return "ranking", []
    if any(kind == "op" and value in ":," for kind, value in tokens):
        return "scores", _parse_scores(tokens, text)
    ranks: list[list[str]] = [[]]
    expect_name = True  # after "=" a name must follow; after ">" a name or another ">"
    after_equals = False
    for kind, value in tokens:
        if kind == "name":
            if not expect_name:
                raise NotationError(f"missing '>' or '=' before {excerpt(value)} in ballot {excerpt(text)}")
            ranks[-1].append(value)
            expect_name, after_equals = False, False
        elif value == "=":
            if expect_name:
                raise NotationError(f"'=' must join two names in ballot {excerpt(text)}")
            expect_name, after_equals = True, True
        else:  # ">"
            if after_equals:
                raise NotationError(f"'=' must join two names in ballot {excerpt(text)}")
            ranks.append([])
            expect_name = True
    if after_equals:
        raise NotationError(f"'=' must join two names in ballot {excerpt(text)}")
    return "ranking", ranks


def _parse_scores(tokens: list[tuple[str, str]], text: str) -> list[tuple[str, int]]:
    pairs: list[tuple[str, int]] = []
    index = 0
    while index < len(tokens):
        window = tokens[index : index + 3]
        if len(window) < 3 or window[0][0] != "name" or window[1] != ("op", ":") or window[2][0] != "name":
            raise NotationError(f"expected 'name:score' pairs separated by ',' in ballot {excerpt(text)}")
        name, raw_score = window[0][1], window[2][1]
        try:
            score = int(raw_score)
        except ValueError:
            raise NotationError(
                f"score {excerpt(raw_score)} of {excerpt(name)} is not an integer in ballot {excerpt(text)}"
            ) from None
        pairs.append((name, score))
        index += 3
        if index < len(tokens):
            if tokens[index] != ("op", ","):
                raise NotationError(f"expected ',' between scores in ballot {excerpt(text)}")
            index += 1
            if index == len(tokens):
                raise NotationError(f"trailing ',' in ballot {excerpt(text)}")
    return pairs
