"""The command line: ``electoral tabulate``, ``electoral rctab`` and ``electoral rules``.

This is the only module that prints. A user error prints one line to
standard error and exits with status 2; nothing is written to standard
output unless the command succeeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from electoral import io
from electoral._api import tabulate
from electoral._registry import get, names
from electoral._version import __version__
from electoral.errors import ElectoralError

__all__ = ["main"]

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


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
    count.add_argument("--runoff", metavar="FILE", help="the second round's ballots, for rules with a runoff")
    count.add_argument("--input-format", metavar="FORMAT", help="the file's format, if not clear from its extension")
    count.add_argument(
        "--read-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reader option, e.g. contest=Mayor or first_column=2 (repeatable; candidates=A,B,C)",
    )
    count.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    rctab = commands.add_parser("rctab", help="count an RCTab contest config and write RCTab's detailed report")
    rctab.add_argument("config", help="the RCTab contest config (JSON)")
    rctab.add_argument("--json", metavar="OUT.json", help="write the detailed report as JSON here")
    rctab.add_argument("--csv", metavar="OUT.csv", help="write the detailed report as CSV here")
    rctab.add_argument(
        "--workers", type=int, default=1, metavar="N", help="processes reading ES&S files (0: one per CPU; default 1)"
    )

    commands.add_parser("rules", help="list the registered rules")
    return parser


def _options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ElectoralError(f"--option {pair!r} must be KEY=VALUE")
        options[key.strip().replace("-", "_")] = value
    return options


_INTEGER_READ_OPTIONS = frozenset({"first_row", "first_column", "ranks", "max_rankings", "seats"})


def _read_options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, value in _options(pairs).items():
        if key in _INTEGER_READ_OPTIONS:
            if not value.strip().isdigit():
                raise ElectoralError(f"--read-option {key} must be a whole number, not {value!r}")
            options[key] = int(value)
        elif key == "candidates":
            options[key] = [name.strip() for name in value.split(",") if name.strip()]
        else:
            options[key] = value
    return options


def _rctab(args: argparse.Namespace) -> str:
    if not args.json and not args.csv:
        raise ElectoralError("give --json OUT.json and/or --csv OUT.csv for the report")
    if args.workers < 0:
        raise ElectoralError(f"--workers must be 0 or more, not {args.workers}")
    contest = io.read_rctab_config(args.config, workers=args.workers)
    written = io.write_rctab_reports(
        contest, Path(args.json) if args.json else None, Path(args.csv) if args.csv else None
    )
    return "\n".join(f"wrote {path}" for path in written)


def _run(args: argparse.Namespace) -> str:
    if args.command == "rules":
        width = max(len(n) for n in names())
        return "\n".join(f"{name.ljust(width)}  {get(name).info.summary}" for name in names())
    if args.command == "rctab":
        return _rctab(args)
    read_options = _read_options(args.read_option)
    election = io.read(args.file, args.input_format, **read_options)
    runoff = io.read(args.runoff, args.input_format, **read_options) if args.runoff else None
    result = tabulate(election, args.rule, runoff=runoff, **_options(args.option))
    if args.format == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    return str(result)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        output = _run(args)
    except ElectoralError as error:
        print(f"electoral: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    print(output)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
