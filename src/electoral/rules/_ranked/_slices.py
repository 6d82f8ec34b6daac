"""A count's breakdown by slice (precinct, batch): a part of the ballots counted along the contest's decisions.

A slice does not run its own count. Round by round it shows where its own
ballots stand while the contest elects and eliminates as it did: the same
candidates leave in the same rounds, each winner's surplus moves on at the
contest's transfer fraction, and the threshold shown is the contest's. This
is what RCTab's ``tabulateByPrecinct`` and ``tabulateByBatch`` reports show
("Elect/Eliminate decisions are from the full contest. All other results on
this report are at the precinct level", RCTab 2.0's slice reports; RCTab's
documentation, Section 30 "Tab Hints": "Results are how ballots at the
precinct level transferred in the contest as a whole, not a simulated
round-by-round count in the precinct").

Ballots of one ranking follow one path, so the slices of a contest add up to
it: in every round, each candidate's votes over the slices are the
contest's, and so are the inactive ballots by reason, with one exception.
Where RCTab's truncated transfer values leave a winner with more than the
threshold, the contest shows the threshold and books the rest as residual
surplus; the slices keep what the winner kept from their ballots, so their
sum is the threshold plus that residual surplus.

Supported: ``instant-runoff`` and ``stv`` with ``transfer="rctab"`` (all of
RCTab's modes; a ``multi-pass-irv`` count is followed pass by pass); other
rules raise :class:`~electoral.errors.OptionError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import Election
from electoral._profile._ranked import INACTIVE_REASONS
from electoral._result import Result, Round, Transfer
from electoral._text import excerpt
from electoral._ties._engine import TieResolver
from electoral.errors import CandidateError, OptionError, ResultError
from electoral.rules._base import Count
from electoral.rules._ranked._irv import InstantRunoff
from electoral.rules._ranked._stv import Stv
from electoral.rules._ranked._stv_rctab import _Tabulation

__all__ = ["follow", "slices"]

_SURPLUS_MODES = ("multiple-winners-per-round", "one-winner-per-round")


def follow(result: Result, part: Election) -> Result:
    """The count of ``part`` (some of ``result.election``'s ballots) following ``result``'s decisions.

    The result has the contest's rounds, winners and ties; its tallies,
    transfers and inactive ballots are the part's own; each round's
    threshold is the contest's.
    """
    rule: Any = result.rule
    multi_pass = isinstance(rule, Stv) and rule.transfer == "rctab" and rule.rctab_mode == "multi-pass-irv"
    if isinstance(rule, InstantRunoff) or multi_pass:
        irv = True
    elif isinstance(rule, Stv) and rule.transfer == "rctab":
        irv = False
    else:
        raise OptionError(
            f"slices follow instant-runoff and stv with transfer='rctab', not {excerpt(rule.info.name)}"
            f"{'' if not isinstance(rule, Stv) else ' with these options'}"
        )
    if part.candidates != result.election.candidates:
        raise CandidateError("a slice must have the contest's candidates, in the contest's order")
    if part.seats != result.election.seats:
        part = part.with_seats(result.election.seats)
    count = Count(part, TieResolver(rule.tie_break, rule.seed, part.candidates))
    # a multi-pass count is one instant-runoff count per seat, each without the earlier winners,
    # its rounds numbered from 1
    passes: list[list[Round]] = []
    for round_ in result.rounds:
        if round_.number == 1 or not passes:
            passes.append([])
        passes[-1].append(round_)
    earlier: list[int] = []
    for rounds in passes:
        _Follow(rule, part, count, irv=irv, without=earlier).replay(rounds)
        earlier += [part.candidates.index(c) for r in rounds for c in r.elected]
    count.elected = list(result.winners)
    out: Result = rule._result(part, count, result.ties)
    return attrs.evolve(out, status=result.status, advancing=result.advancing)


class _Follow(_Tabulation):
    """RCTab's bookkeeping of ballot values (see :mod:`._stv_rctab`), with the contest's decisions."""

    books_residual = False

    def __init__(self, rule: Any, election: Election, count: Count, *, irv: bool, without: Sequence[int] = ()) -> None:
        if irv:
            # instant-runoff moves whole ballots: any scale will do, and figures stay ints
            rule = _IrvView(rule, without)
        super().__init__(rule, election, count)
        self.irv = irv
        self.totals: dict[int, int] = {}

    def _surplus_total(self, winner: int, sums: npt.NDArray[Any]) -> int:
        return self.totals[winner]

    def _moves(
        self, source: int, rows: npt.NDArray[np.intp], targets: npt.NDArray[np.int32], values: npt.NDArray[np.int64]
    ) -> list[Transfer]:
        moves = super()._moves(source, rows, targets, values)
        if not self.irv:
            return moves
        # as instant-runoff records them: targets in the election's order, then exhausted ballots by reason
        out = sorted((t for t in moves if not t.exhausted), key=lambda t: self.candidates.index(t.target))
        weights = self.counts[rows] * values
        for code, reason in INACTIVE_REASONS.items():
            votes = int(weights[targets == code].sum())
            if votes:
                out.append(
                    Transfer(self.candidates[source], None, self._figure(votes, False), kind="exhausted", reason=reason)
                )
        return out

    def _scaled(self, votes: int | Fraction) -> tuple[int, bool]:
        exact = Fraction(votes) * self.one
        if exact.denominator != 1:  # pragma: no cover - RCTab's figures have at most decimal_places places
            raise ResultError(f"the contest's figure {excerpt(votes)} has more than {self.places} decimal places")
        return int(exact), isinstance(votes, Fraction)

    def replay(self, rounds: Sequence[Round]) -> None:
        index = {c: i for i, c in enumerate(self.candidates)}
        for contest in rounds:
            sums, decimal = self._tally()
            shown = [index[c] for c in contest.tally]
            table = {self.candidates[i]: self._figure(int(sums[i]), bool(decimal[i])) for i in shown}
            quota = contest.quota if contest.quota is not None else 0
            self._add_round(contest.number, table, 0, self._scaled(quota))
            last = self.count.rounds[-1]
            self.count.rounds[-1] = attrs.evolve(
                last, threshold=contest.threshold, quota=contest.quota, note=f"contest: {contest.note}".rstrip(": ")
            )
            if contest.eliminated:
                self._eliminate([index[c] for c in contest.eliminated], contest.number)
            if contest.elected:
                self._replay_elect(contest, [index[c] for c in contest.elected], shown)
            # the decisions in the contest's order (RCTab's bookkeeping lists them by name)
            self.count.rounds[-1] = attrs.evolve(
                self.count.rounds[-1], elected=contest.elected, eliminated=contest.eliminated
            )
        if not self.irv and self.rule.rctab_mode in _SURPLUS_MODES and self.count.rounds:
            self.count.set_aside("final round surplus", 0)

    def _replay_elect(self, contest: Round, winners: list[int], shown: list[int]) -> None:
        if self.irv:
            # instant-runoff's winner keeps its ballots (the count may go on until two remain)
            self.count.elect(*(self.candidates[i] for i in winners), in_result=False)
            return
        mode = self.rule.rctab_mode
        hopeful = [i for i in shown if self.continuing[i]]
        filled = len(self.elected) + len(winners) >= self.seats
        surplus = mode in _SURPLUS_MODES and (filled or len(winners) < len(hopeful))
        threshold = self._scaled(contest.quota if contest.quota is not None else 0)
        for i in winners:
            self.totals[i] = self._scaled(contest.tally[self.candidates[i]])[0]
        self._elect(winners, contest.number, surplus=surplus, threshold=threshold)


class _IrvView:
    """An instant-runoff rule seen as the few settings RCTab's bookkeeping reads besides the ballot reading."""

    decimal_places = 4
    rctab_mode = "instant-runoff"

    def __init__(self, irv: Any, without: Sequence[int]) -> None:
        self.irv = irv
        self.without = list(without)

    def _start(self, election: Election) -> npt.NDArray[np.bool_]:
        continuing: npt.NDArray[np.bool_] = self.irv._start(election)
        continuing[self.without] = False  # the winners of earlier passes (multi-pass instant-runoff)
        return continuing

    def __getattr__(self, name: str) -> Any:
        return getattr(self.irv, name)


def slices(result: Result, parts: Mapping[str, Election]) -> dict[str, Result]:
    """Break ``result`` down by slice: each part (label -> its Election) counted along the contest's decisions.

    ``parts`` are disjoint pieces of ``result.election`` (same candidates),
    e.g. the precincts of a CVR (an RCTab contest's ``slices``).
    Each value is a :class:`~electoral.Result` with the contest's rounds,
    winners and ties, and the part's own tallies, transfers and inactive
    ballots. The slices add up to the contest in every round: each
    candidate's votes, and the inactive ballots by reason, over the slices
    are the contest's; only where RCTab's truncated transfer values leave a
    winner above the threshold (residual surplus, in the contest) do the
    slices keep that residual in the winner's votes.

    >>> from electoral import Election, tabulate, slices
    >>> east = Election.from_rankings({"A>B": 3, "C>B": 1}, candidates=["A", "B", "C"])
    >>> whole = Election.from_rankings({"A>B": 3, "C>B": 1, "B>C": 4, "C>A": 1}, candidates=["A", "B", "C"])
    >>> result = tabulate(whole, "instant-runoff")
    >>> result.winner.name, [c.name for c in result.rounds[0].eliminated]
    ('B', ['C'])
    >>> [dict((c.name, v) for c, v in r.tally.items()) for r in slices(result, {"east": east})["east"].rounds]
    [{'A': 3, 'B': 0, 'C': 1}, {'A': 3, 'B': 1}]
    """
    return {label: follow(result, part) for label, part in parts.items()}
