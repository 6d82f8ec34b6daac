"""The HTML reports in a real headless browser: Chromium renders them, not blank, with a silent console.

Skipped when no Chromium is installed, except under CI (``CI=true``), where
``.ci/run`` installs Debian's ``chromium`` and a missing browser is a failure.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import electoral
import electoral.io
from electoral.report import Source, html_report

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_docs_tool_{name}", ROOT / "docs" / "_tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BROWSER = _tool("browser")
CHROMIUM = BROWSER.chromium()
IN_CI = os.environ.get("CI", "").lower() == "true"

#: the reports the docs show (docs/_tools/screenshots.py): (example file, rule, rule options)
REPORTS = [(example, rule, options) for _, example, rule, options in _tool("screenshots").REPORTS]


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        message = f"no headless Chromium found (looked for $CHROMIUM and {', '.join(BROWSER.CANDIDATES)})"
        if IN_CI:
            pytest.fail(message + ": .ci/run installs Debian's chromium, so CI must have it")
        pytest.skip(message)
    return str(CHROMIUM)


def _render(chromium: str, page: str, folder: Path, name: str) -> tuple[np.ndarray, list[str]]:
    import matplotlib.image

    html = folder / f"{name}.html"
    html.write_text(page, encoding="utf-8")
    png = folder / f"{name}.png"
    console = BROWSER.screenshot(chromium, html, png, width=1280, height=1600, timeout=90)
    return np.asarray(matplotlib.image.imread(png)), console


def _ink(pixels: np.ndarray) -> float:
    """The share of pixels that differ from the page's background (its top-left pixel)."""
    rgb = pixels[..., :3]
    return float(np.mean(np.any(np.abs(rgb - rgb[0, 0]) > 0.05, axis=-1)))


@pytest.mark.parametrize(("example", "rule", "options"), REPORTS, ids=[r[0] for r in REPORTS])
def test_the_report_renders_in_chromium(
    chromium: str, tmp_path: Path, example: str, rule: str, options: dict[str, str]
) -> None:
    path = ROOT / "examples" / example
    result = electoral.tabulate(electoral.io.read(path), rule, **options)
    pixels, console = _render(chromium, html_report(result, source=Source.of_file(path)), tmp_path, "report")
    assert console == []
    assert pixels.shape[:2] == (1600, 1280)
    ink = _ink(pixels)
    # text, tables and the chart cover a good part of the page; a blank or error page covers almost none
    assert ink > 0.03, f"the screenshot is nearly blank ({ink:.2%} of its pixels drawn)"
    # the chart's colours are there: a strongly coloured pixel (not grey) in the page
    rgb = pixels[..., :3]
    assert float(np.mean(rgb.max(axis=-1) - rgb.min(axis=-1) > 0.3)) > 0.005


def test_a_report_of_hostile_names_renders_cleanly(chromium: str, tmp_path: Path) -> None:
    names = ['</table></svg><script>console.error("x")</script>', "\"><img src=x onerror='console.error(1)'>"]
    election = electoral.Election.from_rankings([[names[0], names[1]], [names[1]], [names[0]]], title=names[0])
    page = html_report(electoral.tabulate(election, "instant-runoff"))
    pixels, console = _render(chromium, page, tmp_path, "hostile")
    assert console == []
    assert _ink(pixels) > 0.01


def test_the_console_check_can_fail(chromium: str, tmp_path: Path) -> None:
    """A report edited to fetch an image breaks its Content-Security-Policy, and the console says so."""
    election = electoral.Election.from_counts({"Ada": 3, "Bo": 2})
    page = html_report(electoral.tabulate(election, "plurality"))
    tampered = page.replace("<main>", '<main><img src="https://example.invalid/x.png" alt="">', 1)
    _, console = _render(chromium, tampered, tmp_path, "tampered")
    assert any("Content Security Policy" in line for line in console)


def test_a_blank_page_is_seen_as_blank(chromium: str, tmp_path: Path) -> None:
    pixels, console = _render(chromium, "<!DOCTYPE html><html><body></body></html>", tmp_path, "blank")
    assert console == []
    assert _ink(pixels) < 0.001
