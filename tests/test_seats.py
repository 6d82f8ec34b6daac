"""The seat count lives in one place, ``Election.seats``: the rules say what they can fill.

The model no longer compares seats with candidates; a rule that elects
candidates refuses more seats than candidates, an apportionment rule shares
out a house of any size. ``party_lists`` is deprecated and has no effect; STV
has no ``seats`` option; RCTab's ``numberOfWinners`` and the command line's
``--seats N`` set the election's seats.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from electoral import Election, io, tabulate
from electoral.cli import main
from electoral.errors import OptionError, SeatsError
from electoral.rules import get, names
from rctab_contest import write_contest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RULES = names()
ELECTING = [n for n in RULES if not get(n).info.apportions]
APPORTIONING = [n for n in RULES if get(n).info.apportions]
MEATH = Path("preflib/00001 - irish/00001-00000003.soi")
#: the five TDs elected for Meath at the 2002 general election (the published result, not a count of ours)
MEATH_ELECTED = {
    "Johnny Brady F.F.",
    "John Bruton F.G.",
    "Noel Dempsey F.F.",
    "Damien English F.G.",
    "Mary Wallace F.F.",
}


def _dhondt(votes: dict[str, int], seats: int) -> dict[str, int]:
    """D'Hondt by hand: each seat to the highest quotient votes / (seats held + 1), with no tie allowed."""
    held = dict.fromkeys(votes, 0)
    for _ in range(seats):
        quotients = {name: Fraction(v, held[name] + 1) for name, v in votes.items()}
        best = max(quotients.values())
        (winner,) = [name for name, q in quotients.items() if q == best]
        held[winner] += 1
    return held


# -- the model ---------------------------------------------------------------------------------------------


def test_a_120_seat_house_from_counts_is_counted_by_dhondt() -> None:
    votes = {"A": 435_968, "B": 320_115, "C": 206_094, "D": 148_279}
    election = Election.from_counts(votes, seats=120)
    result = tabulate(election, "dhondt")
    assert result.status == "decided"
    assert {c.name: n for c, n in result.seats.items()} == _dhondt(votes, 120)
    assert sum(result.seats.values()) == 120


@pytest.mark.parametrize("name", APPORTIONING)
def test_every_apportionment_rule_shares_out_a_house_larger_than_the_lists(name: str) -> None:
    election = Election.from_counts({"A": 5_000, "B": 3_001, "C": 1_999}, seats=50)
    result = tabulate(election, name)
    assert sum(result.seats.values()) == 50


def test_the_model_keeps_seats_above_the_candidates_and_writes_no_party_lists() -> None:
    election = Election(["A", "B"], seats=5)
    data = election.to_dict()
    assert data["seats"] == 5
    assert "party_lists" not in data
    assert Election.from_dict(data) == election


# -- party_lists is deprecated ----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", [True, False, "yes"])
def test_party_lists_in_the_constructor_warns_and_does_nothing(flag: object) -> None:
    with pytest.warns(DeprecationWarning, match="party_lists is deprecated and has no effect") as caught:
        election = Election(["A", "B"], seats=3, party_lists=flag)  # type: ignore[arg-type]
    assert caught[0].filename == __file__  # the warning points at the caller
    assert election == Election(["A", "B"], seats=3)


def test_party_lists_in_from_counts_warns_and_does_nothing() -> None:
    with pytest.warns(DeprecationWarning, match="party_lists") as caught:
        election = Election.from_counts({"A": 10, "B": 5}, seats=120, party_lists=True)
    assert caught[0].filename == __file__
    assert election == Election.from_counts({"A": 10, "B": 5}, seats=120)
    assert "party_lists" not in election.to_dict()


def test_party_lists_through_evolve_warns_and_the_with_methods_keep_working() -> None:
    election = Election.from_counts({"A": 10, "B": 5}, seats=2)
    with pytest.warns(DeprecationWarning, match="party_lists"):
        evolved = attrs.evolve(election, seats=7, party_lists=True)
    assert evolved == election.with_seats(7)
    assert election.with_seats(9).with_candidates(["A", "B", "C"]).seats == 9


def test_reading_the_party_lists_attribute_warns_and_gives_false() -> None:
    election = Election.from_counts({"A": 10, "B": 5}, seats=120)
    with pytest.warns(DeprecationWarning, match="party_lists"):
        assert election.party_lists is False


@pytest.mark.parametrize("value", [True, False])
def test_json_that_still_carries_party_lists_loads_with_a_warning(value: bool, tmp_path: Path) -> None:
    data = {"seats": 120, "party_lists": value, "votes": {"A": 10, "B": 5}}
    with pytest.warns(DeprecationWarning, match=r"old\.json: the field 'party_lists' is deprecated"):
        election = Election.from_dict(data, source="old.json")
    assert election == Election.from_counts({"A": 10, "B": 5}, seats=120)
    assert "party_lists" not in election.to_dict()
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="party_lists"):
        assert io.read(path) == election


@pytest.mark.parametrize("name", ["kyrgyzstan-2015.json", "new-zealand-2020.json"])
def test_the_bundled_party_list_examples_load_without_a_warning(name: str) -> None:
    election = io.read(EXAMPLES / name)  # warnings are errors in the test suite
    assert election.seats > len(election.candidates)


# -- rules validate the seats -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ELECTING)
def test_a_rule_that_elects_candidates_refuses_more_seats_than_candidates(name: str) -> None:
    marks = get(name).info.marks
    election = Election.from_counts({"A": 3, "B": 2}) if "ranking" not in marks else Election.from_rankings({"A>B": 3})
    if "scores" in marks and "ranking" not in marks and "single" not in marks:
        election = Election.from_rankings({"A:3,B:1": 2})
    with pytest.raises(SeatsError, match=rf"rule '{name}'") as caught:
        tabulate(election.with_seats(3), name)
    if get(name).info.winners == "multiple":
        assert "seats=3" in str(caught.value)
        assert "only 2 candidate(s)" in str(caught.value)


@pytest.mark.parametrize("transfer", ["wigm", "gregory", "meek", "meek-nz", "cambridge"])
def test_stv_refuses_more_seats_than_candidates_naming_the_rule_and_both_numbers(transfer: str) -> None:
    election = Election.from_rankings({"A>B": 3, "B>A": 2}, seats=4)
    with pytest.raises(SeatsError, match=r"rule 'stv' elects candidates, but .*seats=4 and only 2 candidate\(s\)"):
        tabulate(election, "stv", transfer=transfer)


def test_stv_rctab_elects_every_candidate_when_the_seats_exceed_them_as_rctab_does() -> None:
    election = Election.from_rankings({"A>B": 3, "B>A": 2, "C": 1}, seats=5)
    result = tabulate(election, "stv", transfer="rctab")
    assert result.status == "decided"
    assert {c.name for c in result.winners} == {"A", "B", "C"}


def test_seats_as_a_rule_option_is_refused_with_a_hint_for_every_rule() -> None:
    election = Election.from_counts({"A": 3, "B": 2})
    for name in ("plurality", "dhondt", "stv"):
        with pytest.raises(OptionError, match=r"has no option 'seats'.*Election\.with_seats\(n\), or --seats N"):
            tabulate(election, name, seats=2)


# -- every STV transfer fills the election's seats ----------------------------------------------------------

BALLOTS = {"A>B>C": 9, "B>C>A": 7, "C>A>B": 5, "D>A>B": 4, "E>B>A": 3, "F>C>D": 2}
TRANSFERS = [
    {"transfer": "wigm"},
    {"transfer": "gregory"},
    {"transfer": "meek"},
    {"transfer": "meek-nz"},
    {"transfer": "cambridge"},
    {"transfer": "rctab", "rctab_mode": "multiple-winners-per-round"},
    {"transfer": "rctab", "rctab_mode": "one-winner-per-round"},
    {"transfer": "rctab", "rctab_mode": "bottoms-up"},
    {"transfer": "rctab", "rctab_mode": "multi-pass-irv"},
]


@pytest.mark.parametrize("options", TRANSFERS, ids=lambda o: "-".join(o.values()))
@pytest.mark.parametrize("seats", [1, 2, 3, 4])
def test_every_stv_transfer_elects_the_elections_seats(options: dict[str, str], seats: int) -> None:
    result = tabulate(Election.from_rankings(BALLOTS, seats=seats), "stv", **options)
    assert result.status == "decided"
    assert len(result.winners) == len(set(result.winners)) == seats


@pytest.mark.parametrize("seats", [2, 3])
def test_multi_pass_irv_runs_one_instant_runoff_per_seat_without_the_earlier_winners(seats: int) -> None:
    election = Election.from_rankings(BALLOTS, seats=seats)
    result = tabulate(election, "stv", transfer="rctab", rctab_mode="multi-pass-irv")
    expected: list[str] = []
    for _ in range(seats):
        one = tabulate(election.with_seats(1), "instant-runoff", excluded=tuple(expected))
        expected.append(one.winner.name)
    assert [c.name for c in result.winners] == expected


# -- RCTab configs set the election's seats ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "winners", "elected"),
    [
        ("multiWinnerAllowMultipleWinnersPerRound", 2, 2),
        ("multiWinnerAllowOnlyOneWinnerPerRound", 2, 2),
        ("bottomsUp", 2, 2),
        ("multiPassIrv", 2, 2),
        ("multiWinnerAllowMultipleWinnersPerRound", 5, 3),  # more winners than candidates: all three
        ("bottomsUp", 4, 3),
    ],
)
def test_number_of_winners_is_the_elections_seats(tmp_path: Path, mode: str, winners: int, elected: int) -> None:
    contest = io.read_rctab_config(write_contest(tmp_path, mode=mode, winners=winners))
    assert contest.election.seats == winners
    assert contest.winners == winners
    assert "seats" not in contest.options
    result = io.tabulate_rctab(contest)
    assert len(result.winners) == elected
    assert {c.name for c in result.winners} <= {"A", "B", "C"}


def test_bottoms_up_by_percentage_takes_zero_winners_and_leaves_the_election_one_seat(tmp_path: Path) -> None:
    config = write_contest(
        tmp_path,
        mode="bottomsUpUsingPercentageThreshold",
        winners=0,
        rules={"multiSeatBottomsUpPercentageThreshold": "30"},
    )
    contest = io.read_rctab_config(config)
    assert (contest.election.seats, contest.winners) == (1, 0)
    assert io.rctab_reports(contest)[0]["summary"]["numWinners"] == 0  # the report still says what the config says


# -- the command line's --seats ----------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_meath_elects_five_from_the_command_line(shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(shared_data / MEATH)
    status, out, err = _run(capsys, "tabulate", path, "--rule", "stv", "--seats", "5", "--format", "json")
    assert status == 0, err
    assert set(json.loads(out)["winners"]) == MEATH_ELECTED
    status, out, err = _run(capsys, "tabulate", path, "--rule", "stv", "--format", "json")
    assert status == 0, err
    assert len(json.loads(out)["winners"]) == 1  # a PrefLib file carries no seat count


def test_seats_are_set_for_json_blt_and_cvr_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        (str(EXAMPLES / "burlington-2009.json"), (), 3),
        (str(EXAMPLES / "shetland-2012-north-isles.blt"), (), 1),
        (str(EXAMPLES / "shetland-2012-north-isles.blt"), (), 2),
    ]
    cvr = tmp_path / "cvr.csv"
    cvr.write_text("id,A,B,C\n1,1,2,3\n2,1,2,\n3,2,1,\n4,,1,2\n5,3,,1\n", encoding="utf-8")
    cases.append((str(cvr), ("--read-option", "first_column=2"), 2))
    cases.append((str(cvr), ("--read-option", "first_column=2", "--read-option", "seats=3"), 2))  # --seats wins
    for path, extra, seats in cases:
        status, out, err = _run(
            capsys, "tabulate", path, "--rule", "stv", *extra, "--seats", str(seats), "--format", "json"
        )
        assert status == 0, err
        assert len(json.loads(out)["winners"]) == seats, path


def test_seats_for_a_party_list_house(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "kyrgyzstan-2015.json")
    status, out, err = _run(capsys, "tabulate", path, "--rule", "dhondt", "--seats", "200", "--format", "json")
    assert status == 0, err
    assert sum(json.loads(out)["seats"].values()) == 200


@pytest.mark.parametrize("seats", ["0", "-2", "abc", "1.5", "", "٣", "1_0", "9" * 41])
def test_a_bad_seats_value_is_one_line_and_status_2(seats: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "burlington-2009.json")
    status, out, err = _run(capsys, "tabulate", path, "--rule", "stv", "--seats", seats)
    assert (status, out) == (2, "")
    assert err.startswith("electoral: error: --seats must be a whole number of at least 1")
    assert err.count("\n") == 1


def test_too_many_seats_for_the_rule_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLES / "burlington-2009.json")
    status, out, err = _run(capsys, "tabulate", path, "--rule", "stv", "--seats", "9")
    assert (status, out) == (2, "")
    assert (
        err == "electoral: error: rule 'stv' elects candidates, but the election has seats=9 and only 6 candidate(s)\n"
    )
    status, out, err = _run(capsys, "tabulate", path, "--rule", "instant-runoff", "--seats", "2")
    assert (status, out) == (2, "")
    assert "rule 'instant-runoff' elects one candidate" in err
