"""Read and tabulate RCTab's ``2013_minneapolis_mayor_scale`` case: 1,041,313 ballots in 13 ES&S xlsx files.

Target (issue 3): read and tabulate in under 5 s on a 2-core machine; a
straightforward pure-Python tabulator takes about 52 s. The script also
checks the report against RCTab's expected one, and prints the machine's
load average, since other processes on a shared machine slow every figure.

Usage::

    python benchmarks/bench_minneapolis_scale.py [--repeats 3] [--workers 1 2] [--baseline]

``--baseline`` also times a plain Python reader and tabulator (the ``zipfile``
and ``xml.etree`` iterparse read, a dict per ballot, and an IRV loop over the
ballots), for the ratio side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

from electoral.io import rctab_reports, read_rctab_config, tabulate_rctab

CASE = "2013_minneapolis_mayor_scale"


def _suite() -> Path:
    shared = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    return shared / "conformance" / "rctab"


def run_once(config: Path, workers: int) -> tuple[float, float, float, dict[str, object]]:
    cpu = time.process_time()
    start = time.perf_counter()
    contest = read_rctab_config(config, workers=workers)
    read = time.perf_counter()
    result = tabulate_rctab(contest)
    report = rctab_reports(contest, result)[0]
    done = time.perf_counter()
    return read - start, done - read, time.process_time() - cpu, report


def baseline(folder: Path) -> float:
    """A plain Python reader and IRV: one dict of marks per ballot, one loop per round."""
    start = time.perf_counter()
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ballots: list[list[str]] = []
    for path in sorted(folder.glob("*.xlsx")):
        with zipfile.ZipFile(path) as archive:
            strings = [
                "".join(t.text or "" for t in si.iter(f"{ns}t"))
                for si in ET.parse(archive.open("xl/sharedStrings.xml")).getroot()
            ]
            for _, row in ET.iterparse(archive.open("xl/worksheets/sheet1.xml")):
                if row.tag != f"{ns}row" or row.get("r") == "1":
                    continue
                marks = {c.get("r", "")[0]: strings[int(c.findtext(f"{ns}v") or 0)] for c in row if c.get("t") == "s"}
                ballots.append([marks.get(col, "") for col in "BCD"])
                row.clear()
    continuing = {name for ballot in ballots for name in ballot} - {"", "overvote", "undervote"}
    while True:
        tally: Counter[str] = Counter()
        for ballot in ballots:
            for mark in ballot:
                if mark == "overvote":
                    break
                if mark in continuing:
                    tally[mark] += 1
                    break
        total = sum(tally.values())
        _leader, votes = tally.most_common(1)[0]
        if votes * 2 > total or len(continuing) <= 2:
            break
        continuing.discard(min(continuing, key=lambda c: tally[c]))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline", action="store_true", help="also time the plain Python reader and tabulator")
    args = parser.parse_args()
    folder = _suite() / CASE
    config = folder / f"{CASE}_config.json"
    if not config.exists():
        print(f"{config} not found; set ELECTORAL_SHARED", file=sys.stderr)
        return 2
    expected = json.loads((folder / f"{CASE}_expected_detailed_report.json").read_text())
    print(f"load average before: {os.getloadavg()}, CPUs: {os.cpu_count()}")
    best_total = None
    for workers in args.workers:
        totals = []
        for _ in range(args.repeats):
            read, tabulate, cpu, report = run_once(config, workers)
            totals.append(read + tabulate)
            same = report["results"] == expected["results"] and report["summary"] == expected["summary"]
            print(
                f"workers={workers}: read {read:.2f} s, tabulate+report {tabulate:.2f} s,"
                f" total {read + tabulate:.2f} s (CPU of this process {cpu:.2f} s), matches RCTab: {same}"
            )
        best = min(totals)
        best_total = best if best_total is None else min(best, best_total)
        print(f"workers={workers}: best {best:.2f} s, median {statistics.median(totals):.2f} s")
    if args.baseline:
        plain = baseline(folder)
        print(f"plain Python reader + IRV: {plain:.1f} s; ratio to our best: {plain / (best_total or 1):.1f}x")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
