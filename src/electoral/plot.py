"""Plots of results: round-by-round bars, transfer flows, and seat charts.

Needs matplotlib (``pip install matplotlib``), imported only when a plot is
drawn. Each function draws on the ``ax`` given, or on a new figure made
without pyplot (so no global state changes), and returns the axes; the
figure is ``ax.figure``.

>>> from electoral import Election, tabulate, plot
>>> result = tabulate(Election.from_rankings({"A>B": 40, "B>A": 35, "C>B": 25}), "contingent")
>>> ax = plot.rounds(result)
>>> [t.get_text() for t in ax.get_xticklabels()]
['A', 'B', 'C']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from electoral._model import Candidate
from electoral._result import Result, Round, Transfer
from electoral._text import excerpt
from electoral.errors import MissingDataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["rounds", "seats", "transfers"]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError("electoral.plot needs matplotlib: pip install matplotlib") from error
    axes: Axes = Figure(figsize=size, layout="constrained").subplots()
    return axes


def _colours(n: int) -> list[Any]:
    from matplotlib import colormaps

    palette = colormaps["tab10" if n <= 10 else "tab20"]
    return [palette(i % palette.N) for i in range(n)]


def _number(votes: int | Fraction) -> float:
    return float(votes)  # for drawing only; the exact figures stay in the Result


def _candidates(result: Result) -> list[Candidate]:
    seen = {c for r in result.rounds for c in r.tally}
    return [c for c in result.election.candidates if c in seen]


def rounds(result: Result, *, ax: Axes | None = None) -> Axes:
    """Each candidate's votes in each round, as grouped bars; winners' names in bold."""
    ax = _axes(ax, (7, 4))
    people = _candidates(result)
    count = max(len(result.rounds), 1)
    width = 0.8 / count
    colours = _colours(count)
    for index, r in enumerate(result.rounds):
        xs = [i - 0.4 + width * (index + 0.5) for i, c in enumerate(people) if c in r.tally]
        heights = [_number(r.tally[c]) for c in people if c in r.tally]
        ax.bar(xs, heights, width=width, color=colours[index], label=f"Round {r.number}")
    ax.set_xticks(range(len(people)), [c.name for c in people])
    for label, candidate in zip(ax.get_xticklabels(), people, strict=True):
        if candidate in result.winners:
            label.set_fontweight("bold")
    ax.set_ylabel("votes")
    title = result.election.title or str(result.rule.to_dict().get("name", ""))
    if title:
        ax.set_title(title)
    if result.rounds:
        ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
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
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    ax = _axes(ax, (8, 5))
    people = _candidates(result)
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
            if h > 0 and (index == 0 or index == len(columns) - 1):
                side, align = (-0.1, "right") if index == 0 else (0.1, "left")
                ax.text(index + side, y + h / 2, name, ha=align, va="center", fontsize=8, gid=_kind(who))

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
    ax.set_xticks(range(len(columns)), [f"Round {r.number}" for r in result.rounds])
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    title = result.election.title
    if title:
        ax.set_title(title)
    return ax


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
    ax.set_aspect("equal")
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-0.2, 2.2)
    ax.axis("off")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(4, max(len(parties), 1)), frameon=False)
    if result.election.title:
        ax.set_title(result.election.title)
    return ax
