"""The one presentation model of results: what each round measures, shares only where they mean something,
the best first, one word per rule family, set-aside reasons apart, and notebook HTML that is escaped,
well formed, scoped and readable without colour."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests._html_check import Page

import electoral.io
from electoral import Election, rules, tabulate
from electoral._display import STYLE
from electoral._result._present import result_html, result_view

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOSTILE = ["<script>alert(1)</script>", "Say \"hi\" & 'bye'", "Tom & Jerry", "\u202eevil\u202c \u200fRTL"]
POINTS_RULES = [
    "borda",
    "dowdall",
    "anti-plurality",
    "copeland",
    "schulze",
    "ranked-pairs",
    "kemeny-young",
    "nanson",
    "baldwin",
    "minimax",
]


def balanced(markup: str) -> Page:
    parser = Page(markup, allowed=None)
    assert parser.problems == []
    ET.fromstring(markup)  # well-formed as XML too: every ampersand an entity, every tag closed
    return parser


def hostile_ranked() -> Election:
    names = HOSTILE
    return Election.from_rankings(
        {
            (names[0], names[1], names[2]): 5,
            (names[1], names[2]): 4,
            (names[2], names[0]): 3,
            (names[3], names[1]): 2,
            (names[3],): 1,
        },
        title="<b>Hostile</b> & \u202ename",
        seats=1,
    )


@pytest.mark.parametrize("rule", ["instant-runoff", "plurality", "two-round", "borda", "minimax", "copeland"])
def test_result_html_is_balanced_and_escaped_on_hostile_names(rule: str) -> None:
    election = hostile_ranked()
    markup = result_html(tabulate(election, rule))
    assert "<script>" not in markup
    assert "<b>Hostile" not in markup
    parsed = balanced(markup)
    shown = "".join(parsed.text)
    assert all(name in shown for name in HOSTILE)
    assert "<b>Hostile</b> & \u202ename" in shown


def test_stv_party_list_election_and_pairwise_html_are_balanced() -> None:
    stv = Election.from_rankings({tuple(HOSTILE): 6, tuple(reversed(HOSTILE)): 5, (HOSTILE[2],): 3}, seats=2)
    balanced(result_html(tabulate(stv, "stv", preset="scotland")))
    lists = Election.from_rankings({(name,): 100 - 10 * i for i, name in enumerate(HOSTILE)}, seats=7)
    balanced(result_html(tabulate(lists, "dhondt")))
    balanced(hostile_ranked()._repr_mimebundle_()["text/html"])
    balanced(hostile_ranked().pairwise()._repr_mimebundle_()["text/html"])


def test_every_selector_of_the_stylesheet_is_scoped() -> None:
    body = re.sub(r"@media[^{]*\{", "", STYLE)  # a media query's rules are checked as rules
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", body) for s in block.split(",")]
    assert selectors
    for selector in selectors:
        assert selector.startswith((".electoral-out", "[data-jp-theme-light='false'] .electoral-out"))
    assert ">" not in STYLE
    assert "&" not in STYLE
    # no mark is told by colour alone: the colours are Okabe-Ito blue and orange, never red or green
    assert "0,160,0" not in STYLE
    assert "200,0,0" not in STYLE


@pytest.mark.parametrize("rule", POINTS_RULES)
def test_points_rules_name_their_measure_and_show_no_shares(rule: str) -> None:
    election = Election.from_rankings({"A>B>C": 5, "B>C>A": 4, "C>A>B": 2, "B>A>C": 1})
    result = tabulate(election, rule)
    view = result_view(result)
    for r, shown in zip(result.rounds, view.rounds, strict=True):
        assert r.measure != "votes"
        assert shown.table.headers == ("candidate", r.measure, "status")
        assert not any(h.startswith("%") for h in shown.table.headers)
    text = str(result)
    assert "% of" not in text
    assert "0.00" not in text
    for r in result.to_dict()["rounds"]:
        assert r["shares"] is None
        assert r["percent"] is None
        assert r["measure"] == view.rounds[0].measure or rule in ("nanson", "baldwin")
    # the winner is the first row of the last round's table
    assert view.rounds[-1].table.rows[0][0] == result.winners[0].name


def test_minimax_stores_the_worst_defeat_as_a_positive_figure_and_lists_the_winner_first() -> None:
    """A>B>C 5, B>C>A 4, C>A>B 2: A beats B 7-4 and loses to C 5-6, so A's worst defeat is 1; B loses to A
    by 3; C loses to B by 7. The old tally gave A -590-style negative figures when A beat everyone."""
    election = Election.from_rankings({"A>B>C": 5, "B>C>A": 4, "C>A>B": 2})
    result = tabulate(election, "minimax")
    round1 = result.rounds[0]
    assert round1.better == "lower"
    assert {c.name: v for c, v in round1.tally.items()} == {"A": 1, "B": 3, "C": 7}
    assert [c.name for c, _ in round1.ranked()] == ["A", "B", "C"]
    # a Condorcet winner has no defeat: 0, not its negative smallest win
    condorcet = tabulate(Election.from_rankings({"A>B>C": 6, "B>C>A": 2, "C>B>A": 1}), "minimax")
    assert condorcet.rounds[0].tally[condorcet.winners[0]] == 0
    assert min(condorcet.rounds[0].tally.values()) >= 0


def test_burlington_transfers_show_each_set_aside_reason_as_in_the_next_round() -> None:
    """Burlington 2009, round 4: Montroll's ballots that went nowhere are 1 overvote and 455 exhausted,
    exactly what the set-aside figures of round 5 gain over round 4 (published: 5 overvotes, 602 exhausted)."""
    result = tabulate(electoral.io.read(EXAMPLES / "burlington-2009.json"), "instant-runoff")
    for before, after in zip(result.rounds, result.rounds[1:], strict=False):
        went: dict[str, int] = {}
        for t in before.transfers:
            if t.exhausted:
                assert t.reason is not None
                went[t.reason] = went.get(t.reason, 0) + int(t.votes)
        gained = {k: int(after.set_aside.get(k, 0)) - int(before.set_aside.get(k, 0)) for k in after.set_aside}
        assert went == {k: v for k, v in gained.items() if v}
    assert dict(result.rounds[4].set_aside) == {"overvote": 5, "exhausted choices": 602}
    text = str(result)
    assert "  transfer Andy Montroll -> (overvote): 1\n  transfer Andy Montroll -> (exhausted choices): 455\n" in text
    assert "-> exhausted:" not in text


def test_one_word_per_rule_family() -> None:
    shetland = tabulate(electoral.io.read(EXAMPLES / "shetland-2012-north-isles.blt"), "stv", preset="scotland")
    text = str(shetland)
    assert "excluded" in text
    assert "eliminated" not in text
    shown = "".join(balanced(result_html(shetland)).text)
    assert "excluded" in shown
    assert "eliminated" not in shown
    burlington = tabulate(electoral.io.read(EXAMPLES / "burlington-2009.json"), "instant-runoff")
    assert "eliminated" in str(burlington)
    assert "excluded" not in str(burlington)


def test_round_tables_name_every_column() -> None:
    result = tabulate(electoral.io.read(EXAMPLES / "burlington-2009.json"), "instant-runoff")
    header = str(result).splitlines()[4]
    assert header.split() == ["candidate", "votes", "%", "of", "continuing", "ballots", "status"]


def test_burlington_summary_lists_winner_first_and_marks_each_round() -> None:
    result = tabulate(electoral.io.read(EXAMPLES / "burlington-2009.json"), "instant-runoff")
    view = result_view(result)
    names = [row.name for row in view.summary if row.mark != "set-aside"]
    assert names == ["Bob Kiss", "Kurt Wright", "Andy Montroll", "Dan Smith", "Write-In", "James Simpson"]
    by_name = {row.name: row for row in view.summary}
    assert by_name["James Simpson"].outcome == "eliminated (round 1)"
    assert by_name["James Simpson"].figures == ("35 ✗", "", "", "", "")
    assert by_name["Bob Kiss"].figures[-1] == "4,313 ✓"
    assert by_name["(overvote)"].figures == ("4", "4", "4", "4", "5")
    parsed = balanced(result_html(result))
    shown = "".join(parsed.text)
    assert "Rule: instant-runoff" in shown
    assert "Votes by round" in shown
    assert "Transfers" in shown
    assert "✓ elected · → advances · ✗ eliminated" in shown  # marks are symbols and words, not only colour
    folded, printed = result_html(result), result_html(result, open_rounds=True)
    assert folded.count("<details>") == 5
    assert printed.count("<details open>") == 5


def test_party_list_seat_tables_are_html_tables_not_text() -> None:
    nz = electoral.io.read(EXAMPLES / "new-zealand-2020.json")
    result = tabulate(nz, "sainte-lague")
    markup = result_html(result)
    assert "<pre" not in markup
    root = ET.fromstring(markup)
    # the seat table of the count's note (votes, share, quotients, seats) is a table, shown once
    seats = [t for t in root.iter("table") if "seats" in [th.text for th in t.iter("th")]]
    assert len(seats) == 1
    rows = [[cell.text for cell in tr] for tr in seats[0].iter("tr")][1:]
    assert rows[0][:2] == ["Labour", "1,443,545"]
    assert "12,130.63" in rows[0]
    assert rows[-1][0] == "total"
    assert rows[-1][-1] == "120"
    assert sum(int(r[-1] or 0) for r in rows[:-1]) == 120 == nz.seats
    # a count whose notes give no seat table shows the view's own
    lists = Election.from_rankings({("A",): 50, ("B",): 30}, seats=3)
    view = result_view(tabulate(lists, "dhondt"))
    assert view.seats is not None
    assert view.seats.rows[-1] == ("total", "", "3")


def test_result_json_version_3_is_documented_and_reproducible() -> None:
    result = tabulate(Election.from_rankings({"A>B>C": 5, "B>C>A": 4, "C>A>B": 2}), "borda")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["version"] == 3
    assert data["rounds"][0]["measure"] == "points"
    assert data["rounds"][0]["better"] == "higher"
    docs = (Path(__file__).resolve().parents[1] / "docs" / "formats.md").read_text(encoding="utf-8")
    assert "## The result format, version 3" in docs
    assert "### Version 2" in docs


def test_every_registered_rule_names_its_measure_on_a_small_election() -> None:
    ranked = Election.from_rankings({"A>B>C": 5, "B>C>A": 4, "C>A>B": 2, "exhausted>A": 1})
    approvals = Election.from_dict(
        {"candidates": ["A", "B", "C"], "ballots": [{"ranking": [["A", "B"]], "count": 3}, {"ranking": [["C"]]}]}
    )
    scores = Election.from_dict(
        {
            "candidates": ["A", "B", "C"],
            "ballots": [{"scores": {"A": 5, "B": 3, "C": 0}, "count": 3}, {"scores": {"A": 0, "B": 4, "C": 5}}],
        }
    )
    lists = Election.from_rankings({"A": 50, "B": 30, "C": 20}, seats=5)
    for name in rules.names():
        info = rules.get(name).info
        election = (
            lists
            if info.apportions
            else approvals
            if "approval" in info.marks and "ranking" not in info.marks
            else scores
            if "scores" in info.marks and "ranking" not in info.marks
            else ranked
        )
        result = tabulate(election, name)
        lines = str(result).splitlines()
        for r in result.rounds:
            header = lines[lines.index(f"Round {r.number}") + 1]
            who = "list" if info.apportions else "candidate"
            assert header.split("  ")[:2] == [who, r.measure.rjust(len(header.split("  ")[1]))], name
            assert header.endswith("  status"), name
            assert ("% of" in header) == bool(r.denominator), name
        balanced(result_html(result))
