"""Sphinx configuration for electoral's documentation.

Pages are MyST Markdown. The tutorials are MyST-NB text notebooks, executed
when the HTML is built so that every output on them is the library's own;
the figures they state are checked by hidden ``assert`` cells, and a cell
that raises fails the build. The code examples of the other pages are run by
the doctest builder (``python -m sphinx -b doctest docs docs/_build/doctest``).
CI builds with ``-W --keep-going``, so a warning fails the build.
"""

from __future__ import annotations

import doctest
import os
import re
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# Document the checkout these pages sit in, even when another copy is installed.
sys.path.insert(0, str(ROOT / "src"))
# ... and in the kernels that execute the tutorials, which inherit the environment.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
# The tutorials that compare with real data find it as the tests do (see tests/conftest.py).
os.environ.setdefault("ELECTORAL_SHARED", str(ROOT.parent / "shared"))

import electoral  # noqa: E402  (after the path is set)

project = "electoral"
author = "The electoral developers"
copyright = "2026, The electoral developers"
release = electoral.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",  # the MyST parser, and the execution of text notebooks
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "cli_reference",  # docs/_ext: the options of every command, from electoral.cli's parser
]
sys.path.insert(0, str(DOCS / "_ext"))

root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# -- MyST -------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- MyST-NB: the tutorials are executed at every build ---------------------------
# "force" rather than "cache": a cache keyed on the notebook's text would keep
# showing old outputs after the library's output changed.
nb_execution_mode = "force"
nb_execution_timeout = 120  # seconds for one cell
nb_execution_raise_on_error = True
nb_execution_show_tb = True  # a failing cell's traceback goes to the build log
nb_merge_streams = True

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
html_theme = "furo"
html_title = f"electoral {release}"
html_static_path = ["_static"]
# A wider text column than the theme's 46em: result tables, JSON and commands run
# to about 100 columns, and lines of code to ruff's 120 (see _static/wide.css).
html_css_files = ["wide.css"]

# -- pages other people write --------------------------------------------------------
# The design notes, the benchmarks, the RCTab page, the gallery, the HTML report
# page and the changelog are written alongside the rest and may be missing from a
# given checkout. A toctree entry for a missing page is a warning (an error under
# -W), and so is a glob that matches nothing, so index.md marks their places with
# "<!-- optional: NAME ... -->" and build_index_toc lists the ones that exist.
OPTIONAL_MARKER = re.compile(r"<!-- optional: ([a-z0-9 -]+?) -->")
OPTIONAL_PAGES = {
    "design": DOCS / "design.md",
    "benchmarks": DOCS / "benchmarks.md",
    "rctab": DOCS / "rctab.md",
    "gallery": DOCS / "gallery.md",
    "report": DOCS / "report.md",
    "changelog": ROOT / "CHANGELOG.md",  # docs/changelog.md includes it
}
if not (ROOT / "CHANGELOG.md").exists():
    exclude_patterns.append("changelog.md")


def _present(match: re.Match[str]) -> str:
    return "\n".join(name for name in match[1].split() if OPTIONAL_PAGES[name].exists())


def build_index_toc(app: Any, docname: str, source: list[str]) -> None:
    if docname != root_doc:
        return
    source[0] = OPTIONAL_MARKER.sub(_present, source[0])


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


def skip_execution_for_doctest(app: Any) -> None:
    # The doctest builder runs the pages' {doctest} blocks; the tutorials are
    # executed (and their figures checked) by the HTML build.
    if app.builder.name == "doctest":
        app.config.nb_execution_mode = "off"


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", skip_execution_for_doctest, priority=100)  # before MyST-NB reads its settings
    app.connect("source-read", build_index_toc)
    app.connect("env-get-outdated", reread_index)
    app.connect("autodoc-process-docstring", anchor_doc_links)
    return {"parallel_read_safe": True}
