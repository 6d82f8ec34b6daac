"""Notebook display: one small mixin, table renderers and the scoped stylesheet, with no IPython dependency.

Every HTML fragment the library shows is wrapped by :func:`html_block` in a
``<div class="electoral-out ...">`` that carries its own ``<style>``: every
selector of :data:`STYLE` starts with ``.electoral-out``, so the fragment
styles nothing else on the page. The colours are Okabe–Ito sky blue
(elected; blue for majorities for), bluish green (advances) and orange
(eliminated, majorities against), laid as
translucent tints under text of the page's own colour (``currentColor``),
so they read on light and dark themes alike and for colour-blind readers;
every mark is also written out as a word or a symbol. The markup is
well-formed XML as well as HTML (no ``>`` in the stylesheet, no named
entities), which the tests check by parsing it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any, Final

__all__ = [
    "STYLE",
    "MimeBundleMixin",
    "TextTable",
    "escape",
    "html_block",
    "html_table",
    "split_text_tables",
    "text_table",
]

# C0/C1 controls (but tab and newline) and lone surrogates: nothing a page can hold, shown as U+FFFD
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def escape(value: object) -> str:
    """``value`` as text safe in HTML, SVG and XML, in element content and in quoted attributes.

    >>> escape("<b>A & 'B'</b>\x07")
    '&lt;b&gt;A &amp; &#x27;B&#x27;&lt;/b&gt;\ufffd'
    """
    return html.escape(_UNSAFE.sub("\ufffd", str(value)), quote=True)


#: The stylesheet of every fragment, scoped to ``.electoral-out`` (see the module notes).
STYLE: Final = (
    ".electoral-out{color:inherit;background:transparent;line-height:1.4;max-width:100%;overflow-x:auto}"
    ".electoral-out .eo-title{font-size:1.15em;font-weight:600;margin:.2em 0}"
    ".electoral-out .eo-rule,.electoral-out .eo-legend{opacity:.8;font-size:.9em;margin:.2em 0}"
    ".electoral-out .eo-headline{font-weight:600;margin:.4em 0}"
    ".electoral-out .eo-caveat{font-style:italic;margin:.2em 0}"
    ".electoral-out h4{font-size:1em;margin:.8em 0 .2em}"
    ".electoral-out table{border-collapse:collapse;margin:.3em 0 .8em;font-variant-numeric:tabular-nums;"
    "background:transparent;color:inherit;border:none}"
    ".electoral-out caption{text-align:left;font-weight:600;padding:.2em 0;caption-side:top;color:inherit}"
    ".electoral-out th,.electoral-out td{padding:.2em .6em;text-align:left;vertical-align:top;"
    "border:none;border-bottom:1px solid rgba(127,127,127,.35);background:transparent;color:inherit}"
    ".electoral-out thead th{border-bottom:2px solid currentColor}"
    ".electoral-out .num{text-align:right}"
    ".electoral-out td.num{white-space:nowrap}"
    ".electoral-out tbody th{white-space:nowrap}"
    ".electoral-out tr.elected td,.electoral-out tr.elected th,.electoral-out td.elected"
    "{background:rgba(86,180,233,.3)}"
    ".electoral-out tr.advances td,.electoral-out tr.advances th,.electoral-out td.advances"
    "{background:rgba(0,158,115,.22)}"
    ".electoral-out tr.eliminated td,.electoral-out tr.eliminated th,.electoral-out td.eliminated"
    "{background:rgba(230,159,0,.26)}"
    ".electoral-out tr.set-aside td,.electoral-out tr.set-aside th,.electoral-out tr.more td"
    "{font-style:italic;opacity:.85}"
    ".electoral-out .eo-mark{font-weight:600}"
    ".electoral-out td.win{font-weight:700}"
    ".electoral-out details{margin:.3em 0}"
    ".electoral-out summary{cursor:pointer}"
    ".electoral-out pre{background:transparent;color:inherit}"
    # dark themes (the browser's, or JupyterLab's): the same hues, a little stronger
    "@media (prefers-color-scheme: dark){.electoral-out tr.elected td,.electoral-out tr.elected th,"
    ".electoral-out td.elected{background:rgba(86,180,233,.38)}}"
    "[data-jp-theme-light='false'] .electoral-out tr.elected td,[data-jp-theme-light='false']"
    " .electoral-out tr.elected th,[data-jp-theme-light='false'] .electoral-out td.elected"
    "{background:rgba(86,180,233,.38)}"
    "[data-jp-theme-light='false'] .electoral-out tr.eliminated td,[data-jp-theme-light='false']"
    " .electoral-out tr.eliminated th,[data-jp-theme-light='false'] .electoral-out td.eliminated"
    "{background:rgba(230,159,0,.34)}"
)


def html_block(kind: str, body: str) -> str:
    """``body`` in the scoped wrapper ``<div class="electoral-out electoral-KIND">`` with :data:`STYLE`."""
    return f"<div class='electoral-out electoral-{escape(kind)}'><style>{STYLE}</style>{body}</div>"


class MimeBundleMixin:
    """Gives ``_repr_mimebundle_`` (plain text and escaped HTML) to a class with ``__str__`` and ``_html``."""

    __slots__ = ()

    def _html(self) -> str:
        return html_block("text", f"<pre>{escape(str(self))}</pre>")

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
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str = "",
    marks: Sequence[str] = (),
    right: Sequence[bool] = (),
    row_headers: bool = False,
) -> str:
    """An HTML table with every cell escaped.

    ``marks`` gives a CSS class per row (or ""); columns marked in ``right``
    are numeric (right-aligned); with ``row_headers`` each row's first cell
    is a ``<th scope="row">``.
    """
    align = list(right) + [False] * (len(headers) - len(right))

    def cls(index: int) -> str:
        return " class='num'" if index < len(align) and align[index] else ""

    out = ["<table class='electoral'>"]
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f"<th scope='col'{cls(i)}>{escape(h)}</th>" for i, h in enumerate(headers))
        + "</tr></thead><tbody>"
    )
    for index, row in enumerate(rows):
        mark = marks[index] if index < len(marks) else ""
        attr = f" class='{escape(mark)}'" if mark else ""
        cells = []
        for i, cell in enumerate(row):
            tag = "th scope='row'" if row_headers and i == 0 else "td"
            cells.append(f"<{tag}{cls(i)}>{escape(cell)}</{tag.split()[0]}>")
        out.append(f"<tr{attr}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


class TextTable:
    """A table found in text that :func:`text_table` laid out: its headers, rows and numeric columns."""

    __slots__ = ("headers", "right", "rows")

    def __init__(self, headers: list[str], rows: list[list[str]], right: list[bool]) -> None:
        self.headers, self.rows, self.right = headers, rows, right


_RULE = re.compile(r"^-+(?:  +-+)*$")
_NUMBER = re.compile(r"^[-+]?[\d,.]+%?$")


def split_text_tables(text: str) -> list[str | TextTable]:
    """Cut ``text`` into runs of prose and the tables :func:`text_table` laid out in it.

    A table is a header line followed by a rule of dashes; its rows run to
    the next blank line or the end. Columns are read from the rule's dash
    runs, which :func:`text_table` makes as wide as each column, so the cells
    come back exactly. A column whose cells are all figures is numeric.

    >>> blocks = split_text_tables("Seats:\\n" + text_table(["list", "seats"], [["A", "3"], ["B", "12"]]))
    >>> blocks[0], blocks[1].headers, blocks[1].rows, blocks[1].right
    ('Seats:', ['list', 'seats'], [['A', '3'], ['B', '12']], [False, True])
    """
    lines = text.split("\n")
    out: list[str | TextTable] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i].strip() and _RULE.match(lines[i + 1]):
            spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[i + 1])]
            starts = [s for s, _ in spans]

            def cells(line: str, starts: list[int] = starts) -> list[str]:
                bounds = [*starts[1:], None]
                return [line[s:e].strip() for s, e in zip(starts, bounds, strict=True)]

            headers = cells(lines[i])
            j = i + 2
            rows: list[list[str]] = []
            while j < len(lines) and lines[j].strip():
                rows.append(cells(lines[j]))
                j += 1
            right = [bool(column) and all(_NUMBER.match(c) for c in column if c) for column in zip(*rows, strict=True)]
            if prose:
                out.append("\n".join(prose))
                prose = []
            out.append(TextTable(headers, rows, right or [False] * len(headers)))
            i = j
            continue
        prose.append(lines[i])
        i += 1
    if prose and any(p.strip() for p in prose):
        out.append("\n".join(prose).strip("\n"))
    return out
