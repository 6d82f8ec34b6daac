"""New Zealand's Meek count: the Local Electoral Regulations 2001 (SR 2001/145), Schedule 1A, Part 1.

The Schedule ("New Zealand method of counting single transferable votes",
inserted from 1 January 2004 by the Local Electoral Amendment Regulations
2003, SR 2003/391) is Meek's method with its own fixed-point arithmetic.
Every figure is held as an integer number of units of 10**-9 (a vote is
10**9 units); nothing is a float and no exact Fraction enters the count.
The steps, by clause:

- clause 5 (step 1), and clause 11 each iteration after: the quota is
  ``q = (v - vnt) / (n + 1) + 0.000000001``, truncated to 9 decimal digits,
  for ``v`` valid voting documents, ``vnt`` non-transferable votes and ``n``
  vacancies;
- clauses 6 and 12: a hopeful candidate whose votes equal or exceed the
  quota becomes successful;
- clauses 7 to 9 (step 2): keep values are 1 for hopeful candidates, 0 for
  excluded ones, and ``q / vc`` for a successful one; clause 17 (step 3, every
  later iteration): ``kc = q * kc / vc``, the product ``q * kc`` truncated to
  9 digits and rounded up if not exact before the division, and ``kc``
  truncated to 9 digits and rounded up if not exact, with ``q`` and ``vc``
  (the candidate's votes) those of the iteration before;
- clause 10: each voting document gives its m-th preference
  ``(1 - k1)(1 - k2)...(1 - k[m-1]) * km`` of a vote, "the product of each
  multiplication on the right hand side of the equation ... calculated to 9
  decimal digits after the point and rounded up if not exact": the weight a
  document passes on and the share each candidate keeps are each rounded up
  to 9 places, rank by rank. What is left after the last preference is
  non-transferable; ``vnt`` is ``v`` less the votes the candidates hold, so
  that the rounding up (which can give a document slightly more than one
  vote in all) enters the quota as it enters the tallies;
- clause 13: the hopeful candidate with the least votes is excluded if the
  sum of their votes and the total surplus (the successful candidates'
  votes above the quota, each counted from zero) is less than the votes of
  every other hopeful candidate, or if the total surplus is less than
  0.0001;
- clause 3: counting is complete when the successful candidates fill the
  vacancies, or when the successful and hopeful candidates together no more
  than fill them (the hopeful then become successful);
- clause 19 (ties for exclusion): the Ahead At First Difference method
  (clause 40): at the earliest iteration at which the tied candidates'
  votes differ, the candidates who did not have more votes than another tied
  candidate stay tied, the others are safe; one left is excluded, and
  several are decided by the rule's ``tie_break``. The Schedule draws the
  Pseudo Random Number of clauses 41 to 48 there; this count draws the
  library's seeded lot instead (preset ``tie_break="lot"``) and records it.

Each iteration of clauses 7 to 13 is one round, numbered as the Schedule's
iterations are (step 1 is iteration 1). The Schedule has no separate test of
convergence: the keep values are recalculated every iteration, and clause
13's 0.0001 of total surplus is the tolerance at which the lowest hopeful
candidate is excluded.

Not in the Schedule's text as read here, and stated so in the round notes:
a keep value that would pass 1 is held at 1 (it could only arise from a
successful candidate's votes falling below the quota); if an iteration's
keep values are those of one of the two iterations before and it elects
nobody, the lowest hopeful candidate is excluded as for clause 13 (the
count would otherwise repeat for ever, as it does when the 9-place rounding
holds the total surplus at or just above 0.0001; clause 23 of the Schedule
deals with such exceptional cases in words not reproduced here); and more candidates successful than vacancies, which
the quota's extra 10**-9 excludes within one iteration, are cut to the
vacancies by votes. The Part 3 rules that recognise preferences are those of
the library's ranked rules: a rank holding several candidates, or a
candidate already ranked, is passed over.

The count that the New Zealand "STV calculator" performs is reported to
differ from the Schedule in places (clause 10's rounding, exclusions at
iteration 1, the pseudo-random numbers); this module follows the Schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from electoral._arith import exact_sum_by, whole
from electoral._model import Candidate, Election
from electoral._profile._ranked import ranked_ballots
from electoral._result import Round
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["ONE", "count_nz_meek", "nz_allocate", "nz_keep_value", "nz_quota"]

#: one vote, in the Schedule's units of 10**-9
ONE: Final = 10**9
#: clause 13: a total surplus below 0.0001 of a vote
SURPLUS_LIMIT: Final = ONE // 10**4
#: a guard against a count that cannot end (never reached by a count that follows the Schedule)
MAX_ITERATIONS: Final = 10_000


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def nz_quota(valid: int, non_transferable: int, vacancies: int) -> int:
    """Clause 5: ``(v - vnt) / (n + 1) + 0.000000001``, truncated to 9 digits (units of 10**-9).

    ``valid`` is in voting documents; ``non_transferable`` in units.

    >>> nz_quota(100, 0, 2)  # 33.333333333 + 0.000000001
    33333333334
    """
    return (valid * ONE - non_transferable) // (vacancies + 1) + 1


def nz_keep_value(keep: int, quota: int, votes: int) -> int:
    """Clause 17 (and clause 7, with ``keep`` 1): ``q * kc / vc``, each step rounded up to 9 digits.

    >>> nz_keep_value(ONE, 2 * ONE, 3 * ONE)  # 2/3 = 0.666666666..., rounded up
    666666667
    """
    product = _ceil_div(quota * keep, ONE)
    return min(ONE, _ceil_div(product * ONE, votes)) if votes > 0 else ONE


def nz_allocate(ranks: Any, counts: Any, keep: list[int]) -> tuple[list[int], int]:
    """Clause 10: each candidate's votes and the votes given in all, in units, for the keep values ``keep``.

    Unique ballots are rows of ``ranks`` (candidate indices, negative for a
    rank passed over) with multiplicities ``counts``. A ballot's weight
    starts at one vote; at each rank the candidate gets ``weight * k``
    rounded up and the weight becomes ``weight * (1 - k)`` rounded up.
    """
    n = len(keep)
    factors = np.array([*keep, 0], dtype=np.int64)  # index n: a rank passed over keeps nothing
    totals = np.zeros(n, dtype=object)
    rows = np.arange(len(counts))
    weight = np.full(len(counts), ONE, dtype=np.int64)
    wide = bool(len(counts)) and int(counts.max()) * ONE >= 2**62
    for column in range(ranks.shape[1]):
        if not len(rows):
            break
        cell = ranks[rows, column]
        k = factors[np.where(cell < 0, n, cell)]
        gives = -((-(weight * k)) // ONE)  # weight and k are at most 10**9: the product fits int64
        live = (cell >= 0) & (gives > 0)
        if live.any():
            many = counts[rows[live]]
            amounts = many.astype(object) * gives[live].astype(object) if wide else many * gives[live]
            totals = totals + exact_sum_by(cell[live], amounts, n).astype(object)
        weight = -((-(weight * (ONE - k))) // ONE)
        going = weight != 0
        rows, weight = rows[going], weight[going]
    votes = [int(t) for t in totals]
    return votes, sum(votes)


def count_nz_meek(rule: Stv, election: Election, count: Count) -> None:
    """Run Schedule 1A's count (see the module notes) on ``count``."""
    candidates = election.candidates
    n = len(candidates)
    ballots = ranked_ballots(election)
    ranks = np.where(ballots.repeats(), -1, ballots.ranks) if ballots.ranks.size else ballots.ranks
    valid_rows = (ranks >= 0).any(axis=1) if ranks.shape[1] else np.zeros(len(ballots.counts), dtype=np.bool_)
    counts = np.where(valid_rows, ballots.counts, 0).astype(np.int64) if len(ballots.counts) else ballots.counts
    valid = int(ballots.counts[valid_rows].sum())
    blank = int(ballots.counts.sum()) - valid
    seats = election.seats
    state = ["hopeful"] * n
    for name in rule.excluded:
        state[election.names.index(name)] = "excluded"
    keep = [0 if s == "excluded" else ONE for s in state]
    history: list[Mapping[Candidate, int | Fraction]] = []
    # candidates with the same trail number had the same votes at every iteration in ``history``
    # (``trail``) or in all of it but the last (``before``): a level tie with one trail number needs
    # no walk back through the iterations, which made hundreds of zero-vote candidates cost cubic time
    trails: dict[tuple[int, int], int] = {}
    trail = before = [0] * n
    recent: list[list[int]] = []  # the keep values of the last two iterations
    votes: list[int] = []
    quota = 0
    for iteration in range(1, MAX_ITERATIONS + 1):
        if count.exploring:
            count.checkpoint((iteration, tuple(keep), tuple(state)))
        notes: list[str] = []
        if iteration > 1:  # clauses 7-9, then 17: keep values from the iteration before
            recent = [*recent[-1:], list(keep)]
            for i in range(n):
                if state[i] == "successful":
                    keep[i] = nz_keep_value(keep[i], quota, votes[i])
                    if keep[i] == ONE and votes[i] < quota:
                        notes.append(f"{candidates[i].name}'s keep value held at 1")
                else:
                    keep[i] = ONE if state[i] == "hopeful" else 0
            stalled = keep in recent  # the keep values repeat with a period of 1 or 2 iterations
        else:
            stalled = False
        votes, given = nz_allocate(ranks, counts, keep)  # clause 10
        non_transferable = valid * ONE - given
        quota = nz_quota(valid, non_transferable, seats)  # clauses 5 and 11
        table = {candidates[i]: whole(Fraction(votes[i], ONE)) for i in range(n) if state[i] != "excluded"}
        newly = [i for i in range(n) if state[i] == "hopeful" and votes[i] >= quota]  # clauses 6 and 12
        successful = [i for i in range(n) if state[i] == "successful"]
        surplus = sum(max(0, votes[i] - quota) for i in successful + newly)
        kept = ", ".join(f"{candidates[i].name} {_decimal(keep[i])}" for i in successful)
        notes.insert(
            0,
            f"iteration {iteration}: quota {_decimal(quota)}; non-transferable {_decimal(non_transferable)};"
            f" total surplus {_decimal(surplus)}" + (f"; keep values {kept}" if kept else ""),
        )
        _record(count, election, iteration, table, quota, valid, non_transferable, blank, seats, notes)
        if newly:
            room = seats - len(successful)
            if len(newly) > room:
                tally = {candidates[i]: votes[i] for i in newly}
                top = count.top(tally, room, round=iteration, decision="elect", history=history)
                newly = [candidates.index(c) for c in top]
                count.note("more candidates reached the quota than vacancies were left: cut by votes", append=True)
            for i in newly:
                state[i] = "successful"
            count.elect(*(candidates[i] for i in newly))
        history.append(table)
        before, trail = trail, [trails.setdefault((trail[i], votes[i]), len(trails)) for i in range(n)]
        if _complete(count, candidates, state, seats):
            return
        if iteration == 1:  # clause 13 belongs to step 2: no exclusion at step 1
            continue
        hopeful = [i for i in range(n) if state[i] == "hopeful"]
        lowest = min(votes[i] for i in hopeful)
        others = [votes[i] for i in hopeful if votes[i] != lowest]
        safe = len(others) == len(hopeful) - 1 and all(lowest + surplus < v for v in others)
        if not (safe or surplus < SURPLUS_LIMIT or (stalled and not newly)):
            continue
        if not (safe or surplus < SURPLUS_LIMIT):
            count.note("; keep values repeat and nobody is elected: the lowest is excluded", append=True)
        level = [i for i in hopeful if votes[i] == lowest]
        earlier = history[:-1] if len({before[i] for i in level}) > 1 else []
        loser = _exclusion_tie(count, [candidates[i] for i in level], earlier, iteration)
        i = candidates.index(loser)
        state[i], keep[i] = "excluded", 0
        count.eliminate(loser)
        if _complete(count, candidates, state, seats):
            return
    count.note(f"stopped at the limit of {MAX_ITERATIONS} iterations", append=True)


def _complete(count: Count, candidates: tuple[Candidate, ...], state: list[str], seats: int) -> bool:
    """Clause 3: complete when the successful fill the vacancies, or the hopeful no more than fill the rest."""
    successful = sum(1 for s in state if s == "successful")
    hopeful = [i for i, s in enumerate(state) if s == "hopeful"]
    if successful >= seats:
        return True
    if successful + len(hopeful) <= seats:
        for i in hopeful:
            state[i] = "successful"
        if hopeful:
            count.elect(*(candidates[i] for i in hopeful))
        return True
    return False


def _exclusion_tie(
    count: Count, level: list[Candidate], earlier: list[Mapping[Candidate, int | Fraction]], iteration: int
) -> Candidate:
    """Clause 19: the AAFD method (clause 40) over the earlier iterations, earliest first, then the tie-break."""
    if len(level) == 1:
        return level[0]
    for step, tally in enumerate(earlier, start=1):
        figures = {c: tally.get(c, 0) for c in level}
        if len(set(figures.values())) > 1:
            least = min(figures.values())
            behind = [c for c in level if figures[c] == least]
            if len(behind) == 1:
                count.settled_tie(
                    level,
                    1,
                    behind,
                    round=iteration,
                    decision="exclude",
                    rule="ahead at first difference (Schedule 1A, clauses 19 and 40)",
                    detail=f"fewest votes at iteration {step}",
                )
                return behind[0]
            level = behind
            break
    (loser,) = count.decide_tie(level, 1, round=iteration, decision="exclude", favour=False, history=[])
    return loser


def _record(
    count: Count,
    election: Election,
    iteration: int,
    table: dict[Candidate, int | Fraction],
    quota: int,
    valid: int,
    non_transferable: int,
    blank: int,
    seats: int,
    notes: list[str],
) -> None:
    held = sum((Fraction(v) for v in table.values()), Fraction(0))
    set_aside = set_aside_of({-5: blank}, election)
    if non_transferable:
        set_aside["non-transferable"] = whole(Fraction(non_transferable, ONE))
    denominator = Fraction(valid * ONE - non_transferable, ONE)
    count.add_round(
        Round(
            number=iteration,
            tally=table,
            ballots=whole(held + sum((Fraction(v) for v in set_aside.values()), Fraction(0))),
            continuing=whole(held),
            set_aside=set_aside,
            denominator=whole(denominator),
            basis="valid votes less non-transferable votes",
            threshold=Fraction(quota, ONE) / denominator if denominator else None,
            comparison="at-least",
            note="; ".join(notes),
            quota=whole(Fraction(quota, ONE)),
        )
    )


def _decimal(units: int) -> str:
    """A figure in units of 10**-9 written with its 9 decimals, as the Schedule holds it."""
    sign = "-" if units < 0 else ""
    whole_part, fraction = divmod(abs(units), ONE)
    return f"{sign}{whole_part}.{fraction:09d}"
