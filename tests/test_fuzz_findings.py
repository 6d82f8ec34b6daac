"""Inputs that fuzz campaigns (``tests/test_fuzz.py``) and reviews found, kept as regression tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from electoral import Candidate, io
from electoral._text import EXCERPT, excerpt
from electoral.errors import CandidateError, FormatError


def test_a_party_must_be_text() -> None:
    with pytest.raises(CandidateError, match=r"party must be a string or None, not \[\['SDPK'\]\]"):
        Candidate("Jeenbekov", party=[["SDPK"]])  # type: ignore[arg-type]


def test_a_party_that_is_a_list_in_election_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "kg.json"
    path.write_text(json.dumps({"candidates": [{"name": "Jeenbekov", "party": [["SDPK"]]}], "votes": {"Jeenbekov": 3}}))
    with pytest.raises(FormatError, match=r"kg.json: candidates\[0\]: a candidate.s party"):
        io.read(path)


def test_an_empty_candidate_name_in_a_clear_ballot_header_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cb.csv"
    path.write_text(
        "RowNumber,BoxID,BoxPosition,BallotID,PrecinctID,BallotStyleID,PrecinctStyleName,ScanComputerName,"
        "Status,Remade,Choice_1_1:Mayor:1:Vote For 1::Party,Choice_2_1:Mayor:1:Vote For 1:Ann:Party\n"
        "1,B,1,B+1,1,1,P,S,0,0,1,0\n",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=r"cb\.csv"):
        io.read(path, format="clearballot", contest="Mayor")


# -- found by an independent review -------------------------------------------------------------


def test_an_excerpt_of_a_container_never_raises() -> None:
    """``repr`` of a list holding a 5,000-digit integer raised ValueError, and a deep one RecursionError."""
    deep: list[object] = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    assert excerpt([10**5000]) == "[a whole number of 5001 digits]"
    assert excerpt(deep) == "[[[[...]]]]"
    assert excerpt(list(range(30_000_000))) == "[0, 1, 2, 3, 4, 5, ...]"


def test_an_excerpt_is_cut_after_escaping() -> None:
    """The cut came before escaping, so 200 line separators made an excerpt of 483 characters."""
    assert len(excerpt("\u2028" * 200)) <= EXCERPT + 3
    assert excerpt("\ud800") == "'\\ud800'"  # a lone surrogate is escaped, so the message can be printed


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"first_column": "2"}, "first_column"),
        ({"first_column": 2, "max_rankings": 0}, "max_rankings"),
        ({"first_column": 2, "max_rankings": -1}, "max_rankings"),
        ({"first_column": 2, "candidates": 5}, "candidates"),
        ({"first_column": 2, "candidates": "A,B"}, "candidates"),
        ({"first_column": 2, "aliases": {"a": 1}}, "aliases"),
        ({"first_column": 2, "treat_blank_as_undeclared_write_in": "false"}, "treat_blank"),
        ({"first_column": True}, "first_column"),
    ],
)
def test_reader_options_of_the_wrong_type_are_refused_by_name(
    tmp_path: Path, options: dict[str, object], named: str
) -> None:
    """They reached the readers unchecked: TypeErrors, or silently blank ballots (max_rankings=0)."""
    path = tmp_path / "cvr.csv"
    path.write_text("id,A,B\n1,1,2\n", encoding="utf-8")
    with pytest.raises(FormatError, match=named):
        io.read(path, **options)  # type: ignore[arg-type]


def _cli(argv: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "electoral", *argv], cwd=folder, capture_output=True, text=True, check=False, timeout=60
    )


def test_command_line_reader_flags_and_aliases_are_converted(tmp_path: Path) -> None:
    """``treat_blank_as_undeclared_write_in=false`` was the text "false", which is true."""
    path = tmp_path / "cvr.csv"
    path.write_text("id,A,B\n1,,1\n2,,1\n3,1,\n", encoding="utf-8")
    flag = ["--read-option", "first_column=2", "--read-option", "treat_blank_as_undeclared_write_in=false"]
    done = _cli(["tabulate", str(path), "--rule", "plurality", *flag, "--format", "json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winners"] == ["B"]
    bad = _cli(["tabulate", str(path), "--rule", "plurality", "--read-option", "aliases=x"], tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "aliases" in bad.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_standard_output_is_one_line(tmp_path: Path) -> None:
    """Writing to /dev/full ended in an OSError traceback."""
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "electoral", "rules"], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "No space left" in done.stderr


def test_a_closed_standard_output_is_one_line() -> None:
    """With standard output closed (``>&-``), sys.stdout is None and flushing it raised AttributeError."""
    done = subprocess.run(
        [sys.executable, "-m", "electoral", "rules"],
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        pass_fds=(),
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2
    assert "standard output is closed" in done.stderr
