"""Every reader, given corrupted real files, raises ElectoralError or reads them; never anything else.

The corruptions start from files of RCTab's suite: truncation, a run of
bytes overwritten, bytes deleted, junk inserted. For xlsx, the worksheet XML
inside the archive is corrupted and the archive rebuilt, so that the XML
readers (both ES&S paths) see the damage, not only the zip layer. Whatever
comes back must be a valid Election: every row either a counted ballot or
an error.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from electoral import Election, io
from electoral.errors import ElectoralError
from electoral.io._cvr import MarkSpec, build_election
from electoral.io._ess import read_ess_table

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def corrupt(draw: st.DrawFn, data: bytes) -> bytes:
    """One corruption of ``data``."""
    size = len(data)
    kind = draw(st.sampled_from(["truncate", "overwrite", "delete", "insert"]))
    at = draw(st.integers(0, max(size - 1, 0)))
    if kind == "truncate":
        return data[:at]
    length = draw(st.integers(1, 64))
    if kind == "delete":
        return data[:at] + data[at + length :]
    junk = draw(
        st.one_of(
            st.binary(min_size=1, max_size=length),
            st.sampled_from([b"<", b">", b"&", b'"', b"<!DOCTYPE x>", b"</row>", b"<row/>", b"\x00", b"{", b"]", b","]),
        )
    )
    if kind == "overwrite":
        return data[:at] + junk + data[at + len(junk) :]
    return data[:at] + junk + data[at:]


def _outcome(read: Callable[[], Election]) -> None:
    try:
        election = read()
    except ElectoralError:
        return
    assert isinstance(election, Election)
    assert election.cast >= 0


def _rezip(original: Path, target: Path, member: str, data: bytes) -> None:
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, data if info.filename == member else source.read(info.filename))


@pytest.mark.parametrize("force_parser", [False, True])
@FUZZ
@given(data=st.data())
def test_ess_sheet_corruptions(rctab_suite: Path, force_parser: bool, data: st.DataObject) -> None:
    original = rctab_suite / "_shared/simple_ess_cvr.xlsx"
    with zipfile.ZipFile(original) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    damaged = data.draw(corrupt(sheet))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cvr.xlsx"
        _rezip(original, path, "xl/worksheets/sheet1.xml", damaged)
        _outcome(
            lambda: build_election(
                [read_ess_table(path, ranks=3, force_parser=force_parser)], MarkSpec(infer_candidates=True)
            )
        )


@FUZZ
@given(data=st.data())
def test_ess_archive_corruptions(rctab_suite: Path, data: st.DataObject) -> None:
    damaged = data.draw(corrupt((rctab_suite / "_shared/tiebreak_cvr.xlsx").read_bytes()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cvr.xlsx"
        path.write_bytes(damaged)
        _outcome(lambda: io.read(path, ranks=3))


FILES = {
    "cdf-json": ("test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json", {"contest": "test set 1"}),
    "cdf-xml": ("nist_xml_cdf_2/nist_xml_cdf_2.xml", {"contest": "For Governor and Lieutenant Governor"}),
    "clearballot": (
        "clear_ballot_kansas_primary/clear_ballot_kansas_primary.cvr.csv",
        {"format": "clearballot", "contest": "Democratic Primary"},
    ),
    "csv": ("generic_csv_test/generic_csv_test_cvr.csv", {"first_column": 4}),
}


@pytest.mark.parametrize("name", sorted(FILES))
@FUZZ
@given(data=st.data())
def test_file_corruptions(rctab_suite: Path, name: str, data: st.DataObject) -> None:
    relative, options = FILES[name]
    original = rctab_suite / relative
    damaged = data.draw(corrupt(original.read_bytes()))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / original.name
        path.write_bytes(damaged)
        _outcome(lambda: io.read(path, **options))


FOLDERS = {
    "dominion": ("dominion_alaska", "_shared/dominion_alaska/alaska_input_data", "CvrExport.json", "1"),
    "hart": ("hart", "_shared/hart_cvr_archive", None, "b651b997-417a-46d9-a676-a43d4df94ddc"),
}


@pytest.mark.parametrize("name", sorted(FOLDERS))
@FUZZ
@given(data=st.data())
def test_folder_corruptions(rctab_suite: Path, name: str, data: st.DataObject) -> None:
    fmt, relative, member, contest = FOLDERS[name]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "cvr"
        shutil.copytree(rctab_suite / relative, copy)
        files = sorted(p for p in copy.iterdir() if p.is_file() and (member is None or p.name == member))
        target = data.draw(st.sampled_from(files))
        target.chmod(0o644)
        target.write_bytes(data.draw(corrupt(target.read_bytes())))
        _outcome(lambda: io.read(copy, format="dominion" if fmt.startswith("dominion") else "hart", contest=contest))
