"""The bundled example files, and the shell sessions shown in the documentation.

The examples must load and give the published results. The figures are the
official ones, cited where they are used:

- Kyrgyzstan, presidential election of 15 October 2017: Central Election
  Commission of the Kyrgyz Republic, results certified 30 October 2017.
- France, presidential election of 10 and 24 April 2022: the official
  results published by the Conseil constitutionnel and the Ministry of the
  Interior.

Every ``$ electoral ...`` command in a ``console`` block of ``docs/`` is run,
and its output compared with the lines shown after it (see ``docs/cli.md``
for the conventions: a line ``...`` stands for lines left out, ``...`` in a
line for text left out, and runs of spaces match any run of spaces).
"""

from __future__ import annotations

import json
import re
import shlex
from fractions import Fraction
from pathlib import Path

import pytest

import electoral.io
from _console import console_pattern
from electoral import Election, Result, tabulate
from electoral.cli import main
from electoral.rules import TwoRound

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"


def percent(result: Result, round_index: int, name: str) -> str:
    return str(result.to_dict()["rounds"][round_index]["percent"][name])


# -- Kyrgyzstan 2017 -----------------------------------------------------------------


@pytest.fixture(scope="module")
def kyrgyzstan() -> Election:
    return electoral.io.read(EXAMPLES / "kyrgyzstan-2017.json")


def test_kyrgyzstan_file_holds_the_certified_figures(kyrgyzstan: Election) -> None:
    votes = {c.name: b.count for b in kyrgyzstan.ballots for c in b.candidates()}
    assert votes == {
        "Jeenbekov": 920_620,
        "Babanov": 568_665,
        "Madumarov": 110_284,
        # The eight minor candidates' own figures are not in our sources; the
        # example models them as one labelled line with their published total.
        "Other eight candidates (combined)": 84_389,
    }
    assert kyrgyzstan.invalid == 13_910
    assert kyrgyzstan.blank == 0
    assert kyrgyzstan.registered == 3_014_434
    assert kyrgyzstan.cast == 1_697_868  # voters who took part


def test_kyrgyzstan_jeenbekov_wins_without_a_runoff(kyrgyzstan: Election) -> None:
    """Art. 55(4): more than half of the votes of all voters who took part, invalid ballots included."""
    result = tabulate(kyrgyzstan, "two-round", preset="kyrgyzstan-president")
    assert result.status == "decided"
    assert [c.name for c in result.winners] == ["Jeenbekov"]
    first = result.rounds[0]
    assert first.denominator == 1_697_868
    assert first.shares[kyrgyzstan.candidate("Jeenbekov")] == Fraction(920_620, 1_697_868)
    # The official shares: 54.22% of participants, 54.67% of valid votes.
    assert percent(result, 0, "Jeenbekov") == "54.22"
    of_valid = tabulate(kyrgyzstan, "two-round", preset="france-president")
    assert percent(of_valid, 0, "Jeenbekov") == "54.67"


# -- France 2022 -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def france_round1() -> Election:
    return electoral.io.read(EXAMPLES / "france-2022-round1.json")


@pytest.fixture(scope="module")
def france_round2() -> Election:
    return electoral.io.read(EXAMPLES / "france-2022-round2.json")


def test_france_round1_file_holds_the_published_figures(france_round1: Election) -> None:
    votes = {c.name: b.count for b in france_round1.ballots for c in b.candidates()}
    assert votes == {
        "Macron": 9_783_058,
        "Le Pen": 8_133_828,
        "Mélenchon": 7_712_520,
        "Zemmour": 2_485_226,
        "Pécresse": 1_679_001,
        "Jadot": 1_627_853,
        "Lassalle": 1_101_387,
        "Roussel": 802_422,
        "Dupont-Aignan": 725_176,
        "Hidalgo": 616_478,
        "Poutou": 268_904,
        "Arthaud": 197_094,
    }
    assert france_round1.names[:2] == ("Macron", "Le Pen")
    assert (france_round1.blank, france_round1.invalid) == (543_609, 247_151)
    assert france_round1.registered == 48_747_876
    assert france_round1.cast == 35_923_707


def test_france_round2_file_holds_the_published_figures(france_round2: Election) -> None:
    votes = {c.name: b.count for b in france_round2.ballots for c in b.candidates()}
    assert votes == {"Macron": 18_768_639, "Le Pen": 13_288_686}
    assert france_round2.blank == 2_233_904
    # Null ballots are not in our sources; the file derives them as
    # cast - blank - the candidates' votes = 35,096,478 - 2,233,904 - 18,768,639 - 13,288,686.
    assert france_round2.invalid == 805_249
    assert france_round2.registered == 48_752_339
    assert france_round2.cast == 35_096_478


def test_france_round1_goes_to_a_runoff_between_macron_and_le_pen(france_round1: Election) -> None:
    """Constitution, Art. 7: an absolute majority of votes expressed, or the two leaders go on."""
    result = tabulate(france_round1, "two-round", preset="france-president")
    assert result.status == "runoff"
    assert [c.name for c in result.advancing] == ["Macron", "Le Pen"]
    assert result.winners == ()
    assert result.rounds[0].denominator == 35_132_947  # votes expressed: cast - blank - null
    assert percent(result, 0, "Macron") == "27.85"
    assert percent(result, 0, "Le Pen") == "23.15"


def test_france_round2_elects_macron_with_58_55_percent(france_round1: Election, france_round2: Election) -> None:
    result = tabulate(france_round1, TwoRound.preset("france-president"), runoff=france_round2)
    assert result.status == "decided"
    assert [c.name for c in result.winners] == ["Macron"]
    assert len(result.rounds) == 2
    second = result.rounds[1]
    assert second.denominator == 32_057_325  # votes expressed in round 2
    assert percent(result, 1, "Macron") == "58.55"
    assert percent(result, 1, "Le Pen") == "41.45"


# -- the JSON documents shown in the docs ---------------------------------------------


def _json_blocks() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" not in page.parts:
            text = page.read_text(encoding="utf-8")
            found += [(str(page.relative_to(ROOT)), b) for b in re.findall(r"^```json\n(.*?)^```", text, re.M | re.S)]
    return found


JSON_BLOCKS = _json_blocks()


@pytest.mark.parametrize(("page", "block"), JSON_BLOCKS, ids=[f"{p}#{i}" for i, (p, _) in enumerate(JSON_BLOCKS)])
def test_election_documents_in_docs_are_valid(page: str, block: str) -> None:
    data = json.loads(block)
    if data.get("format") == "electoral.election":
        election = Election.from_dict(data, source=page)  # raises FormatError, naming the field, if invalid
        assert Election.from_dict(election.to_dict()) == election


# -- the shell sessions in the docs ----------------------------------------------------

_FENCE = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _sessions() -> list[tuple[str, str, str]]:
    """(page, command, expected output) for every ``$ electoral`` command in the docs."""
    found: list[tuple[str, str, str]] = []
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" in page.parts:
            continue
        for block in _FENCE.findall(page.read_text(encoding="utf-8")):
            command: str | None = None
            expected: list[str] = []
            for line in [*block.splitlines(), "$ "]:
                if line.startswith("$ "):
                    if command is not None and command.startswith("electoral "):
                        found.append((str(page.relative_to(ROOT)), command, "\n".join(expected)))
                    command, expected = line[2:].strip(), []
                else:
                    expected.append(line)
    return found


_pattern = console_pattern


SESSIONS = _sessions()


def test_the_docs_show_shell_sessions() -> None:
    assert len(SESSIONS) >= 5, "docs/cli.md's console blocks were not found"


@pytest.mark.parametrize(("page", "command", "expected"), SESSIONS, ids=[f"{p}: {c}" for p, c, _ in SESSIONS])
def test_shell_session_in_docs(
    page: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # the pages show paths from the repository root
    status = main(shlex.split(command)[1:])
    out, err = capsys.readouterr()
    if expected.startswith("electoral: error:"):
        assert (status, out) == (2, ""), f"{page}: {command!r} should fail with status 2 and no output"
        shown = err
    else:
        assert (status, err) == (0, ""), f"{page}: {command!r} failed: {err}"
        shown = out
    assert _pattern(expected).fullmatch(shown), f"{page}: {command!r} printed:\n{shown}"


def test_scottish_ward_fixture_is_the_published_file(shared_data: Path) -> None:
    """The tutorial's ward is copied unchanged from mggg/scot-elex (compiled by David McCune)."""
    original = shared_data / "scottish-council-stv" / "blt_files" / "5_cands" / "shetland_2012_ward1.blt"
    assert (EXAMPLES / "shetland-2012-north-isles.blt").read_bytes() == original.read_bytes()
