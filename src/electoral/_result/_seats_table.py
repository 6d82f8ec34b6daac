"""Seat tables of a parliament: seats by district and party, and a summary by party, in text and notebook HTML.

The input is plain data, so any seat result can be shown: ``seats`` maps
``(district, party)`` to a number of seats, and the optional ``votes`` maps a
party, or a ``(district, party)`` pair, to its votes. Shares are exact
Fractions, shown rounded half-to-even by :func:`electoral._arith.format_percent`;
the exact figures stay in :class:`PartyLine`.

>>> seats = {("North", "Red"): 2, ("North", "Blue"): 1, ("South", "Blue"): 3}
>>> print(district_table(seats))
district  Blue  Red  total
--------  ----  ---  -----
North        1    2      3
South        3    0      3
total        4    2      6
>>> print(party_table(seats, {"Red": 300, "Blue": 450, "Green": 250}))
party  seats  votes  votes %  seats %
-----  -----  -----  -------  -------
Blue       4    450    45.00    66.67
Red        2    300    30.00    33.33
Green      0    250    25.00     0.00
total      6  1,000   100.00   100.00

Long party names are shortened to their initials in the district table's
headers, with a key under the table (``SeatTable.key``); ``labels`` gives
names of your own. :func:`seats_text` and :func:`seats_html` show both tables,
as a result's ``__str__`` and ``_repr_html_`` would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from electoral._arith import Votes, format_decimal, format_percent
from electoral._display import escape, html_block, html_table, text_table
from electoral._text import excerpt
from electoral.errors import SeatsError

__all__ = [
    "PartyLine",
    "SeatTable",
    "district_table",
    "party_lines",
    "party_table",
    "seats_html",
    "seats_text",
]

#: Headers longer than this are shortened to initials in the district table (when no label is given).
_LONGEST_HEADER = 12
#: Words left out of initials: the articles and conjunctions of list names in the languages of the examples.
_MINOR_WORDS = frozenset(
    [
        "a",
        "and",
        "de",
        "del",
        "der",
        "des",
        "di",
        "du",
        "e",
        "et",
        "for",
        "i",
        "la",
        "las",
        "le",
        "les",
        "los",
        "of",
        "og",
        "the",
        "und",
        "y",
    ]
)


@attrs.frozen
class SeatTable:
    """A table to show: headers, rows of cells, which columns are numeric, and a key to shortened headers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: tuple[bool, ...]
    caption: str = ""
    key: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines.append(text_table(self.headers, self.rows, right=self.right))
        lines.extend(f"{short} = {name}" for short, name in self.key)
        return "\n".join(lines)

    def html(self) -> str:
        """The table as an HTML ``<table>`` (every cell escaped), with its key after it; not wrapped."""
        table = html_table(self.headers, self.rows, caption=self.caption, right=self.right, row_headers=True)
        if not self.key:
            return table
        key = "; ".join(f"{escape(short)} = {escape(name)}" for short, name in self.key)
        return f"{table}<p class='eo-legend'>{key}</p>"


@attrs.frozen
class PartyLine:
    """One party's line of the summary: seats and votes with their exact shares (None without votes)."""

    party: str
    seats: int
    votes: Votes | None
    vote_share: Fraction | None
    seat_share: Fraction


def _checked(seats: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for key, value in seats.items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise SeatsError(f"a seat count is keyed by (district, party), not {excerpt(key)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SeatsError(f"{excerpt(key[1])} in {excerpt(key[0])} has {excerpt(value)} seats")
        out[key] = value
    return out


def _party_votes(votes: Mapping[str, Votes] | Mapping[tuple[str, str], Votes]) -> dict[str, Votes]:
    """Votes by party, summed over districts when ``votes`` is keyed by (district, party)."""
    out: dict[str, Votes] = {}
    for key, value in votes.items():
        party = key[1] if isinstance(key, tuple) and len(key) == 2 else key
        if not isinstance(party, str):
            raise SeatsError(f"votes are keyed by party or (district, party), not {excerpt(key)}")
        if isinstance(value, bool) or not isinstance(value, int | Fraction) or value < 0:
            raise SeatsError(f"{excerpt(party)} has {excerpt(value)} votes")
        out[party] = out.get(party, 0) + value
    return out


def _ordered(names: Sequence[str], order: Sequence[str] | None) -> list[str]:
    """``names`` in ``order`` (names it leaves out follow, as they came)."""
    if order is None:
        return list(names)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def _initials(name: str) -> str:
    """``name`` as its initials: a capital for each word but minor ones, hyphenated parts kept apart.

    >>> _initials("EUSKO ALDERDI JELTZALEA-PARTIDO NACIONALISTA VASCO"), _initials("Esquerra Republicana de Catalunya")
    ('EAJ-PNV', 'ERC')
    """
    parts = []
    for part in name.split("-"):
        words = [w for w in re.findall(r"\w+", part) if w.casefold() not in _MINOR_WORDS] or re.findall(r"\w+", part)
        parts.append("".join(w[0].upper() for w in words))
    return "-".join(p for p in parts if p) or name


def _headers(parties: Sequence[str], labels: Mapping[str, str] | None) -> tuple[list[str], list[tuple[str, str]]]:
    """The column header of each party and the key to the shortened ones (made unique with a number)."""
    given = dict(labels or {})
    headers: list[str] = []
    key: list[tuple[str, str]] = []
    used = set(given.values()) | {p for p in parties if p not in given and len(p) <= _LONGEST_HEADER}
    for party in parties:
        if party in given:
            headers.append(given[party])
        elif len(party) <= _LONGEST_HEADER:
            headers.append(party)
        else:
            short = base = _initials(party)
            n = 1
            while short in used:
                n += 1
                short = f"{base}{n}"
            used.add(short)
            headers.append(short)
            key.append((short, party))
    return headers, key


def district_table(
    seats: Mapping[tuple[str, str], int],
    *,
    districts: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    caption: str = "",
) -> SeatTable:
    """Seats by district (rows) and party (columns), with a total of each row and column.

    Districts run in the order of ``districts`` (by default as they first
    appear in ``seats``); the parties that won a seat run in the order of
    ``parties`` (by default by seats won, most first, then by name). A column
    header longer than 12 characters is the party's initials unless
    ``labels`` names it; the table's ``key`` spells them out.
    """
    counts = _checked(seats)
    places = _ordered(list(dict.fromkeys(d for d, _ in counts)), districts)
    totals = _totals(counts)
    winners = _ordered([p for p, n in _by_seats(totals, {}) if n > 0], parties)
    headers, key = _headers(winners, labels)
    rows = []
    for place in places:
        row = [counts.get((place, p), 0) for p in winners]
        rows.append((place, *(str(n) for n in row), str(sum(counts.get((place, p), 0) for p in totals))))
    rows.append(("total", *(str(totals[p]) for p in winners), str(sum(totals.values()))))
    return SeatTable(
        headers=("district", *headers, "total"),
        rows=tuple(rows),
        right=(False, *[True] * (len(winners) + 1)),
        caption=caption,
        key=tuple(key),
    )


def _totals(counts: Mapping[tuple[str, str], int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (_, party), n in counts.items():
        totals[party] = totals.get(party, 0) + n
    return totals


def _by_seats(totals: Mapping[str, int], votes: Mapping[str, Votes]) -> list[tuple[str, int]]:
    """Every party of ``totals`` and ``votes``, most seats first, then most votes, then by name."""
    names = sorted(set(totals) | set(votes))
    names.sort(key=lambda p: (-totals.get(p, 0), -votes.get(p, 0)))
    return [(p, totals.get(p, 0)) for p in names]


def party_lines(
    seats: Mapping[tuple[str, str], int],
    votes: Mapping[str, Votes] | Mapping[tuple[str, str], Votes] | None = None,
    *,
    parties: Sequence[str] | None = None,
    total_votes: Votes | None = None,
) -> list[PartyLine]:
    """Each party's seats and votes with exact shares: the lines of :func:`party_table`.

    Every party with seats or votes has a line, in the order of ``parties``
    (by default most seats first, then most votes). A vote share is of
    ``total_votes`` when given (for example the valid votes, blank ballots
    included), else of the votes of the parties in ``votes``.
    """
    totals = _totals(_checked(seats))
    by_party = _party_votes(votes) if votes is not None else {}
    order = _ordered([p for p, _ in _by_seats(totals, by_party)], parties)
    seat_sum = sum(totals.values())
    vote_sum = total_votes if total_votes is not None else sum(by_party.values())
    if votes is not None and total_votes is not None and total_votes < sum(by_party.values()):
        raise SeatsError(
            f"total_votes {excerpt(total_votes)} is less than the parties' votes ({sum(by_party.values())})"
        )
    lines = []
    for party in order:
        won = totals.get(party, 0)
        got = by_party.get(party, 0) if votes is not None else None
        lines.append(
            PartyLine(
                party=party,
                seats=won,
                votes=got,
                vote_share=Fraction(got, 1) / vote_sum if got is not None and vote_sum else None,
                seat_share=Fraction(won, seat_sum) if seat_sum else Fraction(0),
            )
        )
    return lines


def _shown(value: Votes) -> str:
    return f"{value:,}" if isinstance(value, int) else format_decimal(value, 5)


def party_table(
    seats: Mapping[tuple[str, str], int],
    votes: Mapping[str, Votes] | Mapping[tuple[str, str], Votes] | None = None,
    *,
    parties: Sequence[str] | None = None,
    total_votes: Votes | None = None,
    caption: str = "",
) -> SeatTable:
    """Seats by party, with votes, vote share and seat share (percentages to two places) when votes are given.

    The lines are those of :func:`party_lines`; a last line holds the totals.
    """
    lines = party_lines(seats, votes, parties=parties, total_votes=total_votes)
    seat_sum = sum(line.seats for line in lines)
    if votes is None:
        rows = [(line.party, str(line.seats), format_percent(line.seat_share)) for line in lines]
        rows.append(("total", str(seat_sum), "100.00" if seat_sum else "0.00"))
        return SeatTable(("party", "seats", "seats %"), tuple(rows), (False, True, True), caption)
    vote_sum = total_votes if total_votes is not None else sum(line.votes or 0 for line in lines)
    full = [
        (
            line.party,
            str(line.seats),
            _shown(line.votes or 0),
            format_percent(line.vote_share) if line.vote_share is not None else "",
            format_percent(line.seat_share),
        )
        for line in lines
    ]
    counted = sum(line.votes or 0 for line in lines)
    full.append(
        (
            "total",
            str(seat_sum),
            _shown(counted),
            format_percent(Fraction(counted) / vote_sum) if vote_sum else "",
            "100.00" if seat_sum else "0.00",
        )
    )
    return SeatTable(
        ("party", "seats", "votes", "votes %", "seats %"), tuple(full), (False, True, True, True, True), caption
    )


def seats_text(
    seats: Mapping[tuple[str, str], int],
    votes: Mapping[str, Votes] | Mapping[tuple[str, str], Votes] | None = None,
    *,
    title: str = "",
    parties: Sequence[str] | None = None,
    districts: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    total_votes: Votes | None = None,
) -> str:
    """The summary by party, then the seats by district (left out when there is one district), as text."""
    parts = [title] if title else []
    parts.append(str(party_table(seats, votes, parties=parties, total_votes=total_votes, caption="Seats by party")))
    if len({d for d, _ in seats}) > 1:
        by_district = district_table(
            seats, districts=districts, parties=parties, labels=labels, caption="Seats by district"
        )
        parts.append(str(by_district))
    return "\n\n".join(parts)


def seats_html(
    seats: Mapping[tuple[str, str], int],
    votes: Mapping[str, Votes] | Mapping[tuple[str, str], Votes] | None = None,
    *,
    title: str = "",
    parties: Sequence[str] | None = None,
    districts: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    total_votes: Votes | None = None,
) -> str:
    """The tables of :func:`seats_text` as one notebook HTML fragment (``electoral-seats``), every name escaped;
    the district table folds away in a ``<details>`` element."""
    out = [f"<p class='eo-title'>{escape(title)}</p>"] if title else []
    out.append(party_table(seats, votes, parties=parties, total_votes=total_votes, caption="Seats by party").html())
    if len({d for d, _ in seats}) > 1:
        table = district_table(seats, districts=districts, parties=parties, labels=labels)
        out.append(f"<details><summary>Seats by district</summary>{table.html()}</details>")
    return html_block("seats", "".join(out))
