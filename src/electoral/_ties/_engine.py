"""Tie-break policies, the record of each tie, and the drawing of lots.

A rule never decides a tie itself: it asks a :class:`TieResolver`, which
applies the configured :class:`TieBreak` and records a :class:`TieRecord`.
Which candidates are level at the cut of a top *k* is found by
:func:`~electoral._ties._cut.top_with_cut`.

One engine
----------
There is one policy type, :class:`TieBreak` (see :mod:`electoral._ties._policy`),
holding the library's policies and RCTab's modes alike, and one resolver,
:class:`TieResolver`, which alone writes the :class:`TieRecord` of each tie.
The lots it draws, the library's SHA-256 stream and RCTab's
``java.util.Random``, are in :mod:`electoral._ties._lots`.

Following every resolution
--------------------------
``TieBreak("all")`` runs the count once per resolution of its ties: the
first run takes the first option of every tie, and later runs change the
last choice that has options left (an odometer over the options, so
resolutions come in lexicographic order). Counts that say, at the start of a
round, what state they are in (:meth:`TieResolver.checkpoint`: for
instance, instant-runoff's continuing candidates and where each ballot
stands) have every state explored once: a later run that reaches a state
already explored stops there and takes that state's outcomes and ties as
they were found. The result is the same as following every resolution to
its end, but eight tied candidates need a few hundred states rather than
8! = 40,320 resolutions. States are remembered exactly, except that an
array of more than :data:`STATE_BYTES` bytes (where each of many ballots
stands) is remembered by its SHA-256 digest (see :func:`fingerprint`). A search that would make more than
:data:`MAX_UNIVERSES` runs, or more runs than :data:`MAX_TIE_WORK` allows
a count of its size, is refused with an OptionError naming that bound.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeAlias

import attrs

from electoral._model import Candidate
from electoral._result import TieRecord
from electoral._text import excerpt
from electoral._ties._lots import (
    SEED_RANGE,
    JavaRandom,
    LotDrawer,
    check_seed,
    java_hash_set_order,
    java_order,
    java_shuffle,
)
from electoral._ties._policy import TieBreak, to_tie_break
from electoral.errors import OptionError

__all__ = [
    "MAX_TIE_WORK",
    "MAX_UNIVERSES",
    "SEED_RANGE",
    "LotDrawer",
    "TieBreak",
    "TieResolver",
    "check_seed",
    "every_universe",
    "fingerprint",
    "to_tie_break",
]

Votes: TypeAlias = int | Fraction


#: Arrays in a state up to this size are kept as they are; larger ones by their SHA-256 digest.
STATE_BYTES: Final = 4096


def fingerprint(values: Any) -> Hashable:
    """An array of a count's state (where each ballot stands, its value) as a compact, hashable key.

    Small arrays are kept byte for byte, so states are compared exactly; a
    large one (a big election) is kept as the SHA-256 digest of its bytes,
    so that the states a ``"all"`` search remembers stay small. Two
    different states of one count could then share a key only by a SHA-256
    collision.
    """
    data = values.tobytes() if values.dtype != object else repr(values.tolist()).encode()
    return data if len(data) <= STATE_BYTES else hashlib.sha256(data).digest()


class OpenTie(Exception):
    """Raised inside a count when the policy leaves a tie open; the rule stops there."""


class KnownState(Exception):
    """Raised inside a count under ``"all"`` when it reaches a state already explored; the run stops there."""

    def __init__(self, summary: Summary) -> None:
        super().__init__("state already explored")
        self.summary = summary


TieKey: TypeAlias = tuple[int, str, tuple[Candidate, ...]]


@attrs.define
class Summary:
    """What the runs through one state came to: their outcomes, and the ties after it in the order first met."""

    outcomes: set[Hashable] = attrs.field(factory=set)
    ties: dict[TieKey, TieRecord] = attrs.field(factory=dict)
    resolutions: int = 0  # the complete resolutions of the ties that pass through the state

    def add(self, outcomes: Iterable[Hashable], ties: Iterable[TieRecord], resolutions: int) -> None:
        self.outcomes.update(outcomes)
        self.resolutions += resolutions
        for record in ties:
            self.ties.setdefault((record.round, record.decision, record.candidates), record)


@attrs.define
class _Open:
    key: Hashable
    position: int  # the choices made before the state was reached
    records: int  # the ties recorded before it
    summary: Summary = attrs.field(factory=Summary)


class Search:
    """The state of a ``"all"`` search across its runs: explored states, and those on the current path."""

    def __init__(self) -> None:
        self.explored: dict[Hashable, Summary] = {}
        self.path: list[_Open] = []
        self.reached = 0  # checkpoints met by the current run
        self.runs = 0

    def checkpoint(self, key: Hashable, resolver: TieResolver) -> None:
        index = self.reached
        self.reached += 1
        if index < len(self.path):
            return  # on the part of the path this run shares with the previous one
        known = self.explored.get(key)
        if known is not None:
            raise KnownState(known)
        self.path.append(_Open(key, resolver.choices_made, len(resolver.records)))


class TieResolver:
    """Breaks ties during one count and records each one.

    ``favoured`` answers the question the tie poses: to be elected or to
    advance, the favoured candidates are chosen; to be eliminated, the
    disfavoured ones are. Under ``"all"``, a resolver follows a script of
    choices, and :func:`every_universe` enumerates the scripts.
    """

    def __init__(
        self,
        tie_break: TieBreak,
        seed: int | None,
        candidates: Sequence[Candidate],
        *,
        script: list[int] | None = None,
        search: Search | None = None,
    ) -> None:
        if not isinstance(tie_break, TieBreak):
            raise OptionError(f"a tie resolver needs a TieBreak, not {excerpt(tie_break)}")
        self.tie_break = tie_break
        self.candidates = tuple(candidates)
        self.seed = seed
        self.position = {c: i for i, c in enumerate(candidates)}
        self.lots = LotDrawer(seed) if seed is not None and not tie_break.rctab else None
        # RCTab's modes: one java.util.Random per count, and the permutation drawn at the start
        self.java = JavaRandom(seed) if seed is not None and tie_break.rctab else None
        self._permutation: dict[Candidate, int] | None = None
        self.records: list[TieRecord] = []
        self.script = script if script is not None else []
        self.choices_made = 0
        self.widths: list[int] = []
        self.search = search
        self.limit: int | None = None  # the bound on runs of a ``"all"`` search (by default MAX_UNIVERSES)
        self.why = "the bound on resolutions explored"  # which bound ``limit`` is, for messages

    def checkpoint(self, key: Callable[[], Hashable]) -> None:
        """Mark the start of a round; ``key()`` must determine everything the rest of the count does.

        Called by counts between decisions. Outside a ``"all"`` search it
        does nothing (``key`` is not even called); within one, a run that
        reaches a state already explored stops with :class:`KnownState`.
        """
        if self.search is not None:
            self.search.checkpoint(key(), self)

    def choose(
        self,
        tied: Iterable[Candidate],
        places: int,
        *,
        round: int,
        decision: str,
        favour: bool = True,
        history: Sequence[Mapping[Candidate, Votes]] = (),
    ) -> tuple[Candidate, ...]:
        """Pick ``places`` of the ``tied`` candidates for ``decision``.

        ``favour`` is true when being picked is good (elected, advancing) and
        false when it is bad (eliminated). ``history`` holds the tallies of
        the rounds before this one, oldest first. Raises :class:`OpenTie`
        when the policy leaves the tie open.
        """
        ordered = sorted(set(tied), key=self.position.__getitem__)
        if places >= len(ordered):
            return tuple(ordered)
        if self.tie_break.rctab:
            # RCTab decides one place at a time; the record lists the picks in the order drawn
            chosen, detail = self._rctab(ordered, places, favour, history)
        else:
            chosen, detail = self._apply(self.tie_break, ordered, places, favour, history)
            chosen = sorted(chosen, key=self.position.__getitem__)
        self.records.append(
            TieRecord(round, decision, tuple(ordered), places, str(self.tie_break), tuple(chosen), detail)
        )
        if not chosen:
            raise OpenTie(decision)
        return tuple(sorted(chosen, key=self.position.__getitem__))

    def settled(
        self,
        tied: Iterable[Candidate],
        places: int,
        chosen: Iterable[Candidate],
        *,
        round: int,
        decision: str,
        rule: str,
        detail: str = "",
    ) -> None:
        """Record a tie that the rule's own statute settled (``rule`` names how), without the tie-break policy.

        ``tied`` and ``chosen`` are recorded in the order given.
        """
        self.records.append(
            TieRecord(
                round,
                decision,
                tuple(tied),
                places,
                rule,
                tuple(chosen),
                detail,
            )
        )

    def _apply(
        self,
        policy: TieBreak,
        tied: list[Candidate],
        places: int,
        favour: bool,
        history: Sequence[Mapping[Candidate, Votes]],
    ) -> tuple[list[Candidate], str]:
        """The candidates ``policy`` picks (none if it leaves the tie open), and why."""
        if policy.policy == "stop":
            return [], "left open: tie_break is 'stop'"
        if policy.policy == "lot":
            if self.lots is None:
                return [], "left open: drawing lots needs an explicit seed"
            drawn = self.lots.shuffle(tied)
            return drawn[:places], "drawn by lot: " + ", ".join(c.name for c in drawn)
        if policy.policy == "order":
            rank = {name: i for i, name in enumerate(policy.order)}
            missing = [c.name for c in tied if c.name not in rank]
            if missing:
                return [], f"left open: {', '.join(missing)} not in the tie-break order"
            ranked = sorted(tied, key=lambda c: rank[c.name])
            chosen = ranked[:places] if favour else ranked[len(ranked) - places :]
            return chosen, f"by the given order{f' ({policy.basis})' if policy.basis else ''}"
        if policy.policy == "previous-rounds":
            return self._previous_rounds(policy, tied, places, favour, history)
        return self._branch(tied, places)

    def _previous_rounds(
        self,
        policy: TieBreak,
        tied: list[Candidate],
        places: int,
        favour: bool,
        history: Sequence[Mapping[Candidate, Votes]],
    ) -> tuple[list[Candidate], str]:
        # Walk back through earlier rounds, latest first; each round can settle
        # part of the order, and only candidates still level go further back.
        groups: list[list[Candidate]] = [tied]
        for back, tally in enumerate(reversed(history), start=1):
            refined: list[list[Candidate]] = []
            for group in groups:
                by_votes: dict[Votes, list[Candidate]] = {}
                for c in group:
                    by_votes.setdefault(tally.get(c, 0), []).append(c)
                for votes in sorted(by_votes, reverse=favour):
                    refined.append(by_votes[votes])
            groups = refined
            if _boundary_group(groups, places) is None:
                return list(itertools.chain.from_iterable(groups))[:places], f"by counts {back} round(s) back"
        fallback = policy.then or TieBreak("stop")
        why = "no earlier round to compare" if not history else "earlier rounds did not separate them"
        settled: list[Candidate] = []
        for group in groups:
            if len(settled) + len(group) <= places:
                settled.extend(group)
                continue
            rest, detail = self._apply(fallback, group, places - len(settled), favour, history)
            if not rest:
                return [], f"{why}; then {fallback}: {detail}"
            return settled + rest, f"{why}; then {fallback}: {detail}"
        return settled, "by earlier rounds"

    def _branch(self, tied: list[Candidate], places: int) -> tuple[list[Candidate], str]:
        # The options are counted, and the one this run follows is built from its index, so a tie of
        # many candidates costs nothing before the bound on resolutions is checked.
        limit = MAX_UNIVERSES if self.limit is None else self.limit
        width = options_within(len(tied), places, limit)
        if width is None:
            raise OptionError(
                f"tie_break 'all': a tie of {len(tied):,} candidates for {places:,} place(s) has"
                f" {_count_text(len(tied), places)} resolutions, more than {limit:,} resolutions of the ties"
                f" ({self.why}); use another policy"
            )
        index = self.choices_made
        self.choices_made += 1
        if index < len(self.script):
            pick = self.script[index]
        else:
            self.script.append(0)
            pick = 0
        self.widths.append(width)
        return [tied[i] for i in combination(len(tied), places, pick)], "every resolution followed (tie_break 'all')"

    # -- RCTab's modes ----------------------------------------------------------------------

    def _rctab(
        self, tied: list[Candidate], places: int, favour: bool, history: Sequence[Mapping[Candidate, Votes]]
    ) -> tuple[list[Candidate], str]:
        """RCTab's pick of ``places`` of ``tied``, one at a time (none if the tie is left open), and why."""
        chosen: list[Candidate] = []
        details: list[str] = []
        pool = list(tied)
        for _ in range(places):
            pick, detail = self._rctab_one(pool, favour, history)
            if pick is None:
                return [], detail
            chosen.append(pick)
            details.append(detail)
            pool.remove(pick)
        return chosen, "; ".join(details)

    def _rctab_one(
        self, pool: list[Candidate], favour: bool, history: Sequence[Mapping[Candidate, Votes]]
    ) -> tuple[Candidate | None, str]:
        policy = self.tie_break.policy
        if policy == "candidate-order":
            pick = pool[0] if favour else pool[-1]
            return pick, f"{pick.name} by candidate order"
        if policy == "rctab-permutation":
            order = self._permutation_order()
            if order is None:
                return None, "left open: generating a permutation needs a seed"
            ranked = sorted(pool, key=order.__getitem__)
            pick = ranked[0] if favour else ranked[-1]
            return pick, f"{pick.name} by the generated permutation"
        if policy == "previous-rounds+rctab-random":
            group = list(pool)
            for back, tally in enumerate(reversed(history), start=1):
                best = (max if favour else min)(tally.get(c, 0) for c in group)
                group = [c for c in group if tally.get(c, 0) == best]
                if len(group) == 1:
                    return group[0], f"{group[0].name} by counts {back} round(s) back"
            names = java_hash_set_order([c.name for c in group])
            return self._java_pick(group, names, "earlier rounds did not separate them; ")
        names = sorted((c.name for c in pool), key=java_order)
        return self._java_pick(pool, names, "")

    def _java_pick(self, group: list[Candidate], names: list[str], prefix: str) -> tuple[Candidate | None, str]:
        if self.java is None:
            return None, prefix + "left open: a random tie-break needs a seed"
        index = math.floor(self.java.next_double() * len(names))
        by_name = {c.name: c for c in group}
        pick = by_name[names[index]]
        return pick, f"{prefix}{pick.name} drawn by java.util.Random (index {index} of {', '.join(names)})"

    def _permutation_order(self) -> dict[Candidate, int] | None:
        if self._permutation is None:
            if self.seed is None:
                return None
            names = sorted((c.name for c in self.candidates), key=java_order)
            shuffled = java_shuffle(names, JavaRandom(self.seed))
            by_name = {c.name: c for c in self.candidates}
            self._permutation = {by_name[name]: i for i, name in enumerate(shuffled)}
        return self._permutation


def options_within(n: int, k: int, limit: int) -> int | None:
    """``math.comb(n, k)``, the ways of choosing ``k`` of ``n``, if it is at most ``limit``; else None.

    The binomials C(n, 1), C(n, 2), … grow up to C(n, min(k, n - k)), so the
    product stops as soon as it passes ``limit``: a tie of a million
    candidates for half the places is refused after a few steps.
    """
    k = min(k, n - k)
    if k < 0:
        return 0
    count = 1
    for i in range(1, k + 1):
        count = count * (n - k + i) // i  # C(n - k + i, i), exact at every step
        if count > limit:
            return None
    return count


def _count_text(n: int, k: int) -> str:
    """C(n, k) in words: exactly while it has at most 40 digits, else its order of magnitude (never computed)."""
    k = min(k, n - k)
    digits = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / math.log(10)
    if digits < 40:
        return f"{math.comb(n, k):,}"
    return f"about 10^{math.floor(digits)}"


def combination(n: int, k: int, index: int) -> list[int]:
    """The ``index``-th (from 0) choice of ``k`` of ``range(n)``, in the order of :func:`itertools.combinations`.

    Each position is found by skipping the blocks of choices that start
    lower, so it takes at most ``n`` steps and builds no other choice.
    """
    chosen: list[int] = []
    start = 0
    for slot in range(k):
        rest = k - slot - 1
        for i in range(start, n):
            block = math.comb(n - i - 1, rest)  # the choices whose next item is i
            if index < block:
                chosen.append(i)
                start = i + 1
                break
            index -= block
    return chosen


def _boundary_group(groups: list[list[Candidate]], places: int) -> list[Candidate] | None:
    """The group straddling the cut after ``places`` candidates, if any."""
    taken = 0
    for group in groups:
        if taken < places < taken + len(group):
            return group
        taken += len(group)
    return None


MAX_UNIVERSES: Final = 10_000
"""The most runs of a count that ``tie_break="all"`` makes (each follows one resolution of the ties)."""

MAX_TIE_WORK: Final = 10**9
"""The most runs times the size of the count (unique ballots times candidates) ``tie_break="all"`` takes on.

A run costs about as much as the count's size, so this bounds the time of a
search as :data:`MAX_UNIVERSES` bounds its runs: a thousand tied candidates
on a thousand ballots may make a thousand runs, three thousand may not make
three thousand. Eight candidates tied in every round of all 40,320 rankings
(770 runs of 322,560 cells) stay within it.
"""


def run_limit(size: int, limit: int | None = None) -> int:
    """How many runs a ``"all"`` search of a count of ``size`` cells may make: within both bounds, at least one."""
    limit = MAX_UNIVERSES if limit is None else limit
    return max(1, min(limit, MAX_TIE_WORK // max(1, size)))


Outcome: TypeAlias = Hashable


@attrs.frozen
class Exploration:
    """What following every resolution found: the first run's count, every outcome, and every tie.

    ``runs`` is how many times the count was run; ``resolutions`` how many
    complete resolutions of the ties those runs stand for (a run that
    reaches a state already explored stands for every resolution after it).
    """

    first: Any
    outcomes: frozenset[Outcome]
    ties: tuple[TieRecord, ...]
    runs: int
    resolutions: int = 1


def every_universe(
    run: Callable[[TieResolver], Any],
    make_resolver: Callable[[list[int], Search | None], TieResolver],
    outcome: Callable[[Any], Outcome],
    *,
    memo: bool = True,
    limit: int | None = None,
    size: int = 1,
) -> Exploration:
    """Follow every resolution of a count's ties, for the ``"all"`` policy (see the module notes).

    ``make_resolver(script, search)`` builds the resolver of one run, which
    follows ``script``; ``run(resolver)`` counts with it and returns the
    count (or raises :class:`KnownState` where the count reaches a state
    already explored); ``outcome(count)`` is what the run decided. With
    ``memo`` false, every resolution is followed to its end. At most
    ``limit`` runs are made (by default :data:`MAX_UNIVERSES`), and fewer
    for a count of ``size`` cells (unique ballots times candidates) where
    :data:`MAX_TIE_WORK` says so.
    """
    bound = MAX_UNIVERSES if limit is None else limit
    limit = run_limit(size, bound)
    why = (
        "the bound on resolutions explored"
        if limit == bound
        else f"the most a count of {size:,} cells (unique ballots times candidates) may make within MAX_TIE_WORK"
    )
    search = Search()
    everything = Summary()
    first: Any = None
    script: list[int] = []
    while True:
        search.runs += 1
        if search.runs > limit:
            raise OptionError(
                f"tie_break 'all' would follow more than {limit:,} resolutions of the ties ({why}); use another policy"
            )
        search.reached = 0
        resolver = make_resolver(list(script), search if memo else None)
        resolver.limit = limit
        resolver.why = why
        tail: tuple[TieRecord, ...] = ()  # the ties met after a known state, in the order first met
        try:
            count = run(resolver)
        except KnownState as known:
            outcomes = set(known.summary.outcomes)
            tail = tuple(known.summary.ties.values())
            resolutions = known.summary.resolutions
        else:
            outcomes = {outcome(count)}
            resolutions = 1
            if first is None:
                first = count
        records = resolver.records
        everything.add(outcomes, (*records, *tail), resolutions)
        for state in search.path:
            state.summary.add(outcomes, (*records[state.records :], *tail), resolutions)
        script = resolver.script[: resolver.choices_made]
        widths = resolver.widths
        while script and script[-1] + 1 >= widths[len(script) - 1]:
            script.pop()
        # states reached after the choice that changes next are fully explored
        changed = len(script) - 1
        while search.path and search.path[-1].position > changed:
            done = search.path.pop()
            search.explored[done.key] = done.summary
        if not script:
            return Exploration(
                first,
                frozenset(everything.outcomes),
                tuple(everything.ties.values()),
                search.runs,
                everything.resolutions,
            )
        script[-1] += 1
