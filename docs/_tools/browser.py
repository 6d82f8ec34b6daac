"""Headless Chromium for the HTML report: find the browser, screenshot a page, and read its console.

Used by ``screenshots.py`` (the pictures in the docs) and by the browser
test (``tests/test_report_browser.py``). Only the standard library here; the
caller reads the PNG.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["CANDIDATES", "chromium", "screenshot"]

#: the names Chromium's binary goes by (Debian's package installs ``chromium``)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium() -> str | None:
    """The browser's path: ``$CHROMIUM`` if set, else the first of :data:`CANDIDATES` on the PATH, else None."""
    given = os.environ.get("CHROMIUM")
    if given:
        return shutil.which(given) or None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(
    browser: str, page: Path, png: Path, *, width: int = 1280, height: int = 1600, timeout: float = 90
) -> list[str]:
    """Render ``page`` headless at ``width`` × ``height`` into ``png``; return the console's lines.

    Chromium logs each console message (errors, blocked fetches, CSP
    violations) as a ``CONSOLE`` line on stderr with ``--enable-logging=stderr``.
    Raises ``RuntimeError`` if the browser fails, times out or writes no file.
    """
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="electoral-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            page.resolve().as_uri(),
        ]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{browser} took more than {timeout:g} s to render {page.name}") from None
    if run.returncode != 0 or not png.is_file():
        raise RuntimeError(f"{browser} failed on {page.name} (status {run.returncode}): {run.stderr[-2000:]}")
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
