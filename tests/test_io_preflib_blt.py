"""The PrefLib and BLT readers: formats, decisions on real files, errors, and fuzzed corruptions."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from electoral import Election
from electoral.errors import ElectoralError, FormatError
from electoral.io._blt import read_blt
from electoral.io._preflib import read_preflib


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _ballots(e: Election) -> dict[str, int]:
    """Each ballot in the notation, with its count."""
    return {str(b): b.count for b in e.ballots}


# -- BLT ------------------------------------------------------------------------------


def test_blt_reads_weights_withdrawn_equal_ranks_and_quoted_names(tmp_path: Path) -> None:
    text = '4 2\n-3\n12 1 2 3 0\n3 2=4 1 0\n2 3 4 0\n1 - 2 0\n0\n"Ann ""the Axe"""\n"Bob"\n"Cy"\n"Di"\n"A title"\n'
    e = read_blt(_write(tmp_path, "a.blt", text))
    assert e.names == ('Ann "the Axe"', "Bob", "Di")  # Cy withdrew
    assert e.seats == 2
    assert e.title == "A title"
    # ballots close up over the withdrawn Cy; the skipped rank "-" stays
    ann, bob, di = e.candidates
    f = frozenset
    assert {b.ranking: b.count for b in e.ballots} == {
        (f({ann}), f({bob})): 12,  # 1 2 3: Cy's rank closes up
        (f({bob, di}), f({ann})): 3,
        (f({di}),): 2,  # 3 4
        (f(), f({bob})): 1,  # - 2: the skipped rank stays
    }


def test_blt_names_are_trimmed(tmp_path: Path) -> None:
    text = '3 1\n2 1 2 0\n1 3 0\n0\n"Ann  " " Green "\n"  Bob"\nCy  \n"A title"\n'
    e = read_blt(_write(tmp_path, "t.blt", text))
    assert [(c.name, c.party) for c in e.candidates] == [("Ann", "Green"), ("Bob", None), ("Cy", None)]
    assert _ballots(e) == {"Ann>Bob": 2, "Cy": 1}


@pytest.mark.parametrize(
    ("names", "message", "line"),
    [
        ('"   "\n"Bob"\n', "candidate name '   ' is empty once trimmed", 4),
        ('"Ann"\n""\n', "candidate name '' is empty once trimmed", 5),
        ('"Ann "\n" Ann"\n', "candidate names 'Ann ' (line 4) and ' Ann' are the same once trimmed", 5),
    ],
)
def test_blt_names_empty_or_equal_once_trimmed_are_errors(tmp_path: Path, names: str, message: str, line: int) -> None:
    path = _write(tmp_path, "t.blt", "2 1\n1 1 2 0\n0\n" + names)
    with pytest.raises(FormatError) as caught:
        read_blt(path)
    assert str(caught.value) == f"{path}, line {line}: {message}"


def test_blt_names_with_parties_and_trailing_commas(tmp_path: Path) -> None:
    text = '2 1,\n5 1 2 0,\n3 2 0,\n0,\n"Ann" "Green Party"\n"Bob" "Independent"\n"Ward 9"\n'
    e = read_blt(_write(tmp_path, "b.blt", text))
    assert [(c.name, c.party) for c in e.candidates] == [("Ann", "Green Party"), ("Bob", "Independent")]
    assert sum(b.count for b in e.ballots) == 8
    assert e.title == "Ward 9"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "empty", None),
        ("3\n", "candidates seats", 1),
        ("2 1\n5 1 3 0\n0\n", "not a candidate number", 2),
        ("2 1\n5 1 2\n0\n", "must end with 0", 2),
        ("2 1\nx 1 0\n0\n", "weight", 2),
        ("2 1\n5 1 0\n", "do not end", None),
        ('2 1\n5 1 0\n0\n"A"\n', "expected 2 candidate names", None),
        ('2 1\n5 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', "more lines follow", 7),
        ('2 1\n5 1 0\n0\n"A\n"B"\n', "unterminated", 4),
        ("2 1\n-5\n0\n", "withdrawn", 2),
    ],
)
def test_blt_errors_name_the_file_and_line(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    path = _write(tmp_path, "bad.blt", text)
    with pytest.raises(FormatError, match=message) as caught:
        read_blt(path)
    assert str(path) in str(caught.value)
    assert caught.value.line == line


# -- PrefLib --------------------------------------------------------------------------

PREFLIB = """# FILE NAME: x.toi
# TITLE: A test
# DATA TYPE: toi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 6
# ALTERNATIVE NAME 1: Ann
# ALTERNATIVE NAME 2: Bob
# ALTERNATIVE NAME 3: Cy
3: 1,2
2: {2,3},1
1: 3
"""


def test_preflib_reads_counts_and_ties(tmp_path: Path) -> None:
    e = read_preflib(_write(tmp_path, "x.toi", PREFLIB))
    assert e.names == ("Ann", "Bob", "Cy")
    assert e.title == "A test"
    assert _ballots(e) == {"Ann>Bob": 3, "Bob=Cy>Ann": 2, "Cy": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("3: 1,2", "3: 1,4"), "alternative 4"),
        (("3: 1,2", "3: 1,1"), "twice"),
        (("3: 1,2", "three: 1,2"), "count"),
        (("# NUMBER VOTERS: 6", "# NUMBER VOTERS: 7"), "NUMBER VOTERS"),
        (("# ALTERNATIVE NAME 3: Cy\n", ""), "ALTERNATIVE NAME"),
        (("2: {2,3},1", "2: {2,3,1"), "without"),
        (("3: 1,2", "3 1,2"), "count: order"),
    ],
)
def test_preflib_errors(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = _write(tmp_path, "x.toi", PREFLIB.replace(*change))
    with pytest.raises(FormatError, match=message) as caught:
        read_preflib(path)
    assert str(path) in str(caught.value)


def test_strict_files_refuse_ties(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="strict"):
        read_preflib(_write(tmp_path, "x.soi", PREFLIB))


# -- real files, and their corruptions ------------------------------------------------


def test_the_one_scottish_file_with_stray_commas(shared_data: Path) -> None:
    (path,) = (shared_data / "scottish-council-stv" / "blt_files").glob("*/perth_kinross_2016_by_election_ward9.blt")
    e = read_blt(path)
    assert e.names[3] == "Wilma,LUMSDEN"  # a comma inside a bare name is kept as written
    assert e.title == "Ward 9 - Almond and Earn"
    assert e.seats == 1


def _corrupt(data: bytes, draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["truncate", "delete-line", "insert", "replace-byte", "duplicate-line"]))
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if kind == "replace-byte":
        return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    lines = data.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete-line":
        return b"".join(lines[:i] + lines[i + 1 :])
    return b"".join(lines[: i + 1] + lines[i:])


@st.composite
def _corruptions(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        data = _corrupt(data, draw)
    return data


def _fuzz(reader: Callable[[Path], Election], suffix: str, corrupted: bytes) -> None:
    """A corrupted file may still be valid; if not, the error must be an ElectoralError naming it."""
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), "fuzzed" + suffix, corrupted)
        outcome: Election | ElectoralError
        try:
            outcome = reader(path)
        except ElectoralError as error:
            outcome = error
        if isinstance(outcome, ElectoralError):
            assert str(path) in str(outcome)
        else:
            assert isinstance(outcome, Election)


def test_fuzzed_blt_files_raise_only_electoral_errors(shared_data: Path) -> None:
    """Corruptions of a real BLT file either still read or raise ElectoralError naming the file."""
    source = min((shared_data / "scottish-council-stv" / "blt_files").glob("*/*.blt"), key=lambda p: p.stat().st_size)
    data = source.read_bytes()

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(_corruptions(data))
    def check(corrupted: bytes) -> None:
        _fuzz(read_blt, ".blt", corrupted)

    check()


def test_fuzzed_preflib_files_raise_only_electoral_errors(shared_data: Path) -> None:
    """Corruptions of a real PrefLib file either still read or raise ElectoralError naming the file."""
    source = shared_data / "preflib" / "00005 - burlington" / "00005-00000002.toi"
    data = source.read_bytes()

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(_corruptions(data))
    def check(corrupted: bytes) -> None:
        _fuzz(read_preflib, ".toi", corrupted)

    check()
