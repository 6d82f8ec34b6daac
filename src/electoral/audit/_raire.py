"""RAIRE: the assertions that confirm an instant-runoff winner, found by branch and bound.

The search is Algorithm 1 of Blom, Stuckey and Teague, "RAIRE:
Risk-limiting audits for IRV elections" (2019, arXiv:1903.08804), section 4.
An alternative outcome is an elimination order whose last candidate is not
the reported winner; the search grows the orders' *suffixes* (the last
candidates to leave, ``pi[0]`` leaving first among them) from each other
candidate as winner, always expanding the suffix whose best assertion is
hardest (largest expected sample). A suffix is settled once an assertion
rules it out: the best assertion for suffix ``pi`` is the easiest of

- ``NEB(pi[0], c)`` for a ``c`` later in ``pi``, or ``NEB(c, pi[0])`` for a
  ``c`` not in ``pi`` (already gone): either contradicts ``pi``;
- ``NEN(pi[0], c, set(pi))`` with ``c`` the weakest other candidate in ``pi``:
  ``pi[0]`` out-polls ``c``, so it is not the first of ``pi`` to go;

and an assertion found for a shorter suffix covers all its extensions. The
running lower bound is the hardest assertion the set must hold in any case
(for a complete order, nothing longer can help); any suffix whose best
assertion is no harder is settled at once (the paper's "free" assertions).
When a complete order has no assertion with a finite sample size, no set
exists (the count is too close, or tied) and :class:`UnconfirmedWinnerError` is raised.

Tallies for a continuing set come from :class:`~electoral.audit._tallies.Tallies`,
which reads the ballots exactly as ``instant-runoff`` does under the
options given.
"""

from __future__ import annotations

import heapq
import math
from typing import Any, Final

from electoral._model import MAX_VOTERS, Election
from electoral._text import excerpt
from electoral.audit._assertions import Assertion, AssertionSet
from electoral.audit._difficulty import AuditKind, asn, check_audit
from electoral.audit._tallies import Tallies
from electoral.audit._trim import trim as trim_keys
from electoral.errors import AuditError, OptionError, UnconfirmedWinnerError
from electoral.rules import InstantRunoff

__all__ = ["raire"]


# Options of instant-runoff that change who wins in ways RAIRE's assertions do not describe.
_REFUSED = {
    "undeclared_write_in": None,
    "minimum_vote_threshold": 0,
    "stop_tabulation_early_after_round": None,
}

#: The elimination-order suffixes the search looks at before it gives up (some 15 s and 120 MB at 20 candidates).
MAX_SUFFIXES: Final = 200_000

_Best = tuple[float, tuple[Any, ...]]  # (difficulty, assertion key)
_Entry = tuple[float, int, tuple[int, ...], int, _Best]


def raire(
    election: Election,
    *,
    audit: AuditKind = "comparison",
    risk_limit: float = 0.05,
    error_inflation: float = 1.1,
    ballots: int | None = None,
    winner: str | None = None,
    trim: bool = True,
    max_suffixes: int = MAX_SUFFIXES,
    **instant_runoff_options: Any,
) -> AssertionSet:
    """The RAIRE assertions that confirm ``election``'s instant-runoff winner.

    ``instant_runoff_options`` are those of :class:`~electoral.rules.InstantRunoff`
    (``overvote_rule``, ``max_skipped_ranks``, ``max_rankings``,
    ``exhaust_on_duplicate_candidate``, ``excluded``, ...): the assertions are
    about the ballots as that count reads them. ``audit`` (``"comparison"``,
    ``"polling"`` or ``"margin"``), ``risk_limit`` and ``error_inflation``
    choose the difficulty the search minimises (see
    :mod:`electoral.audit._difficulty`); ``ballots`` is the number of
    auditable ballots (default: every ballot of the election, blank and
    invalid ones included). ``winner`` is the reported winner's name (default:
    the winner of the instant-runoff count; give it when that count stops at
    a tie among losing candidates). The search checks it: no set is found for
    a wrong winner. With ``trim`` (the default) assertions that the others make
    redundant are dropped (see :mod:`electoral.audit._trim`). The search is
    exponential in the worst case (the paper's section 4): after looking at
    ``max_suffixes`` elimination-order suffixes it stops with
    :class:`~electoral.errors.AuditError` rather than run for hours.

    >>> from electoral import Election
    >>> e = Election.from_rankings({"A>B": 45, "B>C": 30, "C>A": 25})
    >>> s = raire(e)
    >>> [a.to_dict() for a in s.assertions]
    [{'type': 'NEB', 'winner': 'B', 'loser': 'C'}, {'type': 'NEB', 'winner': 'A', 'loser': 'B'}]
    >>> [a.margin for a in s.assertions]  # B's 30 first preferences against C's 25; A's 45 against B's 30
    [5, 15]
    """
    check_audit(audit, risk_limit, error_inflation)
    rule = InstantRunoff(**instant_runoff_options)
    for name, neutral in _REFUSED.items():
        if getattr(rule, name) != neutral:
            raise OptionError(f"raire does not support the instant-runoff option {name}={excerpt(getattr(rule, name))}")
    candidates = election.candidates
    if winner is None:
        reported = rule.tabulate(election).winner
        if reported is None:
            raise UnconfirmedWinnerError(
                "raire needs a reported winner, but the instant-runoff count elected nobody"
                " (a tie?); give the reported winner as winner=NAME"
            )
    elif winner in election.names and winner not in rule.excluded:
        reported = candidates[election.names.index(winner)]
    else:
        raise OptionError(f"winner {excerpt(winner)} is not a candidate of the contest")
    live = [i for i in range(len(candidates)) if candidates[i].name not in set(rule.excluded)]
    total = election.cast if ballots is None else ballots
    if isinstance(total, bool) or not isinstance(total, int) or not 1 <= total < MAX_VOTERS:
        raise OptionError(
            f"ballots must be a whole number from 1 to {MAX_VOTERS - 1} (what this library counts),"
            f" not {excerpt(total)}"
        )
    if isinstance(max_suffixes, bool) or not isinstance(max_suffixes, int) or max_suffixes < 1:
        raise OptionError(f"max_suffixes must be a whole number of at least 1, not {excerpt(max_suffixes)}")
    tallies = Tallies(election, rule.reading)
    search = _Search(tallies, live, candidates.index(reported), audit, risk_limit, error_inflation, total)
    keys = search.run(max_suffixes)
    if trim:
        keys = trim_keys(keys, search.difficulties, live, search.winner)
    assertions = tuple(search.build(key, candidates) for key in keys)
    return AssertionSet(
        candidates=tuple(candidates[i] for i in live),
        winner=reported,
        assertions=assertions,
        ballots=total,
        audit=audit,
        risk_limit=risk_limit,
        error_inflation=error_inflation,
        title=election.title,
    )


class _Search:
    """The branch and bound over elimination-order suffixes (candidates by index)."""

    def __init__(
        self,
        tallies: Tallies,
        live: list[int],
        winner: int,
        audit: AuditKind,
        risk_limit: float,
        error_inflation: float,
        ballots: int,
    ) -> None:
        self.tallies = tallies
        self.live = live
        self.winner = winner
        self.audit = audit
        self.risk_limit = risk_limit
        self.error_inflation = error_inflation
        self.ballots = ballots
        self.difficulties: dict[tuple[Any, ...], float] = {}
        everyone = sum(1 << c for c in live)
        self.first = tallies.tally(everyone)
        # NEB(w, l): w's first preferences against l's votes with only w and l continuing
        self.neb: dict[tuple[int, int], tuple[int, int, float]] = {}
        for w in live:
            for loser in live:
                if w != loser:
                    theirs = int(tallies.tally((1 << w) | (1 << loser))[loser])
                    ours = int(self.first[w])
                    self.neb[w, loser] = (ours, theirs, self._asn(ours, theirs))

    def _asn(self, winner: int, loser: int) -> float:
        return asn(
            self.audit, winner, loser, self.ballots, risk_limit=self.risk_limit, error_inflation=self.error_inflation
        )

    def best(self, pi: tuple[int, ...]) -> _Best:
        """The easiest assertion that contradicts suffix ``pi`` (``pi[0]`` leaves first)."""
        c = pi[0]
        later = set(pi[1:])
        found: _Best = (math.inf, ())
        for other in self.live:
            if other == c:
                continue
            pair = (c, other) if other in later else (other, c)
            difficulty = self.neb[pair][2]
            if difficulty < found[0]:
                found = (difficulty, ("NEB", *pair))
        if len(pi) > 1:
            mask = sum(1 << x for x in pi)
            tally = self.tallies.tally(mask)
            # the weakest other candidate; on equal votes the later in the election's order, as raire-rs does
            loser = min(sorted(pi[1:], reverse=True), key=lambda x: int(tally[x]))
            difficulty = self._asn(int(tally[c]), int(tally[loser]))
            if difficulty < found[0]:
                found = (difficulty, ("NEN", c, loser, mask))
        return found

    def run(self, max_suffixes: int) -> list[tuple[Any, ...]]:
        chosen: list[tuple[Any, ...]] = []
        looked = 0
        bound = 0.0
        # entries: (-difficulty, -length, pi, best-ancestor length, best): hardest first; among equally hard,
        # the longest (a dive to a complete order, whose assertion raises the bound and settles the rest)
        frontier: list[_Entry] = []
        for c in self.live:
            if c != self.winner:
                found = self.best((c,))
                frontier.append((-found[0], -1, (c,), 1, found))
        heapq.heapify(frontier)
        size = len(self.live)
        while frontier:
            _, _, pi, ancestor, found = heapq.heappop(frontier)
            if found[0] <= bound:
                if found[1] not in chosen:
                    frontier = _drop_extensions(frontier, pi[len(pi) - ancestor :])
                    chosen.append(found[1])
                    self.difficulties[found[1]] = found[0]
                continue
            for c in self.live:
                if c in pi:
                    continue
                child = (c, *pi)
                looked += 1
                if looked > max_suffixes:
                    raise AuditError(
                        f"the search looked at {max_suffixes} elimination-order suffixes without settling them all;"
                        " give a larger max_suffixes to search further"
                    )
                mine = self.best(child)
                if mine[0] < found[0]:
                    entry = (-mine[0], -len(child), child, len(child), mine)
                else:
                    entry = (-found[0], -len(child), child, ancestor, found)
                if len(child) == size:
                    if entry[4][0] == math.inf:
                        names = " > ".join(str(x) for x in child)
                        raise UnconfirmedWinnerError(
                            f"no assertion rules out the elimination order {names} (candidate indices):"
                            " the count is too close to audit"
                        )
                    if entry[4][1] not in chosen:
                        bound = max(bound, entry[4][0])
                        frontier = _drop_extensions(frontier, child[len(child) - entry[3] :])
                        chosen.append(entry[4][1])
                        self.difficulties[entry[4][1]] = entry[4][0]
                else:
                    heapq.heappush(frontier, entry)
        return chosen

    def build(self, key: tuple[Any, ...], candidates: Any) -> Assertion:
        if key[0] == "NEB":
            _, w, loser = key
            ours, theirs, difficulty = self.neb[w, loser]
            return Assertion(
                kind="NEB",
                winner=candidates[w],
                loser=candidates[loser],
                winner_tally=ours,
                loser_tally=theirs,
                difficulty=difficulty,
            )
        _, w, loser, mask = key
        tally = self.tallies.tally(mask)
        return Assertion(
            kind="NEN",
            winner=candidates[w],
            loser=candidates[loser],
            continuing=tuple(candidates[i] for i in range(len(candidates)) if (mask >> i) & 1),
            winner_tally=int(tally[w]),
            loser_tally=int(tally[loser]),
            difficulty=self._asn(int(tally[w]), int(tally[loser])),
        )


def _drop_extensions(frontier: list[_Entry], suffix: tuple[int, ...]) -> list[_Entry]:
    """The frontier without the suffixes that end with ``suffix`` (its assertion covers them)."""
    k = len(suffix)
    kept = [entry for entry in frontier if entry[2][len(entry[2]) - k :] != suffix]
    heapq.heapify(kept)
    return kept
