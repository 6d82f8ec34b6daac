"""No code block of the built HTML docs is cut off behind a scrollbar at 1280 or 1920 px (headless chromium).

The pages are built by ``python -m sphinx -b html docs docs/_build/html``
(.ci/run does it before the tests). Each page is loaded, 1280 and 1920 px wide, in an
iframe of a checking page, and every ``<pre>`` whose content is wider than
its box is reported. Blocks that wrap (the theme wraps a line too long for
the column rather than hide it) are counted too, and must stay few.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "docs" / "_build" / "html"
WIDTHS = (1280, 1920)
#: the most blocks, over all pages, allowed to need wrapping at this width
MOST_WRAPPED = 40

CHECKER = """<!doctype html><html><body><script>
const pages = %s;
function check(url) {
  return new Promise((done) => {
    const frame = document.createElement("iframe");
    frame.style.width = "%dpx"; frame.style.height = "900px";
    frame.onload = () => {
      const page = frame.contentDocument;
      const cut = [], wrapped = [];
      let blocks = 0;
      for (const pre of page.querySelectorAll("pre")) {
        if (pre.clientWidth === 0) continue;  // not shown
        blocks += 1;
        const line = pre.textContent.trim().split("\\n")[0].slice(0, 100);
        if (pre.scrollWidth > pre.clientWidth + 1) cut.push(line);
        const [width, before] = [pre.clientWidth, pre.style.whiteSpace];
        pre.style.whiteSpace = "pre";
        if (pre.scrollWidth > width + 1) wrapped.push(line);
        pre.style.whiteSpace = before;
      }
      // a page wider than the window hides its right edge behind the window's own scrollbar
      if (page.documentElement.scrollWidth > frame.contentWindow.innerWidth + 1) cut.push("(the page itself)");
      done({url, blocks, cut, wrapped});
      frame.remove();
    };
    frame.src = url;
    document.body.appendChild(frame);
  });
}
(async () => {
  const found = [];
  for (const url of pages) found.push(await check(url));
  const out = document.createElement("pre");
  out.id = "widths";
  out.textContent = "WIDTHS" + JSON.stringify(found) + "END";
  document.body.appendChild(out);
})();
</script></body></html>
"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "the width check needs Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_no_code_block_is_cut_off(width: int, tmp_path: Path) -> None:
    if not (HTML / "index.html").is_file():
        pytest.skip("the HTML docs are not built (python -m sphinx -b html docs docs/_build/html)")
    browser = _chromium()
    pages = sorted(p.as_uri() for p in HTML.rglob("*.html") if "_static" not in p.parts and p.name != "genindex.html")
    checker = tmp_path / "check.html"
    checker.write_text(CHECKER % (json.dumps(pages), width), encoding="utf-8")
    run = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
            f"--window-size={width + 40},900",
            "--virtual-time-budget=120000",
            "--dump-dom",
            checker.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    dom = run.stdout
    start = dom.find("WIDTHS[")
    assert start >= 0, f"the checking page did not finish: {run.stderr[-2000:]}"
    found = json.loads(html.unescape(dom[start + 6 : dom.index("]END", start) + 1]))
    assert len(found) == len(pages)
    assert sum(page["blocks"] for page in found) > 100  # the pages were measured, not blank
    cut = {page["url"].rsplit("/html/", 1)[-1]: page["cut"] for page in found if page["cut"]}
    assert not cut, f"code blocks cut off at {width} px: {cut}"
    wrapped = [(page["url"].rsplit("/html/", 1)[-1], line) for page in found for line in page["wrapped"]]
    assert len(wrapped) <= MOST_WRAPPED, wrapped
