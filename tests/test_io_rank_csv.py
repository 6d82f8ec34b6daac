"""The rank-column CSV reader, on Portland 2024's condensed records and on hostile input.

Portland's files carry no official results (the data README says so), so
the real-data checks compare the reader with independent counts: the
ballots the data README gives (42,871 and 84,515), first preferences counted
here with the csv module, and the same ballots written in RCTab's generic
CSV layout and read by that reader.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import electoral
from electoral import io
from electoral.errors import FormatError
from electoral.io._formats import detect

PORTLAND = {"Portland_D1_Condensed.csv": 42_871, "Portland_D3_Condensed.csv": 84_515}


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    return rows[0], rows[1:]


@pytest.mark.parametrize("name", sorted(PORTLAND))
def test_portland_is_detected_and_read_whole(shared_data: Path, name: str) -> None:
    path = shared_data / "portland-2024" / name
    assert detect(path, folder=False, head=lambda: path.read_bytes()[:4096]) == "rank-csv"
    election = io.read(path, seats=3)
    assert election.cast == PORTLAND[name]
    assert "skipped" not in election.names
    assert "Precinct" not in election.names
    # first preferences, counted here: the first rank that is not "skipped"
    _, rows = _rows(path)
    first = Counter(next((cell for cell in row[1:] if cell != "skipped"), None) for row in rows)
    first.pop(None, None)
    result = electoral.tabulate(election, "stv", transfer="gregory", tie_break="lot", seed=1)
    assert {c.name: int(v) for c, v in result.rounds[0].tally.items()} == dict(first)


def test_portland_reads_as_the_same_ballots_in_rctabs_generic_csv(shared_data: Path, tmp_path: Path) -> None:
    # the generic CSV holds one column per candidate and the rank in the cell: a ballot that ranks one
    # candidate twice cannot be written there, so both files hold the ballots that do not
    header, rows = _rows(shared_data / "portland-2024" / "Portland_D1_Condensed.csv")
    kept = []
    for row in rows:
        named = [cell for cell in row[1:] if cell != "skipped"]
        if len(named) == len(set(named)):
            kept.append(row)
    assert len(kept) > 40_000
    names = sorted({cell for row in kept for cell in row[1:]} - {"skipped"})
    ranked = tmp_path / "ranked.csv"
    generic = tmp_path / "generic.csv"
    with ranked.open("w", newline="") as out:
        csv.writer(out).writerows([header, *kept])
    with generic.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Precinct", *names])
        for row in kept:
            rank_of = {cell: str(rank) for rank, cell in enumerate(row[1:], start=1) if cell != "skipped"}
            writer.writerow([row[0], *(rank_of.get(name, "") for name in names)])
    by_rank = io.read(ranked, candidates=names)
    by_candidate = io.read(generic, first_column=2, candidates=names)
    assert by_rank == by_candidate


def test_explicit_columns_win_and_a_weight_column_counts(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("id,Count,rank1,rank2,rank3\n1,3,A,B,skipped\n2,2,B,,\n3,1,overvote,A,\n")
    election = io.read(path, weight="Count")
    assert election.cast == 6
    # an overvote marks every candidate at its rank
    assert sorted((str(b), b.count) for b in election.ballots) == [("A=B>A", 1), ("A>B", 3), ("B", 2)]
    only_second = io.read(path, first_column=4, ranks=1)
    assert sorted(str(b) for b in only_second.ballots) == ["", "A", "B"]
    with pytest.raises(FormatError, match=r"line 1: weight 'Votes': no column of the header has that name"):
        io.read(path, weight="Votes")
    path.write_text("id,Count,rank1\n1,x,A\n")
    with pytest.raises(FormatError, match=r"w.csv, line 2: column 2 'Count': weight 'x' is not a whole number"):
        io.read(path, weight="Count", format="rank-csv")


def test_an_ambiguous_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,rank1,rank2,rank1\n1,A,B,C\n")
    with pytest.raises(FormatError) as caught:
        io.read(path, format="rank-csv")
    message = str(caught.value)
    assert message.startswith(
        f"{path}: row 1: the header is ambiguous: 2 runs of rank columns,"
        " columns 2 'rank1' to 3 'rank2' and column 4 'rank1'"
    )
    assert "pass first_column= (and ranks=)" in message
    path.write_text("Precinct,Name\n1,A\n")
    with pytest.raises(
        FormatError, match=r"row 1: no column's header names rank 1 .* the columns are 1 'Precinct', 2 'Name'"
    ):
        io.read(path, format="rank-csv")


def test_an_unknown_name_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("rank1,rank2\nA,B\nA,Zed\n")
    with pytest.raises(FormatError, match=r"x.csv: line 3: unknown candidate code 'Zed'"):
        io.read(path, candidates=["A", "B"])


HOSTILE = {
    "a huge cell": ("rank1,rank2\n" + "A" * 300_000 + ",B\n").encode(),
    "a million columns": ("rank1," + "," * 1_000_000 + "\n").encode(),
    "a million fields in a row": ("rank1,rank2\n" + "," * 1_000_000 + "\n").encode(),
    "a row of one long line": b"rank1\n" + b"A" * (3 << 20),
    "bad UTF-8": b"rank1,rank2\nA,B\nA,\xff\xfe\n",
    "a NUL byte": b"rank1,rank2\nA,B\x00\n",
    "a quoted field that never ends": b'rank1\n"' + b"A," * 200_000,
}
EXPECTED = {
    "a huge cell": "field larger than field limit",
    "a million columns": "line 1: the header has 1,000,002 columns, more than 16,384",
    "a million fields in a row": "line 2: the row has 1,000,001 fields, the header 2",
    "a row of one long line": "line 2: a row longer than",
    "bad UTF-8": "line 3: the line is not UTF-8 text",
    "a NUL byte": "line 2: the line holds a NUL character",
    "a quoted field that never ends": "field larger than field limit",
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_one_line_error_in_bounded_time(tmp_path: Path, case: str) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(HOSTILE[case])
    start = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        io.read(path, format="rank-csv")
    assert time.perf_counter() - start < 10
    message = str(caught.value)
    assert "\n" not in message
    assert len(message) <= 700
    assert message.startswith(str(path))
    assert EXPECTED[case] in message, message


def test_memory_stays_bounded_on_a_big_file(tmp_path: Path) -> None:
    # 2 million ballots (about 40 MB) of few distinct rankings: the reader keeps the distinct ones only
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write("id,rank1,rank2,rank3\n")
        for start in range(0, 2_000_000, 100_000):
            out.write("".join(f"{i},A,B,C\n" if i % 3 else f"{i},B,skipped,A\n" for i in range(start, start + 100_000)))
    script = (
        "import resource, sys\nfrom electoral import io\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "e = io.read(sys.argv[1])\n"
        "print(e.cast, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    cast, grown_kib = map(int, done.stdout.split())
    assert cast == 2_000_000
    assert grown_kib < 40_000, f"{grown_kib:,} KiB for a 40 MB file"


# the winners Multnomah County's Elections Division certified for the 5 November 2024 general election
# (Portland City Council, three seats a district); the data folder holds no official round figures
PORTLAND_WINNERS = {
    "Portland_D1_Condensed.csv": {"Candace Avalos", "Loretta Smith", "Jamie Dunphy"},
    "Portland_D3_Condensed.csv": {"Steve Novick", "Tiffany Koyama Lane", "Angelita Morillo"},
}


@pytest.mark.parametrize("name", sorted(PORTLAND_WINNERS))
def test_portland_elects_the_certified_winners(shared_data: Path, name: str) -> None:
    path = shared_data / "portland-2024" / name
    election = io.read(path, seats=3, undeclared_write_in="Uncertified Write In")
    # Portland adopted STV by charter amendment (Measure 26-228, 2022): counted here with a Droop quota and
    # fractional (Gregory) surplus transfers; a tie for exclusion along the way is drawn by lot
    result = electoral.tabulate(election, "stv", transfer="gregory", tie_break="lot", seed=1)
    assert {c.name for c in result.winners} == PORTLAND_WINNERS[name]
