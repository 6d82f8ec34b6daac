"""The comparison audit step on a real contest: Maine's 2nd congressional district, November 2018.

The CVRs are the Maine Secretary of State's (see the shared data README). Maine's rules: an overvote
exhausts the ballot, two skipped ranks in a row exhaust it (``max_skipped_ranks=1``). The official
rounds (Secretary of State, RCV tabulation, 2018-11-15; also checked in ``test_io_ess_headers``) are
round 1: Poliquin 134,184, Golden 132,013, Bond 16,552, Hoar 6,875; round 2: Golden 142,440,
Poliquin 138,931. The assertions' margins in ballots must be those differences.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction
from pathlib import Path

import pytest

from electoral import Ballot, io
from electoral.audit import OptimalComparison, comparison_audit

POLIQUIN, GOLDEN, BOND, HOAR = "REP Poliquin, Bruce", "DEM Golden, Jared F.", "Bond, Tiffany L.", "Hoar, William R.S."
MAINE_OPTIONS = {
    "candidates": [POLIQUIN, GOLDEN, BOND, HOAR],
    "aliases": {f"{POLIQUIN} (5931)": POLIQUIN, f"{GOLDEN} (5471)": GOLDEN},
    "overvote_label": "overvote",
    "skipped_label": "undervote",
}
ASSERTIONS = [
    # the last round, and round 1's order of the two leaders (true in the official count)
    {"type": "NEN", "winner": GOLDEN, "loser": POLIQUIN, "continuing": [GOLDEN, POLIQUIN]},
    {"type": "NEN", "winner": POLIQUIN, "loser": GOLDEN, "continuing": [POLIQUIN, GOLDEN, BOND, HOAR]},
    {"type": "NEB", "winner": GOLDEN, "loser": HOAR},
]


@pytest.fixture(scope="module")
def cvrs(shared_data: Path) -> dict[str, object]:
    election = io.read(shared_data / "maine-2018-cd2", **MAINE_OPTIONS)
    records: dict[str, object] = {}
    for ballot in election.ballots:
        card = Ballot(ballot.ranking)  # a record is one ballot: the unique ballot's marks, with count 1
        for _ in range(ballot.count):
            records[f"card-{len(records)}"] = card
    assert len(records) == 296_077
    return records


@pytest.mark.slow
def test_maine_margins_are_the_official_round_differences(cvrs: dict[str, object]) -> None:
    ids = random.Random(2018).sample(list(cvrs), 1500)
    sample = [(k, cvrs[k]) for k in ids]
    audit = comparison_audit(ASSERTIONS, cvrs, sample, max_skipped_ranks=1, estimator=OptimalComparison())
    last, first, _ = audit.assertions
    assert last.margin_ballots == 142_440 - 138_931
    assert first.margin_ballots == 134_184 - 132_013
    assert last.margin == Fraction(3_509, 296_077)
    # with accurate CVRs every comparison value is 1 / (2 - v) = u / 2 and mu_j stays near 1/2, so a bet near u
    # grows T by about u a draw: it needs about ln(20) / ln(u) draws, the least any ALPHA bet can need
    least = math.log(20) / math.log(float(last.upper_bound))
    assert last.stopped_at is not None
    assert abs(last.stopped_at - least) <= 2
    assert audit.confirmed


@pytest.mark.slow
def test_maine_one_flipped_paper_ballot(cvrs: dict[str, object]) -> None:
    ids = random.Random(2018).sample(list(cvrs), 1500)
    clean = comparison_audit(
        ASSERTIONS, cvrs, [(k, cvrs[k]) for k in ids], max_skipped_ranks=1, estimator=OptimalComparison()
    )
    # an early card whose CVR puts Golden first turns out, on paper, to be a vote for Poliquin alone
    flipped = next(k for k in ids[:50] if str(cvrs[k]).startswith('"DEM Golden'))
    sample = [(k, [POLIQUIN] if k == flipped else cvrs[k]) for k in ids]
    dirty = comparison_audit(ASSERTIONS, cvrs, sample, max_skipped_ranks=1, estimator=OptimalComparison())
    # the last round: a two-vote overstatement, which costs more than the rest of the sample wins back
    assert dirty.assertions[0].overstatements.count(1) == 1
    assert dirty.assertions[0].risk > clean.assertions[0].risk
    # round 1 (Poliquin over Golden): the same card is an understatement there, so the risk falls
    assert dirty.assertions[1].overstatements.count(-1) == 1
    assert dirty.assertions[1].risk < clean.assertions[1].risk


@pytest.mark.slow
def test_shrink_trunc_is_slower_on_accurate_cvrs(cvrs: dict[str, object]) -> None:
    # SHANGRLA's shrink-trunc (the default) learns that the mean is u / 2, where its bet grows T by far less
    # than u a draw; the fixed bet near u does better when the CVRs are accurate
    ids = random.Random(2018).sample(list(cvrs), 1500)
    sample = [(k, cvrs[k]) for k in ids]
    (shrink,) = comparison_audit(ASSERTIONS[:1], cvrs, sample, max_skipped_ranks=1).assertions
    (fixed,) = comparison_audit(
        ASSERTIONS[:1], cvrs, sample, max_skipped_ranks=1, estimator=OptimalComparison()
    ).assertions
    assert shrink.test is not None
    assert all(after < before for before, after in itertools.pairwise(shrink.test.history))
    assert shrink.risk > fixed.risk
