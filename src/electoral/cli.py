"""The command line: ``electoral tabulate``, ``rctab``, ``rules`` and ``formats``.

``electoral rules`` lists the rules and ``electoral rules NAME`` describes
one: its options with their types, defaults and choices, and its presets
with their legal sources. ``electoral formats`` lists the readers and
``electoral formats NAME`` describes one, with its read options. Both take
``--format json``. What they say comes from the declarations (the rules'
option fields and presets, the format table), not from tables of this module.

``tabulate --format html`` and ``rctab --html`` write the self-contained
report of :mod:`electoral.report`. ``rctab --output-dir DIR`` writes every
file RCTab writes for the config (:func:`electoral.io.rctab_artifacts`) into
a new or empty folder, all or nothing.

This is the only module that prints. A user error prints one line to
standard error (at most :data:`LINE_LIMIT` characters, line breaks escaped)
and exits with status 2; nothing is written to standard output unless the
command succeeds, and ``electoral rctab`` writes its reports all or nothing.
An unknown rule or format name is such an error, and suggests close names.

If standard output is closed early (``electoral tabulate ... | head``), the
command stops quietly, with no traceback and nothing on standard error, and
exits with status 1 (:data:`CLOSED_OUTPUT`): standard output is pointed at
the null device so that Python's final flush does not fail again, as the
Python documentation advises for ``BrokenPipeError``. (A shell that killed
the command with SIGPIPE would report 141; Python ignores SIGPIPE, so the
command chooses 1, the status of a command that did not finish its output.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from io import TextIOWrapper
from pathlib import Path
from typing import Any, Final, NoReturn

from electoral import examples, io
from electoral._api import tabulate
from electoral._registry import get, names
from electoral._text import ascii_int, did_you_mean, excerpt, one_line
from electoral._version import __version__
from electoral.errors import BallotErrorGroup, ElectoralError, FormatError, OptionError, SeatsError
from electoral.io._formats import BY_NAME, FORMATS, Format, read_option
from electoral.rules._describe import OptionInfo, describe_rule, rule_options
from electoral.rules._presets import NO_SOURCE, preset_details

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
    count.add_argument(
        "file",
        help="the election file: election JSON or any CVR format (see electoral.io), or example:NAME for a bundled one",
    )
    count.add_argument("--rule", required=True, help="a registered rule name (see 'electoral rules')")
    count.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a rule option, e.g. preset=kyrgyzstan-president or threshold=40%% (repeatable;"
        " 'electoral rules NAME' lists a rule's options)",
    )
    count.add_argument(
        "--seats",
        metavar="N",
        help="the seats to fill (default: the file's; 1 for formats that carry none, such as PrefLib)",
    )
    count.add_argument(
        "--runoff", metavar="FILE", help="the second round's ballots, for rules with a runoff (a file or example:NAME)"
    )
    count.add_argument(
        "--input-format",
        metavar="FORMAT",
        help="the file's format, if not clear from its extension or content (see 'electoral formats')",
    )
    count.add_argument(
        "--read-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a reader option, e.g. contest=Mayor or first_column=2 (repeatable; candidates=A,B,C;"
        " 'electoral formats NAME' lists a format's options)",
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
        "--output-dir",
        metavar="DIR",
        help="write every file RCTab writes for the config's outputSettings into DIR, a new or empty folder"
        " (not with --json, --csv or --html)",
    )
    rctab.add_argument(
        "--convert",
        action="store_true",
        help="with --output-dir: convert the records only, as RCTab's conversion does, without counting"
        " (RCTab's CSV CVR and the CDF CVR JSON)",
    )
    rctab.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="processes reading ES&S files (0: one per CPU; default 1)",
    )

    seats = commands.add_parser("seats", help="count district returns under an electoral system preset")
    seats.add_argument("folder", help="the returns folder: votes.csv, districts.csv, ballot_totals.csv, ...")
    seats.add_argument("--system", required=True, help="a system preset (e.g. spain-congreso) or a system JSON file")
    seats.add_argument("--year", metavar="Y", help="the election year: the preset's law as in force then")
    seats.add_argument("--seed", metavar="N", help="the seed of the lots a tie may need")
    seats.add_argument(
        "--format",
        choices=("text", "json", "html"),
        default="text",
        help="output format (default: text; html is the seat tables as a notebook fragment)",
    )

    _add_audit_parser(commands)
    _add_rules_parser(commands)
    _add_formats_parser(commands)
    return parser


def _whole_option(text: str | None, name: str) -> int | None:
    if text is None:
        return None
    number = ascii_int(text)
    if number is None:
        raise OptionError(f"{name} must be a whole number, not {excerpt(text)}")
    return number


def _seats_command(args: argparse.Namespace) -> str:
    """``electoral seats FOLDER --system NAME [--year Y]``: a preset, or a system JSON file, over the returns."""
    from electoral import systems
    from electoral.io._files import read_bytes

    year = _whole_option(args.year, "--year")
    seed = _whole_option(args.seed, "--seed")
    if args.system in systems.names():
        system = systems.get(args.system, year)
    elif args.system.endswith(".json"):
        if year is not None:
            raise OptionError("--year picks a preset's law; a system JSON file is one law already")
        system = systems.System.from_json(read_bytes(args.system, what="the system file"), source=args.system)
    else:
        raise OptionError(f"no system preset {excerpt(args.system)}; the presets are {', '.join(systems.names())}")
    result = system.tabulate(io.read_returns(args.folder), seed=seed)
    if args.format == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.format == "html":
        from electoral._systems._present import seat_result_page

        return seat_result_page(result)
    return str(result)


def _add_audit_parser(commands: Any) -> None:
    """``electoral audit raire FILE``: the RAIRE assertions of an instant-runoff contest."""
    audit = commands.add_parser("audit", help="risk-limiting-audit assertions (RAIRE, for instant-runoff)")
    kinds = audit.add_subparsers(dest="audit_kind", required=True, parser_class=_Parser, help="what to compute")
    raire = kinds.add_parser("raire", help="the RAIRE assertions that confirm an instant-runoff winner")
    raire.add_argument("file", help="the election file (any format electoral reads), or example:NAME")
    raire.add_argument("--risk-limit", default="0.05", metavar="ALPHA", help="the risk limit (default 0.05)")
    raire.add_argument(
        "--audit", choices=("comparison", "polling", "margin"), default="comparison", help="the difficulty minimised"
    )
    raire.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an instant-runoff option, e.g. overvote_rule=always_skip_to_next_rank (repeatable)",
    )
    raire.add_argument("--input-format", metavar="FORMAT", help="the file's format (see 'electoral formats')")
    raire.add_argument("--read-option", action="append", default=[], metavar="KEY=VALUE", help="a reader option")
    raire.add_argument(
        "--format", choices=("text", "json", "raire-rs", "shangrla"), default="text", help="output (default: text)"
    )


def _audit(args: argparse.Namespace) -> str:
    from electoral.audit import raire

    try:
        risk_limit = float(args.risk_limit)
    except ValueError:
        raise ElectoralError(f"--risk-limit must be a number between 0 and 1, not {excerpt(args.risk_limit)}") from None
    read_options = _read_options(args.read_option)
    election = io.read(_input(args.file), args.input_format, **read_options)
    found = raire(election, audit=args.audit, risk_limit=risk_limit, **_options(args.option))
    if args.format == "text":
        return str(found)
    return found.to_json("electoral" if args.format == "json" else args.format)


def _add_listing_parser(commands: Any, name: str, *, help: str, description: str, name_help: str) -> None:
    """A command that lists things, or describes the one named, as text or JSON (``rules``, ``formats``)."""
    listing = commands.add_parser(name, help=help, description=description)
    listing.add_argument("name", nargs="?", help=name_help)
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text; json for programs)"
    )


def _add_rules_parser(commands: Any) -> None:
    _add_listing_parser(
        commands,
        "rules",
        help="list the registered rules, or describe one",
        description="Without NAME, list every rule with its one-line summary. With NAME, describe the rule:"
        " what it reads and elects, every option (--option NAME=VALUE) with its type, default and choices,"
        " and its presets (--option preset=NAME) with their legal sources.",
        name_help="a rule to describe (e.g. stv, two-round)",
    )


def _add_formats_parser(commands: Any) -> None:
    _add_listing_parser(
        commands,
        "formats",
        help="list the file formats tabulate reads, or describe one",
        description="Without NAME, list every format with what it reads, its extensions and its own read options,"
        " then the marking options every CVR format takes. With NAME, describe the format: how it is detected,"
        " and each read option (--read-option NAME=VALUE) with its type, default and meaning.",
        name_help="a format to describe, named as --input-format names it (e.g. ess, csv)",
    )


def _options(pairs: Sequence[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ElectoralError(f"--option {excerpt(pair)} must be KEY=VALUE")
        options[key.strip().replace("-", "_")] = value
    return options


def _read_options(pairs: Sequence[str]) -> dict[str, Any]:
    """``--read-option KEY=VALUE`` pairs, each read as its declaration says (an undeclared one as text)."""
    return {key: read_option(key).parse(value) for key, value in _options(pairs).items()}


def _rctab(args: argparse.Namespace) -> str:
    if args.output_dir is not None:
        return _rctab_output_dir(args)
    if args.convert:
        raise ElectoralError("--convert writes its files into a folder: give --output-dir DIR")
    if args.json is None and args.csv is None and args.html is None:
        raise ElectoralError(
            "give --output-dir DIR, or --json OUT.json, --csv OUT.csv and/or --html OUT.html for the report"
        )
    for flag, value in (("--json", args.json), ("--csv", args.csv), ("--html", args.html)):
        if value is not None and not value.strip():
            raise ElectoralError(f"{flag} needs a file name")
    contest = io.read_rctab_config(args.config, workers=args.workers)
    extra = []
    if args.html is not None:
        from electoral.report import html_report, rctab_sources

        result = io.tabulate_rctab(contest)
        broken = {kind: io.rctab_slices(contest, kind, result) for kind in contest.slices}
        page = html_report(result, source=rctab_sources(args.config, contest.config), slices=broken)
        extra.append((Path(args.html), page))
    written = io.write_rctab_reports(
        contest,
        None if args.json is None else Path(args.json),
        None if args.csv is None else Path(args.csv),
        extra=extra,
    )
    return "\n".join(f"wrote {one_line(str(path), LINE_LIMIT)}" for path in written)


def _rctab_output_dir(args: argparse.Namespace) -> str:
    """``electoral rctab CONFIG --output-dir DIR``: every artifact, all or nothing (see ``io._rctab_output``)."""
    given = [flag for flag, value in (("--json", args.json), ("--csv", args.csv), ("--html", args.html)) if value]
    if given:
        raise ElectoralError(f"--output-dir writes every report itself: give it without {', '.join(given)}")
    if not args.output_dir.strip():
        raise ElectoralError("--output-dir needs a folder name")
    contest = io.read_rctab_config(args.config, workers=args.workers)
    skipped: list[str] = []
    if args.convert:
        from electoral.io._rctab_convert import conversion_artifacts

        files = conversion_artifacts(contest, skipped=skipped, count=False)
    else:
        files = io.rctab_artifacts(contest, skipped=skipped)
    if not files:
        raise ElectoralError(f"nothing to write: {'; '.join(skipped) or 'the config asks for no file'}")
    written = io.write_rctab_output(Path(args.output_dir), files)
    lines = [f"wrote {one_line(str(path), LINE_LIMIT)}" for path in written]
    lines += [f"not written: {one_line(note, LINE_LIMIT)}" for note in skipped]
    return "\n".join(lines)


# -- electoral rules ---------------------------------------------------------------------------------


def _rules(args: argparse.Namespace) -> str:
    """``electoral rules [NAME] [--format json]``."""
    if args.name is not None:
        cls = get(args.name)
        if args.format == "json":
            return _json(describe_rule(cls))
        return _describe_rule(cls)
    rules = [get(name).info for name in names()]
    if args.format == "json":
        return _json(
            [
                {
                    "name": i.name,
                    "family": i.family,
                    "summary": i.summary,
                    "marks": sorted(i.marks),
                    "winners": i.winners,
                }
                for i in rules
            ]
        )
    return _aligned([(i.name, i.summary) for i in rules], header=("rule", "summary"))


def _describe_rule(cls: type[Any]) -> str:
    """``electoral rules NAME``: what the rule reads and elects, its options, its presets with their sources."""
    info = cls.info
    marks = {"single": "single marks", "ranking": "rankings", "approval": "approvals", "scores": "scores"}
    winners = "one winner" if info.winners == "single" else "one winner per seat"
    elects = "shares out seats among lists" if info.apportions else f"elects {winners}"
    lines = [
        f"{info.name}: {info.summary}",
        f"family: {info.family}; reads {' or '.join(marks.get(m, m) for m in sorted(info.marks))}; {elects}"
        + ("; takes runoff ballots (--runoff)" if info.takes_runoff else ""),
    ]
    options = rule_options(cls)
    if not options:
        lines.append("options: none declared")
    else:
        lines.append("options (--option NAME=VALUE), each with its default and type:")
        presets_below = bool(preset_details(cls))
        lines += _aligned([_option_row(o, presets_below) for o in options], indent="  ").splitlines()
    presets = preset_details(cls)
    if presets:
        lines.append("presets (--option preset=NAME), each with its legal source:")
        width = max(len(p.name) for p in presets)
        for preset in presets:
            lines.append(f"  {preset.name.ljust(width)}  {preset.title}")
            lines.append(f"  {''.ljust(width)}  source: {preset.citation or NO_SOURCE}")
    return "\n".join(lines)


def _option_row(option: OptionInfo, presets_below: bool = False) -> tuple[str, ...]:
    kind = option.type
    if option.name == "preset" and presets_below:
        kind = f"{kind}: one of the presets below"
    elif option.choices:
        kind = f"{kind}: {', '.join(option.choices)}" if kind != "choice" else f"one of {', '.join(option.choices)}"
    if option.more:
        kind = f"{kind}; {option.more}"
    return (option.name, "= " + one_line(option.default_text, 60), kind)


# -- electoral formats -------------------------------------------------------------------------------


def _formats(args: argparse.Namespace) -> str:
    """``electoral formats [NAME] [--format json]``."""
    if args.name is not None:
        described = _format_named(args.name).describe()
        return _json(described) if args.format == "json" else _describe_format(described)
    listed = [f.describe() for f in FORMATS]
    if args.format == "json":
        return _json(listed)
    rows = [
        (
            d["name"],
            d["reads"],
            " ".join(d["extensions"]) or "-",
            d["what"],
            " ".join(f"{o['name']}={_option_default(o)}" for o in d["options"] if not o["marking"]) or "-",
        )
        for d in listed
    ]
    lines = _aligned(rows, header=("format", "reads", "extensions", "what", "own read options (default)")).splitlines()
    cvr = [d for d in listed if d["kind"] == "cvr"]
    if cvr:
        lines.append(f"marking options, taken by every CVR format ({', '.join(d['name'] for d in cvr)}):")
        lines += _aligned([_read_option_row(o) for o in cvr[0]["options"] if o["marking"]], indent="  ").splitlines()
    lines.append("give them with --read-option NAME=VALUE; 'electoral formats NAME' describes one format")
    return "\n".join(lines)


def _describe_format(described: dict[str, Any]) -> str:
    """``electoral formats NAME``: what the format reads, how it is found, and each of its read options."""
    found = [f"extension {' '.join(described['extensions'])}"] if described["extensions"] else []
    found += ["content"] if described["detected_by_content"] else []
    found += ["a folder's file names"] if described["detected_in_folder"] else []
    lines = [
        f"{described['name']}: {described['what']}",
        f"reads: a {described['reads'].replace('-or-', ' or a ')}; detected by "
        + (" or ".join(found) or f"nothing (give --input-format {described['name']})"),
    ]
    if described["rctab_provider"]:
        lines.append(f"RCTab contest configs name it provider {described['rctab_provider']!r}")
    if described["needs"]:
        lines.append(f"contest is required: {described['needs']}")
    own = [o for o in described["options"] if not o["marking"]]
    marking = [o for o in described["options"] if o["marking"]]
    if not described["options"]:
        lines.append("it takes no read options")
    if own:
        lines.append("read options (--read-option NAME=VALUE), each with its default, type and meaning:")
        lines += _aligned([_read_option_row(o) for o in own], indent="  ").splitlines()
    if marking:
        lines.append("marking options (every CVR format takes them):")
        lines += _aligned([_read_option_row(o) for o in marking], indent="  ").splitlines()
    return "\n".join(lines)


def _option_default(option: dict[str, Any]) -> str:
    if option["required"]:
        return "(required)"
    value = option["default"]
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return json.dumps(value) if value else "(empty)"
    return str(value) if value != "" else '""'


def _read_option_row(option: dict[str, Any]) -> tuple[str, ...]:
    return (option["name"], "= " + _option_default(option), option["type"], option["help"])


def _format_named(name: str) -> Format:
    """The format called ``name``; an unknown name is one line naming it and the close ones."""
    found = BY_NAME.get(name)
    if found is None:
        known = sorted(BY_NAME)
        raise FormatError(f"unknown format {excerpt(name)}{did_you_mean(name, known)} (formats: {', '.join(known)})")
    return found


# -- shared by the listings ------------------------------------------------------------------------


def _aligned(rows: Sequence[Sequence[str]], *, header: Sequence[str] | None = None, indent: str = "") -> str:
    """``rows`` as columns padded to their widest cell (the last column is not padded)."""
    table = [list(header)] if header is not None else []
    table += [[one_line(cell, LINE_LIMIT) for cell in row] for row in rows]
    if not table:
        return ""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    return "\n".join(
        indent + "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
        for row in table
    )


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def _run(args: argparse.Namespace) -> str:
    if args.command == "rules":
        return _rules(args)
    if args.command == "formats":
        return _formats(args)
    if args.command == "rctab":
        return _rctab(args)
    if args.command == "seats":
        return _seats_command(args)
    if args.command == "audit":
        return _audit(args)
    read_options = _read_options(args.read_option)
    if args.input_format is not None:
        _format_named(args.input_format)  # an unknown name is refused before anything is read
    seats = None if args.seats is None else _seats(args.seats)  # refused before a large file is read
    file = _input(args.file)
    election = io.read(file, args.input_format, **read_options)
    if seats is not None:
        election = election.with_seats(seats)
    runoff_file = _input(args.runoff) if args.runoff else None
    runoff = io.read(runoff_file, args.input_format, **read_options) if runoff_file is not None else None
    result = tabulate(election, args.rule, runoff=runoff, **_options(args.option))
    if args.format == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if args.format == "html":
        from electoral.report import Source, html_report

        # the files read, under the names given on the command line (example:NAME included)
        inputs = [Source.of_file(file, role="election", name=args.file)]
        if runoff_file is not None:
            inputs.append(Source.of_file(runoff_file, role="runoff", name=args.runoff))
        return html_report(result, source=inputs).rstrip("\n")
    return str(result)


#: how a command names a bundled example instead of a file: ``example:kyrgyzstan-2017``
EXAMPLE_PREFIX: Final = "example:"


def _input(text: str) -> str | Path:
    """A file argument: a path, or ``example:NAME`` for the file of a bundled example (:mod:`electoral.examples`)."""
    if text.startswith(EXAMPLE_PREFIX):
        return examples.path(text.removeprefix(EXAMPLE_PREFIX))
    return text


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
