"""Transfers say what they are (to a candidate, exhausted, residual surplus) and rounds carry their quota.

A candidate may be called anything, "residual surplus" and "exhausted" included: the kind of a
transfer, not its target's name, tells where the votes went, in the Result, its JSON and its text.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import Candidate, Election, Transfer
from electoral.errors import ElectoralError, ResultError
from electoral.io import read_rctab_config, tabulate_rctab
from electoral.io._blt import read_blt
from electoral.rules import InstantRunoff, Stv

A, B = Candidate("A"), Candidate("B")
NAMED = "residual surplus"


# -- the kind of a transfer -----------------------------------------------------------------


def test_a_transfer_to_a_candidate_is_the_default() -> None:
    transfer = Transfer(A, B, 3)
    assert (transfer.kind, transfer.target, transfer.exhausted, transfer.residual_surplus) == (
        "candidate",
        B,
        False,
        False,
    )
    assert Transfer(A, None, 2, kind="exhausted").exhausted
    assert Transfer(A, None, Fraction(1, 3), kind="residual-surplus").residual_surplus


@pytest.mark.parametrize(
    ("target", "kind", "message"),
    [
        (None, "candidate", "kind 'candidate' needs a Candidate as its target, not None"),
        ("B", "candidate", "needs a Candidate as its target, not 'B'"),
        (B, "exhausted", "kind 'exhausted' has no target"),
        (B, "residual-surplus", "kind 'residual-surplus' has no target"),
        (None, "lost", "must be 'candidate', 'exhausted' or 'residual-surplus', not 'lost'"),
    ],
)
def test_kind_and_target_must_agree(target: object, kind: str, message: str) -> None:
    with pytest.raises(ResultError, match=re.escape(message)) as caught:
        Transfer(A, target, 1, kind=kind)  # type: ignore[arg-type]
    assert isinstance(caught.value, ElectoralError)
    assert isinstance(caught.value, ValueError)
    assert "\n" not in str(caught.value)


# -- a candidate called "residual surplus", next to an STV residual surplus ----------------------


def _scottish_with_named_candidate() -> Election:
    # quota floor(20/3) + 1 = 7; A's surplus of 4 over 11 papers moves at 4/11 each, truncated to
    # five places (0.36363): 7 papers to the candidate called "residual surplus" (2.54541), 3 to C
    # (1.09089), 1 exhausted (0.36363), and 4 - 11 * 0.36363 = 0.00007 is lost to rounding.
    return Election.from_rankings({f"A>{NAMED}": 7, f"A>C>{NAMED}": 3, "A": 1, NAMED: 2, "C": 4, "D": 3}, seats=2)


def test_named_candidate_and_residual_surplus_differ_in_the_result() -> None:
    result = Stv.preset("scotland").tabulate(_scottish_with_named_candidate())
    named = result.election.candidate(NAMED)
    first = result.rounds[0]
    by_kind = {(t.kind, t.target): t.votes for t in first.transfers}
    assert by_kind == {
        ("candidate", named): Fraction(7 * 36363, 100000),
        ("candidate", result.election.candidate("C")): Fraction(3 * 36363, 100000),
        ("exhausted", None): Fraction(36363, 100000),
        ("residual-surplus", None): 4 - Fraction(11 * 36363, 100000),
    }


def test_named_candidate_and_residual_surplus_differ_in_json() -> None:
    result = Stv.preset("scotland").tabulate(_scottish_with_named_candidate())
    data = json.loads(json.dumps(result.to_dict()))
    assert (data["format"], data["version"]) == ("electoral.result", 3)
    moves = [(t["to"], t["kind"], t["reason"], t["votes"]) for t in data["rounds"][0]["transfers"]]
    assert moves == [
        (NAMED, "candidate", None, "254541/100000"),
        ("C", "candidate", None, "109089/100000"),
        (None, "exhausted", "exhausted choices", "36363/100000"),
        (None, "residual-surplus", None, "7/100000"),
    ]
    assert all(set(t) == {"from", "to", "kind", "reason", "votes"} for r in data["rounds"] for t in r["transfers"])


def test_named_candidate_and_residual_surplus_differ_in_text() -> None:
    text = str(Stv.preset("scotland").tabulate(_scottish_with_named_candidate()))
    assert "  transfer A -> residual surplus: 2.54541\n" in text
    assert "  transfer A -> (residual surplus): 0.00007\n" in text
    assert "  transfer A -> (exhausted choices): 0.36363\n" in text


def test_rctab_residual_surplus_next_to_a_named_candidate() -> None:
    # test_stv's RCTab case with B renamed: A's surplus moves 6 * 0.3888 to the candidate and books
    # 0.0005 as residual surplus
    election = Election.from_rankings({f"A>{NAMED}": 6, NAMED: 2, "C": 3}, seats=2)
    rule = Stv(transfer="rctab", decimal_places=4, non_integer_winning_threshold=True, tie_break="candidate-order")
    result = rule.tabulate(election)
    moves = [(t.kind, t.target, t.votes) for t in result.rounds[0].transfers]
    assert moves == [
        ("candidate", election.candidate(NAMED), Fraction(6 * 3888, 10000)),
        ("residual-surplus", None, Fraction(5, 10000)),
    ]
    kinds = [t["kind"] for t in result.to_dict()["rounds"][0]["transfers"]]
    assert kinds == ["candidate", "residual-surplus"]


def test_a_candidate_called_exhausted_is_a_candidate() -> None:
    election = Election.from_rankings({"A": 5, "C>exhausted": 2, "C": 1, "exhausted": 4})
    result = InstantRunoff().tabulate(election)
    # C (3) goes first: 2 ballots to the candidate called "exhausted", 1 exhausted
    moves = [(t.kind, None if t.target is None else t.target.name, t.votes) for r in result.rounds for t in r.transfers]
    assert moves[:2] == [("candidate", "exhausted", 2), ("exhausted", None, 1)]
    # the set-aside ballots are in parentheses, as in the round's table, so the two cannot be confused
    assert "  transfer C -> exhausted: 2\n  transfer C -> (exhausted choices): 1\n" in str(result)


# -- quotas and thresholds on rounds -------------------------------------------------------------


def _note_figure(note: str, word: str) -> Fraction:
    match = re.search(rf"{word} ([0-9,./]+) votes", note)
    assert match, note
    return Fraction(match.group(1).replace(",", ""))


def test_scottish_quota_on_every_round_is_the_one_the_notes_show(shared_data: Path) -> None:
    """SSI 2007/42 Sch. 1 r. 46: floor(valid / (seats + 1)) + 1, the same figure every stage."""
    files = sorted((shared_data / "scottish-council-stv" / "blt_files").glob("*/*.blt"))
    for path in files[::110]:
        election = read_blt(path)
        result = Stv.preset("scotland").tabulate(election)
        valid = result.rounds[0].continuing
        for r in result.rounds:
            assert isinstance(r.quota, int), path.name
            assert r.quota == _note_figure(r.note, "quota") == valid // (election.seats + 1) + 1
            assert r.threshold is not None
            assert r.quota == r.threshold * r.denominator
            assert r.comparison == "at-least"
        assert result.to_dict()["rounds"][-1]["quota"] == result.rounds[-1].quota


def test_instant_runoff_threshold_is_the_quota() -> None:
    result = InstantRunoff().tabulate(Election.from_rankings({"A": 5, "B>A": 3, "C>B": 2, "D>C": 1}))
    for r in result.rounds:
        assert r.quota == _note_figure(r.note, "threshold") == r.continuing // 2 + 1


def test_meek_quota_is_exact_and_moves() -> None:
    election = Election.from_rankings({"A>B": 9, "B": 2, "C>D": 4, "D": 3, "A": 2}, seats=2)
    result = Stv(transfer="meek").tabulate(election)
    quotas = []
    for r in result.rounds:
        exact = re.search(r"exactly ([0-9/]+)\)", r.note)
        assert exact
        assert r.quota == Fraction(exact.group(1))
        assert r.threshold is not None
        assert r.quota == r.threshold * r.denominator
        quotas.append(r.quota)
    assert quotas[0] == Fraction(20, 3)


RCTAB_CASES = (
    "2013_minneapolis_park",  # STV, whole threshold
    "2015_portland_mayor",  # instant-runoff
    "first_round_determines_threshold_test",
    "minneapolis_multi_seat_threshold",
    "test_set_multi_winner_fractional_threshold",  # a decimal threshold
    "test_set_multi_winner_whole_threshold",
)


def test_rctab_rounds_carry_the_thresholds_rctab_reports(rctab_suite: Path) -> None:
    compared = 0
    for case in RCTAB_CASES:
        folder = rctab_suite / case
        expected_path = folder / f"{case}_expected_detailed_report.json"
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        result = tabulate_rctab(read_rctab_config(folder / f"{case}_config.json"))
        assert len(result.rounds) == len(expected["results"]), case
        for r, theirs in zip(result.rounds, expected["results"], strict=True):
            assert r.quota is not None, case
            assert Fraction(r.quota) == Fraction(Decimal(theirs["threshold"])), case
            compared += 1
    assert compared >= 10
