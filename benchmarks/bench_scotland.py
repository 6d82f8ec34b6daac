"""Every Scottish council ward in the shared data (1,100 BLT files), counted with the ``scotland`` preset.

Run: ``python benchmarks/bench_scotland.py [--shared PATH]`` (default: ``$ELECTORAL_SHARED`` or ``../shared``).
Prints the time to read the files and the time to count them; the target is under 30 s in total.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from electoral.io._blt import read_blt
from electoral.rules import Stv


def main() -> None:
    default = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=default)
    args = parser.parse_args()
    files = sorted((args.shared / "data" / "scottish-council-stv" / "blt_files").glob("*/*.blt"))
    if not files:
        raise SystemExit(f"no BLT files under {args.shared}/data/scottish-council-stv/blt_files")
    rule = Stv.preset("scotland")
    start = time.perf_counter()
    elections = [read_blt(path) for path in files]
    read = time.perf_counter() - start
    start = time.perf_counter()
    results = [rule.tabulate(election) for election in elections]
    counted = time.perf_counter() - start
    ballots = sum(int(r.rounds[0].ballots) for r in results)
    stages = sum(len(r.rounds) for r in results)
    statuses = {s: sum(1 for r in results if r.status == s) for s in {r.status for r in results}}
    print(f"{len(files)} wards, {ballots:,} ballots, {stages:,} stages; statuses {statuses}")
    print(f"read  {read:6.2f} s")
    print(f"count {counted:6.2f} s")
    print(f"total {read + counted:6.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
