"""Positional (scoring) rules: Borda, Dowdall and anti-plurality.

Each rank position is worth some points, from a score vector ``s`` over the
``n`` candidates (``s[0]`` for first place). Every figure is exact.

Equal preferences and unranked candidates
-----------------------------------------
A candidate's position on a ballot is the number of candidates ranked
strictly above it. Candidates sharing a rank occupy as many positions as
there are of them, and each gets the *average* of those positions' points
(so a ballot always hands out the same total). For the candidates a ballot
leaves unranked, the ``unranked`` option chooses:

- ``"average"``: they share the remaining positions like an equal rank at the
  bottom, which matches the pairwise convention "unranked candidates tie
  below every ranked one" (Borda's score is then the sum of pairwise
  support, with half a point per tie);
- ``"zero"``: they get no points, and ranked candidates get the points of
  their positions;
- ``"modified"`` (Borda only): the modified Borda count, where a ballot
  ranking ``m`` candidates gives ``m`` points to its first choice, ``m - 1``
  to its second, down to 1 for its last, and none to unranked candidates
  (P. Emerson, "The original Borda count and partial voting", *Social
  Choice and Welfare* 40 (2013) 353–358).

Memory
------
Scores are counted from a :class:`PositionTable` holding only the classes
(candidate, candidates ahead, size of its rank group) that some ballot
uses, and for unranked candidates only how many ballots rank how many
candidates: memory grows with the marks on the ballots, never with the
square of the candidates, so a million candidates are counted like ten.
Each rule's points enter through the exact sum of its first ``k`` points
(Borda and anti-plurality in closed form); Dowdall's harmonic sums are
limited to :data:`MAX_HARMONIC_TERMS` terms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import ClassVar, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._model import Candidate, Derived, Election, derived
from electoral._profile._build import exact_sum_by, profile_of
from electoral._profile._ranked import ranked_ballots
from electoral._registry import RuleInfo, register
from electoral._result import Round
from electoral.errors import OptionError
from electoral.rules._base import Count
from electoral.rules._common import ProfileRule, ballot_figures, elect_best, names, ranked_voters
from electoral.rules._options import choice

__all__ = ["MAX_HARMONIC_TERMS", "AntiPlurality", "Borda", "Dowdall", "PositionTable", "position_table"]

Votes = int | Fraction
IntArray = npt.NDArray[np.int64]
Prefix = Callable[[int], Fraction]

#: Dowdall's points 1, 1/2, 1/3, ... are summed exactly; a count needing the sum of more of them
#: (a ballot ranking more candidates, or, with ``unranked="average"``, more candidates in all) is refused.
MAX_HARMONIC_TERMS: Final = 10_000

# Keys below this are summed by one bincount; larger key spaces are sorted first.
_DENSE_KEYS: Final = 1 << 24


@attrs.frozen(eq=False)
class PositionTable:
    """Voters per position class, holding only the classes that occur (memory grows with marks, not n²).

    A ranked candidate's class is (candidate, candidates strictly ahead,
    size of its rank group): ``voters[k]`` voters put ``cand[k]`` in class
    (``ahead[k]``, ``group[k]``). Unranked candidates are not listed one by
    one: ``length_voters[m]`` voters cast ballots ranking exactly ``m``
    candidates, and ``marked_voters[k]`` of those with ``marked_length[k]``
    ranked candidates rank ``marked_cand[k]``; the rest of them leave it unranked.
    """

    n: int
    cand: IntArray
    ahead: IntArray
    group: IntArray
    voters: IntArray
    length_voters: IntArray
    marked_length: IntArray
    marked_cand: IntArray
    marked_voters: IntArray


def position_table(election: Election) -> PositionTable:
    """The election's :class:`PositionTable`, built once per election."""
    return derived(election, _POSITION_TABLE, _position_table)


def _position_table(election: Election) -> PositionTable:
    profile = profile_of(election)
    n = profile.n_candidates
    ranks, counts = profile.ranks, profile.counts
    filled = ranks >= 0
    strict = profile.strict
    length = filled.sum(axis=1).astype(np.int64) if not bool(filled.all()) else np.full(len(counts), ranks.shape[1])
    width = max(ranks.shape[1], 1)
    if strict and width * n * width * (width + 1) <= _DENSE_KEYS:
        # one candidate per rank, nobody twice, few classes: one bincount per rank column, keyed by
        # (candidate, filled ranks before it, the ballot's number of ranked candidates); each bincount
        # spans the whole key space, so this is for few columns over a small one (else sort the marks)
        sums = np.zeros(n * width * (width + 1), dtype=np.int64)
        ahead_now = np.zeros(len(counts), dtype=np.int64)
        same_length = bool(filled.all())  # every ballot ranks width candidates
        for column in range(ranks.shape[1]):
            cell = ranks[:, column]
            if same_length:
                # everyone ranks someone here, with column candidates ahead: the key varies with the candidate only
                per_candidate = profile.sum_by(cell, n)
                sums[(np.arange(n) * width + column) * (width + 1) + width] += per_candidate
            elif bool((cell >= 0).all()):
                keys = (cell.astype(np.int64) * width + ahead_now) * (width + 1) + length
                sums += profile.sum_by(keys, len(sums))
                ahead_now += 1
            else:
                keys = (cell.astype(np.int64) * width + ahead_now) * (width + 1) + length
                keys[cell < 0] = -1
                sums += profile.sum_by(keys, len(sums))
                ahead_now += cell >= 0
        cube = sums.reshape(n, width, width + 1)
        by_class = cube.sum(axis=2)  # each at most the voters: no wrap
        cand, ahead_of = (v.astype(np.int64) for v in np.nonzero(by_class))
        voters = by_class[cand, ahead_of]
        group = np.ones(len(cand), dtype=np.int64)
        by_length = cube.sum(axis=1)
        marked_cand, marked_length = (v.astype(np.int64) for v in np.nonzero(by_length))
        marked_voters = by_length[marked_cand, marked_length]
    else:
        if strict:
            rows_of, _ = np.nonzero(filled)
            cands = ranks[filled].astype(np.int64)
            before: IntArray = filled.cumsum(axis=1, dtype=np.int64) - filled.astype(np.int64)
            ahead: IntArray = before[filled]
            groups = np.ones(len(cands), dtype=np.int64)
        else:
            rows_of, cands, ahead, groups, length = _general_entries(election, len(counts))
        cand, ahead_of, group, voters = _sum_triples(cands, ahead, groups, counts[rows_of])
        keys, marked_voters = _sum_keys(length[rows_of] * n + cands, counts[rows_of], (n + 1) * n)
        marked_length, marked_cand = np.divmod(keys, n)
    length_voters = exact_sum_by(length, counts, n + 1)
    return PositionTable(
        n=n,
        cand=cand,
        ahead=ahead_of,
        group=group,
        voters=voters,
        length_voters=length_voters,
        marked_length=marked_length,
        marked_cand=marked_cand,
        marked_voters=marked_voters,
    )


_POSITION_TABLE: Final[Derived[PositionTable]] = Derived("position table")


def _sum_keys(keys: IntArray, weights: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """The distinct ``keys`` (ascending) with the exact sum of their ``weights`` (each sum at most the voters)."""
    if size <= _DENSE_KEYS:
        sums = exact_sum_by(keys, weights, size)
        present = np.flatnonzero(sums)
        return present.astype(np.int64), sums[present].astype(np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique.astype(np.int64), exact_sum_by(inverse.reshape(-1), weights, len(unique)).astype(np.int64)


def _sum_triples(
    cands: IntArray, ahead: IntArray, groups: IntArray, weights: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The distinct (candidate, ahead, group) classes and their voters, by one sort."""
    if not len(cands):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    order = np.lexsort((groups, ahead, cands))
    cands, ahead, groups, weights = cands[order], ahead[order], groups[order], weights[order]
    new = np.concatenate(([True], (cands[1:] != cands[:-1]) | (ahead[1:] != ahead[:-1]) | (groups[1:] != groups[:-1])))
    starts = np.flatnonzero(new)
    return cands[starts], ahead[starts], groups[starts], np.add.reduceat(weights, starts)


def _general_entries(election: Election, n_rows: int) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray]:
    """Per mark (a candidate at its earliest rank on a ballot): row, candidate, candidates ahead, group size.

    Also each row's number of ranked candidates. Equal ranks and repeated
    candidates are read from the ranked kernel's sparse lists, so no array
    grows with ballots times candidates.
    """
    ballots = ranked_ballots(election)
    single_rows, single_cols = np.nonzero(ballots.ranks >= 0)
    rows = np.concatenate((single_rows, ballots.multi_rows)).astype(np.int64)
    cols = np.concatenate((single_cols, ballots.multi_cols)).astype(np.int64)
    cands = np.concatenate((ballots.ranks[single_rows, single_cols], ballots.multi_cands)).astype(np.int64)
    # keep each candidate's earliest rank on each ballot
    order = np.lexsort((cols, cands, rows))
    rows, cols, cands = rows[order], cols[order], cands[order]
    first = np.concatenate(([True], (rows[1:] != rows[:-1]) | (cands[1:] != cands[:-1])))
    rows, cols, cands = rows[first], cols[first], cands[first]
    order = np.lexsort((cols, rows))
    rows, cols, cands = rows[order], cols[order], cands[order]
    new_group = np.concatenate(([True], (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])))
    group_start = np.flatnonzero(new_group)
    group_id = np.cumsum(new_group) - 1
    sizes = np.diff(np.concatenate((group_start, [len(rows)])))
    new_row = np.concatenate(([True], rows[1:] != rows[:-1]))
    row_start = np.flatnonzero(new_row)
    row_id = np.cumsum(new_row) - 1
    ahead = group_start[group_id] - row_start[row_id]
    length = np.bincount(rows, minlength=n_rows).astype(np.int64)
    return rows, cands, ahead.astype(np.int64), sizes[group_id].astype(np.int64), length


Unranked = Literal["average", "zero", "modified"]


def positional_scores(
    election: Election, prefix: Prefix, unranked: Unranked, candidates: Sequence[int] | None = None
) -> dict[Candidate, Votes]:
    """Each candidate's exact score (see the module notes); ``prefix(k)`` is the sum of the first ``k`` points."""
    table = position_table(election)
    n = table.n
    part: dict[int, Fraction] = {}
    for c, ahead, group, voters in zip(
        table.cand.tolist(), table.ahead.tolist(), table.group.tolist(), table.voters.tolist(), strict=True
    ):
        if unranked == "modified":
            share = -(Fraction(ahead) + Fraction(group - 1, 2))
        else:
            share = (prefix(ahead + group) - prefix(ahead)) / group
        part[c] = part.get(c, Fraction(0)) + voters * share
    common = Fraction(0)  # what every candidate gets before the correction for ballots ranking it
    lengths = table.length_voters.tolist()
    if unranked == "average":
        shares = {m: (prefix(n) - prefix(m)) / (n - m) for m, voters in enumerate(lengths) if voters and m < n}
        common = sum((lengths[m] * share for m, share in shares.items()), Fraction(0))
    for m, c, voters in zip(
        table.marked_length.tolist(), table.marked_cand.tolist(), table.marked_voters.tolist(), strict=True
    ):
        if unranked == "average" and m < n:
            part[c] = part.get(c, Fraction(0)) - voters * shares[m]  # these voters rank c: no unranked share
        elif unranked == "modified":
            part[c] = part.get(c, Fraction(0)) + voters * m  # a ballot ranking m gives m points to its first
    scores: dict[Candidate, Votes] = {}
    plain = whole(common)
    for c in range(n) if candidates is None else candidates:
        extra = part.get(c)
        scores[election.candidates[c]] = plain if extra is None else whole(common + extra)
    return scores


def borda_prefix(n: int) -> Prefix:
    """Borda's points n-1, n-2, ..., 0: the first ``k`` sum to ``k(n-1) - k(k-1)/2``."""

    def prefix(k: int) -> Fraction:
        return Fraction(k * (n - 1) - k * (k - 1) // 2)

    return prefix


def veto_prefix(n: int) -> Prefix:
    """Anti-plurality's points 1, ..., 1, 0: the first ``k`` sum to ``min(k, n - 1)``."""

    def prefix(k: int) -> Fraction:
        return Fraction(min(k, n - 1))

    return prefix


def harmonic_prefix(n: int) -> Prefix:
    """Dowdall's points 1, 1/2, 1/3, ...: the first ``k`` sum to the harmonic number ``H(k)``, exactly."""
    sums = [Fraction(0)]

    def prefix(k: int) -> Fraction:
        if k > MAX_HARMONIC_TERMS:
            raise OptionError(
                f"rule 'dowdall' sums its points 1, 1/2, 1/3, ... exactly, up to {MAX_HARMONIC_TERMS:,} of them;"
                f" this count needs {k:,} (with {n:,} candidates; unranked='zero' needs only the ranked places)"
            )
        while len(sums) <= k:
            sums.append(sums[-1] + Fraction(1, len(sums)))
        return sums[k]

    return prefix


@attrs.frozen(kw_only=True)
class _Positional(ProfileRule):
    default_unranked: ClassVar[Unranked] = "average"

    def _prefix(self, n: int) -> Prefix:
        raise NotImplementedError

    def _unranked(self) -> Unranked:
        return self.default_unranked

    def _count(self, election: Election, count: Count, /) -> None:
        tally = positional_scores(election, self._prefix(len(election.candidates)), self._unranked())
        voters = ranked_voters(election)
        count.add_round(Round(number=1, tally=tally, **ballot_figures(election, voters), measure="points"))
        winners = elect_best(count, tally, round=1, places=election.seats)
        count.elect(*winners, note=f"{names(winners)}: most points")


@register
@attrs.frozen(kw_only=True)
class Borda(_Positional):
    """The Borda count: with ``n`` candidates, ``n - 1`` points for first place, down to 0 for last.

    ``unranked`` says how truncated ballots count (see the module notes):
    ``"average"`` (default), ``"zero"`` or ``"modified"``. The ``seats``
    candidates with most points win.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>B>A": 1})
    >>> result = tabulate(e, "borda")
    >>> {c.name: v for c, v in result.rounds[0].tally.items()}
    {'A': 6, 'B': 8, 'C': 4}
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="borda",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Borda count: n-1 points for first place down to 0 for last; variants for truncated ballots.",
    )

    unranked: Unranked = attrs.field(default="average", validator=choice("average", "zero", "modified"))

    def _prefix(self, n: int) -> Prefix:
        return borda_prefix(n)

    def _unranked(self) -> Unranked:
        return self.unranked


@register
@attrs.frozen(kw_only=True)
class Dowdall(_Positional):
    """The Dowdall rule used in Nauru: 1 point for first place, 1/2 for second, 1/3 for third...

    Points are exact fractions. Unranked candidates get nothing by default
    (``unranked="zero"``); ``"average"`` shares the remaining positions.
    Nauru elects its parliament this way (B. Reilly, "Social choice in the
    South Seas: electoral innovation and the Borda count in the Pacific
    island countries", *International Political Science Review* 23 (2002) 355–372).

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 2, "B>C>A": 2, "C>B>A": 1})
    >>> str(tabulate(e, "dowdall").rounds[0].tally[e.candidate("B")])
    '7/2'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="dowdall",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Dowdall (Nauru): 1, 1/2, 1/3, ... points by rank.",
    )

    unranked: Literal["average", "zero"] = attrs.field(default="zero", validator=choice("average", "zero"))

    def _prefix(self, n: int) -> Prefix:
        return harmonic_prefix(n)

    def _unranked(self) -> Unranked:
        return self.unranked


@register
@attrs.frozen(kw_only=True)
class AntiPlurality(_Positional):
    """Anti-plurality (veto): a point for every candidate but the last-placed one.

    With equal last places or unranked candidates, the bottom group shares
    the missing point (``unranked="average"``, the default); with
    ``unranked="zero"`` unranked candidates get nothing.

    >>> from electoral import Election, tabulate
    >>> e = Election.from_rankings({"A>B>C": 3, "B>C>A": 2, "C>B>A": 2})
    >>> tabulate(e, "anti-plurality").winner.name
    'B'
    """

    info: ClassVar[RuleInfo] = RuleInfo(
        name="anti-plurality",
        family="positional",
        marks={"ranking"},
        winners="multiple",
        summary="Anti-plurality (veto): one point for every candidate except the last placed.",
    )

    unranked: Literal["average", "zero"] = attrs.field(default="average", validator=choice("average", "zero"))

    def _prefix(self, n: int) -> Prefix:
        return veto_prefix(n)

    def _unranked(self) -> Unranked:
        return self.unranked
