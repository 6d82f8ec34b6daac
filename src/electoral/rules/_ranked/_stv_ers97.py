"""STV by the Electoral Reform Society's 1997 rules (How to conduct an election by the Single Transferable Vote).

The rules are section 5 of the Society's booklet, 3rd edition, June 1997.

Every figure is kept in hundredths of a vote, as the rules do (section
numbers are the rules'):

- 5.1.6: the quota is the total valid vote divided by one more than the
  places, taken to two decimal places: exact, or the remainder ignored and
  0.01 added;
- 5.1.7, 5.3.13, 5.4.9: a continuing candidate is deemed elected, in
  descending order of votes and up to the places left, when their vote
  equals or exceeds the quota, or the total active vote (6.20: the votes of
  the continuing candidates plus the votes awaiting transfer) divided by one
  more than the places not yet filled. Equal votes at the cut (5.6.2): the
  earliest point of the count at which they differed decides; if they were
  always equal, none of them is elected at that stage;
- 5.2.2: the surpluses are deferred while their total does not exceed the
  difference between the two lowest candidates, or between the votes of the
  two or more lowest that 5.2.5 could exclude together and the candidate
  next above (that is, while an exclusion is safe);
- 5.2.3: otherwise the largest surplus is transferred (equal surpluses: the
  greater vote at the first stage or at the earliest point, after the
  transfer of a batch, where they differed; then lot);
- 5.3: a surplus arising at the first stage is taken from all the
  candidate's papers, one arising later from the last batch received, the
  one that gave rise to it. When the value of the transferable papers
  exceeds the surplus, each moves at the surplus divided by the number of
  transferable papers, to two decimals, remainder ignored; otherwise at its
  present value. What the truncation loses is the non-transferable
  difference (6.11), recorded as ``"non-transferable difference"``;
- 5.2.5: otherwise as many of the lowest candidates as possible are
  excluded together, leaving enough candidates for the places, whose votes
  with the deferred surpluses do not exceed the vote of the candidate next
  above (equal lowest: the fewest votes at the earliest point where they
  differed, then lot);
- 5.4: the papers of the excluded candidates move in batches, in
  descending order of value, each batch a sub-stage recorded as its own
  round, with elections after each (5.4.9) and no papers for a candidate
  elected meanwhile (5.4.10); 5.4.8: while nobody is elected, a batch that
  leaves papers non-transferable reduces the quota to the 5.1.6 figure on
  the valid vote less the non-transferable vote;
- 5.5.1: when an exclusion would leave as many continuing candidates as
  places, they are all deemed elected; 5.5.2: the count stops when the
  places are filled.

"Next available preference" (6.10) is read with the rule's ballot reading
options (the rules' uncertain next preference is an overvote there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Election
from electoral._profile._ranked import INACTIVE_REASONS, ranked_ballots, scan
from electoral._result import Transfer
from electoral._ties._engine import fingerprint
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of
from electoral.rules._ranked._stv_earliest import largest_surplus
from electoral.rules._ranked._stv_paper_limit import check_papers
from electoral.rules._ranked._stv_stage import exclusion, names, stage_round

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_ers97", "ers97_quota"]

RULES = "ERS97 rules: the earliest point of the count at which they had unequal votes"
DIFFERENCE = "non-transferable difference"
CENT = 100  # figures are held in hundredths of a vote
Votes = int | Fraction


def ers97_quota(valid_cents: int, places: int) -> int:
    """The quota of 5.1.6, in hundredths: ``valid / (places + 1)`` to two decimals; if inexact, truncated plus 0.01."""
    quotient, rest = divmod(valid_cents, places + 1)
    return quotient + 1 if rest else quotient


def _votes(cents: int) -> Votes:
    return whole(Fraction(int(cents), CENT))


def _text(cents: int) -> str:
    """Hundredths of a vote as the rules write them: ``12.34``, or ``12`` when whole."""
    units, rest = divmod(int(cents), CENT)
    return f"{units:,}.{rest:02d}" if rest else f"{units:,}"


class _State:
    """The papers (unique ballot, holder or inactive code, value in hundredths, round received) and the tallies."""

    def __init__(self, rule: Stv, election: Election) -> None:
        self.ballots = ranked_ballots(election)
        self.reading = rule.reading
        self.candidates = election.candidates
        self.n = len(self.candidates)
        check_papers(int(sum(int(k) for k in self.ballots.counts)), "ers97")
        counts = self.ballots.counts.astype(np.int64)
        self.row = np.repeat(np.arange(len(counts), dtype=np.intp), counts)
        self.continuing = rule._start(election)
        self.holder = scan(self.ballots, self.row, self.continuing, self.reading)
        self.value = np.full(len(self.row), CENT, dtype=np.int64)
        self.came = np.ones(len(self.row), dtype=np.int32)
        self.tally = self._sum(self.holder >= 0)
        self.inactive: dict[str, int] = {}
        for code, reason in INACTIVE_REASONS.items():
            lost = int(self.value[self.holder == code].sum())
            if lost:
                self.inactive[reason] = lost
        self.at_start = sum(self.inactive.values())  # papers that never counted: not part of the valid vote

    def _sum(self, mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        return np.bincount(self.holder[mask], weights=self.value[mask], minlength=self.n).astype(np.int64)

    def move(
        self, chosen: npt.NDArray[np.intp], values: npt.NDArray[np.int64] | None, number: int, source: int
    ) -> list[Transfer]:
        """Move papers ``chosen`` to their next available preference (at ``values``, else their own)."""
        nxt = scan(self.ballots, self.row[chosen], self.continuing, self.reading)
        if values is not None:
            self.value[chosen] = values
        self.holder[chosen] = nxt
        self.came[chosen] = number + 1
        moved = self.value[chosen]
        transfers: list[Transfer] = []
        gained = np.bincount(nxt[nxt >= 0], weights=moved[nxt >= 0], minlength=self.n).astype(np.int64)
        self.tally += gained
        for t in range(self.n):
            if gained[t]:
                transfers.append(Transfer(self.candidates[source], self.candidates[t], _votes(int(gained[t]))))
        for code, reason in INACTIVE_REASONS.items():
            lost = int(moved[nxt == code].sum())
            if lost:
                self.inactive[reason] = self.inactive.get(reason, 0) + lost
                transfers.append(Transfer(self.candidates[source], None, _votes(lost), kind="exhausted", reason=reason))
        return transfers

    def non_transferable(self) -> int:
        """The value set aside since the first stage (non-transferable papers and differences)."""
        return sum(self.inactive.values()) - self.at_start


def count_ers97(rule: Stv, election: Election, count: Count) -> None:
    """Run the count (see the module notes) on ``count``."""
    state = _State(rule, election)
    candidates = state.candidates
    n = state.n
    seats = election.seats
    valid = int(state.tally.sum())
    quota = ers97_quota(valid, seats)
    elected: list[int] = []
    elected_at: dict[int, int] = {}
    pending: list[int] = []
    excluded: set[int] = {i for i in range(n) if not state.continuing[i]}
    batches: list[int] = []  # values (hundredths) of the excluded candidates' batches still to move
    group: list[int] = []
    history: list[Mapping[Candidate, Votes]] = []
    number = 0
    stage = 1
    while True:
        number += 1
        if count.exploring:
            count.checkpoint(
                (
                    number,
                    state.continuing.tobytes(),
                    tuple(elected),
                    tuple(pending),
                    frozenset(excluded),
                    tuple(batches),
                    tuple(group),
                    quota,
                    fingerprint(state.holder),
                    fingerprint(state.value),
                    fingerprint(state.came),
                )
            )
        shown = [i for i in range(n) if i not in excluded or (i in group and state.tally[i])]
        table = {candidates[i]: _votes(int(state.tally[i])) for i in shown}
        set_aside = set_aside_of(
            {code: _votes(state.inactive.get(reason, 0)) for code, reason in INACTIVE_REASONS.items()}, election
        )
        if state.inactive.get(DIFFERENCE):
            set_aside[DIFFERENCE] = _votes(state.inactive[DIFFERENCE])
        count.add_round(
            stage_round(
                number=number,
                tally=table,
                set_aside=set_aside,
                valid=_votes(valid),
                quota=_votes(quota),
                note=f"quota {_text(quota)} votes",
            )
        )
        _elect(count, state, elected, elected_at, pending, quota, seats, batches, group, number, history)
        hopeful = [i for i in range(n) if state.continuing[i]]
        left = seats - len(elected)
        if left <= 0:
            break
        if len(hopeful) <= left:
            if hopeful:
                count.elect(*(candidates[i] for i in hopeful), in_result=False)
                elected.extend(hopeful)
                count.note("; the continuing candidates are no more than the places left (5.5.1)", append=True)
            break
        history.append(table)
        if batches:  # the exclusion goes on: its next batch is the next sub-stage (5.4.11)
            count.note(f"; stage {stage}, continued", append=True)
        else:
            stage += 1
            count.note(f"; stage {stage}", append=True)
            waiting = sum(int(state.tally[i]) - quota for i in pending)
            if pending and not _safe_exclusion(hopeful, left, waiting, state.tally):
                surpluses = {i: _votes(int(state.tally[i]) - quota) for i in pending}
                source = largest_surplus(
                    count, surpluses, number=number, history=history[:-1], candidates=candidates, rule=RULES
                )
                pending.remove(source)
                _transfer_surplus(count, state, source, int(state.tally[source]) - quota, elected_at[source], number)
                state.tally[source] = quota
                continue
            chosen = exclusion(
                count,
                hopeful,
                left,
                waiting,
                state.tally,
                together=lambda below, last, above: below <= above and last < above,
                number=number,
                history=history[:-1],
                candidates=candidates,
                rule=RULES,
            )
            if len(hopeful) - len(chosen) == left:
                rest = [i for i in hopeful if i not in chosen]
                count.elect(*(candidates[i] for i in rest), in_result=False)
                elected.extend(rest)
                count.note(
                    f"; excluding {names(candidates, chosen)} would leave as many candidates as places (5.5.1)",
                    append=True,
                )
                break
            for i in chosen:
                state.continuing[i] = False
                excluded.add(i)
            count.eliminate(*(candidates[i] for i in chosen))
            if pending:
                count.note(f"; surplus of {names(candidates, pending)} deferred (5.2.2)", append=True)
            batches = sorted({int(v) for v in state.value[np.isin(state.holder, chosen)].tolist()}, reverse=True)
            group = list(chosen)
            if not batches:
                count.note(f"; {names(candidates, chosen)} excluded with no votes to transfer", append=True)
                group = []
                continue
        value = batches.pop(0)
        _exclusion_batch(count, state, group, value, number, len(batches))
        if not elected and state.non_transferable():
            quota = _reduced(quota, valid, state, seats, count)
        if not batches:
            for i in group:
                state.tally[i] = 0
            group = []
    count.elected.extend(candidates[i] for i in elected)


def _reduced(quota: int, valid: int, state: _State, seats: int, count: Count) -> int:
    """5.4.8: the quota on the valid vote less the non-transferable vote, while nobody is elected."""
    lower = ers97_quota(valid - state.non_transferable(), seats)
    if lower < quota:
        count.note(f"; quota reduced to {_text(lower)} (5.4.8)", append=True)
        return lower
    return quota


def _elect(
    count: Count,
    state: _State,
    elected: list[int],
    elected_at: dict[int, int],
    pending: list[int],
    quota: int,
    seats: int,
    batches: list[int],
    group: list[int],
    number: int,
    history: list[Mapping[Candidate, Votes]],
) -> None:
    """Deem elected those who reach the quota or the active-vote figure (5.1.7, 5.3.13, 5.4.9; ties 5.6.2)."""
    candidates = state.candidates
    hopeful = [i for i in range(state.n) if state.continuing[i]]
    left = seats - len(elected)
    if left <= 0 or not hopeful:
        return
    awaiting = sum(int(state.tally[i]) - quota for i in pending)
    awaiting += sum(int(state.tally[i]) for i in group)
    active = sum(int(state.tally[i]) for i in hopeful) + awaiting
    # a vote reaches active / (left + 1) exactly when vote * (left + 1) >= active: figures are whole hundredths
    reached = [i for i in hopeful if state.tally[i] >= quota or state.tally[i] * (left + 1) >= active]
    reached = [i for i in reached if state.tally[i] > 0]
    if not reached:
        return
    reached.sort(key=lambda i: -int(state.tally[i]))
    if len(reached) > left:
        cut = int(state.tally[reached[left - 1]])
        sure = [i for i in reached if state.tally[i] > cut]
        level = [i for i in reached if state.tally[i] == cut]
        need = left - len(sure)
        settled = _by_earliest(level, history, candidates)
        if (
            settled is not None
            and need <= len(settled)
            and (
                need == len(settled)
                or _key(settled[need - 1], history, candidates) != _key(settled[need], history, candidates)
            )
        ):
            picked = settled[:need]
            count.settled_tie(
                [candidates[i] for i in level],
                need,
                [candidates[i] for i in picked],
                round=number,
                decision="order of election",
                rule=RULES,
            )
        else:
            picked = []
            count.settled_tie(
                [candidates[i] for i in level],
                need,
                [],
                round=number,
                decision="order of election",
                rule="ERS97 rules 5.6.2: equal at every point, so none of them is elected at this stage",
                detail="none of them is elected at this stage (5.6.2)",
            )
        reached = sure + picked
    for i in reached:
        state.continuing[i] = False
        elected.append(i)
        elected_at[i] = number
        if state.tally[i] > quota:
            pending.append(i)
        count.elect(candidates[i], in_result=False)


def _key(i: int, history: Sequence[Mapping[Candidate, Votes]], candidates: Sequence[Candidate]) -> tuple[Votes, ...]:
    return tuple(-table.get(candidates[i], 0) for table in history)


def _by_earliest(
    level: list[int], history: Sequence[Mapping[Candidate, Votes]], candidates: Sequence[Candidate]
) -> list[int] | None:
    return sorted(level, key=lambda i: _key(i, history, candidates)) if history else None


def _safe_exclusion(hopeful: list[int], left: int, waiting: int, tally: npt.NDArray[np.int64]) -> bool:
    """5.2.2: whether the surpluses waiting cannot save the lowest (alone, or a group 5.2.5 could exclude)."""
    votes = sorted(int(tally[i]) for i in hopeful)
    most = len(votes) - left
    for size in range(1, min(most, len(votes) - 1) + 1):
        if sum(votes[:size]) + waiting <= votes[size] and (size == 1 or votes[size - 1] < votes[size]):
            return True
    return False


def _transfer_surplus(count: Count, state: _State, source: int, surplus: int, elected_at: int, number: int) -> None:
    """5.3: the surplus from all the papers (first stage) or the last batch received, at the 5.3.7 value."""
    held = np.flatnonzero(state.holder == source)
    last = held[state.came[held] == elected_at]
    if elected_at > 1 and len(last) == 0 and len(held):  # elected with no papers received then: the last batch
        last = held[state.came[held] == state.came[held].max()]
    if elected_at == 1:
        last = held
    nxt = scan(state.ballots, state.row[last], state.continuing, state.reading)
    movable = last[nxt >= 0]
    total = int(state.value[movable].sum())
    if total > surplus:
        tv = surplus // len(movable)
        values = np.full(len(movable), tv, dtype=np.int64)
        how = f"at {_text(tv)} a paper ({_text(surplus)} / {len(movable):,} transferable papers)"
    else:
        values = None
        how = "at their present value"
    transfers = state.move(movable, values, number, source) if len(movable) else []
    credited = sum(int(t.votes * CENT) for t in transfers if t.target is not None)
    difference = surplus - credited
    if difference:
        state.inactive[DIFFERENCE] = state.inactive.get(DIFFERENCE, 0) + difference
        transfers.append(
            Transfer(state.candidates[source], None, _votes(difference), kind="exhausted", reason=DIFFERENCE)
        )
    count.transfer(*transfers)
    examined = "all their papers" if elected_at == 1 else "the last batch received"
    count.note(
        f"; surplus of {state.candidates[source].name} ({_text(surplus)}) transferred from {examined}"
        f" ({len(last):,} papers, {len(movable):,} transferable) {how} (5.3)",
        append=True,
    )


def _exclusion_batch(count: Count, state: _State, group: list[int], value: int, number: int, more: int) -> None:
    """5.4.2-5.4.11: the excluded candidates' papers of one value move to the next available preferences."""
    transfers: list[Transfer] = []
    for source in group:
        chosen = np.flatnonzero((state.holder == source) & (state.value == value))
        if len(chosen):
            state.tally[source] -= int(state.value[chosen].sum())
            transfers.extend(state.move(chosen, None, number, source))
    count.transfer(*transfers)
    together = " together (5.2.5)" if len(group) > 1 else ""
    rest = f"; {more} batch(es) to follow" if more else ""
    count.note(
        f"; {names(state.candidates, group)} excluded{together}: papers of value {_text(value)} transferred{rest}",
        append=True,
    )
