"""The netherlands-tweede-kamer and sweden-riksdag presets and their tier kinds.

No official per-list returns of a Tweede Kamer election, nor per-constituency
returns of a Riksdag election, are available offline, so the whole counts are
checked on small cases worked out by hand from the statutes (each case's
arithmetic is in its comment). The one real figure: the 2022 Riksdag
election's national votes for the eight parties over 4% (S 1,964,474,
SD 1,330,325, M 1,237,428, V 437,050, C 434,945, KD 345,712, MP 329,242,
L 298,542: Valmyndigheten's final count, as quoted in the English Wikipedia
article on the 2022 Swedish general election) and the published seats
(S 107, SD 73, M 68, V 24, C 24, KD 19, MP 18, L 16: val.se, "Valresultat
2022"). With no party over its share in 2022 the national share-out of
ch. 14 § 6 gives the final totals, which the test checks.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

from electoral import systems
from electoral._systems._kieswet import KieswetCount, KieswetTier
from electoral._systems._riksdag import RiksdagCount, RiksdagTier
from electoral.errors import CountError, FormatError, OptionError


def _nl(votes: dict[str, int], **kw: object) -> systems.Returns:
    return systems.Returns([systems.DistrictReturns("Nederland", votes, **kw)])  # type: ignore[arg-type]


def _count(tier: KieswetTier | RiksdagTier, returns: systems.Returns, seed: int | None = None) -> systems.SeatResult:
    return systems.System("test", (tier,)).tabulate(returns, seed=seed)


BASE = {"A": 5000, "B": 3100, "C": 1500, "D": 400}


def test_full_quotas_then_dhondt_for_lists_that_reached_the_quota() -> None:
    # 20 seats, 10,000 votes: kiesdeler 500. Whole quotas A 10, B 6, C 3, D 0 (19 seats).
    # One residual seat (P 7): averages A 5000/11 = 454.5, B 3100/7 = 442.9, C 1500/4 = 375; D (below the
    # kiesdeler) takes no part (P 7.2). A wins it.
    result = _count(KieswetTier(seats=20), _nl(BASE))
    assert dict(result.totals) == {"A": 11, "B": 6, "C": 3, "D": 0}
    count = result.tiers[0].districts[0]
    assert isinstance(count, KieswetCount)
    assert count.quota == 500
    assert dict(count.full) == {"A": 10, "B": 6, "C": 3, "D": 0}
    assert [(q.party, q.value) for q in count.quotients] == [("A", Fraction(5000, 11))]
    assert count.excluded == ("D",)


def test_a_list_exactly_at_the_kiesdeler_takes_part() -> None:
    # 20 seats, 10,000 votes: D with exactly 500 votes has one whole quota and may take residual seats.
    result = _count(KieswetTier(seats=20), _nl({"A": 5000, "B": 3100, "C": 1400, "D": 500}))
    count = result.tiers[0].districts[0]
    assert [c.passed for c in count.checks if c.party == "D"] == [True]
    assert "D" in count.qualified


def test_absolute_majority_correction() -> None:
    # 20 seats, kiesdeler 500: A 5001 -> 10 whole, B 2500 -> 5, C 2499 -> 4 (19). The residual seat: averages
    # A 454.6, B 416.7, C 499.8, so C. A has more than half the votes but only 10 of 20 seats: P 9 moves the
    # last residual seat, C's, to A.
    result = _count(KieswetTier(seats=20), _nl({"A": 5001, "B": 2500, "C": 2499}))
    assert dict(result.totals) == {"A": 11, "B": 5, "C": 4}
    assert result.tiers[0].districts[0].majority == ("A", "C")  # type: ignore[attr-defined]
    without = _count(KieswetTier(seats=20, majority_correction=False), _nl({"A": 5001, "B": 2500, "C": 2499}))
    assert dict(without.totals) == {"A": 10, "B": 5, "C": 5}


def test_small_council_largest_surpluses_with_the_three_quarter_bar() -> None:
    # 9 seats, 1000 votes: kiesdeler 111 1/9, bar 3/4 of it = 83 1/3. Whole quotas A 5 (surplus 44.4), B 1
    # (38.9), C 0 (100), D 0 (90), E 0 (60, below the bar). Three residual seats by surplus (P 8): C, D, A.
    tier = KieswetTier(seats=9, residual_bar="none")
    result = _count(tier, _nl({"A": 600, "B": 150, "C": 100, "D": 90, "E": 60}))
    assert dict(result.totals) == {"A": 6, "B": 1, "C": 1, "D": 1, "E": 0}


def test_small_council_averages_once_each_when_surpluses_run_out() -> None:
    # 10 seats, 1000 votes, kiesdeler 100, bar 75: A 380 -> 3, B 370 -> 3; C-F (70, 60, 60, 60) are below the
    # bar. Four residual seats: one each by surplus to A and B; the two left by largest averages, at most one
    # each (P 8, second paragraph): A 380/5 = 76, B 370/5 = 74, C 70/1 = 70 -> A and B.
    tier = KieswetTier(seats=10, residual_bar="none")
    result = _count(tier, _nl({"A": 380, "B": 370, "C": 70, "D": 60, "E": 60, "F": 60}))
    assert dict(result.totals) == {"A": 5, "B": 5, "C": 0, "D": 0, "E": 0, "F": 0}


@pytest.mark.parametrize(
    ("votes", "seats"),
    [
        # 15 seats, kiesdeler 80, bar 60: whole quotas 6, 2, 2, 1, 1, 1, 0, 0; surpluses 60, 0, 0, 0, 0, 0, 60, 40
        # (list 8's 40 is below the bar): lists 1 and 7.
        ([540, 160, 160, 80, 80, 80, 60, 40], [7, 2, 2, 1, 1, 1, 1, 0]),
        # 15 seats, kiesdeler 80 2/3 (1200/15), bar 60 1/2: only list 1 (10 quotas, surplus 1 1/3) meets it.
        # Five residual seats: one by surplus to list 1, four by averages, one each: list 1 808/12 = 67 1/3,
        # then lists 2, 3, 4 (59, 58, 57) against list 1's 808/13 = 62 2/13.
        ([808, 59, 58, 57, 56, 55, 54, 53], [12, 1, 1, 1, 0, 0, 0, 0]),
    ],
)
def test_small_council_cases_of_the_kiesraad_tabulator(votes: list[int], seats: list[int]) -> None:
    # The Kiesraad's own tabulation software (kiesraad/abacus, backend/src/apportionment/seat_assignment.rs,
    # tests lt_19_seats) is the oracle here; each case's arithmetic is re-derived above from P 6 and P 8.
    names = [f"L{i}" for i in range(1, len(votes) + 1)]
    result = _count(KieswetTier(seats=15, residual_bar="none"), _nl(dict(zip(names, votes, strict=True))))
    assert [result.totals[n] for n in names] == seats


def test_list_exhaustion() -> None:
    # As the first case, but A has 8 candidates: it keeps 8 and the 3 seats left go by averages to the others
    # (P 10): B 3100/7 = 442.9, then B 3100/8 = 387.5 against C 375, then C 375 against B 344.4.
    result = _count(KieswetTier(seats=20), _nl(BASE, max_seats={"A": 8}))
    assert dict(result.totals) == {"A": 8, "B": 8, "C": 4, "D": 0}
    assert result.tiers[0].districts[0].exhausted == ("A",)  # type: ignore[attr-defined]


def test_list_combination_shares_by_the_group_quota() -> None:
    # C and D joined: 1900 votes, 3 whole quotas; the residual seat goes to the largest average, C+D 1900/4 =
    # 475 against A 454.5. The group's 4 seats by the groepskiesdeler 475: C 3 (surplus 75), D 0 (surplus
    # 400), the fourth to D.
    result = _count(KieswetTier(seats=20, combinations=[("C", "D")]), _nl(BASE))
    assert dict(result.totals) == {"A": 10, "B": 6, "C": 3, "D": 1}
    count = result.tiers[0].districts[0]
    assert dict(count.split["C + D"]) == {"C": 3, "D": 1}  # type: ignore[attr-defined]


def test_preference_votes_order_the_elected() -> None:
    # C's three seats (first case); the preference threshold is 25% of the kiesdeler, 125. c1 (1000) and c4
    # (300) reach it and are elected by their votes; the third seat follows the list order: c2. c5 (110) is
    # below the threshold.
    cands = [("c1", 1000), ("c2", 50), ("c3", 40), ("c4", 300), ("c5", 110)]
    returns = _nl(BASE, candidates=[systems.CandidateVotes(n, "C", v) for n, v in cands])
    count = _count(KieswetTier(seats=20), returns).tiers[0].districts[0]
    assert [c.candidate for c in count.elected] == ["c1", "c4", "c2"]
    assert count.preference_threshold == 125  # type: ignore[attr-defined]


def test_equal_averages_need_a_lot() -> None:
    # 3 seats, 300 votes, kiesdeler 100: A 150 and B 150 have one whole quota each and equal averages 75.
    with pytest.raises(CountError):
        _count(KieswetTier(seats=3), _nl({"A": 150, "B": 150}))
    drawn = _count(KieswetTier(seats=3, small=0), _nl({"A": 150, "B": 150}), seed=1)
    assert sorted(drawn.totals.values()) == [1, 2]
    assert drawn.tiers[0].districts[0].ties[0].by == "lot"


def test_the_kiesdeler_of_2021_is_the_published_one() -> None:
    # Kiesraad, official result of 26 March 2021: 10,422,852 valid votes for lists, kiesdeler 69,485 102/150.
    returns = _nl({"all lists": 10_422_852})
    count = systems.get("netherlands-tweede-kamer", year=2021).tabulate(returns).tiers[0].districts[0]
    assert count.quota == 69_485 + Fraction(102, 150)


def test_presets_by_year_and_json() -> None:
    nl = systems.get("netherlands-tweede-kamer", year=1994)
    assert nl.tiers[0].preference_share == Fraction(1, 2)  # type: ignore[union-attr]
    assert systems.get("netherlands-tweede-kamer", year=2023).tiers[0].preference_share == Fraction(1, 4)  # type: ignore[union-attr]
    assert systems.get("sweden-riksdag", year=2014).tiers[0].first_divisor == Fraction(7, 5)  # type: ignore[union-attr]
    assert systems.get("sweden-riksdag", year=2022).tiers[0].first_divisor == Fraction(6, 5)  # type: ignore[union-attr]
    for name in ("netherlands-tweede-kamer", "sweden-riksdag"):
        law = systems.get(name)
        assert systems.System.from_json(law.to_json()) == law
    with pytest.raises(OptionError):
        systems.get("sweden-riksdag", year=1990)
    data = systems.get("sweden-riksdag").to_dict()
    data["tiers"][0]["extra"] = 1
    with pytest.raises(FormatError, match="unknown field"):
        systems.System.from_json(data)


def test_a_user_system_with_a_combination_round_trips() -> None:
    law = systems.System("council", (KieswetTier("Gemeente", 9, "none", 19, True, [("C", "D")], Fraction(1, 2)),))
    again = systems.System.from_json(law.to_json())
    assert again == law
    assert again.tiers[0].combinations == (("C", "D"),)  # type: ignore[union-attr]


def test_bad_tiers_are_refused() -> None:
    with pytest.raises(OptionError):
        KieswetTier(seats=0)
    with pytest.raises(OptionError):
        KieswetTier(combinations=[("A", "B"), ("B", "C")])
    with pytest.raises(OptionError):
        RiksdagTier(first_divisor=Fraction(1, 2))
    with pytest.raises(OptionError):
        systems.System("two", (KieswetTier(), RiksdagTier()))


def _se(districts: dict[str, tuple[int, dict[str, int]]]) -> systems.Returns:
    return systems.Returns([systems.DistrictReturns(n, v, seats=s) for n, (s, v) in districts.items()])


def test_riksdag_2022_national_totals() -> None:
    votes = {
        "S": 1_964_474,
        "SD": 1_330_325,
        "M": 1_237_428,
        "V": 437_050,
        "C": 434_945,
        "KD": 345_712,
        "MP": 329_242,
        "L": 298_542,
    }
    # One constituency with all 310 fixed seats: the totals are the national share-out of 349 seats.
    result = _count(systems.get("sweden-riksdag", year=2022).tiers[0], _se({"Sverige": (310, votes)}))  # type: ignore[arg-type]
    assert dict(result.totals) == {"S": 107, "SD": 73, "M": 68, "V": 24, "C": 24, "KD": 19, "MP": 18, "L": 16}


def test_riksdag_fixed_and_adjustment_seats() -> None:
    # X (3 fixed seats): P 600, Q 300, R 60, T 40; Y (2): P 100, Q 310, R 200. National P 700, Q 610, R 260,
    # T 40 of 1610: T has 2.5% (< 4%) and 4% in X (< 12%), so takes no part.
    # Fixed, divisors 1.2, 3, 5: X: P 500, Q 250, P 200 -> P 2, Q 1; Y: Q 258.3, R 166.7 -> Q 1, R 1.
    # National 7 seats: P 583.3, Q 508.3, P 233.3, R 216.7, Q 203.3, P 140, Q 122 -> P 3, Q 3, R 1.
    # Adjustment: P 1 and Q 1. P's goes to X (600/5 = 120 against 100/1.2 = 83.3), Q's to Y (310/3 = 103.3
    # against 300/3 = 100).
    returns = _se({"X": (3, {"P": 600, "Q": 300, "R": 60, "T": 40}), "Y": (2, {"P": 100, "Q": 310, "R": 200})})
    result = _count(RiksdagTier(adjustment_seats=2), returns)
    assert dict(result.totals) == {"P": 3, "Q": 3, "R": 1, "T": 0}
    assert dict(result.seats) == {("X", "P"): 3, ("X", "Q"): 1, ("Y", "Q"): 2, ("Y", "R"): 1}
    adjustment = result.tiers[1]
    assert isinstance(adjustment, RiksdagCount)
    assert adjustment.order == (("P", "X"), ("Q", "Y"))
    assert dict(adjustment.adjustment) == {"P": 1, "Q": 1, "R": 0}
    assert "T" in result.tiers[0].districts[0].excluded


def test_riksdag_twelve_percent_in_a_constituency() -> None:
    # T has 40 of 1610 votes nationally (2.5%) but 40 of 250 in Z (16% >= 12%): it takes part in Z's fixed seat
    # share-out. Z (2): T 40/1.2 = 33.3, P 150/1.2 = 125, Q 60/1.2 = 50 -> P, then Q 50 against P 50 (150/3),
    # equal: P has more votes -> P 2. T wins nothing, but the check is recorded as passed.
    returns = _se({"X": (3, {"P": 600, "Q": 300}), "Z": (2, {"P": 150, "Q": 60, "T": 40})})
    result = _count(RiksdagTier(adjustment_seats=0), returns)
    z = result.tiers[0].districts[1]
    assert "T" in z.qualified
    assert z.ties[0].by == "more votes"


def test_riksdag_overhang_keeps_fixed_seats() -> None:
    # No adjustment seats. X (2): A 100, B 90 -> A 83.3, B 75 -> A 1, B 1. Y (2): A 10, B 90 -> B 2.
    # Fixed A 1, B 3. National 4 seats: A 110, B 180 -> B 150, A 91.7, B 60, A 36.7 -> A 2, B 2: B's 3 fixed
    # seats exceed its share, so B keeps them and A's share is worked out again over the 1 seat left: A 1.
    returns = _se({"X": (2, {"A": 100, "B": 90}), "Y": (2, {"A": 10, "B": 90})})
    result = _count(RiksdagTier(adjustment_seats=0), returns)
    assert dict(result.totals) == {"B": 3, "A": 1}
    assert result.tiers[1].overhang == ("B",)  # type: ignore[attr-defined]


def test_riksdag_needs_fixed_seats() -> None:
    with pytest.raises(Exception, match="fixed seats"):
        _count(RiksdagTier(), systems.Returns([systems.DistrictReturns("X", {"A": 1})]))
    assert attrs.evolve(RiksdagTier(), adjustment_seats=0).adjustment_seats == 0


def test_cli_counts_a_riksdag_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from electoral.cli import main

    # the hand-worked case of test_riksdag_fixed_and_adjustment_seats, as files
    votes = "district,party,votes\nX,P,600\nX,Q,300\nX,R,60\nX,T,40\nY,P,100\nY,Q,310\nY,R,200\n"
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    (tmp_path / "districts.csv").write_text("district,seats\nX,3\nY,2\n", encoding="utf-8")
    law = attrs.evolve(systems.get("sweden-riksdag"), tiers=(RiksdagTier(adjustment_seats=2),))
    (tmp_path / "law.json").write_text(law.to_json(), encoding="utf-8")
    assert main(["seats", str(tmp_path), "--system", str(tmp_path / "law.json"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"] == {"P": 3, "Q": 3, "R": 1, "T": 0}


def test_riksdag_thresholds_are_exact_at_the_boundary() -> None:
    # 2000 votes: C has 80, exactly 4%, and passes "at least 4%"; E has 60 (3%) nationally but 60 of Z's 500,
    # exactly 12%, and takes part in Z. One vote less each, and neither passes.
    def checks(c_votes: int, e_votes: int, b_z: int) -> dict[tuple[str, str], bool]:
        returns = _se({"X": (3, {"A": 800, "B": 620, "C": c_votes}), "Z": (1, {"A": 300, "B": b_z, "E": e_votes})})
        count = _count(RiksdagTier(adjustment_seats=1), returns)
        return {(c.party, c.area): c.passed for d in count.tiers[0].districts for c in d.checks}

    exact = checks(80, 60, 140)
    assert exact[("C", "*")]
    assert exact[("E", "Z")]
    assert not exact[("E", "*")]
    below = checks(79, 59, 141)  # C 79 of 2000; E 59 of 500
    assert not below[("C", "*")]
    assert not below[("E", "Z")]
