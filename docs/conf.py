"""Sphinx configuration for electoral's documentation.

Pages are MyST Markdown. Every code example on them is run by the doctest
builder (``python -m sphinx -b doctest docs docs/_build/doctest``), and CI
builds with ``-W --keep-going``, so a warning fails the build.
"""

from __future__ import annotations

import doctest
import re
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the checkout these pages sit in, even when another copy is installed.
sys.path.insert(0, str(ROOT / "src"))

import electoral  # noqa: E402  (after the path is set)

project = "electoral"
author = "The electoral developers"
copyright = "2026, The electoral developers"
release = electoral.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# -- MyST -------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc ------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
# Status is documented (py:data in api/core.md), so it is shown by name and
# linked; other aliases are expanded, which says more than a private name.
autodoc_type_aliases = {"Status": "electoral.Status"}

# -- doctest ------------------------------------------------------------------------
# Only the {doctest}/{testcode} blocks of the pages run here. Docstring examples
# that autodoc brings in are run by pytest (--doctest-modules) with their own
# module's names in scope, which is the context they are written for.
doctest_test_doctest_blocks = ""
# Sphinx's default flags include IGNORE_EXCEPTION_DETAIL, which would let an
# example show any error message at all; the messages are part of what the
# pages document, so they are compared too.
doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
# Pages show paths relative to the repository root, as a reader would type
# them there, so the examples run from the root whatever the build's directory.
doctest_global_setup = f"""
import os as _os
_os.chdir({str(ROOT)!r})
"""

# -- HTML -----------------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"electoral {release}"
html_theme_options = {
    "description": "Exact, explainable counting of elections",
    "fixed_sidebar": True,
    # Result tables and JSON run to about 100 columns; the default 940px cuts them.
    "page_width": "1180px",
}

# -- pages other people write --------------------------------------------------------
# The design notes, the benchmarks, the RCTab page and the changelog are written
# alongside the rest and may be missing from a given checkout. A toctree entry for
# a missing page is a warning (an error under -W), and so is a glob that matches
# nothing, so index.md marks their place with OPTIONAL_MARKER and build_index_toc
# lists the ones that exist.
OPTIONAL_MARKER = "<!-- optional pages -->"
OPTIONAL_PAGES = {
    "design": DOCS / "design.md",
    "benchmarks": DOCS / "benchmarks.md",
    "rctab": DOCS / "rctab.md",
    "changelog": ROOT / "CHANGELOG.md",  # docs/changelog.md includes it
}
if not (ROOT / "CHANGELOG.md").exists():
    exclude_patterns.append("changelog.md")


def build_index_toc(app: Any, docname: str, source: list[str]) -> None:
    if docname != root_doc:
        return
    present = "\n".join(name for name, path in OPTIONAL_PAGES.items() if path.exists())
    source[0] = source[0].replace(OPTIONAL_MARKER, present)


def reread_index(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    # An optional page that appears or goes changes index.md's toctree even
    # though index.md itself did not change.
    return [root_doc]


# Docstrings name pages relative to the documentation root (``:doc:`formats```),
# but Sphinx reads a relative :doc: target from the directory of the page the
# docstring is rendered on (docs/api/...). Anchor them at the root.
_RELATIVE_DOC = re.compile(r":doc:`(?![/.])([^`<>]+?)`")


def anchor_doc_links(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    lines[:] = [_RELATIVE_DOC.sub(r":doc:`/\1`", line) for line in lines]


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", build_index_toc)
    app.connect("env-get-outdated", reread_index)
    app.connect("autodoc-process-docstring", anchor_doc_links)
    return {"parallel_read_safe": True}
