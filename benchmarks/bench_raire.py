"""RAIRE assertions (electoral.audit.raire) on a generated contest and on the largest real IRV contests.

Run: ``python benchmarks/bench_raire.py [--voters 1000000] [--candidates 10] [--seed 2024]``

The generated contest is Plackett-Luce with falling weights (full rankings, so nearly every ballot is
unique: the hardest case for the reduction of ballots to (candidate, blocking set) pairs). The real
contests are read from ``ELECTORAL_SHARED``/data when it is there (Pierce County 2008 and San
Francisco 2011, the largest PrefLib IRV files; Maine CD2 2018 through the ES&S reader). Times are for
``raire()`` alone: the count that names the winner, the tallies, the search and the trimming.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np


def _timed(label: str, election: object, **options: object) -> float:
    from electoral.audit import raire

    start = time.perf_counter()
    found = raire(election, **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    print(
        f"{label:<44} {elapsed:7.2f} s  {len(found.assertions):4d} assertions, smallest margin {found.margin:,},"
        f" comparison ASN {found.difficulty:,.0f}"
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    from electoral.generate import plackett_luce

    weights = [float(args.candidates - i) ** 1.5 for i in range(args.candidates)]
    election = plackett_luce(args.voters, args.candidates, rng=np.random.default_rng(args.seed), weights=weights)
    print(f"generated: {args.voters:,} voters, {args.candidates} candidates, {len(election.ballots):,} unique ballots")
    _timed("Plackett-Luce", election)

    shared = Path(os.environ.get("ELECTORAL_SHARED", "")) / "data"
    if not shared.is_dir():
        print("ELECTORAL_SHARED not set: real contests skipped")
        return
    from electoral import io
    from electoral.io._preflib import read_preflib
    from electoral.rules import InstantRunoff

    pierce = read_preflib(shared / "preflib" / "00020 - pierce" / "00020-00000003.toi")
    _timed(f"Pierce 2008 ({pierce.cast:,} ballots)", pierce)
    sf = read_preflib(shared / "preflib" / "00021 - sf" / "00021-00000011.toi")
    winner = InstantRunoff(tie_break="candidate-order").tabulate(sf).winner
    _timed(f"San Francisco 2011 mayor ({sf.cast:,}, 25 cand.)", sf, winner=None if winner is None else winner.name)
    names = ["REP Poliquin, Bruce", "DEM Golden, Jared F.", "Bond, Tiffany L.", "Hoar, William R.S."]
    maine = io.read(
        shared / "maine-2018-cd2",
        candidates=names,
        aliases={f"{names[0]} (5931)": names[0], f"{names[1]} (5471)": names[1]},
        overvote_label="overvote",
        skipped_label="undervote",
    )
    _timed(f"Maine CD2 2018 ({maine.cast:,} ballots)", maine, max_skipped_ranks=1)


if __name__ == "__main__":
    main()
