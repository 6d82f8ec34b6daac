"""What the plots of :mod:`electoral.plot` share: the lazy matplotlib check, new axes, text measures, legends, palette.

Imported at module level by :mod:`electoral.plot` and its private drawing
modules, so it imports matplotlib only inside its functions (matplotlib is
an optional extra).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

from electoral.errors import MissingDataError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

__all__ = ["OKABE_ITO", "figure_of", "fit_legend", "need_matplotlib", "new_axes", "text_width"]

#: The Okabe–Ito palette without its black (Okabe and Ito, *Color Universal Design*, 2008), in the order of
#: the report's candidate tones: distinct for readers with each common kind of colour blindness.
OKABE_ITO: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00", "#56B4E9")


def need_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError("electoral.plot needs matplotlib: pip install 'electoral[plot]'") from error


def new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or axes on a new figure of ``size`` inches (constrained layout, no pyplot) shown in notebooks."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    from electoral._plot_axes import ShownAxes

    axes: Axes = Figure(figsize=size, layout="constrained").subplots(subplot_kw={"axes_class": ShownAxes})
    return axes


def figure_of(ax: Axes) -> Figure:
    figure = ax.get_figure(root=True)
    if figure is None:
        raise MissingDataError("the axes given as ax belong to no figure, so their labels cannot be measured")
    return figure


@functools.cache
def _text_measure() -> TextToPath:
    from matplotlib.textpath import TextToPath

    return TextToPath()


def text_width(text: str, prop: FontProperties) -> float:
    """The width of one line of text in points, from the font's metrics (the same at any dpi)."""
    width, _, _ = _text_measure().get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def fit_legend(ax: Axes, columns: int, **options: object) -> None:
    """A legend under the axes, in as many columns (at most ``columns``) as fit across the figure."""
    figure = figure_of(ax)
    for ncols in range(columns, 0, -1):
        legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=ncols, frameon=False, **options)
        for text in legend.get_texts():
            text.set_parse_math(False)
        # measured out of the layout: a legend too wide for the figure would squeeze the axes to nothing
        legend.set_in_layout(False)
        fits = legend.get_window_extent().width <= 0.96 * figure.bbox.width
        legend.set_in_layout(True)
        if fits:
            return
