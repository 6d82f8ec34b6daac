"""Hostile-input fuzzing: real files of every format, mutated, through every reader.

Each property starts from a real file (RCTab's suite, the bundled examples,
PrefLib, the Scottish BLT files), applies one mutation drawn by Hypothesis,
and reads the result. The mutations:

- bytes: a run overwritten, deleted or inserted, a truncation, a byte flipped;
- numbers: a run of digits replaced by a hostile number (5,000 digits,
  ``1_000``, Arabic-Indic or superscript digits, ``Infinity``, ``2.7``,
  ``true``, values at and beyond 2**62 and 2**63);
- encodings: the text re-encoded as UTF-16 (LE/BE, with and without BOM),
  UTF-32, UTF-8 with a BOM, or Latin-1;
- structure: for JSON, a value deleted, replaced by a hostile value, nested
  thousands deep or duplicated; for XML, a document type or entity declared,
  an entity referenced, elements nested deep, duplicated, or left unclosed,
  comments, CDATA and processing instructions inserted;
- zip members (xlsx): a part mutated as above, dropped, duplicated, stored
  uncompressed or renamed.

Whatever comes back, these must hold:

- only an :class:`~electoral.errors.ElectoralError` escapes, and its message
  is one line, at most :data:`electoral._text.MESSAGE_LIMIT` characters, and
  names the file (or folder) it is about;
- the ES&S fast paths and the XML parser either both refuse a sheet or give
  the same records;
- an election that is accepted keeps the round invariants under
  instant-runoff and STV: in every round, continuing plus set-aside ballots
  are the ballots cast, and no figure is negative.

In CI (``CI=true``) the examples are derandomized and few, so the run is
fast and repeatable. For a long local campaign with fresh random seeds, run
for example::

    ELECTORAL_HYPOTHESIS_PROFILE=long ELECTORAL_FUZZ_EXAMPLES=20000 \
        python -m pytest tests/test_fuzz.py tests/test_ess_paths.py -p no:cacheprovider --hypothesis-show-statistics

(without ``CI`` set: the ``long`` profile of ``tests/conftest.py`` draws fresh random examples, and an
example slower than ``ELECTORAL_FUZZ_DEADLINE`` seconds, 10 by default, fails as a near-hang).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED
from electoral import Election, tabulate
from electoral._text import MESSAGE_LIMIT
from electoral.errors import ElectoralError
from electoral.io import rctab_reports, read, read_rctab_config
from electoral.io._ess import read_ess_table

CHECKOUT = Path(__file__).resolve().parents[1]
SUITE = SHARED / "conformance" / "rctab"
DATA = SHARED / "data"

FUZZ = settings(
    max_examples=int(os.environ.get("ELECTORAL_FUZZ_EXAMPLES", "100")),
    # the deadline is the profile's: none in CI, ELECTORAL_FUZZ_DEADLINE (10 s) in the long one
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: A distinctive name for every mutated file and folder, so a test can tell that a message names it.
TAG = "fz7q"

# -- the real files -----------------------------------------------------------------------------

#: name -> (path, format, read options)
FILES: dict[str, tuple[Path, str, dict[str, Any]]] = {
    "json-kyrgyzstan": (CHECKOUT / "examples/kyrgyzstan-2017.json", "json", {}),
    "json-burlington": (CHECKOUT / "examples/burlington-2009.json", "json", {}),
    "blt-shetland": (CHECKOUT / "examples/shetland-2012-north-isles.blt", "blt", {}),
    "blt-eilean-siar": (DATA / "scottish-council-stv/blt_files/3_cands/eilean_siar_2022_ward3.blt", "blt", {}),
    "preflib-toi": (DATA / "preflib/00017 - berkley/00017-00000001.toi", "preflib", {}),
    "preflib-burlington": (DATA / "preflib/00005 - burlington/00005-00000002.toi", "preflib", {}),
    "cdf-json": (
        SUITE / "test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json",
        "cdf",
        {"contest": "test set 1"},
    ),
    "cdf-xml": (
        SUITE / "nist_xml_cdf_2/nist_xml_cdf_2.xml",
        "cdf",
        {"contest": "For Governor and Lieutenant Governor"},
    ),
    "clearballot": (
        SUITE / "clear_ballot_kansas_primary/clear_ballot_kansas_primary.cvr.csv",
        "clearballot",
        {"contest": "Democratic Primary"},
    ),
    "csv": (SUITE / "generic_csv_test/generic_csv_test_cvr.csv", "csv", {"first_column": 4}),
    # the archive's own bytes (the zip layer), damaged; test_mutated_workbooks damages its members
    "ess-archive": (SUITE / "_shared/tiebreak_cvr.xlsx", "ess", {"ranks": 3}),
}
#: xlsx workbooks, for the ES&S readers (both paths)
WORKBOOKS = {
    "ess-simple": SUITE / "_shared/simple_ess_cvr.xlsx",
    "ess-tiebreak": SUITE / "_shared/tiebreak_cvr.xlsx",
    "ess-aliases": SUITE / "aliases_ess_xlsx/aliases_ess_xlsx_cvr.xlsx",
}
#: folder formats: name -> (folder, format, contest, the files that may be mutated (None: any))
FOLDERS = {
    "hart": (SUITE / "_shared/hart_cvr_archive", "hart", "b651b997-417a-46d9-a676-a43d4df94ddc", None),
    "dominion": (SUITE / "_shared/dominion_alaska/alaska_input_data", "dominion", "1", None),
}
#: RCTab configs, each with the CVR files beside it that it names
CONFIGS = {
    "rctab-csv": SUITE / "generic_csv_test/generic_csv_test_config.json",
    "rctab-clearballot": SUITE / "clear_ballot_kansas_primary/clear_ballot_kansas_primary_config.json",
    "rctab-ess": SUITE / "aliases_ess_xlsx/aliases_ess_xlsx_config.json",
    "rctab-cdf-xml": SUITE / "nist_xml_cdf_2/nist_xml_cdf_2_config.json",
}


def _present(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"fuzz source not found at {path}; set ELECTORAL_SHARED to the shared folder")
    return path


# -- mutations ----------------------------------------------------------------------------------

HOSTILE_NUMBERS = [
    "9" * 5000,
    "1_000",
    "\u0663",  # Arabic-Indic three
    "\u00b2",  # superscript two
    "Infinity",
    "-Infinity",
    "NaN",
    "1e400",
    "2.7",
    "-1",
    "0",
    "true",
    str(2**62 - 1),
    str(2**62),
    str(2**63),
    str(10**20),
    str(10**30),
    "0x10",
    " 7 ",
    "",
]
HOSTILE_TEXT = [
    "A" * 20_000,
    "line\nbreak",
    "nul\x00byte",
    "\u202eevil",
    "<tag>",
    "&amp;",
    "'\"",
    "",
    " ",
    "CVR Jones",
]
HOSTILE_VALUES: list[Any] = [
    *[int(x) for x in (2**62 - 1, 2**62, 2**63, 10**30, -1, 0)],
    2.7,
    True,
    None,
    [],
    {},
    *HOSTILE_TEXT,
]
XML_INSERTS = [
    b'<!DOCTYPE x [<!ENTITY e "Injected Name">]>',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    b"&e;",
    b"&#0;",
    b"&#x110000;",
    b"<!-- a comment -->",
    b"<![CDATA[ <row> ]]>",
    b"<?pi data?>",
    b"<row/>",
    b"</row>",
    b"<row>",
    b'<row r="2">',
    b'<row r="999999999999999999999">',
    b' r="1"',
    b"<x>" * 3000,
    b" " * 100_000,
]
ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "latin-1", "cp500"]


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """A truncation, deletion, insertion, overwrite or bit flip at a drawn place."""
    size = len(data)
    kind = draw(st.sampled_from(["truncate", "overwrite", "delete", "insert", "flip"]))
    at = draw(st.integers(0, max(size - 1, 0)))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        if not data:
            return data
        return data[:at] + bytes([data[at] ^ (1 << draw(st.integers(0, 7)))]) + data[at + 1 :]
    length = draw(st.integers(1, 64))
    if kind == "delete":
        return data[:at] + data[at + length :]
    junk = draw(
        st.one_of(
            st.binary(min_size=1, max_size=length),
            st.sampled_from([b"<", b">", b"&", b'"', b"\x00", b"{", b"]", b",", b"\n", b"\xef\xbb\xbf", b"\xff\xfe"]),
        )
    )
    if kind == "overwrite":
        return data[:at] + junk + data[at + len(junk) :]
    return data[:at] + junk + data[at:]


_DIGIT_RUN = re.compile(rb"[0-9]+")


@st.composite
def number_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """One run of digits replaced by a hostile number."""
    runs = list(_DIGIT_RUN.finditer(data))
    if not runs:
        return data
    match = runs[draw(st.integers(0, len(runs) - 1))]
    number = draw(st.sampled_from(HOSTILE_NUMBERS)).encode()
    return data[: match.start()] + number + data[match.end() :]


@st.composite
def encoding_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """The text re-encoded (an XML declaration keeps what it says, so it may now lie)."""
    text = data.decode("utf-8", errors="replace")
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


_DEEP = "\x00deep\x00"


def _json_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [path]
    if isinstance(value, dict):
        for key, child in list(value.items())[:50]:
            paths.extend(_json_paths(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value[:20]):
            paths.extend(_json_paths(child, (*path, index)))
    return paths


@st.composite
def json_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """A structural edit of a JSON document: delete, replace, deepen or duplicate one value."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except ValueError:
        return draw(byte_damage(data))
    paths = _json_paths(document)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    kind = draw(st.sampled_from(["delete", "replace", "deepen", "duplicate", "rename"]))
    if not path:
        if kind == "replace":
            document = draw(st.sampled_from(HOSTILE_VALUES))
        elif kind == "deepen":
            return ("[" * 3000 + json.dumps(document) + "]" * 3000).encode()
        return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()
    *parents, last = path
    parent = document
    for key in parents:
        parent = parent[key]
    if kind == "delete":
        del parent[last]
    elif kind == "replace":
        parent[last] = draw(st.sampled_from(HOSTILE_VALUES))
    elif kind == "deepen":
        # written as text: the json module itself cannot write (or read) thousands of levels
        depth = draw(st.sampled_from([2, 50, 3000]))
        inner = json.dumps(parent[last])
        parent[last] = _DEEP
        text = json.dumps(document)
        return text.replace(json.dumps(_DEEP), "[" * depth + inner + "]" * depth, 1).encode()
    elif kind == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif isinstance(parent, dict):
        parent[draw(st.sampled_from(HOSTILE_TEXT))] = parent.pop(last)
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    return text.encode()


_TAG = re.compile(rb"<[A-Za-z][^<>]*>")
_END = re.compile(rb"</[A-Za-z][^<>]*>")


@st.composite
def xml_damage(draw: st.DrawFn, data: bytes) -> bytes:
    """A structural edit of an XML document: a declaration, entity, comment or element inserted, or a tag lost."""
    kind = draw(st.sampled_from(["insert-after-prolog", "insert-at-tag", "drop-end-tag", "duplicate-element"]))
    if kind == "insert-after-prolog":
        end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + draw(st.sampled_from(XML_INSERTS)) + data[end:]
    tags = list((_END if kind == "drop-end-tag" else _TAG).finditer(data))
    if not tags:
        return draw(byte_damage(data))
    match = tags[draw(st.integers(0, len(tags) - 1))]
    if kind == "insert-at-tag":
        return data[: match.end()] + draw(st.sampled_from(XML_INSERTS)) + data[match.end() :]
    if kind == "drop-end-tag":
        return data[: match.start()] + data[match.end() :]
    close = data.find(b"</", match.end())
    stop = data.find(b">", close) + 1 if close >= 0 else -1
    if stop <= 0:
        return data
    return data[:stop] + data[match.start() : stop] + data[stop:]


def damage_for(kind: str, data: bytes) -> st.SearchStrategy[bytes]:
    """The mutations that fit a file of this kind ("json", "xml" or "text")."""
    options = [byte_damage(data), number_damage(data), encoding_damage(data)]
    if kind == "json":
        options.append(json_damage(data))
    if kind == "xml":
        options.append(xml_damage(data))
    return st.one_of(*options)


def _kind(path: Path, fmt: str) -> str:
    if path.suffix == ".xml":
        return "xml"
    if path.suffix == ".json":
        return "json"
    return "text"


@st.composite
def workbook_damage(draw: st.DrawFn, original: Path) -> dict[str, tuple[bytes, int]]:
    """The members of an xlsx archive, one of them mutated, dropped, duplicated, stored or renamed."""
    with zipfile.ZipFile(original) as archive:
        members = {info.filename: (archive.read(info.filename), info.compress_type) for info in archive.infolist()}
    names = sorted(members)
    preferred = [n for n in names if n.endswith((".xml", ".rels"))]
    name = draw(st.sampled_from(preferred or names))
    kind = draw(st.sampled_from(["mutate", "mutate", "mutate", "drop", "store", "rename"]))
    data, compression = members[name]
    if kind == "mutate":
        members[name] = (draw(damage_for("xml", data)), compression)
    elif kind == "drop":
        del members[name]
    elif kind == "store":
        members[name] = (data, zipfile.ZIP_STORED)
    else:
        members[name.replace(".xml", "2.xml")] = members.pop(name)
    return members


def _write_workbook(path: Path, members: dict[str, tuple[bytes, int]]) -> None:
    with zipfile.ZipFile(path, "w") as out:
        for name, (data, compression) in members.items():
            out.writestr(zipfile.ZipInfo(name), data, compress_type=compression)


# -- what must hold -----------------------------------------------------------------------------


def _refused_cleanly(error: ElectoralError) -> None:
    message = str(error)
    assert "\n" not in message
    assert "\r" not in message
    assert len(message) <= MESSAGE_LIMIT, len(message)
    assert TAG in message, message


def _figures(round_: Any) -> list[Fraction]:
    values = [Fraction(v) for v in round_.tally.values()]
    values += [Fraction(v) for v in round_.set_aside.values()]
    values += [Fraction(t.votes) for t in round_.transfers]
    return values


def _keeps_round_invariants(election: Election) -> None:
    """Instant-runoff and STV account for every ballot in every round, with no negative figure."""
    if any(b.scores is not None for b in election.ballots):
        return
    seats = min(3, len(election.candidates))
    for name, options, electing in (
        ("instant-runoff", {}, election.with_seats(1)),
        ("stv", {}, election.with_seats(seats)),
        ("stv", {"preset": "scotland"}, election.with_seats(seats)),
    ):
        try:
            result = tabulate(electing, name, **options)
        except ElectoralError:
            continue
        for round_ in result.rounds:
            assert round_.continuing + sum(round_.set_aside.values()) == round_.ballots
            assert round_.ballots == election.cast
            assert all(value >= 0 for value in _figures(round_)), round_
        assert set(result.winners) <= set(electing.candidates)
        if result.status == "decided":
            assert len(result.winners) == electing.seats


def _read_or_refuse(read: Callable[[], Election]) -> None:
    try:
        election = read()
    except ElectoralError as error:
        _refused_cleanly(error)
        return
    assert isinstance(election, Election)
    assert election.cast >= 0
    _keeps_round_invariants(election)


# -- the properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
@FUZZ
@given(data=st.data())
def test_mutated_files(name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    original, fmt, options = FILES[name]
    raw = _present(original).read_bytes()
    damaged = data.draw(damage_for(_kind(original, fmt), raw))
    path = tmp_path_factory.mktemp("fuzz") / f"{TAG}{''.join(original.suffixes[-2:])}"
    path.write_bytes(damaged)
    _read_or_refuse(lambda: read(path, fmt, **options))


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
@FUZZ
@given(data=st.data(), ranks=st.sampled_from([1, 2, 3, 10]))
def test_mutated_workbooks(
    name: str, data: st.DataObject, ranks: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Both ES&S paths refuse a damaged workbook together, or read the same records."""
    members = data.draw(workbook_damage(_present(WORKBOOKS[name])))
    path = tmp_path_factory.mktemp("fuzz") / f"{TAG}.xlsx"
    _write_workbook(path, members)
    outcomes = []
    for force_parser in (False, True):
        try:
            outcomes.append(dict(read_ess_table(path, first_column=2, ranks=ranks, force_parser=force_parser).records))
        except ElectoralError as error:
            _refused_cleanly(error)
            outcomes.append(None)
    assert (outcomes[0] is None) == (outcomes[1] is None), outcomes
    assert outcomes[0] == outcomes[1]
    _read_or_refuse(lambda: read(path, "ess", ranks=ranks))


@pytest.mark.parametrize("name", sorted(FOLDERS))
@FUZZ
@given(data=st.data())
def test_mutated_folders(name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    source, fmt, contest, only = FOLDERS[name]
    folder = tmp_path_factory.mktemp("fuzz") / f"{TAG}-{name}"
    shutil.copytree(_present(source), folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and (only is None or p.name in only))
    target = data.draw(st.sampled_from(files))
    target.chmod(0o644)
    target.write_bytes(data.draw(damage_for(_kind(target, fmt), target.read_bytes())))
    _read_or_refuse(lambda: read(folder, fmt, contest=contest))


HOSTILE_PATHS = ["/dev/zero", "/dev/urandom", "/etc", "x\x00y", "a" * 5000, "../" * 40 + "etc/passwd", "missing.csv"]


@pytest.mark.parametrize("name", sorted(CONFIGS))
@FUZZ
@given(data=st.data())
def test_mutated_configs(name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A damaged RCTab config (or a damaged CVR beside it) is counted or refused cleanly."""
    config = _present(CONFIGS[name])
    folder = tmp_path_factory.mktemp("fuzz") / f"{TAG}-{name}"
    folder.mkdir()
    document = json.loads(config.read_text(encoding="utf-8"))
    sources = document["cvrFileSources"]
    for source in sources:
        cvr = (config.parent / source["filePath"]).resolve()
        copy = folder / cvr.name
        shutil.copyfile(cvr, copy)
        source["filePath"] = cvr.name
    target = folder / f"{TAG}_config.json"
    kind = data.draw(st.sampled_from(["config", "config", "path", "cvr"]))
    raw = json.dumps(document).encode()
    if kind == "config":
        raw = data.draw(damage_for("json", raw))
    elif kind == "path":
        sources[0]["filePath"] = data.draw(st.sampled_from(HOSTILE_PATHS))
        raw = json.dumps(document).encode()
    else:
        cvr = folder / sources[0]["filePath"]
        if cvr.suffix == ".xlsx":
            _write_workbook(cvr, data.draw(workbook_damage(cvr)))
        else:
            cvr.write_bytes(data.draw(damage_for(_kind(cvr, ""), cvr.read_bytes())))
        (folder / f"{TAG}.marker").write_text("")
    target.write_bytes(raw)
    try:
        contest = read_rctab_config(target)
        reports = rctab_reports(contest)
    except ElectoralError as error:
        message = str(error)
        assert "\n" not in message
        assert len(message) <= MESSAGE_LIMIT
        named = (TAG, *([Path(sources[0]["filePath"]).name[:40]] if kind == "path" else []))
        assert any(name in message for name in named), message
        assert "root:" not in message
        return
    assert reports
    _keeps_round_invariants(contest.election)
