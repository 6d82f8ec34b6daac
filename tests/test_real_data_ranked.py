"""Ranked-choice counts of real elections from the shared data (PrefLib and the Scottish BLT files)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import Election
from electoral.io._blt import read_blt
from electoral.io._preflib import read_preflib
from electoral.rules import InstantRunoff, Stv

SCOTLAND = Stv.preset("scotland")


def test_burlington_2009_elects_kiss(shared_data: Path) -> None:
    """Burlington, Vermont, mayor 2009 (instant-runoff): Bob Kiss won the final round with 4,313 votes
    to Kurt Wright's 4,061 (City of Burlington, certified results of the 3 March 2009 election).
    PrefLib's cleaned copy gives Kiss the same 4,313 and Wright one vote fewer."""
    election = read_preflib(shared_data / "preflib" / "00005 - burlington" / "00005-00000002.toi")
    result = InstantRunoff().tabulate(election)
    assert result.winner is not None
    assert result.winner.name == "Bob Kiss"
    final = {c.name: v for c, v in result.rounds[-1].tally.items()}
    assert final["Bob Kiss"] == 4313
    assert abs(final["Kurt Wright"] - 4061) <= 1


def _blt_name(name: str) -> str:
    # The Glasgow 2007 BLT files carry PrefLib header text as names: "# ALTERNATIVE NAME 7: Craig Mackay (SNP)".
    match = re.fullmatch(r"# ALTERNATIVE NAME \d+: (.*) \([^)]*\)", name)
    return match.group(1) if match else name


def test_glasgow_2007_two_transcriptions_elect_the_same_councillors(shared_data: Path) -> None:
    """Glasgow City Council 2007: PrefLib's 21 wards and the Scottish BLT collection's copies of the same
    wards, counted under the Scottish rules, elect the same councillors in the same order."""
    blt_folder = shared_data / "scottish-council-stv" / "blt_files"
    pairs = 0
    for path in sorted((shared_data / "preflib" / "00008 - glasgow").glob("*.soi")):
        pref = read_preflib(path)
        ward = pref.title.removeprefix("2007 Scotland ").removesuffix(" Ward")
        key = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", ward).lower()
        found = list(blt_folder.glob(f"*/glasgow_2007_{key}.blt"))
        if not found:
            continue
        blt = read_blt(found[0])
        from_pref = [c.name for c in SCOTLAND.tabulate(pref.with_seats(blt.seats)).winners]
        from_blt = [_blt_name(c.name) for c in SCOTLAND.tabulate(blt).winners]
        assert from_pref == from_blt, ward
        pairs += 1
    assert pairs >= 18


def _check_invariants(election: Election) -> None:
    result = SCOTLAND.tabulate(election)
    assert result.status == "decided"
    assert len(result.winners) == election.seats
    quota = result.rounds[0].threshold * Fraction(result.rounds[0].denominator)  # type: ignore[operator]
    assert quota == result.rounds[0].continuing // (election.seats + 1) + 1  # valid first preferences
    elected: set[object] = set()
    for r in result.rounds:
        assert Fraction(r.ballots) == election.cast
        hopeful = [c for c in r.tally if c not in elected]
        for winner in r.elected:
            assert r.tally[winner] >= quota or len(hopeful) <= election.seats - len(elected)
        elected.update(r.elected)


def test_scottish_wards_sample_keep_the_invariants(shared_data: Path) -> None:
    """Every twentieth Scottish ward (of 1,100): seats filled, quota by SSI 2007/42 Sch. 1 r. 46, every
    ballot accounted for each stage, and every winner reached the quota or filled the last seats."""
    files = sorted((shared_data / "scottish-council-stv" / "blt_files").glob("*/*.blt"))
    assert len(files) == 1100
    for path in files[::20]:
        _check_invariants(read_blt(path))


@pytest.mark.parametrize("name", ["00018-00000001.soi", "00018-00000002.soi"])
def test_minneapolis_2009_multi_seat_counts_complete(shared_data: Path, name: str) -> None:
    """Minneapolis 2009 multi-seat contests: the RCTab-style count fills the seats and conserves ballots."""
    path = shared_data / "preflib" / "00018 - minneapolis" / name
    if not path.exists():
        pytest.skip(f"{path} is not in the shared data")
    election = read_preflib(path).with_seats(3)
    rule = Stv(transfer="rctab", decimal_places=4, tie_break="candidate-order")
    result = rule.tabulate(election)
    assert len(result.winners) == 3
    for r in result.rounds:
        assert Fraction(r.ballots) == election.cast
