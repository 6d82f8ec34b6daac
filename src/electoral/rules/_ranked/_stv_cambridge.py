"""Cambridge, Massachusetts: whole-ballot STV counted in the order the ballots were counted.

The statute is Massachusetts General Laws c. 54A, § 9 (rules for counting
ballots under proportional representation), with § 16(b), under which
Cambridge replaces the first-choice rules (e) and (f) of § 9 by the
"Cincinnati method" of treating first choices in excess of the quota, as
the Cambridge Election Commission describes it ("Cincinnati Method",
cambridgema.gov/election). The count, as implemented here:

- the quota (§ 9(c)) is the valid ballots divided by one more than the
  seats, plus one, fractions disregarded; a candidate credited with the
  quota is elected and is credited with no more ballots (§ 9(c)): from then
  on, in this transfer and later ones, a ballot whose next choice is an
  elected candidate passes to its next choice for a continuing one;
- first choices (§ 9(b), (d)): every valid ballot is credited, in the order
  the ballots were counted, to its first choice;
- surpluses (§ 16(b), the Cincinnati method): the ballots of a candidate
  with more than the quota, numbered in the order they were credited to
  them, are drawn at every n-th place, ``n`` the whole number nearest to
  their ballots divided by the surplus (a half rounded up); a drawn ballot
  that shows no continuing candidate as next choice is skipped and stays.
  The draw takes places ``n, 2n, 3n, ...``, then ``n+1, 2n+1, ...``, and so
  on, and last the places before ``n``, until the surplus has gone or no
  ballot can go. Surpluses are transferred largest first;
- defeat below the minimum (§ 9(g)): once first choices and surpluses are
  credited, every candidate with fewer ballots than the signatures a
  nomination needs (50 in Cambridge; option ``minimum_vote_threshold``) is
  defeated at once, and their ballots are transferred as one transfer
  (§ 9(h), (k) last paragraph), candidate by candidate from the fewest
  ballots up (ties in the election's order), each candidate's ballots in the
  order they were credited to them. This defeat stops short of leaving fewer
  continuing candidates than seats to fill (the lowest go first);
- then (§ 9(i), (j)) the candidate lowest on the poll is defeated, one at a
  time, and all their ballots transferred, in the order credited; a ballot
  with no next choice for a continuing candidate is set aside as exhausted
  (§ 9(h));
- ties at the bottom (§ 9(k)): the candidate with fewest ballots immediately
  before the last transfer, then the transfer before that, and so on; then
  lot (``tie_break="previous-rounds+lot"``). Every transfer is one round, so
  the rounds before the current one are those standings;
- the end (§ 9(l)): when the seats are filled, the transfer in progress is
  completed and every continuing candidate is defeated; when no candidate
  can be defeated without leaving fewer continuing candidates than seats
  still to fill, every continuing candidate is elected.

Reading ballots (§ 9(a)): skipped numbers are closed up, a rank holding
several candidates is passed over (Cambridge's instructions to voters: the
same number for several candidates makes those votes invalid), and a
candidate ranked again is passed over.

The order of the ballots: an :class:`~electoral.Election` merges identical
ballots (see the design notes), so a count that depends on which physical
ballot comes where is given the order separately: ``Stv.tabulate(election,
order=ballots)``, ``ballots`` the election's ballots one by one (a Ballot
with ``count=k`` stands for ``k`` consecutive ballots) in the order they
were counted, checked to be exactly the election's ballots. Without
``order`` the count takes the order in which the election lists its ballots,
each ballot's copies together, and its first round says so.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING

from electoral._model import Ballot, Candidate, Election
from electoral._profile._ranked import EXHAUSTED, INACTIVE_REASONS
from electoral._result import Round, Transfer
from electoral._text import excerpt
from electoral.errors import BallotError
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of
from electoral.rules._ranked._stv_paper_limit import check_papers

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["cincinnati_places", "count_cambridge", "papers_in_order"]

EXHAUSTED_REASON = INACTIVE_REASONS[EXHAUSTED]


def papers_in_order(election: Election, order: Iterable[Ballot] | None) -> tuple[list[tuple[int, ...]], bool]:
    """Each physical ballot's preferences (candidate indices, as § 9(a) reads them), in counting order.

    ``order`` (Ballots, a ``count`` of ``k`` meaning ``k`` in a row) must hold
    exactly the election's ranked ballots; None takes the election's own
    listing. The flag says whether an order was given.
    """
    index = {c: i for i, c in enumerate(election.candidates)}
    listed = [b for b in election.ballots if b.scores is None]
    check_papers(sum(b.count for b in listed), "cambridge")
    if order is None:
        chosen: list[Ballot] = listed
    else:
        if isinstance(order, (str, Ballot)) or not isinstance(order, Iterable):
            raise BallotError(f"order must be the election's ballots in counting order, not {excerpt(order)}")
        chosen = list(order)
        for ballot in chosen:
            if not isinstance(ballot, Ballot):
                raise BallotError(f"order holds Ballot objects, not {excerpt(ballot)}")
        _check_same(listed, chosen)
    papers: list[tuple[int, ...]] = []
    for ballot in chosen:
        papers.extend([_preferences(ballot, index)] * ballot.count)
    return papers, order is not None


def _check_same(listed: list[Ballot], chosen: list[Ballot]) -> None:
    want: Tally[object] = Tally()
    for b in listed:
        want[b.ranking] += b.count
    have: Tally[object] = Tally()
    for b in chosen:
        have[b.ranking] += b.count
    if want == have:
        return
    for b in chosen + listed:
        if want[b.ranking] != have[b.ranking]:
            raise BallotError(
                f"order holds ballot {excerpt(str(b))} {have[b.ranking]} time(s), but the election has it"
                f" {want[b.ranking]} time(s): the order must list exactly the election's ballots"
            )


def _preferences(ballot: Ballot, index: dict[Candidate, int]) -> tuple[int, ...]:
    seen: list[int] = []
    for rank in ballot.ranking:
        if len(rank) == 1:
            (candidate,) = rank
            i = index[candidate]
            if i not in seen:
                seen.append(i)
    return tuple(seen)


def cincinnati_places(total: int, surplus: int) -> list[int]:
    """The places (1-based) of a pile of ``total`` ballots in the order the Cincinnati method draws them.

    ``n`` is the whole number nearest to ``total / surplus`` (a half rounded
    up); the draw is ``n, 2n, ...``, then ``n+1, 2n+1, ...``, up to the pass
    starting at ``2n-1``, then the places before ``n``.

    >>> cincinnati_places(10, 3)  # n = 3
    [3, 6, 9, 4, 7, 10, 5, 8, 1, 2]
    """
    if surplus <= 0 or total <= 0:
        return []
    n = max(1, (2 * total + surplus) // (2 * surplus))
    places = [p for start in range(n, 2 * n) for p in range(start, total + 1, n)]
    return places + list(range(1, min(n, total + 1)))


def count_cambridge(rule: Stv, election: Election, count: Count, papers: list[tuple[int, ...]], given: bool) -> None:
    """Run the Cambridge count (see the module notes) on ``count`` over ``papers``, in order."""
    cambridge = _Cambridge(rule, election, count, papers)
    cambridge.run(given)


class _Cambridge:
    """The state of one Cambridge count: each candidate's pile of ballots, in the order credited."""

    def __init__(self, rule: Stv, election: Election, count: Count, papers: list[tuple[int, ...]]) -> None:
        self.rule, self.election, self.count, self.papers = rule, election, count, papers
        self.candidates = election.candidates
        n = len(self.candidates)
        self.state = ["continuing"] * n
        for name in rule.excluded:
            self.state[election.names.index(name)] = "withdrawn"
        self.piles: list[list[int]] = [[] for _ in range(n)]
        self.at = [0] * len(papers)  # how far along its preferences each ballot has been read
        self.valid = sum(1 for p in papers if p)
        self.blank = len(papers) - self.valid
        self.exhausted = 0
        # § 9(c) with the preset's whole Droop quota; another ``quota`` option gives the least whole number of
        # ballots that reaches (or, for a fractional Droop quota, exceeds) it
        quota, exceed = rule.quota_of(self.valid, election.seats)
        fraction = Fraction(quota)
        whole_quota = fraction.numerator // fraction.denominator
        self.quota = whole_quota + 1 if exceed or whole_quota < fraction else whole_quota
        self.number = 0
        self.newly: list[int] = []

    # -- moving ballots -------------------------------------------------------------

    def _next(self, paper: int) -> int | None:
        """The ballot's next choice for a continuing candidate (moving its place), or None."""
        prefs = self.papers[paper]
        k = self.at[paper]
        while k < len(prefs) and self.state[prefs[k]] != "continuing":
            k += 1
        if k >= len(prefs):
            return None
        self.at[paper] = k
        return prefs[k]

    def _credit(self, paper: int, target: int) -> None:
        self.piles[target].append(paper)
        if len(self.piles[target]) >= self.quota and self.state[target] == "continuing":
            self.state[target] = "elected"  # § 9(c): credited with no more ballots from now on
            self.newly.append(target)

    def _transfer_all(self, source: int) -> dict[int | None, int]:
        """§ 9(h): every ballot of a defeated ``source``, in the order credited, to its next continuing choice."""
        moves: dict[int | None, int] = {}
        for paper in self.piles[source]:
            target = self._next(paper)
            moves[target] = moves.get(target, 0) + 1
            if target is None:
                self.exhausted += 1
            else:
                self._credit(paper, target)
        self.piles[source] = []
        return moves

    def _surplus(self, source: int) -> tuple[dict[int | None, int], int]:
        """§ 16(b): the Cincinnati draw of ``source``'s surplus; the moves and the skip value ``n``."""
        pile = self.piles[source]
        total, surplus = len(pile), len(pile) - self.quota
        moves: dict[int | None, int] = {}
        leaving: set[int] = set()
        for place in cincinnati_places(total, surplus):
            if len(leaving) == surplus:
                break
            paper = pile[place - 1]
            target = self._next(paper)
            if target is None:
                continue  # skipped: it stays with the candidate
            leaving.add(paper)
            moves[target] = moves.get(target, 0) + 1
            self._credit(paper, target)
        self.piles[source] = [p for p in pile if p not in leaving]
        return moves, max(1, (2 * total + surplus) // (2 * surplus))

    # -- rounds ---------------------------------------------------------------------

    def _round(self, note: str) -> None:
        self.number += 1
        table: dict[Candidate, int | Fraction] = {
            c: len(self.piles[i]) for i, c in enumerate(self.candidates) if self.state[i] in ("continuing", "elected")
        }
        set_aside = set_aside_of({-5: self.blank}, self.election)
        if self.exhausted:
            set_aside[EXHAUSTED_REASON] = self.exhausted
        held = sum(table.values())
        self.count.add_round(
            Round(
                number=self.number,
                tally=table,
                ballots=held + sum(set_aside.values()),
                continuing=held,
                set_aside=set_aside,
                denominator=self.valid,
                basis="valid ballots",
                threshold=Fraction(self.quota, self.valid) if self.valid else None,
                comparison="at-least",
                note=note,
                quota=self.quota,
            )
        )
        if self.newly:
            ordered = sorted(self.newly, key=lambda i: -len(self.piles[i]))
            self.count.elect(*(self.candidates[i] for i in ordered))
            self.newly = []

    def _record_moves(self, source: int, moves: dict[int | None, int]) -> None:
        transfers = [
            Transfer(self.candidates[source], self.candidates[t], v)
            for t, v in sorted(moves.items(), key=_key)
            if t is not None
        ]
        if moves.get(None):
            transfers.append(
                Transfer(self.candidates[source], None, moves[None], kind="exhausted", reason=EXHAUSTED_REASON)
            )
        if transfers:
            self.count.transfer(*transfers)

    def _seats_left(self) -> int:
        return self.election.seats - sum(1 for s in self.state if s == "elected")

    def _continuing(self) -> list[int]:
        return [i for i, s in enumerate(self.state) if s == "continuing"]

    def _ended(self) -> bool:
        """§ 9(l): seats filled (the rest defeated), or the continuing candidates no more than fill them."""
        left, continuing = self._seats_left(), self._continuing()
        if left <= 0:
            if continuing:
                for i in continuing:
                    self.state[i] = "defeated"
                self.count.eliminate(*(self.candidates[i] for i in continuing))
            return True
        if len(continuing) <= left:
            for i in continuing:
                self.state[i] = "elected"
            if continuing:
                ordered = sorted(continuing, key=lambda i: -len(self.piles[i]))
                self.count.elect(*(self.candidates[i] for i in ordered))
            return True
        return False

    def run(self, given: bool) -> None:
        for paper in range(len(self.papers)):  # § 9(b), (d): first choices, in the order counted
            target = self._next(paper)
            if target is not None:
                self.piles[target].append(paper)
            elif self.papers[paper]:
                self.exhausted += 1  # valid, but marks only withdrawn candidates
        for i, pile in enumerate(self.piles):
            if self.state[i] == "continuing" and len(pile) >= self.quota:
                self.state[i] = "elected"
                self.newly.append(i)
        order = "in the order given" if given else "in the order the election lists them (no order given)"
        self._round(f"first choices, ballots {order}; quota {self.quota}")
        if self._ended():
            return
        done: set[int] = set()
        while True:  # § 16(b): surpluses, largest first, each once (what cannot move stays)
            over = {
                self.candidates[i]: len(p) - self.quota
                for i, p in enumerate(self.piles)
                if len(p) > self.quota and i not in done
            }
            if not over:
                break
            (first,) = self.count.top(over, 1, round=self.number, decision="transfer surplus first")
            source = self.candidates.index(first)
            done.add(source)
            moves, n = self._surplus(source)
            self._record_moves(source, moves)
            self.count.note(f"; surplus of {first.name} ({over[first]}) drawn every n-th ballot, n = {n}", append=True)
            left_over = len(self.piles[source]) - self.quota
            self._round(
                f"after {first.name}'s surplus" + (f" ({left_over} could not be transferred)" if left_over else "")
            )
            if self._ended():
                return
        self._bulk_defeat()
        while not self._ended():  # § 9(i), (j): the lowest, one at a time
            continuing = self._continuing()
            lowest = min(len(self.piles[i]) for i in continuing)
            level = [self.candidates[i] for i in continuing if len(self.piles[i]) == lowest]
            (loser,) = self.count.decide_tie(level, 1, round=self.number, decision="exclude", favour=False)
            source = self.candidates.index(loser)
            self.state[source] = "defeated"
            self.count.eliminate(loser)
            self._record_moves(source, self._transfer_all(source))
            self._round(f"after {loser.name}'s ballots")

    def _bulk_defeat(self) -> None:
        """§ 9(g), (h): every continuing candidate below the minimum, at once, as one transfer."""
        minimum = self.rule.minimum_vote_threshold
        continuing = sorted(self._continuing(), key=lambda i: (len(self.piles[i]), i))
        below = [i for i in continuing if len(self.piles[i]) < minimum]
        below = below[: max(0, len(continuing) - self._seats_left())]
        if not below:
            return
        for i in below:
            self.state[i] = "defeated"
        self.count.eliminate(*(self.candidates[i] for i in below))
        self.count.note(f"; defeated together with fewer than {minimum} ballots (§ 9(g))", append=True)
        for source in below:
            self._record_moves(source, self._transfer_all(source))
        self._round("after the ballots of the candidates below the minimum")


def _key(item: tuple[int | None, int]) -> int:
    return -1 if item[0] is None else item[0]
