"""Iterative rules: Coombs, Baldwin and Nanson eliminate candidates round by round; Bucklin adds ranks.

Each elimination is one decision: when candidates are level, the tie goes
through ``tie_break`` (so ``tie_break="all"`` follows every order of
elimination, which is parallel-universe tie-breaking). Baldwin and Nanson
count Borda scores among the continuing candidates from the pairwise matrix
(``unranked`` picks its convention): for each other continuing candidate, a
point per voter preferring the candidate and half a point per voter with no
preference between the two — for complete rankings, the ordinary Borda
count of the ballots restricted to the continuing candidates.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Election
from electoral._profile._build import profile_of
from electoral._profile._pairwise import UNRANKED, PairwiseMatrix, Unranked, pairwise_of, positions_of
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral._text import excerpt
from electoral.rules._base import Count
from electoral.rules._common import ProfileRule, ballot_figures, elect_best, elect_one_of, names, ranked_voters
from electoral.rules._options import choice

__all__ = ["Baldwin", "Bucklin", "Coombs", "Nanson"]

Votes = int | Fraction
BoolArray = npt.NDArray[np.bool_]


def restricted_borda(matrix: PairwiseMatrix, continuing: list[int]) -> dict[Candidate, Votes]:
    """Borda scores among ``continuing`` candidates (indices), from the pairwise matrix."""
    support = matrix.support
    scores: dict[Candidate, Votes] = {}
    for a in continuing:
        total = Fraction(0)
        for b in continuing:
            if a != b:
                ab, ba = int(support[a, b]), int(support[b, a])
                total += ab + Fraction(matrix.voters - ab - ba, 2)
        scores[matrix.candidates[a]] = whole(total)
    return scores


@attrs.frozen(kw_only=True)
class _BordaElimination(ProfileRule):
    unranked: Unranked = attrs.field(default="below", validator=choice("below", "ignore"))

    def matrix(self, election: Election) -> PairwiseMatrix:
        """The pairwise matrix the Borda scores are counted from (at most MAX_PAIRWISE_CANDIDATES candidates)."""
        return pairwise_of(election, unranked=self.unranked, purpose=f"rule {excerpt(self.info.name)}")

    def _eliminate(self, count: Count, tally: dict[Candidate, Votes], round: int) -> tuple[Candidate, ...]:
        raise NotImplementedError

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        count.pairwise = matrix  # carried on the Result
        continuing = list(range(len(election.candidates)))
        figures = ballot_figures(election, matrix.voters)
        round = 0
        while True:
            round += 1
            if count.exploring:  # the continuing candidates decide the rest (tie_break="all" explores each once)
                count.checkpoint((round, tuple(continuing)))
            tally = restricted_borda(matrix, continuing)
            count.add_round(Round(number=round, tally=tally, measure="Borda points", **figures))
            if len(continuing) == 1:
                winner = matrix.candidates[continuing[0]]
                count.elect(winner, note=f"{winner.name} is the last candidate standing")
                return
            out = self._eliminate(count, tally, round)
            if not out:
                level = [matrix.candidates[i] for i in continuing]
                winners = elect_one_of(count, level, round=round)
                count.elect(*winners, note=f"{names(level)} have equal Borda points")
                return
            count.eliminate(*out, note=f"{names(out)} eliminated")
            gone = {matrix.candidates.index(c) for c in out}
            continuing = [i for i in continuing if i not in gone]


@register
@attrs.frozen(kw_only=True)
class Baldwin(_BordaElimination):
    """Baldwin: eliminate the candidate with fewest Borda points, recount among the rest, repeat.

    Source: J. M. Baldwin, "The technique of the Nanson preferential
    majority system of election", *Proceedings of the Royal Society of
    Victoria* 39 (1926) 42–52.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>A>B": 2})
    >>> tabulate(e, "baldwin").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="baldwin",
        family="iterative",
        marks={"ranking"},
        winners="single",
        summary="Baldwin: eliminate the Borda loser one at a time.",
    )

    def _eliminate(self, count: Count, tally: dict[Candidate, Votes], round: int) -> tuple[Candidate, ...]:
        lowest = min(tally.values())
        level = [c for c, v in tally.items() if v == lowest]
        return count.decide_tie(level, 1, round=round, decision="eliminate", favour=False, history=count.history(round))


@register
@attrs.frozen(kw_only=True)
class Nanson(_BordaElimination):
    """Nanson (strict): eliminate every candidate with fewer Borda points than the average, and repeat.

    When all continuing candidates have equal points, they tie for
    ``tie_break``. Source: E. J. Nanson, "Methods of election", *Transactions
    and Proceedings of the Royal Society of Victoria* 19 (1882) 197–240.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>A>B": 2})
    >>> tabulate(e, "nanson").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="nanson",
        family="iterative",
        marks={"ranking"},
        winners="single",
        summary="Nanson: eliminate all candidates below the average Borda score, repeatedly.",
    )

    def _eliminate(self, count: Count, tally: dict[Candidate, Votes], round: int) -> tuple[Candidate, ...]:
        average = Fraction(sum(tally.values()), len(tally))
        return tuple(c for c, v in tally.items() if v < average)


def _split_counts(mask: BoolArray, counts: npt.NDArray[np.int64], rows: BoolArray) -> list[Fraction]:
    """Per candidate, the voters of the selected rows, each row's vote split equally over its mask."""
    sizes = mask.sum(axis=1)
    totals = [Fraction(0)] * mask.shape[1]
    for size in np.unique(sizes[rows]).tolist():
        if size == 0:
            continue
        chosen = rows & (sizes == size)
        per_candidate = counts[chosen] @ mask[chosen].astype(np.int64)
        for c, v in enumerate(per_candidate.tolist()):
            if v:
                totals[c] += Fraction(v, size)
    return totals


@register
@attrs.frozen(kw_only=True)
class Coombs(ProfileRule):
    """Coombs: unless a candidate has a majority of first preferences, eliminate the most often last.

    Among the continuing candidates, a ballot's first preference is its
    highest-ranked group and its last place the lowest group, where
    candidates it leaves unranked tie at the bottom; a group of several
    candidates shares the ballot's vote equally (exact fractions). A ballot
    ranking no continuing candidate is exhausted. A candidate wins with
    more than half of the continuing ballots' first preferences. The tally
    is first preferences; the note lists last places.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
    >>> tabulate(e, "coombs").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="coombs",
        family="iterative",
        marks={"ranking"},
        winners="single",
        summary="Coombs: eliminate the candidate most often ranked last until one has a majority.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        profile = profile_of(election)
        positions = positions_of(election)
        counts = profile.counts
        people = election.candidates
        continuing = np.ones(len(people), dtype=np.bool_)
        round = 0
        while True:
            round += 1
            if count.exploring:  # the continuing candidates decide the rest (tie_break="all" explores each once)
                count.checkpoint((round, continuing.tobytes()))
            held = np.where(continuing[None, :], positions, np.iinfo(np.int16).min)
            best = np.where(continuing[None, :], positions, UNRANKED).min(axis=1)
            live = best < UNRANKED  # ranks some continuing candidate
            top = continuing[None, :] & (positions == best[:, None])
            bottom = continuing[None, :] & (positions == held.max(axis=1)[:, None])
            first = _split_counts(top, counts, live)
            last = _split_counts(bottom, counts, live)
            live_voters = int(counts[live].sum())
            tally = {people[c]: whole(first[c]) for c in np.flatnonzero(continuing).tolist()}
            figures = ballot_figures(election, live_voters, exhausted=ranked_voters(election) - live_voters)
            count.add_round(
                Round(
                    number=round,
                    tally=tally,
                    basis="continuing ballots",
                    denominator=live_voters,
                    threshold=Fraction(1, 2),
                    comparison="above",
                    **figures,
                )
            )
            leaders = [c for c, v in tally.items() if 2 * v > live_voters]
            if leaders or len(tally) == 1:
                winner = leaders[0] if leaders else next(iter(tally))
                count.elect(winner, note=f"{winner.name} has a majority of first preferences")
                return
            if live_voters == 0:
                winners = elect_one_of(count, list(tally), round=round)
                count.elect(*winners, note="no continuing ballots: the continuing candidates tie")
                return
            most = max(last[c] for c in np.flatnonzero(continuing).tolist())
            level = [people[c] for c in np.flatnonzero(continuing).tolist() if last[c] == most]
            out = count.decide_tie(
                level, 1, round=round, decision="eliminate", favour=False, history=count.history(round)
            )
            last_text = ", ".join(f"{people[c].name} {whole(last[c])}" for c in np.flatnonzero(continuing).tolist())
            count.eliminate(*out, note=f"last places: {last_text}; {names(out)} eliminated")
            continuing[people.index(out[0])] = False


@register
@attrs.frozen(kw_only=True)
class Bucklin(ProfileRule):
    """Bucklin: add each rank's votes in turn until a candidate has a majority; the most votes then wins.

    Round ``k`` credits every candidate with the voters who mark it at one of
    their first ``k`` ranks (equal ranks all count). As soon as some
    candidate is credited by more than half of the voters, the candidate with
    most credits wins; if no rank brings a majority, the most credits after
    the last rank win.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
    >>> tabulate(e, "bucklin").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="bucklin",
        family="iterative",
        marks={"ranking"},
        winners="single",
        summary="Bucklin: add lower ranks until a candidate has a majority.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        profile = profile_of(election)
        positions = positions_of(election)
        voters = ranked_voters(election)
        depth = max(profile.ranks.shape[1], 1)
        figures = ballot_figures(election, voters)
        for level in range(1, depth + 1):
            credited = (positions < level).astype(np.int64)
            votes = profile.counts @ credited if len(profile.counts) else np.zeros(len(election.candidates))
            tally: dict[Candidate, Votes] = {
                c: int(v) for c, v in zip(election.candidates, votes.tolist(), strict=True)
            }
            count.add_round(
                Round(
                    number=level,
                    tally=tally,
                    basis="voters",
                    denominator=voters,
                    threshold=Fraction(1, 2),
                    **figures,
                )
            )
            if any(2 * v > voters for v in tally.values()) or level == depth:
                winners = elect_best(count, tally, round=level)
                count.elect(*winners, note=f"{names(winners)}: most votes within {level} rank(s)")
                return
            count.note("no majority yet")
