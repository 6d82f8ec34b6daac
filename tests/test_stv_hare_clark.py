"""The Hare-Clark presets: ``hare-clark`` (Tasmania, Electoral Act 2004 Part 7) and ``hare-clark-act`` (ACT).

What is checked, and against what:

- No published Hare-Clark count with its ballot papers is reachable offline
  (Elections ACT publishes ballot-level data, but no copy is in the data
  folder or in the searchable corpora, and the network reaches package
  registries only), and no Hare-Clark counter is on PyPI to serve as an
  oracle. So no test here reproduces a published count.
- Two counts are worked by hand from the rules the presets cite (the
  comments give every figure): a later surplus moves the last parcel only,
  and the transfer value is capped at the value the parcel was received at.
- A second, deliberately naive implementation written here from the same
  rules (one Python object per ballot paper, no arrays and no shared code
  with the library) is compared with the library's count, count by count,
  on seeded random elections, in whole votes (Tasmania) and in votes to six
  decimal places (ACT).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from electoral import Election
from electoral.rules import Stv
from electoral.rules._ranked._stv_parcels import LOST_BY_FRACTION

NAMES = "ABCDEFGHIJ"


def _tallies(result: object) -> list[dict[str, object]]:
    return [{c.name: v for c, v in r.tally.items()} for r in result.rounds]  # type: ignore[attr-defined]


def test_a_later_surplus_moves_the_last_parcel_only() -> None:
    # 3 vacancies, 100 papers: quota 100 // 4 + 1 = 26.
    # Count 1: A 36 (surplus 10), C 20, D 18, B 14, E 12. A's papers (all A>C>D) go to C at 10/36: C + 10 = 30.
    # Count 2: C 30, elected, surplus 4. Hare-Clark moves only C's last parcel, the 36 papers from A, whose next
    # preference is D: transfer value 4 / 36 = 1/9 (below their 10/36), D + 36/9 = 4 -> 22. C's own 20
    # first preferences (C>B) stay. Under the Senate rule all 56 papers would move at 4/56: D + 36 * 4/56 = 2.57
    # -> 2 and B + 20 * 4/56 = 1.43 -> 1.
    ballots = {"A>C>D": 36, "C>B": 20, "B": 14, "D": 18, "E>D": 12}
    election = Election.from_rankings(ballots, seats=3)
    tas = _tallies(Stv.preset("hare-clark").tabulate(election))
    assert tas[1] == {"A": 26, "B": 14, "C": 30, "D": 18, "E": 12}
    assert tas[2] == {"A": 26, "B": 14, "C": 26, "D": 22, "E": 12}
    senate = _tallies(Stv.preset("australia-senate").tabulate(election))
    assert senate[2] == {"A": 26, "B": 15, "C": 26, "D": 20, "E": 12}


def test_the_transfer_value_is_capped_at_the_parcels_value() -> None:
    # 3 vacancies, 160 papers: quota 160 // 4 + 1 = 41 (B's 40 first preferences fall one short).
    # Count 1: A 60 (surplus 19): its 60 papers all show B next: transfer value 19/60, B 40 + 19 = 59.
    # Count 2: B elected, surplus 18. Last parcel: the 60 papers from A; 30 show C next (A>B>C), 30 none.
    # 18 / 30 = 0.6 is more than the 19/60 they came at, so they go at 19/60: C + 30 * 19/60 = 9.5.
    # Tasmania disregards the fraction (C + 9, 0.5 lost); the ACT keeps it (C + 9.5). The part of the surplus
    # no paper carries, 18 - 9.5 = 8.5, is exhausted. Count 3: C 35 + 9 = 44 (ACT 44.5): elected, the last one.
    ballots = {"A>B>C": 30, "A>B": 30, "B": 40, "C": 35, "D": 25}
    election = Election.from_rankings(ballots, seats=3)
    tas = Stv.preset("hare-clark").tabulate(election)
    act = Stv.preset("hare-clark-act").tabulate(election)
    assert _tallies(tas)[2]["C"] == 44
    assert _tallies(act)[2]["C"] == Fraction(89, 2)
    assert tas.rounds[2].set_aside["exhausted choices"] == Fraction(17, 2)
    assert act.rounds[2].set_aside["exhausted choices"] == Fraction(17, 2)
    assert tas.rounds[2].set_aside[LOST_BY_FRACTION] == Fraction(1, 2)
    assert LOST_BY_FRACTION not in act.rounds[2].set_aside
    assert [c.name for c in tas.winners] == [c.name for c in act.winners] == ["A", "B", "C"]
    # the Senate's rule moves all 100 of B's papers at 18/100: C + 30 * 0.18 = 5.4 -> 5
    assert _tallies(Stv.preset("australia-senate").tabulate(election))[2]["C"] == 40


class _Tie(Exception):
    pass


def _reference(ballots: dict[tuple[int, ...], int], n: int, seats: int, places: int) -> tuple[list[int], list[list]]:
    """Hare-Clark paper by paper: winners in order and each count's votes (None: excluded, no papers)."""

    def cut(votes: Fraction) -> Fraction:
        scale = 10**places
        return Fraction(votes.numerator * scale // votes.denominator, scale)

    papers = [ranking for ranking, count in ballots.items() for _ in range(count)]
    held: list[list[tuple[list[int], Fraction, Fraction]]] = [[] for _ in range(n)]  # (paper ids, value, votes)
    status = ["continuing"] * n

    def next_of(paper: int) -> int | None:
        return next((c for c in papers[paper] if status[c] == "continuing"), None)

    def give(ids: list[int], value: Fraction) -> None:
        by: dict[int, list[int]] = {}
        for p in ids:
            c = next_of(p)
            if c is not None:
                by.setdefault(c, []).append(p)
        for c, mine in by.items():
            held[c].append((mine, value, cut(len(mine) * value)))

    give(list(range(len(papers))), Fraction(1))
    quota = len(papers) // (seats + 1) + 1
    votes = [sum((v for _, _, v in held[c]), Fraction(0)) for c in range(n)]
    counts = []
    elected: list[int] = []
    surpluses: list[int] = []
    exclusion: list[tuple[int, Fraction]] = []
    settled: set[int] = set()  # elected, surplus transferred: they keep the quota
    while True:
        counts.append([votes[c] if status[c] != "excluded" or votes[c] else None for c in range(n)])
        reached = sorted(
            (c for c in range(n) if status[c] == "continuing" and votes[c] >= quota), key=lambda c: -votes[c]
        )
        if len({votes[c] for c in reached}) < len(reached):
            raise _Tie
        for c in reached[: seats - len(elected)]:
            status[c] = "elected"
            elected.append(c)
            if votes[c] > quota:
                surpluses.append(c)
        if len(elected) == seats:
            return elected, counts
        hopeful = [c for c in range(n) if status[c] == "continuing"]
        if not exclusion and not surpluses and len(hopeful) <= seats - len(elected):
            if len({votes[c] for c in hopeful}) < len(hopeful):
                raise _Tie
            return elected + sorted(hopeful, key=lambda c: -votes[c]), counts
        if exclusion:
            loser, value = exclusion.pop(0)
            moving = [bundle for bundle in held[loser] if bundle[1] == value]
            held[loser] = [bundle for bundle in held[loser] if bundle[1] != value]
            give([p for ids, _, _ in moving for p in ids], value)
        elif surpluses:
            winner = surpluses.pop(0)
            ids, value, _ = held[winner][-1]
            going = [p for p in ids if next_of(p) is not None]
            if going:
                give(going, min(Fraction(votes[winner] - quota, len(going)), value))
            held[winner] = []
            settled.add(winner)
        else:
            while not exclusion:
                hopeful = [c for c in range(n) if status[c] == "continuing"]
                if len(hopeful) <= seats - len(elected):
                    break
                low = min(votes[c] for c in hopeful)
                if [votes[c] for c in hopeful].count(low) > 1:
                    raise _Tie
                loser = next(c for c in hopeful if votes[c] == low)
                status[loser] = "excluded"
                exclusion.extend((loser, v) for v in sorted({b[1] for b in held[loser]}, reverse=True))
            if exclusion:
                loser, value = exclusion.pop(0)
                moving = [bundle for bundle in held[loser] if bundle[1] == value]
                held[loser] = [bundle for bundle in held[loser] if bundle[1] != value]
                give([p for ids, _, _ in moving for p in ids], value)
        votes = [Fraction(quota) if c in settled else sum((v for _, _, v in held[c]), Fraction(0)) for c in range(n)]


@pytest.mark.parametrize(("preset", "places"), [("hare-clark", 0), ("hare-clark-act", 6)])
def test_the_count_agrees_with_a_paper_by_paper_count(preset: str, places: int) -> None:
    compared = 0
    for seed in range(250):
        rng = random.Random(seed)
        n = rng.randint(3, 8)
        seats = rng.randint(1, min(4, n - 1))
        ballots: dict[tuple[int, ...], int] = {}
        for _ in range(rng.randint(4, 25)):
            ranking = tuple(rng.sample(range(n), rng.randint(1, n)))
            ballots[ranking] = ballots.get(ranking, 0) + rng.randint(1, 40)
        try:
            winners, counts = _reference(ballots, n, seats, places)
        except _Tie:
            continue
        election = Election.from_rankings(
            {">".join(NAMES[i] for i in b): c for b, c in ballots.items()}, candidates=list(NAMES[:n]), seats=seats
        )
        result = Stv.preset(preset).tabulate(election)
        if result.ties:  # a tie the reference does not break (it stops at any equal votes)
            continue
        assert [c.name for c in result.winners] == [NAMES[i] for i in winners], seed
        mine = [[r.tally.get(c) for c in election.candidates] for r in result.rounds]
        assert mine == counts[: len(mine)], seed
        compared += 1
    assert compared > 120, compared


def test_presets_differ_in_decimal_places_only() -> None:
    tas, act = Stv.preset("hare-clark"), Stv.preset("hare-clark-act")
    assert (tas.transfer, act.transfer) == ("hare-clark", "hare-clark")
    assert (tas.decimal_places, act.decimal_places) == (0, 6)
    assert tas.with_options(decimal_places=6) == act.with_options(preset_name="hare-clark")
    assert "Part 7" in Stv.presets()["hare-clark"]
    assert "Schedule 4" in Stv.presets()["hare-clark-act"]


@pytest.mark.parametrize("preset", ["australia-senate", "hare-clark", "hare-clark-act"])
def test_every_count_accounts_for_every_paper(preset: str) -> None:
    for seed in range(60):
        rng = random.Random(1000 + seed)
        n = rng.randint(2, 8)
        seats = rng.randint(1, n)
        ballots = {
            ">".join(rng.sample(NAMES[:n], rng.randint(1, n))): rng.randint(1, 30) for _ in range(rng.randint(1, 15))
        }
        election = Election.from_rankings(ballots, candidates=list(NAMES[:n]), seats=seats)
        result = Stv.preset(preset, seed=seed).tabulate(election)
        papers = sum(ballots.values())
        for r in result.rounds:
            assert r.ballots == papers, (seed, r.number)
            assert all(v >= 0 for v in r.tally.values()), (seed, r.number)
        assert len(result.winners) == seats, seed
        assert len(set(result.winners)) == seats, seed
