"""Inputs that fuzz campaigns (``tests/test_fuzz.py``) and reviews found, kept as regression tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from electoral import Ballot, Candidate, Election, io, tabulate
from electoral._profile._build import MAX_PROFILE_CELLS, check_profile_size
from electoral._text import EXCERPT, excerpt
from electoral.errors import (
    BallotError,
    CandidateError,
    CountError,
    ElectoralError,
    FormatError,
    OptionError,
    SeatsError,
    UnknownCandidateError,
    UnknownRuleError,
)
from electoral.rules import get, names


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


# -- the public API given arguments of the wrong type ---------------------------------------------------------------

_E = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>A>B": 2})
_WRONG: list[tuple[str, Callable[[], object], type[ElectoralError]]] = [
    ("tabulate(e, 5)", lambda: tabulate(_E, 5), OptionError),  # type: ignore[arg-type]
    ("tabulate(e, None)", lambda: tabulate(_E, None), OptionError),  # type: ignore[arg-type]
    ("tabulate(e, ['instant-runoff'])", lambda: tabulate(_E, ["instant-runoff"]), OptionError),  # type: ignore[arg-type]
    ("tabulate(e, {'irv': 1})", lambda: tabulate(_E, {"irv": 1}), OptionError),  # type: ignore[arg-type]
    ("tabulate(e, a rule class)", lambda: tabulate(_E, get("plurality")), OptionError),
    ("tabulate(5, rule)", lambda: tabulate(5, "plurality"), OptionError),  # type: ignore[arg-type]
    ("runoff=5", lambda: tabulate(_E, "two-round", runoff=5), OptionError),  # type: ignore[arg-type]
    ("runoff='x'", lambda: tabulate(_E, "two-round", runoff="x"), OptionError),  # type: ignore[arg-type]
    ("TwoRound().tabulate(e, runoff=5)", lambda: get("two-round")().tabulate(_E, runoff=5), OptionError),
    ("rule.tabulate(5)", lambda: get("plurality")().tabulate(5), OptionError),
    ("two-round preset=[...]", lambda: tabulate(_E, "two-round", preset=["france-president"]), OptionError),
    ("two-round preset={...}", lambda: tabulate(_E, "two-round", preset={"a": 1}), OptionError),
    ("two-round preset_name=[...]", lambda: tabulate(_E, "two-round", preset_name=[1]), OptionError),
    ("stv preset=[...]", lambda: tabulate(_E, "stv", preset=["scotland"]), OptionError),
    ("stv preset_name={...}", lambda: tabulate(_E, "stv", preset_name={"a": 1}), OptionError),
    ("get([1])", lambda: get([1]), UnknownRuleError),  # type: ignore[arg-type]
    ("get(None)", lambda: get(None), UnknownRuleError),  # type: ignore[arg-type]
    ("from_rankings(5)", lambda: Election.from_rankings(5), BallotError),  # type: ignore[arg-type]
    ("from_rankings(None)", lambda: Election.from_rankings(None), BallotError),  # type: ignore[arg-type]
    ("from_rankings(candidates=5)", lambda: Election.from_rankings(["A>B"], candidates=5), CandidateError),  # type: ignore[arg-type]
    ("from_rankings(candidates=[5])", lambda: Election.from_rankings(["A>B"], candidates=[5]), CandidateError),  # type: ignore[list-item]
    ("from_rankings(seats='3')", lambda: Election.from_rankings(["A>B"], seats="3"), SeatsError),  # type: ignore[arg-type]
    ("from_rankings(seats=3.0)", lambda: Election.from_rankings(["A>B"], seats=3.0), SeatsError),  # type: ignore[arg-type]
    ("from_rankings(seats=True)", lambda: Election.from_rankings(["A>B"], seats=True), SeatsError),
    ("from_rankings(title=5)", lambda: Election.from_rankings(["A>B"], title=5), OptionError),  # type: ignore[arg-type]
    ("from_rankings(allow_repeats='no')", lambda: Election.from_rankings(["A>B"], allow_repeats="no"), OptionError),  # type: ignore[arg-type]
    ("from_array(candidates=5)", lambda: Election.from_array([[0, 1]], candidates=5), CandidateError),  # type: ignore[arg-type]
    ("from_array(candidates=None)", lambda: Election.from_array([[0, 1]], candidates=None), CandidateError),  # type: ignore[arg-type]
    ("from_array(seats='1')", lambda: Election.from_array([[0, 1]], candidates=["A", "B"], seats="1"), SeatsError),  # type: ignore[arg-type]
    ("from_counts(5)", lambda: Election.from_counts(5), CountError),  # type: ignore[arg-type]
    ("from_counts(seats='3')", lambda: Election.from_counts({"A": 1, "B": 2}, seats="3"), SeatsError),  # type: ignore[arg-type]
    ("from_counts(seats=1.0)", lambda: Election.from_counts({"A": 1, "B": 2}, seats=1.0), SeatsError),  # type: ignore[arg-type]
    ("from_counts(seats=True)", lambda: Election.from_counts({"A": 1, "B": 2}, seats=True), SeatsError),
    ("Election(5)", lambda: Election(5), CandidateError),  # type: ignore[arg-type]
    ("Election(['A'], 5)", lambda: Election(["A"], 5), BallotError),  # type: ignore[arg-type]
    ("Election(['A'], None)", lambda: Election(["A"], None), BallotError),  # type: ignore[arg-type]
    ("with_ballots(5)", lambda: _E.with_ballots(5), BallotError),  # type: ignore[arg-type]
    ("with_candidates(5)", lambda: _E.with_candidates(5), CandidateError),  # type: ignore[arg-type]
    ("with_seats('2')", lambda: _E.with_seats("2"), SeatsError),  # type: ignore[arg-type]
    ("candidate([1])", lambda: _E.candidate([1]), UnknownCandidateError),  # type: ignore[arg-type]
    ("Candidate(5)", lambda: Candidate(5), CandidateError),  # type: ignore[arg-type]
    ("Candidate(None)", lambda: Candidate(None), CandidateError),  # type: ignore[arg-type]
    ("Candidate(party=5)", lambda: Candidate("A", party=5), CandidateError),  # type: ignore[arg-type]
    ("Ballot(5)", lambda: Ballot(5), BallotError),  # type: ignore[arg-type]
    ("Ballot(None)", lambda: Ballot(None), BallotError),  # type: ignore[arg-type]
    ("Ballot('A')", lambda: Ballot("A"), BallotError),  # type: ignore[arg-type]
    ("Ballot([5])", lambda: Ballot([5]), BallotError),  # type: ignore[list-item]
    ("Ballot([[[1]]])", lambda: Ballot([[[1]]]), BallotError),  # type: ignore[list-item]
    ("Ballot(count='1')", lambda: Ballot(count="1"), CountError),  # type: ignore[arg-type]
    ("Ballot(count=1.0)", lambda: Ballot(count=1.0), CountError),  # type: ignore[arg-type]
    ("Ballot(scores=5)", lambda: Ballot(scores=5), BallotError),  # type: ignore[arg-type]
    ("Ballot(scores=[1])", lambda: Ballot(scores=[1]), BallotError),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("call", "expected"), [(f, e) for _, f, e in _WRONG], ids=[name for name, _, _ in _WRONG])
def test_the_public_api_refuses_wrong_types_with_its_own_errors(
    call: Callable[[], object], expected: type[ElectoralError]
) -> None:
    """Each of these escaped as a bare TypeError or AttributeError, or was accepted silently."""
    with pytest.raises(expected) as caught:
        call()
    assert "\n" not in str(caught.value)


def test_an_unknown_rule_name_is_quoted_as_an_excerpt() -> None:
    with pytest.raises(UnknownRuleError) as caught:
        get("x" * 10_000)
    message = str(caught.value)
    assert excerpt("x" * 10_000) in message
    assert "known rules: adams, " in message  # not cut away by an overlong name


def test_an_unknown_candidate_on_a_ballot_is_quoted_as_an_excerpt() -> None:
    stranger = Candidate("B" * 1000)
    with pytest.raises(UnknownCandidateError) as caught:
        Election(["A"], [Ballot([{stranger}])])
    assert str(caught.value).endswith(f"marks {excerpt(stranger.name)}, not a candidate")


def test_an_unknown_name_lists_a_bounded_number_of_candidates() -> None:
    election = Election([f"C{i}" for i in range(1000)])
    with pytest.raises(UnknownCandidateError, match=r"'C19' and 980 more\)$"):
        election.candidate("nobody")


# -- lone surrogates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: Candidate("A\ud800"),
        lambda: Candidate("\udc00"),
        lambda: Candidate("A", party="P\udfff"),
        lambda: Election.from_rankings({"A\ud800>B": 1}),
        lambda: Election.from_rankings([("B", "A\udbff")]),
        lambda: Election.from_rankings(["A>B"], candidates=["A", "B", "C\ud800"]),
        lambda: Election.from_counts({"A": 1, "B\ud800": 2}),
        lambda: Election.from_array([[0, 1]], candidates=["A", "\ud800"]),
    ],
)
def test_a_name_with_a_lone_surrogate_is_refused(make: Callable[[], object]) -> None:
    """It could be counted, but no report, JSON or CSV of it could ever be written in UTF-8."""
    with pytest.raises(CandidateError, match=r"lone surrogate") as caught:
        make()
    str(caught.value).encode("utf-8")  # the message itself is writable


def test_a_title_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(OptionError, match=r"title '\\ud800x' holds a lone surrogate"):
        Election.from_counts({"A": 1}, title="\ud800x")


def test_a_name_with_a_surrogate_pair_written_properly_is_kept() -> None:
    assert Candidate("A\U0001f600").name == "A😀"


def test_a_profile_too_big_for_memory_is_refused_before_allocating() -> None:
    # 40,000 candidates with one vote each would need a 40,000 x 40,000 matrix (numpy: 'Unable to allocate')
    names = [f"c{i}" for i in range(40_000)]
    election = Election.from_counts(dict.fromkeys(names, 1))
    with pytest.raises(CountError, match=r"40,000 different ballots over 40,000 .*MAX_PROFILE_CELLS"):
        tabulate(election, "plurality")
    with pytest.raises(CountError, match="MAX_PROFILE_CELLS"):
        Election.from_array(np.arange(40_000).reshape(-1, 1), candidates=names)
    # a million different ballots over a thousand candidates would fit
    check_profile_size(1_000_000, 1_000)
    with pytest.raises(CountError):
        check_profile_size(1, 2, depth=MAX_PROFILE_CELLS + 1)


@pytest.mark.parametrize("name", sorted(names()))
def test_every_rule_refuses_what_is_not_an_election(name: str) -> None:
    # instant-runoff and STV count through their own _tabulate, which skipped the check (AttributeError)
    rule = get(name)()
    for bad in ("x", 3, None):
        with pytest.raises(OptionError, match="counts an Election"):
            rule.tabulate(bad)
