"""How many random apportionments per second: 10 parties, 100 seats.

Run: ``python benchmarks/bench_apportionment.py [--n 20000] [--seed 1]``

Measures :func:`electoral.rules.apportion` (the exact kernel, for simulation
work) and the full :func:`electoral.tabulate` (rounds, seat table, ties) for
D'Hondt and Sainte-Laguë, and, in the same run, the peers ``votelib`` and
``apportionment`` where they are installed. The target is at least 10^4
kernel apportionments a second.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from electoral import Election, tabulate
from electoral.rules import apportion

PARTIES = 10
SEATS = 100


def _rate(label: str, fn: Callable[[list[int]], Any], profiles: list[list[int]], against: float | None = None) -> float:
    start = time.perf_counter()
    for votes in profiles:
        fn(votes)
    elapsed = time.perf_counter() - start
    rate = len(profiles) / elapsed
    ratio = f"   (ours is {against / rate:,.1f}x)" if against else ""
    print(f"{label:<48} {rate:>12,.0f} /s{ratio}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000, help="apportionments per measurement")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    # Distinct vote counts (a tie between equal votes would need lots, which the kernel refuses without a seed).
    profiles = [[int(v) for v in rng.choice(10**6, size=PARTIES, replace=False) + 1] for _ in range(args.n)]
    names = [f"party {i}" for i in range(PARTIES)]

    for method, votelib_name, apportionment_name in (
        ("dhondt", "d_hondt", "dhondt"),
        ("sainte-lague", "sainte_lague", "saintelague"),
    ):
        print(f"== {method}: {PARTIES} parties, {SEATS} seats, {args.n:,} random profiles")

        def kernel(votes: list[int], m: str = method) -> list[int]:
            return apportion(votes, SEATS, m)

        ours = _rate("electoral.rules.apportion (exact kernel)", kernel, profiles)

        def full(votes: list[int], m: str = method) -> Any:
            election = Election.from_counts(dict(zip(names, votes, strict=True)), seats=SEATS)
            return tabulate(election, m)

        _rate("electoral.tabulate (rounds and seat table)", full, profiles[: max(args.n // 10, 1)])
        try:
            from votelib.evaluate.proportional import HighestAverages  # type: ignore[import-untyped]
        except ImportError:
            print("votelib not installed")
        else:
            evaluator = HighestAverages(votelib_name)
            keyed = [dict(zip(names, v, strict=True)) for v in profiles[: max(args.n // 10, 1)]]
            start = time.perf_counter()
            for votes in keyed:
                evaluator.evaluate(votes, SEATS)
            rate = len(keyed) / (time.perf_counter() - start)
            print(f"{'votelib HighestAverages':<48} {rate:>12,.0f} /s   (ours is {ours / rate:,.1f}x)")
        try:
            from apportionment.methods import compute  # type: ignore[import-untyped]
        except ImportError:
            print("apportionment not installed")
        else:

            def peer(votes: list[int], m: str = apportionment_name) -> Any:
                return compute(m, votes, SEATS)

            _rate("apportionment.methods.compute", peer, profiles[: max(args.n // 10, 1)], against=ours)


if __name__ == "__main__":
    main()
