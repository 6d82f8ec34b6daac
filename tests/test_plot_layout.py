"""Plots show in notebooks, and their names and legends stay readable and inside the figure on real elections.

Layout is checked with the renderer's own measures (``get_window_extent``):
no two tick labels overprint, no two names beside a transfer flow overprint,
and every label, title and legend lies within the figure.
"""

from __future__ import annotations

import csv
import io
import itertools
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

import electoral
import electoral.io
from electoral import Election, Result, plot, tabulate

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402  (after the skip: matplotlib is optional)
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imread  # noqa: E402
from matplotlib.text import Text  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def small_result() -> Result:
    return tabulate(Election.from_rankings({"A>B": 40, "B>A": 35, "C>B": 25}, title="Demo"), "contingent")


def laid_out(ax: Axes) -> object:
    """Draw the figure on an Agg canvas and return its renderer, so extents are the drawn ones."""
    canvas = FigureCanvasAgg(ax.get_figure(root=True))
    canvas.draw()
    return canvas.get_renderer()


def assert_apart(texts: Iterable[Text], renderer: object) -> None:
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text()]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overprints {b!r}"


def assert_inside(artists: Iterable[object], ax: Axes, renderer: object) -> None:
    frame = ax.get_figure(root=True).bbox
    for artist in artists:
        box = artist.get_window_extent(renderer)  # type: ignore[attr-defined]
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert inside, f"{artist} at {box} leaves the figure {frame}"


def check_layout(ax: Axes) -> None:
    renderer = laid_out(ax)
    ticks = [t for t in ax.get_xticklabels() if t.get_text()] if ax.axison else []
    assert_apart(ticks, renderer)
    shown = [t for t in [*ticks, ax.title, *ax.texts] if t.get_text()]
    shown.extend(legend for legend in [ax.get_legend(), *ax.get_figure(root=True).legends] if legend is not None)
    assert_inside(shown, ax, renderer)
    if ax.texts:  # the names beside a transfer flow's first and last columns
        last = len(ax.get_xticks()) - 1
        for column in (0, last):
            assert_apart([t for t in ax.texts if round(t.get_position()[0]) == column], renderer)


def blt(shared_data: Path, name: str) -> Election:
    return electoral.io.read(next((shared_data / "scottish-council-stv" / "blt_files").glob(f"*/{name}.blt")))


# Aberdeen 2012 ward 13: names such as 'Ind "Andrew William FINLAYSON"', which overprinted side by side.
# Ward 12 has 12 candidates, Glasgow 2012 ward 5 has 14 and 13 rounds.
WARDS = ["aberdeen_2012_ward13", "aberdeen_2012_ward12", "glasgow_2012_ward5"]


@pytest.mark.parametrize("ward", WARDS)
@pytest.mark.parametrize("draw", [plot.rounds, plot.transfers])
def test_scottish_wards_keep_their_names_apart(shared_data: Path, ward: str, draw: Callable[..., Axes]) -> None:
    result = tabulate(blt(shared_data, ward), "stv", preset="scotland")
    ax = draw(result)
    if draw is plot.rounds:
        names = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
        assert names == [" ".join(c.name.split()) for c in result.election.candidates]
    check_layout(ax)


@pytest.mark.parametrize("example", ["burlington-2009.json", "shetland-2012-north-isles.blt"])
@pytest.mark.parametrize("draw", [plot.rounds, plot.transfers])
def test_bundled_ranked_examples_keep_their_names_apart(example: str, draw: Callable[..., Axes]) -> None:
    election = electoral.io.read(EXAMPLES / example)
    result = (
        tabulate(election, "stv", preset="scotland") if election.seats > 1 else tabulate(election, "instant-runoff")
    )
    check_layout(draw(result))


def test_twelve_first_round_candidates_with_a_hyphenated_name() -> None:
    """France 2022, round 1: twelve names side by side; "Dupont-Aignan" breaks after its hyphen."""
    result = tabulate(electoral.io.read(EXAMPLES / "france-2022-round1.json"), "plurality")
    ax = plot.rounds(result)
    assert "Dupont-\nAignan" in [t.get_text() for t in ax.get_xticklabels()]
    assert ax.get_legend() is None  # one round: nothing for a legend to tell apart
    check_layout(ax)


def kyrgyzstan_2015() -> Result:
    return tabulate(
        electoral.io.read(EXAMPLES / "kyrgyzstan-2015.json"),
        "largest-remainder",
        threshold="7%",
        threshold_of="cast",
        cap=65,
        ineligible=["Other lists (combined)", "Against all"],
    )


def new_zealand_2020() -> Result:
    return tabulate(
        electoral.io.read(EXAMPLES / "new-zealand-2020.json"),
        "sainte-lague",
        threshold="5%",
        also_qualify="Māori Party",
        also_qualify_reason="won an electorate seat",
        ineligible="Other parties (combined)",
    )


@pytest.mark.parametrize("count", [kyrgyzstan_2015, new_zealand_2020])
def test_seat_chart_legends_stay_inside_the_figure(count: Callable[[], Result]) -> None:
    """Kyrgyzstan 2015's legend of six lists was clipped at both edges of the figure."""
    result = count()
    ax = plot.seats(result)
    assert result.seats is not None
    held = {c.name: n for c, n in result.seats.items() if n}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"{name} ({n})" for name, n in held.items()]
    check_layout(ax)


def test_seat_chart_of_long_party_names(shared_data: Path) -> None:
    """Spain, European Parliament 1999: 64 seats by D'Hondt in one national district; eight lists win
    seats, some with names of 45 letters, so the legend needs fewer columns than four."""
    with (shared_data / "parliaments" / "es" / "es_euro_1999" / "votes.csv").open(encoding="utf-8") as file:
        votes = {row["party"]: int(row["votes"]) for row in csv.DictReader(file)}
    result = tabulate(Election.from_counts(votes, seats=64), "dhondt")
    ax = plot.seats(result)
    assert sum(len(g.get_offsets()) for g in ax.collections) == 64
    check_layout(ax)
    assert ax.get_legend()._ncols < 4


# -- notebooks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "result"),
    [(plot.rounds, small_result), (plot.transfers, small_result), (plot.seats, kyrgyzstan_2015)],
)
def test_the_axes_made_here_render_as_png(draw: Callable[..., Axes], result: Callable[[], Result]) -> None:
    ax = draw(result())
    data, metadata = ax._repr_png_()  # type: ignore[attr-defined]
    assert data.startswith(PNG_SIGNATURE)
    figure = ax.get_figure(root=True)
    pixels = imread(io.BytesIO(data))
    # twice the figure's size in pixels (sharp on dense screens), to be shown at the figure's own width
    assert pixels.shape[:2] == (
        round(2 * figure.get_figheight() * figure.dpi),
        round(2 * figure.get_figwidth() * figure.dpi),
    )
    assert metadata == {"width": round(figure.get_figwidth() * figure.dpi)}
    assert pixels[..., :3].std() > 0.01


def test_ipython_displays_a_plot_as_a_picture() -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    data, metadata = formatters.DisplayFormatter().format(plot.rounds(small_result()))
    assert data["image/png"].startswith(PNG_SIGNATURE)
    assert metadata["image/png"]["width"] > 0


def test_given_axes_are_returned_as_they_are() -> None:
    figure = Figure()
    ax = figure.subplots()
    assert plot.rounds(small_result(), ax=ax) is ax
    assert type(ax) is Axes  # the caller's own axes: not replaced, not changed in kind


def test_a_figure_with_a_plot_still_pickles() -> None:
    ax = plot.transfers(small_result())
    again = pickle.loads(pickle.dumps(ax.get_figure(root=True)))
    (copy,) = again.axes
    assert [t.get_text() for t in copy.get_xticklabels()] == ["Round 1", "Round 2"]
    assert copy._repr_png_()[0].startswith(PNG_SIGNATURE)


@pytest.mark.slow
def test_a_notebook_cell_ending_in_a_plot_call_shows_the_picture(tmp_path: Path) -> None:
    """Run a real notebook in a real kernel, with no magics and no pyplot: the cell's result is a PNG."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    source = Path(electoral.__file__).resolve().parents[1]
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(f"import sys\nsys.path.insert(0, {str(source)!r})"),
            nbformat.v4.new_code_cell(
                "import electoral, electoral.io\nfrom electoral import plot\n"
                f"result = electoral.tabulate(electoral.io.read({str(EXAMPLES / 'burlington-2009.json')!r}), "
                "'instant-runoff')\nplot.transfers(result)"
            ),
            nbformat.v4.new_code_cell("import sys\n'matplotlib.pyplot' in sys.modules"),
        ]
    )
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    (output,) = notebook.cells[1].outputs
    assert output["output_type"] == "execute_result"
    assert "image/png" in output["data"]
    assert output["metadata"]["image/png"]["width"] > 0
    assert notebook.cells[2].outputs[0]["data"]["text/plain"] == "False"  # no pyplot was needed


def test_without_matplotlib_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    ranked, lists = small_result(), kyrgyzstan_2015()
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    for draw, result in [(plot.rounds, ranked), (plot.transfers, ranked), (plot.seats, lists)]:
        with pytest.raises(ImportError, match=r"pip install 'electoral\[plot\]'"):
            draw(result)
