"""A SeatResult shows the seat tables by party and district (with votes), the indices and every recorded step."""

from __future__ import annotations

from fractions import Fraction

from tests._html_check import Page

from electoral import systems
from electoral._display import escape


def _result() -> systems.SeatResult:
    law = systems.System(
        "two-districts",
        (systems.DistrictTier("district", systems.Method()),),
    )
    returns = systems.Returns(
        [
            systems.DistrictReturns("North", {"Red": 600, "Blue": 300, "Tiny": 10}, seats=3),
            systems.DistrictReturns("South", {"Red": 100, "Blue": 500}, seats=2),
        ]
    )
    return law.tabulate(returns)


def test_text_has_both_tables_and_the_steps() -> None:
    text = str(_result())
    assert text.startswith("two-districts: 5 seats in 2 districts\n")
    assert "Seats by party" in text
    assert "Seats by district" in text
    # D'Hondt by hand: North 600, 300, 300 (Red 2, Blue 1); South 500, 250 beat 100 (Blue 2)
    assert "North (3): Red 2, Blue 1" in text
    assert "South (2): Blue 2" in text
    assert "Gallagher" in text


def test_html_escapes_and_holds_the_tables() -> None:
    law = systems.System("a<b", (systems.DistrictTier(),))
    result = law.tabulate(systems.Returns([systems.DistrictReturns("X", {"<i>": 10, "B": 5}, seats=2)]))
    html = result._repr_html_()
    assert "a&lt;b" in html
    assert "&lt;i&gt;" in html
    assert "<i>" not in html
    assert "Seats by party" in html


def test_html_folds_every_step_of_the_text() -> None:
    # the steps a reader of the text sees (each district's seats, the lists below the bar) are in the HTML too
    law = systems.System("law", (systems.DistrictTier(thresholds=(systems.Threshold(Fraction(1, 10)),)),))
    returns = systems.Returns(
        [
            systems.DistrictReturns("North", {"Red <r>": 600, "Blue": 300, "Tiny": 50}, seats=3),
            systems.DistrictReturns("South", {"Blue": 500, "Red <r>": 100}, seats=2),
        ]
    )
    result = law.tabulate(returns)
    html = result._repr_html_()
    steps = str(result).split("Steps\n-----\n")[1]
    assert "<details><summary>Steps</summary><pre>" in html
    for line in steps.strip().splitlines():
        assert escape(line) in html
    assert "below the threshold: Tiny" in html
    assert "Red &lt;r&gt;" in html
    assert "Red <r>" not in html
    Page(html)  # well formed
