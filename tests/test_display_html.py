"""Notebook HTML: elections, results, witnesses, simulation tables and pairwise matrices render as
escaped, well-formed markup, and long ballot lists are cut with an honest summary line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import Election, generate, tabulate
from electoral._model._view import election_html, election_text, pairwise_html
from electoral._research._axioms_pairwise import support
from electoral.testing.strategies import candidate_names

NASTY = ["<script>alert('x')</script>", "Tom & Jerry", 'Say "hi"', "A>B=C"]


def parse(markup: str) -> ET.Element:
    """Well-formed means it parses as XML: every tag closed, every ampersand an entity."""
    return ET.fromstring(markup)


def texts(root: ET.Element) -> str:
    return "".join(root.itertext())


def nasty_election() -> Election:
    return Election.from_rankings(
        {tuple(NASTY): 5, tuple(reversed(NASTY)): 3, (NASTY[1],): 2}, title="<b>Nasty</b> & co", blank=1
    )


def test_election_html_escapes_every_name_and_parses() -> None:
    markup = election_html(nasty_election())
    assert "<script>" not in markup
    assert "<b>Nasty" not in markup
    root = parse(markup)
    shown = texts(root)
    for name in NASTY:
        assert name in shown  # escaped in the markup, intact once parsed
    assert "<b>Nasty</b> & co" in shown
    assert "(blank)" in shown


def test_long_ballot_lists_are_cut_with_a_summary() -> None:
    """30 kinds of ballot, kind i cast by i + 1 voters: the 20 largest are shown (kinds 29 down to 10,
    with 30 down to 11 voters), and the other 10 kinds hold 1 + 2 + ... + 10 = 55 voters."""
    election = Election.from_rankings({f"C{i}": i + 1 for i in range(30)})
    root = parse(election_html(election, max_rows=20))
    rows = root.findall(".//tbody/tr")
    assert len(rows) == 21
    assert rows[0].findtext("td") == "C29"
    last = [td.text for td in rows[-1].findall("td")]
    assert last[0] == "… 10 more kinds of ballot"
    assert last[1] == "55"
    assert rows[-1].get("class") == "more"


def test_an_array_built_election_of_a_million_voters_displays_quickly() -> None:
    election = generate.impartial_culture(10**6, 6, rng=np.random.default_rng(0))
    root = parse(election_html(election))
    assert len(root.findall(".//tbody/tr")) == 21  # 20 kinds, then the summary of the other 700
    assert "700 more kinds of ballot" in texts(root)
    assert "1,000,000 ballots cast" in election_text(election)


def test_election_text_is_a_plain_table() -> None:
    text = election_text(Election.from_rankings({"A>B": 3, "B": 2}, title="Demo"))
    assert text.splitlines()[0] == "Demo: 2 candidates, 1 seat, 5 ballots cast, 2 kinds of ballot"
    assert "A>B          3   60.00" in text


@given(st.lists(candidate_names(), min_size=2, max_size=4, unique=True), st.integers(0, 5))
def test_any_names_give_well_formed_html(names: list[str], blank: int) -> None:
    election = Election.from_rankings({tuple(names): 3, tuple(reversed(names)): 2}, blank=blank, title=names[0])
    root = parse(election_html(election))
    assert all(name in texts(root) for name in names)
    result_root = parse(tabulate(election, "plurality")._repr_mimebundle_()["text/html"])
    assert names[0] in texts(result_root)
    parse(pairwise_html(names, support(election).tolist(), caption=names[-1]))


def test_pairwise_table_is_shaded_by_majorities() -> None:
    """A>B>C 4, B>C>A 3, C>B>A 2: B beats A 5–4 and C 7–2, so B's row is sky blue (Okabe–Ito) and bold off
    the diagonal, and each cell's title says so in words."""
    election = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
    matrix = support(election).tolist()
    assert matrix == [[0, 4, 4], [5, 0, 7], [5, 2, 0]]
    root = parse(pairwise_html(election.names, matrix))
    b_row = root.findall(".//tbody/tr")[1]
    cells = b_row.findall("td")
    assert [c.text for c in cells] == ["5", None, "7"]  # against A, the blank diagonal, against C
    assert all("86,180,233" in (c.get("style") or "") for c in cells if c.text)
    assert all("win" in (c.get("class") or "").split() for c in cells if c.text)
    assert [c.get("title") for c in cells if c.text] == ["B beats A: 5 to 4", "B beats C: 7 to 2"]
    a_row = root.findall(".//tbody/tr")[0].findall("td")
    assert "230,159,0" in (a_row[1].get("style") or "")  # A loses to B 4-5: orange, not red


@pytest.mark.parametrize("rule", ["plurality", "contingent"])
def test_result_html_with_nasty_names_parses(rule: str) -> None:
    result = tabulate(nasty_election(), rule)
    root = parse(result._repr_mimebundle_()["text/html"])
    assert NASTY[0] in texts(root)


def test_election_notebook_display_uses_the_ballot_table() -> None:
    election = nasty_election()
    bundle = election._repr_mimebundle_()
    assert bundle["text/html"] == election_html(election)
    parse(bundle["text/html"])
