"""Many parliaments at once: a district tier's divisor count over a batch of vote draws, exactly, in numpy.

:func:`apportion_many` shares out ``seats[d]`` in every district ``d`` of
every parliament ``p`` among the lists ``l`` of ``votes[p, d, l]`` that
pass the thresholds; :func:`simulate` does the same for a
:class:`~electoral._systems._system.System` of one district tier, with the
districts and lists of a :class:`~electoral._systems._returns.Returns`.
Both give the seats :meth:`System.tabulate` gives for each parliament,
without its record of every quotient.

How it stays exact
------------------
Everything is integer. A threshold ``share = n/d`` of ``base`` is met when
``votes × d ≥ n × base`` (or ``>``), that is, for whole votes, when
``votes ≥ ⌈n × base / d⌉`` (or ``> ⌊n × base / d⌋``): one bar per district. A
divisor method's priorities are the kernel's integer pairs
(:meth:`electoral.rules._apportionment._kernel.DivisorMethod.priority`),
compared by cross-multiplication. Each district first gets, per list, the
seats whose priority is strictly above a bar: the kernel's provisional bar
``2a·V·c / (2a·h + n·(2b − a))`` when that does not fill more than ``h``
seats, else ``V·c / (a·h − n·max(0, a − b))``, which never does (``V`` the
qualified votes, ``h`` the seats, ``n`` the qualified lists, for divisors
``(a·s + b) / c``). The seats left go one at a time to the highest
priority. The outcome is then *certified*: the lowest priority that won a
seat must be strictly above the highest that did not. A certified district
has a unique divisor allocation, so no tie rule could change it. A district
that fails the check (equal priorities at the cut) is counted again by
the scalar path of :meth:`System.tabulate` (the same code), which settles
the tie as LOREG art. 163.1.c says: more votes, then lot. Those ties are
recorded in :attr:`BatchSeats.ties`.

Integer bounds
--------------
The largest product formed is below ``B × K``, where ``B`` bounds every
vote figure and base (the largest vote count times the lists and districts,
plus the blank and invalid ballots) and ``K`` is the largest multiplier (a
threshold share's numerator, or ``c·(a·h + b)`` and its kin for the priorities).
When ``B × K < 2**62`` the arrays are int64; beyond it, they are numpy
object arrays of Python ints, which run the same code without overflow,
more slowly. Parliaments are counted in slabs of about :data:`CHUNK`
figures, so that the temporaries stay small.

Lots
----
With ``seed``, parliament ``p`` draws its lots from the stream
``seed + p``, districts in order, exactly as ``system.tabulate(returns_p,
seed=seed + p)`` would; without one, a tie that needs a lot raises
:class:`~electoral.errors.CountError`, as there. The lot shuffles the tied
lists in the order of ``names``; ``tabulate`` takes each district's order in
the returns, which is the same when the districts list the parties in
their national order (as :func:`votes_array` and :func:`simulate` assume).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from electoral._systems._count import _chooser, _Lots, _share_out, new_lots, tier_returns
from electoral._systems._nodes import AnyOf, DistrictTier, Method, Threshold
from electoral._systems._returns import Returns
from electoral._systems._seats import SeatTie
from electoral._systems._system import System
from electoral._text import excerpt
from electoral.errors import MissingDataError, OptionError
from electoral.rules._apportionment._kernel import DIVISOR_METHODS, DivisorMethod

__all__ = ["BatchSeats", "apportion_many", "simulate", "votes_array"]

Array = npt.NDArray[Any]
#: products stay below this in int64; beyond it the kernel runs on Python ints
INT64_BOUND = 2**62
#: figures counted at a time (parliaments × districts × lists): small temporaries are cheap to allocate
CHUNK = 2**20


@attrs.frozen(eq=False)
class BatchSeats:
    """Seats of many parliaments: ``seats[p, d, l]`` (int32), with every tie at a cut and how it was settled.

    ``ties`` holds ``(parliament, district, tie)`` for every tie the
    statute's rule settled (more votes, then lot); ``rechecked`` counts the
    districts counted again by the scalar path (ties, and the rare start
    that overfills); ``exact_objects`` is true when the figures were too
    large for int64 and Python ints were used.
    """

    seats: Array
    names: tuple[str, ...]
    districts: tuple[str, ...]
    ties: tuple[tuple[int, int, SeatTie], ...] = ()
    rechecked: int = 0
    exact_objects: bool = False

    @property
    def totals(self) -> Array:
        """Each parliament's seats by list, ``totals[p, l]``."""
        return np.asarray(self.seats.sum(axis=1))

    @property
    def lots(self) -> int:
        """How many ties needed a lot."""
        return sum(1 for _, _, tie in self.ties if tie.by == "lot")


def _integers(value: object, what: str, ndim: int) -> Array:
    array = np.asarray(value)
    if array.dtype == object:
        for x in array.flat:
            if isinstance(x, bool) or not isinstance(x, numbers.Integral):
                raise OptionError(f"{what} must be whole numbers, not {excerpt(x)}")
        array = np.array([int(x) for x in array.flat], dtype=object).reshape(array.shape)
    elif array.dtype.kind not in "iu":
        raise OptionError(f"{what} must be an integer array, not of {excerpt(str(array.dtype))}")
    if array.ndim != ndim:
        raise OptionError(f"{what} must have {ndim} dimension(s), not shape {excerpt(array.shape)}")
    if array.size and array.min() < 0:
        raise OptionError(f"{what} must not be negative, not {excerpt(array.min())}")
    return array


def _per_district(value: object, what: str, shape: tuple[int, int]) -> Array:
    if value is None:
        return np.zeros(shape, dtype=np.int64)
    array = np.asarray(value)
    array = _integers(array, what, array.ndim)
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise OptionError(f"{what} of shape {excerpt(array.shape)} does not fit parliaments × districts") from None


def _linear(method: Method | str) -> tuple[Method, DivisorMethod]:
    if isinstance(method, str):
        method = Method("divisor", method)
    if method.kind != "divisor" or DIVISOR_METHODS[method.name].kind != "linear":
        raise OptionError(
            f"the batched kernel needs a divisor method with divisors (a·s + b) / c, not {excerpt(method.describe())};"
            " count with System.tabulate"
        )
    return method, DIVISOR_METHODS[method.name]


def _multiplier(divisor: DivisorMethod, most: int, lists: int, conditions: Sequence[Threshold | AnyOf]) -> int:
    """The largest factor a vote figure is multiplied by (see the module notes on bounds)."""
    a, b, c = divisor.a, divisor.b, divisor.c
    fd, fn = (divisor.first.denominator, divisor.first.numerator) if divisor.first is not None else (1, 1)
    bar = 2 * a * most + 2 * (a + b) * lists  # the larger start bar
    priority = max(c, fd) * max(a * (most + 1) + b, fn)  # a priority's numerator times another's denominator
    shares = [o.share.numerator for t in conditions for o in (t.options if isinstance(t, AnyOf) else (t,))]
    return max([bar * fd, 2 * max(a, b), 2 * fn * c, priority, *shares])


def apportion_many(
    votes: object,
    seats: object,
    method: Method | str = "dhondt",
    thresholds: Sequence[Threshold | AnyOf] = (),
    *,
    blank: object = None,
    invalid: object = None,
    seed: int | None = None,
    names: Sequence[str] | None = None,
    districts: Sequence[str] | None = None,
) -> BatchSeats:
    """The seats of ``votes[p, d, l]`` (parliaments × districts × lists), ``seats[d]`` in district ``d``.

    ``thresholds`` are the tier's (scope ``"district"`` or ``"nation"``,
    any basis; an :class:`AnyOf` of them), ``blank`` and ``invalid`` the
    ballots a basis counts (``[p, d]`` or ``[d]``, zero when None).
    ``names`` and ``districts`` name the lists and districts in ties and
    messages. See the module notes for exactness, bounds and lots.
    """
    method, divisor = _linear(method)
    v = _integers(votes, "votes", 3)
    h = _integers(seats, "seats", 1)
    n_parl, n_dist, n_lists = v.shape
    if h.shape[0] != n_dist:
        raise OptionError(f"seats has {h.shape[0]} districts but votes has {n_dist}")
    names = tuple(names) if names is not None else tuple(f"list {i + 1}" for i in range(n_lists))
    districts = tuple(districts) if districts is not None else tuple(f"district {i + 1}" for i in range(n_dist))
    if len(names) != n_lists or len(districts) != n_dist:
        raise OptionError(f"names and districts must give {n_lists} lists and {n_dist} districts")
    extra = (_per_district(blank, "blank", (n_parl, n_dist)), _per_district(invalid, "invalid", (n_parl, n_dist)))
    for t in thresholds:
        for o in t.options if isinstance(t, AnyOf) else (t,):
            if not isinstance(o, Threshold) or o.scope not in ("district", "nation"):
                what = o.describe() if isinstance(o, Threshold) else o
                raise OptionError(f"the batched kernel takes district and nation thresholds, not {excerpt(what)}")
    most = int(h.max()) if h.size else 0
    bound = (int(v.max()) * n_lists + int(extra[0].max()) + int(extra[1].max())) * n_dist if v.size else 0
    big = bound * _multiplier(divisor, most, n_lists, thresholds) >= INT64_BOUND
    kind: Any = object if big else np.int64
    v, h = v.astype(kind, copy=False), h.astype(kind, copy=False)
    held = np.zeros((n_parl, n_dist, n_lists), dtype=np.int32 if most < 2**31 else np.int64)
    blank_k, invalid_k = extra[0].astype(kind, copy=False), extra[1].astype(kind, copy=False)
    step = max(1, CHUNK // max(1, n_dist * n_lists))
    doubtful: list[tuple[int, int, list[int]]] = []
    for first in range(0, n_parl, step):
        part = slice(first, first + step)
        found = _chunk(divisor, v[part], blank_k[part], invalid_k[part], h, thresholds, held[part])
        doubtful.extend((first + p, d, these) for p, d, these in found)
    ties: list[tuple[int, int, SeatTie]] = []
    lots: dict[int, _Lots] = {}
    for p, d, these in doubtful:
        lot = lots.setdefault(p, new_lots(None if seed is None else seed + p))
        counts = [int(v[p, d, i]) for i in these]
        recorded: list[SeatTie] = []
        choose = _chooser([names[i] for i in these], counts, lot, _where(p, districts[d]), recorded)
        share, _, _, _ = _share_out(method, [names[i] for i in these], counts, int(h[d]), choose)
        held[p, d] = 0
        held[p, d, these] = share
        ties.extend((p, d, tie) for tie in recorded)
    return BatchSeats(held, names, districts, tuple(ties), len(doubtful), big)


def _chunk(
    divisor: DivisorMethod,
    v: Array,
    blank: Array,
    invalid: Array,
    seats: Array,
    thresholds: Sequence[Threshold | AnyOf],
    held: Array,
) -> list[tuple[int, int, list[int]]]:
    """Count a slab of parliaments into ``held``; returns the (parliament, district, lists) not certified."""
    n_parl, n_dist, n_lists = v.shape
    taking = _qualify(v, blank, invalid, thresholds)
    # the lists that take part, row by row (row = parliament × district), packed to the top
    flat = np.flatnonzero(taking)
    rows, cols = np.divmod(flat, n_lists)
    per_row = np.bincount(rows, minlength=n_parl * n_dist)
    offsets = np.cumsum(per_row) - per_row
    place = np.arange(rows.size) - offsets[rows]
    packed = np.zeros((max(int(per_row.max(initial=0)), 1), n_parl * n_dist), dtype=v.dtype)
    packed.reshape(-1)[place * packed.shape[1] + rows] = v.reshape(-1)[flat]
    got, sure = _rows(divisor, packed, np.tile(seats, n_parl))
    held.reshape(-1)[flat] = got.reshape(-1)[place * got.shape[1] + rows]
    return [
        (*divmod(int(row), n_dist), [int(i) for i in cols[offsets[row] : offsets[row] + per_row[row]]])
        for row in np.flatnonzero(~sure)
    ]


def _where(parliament: int, district: str) -> Callable[[], str]:
    return lambda: f"parliament {parliament}, district {excerpt(district)}"


def _needed(base: Array, share: Fraction, comparison: str) -> Array:
    """The fewest votes that meet ``share`` of ``base`` (and at least 1): ``⌈n·base / d⌉``, or one more for above."""
    n, d = share.numerator, share.denominator
    if comparison == "at-least":
        need = -((-base * n) // d)
    else:
        need = (base * n) // d + 1
    return np.asarray(np.maximum(need, 1))


def _qualify(v: Array, blank: Array, invalid: Array, thresholds: Sequence[Threshold | AnyOf]) -> Array:
    """Which lists have votes and pass every condition, ``[p, d, l]``: integer bars, one comparison a list.

    ``votes ≥ ⌈share × base⌉`` is ``votes × d ≥ n × base`` for ``share = n/d`` and whole votes.
    """
    lists = v.sum(axis=2)
    bases = {"lists": lists, "valid": lists + blank, "cast": lists + blank + invalid}
    nation = v.sum(axis=1, keepdims=True) if any(_scopes(thresholds, "nation")) else None
    ok: Array | None = None
    for condition in thresholds:
        meets: Array | None = None
        for t in condition.options if isinstance(condition, AnyOf) else (condition,):
            if t.scope == "nation":
                assert nation is not None
                need = _needed(bases[t.basis].sum(axis=1, keepdims=True), t.share, t.comparison)
                this = (v > 0) & (nation >= need[..., None])
            else:
                this = v >= _needed(bases[t.basis], t.share, t.comparison)[..., None]
            meets = this if meets is None else meets | this
        assert meets is not None
        ok = meets if ok is None else ok & meets
    return v > 0 if ok is None else ok


def _scopes(thresholds: Sequence[Threshold | AnyOf], scope: str) -> list[bool]:
    return [o.scope == scope for t in thresholds for o in (t.options if isinstance(t, AnyOf) else (t,))]


def _priority(divisor: DivisorMethod, v: Array, held: Array, on: Array, highest: bool) -> tuple[Array, Array]:
    """The priority of each list's next seat, as integer arrays (numerator, denominator).

    Lists off ``on`` get a priority no list beats: ``-1/1`` when the
    highest is sought, and ``1/0`` (infinite, never strictly below) when
    the lowest is.
    """
    num = v * divisor.c
    den = held * divisor.a + divisor.b
    if divisor.first is not None:
        zero = held == 0
        num = np.where(zero, v * divisor.first.denominator, num)
        den = np.where(zero, divisor.first.numerator, den)
    return np.where(on, num, -1 if highest else 1), np.where(on, den, 1 if highest else 0)


def _best(num: Array, den: Array, highest: bool) -> tuple[Array, Array, Array]:
    """Per row (the second axis), the highest or lowest priority, by cross-multiplication: (list, num, den)."""
    col = np.zeros(num.shape[1], dtype=np.intp)
    bn, bd = num[0], den[0]
    for j in range(1, num.shape[0]):
        cross, other = num[j] * bd, bn * den[j]
        take = cross > other if highest else cross < other
        col[take] = j
        bn, bd = np.where(take, num[j], bn), np.where(take, den[j], bd)
    return col, bn, bd


def _start(divisor: DivisorMethod, v: Array, on: Array, total: Array, bar: Array, scale: int) -> Array:
    """Each list's seats with a priority strictly above ``total·c·scale / bar`` (none where ``bar ≤ 0``).

    Seat ``k`` (from 0) is above it when ``v·bar > total·scale·(a·k + b)``, so a list has
    ``⌈(v·bar − b·total·scale) / (a·total·scale)⌉`` of them, or none.
    """
    a, b = divisor.a, divisor.b
    unit = total * scale
    held = np.maximum(-((unit * b - v * bar) // (unit * a)), 0)
    if divisor.first is not None:
        first = v * bar * divisor.first.denominator > unit * (divisor.first.numerator * divisor.c)
        held = np.where(first, np.maximum(held, 1), 0)
    return np.where(on & (bar > 0), held, 0)


def _rows(divisor: DivisorMethod, votes: Array, seats: Array) -> tuple[Array, Array]:
    """Seats of each column of ``votes[list, row]`` (lists with 0 votes take none), and which rows are certified."""
    v = votes
    on = votes > 0
    total = v.sum(axis=0)
    seats = np.where(total > 0, seats, 0)
    lists = on.sum(axis=0)
    a, b = divisor.a, divisor.b
    unit = np.where(total > 0, total, 1)
    safe = _start(divisor, v, on, unit, seats * a - lists * max(0, a - b), 1)
    near = _start(divisor, v, on, unit, seats * 2 * a + lists * (2 * b - a), 2)
    held = np.where(near.sum(axis=0) <= seats, near, safe)
    held[:, held.sum(axis=0) > seats] = 0
    left = seats - held.sum(axis=0)
    while True:
        rows = np.flatnonzero(left > 0)
        if not rows.size:
            break
        sub = held[:, rows]
        col, _, _ = _best(*_priority(divisor, v[:, rows], sub, on[:, rows], True), True)
        held[col, rows] += 1
        left[rows] -= 1
    _, hn, hd = _best(*_priority(divisor, v, held, on, True), True)
    won = held > 0
    _, ln, ld = _best(*_priority(divisor, v, np.where(won, held - 1, 0), won, False), False)
    sure = (held.sum(axis=0) == 0) | (ln * hd > hn * ld)
    return held, sure


def simulate(
    system: System,
    returns: Returns,
    votes: object,
    *,
    blank: object = None,
    invalid: object = None,
    seed: int | None = None,
) -> BatchSeats:
    """``system``'s seats for every parliament of ``votes[p, d, l]``, over the districts and lists of ``returns``.

    The system must be one :class:`DistrictTier` with a linear divisor
    method and district or nation thresholds (Spain's Congreso, its
    autonomous parliaments and councils, the European Parliament).
    Districts are those the tier counts, in the order of the returns, with
    its magnitudes (or the returns' seats); lists are in the order of
    ``returns.national_votes()``. ``blank`` and ``invalid`` are as in
    :func:`apportion_many` (zero when None, not the returns' figures).
    """
    if not isinstance(system, System) or len(system.tiers) != 1 or not isinstance(system.tiers[0], DistrictTier):
        raise OptionError(f"simulate needs a system of one district tier, not {excerpt(system)}")
    tier = system.tiers[0]
    counted = tier_returns(tier.magnitudes, returns)
    magnitudes = []
    for district in counted.districts:
        seats = tier.magnitudes[district.name] if tier.magnitudes is not None else district.seats
        if seats is None:
            raise MissingDataError(f"the returns give no seats for district {excerpt(district.name)}")
        magnitudes.append(seats)
    names = tuple(returns.national_votes())
    shape = np.asarray(votes).shape
    if len(shape) != 3 or shape[1:] != (len(magnitudes), len(names)):
        raise OptionError(
            f"votes must be parliaments × {len(magnitudes)} districts × {len(names)} lists, not shape {excerpt(shape)}"
        )
    return apportion_many(
        votes,
        np.array(magnitudes, dtype=np.int64),
        tier.method,
        tier.thresholds,
        blank=blank,
        invalid=invalid,
        seed=seed,
        names=names,
        districts=tuple(d.name for d in counted.districts),
    )


def votes_array(returns: Returns, names: Sequence[str] | None = None) -> tuple[Array, Array, Array]:
    """The votes ``[1, d, l]``, blank ``[1, d]`` and invalid ``[1, d]`` ballots of ``returns``, as int64 arrays.

    Lists are in ``names`` order (default: ``returns.national_votes()``).
    """
    names = list(returns.national_votes()) if names is None else list(names)
    votes = np.array([[[d.votes.get(n, 0) for n in names] for d in returns.districts]], dtype=np.int64)
    blank = np.array([[d.blank for d in returns.districts]], dtype=np.int64)
    invalid = np.array([[d.invalid for d in returns.districts]], dtype=np.int64)
    return votes, blank, invalid
