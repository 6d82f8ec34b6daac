"""PrefLib ordinal files: ``.soc``, ``.soi``, ``.toc`` and ``.toi`` (the 2022 header format).

::

    # TITLE: 2009 Burlington Mayoral Election
    # DATA TYPE: toi
    # NUMBER ALTERNATIVES: 6
    # NUMBER VOTERS: 8980
    # ALTERNATIVE NAME 1: Bob Kiss
    ...
    840: 5
    355: 1,2
    12: 2,{3,4},1

Each data line is ``count: preferences``, alternatives by number, most
preferred first; braces group alternatives ranked equal (``.toc``/``.toi``;
a complete ``.toc`` order puts the unranked alternatives in a final tied
group). Every alternative needs an ``ALTERNATIVE NAME`` line, and when the
header gives ``NUMBER VOTERS`` the counts must add up to it. Lines are read
one at a time and identical orders merge as they are read, so memory grows
with unique orders. Every error names the file and line. (Mattei and Walsh,
"PrefLib: A Library of Preference Data", 2013; format at preflib.org.)

Numbers (counts, alternatives, the header's numbers) are ASCII decimal
integers: ``1_000`` or another script's digits are errors. Each count, and
their sum, must be below 2**62 (the library's bound on voters).
"""

from __future__ import annotations

from pathlib import Path

from electoral._model import MAX_VOTERS, Ballot, Candidate, Election
from electoral._text import ascii_int, excerpt
from electoral.errors import ElectoralError, FormatError
from electoral.io._files import open_text

__all__ = ["read_preflib"]

_STRICT = {"soc", "soi"}


def read_preflib(path: Path) -> Election:
    """Read a PrefLib ordinal file into an :class:`~electoral.Election` (see the module notes)."""
    source = str(path)
    header: dict[str, str] = {}
    names: dict[int, str] = {}
    merged: dict[tuple[tuple[int, ...], ...], int] = {}
    n: int | None = None
    strict = Path(path).suffix.lower().lstrip(".") in _STRICT
    voters = 0
    try:
        with open_text(path, source) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.strip()
                if not line:
                    continue
                if line.startswith("#"):
                    key, sep, value = line[1:].partition(":")
                    if not sep:
                        raise FormatError(
                            f"a header line must read '# KEY: value', not {excerpt(line)}", source=source, line=number
                        )
                    key, value = key.strip().upper(), value.strip()
                    if key.startswith("ALTERNATIVE NAME "):
                        index = _int(key.removeprefix("ALTERNATIVE NAME "), "an alternative's number", source, number)
                        if not value:
                            raise FormatError(f"alternative {index} has an empty name", source=source, line=number)
                        names[index] = value
                    else:
                        header[key] = value
                    continue
                if n is None:
                    if "NUMBER ALTERNATIVES" not in header:
                        raise FormatError(
                            "no '# NUMBER ALTERNATIVES:' line before the data", source=source, line=number
                        )
                    n = _int(header["NUMBER ALTERNATIVES"], "NUMBER ALTERNATIVES", source, number)
                ranking, count = _order(line, n, strict, source, number)
                voters += count
                if voters >= MAX_VOTERS:
                    raise FormatError(_too_many(count, voters), source=source, line=number)
                merged[ranking] = merged.get(ranking, 0) + count
    except OSError as error:
        raise FormatError(f"cannot read the file: {error.strerror or error}", source=source) from None
    except UnicodeDecodeError as error:
        raise FormatError(f"the file is not UTF-8 text ({error.reason})", source=source) from None
    if n is None:
        if "NUMBER ALTERNATIVES" not in header:
            raise FormatError("no '# NUMBER ALTERNATIVES:' line", source=source)
        n = _int(header["NUMBER ALTERNATIVES"], "NUMBER ALTERNATIVES", source, None)
    if n < 1:
        raise FormatError(f"NUMBER ALTERNATIVES must be at least 1, not {n}", source=source)
    if len(names) != n or max(names, default=0) != n or min(names, default=1) != 1:
        # names holds distinct numbers, so it covers 1..n exactly when it has n of them, from 1 to n
        extra = sorted(i for i in names if not 1 <= i <= n)
        if extra:
            problem = f"ALTERNATIVE NAME for unknown alternatives {extra[:10]}"
        else:
            missing = [i for i in range(1, min(n, len(names) + 10) + 1) if i not in names][:10]
            problem = f"no ALTERNATIVE NAME for {missing}{' and more' if n - len(names) > len(missing) else ''}"
        raise FormatError(f"{problem} (NUMBER ALTERNATIVES is {n})", source=source)
    if "NUMBER VOTERS" in header:
        declared = _int(header["NUMBER VOTERS"], "NUMBER VOTERS", source, None)
        if declared != voters:
            raise FormatError(f"NUMBER VOTERS is {declared}, but the counts add up to {voters}", source=source)
    try:
        people = [Candidate(names[i]) for i in range(1, n + 1)]
        ballots = [Ballot([{people[i - 1] for i in rank} for rank in order], count=c) for order, c in merged.items()]
        return Election(people, ballots, title=header.get("TITLE", ""))
    except ElectoralError as error:
        raise FormatError(str(error), source=source) from None


def _int(text: str, what: str, source: str, line: int | None) -> int:
    """An ASCII decimal integer; anything else (``1_000``, ``٣``, ``2.0``) is a FormatError naming it."""
    value = ascii_int(text)
    if value is not None:
        return value
    token = text.strip()
    if token.isascii() and token.isdigit():
        raise FormatError(f"{what} {excerpt(token)} is beyond any number this library counts", source=source, line=line)
    raise FormatError(f"{what} must be a whole number in ASCII digits, not {excerpt(token)}", source=source, line=line)


def _too_many(count: int, voters: int) -> str:
    if count >= MAX_VOTERS:
        return f"a count of {excerpt(count)} is more than this library counts ({MAX_VOTERS - 1} voters)"
    return f"the counts up to this line add up to {excerpt(voters)}, more than this library counts ({MAX_VOTERS - 1})"


def _order(line: str, n: int, strict: bool, source: str, number: int) -> tuple[tuple[tuple[int, ...], ...], int]:
    count_text, sep, rest = line.partition(":")
    if not sep:
        raise FormatError(f"a data line must read 'count: order', not {excerpt(line)}", source=source, line=number)
    count = _int(count_text, "a count", source, number)
    if count < 1:
        raise FormatError(f"a count must be positive, not {excerpt(count)}", source=source, line=number)
    ranks: list[tuple[int, ...]] = []
    seen: set[int] = set()
    group: list[int] | None = None
    for raw in rest.split(","):
        token = raw.strip()
        opens = token.startswith("{")
        closes = token.endswith("}")
        token = token.removeprefix("{").removesuffix("}").strip()
        if opens:
            if group is not None or strict:
                what = "a nested '{'" if group is not None else "'{' (ties) in a strict .soc/.soi file"
                raise FormatError(f"{what} in {excerpt(line)}", source=source, line=number)
            group = []
        if not token:
            raise FormatError(f"an empty preference in {excerpt(line)}", source=source, line=number)
        value = _int(token, "an alternative", source, number)
        if not 1 <= value <= n:
            raise FormatError(f"alternative {value} is not 1 to {n}", source=source, line=number)
        if value in seen:
            raise FormatError(f"alternative {value} appears twice in {excerpt(line)}", source=source, line=number)
        seen.add(value)
        if group is not None:
            group.append(value)
            if closes:
                ranks.append(tuple(sorted(group)))
                group = None
        elif closes:
            raise FormatError(f"a '}}' without '{{' in {excerpt(line)}", source=source, line=number)
        else:
            ranks.append((value,))
    if group is not None:
        raise FormatError(f"a '{{' without '}}' in {excerpt(line)}", source=source, line=number)
    return tuple(ranks), count
