"""Notebook display of elections and pairwise matrices: escaped HTML and plain text, no IPython.

:func:`election_html` and :func:`election_text` show an election's ballots
as a table, most common first, cut after ``max_rows`` kinds of ballot with a
line saying how many kinds and voters are not shown. :func:`pairwise_html`
shades a pairwise support matrix by the size of each majority, in the
colour-blind-safe blue and orange of :data:`electoral._display.STYLE`, and
says who wins each pair in words too (bold figures and a title on each cell).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from electoral._arith import format_percent
from electoral._display import escape, html_block, html_table, text_table
from electoral._model._array import ArrayBallots
from electoral._model._values import Ballot

if TYPE_CHECKING:
    from electoral._model._election import Election

__all__ = ["MAX_ROWS", "election_html", "election_text", "pairwise_html"]

MAX_ROWS: Final = 20


def _largest(election: Election, max_rows: int) -> tuple[list[Ballot], int, int]:
    """The ``max_rows`` most common ballots (ties in first-seen order), and the kinds and voters left out."""
    ballots = election.ballots
    counts = ballots.counts if isinstance(ballots, ArrayBallots) else None
    if counts is not None:
        # array-built elections: pick the rows with numpy, build only the Ballots shown
        import numpy as np

        order = np.argsort(-np.asarray(counts), kind="stable")[:max_rows]
        shown = [ballots[int(i)] for i in order]
    else:
        shown = sorted(ballots, key=lambda b: -b.count)[:max_rows]
    total = sum(int(c) for c in counts) if counts is not None else sum(b.count for b in ballots)
    hidden_voters = total - sum(b.count for b in shown)
    return shown, len(ballots) - len(shown), hidden_voters


def _summary(election: Election) -> str:
    voters = election.cast
    parts = [
        f"{len(election.candidates)} candidates",
        f"{election.seats} seat{'s' if election.seats != 1 else ''}",
        f"{voters:,} ballots cast",
        f"{len(election.ballots):,} kinds of ballot",
    ]
    return ", ".join(parts)


def _rows(election: Election, max_rows: int) -> tuple[list[list[str]], list[str]]:
    shown, hidden_kinds, hidden_voters = _largest(election, max_rows)
    cast = election.cast
    rows: list[list[str]] = []
    marks: list[str] = []
    for ballot in shown:
        share = format_percent(Fraction(ballot.count, cast)) if cast else ""
        rows.append([str(ballot) or "(blank)", f"{ballot.count:,}", share])
        marks.append("")
    if hidden_kinds:
        share = format_percent(Fraction(hidden_voters, cast)) if cast else ""
        rows.append([f"… {hidden_kinds:,} more kinds of ballot", f"{hidden_voters:,}", share])
        marks.append("more")
    for label, n in (("(blank)", election.blank), ("(invalid)", election.invalid)):
        if n:
            rows.append([label, f"{n:,}", format_percent(Fraction(n, cast))])
            marks.append("set-aside")
    return rows, marks


def election_text(election: Election, *, max_rows: int = MAX_ROWS) -> str:
    """A plain-text view: title, candidates, and the most common ballots.

    >>> from electoral import Election
    >>> print(election_text(Election.from_rankings({"A>B": 3, "B": 2}, title="Demo")))
    Demo: 2 candidates, 1 seat, 5 ballots cast, 2 kinds of ballot
    Candidates: A, B
    ballot  voters  % cast
    ------  ------  ------
    A>B          3   60.00
    B            2   40.00
    """
    head = f"{election.title}: {_summary(election)}" if election.title else _summary(election)
    rows, _ = _rows(election, max_rows)
    table = text_table(["ballot", "voters", "% cast"], rows, right=[False, True, True])
    return "\n".join([head, "Candidates: " + ", ".join(election.names), table])


def election_html(election: Election, *, max_rows: int = MAX_ROWS) -> str:
    """An HTML view with every name and ballot escaped."""
    title = f"<p class='eo-title'>{escape(election.title)}</p>" if election.title else ""
    names = ", ".join(escape(n) for n in election.names)
    rows, marks = _rows(election, max_rows)
    table = html_table(
        ["ballot", "voters", "% cast"],
        rows,
        caption="Ballots, most common first",
        marks=marks,
        right=[False, True, True],
    )
    body = f"{title}<p class='eo-headline'>{escape(_summary(election))}</p><p>Candidates: {names}</p>{table}"
    return html_block("election", body)


def pairwise_html(
    names: Sequence[str], support: Sequence[Sequence[int]], *, caption: str = "", corner: str = "prefer \\ to"
) -> str:
    """A pairwise table: row ``a``, column ``b`` holds how many prefer a to b, shaded by the margin.

    Sky blue shades a majority for the row's candidate, orange a majority
    against, deeper for larger margins (Okabe–Ito colours, safe for
    colour-blind readers); a majority for the row is also in bold, and every
    cell's title says who wins the pair. The diagonal is blank.
    """
    out = ["<table class='electoral electoral-pairwise'>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append(
        f"<thead><tr><th scope='col'>{escape(corner)}</th>"
        + "".join(f"<th scope='col' class='num'>{escape(n)}</th>" for n in names)
        + "</tr></thead><tbody>"
    )
    for a, name in enumerate(names):
        cells = [f"<th scope='row'>{escape(name)}</th>"]
        for b in range(len(names)):
            if a == b:
                cells.append("<td></td>")
                continue
            ours, theirs = int(support[a][b]), int(support[b][a])
            verdict = "beats" if ours > theirs else "loses to" if ours < theirs else "ties with"
            title = escape(f"{name} {verdict} {names[b]}: {ours:,} to {theirs:,}")
            win = " win" if ours > theirs else ""
            cells.append(
                f"<td class='num{win}' title='{title}' style='background-color:{_shade(ours, theirs)}'>{ours:,}</td>"
            )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    legend = "Blue and bold: a majority for the row's candidate; orange: a majority against; grey: a tie."
    return html_block("pairwise", "".join(out) + f"<p class='eo-legend'>{escape(legend)}</p>")


#: Okabe–Ito sky blue (a majority for the row) and orange (against), as RGB.
_FOR: Final = "86,180,233"
_AGAINST: Final = "230,159,0"


def _shade(ours: int, theirs: int) -> str:
    total = ours + theirs
    if total == 0 or ours == theirs:
        return "rgba(127,127,127,0.15)"
    strength = 0.12 + 0.5 * abs(ours - theirs) / total
    return f"rgba({_FOR if ours > theirs else _AGAINST},{strength:.2f})"
