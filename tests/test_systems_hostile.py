"""Hostile systems and returns: a house too large to count seat by seat, and JSON the decoder cannot take."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from electoral.cli import main
from electoral.errors import CountError, FormatError
from electoral.io import read_returns
from electoral.systems import DistrictReturns, DistrictTier, KieswetTier, Method, Returns, RiksdagTier, System
from electoral.systems import get as preset


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    """A count that would run for ever fails here instead (the suite has no timeout plugin)."""

    def stop(*_: object) -> None:
        raise AssertionError("the count did not end within 20 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


VOTES = "district,party,votes\nA,x,100\nA,y,50\nB,x,10\nB,y,20\n"


def _folder(tmp_path: Path, districts: str, votes: str = VOTES) -> Path:
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    (tmp_path / "districts.csv").write_text(districts, encoding="utf-8")
    return tmp_path


def test_a_magnitude_of_a_billion_seats_is_refused_not_allocated(tmp_path: Path) -> None:
    """Every seat's quotient is recorded, so 10**9 seats would mean 10**9 records: the count refuses them."""
    returns = read_returns(_folder(tmp_path, "district,seats\nA,1000000000\nB,3\n"))
    with pytest.raises(CountError, match="1000000003 seats"):
        preset("spain-congreso").tabulate(returns)


@pytest.mark.parametrize(
    "tier",
    [
        {"kind": "districts", "name": "t", "magnitudes": {"A": 10**9, "B": 1}},
        {"kind": "bundestag", "name": "b", "seats": 10**9},
    ],
)
def test_a_system_json_of_a_billion_seats_exits_2(
    tmp_path: Path, tier: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, "district,seats\nA,5\nB,3\n")
    (tmp_path / "law.json").write_text(json.dumps({"name": "huge", "tiers": [tier]}), encoding="utf-8")
    assert main(["seats", str(folder), "--system", str(tmp_path / "law.json")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "seats" in captured.err


@pytest.mark.parametrize("kind", ["levelling", "mixed-member"])
def test_a_compensation_tier_of_a_billion_seats_is_refused(tmp_path: Path, kind: str) -> None:
    returns = read_returns(_folder(tmp_path, "district,seats\nA,5\nB,3\n*,\n", VOTES + "*,x,110\n*,y,70\n"))
    law = {"name": "huge", "tiers": [{"kind": "districts", "name": "t"}, {"kind": kind, "name": "l", "total": 10**9}]}
    with pytest.raises(CountError, match="seats"):
        System.from_json(json.dumps(law)).tabulate(returns)


def test_the_largest_house_counted_is_counted(tmp_path: Path) -> None:
    """The bound is not below real houses: 99 999 seats in one district count (D'Hondt on votes 2:1: exactly 2:1)."""
    returns = read_returns(_folder(tmp_path, "district,seats\nA,99999\n", "district,party,votes\nA,x,2\nA,y,1\n"))
    result = System("big", (DistrictTier("t", Method("divisor", "dhondt")),)).tabulate(returns)
    assert dict(result.totals) == {"x": 66666, "y": 33333}


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "u", "tiers": [' + "[" * 100_000 + "]" * 100_000 + "]}",
        '{"name": "u", "tiers": [{"kind": "districts", "name": "t", "magnitudes": {"A": 1' + "0" * 5000 + "}}]}",
    ],
    ids=["nested-100000-deep", "an-int-of-5001-digits"],
)
def test_json_the_decoder_refuses_is_a_format_error(text: str) -> None:
    with pytest.raises(FormatError, match="not JSON"):
        System.from_json(text)


def test_a_tie_without_a_seed_names_the_district(tmp_path: Path) -> None:
    """One seat, two lists of 10 votes: the lot needs a seed, and the message says where (not a function's repr)."""
    returns = read_returns(
        _folder(tmp_path, "district,seats\nMadrid,1\n", "district,party,votes\nMadrid,x,10\nMadrid,y,10\n")
    )
    with pytest.raises(CountError) as raised:
        preset("spain-congreso").tabulate(returns)
    assert str(raised.value).startswith("district 'Madrid': 'x', 'y' are tied")


def test_a_candidate_named_twice_in_a_district_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "district,seats\nA,2\n", "district,party,votes,candidate\nA,x,5,c\nA,y,7,d\nA,x,5,c\n")
    with pytest.raises(FormatError, match=r"votes\.csv, line 4: candidate 'c' of 'x' appears twice in 'A'"):
        read_returns(folder)
    (tmp_path / "votes.csv").write_text(VOTES, encoding="utf-8")
    (tmp_path / "constituency.csv").write_text("district,party,candidate,votes\nA,x,c,5\nA,x,c,6\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"constituency\.csv, line 3: candidate 'c' of 'x' appears twice in 'A'"):
        read_returns(folder)


def test_a_bad_system_file_is_named_in_the_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, "district,seats\nA,5\nB,3\n")
    law = tmp_path / "law.json"
    law.write_text(json.dumps({"name": "u", "tiers": [{"kind": "districts", "name": "t", "method": []}]}), "utf-8")
    assert main(["seats", str(folder), "--system", str(law)]) == 2
    assert capsys.readouterr().err == f"electoral: error: {law}: a method must be an object, not []\n"
    law.write_text("{", "utf-8")
    assert main(["seats", str(folder), "--system", str(law)]) == 2
    assert capsys.readouterr().err.startswith(f"electoral: error: {law}: not JSON")


def test_many_side_by_side_tiers_count_in_linear_time() -> None:
    """10 000 one-district tiers over 10 000 districts: each tier looks up its own districts, not all of them."""
    n = 10_000
    returns = Returns(tuple(DistrictReturns(f"d{i}", {"x": 5, "y": 3}) for i in range(n)))
    tiers = tuple(DistrictTier(f"t{i}", Method("divisor", "dhondt"), (), {f"d{i}": 1}) for i in range(n))
    result = System("side-by-side", tiers).tabulate(returns)
    assert dict(result.totals) == {"x": n, "y": 0}
    assert returns["d9999"].votes["x"] == 5


@pytest.mark.parametrize(
    "tier",
    [KieswetTier(seats=10**9), RiksdagTier(adjustment_seats=10**9)],
    ids=["kieswet", "riksdag"],
)
def test_a_whole_election_tier_of_a_billion_seats_is_refused_before_counting(tier: object) -> None:
    returns = Returns([DistrictReturns("N", {"A": 5, "B": 3})])
    with pytest.raises(CountError, match="1000000000 seats"):
        System("x", (tier,)).tabulate(returns)  # type: ignore[arg-type]
