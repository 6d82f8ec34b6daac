"""The self-contained HTML report of a :class:`~electoral.Result`: one page, no network, no script.

The page holds the summary, the votes of every candidate in every round, a
flow chart (transfers between rounds, or votes beside seats), the
transfers, each round's note, the ties and how each was broken, the rule's
options, and the inputs' provenance. Its Content-Security-Policy forbids
every fetch, so a browser shows it exactly as written, offline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from electoral._model import Candidate
from electoral._report._audit import AuditLike, audit_section
from electoral._report._chart import Column, Link, Node, sankey_svg
from electoral._report._css import CSS
from electoral._report._slices import slices_section
from electoral._report._source import Source
from electoral._report._text import esc, exact, shown
from electoral._result import RESULT_FORMAT_VERSION, Result, Round, format_percent
from electoral._result._present import ResultView, result_view, round_mark
from electoral._text import excerpt
from electoral._version import __version__
from electoral.errors import ElectoralError

__all__ = ["SourceLike", "html_report"]

SourceLike = Source | str | os.PathLike[str]
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_TONES = 7


def html_report(
    result: Result,
    *,
    source: SourceLike | Iterable[SourceLike] | None = None,
    title: str | None = None,
    slices: Mapping[str, Mapping[str, Result]] | None = None,
    audit: AuditLike | None = None,
) -> str:
    """The report of ``result`` as one HTML page (a ``str``), with its CSS and SVG inline.

    ``source`` names the input(s) for the provenance section: a path (hashed
    now), a :class:`Source`, or several of them. ``title`` replaces the
    election's title. ``slices`` (kind, e.g. "precinct" -> label -> the
    slice's Result, as :func:`electoral.slices` gives them) adds a table
    per kind: each slice's final round, under the contest's decisions.
    ``audit``, an :class:`electoral.audit.AssertionSet`, adds a section with
    its assertions, their margins and difficulties.
    """
    if not isinstance(result, Result):
        raise ElectoralError(f"html_report needs a Result, not {excerpt(result)}")
    sources = _sources(source)
    heading = title if title is not None else (result.election.title or "Result")
    tones = _tones(result)
    view = result_view(result)  # the words and headline every rendering of a result shares
    body = [
        _summary(result, view, heading),
        _chart_section(result, view, tones),
        _section("rounds", "Round by round", _rounds_table(result, view, tones)),
        slices_section(result, slices),
        _transfers(result),
        _notes(result),
        _ties(result),
        audit_section(audit) if audit is not None else "",
        _configuration(result),
        _provenance(sources),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_POLICY)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta name="generator" content="electoral {esc(__version__)}">'
        f"<title>{esc(heading)} — {esc(_rule_name(result))}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(part for part in body if part)}"
        f"<footer>Counted by electoral {esc(__version__)}. Every figure is exact; "
        "figures with more than five decimals show the exact value in their tooltip.</footer>"
        "</main></body></html>\n"
    )


def _sources(source: SourceLike | Iterable[SourceLike] | None) -> list[Source]:
    if source is None:
        return []
    if isinstance(source, (Source, str, os.PathLike)):
        items: list[Any] = [source]
    else:
        items = list(source)
    return [item if isinstance(item, Source) else Source.of_file(item) for item in items]


def _section(ident: str, heading: str, content: str) -> str:
    return f'<section aria-labelledby="h-{ident}"><h2 id="h-{ident}">{esc(heading)}</h2>{content}</section>'


def _rule_name(result: Result) -> str:
    return str(result.rule.to_dict().get("name", type(result.rule).__name__))


def _preset(result: Result) -> str:
    options = result.rule.to_dict().get("options", {})
    preset = options.get("preset_name") if isinstance(options, dict) else None
    return preset if isinstance(preset, str) else ""


def _tones(result: Result) -> dict[Candidate, str]:
    """One tone per candidate, by first-round order, so the table and the chart agree."""
    order: list[Candidate] = []
    for round_ in result.rounds:
        order.extend(c for c, _ in round_.ranked() if c not in order)
    order.extend(c for c in result.election.candidates if c not in order)
    return {c: f"t{i % _TONES}" for i, c in enumerate(order)}


def _summary(result: Result, view: ResultView, heading: str) -> str:
    preset = _preset(result)
    rule = _rule_name(result) + (f", preset {preset}" if preset else "")
    election = result.election
    facts = [
        ("Status", result.status),
        ("Winners" if len(result.winners) != 1 else "Winner", ", ".join(c.name for c in result.winners) or "none"),
    ]
    if result.advancing:
        facts.append(("Advancing", ", ".join(c.name for c in result.advancing)))
    facts += [
        ("Seats to fill", exact(election.seats)),
        ("Candidates", exact(len(election.candidates))),
        ("Ballots cast", exact(election.cast)),
        *((label, exact(n)) for label, n in (("Blank", election.blank), ("Invalid", election.invalid)) if n),
        *((("Registered voters", exact(election.registered)),) if election.registered is not None else ()),
        ("Rounds", exact(len(result.rounds))),
        ("Ties", exact(len(result.ties))),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
    out = [
        f'<header><h1>{esc(heading)}</h1><p class="rule-line">Rule: <strong>{esc(rule)}</strong></p></header>',
        '<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>',
        f'<p class="headline">{esc(view.headline)}</p><dl class="facts">{items}</dl>',
    ]
    if view.caveat:
        out.append(f"<p>{esc(view.caveat)}</p>")
    if result.seats is not None:
        rows = "".join(
            f'<tr><th scope="row">{esc(c.name)}</th><td class="n">{esc(exact(n))}</td></tr>'
            for c, n in result.seats.items()
        )
        total = sum(result.seats.values())
        out.append(
            f'<table><caption>Seats</caption><thead><tr><th scope="col">List</th><th scope="col" class="n">Seats</th>'
            f'</tr></thead><tbody>{rows}</tbody><tfoot><tr class="total"><th scope="row">Total</th>'
            f'<td class="n">{esc(exact(total))}</td></tr></tfoot></table>'
        )
    out.append("</section>")
    return "".join(out)


def _figure_cell(value: int | Fraction, mark: str = "", *, label: str, eliminated_word: str = "eliminated") -> str:
    """A right-aligned figure; the exact value is its tooltip when the shown one is rounded."""
    text, full = shown(value), exact(value)
    tip = f' title="{esc(full)}"' if full != text else ""
    cls = f"n {mark}" if mark else "n"
    said_mark = eliminated_word if mark == "eliminated" else mark
    word = f'<span class="mark">{esc(said_mark)}</span>' if mark else ""
    said = f"{label}: {full}" + (f", {said_mark}" if mark else "")
    return f'<td class="{cls}"{tip} aria-label="{esc(said)}">{esc(text)}{word}</td>'


#: the most rounds one table shows, so that it fits a screen and an A4 or Letter page
ROUNDS_PER_TABLE = 6


def _rounds_table(result: Result, view: ResultView, tones: dict[Candidate, str]) -> str:
    """Candidates × rounds: every candidate's votes in every round, and the ballots set aside.

    This is the one place the report builds the round table from a Result.
    A long count is cut into tables of at most :data:`ROUNDS_PER_TABLE` rounds.
    """
    if not result.rounds:
        return "<p>The count has no rounds.</p>"
    size = ROUNDS_PER_TABLE
    parts = [result.rounds[start : start + size] for start in range(0, len(result.rounds), size)]
    return "".join(_round_block(view, part, tones, len(parts) > 1) for part in parts)


def _round_block(view: ResultView, rounds: Sequence[Round], tones: dict[Candidate, str], several: bool) -> str:
    who = "list" if view.seats is not None else "candidate"  # the word the text form and notebook use
    head = f'<th scope="col">{who.capitalize()}</th>' + "".join(
        f'<th scope="col" class="n">Round {r.number}</th>' for r in rounds
    )
    rows = []
    for candidate in tones:
        if not any(candidate in r.tally for r in rounds):
            continue
        cells = []
        for r in rounds:
            if candidate in r.tally:
                cells.append(
                    _figure_cell(
                        r.tally[candidate],
                        round_mark(r, candidate),
                        label=f"{candidate.name}, round {r.number}",
                        eliminated_word=view.eliminated_word,
                    )
                )
            else:
                cells.append(
                    f'<td class="n gone" aria-label="{esc(candidate.name)}, round {r.number}: not counted">–</td>'
                )
        swatch = f'<span class="swatch {tones[candidate]}" aria-hidden="true"></span>'
        rows.append(f'<tr><th scope="row">{swatch}{esc(candidate.name)}</th>{"".join(cells)}</tr>')
    reasons: list[str] = []
    for r in rounds:
        reasons.extend(reason for reason in r.set_aside if reason not in reasons)
    for reason in reasons:
        cells = [
            _figure_cell(r.set_aside[reason], label=f"{reason}, round {r.number}")
            if reason in r.set_aside
            else '<td class="n gone">–</td>'
            for r in rounds
        ]
        rows.append(f'<tr class="aside"><th scope="row">({esc(reason)})</th>{"".join(cells)}</tr>')
    foot = ['<tr class="total"><th scope="row">Continuing ballots</th>']
    foot += [_figure_cell(r.continuing, label=f"continuing ballots, round {r.number}") for r in rounds]
    foot.append("</tr>")
    if any(r.quota is not None for r in rounds):
        word = "Quota" if any("quota" in r.note.lower() for r in rounds) else "Threshold"
        foot.append(f'<tr><th scope="row">{word} (votes)</th>')
        foot += [
            _figure_cell(r.quota, label=f"{word.lower()}, round {r.number}") if r.quota is not None else "<td></td>"
            for r in rounds
        ]
        foot.append("</tr>")
    elif any(r.threshold is not None for r in rounds):
        foot.append('<tr><th scope="row">Threshold (share)</th>')
        foot += [
            f'<td class="n">{esc(format_percent(r.threshold))}%</td>' if r.threshold is not None else "<td></td>"
            for r in rounds
        ]
        foot.append("</tr>")
    measure = view.measure[:1].upper() + view.measure[1:]
    caption = f"{measure} of each {who} in each round"
    if several:
        first, last = rounds[0].number, rounds[-1].number
        caption = (
            f"{measure} of each {who}, rounds {first}–{last}"
            if last != first
            else f"{measure} of each {who}, round {last}"
        )
    return (
        f'<div class="wide"><table class="rounds"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody><tfoot>{''.join(foot)}</tfoot></table></div>"
    )


def _set_aside_key(round_: Round, kind: str) -> str | None:
    word = "exhaust" if kind == "exhausted" else "residual"
    return next((f"s:{reason}" for reason in round_.set_aside if word in reason.lower()), None)


def _columns(result: Result, tones: dict[Candidate, str]) -> list[Column]:
    columns = []
    for r in result.rounds:
        nodes = [
            Node(
                f"c:{c.name}",
                c.name,
                Fraction(r.tally[c]),
                tones[c],
                f"{c.name}, round {r.number}: {exact(r.tally[c])} votes"
                + (f", {mark}" if (mark := round_mark(r, c)) else ""),
                shown(r.tally[c]),
            )
            for c in tones
            if c in r.tally
        ]
        nodes += [
            Node(
                f"s:{reason}",
                f"({reason})",
                Fraction(v),
                "aside",
                f"({reason}), round {r.number}: {exact(v)}",
                shown(v),
            )
            for reason, v in r.set_aside.items()
        ]
        columns.append(Column(f"Round {r.number}", tuple(nodes)))
    return columns


def _links(result: Result, tones: dict[Candidate, str]) -> list[Link]:
    links = []
    for index, (r, after) in enumerate(zip(result.rounds, result.rounds[1:], strict=False)):
        moved: dict[Candidate, Fraction] = {}
        step = f"round {r.number} to {after.number}"
        for t in r.transfers:
            moved[t.source] = moved.get(t.source, Fraction(0)) + Fraction(t.votes)
            target = f"c:{t.target.name}" if t.target is not None else _set_aside_key(after, t.kind)
            if target is None:
                continue
            where = t._target_text()
            links.append(
                Link(
                    index,
                    f"c:{t.source.name}",
                    target,
                    Fraction(t.votes),
                    Fraction(t.votes),
                    tones[t.source],
                    f"{t.source.name} → {where}, {step}: {exact(t.votes)} votes",
                )
            )
        for c, votes in r.tally.items():
            if c in after.tally:
                kept = min(Fraction(votes) - moved.get(c, Fraction(0)), Fraction(after.tally[c]))
                if kept > 0:
                    links.append(
                        Link(
                            index,
                            f"c:{c.name}",
                            f"c:{c.name}",
                            kept,
                            kept,
                            tones[c],
                            f"{c.name} keeps {exact(kept)} votes, {step}",
                        )
                    )
        for reason, count in r.set_aside.items():
            if reason in after.set_aside:
                kept = min(Fraction(count), Fraction(after.set_aside[reason]))
                if kept > 0:
                    links.append(
                        Link(
                            index,
                            f"s:{reason}",
                            f"s:{reason}",
                            kept,
                            kept,
                            "aside",
                            f"({reason}) {exact(kept)}, {step}",
                        )
                    )
    return links


def _chart_section(result: Result, view: ResultView, tones: dict[Candidate, str]) -> str:
    if result.seats is not None and result.rounds:
        return _seats_chart(result, view, tones)
    if len(result.rounds) < 2:
        return ""
    eliminated = sum(len(r.eliminated) for r in result.rounds)
    elected = sum(len(r.elected) for r in result.rounds)
    transfers = sum(len(r.transfers) for r in result.rounds)
    desc = (
        f"A flow diagram of {len(result.rounds)} rounds: each column is a round, each block a candidate's votes"
        f" (set-aside ballots in grey), each band votes kept or transferred; {elected} elected, {eliminated}"
        f" {view.eliminated_word}, {transfers} transfers. {view.headline}."
        " The table of transfers gives every band's figure."
    )
    svg = sankey_svg(
        _columns(result, tones),
        _links(result, tones),
        title="How the votes moved between rounds",
        desc=desc,
        ident="flow",
        shared_scale=True,
    )
    return _section("flow", "How the votes moved", f'<figure class="wide">{svg}</figure>')


def _seats_chart(result: Result, view: ResultView, tones: dict[Candidate, str]) -> str:
    assert result.seats is not None
    final = result.rounds[-1]
    seats = result.seats
    total_votes = sum(Fraction(v) for v in final.tally.values())
    total_seats = sum(seats.values())
    votes = [
        Node(
            f"v:{c.name}",
            c.name,
            Fraction(v),
            tones[c],
            f"{c.name}: {exact(v)} votes",
            f"{shown(v)} ({format_percent(Fraction(v) / total_votes) if total_votes else '0.00'}%)",
        )
        for c, v in sorted(final.tally.items(), key=lambda p: -p[1])
    ]
    order = [n.key[2:] for n in votes]
    by_name = {c.name: c for c in seats}
    won = [
        Node(
            f"s:{name}",
            name,
            Fraction(seats[by_name[name]]),
            tones[by_name[name]],
            f"{name}: {_seats_text(seats[by_name[name]])}",
            _seats_text(seats[by_name[name]]),
        )
        for name in order + [c.name for c in seats if c.name not in order]
        if name in by_name and seats[by_name[name]] > 0
    ]
    links = [
        Link(
            0,
            f"v:{c.name}",
            f"s:{c.name}",
            Fraction(final.tally.get(c, 0)),
            Fraction(n),
            tones[c],
            f"{c.name}: {exact(final.tally.get(c, 0))} votes, {_seats_text(n)}",
        )
        for c, n in seats.items()
        if n > 0 and c in final.tally
    ]
    desc = (
        f"Each list's share of the {exact(total_votes)} votes (left) beside its share of the {exact(total_seats)}"
        f" seats (right). {view.headline}."
    )
    svg = sankey_svg(
        [Column("Votes", tuple(votes)), Column("Seats", tuple(won))],
        links,
        title="Votes and seats of each list",
        desc=desc,
        ident="flow",
        shared_scale=False,
    )
    return _section("flow", "Votes and seats", f'<figure class="wide">{svg}</figure>')


def _seats_text(seats: int) -> str:
    return f"{exact(seats)} seat" + ("" if seats == 1 else "s")


def _transfers(result: Result) -> str:
    rows = [
        f'<tr><td class="n">{r.number}</td><td>{esc(t.source.name)}</td><td>{esc(t._target_text())}</td>'
        + _figure_cell(t.votes, label=f"{t.source.name} to {t._target_text()}, round {r.number}")
        + "</tr>"
        for r in result.rounds
        for t in r.transfers
    ]
    if not rows:
        return ""
    table = (
        '<div class="wide"><table class="transfers"><caption>Votes transferred at the end of each round</caption>'
        '<thead><tr><th scope="col" class="n">Round</th><th scope="col">From</th><th scope="col">To</th>'
        f'<th scope="col" class="n">Votes</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )
    return _section("transfers", "Transfers", table)


def _notes(result: Result) -> str:
    items = [
        f"<li><strong>Round {r.number}.</strong> "
        + (f"<pre>{esc(r.note)}</pre>" if "\n" in r.note else esc(r.note))
        + "</li>"
        for r in result.rounds
        if r.note
    ]
    if not items:
        return ""
    return _section("notes", "How each round was decided", f'<ol class="notes">{"".join(items)}</ol>')


def _ties(result: Result) -> str:
    if not result.ties:
        return _section("ties", "Ties", "<p>No tie had to be broken in this count.</p>")
    rows = "".join(
        f'<tr><td class="n">{t.round}</td><td>{esc(t.decision)}</td>'
        f"<td>{esc(', '.join(c.name for c in t.candidates))}</td>"
        f'<td class="n">{t.places}</td><td>{esc(t.policy)}</td>'
        f"<td>{esc(', '.join(c.name for c in t.chosen) or 'nobody (left open)')}</td><td>{esc(t.detail)}</td></tr>"
        for t in result.ties
    )
    head = "".join(
        f'<th scope="col"{cls}>{h}</th>'
        for h, cls in (
            ("Round", ' class="n"'),
            ("Decision", ""),
            ("Tied", ""),
            ("Places", ' class="n"'),
            ("Broken by", ""),
            ("Chosen", ""),
            ("How", ""),
        )
    )
    table = (
        f'<div class="wide"><table class="ties"><caption>Each tie, and how it was broken</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return _section("ties", "Ties", table)


def _value_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _configuration(result: Result) -> str:
    data = result.rule.to_dict()
    options = data.get("options", {})
    if not isinstance(options, dict) or not options:
        return _section("rule", "The rule's configuration", f"<p>{esc(_rule_name(result))} takes no options.</p>")
    items = sorted(options.items(), key=lambda p: p[0] != "preset_name")
    rows = "".join(
        f'<tr><th scope="row"><code>{esc("preset" if k == "preset_name" else k)}</code></th>'
        f"<td><code>{esc(_value_text(v))}</code></td></tr>"
        for k, v in items
    )
    table = (
        f'<div class="wide"><table class="options"><caption>Options of the rule {esc(_rule_name(result))}</caption>'
        '<thead><tr><th scope="col">Option</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
    return _section("rule", "The rule's configuration", table)


def _provenance(sources: Sequence[Source]) -> str:
    version = f"<p>Counted with electoral {esc(__version__)} (result format {RESULT_FORMAT_VERSION}).</p>"
    if not sources:
        return _section("provenance", "Provenance", version + "<p>No input file was named for this report.</p>")
    rows = "".join(
        f'<tr><td>{esc(s.role)}</td><th scope="row"><code>{esc(s.name)}</code></th>'
        f'<td class="n">{esc(exact(s.size))}{esc(f" in {exact(s.files)} files" if s.files is not None else "")}</td>'
        f'<td><code class="hash">{esc(s.sha256)}</code></td></tr>'
        for s in sources
    )
    table = (
        '<div class="wide"><table class="provenance"><caption>The input files and their SHA-256</caption>'
        '<thead><tr><th scope="col">Role</th><th scope="col">File</th><th scope="col" class="n">Bytes</th>'
        f'<th scope="col">SHA-256</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )
    note = (
        "<p>A folder's SHA-256 is that of the <code>sha256sum</code> lines of its files,"
        " in the order of their paths.</p>"
        if any(s.files is not None for s in sources)
        else ""
    )
    return _section("provenance", "Provenance", version + table + note)
