"""The report's breakdown by slice (precinct, batch): one section and compact table per kind of slice.

Each table is slices × candidates in the final round, with each slice's
inactive ballots and its total; its caption gives the contest's decisions
round by round, which every slice follows (see :func:`electoral.slices`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from electoral._report._text import esc, exact, shown
from electoral._result import Result

__all__ = ["slices_section"]

_KIND_WORDS = {"precinct": "By precinct", "batch": "By batch"}
_PLURALS = {"precinct": "precincts", "batch": "batches"}


def _decisions(contest: Result) -> str:
    parts = []
    for r in contest.rounds:
        said = [f"{', '.join(c.name for c in r.eliminated)} eliminated"] if r.eliminated else []
        said += [f"{', '.join(c.name for c in r.elected)} elected"] if r.elected else []
        if said:
            parts.append(f"round {r.number}: {'; '.join(said)}")
    return "; ".join(parts) or "no decisions"


def _table(kind: str, contest: Result, parts: Mapping[str, Result]) -> str:
    final = contest.rounds[-1]
    names = list(final.tally)
    head = (
        f'<th scope="col">{esc(kind.capitalize())}</th>'
        + "".join(f'<th scope="col" class="n">{esc(c.name)}</th>' for c in names)
        + '<th scope="col" class="n">Inactive</th><th scope="col" class="n">Ballots</th>'
    )
    rows = []
    for label, part in parts.items():
        last = part.rounds[-1]
        inactive = sum((Fraction(v) for v in last.set_aside.values()), Fraction(0))
        cells = "".join(f'<td class="n">{esc(shown(last.tally.get(c, 0)))}</td>' for c in names)
        rows.append(
            f'<tr><th scope="row">{esc(label)}</th>{cells}<td class="n">{esc(shown(inactive))}</td>'
            f'<td class="n">{esc(exact(part.election.cast))}</td></tr>'
        )
    caption = (
        f"Round {final.number} (final), {len(parts):,} {_PLURALS.get(kind, kind + 's') if len(parts) != 1 else kind}. "
        f"Each {kind}'s ballots follow the contest's decisions ({_decisions(contest)})."
    )
    return (
        f'<div class="wide"><table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def slices_section(contest: Result, slices: Mapping[str, Mapping[str, Result]] | None) -> str:
    """One section per kind of slice ("By precinct", "By batch"), or '' when there are none."""
    if not slices or not contest.rounds:
        return ""
    sections = []
    for kind, parts in slices.items():
        if parts:
            ident = f"slices-{'-'.join(kind.split())}"
            heading = _KIND_WORDS.get(kind, f"By {kind}")
            sections.append(
                f'<section aria-labelledby="h-{esc(ident)}"><h2 id="h-{esc(ident)}">{esc(heading)}</h2>'
                f"{_table(kind, contest, parts)}</section>"
            )
    return "".join(sections)
