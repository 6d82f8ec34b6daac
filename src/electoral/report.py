"""A result as one self-contained HTML page, to save, mail, print or publish.

:func:`html_report` writes the page: the summary, the votes of every
candidate in every round, a flow chart in SVG (the transfers between rounds,
or each list's votes beside its seats), the transfers, each round's note,
the ties and how each was broken, the rule's options, and the provenance of
the input (each file's name, size and SHA-256, and the electoral version).
It needs no network and runs no script: the CSS and SVG are inline, and the
page's Content-Security-Policy forbids every fetch. It follows the reader's
light or dark theme and prints cleanly.

>>> import electoral
>>> from electoral.report import Source, html_report
>>> e = electoral.Election.from_counts({"Ada": 3, "Bo": 2}, title="Club <chair>")
>>> page = html_report(electoral.tabulate(e, "plurality"), source=Source.of_bytes(b"...", name="club.json"))
>>> page.startswith("<!DOCTYPE html>"), "Club &lt;chair&gt;" in page, "<script" in page
(True, True, False)
"""

from __future__ import annotations

from electoral._report import Source, SourceLike, html_report, rctab_sources

__all__ = ["Source", "SourceLike", "html_report", "rctab_sources"]
