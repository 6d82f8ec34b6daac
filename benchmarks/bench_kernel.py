"""The counting kernel at scale: ours against pref_voting, votekit's FastIRV and a plain numpy IRV, plus memory.

Install the peers first (this script installs nothing)::

    pip install -e '.[bench]'          # pref_voting and votekit, pinned in the bench extra

Run::

    python benchmarks/bench_kernel.py                        # 10^6 ballots × 10 candidates, every section
    python benchmarks/bench_kernel.py --no-peer              # ours, the numpy reference and memory only
    python benchmarks/bench_kernel.py --methods borda schulze --repeats 5
    python benchmarks/bench_kernel.py --scaling              # ours only: 10^4..10^7 ballots × 5, 10, 20 candidates

Data: impartial culture, every complete ranking equally likely. Each row is
the argsort of independent uniforms from ``numpy.random.default_rng(--seed)``,
drawn in chunks of 2**20 rows, so the same seed gives the same array in
every mode. The default mode stores it as int32 (the library's own rank
type), ``--scaling`` as int8, so that 10^7 × 20 takes 200 MB.

What each figure measures (times are medians over ``--repeats`` runs, in
this process, after a warm-up, with ``gc.collect()`` before each run; the
array is made before any timing):

1. ``ours s``: ``Election.from_array(array, candidates=...)`` (validation,
   merging identical rows, the profile arrays) then ``tabulate(election,
   method, tie_break="all")`` (the full Result: rounds, tallies, transfers,
   every winner under some resolution of ties); a fresh election each run,
   so no cache is shared between runs or methods. ``pv build s``:
   pref_voting's ``Profile(array.tolist())``, timed once (it includes the
   ``tolist``) and added to every method; ``pv method s``: the method alone
   on that profile (one run, numba warmed up first on a small profile).
   ``ratio`` = (pv build + pv method) / ours: above 1 means we are faster.
   The two winner sets must be equal.
2. votekit's ``FastIRV``. ``kernel only``: ``FastIRV(profile)`` then
   ``get_elected()``, on a ``RankProfile`` built outside the timing from a
   pandas DataFrame of the distinct rankings and their weights (the fastest
   public constructor: ``RankProfile(ballots=...)`` needs a Ballot object
   per distinct ranking), with the profile's cached ``df`` property (ranks
   translated back to frozensets of names, which FastIRV reads) computed
   outside the timing as well; so it is FastIRV's own conversion of that
   DataFrame to a numpy matrix plus its rounds, nothing else. ``end to end
   (Ballot objects)``: what ``benchmarks/bench_irv.py`` times, from the
   array: ``np.unique`` of the rows, a ``Ballot`` per distinct ranking,
   ``RankProfile(ballots=...)``, ``FastIRV`` and ``get_elected`` (one run).
   ``end to end (DataFrame)``: the same with the DataFrame route instead of
   Ballot objects (one run). Ours is the instant-runoff figure of section 1,
   from the array, with everything listed there.
3. ``numpy reference``: a plain instant-runoff written here, from the array:
   each row packed into one int64 key (base n+1 digits), merged with
   ``np.unique(return_counts=True)``, then a pointer per distinct ranking
   to its current choice; each round one bincount of the current choices,
   the last candidate out, and only the pointers of that candidate's
   ballots moved on to their next continuing choice. It only finds the
   winner (no rounds, no transfers, no tie handling beyond saying that a
   tie occurred). Printed: our instant-runoff time / the reference's.
4. Peak memory of one of our runs (``from_array`` + ``tabulate``) per
   method, each in a fresh spawned process that loads the array from a
   ``.npy`` file and warms up on a small count: ``RSS MB`` is the
   growth of the process's peak resident set (``VmHWM`` in
   ``/proc/self/status``, reset to the current RSS through
   ``/proc/self/clear_refs`` before the run, where the kernel allows it;
   ``ru_maxrss`` is not used, as it inherits the parent's peak); ``traced
   MB`` is ``tracemalloc``'s peak over a second run (numpy reports its
   buffers to it). The array itself is excluded from both.
5. ``--scaling``: ours only (plurality, borda and instant-runoff unless
   ``--methods`` says otherwise), each cell in a fresh spawned process like
   section 4: the median time of ``--repeats`` runs (one above 10^8 cells) and the
   peak RSS growth of the first run; then per method and candidate count,
   the log-log slope of time against ballots (1 = linear), over all sizes
   and over the last two.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from bench_irv import votekit_irv
from bench_methods import METHODS, load_peer, ours, timed

import electoral
from electoral import Election, tabulate
from electoral.rules import names as registered_names

RankArray = npt.NDArray[np.integer[Any]]

CHUNK_ROWS: Final = 1 << 20
SCALING_BALLOTS: Final = (10**4, 10**5, 10**6, 10**7)
SCALING_CANDIDATES: Final = (5, 10, 20)
SCALING_METHODS: Final = ("plurality", "borda", "instant-runoff")
MEMORY_TARGET_MB: Final = 400
EXACT_FLOAT_SUM: Final = 2**53


# -- data ----------------------------------------------------------------------------------------


def impartial_culture(n_ballots: int, n_candidates: int, seed: int, dtype: type[np.integer[Any]]) -> RankArray:
    """Complete rankings, every one of the n! equally likely, built a chunk of rows at a time."""
    rng = np.random.default_rng(seed)
    out = np.empty((n_ballots, n_candidates), dtype=dtype)
    for start in range(0, n_ballots, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n_ballots)
        out[start:stop] = np.argsort(rng.random((stop - start, n_candidates)), axis=1)
    return out


def candidate_names(n_candidates: int) -> list[str]:
    return [f"c{i}" for i in range(n_candidates)]


def warm_up(n_candidates: int, method: str) -> None:
    """One small count without ties (lazy imports, first calls), so that no timing pays for them.

    Row k is the candidates from k on, cast by 2**k voters: every tally and
    transfer differs, and no pairwise contest ties (the total is odd).
    """
    order = np.arange(n_candidates)
    rows = np.array([np.roll(order, -k) for k in range(n_candidates)])
    election = Election.from_array(rows, candidates=candidate_names(n_candidates), counts=2**order)
    tabulate(election, method, tie_break="all")


# -- the plain numpy reference -------------------------------------------------------------------


def pack_rows(array: RankArray, n_candidates: int) -> npt.NDArray[np.int64]:
    """One int64 key per row: rank r holds digit ``candidate + 1`` (0 for an empty rank) in base n + 1."""
    base = n_candidates + 1
    if not fits_one_key(n_candidates, array.shape[1]):
        raise ValueError(f"{array.shape[1]} ranks over base {base} do not fit one int64 key")
    keys = np.zeros(len(array), dtype=np.int64)
    for column in range(array.shape[1]):
        keys *= base
        keys += array[:, column]
        keys += 1
    return keys


def fits_one_key(n_candidates: int, width: int) -> bool:
    return bool((n_candidates + 1) ** width < 2**63)


def unpack_keys(keys: npt.NDArray[np.int64], n_candidates: int, width: int, empty: int = -1) -> npt.NDArray[np.int16]:
    """The rows behind :func:`pack_rows` keys, with ``empty`` for an empty rank."""
    rows = np.empty((len(keys), width), dtype=np.int16)
    rest = keys.copy()
    for column in range(width - 1, -1, -1):
        rest, digit = np.divmod(rest, n_candidates + 1)
        rows[:, column] = np.where(digit == 0, empty, digit - 1)
    return rows


def distinct_rows(
    array: RankArray, n_candidates: int, empty: int = -1
) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int64]]:
    """The distinct rows (in key order) and how many times each occurs.

    By one int64 key per row where the rows fit one (up to 15 candidates
    ranked in full), else by ``np.unique(axis=0)``.
    """
    if fits_one_key(n_candidates, array.shape[1]):
        keys, counts = np.unique(pack_rows(array, n_candidates), return_counts=True)
        return unpack_keys(keys, n_candidates, array.shape[1], empty), counts.astype(np.int64)
    unique, counts = np.unique(array, axis=0, return_counts=True)
    rows = np.where(unique < 0, empty, unique).astype(np.int16)
    return rows, counts.astype(np.int64)


def reference_irv(array: RankArray, n_candidates: int) -> tuple[int, int]:
    """The instant-runoff winner (majority of continuing votes, else drop the last), and how many ties decided.

    Ties are broken towards the lowest index and only counted, never resolved
    like the library does; on impartial culture at this size there are none.
    """
    nobody = n_candidates  # an empty rank, or an exhausted ballot, points at this extra slot
    rows, counts = distinct_rows(array, n_candidates, empty=nobody)
    if int(counts.sum()) >= EXACT_FLOAT_SUM:
        raise ValueError("bincount adds in float64, exact only below 2**53 voters")
    weights = counts.astype(np.float64)
    continuing = np.ones(n_candidates + 1, dtype=np.bool_)
    continuing[nobody] = False
    position = np.zeros(len(rows), dtype=np.intp)
    current = rows[:, 0].astype(np.intp)
    _advance(rows, position, current, continuing, np.flatnonzero(current == nobody))
    ties = 0
    while True:
        tally = np.bincount(current, weights=weights, minlength=n_candidates + 1)[:n_candidates].astype(np.int64)
        alive = np.flatnonzero(continuing[:n_candidates])
        votes = tally[alive]
        top = int(votes.max())
        if 2 * top > int(votes.sum()) or len(alive) == 1:
            ties += int((votes == top).sum()) > 1
            return int(alive[np.argmax(votes)]), ties
        bottom = int(votes.min())
        ties += int((votes == bottom).sum()) > 1
        loser = int(alive[np.argmin(votes)])
        continuing[loser] = False
        _advance(rows, position, current, continuing, np.flatnonzero(current == loser))


def _advance(
    rows: npt.NDArray[np.int16],
    position: npt.NDArray[np.intp],
    current: npt.NDArray[np.intp],
    continuing: npt.NDArray[np.bool_],
    moving: npt.NDArray[np.intp],
) -> None:
    """Move the pointers of ``moving`` on to their next continuing choice (or to nobody, the last slot)."""
    width = rows.shape[1]
    while len(moving):
        position[moving] += 1
        done = position[moving] >= width
        current[moving[done]] = len(continuing) - 1  # nobody
        moving = moving[~done]
        choice = rows[moving, position[moving]].astype(np.intp)
        current[moving] = choice
        moving = moving[~continuing[choice]]


# -- votekit ---------------------------------------------------------------------------------------


def votekit_profile_from_frame(unique: RankArray, counts: npt.NDArray[np.int64], people: list[str]) -> Any:
    """votekit's RankProfile from a DataFrame of distinct rankings and weights, its public fast route."""
    import pandas as pd
    from votekit import RankProfile

    sets = np.empty(len(people), dtype=object)
    sets[:] = [frozenset({name}) for name in people]
    frame = pd.DataFrame({f"Ranking_{j + 1}": sets[unique[:, j]] for j in range(unique.shape[1])})
    frame["Voter Set"] = [frozenset()] * len(frame)
    frame["Weight"] = counts.astype(np.float64)
    frame.index.name = "Ballot Index"
    return RankProfile(df=frame, candidates=people, max_ranking_length=unique.shape[1])


def votekit_fast_irv(profile: Any) -> frozenset[str]:
    from votekit.elections.election_types.ranking.stv.stv import FastIRV

    return frozenset(str(c) for group in FastIRV(profile).get_elected() for c in group)


# -- child processes (memory, scaling) ---------------------------------------------------------------


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def child_run(path: str, method: str, repeats: int, trace: bool) -> dict[str, Any]:
    """In a fresh process: our run on the saved array; its peak RSS growth, times and tracemalloc peak."""
    array = np.load(path)
    people = candidate_names(array.shape[1])
    warm_up(array.shape[1], method)
    gc.collect()
    reset = _reset_peak()
    rss_before, hwm_before = _status_kib("VmRSS"), _status_kib("VmHWM")
    start = time.perf_counter()
    winners = ours(array, people, method)
    times = [time.perf_counter() - start]
    growth = _status_kib("VmHWM") - (rss_before if reset else hwm_before)
    for _ in range(repeats - 1):
        gc.collect()
        start = time.perf_counter()
        ours(array, people, method)
        times.append(time.perf_counter() - start)
    traced = None
    if trace:
        gc.collect()
        tracemalloc.start()
        ours(array, people, method)
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "winners": sorted(winners),
        "seconds": statistics.median(times),
        "rss": growth * 1024,
        "reset": reset,
        "traced": traced,
    }


def in_fresh_process(work: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``work(*args)`` in a new spawned interpreter; a crashed one (out of memory) gives an 'error'."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(work, *args).result()
        except BrokenProcessPool:
            return {"error": "the process died (killed, most likely out of memory)"}
        except Exception as error:  # reported in the table, not raised: the other cells still run
            return {"error": f"{type(error).__name__}: {error}"}


def save_synced(path: str, array: RankArray) -> None:
    """Save the array for a child and flush it to disk, so that no writeback runs during the child's timing."""
    with open(path, "wb") as file:
        np.save(file, array)
        file.flush()
        os.fsync(file.fileno())


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f}"


# -- the default mode ----------------------------------------------------------------------------------


def run_default(args: argparse.Namespace, n_ballots: int, n_candidates: int, methods: list[str]) -> None:
    people = candidate_names(n_candidates)
    array = impartial_culture(n_ballots, n_candidates, args.seed, np.int32)
    unique, counts = distinct_rows(array, n_candidates)
    print(
        f"\n## {n_ballots:,} ballots × {n_candidates} candidates, impartial culture, seed {args.seed}, "
        f"{array.dtype} array; {len(unique):,} distinct rankings"
    )
    for method in methods:
        warm_up(n_candidates, method)

    print("\n### 1. ours (from_array + tabulate, tie_break='all') vs pref_voting (Profile + method)")
    peer = None if args.no_peer else load_peer(methods)
    profile = None
    build = 0.0
    if peer is not None:
        build, profile = timed(lambda: peer[0](array.tolist()), 1)
        print(f"pref_voting Profile(array.tolist()): {build:.2f} s, added to every method below")
    header = f"{'method':<15}{'ours s':>9}{'pv method s':>13}{'pv total s':>12}{'ratio':>8}  winners"
    print(header)
    print("-" * len(header))
    our_times: dict[str, float] = {}
    our_winners: dict[str, set[str]] = {}
    for method in methods:
        seconds, winners = timed(lambda method=method: ours(array, people, method), args.repeats)
        our_times[method], our_winners[method] = seconds, winners
        peer_cells = f"{'-':>13}{'-':>12}{'-':>8}"
        note = ""
        if peer is not None:
            spent, theirs = timed(lambda method=method: getattr(peer[1], METHODS[method])(profile), 1)
            total = build + spent
            peer_cells = f"{spent:>13.3f}{total:>12.2f}{total / seconds:>8.1f}"
            their_names = {people[int(w)] for w in theirs}
            note = "" if their_names == winners else f"  DIFFER: pref_voting {sorted(their_names)}"
        print(f"{method:<15}{seconds:>9.3f}{peer_cells}  {','.join(sorted(winners))}{note}", flush=True)
    profile = None  # pref_voting's profile is not needed any more
    gc.collect()

    irv_ours = our_times.get("instant-runoff")
    irv_winners = our_winners.get("instant-runoff")
    if irv_ours is None or irv_winners is None:
        seconds, irv_winners = timed(lambda: ours(array, people, "instant-runoff"), args.repeats)
        irv_ours = seconds

    print("\n### 2. votekit FastIRV against our instant-runoff (from_array + tabulate, from the array)")
    if args.no_peer:
        print("skipped (--no-peer)")
    else:
        run_votekit(args, array, unique, counts, people, irv_ours, irv_winners)

    print("\n### 3. plain numpy IRV reference (pack rows, np.unique, a pointer per distinct ranking)")
    reference_irv(array[:1000], n_candidates)
    seconds, (winner, ties) = timed(lambda: reference_irv(array, n_candidates), args.repeats)
    same = {people[winner]} == irv_winners
    tie_note = f"; {ties} tie(s) broken by lowest index" if ties else ""
    print(f"reference {seconds:.3f} s, winner {people[winner]}{tie_note}; ours {irv_ours:.3f} s")
    print(f"ours / reference = {irv_ours / seconds:.2f} (target <= 2); same winner: {same}")

    print("\n### 4. peak memory of one of our runs, each in a fresh process (the array excluded)")
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "rankings.npy")
        save_synced(path, array)
        header = f"{'method':<15}{'RSS MB':>9}{'traced MB':>11}  < {MEMORY_TARGET_MB} MB"
        print(header)
        print("-" * len(header))
        for method in methods:
            cell = in_fresh_process(child_run, path, method, 1, True)
            if "error" in cell:
                print(f"{method:<15}  {cell['error']}")
                continue
            worst = max(cell["rss"], cell["traced"] or 0)
            verdict = "yes" if worst < MEMORY_TARGET_MB * 2**20 else "NO"
            reset = "" if cell["reset"] else "  (VmHWM could not be reset: growth over the load's peak)"
            print(f"{method:<15}{mb(cell['rss']):>9}{mb(cell['traced'] or 0):>11}  {verdict}{reset}", flush=True)


def run_votekit(
    args: argparse.Namespace,
    array: RankArray,
    unique: RankArray,
    counts: npt.NDArray[np.int64],
    people: list[str],
    irv_ours: float,
    irv_winners: set[str],
) -> None:
    try:
        import votekit  # noqa: F401
    except ImportError:
        print("votekit is not installed (pip install -e '.[bench]'): skipped")
        return
    votekit_fast_irv(votekit_profile_from_frame(unique[:50], counts[:50], people))  # warm-up

    start = time.perf_counter()
    profile = votekit_profile_from_frame(unique, counts, people)
    frame_build = time.perf_counter() - start
    start = time.perf_counter()
    _ = profile.df  # the cached property FastIRV reads, computed outside the kernel timing
    df_cache = time.perf_counter() - start
    kernel, winners = timed(lambda: votekit_fast_irv(profile), args.repeats)
    profile = None
    gc.collect()
    start = time.perf_counter()
    fresh = votekit_profile_from_frame(unique, counts, people)
    frame_winners = votekit_fast_irv(fresh)
    via_frame = time.perf_counter() - start
    del fresh
    gc.collect()
    start = time.perf_counter()
    ballot_winner = votekit_irv(array, people)
    via_ballots = time.perf_counter() - start
    frame_total = via_frame + distinct_seconds(array, len(people))
    print(f"(outside the kernel timing: RankProfile(df=...) {frame_build:.2f} s, its .df cache {df_cache:.2f} s)")
    header = f"{'votekit figure':<44}{'s':>8}{'ours s':>9}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for label, seconds in (
        ("kernel only: FastIRV(profile) + get_elected", kernel),
        ("end to end (Ballot objects, as bench_irv)", via_ballots),
        ("end to end (DataFrame route)", frame_total),
    ):
        print(f"{label:<44}{seconds:>8.2f}{irv_ours:>9.3f}{seconds / irv_ours:>8.1f}")
    agree = winners == irv_winners and frame_winners == irv_winners and {ballot_winner} == irv_winners
    print(f"kernel-only ratio {kernel / irv_ours:.1f} (target >= 5); winners {sorted(winners)}; same as ours: {agree}")


def distinct_seconds(array: RankArray, n_candidates: int) -> float:
    """The time of the distinct-rows step the DataFrame route starts from (added to its end-to-end figure)."""
    start = time.perf_counter()
    distinct_rows(array, n_candidates)
    return time.perf_counter() - start


# -- the scaling mode ---------------------------------------------------------------------------------


def run_scaling(args: argparse.Namespace, methods: list[str]) -> None:
    sizes = args.ballots or list(SCALING_BALLOTS)
    widths = args.candidates or list(SCALING_CANDIDATES)
    print(f"## scaling, ours only: from_array + tabulate(tie_break='all'), int8 arrays, seed {args.seed}")
    print("each cell in a fresh process: median time, peak RSS growth of the first run (the array excluded)")
    header = f"{'method':<15}{'cands':>6}{'ballots':>12}{'time s':>10}{'RSS MB':>10}  winners"
    print(header)
    print("-" * len(header))
    times: dict[tuple[str, int], list[tuple[int, float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "rankings.npy")
        for n_candidates in widths:
            for n_ballots in sizes:
                save_synced(path, impartial_culture(n_ballots, n_candidates, args.seed, np.int8))
                gc.collect()
                repeats = 1 if n_ballots * n_candidates > 10**8 else args.repeats
                for method in methods:
                    cell = in_fresh_process(child_run, path, method, repeats, False)
                    if "error" in cell:
                        why = cell["error"]
                        print(f"{method:<15}{n_candidates:>6}{n_ballots:>12,}  beyond reach: {why}", flush=True)
                        continue
                    times.setdefault((method, n_candidates), []).append((n_ballots, cell["seconds"]))
                    winners = ",".join(cell["winners"])
                    cells = f"{cell['seconds']:>10.3f}{mb(cell['rss']):>10}"
                    print(f"{method:<15}{n_candidates:>6}{n_ballots:>12,}{cells}  {winners}", flush=True)
    for n_candidates in widths:
        if n_candidates * (n_candidates + 1).bit_length() > 63:
            print(
                f"note: at {n_candidates} candidates a ranking does not fit one 63-bit key"
                f" ({n_candidates} ranks × {(n_candidates + 1).bit_length()} bits), so from_array packs each row"
                " into several key words and merges rows with a lexsort over them"
            )
    if len(set(sizes)) < 2:
        return
    print("\nlog-log slope of time against ballots (1 = linear)")
    header = f"{'method':<15}{'cands':>6}{'all sizes':>11}{'last two':>10}"
    print(header)
    print("-" * len(header))
    for (method, n_candidates), points in times.items():
        if len(points) < 2:
            continue
        x = np.log10([p[0] for p in points])
        y = np.log10([max(p[1], 1e-9) for p in points])
        slope = float(np.polyfit(x, y, 1)[0])
        last = float((y[-1] - y[-2]) / (x[-1] - x[-2]))
        print(f"{method:<15}{n_candidates:>6}{slope:>11.2f}{last:>10.2f}")


# -- main --------------------------------------------------------------------------------------------------


def versions() -> str:
    found = [f"python {sys.version.split()[0]}", f"numpy {np.__version__}", f"electoral {electoral.__version__}"]
    for name in ("pref_voting", "votekit", "pandas"):
        try:
            found.append(f"{name} {version(name)}")
        except Exception:
            found.append(f"{name} -")
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), help="default: all 8 (scaling: 3)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure (median)")
    parser.add_argument("--no-peer", action="store_true", help="skip pref_voting and votekit")
    parser.add_argument("--scaling", action="store_true", help="ours only, over ballots and candidates")
    parser.add_argument("--ballots", type=int, nargs="+", help="default: 10^6 (scaling: 10^4 10^5 10^6 10^7)")
    parser.add_argument("--candidates", type=int, nargs="+", help="default: 10 (scaling: 5 10 20)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be 1 or more")
    registered = set(registered_names())
    wanted = args.methods or (list(SCALING_METHODS) if args.scaling else list(METHODS))
    methods = [m for m in dict.fromkeys(wanted) if m in registered]
    print(f"# bench_kernel: {versions()}; {multiprocessing.cpu_count()} cores")
    if args.scaling:
        run_scaling(args, methods)
        return
    for n_ballots in args.ballots or [10**6]:
        for n_candidates in args.candidates or [10]:
            run_default(args, n_ballots, n_candidates, methods)


if __name__ == "__main__":
    main()
