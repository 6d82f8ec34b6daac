"""The axes class of the figures that :mod:`electoral.plot` makes, which a notebook shows as a picture.

IPython shows an object as an image when it has a ``_repr_png_`` method, so
a plot call as the last expression of a cell displays its figure without
pyplot or a ``%matplotlib`` magic. Imported only by :mod:`electoral.plot`,
when a plot is drawn: matplotlib is an optional extra. The class lives at
module level so that figures holding it still pickle.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes

__all__ = ["ShownAxes"]


class ShownAxes(Axes):
    """Axes that IPython and Jupyter display as a picture of their whole figure."""

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        """The figure as PNG at twice its resolution, with the width to show it at (sharp on dense screens)."""
        figure = self.get_figure(root=True)
        assert figure is not None  # axes made by electoral.plot always belong to a figure
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=2 * figure.dpi)
        return buffer.getvalue(), {"width": round(figure.get_figwidth() * figure.dpi)}
