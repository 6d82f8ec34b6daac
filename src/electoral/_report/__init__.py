"""The self-contained HTML report (see :mod:`electoral.report`)."""

from __future__ import annotations

from electoral._report._page import SourceLike, html_report
from electoral._report._source import Source, rctab_sources

__all__ = ["Source", "SourceLike", "html_report", "rctab_sources"]
