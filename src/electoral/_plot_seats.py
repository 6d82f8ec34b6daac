"""The parliament plots of :mod:`electoral.plot`: a hemicycle of seat totals and a map-less grid of districts.

Both take plain mappings (party -> seats, (district, party) -> seats), so they
draw any seat result. Seats are patches in data units (so their geometry is
exact at any size), one :class:`~matplotlib.collections.PatchCollection` per
party whose ``gid`` is the party's name.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from electoral._plot_base import OKABE_ITO, figure_of, fit_legend, need_matplotlib, new_axes, text_width
from electoral._text import excerpt
from electoral.errors import SeatsError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patches import Patch

__all__ = ["districts", "hemicycle", "hemicycle_points"]

#: The inner row's radius as a share of the outer row's.
_INNER = 0.4
#: A seat's diameter as a share of the distance between rows.
_DOT = 0.8
#: The shapes that tell apart parties which share a colour: the first seven parties have the first shape.
_SHAPES = ("circle", "square", "triangle", "diamond", "pentagon")


def _spacing(rows: int) -> float:
    """The distance between rows' centres, which is also the least distance between seats along a row: the
    rows share a band 0.6 deep under the outer one's radius of 1, so the inner row nears radius 0.4 as
    rows are added, and a small parliament of few rows keeps close to the outer ring."""
    return (1 - _INNER) / rows


def _row_radii(rows: int) -> list[float]:
    return [1 - (rows - 1 - i) * _spacing(rows) for i in range(rows)]


def _capacity(radius: float, spacing: float) -> int:
    """How many seats a half ring of ``radius`` holds with ``spacing`` between seat centres."""
    return math.floor(math.pi * radius / spacing) + 1


def _row_seats(total: int) -> list[int]:
    """Seats in each row, inner to outer: the fewest rows that hold ``total``, with seats shared out in
    proportion to each row's radius (largest remainders, no row above what it holds)."""
    rows = 1
    while sum(_capacity(r, _spacing(rows)) for r in _row_radii(rows)) < total:
        rows += 1
    radii = _row_radii(rows)
    room = [_capacity(r, _spacing(rows)) for r in radii]
    quotas = [total * r / sum(radii) for r in radii]
    counts = [min(math.floor(q), c) for q, c in zip(quotas, room, strict=True)]
    by_remainder = sorted(range(rows), key=lambda i: (counts[i] - quotas[i], -radii[i]))
    while sum(counts) < total:
        for i in by_remainder:
            if sum(counts) < total and counts[i] < room[i]:
                counts[i] += 1
    return counts


def hemicycle_points(total: int) -> tuple[list[tuple[float, float]], float]:
    """The centres of ``total`` seats on half rings of outer radius 1, left to right, and a seat's diameter.

    The rows are as many as the seats need, at even steps inwards from radius 1
    (to near 0.4 for a large parliament); each row holds seats in proportion to its radius, so the seats are evenly
    spaced over the whole arc. This is the layout of David Richfield's
    parliament diagram tool (parliamentdiagram.toolforge.org), which draws
    Wikipedia's parliament diagrams. Seats go to parties by angle, from the
    left, so each party has a wedge from the inner row to the outer one.

    >>> points, size = hemicycle_points(350)
    >>> len(points), round(size, 3)
    (350, 0.048)
    """
    if total < 0:
        raise SeatsError(f"a parliament cannot have {excerpt(total)} seats")
    if total == 0:
        return [], _DOT * _spacing(1)
    counts = _row_seats(total)
    radii = _row_radii(len(counts))
    seats: list[tuple[float, float, float]] = []
    for radius, n in zip(radii, counts, strict=True):
        for k in range(n):
            angle = math.pi * (1 - k / (n - 1)) if n > 1 else math.pi / 2
            seats.append((angle, radius * math.cos(angle), radius * math.sin(angle)))
    seats.sort(key=lambda s: (-s[0], math.hypot(s[1], s[2])))
    return [(x, y) for _, x, y in seats], _DOT * _spacing(len(counts))


def _patch(shape: str, centre: tuple[float, float], size: float, face: Any) -> Patch:
    """A seat of ``shape`` with diameter ``size`` (its area near a circle's) at ``centre``."""
    from matplotlib.patches import Circle, RegularPolygon

    if shape == "circle":
        return Circle(centre, size / 2, facecolor=face, edgecolor="none")
    sides, turn = {"square": (4, math.pi / 4), "triangle": (3, 0.0), "diamond": (4, 0.0), "pentagon": (5, 0.0)}[shape]
    return RegularPolygon(centre, sides, radius=size / 2 * 1.1, orientation=turn, facecolor=face, edgecolor="none")


def _styles(
    parties: Sequence[str], colours: Mapping[str, Any] | None, shapes: Sequence[str]
) -> dict[str, tuple[Any, str]]:
    """Each party's colour and shape: the caller's colour, else Okabe–Ito in turn, a new shape every seven."""
    out = {}
    for index, party in enumerate(parties):
        shape = shapes[(index // len(OKABE_ITO)) % len(shapes)]
        colour = colours[party] if colours and party in colours else OKABE_ITO[index % len(OKABE_ITO)]
        out[party] = (colour, shape)
    return out


def _proxy(colour: Any, shape: str, label: str) -> Any:
    from matplotlib.lines import Line2D

    marker = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "pentagon": "p"}[shape]
    return Line2D([], [], linestyle="none", marker=marker, markersize=9, color=colour, label=label)


def _checked_totals(totals: Mapping[str, int]) -> dict[str, int]:
    out = {}
    for party, n in totals.items():
        if not isinstance(party, str):
            raise SeatsError(f"seats are keyed by party name, not {excerpt(party)}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise SeatsError(f"{excerpt(party)} has {excerpt(n)} seats")
        out[party] = n
    return out


def _in_order(names: Sequence[str], order: Sequence[str] | None, what: str, known: Sequence[str] = ()) -> list[str]:
    """``names`` in ``order``; names ``order`` leaves out follow. ``order`` may name what is ``known`` but not
    shown (a party without seats), and nothing else: a name in neither is a mistake."""
    if order is None:
        return list(names)
    unknown = [o for o in order if o not in names and o not in known]
    if unknown:
        raise SeatsError(f"{excerpt(unknown[0])} is not one of the {what}")
    rank = {name: i for i, name in enumerate(order)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def _legend(ax: Axes, handles: list[Any], base_height: float, *, grow: bool) -> None:
    """The parties' legend under the axes, in as many columns as fit across the figure.

    On a figure made here, the figure grows by the legend's height, the
    legend sits at its foot, out of the layout, and the layout lays the axes
    out above it: the legend's place is then fixed, not found by the layout's
    iterations (which move it a few pixels on each draw)."""
    fit_legend(ax, min(4, len(handles)), handles=handles)
    if not grow:
        return
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    figure = figure_of(ax)
    legend = ax.get_legend()
    if legend is None:
        return
    legend.set_in_layout(False)
    height = legend.get_window_extent().height / figure.dpi + 0.1
    figure.set_figheight(base_height + height)
    legend.set_bbox_to_anchor((0.5, 0.05 / figure.get_figheight()), transform=figure.transFigure)
    legend.set_loc("lower center")
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, height / figure.get_figheight(), 1.0, 1 - height / figure.get_figheight()))


def hemicycle(
    totals: Mapping[str, int],
    *,
    ax: Axes | None = None,
    order: Sequence[str] | None = None,
    colours: Mapping[str, Any] | None = None,
    majority: bool = True,
    title: str | None = None,
) -> Axes:
    """A parliament diagram of seat ``totals`` (party -> seats): one dot a seat on half rings, parties left to right.

    ``order`` lists the parties from left to right (by default the order of
    ``totals``); parties with no seat are left out, and may be named in it. Colours are the caller's
    ``colours`` (party -> any matplotlib colour) or the Okabe–Ito palette,
    which readers with colour blindness can tell apart; after seven parties
    the colours repeat with a new shape (squares, then triangles, ...). The
    rows are packed as :func:`hemicycle_points` describes. With
    ``majority``, a dashed line marks the middle of the chamber and the title says how
    many seats a majority is. The title is ``title``, or the number of
    seats and the majority; the legend under the arc lists each party with
    its seats, in as many columns as fit, and a figure made here grows
    taller to hold it. Each party's seats are a collection whose ``gid`` is
    its name.
    """
    held = {p: n for p, n in _checked_totals(totals).items() if n > 0}
    parties = _in_order(list(held), order, "parties", known=list(totals))
    need_matplotlib()
    from matplotlib.collections import PatchCollection

    grow = ax is None
    ax = new_axes(ax, (7.0, 4.2))
    total = sum(held.values())
    points, size = hemicycle_points(total)
    style = _styles(parties, colours, _SHAPES)
    handles = []
    start = 0
    for party in parties:
        colour, shape = style[party]
        mine = points[start : start + held[party]]
        start += held[party]
        collection = PatchCollection([_patch(shape, p, size, colour) for p in mine], match_original=True)
        collection.set_gid(party)
        ax.add_collection(collection)
        handles.append(_proxy(colour, shape, f"{party} ({held[party]})"))
    need = total // 2 + 1
    ax.text(0, 0.02, f"{total:,}", ha="center", va="bottom", fontsize=16, fontweight="bold")
    if majority and total:
        ax.plot([0, 0], [_INNER - size, 1 + size], linestyle=(0, (3, 2)), color="0.35", lw=1, gid="majority")
    heading = title if title is not None else f"{total:,} seats" + (f", {need:,} for a majority" if majority else "")
    if heading:
        ax.set_title(heading, parse_math=False)
    ax.set_aspect("equal", adjustable="datalim")
    edge = 1 + size
    ax.update_datalim([(-edge, -0.05), (edge, edge)])
    ax.autoscale_view()
    ax.axis("off")
    if handles:
        _legend(ax, handles, 4.2, grow=grow)
    return ax


def _fitted_name(name: str, room: float) -> tuple[str, float]:
    """``name`` set to fit ``room`` points: on one line at 8 or 7 points, else on two lines broken at a space at
    7 points, else on one line at 6 points, shortened with an ellipsis if it must be."""
    from matplotlib.font_manager import FontProperties

    def fits(text: str, size: float) -> bool:
        return text_width(text, FontProperties(size=size)) <= room

    for size in (8.0, 7.0):
        if fits(name, size):
            return name, size
    words = name.split(" ")
    for cut in sorted(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if fits(first, 7.0) and fits(second, 7.0):
            return f"{first}\n{second}", 7.0
    short = name
    while len(short) > 1 and not fits(short + "…", 6.0):
        short = short[:-1]
    return (name, 6.0) if short == name else (short.rstrip() + "…", 6.0)


def _name_key(name: str) -> tuple[str, str]:
    """A sort key that puts accented letters with their base letter (Ávila with the A's)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return bare.casefold(), name


def _checked_seats(seats: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    out = {}
    for key, n in seats.items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise SeatsError(f"seats are keyed by (district, party), not {excerpt(key)}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise SeatsError(f"{excerpt(key[1])} in {excerpt(key[0])} has {excerpt(n)} seats")
        out[key] = n
    return out


def districts(
    seats: Mapping[tuple[str, str], int],
    *,
    ax: Axes | None = None,
    order: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    colours: Mapping[str, Any] | None = None,
    columns: int | None = None,
    title: str | None = None,
) -> Axes:
    """A map-less grid of districts: a tile for each, with its name and magnitude and a square for each seat.

    ``seats`` maps ``(district, party)`` to seats. Tiles run in reading order
    (left to right, then down) in the order of ``order``, or by name;
    ``columns`` tiles to a row (by default about 1.6 times as many columns as
    rows). In a tile the seats run in rows, party by party in the order of
    ``parties`` (by default most seats first), coloured as in
    :func:`hemicycle`: Okabe–Ito, with a new shape after seven parties. A
    name too long for its tile is set smaller, then shortened with "…". The
    legend under the grid lists each party with its seats. Each tile's
    frame has the district's name as its ``gid``.
    """
    counts = {k: n for k, n in _checked_seats(seats).items() if n > 0}
    names = sorted({d for d, _ in seats}, key=_name_key)
    if order is not None:
        names = _in_order(names, order, "districts")
    totals: dict[str, int] = {}
    for (_, party), n in counts.items():
        totals[party] = totals.get(party, 0) + n
    ranked = sorted(totals, key=lambda p: (-totals[p], p))
    party_order = _in_order(ranked, parties, "parties", known=[p for _, p in seats]) if parties is not None else ranked
    need_matplotlib()
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    n = len(names)
    across = columns if columns is not None else max(1, min(n, math.ceil(math.sqrt(1.6 * n))))
    if across < 1:
        raise SeatsError(f"a grid needs at least one column, not {excerpt(columns)}")
    down = max(1, math.ceil(n / across))
    magnitude = {d: sum(counts.get((d, p), 0) for p in party_order) for d in names}
    biggest = max(magnitude.values(), default=1) or 1
    per_row = max(1, math.ceil(math.sqrt(biggest * 1.4)))
    cell = 0.9 / per_row
    band = 0.24  # the name's band at the top of each tile, in tile widths
    tile_height = band + cell * math.ceil(biggest / per_row) + 0.06
    tile_inches = min(1.45, 11.5 / across)
    grow = ax is None
    base_height = 0.6 + tile_inches * tile_height * down
    ax = new_axes(ax, (0.3 + tile_inches * across, base_height))
    style = _styles(party_order, colours, ("square", "circle", "triangle", "diamond", "pentagon"))
    patches: dict[str, list[Patch]] = {p: [] for p in party_order}
    room = 0.92 * tile_inches * 72
    for index, name in enumerate(names):
        left, top = index % across, -(index // across) * tile_height
        frame = Rectangle((left + 0.02, top - tile_height + 0.02), 0.96, tile_height - 0.04, fill=False, lw=0.6)
        frame.set_edgecolor("0.7")
        frame.set_gid(name)
        ax.add_patch(frame)
        label, size = _fitted_name(f"{name} ({magnitude[name]})", room)
        ax.text(left + 0.5, top - 0.04, label, ha="center", va="top", fontsize=size, parse_math=False, clip_on=True)
        seat = 0
        for party in party_order:
            for _ in range(counts.get((name, party), 0)):
                row, column = divmod(seat, per_row)
                centre = (left + 0.05 + cell * (column + 0.5), top - band - cell * (row + 0.5))
                patches[party].append(_patch(style[party][1], centre, 0.82 * cell, style[party][0]))
                seat += 1
    handles = []
    for party in party_order:
        collection = PatchCollection(patches[party], match_original=True)
        collection.set_gid(party)
        ax.add_collection(collection)
        handles.append(_proxy(*style[party], f"{party} ({totals[party]})"))
    ax.set_xlim(0, across)
    ax.set_ylim(-down * tile_height, 0)
    ax.set_aspect("equal", adjustable="box")
    ax.axis("off")
    if title:
        ax.set_title(title, parse_math=False)
    if handles:
        _legend(ax, handles, base_height, grow=grow)
    return ax
