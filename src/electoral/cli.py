"""The command line: ``electoral tabulate``, ``electoral rctab`` and ``electoral rules``.

``tabulate --format html`` and ``rctab --html`` write the self-contained
report of :mod:`electoral.report`.

This is the only module that prints. A user error prints one line to
standard error (at most :data:`LINE_LIMIT` characters, line breaks escaped)
and exits with status 2; nothing is written to standard output unless the
command succeeds, and ``electoral rctab`` writes its reports all or nothing.
If standard output is closed early (``electoral tabulate ... | head``), the
command stops quietly with status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from fractions import Fraction
from io import TextIOWrapper
from pathlib import Path
from typing import Any, Final, NoReturn

import attrs

from electoral import io
from electoral._api import tabulate
from electoral._registry import get, names
from electoral._text import ascii_int, excerpt, one_line
from electoral._ties import TieBreak
from electoral._version import __version__
from electoral.errors import BallotErrorGroup, ElectoralError, SeatsError
from electoral.rules import list_presets

__all__ = ["main"]

USAGE_ERROR: Final = 2
#: the status when standard output was closed before everything was written
CLOSED_OUTPUT: Final = 1
_WRITE_CHUNK: Final = 1 << 16  # characters written to standard output at a time
#: the most characters of the one line a failure prints
LINE_LIMIT: Final = 1_000
#: the most processes ``--workers`` may ask for (each one reads one file at a time)
MAX_WORKERS: Final = 256
#: how many sub-errors of a BallotErrorGroup the line shows
_SHOWN_ERRORS: Final = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, one_line(f"{self.prog}: error: {message}", LINE_LIMIT) + "\n")


def _workers(text: str) -> int:
    number = ascii_int(text)
    if number is None or number > MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_WORKERS}, not {excerpt(text)}")
    return number


def _seats(text: str) -> int:
    """``--seats N``: a whole number of at least 1."""
    number = ascii_int(text)
    if number is None or number < 1:
        raise SeatsError(
            f"--seats must be a whole number of at least 1 (ASCII digits, at most 40), not {excerpt(text)}"
        )
    return number


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="electoral", description="Count elections exactly, and show every round and tie.")
    parser.add_argument("--version", action="version", version=f"electoral {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    count = commands.add_parser("tabulate", help="count an election file under a rule")
    count.add_argument("file", help="the election file: election JSON or any CVR format (see electoral.io)")
    count.add_argument("--rule", required=True, help="a registered rule name (see 'electoral rules')")
    count.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a rule option, e.g. preset=kyrgyzstan-president or threshold=40%% (repeatable)",
    )
    count.add_argument(
        "--seats",
        metavar="N",
        help="the seats to fill (default: the file's; 1 for formats that carry none, such as PrefLib)",
    )
    count.add_argument("--runoff", metavar="FILE", help="the second round's ballots, for rules with a runoff")
    count.add_argument("--input-format", metavar="FORMAT", help="the file's format, if not clear from its extension")
    count.add_argument(
        "--read-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reader option, e.g. contest=Mayor or first_column=2 (repeatable; candidates=A,B,C)",
    )
    count.add_argument(
        "--format",
        choices=("text", "json", "html"),
        default="text",
        help="output format (default: text; html: the self-contained report page)",
    )

    rctab = commands.add_parser("rctab", help="count an RCTab contest config and write RCTab's detailed report")
    rctab.add_argument("config", help="the RCTab contest config (JSON)")
    rctab.add_argument("--json", metavar="OUT.json", help="write the detailed report as JSON here")
    rctab.add_argument("--csv", metavar="OUT.csv", help="write the detailed report as CSV here")
    rctab.add_argument("--html", metavar="OUT.html", help="write the self-contained HTML report here")
    rctab.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="processes reading ES&S files (0: one per CPU; default 1)",
    )

    listing = commands.add_parser("rules", help="list the registered rules, or describe one")
    listing.add_argument("name", nargs="?", help="a rule to describe: its marks, options and presets")
    return parser


def _options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ElectoralError(f"--option {excerpt(pair)} must be KEY=VALUE")
        options[key.strip().replace("-", "_")] = value
    return options


_INTEGER_READ_OPTIONS = frozenset({"first_row", "first_column", "ranks", "max_rankings", "seats"})


def _read_options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, value in _options(pairs).items():
        if key in _INTEGER_READ_OPTIONS:
            number = ascii_int(value)
            if number is None:
                raise ElectoralError(
                    f"--read-option {key} must be a whole number (ASCII digits, at most 40), not {excerpt(value)}"
                )
            options[key] = number
        elif key == "candidates":
            options[key] = [name.strip() for name in value.split(",") if name.strip()]
        elif key in _FLAG_READ_OPTIONS:
            flag = value.strip().lower()
            if flag not in _FLAGS:
                raise ElectoralError(f"--read-option {key} must be true or false, not {excerpt(value)}")
            options[key] = _FLAGS[flag]
        elif key == "aliases":
            options[key] = _aliases(value)
        else:
            options[key] = value
    return options


_FLAG_READ_OPTIONS = frozenset({"treat_blank_as_undeclared_write_in"})
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _aliases(value: str) -> dict[str, str]:
    """``--read-option aliases=...``: a JSON object from code to candidate name."""
    try:
        aliases = json.loads(value)
    except ValueError:
        aliases = None
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise ElectoralError(
            f'--read-option aliases must be a JSON object from code to name, e.g. {{"A-2": "A"}}, not {excerpt(value)}'
        )
    return aliases


def _rctab(args: argparse.Namespace) -> str:
    if args.json is None and args.csv is None and args.html is None:
        raise ElectoralError("give --json OUT.json, --csv OUT.csv and/or --html OUT.html for the report")
    for flag, value in (("--json", args.json), ("--csv", args.csv), ("--html", args.html)):
        if value is not None and not value.strip():
            raise ElectoralError(f"{flag} needs a file name")
    contest = io.read_rctab_config(args.config, workers=args.workers)
    extra = []
    if args.html is not None:
        from electoral.report import html_report, rctab_sources

        page = html_report(io.tabulate_rctab(contest), source=rctab_sources(args.config, contest.config))
        extra.append((Path(args.html), page))
    written = io.write_rctab_reports(
        contest,
        None if args.json is None else Path(args.json),
        None if args.csv is None else Path(args.csv),
        extra=extra,
    )
    return "\n".join(f"wrote {one_line(str(path), LINE_LIMIT)}" for path in written)


def _describe_rule(name: str) -> str:
    """``electoral rules NAME``: what the rule reads and elects, its options with their defaults, its presets."""
    cls = get(name)
    info = cls.info
    lines = [
        f"{info.name}: {info.summary}",
        f"family: {info.family}; reads {', '.join(sorted(info.marks))} ballots;"
        f" {'shares out seats among lists' if info.apportions else f'elects {info.winners} winner(s)'}"
        + ("; takes runoff ballots (--runoff)" if info.takes_runoff else ""),
    ]
    if attrs.has(cls):
        shown = [a for a in attrs.fields(cls) if a.init and a.alias != "preset_name"]
        if shown:
            lines.append("options (--option NAME=VALUE):")
            for field in shown:
                default = field.default
                lines.append(f"  {field.alias} = {one_line(_default_text(default), 80)}")
    presets = list_presets(cls)
    if presets:
        lines.append("presets (--option preset=NAME):")
        for preset, doc in presets.items():
            first = doc.splitlines()[0] if doc else ""
            lines.append(f"  {preset}: {first if len(first) <= 100 else first[:99] + '…'}")
    return "\n".join(lines)


def _default_text(default: object) -> str:
    """An option's default as the command line would write it."""
    if default is attrs.NOTHING:
        return "(required)"
    if callable(getattr(default, "factory", None)):
        return "(computed)"
    if isinstance(default, Fraction):
        return f"{default.numerator}/{default.denominator}"
    if isinstance(default, TieBreak):
        return str(default)
    if isinstance(default, str):
        return default
    return "none" if default is None else str(default)


def _run(args: argparse.Namespace) -> str:
    if args.command == "rules":
        if args.name is not None:
            return _describe_rule(args.name)
        width = max(len(n) for n in names())
        return "\n".join(f"{name.ljust(width)}  {get(name).info.summary}" for name in names())
    if args.command == "rctab":
        return _rctab(args)
    read_options = _read_options(args.read_option)
    seats = None if args.seats is None else _seats(args.seats)  # refused before a large file is read
    election = io.read(args.file, args.input_format, **read_options)
    if seats is not None:
        election = election.with_seats(seats)
    runoff = io.read(args.runoff, args.input_format, **read_options) if args.runoff else None
    result = tabulate(election, args.rule, runoff=runoff, **_options(args.option))
    if args.format == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.format == "html":
        from electoral.report import Source, html_report

        inputs = [Source.of_file(args.file, role="election")]
        if args.runoff:
            inputs.append(Source.of_file(args.runoff, role="runoff"))
        return html_report(result, source=inputs).rstrip("\n")
    return str(result)


def _message(error: ElectoralError) -> str:
    """What a failure says; a group of ballot errors shows its first few."""
    text = str(error)
    if isinstance(error, BallotErrorGroup):
        shown = "; ".join(str(sub) for sub in error.exceptions[:_SHOWN_ERRORS])
        more = len(error.exceptions) - _SHOWN_ERRORS
        text = f"{error.message}: {shown}" + (f"; and {more} more" if more > 0 else "")
    return text


def _closed_output() -> int:
    """Standard output went away (``| head``): stop quietly, without a second error when Python exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return CLOSED_OUTPUT


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 2 for a user error, 1 if the output was closed)."""
    try:
        args = _parser().parse_args(argv)
        output = _run(args)
    except ElectoralError as error:
        return _fail(_message(error))
    except BrokenPipeError:
        return _closed_output()
    return _write(output)


def _fail(message: str) -> int:
    print(one_line(f"electoral: error: {message}", LINE_LIMIT), file=sys.stderr)
    return USAGE_ERROR


def _write(output: str) -> int:
    """Write the result on standard output; a closed, full or failing output is one line on stderr."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed
        return _fail("standard output is closed: there is nowhere to write the result")
    try:
        if isinstance(stream, TextIOWrapper):
            # a character the output's encoding lacks is written as an escape, not a crash
            stream.reconfigure(errors="backslashreplace")
        text = output + "\n"
        # in slices: one huge write to a pipe whose reader left mid-way can end without an error
        for start in range(0, len(text), _WRITE_CHUNK):
            stream.write(text[start : start + _WRITE_CHUNK])
        stream.flush()
    except BrokenPipeError:
        return _closed_output()
    except OSError as error:
        return _fail(f"cannot write the result to standard output: {error.strerror or type(error).__name__}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
