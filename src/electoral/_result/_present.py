"""The one presentation model of a :class:`~electoral.Result`, and its text and HTML renderings.

:func:`result_view` turns a result into a neutral :class:`ResultView`: the
title, the rule with its options, the headline, the status, a summary of
candidates × rounds with who was elected or eliminated and when, each round's
table, transfers and note, the ties and how each was broken, and the seat
table. Every figure is already formatted and every word already chosen, so
the text form (:func:`render_text`, which ``str(result)`` gives), the
notebook HTML (:func:`render_html`, :func:`result_html`) and the HTML report
say the same thing in the same words:

- each round's figure column is headed by what the round measures
  (:attr:`Round.measure <electoral.Round.measure>`: "votes", "points",
  "Copeland score", ...); a share column appears only where the round has a
  denominator, and the best figure comes first (minimax's smallest worst
  defeat too);
- a candidate removed from the count is "eliminated", or "excluded" for
  rules whose statutes say so (``RuleInfo.eliminated_as``: STV);
- ballots set aside are shown in parentheses, "(overvote)",
  "(exhausted choices)", both in a round's table and as the target of a
  transfer, so a candidate called "exhausted" cannot be taken for them.

>>> from electoral import Election, tabulate
>>> view = result_view(tabulate(Election.from_rankings({"A>B": 4, "B": 3, "C>B": 2}), "instant-runoff"))
>>> view.headline, view.rounds[0].table.headers
('Elected: B', ('candidate', 'votes', '% of continuing ballots', 'status'))
>>> [(t.source, t.target, t.votes) for t in view.rounds[0].transfers]
[('C', 'B', '2')]
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

import attrs

from electoral._arith import format_decimal, format_percent
from electoral._display import TextTable, escape, html_block, html_table, split_text_tables, text_table

if TYPE_CHECKING:
    from electoral._model import Candidate
    from electoral._result import Result, Round, TieRecord, Votes

__all__ = [
    "FIRST_RESOLUTION",
    "Mark",
    "ResultView",
    "RoundView",
    "SummaryRow",
    "Table",
    "TieView",
    "TransferView",
    "render_html",
    "render_text",
    "result_html",
    "result_view",
    "round_mark",
]

#: What a row or cell is marked as: the CSS class and the word shown with it.
Mark: TypeAlias = Literal["elected", "advances", "eliminated", "set-aside", ""]
FIRST_RESOLUTION: Final = "The rounds shown follow the first resolution of every tie; the others lead elsewhere."
#: The symbol beside a figure in the summary, so that no mark is told by colour alone.
SYMBOLS: Final = {"elected": "✓", "advances": "→", "eliminated": "✗"}


@attrs.frozen
class Table:
    """A table of text cells: ``marks`` holds each row's :data:`Mark`, ``right`` each column's alignment."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: tuple[bool, ...] = ()
    marks: tuple[str, ...] = ()


@attrs.frozen
class TransferView:
    """Votes that moved: ``target`` is a candidate's name or a set-aside label in parentheses."""

    source: str
    target: str
    kind: Literal["candidate", "set-aside", "residual-surplus"]
    votes: str


@attrs.frozen
class RoundView:
    """One round: its table (best first, set-aside rows last), transfers and note (prose and tables)."""

    number: int
    measure: str
    table: Table
    transfers: tuple[TransferView, ...]
    note: str
    note_blocks: tuple[str | Table, ...]


@attrs.frozen
class SummaryRow:
    """One candidate (or set-aside reason) across the rounds: a figure and a mark per round, and the outcome."""

    name: str
    figures: tuple[str, ...]
    marks: tuple[Mark, ...]
    outcome: str
    mark: Mark


@attrs.frozen
class TieView:
    """One tie: who was tied, over what, who the decision went to, and how it was broken."""

    round: int
    decision: str
    candidates: tuple[str, ...]
    chosen: tuple[str, ...]
    policy: str
    detail: str
    text: str


@attrs.frozen
class ResultView:
    """Everything a reader is shown of a result, as text, in the order it is shown.

    ``transfers`` is every round's transfers in one table: a row per round
    and source, a column per destination (candidates in the summary's
    order, then set-aside ballots in parentheses); None when nothing moved.

    ``summary_headers`` heads the candidates × rounds :attr:`summary` (the
    candidate, one column per round, the outcome); ``eliminated_word`` is
    the rule's word for a candidate removed from the count.
    """

    title: str
    rule: str
    options: tuple[tuple[str, str], ...]
    headline: str
    status: str
    caveat: str
    eliminated_word: str
    measure: str
    summary_headers: tuple[str, ...]
    summary: tuple[SummaryRow, ...]
    rounds: tuple[RoundView, ...]
    ties: tuple[TieView, ...]
    seats: Table | None
    transfers: Table | None


# -- building the view -------------------------------------------------------------


def _figure(value: Votes, measure: str = "votes") -> str:
    """A figure for display: votes as the count shows them; points and scores without trailing zeros.

    A fraction of a vote shows five decimals (display only: the exact figure stays in the Result).
    """
    if isinstance(value, Fraction) and value.denominator != 1:
        text = format_decimal(value, 5)
    else:
        text = f"{int(value):,}"
    if measure != "votes" and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def round_mark(round: Round, candidate: Candidate) -> Mark:
    """What ``candidate`` became in ``round``: elected, advances, eliminated, or nothing (``""``)."""
    if candidate in round.elected:
        return "elected"
    if candidate in round.advancing:
        return "advances"
    if candidate in round.eliminated:
        return "eliminated"
    return ""


def _word(mark: str, eliminated_word: str) -> str:
    return eliminated_word if mark == "eliminated" else mark


def _round_view(round: Round, eliminated_word: str, who: str = "candidate") -> RoundView:
    shares = round.shares
    headers = [who, round.measure]
    if round.denominator:
        headers.append(f"% of {round.basis}" if round.basis else "%")
    headers.append("status")
    rows: list[tuple[str, ...]] = []
    marks: list[str] = []
    for candidate, votes in round.ranked():
        mark = round_mark(round, candidate)
        share = (format_percent(shares[candidate]),) if round.denominator else ()
        rows.append((candidate.name, _figure(votes, round.measure), *share, _word(mark, eliminated_word)))
        marks.append(mark)
    for reason, count in round.set_aside.items():
        rows.append((f"({reason})", _figure(count), *(("",) if round.denominator else ()), ""))
        marks.append("set-aside")
    right = (False, True, *((True,) if round.denominator else ()), False)
    table = Table(f"Round {round.number}", tuple(headers), tuple(rows), right, tuple(marks))
    transfers = tuple(
        TransferView(
            t.source.name,
            t._target_text(),
            "candidate" if t.kind == "candidate" else "set-aside" if t.kind == "exhausted" else "residual-surplus",
            _figure(t.votes),
        )
        for t in round.transfers
    )
    blocks: list[str | Table] = []
    for block in split_text_tables(round.note) if round.note else ():
        if isinstance(block, TextTable):
            blocks.append(Table("", tuple(block.headers), tuple(tuple(r) for r in block.rows), tuple(block.right)))
        else:
            blocks.append(block)
    return RoundView(round.number, round.measure, table, transfers, round.note, tuple(blocks))


def _summary(result: Result, eliminated_word: str) -> tuple[tuple[str, ...], tuple[SummaryRow, ...], str]:
    rounds = result.rounds
    measures = list(dict.fromkeys(r.measure for r in rounds))
    one_measure = len(measures) == 1
    headers = (
        "list" if result.seats is not None else "candidate",
        *(f"round {r.number}" if one_measure else f"round {r.number}: {r.measure}" for r in rounds),
        "outcome",
    )
    seen: dict[Candidate, tuple[int, int]] = {}  # candidate -> (last round index, place in it)
    outcome: dict[Candidate, tuple[str, Mark]] = {}
    for index, r in enumerate(rounds):
        for place, (candidate, _votes) in enumerate(r.ranked()):
            seen[candidate] = (index, place)
        for candidate in r.advancing:
            outcome[candidate] = (f"advances (round {r.number})", "advances")
        for candidate in r.eliminated:
            outcome[candidate] = (f"{eliminated_word} (round {r.number})", "eliminated")
        for candidate in r.elected:
            if outcome.get(candidate, ("", ""))[1] != "elected":  # the round it was first elected in
                outcome[candidate] = (f"elected (round {r.number})", "elected")
    winners = list(result.winners)
    for candidate in winners:
        if candidate not in outcome or outcome[candidate][1] != "elected":
            outcome[candidate] = ("elected", "elected")

    def key(candidate: Candidate) -> tuple[int, int, int, int]:
        index, place = seen[candidate]
        if candidate in winners:
            return (0, winners.index(candidate), 0, 0)
        return (1, 0, -index, place)

    rows: list[SummaryRow] = []
    for candidate in sorted(seen, key=key):
        figures: list[str] = []
        marks: list[Mark] = []
        for r in rounds:
            mark = round_mark(r, candidate)
            figure = _figure(r.tally[candidate], r.measure) if candidate in r.tally else ""
            figures.append(f"{figure} {SYMBOLS[mark]}" if mark else figure)
            marks.append(mark)
        text, mark = outcome.get(candidate, ("", ""))
        rows.append(SummaryRow(candidate.name, tuple(figures), tuple(marks), text, mark))
    reasons = list(dict.fromkeys(reason for r in rounds for reason in r.set_aside))
    for reason in reasons:
        figures = [_figure(r.set_aside[reason]) if reason in r.set_aside else "" for r in rounds]
        blank: Mark = ""
        none = (blank,) * len(rounds)
        rows.append(SummaryRow(f"({reason})", tuple(figures), none, "", "set-aside"))
    return headers, tuple(rows), measures[0] if one_measure else ""


def _transfer_table(rounds: tuple[RoundView, ...], summary: tuple[SummaryRow, ...]) -> Table | None:
    moves = [(r.number, t) for r in rounds for t in r.transfers]
    if not moves:
        return None
    order = {row.name: i for i, row in enumerate(summary)}  # candidates, then set-aside reasons
    seen = list(dict.fromkeys(t.target for _, t in moves))
    targets = sorted(seen, key=lambda name: (0, order[name]) if name in order else (1, seen.index(name)))
    cells: dict[tuple[int, str], dict[str, str]] = {}
    for number, t in moves:
        cells.setdefault((number, t.source), {})[t.target] = t.votes
    rows = tuple(
        (str(number), source, *(into.get(target, "") for target in targets)) for (number, source), into in cells.items()
    )
    right = (True, False, *(True,) * len(targets))
    return Table("Transfers (votes moved, by round and source)", ("round", "from", *targets), rows, right)


def _tie_view(tie: TieRecord) -> TieView:
    chosen = tuple(c.name for c in tie.chosen)
    tied = tuple(c.name for c in tie.candidates)
    text = (
        f"Tie in round {tie.round} ({tie.decision}) between {', '.join(tied)}:"
        f" {', '.join(chosen) or 'nobody (left open)'}; {tie.detail}"
    )
    return TieView(tie.round, tie.decision, tied, chosen, tie.policy, tie.detail, text)


def _headline(result: Result) -> str:
    names = ", ".join(c.name for c in result.winners)
    explored = result.resolutions is not None and bool(result.ties)  # tie_break="all" followed some tie
    if result.status == "tied" and explored:
        text = (
            f"Tied: {result.resolutions:,} resolutions of the ties explored, with"
            f" {result.outcomes or 'several'} different outcomes; elected under some: {names or 'nobody'}"
        )
        if result.advancing:
            text += "; advancing under some: " + ", ".join(c.name for c in result.advancing)
        return text
    agreed = f" ({result.resolutions:,} resolutions of the ties explored; all agree)" if explored else ""
    if result.status == "runoff":
        return "Runoff needed between " + ", ".join(c.name for c in result.advancing) + agreed
    if result.status == "tied":
        text = f"Tied: {names or 'no winner'} (a tie was left open)"
        if result.advancing:
            text += "; may advance: " + ", ".join(c.name for c in result.advancing)
        return text
    if result.seats is not None and result.status == "decided":
        return "Seats: " + ", ".join(f"{c.name} {n}" for c, n in result.seats.items() if n) + agreed
    if not result.winners:
        return "No winner" + agreed
    return f"Elected: {names}{agreed}"


def _option_text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_option_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_option_text(v)}" for k, v in value.items()) or "none"
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)


def result_view(result: Result) -> ResultView:
    """The presentation model of ``result``: what every rendering of it shows, formatted (see the module notes)."""
    info = getattr(result.rule, "info", None)
    eliminated_word = str(getattr(info, "eliminated_as", "eliminated"))
    described = result.rule.to_dict()
    options = tuple((str(k), _option_text(v)) for k, v in dict(described.get("options", {})).items())
    headers, summary, measure = _summary(result, eliminated_word)
    seats = None
    if result.seats is not None:
        last = result.rounds[-1] if result.rounds else None
        rows = []
        for party, won in result.seats.items():
            votes = _figure(last.tally[party]) if last is not None and party in last.tally else ""
            rows.append((party.name, votes, str(won)))
        total = sum(result.seats.values())
        seats = Table(
            "Seats",
            ("list", "votes", "seats"),
            (*rows, ("total", "", str(total))),
            (False, True, True),
            (*("elected" if won else "" for won in result.seats.values()), ""),
        )
    who = "list" if result.seats is not None else "candidate"
    rounds = tuple(_round_view(r, eliminated_word, who) for r in result.rounds)
    first_resolution = result.resolutions is not None and (result.outcomes or 0) > 1
    return ResultView(
        title=result.election.title,
        rule=str(described.get("name", "")),
        options=options,
        headline=_headline(result),
        status=result.status,
        caveat=FIRST_RESOLUTION if first_resolution else "",
        eliminated_word=eliminated_word,
        measure=measure,
        summary_headers=headers,
        summary=summary,
        rounds=rounds,
        ties=tuple(_tie_view(t) for t in result.ties),
        seats=seats,
        transfers=_transfer_table(rounds, summary),
    )


# -- text ----------------------------------------------------------------------------


def _text(table: Table) -> str:
    return text_table(table.headers, table.rows, right=table.right)


def render_text(view: ResultView) -> str:
    """The plain-text form of a view: ``str(result)``."""
    title = view.title or "Result"
    parts = [f"{title} — {view.rule}" if view.rule else title, view.headline]
    if view.caveat:
        parts.append(view.caveat)
    for r in view.rounds:
        parts.extend(["", r.table.caption, _text(r.table)])
        parts.extend(f"  transfer {t.source} -> {t.target}: {t.votes}" for t in r.transfers)
        if r.note:
            parts.append(r.note)
    if view.seats is not None:
        rows = tuple((row[0], row[2]) for row in view.seats.rows[:-1])
        parts.extend(["", "Seats", text_table(["list", "seats"], rows, right=[False, True])])
    parts.extend(t.text for t in view.ties)
    return "\n".join(parts)


# -- HTML ----------------------------------------------------------------------------


def _html_table(table: Table, caption: str | None = None) -> str:
    return html_table(
        table.headers,
        table.rows,
        caption=table.caption if caption is None else caption,
        marks=table.marks,
        right=table.right,
        row_headers=True,
    )


def _summary_html(view: ResultView) -> str:
    caption = f"{view.measure.capitalize()} by round" if view.measure else "Figures by round"
    out = ["<table class='electoral eo-summary'>", f"<caption>{escape(caption)}</caption><thead><tr>"]
    for i, header in enumerate(view.summary_headers):
        numeric = " class='num'" if 0 < i < len(view.summary_headers) - 1 else ""
        out.append(f"<th scope='col'{numeric}>{escape(header)}</th>")
    out.append("</tr></thead><tbody>")
    for row in view.summary:
        attr = f" class='{row.mark}'" if row.mark else ""
        out.append(f"<tr{attr}><th scope='row'>{escape(row.name)}</th>")
        for figure, mark in zip(row.figures, row.marks, strict=True):
            cls = f"num {mark}" if mark else "num"
            title = f" title='{escape(_word(mark, view.eliminated_word))}'" if mark else ""
            out.append(f"<td class='{cls}'{title}>{escape(figure)}</td>")
        out.append(f"<td>{escape(row.outcome)}</td></tr>")
    out.append("</tbody></table>")
    legend = f"✓ elected · → advances · ✗ {view.eliminated_word}"
    out.append(f"<p class='eo-legend'>{escape(legend)}</p>")
    return "".join(out)


def _transfers_html(view: ResultView) -> str:
    table = view.transfers
    if table is None:
        return ""
    return html_table(table.headers, table.rows, caption=table.caption, right=table.right, row_headers=False)


def _note_html(r: RoundView) -> str:
    out = []
    for block in r.note_blocks:
        if isinstance(block, Table):
            out.append(_html_table(block, caption=""))
        elif block.strip():
            out.append("".join(f"<p>{escape(line)}</p>" for line in block.split("\n") if line.strip()))
    return "".join(out)


def render_html(view: ResultView, *, open_rounds: bool = False) -> str:
    """The notebook HTML of a view: a fragment in a scoped ``<div>`` with its own ``<style>``.

    It shows the title and rule, the headline, the candidates × rounds
    summary (when there is more than one round), the transfers, each
    round's note, the ties, the seats, and each round's full table, folded
    in a ``<details>`` element unless ``open_rounds`` (for a printed page).
    """
    out = []
    title = escape(view.title) if view.title else "Result"
    out.append(f"<p class='eo-title'>{title}</p>")
    if view.rule:
        options = " · ".join(f"{escape(k)} = {escape(v)}" for k, v in view.options)
        out.append(f"<p class='eo-rule'>Rule: <strong>{escape(view.rule)}</strong>")
        out.append(f" ({options})</p>" if options else "</p>")
    out.append(f"<p class='eo-headline'>{escape(view.headline)}</p>")
    if view.caveat:
        out.append(f"<p class='eo-caveat'>{escape(view.caveat)}</p>")
    # a seat table the count already gave in a note (votes, quotients, seats) is not repeated
    noted = any(isinstance(b, Table) and "seats" in b.headers for r in view.rounds for b in r.note_blocks)
    if view.seats is not None and not noted:
        out.append(_html_table(view.seats))
    several = len(view.rounds) > 1
    if several:
        out.append(_summary_html(view))
        out.append(_transfers_html(view))
    if view.ties:
        out.append("<h4>Ties</h4><ul>" + "".join(f"<li>{escape(t.text)}</li>" for t in view.ties) + "</ul>")
    for r in view.rounds:
        note = _note_html(r)
        if several:
            fold = "<details open>" if open_rounds else "<details>"
            out.append(f"{fold}<summary>Round {r.number}</summary>{_html_table(r.table, caption='')}")
            out.append(_round_transfers_html(r) + note + "</details>")
        else:
            out.append(_html_table(r.table) + _round_transfers_html(r) + note)
    return html_block("result", "".join(out))


def _round_transfers_html(r: RoundView) -> str:
    if not r.transfers:
        return ""
    rows = [(t.source, t.target, t.votes) for t in r.transfers]
    marks = ["set-aside" if t.kind != "candidate" else "" for t in r.transfers]
    return html_table(
        ["from", "to", "votes"], rows, caption=f"Transfers in round {r.number}", marks=marks, right=[False, False, True]
    )


def result_html(result: Result, *, open_rounds: bool = False) -> str:
    """The notebook HTML of ``result`` (``result._repr_mimebundle_()["text/html"]``): see :func:`render_html`."""
    return render_html(result_view(result), open_rounds=open_rounds)
