"""Instant-runoff voting, with the options US jurisdictions use (as RCTab names them).

The count follows RCTab, the Universal RCV Tabulator certified for US
elections: its configuration documentation, and the behaviours its own test
suite requires (listed in the conformance suite's README). Option names are
the snake_case forms of RCTab's ``rules`` keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import Candidate, Election
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral._ties._engine import fingerprint
from electoral.errors import OptionError
from electoral.rules._base import Count
from electoral.rules._options import to_bool, to_int, to_optional_int
from electoral.rules._ranked._common import LiveTally, RankedRule, set_aside_of, transfers_of

__all__ = ["InstantRunoff", "count_instant_runoff"]

Votes = int | Fraction


@register
@attrs.frozen(kw_only=True)
class InstantRunoff(RankedRule):
    """Instant-runoff voting (the alternative vote, single-winner ranked-choice voting).

    Each round, every ballot counts for its highest-ranked continuing
    candidate. A candidate with at least the threshold, ``floor(active / 2)
    + 1`` continuing votes, wins; otherwise the candidate with fewest votes
    is eliminated and their ballots move on. When two candidates remain and
    neither reaches the threshold, the one with more votes wins (a tie there
    goes to the tie-break).

    Ballot reading (see :mod:`electoral._ranked`; defaults in brackets):

    - ``overvote_rule`` [``"exhaust_immediately"``]: ``"exhaust_immediately"``,
      ``"always_skip_to_next_rank"`` or ``"exhaust_if_multiple_continuing"``;
      equal preferences are overvotes to this rule;
    - ``max_skipped_ranks`` [None: unlimited]: how many empty ranks may sit
      between two marked ranks;
    - ``max_rankings`` [None: all]: ranks beyond it are not read;
    - ``exhaust_on_duplicate_candidate`` [False].

    The count:

    - ``batch_elimination`` [False]: eliminate together the largest group of
      lowest candidates whose combined votes are fewer than the votes of the
      next candidate up (when that is more than one candidate, and leaves at
      least two);
    - ``continue_until_two_candidates_remain`` [False]: after the winner is
      found, go on eliminating until two remain (the threshold is frozen at
      the winning round's);
    - ``minimum_vote_threshold`` [0: none]: candidates with fewer votes are
      eliminated together;
    - ``does_first_round_determine_threshold`` [False]: the threshold is
      computed in round 1 only;
    - ``stop_tabulation_early_after_round`` [None]: stop after that round's
      decision, with no winner;
    - ``undeclared_write_in`` [None]: the candidate that stands for
      undeclared write-ins; it never wins, nobody wins while it holds votes,
      and it is eliminated first whenever it holds any;
    - ``excluded`` [none]: candidates removed before the count (ballots pass
      over them).

    Ties go to ``tie_break`` [``"stop"``]: the core policies, or RCTab's
    modes ``"candidate-order"``, ``"rctab-random"``,
    ``"previous-rounds+rctab-random"`` and ``"rctab-permutation"`` (which
    use ``seed`` through Java's generator, see
    :mod:`electoral._ties._lots`).

    Each round's ``threshold`` is a share of the continuing ballots
    (``denominator``; one vote when none is left), compared ``"at-least"``;
    in votes it is ``threshold * denominator``, also given in the note. Every ballot is in
    every round: continuing, or in ``set_aside`` as ``"overvote"``,
    ``"skipped rankings"``, ``"exhausted choices"``, ``"repeated rankings"``
    or ``"undervote"`` (marks nothing; with the election's blank ballots).

    >>> from electoral import Election
    >>> e = Election.from_rankings({"A>B": 4, "B>C": 3, "C>B": 2})
    >>> r = InstantRunoff().tabulate(e)
    >>> r.winner.name, [c.name for c in r.rounds[0].eliminated]
    ('B', ['C'])
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="instant-runoff",
        family="ranked",
        marks={"ranking"},
        winners="single",
        summary="Instant-runoff voting with the US tabulation options (RCTab-compatible).",
    )

    batch_elimination: bool = attrs.field(default=False, converter=to_bool)
    continue_until_two_candidates_remain: bool = attrs.field(default=False, converter=to_bool)
    minimum_vote_threshold: int = attrs.field(default=0, converter=to_int)
    does_first_round_determine_threshold: bool = attrs.field(default=False, converter=to_bool)
    stop_tabulation_early_after_round: int | None = attrs.field(default=None, converter=to_optional_int)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.minimum_vote_threshold < 0:
            raise OptionError(f"minimum_vote_threshold must be 0 or more, not {self.minimum_vote_threshold}")
        if self.stop_tabulation_early_after_round is not None and self.stop_tabulation_early_after_round < 1:
            raise OptionError(
                f"stop_tabulation_early_after_round must be 1 or more, not {self.stop_tabulation_early_after_round}"
            )

    def _count(self, election: Election, count: Count, /) -> None:
        winner = count_instant_runoff(self, election, count, self._start(election))
        if winner is not None:
            count.elected.append(winner)


def count_instant_runoff(
    rule: InstantRunoff, election: Election, count: Count, continuing: npt.NDArray[np.bool_], *, label: str = ""
) -> Candidate | None:
    """Run one instant-runoff count on ``count`` (rounds numbered from 1); return the winner, if any.

    ``continuing`` says who starts the count (multi-pass STV removes earlier
    winners); ``label`` prefixes each round's note (e.g. "pass 2").
    """
    candidates = election.candidates
    write_in = rule._write_in(election)
    live = LiveTally(election, continuing, rule.reading)
    prefix = f"{label}: " if label else ""
    history: list[Mapping[Candidate, Votes]] = []
    winner: int | None = None
    frozen: int | None = None
    number = 0
    while True:
        number += 1
        # Everything the rest of the count depends on (tie_break="all" explores each state once):
        # where each ballot stands, which decides the tallies; the tie-breaks "all" follows ignore history.
        if count.exploring:
            state = (
                number,
                continuing.tobytes(),
                winner,
                frozen,
                fingerprint(live.state()),
                tuple(live.inactive.items()),
            )
            count.checkpoint((label, state))
        alive = [i for i in range(len(candidates)) if continuing[i]]
        tally = {candidates[i]: int(live.tally[i]) for i in alive}
        active = sum(tally.values())
        threshold = frozen if frozen is not None else active // 2 + 1
        if rule.does_first_round_determine_threshold and frozen is None:
            frozen = threshold
        set_aside = set_aside_of(live.inactive, election)
        count.add_round(
            Round(
                number=number,
                tally=tally,
                ballots=active + sum(set_aside.values()),
                continuing=active,
                set_aside=set_aside,
                # with no continuing ballot, shares are taken of one vote, so that threshold * denominator
                # still gives the threshold in votes
                denominator=active or 1,
                basis="continuing ballots" if active else "one vote (no continuing ballots)",
                threshold=Fraction(threshold, active or 1),
                comparison="at-least",
                note=f"{prefix}threshold {threshold:,} votes",
                quota=threshold,
            )
        )
        if winner is None:
            winner = _find_winner(rule, count, live.tally, alive, threshold, write_in, number, history)
            if winner is not None:
                count.elect(
                    candidates[winner],
                    note=f"{prefix}threshold {threshold:,} votes; {candidates[winner].name} is elected",
                    in_result=False,  # the caller adds the winner at the end of the count
                )
                if rule.continue_until_two_candidates_remain and len(alive) > 2:
                    frozen = threshold
                    history.append(tally)
                    if _stopped(rule, number, count, prefix):
                        break
                    continue
                break
        elif len(alive) <= 2:
            break
        eliminated = _eliminate(rule, count, live.tally, alive, winner, write_in, number, history)
        names = ", ".join(candidates[i].name for i in eliminated)
        count.eliminate(
            *(candidates[i] for i in eliminated), note=f"{prefix}threshold {threshold:,} votes; {names} eliminated"
        )
        history.append(tally)
        continuing[eliminated] = False
        if _stopped(rule, number, count, prefix):
            break
        if not continuing.any():
            break
        moves = live.remove(eliminated, continuing)
        count.transfer(*transfers_of(moves, candidates, eliminated))
    return None if winner is None else candidates[winner]


def _stopped(rule: InstantRunoff, number: int, count: Count, prefix: str) -> bool:
    if rule.stop_tabulation_early_after_round is not None and number >= rule.stop_tabulation_early_after_round:
        count.note(f"; tabulation stopped after round {number} (stop_tabulation_early_after_round)", append=True)
        return True
    return False


def _find_winner(
    rule: InstantRunoff,
    count: Count,
    tally: npt.NDArray[np.int64],
    alive: Sequence[int],
    threshold: int,
    write_in: int | None,
    number: int,
    history: list[Mapping[Candidate, Votes]],
) -> int | None:
    candidates = count.election.candidates
    if write_in is not None and write_in in alive and tally[write_in] > 0:
        return None  # nobody wins while undeclared write-ins hold votes; they go first
    eligible = [i for i in alive if i != write_in]
    reached = [i for i in eligible if tally[i] >= threshold]
    if reached:
        return max(reached, key=lambda i: int(tally[i]))
    if len(eligible) == 1 and len(alive) == 1:
        return eligible[0]
    if len(eligible) == 2 and len(alive) == 2:
        two = {candidates[i]: int(tally[i]) for i in eligible}
        (top,) = count.top(two, 1, round=number, decision="elect", history=history)
        return candidates.index(top)
    return None


def _eliminate(
    rule: InstantRunoff,
    count: Count,
    tally: npt.NDArray[np.int64],
    alive: Sequence[int],
    winner: int | None,
    write_in: int | None,
    number: int,
    history: list[Mapping[Candidate, Votes]],
) -> list[int]:
    candidates = count.election.candidates
    if write_in is not None and write_in in alive and tally[write_in] > 0:
        return [write_in]
    pool = [i for i in alive if i != winner]
    if rule.minimum_vote_threshold:
        below = [i for i in pool if tally[i] < rule.minimum_vote_threshold]
        if below and len(below) < len(alive):
            return below
    if rule.batch_elimination:
        batch = batch_to_eliminate({i: int(tally[i]) for i in pool}, keep=2 - (1 if winner is not None else 0))
        if len(batch) > 1:
            return batch
    lowest = min(int(tally[i]) for i in pool)
    level = [candidates[i] for i in pool if tally[i] == lowest]
    (loser,) = count.decide_tie(level, 1, round=number, decision="eliminate", favour=False, history=history)
    return [candidates.index(loser)]


def batch_to_eliminate(tally: Mapping[int, int], *, keep: int = 2) -> list[int]:
    """The largest group of lowest candidates whose votes together are fewer than the next candidate's.

    Candidates with equal votes go together or not at all. The group leaves
    at least ``keep`` candidates of ``tally``.

    >>> batch_to_eliminate({0: 60, 1: 15, 2: 14, 3: 5, 4: 4, 5: 1, 6: 1}, keep=2)
    [3, 4, 5, 6]
    """
    levels = sorted(set(tally.values()))
    running = 0
    seen: list[int] = []
    chosen: list[int] = []
    for votes in levels:
        if running < votes and len(tally) - len(seen) >= keep:
            chosen = list(seen)
        group = sorted(i for i, v in tally.items() if v == votes)
        running += votes * len(group)
        seen.extend(group)
    return sorted(chosen)
