"""The ``ireland-dail`` preset: the Electoral Act 1992 (Ireland), Part XIX, on the 2002 e-voting pilot ballots.

Published figures used here, and where they come from:

- valid poll and first preferences by party, Dublin North and Dublin West:
  "Appendix 1: Results of the General Election, 17 May 2002", Table A1
  (electorate, valid votes and first preference votes for each party), as
  reproduced at docslib.org/doc/11796311. Dublin North: valid 43,942; FF
  16,803, FG 5,189, Lab 6,359, Green 7,294, SF 1,350, others 6,947. Dublin
  West: valid 29,988; FF 10,386, FG 3,694, Lab 3,810, PD 2,370, Green 748,
  SF 2,404, others 6,576.
- the four TDs elected for Dublin North in 2002 (Trevor Sargent, Jim
  Glennon, G.V. Wright, Seán Ryan): The Irish Times, "Dublin North one of
  the most open contests" (2006), which names them as the four sitting TDs.
- Meath 2002 (5 seats): John Bruton (FG) held a seat until 2004 (Meath
  by-election 2005), Damien English was "the party's other TD in the
  five-seater constituency, with the remaining three seats held by Fianna
  Fáil" (Irish Examiner, 14 March 2005, "Fine Gael celebrates election
  triumph"); the three Fianna Fáil candidates on the 2002 ballot were
  Dempsey, Wallace and Brady.

The official count sheets (count by count) were not available offline, so
the later counts are checked against the Act's own arithmetic, not against
published figures; the 2002 counts sampled surpluses, so count-for-count
equality is not expected after the first surplus.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from electoral import Election, io
from electoral.rules import Stv

IRISH = "preflib/00001 - irish"


def _read(shared_data: Path, number: int) -> Election:
    return io.read(shared_data / IRISH / f"00001-0000000{number}.soi")


def _party(name: str) -> str:
    label = name.rsplit(" ", 1)[-1]
    return {"F.F.": "FF", "F.G.": "FG", "Lab": "Lab", "G.P.": "Green", "S.F.": "SF", "P.D.": "PD"}.get(label, "others")


@pytest.mark.parametrize(
    ("number", "seats", "valid", "parties"),
    [
        (1, 4, 43_942, {"FF": 16_803, "FG": 5_189, "Lab": 6_359, "Green": 7_294, "SF": 1_350, "others": 6_947}),
        (
            2,
            3,
            29_988,
            {"FF": 10_386, "FG": 3_694, "Lab": 3_810, "PD": 2_370, "Green": 748, "SF": 2_404, "others": 6_576},
        ),
    ],
)
def test_quota_and_first_count_match_the_published_returns(
    shared_data: Path, number: int, seats: int, valid: int, parties: dict[str, int]
) -> None:
    election = _read(shared_data, number).with_seats(seats)
    first = Stv.preset("ireland-dail", seed=1).tabulate(election).rounds[0]
    assert first.denominator == valid
    assert first.quota == valid // (seats + 1) + 1  # s. 120(1) on the published valid poll
    by_party: Counter[str] = Counter()
    for candidate, votes in first.tally.items():
        by_party[_party(candidate.name)] += int(votes)
    assert dict(by_party) == parties


@pytest.mark.parametrize(
    ("number", "seats", "winners"),
    [
        (1, 4, {"Trevor Sargent G.P.", "Jim Glennon F.F.", "G.V. Wright F.F.", "Sean Ryan Lab"}),
        (
            3,
            5,
            {"John Bruton F.G.", "Damien English F.G.", "Noel Dempsey F.F.", "Mary Wallace F.F.", "Johnny Brady F.F."},
        ),
    ],
)
@pytest.mark.parametrize("seed", [None, 1, 2002])
def test_the_published_winners_are_elected_whatever_the_sample(
    shared_data: Path, number: int, seats: int, winners: set[str], seed: int | None
) -> None:
    election = _read(shared_data, number).with_seats(seats)
    result = Stv.preset("ireland-dail", seed=seed).tabulate(election)
    assert result.status == "decided"
    assert {c.name for c in result.winners} == winners


@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_paper_is_accounted_for_at_every_count(shared_data: Path, number: int) -> None:
    election = _read(shared_data, number)
    result = Stv.preset("ireland-dail", seed=5).tabulate(election)
    voters = sum(b.count for b in election.ballots)
    for round in result.rounds:
        assert round.ballots == voters
        assert all(isinstance(v, int) for v in round.tally.values())  # whole papers only


def test_sampling_is_seeded_recorded_and_reproducible(shared_data: Path) -> None:
    election = _read(shared_data, 2).with_seats(3)
    one = Stv.preset("ireland-dail", seed=11).tabulate(election)
    again = Stv.preset("ireland-dail", seed=11).tabulate(election)
    other = Stv.preset("ireland-dail", seed=12).tabulate(election)
    assert [r.tally for r in one.rounds] == [r.tally for r in again.rounds]
    sampled = [r for r in one.rounds if "drawn from each sub-parcel" in r.note]
    assert sampled
    assert all("seed 11" in r.note for r in sampled)
    # Lenihan's first-count surplus (588 of 7,774 transferable papers) is a sample: the Act fixes how many
    # papers each sub-parcel gives, whatever papers the lot draws.
    lenihan = [
        list(r.transfers)
        for result in (one, other)
        for r in result.rounds
        if "surplus of Brian Lenihan F.F. (588) transferred" in r.note
    ]
    assert len(lenihan) == 2
    assert lenihan[0] == lenihan[1]
    assert sum(int(t.votes) for t in lenihan[0]) == 8_086 - 7_498


def _last_parcel_election() -> Election:
    # 100 papers, 3 seats: quota 26. A (40) is elected at once; B reaches the quota at count 3 with
    # the 12 papers C>B>D received on C's exclusion. B's own 24 papers say B>E.
    return Election.from_rankings({"A>D": 40, "B>E": 24, "C>B>D": 12, "C>E": 3, "D": 5, "E": 16}, seats=3)


def test_surplus_comes_from_the_last_sub_parcel_in_whole_papers() -> None:
    result = Stv.preset("ireland-dail").tabulate(_last_parcel_election())
    assert result.rounds[0].quota == 26  # s. 120: floor(100 / 4) + 1
    # B's surplus of 36 - 26 = 10 is taken only from the 12 papers last received, all next for D: so all
    # 10 go to D, although a transfer of all B's papers (inclusive Gregory) would send most to E.
    from_b = [t for r in result.rounds for t in r.transfers if t.source.name == "B"]
    assert [(t.target.name if t.target else None, t.votes) for t in from_b] == [("D", 10)]
    assert {c.name for c in result.winners} == {"A", "B", "D"}
    b_round = next(r for r in result.rounds if "surplus of B" in r.note)
    assert "received at count 3 (12 papers, 12 transferable)" in b_round.note
    for round in result.rounds:
        assert all(isinstance(v, int) for v in round.tally.values())


def test_lowest_candidates_are_excluded_together_when_they_cannot_overtake_the_next() -> None:
    # 100 papers, 2 seats, quota 34, nobody elected. F and G together (3 + 2 = 5) have fewer votes than
    # E (6); E, F and G (11) do not have fewer than D (11): the Act excludes F and G at one count.
    e = Election.from_rankings({"A": 30, "B": 28, "C": 20, "D": 11, "E>A": 6, "F>C": 3, "G>D": 2}, seats=2)
    result = Stv.preset("ireland-dail").tabulate(e)
    assert {c.name for c in result.rounds[0].eliminated} == {"F", "G"}
    assert {t.source.name for t in result.rounds[0].transfers} == {"F", "G"}


def test_a_surplus_that_cannot_change_the_next_step_is_deferred() -> None:
    # 81 papers, 2 seats: quota 28. A's surplus of 2 can neither bring B (20) to the quota, nor lift the
    # lowest, E (4), to D (12), nor carry anyone past a quarter of the quota (7): E is excluded first.
    e = Election.from_rankings({"A>B": 30, "B": 20, "C": 15, "D": 12, "E>B": 4}, seats=2)
    result = Stv.preset("ireland-dail").tabulate(e)
    first = result.rounds[0]
    assert first.quota == 28
    assert [c.name for c in first.elected] == ["A"]
    assert [c.name for c in first.eliminated] == ["E"]
    assert {t.source.name for t in first.transfers} == {"E"}
    assert "surplus of A deferred" in first.note


def test_equal_lowest_are_separated_by_the_earliest_count_then_lot() -> None:
    # C and D are level at the only count, and together (6) not below E (5): one is excluded by lot.
    e = Election.from_rankings({"A": 10, "B": 10, "C>A": 3, "D>B": 3, "E": 5}, seats=1)
    open_tie = Stv.preset("ireland-dail").tabulate(e)
    assert open_tie.status == "tied"  # the Act says lots; no seed was given
    drawn = Stv.preset("ireland-dail", seed=4).tabulate(e)
    assert drawn.status == "decided"
    assert [t.decision for t in drawn.ties][:1] == ["exclude"]


def test_presets_are_listed_with_their_statutes() -> None:
    assert "Electoral Act 1992" in Stv.presets()["ireland-dail"]
    rule = Stv.preset("ireland-dail")
    assert (rule.transfer, rule.quota, rule.whole_quota) == ("irish", "droop", True)


def test_equal_lowest_are_separated_by_their_original_votes() -> None:
    # 29 papers, 1 seat: quota 15. E (2) goes first (E + D = 5 is not fewer than C's 5), to D: C and D
    # then have 5 each. At the first count C had 5 and D 3, so D is excluded (the Act, no lot needed).
    e = Election.from_rankings({"A": 10, "B": 9, "C>B": 5, "D": 3, "E>D": 2}, seats=1)
    result = Stv.preset("ireland-dail").tabulate(e)
    assert [c.name for c in result.rounds[1].eliminated] == ["D"]
    (tie,) = result.ties
    assert tie.policy.startswith("Electoral Act 1992")
    assert [c.name for c in tie.chosen] == ["D"]


def test_equal_fractions_go_to_the_larger_sub_parcel_then_the_more_original_votes() -> None:
    # 13 papers, 2 seats: quota 5. A's surplus of 1 is owed to 4 transferable papers, 2 for B and 2 for C:
    # each share is 1/2, nothing whole. The fractions and the sub-parcels are equal; B had 3 original
    # votes and C 2, so B's sub-parcel gives the paper.
    e = Election.from_rankings({"A>B": 2, "A>C": 2, "A": 2, "B": 3, "C": 2, "D": 2}, seats=2)
    result = Stv.preset("ireland-dail").tabulate(e)
    assert result.rounds[0].quota == 5
    assert [(t.target.name if t.target else None, t.votes) for t in result.rounds[0].transfers] == [("B", 1)]
    tie = next(t for t in result.ties if t.decision == "largest fraction")
    assert [c.name for c in tie.chosen] == ["B"]
    assert "the more original votes" in tie.policy
