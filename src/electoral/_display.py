"""Notebook display: one small mixin and two table renderers, with no IPython dependency."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["MimeBundleMixin", "html_table", "text_table"]


class MimeBundleMixin:
    """Gives ``_repr_mimebundle_`` (plain text and escaped HTML) to a class with ``__str__`` and ``_html``."""

    __slots__ = ()

    def _html(self) -> str:
        return f"<pre>{html.escape(str(self))}</pre>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        return {"text/plain": str(self), "text/html": self._html()}


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = ()) -> str:
    """A plain-text table; columns marked in ``right`` are right-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    align = list(right) + [False] * (len(headers) - len(right))

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, align, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths).rstrip()
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def html_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str = "", marks: Sequence[str] = ()
) -> str:
    """An HTML table with every cell escaped; ``marks`` gives a CSS class per row (or "")."""
    out = ["<table class='electoral'>"]
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    for index, row in enumerate(rows):
        mark = marks[index] if index < len(marks) else ""
        attr = f" class='{html.escape(mark, quote=True)}'" if mark else ""
        out.append(f"<tr{attr}>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
