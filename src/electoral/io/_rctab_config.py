"""RCTab contest configurations: the CVR sources, candidates and rules of one contest.

:func:`read_rctab_config` reads the JSON file that RCTab (the Universal RCV
Tabulator) saves for a contest, reads every CVR source it lists (paths are
relative to the config file's folder), and returns an :class:`RctabContest`:
the :class:`~electoral.Election` and the configured rule, ready for
:func:`tabulate_rctab`. The rule options are the snake_case forms of
RCTab's ``rules`` keys (see ``docs/rctab.md`` for the mapping).

Every error names the config file and the field (``rules.overvoteRule``,
``cvrFileSources[2].filePath``...), or the CVR file and row.

What a config may read: any regular file or folder the user can read, named
by an absolute path or one relative to the config's folder (RCTab's own
configs reach ``../_shared/``). A device, FIFO or socket, or a folder where
a file is expected, is refused before anything is read. Errors about the
content of a CVR file named by a config never quote that content: inside
:func:`electoral._text.redacted` they name the file, the row and the column
or field, and describe the offending value by its length. The config's own
values (candidate names, labels, seeds) are quoted.

Whole numbers in the config are JSON integers or ASCII decimal digits (not
``1_000``, ``٣`` or ``4.0``), within the range RCTab's Java fields hold:
``randomSeed`` a ``long``, the others an ``int``, and
``decimalPlacesForVoteArithmetic`` from 1 to 20.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import attrs

from electoral._model import Election
from electoral._registry import build, get
from electoral._result import Result
from electoral._text import ascii_int, excerpt, path_text, redacted
from electoral.errors import ElectoralError, FormatError
from electoral.io._cvr import UNDECLARED_WRITE_INS, CvrTable, MarkSpec, build_election, slice_elections
from electoral.io._files import kind_of
from electoral.io._formats import BY_NAME, BY_PROVIDER, Format
from electoral.io._json import load_json

__all__ = ["RctabContest", "artifact_prefix", "read_rctab_config", "tabulate_rctab"]

_TIE_BREAKS: Final = {
    "random": "rctab-random",
    "useCandidateOrder": "candidate-order",
    "stopCountingAndAsk": "stop",
    "generatePermutation": "rctab-permutation",
    "previousRoundCountsThenRandom": "previous-rounds+rctab-random",
}
_OVERVOTE_RULES: Final = {
    "exhaustImmediately": "exhaust_immediately",
    "alwaysSkipToNextRank": "always_skip_to_next_rank",
    "exhaustIfMultipleContinuing": "exhaust_if_multiple_continuing",
}
#: RCTab's winnerElectionMode -> (rule name, the stv ``rctab_mode`` option, or None for instant-runoff)
_MODES: Final = {
    "singleWinnerMajority": ("instant-runoff", None),
    "multiWinnerAllowMultipleWinnersPerRound": ("stv", "multiple-winners-per-round"),
    "multiWinnerAllowOnlyOneWinnerPerRound": ("stv", "one-winner-per-round"),
    "bottomsUp": ("stv", "bottoms-up"),
    "bottomsUpUsingPercentageThreshold": ("stv", "bottoms-up-percentage"),
    "multiPassIrv": ("stv", "multi-pass-irv"),
}
#: the range of a Java ``int``, which RCTab reads most numeric fields into
JAVA_INT: Final = (-(2**31), 2**31 - 1)
#: the range of a Java ``long``: RCTab's ``randomSeed``
JAVA_LONG: Final = (-(2**63), 2**63 - 1)
#: the most decimals ``decimalPlacesForVoteArithmetic`` (and a bottoms-up percentage) may have: every
#: figure of the report is printed with that many, and the stv rule itself takes at most 12
MAX_DECIMAL_PLACES: Final = 20


def _quote(value: object) -> str:
    """A value of the config itself, quoted (even while CVR content is being redacted)."""
    return excerpt(value, given=True)


@attrs.frozen
class RctabContest:
    """One RCTab contest: what the config says, the election it describes, and the rule to count it."""

    path: Path
    config: Mapping[str, Any] = attrs.field(repr=False)
    election: Election = attrs.field(repr=False)
    rule_name: str
    options: Mapping[str, Any]
    decimal_places: int
    mode: str
    #: the config's numberOfWinners (it may exceed the candidates, or be 0 for bottoms-up by percentage)
    winners: int = 1
    #: how the CVR codes were mapped to candidates (kept for the CVR conversions, which re-read the sources)
    spec: MarkSpec | None = attrs.field(default=None, repr=False, eq=False)
    #: the election split by slice, for the kinds ``outputSettings`` asks for (``tabulateByPrecinct``,
    #: ``tabulateByBatch``): "precinct" or "batch" -> label -> the Election of that slice's ballots
    slices: Mapping[str, Mapping[str, Election]] = attrs.field(factory=dict, repr=False, kw_only=True)

    @property
    def output(self) -> Mapping[str, Any]:
        settings = self.config.get("outputSettings", {})
        return settings if isinstance(settings, Mapping) else {}

    def rule(self) -> Any:
        """The configured rule (raises OptionError if the installed rule lacks an option the config needs)."""
        _load_rules()
        cls = get(self.rule_name)
        return build(cls, **self.options)


def _load_rules() -> None:
    # the ranked-choice rules register themselves when imported
    for module in ("electoral.rules._irv", "electoral.rules._stv"):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)


def tabulate_rctab(contest: RctabContest) -> Result:
    """Count the contest under its configured rule."""
    result: Result = contest.rule().tabulate(contest.election)
    return result


class _Fields:
    """Typed access to config fields; each error names the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, message: str) -> FormatError:
        return FormatError(f"{field}: {message}", source=self.source)

    def text(self, data: Mapping[str, Any], key: str, field: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(field, f"expected text, not {_quote(value)}")
        return str(value).strip()

    def flag(self, data: Mapping[str, Any], key: str, field: str) -> bool:
        value = data.get(key, False)
        if value in (None, ""):
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise self.fail(field, f"expected true or false, not {_quote(value)}")

    def integer(
        self,
        data: Mapping[str, Any],
        key: str,
        field: str,
        *,
        minimum: int,
        maximum: int = JAVA_INT[1],
        default: int | None = None,
    ) -> int | None:
        """A whole number: a JSON integer, or text of ASCII digits (signed if ``minimum`` is negative)."""
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            number = ascii_int(value, signed=minimum < 0)
        if number is None:
            raise self.fail(field, f"expected a whole number, not {_quote(value)}")
        if not minimum <= number <= maximum:
            raise self.fail(field, f"must be from {minimum} to {maximum}, got {_quote(number)}")
        return number


def read_rctab_config(path: str | Path, *, workers: int | None = None) -> RctabContest:
    """Read an RCTab contest config and every CVR source it lists.

    ``workers``: processes for reading several ES&S files (None or 1: this
    process only; 0: one per CPU).
    """
    file = Path(path)
    source = str(file)
    data = load_json(file, source, what="the config")
    if not isinstance(data, Mapping):
        raise FormatError("an RCTab config must be a JSON object", source=source)
    fields = _Fields(source)
    rules = data.get("rules")
    if not isinstance(rules, Mapping):
        raise fields.fail("rules", "missing, or not an object")
    output = data.get("outputSettings", {})
    if not isinstance(output, Mapping):
        raise fields.fail("outputSettings", "not an object")

    names, aliases, excluded = _candidates(data, fields)
    rule_name, options, places, mode, winners = _rule_options(rules, fields, len(names))
    raw_max = options.get("max_rankings")
    max_rankings = raw_max if isinstance(raw_max, int) else len(names)
    title = fields.text(output, "contestName", "outputSettings.contestName")
    # the CVR files are named by the config, not by the user: errors about their content describe it, never show it
    kinds = tuple(
        kind
        for kind, key in (("precinct", "tabulateByPrecinct"), ("batch", "tabulateByBatch"))
        if fields.flag(output, key, f"outputSettings.{key}")
    )
    with redacted():
        tables, spec_parts = _sources(data, fields, file.parent, max_rankings, workers, kinds)
        spec = MarkSpec(
            candidates=tuple(names), aliases=aliases, max_rankings=max_rankings, seats=1, title=title, **spec_parts
        )
        election = build_election(tables, spec)
    if winners > 1:
        # numberOfWinners is the election's seats; RCTab accepts more winners than candidates (its
        # modes then elect them all), and 0 (bottoms-up by percentage, which uses no seats) leaves 1
        election = election.with_seats(winners)
    if UNDECLARED_WRITE_INS in election.names:
        options["undeclared_write_in"] = UNDECLARED_WRITE_INS
    if excluded:
        options["excluded"] = tuple(excluded)
    slices = {kind: slice_elections(tables, spec, election, kind) for kind in kinds}
    contest = RctabContest(file, data, election, rule_name, options, places, mode, winners, spec, slices=slices)
    try:
        contest.rule()
    except ElectoralError as error:
        raise FormatError(f"rules: {error}", source=source) from None
    return contest


def _candidates(data: Mapping[str, Any], fields: _Fields) -> tuple[list[str], dict[str, str], list[str]]:
    raw = data.get("candidates")
    if not isinstance(raw, list) or not raw:
        raise fields.fail("candidates", "missing, empty, or not a list")
    names: list[str] = []
    aliases: dict[str, str] = {}
    excluded: list[str] = []
    for index, item in enumerate(raw):
        where = f"candidates[{index}]"
        if not isinstance(item, Mapping):
            raise fields.fail(where, f"expected an object, not {_quote(item)}")
        name = fields.text(item, "name", f"{where}.name")
        if not name:
            raise fields.fail(f"{where}.name", "a candidate needs a name")
        if name in names:
            raise fields.fail(f"{where}.name", f"candidate {_quote(name)} is listed twice")
        names.append(name)
        raw_aliases = item.get("aliases", [])
        if raw_aliases is None:
            raw_aliases = []
        if isinstance(raw_aliases, str):
            raw_aliases = [raw_aliases]
        if not isinstance(raw_aliases, list):
            raise fields.fail(f"{where}.aliases", f"expected a list, not {_quote(raw_aliases)}")
        for position, alias in enumerate(raw_aliases):
            if not isinstance(alias, (str, int)) or isinstance(alias, bool):
                raise fields.fail(f"{where}.aliases[{position}]", f"expected text, not {_quote(alias)}")
            code = str(alias).strip()
            if aliases.get(code, name) != name:
                raise fields.fail(
                    f"{where}.aliases[{position}]", f"{_quote(code)} is already an alias of {_quote(aliases[code])}"
                )
            aliases[code] = name
        if fields.flag(item, "excluded", f"{where}.excluded"):
            excluded.append(name)
    return names, aliases, excluded


def _choice(fields: _Fields, rules: Mapping[str, Any], key: str, table: Mapping[str, str]) -> str:
    value = fields.text(rules, key, f"rules.{key}")
    if value not in table:
        raise fields.fail(f"rules.{key}", f"{_quote(value)} is not one of {', '.join(table)}")
    return table[value]


def _rule_options(
    rules: Mapping[str, Any], fields: _Fields, declared: int
) -> tuple[str, dict[str, Any], int, str, int]:
    """The rule's name and options, the decimal places, the mode and numberOfWinners (the election's seats)."""
    mode = fields.text(rules, "winnerElectionMode", "rules.winnerElectionMode")
    if mode not in _MODES:
        raise fields.fail("rules.winnerElectionMode", f"{_quote(mode)} is not one of {', '.join(_MODES)}")
    rule_name, stv_mode = _MODES[mode]
    options: dict[str, Any] = {}
    tie = _choice(fields, rules, "tiebreakMode", _TIE_BREAKS)
    options["tie_break"] = tie
    if tie.startswith(("rctab", "previous-rounds")):
        options["seed"] = fields.integer(
            rules, "randomSeed", "rules.randomSeed", minimum=JAVA_LONG[0], maximum=JAVA_LONG[1]
        )
        if options["seed"] is None:
            raise fields.fail("rules.randomSeed", f"tiebreakMode {_quote(rules.get('tiebreakMode'))} needs a seed")
    options["overvote_rule"] = _choice(fields, rules, "overvoteRule", _OVERVOTE_RULES)
    skipped = fields.text(rules, "maxSkippedRanksAllowed", "rules.maxSkippedRanksAllowed")
    options["max_skipped_ranks"] = (
        None
        if skipped.lower() == "unlimited"
        else fields.integer(rules, "maxSkippedRanksAllowed", "rules.maxSkippedRanksAllowed", minimum=0)
    )
    rankings = fields.text(rules, "maxRankingsAllowed", "rules.maxRankingsAllowed")
    options["max_rankings"] = (
        declared
        if rankings.lower() == "max"
        else fields.integer(rules, "maxRankingsAllowed", "rules.maxRankingsAllowed", minimum=1)
    )
    for key, option in (
        ("exhaustOnDuplicateCandidate", "exhaust_on_duplicate_candidate"),
        ("batchElimination", "batch_elimination"),
        ("continueUntilTwoCandidatesRemain", "continue_until_two_candidates_remain"),
        ("doesFirstRoundDetermineThreshold", "does_first_round_determine_threshold"),
    ):
        if fields.flag(rules, key, f"rules.{key}"):
            options[option] = True
    minimum = fields.integer(rules, "minimumVoteThreshold", "rules.minimumVoteThreshold", minimum=0, default=0)
    if minimum:
        options["minimum_vote_threshold"] = minimum
    stop = fields.integer(rules, "stopTabulationEarlyAfterRound", "rules.stopTabulationEarlyAfterRound", minimum=1)
    if stop is not None:
        options["stop_tabulation_early_after_round"] = stop
    places = fields.integer(
        rules,
        "decimalPlacesForVoteArithmetic",
        "rules.decimalPlacesForVoteArithmetic",
        minimum=1,
        maximum=MAX_DECIMAL_PLACES,
        default=4,
    )
    assert places is not None
    seats = fields.integer(rules, "numberOfWinners", "rules.numberOfWinners", minimum=0, default=1)
    assert seats is not None
    if stv_mode is not None:
        if seats == 0 and mode != "bottomsUpUsingPercentageThreshold":
            raise fields.fail("rules.numberOfWinners", "must be at least 1")
        options["transfer"] = "rctab"
        options["rctab_mode"] = stv_mode
        options["decimal_places"] = places
        if fields.flag(rules, "hareQuota", "rules.hareQuota"):
            options["quota"] = "hare"
        if fields.flag(rules, "nonIntegerWinningThreshold", "rules.nonIntegerWinningThreshold"):
            options["non_integer_winning_threshold"] = True
        if fields.flag(rules, "cutoffElimination", "rules.cutoffElimination"):
            options["cutoff_elimination"] = True
        if mode == "bottomsUpUsingPercentageThreshold":
            percent = fields.text(
                rules, "multiSeatBottomsUpPercentageThreshold", "rules.multiSeatBottomsUpPercentageThreshold"
            )
            if not percent:
                raise fields.fail(
                    "rules.multiSeatBottomsUpPercentageThreshold", "bottomsUpUsingPercentageThreshold needs it"
                )
            whole, point, decimals = percent.partition(".")
            if (
                not (whole.isascii() and whole.isdigit() and len(whole) <= 3)
                or (point and not (decimals.isascii() and decimals.isdigit() and len(decimals) <= MAX_DECIMAL_PLACES))
                or not 0 < Fraction(percent) <= 100
            ):
                raise fields.fail(
                    "rules.multiSeatBottomsUpPercentageThreshold",
                    f"expected a percentage above 0 and at most 100, with at most {MAX_DECIMAL_PLACES} decimals,"
                    f" not {_quote(percent)}",
                )
            options["bottoms_up_threshold"] = percent + "%"
    else:
        if seats != 1:
            raise fields.fail("rules.numberOfWinners", f"singleWinnerMajority elects 1, not {seats}")
        if fields.flag(rules, "cutoffElimination", "rules.cutoffElimination"):
            raise fields.fail("rules.cutoffElimination", "applies only to bottomsUpUsingPercentageThreshold")
    return rule_name, options, places, mode, seats


#: the formats whose readers split records by precinct and batch, and the config keys naming the columns
_SLICE_COLUMNS: Final = {"ess", "csv"}
_SLICE_KEYS: Final = {"precinct": "precinctColumnIndex", "batch": "batchColumnIndex"}


def _sources(
    data: Mapping[str, Any],
    fields: _Fields,
    folder: Path,
    max_rankings: int,
    workers: int | None,
    kinds: tuple[str, ...] = (),
) -> tuple[list[CvrTable], dict[str, Any]]:
    raw = data.get("cvrFileSources")
    if not isinstance(raw, list) or not raw:
        raise fields.fail("cvrFileSources", "missing, empty, or not a list")
    tables: list[CvrTable | None] = []
    labels: dict[str, Any] = {}
    # files of a format with a batch reader (ES&S) that share a layout are read together
    # (in parallel, when they are many and large)
    batches: dict[tuple[str, tuple[tuple[str, Any], ...]], list[tuple[int, Path]]] = {}
    named: dict[Path, int] = {}  # each source's resolved path, to the first source that names it
    for index, item in enumerate(raw):
        where = f"cvrFileSources[{index}]"
        if not isinstance(item, Mapping):
            raise fields.fail(where, f"expected an object, not {_quote(item)}")
        provider = fields.text(item, "provider", f"{where}.provider")
        if provider not in BY_PROVIDER:
            raise fields.fail(f"{where}.provider", f"{_quote(provider)} is not one of {', '.join(BY_PROVIDER)}")
        format = BY_PROVIDER[provider]
        source = format.rctab
        assert source is not None
        file_path = fields.text(item, "filePath", f"{where}.filePath")
        if not file_path:
            raise fields.fail(f"{where}.filePath", "missing")
        path = _source_path(folder, file_path, format, fields, f"{where}.filePath")
        # RCTab refuses a file named twice (ContestConfig.validateCvrFileSources): its ballots would count twice
        earlier = named.setdefault(path, index)
        if earlier != index:
            raise fields.fail(f"{where}.filePath", f"{path_text(path)} is also cvrFileSources[{earlier}]'s")
        contest = fields.text(item, "contestId", f"{where}.contestId")
        part = _labels(item, fields, where)
        for key, value in part.items():
            if labels.setdefault(key, value) != value:
                raise fields.fail(
                    f"{where}", f"{key} differs from an earlier source's; one contest has one set of labels"
                )
        options: dict[str, Any] = {
            option: fields.integer(item, key, f"{where}.{key}", minimum=minimum)
            for option, key, minimum in source.integers
        }
        if any(value is None for value in options.values()):
            keys = " and ".join(key for _, key, _ in source.integers)
            raise fields.fail(where, f"{source.label} needs {keys}")
        if kinds and format.name not in _SLICE_COLUMNS:
            # RCTab aborts the tabulation when it is asked for slices the CVRs do not give (its test
            # tabulate_by_precinct_without_precincts); here only ES&S and generic CSV sources give them
            key = "tabulateByPrecinct" if "precinct" in kinds else "tabulateByBatch"
            raise fields.fail(
                f"outputSettings.{key}",
                f"{source.label} gives no {' or '.join(kinds)} slices (ES&S and generic CSV sources do)",
            )
        if format.name in _SLICE_COLUMNS:
            for kind in kinds:
                key = _SLICE_KEYS[kind]
                column = fields.integer(item, key, f"{where}.{key}", minimum=1)
                if column is None:
                    raise fields.fail(f"{where}.{key}", f"outputSettings asks for {kind} slices: give the column")
                options[f"{kind}_column"] = column
        if source.contest:
            if not contest:
                raise fields.fail(f"{where}.contestId", f"{source.label} needs the contest id")
            options["contest"] = contest
        if source.batch is not None:
            batches.setdefault((format.name, tuple(options.items())), []).append((len(tables), path))
            tables.append(None)
        else:
            tables.append(format.read_table(path, **options))
    for (name, options_given), items in batches.items():
        batch = BY_NAME[name].rctab
        assert batch is not None
        read = batch.read_batch([p for _, p in items], **dict(options_given), ranks=max_rankings, workers=workers)
        for (index, _), table in zip(items, read, strict=True):
            tables[index] = table
    return [t for t in tables if t is not None], labels


def _source_path(folder: Path, file_path: str, format: Format, fields: _Fields, field: str) -> Path:
    """The CVR source a config names, checked to be what its format reads (``Format.paths``), before anything is read.

    ``dominion`` reads a folder, ``hart`` a folder or a file, the others a
    regular file; anything else (a device, a FIFO, a socket) is refused.
    """
    if "\x00" in file_path:
        raise fields.fail(field, "the path holds a NUL character")
    path = Path(file_path)
    if not path.is_absolute():
        path = folder / path
    try:
        path = path.resolve()
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise fields.fail(field, f"{path_text(path)} does not exist") from None
    except (OSError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
        raise fields.fail(field, f"{path_text(path)}: cannot use the path: {reason}") from None
    if stat.S_ISDIR(mode) and format.paths != "file":
        return path
    if stat.S_ISREG(mode) and format.paths != "folder":
        return path
    what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
    wanted = "a folder" if format.paths == "folder" else "a regular file"
    raise fields.fail(field, f"{path_text(path)} is {what}, not {wanted}: refused before reading")


def _labels(item: Mapping[str, Any], fields: _Fields, where: str) -> dict[str, Any]:
    def label(key: str) -> str | None:
        return fields.text(item, key, f"{where}.{key}") or None

    return {
        "overvote_label": label("overvoteLabel"),
        "skipped_label": label("skippedRankLabel"),
        "undeclared_write_in": label("undeclaredWriteInLabel"),
        "overvote_delimiter": label("overvoteDelimiter"),
        "treat_blank_as_undeclared_write_in": fields.flag(
            item, "treatBlankAsUndeclaredWriteIn", f"{where}.treatBlankAsUndeclaredWriteIn"
        ),
    }


def artifact_prefix(contest: RctabContest) -> str:
    """The case prefix of every file written for a contest: the config's file name without ``_config.json``.

    (Without that ending, the file name without its extension.) RCTab's test
    suite names its expected files so: ``<case>_expected_detailed_report.json``
    for ``<case>_config.json``.
    """
    name, suffix = contest.path.name, "_config.json"
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else contest.path.stem
