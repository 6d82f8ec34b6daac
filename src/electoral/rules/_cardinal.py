"""Cardinal rules: approval, score (range) voting, STAR and majority judgment.

Score-reading rules take ballots with ``scores`` (``Ballot(scores={...})``
or ``"A:5,B:3"`` in the notation). A candidate a ballot does not score gets
0, the lowest score. Approval reads approval ballots: one rank holding every
approved candidate.
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction
from typing import ClassVar, Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import MAX_SCORE, Candidate, Derived, Election, derived
from electoral._profile._build import exact_total, profile_of
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral._text import excerpt
from electoral.errors import CountError
from electoral.rules._base import Count
from electoral.rules._common import ProfileRule, ballot_figures, elect_best, elect_one_of, names, ranked_voters

__all__ = ["Approval", "MajorityJudgment", "Score", "Star", "score_matrix", "score_totals"]

Votes = int | Fraction
IntArray = npt.NDArray[np.int64]


def score_matrix(election: Election) -> tuple[IntArray, IntArray]:
    """The score ballots as arrays: ``scores[i, c]`` (0 where unscored) and ``counts[i]``. Cached.

    Every score lies strictly between ``-MAX_SCORE`` and ``MAX_SCORE`` (an
    election refuses others), so each fits int64; their totals may not, see
    :func:`score_totals`.
    """
    return derived(election, _SCORES, _score_arrays)


def _score_arrays(election: Election) -> tuple[IntArray, IntArray]:
    index = {c: i for i, c in enumerate(election.candidates)}
    scored = [b for b in election.ballots if b.scores is not None]
    scores = np.zeros((len(scored), len(election.candidates)), dtype=np.int64)
    for row, ballot in enumerate(scored):
        assert ballot.scores is not None  # selected above; narrows the type
        for candidate, value in ballot.scores.items():
            if not -MAX_SCORE < value < MAX_SCORE:  # an Election refuses these; never let int64 wrap one
                raise CountError(f"the score of {excerpt(candidate.name)} is {excerpt(value)}, beyond ±{MAX_SCORE - 1}")
            scores[row, index[candidate]] = value
    counts = np.fromiter((b.count for b in scored), dtype=np.int64, count=len(scored))
    return scores, counts


_SCORES: Final[Derived[tuple[IntArray, IntArray]]] = Derived("score ballots")


def score_totals(scores: IntArray, counts: IntArray) -> list[int]:
    """Each candidate's exact total score, ``sum(counts[i] * scores[i, c])``, as Python ints.

    The int64 product is used while no partial sum can pass int64 (largest
    score times voters below 2**63); otherwise the sums are taken in Python
    integers, up to (2**62 - 1)**2.
    """
    if not len(counts):
        return [0] * scores.shape[1]
    largest = max(abs(int(scores.max(initial=0))), abs(int(scores.min(initial=0))))
    if largest * _voters(counts) < _INT64:
        return [int(v) for v in (counts @ scores).tolist()]
    totals: list[int] = (counts.astype(object) @ scores.astype(object)).tolist()
    return [int(v) for v in totals]


_INT64: Final = 2**63


def _voters(counts: IntArray) -> int:
    return exact_total(counts)


@register
@attrs.frozen(kw_only=True)
class Approval(ProfileRule):
    """Approval voting: each voter approves any number of candidates; the most approved win.

    A ballot is one rank holding the approved candidates (``"A=B"`` in the
    notation). The ``seats`` most approved candidates win.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A=B": 3, "B": 3, "C=A": 2})
    >>> tabulate(e, "approval").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="approval",
        family="cardinal",
        marks={"approval"},
        winners="multiple",
        summary="Approval voting: the most approved candidates win.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        profile = profile_of(election)
        approvals = profile.counts @ profile.marked.astype(np.int64) if len(profile.counts) else None
        tally: dict[Candidate, Votes] = {
            c: 0 if approvals is None else int(approvals[i]) for i, c in enumerate(election.candidates)
        }
        voters = ranked_voters(election)
        count.add_round(
            Round(
                number=1,
                tally=tally,
                basis="voters",
                denominator=voters,
                measure="approvals",
                **ballot_figures(election, voters),
            )
        )
        winners = elect_best(count, tally, round=1, places=election.seats)
        count.elect(*winners, note=f"{names(winners)}: most approvals")


@register
@attrs.frozen(kw_only=True)
class Score(ProfileRule):
    """Score (range) voting: the candidates with the highest total score win.

    The ``seats`` highest totals win; unscored candidates get 0.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A:5,B:3": 2, "B:5,C:4": 2, "C:5": 1})
    >>> tabulate(e, "score").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="score",
        family="cardinal",
        marks={"scores"},
        winners="multiple",
        summary="Score (range) voting: the highest total score wins.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        scores, counts = score_matrix(election)
        totals = score_totals(scores, counts)
        tally: dict[Candidate, Votes] = {c: totals[i] for i, c in enumerate(election.candidates)}
        voters = _voters(counts)
        count.add_round(Round(number=1, tally=tally, measure="total score", **ballot_figures(election, voters)))
        winners = elect_best(count, tally, round=1, places=election.seats)
        count.elect(*winners, note=f"{names(winners)}: highest total score")


@register
@attrs.frozen(kw_only=True)
class Star(ProfileRule):
    """STAR voting (score then automatic runoff): the two highest totals meet in a runoff.

    In the runoff each ballot supports the finalist it scores higher (equal
    scores: no preference). A runoff tie goes to the finalist with the
    higher total score, then to ``tie_break``, following the Equal Vote
    Coalition's official STAR rules (https://www.starvoting.org/ties).
    Choosing the two finalists goes through ``tie_break`` when totals tie.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A:5,B:4": 3, "B:5,C:1": 2, "C:5,B:1": 4})
    >>> tabulate(e, "star").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="star",
        family="cardinal",
        marks={"scores"},
        winners="single",
        summary="STAR: score, then an automatic runoff between the top two.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        scores, counts = score_matrix(election)
        people = election.candidates
        totals = score_totals(scores, counts)
        tally: dict[Candidate, Votes] = {c: totals[i] for i, c in enumerate(people)}
        voters = _voters(counts)
        count.add_round(Round(number=1, tally=tally, measure="total score", **ballot_figures(election, voters)))
        if len(people) == 1:
            count.elect(people[0], note="the only candidate")
            return
        finalists = count.top(tally, 2, round=1, decision="advance")
        # the finalists meet in round 2 of this count, so the result does not list them as advancing
        count.advance(*finalists, note=f"{names(finalists)} have the highest totals", in_result=False)
        a, b = (people.index(c) for c in finalists)
        prefer_a = int(counts[scores[:, a] > scores[:, b]].sum())
        prefer_b = int(counts[scores[:, b] > scores[:, a]].sum())
        runoff: dict[Candidate, Votes] = {finalists[0]: prefer_a, finalists[1]: prefer_b}
        figures = ballot_figures(election, prefer_a + prefer_b, no_preference=voters - prefer_a - prefer_b)
        count.add_round(
            Round(number=2, tally=runoff, basis="voters with a preference", denominator=prefer_a + prefer_b, **figures)
        )
        if prefer_a != prefer_b:
            winner = finalists[0] if prefer_a > prefer_b else finalists[1]
            count.elect(winner, note=f"{winner.name} is preferred by more voters")
            return
        by_score = {c: tally[c] for c in finalists}
        winners = elect_best(count, by_score, round=2)
        count.elect(*winners, note="runoff tied: the higher total score wins")


@register
@attrs.frozen(kw_only=True)
class MajorityJudgment(ProfileRule):
    """Majority judgment: the highest median grade wins, ties broken by Balinski and Laraki's majority values.

    Grades are the ballots' integer scores (higher is better; ungraded is 0).
    A candidate's majority value is the sequence of lower medians obtained by
    removing one median grade at a time; candidates are compared by these
    sequences lexicographically (M. Balinski and R. Laraki, *Majority
    Judgment*, MIT Press, 2011). Candidates with identical grades tie for
    ``tie_break``. The tally is each candidate's (lower) median grade.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A:3,B:2": 2, "A:1,B:2": 1, "A:0,B:1": 2})
    >>> tabulate(e, "majority-judgment").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="majority-judgment",
        family="cardinal",
        marks={"scores"},
        winners="single",
        summary="Majority judgment: the highest median grade, ties by majority values.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        scores, counts = score_matrix(election)
        people = election.candidates
        voters = _voters(counts)
        grades = [_grade_counts(scores[:, i], counts) for i in range(len(people))]
        tally: dict[Candidate, Votes] = {c: _grade_at(grades[i], (voters - 1) // 2) for i, c in enumerate(people)}
        count.add_round(Round(number=1, tally=tally, measure="median grade", **ballot_figures(election, voters)))
        if voters == 0:
            winners = elect_one_of(count, list(people), round=1)
            count.elect(*winners, note="no graded ballots")
            return

        def versus(i: int, j: int) -> int:
            return _compare_majority_values(grades[i], grades[j], voters)

        compare = functools.cmp_to_key(versus)
        order = sorted(range(len(people)), key=compare, reverse=True)
        best = [people[i] for i in order if compare(i) == compare(order[0])]
        winners = elect_one_of(count, best, round=1)
        count.elect(*winners, note=f"{names(winners)}: best majority value")


GradeCounts = list[tuple[int, int]]  # (grade, voters) ascending by grade


def _grade_counts(column: IntArray, counts: IntArray) -> GradeCounts:
    values, inverse = np.unique(column, return_inverse=True)
    totals = np.zeros(len(values), dtype=np.int64)
    np.add.at(totals, inverse.reshape(-1), counts)
    return [(int(g), int(n)) for g, n in zip(values.tolist(), totals.tolist(), strict=True) if n]


def _grade_at(grades: GradeCounts, position: int) -> int:
    """The grade at 0-based ``position`` of the grades sorted ascending."""
    seen = 0
    for grade, voters in grades:
        seen += voters
        if position < seen:
            return grade
    return grades[-1][0] if grades else 0


def _breakpoints(grades: GradeCounts) -> list[int]:
    points, seen = [], 0
    for _, voters in grades:
        seen += voters
        points.append(seen)
    return points


def _compare_majority_values(a: GradeCounts, b: GradeCounts, voters: int) -> int:
    """Compare two candidates' majority values (same number of voters): -1, 0 or 1.

    Removing lower medians one at a time visits the sorted positions in
    order of distance from the lower median ``m`` (for an odd number of
    voters: m, m-1, m+1, m-2, ...; for an even one: m, m+1, m-1, m+2, ...),
    so the first difference is at the position nearest ``m`` in that order
    where the two sorted grade lists differ.
    """
    m = (voters - 1) // 2
    odd = voters % 2 == 1

    def visit(p: int) -> int:
        d = abs(p - m)
        if d == 0:
            return 0
        below = p < m
        return 2 * d - 1 if below == odd else 2 * d

    cuts = sorted({0, voters, *_breakpoints(a), *_breakpoints(b)})
    best: tuple[int, int] | None = None
    for lo, hi in itertools.pairwise(cuts):
        if lo >= hi or _grade_at(a, lo) == _grade_at(b, lo):
            continue
        candidates = [p for p in (lo, hi - 1, min(max(m, lo), hi - 1), min(max(m + 1, lo), hi - 1)) if lo <= p < hi]
        p = min(candidates, key=visit)
        if best is None or visit(p) < best[0]:
            best = (visit(p), p)
    if best is None:
        return 0
    ga, gb = _grade_at(a, best[1]), _grade_at(b, best[1])
    return 1 if ga > gb else -1
