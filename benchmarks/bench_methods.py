"""End-to-end speed of the ranked methods, against pref_voting, from a numpy array of rankings to the winners.

Install the peers first (this script installs nothing)::

    pip install -e '.[bench]'          # pref_voting, pinned in the bench extra

Run::

    python benchmarks/bench_methods.py                       # every workload, every method
    python benchmarks/bench_methods.py --sizes 10000 100000 --candidates 5
    python benchmarks/bench_methods.py --no-peer             # ours only
    python benchmarks/bench_methods.py --nsw PATH            # the NSW PrefLib set (279 .soi files)

Workloads: 10^4, 10^5 and 10^6 ballots over 5 and 10 candidates, from
impartial culture (every complete ranking equally likely) and from a pool of
1,000 rankings drawn once (voters pick one of them uniformly). Each timing
starts from the array of rankings: ours is ``Election.from_array`` then
``tabulate``; pref_voting's is its ``Profile`` built from the same array
(timed once per workload and added to every method) plus the method. The
table prints medians over ``--repeats`` runs, the ratio (pref_voting time /
ours; above 1 means we are faster) and our peak traced memory.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from electoral import Election, tabulate
from electoral.rules import names

# ours -> pref_voting counterpart (same winner-set semantics; see tests/test_oracle_pref_voting.py)
METHODS: dict[str, str] = {
    "plurality": "plurality",
    "borda": "borda",
    "instant-runoff": "instant_runoff_put",
    "copeland": "copeland",
    "minimax": "minimax",
    "schulze": "beat_path",
    "ranked-pairs": "ranked_pairs",
    "split-cycle": "split_cycle",
}


def rankings(n_ballots: int, n_candidates: int, culture: str, rng: np.random.Generator) -> np.ndarray:
    """Complete rankings as an int array (ballots × candidates)."""
    if culture == "ic":
        return np.argsort(rng.random((n_ballots, n_candidates)), axis=1).astype(np.int64)
    pool = np.argsort(rng.random((1000, n_candidates)), axis=1).astype(np.int64)
    return pool[rng.integers(0, len(pool), n_ballots)]


def timed(action: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        value = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def peak_memory(action: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def ours(array: np.ndarray, people: list[str], method: str) -> set[str]:
    election = Election.from_array(array, candidates=people)
    return {c.name for c in tabulate(election, method, tie_break="all").winners}


def run_workloads(args: argparse.Namespace) -> None:
    registered = set(names())
    methods = [m for m in args.methods if m in registered]
    skipped = [m for m in args.methods if m not in registered]
    if skipped:
        print(f"# not registered, skipped: {', '.join(skipped)}")
    peer = None if args.no_peer else load_peer(methods)
    rng = np.random.default_rng(args.seed)
    columns = ("ballots", "cands", "culture", "method", "ours s", "peer s", "ratio", "peak MB")
    widths = (9, 5, 7, 14, 9, 9, 7, 8)
    header = " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
    print(header)
    print("-" * len(header))
    for n_ballots in args.sizes:
        for n_candidates in args.candidates:
            for culture in args.cultures:
                array = rankings(n_ballots, n_candidates, culture, rng)
                people = [f"c{i}" for i in range(n_candidates)]
                workload = Workload(array, people, peer if n_ballots <= args.peer_limit else None)
                for method in methods:
                    repeats = args.repeats if n_ballots < 10**6 else max(1, args.repeats // 3)
                    row = workload.measure(method, repeats, memory=args.memory)
                    cells = (n_ballots, n_candidates, culture, method, *row)
                    print(" ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)), flush=True)


def load_peer(methods: list[str]) -> Any:
    """pref_voting's Profile class and methods module, warmed up (its first calls compile with numba)."""
    try:
        import pref_voting.voting_methods as peer_methods
        from pref_voting.profiles import Profile
    except ImportError:
        print("# pref_voting is not installed (pip install -e '.[bench]'): timing ours only")
        return None
    warm = Profile([[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1]])
    for method in methods:
        getattr(peer_methods, METHODS[method])(warm)
    return Profile, peer_methods


class Workload:
    """One array of rankings, timed under each method for us and (once built) for pref_voting."""

    def __init__(self, array: np.ndarray, people: list[str], peer: Any) -> None:
        self.array = array
        self.people = people
        self.peer = peer
        self.profile: Any = None
        self.profile_time = 0.0
        if peer is not None:
            self.profile_time, self.profile = timed(lambda: peer[0](array.tolist()), 1)

    def ours(self, method: str) -> set[str]:
        election = Election.from_array(self.array, candidates=self.people)
        return {c.name for c in tabulate(election, method, tie_break="all").winners}

    def measure(self, method: str, repeats: int, *, memory: bool) -> tuple[str, str, str, str]:
        our_time, our_winners = timed(lambda: self.ours(method), repeats)
        peak = peak_memory(lambda: self.ours(method)) if memory else 0
        peer_text = ratio_text = "-"
        if self.profile is not None:
            method_time, theirs = timed(lambda: getattr(self.peer[1], METHODS[method])(self.profile), 1)
            total = self.profile_time + method_time
            peer_text, ratio_text = f"{total:.3f}", f"{total / our_time:.1f}"
            their_names = {f"c{int(w)}" for w in theirs}
            if their_names != our_winners:
                print(f"# winner sets differ for {method}: ours {our_winners}, theirs {their_names}")
        return f"{our_time:.3f}", peer_text, ratio_text, f"{peak / 2**20:.1f}"


def run_nsw(folder: Path) -> None:
    """Every NSW contest: the Condorcet-winner check, plus instant-runoff when it is registered."""
    files = sorted(folder.glob("*.soi"))
    if not files:
        sys.exit(f"no .soi files in {folder}")
    with_irv = "instant-runoff" in names()
    try:
        from electoral.io import read
    except ImportError:  # pragma: no cover - depends on the checkout
        read = None
    reading = counting = 0.0
    ballots = agree = 0
    for path in files:
        start = time.perf_counter()
        election = read(path) if read is not None else read_soi(path)
        reading += time.perf_counter() - start
        start = time.perf_counter()
        ballots += election.cast
        condorcet = tabulate(election, "condorcet").winners
        if with_irv:
            irv = tabulate(election, "instant-runoff").winners
            agree += condorcet == irv
        counting += time.perf_counter() - start
    methods = "condorcet + instant-runoff" if with_irv else "condorcet"
    print(f"NSW: {len(files)} contests, {ballots:,} ballots; reading {reading:.2f} s, {methods} {counting:.2f} s")
    if with_irv:
        print(f"     the instant-runoff winner is the Condorcet winner in {agree} of {len(files)} contests")


def read_soi(path: Path) -> Election:
    """A minimal PrefLib .soi reader, used only if electoral.io cannot be imported."""
    people: dict[int, str] = {}
    rows: list[list[int]] = []
    counts: list[int] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME"):
            number, _, name = line[len("# ALTERNATIVE NAME ") :].partition(": ")
            people[int(number)] = name
        elif line and not line.startswith("#"):
            count, _, order = line.partition(": ")
            rows.append([int(v) - 1 for v in order.split(",")])
            counts.append(int(count))
    width = max(len(r) for r in rows)
    array = np.array([r + [-1] * (width - len(r)) for r in rows])
    return Election.from_array(array, candidates=[people[i + 1] for i in range(len(people))], counts=np.array(counts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10**4, 10**5, 10**6])
    parser.add_argument("--candidates", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--cultures", nargs="+", default=["ic", "pool"], choices=["ic", "pool"])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-peer", action="store_true", help="time ours only")
    parser.add_argument("--peer-limit", type=int, default=10**6, help="largest size to time pref_voting at")
    parser.add_argument("--no-memory", dest="memory", action="store_false", help="skip the peak-memory run")
    parser.add_argument("--nsw", type=Path, help="the '00058 - nswla' folder: time the NSW set instead")
    args = parser.parse_args()
    if args.nsw is not None:
        run_nsw(args.nsw)
    else:
        run_workloads(args)


if __name__ == "__main__":
    main()
