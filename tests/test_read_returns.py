"""read_returns: the parliaments layout, and every malformed file refused with its file and line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from electoral.errors import FormatError
from electoral.io import read_returns

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
PARLIAMENTS = ROOT / "data" / "parliaments"


def _folder(tmp_path: Path, **files: str) -> Path:
    base = {
        "votes.csv": "district,party,votes\nN,A,10\nN,B,5\nS,A,3\n",
        "districts.csv": "district,seats,region\nN,2,X\nS,1,X\n",
    }
    base.update({name.replace("_csv", ".csv"): text for name, text in files.items()})
    for name, text in base.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_layout(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        ballot_totals_csv="district,kind,label,votes\nN,blank,en blanco,2\nN,invalid,nulos,1\n",
        constituency_csv="district,party,candidate,votes\nN,A,Ann,7\n",
    )
    returns = read_returns(folder)
    north = returns["N"]
    assert (north.seats, north.region, north.blank, north.invalid) == (2, "X", 2, 1)
    assert (north.list_votes, north.valid, north.cast) == (15, 17, 18)
    assert north.candidates[0].candidate == "Ann"
    assert dict(returns.national_votes()) == {"A": 13, "B": 5}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"votes_csv": "district,party\nN,A\n"}, r"votes\.csv, line 1: the header has no 'votes' column"),
        ({"votes_csv": "district,party,votes\nN,A,1.5\n"}, r"votes\.csv, line 2: votes '1\.5' is not a whole number"),
        ({"votes_csv": "district,party,votes\nN,A,-1\n"}, r"line 2: votes '-1'"),
        ({"votes_csv": "district,party,votes\nN,A,1\nN,A,2\n"}, r"votes\.csv, line 3: list 'A' appears twice"),
        ({"votes_csv": "district,party,votes\nN,,1\n"}, r"line 2: the party is empty"),
        ({"votes_csv": "district,party,votes\nN,A,1,9\n"}, r"line 2: the row has 4 fields"),
        ({"districts_csv": "district,seats\nN,2\nN,3\n"}, r"districts\.csv, line 3: district 'N' appears twice"),
        ({"districts_csv": "district,seats\nN,x\n"}, r"districts\.csv, line 2: seats 'x'"),
        (
            {"ballot_totals_csv": "district,kind,label,votes\nZ,blank,b,1\n"},
            r"ballot_totals\.csv, line 2: district 'Z'",
        ),
        ({"ballot_totals_csv": "district,kind,label,votes\nN,spoilt,b,1\n"}, r"line 2: kind 'spoilt'"),
        ({"votes_csv": ""}, r"votes\.csv: the file is empty"),
        ({"votes_csv": 'district,party,votes\n"N,A,1\n'}, r"votes\.csv: malformed CSV"),
    ],
)
def test_bad_files_name_file_and_line(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(FormatError, match=message):
        read_returns(_folder(tmp_path, **files))


def test_missing_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text("district,party,votes\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"districts\.csv: the folder has no such file"):
        read_returns(tmp_path)
    with pytest.raises(FormatError):
        read_returns(tmp_path / "nowhere")


def test_every_shared_example_reads() -> None:
    if not PARLIAMENTS.is_dir():
        pytest.skip(f"parliament data not found at {PARLIAMENTS}; set ELECTORAL_SHARED to the shared folder")
    folders = [p for p in sorted(PARLIAMENTS.glob("*/*")) if (p / "votes.csv").is_file()]
    assert len(folders) >= 30
    for folder in folders:
        returns = read_returns(folder)
        assert returns.districts, folder.name
