"""STV counted by ballot papers in parcels: the Australian Senate and Hare-Clark counts.

The Australian counts move physical ballot papers, not weighted votes. A
candidate holds *parcels*: the papers received at one count, all at one
transfer value. A parcel's votes are its papers times its transfer value,
with the fraction disregarded (``decimal_places=0``) or cut to
``decimal_places`` decimals (the ACT's six, Schedule 4 cl 1A(2)); what the
cut loses or gains, summed over the count, is recorded in ``set_aside`` as
``"lost by fraction"`` (the AEC's "gain/loss by fraction" column), and a
positive loss at a count as a ``"residual-surplus"`` transfer.

Both counts share:

- the quota: the formal papers divided by one more than the vacancies,
  fraction disregarded, plus one (``quota="droop"``, whole); a continuing
  candidate with at least the quota is elected, several at one count in
  the order of their votes (equal votes: the rule's ``tie_break``);
- exclusion: the continuing candidate with fewest votes is excluded
  (equal votes: the ``tie_break``, which the presets set to the counts at
  earlier stages, then lots); the excluded candidate's parcels are grouped
  by transfer value and each group, highest value first, is transferred at
  a count of its own, at the value at which the papers were received;
- a candidate who reaches the quota during an exclusion receives no more
  papers; the exclusion is finished first, and the surpluses waiting are
  then transferred in the order of election; the last vacancy filled ends
  the count (no surplus of it is transferred);
- when the continuing candidates are no more than the vacancies left, they
  are all elected.

They differ in the surplus (``transfer`` of :class:`~electoral.rules.Stv`):

- ``"senate"`` (Commonwealth Electoral Act 1918 s 273(9)-(10)): *every*
  paper the elected candidate holds is transferred, at the transfer value
  "surplus divided by the number of ballot papers" the candidate holds,
  whatever the values at which they were received (the Senate's
  unweighted inclusive Gregory method); and, s 273(17), when one vacancy is
  left and two candidates continue, the one with more votes is elected.
- ``"hare-clark"`` (Tasmania's Electoral Act 2004, Part 7; the ACT's
  Electoral Act 1992, Schedule 4): only the *last parcel* (the papers
  received at the count that gave the candidate the quota; at the first
  count, all first preferences) is transferred, at "surplus divided by the
  number of papers in that parcel that show a next available preference",
  but never more than the value at which the parcel was received; papers
  with no further preference stay with the elected candidate as part of the
  quota. Where the cap applies, the part of the surplus no paper can carry
  is recorded as exhausted.

Bulk exclusion (s 273(13A)-(13C)) is not implemented: one candidate is
excluded at a time, as the AEC's published distributions since 2016 show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Election
from electoral._profile._ranked import INACTIVE_REASONS, ranked_ballots, scan
from electoral._result import Round, Transfer
from electoral._ties._engine import fingerprint
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of
from electoral.rules._ranked._stv_gregory import _text

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_parcels"]

Votes = int | Fraction
Rows = npt.NDArray[np.intp]

#: the set-aside reason for what cutting parcel votes to whole votes (or the places) loses or gains
LOST_BY_FRACTION = "lost by fraction"
_EXHAUSTED = next(code for code, name in INACTIVE_REASONS.items() if name == "exhausted choices")


@attrs.frozen
class Parcel:
    """Papers received at one count at one transfer value: unique-ballot ``rows``, ``papers``, ``votes``."""

    rows: Rows
    value: Fraction
    papers: int
    votes: Votes


class _Papers:
    """Where every paper is: each unique ballot's holder (candidate or inactive code) and each candidate's parcels."""

    def __init__(self, rule: Stv, election: Election) -> None:
        self.ballots = ranked_ballots(election)
        self.counts = np.asarray(self.ballots.counts, dtype=np.int64)
        self.reading = rule.reading
        self.n = len(election.candidates)
        self.places = rule.decimal_places
        self.parcels: list[list[Parcel]] = [[] for _ in range(self.n)]

    def cut(self, votes: Fraction) -> Votes:
        """Votes with the fraction disregarded, or cut to the places (truncation, never rounding up)."""
        if self.places is None:
            return whole(votes)
        scale = 10**self.places
        return whole(Fraction((votes.numerator * scale) // votes.denominator, scale))

    def papers(self, rows: Rows) -> int:
        return int(self.counts[rows].sum()) if len(rows) else 0

    def deal(self, rows: Rows, value: Fraction, continuing: npt.NDArray[np.bool_]) -> tuple[dict[int, Votes], Votes]:
        """Give ``rows`` to their next continuing candidates at ``value``: the votes gained, and the votes exhausted."""
        choice = scan(self.ballots, rows, continuing, self.reading)
        gained: dict[int, Votes] = {}
        if len(rows):
            sums = np.zeros(self.n, dtype=np.int64)
            live = choice >= 0
            np.add.at(sums, choice[live], self.counts[rows[live]])
            for target in np.flatnonzero(sums).tolist():
                mine = rows[choice == target]
                papers = int(sums[target])
                votes = self.cut(papers * value)
                self.parcels[target].append(Parcel(mine, value, papers, votes))
                gained[target] = votes
        return gained, self.cut(self.papers(rows[choice < 0]) * value)


def count_parcels(rule: Stv, election: Election, count: Count) -> None:
    """Run the count (see the module notes) on ``count``; ``rule.transfer`` is ``"senate"`` or ``"hare-clark"``."""
    candidates = election.candidates
    n = len(candidates)
    senate = rule.transfer == "senate"
    book = _Papers(rule, election)
    continuing = rule._start(election)
    rows = np.arange(len(book.counts))
    first = scan(book.ballots, rows, continuing, book.reading)
    tally: list[Votes] = [0] * n
    for c in range(n):
        mine = rows[first == c]
        if len(mine):
            papers = book.papers(mine)
            book.parcels[c].append(Parcel(mine, Fraction(1), papers, papers))
            tally[c] = papers
    informal = {code: book.papers(rows[first == code]) for code in INACTIVE_REASONS}
    valid = sum(tally)
    quota, strict = rule.quota_of(valid, election.seats)
    seats = election.seats
    elected: list[int] = []
    pending: list[int] = []  # elected, surplus not yet transferred
    waiting: list[tuple[list[int], Fraction]] = []  # the rest of an exclusion: (excluded, value) per count
    excluded = {i for i in range(n) if not continuing[i]}
    exhausted: Votes = 0
    lost: Votes = 0
    number = 0
    history: list[Mapping[Candidate, Votes]] = []

    def reached(votes: Votes) -> bool:
        return votes > quota if strict else votes >= quota

    while True:
        number += 1
        if count.exploring:
            count.checkpoint(
                (
                    number,
                    continuing.tobytes(),
                    tuple(elected),
                    tuple(pending),
                    tuple((tuple(s), v) for s, v in waiting),
                    frozenset(excluded),
                    tuple(tally),
                    tuple(fingerprint(p.rows) for held in book.parcels for p in held),
                    exhausted,
                    lost,
                )
            )
        # an excluded candidate is shown while papers of theirs wait to be transferred
        table = {candidates[i]: tally[i] for i in range(n) if i not in excluded or tally[i]}
        set_aside = set_aside_of(informal, election)
        if exhausted:
            set_aside["exhausted choices"] = set_aside.get("exhausted choices", 0) + exhausted
        if lost:
            set_aside[LOST_BY_FRACTION] = lost
        held = sum(table.values())
        count.add_round(
            Round(
                number=number,
                tally=table,
                ballots=held + sum(set_aside.values()),
                continuing=held,
                set_aside=set_aside,
                denominator=valid,
                basis="valid votes",
                threshold=Fraction(quota) / valid if valid else None,
                comparison="above" if strict else "at-least",
                note=f"quota {quota:,} votes",
                quota=quota,
            )
        )
        newly = [i for i in range(n) if continuing[i] and reached(tally[i])]
        if newly:
            left = seats - len(elected)
            # equal votes need the tie-break at a cut, or for the order of surpluses still to be transferred
            cut = len(newly) > left
            filling = len(newly) == left

            def material(votes: Votes) -> bool:
                return cut or (not filling and votes > quota)  # noqa: B023 (used at once)

            order = _in_order(count, {candidates[i]: tally[i] for i in newly}, number, history, material)
            chosen = [candidates.index(c) for c in order][: seats - len(elected)]
            for i in chosen:
                continuing[i] = False
            elected.extend(chosen)
            pending.extend(i for i in chosen if tally[i] > quota)
            count.elect(*(candidates[i] for i in chosen), in_result=False)
        if len(elected) >= seats:
            break
        hopeful = [i for i in range(n) if continuing[i]]
        left = seats - len(elected)
        if not waiting and not pending:
            if len(hopeful) <= left:
                if hopeful:
                    order = _in_order(count, {candidates[i]: tally[i] for i in hopeful}, number, history, None)
                    count.elect(*order, in_result=False)
                    count.note("; the continuing candidates fill the vacancies left", append=True)
                    elected.extend(candidates.index(c) for c in order)
                break
            if senate and left == 1 and len(hopeful) == 2:
                (winner,) = count.top(
                    {candidates[i]: tally[i] for i in hopeful},
                    1,
                    round=number,
                    decision="order of election",
                    history=history,
                )
                count.elect(winner, in_result=False)
                count.note("; two candidates left for the last vacancy: the one with more votes", append=True)
                elected.append(candidates.index(winner))
                break
        history.append(table)
        if not waiting and not pending:
            while not waiting and len([i for i in range(n) if continuing[i]]) > left:
                hopeful = [i for i in range(n) if continuing[i]]
                lowest = min(tally[i] for i in hopeful)
                level = [candidates[i] for i in hopeful if tally[i] == lowest]
                (loser,) = count.decide_tie(
                    level, 1, round=number, decision="exclude", favour=False, history=history[:-1]
                )
                source = candidates.index(loser)
                continuing[source] = False
                excluded.add(source)
                count.eliminate(loser)
                values = sorted({p.value for p in book.parcels[source]}, reverse=True)
                waiting.extend(([source], value) for value in values)
                if not values:
                    count.note(f"; {loser.name} excluded, holding no ballot papers", append=True)
            if not waiting:
                continue  # the exclusions of candidates with no papers left as many as the vacancies
        if waiting:
            sources, value = waiting.pop(0)
            moving = [p for s in sources for p in book.parcels[s] if p.value == value]
            for s in sources:
                book.parcels[s] = [p for p in book.parcels[s] if p.value != value]
            taken: Votes = sum((p.votes for p in moving), 0)
            for s in sources:
                tally[s] = sum((p.votes for p in book.parcels[s]), 0)
            rows_moving = np.concatenate([p.rows for p in moving]) if moving else rows[:0]
            gained, gone_votes = book.deal(rows_moving, value, continuing)
            names = ", ".join(candidates[s].name for s in sources)
            note = f"; {names} excluded: papers at transfer value {_text(value)} transferred"
            source = sources[0]
            residue = taken - sum(gained.values(), 0) - gone_votes
            exhaust_votes: Votes = gone_votes
        else:
            source = pending.pop(0)
            surplus = tally[source] - quota
            if senate:
                moving = book.parcels[source]
                papers = sum(p.papers for p in moving)
                value = Fraction(surplus, papers) if papers else Fraction(0)
                book.parcels[source] = []
                rows_moving = np.concatenate([p.rows for p in moving]) if moving else rows[:0]
                gained, gone_votes = book.deal(rows_moving, value, continuing)
                exhaust_votes = gone_votes
                residue = surplus - sum(gained.values(), 0) - gone_votes
            else:
                last = book.parcels[source][-1]
                ahead = scan(book.ballots, last.rows, continuing, book.reading)
                going = last.rows[ahead >= 0]
                papers = book.papers(going)
                value = min(Fraction(surplus) / papers, last.value) if papers else Fraction(0)
                staying = last.rows[ahead < 0]
                book.parcels[source][-1] = Parcel(staying, last.value, book.papers(staying), last.votes)
                gained, _ = book.deal(going, value, continuing)  # every paper going has a next preference
                exhaust_votes = surplus - papers * value  # the part of the surplus no paper carries (the cap)
                residue = surplus - sum(gained.values(), 0) - exhaust_votes
            tally[source] = quota
            note = (
                f"; surplus of {candidates[source].name} ({_text(Fraction(surplus))}) transferred"
                f" at transfer value {_text(value)}"
            )
        for target, votes in gained.items():
            tally[target] += votes
        exhausted = whole(Fraction(exhausted) + exhaust_votes)
        lost = whole(Fraction(lost) + residue)
        transfers = [
            Transfer(candidates[source], candidates[t], whole(Fraction(gained[t]))) for t in sorted(gained) if gained[t]
        ]
        if exhaust_votes:
            transfers.append(
                Transfer(
                    candidates[source],
                    None,
                    whole(Fraction(exhaust_votes)),
                    kind="exhausted",
                    reason=INACTIVE_REASONS[_EXHAUSTED],
                )
            )
        if residue > 0:
            transfers.append(Transfer(candidates[source], None, whole(Fraction(residue)), kind="residual-surplus"))
        count.transfer(*transfers)
        count.note(note, append=True)
    count.elected.extend(candidates[i] for i in elected)


def _in_order(
    count: Count,
    tally: Mapping[Candidate, Votes],
    number: int,
    history: list[Mapping[Candidate, Votes]],
    material: Callable[[Votes], bool] | None,
) -> list[Candidate]:
    """``tally``'s candidates by votes, most first.

    Equal votes are put in the order the rule's ``tie_break`` gives where
    ``material(votes)`` says their order matters (else, and with no
    ``material``, in the election's order, and no tie is recorded).
    """
    out: list[Candidate] = []
    for votes in sorted(set(tally.values()), reverse=True):
        level = [c for c, v in tally.items() if v == votes]
        while len(level) > 1 and material is not None and material(votes):
            (first,) = count.decide_tie(
                level, 1, round=number, decision="order of election", favour=True, history=history
            )
            out.append(first)
            level.remove(first)
        out.extend(level)
    return out
