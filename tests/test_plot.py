"""Plots render to PNG headless (no display, no pyplot state) and draw what the result holds."""

from __future__ import annotations

import io
import itertools

import pytest

from electoral import Election, plot, rules, tabulate
from electoral._frozen import FrozenMap
from electoral._result import Result, Round
from electoral.errors import MissingDataError

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after the skip: matplotlib is optional)
from matplotlib.image import imread  # noqa: E402

# A 40, B 35, C 20, D 5 of 100 first preferences: no majority, so A and B go on; C's ballots
# (C>B) move to B, D's to A (D>A 3) or nowhere (D 2, exhausted): A 43, B 55.
ELECTION = Election.from_rankings({"A>B": 40, "B>A": 35, "C>B": 20, "D>A": 3, "D": 2}, title="Demo <count>")


def png(ax: object) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")  # type: ignore[attr-defined]
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = imread(io.BytesIO(data))
    assert pixels.shape[0] > 100
    assert pixels[..., :3].std() > 0.01  # something was drawn, not a blank canvas
    return data


def test_round_bars() -> None:
    result = tabulate(ELECTION, "contingent")
    ax = plot.rounds(result)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A", "B", "C", "D"]
    bars = ax.patches
    assert len(bars) == 4 + 2  # four candidates in round 1, the two finalists in round 2
    heights = sorted(round(b.get_height()) for b in bars)
    assert heights == [5, 20, 35, 40, 43, 55]
    bold = [t.get_text() for t in ax.get_xticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["B"]
    png(ax)


def test_transfer_flow() -> None:
    result = tabulate(ELECTION, "contingent")
    second = result.rounds[1]
    assert {(t.source.name, t.target.name if t.target else None): t.votes for t in second.transfers} == {
        ("C", "B"): 20,
        ("D", "A"): 3,
        ("D", None): 2,
    }
    ax = plot.transfers(result)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Round 1", "Round 2"]
    labels = {t.get_text() for t in ax.texts}
    assert {"A", "B", "C", "D", "exhausted"} <= labels
    png(ax)


def test_seat_chart_of_a_hand_made_allocation() -> None:
    election = Election.from_counts({"Left": 300, "Centre <&>": 200, "Right": 500}, seats=10)
    left, centre, right = election.candidates
    result = Result(
        rule=rules.get("plurality")(),
        election=election,
        winners=(left, centre, right),
        status="decided",
        rounds=(Round(number=1, tally={left: 300, centre: 200, right: 500}, ballots=1000, continuing=1000),),
        seats=FrozenMap({left: 3, centre: 2, right: 5}),
    )
    ax = plot.seats(result, order=["Right", "Centre <&>", "Left"])
    groups = ax.collections
    assert [len(g.get_offsets()) for g in groups] == [5, 2, 3]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Right (5)", "Centre <&> (2)", "Left (3)"]
    png(ax)


def test_seat_chart_of_a_real_apportionment() -> None:
    election = Election.from_counts({"A": 340_000, "B": 280_000, "C": 160_000}, seats=101)
    ax = plot.seats(tabulate(election, "dhondt"))
    assert sum(len(g.get_offsets()) for g in ax.collections) == 101
    png(ax)


def test_seat_chart_needs_seats() -> None:
    with pytest.raises(MissingDataError, match="no seat allocation"):
        plot.seats(tabulate(ELECTION, "plurality"))


def test_plots_draw_on_given_axes() -> None:
    figure = Figure(figsize=(10, 4))
    left, right = figure.subplots(1, 2)
    result = tabulate(ELECTION, "contingent")
    assert plot.rounds(result, ax=left) is left
    assert plot.transfers(result, ax=right) is right
    png(left)


def test_transfer_flow_of_instant_runoff_takes_each_rounds_transfers() -> None:
    """Instant-runoff records a round's transfers on the round that eliminated their source; the flow
    must still draw each transfer once, between the right two rounds. D 5 (D>C 3, D 2) goes first,
    then C: 20 + 3 = 23 votes, all C>B, to B."""
    election = Election.from_rankings({"A>B": 40, "B>A": 35, "C>B": 20, "D>C": 3, "D": 2})
    result = tabulate(election, "instant-runoff")
    ax = plot.transfers(result)
    drawn = [p for p in ax.patches if type(p).__name__ == "PathPatch"]
    assert len(result.rounds) == 3
    recorded = sum(len(r.transfers) for r in result.rounds)
    kept = sum(len(set(a.tally) & set(b.tally)) for a, b in itertools.pairwise(result.rounds))
    exhausted_carried = 1  # D's 2 exhausted ballots stay exhausted from round 2 to round 3
    assert len(drawn) == recorded + kept + exhausted_carried
    png(ax)


def _path_height(patch: object) -> float:
    vertices = patch.get_path().vertices  # type: ignore[attr-defined]
    return float(vertices[4][1] - vertices[3][1])  # the band's right edge: (x1, y1) to (x1, y1 + h)


def test_transfer_flow_draws_residual_surplus_and_exhausted_votes() -> None:
    """Scottish STV, quota 7: A's surplus of 4 over 11 papers moves at 0.36363 a paper (4/11 truncated
    to five places): 7 to B, 3 to C, 1 exhausted, and 4 - 11 * 0.36363 = 0.00007 is residual surplus.
    D (3, no further preference) is then excluded, exhausted. The flow draws every one of those."""
    election = Election.from_rankings({"A>B": 7, "A>C>B": 3, "A": 1, "B": 2, "C": 4, "D": 3}, seats=2)
    result = tabulate(election, "stv", preset="scotland")
    residual = 4 - 11 * 0.36363
    ax = plot.transfers(result)
    bands = [p for p in ax.patches if type(p).__name__ == "PathPatch"]
    residual_bands = [p for p in bands if p.get_gid() == "residual-surplus"]
    # A's 0.00007 from round 1 to 2, then carried on to every later round
    assert len(residual_bands) == len(result.rounds) - 1
    assert all(_path_height(p) == pytest.approx(residual, abs=1e-9) for p in residual_bands)
    exhausted_bands = sorted(_path_height(p) for p in bands if p.get_gid() == "exhausted")
    # A's exhausted paper (then carried on), D's three papers (then carried on with A's)
    assert exhausted_bands[:2] == pytest.approx([0.36363, 0.36363])
    assert 3 in [pytest.approx(h) for h in exhausted_bands]
    blocks = {
        p.get_gid(): p.get_height()
        for p in ax.patches
        if type(p).__name__ == "Rectangle" and p.get_x() > len(result.rounds) - 1.5  # the last column
    }
    assert blocks["residual-surplus"] == pytest.approx(residual, abs=1e-9)
    assert blocks["exhausted"] == pytest.approx(
        float(sum(t.votes for r in result.rounds for t in r.transfers if t.exhausted))
    )
    labels = {(t.get_gid(), t.get_text()) for t in ax.texts}
    assert {("residual-surplus", "residual surplus"), ("exhausted", "exhausted")} <= labels
    png(ax)


def test_transfer_flow_tells_a_candidate_called_residual_surplus_from_residual_surplus() -> None:
    election = Election.from_rankings({"A>residual surplus": 6, "residual surplus": 2, "C": 3}, seats=2)
    rule = rules.Stv(
        transfer="rctab", decimal_places=4, non_integer_winning_threshold=True, tie_break="candidate-order"
    )
    ax = plot.transfers(tabulate(election, rule))
    last = {(t.get_gid(), t.get_text()) for t in ax.texts if t.get_position()[0] > 1}
    assert {("candidate", "residual surplus"), ("residual-surplus", "residual surplus")} <= last
    png(ax)
