"""Meek's method of STV, in exact integer arithmetic.

Every candidate has a keep factor: 1 while hopeful, 0 once excluded, and
for an elected candidate the share of each vote reaching them that they
keep. A ballot gives each candidate it ranks, in order, its remaining
weight times that candidate's keep factor, and passes the rest on; what
passes beyond its last preference is excess. The quota is ``(V - excess) /
(S + 1)`` for ``V`` valid votes and ``S`` seats, and a hopeful candidate with
more than the quota is elected. Keep factors are updated as ``k * quota /
votes`` (B. L. Meek, "Une nouvelle approche du scrutin transférable",
Mathématiques et sciences humaines 25, 1969; I. D. Hill, B. A. Wichmann and
D. R. Woodall, "Algorithm 123: Single Transferable Vote by Meek's method",
The Computer Journal 30, 1987).

Arithmetic and convergence, stated exactly:

- keep factors are held to 9 decimal places and rounded up (as the New
  Zealand Meek rules hold them), so every figure is an exact Fraction of
  integers and the iteration cannot stall on ever-growing denominators;
- votes and the quota are computed exactly from those keep factors;
- the iteration has converged when every elected candidate's votes are
  within ``meek_tolerance`` (default 1/10**6 of a vote) of the quota, or
  after 1,000 iterations (then the round's note says so);
- when no hopeful candidate exceeds the quota, the hopeful candidate with
  fewest votes is excluded (ties go to the rule's ``tie_break``).

A rank holding several candidates, or a candidate already ranked, is passed
over.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from electoral._arith import format_decimal, whole
from electoral._model import Candidate, Election
from electoral._profile._ranked import ranked_ballots
from electoral._result import Round
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_meek"]

BASE: Final = 10**9
MAX_ITERATIONS: Final = 1000
Votes = int | Fraction


def count_meek(rule: Stv, election: Election, count: Count) -> None:
    """Run Meek's method (see the module notes) on ``count``."""
    candidates = election.candidates
    n = len(candidates)
    ballots = ranked_ballots(election)
    ranks = np.where(ballots.repeats(), -1, ballots.ranks) if ballots.ranks.size else ballots.ranks
    counts = ballots.counts.astype(object)
    depth = ranks.shape[1]
    keep = [BASE] * n
    state = ["hopeful"] * n
    for name in rule.excluded:
        i = election.names.index(name)
        keep[i], state[i] = 0, "excluded"
    seats = election.seats
    tolerance = rule.meek_tolerance or Fraction(1, 10**6)
    valid_rows = (ranks >= 0).any(axis=1) if depth else np.zeros(len(counts), dtype=np.bool_)
    valid = int(ballots.counts[valid_rows].sum())
    blank = int(ballots.counts.sum()) - valid
    # Ballots that mark no single candidate are set aside once, as blank; they must not
    # also flow through the distribution and come out again as excess.
    counts = np.where(valid_rows, counts, 0) if len(counts) else counts
    history: list[Mapping[Candidate, Votes]] = []
    number = 0
    while True:
        number += 1
        if count.exploring:  # keep factors and states decide the rest (tie_break="all" explores each once)
            count.checkpoint((number, tuple(keep), tuple(state)))
        votes, excess, iterations = _converge(ranks, counts, keep, state, seats, valid, tolerance, depth)
        quota = (valid - excess) / (seats + 1)
        table = {candidates[i]: whole(votes[i]) for i in range(n) if state[i] != "excluded"}
        note = (
            f"quota {format_decimal(quota, 6)} votes (exactly {quota});"
            f" keep factors converged in {iterations} iteration(s)"
        )
        if iterations >= MAX_ITERATIONS:
            note += f" (stopped at the limit of {MAX_ITERATIONS})"
        held = sum(table.values(), Fraction(0))
        set_aside = set_aside_of({-5: blank}, election)
        if excess:
            set_aside["exhausted choices"] = whole(excess)
        count.add_round(
            Round(
                number=number,
                tally=table,
                ballots=whole(held + sum((Fraction(v) for v in set_aside.values()), Fraction(0))),
                continuing=whole(held),
                set_aside=set_aside,
                denominator=whole(valid - excess),
                basis="votes not in excess",
                threshold=Fraction(1, seats + 1),
                comparison="above",
                note=note,
                quota=quota,
            )
        )
        hopeful = [i for i in range(n) if state[i] == "hopeful"]
        winners = [i for i in hopeful if votes[i] > quota]
        elected_now = sum(1 for s in state if s == "elected")
        if winners:
            if len(winners) > seats - elected_now:
                tally = {candidates[i]: votes[i] for i in winners}
                top = count.top(tally, seats - elected_now, round=number, decision="elect", history=history)
                winners = [candidates.index(c) for c in top]
            for i in winners:
                state[i] = "elected"
            count.elect(*(candidates[i] for i in winners))
        hopeful = [i for i in range(n) if state[i] == "hopeful"]
        left = seats - sum(1 for s in state if s == "elected")
        if left <= 0 or not hopeful:
            break
        if len(hopeful) <= left:
            count.elect(*(candidates[i] for i in hopeful))
            break
        history.append(table)
        if winners:
            continue
        lowest = min(votes[i] for i in hopeful)
        level = [candidates[i] for i in hopeful if votes[i] == lowest]
        (loser,) = count.decide_tie(level, 1, round=number, decision="exclude", favour=False, history=history[:-1])
        i = candidates.index(loser)
        keep[i], state[i] = 0, "excluded"
        count.eliminate(loser)


def _converge(
    ranks: Any, counts: Any, keep: list[int], state: list[str], seats: int, valid: int, tolerance: Fraction, depth: int
) -> tuple[list[Fraction], Fraction, int]:
    """Iterate the keep factors of the elected; return votes, excess and the number of iterations."""
    iterations = 0
    while True:
        iterations += 1
        votes, excess = _distribute(ranks, counts, keep, depth)
        quota = (valid - excess) / (seats + 1)
        elected = [i for i, s in enumerate(state) if s == "elected"]
        if all(abs(votes[i] - quota) <= tolerance for i in elected) or iterations >= MAX_ITERATIONS or not elected:
            return votes, excess, iterations
        for i in elected:
            if votes[i]:
                exact = Fraction(keep[i]) * quota / votes[i]
                keep[i] = min(BASE, -((-exact.numerator) // exact.denominator))  # rounded up to 9 places


def _distribute(ranks: Any, counts: Any, keep: list[int], depth: int) -> tuple[list[Fraction], Fraction]:
    """Each candidate's exact votes, and the excess, for the given keep factors (in units of 10**-9).

    A ballot's weight is scaled by ``BASE`` per rank read, so every figure is an integer; a ballot
    whose weight has run out (it reached a hopeful candidate, who keeps everything) is dropped
    from the later ranks, so most ballots are read once.
    """
    n = len(keep)
    factors = np.array([*keep, 0], dtype=object)  # index -1 (empty or passed-over rank) keeps nothing
    rows = np.arange(len(counts))
    weight = counts.copy()  # scaled by BASE**column
    totals = np.zeros(n, dtype=object)
    excess = 0
    for column in range(depth):
        cell = ranks[rows, column]
        # Every negative code (an empty rank, or several candidates at one rank) reads the
        # trailing factor 0, so the ballot passes over that rank with its weight intact.
        k = factors[np.where(cell < 0, n, cell)]
        live = cell >= 0
        if live.any():
            # what each ballot gives the candidate at this rank, scaled to BASE**depth
            np.add.at(totals, cell[live], weight[live] * k[live] * BASE ** (depth - column - 1))
        weight = weight * (BASE - k)
        going = weight != 0
        rows, weight = rows[going], weight[going]
        if not len(rows):
            break
    if len(rows):
        excess = int(weight.sum()) * BASE ** (depth - column - 1) if depth else int(weight.sum())
    denominator = BASE**depth
    votes = [Fraction(int(t), denominator) for t in totals]
    return votes, Fraction(excess, denominator)
