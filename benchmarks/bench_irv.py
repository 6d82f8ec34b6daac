"""Instant-runoff from end to end on impartial-culture ballots: electoral against votekit and pref_voting.

Run: ``python benchmarks/bench_irv.py [--voters 1000000] [--candidates 10] [--seed 2024]``

Each library starts from the same numpy array of rankings (one row per voter) and ends with the
winner; the time includes building the library's own profile from that array. Oracles (test/bench
extras): ``votekit`` (``FastIRV``) and ``pref_voting`` (``Profile`` + ``instant_runoff``).
All three must name the same winner.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def _timed(label: str, run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = run()
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {elapsed:8.2f} s")
    return elapsed, out


def electoral_irv(rows: np.ndarray, names: list[str]) -> str:
    from electoral import Election
    from electoral.rules import InstantRunoff

    election = Election.from_array(rows, candidates=names)
    winner = InstantRunoff(tie_break="candidate-order").tabulate(election).winner
    return "" if winner is None else winner.name


def _unique(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    return unique, counts


def votekit_irv(rows: np.ndarray, names: list[str]) -> str:
    from votekit import Ballot, RankProfile
    from votekit.elections.election_types.ranking.stv.stv import FastIRV

    unique, counts = _unique(rows)
    ballots = [
        Ballot(ranking=tuple(frozenset({names[c]}) for c in row), weight=int(n))
        for row, n in zip(unique.tolist(), counts.tolist(), strict=True)
    ]
    profile = RankProfile(ballots=ballots, candidates=names, max_ranking_length=len(names))
    (winner,) = FastIRV(profile).get_elected()[0]
    return str(winner)


def pref_voting_irv(rows: np.ndarray, names: list[str]) -> str:
    from pref_voting.profiles import Profile
    from pref_voting.voting_methods import instant_runoff

    unique, counts = _unique(rows)
    profile = Profile(unique.tolist(), rcounts=counts.tolist())
    winners = instant_runoff(profile)
    return names[winners[0]] if len(winners) == 1 else f"tie {winners}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = np.argsort(rng.random((args.voters, args.candidates)), axis=1).astype(np.int32)
    names = [chr(ord("A") + i) for i in range(args.candidates)]
    print(f"impartial culture: {args.voters:,} voters, {args.candidates} candidates, seed {args.seed}")
    import electoral.rules  # noqa: F401  # imports are not part of the count

    ours, winner = _timed("electoral (from_array + IRV)", lambda: electoral_irv(rows, names))
    results = {"electoral": winner}
    for label, fn in (
        ("votekit (RankProfile + FastIRV)", votekit_irv),
        ("pref_voting (Profile + IRV)", pref_voting_irv),
    ):
        try:
            theirs, other = _timed(label, lambda fn=fn: fn(rows, names))
        except ImportError as error:
            print(f"{label:<34} skipped ({error})")
            continue
        results[label] = other
        print(f"{'':<34} ratio {theirs / ours:6.1f}x")
    print("winners:", results)


if __name__ == "__main__":
    main()
