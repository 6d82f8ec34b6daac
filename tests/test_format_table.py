"""The one format table: io.read and RCTab configs dispatch through it, and agree for every format."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from electoral import Election, io
from electoral.errors import FormatError
from electoral.io._formats import BY_NAME, BY_PROVIDER, FORMATS

#: one RCTab suite case per provider: (case folder, provider)
CASES = {
    "ess": "tiebreak_seed_test",
    "cdf": "nist_xml_cdf_2",
    "dominion": "dominion_alaska",
    "hart": "hart_cedar_park_school_board",
    "clearBallot": "clear_ballot_kansas_primary",
    "genericCsv": "generic_csv_test",
}


def test_the_table_names_each_format_once() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    assert io.formats() == tuple(sorted(names))
    extensions = [ext for f in FORMATS for ext in f.extensions]
    assert len(extensions) == len(set(extensions))


def test_rctab_configs_name_the_providers_rctab_documents() -> None:
    # RCTab's cvrFileSources providers (its Tabulator's Provider enum), each read by one format of the table
    assert set(BY_PROVIDER) == {"ess", "cdf", "dominion", "hart", "clearBallot", "genericCsv"}
    assert {p: f.name for p, f in BY_PROVIDER.items()} == {
        "ess": "ess",
        "cdf": "cdf",
        "dominion": "dominion",
        "hart": "hart",
        "clearBallot": "clearballot",
        "genericCsv": "csv",
    }


def test_an_unknown_provider_lists_the_tables_providers(tmp_path: Path, rctab_suite: Path) -> None:
    config = json.loads((rctab_suite / "generic_csv_test/generic_csv_test_config.json").read_text())
    config["cvrFileSources"][0]["provider"] = "punchcard"
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    with pytest.raises(
        FormatError, match=r"'punchcard' is not one of ess, cdf, dominion, hart, clearBallot, genericCsv"
    ):
        io.read_rctab_config(path)


#: for detection by content, a CDF in JSON: the CDF reader tells XML from JSON by the extension
DETECT_CASES = {**CASES, "cdf": "test_set_1_exhaust_at_overvote"}


def _source(
    rctab_suite: Path, provider: str, cases: dict[str, str] = CASES
) -> tuple[io.RctabContest, dict[str, Any], Path]:
    case = cases[provider]
    config_path = rctab_suite / case / f"{case}_config.json"
    contest = io.read_rctab_config(config_path)
    (source,) = contest.config["cvrFileSources"]
    return contest, source, (config_path.parent / source["filePath"]).resolve()


def _read_options(provider: str, source: dict[str, Any], contest: io.RctabContest) -> dict[str, Any]:
    """io.read's options for what the config's source says (the format's own, and the marking)."""
    options: dict[str, Any] = {}
    if source.get("contestId"):
        options["contest"] = source["contestId"]
    if provider in ("ess", "genericCsv"):
        options["first_row"] = int(source["firstVoteRowIndex"])
        options["first_column"] = int(source["firstVoteColumnIndex"])
    if provider == "ess":
        options["ranks"] = contest.options["max_rankings"]
    aliases = {}
    for candidate in contest.config["candidates"]:
        for alias in candidate.get("aliases") or ():
            aliases[str(alias)] = candidate["name"]
    options["candidates"] = [c["name"] for c in contest.config["candidates"]]
    options["aliases"] = aliases
    options["max_rankings"] = contest.options["max_rankings"]
    for key, option in (
        ("overvoteLabel", "overvote_label"),
        ("skippedRankLabel", "skipped_label"),
        ("undeclaredWriteInLabel", "undeclared_write_in"),
        ("overvoteDelimiter", "overvote_delimiter"),
    ):
        if source.get(key):
            options[option] = source[key]
    return options


def _ballots(election: Election) -> Counter[str]:
    tally: Counter[str] = Counter()
    for ballot in election.ballots:
        tally[str(ballot)] += ballot.count
    return tally


@pytest.mark.parametrize("provider", sorted(CASES))
def test_both_dispatchers_read_the_same_election(rctab_suite: Path, provider: str) -> None:
    contest, source, path = _source(rctab_suite, provider)
    name = BY_PROVIDER[provider].name
    election = io.read(path, format=name, **_read_options(provider, source, contest))
    assert election.cast == contest.election.cast
    assert _ballots(election) == _ballots(contest.election)


@pytest.mark.parametrize("provider", sorted(CASES))
def test_read_detects_each_rctab_source_as_the_providers_format(
    rctab_suite: Path, tmp_path: Path, provider: str
) -> None:
    contest, source, path = _source(rctab_suite, provider, DETECT_CASES)
    name = BY_PROVIDER[provider].name
    options = _read_options(provider, source, contest)
    if name == "csv":
        # a generic CSV is told by its extension only; it has no signature in its content
        assert _ballots(io.read(path, **options)) == _ballots(contest.election)
        return
    # by content: the same file or folder under a name whose extension says nothing
    copy = tmp_path / "source.data"
    if path.is_dir():
        shutil.copytree(path, copy)
    else:
        shutil.copyfile(path, copy)
    assert _ballots(io.read(copy, **options)) == _ballots(contest.election)


@pytest.mark.parametrize("provider", sorted(CASES))
def test_at_most_one_format_claims_each_source(rctab_suite: Path, provider: str) -> None:
    _, _, path = _source(rctab_suite, provider)
    if path.is_dir():
        names = {p.name for p in path.iterdir()}
        claims = [f.name for f in FORMATS if f.folder is not None and f.folder(names)]
    else:
        head = path.read_bytes()[:4096]
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        claims = [f.name for f in FORMATS if f.sniff is not None and f.sniff(head, text)]
    expected = BY_PROVIDER[provider].name
    assert claims == ([] if expected == "csv" else [expected])


def test_each_format_reads_what_its_paths_say(rctab_suite: Path, tmp_path: Path) -> None:
    # an RCTab source naming a file where the format reads a folder is refused before reading
    config = json.loads((rctab_suite / "dominion_alaska/dominion_alaska_config.json").read_text())
    file = tmp_path / "not_a_folder.json"
    file.write_text("{}")
    config["cvrFileSources"][0]["filePath"] = str(file)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    assert BY_NAME["dominion"].paths == "folder"
    with pytest.raises(FormatError, match="is a file, not a folder"):
        io.read_rctab_config(path)
