"""RAIRE on hostile contests: a unanimous pair under ballot polling, and a ballot count no float holds."""

from __future__ import annotations

import math

import pytest

from electoral import Election
from electoral._model import MAX_VOTERS
from electoral.audit import asn, raire
from electoral.errors import AuditError, OptionError


def test_polling_a_pair_the_loser_has_no_vote_of() -> None:
    """BRAVO, l = 0: s = 1, l ln(2 - 2s) is 0 (its limit), so ASN = (ln(1/a) + ln(2)/2) / (w ln 2 / N)."""
    assert asn("polling", 1, 0, 1, risk_limit=0.05) == pytest.approx((math.log(20) + math.log(2) / 2) / math.log(2))
    found = raire(Election.from_rankings({"A>B": 1}), audit="polling")
    assert [(a.to_dict(), a.margin) for a in found.assertions] == [({"type": "NEB", "winner": "A", "loser": "B"}, 1)]


def test_a_ballot_count_beyond_what_the_library_counts_is_refused() -> None:
    election = Election.from_rankings({"A>B": 45, "B>C": 30, "C>A": 25})
    with pytest.raises(OptionError, match="ballots"):
        raire(election, ballots=10**400)
    with pytest.raises(OptionError, match="ballots"):
        raire(election, ballots=MAX_VOTERS)
    assert raire(election, ballots=MAX_VOTERS - 1).ballots == MAX_VOTERS - 1


def test_a_search_too_large_stops_with_an_audit_error() -> None:
    """Twelve candidates, first preferences 11, 10, ..., 10 in a cycle: the search must look past 50 suffixes.

    Each of the twelve orders of the cycle is a ballot; no NEB holds (every
    candidate is ranked first somewhere and last elsewhere), so only NEN
    assertions over longer and longer suffixes can settle the orders.
    """
    names = [f"c{i:02}" for i in range(12)]
    rankings = {">".join(names[i:] + names[:i]): 10 for i in range(12)}
    rankings[">".join(names)] += 1
    election = Election.from_rankings(rankings)
    with pytest.raises(AuditError, match="max_suffixes"):
        raire(election, winner="c00", max_suffixes=50)
    with pytest.raises(OptionError, match="max_suffixes"):
        raire(election, winner="c00", max_suffixes=0)
