"""Seat tables by district and by party, in text and HTML, on Spain's Congreso 2004.

The seats are the bundled ``examples/spain-2004-congreso-seats.csv`` (source in
examples/README.md): each province's rows must add up to its magnitude in the
shared data's ``districts.csv`` where that is here, and to the file's national rows.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from tests._parliaments import SHARED, spain

from electoral._result._seats_table import district_table, party_lines, party_table, seats_html, seats_text
from electoral.errors import SeatsError


def test_district_table_sums_spain_2004() -> None:
    totals, seats = spain()
    table = district_table(seats)
    assert len(table.rows) == 53  # 52 provinces and the total
    parties = table.headers[1:-1]
    shortened = dict(table.key)
    names = [shortened.get(h, h) for h in parties]
    assert names == list(totals)  # most seats first: the file lists them so
    assert parties[:2] == ("PSOE", "PP")
    assert "EAJ-PNV" in parties
    for row in table.rows[:-1]:
        assert sum(int(c) for c in row[1:-1]) == int(row[-1])
    *_, total_row = table.rows
    assert [int(c) for c in total_row[1:-1]] == list(totals.values())
    assert total_row[-1] == "350"


def test_district_table_magnitudes_match_the_shared_districts() -> None:
    folder = SHARED / "es" / "es_generales_diputados_2004"
    if not folder.is_dir():
        pytest.skip("the shared parliaments data is not here (set ELECTORAL_SHARED)")
    with (folder / "districts.csv").open(encoding="utf-8", newline="") as handle:
        magnitude = {r["district"]: r["seats"] for r in csv.DictReader(handle)}
    _, seats = spain()
    table = district_table(seats)
    assert {row[0]: row[-1] for row in table.rows[:-1]} == magnitude


def test_text_layout_and_key() -> None:
    _, seats = spain()
    text = str(district_table(seats, caption="Seats by district"))
    lines = text.splitlines()
    assert lines[0] == "Seats by district"
    assert "PSOE = PARTIDO SOCIALISTA OBRERO ESPAÑOL" in lines
    assert max(len(line) for line in lines if "=" not in line) < 120  # the initials keep it readable


def test_labels_and_orders_are_the_callers() -> None:
    seats = {("North", "Red"): 2, ("North", "Blue"): 1, ("South", "Blue"): 3}
    table = district_table(seats, districts=["South", "North"], parties=["Red", "Blue"], labels={"Red": "R"})
    assert table.headers == ("district", "R", "Blue", "total")
    assert [r[0] for r in table.rows] == ["South", "North", "total"]
    assert table.key == ()


def test_party_lines_are_exact() -> None:
    seats = {("North", "Red"): 2, ("North", "Blue"): 1, ("South", "Blue"): 0}
    votes = {("North", "Red"): 100, ("North", "Blue"): 50, ("South", "Blue"): 50, ("South", "Green"): 1}
    lines = party_lines(seats, votes)
    assert [(line.party, line.seats, line.votes) for line in lines] == [
        ("Red", 2, 100),
        ("Blue", 1, 100),
        ("Green", 0, 1),
    ]
    assert lines[0].vote_share == Fraction(100, 201)
    assert lines[0].seat_share == Fraction(2, 3)
    assert sum(line.vote_share or 0 for line in lines) == 1
    assert party_lines(seats, votes, total_votes=402)[0].vote_share == Fraction(100, 402)
    with pytest.raises(SeatsError, match="total_votes 200 is less"):
        party_lines(seats, votes, total_votes=200)


def test_party_table_rounds_half_to_even_and_sums() -> None:
    _totals, seats = spain()
    table = party_table(seats)
    assert table.headers == ("party", "seats", "seats %")
    assert table.rows[0] == ("PARTIDO SOCIALISTA OBRERO ESPAÑOL", "164", "46.86")  # 164/350 = 46.857...
    assert sum(int(r[1]) for r in table.rows[:-1]) == 350
    assert table.rows[-1] == ("total", "350", "100.00")
    # 1 of 160 votes is 0.625% exactly, which half-to-even rounds to 0.62; 159 of 160 is 99.375%, to 99.38
    votes = party_table({("d", "A"): 1}, {"A": 1, "B": 159})
    assert [r[3] for r in votes.rows] == ["0.62", "99.38", "100.00"]
    assert [r[2] for r in votes.rows] == ["1", "159", "160"]


def test_html_escapes_names_and_is_well_formed() -> None:
    seats = {("<North & 'co'>", "<b>Red</b>"): 2, ("South", "Blue \x07"): 1}
    html = seats_html(seats, {"<b>Red</b>": 10, "Blue \x07": 5}, title="Parliament <2024>")
    assert "<b>Red</b>" not in html
    assert "&lt;b&gt;Red&lt;/b&gt;" in html
    assert "&lt;North &amp; &#x27;co&#x27;&gt;" in html
    assert "\x07" not in html
    root = ET.fromstring(html)
    assert root.get("class") == "electoral-out electoral-seats"
    assert root.find(".//details/summary").text == "Seats by district"  # type: ignore[union-attr]
    cells = [c.text for c in root.iter("td")]
    assert "66.67" in cells
    assert "33.33" in cells


def test_seats_text_shows_both_tables() -> None:
    _totals, seats = spain()
    text = seats_text(seats, title="Congreso 2004")
    assert text.startswith("Congreso 2004\n\nSeats by party\n")
    assert "Seats by district" in text
    one = seats_text({("Nation", "A"): 3, ("Nation", "B"): 1})
    assert "Seats by district" not in one


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        ({("d", "A"): -1}, "'A' in 'd' has -1 seats"),
        ({("d", "A"): True}, "has True seats"),
        ({"A": 1}, "not 'A'"),
    ],
)
def test_bad_seats(seats: dict[object, object], message: str) -> None:
    with pytest.raises(SeatsError, match=message):
        district_table(seats)  # type: ignore[arg-type]


def test_bad_votes() -> None:
    with pytest.raises(SeatsError, match="'A' has -5 votes"):
        party_table({("d", "A"): 1}, {"A": -5})
    with pytest.raises(SeatsError, match="not 7"):
        party_table({("d", "A"): 1}, {7: 5})  # type: ignore[dict-item]
