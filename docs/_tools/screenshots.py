"""Write the screenshots of the HTML report that docs/report.md shows.

Run from the repository's root, with headless Chromium installed (Debian:
``apt-get install chromium``; or set ``CHROMIUM`` to the browser)::

    python docs/_tools/screenshots.py

It counts three bundled examples (Burlington 2009 under instant-runoff, the
Shetland North Isles ward under Scottish STV, New Zealand 2020 under
Sainte-Laguë), writes each report, renders it at 1280 × 1600 px, and saves
the PNGs in ``docs/_static/reports/``, reduced to a palette of 256 colours to keep them
small. It fails if the browser reports anything on its console.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import chromium, screenshot  # noqa: E402

#: (picture name, example file, rule, rule options)
REPORTS = (
    ("burlington-2009", "burlington-2009.json", "instant-runoff", {}),
    ("shetland-2012-north-isles", "shetland-2012-north-isles.blt", "stv", {"preset": "scotland"}),
    # the Electoral Act 1993, s 191(4): 5% of the party votes, or an electorate seat
    (
        "new-zealand-2020",
        "new-zealand-2020.json",
        "sainte-lague",
        {
            "threshold": "5%",
            "also_qualify": "Māori Party",
            "also_qualify_reason": "won an electorate seat",
            "ineligible": "Other parties (combined)",
        },
    ),
)
WIDTH, HEIGHT = 1280, 1600


def main() -> int:
    from PIL import Image

    import electoral
    import electoral.io
    from electoral.report import Source, html_report

    browser = chromium()
    if browser is None:
        print("screenshots: no chromium found (install it, or set CHROMIUM)", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "_static" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, example, rule, options in REPORTS:
            path = ROOT / "examples" / example
            result = electoral.tabulate(electoral.io.read(path), rule, **options)
            page = Path(folder) / f"{name}.html"
            page.write_text(html_report(result, source=Source.of_file(path, name=example)), encoding="utf-8")
            png = Path(folder) / f"{name}.png"
            console = screenshot(browser, page, png, width=WIDTH, height=HEIGHT)
            if console:
                print(f"screenshots: {name}: the console said:\n" + "\n".join(console), file=sys.stderr)
                return 1
            with Image.open(png) as image:
                small = image.convert("RGB").quantize(
                    colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
                )
                small.save(out / f"{name}.png", optimize=True)
            print(f"wrote {(out / f'{name}.png').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
