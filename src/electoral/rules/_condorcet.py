"""Condorcet and other pairwise rules, counted from the election's pairwise matrix.

Every rule here reads :meth:`Election.pairwise` under its ``unranked``
option (``"below"`` by default; see :mod:`electoral._pairwise` for the exact
conventions) and records one round whose tally is the rule's score. The
matrix a rule counted from is ``result.rule.matrix(result.election)``
(cached on the election, so asking again costs nothing).

Single-winner rules elect one candidate; when several are level, the tie
goes through the rule's ``tie_break``, and ``tie_break="all"`` gives
every candidate who wins under some resolution.

The matrix is built for at most
:data:`~electoral._pairwise.MAX_PAIRWISE_CANDIDATES` (1,000) candidates;
an election with more is refused with an OptionError before any memory
is allocated.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import ClassVar, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Election
from electoral._profile._pairwise import PairwiseMatrix, Unranked, pairwise_of, strongest_paths
from electoral._profile._pairwise import schwartz_set as schwartz_mask
from electoral._profile._pairwise import smith_set as smith_mask
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral._text import excerpt
from electoral.errors import OptionError
from electoral.rules._base import Count
from electoral.rules._common import ProfileRule, ballot_figures, elect_best, elect_one_of, names
from electoral.rules._options import choice

__all__ = [
    "KEMENY_MAX_CANDIDATES",
    "Black",
    "Condorcet",
    "Copeland",
    "KemenyYoung",
    "Llull",
    "Minimax",
    "RankedPairs",
    "Schulze",
    "SchwartzSet",
    "SmithSet",
    "SplitCycle",
]

Votes = int | Fraction
IntMatrix = npt.NDArray[np.int64]
Strength = Literal["margins", "winning-votes"]

KEMENY_MAX_CANDIDATES: Final = 12
"""Kemeny–Young is exact here, by dynamic programming over the 2**n subsets of candidates."""


@attrs.frozen(kw_only=True)
class PairwiseRule(ProfileRule):
    """A rule counted from the pairwise matrix; ``unranked`` picks the convention for truncated ballots."""

    unranked: Unranked = attrs.field(default="below", validator=choice("below", "ignore"))

    def matrix(self, election: Election) -> PairwiseMatrix:
        """The pairwise matrix this rule counts ``election`` from (at most MAX_PAIRWISE_CANDIDATES candidates)."""
        return pairwise_of(election, unranked=self.unranked, purpose=f"rule {excerpt(self.info.name)}")

    def _round(
        self,
        count: Count,
        matrix: PairwiseMatrix,
        tally: Mapping[Candidate, Votes],
        measure: str,
        better: Literal["higher", "lower"] = "higher",
    ) -> None:
        """Record the rule's one round: its score (``measure``) has no denominator, so no shares."""
        number = len(count.rounds) + 1
        count.pairwise = matrix  # carried on the Result, so the matrix behind the outcome can be shown
        figures = ballot_figures(count.election, matrix.voters)
        count.add_round(Round(number=number, tally=tally, measure=measure, better=better, **figures))


def _defeat_strength(matrix: PairwiseMatrix, strength: Strength) -> IntMatrix:
    """The strength of each majority: its margin, or its winning votes; 0 where there is none."""
    margins = matrix.margins()
    if strength == "margins":
        return np.where(margins > 0, margins, 0)
    return np.where(margins > 0, matrix.support, 0)


# -- Copeland and Llull ----------------------------------------------------------


def _copeland_scores(matrix: PairwiseMatrix, tie_worth: Fraction) -> dict[Candidate, Votes]:
    margins = matrix.margins()
    scores: dict[Candidate, Votes] = {}
    for a, candidate in enumerate(matrix.candidates):
        wins = int((margins[a] > 0).sum())
        ties = int((margins[a] == 0).sum()) - 1  # less the diagonal
        scores[candidate] = whole(wins + tie_worth * ties)
    return scores


@register
@attrs.frozen(kw_only=True)
class Copeland(PairwiseRule):
    """Copeland: a point for each head-to-head majority won and half a point for each tie.

    The winner is the same as when scoring wins minus losses.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>A>B": 1})
    >>> tabulate(e, "copeland").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="copeland",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Copeland: one point per pairwise win, half a point per pairwise tie.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        tally = _copeland_scores(matrix, Fraction(1, 2))
        self._round(count, matrix, tally, "Copeland score")
        winners = elect_best(count, tally, round=1)
        count.elect(*winners, note=f"{names(winners)}: highest Copeland score")


@register
@attrs.frozen(kw_only=True)
class Llull(PairwiseRule):
    """Llull: a point for each head-to-head majority won or tied (Copeland with ties worth 1).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 1, "B>A>C": 1})
    >>> sorted(c.name for c in tabulate(e, "llull", tie_break="all").winners)
    ['A', 'B']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="llull",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Llull: one point per pairwise win or tie.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        tally = _copeland_scores(matrix, Fraction(1))
        self._round(count, matrix, tally, "Llull score")
        winners = elect_best(count, tally, round=1)
        count.elect(*winners, note=f"{names(winners)}: highest Llull score")


# -- Minimax ------------------------------------------------------------------------


@register
@attrs.frozen(kw_only=True)
class Minimax(PairwiseRule):
    """Minimax (Simpson–Kramer): the candidate whose worst head-to-head result is least bad wins.

    ``strength`` measures a defeat: ``"margins"`` (default; the score is the
    largest margin of anyone over the candidate, negative if it beats
    everyone), ``"winning-votes"`` (the largest support of a candidate who
    beats it, 0 if none does) or ``"pairwise-opposition"`` (the largest
    support of anyone over it, defeat or not). Lowest score wins.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>A>B": 2})
    >>> tabulate(e, "minimax").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="minimax",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Minimax: the smallest worst pairwise defeat wins.",
    )

    strength: Literal["margins", "winning-votes", "pairwise-opposition"] = attrs.field(
        default="margins", validator=choice("margins", "winning-votes", "pairwise-opposition")
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        n = len(matrix.candidates)
        margins = matrix.margins()
        if self.strength == "margins":
            # a candidate nobody beats has no defeat: 0 (its negative smallest win would elect the same one)
            against = np.where(margins.T > 0, margins.T, 0)
        elif self.strength == "winning-votes":
            against = np.where(margins.T > 0, matrix.support.T, 0)
        else:
            against = matrix.support.T.copy()
        off_diagonal = ~np.eye(n, dtype=np.bool_)
        tally: dict[Candidate, Votes] = {}
        for a, candidate in enumerate(matrix.candidates):
            row = against[a][off_diagonal[a]]
            tally[candidate] = int(row.max()) if len(row) else 0
        self._round(count, matrix, tally, f"worst defeat ({self.strength})", better="lower")
        winners = elect_best(count, tally, round=1, lower_is_better=True)
        count.elect(*winners, note=f"{names(winners)}: smallest worst defeat")


# -- Schulze, ranked pairs, split cycle -----------------------------------------------


@register
@attrs.frozen(kw_only=True)
class Schulze(PairwiseRule):
    """Schulze (beat-path): a candidate wins if no one beats it by a stronger path than it beats them back.

    The strength of a path is its weakest link; a link is a majority,
    measured by ``strength``: ``"margins"`` (default) or ``"winning-votes"``.
    The tally counts the candidates each one beats by paths. Several
    unbeaten candidates are a tie for ``tie_break``. Source: M. Schulze,
    "A new monotonic, clone-independent, reversal symmetric, and
    Condorcet-consistent single-winner election method", *Social Choice and
    Welfare* 36 (2011) 267–303.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>C>B": 5, "B>A>C": 4, "C>B>A": 3})
    >>> tabulate(e, "schulze").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="schulze",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Schulze beat-path method, on margins or winning votes.",
    )

    strength: Strength = attrs.field(default="margins", validator=choice("margins", "winning-votes"))

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        paths = strongest_paths(_defeat_strength(matrix, self.strength))
        stronger = paths > paths.T
        tally = {c: int(stronger[a].sum()) for a, c in enumerate(matrix.candidates)}
        self._round(count, matrix, tally, "candidates beaten by paths")
        unbeaten = [c for a, c in enumerate(matrix.candidates) if not stronger[:, a].any()]
        winners = elect_one_of(count, unbeaten, round=1)
        count.elect(*winners, note=f"unbeaten by paths: {names(unbeaten)}")


@register
@attrs.frozen(kw_only=True)
class SplitCycle(PairwiseRule):
    """Split Cycle: in every majority cycle the weakest majorities are discarded; the undefeated win.

    ``a`` defeats ``b`` when ``a`` beats ``b`` by a margin larger than the
    strongest path (weakest link) from ``b`` back to ``a``. Several undefeated
    candidates are a tie for ``tie_break``. Source: W. H. Holliday and
    E. Pacuit, "Split Cycle: a new Condorcet-consistent voting method
    independent of clones and immune to spoilers", *Public Choice* 197 (2023) 1–62.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1})
    >>> sorted(c.name for c in tabulate(e, "split-cycle", tie_break="all").winners)
    ['A', 'B', 'C']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="split-cycle",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Split Cycle: discard the weakest majority of every cycle; the undefeated win.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        margins = matrix.margins()
        paths = strongest_paths(np.where(margins > 0, margins, 0))
        defeats = (margins > 0) & (margins > paths.T)
        tally = {c: int(defeats[a].sum()) for a, c in enumerate(matrix.candidates)}
        self._round(count, matrix, tally, "candidates defeated")
        undefeated = [c for a, c in enumerate(matrix.candidates) if not defeats[:, a].any()]
        winners = elect_one_of(count, undefeated, round=1)
        count.elect(*winners, note=f"undefeated: {names(undefeated)}")


@register
@attrs.frozen(kw_only=True)
class RankedPairs(PairwiseRule):
    """Ranked pairs (Tideman): lock in majorities from strongest down, skipping any that would make a cycle.

    The winner is the candidate no locked majority points to. Majorities of
    equal ``strength`` (``"margins"`` by default, or ``"winning-votes"``)
    whose order could matter are ordered by the Zavist–Tideman rule from a
    ranking of the candidates involved, drawn one place at a time from
    ``tie_break`` (T. N. Tideman, "Independence of clones as a criterion for
    voting rules", *Social Choice and Welfare* 4 (1987) 185–206; T. C. Zavist
    and T. N. Tideman, "Complete independence of clones in the ranked pairs
    rule", *Social Choice and Welfare* 6 (1989) 167–173).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>C>B": 5, "B>A>C": 4, "C>B>A": 3})
    >>> tabulate(e, "ranked-pairs").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="ranked-pairs",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Tideman's ranked pairs: lock majorities from strongest, skipping cycles.",
    )

    strength: Strength = attrs.field(default="margins", validator=choice("margins", "winning-votes"))

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        n = len(matrix.candidates)
        strength = _defeat_strength(matrix, self.strength)
        margins = matrix.margins()
        pairs = [(int(strength[a, b]), a, b) for a in range(n) for b in range(n) if margins[a, b] > 0]
        levels = sorted({s for s, _, _ in pairs}, reverse=True)
        reach = np.zeros((n, n), dtype=np.bool_)
        locked: list[tuple[int, int]] = []
        for level in levels:
            group = [(a, b) for s, a, b in pairs if s == level]
            if len(group) > 1 and _would_cycle(reach, group):
                group = self._tie_order(count, matrix, group)
            for a, b in group:
                if not reach[b, a]:
                    locked.append((a, b))
                    _lock(reach, a, b)
        beaten = {b for _, b in locked}
        tally = {c: sum(1 for a, _ in locked if a == i) for i, c in enumerate(matrix.candidates)}
        self._round(count, matrix, tally, "locked majorities won")
        sources = [c for i, c in enumerate(matrix.candidates) if i not in beaten]
        winners = elect_one_of(count, sources, round=1)
        count.elect(*winners, note="locked: " + ", ".join(_pair_text(matrix, p) for p in locked))

    def _tie_order(self, count: Count, matrix: PairwiseMatrix, group: list[tuple[int, int]]) -> list[tuple[int, int]]:
        involved = sorted({i for pair in group for i in pair})
        remaining = [matrix.candidates[i] for i in involved]
        place: dict[Candidate, int] = {}
        while remaining:
            (pick,) = count.decide_tie(remaining, 1, round=1, decision="order tied majorities", favour=True, history=[])
            place[pick] = len(place)
            remaining.remove(pick)
        rank = {i: place[matrix.candidates[i]] for i in involved}
        # Zavist–Tideman: the pair whose winner ranks higher comes first; with the
        # same winner, the pair whose loser ranks lower comes first.
        return sorted(group, key=lambda pair: (rank[pair[0]], -rank[pair[1]]))


def _lock(reach: npt.NDArray[np.bool_], a: int, b: int) -> None:
    sources = reach[:, a].copy()
    sources[a] = True
    targets = reach[b].copy()
    targets[b] = True
    reach |= np.outer(sources, targets)


def _would_cycle(reach: npt.NDArray[np.bool_], group: list[tuple[int, int]]) -> bool:
    """Whether locking every pair of ``group`` (on top of ``reach``) makes a cycle."""
    trial = reach.copy()
    for a, b in group:
        if trial[b, a]:
            return True
        _lock(trial, a, b)
    return False


def _pair_text(matrix: PairwiseMatrix, pair: tuple[int, int]) -> str:
    return f"{matrix.candidates[pair[0]].name}>{matrix.candidates[pair[1]].name}"


# -- Kemeny–Young ----------------------------------------------------------------------


@register
@attrs.frozen(kw_only=True)
class KemenyYoung(PairwiseRule):
    """Kemeny–Young: the ranking that agrees with the most pairwise preferences; its first candidate wins.

    Counted exactly by dynamic programming over subsets, which takes time
    and memory in 2**n for n candidates; finding a Kemeny ranking is
    NP-hard, so elections with more than :data:`KEMENY_MAX_CANDIDATES`
    candidates are refused. The tally gives each candidate the best score
    (pairwise preferences agreed with) of a ranking that puts it first;
    candidates first in some optimal ranking tie for ``tie_break``.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>A>B": 2})
    >>> tabulate(e, "kemeny-young").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="kemeny-young",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Kemeny–Young: the ranking agreeing with most pairwise preferences (exact).",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        n = len(election.candidates)
        if n > KEMENY_MAX_CANDIDATES:
            raise OptionError(
                f"rule 'kemeny-young' counts exactly, in time and memory growing as 2**n, and is limited to"
                f" {KEMENY_MAX_CANDIDATES} candidates (finding a Kemeny ranking is NP-hard); this election has {n}"
            )
        matrix = self.matrix(election)
        best_with_first = _kemeny_first_scores(matrix.support)
        tally: dict[Candidate, Votes] = dict(zip(matrix.candidates, best_with_first, strict=True))
        self._round(count, matrix, tally, "best ranking score with the candidate first")
        winners = elect_best(count, tally, round=1)
        count.elect(*winners, note=f"{names(winners)}: first in a Kemeny ranking")


def _kemeny_first_scores(support: IntMatrix) -> list[int]:
    """For each candidate, the largest Kemeny score of a ranking that puts it first."""
    n = len(support)
    rows = [[int(v) for v in row] for row in support.tolist()]
    full = (1 << n) - 1
    # above[c][s]: support of c over the members of subset s
    above = [[0] * (1 << n) for _ in range(n)]
    for c in range(n):
        table = above[c]
        for s in range(1, 1 << n):
            low = (s & -s).bit_length() - 1
            table[s] = table[s & (s - 1)] + rows[c][low]
    # best[s]: the best score of ordering subset s among itself
    best = [0] * (1 << n)
    for s in range(1, 1 << n):
        top = -1
        members = s
        while members:
            low = members & -members
            c = low.bit_length() - 1
            rest = s ^ low
            value = above[c][rest] + best[rest]
            if value > top:
                top = value
            members ^= low
        best[s] = top
    return [above[c][full ^ (1 << c)] + best[full ^ (1 << c)] for c in range(n)]


# -- Condorcet winner, Smith and Schwartz sets, Black ------------------------------------


def _wins(matrix: PairwiseMatrix) -> dict[Candidate, Votes]:
    beats = matrix.beats()
    return {c: int(beats[a].sum()) for a, c in enumerate(matrix.candidates)}


@register
@attrs.frozen(kw_only=True)
class Condorcet(PairwiseRule):
    """The Condorcet winner, the candidate who beats every other one head to head, or nobody.

    When there is no Condorcet winner (a majority cycle, or a pairwise tie at
    the top), the result has no winners and status ``"decided"``: the rule
    has decided that nobody qualifies, and no tie-break could change that
    (``"tied"`` is kept for ties a policy left open). The tally counts each
    candidate's head-to-head wins; the note names the Smith set.

    >>> from electoral import Election, tabulate
    >>> tabulate(Election.from_rankings({"A>B>C": 2, "B>C>A": 1}), "condorcet").winner.name
    'A'
    >>> cycle = tabulate(Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1}), "condorcet")
    >>> cycle.winners, cycle.status, cycle.notes
    ((), 'decided', ('no Condorcet winner; the Smith set is A, B, C',))
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="condorcet",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="The Condorcet winner, or no winner when there is none.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        self._round(count, matrix, _wins(matrix), "head-to-head wins")
        winner = matrix.condorcet_winner()
        if winner is None:
            count.note(f"no Condorcet winner; the Smith set is {names(matrix.smith_set())}")
            return
        count.elect(winner, note=f"{winner.name} beats every other candidate head to head")


@register
@attrs.frozen(kw_only=True)
class SmithSet(PairwiseRule):
    """The Smith set: the smallest set of candidates who each beat every candidate outside it.

    Members of the set tie for the win: ``tie_break="all"`` gives the whole
    set as ``winners`` (status ``"tied"`` when it has several members), and
    another policy picks one of them. The note names the set in any case.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C>D": 1, "B>C>A>D": 1, "C>A>B>D": 1})
    >>> [c.name for c in tabulate(e, "smith-set", tie_break="all").winners]
    ['A', 'B', 'C']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="smith-set",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="The Smith set (top cycle of the weak majority relation).",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        self._round(count, matrix, _wins(matrix), "head-to-head wins")
        members = tuple(matrix.candidates[i] for i in np.flatnonzero(smith_mask(matrix.margins())))
        count.note(f"Smith set: {names(members)}")
        count.elect(*elect_one_of(count, members, round=1))


@register
@attrs.frozen(kw_only=True)
class SchwartzSet(PairwiseRule):
    """The Schwartz set: the union of the smallest sets that no outside candidate beats.

    Members of the set tie for the win: ``tie_break="all"`` gives the whole
    set as ``winners`` (status ``"tied"`` when it has several members), and
    another policy picks one of them. The note names the set in any case. It is contained in the Smith set.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 1, "B>A>C": 1})
    >>> [c.name for c in tabulate(e, "schwartz-set", tie_break="all").winners]
    ['A', 'B']
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="schwartz-set",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="The Schwartz set (top cycles of the strict majority relation).",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        self._round(count, matrix, _wins(matrix), "head-to-head wins")
        members = tuple(matrix.candidates[i] for i in np.flatnonzero(schwartz_mask(matrix.margins())))
        count.note(f"Schwartz set: {names(members)}")
        count.elect(*elect_one_of(count, members, round=1))


@register
@attrs.frozen(kw_only=True)
class Black(PairwiseRule):
    """Black's rule: the Condorcet winner if there is one, otherwise the Borda winner.

    The Borda score is counted from the pairwise matrix: for each other
    candidate, a point per voter preferring the candidate and half a point
    per voter with no preference between the two (for complete rankings,
    the ordinary Borda count). Source: D. Black, *The Theory of Committees
    and Elections* (Cambridge, 1958).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 1, "B>C>A": 1, "C>A>B": 1, "A>C>B": 1})
    >>> tabulate(e, "black").winner.name
    'A'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="black",
        family="condorcet",
        marks={"ranking"},
        winners="single",
        summary="Black: the Condorcet winner, else the Borda winner.",
    )

    def _count(self, election: Election, count: Count, /) -> None:
        matrix = self.matrix(election)
        self._round(count, matrix, _wins(matrix), "head-to-head wins")
        winner = matrix.condorcet_winner()
        if winner is not None:
            count.elect(winner, note=f"{winner.name} is the Condorcet winner")
            return
        count.note("no Condorcet winner: the Borda count decides")
        n = len(matrix.candidates)
        support = matrix.support
        borda: dict[Candidate, Votes] = {}
        for a, candidate in enumerate(matrix.candidates):
            total = Fraction(0)
            for b in range(n):
                if a != b:
                    total += int(support[a, b]) + Fraction(matrix.voters - int(support[a, b]) - int(support[b, a]), 2)
            borda[candidate] = whole(total)
        self._round(count, matrix, borda, "Borda points")
        winners = elect_best(count, borda, round=2)
        count.elect(*winners, note=f"{names(winners)}: most Borda points")
