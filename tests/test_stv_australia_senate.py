"""The ``australia-senate`` preset (Commonwealth Electoral Act 1918 s 273) and the AEC formal preferences reader.

What is checked, and against what:

- No AEC formal preferences file and no AEC distribution of preferences is
  reachable offline (the data folder has none, and the network reaches
  package registries only), so no test here reproduces a published Senate
  count. The count is compared instead, count by count, with dividebatur
  0.11.0 (PyPI; Grahame Bowland's Senate counter, whose post-2015 mode its
  author checked against the AEC's published 2016 distributions of
  preferences), on seeded random elections: the votes of every candidate at
  every count, the exhausted votes, the votes gained or lost by fraction,
  and the order of election.
- The quota and the transfer value are checked on small counts worked by
  hand from the words of s 273(8) and s 273(9)-(10), as the comments show.
- The reader is checked on files written in the AEC's published column
  layout (the header fields as the AEC names them); the rows are made up
  for the test, not taken from an AEC file, since none is available.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import Election, io
from electoral.errors import FormatError
from electoral.rules import Stv
from electoral.rules._ranked._stv_parcels import LOST_BY_FRACTION

NAMES = "ABCDEFGHIJ"


def _random_election(seed: int) -> tuple[dict[tuple[int, ...], int], int, int]:
    rng = random.Random(seed)
    n = rng.randint(3, 9)
    seats = rng.randint(1, min(5, n - 1))
    ballots: dict[tuple[int, ...], int] = {}
    for _ in range(rng.randint(5, 40)):
        ranking = tuple(rng.sample(range(n), rng.randint(1, n)))
        ballots[ranking] = ballots.get(ranking, 0) + rng.randint(1, 60)
    return ballots, n, seats


def _dividebatur(ballots: dict[tuple[int, ...], int], n: int, seats: int) -> object | None:
    """dividebatur's count, or None where it asks the returning officer (a tie) or stops short."""
    counter = pytest.importorskip("dividebatur.counter")
    results = pytest.importorskip("dividebatur.results")

    class Record(results.BaseResults):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self.elected: list[int] = []
            self.rounds: list[object] = []
            self.exact = False

        def candidate_aggregates(self, aggregates: object) -> None:
            self.rounds.append(aggregates)

        def candidate_elected(self, elected: object) -> None:
            self.elected.append(elected.candidate_id)  # type: ignore[attr-defined]
            self.exact |= elected.excess_votes == 0  # type: ignore[attr-defined]

        def round_begin(self, *args: object) -> None: ...
        def round_complete(self) -> None: ...
        def exclusion_distribution_performed(self, *args: object) -> None: ...
        def election_distribution_performed(self, *args: object) -> None: ...
        def candidates_excluded(self, *args: object) -> None: ...
        def provision_used(self, *args: object) -> None: ...
        def started(self, *args: object) -> None: ...
        def finished(self) -> None: ...

    class Asked(Exception):
        pass

    def ask(*args: object) -> int:
        raise Asked

    papers = counter.PapersForCount()
    for ranking, count in ballots.items():
        papers.add_ticket(ranking, count)
    record = Record()
    try:
        counter.SenateCounter(record, seats, papers, ask, ask, ask, list(range(n)), lambda c: c, True).run()
    except (Asked, ValueError):  # a tie for the returning officer; or no candidate left to exclude
        return None
    # dividebatur moves the papers of a candidate elected with exactly a quota at value 0 (a count with no
    # surplus); s 273(9) transfers a surplus, and this count moves nothing then: those counts are left out
    return None if record.exact else record


def _distinct(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [row for k, row in enumerate(rows) if k == 0 or rows[k - 1] != row]


def test_the_count_agrees_with_dividebatur_count_by_count() -> None:
    compared = 0
    for seed in range(300):
        ballots, n, seats = _random_election(seed)
        theirs = _dividebatur(ballots, n, seats)
        if theirs is None:
            continue
        election = Election.from_rankings(
            {">".join(NAMES[i] for i in b): c for b, c in ballots.items()}, candidates=list(NAMES[:n]), seats=seats
        )
        result = Stv.preset("australia-senate").tabulate(election)
        assert result.status == "decided", seed
        assert [c.name for c in result.winners] == [NAMES[i] for i in theirs.elected], seed  # type: ignore[attr-defined]
        mine = [
            (
                tuple(r.tally.get(c, 0) for c in election.candidates),
                r.set_aside.get("exhausted choices", 0),
                r.set_aside.get(LOST_BY_FRACTION, 0),
            )
            for r in result.rounds
        ]
        other = [
            (
                tuple(a.candidate_votes[i] for i in range(n)),
                a.exhausted_votes,
                a.gain_loss_votes,
            )
            for a in theirs.rounds  # type: ignore[attr-defined]
        ]
        # dividebatur adds a count for a candidate left holding no papers; only distinct states are compared
        assert _distinct(mine) == _distinct(other)[: len(_distinct(mine))], seed
        compared += 1
    assert compared > 200


def test_a_larger_count_agrees_with_dividebatur() -> None:
    # 25 candidates, about 240,000 papers in up to 6,000 kinds: every count as dividebatur's
    rng = random.Random(2016)
    n, seats = 25, 6
    popularity = [rng.random() ** 3 + 0.02 for _ in range(n)]
    ballots: dict[tuple[int, ...], int] = {}
    for _ in range(6000):
        ranking: list[int] = []
        while len(ranking) < rng.randint(1, 12):
            choice = rng.choices(range(n), popularity)[0]
            if choice not in ranking:
                ranking.append(choice)
        ballots[tuple(ranking)] = ballots.get(tuple(ranking), 0) + rng.randint(1, 80)
    theirs = _dividebatur(ballots, n, seats)
    assert theirs is not None  # no tie for the returning officer in this draw
    names = [f"C{i:02d}" for i in range(n)]
    election = Election.from_rankings(
        {">".join(names[i] for i in b): c for b, c in ballots.items()}, candidates=names, seats=seats
    )
    result = Stv.preset("australia-senate").tabulate(election)
    assert [c.name for c in result.winners] == [names[i] for i in theirs.elected]  # type: ignore[attr-defined]
    mine = [tuple(r.tally.get(c, 0) for c in election.candidates) for r in result.rounds]
    other = [tuple(a.candidate_votes[i] for i in range(n)) for a in theirs.rounds]  # type: ignore[attr-defined]
    assert len(_distinct(mine)) > 15
    assert _distinct(mine) == _distinct(other)[: len(_distinct(mine))]


def test_quota_s_273_8() -> None:
    # s 273(8): 1,000 first preferences, 6 vacancies: 1000 / 7 = 142.86, fraction disregarded, plus 1 = 143
    ballots = {"A": 400, "B": 200, "C": 150, "D": 100, "E": 80, "F": 40, "G": 30}
    result = Stv.preset("australia-senate").tabulate(Election.from_rankings(ballots, seats=6))
    assert result.rounds[0].quota == 143


def test_surplus_transfer_value_counts_papers_not_their_values() -> None:
    # 2 vacancies, 90 papers: quota 90 // 3 + 1 = 31.
    # Count 1: A 40 (surplus 9), B 20, C 18, D 12. TV = 9 / 40; A's papers go on to B (24) and D (16):
    # B gets 24 * 9/40 = 5.4 -> 5, D gets 16 * 9/40 = 3.6 -> 3 (s 273(9): fraction disregarded); 1 lost.
    # Count 2: B 25, C 18, D 15 (3 continuing for 1 vacancy): D excluded; its papers at value 1 go first
    # (s 273(13)): 12 papers to B, B = 37, elected at count 3; the vacancies are filled and the count ends
    # before D's papers at 9/40 are transferred.
    ballots = {"A>B": 24, "A>D>B": 16, "B": 20, "C": 18, "D>B": 12}
    result = Stv.preset("australia-senate").tabulate(Election.from_rankings(ballots, seats=2))
    first, second, third = ({c.name: v for c, v in r.tally.items()} for r in result.rounds)
    assert first == {"A": 40, "B": 20, "C": 18, "D": 12}
    assert second == {"A": 31, "B": 25, "C": 18, "D": 3 + 12}
    assert result.rounds[1].set_aside[LOST_BY_FRACTION] == 1
    assert third == {"A": 31, "B": 37, "C": 18, "D": 3}
    assert [c.name for c in result.winners] == ["A", "B"]
    assert "transfer value 1 transferred" in result.rounds[1].note
    # s 273(9): the transfer value is surplus / papers, whatever the papers' values when received
    assert "transfer value 0.225" in result.rounds[0].note


def test_two_candidates_for_the_last_vacancy_s_273_17() -> None:
    # one vacancy, 100 papers: quota 100 // 2 + 1 = 51, which nobody reaches. C (15) is excluded and its
    # papers exhaust; then two continue for the one vacancy: the one with more votes, A, is elected (s 273(17))
    ballots = {"A": 45, "B": 40, "C": 15}
    result = Stv.preset("australia-senate").tabulate(Election.from_rankings(ballots, seats=1))
    assert [c.name for c in result.winners] == ["A"]
    assert "two candidates left" in result.rounds[-1].note
    assert result.rounds[-1].tally[result.election.candidates[1]] == 40


def test_equal_votes_at_an_exclusion_go_to_the_earlier_counts_then_the_lot() -> None:
    # 1 vacancy, 100 papers, quota 51.
    # Count 1: A 40, B 20, C 16, D 14, E 10: E excluded, its papers exhaust.
    # Count 2: A 40, B 20, C 16, D 14: D excluded; 4 papers to C: C 20 = B 20, 10 exhaust.
    # Count 3: B and C are equal; at the last count at which they were unequal (count 2: B 20, C 16) C had
    # fewer, so C is excluded (the tie is recorded, settled by the earlier counts).
    ballots = {"A": 40, "B": 20, "C": 16, "D>C": 4, "D": 10, "E": 10}
    result = Stv.preset("australia-senate").tabulate(Election.from_rankings(ballots, seats=1))
    assert result.status == "decided"
    excluded = [c.name for r in result.rounds for c in r.eliminated]
    assert excluded[:3] == ["E", "D", "C"]
    (tie,) = result.ties
    assert {c.name for c in tie.candidates} == {"B", "C"}
    assert tie.policy.startswith("previous-rounds")
    assert [c.name for c in tie.chosen] == ["C"]
    # D and E equal at the first count, with no earlier count: the lot decides; with no seed the count stops
    even = {"A": 40, "B": 20, "C": 20, "D": 10, "E": 10}
    assert Stv.preset("australia-senate").tabulate(Election.from_rankings(even, seats=1)).status == "tied"


def test_preset_options_and_citation() -> None:
    rule = Stv.preset("australia-senate")
    assert (rule.transfer, rule.decimal_places, rule.quota, rule.whole_quota) == ("senate", 0, "droop", True)
    assert "s 273" in Stv.presets()["australia-senate"]


# -- the AEC's formal preferences reader -------------------------------------------------

HEADER = (
    "State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No,"
    "A:Party One,B:Party Two,A:ALPHA Ann,A:ABLE Abe,B:BRAVO Bea,B:BAKER Bob,UG:UNGROUPED Una,UG:UNGROUPED Ugo"
)


def _file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "aec-senate-formalpreferences-00000-ACT.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_reader_expands_above_the_line_and_prefers_a_formal_vote_below(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "ACT,Bean,Belconnen,101,1,1,1,2,,,,,,",  # above: A then B (s 272: each group's candidates in order)
        "ACT,Bean,Belconnen,101,1,2,*,,,,,,,",  # a tick above the line is a 1
        "ACT,Bean,Belconnen,101,1,3,1,,6,5,4,3,2,1",  # 1-6 below: below the line counts
        "ACT,Bean,Belconnen,101,1,4,,1,1,2,3,4,5,5",  # below breaks at the repeated 5 (only 1-4): above counts
        "ACT,Bean,Belconnen,101,1,5,,,1,2,3,4,5,6",
    )
    election = io.read(path)  # detected by its header
    assert election.seats == 2
    assert election.title == "Senate ACT"
    assert [(c.name, c.party) for c in election.candidates][:3] == [
        ("ALPHA Ann", "Party One"),
        ("ABLE Abe", "Party One"),
        ("BRAVO Bea", "Party Two"),
    ]
    assert election.candidates[4].party is None
    got = {str(b): b.count for b in election.ballots}
    assert got == {
        "ALPHA Ann>ABLE Abe>BRAVO Bea>BAKER Bob": 1,
        "ALPHA Ann>ABLE Abe": 1,
        "UNGROUPED Ugo>UNGROUPED Una>BAKER Bob>BRAVO Bea>ABLE Abe>ALPHA Ann": 1,
        "BRAVO Bea>BAKER Bob": 1,
        "ALPHA Ann>ABLE Abe>BRAVO Bea>BAKER Bob>UNGROUPED Una>UNGROUPED Ugo": 1,
    }
    # 5 papers, quota 2: ALPHA Ann (3 first preferences) and, by lot among the equal, one more
    result = Stv.preset("australia-senate", seed=1).tabulate(election)
    assert len(result.winners) == 2
    assert result.winners[0].name == "ALPHA Ann"


def test_reader_accepts_the_2016_dashes_row_and_a_state(tmp_path: Path) -> None:
    path = _file(tmp_path, "------,------,---,---,---,---", "NSW,Banks,Pre-Poll,7,2,9,1,,,,,,,")
    election = io.read(path, format="aec-senate")
    assert election.seats == 6
    assert [str(b) for b in election.ballots] == ["ALPHA Ann>ABLE Abe"]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (("ACT,Bean,B,1,1,1,2,,,,,,,",), HEADER, "formal neither above the line"),
        (("ACT,Bean,B,1,1,1,x,,,,,,,",), HEADER, "mark 'x' is not a number"),
        (("ACT,Bean,B,1,1,1,1,,,,,,,", "VIC,Bean,B,1,1,2,1,,,,,,,"), HEADER, "State 'VIC' in a file of ACT"),
        (("XYZ,Bean,B,1,1,1,1,,,,,,,",), HEADER, "not an Australian state"),
        (("ACT,Bean,B,1,1,1,1,,,,,,,,,",), HEADER, "the row has 16 fields"),
        ((), HEADER, "no ballot papers"),
        (("ACT,Bean,B",), HEADER, "the row has 3 fields, fewer than the 6"),
        (("ACT,Bean,B,1,1,1,1",), "State,Division,Booth,Id,Batch,Paper,A:X,A:Y", "the header must begin"),
        (
            ("ACT,Bean,B,1,1,1,1",),
            "State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No,A:X,A:Y,C:Z",
            "group 'C' has no square above the line",
        ),
        (
            ("ACT,Bean,B,1,1,1,1",),
            "State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No,A:X,A:Y,A:Y",
            "has two columns",
        ),
        (
            ("ACT,Bean,B,1,1,1,1",),
            "State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No,A:X,B:W,A:Y",
            "group 'B' has no candidate below the line",
        ),
    ],
)
def test_reader_errors_name_the_file_and_row(tmp_path: Path, rows: tuple[str, ...], header: str, message: str) -> None:
    path = _file(tmp_path, *rows, header=header)
    with pytest.raises(FormatError, match=message) as caught:
        io.read(path, format="aec-senate")
    assert str(path) in str(caught.value)


def test_reader_reads_the_zip_the_aec_publishes(tmp_path: Path) -> None:
    import zipfile

    csv_file = _file(tmp_path, "ACT,Bean,Belconnen,101,1,1,1,2,,,,,,")
    archive = tmp_path / "aec-senate-formalpreferences-00000-ACT.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(csv_file, csv_file.name)
    assert io.read(archive, format="aec-senate") == io.read(csv_file)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("readme.txt", "no ballots")
    with pytest.raises(FormatError, match=r"must hold one \.csv file, not 0"):
        io.read(empty, format="aec-senate")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(FormatError, match="not a readable zip archive"):
        io.read(broken, format="aec-senate")


def test_formats_lists_the_reader() -> None:
    from electoral.io._formats import BY_NAME

    described = BY_NAME["aec-senate"].describe()
    assert described["kind"] == "election"
    assert described["detected_by_content"]


def test_transfer_values_are_exact_fractions_in_the_notes() -> None:
    # the transfer value itself is not rounded (only the votes are): 9/40 stays 9/40 = 0.225
    ballots = {"A>B": 24, "A>D>B": 16, "B": 20, "C": 18, "D>B": 12}
    result = Stv.preset("australia-senate").tabulate(Election.from_rankings(ballots, seats=2))
    moved = {t.target.name: t.votes for t in result.rounds[0].transfers if t.target is not None}
    assert moved == {"B": int(24 * Fraction(9, 40)), "D": int(16 * Fraction(9, 40))}
