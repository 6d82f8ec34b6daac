"""The one table of file formats: each format's name, reader, detection and options.

Both dispatchers use it: :func:`electoral.io.read` (a format named by the
user, or detected from the extension or the content) and RCTab contest
configs (:func:`electoral.io.read_rctab_config`, a ``cvrFileSources``
entry's ``provider``). A :class:`Format` says

- ``name``: the ``format=`` name of :func:`~electoral.io.read`;
- the reader: ``table`` (a CVR format, read into a
  :class:`~electoral.io._cvr.CvrTable` and built into an election with the
  marking options of :class:`~electoral.io.MarkSpec`), or ``election`` (a
  reader of a whole election, which takes ``options`` only if listed);
- ``options``: the reader options of that format (beyond the marking ones),
  and ``needs``: why one of them, ``contest``, must be given (if it must);
- detection: ``extensions``; ``sniff``, a test of the file's first bytes;
  ``folder``, a test of a folder's file names. The tests of different
  formats never both match, so the table's order does not matter to detection.
  An extension decides, unless its format has no content test (``.csv``,
  shared by RCTab's generic CSV, the rank-column CSV and Clear Ballot's):
  then a format without extensions whose test claims the content wins;
- ``paths``: what the format reads (``"file"``, ``"folder"`` or
  ``"file-or-folder"``);
- ``rctab``: how an RCTab config names and configures it
  (:class:`RctabSource`), or None.

Each reader option, of any format, is declared once in :data:`READ_OPTIONS`
(:class:`ReadOption`: its type in words, what it does, and how the command
line's ``--read-option NAME=VALUE`` text is read); its default is the
reader's own (its signature's, or :class:`~electoral.io.MarkSpec`'s for the
marking options). :meth:`Format.describe` puts it all together, for
``electoral formats``.

Readers are imported when first used, not when the package is.
"""

from __future__ import annotations

import importlib
import inspect
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Literal

import attrs

from electoral._model import Election
from electoral._text import ascii_int, excerpt
from electoral.errors import FormatError
from electoral.io._cvr import CvrTable, MarkSpec, build_election
from electoral.io._json import UNREAD

__all__ = [
    "BY_NAME",
    "BY_PROVIDER",
    "FORMATS",
    "READ_OPTIONS",
    "SPEC_FIELDS",
    "Format",
    "RctabSource",
    "ReadOption",
    "detect",
    "read_option",
]

#: the marking options every CVR format takes (the fields of MarkSpec a user may give)
SPEC_FIELDS: Final = frozenset(
    {
        "candidates",
        "aliases",
        "overvote_label",
        "skipped_label",
        "undeclared_write_in",
        "overvote_delimiter",
        "treat_blank_as_undeclared_write_in",
        "max_rankings",
        "seats",
        "title",
    }
)


def _text_value(text: str) -> str:
    return text


def _whole(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        number = ascii_int(text)
        if number is None:
            raise FormatError(
                f"read option {name} must be a whole number (ASCII digits, at most 40), not {excerpt(text)}"
            )
        return number

    return parse


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


_FLAGS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _flag(name: str) -> Callable[[str], bool]:
    def parse(text: str) -> bool:
        flag = text.strip().lower()
        if flag not in _FLAGS:
            raise FormatError(f"read option {name} must be true or false, not {excerpt(text)}")
        return _FLAGS[flag]

    return parse


def _aliases(text: str) -> dict[str, str]:
    try:
        aliases = json.loads(text)
    except ValueError:
        aliases = None
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise FormatError(
            f'read option aliases must be a JSON object from code to name, e.g. {{"A-2": "A"}}, not {excerpt(text)}'
        )
    return aliases


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _is_text(value: object) -> bool:
    return isinstance(value, str) or value is None


def _is_names(value: object) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(name, str) for name in value)


def _is_text_mapping(value: object) -> bool:
    return isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


@attrs.frozen
class ReadOption:
    """A reader option: ``name``, its ``type`` in words, what it does (``help``), ``parse`` and ``accepts``.

    ``parse`` reads the command line's text (``--read-option NAME=TEXT``)
    into the value the reader takes, or raises a :class:`FormatError` naming
    the option. ``accepts`` says whether a value given in Python is of that
    type, and ``expected`` names the type in the error when it is not.
    """

    name: str
    type: str
    help: str
    parse: Callable[[str], Any] = _text_value
    accepts: Callable[[object], bool] = _is_text
    expected: str = "text"


def _declare(*options: ReadOption) -> Mapping[str, ReadOption]:
    return {option.name: option for option in options}


def _whole_option(name: str, help: str) -> ReadOption:
    """A reader option whose value is a whole number of at least 1."""
    return ReadOption(
        name, "whole number", help, _whole(name), accepts=_is_whole, expected="a whole number of at least 1"
    )


#: every reader option of every format (a format's own, and the marking options of SPEC_FIELDS)
READ_OPTIONS: Final[Mapping[str, ReadOption]] = _declare(
    _whole_option("first_row", "the row where the ballots begin, counting from 1"),
    _whole_option(
        "first_column", "the first column of marks, counting from 1 (ES&S: of ranks; generic CSV: of candidates)"
    ),
    _whole_option("ranks", "how many columns from first_column are ranks (none: all)"),
    ReadOption(
        "contest",
        "text",
        "the contest to read: its Id (Clear Ballot: its name)",
        accepts=lambda value: isinstance(value, str),
    ),
    ReadOption("weight", "text", "rank-csv: the header of the column saying how many voters cast each row"),
    ReadOption(
        "candidates",
        "candidate names, separated by commas",
        "the declared candidates, in order (empty: every code marked is a candidate)",
        _names,
        accepts=_is_names,
        expected="a list of names (text)",
    ),
    ReadOption(
        "aliases",
        'JSON object {"code": "name"}',
        "other codes (vendor ids) for the declared candidates",
        _aliases,
        accepts=_is_text_mapping,
        expected="a mapping from code to candidate name",
    ),
    ReadOption("overvote_label", "text", "the code the vendor writes for an overvote"),
    ReadOption("skipped_label", "text", "the code the vendor writes for a skipped rank"),
    ReadOption("undeclared_write_in", "text", "the code for a write-in that names no declared candidate"),
    ReadOption("overvote_delimiter", "text", "splits one cell into several marks at one rank"),
    ReadOption(
        "treat_blank_as_undeclared_write_in",
        "true or false",
        "count a blank cell as an undeclared write-in",
        _flag("treat_blank_as_undeclared_write_in"),
        accepts=lambda value: isinstance(value, bool),
        expected="True or False",
    ),
    _whole_option("max_rankings", "keep only the first ranks"),
    _whole_option("seats", "the seats to fill (--seats overrides it)"),
    ReadOption("title", "text", "the election's title"),
)


def read_option(name: str) -> ReadOption:
    """The declaration of reader option ``name``; an undeclared one is text, passed to the reader as it is."""
    return READ_OPTIONS.get(name) or ReadOption(name, "text", "")


def _function(reference: str) -> Callable[..., Any]:
    module, _, name = reference.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


@attrs.frozen
class RctabSource:
    """How an RCTab config's ``cvrFileSources`` entry names and configures a format.

    ``provider``: the config's ``provider`` value; ``label``: the words for
    such a source in errors; ``integers``: the reader options read from the
    entry, as (option, config key, least value); ``contest``: whether the
    entry must give ``contestId`` (passed as ``contest``); ``batch``: a
    reader of several files sharing one layout at once, if the format has one.
    """

    provider: str
    label: str
    integers: tuple[tuple[str, str, int], ...] = ()
    contest: bool = False
    batch: str | None = None

    def read_batch(self, paths: list[Path], **options: Any) -> list[CvrTable]:
        assert self.batch is not None
        tables: list[CvrTable] = _function(self.batch)(paths, **options)
        return tables


@attrs.frozen
class Format:
    """One file format: its name, reader, detection and options (see the module notes)."""

    name: str
    what: str
    table: str | None = None
    election: str | None = None
    options: frozenset[str] = frozenset()
    needs: str | None = None
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes, bytes], bool] | None = None
    folder: Callable[[set[str]], bool] | None = None
    paths: Literal["file", "folder", "file-or-folder"] = "file"
    rctab: RctabSource | None = None
    #: marking options the vendor's own files settle, used when a read does not give them
    #: (an RCTab config always gives its labels, so they apply to direct reads only)
    labels: tuple[tuple[str, str], ...] = ()

    def read_table(self, path: Path, **options: Any) -> CvrTable:
        """Read a CVR format's table (``options``: this format's own reader options only)."""
        assert self.table is not None
        if self.needs is not None and "contest" not in options:
            raise FormatError(f"{self.needs}: pass contest= (its Id)", source=str(path))
        table: CvrTable = _function(self.table)(path, **options)
        return table

    def read(self, path: Path, _data: Any = UNREAD, **options: Any) -> Election:
        """Read an election; ``options`` are this format's and, for a CVR format, the marking options."""
        if self.table is None:
            return self._read_election(path, _data, options)
        unknown = set(options) - self.options - SPEC_FIELDS
        if unknown:
            raise FormatError(f"unknown option {excerpt(sorted(unknown)[0])} for this format", source=str(path))
        own = {k: v for k, v in options.items() if k in self.options}
        if _data is not UNREAD:
            own["data"] = _data
        table = self.read_table(path, **own)
        spec_options = {**dict(self.labels), **{k: v for k, v in options.items() if k in SPEC_FIELDS}}
        spec_options = {k: v for k, v in spec_options.items() if v != ""}  # an empty label: none
        if "candidates" in spec_options:
            spec_options["candidates"] = tuple(spec_options["candidates"])
        spec = MarkSpec(infer_candidates="candidates" not in spec_options, **spec_options)
        return build_election([table], spec)

    def _read_election(self, path: Path, data: Any, options: Mapping[str, Any]) -> Election:
        if options:
            raise FormatError(
                f"{self.what_takes} takes no options, got {excerpt(sorted(options)[0])}", source=str(path)
            )
        assert self.election is not None
        reader = _function(self.election)
        election: Election = reader(path) if data is UNREAD else reader(path, data)
        return election

    def option_names(self) -> tuple[str, ...]:
        """The reader options this format takes: its own, then (for a CVR format) the marking options."""
        if self.table is None:
            return tuple(sorted(self.options))
        return (*sorted(self.options), *sorted(SPEC_FIELDS - self.options))

    def describe(self) -> dict[str, Any]:
        """This format as data (JSON-ready): what it reads, how it is detected, and each reader option.

        Each option has its type, default (``required`` when it has none)
        and what it does; ``marking`` says it is one of the marking options
        every CVR format takes.
        """
        defaults = _defaults(self)
        options = []
        for name in self.option_names():
            declared = read_option(name)
            default = defaults.get(name, inspect.Parameter.empty)
            required = default is inspect.Parameter.empty
            options.append(
                {
                    "name": name,
                    "type": declared.type,
                    "default": None if required else _json_ready(default),
                    "required": required,
                    "help": declared.help,
                    "marking": name not in self.options,
                }
            )
        return {
            "name": self.name,
            "what": self.what,
            "reads": self.paths,
            "extensions": list(self.extensions),
            "detected_by_content": self.sniff is not None,
            "detected_in_folder": self.folder is not None,
            "kind": "cvr" if self.table is not None else "election",
            "needs": self.needs,
            "rctab_provider": None if self.rctab is None else self.rctab.provider,
            "options": options,
        }

    @property
    def what_takes(self) -> str:
        """The words for this format's reader in an error about its options."""
        return "the election JSON" if self.name == "json" else f"the {self.name} reader"


def _defaults(format: Format) -> dict[str, Any]:
    """Each reader option's default: the reader's signature's (own options), MarkSpec's (marking options)."""
    defaults: dict[str, Any] = {}
    if format.table is not None:
        for field in attrs.fields(MarkSpec):
            if field.name in SPEC_FIELDS:
                default: Any = field.default
                defaults[field.name] = default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]
    defaults.update(format.labels)
    reader = format.table or format.election
    if reader is not None and format.options:
        for name, parameter in inspect.signature(_function(reader)).parameters.items():
            if name in format.options:
                defaults[name] = parameter.default
    return defaults


def _json_ready(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _text(head: bytes) -> bytes:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _dominion_folder(names: set[str]) -> bool:
    return "CvrExport.json" in names or any(n.startswith("CvrExport_") for n in names)


def _xml_folder(names: set[str]) -> bool:
    return any(n.lower().endswith(".xml") for n in names)


def _ess_folder(names: set[str]) -> bool:
    # any .xlsx, and neither Hart's XML nor a Dominion export: the reader refuses whatever else is mixed in
    return not _dominion_folder(names) and not _xml_folder(names) and any(n.lower().endswith(".xlsx") for n in names)


def _aec_head(head: bytes) -> bool:
    from electoral.io._aec import looks_like_aec_senate

    return looks_like_aec_senate(head)


def _rank_csv_head(head: bytes) -> bool:
    from electoral.io._rank_csv import looks_like_rank_csv

    return looks_like_rank_csv(head)


#: every format (the order of RCTab's providers in its messages)
FORMATS: Final[tuple[Format, ...]] = (
    Format(
        "json",
        "this library's election JSON",
        election="electoral.io._json:read_json",
        extensions=(".json",),
        sniff=lambda head, text: text.startswith((b"{", b"[")),
    ),
    Format(
        "ess",
        "ES&S xlsx file, or a folder of them (one row per ballot)",
        table="electoral.io._ess:read_ess_table",
        options=frozenset({"first_row", "first_column", "ranks"}),
        extensions=(".xlsx",),
        sniff=lambda head, text: head.startswith(b"PK\x03\x04"),
        folder=_ess_folder,
        paths="file-or-folder",
        # ES&S exports write these words in a rank's cell; RCTab's ES&S configs name them so
        labels=(("overvote_label", "overvote"), ("skipped_label", "undervote")),
        rctab=RctabSource(
            "ess",
            "an ES&S source",
            integers=(("first_row", "firstVoteRowIndex", 1), ("first_column", "firstVoteColumnIndex", 1)),
            batch="electoral.io._ess:read_ess_tables",
        ),
    ),
    Format(
        "cdf",
        "NIST SP 1500-103 CDF, JSON or XML",
        table="electoral.io._cdf:read_cdf_table",
        options=frozenset({"contest"}),
        extensions=(".xml",),
        sniff=lambda head, text: text.startswith(b"<") and b"<Cvr" not in head,
        rctab=RctabSource("cdf", "a cdf source", contest=True),
    ),
    Format(
        "dominion",
        "Dominion JSON export folder",
        table="electoral.io._dominion:read_dominion_table",
        options=frozenset({"contest"}),
        needs="a Dominion export holds many contests",
        folder=_dominion_folder,
        paths="folder",
        rctab=RctabSource("dominion", "a dominion source", contest=True),
    ),
    Format(
        "hart",
        "Hart XML folder (one file per ballot)",
        table="electoral.io._hart:read_hart_table",
        options=frozenset({"contest"}),
        needs="Hart CVRs hold many contests",
        sniff=lambda head, text: text.startswith(b"<") and b"<Cvr" in head,
        folder=lambda names: not _dominion_folder(names) and _xml_folder(names),
        paths="file-or-folder",
        rctab=RctabSource("hart", "a hart source", contest=True),
    ),
    Format(
        "clearballot",
        "Clear Ballot CSV",
        table="electoral.io._clearballot:read_clearballot_table",
        options=frozenset({"contest"}),
        sniff=lambda head, text: text.startswith(b"RowNumber,") and b"Choice_" in head,
        rctab=RctabSource("clearBallot", "a clearBallot source", contest=True),
    ),
    Format(
        "csv",
        "RCTab's generic CSV (one column per candidate)",
        table="electoral.io._csv:read_generic_csv_table",
        options=frozenset({"first_row", "first_column"}),
        extensions=(".csv",),
        rctab=RctabSource(
            "genericCsv",
            "a generic CSV source",
            integers=(("first_row", "firstVoteRowIndex", 2), ("first_column", "firstVoteColumnIndex", 1)),
        ),
    ),
    Format(
        "rank-csv",
        "rank-column CSV (a column per rank, cells name candidates; votekit's layout)",
        table="electoral.io._rank_csv:read_rank_csv_table",
        options=frozenset({"first_column", "ranks", "weight"}),
        sniff=lambda head, text: _rank_csv_head(head),
        # the condensed files' words for a rank left blank and an overvote
        labels=(("overvote_label", "overvote"), ("skipped_label", "skipped")),
    ),
    Format(
        "preflib",
        "PrefLib .soi/.soc/.toi/.toc",
        election="electoral.io._preflib:read_preflib",
        extensions=(".soi", ".soc", ".toi", ".toc"),
    ),
    Format("blt", "BLT (OpenSTV/ERS)", election="electoral.io._blt:read_blt", extensions=(".blt",)),
    Format(
        "aec-senate",
        "the AEC's Senate formal preferences CSV (above-the-line marks expanded)",
        election="electoral.io._aec:read_aec_senate",
        sniff=lambda head, text: _aec_head(head),
    ),
)

BY_NAME: Final[Mapping[str, Format]] = {f.name: f for f in FORMATS}
#: the formats an RCTab config can name, by its ``provider`` value
BY_PROVIDER: Final[Mapping[str, Format]] = {f.rctab.provider: f for f in FORMATS if f.rctab is not None}
_BY_EXTENSION: Final[Mapping[str, str]] = {ext: f.name for f in FORMATS for ext in f.extensions}
assert len(_BY_EXTENSION) == sum(len(f.extensions) for f in FORMATS), "an extension names two formats"


def detect(
    path: Path, *, folder: bool, head: Callable[[], bytes], names: Callable[[], set[str]] | None = None
) -> str | None:
    """The format of ``path`` from the table: a folder by its file names, a file by extension, else by content.

    ``head`` gives the file's first bytes and ``names`` the folder's file
    names; each is called only if needed.
    """
    if folder:
        assert names is not None
        listed = names()
        return next((f.name for f in FORMATS if f.folder is not None and f.folder(listed)), None)
    by_extension = _BY_EXTENSION.get(path.suffix.lower())
    if by_extension is not None and BY_NAME[by_extension].sniff is not None:
        return by_extension
    first = head()
    text = _text(first)
    if by_extension is not None:
        # an extension whose format has no content test (.csv) yields to a format without extensions that
        # recognises the content (a rank-column or Clear Ballot CSV)
        claims = (f.name for f in FORMATS if not f.extensions and f.sniff is not None and f.sniff(first, text))
        return next(claims, by_extension)
    return next((f.name for f in FORMATS if f.sniff is not None and f.sniff(first, text)), None)
