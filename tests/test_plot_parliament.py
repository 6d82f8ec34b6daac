"""The parliament plots: a hemicycle of seat totals and a grid of districts, drawn on real parliaments.

Expected figures: Spain's Congreso 2004 seats come from the bundled file
``examples/spain-2004-congreso-seats.csv`` (its source is in examples/README.md);
New Zealand 2020 is counted from its bundled party votes as the gallery counts it,
and its seats (Labour 65, National 33, Green 10, ACT 10, Māori Party 2) are the
Electoral Commission's final result; Norway 2009 is read from the shared data
(``no_stortingsvalg_2009/expected_seats.csv``) when it is there.
"""

from __future__ import annotations

import csv
import io
import itertools
import math

import pytest
from tests._parliaments import SHARED, spain

import electoral
from electoral import plot
from electoral._plot_seats import hemicycle_points
from electoral.errors import SeatsError

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402  (after the skip: matplotlib is optional)
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import imread  # noqa: E402


def new_zealand() -> dict[str, int]:
    result = electoral.tabulate(
        electoral.examples.load("new-zealand-2020"),
        "sainte-lague",
        threshold="5%",
        also_qualify="Māori Party",
        also_qualify_reason="won an electorate seat",
        ineligible="Other parties (combined)",
    )
    assert result.seats is not None
    return {c.name: n for c, n in result.seats.items() if n}


def norway() -> dict[tuple[str, str], int]:
    folder = SHARED / "no" / "no_stortingsvalg_2009"
    if not folder.is_dir():
        pytest.skip("the shared parliaments data is not here (set ELECTORAL_SHARED)")
    with (folder / "expected_seats.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        (r["district"], r["party"]): int(r["seats"])
        for r in rows
        if r["district"] != "*" and r["source"] == "computed" and r["step"] == "total"
    }


def seat_patches(ax: Axes) -> dict[str, list[object]]:
    return {c.get_gid(): c.get_paths() for c in ax.collections if isinstance(c, PatchCollection)}


def inside(inner: object, outer: object, slack: float = 0.5) -> bool:
    return (
        inner.x0 >= outer.x0 - slack  # type: ignore[attr-defined]
        and inner.y0 >= outer.y0 - slack  # type: ignore[attr-defined]
        and inner.x1 <= outer.x1 + slack  # type: ignore[attr-defined]
        and inner.y1 <= outer.y1 + slack  # type: ignore[attr-defined]
    )


def assert_seats_inside(ax: Axes) -> None:
    figure = ax.figure
    figure.draw_without_rendering()
    for collection in ax.collections:
        if isinstance(collection, PatchCollection):
            for path in collection.get_paths():
                box = path.get_extents(collection.get_transform())
                assert inside(box, ax.bbox), collection.get_gid()


def assert_legend_inside(ax: Axes) -> None:
    figure = ax.figure
    figure.draw_without_rendering()
    legend = ax.get_legend()
    assert legend is not None
    assert inside(legend.get_window_extent(), figure.bbox)
    title = ax.title.get_window_extent()
    assert not title.overlaps(legend.get_window_extent())


def png(ax: Axes) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert imread(io.BytesIO(data))[..., :3].std() > 0.01  # something was drawn
    return data


@pytest.mark.parametrize("total", [1, 2, 3, 10, 59, 101, 120, 169, 350, 598, 650, 700])
def test_hemicycle_points_one_per_seat_without_overlap(total: int) -> None:
    points, size = hemicycle_points(total)
    assert len(points) == total
    assert all(math.hypot(x, y) <= 1 + 1e-9 and y >= -1e-9 for x, y in points)
    closest = min((math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :]), default=math.inf)
    assert closest >= size - 1e-9  # seats do not overlap
    angles = [math.atan2(y, x) for x, y in points]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(angles)), "not left to right"  # so each party is a wedge


def test_hemicycle_rows_grow_with_their_radius() -> None:
    points, _ = hemicycle_points(350)
    rows: dict[float, int] = {}
    for x, y in points:
        radius = round(math.hypot(x, y), 6)
        rows[radius] = rows.get(radius, 0) + 1
    radii = sorted(rows)
    density = [rows[r] / r for r in radii]  # seats per unit of radius: the same in every row, up to rounding
    assert max(density) - min(density) <= 2 / radii[0]
    assert len(radii) >= 8


def test_hemicycle_spain_2004() -> None:
    totals, _ = spain()
    order = list(totals)  # as the file lists them
    ax = plot.hemicycle(totals, title="Congreso de los Diputados, 2004")
    patches = seat_patches(ax)
    assert list(patches) == order
    assert {p: len(v) for p, v in patches.items()} == totals
    assert sum(totals.values()) == 350
    assert_seats_inside(ax)
    assert_legend_inside(ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "PARTIDO SOCIALISTA OBRERO ESPAÑOL (164)"
    assert ax.get_title() == "Congreso de los Diputados, 2004"
    assert [line.get_gid() for line in ax.lines] == ["majority"]
    png(ax)


def test_hemicycle_new_zealand_2020_in_order() -> None:
    totals = new_zealand()
    assert totals == {"Labour": 65, "National": 33, "Green": 10, "ACT": 10, "Māori Party": 2}
    order = ["Green", "Labour", "Māori Party", "ACT", "National"]
    ax = plot.hemicycle(totals, order=order)
    assert list(seat_patches(ax)) == order
    assert ax.get_title() == "120 seats, 61 for a majority"
    assert_seats_inside(ax)
    assert_legend_inside(ax)
    png(ax)


@pytest.mark.parametrize(
    ("parties", "total"),
    [(p, t) for p in (2, 7, 8, 15, 30) for t in (10, 120, 700) if p <= t],  # every party has a seat
)
def test_hemicycle_legend_stays_inside(parties: int, total: int) -> None:
    share = [total // parties] * parties
    share[0] += total - sum(share)
    totals = {f"The {i} Party for Long Names and Longer Manifestos": n for i, n in enumerate(share)}
    ax = plot.hemicycle(totals)
    assert sum(len(v) for v in seat_patches(ax).values()) == total
    assert_seats_inside(ax)
    assert_legend_inside(ax)


def test_hemicycle_shapes_tell_apart_parties_beyond_the_palette() -> None:
    ax = plot.hemicycle({f"P{i}": 3 for i in range(9)})
    faces = [tuple(c.get_facecolor()[0]) for c in ax.collections if isinstance(c, PatchCollection)]
    assert len(set(faces[:7])) == 7  # seven distinct Okabe–Ito colours
    assert faces[7] == faces[0]  # then the colours come round again ...
    markers = [h.get_marker() for h in ax.get_legend().legend_handles]
    assert markers[:7] == ["o"] * 7
    assert markers[7] == "s"


def test_hemicycle_colours_and_no_majority_on_given_axes() -> None:
    figure = Figure()
    given = figure.add_subplot()
    ax = plot.hemicycle({"A": 3, "B": 2}, ax=given, colours={"A": "black"}, majority=False)
    assert ax is given
    assert ax.lines == [] or all(line.get_gid() != "majority" for line in ax.lines)
    assert ax.get_title() == "5 seats"
    assert tuple(ax.collections[0].get_facecolor()[0]) == (0.0, 0.0, 0.0, 1.0)


@pytest.mark.parametrize(
    ("totals", "message"),
    [({"A": -1}, "'A' has -1 seats"), ({"A": 1.5}, "'A' has 1.5 seats"), ({3: 1}, "not 3")],
)
def test_hemicycle_bad_totals(totals: dict[object, object], message: str) -> None:
    with pytest.raises(SeatsError, match=message):
        plot.hemicycle(totals)  # type: ignore[arg-type]


def test_hemicycle_order_may_name_parties_without_seats_but_no_others() -> None:
    ax = plot.hemicycle({"A": 1, "B": 1, "Z": 0}, order=["Z", "B", "A"])
    assert list(seat_patches(ax)) == ["B", "A"]
    with pytest.raises(SeatsError, match="'C' is not one of the parties"):
        plot.hemicycle({"A": 1, "B": 1}, order=["B", "C"])


def tiles(ax: Axes) -> list[str]:
    from matplotlib.patches import Rectangle

    return [p.get_gid() for p in ax.patches if isinstance(p, Rectangle) and p.get_gid()]


def test_districts_spain_2004() -> None:
    totals, seats = spain()
    ax = plot.districts(seats, title="Congreso 2004")
    names = tiles(ax)
    assert len(names) == 52
    assert names[0] == "A Coruña"
    assert names[-1] == "Zaragoza"
    assert names.index("Ávila") < names.index("Badajoz")
    assert {p: len(v) for p, v in seat_patches(ax).items()} == totals
    assert_seats_inside(ax)
    assert_legend_inside(ax)
    for text in ax.texts:  # each tile's name fits its tile
        frame = next(p for p in ax.patches if p.get_gid() and text.get_text().startswith(p.get_gid()[:5]))
        assert text.get_window_extent().width <= frame.get_window_extent().width
    png(ax)


def test_districts_norway_2009_in_a_given_order() -> None:
    seats = norway()
    order = sorted({d for d, _ in seats}, key=lambda d: int(d.rsplit("[", 1)[1].rstrip("]")))  # the official numbers
    ax = plot.districts(seats, order=order)
    assert tiles(ax) == order
    assert len(order) == 19
    totals = {p: len(v) for p, v in seat_patches(ax).items()}
    # the Storting 2009 seats, valgresultat.no: Ap 64, FrP 41, H 30, SV 11, Sp 11, KrF 10, V 2 (169 seats)
    assert sorted(totals.values(), reverse=True) == [64, 41, 30, 11, 11, 10, 2]
    assert_seats_inside(ax)
    assert_legend_inside(ax)
    png(ax)


def test_districts_tile_holds_its_seats_in_party_order() -> None:
    seats = {("North", "Red"): 2, ("North", "Blue"): 1, ("South", "Blue"): 3, ("South", "Green"): 0}
    ax = plot.districts(seats, parties=["Green", "Red", "Blue"], columns=1)
    assert tiles(ax) == ["North", "South"]
    assert [c.get_gid() for c in ax.collections] == ["Red", "Blue"]
    assert [len(c.get_paths()) for c in ax.collections] == [2, 4]
    assert [t.get_text() for t in ax.texts] == ["North (3)", "South (3)"]


def test_districts_long_name_is_shortened() -> None:
    name = "Santa Cruz de Tenerife y las Islas Afortunadas del Océano Atlántico"
    ax = plot.districts({(name, "A"): 1, ("B", "A"): 1}, columns=2)
    shown = [t.get_text() for t in ax.texts]
    assert shown[0] == "B (1)"
    assert shown[1].endswith("…") or "\n" in shown[1]


def test_districts_bad_seats() -> None:
    with pytest.raises(SeatsError, match="'A' in 'North' has -2 seats"):
        plot.districts({("North", "A"): -2})
    with pytest.raises(SeatsError, match="'Mars' is not one of the districts"):
        plot.districts({("North", "A"): 2}, order=["Mars"])
    with pytest.raises(SeatsError, match="not 'North'"):
        plot.districts({"North": 2})  # type: ignore[dict-item]
