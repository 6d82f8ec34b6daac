"""The ``ers97`` preset: the Electoral Reform Society's rules, "How to conduct an election by the Single
Transferable Vote", 3rd edition (1997), section 5.

The booklet's worked example was not available offline, and no
implementation of these rules is published on PyPI (OpenSTV's ``ERS97STV``
is not a PyPI package), so there is no independent oracle here. The small
elections below are worked by hand from the rules' own paragraphs (cited at
each figure); the real elections check what the rules guarantee (every
vote accounted for in hundredths, the places filled, each winner at the
quota or the active-vote figure of 5.1.7(b)).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from electoral import Election, io
from electoral.rules import Stv
from electoral.rules._ranked._stv_ers97 import ers97_quota


@pytest.mark.parametrize(
    ("valid", "places", "quota"),
    [
        (100, 3, "25"),  # 100 / 4 = 25 exactly: that is the quota (5.1.6)
        (101, 3, "25.25"),  # exact to two decimals
        (102, 3, "25.50"),
        (10, 2, "3.34"),  # 3.333...: remainder ignored, 0.01 added
        (29_988, 3, "7497"),  # Dublin West 2002: 7,497 exactly (the Irish Act's quota is 7,498)
    ],
)
def test_quota_to_two_decimals(valid: int, places: int, quota: str) -> None:
    assert Fraction(ers97_quota(valid * 100, places), 100) == Fraction(quota)


def test_first_stage_surplus_moves_at_the_surplus_over_the_transferable_papers() -> None:
    # 16 votes, 2 places: quota 16 / 3 = 5.333... -> 5.34 (5.1.6). A has 8, a surplus of 2.66, not deferred
    # (it exceeds the 1 between D and B, 5.2.2). Transfer value 2.66 / 8 = 0.3325 -> 0.33 (5.3.7): B gets
    # 6 x 0.33 = 1.98, C 2 x 0.33 = 0.66, and 0.02 is the non-transferable difference (6.11).
    e = Election.from_rankings({"A>B": 6, "A>C": 2, "B": 3, "C": 3, "D": 2}, seats=2)
    result = Stv.preset("ers97").tabulate(e)
    first = result.rounds[0]
    assert first.quota == Fraction("5.34")
    assert [c.name for c in first.elected] == ["A"]
    moved = {(t.target.name if t.target else t.reason): t.votes for t in first.transfers}
    assert moved == {"B": Fraction("1.98"), "C": Fraction("0.66"), "non-transferable difference": Fraction("0.02")}
    second = result.rounds[1].tally
    assert {c.name: v for c, v in second.items()} == {
        "A": Fraction("5.34"),
        "B": Fraction("4.98"),
        "C": Fraction("3.66"),
        "D": 2,
    }
    # D is excluded (2 <= 3.66); then the active vote is 4.98 + 3.66 = 8.64, and B's 4.98 reaches
    # 8.64 / 2 = 4.32 (5.4.9 (b)): B is elected without the quota.
    assert [c.name for c in result.winners] == ["A", "B"]


def test_surplus_is_deferred_while_an_exclusion_is_safe_and_the_active_vote_elects() -> None:
    # 81 votes, 2 places: 81 / 3 = 27 exactly. A's surplus of 3 does not exceed 12 - 4 (D - E): deferred
    # (5.2.2), E excluded; then 3 does not exceed 15 - 12 (C - D): deferred again, D excluded, its papers
    # non-transferable. The active vote is B 24 + C 15 + A's surplus 3 = 42; B's 24 reaches 42 / 2 = 21.
    e = Election.from_rankings({"A>B": 30, "B": 20, "C": 15, "D": 12, "E>B": 4}, seats=2)
    result = Stv.preset("ers97").tabulate(e)
    assert result.rounds[0].quota == 27
    assert [[c.name for c in r.eliminated] for r in result.rounds] == [["E"], ["D"], []]
    assert all("surplus of A deferred (5.2.2)" in r.note for r in result.rounds[:2])
    assert [c.name for c in result.rounds[2].elected] == ["B"]
    assert result.rounds[2].tally[next(c for c in e.candidates if c.name == "B")] == 24


def test_exclusion_moves_batches_in_descending_order_of_value() -> None:
    # 35 votes, 2 places: 35 / 3 = 11.666... -> 11.67 (5.1.6). A (14) has a surplus of 2.33, not deferred:
    # it exceeds the 2 between C and E (5.2.2 (a)), and C + E with it (10.33) exceed D (5.2.2 (b)). From all
    # 14 papers: 2.33 / 14 = 0.1664 -> 0.16 a paper (5.3.7): C gets 10 x 0.16 = 1.60, B 4 x 0.16 = 0.64,
    # and 0.09 is the non-transferable difference. C (4.60) is then lowest and excluded alone (C + E = 9.60
    # exceeds D's 6), holding its own 3 papers (value 1) and A's 10 (value 0.16): they move to D as two
    # batches, value 1 first (5.4.1, 5.4.11), D having 9 and then 10.60. E (5) goes next, and B reaches
    # 7.64 + 5 = 12.64, over the quota.
    e = Election.from_rankings({"A>C>D": 10, "A>B": 4, "B": 7, "C>D": 3, "D": 6, "E>B": 5}, seats=2)
    result = Stv.preset("ers97").tabulate(e)
    assert result.rounds[0].quota == Fraction("11.67")
    a_moves = {(t.target.name if t.target else t.reason): t.votes for t in result.rounds[0].transfers}
    assert a_moves == {"C": Fraction("1.60"), "B": Fraction("0.64"), "non-transferable difference": Fraction("0.09")}
    batches = [r for r in result.rounds if "C excluded" in r.note]
    assert len(batches) == 2
    assert "papers of value 1 transferred" in batches[0].note
    assert "papers of value 0.16 transferred" in batches[1].note
    d = next(c for c in e.candidates if c.name == "D")
    assert [r.tally[d] for r in result.rounds[2:4]] == [9, Fraction("10.60")]
    assert [c.name for c in result.winners] == ["A", "B"]


def test_quota_is_reduced_by_non_transferable_papers_while_nobody_is_elected() -> None:
    # 20 votes, 2 places: 20 / 3 = 6.666... -> 6.67. E (2) is excluded and both its papers are
    # non-transferable; with nobody elected, 5.4.8 recalculates: 18 / 3 = 6 exactly.
    e = Election.from_rankings({"A": 6, "B": 5, "C>A": 4, "D": 3, "E": 2}, seats=2)
    result = Stv.preset("ers97").tabulate(e)
    assert result.rounds[0].quota == Fraction("6.67")
    assert result.rounds[1].quota == 6
    assert "quota reduced to 6 (5.4.8)" in result.rounds[0].note


def test_candidates_always_equal_at_the_cut_are_not_elected_at_that_stage() -> None:
    # 12 votes, 1 place: quota 6. A and B both reach it at the first stage with equal votes and no
    # earlier point where they differed, so neither is elected at that stage (5.6.2); the next stage
    # must exclude one of the two lowest, by lot (5.2.5), which leaves the other for the place (5.5.1).
    e = Election.from_rankings({"A": 6, "B": 6}, seats=1)
    result = Stv.preset("ers97", seed=3).tabulate(e)
    first, second = result.ties[:2]
    assert first.policy.startswith("ERS97 rules 5.6.2")
    assert first.chosen == ()
    assert (second.decision, second.policy) == ("exclude", "lot")
    assert result.winners == tuple(c for c in e.candidates if c not in second.chosen)
    assert Stv.preset("ers97").tabulate(e).status == "tied"  # lots need a seed


def _irish(shared_data: Path, number: int, seats: int) -> Election:
    return io.read(shared_data / "preflib/00001 - irish" / f"00001-0000000{number}.soi").with_seats(seats)


@pytest.mark.parametrize(("number", "seats"), [(1, 4), (2, 3), (3, 5)])
def test_real_counts_account_for_every_vote_and_fill_the_places(shared_data: Path, number: int, seats: int) -> None:
    election = _irish(shared_data, number, seats)
    result = Stv.preset("ers97", seed=1).tabulate(election)
    assert result.status == "decided"
    assert len(result.winners) == seats
    voters = sum(b.count for b in election.ballots)
    for round in result.rounds:
        assert round.ballots == voters
        assert all((Fraction(v) * 100).denominator == 1 for v in round.tally.values())  # hundredths only
    before: set[object] = set()
    for round in result.rounds:
        # the active vote (6.20): every vote not yet settled with an elected candidate's quota
        active = sum(v if c not in before else v - round.quota for c, v in round.tally.items())
        left = seats - len(before)
        for winner in round.elected:
            assert round.tally[winner] >= min(round.quota, Fraction(active, left + 1)) or "5.5.1" in round.note
        before.update(round.elected)


@pytest.mark.parametrize("preset", ["ers97", "ireland-dail"])
def test_sampled_scottish_wards_are_counted_to_the_end(shared_data: Path, preset: str) -> None:
    # both last-parcel counts (this one and ireland-dail), on every hundredth of the 1,100 council wards
    # (BLT files): the count ends with every place filled and every paper accounted for at every stage
    # (all 1,100 wards were run this way, for both presets, when this was written)
    files = sorted((shared_data / "scottish-council-stv/blt_files").glob("*/*.blt"), key=lambda p: p.name)[::100]
    assert len(files) >= 10
    for path in files:
        election = io.read(path)
        result = Stv.preset(preset, seed=1).tabulate(election)
        assert result.status == "decided", path.name
        assert len(result.winners) == election.seats, path.name
        voters = sum(b.count for b in election.ballots)
        assert all(r.ballots == voters for r in result.rounds), path.name
