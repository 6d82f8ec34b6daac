"""Plots of results: round-by-round bars, transfer flows, seat charts, and parliaments.

Needs matplotlib (``pip install matplotlib``), imported only when a plot is
drawn. Each function draws on the ``ax`` given, or on a new figure made
without pyplot (so no global state changes), and returns the axes; the
figure is ``ax.figure``.

:func:`hemicycle` and :func:`districts` draw plain seat mappings (party ->
seats, (district, party) -> seats), so they show any parliament's result.

Axes that a function makes itself show as a picture in a notebook: a plot
call as the last expression of a cell displays its figure, with no
``%matplotlib`` magic and no pyplot. Axes passed in as ``ax`` are returned
unchanged.

Names are laid out to be read on real elections: tick labels wrap at spaces
to fit their slot (or stand upright when a word will not fit), the names
beside a transfer flow move apart rather than overprint, and legends are
sized to stay inside the figure.

>>> from electoral import Election, tabulate, plot
>>> result = tabulate(Election.from_rankings({"A>B": 40, "B>A": 35, "C>B": 25}), "contingent")
>>> ax = plot.rounds(result)
>>> [t.get_text() for t in ax.get_xticklabels()]
['A', 'B', 'C']
>>> ax._repr_png_()[0][:8]  # what a notebook shows
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from electoral._model import Candidate
from electoral._plot_base import figure_of as _figure
from electoral._plot_base import fit_legend as _fit_legend
from electoral._plot_base import need_matplotlib as _need_matplotlib
from electoral._plot_base import new_axes as _axes
from electoral._plot_base import text_width as _text_width
from electoral._plot_seats import districts, hemicycle
from electoral._result import Result, Round, Transfer
from electoral._text import excerpt
from electoral.errors import MissingDataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.font_manager import FontProperties

__all__ = ["districts", "hemicycle", "rounds", "seats", "transfers"]


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _colours(n: int) -> list[Any]:
    """Distinct colours for ``n`` series: tab10, or for more, tab20's ten strong colours before its ten light ones."""
    from matplotlib import colormaps

    if n <= 10:
        palette = colormaps["tab10"]
        return [palette(i) for i in range(n)]
    palette = colormaps["tab20"]
    order = [*range(0, 20, 2), *range(1, 20, 2)]
    return [palette(order[i % 20]) for i in range(n)]


def _sequence_colours(n: int) -> list[Any]:
    """Colours for ``n`` ordered things (rounds), dark to light along viridis, which is colour-blind safe."""
    from matplotlib import colormaps

    palette = colormaps["viridis"]
    return [palette(0.85 * i / (n - 1) if n > 1 else 0.0) for i in range(n)]


def _measure(result: Result) -> str:
    """What the rounds' tallies count, for the value axis (every tally is votes so far)."""
    return "votes"


# -- fitting names ---------------------------------------------------------------------


def _wrap(text: str, prop: FontProperties, room: float) -> str | None:
    """``text`` broken at spaces and after hyphens into lines no wider than ``room`` points, or None if a
    piece is wider."""
    lines: list[str] = []
    for word in text.split():
        for index, piece in enumerate(re.findall(r"[^-]+-*|-+", word)):
            glue = "" if index else " "
            if _text_width(piece, prop) > room:
                return None
            if lines and _text_width(lines[-1] + glue + piece, prop) <= room:
                lines[-1] += glue + piece
            else:
                lines.append(piece)
    return "\n".join(lines)


def _tick_spacing(ax: Axes) -> float:
    """The distance in points between x = 0 and x = 1 on the axes, after the figure's layout has run."""
    figure = _figure(ax)
    figure.draw_without_rendering()
    (x0, _), (x1, _) = ax.transData.transform([(0, 0), (1, 0)])
    return abs(float(x1 - x0)) * 72 / figure.dpi


def _fit_names(ax: Axes, names: Sequence[str], bold: Sequence[bool], *, grow: bool) -> None:
    """Put ``names`` under x = 0, 1, ...: wrapped to fit between their neighbours (in a smaller size if need be),
    or upright when a word is wider than the room; ``grow`` lets the figure grow taller for upright names."""
    from matplotlib.font_manager import FontProperties

    ticks = range(len(names))
    ax.set_xticks(ticks, list(names), parse_math=False)
    if not names:
        return
    room = 0.9 * _tick_spacing(ax)
    size = float(ax.get_xticklabels()[0].get_fontsize())
    chosen: list[str] | None = None
    for scale in (1.0, 0.9, 0.8):
        fitted = [
            _wrap(name, FontProperties(size=size * scale, weight="bold" if b else "normal"), room)
            for name, b in zip(names, bold, strict=True)
        ]
        if all(f is not None and f.count("\n") < 4 for f in fitted):
            chosen = [f for f in fitted if f is not None]
            break
    if chosen is not None:
        ax.set_xticks(ticks, chosen, parse_math=False, fontsize=size * scale, rotation=0)
    else:
        ax.set_xticks(ticks, list(names), parse_math=False, fontsize=size * 0.8, rotation=90)
        if grow:  # keep the bars' height: the figure grows by the upright names' length
            figure = _figure(ax)
            longest = max(_text_width(n, FontProperties(size=size * 0.8, weight="bold")) for n in names)
            figure.set_figheight(figure.get_figheight() + longest / 72)
    for label, b in zip(ax.get_xticklabels(), bold, strict=True):
        label.set_fontweight("bold" if b else "normal")


def _spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as near ``wanted`` (ascending) as they can be while at least ``gap`` apart within [low, high]."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, low + gap / 2, placed[-1] + gap if placed else -math.inf))
    for i in reversed(range(len(placed))):
        ceiling = high - gap / 2 if i == len(placed) - 1 else placed[i + 1] - gap
        placed[i] = min(placed[i], ceiling)
    return placed


def _number(votes: int | Fraction) -> float:
    return float(votes)  # for drawing only; the exact figures stay in the Result


def _candidates(result: Result) -> list[Candidate]:
    seen = {c for r in result.rounds for c in r.tally}
    return [c for c in result.election.candidates if c in seen]


def rounds(result: Result, *, ax: Axes | None = None) -> Axes:
    """Each candidate's votes in each round, as grouped bars; winners' names in bold.

    Rounds run dark to light (viridis); the legend sits to the right of the
    bars when the figure has a layout engine (as the figures made here do),
    and inside the axes otherwise. Long names wrap to fit under their bars.
    """
    _need_matplotlib()
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    people = _candidates(result)
    grow = ax is None
    if ax is None:  # wide enough for each candidate's longest word, within reason
        from matplotlib.font_manager import FontProperties

        bold = FontProperties(weight="bold")
        word = max((_text_width(w, bold) for c in people for w in re.split(r"(?<=-)|\s+", c.name)), default=0.0)
        legend = 0.9 if len(result.rounds) > 1 else 0.0
        ax = _axes(None, (_clamp(1.0 + legend + max(0.7, word / 70) * len(people), 7.0, 12.0), 4.5))
    count = max(len(result.rounds), 1)
    width = 0.8 / count
    colours = _sequence_colours(count)
    for index, r in enumerate(result.rounds):
        xs = [i - 0.4 + width * (index + 0.5) for i, c in enumerate(people) if c in r.tally]
        heights = [_number(r.tally[c]) for c in people if c in r.tally]
        ax.bar(xs, heights, width=width, color=colours[index], label=str(r.number))
    ax.set_ylabel(_measure(result))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    title = result.election.title or str(result.rule.to_dict().get("name", ""))
    if title:
        ax.set_title(title, parse_math=False)
    if len(result.rounds) > 1:
        columns = math.ceil(len(result.rounds) / 14)
        if _figure(ax).get_layout_engine() is not None:
            ax.legend(title="Round", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=columns)
        else:
            ax.legend(title="Round", frameon=False, ncols=columns)
    ax.spines[["top", "right"]].set_visible(False)
    _fit_names(ax, [c.name for c in people], [c in result.winners for c in people], grow=grow)
    return ax


def _flows_between(before: Round, after: Round) -> list[Transfer]:
    """The transfers from ``before`` to ``after``, whichever of the two rounds the rule recorded them on.

    Rules differ: some record transfers on the round whose decision caused
    them, others on the round that received them. A transfer belongs here
    if its source was counted in ``before`` and lost votes by ``after``
    (eliminated, or an elected candidate's surplus passed on).
    """

    def moved(t: Transfer) -> bool:
        return t.source in before.tally and after.tally.get(t.source, 0) < before.tally[t.source]

    received = [t for t in after.transfers if moved(t)]
    return received or [t for t in before.transfers if moved(t)]


#: The kinds of transfer that go to no candidate, in the order their blocks stack from the bottom, with their labels.
_SINKS: dict[str, str] = {"exhausted": "exhausted", "residual-surplus": "residual surplus"}


def _kind(who: Candidate | str) -> str:
    return "candidate" if isinstance(who, Candidate) else who


def transfers(result: Result, *, ax: Axes | None = None, gap: float = 0.02) -> Axes:
    """A Sankey-style flow: each round a column of candidates' votes, with bands for votes kept and moved.

    Votes that stay with a candidate run straight across; transferred votes
    run from their source to their destination. Votes that go to no
    candidate run to a block of their own under the next round, which
    carries them on to the last: a grey "exhausted" block for exhausted
    ballots, and a light grey "residual surplus" block for the part of a
    surplus that rounding transfer values left with nobody (see
    :attr:`Transfer.kind <electoral.Transfer.kind>`). Each block and band
    has the kind of what it shows (``"candidate"``, ``"exhausted"``,
    ``"residual-surplus"``) as its ``gid``, and each block its name as its label.
    """
    _need_matplotlib()
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    people = _candidates(result)
    ax = _axes(ax, (_clamp(3.0 + 0.75 * len(result.rounds), 8.0, 14.0), _clamp(1.5 + 0.3 * len(people), 5.0, 10.0)))
    colour = dict(zip(people, _colours(len(people)), strict=True))
    sink_colour = {"exhausted": (0.6, 0.6, 0.6, 1.0), "residual-surplus": (0.8, 0.8, 0.8, 1.0)}
    scale = max((sum(_number(v) for v in r.tally.values()) for r in result.rounds), default=1.0) or 1.0
    spacing = gap * scale
    column_width = 0.12

    def layout(r: Round, sunk: dict[str, float]) -> dict[Candidate | str, tuple[float, float]]:
        blocks: dict[Candidate | str, tuple[float, float]] = {}
        y = 0.0
        for kind in _SINKS:
            if sunk[kind]:
                blocks[kind] = (y, sunk[kind])
                y += sunk[kind] + spacing
        for c in reversed(people):
            if c in r.tally:
                blocks[c] = (y, _number(r.tally[c]))
                y += _number(r.tally[c]) + spacing
        return blocks

    sunk_so_far = dict.fromkeys(_SINKS, 0.0)
    columns = []
    for index, r in enumerate(result.rounds):
        if index:
            for t in _flows_between(result.rounds[index - 1], r):
                if t.kind in sunk_so_far:
                    sunk_so_far[t.kind] += _number(t.votes)
        columns.append(layout(r, sunk_so_far))

    for index, blocks in enumerate(columns):
        for who, (y, h) in blocks.items():
            face = colour[who] if isinstance(who, Candidate) else sink_colour[who]
            name = who.name if isinstance(who, Candidate) else _SINKS[who]
            patch = Rectangle((index - column_width / 2, y), column_width, h, color=face, lw=0, label=name)
            patch.set_gid(_kind(who))
            ax.add_patch(patch)

    def band(x0: float, y0: float, x1: float, y1: float, h: float, face: Any, kind: str = "candidate") -> None:
        mid = (x0 + x1) / 2
        path = Path(
            [
                (x0, y0),
                (mid, y0),
                (mid, y1),
                (x1, y1),
                (x1, y1 + h),
                (mid, y1 + h),
                (mid, y0 + h),
                (x0, y0 + h),
                (x0, y0),
            ],
            [
                Path.MOVETO,
                Path.CURVE4,
                Path.CURVE4,
                Path.CURVE4,
                Path.LINETO,
                Path.CURVE4,
                Path.CURVE4,
                Path.CURVE4,
                Path.CLOSEPOLY,
            ],
        )
        ax.add_patch(PathPatch(path, facecolor=face, alpha=0.35, lw=0, gid=kind))

    for index in range(1, len(columns)):
        left, right = columns[index - 1], columns[index]
        before, after = result.rounds[index - 1], result.rounds[index]
        out_cursor = {who: y for who, (y, _) in left.items()}
        in_cursor = {who: y for who, (y, _) in right.items()}
        for kind in _SINKS:  # earlier exhausted ballots stay exhausted, and residual surplus stays lost
            if kind in left and kind in right:
                h = left[kind][1]
                start, end = out_cursor[kind], in_cursor[kind]
                band(index - 1 + column_width / 2, start, index - column_width / 2, end, h, sink_colour[kind], kind)
                in_cursor[kind] += h
        for c in people:
            if c in before.tally and c in after.tally:
                h = min(_number(before.tally[c]), _number(after.tally[c]))
                band(index - 1 + column_width / 2, out_cursor[c], index - column_width / 2, in_cursor[c], h, colour[c])
                out_cursor[c] += h
                in_cursor[c] += h
        for t in _flows_between(before, after):
            sink: Candidate | str = t.target if t.target is not None else t.kind
            if t.source not in out_cursor or sink not in in_cursor:
                continue
            h = _number(t.votes)
            face = colour.get(t.source, sink_colour["exhausted"])
            band(
                index - 1 + column_width / 2,
                out_cursor[t.source],
                index - column_width / 2,
                in_cursor[sink],
                h,
                face,
                t.kind,
            )
            out_cursor[t.source] += h
            in_cursor[sink] += h

    ax.set_xlim(-0.8, max(len(columns) - 1, 0) + 0.8)
    top = max((y + h for blocks in columns for (y, h) in blocks.values()), default=1.0)
    ax.set_ylim(0, top * 1.02 or 1.0)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    title = result.election.title
    if title:
        ax.set_title(title, parse_math=False)
    names = [f"Round {r.number}" for r in result.rounds]
    ax.set_xticks(range(len(columns)), names)
    if names and max(_text_width(n, ax.get_xticklabels()[0].get_fontproperties()) for n in names) > 0.9 * _tick_spacing(
        ax
    ):
        ax.set_xticks(range(len(columns)), [str(r.number) for r in result.rounds])
        ax.set_xlabel("Round")
    if columns:
        _name_blocks(ax, columns[0], 0, column_width, "right")
    if len(columns) > 1:
        _name_blocks(ax, columns[-1], len(columns) - 1, column_width, "left")
    return ax


def _name_blocks(
    ax: Axes, blocks: dict[Candidate | str, tuple[float, float]], x: float, width: float, side: str
) -> None:
    """Name a column's blocks beside it, moved apart so that no two names overprint, with a leader line
    from each name that had to move to its block."""
    from matplotlib.font_manager import FontProperties

    shown = sorted(((y + h / 2, who) for who, (y, h) in blocks.items() if h > 0), key=lambda item: item[0])
    if not shown:
        return
    _tick_spacing(ax)  # for the layout it runs: the axes' height is then the final one
    low, high = ax.get_ylim()
    (_, y0), (_, y1) = ax.transData.transform([(0, low), (0, high)])
    height = abs(float(y1 - y0)) * 72 / _figure(ax).dpi  # in points
    size = min(8.0, height / (1.3 * len(shown)))  # smaller when even a line each would not fit
    gap = 1.3 * size * (high - low) / height
    placed = _spread([y for y, _ in shown], gap, low, high)
    edge, offset = (x - width / 2, -0.1) if side == "right" else (x + width / 2, 0.1)
    for (y, who), at in zip(shown, placed, strict=True):
        name = who.name if isinstance(who, Candidate) else _SINKS[who]
        moved = abs(at - y) > gap / 4
        ax.annotate(
            name,
            xy=(edge, y),
            xytext=(x + offset, at),
            ha=side,
            va="center",
            fontproperties=FontProperties(size=size),
            gid=_kind(who),
            parse_math=False,
            arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "0.5", "shrinkA": 1, "shrinkB": 0} if moved else None,
        )


def _hemicycle(total: int) -> list[tuple[float, float]]:
    """Seat centres on concentric half-rings, ordered left to right (by angle)."""
    if total == 0:
        return []
    rows = max(1, round(math.sqrt(total / 4)))
    radii = [1 + i / rows for i in range(rows)]
    weights = sum(radii)
    per_row = [max(1, round(total * r / weights)) for r in radii]
    per_row[-1] += total - sum(per_row)
    while per_row[-1] < 1:  # rounding overshot: take seats back from the inner rows
        inner = max(range(rows - 1), key=per_row.__getitem__)
        per_row[inner] -= 1
        per_row[-1] += 1
    seats: list[tuple[float, float, float]] = []
    for radius, n in zip(radii, per_row, strict=True):
        for k in range(n):
            angle = math.pi * (1 - (k + 0.5) / n)
            seats.append((angle, radius * math.cos(angle), radius * math.sin(angle)))
    seats.sort(key=lambda s: (-s[0], s[1]))
    return [(x, y) for _, x, y in seats]


def seats(result: Result, *, ax: Axes | None = None, order: Sequence[str] | None = None) -> Axes:
    """A parliament (hemicycle) chart of an apportionment's seats, parties left to right.

    ``order`` lists party names from left to right; by default the
    election's candidate order. Needs a result with seats (``Result.seats``).
    """
    if result.seats is None:
        rule = result.rule.to_dict().get("name", "this rule")
        raise MissingDataError(f"the result of {excerpt(rule)} has no seat allocation to draw (Result.seats is None)")
    _need_matplotlib()
    ax = _axes(ax, (7, 4))
    held = {c: n for c, n in result.seats.items() if n > 0}
    parties = [c for c in result.election.candidates if c in held]
    if order is not None:
        rank = {name: i for i, name in enumerate(order)}
        parties.sort(key=lambda c: rank.get(c.name, len(rank)))
    total = sum(held.values())
    points = _hemicycle(total)
    colours = _colours(len(parties))
    size = max(4.0, 2400 / max(total, 1))
    start = 0
    for party, face in zip(parties, colours, strict=True):
        mine = points[start : start + held[party]]
        start += held[party]
        ax.scatter(
            [x for x, _ in mine], [y for _, y in mine], s=size, color=face, label=f"{party.name} ({held[party]})"
        )
    ax.text(0, 0.15, f"{total}", ha="center", va="bottom", fontsize=16, fontweight="bold")
    # Round seats: the limits widen to keep the aspect, so the axes keep the box the layout gave them,
    # which is what lets the layout keep the legend under them inside the figure.
    ax.set_aspect("equal", adjustable="datalim")
    outer = max((math.hypot(x, y) for x, y in points), default=1.0) + 0.15  # room round the outer seats
    ax.update_datalim([(-outer, -0.1), (outer, outer)])  # not fixed limits, which would fight the aspect
    ax.autoscale_view()
    ax.axis("off")
    if result.election.title:
        ax.set_title(result.election.title, parse_math=False)
    if parties:
        _fit_legend(ax, min(4, len(parties)))
    return ax
