"""Preference models: random elections for studying rules.

Every model takes the number of voters, the candidates (a number, or a list
of names) and a seeded :class:`numpy.random.Generator`, and returns an
:class:`~electoral.Election` of complete strict rankings, built directly in
aggregated form (unique rankings with counts) with numpy, so a million
voters take a fraction of a second.

>>> import numpy as np
>>> from electoral import generate, tabulate
>>> rng = np.random.default_rng(2024)
>>> election = generate.mallows(1000, 4, rng=rng, dispersion=0.5)
>>> sum(b.count for b in election.ballots), election.names
(1000, ('A', 'B', 'C', 'D'))
>>> tabulate(election, "plurality").winner.name
'A'

Models are also listed by name in :data:`MODELS`, each a function of
``(voters, candidates, *, rng, **parameters)``, for :mod:`electoral.simulate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from math import factorial
from types import MappingProxyType
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt

from electoral._model import Candidate, Election
from electoral._research._generate_arrays import (
    IntArray,
    build_election,
    candidate_names,
    check_real,
    check_rng,
    check_voters,
    decode_lehmer,
    merge_codes,
    merge_rows,
    polya_roots,
    random_permutations,
    real_array,
    uniform_permutations,
)
from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = [
    "MODELS",
    "Model",
    "impartial_anonymous_culture",
    "impartial_culture",
    "mallows",
    "plackett_luce",
    "single_peaked",
    "spatial",
    "urn",
]

Candidates = int | Iterable[str | Candidate]


class Model(Protocol):
    """What a preference model is: voters and candidates in, an election out, randomness passed in."""

    def __call__(self, voters: int, candidates: Candidates, /, *, rng: np.random.Generator) -> Election: ...


def _finish(names: list[str | Candidate], rows: IntArray, counts: IntArray | None, seats: int, title: str) -> Election:
    """Build the election; ``counts=None`` means one row per voter, still to be merged."""
    if counts is None:
        rows, counts = merge_rows(rows)
    return build_election(names, rows, counts, seats=seats, title=title)


def impartial_culture(
    voters: int, candidates: Candidates, /, *, rng: np.random.Generator, seats: int = 1, title: str = ""
) -> Election:
    """Impartial culture: each voter's ranking is uniformly random, independently of the others.

    >>> import numpy as np
    >>> e = impartial_culture(10**5, 3, rng=np.random.default_rng(1))
    >>> len(e.ballots), sum(b.count for b in e.ballots)
    (6, 100000)
    """
    rng, n = check_rng(rng), check_voters(voters)
    names = candidate_names(candidates)
    rows, counts = uniform_permutations(rng, n, len(names))
    return _finish(names, rows, counts, seats, title)


def urn(
    voters: int,
    candidates: Candidates,
    /,
    *,
    rng: np.random.Generator,
    alpha: float,
    seats: int = 1,
    title: str = "",
) -> Election:
    """The Pólya–Eggenberger urn: voters copy earlier voters, so preferences cluster.

    The urn starts with one ball per ranking (m! balls). Each voter draws a
    ball, takes its ranking, and returns it with ``alpha · m!`` more balls of
    the same ranking. ``alpha=0`` is impartial culture; ``alpha = 1/m!`` is
    impartial anonymous culture; larger values make voters more alike
    (Berg, "Paradox of voting under an urn model", *Public Choice* 47, 1985).
    """
    rng, n = check_rng(rng), check_voters(voters)
    alpha = check_real(alpha, "alpha")
    if alpha < 0:
        raise OptionError(f"alpha must be a finite number, zero or more, not {excerpt(alpha)}")
    names = candidate_names(candidates)
    m = len(names)
    _, sizes = polya_roots(rng, n, float(alpha))
    if m <= 20:
        codes, counts = merge_codes(rng.integers(0, factorial(m), size=len(sizes), dtype=np.int64), sizes)
        return _finish(names, decode_lehmer(codes, m), counts, seats, title)
    rows, counts = merge_rows(random_permutations(rng, len(sizes), m), sizes)
    return _finish(names, rows, counts, seats, title)


def impartial_anonymous_culture(
    voters: int, candidates: Candidates, /, *, rng: np.random.Generator, seats: int = 1, title: str = ""
) -> Election:
    """Impartial anonymous culture: every anonymous profile (multiset of rankings) is equally likely.

    Sampled as the Pólya–Eggenberger urn with ``alpha = 1/m!`` (one ball
    added back per draw), whose distribution over anonymous profiles is
    uniform (Berg 1985).
    """
    names = candidate_names(candidates)
    return urn(voters, names, rng=rng, alpha=1 / factorial(len(names)), seats=seats, title=title)


def mallows(
    voters: int,
    candidates: Candidates,
    /,
    *,
    rng: np.random.Generator,
    dispersion: float,
    reference: Sequence[str] | None = None,
    seats: int = 1,
    title: str = "",
) -> Election:
    """Mallows' model: rankings near a reference ranking, with probability ∝ dispersion^(Kendall tau distance).

    ``dispersion`` (φ) runs from 0 (everyone casts the reference ranking) to
    1 (impartial culture). ``reference`` lists the names from most to least
    preferred; by default the candidates' own order. Sampled by the repeated
    insertion model (Doignon, Pekeč and Regenwetter, *Psychometrika* 69,
    2004): the i-th reference candidate is inserted at position j ≤ i with
    probability ∝ φ^(i − j).
    """
    rng, n = check_rng(rng), check_voters(voters)
    dispersion = check_real(dispersion, "dispersion")
    if not 0 <= dispersion <= 1:
        raise OptionError(f"dispersion must be between 0 and 1, not {excerpt(dispersion)}")
    names = candidate_names(candidates)
    m = len(names)
    order = _reference_order(names, reference)
    slots = np.empty((n, m), dtype=np.int64)  # slots[v, i]: where voter v inserts the i-th reference candidate
    for i in range(m):
        weights = float(dispersion) ** np.arange(i, -1, -1, dtype=np.float64)  # slot j has weight φ^(i-j)
        cumulative = np.cumsum(weights)
        slots[:, i] = np.minimum(np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right"), i)
    if m <= 20:
        # The insertion slots are the digits of a factorial-base number: merge voters by that
        # number first, so the insertions below run once per distinct ranking, not per voter.
        radix = np.array([factorial(i) for i in range(m)], dtype=np.int64)
        code = np.zeros(n, dtype=np.int64)
        for i in range(1, m):  # integer matmul has no BLAS path; m multiply-adds are faster
            code += slots[:, i] * radix[i]
        codes, counts = merge_codes(code)
        slots = np.empty((len(codes), m), dtype=np.int64)
        for i in range(m):
            slots[:, i] = (codes // radix[i]) % (i + 1)
        return _finish(names, _insert(slots, order), counts, seats, title)
    return _finish(names, _insert(slots, order), None, seats, title)


def _insert(slots: IntArray, order: IntArray) -> IntArray:
    """Rankings from insertion slots: candidate ``order[i]`` goes in at ``slots[:, i]``, pushing later ones down."""
    rows, m = slots.shape
    small = np.int8 if m <= 127 else np.int64  # positions fit a byte: less memory to stream through
    position = np.zeros((rows, m), dtype=small)
    for i in range(m):
        slot = slots[:, i : i + 1].astype(small)
        if i:
            placed = position[:, :i]
            placed += placed >= slot
        position[:, i] = slot[:, 0]
    ranking = np.empty((rows, m), dtype=np.int64)
    np.put_along_axis(ranking, position.astype(np.intp), np.broadcast_to(order, (rows, m)), axis=1)
    return ranking


def _reference_order(names: list[str | Candidate], reference: Sequence[str] | None) -> IntArray:
    if reference is None:
        return np.arange(len(names), dtype=np.int64)
    labels = [str(c) if isinstance(c, Candidate) else c for c in names]
    if sorted(reference) != sorted(labels):
        raise OptionError(
            f"the reference ranking {excerpt(list(reference))} must list each candidate once: {excerpt(labels)}"
        )
    return np.array([labels.index(name) for name in reference], dtype=np.int64)


def plackett_luce(
    voters: int,
    candidates: Candidates,
    /,
    *,
    rng: np.random.Generator,
    weights: Sequence[float],
    seats: int = 1,
    title: str = "",
) -> Election:
    """Plackett–Luce: each rank is filled by a remaining candidate with probability ∝ their weight.

    Sampled as an exponential race: each voter draws an exponential time
    per candidate with rate equal to the candidate's weight and ranks them
    by time, so the first is candidate i with probability wᵢ/Σw and, the
    exponential being memoryless, so on down the ranking (Luce's choice
    axiom; equivalently Gumbel keys, Yellott, *J. Math. Psychology* 15, 1977).
    """
    rng, n = check_rng(rng), check_voters(voters)
    names = candidate_names(candidates)
    w = real_array(weights, "weights")
    if w.shape != (len(names),) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise OptionError(f"weights must be one positive number per candidate ({len(names)}), not {excerpt(weights)}")
    times = rng.standard_exponential(size=(n, len(names))) / w[None, :]
    return _finish(names, np.argsort(times, axis=1).astype(np.int64), None, seats, title)


def spatial(
    voters: int,
    candidates: Candidates,
    /,
    *,
    rng: np.random.Generator,
    dimensions: int = 2,
    voter_positions: npt.ArrayLike | None = None,
    candidate_positions: npt.ArrayLike | None = None,
    seats: int = 1,
    title: str = "",
) -> Election:
    """The Euclidean spatial model: each voter ranks candidates from nearest to farthest.

    Positions not given are drawn from the standard normal distribution in
    ``dimensions`` dimensions: ``voter_positions`` has shape (voters,
    dimensions) and ``candidate_positions`` (candidates, dimensions). Equal
    distances (possible only with given positions) are ranked in the
    candidates' order.
    """
    rng, n = check_rng(rng), check_voters(voters)
    names = candidate_names(candidates)
    m = len(names)
    where = _positions(rng, candidate_positions, m, dimensions, "candidate_positions")
    at = _positions(rng, voter_positions, n, where.shape[1], "voter_positions")
    distance = ((at[:, None, :] - where[None, :, :]) ** 2).sum(axis=2)
    return _finish(names, np.argsort(distance, axis=1, kind="stable").astype(np.int64), None, seats, title)


def _positions(
    rng: np.random.Generator, given: npt.ArrayLike | None, rows: int, dimensions: int, what: str
) -> npt.NDArray[np.float64]:
    if given is None:
        if not isinstance(dimensions, int) or dimensions < 1:
            raise OptionError(f"dimensions must be a whole number of at least 1, not {excerpt(dimensions)}")
        return rng.standard_normal((rows, dimensions))
    array = real_array(given, what)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] != rows or not np.all(np.isfinite(array)):
        raise OptionError(f"{what} must be a finite array of shape ({rows}, dimensions), got shape {array.shape}")
    return array


def single_peaked(
    voters: int,
    candidates: Candidates,
    /,
    *,
    rng: np.random.Generator,
    method: Literal["walsh", "conitzer"] = "walsh",
    seats: int = 1,
    title: str = "",
) -> Election:
    """Rankings single-peaked on the candidates' order (the axis).

    ``method="walsh"`` draws uniformly among the 2^(m−1) single-peaked
    rankings, filling ranks from the last: the least preferred remaining
    candidate is either end of the remaining stretch of the axis, each with
    probability 1/2 (Walsh, "Generating single peaked votes", 2015).
    ``method="conitzer"`` draws the peak uniformly, then extends the ranking
    left or right along the axis with probability 1/2 each (Conitzer,
    *JAIR* 35, 2009).
    """
    rng, n = check_rng(rng), check_voters(voters)
    if method not in ("walsh", "conitzer"):
        raise OptionError(f"method must be 'walsh' or 'conitzer', not {excerpt(method)}")
    names = candidate_names(candidates)
    m = len(names)
    rows = np.empty((n, m), dtype=np.int64)
    if method == "walsh":
        left = np.zeros(n, dtype=np.int64)
        right = np.full(n, m - 1, dtype=np.int64)
        for rank in range(m - 1, 0, -1):
            take_left = rng.random(n) < 0.5
            rows[:, rank] = np.where(take_left, left, right)
            left += take_left
            right -= ~take_left
        rows[:, 0] = left
    else:
        peak = rng.integers(0, m, size=n)
        rows[:, 0] = peak
        left, right = peak - 1, peak + 1
        for rank in range(1, m):
            go_left = (rng.random(n) < 0.5) & (left >= 0) | (right >= m)
            rows[:, rank] = np.where(go_left, left, right)
            left -= go_left
            right += ~go_left
    return _finish(names, rows, None, seats, title)


MODELS: Final[Mapping[str, Callable[..., Election]]] = MappingProxyType(
    {
        "impartial-culture": impartial_culture,
        "impartial-anonymous-culture": impartial_anonymous_culture,
        "urn": urn,
        "mallows": mallows,
        "plackett-luce": plackett_luce,
        "spatial": spatial,
        "single-peaked": single_peaked,
    }
)
"""The models by name (read-only)."""
