"""STV as the Irish Electoral Act 1992, Part XIX, counts it: whole papers, surpluses from the last sub-parcel.

Every ballot paper keeps the value one throughout; what moves is papers.
The count (preset ``ireland-dail``; ``transfer="irish"``):

- s. 120(1): the quota is the number of valid papers divided by one more
  than the vacancies, plus one, any fraction disregarded; s. 120(2): a
  candidate whose votes equal or exceed it is deemed elected;
- ss. 121-123, surpluses. A candidate elected on first preferences has all their
  papers examined; a candidate elected with transferred votes has only the
  *sub-parcel last received* examined (the papers that came at the count
  at which they were elected). The transferable papers are sorted into
  sub-parcels by next available preference. When the surplus is at least
  the transferable papers, all of them move and the rest of the surplus is
  non-transferable ("not effective"). Otherwise each sub-parcel gives the
  share ``surplus * papers in the sub-parcel / transferable papers``,
  fractions disregarded, and the papers still owed go to the sub-parcels
  with the largest fractions (equal fractions: the larger sub-parcel, then
  the candidate with more original votes, then lot). The papers that move
  are taken from the top of each sub-parcel after it is mixed: here mixed
  by the library's seeded lot (:class:`~electoral._ties._lots.LotDrawer`,
  from the rule's ``seed``), or, with no seed, taken in the order the
  election holds its ballots. Each sample is recorded in the round's note.
  The largest surplus is dealt with first (equal surpluses: the candidate
  with more votes at the earliest count at which they differed, then lot).
- deferral (ss. 121-123): a surplus is not transferred while the surpluses not
  yet transferred, taken together, could neither (a) bring the highest
  continuing candidate to the quota, (b) lift the lowest continuing
  candidate to the votes of the next lowest, nor (c) carry a continuing
  candidate past one quarter of the quota (the figure of s. 48 for the
  recoupment of expenses); the lowest is excluded first instead.
- exclusion (ss. 121-123): the lowest continuing candidate is excluded (equal
  votes: the fewest original votes, then the fewest at the earliest count
  at which they differed, then lot), and all their papers move at one
  count to the next available preference. The two or more lowest are
  excluded together when their votes, with the surpluses not transferred,
  are fewer than the votes of the next candidate up; the largest such
  group is taken, leaving at least as many candidates as vacancies.
- s. 124: the last vacancies are filled when the continuing candidates are
  as many as the vacancies (subs. 1); when they are one more and the
  lowest, with the surpluses not transferred, has fewer votes than the next
  (subs. 1A, inserted by the Electoral (Amendment) Act 2001, s. 31); and,
  for one vacancy, by a candidate whose votes exceed all the others' with
  the surpluses not transferred (subs. 2).

Sources: the definitions of s. 118 ("count", "determine by lot",
"non-transferable paper"), s. 120 and s. 124 were read in the Act's text;
the surplus and exclusion provisions between them (ss. 121-123) were not
available offline in full, and are implemented as the Act's predecessors
(Electoral Act 1923, Third Schedule, rules 6-8) and the Act's own s. 124
describe them. The numbering of each subsection there is not cited for
that reason; the deferral tests and the fraction and equality rules above
are the parts to check against the text.

Limits: s. 124(3) allows further transfers once the seats are filled, to
settle whether a candidate passes a quarter of the quota; this count stops
when the seats are filled. Papers are read with the rule's ballot reading
options (a paper whose next mark is an equal preference or a skipped rank
stops there, as the s. 118 definition of a non-transferable paper says,
under ``overvote_rule`` and ``skipped_rank_rule`` set that way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from electoral._model import Candidate, Election
from electoral._profile._ranked import INACTIVE_REASONS, ranked_ballots, scan
from electoral._result import Transfer
from electoral._ties._engine import fingerprint
from electoral._ties._lots import LotDrawer
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of
from electoral.rules._ranked._stv_earliest import largest_surplus, order_by_votes
from electoral.rules._ranked._stv_paper_limit import check_papers
from electoral.rules._ranked._stv_stage import exclusion, names, stage_round

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_irish"]

ACT = "Electoral Act 1992: the earliest count at which they had unequal votes"
EXHAUSTED = next(code for code, name in INACTIVE_REASONS.items() if name == "exhausted choices")
NOT_EFFECTIVE = "non-transferable, not effective"


class _Papers:
    """One entry per ballot paper: its unique ballot, its holder (or an inactive code) and the count it came at."""

    def __init__(self, counts: npt.NDArray[Any]) -> None:
        self.row = np.repeat(np.arange(len(counts), dtype=np.intp), counts.astype(np.int64))
        self.holder = np.full(len(self.row), -1, dtype=np.int32)
        self.came = np.ones(len(self.row), dtype=np.int32)


def count_irish(rule: Stv, election: Election, count: Count) -> None:
    """Run the count (see the module notes) on ``count``."""
    candidates = election.candidates
    n = len(candidates)
    ballots = ranked_ballots(election)
    reading = rule.reading
    continuing = rule._start(election)
    check_papers(int(sum(int(k) for k in ballots.counts)), "irish")
    papers = _Papers(ballots.counts)
    papers.holder[:] = scan(ballots, papers.row, continuing, reading)
    mixer = LotDrawer(rule.seed) if rule.seed is not None else None
    tally = np.bincount(papers.holder[papers.holder >= 0], minlength=n).astype(np.int64)
    inactive: dict[str, int] = {}
    for code in INACTIVE_REASONS:
        inactive_count = int(np.count_nonzero(papers.holder == code))
        if inactive_count:
            inactive[INACTIVE_REASONS[code]] = inactive_count
    valid = int(tally.sum())
    quota_value, _ = rule.quota_of(valid, election.seats)
    quota = int(quota_value)
    quarter = Fraction(quota, 4)
    seats = election.seats
    elected: list[int] = []
    elected_at: dict[int, int] = {}
    pending: list[int] = []  # elected, surplus not yet transferred
    excluded: set[int] = {i for i in range(n) if not continuing[i]}
    history: list[Mapping[Candidate, int]] = []
    first = {candidates[i]: int(tally[i]) for i in range(n)}
    number = 0

    def surplus_of(i: int) -> int:
        return int(tally[i]) - quota

    while True:
        number += 1
        if count.exploring:
            count.checkpoint(
                (
                    number,
                    continuing.tobytes(),
                    tuple(elected),
                    tuple(pending),
                    frozenset(excluded),
                    fingerprint(papers.holder),
                    fingerprint(papers.came),
                    tuple(tally.tolist()),
                    tuple(sorted(inactive.items())),
                )
            )
        table = {candidates[i]: int(tally[i]) for i in range(n) if i not in excluded}
        set_aside = set_aside_of({code: inactive.get(reason, 0) for code, reason in INACTIVE_REASONS.items()}, election)
        if inactive.get(NOT_EFFECTIVE):
            set_aside[NOT_EFFECTIVE] = inactive[NOT_EFFECTIVE]
        count.add_round(
            stage_round(
                number=number, tally=table, set_aside=set_aside, valid=valid, quota=quota, note=f"quota {quota:,} votes"
            )
        )
        hopeful = [i for i in range(n) if continuing[i]]
        newly = [i for i in hopeful if tally[i] >= quota]
        if newly:
            room = seats - len(elected)
            if len(newly) <= room:
                order = sorted(newly, key=lambda i: -int(tally[i]))
            else:
                order = order_by_votes(
                    count,
                    newly,
                    {i: int(tally[i]) for i in newly},
                    number=number,
                    history=history,
                    candidates=candidates,
                    decision="order of election",
                    favour=True,
                    rule=ACT,
                    places=room,
                )
            for i in order[:room]:
                continuing[i] = False
                elected.append(i)
                elected_at[i] = number
                if tally[i] > quota:
                    pending.append(i)
                count.elect(candidates[i], in_result=False)
        hopeful = [i for i in range(n) if continuing[i]]
        left = seats - len(elected)
        waiting = sum(surplus_of(i) for i in pending)
        if left <= 0:
            break
        if _fill_last(count, candidates, hopeful, left, waiting, tally, elected):
            break
        history.append(table)
        if pending and _must_transfer(hopeful, waiting, tally, quota, quarter):
            surpluses = {i: surplus_of(i) for i in pending}
            source = largest_surplus(
                count, surpluses, number=number, history=history[:-1], candidates=candidates, rule=ACT
            )
            pending.remove(source)
            _transfer_surplus(
                count,
                rule,
                ballots,
                papers,
                source,
                surplus_of(source),
                elected_at[source],
                number,
                continuing,
                tally,
                inactive,
                mixer,
                first,
                candidates,
            )
            tally[source] = quota
            continue
        group = exclusion(
            count,
            hopeful,
            left,
            waiting,
            tally,
            together=lambda below, last, above: below < above,
            number=number,
            history=history[:-1],
            candidates=candidates,
            rule=ACT,
        )
        for i in group:
            continuing[i] = False
            excluded.add(i)
        count.eliminate(*(candidates[i] for i in group))
        _transfer_excluded(count, ballots, papers, group, number, continuing, tally, inactive, reading, candidates)
        for i in group:
            tally[i] = 0
        if pending:
            count.note(f"; surplus of {names(candidates, pending)} deferred (ss. 121-123)", append=True)
    count.elected.extend(candidates[i] for i in elected)


def _fill_last(
    count: Count,
    candidates: Sequence[Candidate],
    hopeful: list[int],
    left: int,
    waiting: int,
    tally: npt.NDArray[np.int64],
    elected: list[int],
) -> bool:
    """Fill the last vacancies under s. 124 when it applies; whether the count is over."""
    chosen: list[int] = []
    why = ""
    ordered = sorted(hopeful, key=lambda i: int(tally[i]))
    if len(hopeful) <= left:
        chosen, why = hopeful, "the continuing candidates are no more than the vacancies (s. 124(1))"
    elif len(hopeful) == left + 1 and tally[ordered[0]] + waiting < tally[ordered[1]]:
        chosen = [i for i in hopeful if i != ordered[0]]
        why = "the lowest cannot overtake the next, even with the surpluses not transferred (s. 124(1A))"
    elif left == 1 and tally[ordered[-1]] > sum(int(tally[i]) for i in ordered[:-1]) + waiting:
        chosen, why = [ordered[-1]], "one vacancy, and the highest has more than all the others (s. 124(2))"
    if not chosen and len(hopeful) > left:
        return False
    if chosen:
        count.elect(*(candidates[i] for i in chosen), in_result=False)
        elected.extend(chosen)
        count.note(f"; {why}", append=True)
    return True


def _must_transfer(
    hopeful: list[int], waiting: int, tally: npt.NDArray[np.int64], quota: int, quarter: Fraction
) -> bool:
    """Whether the surpluses not transferred could change what happens next (ss. 121-123, deferral)."""
    if not hopeful:
        return True
    votes = sorted(int(tally[i]) for i in hopeful)
    if votes[-1] + waiting >= quota:
        return True
    if len(votes) > 1 and votes[0] + waiting >= votes[1]:
        return True
    return any(v <= quarter < v + waiting for v in votes)


def _transfer_surplus(
    count: Count,
    rule: Stv,
    ballots: Any,
    papers: _Papers,
    source: int,
    surplus: int,
    elected_at: int,
    number: int,
    continuing: npt.NDArray[np.bool_],
    tally: npt.NDArray[np.int64],
    inactive: dict[str, int],
    mixer: LotDrawer | None,
    first: Mapping[Candidate, int],
    candidates: Sequence[Candidate],
) -> None:
    """Move ``surplus`` papers of ``source`` from its last sub-parcel (ss. 121-123), recorded on the count."""
    n = len(candidates)
    last = np.flatnonzero((papers.holder == source) & (papers.came == elected_at))
    whole = elected_at == 1
    nxt = scan(ballots, papers.row[last], continuing, rule.reading)
    sub = {t: last[nxt == t] for t in range(n) if np.any(nxt == t)}
    transferable = sum(len(p) for p in sub.values())
    take: dict[int, int]
    sampled = transferable > surplus
    if not sampled:
        take = {t: len(p) for t, p in sub.items()}
    else:
        take = _shares(count, sub, surplus, transferable, number, first, candidates)
    moved = 0
    drawn: list[str] = []
    for t, parcel in sub.items():
        k = take.get(t, 0)
        if not k:
            continue
        if sampled:
            order = mixer.shuffle(parcel.tolist()) if mixer is not None else parcel.tolist()
            chosen = np.array(order[:k], dtype=np.intp)
            drawn.append(f"{candidates[t].name} {k:,} of {len(parcel):,}")
        else:
            chosen = parcel
        papers.holder[chosen] = t
        papers.came[chosen] = number + 1
        tally[t] += k
        moved += k
    lost = surplus - moved
    if lost:
        inactive[NOT_EFFECTIVE] = inactive.get(NOT_EFFECTIVE, 0) + lost
    transfers = [Transfer(candidates[source], candidates[t], take[t]) for t in sorted(take) if take[t]]
    if lost:
        transfers.append(Transfer(candidates[source], None, lost, kind="exhausted", reason=NOT_EFFECTIVE))
    count.transfer(*transfers)
    examined = "all their papers" if whole else f"the sub-parcel received at count {elected_at}"
    note = f"; surplus of {candidates[source].name} ({surplus:,}) transferred from {examined}"
    note += f" ({len(last):,} papers, {transferable:,} transferable)"
    if sampled:
        how = f"mixed by lot (seed {rule.seed})" if mixer is not None else "taken in the election's ballot order"
        note += f"; papers drawn from each sub-parcel, {how}: " + ", ".join(drawn)
    count.note(note, append=True)


def _shares(
    count: Count,
    sub: Mapping[int, npt.NDArray[np.intp]],
    surplus: int,
    transferable: int,
    number: int,
    first: Mapping[Candidate, int],
    candidates: Sequence[Candidate],
) -> dict[int, int]:
    """Each sub-parcel's share of the surplus: whole parts, then the largest fractions (ss. 121-123)."""
    take = {t: surplus * len(p) // transferable for t, p in sub.items()}
    owed = surplus - sum(take.values())
    if owed:
        fraction = {t: surplus * len(p) % transferable for t, p in sub.items()}
        key = {t: (fraction[t], len(sub[t]), first[candidates[t]]) for t in sub}
        ranked = sorted(sub, key=lambda t: key[t], reverse=True)
        cut = key[ranked[owed - 1]]
        sure = [t for t in ranked if key[t] > cut]
        level = [t for t in ranked if key[t] == cut]
        places = owed - len(sure)
        lot = len(level) > places
        if lot:
            picked = count.decide_tie(
                [candidates[t] for t in level], places, round=number, decision="largest fraction", history=[]
            )
            level = [candidates.index(c) for c in picked]
        equal = [t for t in ranked if fraction[t] == cut[0]]
        above = sum(1 for t in ranked if fraction[t] > cut[0])
        if not lot and len(equal) > owed - above:
            # equal fractions at the cut, told apart by the sizes of the sub-parcels or the original votes
            count.settled_tie(
                [candidates[t] for t in equal],
                owed - above,
                [candidates[t] for t in equal if key[t] > cut or t in level[:places]],
                round=number,
                decision="largest fraction",
                rule="Electoral Act 1992: equal fractions, the larger sub-parcel, then the more original votes",
                detail=", ".join(f"{candidates[t].name} {len(sub[t]):,} papers" for t in equal),
            )
        for t in [*sure, *level[:places]]:
            take[t] += 1
    return take


def _transfer_excluded(
    count: Count,
    ballots: Any,
    papers: _Papers,
    group: list[int],
    number: int,
    continuing: npt.NDArray[np.bool_],
    tally: npt.NDArray[np.int64],
    inactive: dict[str, int],
    reading: Any,
    candidates: Sequence[Candidate],
) -> None:
    """Move every paper of the excluded ``group`` to its next available preference, at one count (ss. 121-123)."""
    n = len(candidates)
    transfers: list[Transfer] = []
    for source in group:
        held = np.flatnonzero(papers.holder == source)
        nxt = scan(ballots, papers.row[held], continuing, reading)
        papers.holder[held] = nxt
        papers.came[held] = number + 1
        gained = np.bincount(nxt[nxt >= 0], minlength=n)
        tally += gained
        transfers.extend(Transfer(candidates[source], candidates[t], int(gained[t])) for t in range(n) if gained[t])
        for code, reason in INACTIVE_REASONS.items():
            lost = int(np.count_nonzero(nxt == code))
            if lost:
                inactive[reason] = inactive.get(reason, 0) + lost
                transfers.append(Transfer(candidates[source], None, lost, kind="exhausted", reason=reason))
    count.transfer(*transfers)
    together = " together (ss. 121-123)" if len(group) > 1 else ""
    count.note(f"; {names(candidates, group)} excluded{together}, every paper transferred", append=True)
