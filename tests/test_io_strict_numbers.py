"""Numbers in input files are read strictly, and a bad one is a FormatError naming the file.

JSON formats take JSON integers (not ``true``, not ``2.7``, not ``NaN`` or
``Infinity``); text formats take ASCII decimal digits (not ``²``, ``٣`` or
``1_000``). Numbers too long for ``int()`` are refused with a FormatError,
not a bare ``ValueError``; ranks are bounded (1 to 10,000); RCTab config
integers stay within the Java types RCTab reads them into. A UTF-8 byte-order
mark is accepted by every reader, and election JSON is told from CDF by its
structure, not by the text it holds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from electoral import io
from electoral.errors import FormatError
from electoral.io._json import parse_json
from rctab_contest import write_contest

HUGE = "9" * 5000


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def refused(path: Path, *match: str, **options: Any) -> str:
    with pytest.raises(FormatError) as caught:
        io.read(path, **options)
    message = str(caught.value)
    assert path.name in message
    for text in match:
        assert text in message, message
    assert len(message) <= 600
    return message


# -- the shared JSON loader ----------------------------------------------------------------------


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_are_refused_with_their_line(constant: str) -> None:
    with pytest.raises(FormatError, match=rf"x\.json, line 3: {constant} is not a JSON number"):
        parse_json(f'{{"a": "NaN Infinity",\n "b": 1,\n "c": {constant}}}'.encode(), "x.json")


def test_json_integers_too_long_for_int_are_a_format_error() -> None:
    text = '{"a": "' + HUGE + '",\n "b": 1.' + HUGE + ",\n " + '"c": -' + HUGE + "}"
    with pytest.raises(FormatError, match=r"x\.json, line 3: a whole number of 5000 digits"):
        parse_json(text.encode(), "x.json")


def test_json_in_a_string_or_a_fraction_is_not_a_long_integer() -> None:
    data = parse_json(('{"a": "' + HUGE + '", "b": 1.' + HUGE + "}").encode(), "x.json")
    assert data["a"] == HUGE
    assert data["b"] == pytest.approx(2.0)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_json_with_a_byte_order_mark(encoding: str) -> None:
    assert parse_json('{"a": 1}'.encode(encoding), "x.json") == {"a": 1}


def test_json_that_is_not_text() -> None:
    with pytest.raises(FormatError, match=r"x\.json: the file is not UTF-8 text"):
        parse_json(b'{"a": "\xff"}', "x.json")


# -- election JSON ------------------------------------------------------------------------------


def test_election_json_with_a_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "e.json", b"\xef\xbb\xbf" + json.dumps({"votes": {"A": 2, "B": 1}}).encode())
    assert io.read(path).names == ("A", "B")


@pytest.mark.parametrize("name", ["CVR Jones", "Election", "@type"])
def test_election_json_naming_cdf_words_is_election_json(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, "e.json", json.dumps({"votes": {name: 3, "B": 1}}))
    assert io.read(path).names == (name, "B")
    path = write(tmp_path, "e", json.dumps({"votes": {name: 3, "B": 1}}))  # no extension: sniffed by content
    assert io.read(path).names == (name, "B")


def test_cdf_json_is_recognised_by_its_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "cdf.json", json.dumps({"CVR": [], "Election": [{"Contest": []}]}))
    refused(path, "no contest named None")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"votes": {"A": int(HUGE[:60])}}, "more than this library counts"),
        ({"candidates": ["A"], "ballots": [{"ranking": ["A"], "count": 2**62}]}, "4611686018427387904"),
        ({"candidates": ["A"], "ballots": [{"ranking": ["A"], "count": 2.0}]}, "count must be a positive"),
        ({"candidates": ["A"], "ballots": [{"ranking": ["A"], "count": True}]}, "count must be a positive"),
        ({"votes": {"A": 1.5}}, "a count must be a whole number"),
        ({"candidates": ["A"], "ballots": [{"ranking": ["B" * 20_000]}]}, "BBB…' is not a candidate"),
    ],
    ids=["60-digit vote", "count over the maximum", "float count", "true count", "float vote", "long name"],
)
def test_election_json_counts(tmp_path: Path, data: dict[str, Any], match: str) -> None:
    message = refused(write(tmp_path, "e.json", json.dumps(data)), match)
    assert "ballots[0]" in message or "votes[" in message


def test_election_json_5000_digit_count(tmp_path: Path) -> None:
    refused(write(tmp_path, "e.json", '{"votes": {"A": ' + HUGE + "}}"), "line 1", "5000 digits")


# -- CDF and Dominion JSON ------------------------------------------------------------------------


def _cdf(rank: str) -> str:
    """A one-ballot CDF report whose one mark has the JSON text ``rank`` as its Rank."""
    report = {
        "Election": [
            {
                "Candidate": [{"@id": "c1", "Name": "A"}],
                "Contest": [{"@id": "k", "Name": "Mayor", "ContestSelection": [{"@id": "s1", "CandidateIds": ["c1"]}]}],
            }
        ],
        "CVR": [
            {
                "CVRSnapshot": [
                    {
                        "@id": "x",
                        "CVRContest": [
                            {
                                "ContestId": "k",
                                "CVRContestSelection": [
                                    {"ContestSelectionId": "s1", "SelectionPosition": [{"Rank": "RANK"}]}
                                ],
                            }
                        ],
                    }
                ]
            }
        ],
    }
    return json.dumps(report).replace('"RANK"', rank)


@pytest.mark.parametrize(
    ("rank", "match"),
    [
        ("2.7", "rank 2.7 is not a whole number"),
        ("1.0", "rank 1.0 is not a whole number"),
        ("true", "rank true is not a whole number"),
        ('"2"', "rank '2' is not a whole number"),
        ("0", "rank 0 is not a whole number from 1 to 10000"),
        ("10001", "from 1 to 10000"),
        ("1e400", "rank inf"),
        ("Infinity", "Infinity is not a JSON number"),
        ("NaN", "NaN is not a JSON number"),
        (HUGE, "5000 digits"),
    ],
)
def test_cdf_json_ranks(tmp_path: Path, rank: str, match: str) -> None:
    refused(write(tmp_path, "cdf.json", _cdf(rank)), match)


def test_cdf_json_whole_ranks_are_read(tmp_path: Path) -> None:
    election = io.read(write(tmp_path, "cdf.json", _cdf("1")))
    assert [str(b) for b in election.ballots] == ["A"]


def _dominion(folder: Path, rank: str) -> Path:
    folder.mkdir()
    marks = '[{"CandidateId": 1, "Rank": RANK, "IsAmbiguous": false}]'.replace("RANK", rank)
    export = '{"Sessions": [{"Original": {"Cards": [{"Contests": [{"Id": 3, "Marks": ' + marks + "}]}]}}]}"
    (folder / "CvrExport.json").write_text(export, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("rank", "match"),
    [("true", "rank true"), ("2.0", "rank 2.0"), ("0", "rank 0"), ("NaN", "NaN is not"), (HUGE, "5000 digits")],
)
def test_dominion_ranks(tmp_path: Path, rank: str, match: str) -> None:
    with pytest.raises(FormatError, match=match) as caught:
        io.read(_dominion(tmp_path / "export", rank), contest="3")
    assert "CvrExport.json" in str(caught.value)


# -- CSV and Clear Ballot -----------------------------------------------------------------------


@pytest.mark.parametrize("rank", ["²", "٣", "1_000", "2.0", "+1", "-1", "0", "10001", "0x1", HUGE])
def test_csv_ranks(tmp_path: Path, rank: str) -> None:
    path = write(tmp_path, "cvr.csv", f"id,A,B\n1,{rank},1\n")
    refused(path, "line 2", "column 2 'A'", "is not a whole number from 1 to 10000", first_column=2)


def test_csv_ranks_with_spaces_and_a_bom_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "cvr.csv", "\ufeffid,A,B\n1, 2 ,1\n")
    assert [str(b) for b in io.read(path, first_column=2).ballots] == ["B>A"]


@pytest.mark.parametrize("rank", ["²", "٣", "0", "10001", "1_0", "99999999999999999999", HUGE])
def test_clear_ballot_header_ranks(tmp_path: Path, rank: str) -> None:
    path = write(tmp_path, "cb.csv", f"RowNumber,BoxID,Choice_1_1:Mayor:{rank}:1:Ann:NP\n1,1,1\n")
    start = time.monotonic()
    refused(path, "line 1", "column 3", "from 1 to 10000", format="clearballot")
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("mark", ["²", "01", "true", "1.0"])
def test_clear_ballot_marks(tmp_path: Path, mark: str) -> None:
    path = write(tmp_path, "cb.csv", f"RowNumber,BoxID,Choice_1_1:Mayor:1:1:Ann:NP\n1,1,{mark}\n")
    refused(path, "line 2", "column 3", "is not 0 or 1", format="clearballot")


# -- RCTab configs ------------------------------------------------------------------------------


def config_refusal(folder: Path, **rules: Any) -> str:
    config = write_contest(folder, rules=rules)
    with pytest.raises(FormatError) as caught:
        io.read_rctab_config(config)
    message = str(caught.value)
    assert "contest_config.json" in message
    return message


@pytest.mark.parametrize("seed", [str(2**63), str(-(2**63) - 1), "9" * 30, "1_000", "٣", "1.5", 1.0, True])
def test_random_seed_is_a_java_long(tmp_path: Path, seed: Any) -> None:
    message = config_refusal(tmp_path, tiebreakMode="random", randomSeed=seed)
    assert "rules.randomSeed" in message


@pytest.mark.parametrize("seed", [str(2**63 - 1), str(-(2**63)), " 42 ", 7, "+3"])
def test_random_seeds_within_a_long_are_read(tmp_path: Path, seed: Any) -> None:
    contest = io.read_rctab_config(write_contest(tmp_path, rules={"tiebreakMode": "random", "randomSeed": seed}))
    assert contest.options["seed"] == int(str(seed))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("numberOfWinners", "1_0"),
        ("numberOfWinners", "٣"),
        ("numberOfWinners", "2.0"),
        ("numberOfWinners", 2.0),
        ("numberOfWinners", str(2**31)),
        ("maxRankingsAllowed", HUGE[:50]),
        ("maxSkippedRanksAllowed", "-1"),
        ("minimumVoteThreshold", "²"),
        ("stopTabulationEarlyAfterRound", "0"),
        ("decimalPlacesForVoteArithmetic", "21"),
        ("decimalPlacesForVoteArithmetic", "1000000000"),
    ],
)
def test_config_integers_are_strict(tmp_path: Path, field: str, value: Any) -> None:
    assert f"rules.{field}" in config_refusal(tmp_path, **{field: value})


def test_config_source_indexes_are_strict(tmp_path: Path) -> None:
    config = write_contest(tmp_path, source={"firstVoteColumnIndex": "²"})
    with pytest.raises(FormatError, match=r"cvrFileSources\[0\]\.firstVoteColumnIndex: expected a whole number"):
        io.read_rctab_config(config)


def test_config_with_a_bom_and_a_5000_digit_number(tmp_path: Path) -> None:
    config = write_contest(tmp_path)
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
    assert io.read_rctab_config(config).election.cast == 5
    text = config.read_text(encoding="utf-8-sig").replace('"numberOfWinners": "1"', '"numberOfWinners": ' + HUGE)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=r"contest_config\.json, line \d+: a whole number of 5000 digits"):
        io.read_rctab_config(config)


@pytest.mark.parametrize("percent", ["0", "101", "1e1", "15.5.5", "15.", "١٥", "-5", "1." + "5" * 30, "1_5"])
def test_bottoms_up_percentage_is_a_plain_percentage(tmp_path: Path, percent: str) -> None:
    rules = {"multiSeatBottomsUpPercentageThreshold": percent, "numberOfWinners": "0"}
    config = write_contest(tmp_path, mode="bottomsUpUsingPercentageThreshold", rules=rules)
    with pytest.raises(FormatError, match=r"rules\.multiSeatBottomsUpPercentageThreshold: expected a percentage"):
        io.read_rctab_config(config)


@pytest.mark.parametrize("percent", ["15", "12.5", "100"])
def test_bottoms_up_percentages_are_read(tmp_path: Path, percent: str) -> None:
    rules = {"multiSeatBottomsUpPercentageThreshold": percent, "numberOfWinners": "0"}
    config = write_contest(tmp_path, mode="bottomsUpUsingPercentageThreshold", rules=rules)
    assert io.read_rctab_config(config).options["bottoms_up_threshold"] == percent + "%"
