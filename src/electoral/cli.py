"""The command line: ``electoral tabulate`` and ``electoral rules``.

This is the only module that prints. A user error prints one line to
standard error and exits with status 2; nothing is written to standard
output unless the command succeeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
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
    count.add_argument("file", help="the election file (JSON election format)")
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
    count.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

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


def _run(args: argparse.Namespace) -> str:
    if args.command == "rules":
        width = max(len(n) for n in names())
        return "\n".join(f"{name.ljust(width)}  {get(name).info.summary}" for name in names())
    election = io.read(args.file, args.input_format)
    runoff = io.read(args.runoff, args.input_format) if args.runoff else None
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
