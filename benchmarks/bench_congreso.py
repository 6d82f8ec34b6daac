"""How long a whole Spanish Congreso takes: the preset's recorded count, and the bare kernel.

Run: ``ELECTORAL_SHARED=../shared python benchmarks/bench_congreso.py [--repeat 20]``

Counts every ``es_generales_diputados_*`` example of the shared parliaments
data with ``spain-congreso`` (thresholds, quotients, ties, all recorded), and
then the same 52 districts with :func:`electoral.rules.apportion` alone
(D'Hondt on the lists above 3%, nothing recorded), as in simulation work.
Last, ``--parliaments`` Poisson draws around the 2004 returns are counted at
once by :func:`electoral.systems.simulate` (thresholds included), and a
sample of them one parliament at a time by the same thresholds and
:func:`electoral.rules.apportion`, in the same run, for the ratio; the two
must agree seat for seat. Wall time is shown with the process's CPU time,
since a shared machine can stretch the first.
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

import numpy as np

from electoral import systems
from electoral.io import read_returns
from electoral.rules import apportion

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--parliaments", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200, help="parliaments counted one at a time, for the ratio")
    args = parser.parse_args()
    root = Path(os.environ.get("ELECTORAL_SHARED", "../shared")) / "data" / "parliaments" / "es"
    system = systems.get("spain-congreso")
    for folder in sorted(root.glob("es_generales_diputados_[0-9][0-9][0-9][0-9]")):
        returns = read_returns(folder)
        best = min(_time(system.tabulate, returns) for _ in range(args.repeat))
        cut = [([v for v in d.votes.values() if v * 100 >= 3 * d.valid], d.seats or 0) for d in returns.districts]
        kernel = min(_time(_kernel, cut) for _ in range(args.repeat))
        print(f"{folder.name:<28} recorded count {best * 1000:7.2f} ms   kernel {1 / kernel:9,.0f} parliaments/s")
    _batch(root / "es_generales_diputados_2004", system, args.parliaments, min(args.sample, args.parliaments))


def _batch(folder: Path, system: systems.System, n: int, sample: int) -> None:
    returns = read_returns(folder)
    votes, blank, _ = systems.votes_array(returns)
    draws = np.random.default_rng(2004).poisson(np.repeat(votes, n, axis=0).astype(float)).astype(np.int64)
    blanks = np.repeat(blank, n, axis=0)
    seats = [d.seats or 0 for d in returns.districts]
    wall, cpu = time.perf_counter(), time.process_time()
    out = systems.simulate(system, returns, draws, blank=blanks, seed=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    one_wall, one_cpu = time.perf_counter(), time.process_time()
    alone = [_one(draws[p], blanks[p], seats) for p in range(sample)]
    one_wall, one_cpu = (time.perf_counter() - one_wall) / sample, (time.process_time() - one_cpu) / sample
    assert all(np.array_equal(alone[p], out.seats[p]) for p in range(sample)), "batch and one-by-one differ"
    print(
        f"simulate: {n:,} parliaments (52 districts, {int((votes[0] > 0).sum(axis=1).mean())} lists a district)"
        f" in {wall:.2f} s wall, {cpu:.2f} s CPU: {n / wall:,.0f} a second ({n / cpu:,.0f} by CPU);"
        f" {out.rechecked} districts recounted for ties, {out.lots} by lot"
    )
    print(
        f"one at a time: {1 / one_wall:,.0f} a second ({1 / one_cpu:,.0f} by CPU);"
        f" batch/one-at-a-time: {one_wall * n / wall:.1f}x wall, {one_cpu * n / cpu:.1f}x CPU"
    )


def _one(votes: np.ndarray, blank: np.ndarray, seats: list[int]) -> np.ndarray:
    """One parliament: each district's lists with at least 3% of its valid votes, then D'Hondt (LOREG art. 163.1)."""
    held = np.zeros(votes.shape, dtype=np.int64)
    for d, magnitude in enumerate(seats):
        row = [int(x) for x in votes[d]]
        valid = sum(row) + int(blank[d])
        taking = [i for i, x in enumerate(row) if x and x * 100 >= 3 * valid]
        if taking and magnitude:
            held[d, taking] = apportion([row[i] for i in taking], magnitude)
    return held


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
