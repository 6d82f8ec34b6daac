"""RCTab's multi-seat tabulation modes, reproduced as its test suite's expected reports require.

Modes (``rctab_mode``), as RCTab's ``winnerElectionMode``:

- ``"multiple-winners-per-round"`` / ``"one-winner-per-round"``: STV. The
  threshold is computed in round 1 only, from the active votes ``V`` and
  seats ``S``: ``floor(V/(S+1)) + 1``; with ``non_integer_winning_threshold``,
  ``V/(S+1)`` truncated to ``decimal_places`` plus ``10**-decimal_places``;
  with ``quota="hare"``, ``ceil(V/S)``. Continuing candidates at or above it
  are elected (only the one with most votes per round in the second mode);
  when the continuing candidates are no more than the seats left, all are
  elected. A winner's surplus fraction ``(votes - threshold) / votes`` is
  truncated to ``d`` places; each of its ballots moves on with
  ``trunc(value * fraction)`` and the winner keeps the rest. A winner with
  a surplus then shows the threshold, and what it kept beyond the threshold
  (from truncation) is booked as residual surplus; a winner without one
  shows what it kept. Otherwise the candidate with fewest votes is
  eliminated. After the last seat is filled, one more round shows the last
  winners' surplus as ``"final round surplus"``.
- ``"bottoms-up"``: eliminate the lowest until the continuing candidates
  fill the seats, then elect them all.
- ``"bottoms-up-percentage"``: elect every continuing candidate once all
  have at least ``bottoms_up_threshold`` of the active votes (recomputed
  each round, or frozen at round 1 with
  ``does_first_round_determine_threshold``); until then eliminate the
  lowest, or with ``cutoff_elimination`` everyone below it at once. The
  election's seats are not used (RCTab's ``numberOfWinners`` may be 0 here).
- ``"multi-pass-irv"``: one instant-runoff count per seat, each without the
  earlier winners; every pass numbers its rounds from 1.

The undeclared write-in, when it holds votes, is eliminated before anything
else happens in a round. Decisions taken in one round are listed in the
order of the candidates' names, as RCTab lists them.

Vote figures follow RCTab's decimal bookkeeping, so that a report can print
them as RCTab does: a figure is an ``int`` while only whole ballots make it
up, and a :class:`~fractions.Fraction` (even when whole) once a ballot that
went through a surplus computation is part of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Election
from electoral._profile._build import exact_total
from electoral._profile._ranked import INACTIVE_REASONS, ranked_ballots, scan
from electoral._result import Round, Transfer
from electoral._ties._engine import fingerprint
from electoral._ties._lots import java_order
from electoral.rules._base import Count
from electoral.rules._ranked._stv_arith import fits_int64

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_rctab"]


Votes = int | Fraction


def count_rctab(rule: Stv, election: Election, count: Count) -> None:
    """Run RCTab's multi-seat count in ``rule.rctab_mode`` on ``count``."""
    if rule.rctab_mode == "multi-pass-irv":
        _multi_pass(rule, election, count)
        return
    _Tabulation(rule, election, count).run()


def _multi_pass(rule: Stv, election: Election, count: Count) -> None:
    from electoral.rules._ranked._irv import InstantRunoff, count_instant_runoff

    # every option instant-runoff shares with stv (ties, ballot reading, the IRV count's own) carries over
    shared = attrs.fields_dict(type(rule)).keys() & attrs.fields_dict(InstantRunoff).keys()
    irv = InstantRunoff(**{name: getattr(rule, name) for name in sorted(shared)})
    winners: list[Candidate] = []
    for number in range(1, election.seats + 1):
        continuing = rule._start(election)
        for earlier in winners:
            continuing[election.candidates.index(earlier)] = False
        if not continuing.any():
            break
        found = count_instant_runoff(irv, election, count, continuing, label=f"pass {number}")
        if found is None:
            break
        winners.append(found)
        count.elected.append(found)


class _Tabulation:
    #: whether a winner's kept votes beyond the threshold are booked as residual surplus (the contest's
    #: count) or stay in its tally (a slice following the contest, see :mod:`._slices`)
    books_residual = True

    def __init__(self, rule: Stv, election: Election, count: Count) -> None:
        self.rule = rule
        self.election = election
        self.count = count
        self.candidates = election.candidates
        self.seats = election.seats
        self.n = len(self.candidates)
        self.places = rule.decimal_places if rule.decimal_places is not None else 4
        self.one = 10**self.places
        self.ballots = ranked_ballots(election)
        self.counts = self.ballots.counts
        # Scaled figures stay in int64 while none can pass it: a tally is at most voters * one, and a
        # surplus computation multiplies a value (at most one) by a fraction (at most one). Otherwise
        # they are Python integers in object arrays, with the same truncations.
        voters = exact_total(self.counts)
        self.dtype: Any = np.int64 if fits_int64(max(voters, self.one), self.one) else object
        if self.dtype is object:
            self.counts = self.counts.astype(object)
        self.continuing = rule._start(election)
        self.eliminated = {i for i in range(self.n) if not self.continuing[i]}
        rows = np.arange(len(self.counts))
        self.choice = scan(self.ballots, rows, self.continuing, rule.reading)
        self.value = np.full(len(self.counts), self.one, dtype=self.dtype)
        self.decimal = np.zeros(len(self.counts), dtype=np.bool_)
        # inactive reason (or "final round surplus") -> [scaled votes, decimal?]
        self.inactive: dict[str, list[Any]] = {name: [0, False] for name in INACTIVE_REASONS.values()}
        self.inactive["final round surplus"] = [0, False]
        self.inactive["residual surplus"] = [0, False]
        self._exhaust(rows, self.choice)
        self.fixed: dict[int, tuple[int, bool]] = {}  # winners whose tally no longer changes
        self.elected: list[int] = []
        self.history: list[Mapping[Candidate, Votes]] = []
        self.write_in = rule._write_in(election)

    # -- figures --------------------------------------------------------------------

    def _figure(self, scaled: int, decimal: bool) -> Votes:
        value = Fraction(scaled, self.one)
        if decimal:
            return value
        return whole(value)

    def _exhaust(self, rows: npt.NDArray[np.intp], codes: npt.NDArray[np.int32]) -> None:
        for code, name in INACTIVE_REASONS.items():
            hit = rows[codes == code]
            if len(hit):
                bucket = self.inactive[name]
                bucket[0] += int((self.counts[hit] * self.value[hit]).sum())
                bucket[1] = bucket[1] or bool(self.decimal[hit].any())

    def _tally(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        live = self.choice >= 0
        labels = self.choice[live]
        sums = np.zeros(self.n, dtype=self.dtype)
        np.add.at(sums, labels, self.counts[live] * self.value[live])
        decimal = np.zeros(self.n, dtype=np.bool_)
        decimal[labels[self.decimal[live]]] = True
        for i, (scaled, is_decimal) in self.fixed.items():
            sums[i], decimal[i] = scaled, is_decimal
        return sums, decimal

    def _threshold(self, active: int) -> tuple[int, bool]:
        """The threshold (scaled) and whether it is a decimal figure."""
        rule, seats = self.rule, max(self.seats, 1)
        if rule.rctab_mode == "bottoms-up-percentage":
            share = rule.bottoms_up_threshold or Fraction(0)
            exact = share * active
            return int(exact), exact.denominator != 1
        votes = active // self.one
        if rule.quota == "hare":
            return -(-votes // seats) * self.one, False
        if rule.non_integer_winning_threshold:
            return active // (seats + 1) + 1, True
        return (votes // (seats + 1) + 1) * self.one, False

    def _state(self) -> tuple[object, ...]:
        """Everything the rest of the count depends on, besides the round and the threshold."""
        return (
            self.continuing.tobytes(),
            frozenset(self.eliminated),
            tuple(self.elected),
            fingerprint(self.choice),
            fingerprint(self.value),
            fingerprint(self.decimal),
            tuple((name, tuple(bucket)) for name, bucket in self.inactive.items()),
            tuple(sorted(self.fixed.items())),
        )

    # -- the count ------------------------------------------------------------------

    def run(self) -> None:
        rule = self.rule
        number = 0
        threshold: tuple[int, bool] | None = None
        while True:
            number += 1
            if self.count.exploring:  # what the rest of the count depends on (tie_break="all" explores each once)
                self.count.checkpoint((number, threshold, self._state()))
            sums, decimal = self._tally()
            shown = [i for i in range(self.n) if i not in self.eliminated]
            hopeful = [i for i in shown if self.continuing[i]]
            active = int(sum(int(sums[i]) for i in shown))
            frozen = rule.rctab_mode != "bottoms-up-percentage" or rule.does_first_round_determine_threshold
            if threshold is None or not frozen:
                threshold = self._threshold(int(sum(int(sums[i]) for i in hopeful)))
            table = {self.candidates[i]: self._figure(int(sums[i]), bool(decimal[i])) for i in shown}
            self._add_round(number, table, active, threshold)
            if len(self.elected) >= self.seats and rule.rctab_mode not in ("bottoms-up-percentage",):
                break
            if not hopeful:
                break
            decided = self._decide(number, sums, hopeful, threshold)
            self.history.append(table)
            if decided == "done":
                break
        if rule.rctab_mode in ("multiple-winners-per-round", "one-winner-per-round"):
            self.count.set_aside("final round surplus", 0)  # shown, with 0 votes if none

    def _add_round(
        self, number: int, table: Mapping[Candidate, Votes], active: int, threshold: tuple[int, bool]
    ) -> None:
        set_aside: dict[str, Votes] = {}
        for name, (scaled, is_decimal) in self.inactive.items():
            if scaled or is_decimal or (name in INACTIVE_REASONS.values() and name != "undervote"):
                if name == "final round surplus" and not (scaled or is_decimal):
                    continue
                if name == "residual surplus" and not scaled:
                    continue
                set_aside[name] = self._figure(scaled, is_decimal)
        if self.election.blank:
            set_aside["undervote"] = set_aside.get("undervote", 0) + self.election.blank
        if self.election.invalid:
            set_aside["invalid"] = self.election.invalid
        held = sum(table.values(), Fraction(0))
        total = held + sum((Fraction(v) for v in set_aside.values()), Fraction(0))
        figure = self._figure(threshold[0], threshold[1])
        self.count.add_round(
            Round(
                number=number,
                tally=table,
                ballots=whole(total),
                continuing=whole(held),
                set_aside=set_aside,
                denominator=whole(held),
                basis="active votes",
                threshold=Fraction(figure) / held if held else None,
                comparison="at-least",
                note=f"threshold {figure} votes",
                quota=figure,
            )
        )

    def _decide(self, number: int, sums: npt.NDArray[np.int64], hopeful: list[int], threshold: tuple[int, bool]) -> str:
        rule, seats = self.rule, self.seats
        if self.write_in is not None and self.write_in in hopeful and sums[self.write_in] > 0:
            self._eliminate([self.write_in], number)
            return "go on"
        mode = rule.rctab_mode
        if mode == "bottoms-up-percentage":
            below = [i for i in hopeful if sums[i] < threshold[0]]
            if not below:
                self._elect(hopeful, number, surplus=False)
                return "done"
            if rule.cutoff_elimination:
                self._eliminate(below, number)
            else:
                self._eliminate([self._lowest(sums, hopeful, number)], number)
            return "go on"
        left = seats - len(self.elected)
        if mode == "bottoms-up":
            if len(hopeful) <= left:
                self._elect(hopeful, number, surplus=False)
                return "done"
            self._eliminate([self._lowest(sums, hopeful, number)], number)
            return "go on"
        if len(hopeful) <= left:
            winners = list(hopeful)
        else:
            winners = [i for i in hopeful if sums[i] >= threshold[0]]
            if winners and (mode == "one-winner-per-round" or len(winners) > left):
                places = 1 if mode == "one-winner-per-round" else left
                tally = {self.candidates[i]: int(sums[i]) for i in winners}
                top = self.count.top(tally, places, round=number, decision="elect", history=self.history)
                winners = [self.candidates.index(c) for c in top]
        if winners:
            filled = len(self.elected) + len(winners) >= seats
            if not filled and len(winners) == len(hopeful):
                # nobody is left to receive surpluses and no seat remains to fill: the count ends here
                self._elect(winners, number, surplus=False)
                return "done"
            self._elect(winners, number, surplus=True, threshold=threshold)
            return "go on"
        self._eliminate([self._lowest(sums, hopeful, number)], number)
        return "go on"

    def _surplus_total(self, winner: int, sums: npt.NDArray[Any]) -> int:
        """The winner's tally (scaled) that its surplus fraction is taken of."""
        return int(sums[winner])

    def _lowest(self, sums: npt.NDArray[np.int64], hopeful: Sequence[int], number: int) -> int:
        lowest = min(int(sums[i]) for i in hopeful)
        level = [self.candidates[i] for i in hopeful if sums[i] == lowest]
        (loser,) = self.count.decide_tie(
            level, 1, round=number, decision="eliminate", favour=False, history=self.history
        )
        return self.candidates.index(loser)

    def _by_name(self, indices: Sequence[int]) -> list[int]:
        return sorted(indices, key=lambda i: java_order(self.candidates[i].name))

    def _eliminate(self, losers: Sequence[int], number: int) -> None:
        losers = self._by_name(losers)
        for i in losers:
            self.continuing[i] = False
            self.eliminated.add(i)
        self.count.eliminate(*(self.candidates[i] for i in losers))
        moving = np.flatnonzero(np.isin(self.choice, losers))
        old = self.choice[moving]
        new = scan(self.ballots, moving, self.continuing, self.rule.reading)
        self.choice[moving] = new
        self._exhaust(moving, new)
        transfers: list[Transfer] = []
        for source in losers:
            part = old == source
            transfers.extend(self._moves(source, moving[part], new[part], self.value[moving[part]]))
        self.count.transfer(*transfers)

    def _moves(
        self, source: int, rows: npt.NDArray[np.intp], targets: npt.NDArray[np.int32], values: npt.NDArray[np.int64]
    ) -> list[Transfer]:
        out: list[Transfer] = []
        weights = self.counts[rows] * values
        for target in sorted(set(targets[targets >= 0].tolist()), key=lambda t: java_order(self.candidates[t].name)):
            hit = targets == target
            votes = int(weights[hit].sum())
            if votes:
                out.append(
                    Transfer(
                        self.candidates[source],
                        self.candidates[target],
                        self._figure(votes, bool((self.decimal[rows[hit]] & (weights[hit] > 0)).any())),
                    )
                )
        gone = targets < 0
        votes = int(weights[gone].sum())
        # a ballot worth nothing moves no votes: RCTab records no movement for it, so it cannot
        # make the transfer a decimal figure (it still does for the tallies it joins)
        if votes:
            out.append(
                Transfer(
                    self.candidates[source],
                    None,
                    self._figure(votes, bool((self.decimal[rows[gone]] & (weights[gone] > 0)).any())),
                    kind="exhausted",
                )
            )
        return out

    def _elect(
        self, winners: Sequence[int], number: int, *, surplus: bool, threshold: tuple[int, bool] | None = None
    ) -> None:
        winners = self._by_name(winners)
        for i in winners:
            self.continuing[i] = False
        self.elected.extend(winners)
        self.count.elect(*(self.candidates[i] for i in winners))
        if not surplus or threshold is None:
            return
        final = len(self.elected) >= self.seats
        if final:
            self.continuing[:] = False  # after the last seat, surpluses go nowhere
        transfers: list[Transfer] = []
        residuals: list[str] = []
        sums, _ = self._tally()
        for i in winners:
            rows = np.flatnonzero(self.choice == i)
            total = self._surplus_total(i, sums)
            excess = total - threshold[0]
            fraction = excess * self.one // total if excess > 0 and total else 0
            moving_values = self.value[rows] * fraction // self.one
            kept = int((self.counts[rows] * (self.value[rows] - moving_values)).sum())
            self.value[rows] = moving_values
            self.decimal[rows] = True
            if excess > 0 and self.books_residual:
                self.fixed[i] = (threshold[0], threshold[1])
                residual = kept - threshold[0]
                self.inactive["residual surplus"][0] += residual
                if residual:
                    residuals.append(f"{self.candidates[i].name}: {self._figure(residual, True)} residual surplus")
            moves = self._moves(
                i, rows, new := scan(self.ballots, rows, self.continuing, self.rule.reading), self.value[rows]
            )
            if excess > 0 and self.books_residual and kept != threshold[0]:
                moves.append(
                    Transfer(self.candidates[i], None, self._figure(kept - threshold[0], True), kind="residual-surplus")
                )
            else:
                self.fixed[i] = (kept, True)
            self.choice[rows] = new
            if final:
                bucket = self.inactive["final round surplus"]
                bucket[0] += int((self.counts[rows] * self.value[rows]).sum())
                bucket[1] = True
            else:
                self._exhaust(rows, new)
            transfers.extend(moves)
            if final:
                self.choice[rows] = -9  # held as final round surplus, not as any inactive reason
        self.count.transfer(*transfers)
        if residuals:
            self.count.note("; " + "; ".join(residuals), append=True)
