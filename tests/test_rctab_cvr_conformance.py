"""RCTab's CVR conversions, compared with the expected files of RCTab's own test suite.

The expected files are RCTab's (BrightSpots/rcv, ``src/test/resources/.../test_data``, copied in the
shared conformance folder): ``*_expected_cdf_cvr.json`` (17: the CDF CVR JSON that a tabulation with
``generateCdfJson`` writes, or, for ``conversions_from_*``, RCTab's "convert to CDF"), and the CSV CVR
RCTab writes before every tabulation (``conversions_from_*_expected.csv`` and
``2024_alaska_dominion_expected_rctab_cvr.csv``). JSON is compared by nested equality ignoring
``GeneratedDate``; CSV row by row (the CSV CVR has no generated-by or date line). Cases that still
differ are strict xfails with the reason.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from electoral.errors import FormatError
from electoral.io import read, read_rctab_config
from electoral.io._rctab_convert import (
    cdf_conversion_artifacts,
    conversion_artifacts,
    cvr_rows,
    election_cdf_cvr,
    write_cdf_cvr,
)
from rctab_contest import write_contest
from test_rctab_conformance import MISSING_INPUT

# case -> why its CDF JSON still differs (strict xfails: a case that starts to pass fails the run)
CDF_KNOWN: dict[str, str] = {}
CSV_KNOWN: dict[str, str] = {
    "2024_alaska_dominion": (
        "the expected file has an older RCTab layout (no 'RCTab CVR Id' column, 'Record Id' for 'Vendor Id');"
        " the conversions_from_* files have the current one, which is what is written"
        " (test_alaska_2024_rows_in_the_older_layout checks every row under the older layout)"
    ),
}
#: the CSV CVR cases: case -> its expected file's suffix
CSV_CASES = {
    "conversions_from_cdf": "_expected.csv",
    "conversions_from_dominion": "_expected.csv",
    "conversions_from_ess": "_expected.csv",
    "2024_alaska_dominion": "_expected_rctab_cvr.csv",
}


def _cdf_cases() -> list[Any]:
    import os

    shared = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    root = shared / "conformance" / "rctab"
    if not root.is_dir():
        return [pytest.param("", marks=pytest.mark.skip(reason=f"RCTab conformance suite not found at {root}"))]
    cases = sorted(p.parent.name for p in root.glob("*/*_expected_cdf_cvr.json"))
    return [
        pytest.param(c, id=c, marks=[pytest.mark.xfail(strict=True, reason=CDF_KNOWN[c])] if c in CDF_KNOWN else [])
        for c in cases
    ]


def _csv_cases() -> list[Any]:
    return [
        pytest.param(c, id=c, marks=[pytest.mark.xfail(strict=True, reason=CSV_KNOWN[c])] if c in CSV_KNOWN else [])
        for c in CSV_CASES
    ]


def _round_trip_cases() -> list[Any]:
    """Every case above, without their xfails (the round trip does not depend on RCTab's layout)."""
    names = [p.values[0] for p in _cdf_cases()] + list(CSV_CASES)
    return [pytest.param(c, id=c) for c in dict.fromkeys(names) if c]


def _without_date(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "GeneratedDate"}


def _cdf_text(rctab_suite: Path, case: str) -> str | None:
    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    name = f"{case}_cdf_cvr.json"
    if case.startswith("conversions_from_"):
        return cdf_conversion_artifacts(contest)[name]  # RCTab's "convert to CDF": no tabulation
    return conversion_artifacts(contest).get(name)


def test_the_suite_has_the_expected_conversions(rctab_suite: Path) -> None:
    """The counts this file reports on: 17 CDF JSON files and 4 CSV CVRs, all with their inputs present."""
    assert len(list(rctab_suite.glob("*/*_expected_cdf_cvr.json"))) == 17
    assert all((rctab_suite / c / f"{c}{suffix}").is_file() for c, suffix in CSV_CASES.items())


@pytest.mark.parametrize("case", _cdf_cases())
def test_cdf_cvr_json(rctab_suite: Path, case: str) -> None:
    expected = json.loads((rctab_suite / case / f"{case}_expected_cdf_cvr.json").read_text(encoding="utf-8"))
    text = _cdf_text(rctab_suite, case)
    assert text is not None, "no CDF JSON written"
    assert _without_date(json.loads(text)) == _without_date(expected)


@pytest.mark.parametrize("case", _csv_cases())
def test_rctab_csv_cvr(rctab_suite: Path, case: str) -> None:
    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    mine = list(csv.reader(io.StringIO(conversion_artifacts(contest)[f"{case}_rctab_cvr.csv"])))
    with open(rctab_suite / case / f"{case}{CSV_CASES[case]}", newline="", encoding="utf-8") as stream:
        theirs = list(csv.reader(stream))
    assert len(mine) == len(theirs)
    for number, (ours, expected) in enumerate(zip(mine, theirs, strict=True), start=1):
        assert ours == expected, f"row {number}"


def test_alaska_2024_rows_in_the_older_layout(rctab_suite: Path) -> None:
    """Every row of RCTab's older-layout CSV CVR: the same ids, order and marks, without the RCTab id column."""
    case = "2024_alaska_dominion"
    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    mine = list(csv.reader(io.StringIO(conversion_artifacts(contest)[f"{case}_rctab_cvr.csv"])))
    older = [row[:3] + row[4:] for row in mine]  # drop "RCTab CVR Id"; "Vendor Id" was "Record Id"
    older[0][5] = "Record Id"
    with open(rctab_suite / case / f"{case}_expected_rctab_cvr.csv", newline="", encoding="utf-8") as stream:
        assert older == list(csv.reader(stream))


@pytest.mark.parametrize("case", _round_trip_cases())
def test_cdf_round_trip(rctab_suite: Path, case: str, tmp_path: Path) -> None:
    """write_cdf_cvr writes a file that our CDF reader reads back to the contest's election."""
    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    path = write_cdf_cvr(contest, tmp_path / "cvr.json")
    back = read(path, contest=contest.election.title or "contest")
    election = contest.election
    assert back.candidates == election.candidates
    assert back.ballots == election.ballots
    assert back.cast == election.cast


def test_round_trip_keeps_overvotes_skips_and_blanks(tmp_path: Path) -> None:
    from electoral import Election

    election = Election.from_rankings(["A>B", "A>B", "A=B>C", "A>>C", ""], candidates=["A", "B", "C"])
    path = write_cdf_cvr(election, tmp_path / "cvr.json")
    back = read(path, contest="contest")
    assert back.ballots == election.ballots
    report = election_cdf_cvr(election)
    assert [c["BallotPrePrintedId"] for c in report["CVR"]] == ["1", "2", "3", "4", "5"]


def test_rows_keep_file_order_and_ids(rctab_suite: Path) -> None:
    """The records come one by one in file order: the ES&S ids are the file name and the row's position."""
    contest = read_rctab_config(rctab_suite / "conversions_from_ess" / "conversions_from_ess_config.json")
    rows = list(cvr_rows(contest))
    assert [r.rctab_id for r in rows] == [f"simple_ess_cvr.xlsx-{n}" for n in range(1, 11)]
    assert sum(b.count for b in contest.election.ballots) == len(rows)


def test_unsupported_provider_is_left_out_and_said(tmp_path: Path) -> None:
    """A generic CSV source is not converted: the artifacts leave it out and say why; cvr_rows refuses it."""
    contest = read_rctab_config(write_contest(tmp_path, output={"generateCdfJson": True}))
    skipped: list[str] = []
    assert conversion_artifacts(contest, skipped=skipped) == {}
    assert skipped == [
        "contest_rctab_cvr.csv: genericCsv records are not converted",
        "contest_cdf_cvr.json: genericCsv records are not converted",
    ]
    with pytest.raises(FormatError, match="converting genericCsv records is not supported"):
        list(cvr_rows(contest))


def test_write_cdf_cvr_refuses_other_values(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="Election or an RctabContest"):
        write_cdf_cvr("not an election", tmp_path / "x.json")  # type: ignore[arg-type]


TRACED = [
    "precinct_example",
    "test_set_1_exhaust_at_overvote",
    "test_set_6_duplicate_exhaust",
    "exhaust_if_multiple_continuing",
    "continue_until_two_with_batch_elimination_test",
    "test_set_multi_winner_fractional_threshold",
    "2013_minneapolis_park",
    "multi_seat_uwi_test",
    "test_set_allow_only_one_winner_per_round",
    "minneapolis_multi_seat_threshold",
]


@pytest.mark.parametrize("case", TRACED)
def test_trace_adds_up_to_the_count(rctab_suite: Path, case: str) -> None:
    """Each round, the ballots the trace puts with a continuing candidate add up to that candidate's tally."""
    from fractions import Fraction

    from electoral.io._rctab_trace import trace_count

    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    trace = trace_count(contest.rule(), contest.election)
    counts = [b.count for b in contest.election.ballots]
    elected: set[str] = set()
    for number, round_ in enumerate(trace.result.rounds):
        held: dict[str, int] = {}
        for ballot, count in zip(trace.ballots, counts, strict=True):
            for name, value in ballot[number]:
                held[name] = held.get(name, 0) + count * value
        for candidate, votes in round_.tally.items():
            if candidate.name not in elected:  # a winner's tally is fixed at the threshold once its surplus moves
                assert Fraction(held.get(candidate.name, 0), trace.one) == votes, (number + 1, candidate.name)
        elected.update(c.name for c in round_.elected)


@pytest.mark.parametrize("name", ["new\nline", "tab\tname", " padded", "two  spaces"])
def test_write_cdf_cvr_refuses_a_name_that_would_not_read_back(tmp_path: Path, name: str) -> None:
    # the CDF reader collapses the white space in a candidate's name, so such a name would come back changed
    from electoral import Election

    election = Election.from_rankings([[name, "B"]], candidates=[name, "B"])
    with pytest.raises(FormatError, match="white space"):
        write_cdf_cvr(election, tmp_path / "cvr.json")
    assert list(tmp_path.iterdir()) == []


def test_names_with_commas_quotes_and_rtl_read_back(tmp_path: Path) -> None:
    from electoral import Election

    names = ["Smith, Jo", 'Jo "JJ" Smith', "\u05d0\u05d1\u05d2 RTL", "Jos\u00e9 \U0001f5f3"]
    election = Election.from_rankings([names, names[::-1], [names[2]]], candidates=names)
    back = read(write_cdf_cvr(election, tmp_path / "cvr.json"), contest="contest")
    assert back.candidates == election.candidates
    assert back.ballots == election.ballots


def _counted_cases() -> list[Any]:
    """Every suite case with an expected detailed report of at most 5,000 ballots (the larger ones take minutes)."""
    import os

    shared = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    root = shared / "conformance" / "rctab"
    cases = []
    for report in sorted(root.glob("*/*_expected_detailed_report*.json")):
        total = int(json.loads(report.read_text(encoding="utf-8"))["summary"]["totalNumBallots"])
        config = report.parent / f"{report.parent.name}_config.json"
        if total <= 5000 and config.is_file():
            missing = MISSING_INPUT.get(report.parent.name)
            marks = [pytest.mark.skip(reason=missing)] if missing else []
            cases.append(pytest.param(report.parent.name, total, id=report.parent.name, marks=marks))
    return list({p.values[0]: p for p in cases}.values()) or [pytest.param("", 0, marks=pytest.mark.skip("no suite"))]


@pytest.mark.parametrize(("case", "total"), _counted_cases())
def test_no_record_is_lost_or_doubled(rctab_suite: Path, case: str, total: int) -> None:
    """Every conversion lists as many records as RCTab's expected report counts ballots (its totalNumBallots)."""
    contest = read_rctab_config(rctab_suite / case / f"{case}_config.json")
    skipped: list[str] = []
    files = conversion_artifacts(contest, skipped=skipped)
    if not files:  # a provider that is not converted (generic CSV, Clear Ballot, Hart): said, never half-written
        assert skipped, "nothing converted and nothing said"
        assert all("records are not converted" in note for note in skipped), skipped
        return
    for name, text in files.items():
        if name.endswith(".csv"):
            assert sum(1 for _ in csv.reader(io.StringIO(text))) - 1 == total, name
        else:
            assert len(json.loads(text)["CVR"]) == total, name
