"""Hostile AEC Senate formal preferences files: each is read exactly or refused with a FormatError naming the line.

The files are made up here (the AEC's column layout, see ``electoral.io._aec``); no published figure is used.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from electoral import io
from electoral.errors import FormatError

HEADER = "State,Division,Vote Collection Point Name,Vote Collection Point ID,Batch No,Paper No"
COLUMNS = "A:Party X,B:Party Y,A:SMITH John,A:JONES Ann,B:LEE Bo,B:KIM Di,UG:NG Al,UG:OH Su"


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "aec-senate-formalpreferences-test-ACT.csv"
    path.write_bytes(data)
    return path


def test_a_byte_order_mark_and_crlf_are_read(tmp_path: Path) -> None:
    # one paper above the line, A then B: A's two candidates, then B's (s 272)
    text = f"{HEADER},{COLUMNS}\r\nACT,Bean,X,1,1,1,1,2,,,,,,\r\n"
    election = io.read(_write(tmp_path, b"\xef\xbb\xbf" + text.encode()))  # detected through the BOM
    (ballot,) = election.ballots
    assert [c.name for (c,) in ballot.ranking] == ["SMITH John", "JONES Ann", "LEE Bo", "KIM Di"]
    assert election.seats == 2  # a territory


def test_a_million_columns_read_in_linear_time(tmp_path: Path) -> None:
    # 500,000 groups, each with one candidate below the line: the header was read in quadratic time
    # (each column looked up in a list of the groups; each group's candidates found by a scan of all)
    groups = 500_000
    header = ",".join(f"G{i}:P{i}" for i in range(groups)) + "," + ",".join(f"G{i}:C{i}" for i in range(groups))
    row = "ACT,Bean,X,1,1,1,1" + "," * (2 * groups - 1)  # one paper: a 1 above the line for G0
    start = time.perf_counter()
    election = io.read(_write(tmp_path, f"{HEADER},{header}\n{row}\n".encode()), format="aec-senate")
    spent = time.perf_counter() - start
    assert len(election.candidates) == groups
    (ballot,) = election.ballots
    assert [c.name for (c,) in ballot.ranking] == ["C0"]
    assert spent < 60, f"{spent:.1f} s"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("State,Div,Place,ID,Batch,Paper," + COLUMNS + "\n", "line 1: the header must begin State,Division"),
        (HEADER + "," + COLUMNS + "\nACT,Bean,X,1,1,1,1,2,,,,,,,,,\n", "line 2: the row has 17 fields, the header 14"),
        (HEADER + "," + COLUMNS + "\nACT,Bean,X\n", "line 2: the row has 3 fields, fewer than the 6"),
        (
            HEADER + "," + COLUMNS + f"\nACT,Bean,X,1,1,1,{10**30},2,,,,,,\n",
            f"line 2: column 7 'A:Party X': mark '{10**30}' is not a number of at most 6 digits",
        ),
        (HEADER + "," + COLUMNS + "\nACT,Bean,X,1,1,1,\uff11,2,,,,,,\n", "line 2: column 7"),
        (HEADER + "," + COLUMNS + "\n", "the file has no ballot papers"),
        (HEADER + "," + COLUMNS + "\nACT,Bean,X,1,1,1,2,3,,,,,,\n", "line 2: paper '1' of batch '1' is formal neither"),
    ],
)
def test_a_hostile_file_is_refused_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FormatError, match=message.replace("(", r"\(")):
        io.read(_write(tmp_path, text.encode()), format="aec-senate")
