"""Pairwise comparisons: who is preferred to whom, by how many voters.

The conventions, exactly
------------------------
A ballot prefers ``a`` to ``b`` when it ranks ``a`` at a strictly earlier
rank than ``b``. Candidates marked at one rank (an equal preference) are
tied with each other: that ballot supports neither over the other. A
candidate marked at several ranks counts at the earliest. Skipped ranks
change nothing, since only the order of ranks matters.

Candidates a ballot leaves unranked are handled by the ``unranked`` option:

- ``"below"`` (the default): they tie with each other below every ranked
  candidate. The ballot ``A>B`` among A, B, C, D prefers A and B to C and
  D, and is silent on C against D.
- ``"ignore"``: only pairs where both candidates are ranked count. The
  ballot ``A>B`` then supports A over B and nothing else.

Blank ballots and score ballots support nothing. ``support[a, b]`` is the
number of voters preferring ``a`` to ``b``; the margin of ``a`` over ``b``
is ``support[a, b] - support[b, a]``.

>>> from electoral import Election
>>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>A": 1, "A": 1})
>>> m = e.pairwise()
>>> m["A", "B"], m["B", "A"]
(6, 3)
>>> m.condorcet_winner().name
'A'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from electoral._display import MimeBundleMixin, text_table
from electoral._model import Candidate, Election
from electoral._model._election import Derived, derived, provide_pairwise
from electoral._model._view import pairwise_html
from electoral._profile._build import Profile, profile_of
from electoral._text import excerpt
from electoral.errors import BallotError, OptionError, UnknownCandidateError

__all__ = [
    "MAX_PAIRWISE_CANDIDATES",
    "UNRANKED",
    "PairwiseMatrix",
    "beats_closure",
    "pairwise_of",
    "positions_of",
    "schwartz_set",
    "smith_set",
    "strongest_paths",
]

UNRANKED: Final = np.iinfo(np.int16).max
"""The position given to a candidate a ballot leaves unranked: after every rank."""

MAX_PAIRWISE_CANDIDATES: Final = 1_000
"""The most candidates a pairwise matrix is built for.

The matrix holds every ordered pair (8 MB at the limit), building it takes a
pass over the ballots per pair, and the rules counted from it take up to
n**3 steps (Schulze, Split Cycle) or more (ranked pairs); an election with
more candidates is refused before anything is allocated.
"""

Unranked = Literal["below", "ignore"]
CONVENTIONS: Final = ("below", "ignore")

IntMatrix = npt.NDArray[np.int64]
BoolMatrix = npt.NDArray[np.bool_]
Positions = npt.NDArray[np.int16]


def check_convention(value: str) -> Unranked:
    """Return ``value`` if it names a convention for unranked candidates; raise OptionError otherwise."""
    if value not in CONVENTIONS:
        raise OptionError(f"unranked={excerpt(value)} is not one of 'below', 'ignore'")
    return value  # type: ignore[return-value]


def positions_of(election: Election) -> Positions:
    """Each unique ranked ballot's rank index of each candidate (:data:`UNRANKED` if unmarked).

    Rows follow the election's profile. Built once per election.
    """
    return derived(election, _POSITIONS, _positions)


def _positions(election: Election) -> Positions:
    profile = profile_of(election)
    ranks = profile.ranks
    n_rows, width = ranks.shape
    _check_depth(width)
    positions = np.full((n_rows, profile.n_candidates), UNRANKED, dtype=np.int16)
    every_row = np.arange(n_rows)
    # later ranks first, so that a candidate marked twice keeps its earliest rank
    for column in range(width - 1, -1, -1):
        cell = ranks[:, column]
        if profile.strict and bool((cell >= 0).all()):
            positions[every_row, cell] = column
        else:
            in_column = cell >= 0
            positions[every_row[in_column], cell[in_column]] = column
    if len(profile.multi_rows):
        # the candidates of ranks holding several, from the profile's sparse lists: each keeps its earliest rank
        np.minimum.at(positions, (profile.multi_rows, profile.multi_cands), profile.multi_cols.astype(np.int16))
    positions.flags.writeable = False
    return positions


def _check_depth(width: int) -> None:
    if width >= UNRANKED:
        raise BallotError(
            f"a ballot marks rank {width:,}; rules that compare candidates' positions read at most"
            f" {UNRANKED - 1:,} ranks"
        )


def _voters_where(mask: npt.NDArray[np.bool_], counts: npt.NDArray[np.int64]) -> int:
    """The exact number of voters whose ballots ``mask`` selects (an integer dot product, the fastest way)."""
    return int(np.dot(mask.view(np.uint8).astype(np.int64), counts))


def support_matrix(positions: Positions, counts: npt.NDArray[np.int64], unranked: Unranked) -> IntMatrix:
    """``support[a, b]``: voters preferring ``a`` to ``b`` under the ``unranked`` convention."""
    n_candidates = positions.shape[1]
    by_candidate = np.ascontiguousarray(positions.T)
    support = np.zeros((n_candidates, n_candidates), dtype=np.int64)
    ranked = by_candidate != UNRANKED if unranked == "ignore" else None
    for a in range(n_candidates):
        for b in range(a + 1, n_candidates):
            a_first = by_candidate[a] < by_candidate[b]
            b_first = by_candidate[b] < by_candidate[a]
            if ranked is not None:
                a_first &= ranked[b]
                b_first &= ranked[a]
            support[a, b] = _voters_where(a_first, counts)
            support[b, a] = _voters_where(b_first, counts)
    return support


#: The most candidates for which :func:`strict_support_matrix` sums ballots by the set of candidates
#: ranked below each one (``n * 2**n`` sums: 655,360 at the limit).
MAX_SET_CANDIDATES: Final = 16


def strict_support_matrix(profile: Profile, unranked: Unranked) -> IntMatrix:
    """:func:`support_matrix` of a strict profile (up to :data:`MAX_SET_CANDIDATES` candidates), a pass per rank.

    Among the candidates it ranks, ballot ``i`` prefers the one at rank
    ``r`` to exactly those at later ranks, ``below[i, r]``. Summing voters
    by (candidate, ``below`` as a bit mask), one exact bincount per rank,
    gives every pair at once: ``support[a, b]`` (``"ignore"``) is the sum
    over the masks with bit ``b`` for ``a``. Under ``"below"``, ``a`` is
    also preferred where ``b`` is unranked: voters ranking ``a``, less
    those ranking ``b`` over ``a``.
    """
    n = profile.n_candidates
    ranks = profile.ranks
    size = 1 << n
    one = np.int64(1)
    below = np.zeros(len(profile.counts), dtype=np.int64)  # the candidates at ranks after the current one
    sums = np.zeros(n * size, dtype=np.int64)
    for column in range(ranks.shape[1] - 1, -1, -1):
        cell = ranks[:, column]
        keys = cell.astype(np.int64)
        keys <<= n
        keys |= below
        if bool((cell >= 0).all()):
            sums += profile.sum_by(keys, n * size)
            below |= np.left_shift(one, cell)
        else:
            filled = cell >= 0
            keys[~filled] = -1
            sums += profile.sum_by(keys, n * size)
            below |= np.where(filled, np.left_shift(one, np.maximum(cell, 0)), 0)
    by_set = sums.reshape(n, size)
    masks = np.arange(size, dtype=np.int64)
    has = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.int64)  # has[mask, b]: bit b is set
    # each entry is at most the voters, below 2**62: the products and sums cannot wrap
    both: IntMatrix = by_set @ has  # pairs both ranked: the "ignore" convention
    if unranked == "ignore":
        return both
    # "below": a ranks over b also when it ranks a and not b; on a strict ballot ranking both, one is first
    ranking = by_set.sum(axis=1)  # voters ranking each candidate
    support: IntMatrix = ranking[:, None] - both.T
    np.fill_diagonal(support, 0)
    return support


def check_pairwise_size(n_candidates: int, purpose: str = "a pairwise matrix") -> None:
    """Refuse, before allocating, a pairwise matrix over more than :data:`MAX_PAIRWISE_CANDIDATES` candidates."""
    if n_candidates > MAX_PAIRWISE_CANDIDATES:
        raise OptionError(
            f"{purpose} compares every pair of candidates and is limited to {MAX_PAIRWISE_CANDIDATES:,} candidates"
            f" (MAX_PAIRWISE_CANDIDATES); this election has {n_candidates:,}"
        )


def pairwise_of(election: Election, *, unranked: str = "below", purpose: str = "a pairwise matrix") -> PairwiseMatrix:
    """The election's pairwise support matrix under the ``unranked`` convention, cached per convention.

    More than :data:`MAX_PAIRWISE_CANDIDATES` candidates are refused with an
    OptionError that starts with ``purpose`` (a rule names itself there).
    """
    convention = check_convention(unranked)
    check_pairwise_size(len(election.candidates), purpose)
    return derived(election, _PAIRWISE[convention], _matrix_builder(convention))


def _matrix_builder(convention: Unranked) -> Callable[[Election], PairwiseMatrix]:
    def build(election: Election) -> PairwiseMatrix:
        profile = profile_of(election)
        _check_depth(profile.ranks.shape[1])
        if profile.strict and profile.n_candidates <= MAX_SET_CANDIDATES:
            support = strict_support_matrix(profile, convention)
        else:
            support = support_matrix(positions_of(election), profile.counts, convention)
        voters = profile.ranked_voters()
        return PairwiseMatrix(candidates=election.candidates, support=support, unranked=convention, voters=voters)

    return build


def _frozen_matrix(value: Any) -> IntMatrix:
    array = np.array(value, dtype=np.int64)
    array.flags.writeable = False
    return array


@attrs.frozen(eq=False)
class PairwiseMatrix(MimeBundleMixin):
    """Pairwise support between candidates, labelled by candidate.

    ``support[a, b]`` (by index) is the number of voters preferring ``a`` to
    ``b``; ``matrix["A", "B"]`` reads it by name. ``voters`` counts the
    ballots that mark at least one candidate. See the module notes for the
    ``unranked`` conventions.
    """

    candidates: tuple[Candidate, ...]
    support: IntMatrix = attrs.field(converter=_frozen_matrix)
    unranked: Unranked = "below"
    voters: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.candidates)

    def index(self, candidate: str | Candidate) -> int:
        """The index of ``candidate`` (a name or a Candidate) in this matrix."""
        for i, c in enumerate(self.candidates):
            if c == candidate or c.name == candidate:
                return i
        raise UnknownCandidateError(f"{excerpt(candidate)} is not a candidate (candidates: {', '.join(self.names)})")

    def __getitem__(self, pair: tuple[str | Candidate, str | Candidate]) -> int:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise UnknownCandidateError(
                f"index the matrix by a pair of candidates, e.g. matrix['A', 'B'], not {excerpt(pair)}"
            )
        a, b = pair
        return int(self.support[self.index(a), self.index(b)])

    def margins(self) -> IntMatrix:
        """``margins[a, b] = support[a, b] - support[b, a]`` (antisymmetric)."""
        margins: IntMatrix = self.support - self.support.T
        return margins

    def margin(self, a: str | Candidate, b: str | Candidate) -> int:
        """How many more voters prefer ``a`` to ``b`` than ``b`` to ``a``."""
        return int(self.margins()[self.index(a), self.index(b)])

    def beats(self) -> BoolMatrix:
        """``beats[a, b]``: a majority of those with a preference prefer ``a`` to ``b``."""
        return self.margins() > 0

    def condorcet_winner(self) -> Candidate | None:
        """The candidate who beats every other one head to head, if there is one."""
        beats = self.beats()
        n = len(self.candidates)
        for a in range(n):
            if int(beats[a].sum()) == n - 1:
                return self.candidates[a]
        return None

    def condorcet_loser(self) -> Candidate | None:
        """The candidate whom every other one beats head to head, if there is one."""
        beats = self.beats()
        n = len(self.candidates)
        for a in range(n):
            if int(beats[:, a].sum()) == n - 1:
                return self.candidates[a]
        return None

    def smith_set(self) -> tuple[Candidate, ...]:
        """The smallest non-empty set of candidates who each beat every candidate outside it."""
        return tuple(self.candidates[i] for i in np.flatnonzero(smith_set(self.margins())))

    def schwartz_set(self) -> tuple[Candidate, ...]:
        """The union of the minimal sets that no outside candidate beats."""
        return tuple(self.candidates[i] for i in np.flatnonzero(schwartz_set(self.margins())))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: support by name of the preferred candidate, then of the other."""
        return {
            "unranked": self.unranked,
            "voters": self.voters,
            "support": {
                a.name: {b.name: int(self.support[i, j]) for j, b in enumerate(self.candidates) if i != j}
                for i, a in enumerate(self.candidates)
            },
        }

    def _rows(self) -> tuple[list[str], list[list[str]]]:
        headers = ["prefer \\ to", *self.names]
        rows = [
            [a.name, *("—" if i == j else f"{int(self.support[i, j]):,}" for j in range(len(self.candidates)))]
            for i, a in enumerate(self.candidates)
        ]
        return headers, rows

    def __str__(self) -> str:
        headers, rows = self._rows()
        table = text_table(headers, rows, right=[False] + [True] * len(self.candidates))
        winner = self.condorcet_winner()
        footer = f"Condorcet winner: {winner.name}" if winner else "No Condorcet winner"
        return f"Pairwise support (unranked candidates: {self.unranked})\n{table}\n{footer}"

    def _html(self) -> str:
        caption = f"Pairwise support (unranked candidates: {self.unranked})"
        return pairwise_html(self.names, self.support.tolist(), caption=caption)

    def __repr__(self) -> str:
        return f"<PairwiseMatrix {len(self.candidates)}×{len(self.candidates)}, unranked={excerpt(self.unranked)}>"


def beats_closure(relation: BoolMatrix) -> BoolMatrix:
    """The transitive closure of a relation between candidates (Warshall's algorithm, vectorised)."""
    reach = relation.copy()
    for k in range(len(reach)):
        reach |= reach[:, k : k + 1] & reach[k : k + 1, :]
    return reach


def smith_set(margins: IntMatrix) -> BoolMatrix:
    """Mask of the Smith set: candidates who reach every other one through ties or majorities."""
    n = len(margins)
    weak = margins >= 0
    reach = beats_closure(weak) | np.eye(n, dtype=np.bool_)
    return np.asarray(reach.all(axis=1))


def schwartz_set(margins: IntMatrix) -> BoolMatrix:
    """Mask of the Schwartz set: candidates beaten through majorities by none they cannot beat back."""
    reach = beats_closure(margins > 0)
    dominated = reach.T & ~reach  # dominated[a, b]: b reaches a, and a does not reach b
    return np.asarray(~dominated.any(axis=1))


def strongest_paths(strength: IntMatrix) -> IntMatrix:
    """Widest-path strengths (Floyd–Warshall on max-min), with 0 for no link; the diagonal is 0."""
    paths = strength.copy()
    n = len(paths)
    np.fill_diagonal(paths, 0)
    for k in range(n):
        via = np.minimum(paths[:, k : k + 1], paths[k : k + 1, :])
        np.maximum(paths, via, out=paths)
        np.fill_diagonal(paths, 0)
    return paths


def order_names(candidates: Sequence[Candidate]) -> str:
    """Names joined for notes."""
    return ", ".join(c.name for c in candidates)


_POSITIONS: Final[Derived[Positions]] = Derived("positions")
_PAIRWISE: Final[dict[str, Derived[PairwiseMatrix]]] = {c: Derived(f"pairwise ({c})") for c in CONVENTIONS}

provide_pairwise(lambda election, unranked: pairwise_of(election, unranked=unranked))
