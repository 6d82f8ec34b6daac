"""Inputs that fuzz campaigns (``tests/test_fuzz.py``) found, kept as regression tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from electoral import Candidate, io
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
