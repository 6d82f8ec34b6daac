"""Counts at the library's bounds: exact past int64, refused beyond the bounds, never a bare exception.

The bounds: fewer than 2**62 voters (each count and their sum), scores
strictly between -2**62 and 2**62, at most 1,000 candidates for a pairwise
matrix. Where a figure could pass int64 (scaled STV values, score totals),
the count switches to Python integers; these tests check both sides of each
switch, and that inputs beyond a bound are refused with a message naming
the value (and, for files, the file and line).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from electoral import Ballot, Candidate, Election, io, tabulate
from electoral._model import MAX_SCORE, MAX_VOTERS
from electoral._model._array import ArrayBallots
from electoral._profile._build import exact_sum_by, exact_total
from electoral._profile._pairwise import MAX_PAIRWISE_CANDIDATES
from electoral.errors import BallotError, CountError, ElectoralError, FormatError, OptionError, SeatsError
from electoral.rules import Stv
from electoral.rules._ranked._stv_arith import INT64_BOUND, Arithmetic, fits_int64

HUGE = 10**14  # first preferences at which votes * 10**5 passes int64


def _no_negative(result: object) -> None:
    for r in result.rounds:  # type: ignore[attr-defined]
        figures = [*r.tally.values(), *r.set_aside.values(), *(t.votes for t in r.transfers)]
        assert all(Fraction(v) >= 0 for v in figures), r


# -- STV: scaled values past int64 -------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [Stv(), Stv(transfer="rctab"), Stv.preset("scotland"), Stv(decimal_places=12), Stv(transfer="gregory")],
    ids=["wigm", "rctab", "scotland", "wigm-12-places", "gregory"],
)
def test_stv_counts_first_preferences_past_int64(rule: Stv) -> None:
    e = Election.from_rankings({"A>B": HUGE, "B>A": 3, "C": 1})
    result = rule.tabulate(e)
    assert [c.name for c in result.winners] == ["A"]
    assert result.rounds[0].tally[e.candidate("A")] == HUGE
    _no_negative(result)


@pytest.mark.parametrize("transfer", ["wigm", "rctab", "meek"])
def test_stv_moves_a_surplus_of_2_to_the_60_exactly(transfer: str) -> None:
    e = Election.from_rankings({"A>B": 2**60, "A>C": 2**59, "B": 2**58, "C": 2**58 + 1, "D": 5}, seats=2)
    result = Stv(transfer=transfer).tabulate(e)
    assert [c.name for c in result.winners][:1] == ["A"]
    assert len(result.winners) == 2
    assert len(result.rounds) > 1
    _no_negative(result)
    for r in result.rounds:  # every ballot is accounted for, exactly
        assert Fraction(r.ballots) == e.cast


def test_the_arithmetic_switches_to_python_integers_at_the_int64_bound() -> None:
    one = 10**5
    below, at = INT64_BOUND // one - 1, -(-INT64_BOUND // one)
    assert fits_int64(below, one)
    assert not fits_int64(at, one)
    assert not Arithmetic(5, below).wide
    assert Arithmetic(5, at).wide
    assert Arithmetic(5, at).ones(3).dtype == object
    assert not Arithmetic(None, at).wide  # exact Fractions have no bound


def test_wide_arithmetic_truncates_like_the_fast_path() -> None:
    values = np.array([100000, 37500, 99999], dtype=np.int64)
    narrow = Arithmetic(5, 10).scale(3, values, 8)
    wide = Arithmetic(5, MAX_VOTERS - 1).scale(3, values.astype(object), 8)
    assert narrow.tolist() == wide.tolist() == [37500, 14062, 37499]


# -- the kernel's sums ----------------------------------------------------------------------------


def test_exact_sum_by_never_wraps() -> None:
    labels = np.array([0, 0, 1, -1], dtype=np.int32)
    big = np.array([2**62 - 1, 2**62 - 1, 5, 2**62], dtype=np.int64)
    sums = exact_sum_by(labels, big, 2)
    assert [int(v) for v in sums] == [2**63 - 2, 5]
    small = np.array([1, 2, 3, 4], dtype=np.int64)
    assert exact_sum_by(labels, small, 2).tolist() == [3, 3]
    mixed = np.array([-(2**62), -(2**62), 1, 0], dtype=np.int64)
    assert [int(v) for v in exact_sum_by(labels, mixed, 2)] == [-(2**63), 1]


def test_exact_total_never_wraps() -> None:
    assert exact_total(np.array([2**62 - 1] * 4, dtype=np.int64)) == 4 * (2**62 - 1)
    assert exact_total(np.zeros(0, dtype=np.int64)) == 0


def test_array_ballots_past_the_bound_are_refused_with_their_exact_total() -> None:
    people = (Candidate("A"), Candidate("B"))
    rows = np.array([[0], [1], [0, 1][:1]], dtype=np.int32).reshape(3, 1)
    counts = np.array([2**62 - 1, 2**62 - 1, 10], dtype=np.int64)
    ballots = ArrayBallots(people, rows, counts)
    assert ballots.voters() == 2 * (2**62 - 1) + 10
    with pytest.raises(CountError, match=str(2 * (2**62 - 1) + 10)):
        Election(people, ballots)


# -- scores ---------------------------------------------------------------------------------------------


def test_score_totals_pass_int64_exactly() -> None:
    a, b = Candidate("A"), Candidate("B")
    e = Election([a, b], [Ballot(scores={a: 10**18}, count=10), Ballot(scores={b: 1}, count=1)])
    for rule in ("score", "star"):
        result = tabulate(e, rule)
        assert result.winners == (a,)
        assert result.rounds[0].tally[a] == 10**19
        _no_negative(result)


def test_the_largest_scores_and_counts_multiply_exactly() -> None:
    a, b = Candidate("A"), Candidate("B")
    top = MAX_SCORE - 1
    e = Election([a, b], [Ballot(scores={a: top, b: -top}, count=MAX_VOTERS - 2), Ballot(scores={b: top})])
    tally = tabulate(e, "score").rounds[0].tally
    assert tally[a] == top * (MAX_VOTERS - 2)
    assert tally[b] == -top * (MAX_VOTERS - 2) + top


@pytest.mark.parametrize("value", [MAX_SCORE, -MAX_SCORE, 10**30])
def test_scores_beyond_the_bound_are_refused(value: int) -> None:
    a = Candidate("A")
    with pytest.raises(CountError, match="score of 'A'"):
        Election([a], [Ballot(scores={a: value})])


def test_a_score_file_beyond_the_bound_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "scores.json"
    path.write_text('{"candidates": ["A"], "ballots": [{"scores": {"A": 1000000000000000000000000000000}}]}')
    with pytest.raises(ElectoralError, match=r"scores\.json") as caught:
        io.read(path)
    assert "1000000000000000000000000000000" in str(caught.value)


# -- BLT and PrefLib: numbers and the bound on voters --------------------------------------------------


def _blt(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "e.blt"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("1_000 1 2 0", "'1_000'"),
        ("\u0663 2 0", "'\u0663'"),
        ("+3 1 0", "'+3'"),
        ("3 1 +2 0", "'+2'"),
        ("2 1.0 0", "'1.0'"),
        ("3 1 \u0662 0", "'\u0662'"),
    ],
)
def test_blt_numbers_are_ascii_integers(tmp_path: Path, line: str, shown: str) -> None:
    path = _blt(tmp_path, f'2 1\n{line}\n0\n"A"\n"B"\n')
    with pytest.raises(FormatError, match=r"e\.blt, line 2") as caught:
        io.read(path)
    assert shown in str(caught.value)


def test_blt_header_numbers_are_ascii_integers(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="line 1"):
        io.read(_blt(tmp_path, '\u0662 1\n1 1 0\n0\n"A"\n"B"\n'))


def test_blt_weights_past_the_bound_are_refused_at_their_line(tmp_path: Path) -> None:
    wrap = "\n".join(f"{MAX_VOTERS - 1} {i} 0" for i in (1, 2, 3, 4))
    with pytest.raises(FormatError, match=r"e\.blt, line 3: .*9223372036854775806 voters"):
        io.read(_blt(tmp_path, f"5 1\n{wrap}\n10 5 0\n0\n" + "".join(f'"{c}"\n' for c in "ABCDE")))
    with pytest.raises(FormatError, match=r"line 2: a ballot's weight of 1000000000000000000000000000000"):
        io.read(_blt(tmp_path, '2 1\n1000000000000000000000000000000 1 0\n0\n"A"\n"B"\n'))
    with pytest.raises(FormatError, match="weight of a whole number of 60 digits is more than this library counts"):
        io.read(_blt(tmp_path, f'2 1\n{"9" * 60} 1 0\n0\n"A"\n"B"\n'))
    with pytest.raises(FormatError, match=r"a preference '9999.*' is beyond any number"):
        io.read(_blt(tmp_path, f'2 1\n3 {"9" * 60} 0\n0\n"A"\n"B"\n'))


def test_blt_weights_up_to_the_bound_count_exactly(tmp_path: Path) -> None:
    e = io.read(_blt(tmp_path, f'2 1\n{MAX_VOTERS - 3} 1 2 0\n2 2 0\n0\n"A"\n"B"\n'))
    assert e.cast == MAX_VOTERS - 1
    result = tabulate(e, "stv")
    assert [c.name for c in result.winners] == ["A"]
    _no_negative(result)


def _soi(tmp_path: Path, data: str) -> Path:
    path = tmp_path / "e.soi"
    path.write_text(
        "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n" + data,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("line", ["1_000: 1,2", "\u0663: 2", "3: \u0661", "+3: 1", "3: 1_0"])
def test_preflib_numbers_are_ascii_integers(tmp_path: Path, line: str) -> None:
    with pytest.raises(FormatError, match=r"e\.soi, line 5"):
        io.read(_soi(tmp_path, line + "\n"))


def test_preflib_counts_past_the_bound_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"line 6: the counts up to this line add up to 9223372036854775806"):
        io.read(_soi(tmp_path, f"{MAX_VOTERS - 1}: 1,2\n{MAX_VOTERS - 1}: 2\n"))
    with pytest.raises(FormatError, match=r"line 5: a count of 4611686018427387904"):
        io.read(_soi(tmp_path, f"{MAX_VOTERS}: 1,2\n"))


def test_preflib_huge_number_of_alternatives_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "e.soi"
    path.write_text("# NUMBER ALTERNATIVES: 1000000000000\n# ALTERNATIVE NAME 1: A\n1: 1\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no ALTERNATIVE NAME for"):
        io.read(path)


# -- candidates: pairwise limit, sparse positional counts -----------------------------------------------


def test_pairwise_rules_refuse_more_candidates_than_the_limit_before_allocating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [f"C{i}" for i in range(MAX_PAIRWISE_CANDIDATES + 1)]
    e = Election.from_array(np.array([[0, 1], [2, 3]]), candidates=names)
    for rule in ("schulze", "copeland", "ranked-pairs", "minimax", "split-cycle", "nanson", "black"):
        with pytest.raises(OptionError, match=f"rule '{rule}'.*1,000 candidates.*1,001"):
            tabulate(e, rule)
    import electoral._profile._pairwise as pairwise

    monkeypatch.setattr(pairwise, "MAX_PAIRWISE_CANDIDATES", 4)
    small = Election.from_rankings({"A>B>C>D": 2, "D>C": 1})
    assert tabulate(small, "schulze").winner.name == "A"
    with pytest.raises(OptionError, match="limited to 4 candidates"):
        tabulate(Election.from_rankings({"A>B>C>D>E": 1}), "schulze")


def test_borda_counts_many_candidates_without_a_dense_table() -> None:
    n = 200_000
    e = Election.from_array(
        np.array([[5, 7], [n - 1, -1], [1, 2]]), candidates=[f"C{i}" for i in range(n)], counts=[3, 2, 1]
    )
    result = tabulate(e, "borda")
    assert result.winner.name == "C5"
    tally = result.rounds[0].tally
    # C5 is first on 3 ballots (n - 1 points each) and unranked on 3 (the average of n - 2 places: (n - 3) / 2)
    assert tally[e.candidate("C5")] == 3 * (n - 1) + 2 * Fraction(n - 2, 2) + Fraction(n - 3, 2)
    assert tabulate(e, "borda", unranked="modified").winner.name == "C5"


def test_dowdall_refuses_harmonic_sums_beyond_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import electoral.rules._positional as positional

    monkeypatch.setattr(positional, "MAX_HARMONIC_TERMS", 3)
    e = Election.from_rankings({"A>B": 3, "B": 1}, candidates=["A", "B", "C", "D"])
    assert tabulate(e, "dowdall").winner.name == "A"  # unranked="zero": only two places are read
    with pytest.raises(OptionError, match="up to 3 of them"):
        tabulate(e, "dowdall", unranked="average")


def test_positions_beyond_int16_are_refused() -> None:
    a, b = Candidate("A"), Candidate("B")
    deep = Ballot([{a}, *([set()] * 40_000), {b}])
    e = Election([a, b], [deep])
    with pytest.raises(BallotError, match="rank 40,002"):
        tabulate(e, "copeland")


# -- too few candidates and the seats option ------------------------------------------------------------


@pytest.mark.parametrize("transfer", ["wigm", "gregory", "meek"])
def test_stv_refuses_fewer_candidates_left_than_seats(transfer: str) -> None:
    e = Election.from_rankings({"A>B>C": 3, "B": 2, "C": 1}, seats=2)
    with pytest.raises(SeatsError, match=r"fills 2 seat\(s\), but only 1 candidate\(s\) are left once 'A' and 'B'"):
        Stv(transfer=transfer, excluded=("A", "B")).tabulate(e)
    assert len(Stv(transfer=transfer, excluded=("A",)).tabulate(e).winners) == 2


def test_stv_rctab_elects_everyone_left_as_rctab_does_but_refuses_nobody_left() -> None:
    e = Election.from_rankings({"A>B>C": 3, "B": 2, "C": 1}, seats=2)
    result = Stv(transfer="rctab", excluded=("A", "B")).tabulate(e)
    assert [c.name for c in result.winners] == ["C"]
    with pytest.raises(SeatsError, match="no candidate is left to count"):
        Stv(transfer="rctab", excluded=("A", "B", "C")).tabulate(e)


def test_instant_runoff_refuses_every_candidate_excluded() -> None:
    e = Election.from_rankings({"Ann": 3})
    with pytest.raises(SeatsError, match="no candidate is left to count: 'Ann' is excluded"):
        tabulate(e, "instant-runoff", excluded="Ann")
    w = Election.from_rankings({"Ann>Write-in": 3, "Write-in": 1})
    with pytest.raises(SeatsError, match="undeclared write-in never wins"):
        tabulate(w, "instant-runoff", excluded="Ann", undeclared_write_in="Write-in")


def test_two_round_refuses_withdrawals_that_leave_nobody() -> None:
    e = Election.from_counts({"A": 3, "B": 2, "C": 2})
    with pytest.raises(OptionError, match="every one of the 3 candidate"):
        tabulate(e, "two-round", withdrawn=["A", "B", "C"])
    registered = Election.from_counts({"A": 30, "B": 30, "C": 5}, registered=100)
    with pytest.raises(OptionError, match="leave nobody to advance"):
        tabulate(registered, "two-round", advance="registered-share", advance_share="20%", withdrawn=["A", "B"])
    one_left = tabulate(e, "two-round", withdrawn=["A", "B"], runoff=Election.from_counts({"C": 4}))
    assert [c.name for c in one_left.winners] == ["C"]


def test_stv_has_no_seats_option_whatever_the_transfer() -> None:
    """The seats are the election's: ``seats=`` is an unknown option, with a hint, for every transfer."""
    hint = r"has no option 'seats'.*the seats are the election's: Election\.with_seats\(n\), or --seats N"
    with pytest.raises(OptionError, match=hint):
        Stv(seats=3)  # type: ignore[call-arg]
    with pytest.raises(OptionError, match=hint):
        Stv(transfer="rctab", seats=2)  # type: ignore[call-arg]
    with pytest.raises(OptionError, match=hint):
        Stv.preset("scotland", seats=2)
    e = Election.from_rankings({"A>B": 5, "B>C": 4, "C>A": 3})
    with pytest.raises(OptionError, match=hint):
        tabulate(e, "stv", transfer="rctab", seats=2)
    assert len(Stv(transfer="rctab").tabulate(e.with_seats(2)).winners) == 2
