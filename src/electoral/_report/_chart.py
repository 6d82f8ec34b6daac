"""The report's flow chart as inline SVG: columns of stacked nodes joined by bands (a Sankey diagram).

Every figure a reader sees (labels and tooltips) is exact, from
:mod:`electoral._report._text`; floats are used only for the geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from electoral._report._text import esc

__all__ = ["Column", "Link", "Node", "sankey_svg"]

WIDTH = 1200
_CHAR = 7.2  # about the width of one character of a 13 px label
_TOP = 34  # room for the column headings
_BOTTOM = 12
_NODE = 12  # a node's width
_GAP = 6  # between the nodes of a column
_LINE = 15  # the least distance between two labels


@attrs.frozen
class Node:
    """One block of a column: ``value`` (exact, in the column's unit) and the text shown for it."""

    key: str
    label: str
    value: Fraction
    tone: str  # a CSS class: t0..t6 for a candidate, "aside" for ballots set aside
    title: str  # the tooltip: the exact figure and what became of it
    side: str = ""  # the text beside the label in the outer columns (the figure)


@attrs.frozen
class Column:
    heading: str
    nodes: tuple[Node, ...]


@attrs.frozen
class Link:
    """A band from node ``source`` of column ``column`` to node ``target`` of the next column."""

    column: int
    source: str
    target: str
    source_value: Fraction
    target_value: Fraction
    tone: str
    title: str


def sankey_svg(
    columns: Sequence[Column], links: Sequence[Link], *, title: str, desc: str, ident: str, shared_scale: bool
) -> str:
    """The chart as one ``<svg>`` element with ``role="img"``, a ``<title>`` and a ``<desc>``.

    ``shared_scale``: one scale for every column (votes moving between
    rounds), else each column fills the height (votes beside seats).
    """
    most = max(len(c.nodes) for c in columns)
    outer = max(len(columns[0].nodes), len(columns[-1].nodes))
    plot = max(300.0, outer * (_LINE + 2) + 20.0, most * (_GAP + 4.0))
    left = _room(columns[0])
    right = WIDTH - (_room(columns[-1]) if len(columns) > 1 else 20) - _NODE
    step = (right - left) / max(len(columns) - 1, 1)
    totals = [float(sum(n.value for n in c.nodes)) for c in columns]
    room = [plot - _GAP * (len(c.nodes) - 1) for c in columns]
    if shared_scale:
        scale = min(r / t for r, t in zip(room, totals, strict=True) if t > 0) if any(totals) else 0.0
        scales = [scale] * len(columns)
    else:
        scales = [r / t if t > 0 else 0.0 for r, t in zip(room, totals, strict=True)]

    boxes: list[dict[str, tuple[float, float]]] = []  # per column: key -> (top, height)
    for c, column in enumerate(columns):
        y = float(_TOP)
        placed: dict[str, tuple[float, float]] = {}
        for node in column.nodes:
            h = float(node.value) * scales[c]
            placed[node.key] = (y, h)
            y += h + _GAP
        boxes.append(placed)

    low = [_label_places(columns[0], boxes[0], plot)]
    if len(columns) > 1:
        low.append(_label_places(columns[-1], boxes[-1], plot))
    height = max(_TOP + plot, *(p[-1] for p in low if p)) + _BOTTOM
    out = [
        f'<svg class="flow" id="{esc(ident)}" role="img" aria-labelledby="{esc(ident)}-t {esc(ident)}-d"'
        f' viewBox="0 0 {WIDTH} {height:.0f}" width="100%" preserveAspectRatio="xMidYMin meet"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{esc(ident)}-t">{esc(title)}</title>',
        f'<desc id="{esc(ident)}-d">{esc(desc)}</desc>',
    ]
    out.append(_bands(columns, links, boxes, scales, left, step))
    # headings that would run into each other keep their last word ("Round 12" -> "12"), but the first
    crowded = len(columns) > 1 and step < max(len(c.heading) for c in columns) * _CHAR + 12
    for c, column in enumerate(columns):
        x = left + c * step
        heading = column.heading.split()[-1] if crowded and c and column.heading.split() else column.heading
        # the first, kept whole, ends over its column so that it clears the second
        at, anchor = (x + _NODE, "end") if crowded and not c else (x + _NODE / 2, "middle")
        out.append(f'<text class="heading" x="{at:.1f}" y="{_TOP - 14}" text-anchor="{anchor}">{esc(heading)}</text>')
        for node in column.nodes:
            top, h = boxes[c][node.key]
            out.append(
                f'<rect class="node {esc(node.tone)}" x="{x:.1f}" y="{top:.1f}" width="{_NODE}"'
                f' height="{max(h, 0.5):.1f}">'
                f"<title>{esc(node.title)}</title></rect>"
            )
    out.append(_labels(columns[0], boxes[0], low[0], left - 8, "end"))
    if len(columns) > 1:
        out.append(_labels(columns[-1], boxes[-1], low[1], left + (len(columns) - 1) * step + _NODE + 8, "start"))
    out.append("</svg>")
    return "".join(out)


def _bands(
    columns: Sequence[Column],
    links: Sequence[Link],
    boxes: list[dict[str, tuple[float, float]]],
    scales: list[float],
    left: float,
    step: float,
) -> str:
    out = ['<g class="bands">']
    order = [{n.key: i for i, n in enumerate(c.nodes)} for c in columns]
    used_out: dict[tuple[int, str], float] = {}
    used_in: dict[tuple[int, str], float] = {}
    starts: dict[int, float] = {}
    ends: dict[int, float] = {}
    known = [
        (i, link)
        for i, link in enumerate(links)
        if link.column + 1 < len(columns)
        and link.source in boxes[link.column]
        and link.target in boxes[link.column + 1]
    ]
    # each node's bands leave it in the order of their targets, and reach their target in the order of their sources
    for i, link in sorted(
        known, key=lambda p: (p[1].column, order[p[1].column][p[1].source], order[p[1].column + 1][p[1].target])
    ):
        key = (link.column, link.source)
        starts[i] = boxes[link.column][link.source][0] + used_out.get(key, 0.0)
        used_out[key] = used_out.get(key, 0.0) + float(link.source_value) * scales[link.column]
    for i, link in sorted(
        known, key=lambda p: (p[1].column, order[p[1].column + 1][p[1].target], order[p[1].column][p[1].source])
    ):
        key = (link.column + 1, link.target)
        ends[i] = boxes[link.column + 1][link.target][0] + used_in.get(key, 0.0)
        used_in[key] = used_in.get(key, 0.0) + float(link.target_value) * scales[link.column + 1]
    for i, link in known:
        x0 = left + link.column * step + _NODE
        x1 = left + (link.column + 1) * step
        middle = (x0 + x1) / 2
        a, b = starts[i], starts[i] + max(float(link.source_value) * scales[link.column], 0.3)
        c, d = ends[i], ends[i] + max(float(link.target_value) * scales[link.column + 1], 0.3)
        path = (
            f"M{x0:.1f},{a:.2f}C{middle:.1f},{a:.2f} {middle:.1f},{c:.2f} {x1:.1f},{c:.2f}"
            f"L{x1:.1f},{d:.2f}C{middle:.1f},{d:.2f} {middle:.1f},{b:.2f} {x0:.1f},{b:.2f}Z"
        )
        out.append(f'<path class="band {esc(link.tone)}" d="{path}"><title>{esc(link.title)}</title></path>')
    out.append("</g>")
    return "".join(out)


def _room(column: Column) -> float:
    """The room the labels of an outer column take, from their length (clamped to a third of the width)."""
    longest = max((len(n.label) + 1 + len(n.side) for n in column.nodes), default=0)
    return min(WIDTH / 3, max(100.0, longest * _CHAR + 24))


def _wanted(column: Column, boxes: dict[str, tuple[float, float]]) -> list[float]:
    return [boxes[n.key][0] + boxes[n.key][1] / 2 + 4 for n in column.nodes]


def _label_places(column: Column, boxes: dict[str, tuple[float, float]], plot: float) -> list[float]:
    """Where the labels go: beside their nodes, pushed apart to stay legible (below the plot if need be)."""
    placed: list[float] = []
    for y in _wanted(column, boxes):
        placed.append(max(y, placed[-1] + _LINE) if placed else max(y, _TOP + 8))
    return placed


def _labels(column: Column, boxes: dict[str, tuple[float, float]], placed: list[float], x: float, anchor: str) -> str:
    nodes = list(column.nodes)
    wanted = _wanted(column, boxes)
    out = ['<g class="labels">']
    edge = x + 6 if anchor == "end" else x - 6
    for node, want, y in zip(nodes, wanted, placed, strict=True):
        if abs(y - want) > 2:  # moved to stay legible: a thin line to its node
            out.append(f'<line class="leader" x1="{x:.1f}" y1="{y - 4:.1f}" x2="{edge:.1f}" y2="{want - 4:.1f}"/>')
        figure = f' <tspan class="figure">{esc(node.side)}</tspan>' if node.side else ""
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{esc(node.label)}{figure}</text>')
    out.append("</g>")
    return "".join(out)
