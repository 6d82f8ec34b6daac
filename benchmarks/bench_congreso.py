"""How long a whole Spanish Congreso takes: the preset's recorded count, and the bare kernel.

Run: ``ELECTORAL_SHARED=../shared python benchmarks/bench_congreso.py [--repeat 20]``

Counts every ``es_generales_diputados_*`` example of the shared parliaments
data with ``spain-congreso`` (thresholds, quotients, ties, all recorded), and
then the same 52 districts with :func:`electoral.rules.apportion` alone
(D'Hondt on the lists above 3%, nothing recorded), as in simulation work.
The issue's targets: a recorded count under 20 ms; 10^4 parliaments a second
for the kernel.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from electoral import systems
from electoral.io import read_returns
from electoral.rules import apportion

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    root = Path(os.environ.get("ELECTORAL_SHARED", "../shared")) / "data" / "parliaments" / "es"
    system = systems.get("spain-congreso")
    for folder in sorted(root.glob("es_generales_diputados_[0-9][0-9][0-9][0-9]")):
        returns = read_returns(folder)
        best = min(_time(system.tabulate, returns) for _ in range(args.repeat))
        cut = [([v for v in d.votes.values() if v * 100 >= 3 * d.valid], d.seats or 0) for d in returns.districts]
        kernel = min(_time(_kernel, cut) for _ in range(args.repeat))
        print(f"{folder.name:<28} recorded count {best * 1000:7.2f} ms   kernel {1 / kernel:9,.0f} parliaments/s")


def _kernel(cut: list[tuple[list[int], int]]) -> None:
    for votes, seats in cut:
        if votes and seats:
            apportion(votes, seats)


def _time(fn: Callable[[T], object], argument: T) -> float:
    start = time.perf_counter()
    fn(argument)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
