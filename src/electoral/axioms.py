"""Axiom checks: search an election for a violation of a voting axiom by a rule.

Each check takes an election and a rule (a registered name or a configured
rule, third-party rules included) and returns ``None`` when it finds no
violation, or a :class:`Violation`: the witness, holding the election, the
modified election where the axiom involves one, and the two outcomes.

Outcomes are compared only when they are decided (``status == "decided"``),
so a tie left open or a runoff still to be held is never counted as a
violation. Searches that modify the election try a bounded, documented set
of changes, in a fixed order, so they are reproducible; ``None`` means no
violation was found among them, not a proof that none exists.

>>> from electoral import Election
>>> from electoral.axioms import condorcet_winner
>>> e = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>B>A": 2})
>>> print(condorcet_winner(e, "plurality").explanation)
B is the Condorcet winner (beats A 5–4, C 7–2) but plurality elects A.

Every check is also a ready-made Hypothesis property (see :func:`hypothesis_property`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import attrs
import numpy as np

from electoral._api import tabulate
from electoral._display import MimeBundleMixin
from electoral._model import Ballot, Candidate, Election
from electoral._registry import Rule, build, get
from electoral._research import _axioms_pairwise as pairwise
from electoral._research import _axioms_search as search
from electoral._result import Result
from electoral._text import excerpt
from electoral.errors import ElectoralError, OptionError

__all__ = [
    "AXIOMS",
    "RuleLike",
    "Violation",
    "check",
    "condorcet_loser",
    "condorcet_winner",
    "consistency",
    "hypothesis_property",
    "independence_of_clones",
    "majority",
    "monotonicity",
    "pareto",
    "participation",
    "rule_instance",
]


@attrs.frozen
class Violation(MimeBundleMixin):
    """A witness that ``rule`` fails ``axiom``.

    ``election`` and ``outcome`` are the election searched and its result.
    ``modified`` and ``modified_outcome`` are the changed election and its
    result, for axioms about a change (monotonicity, participation, clones,
    consistency); for consistency, ``parts`` are the two halves that each
    elect the same winner on their own.
    """

    axiom: str
    rule: str
    election: Election = attrs.field(repr=False)
    outcome: Result = attrs.field(repr=False)
    explanation: str
    modified: Election | None = attrs.field(default=None, repr=False)
    modified_outcome: Result | None = attrs.field(default=None, repr=False)
    parts: tuple[Election, ...] = attrs.field(default=(), repr=False)

    def __str__(self) -> str:
        lines = [f"{self.rule} violates {self.axiom}: {self.explanation}", "", str(self.outcome)]
        if self.modified_outcome is not None:
            lines += ["", "After the change:", str(self.modified_outcome)]
        return "\n".join(lines)

    def _html(self) -> str:
        import html

        out = [f"<div class='electoral-violation'><p><b>{html.escape(self.rule)}</b> violates "]
        out.append(f"<b>{html.escape(self.axiom)}</b>: {html.escape(self.explanation)}</p>")
        out.append(self.outcome._html())
        if self.modified_outcome is not None:
            out.append("<p>After the change:</p>")
            out.append(self.modified_outcome._html())
        out.append("</div>")
        return "".join(out)


# -- running a rule -------------------------------------------------------------

RuleLike = Rule | str | type[Any]
"""A registered rule's name, a rule class (used with default options), or a configured rule."""


def rule_instance(rule: RuleLike) -> Rule:
    """A configured rule from a registered name, a rule class (default options) or a rule object."""
    if isinstance(rule, str):
        rule = get(rule)
    if isinstance(rule, type):
        return build(rule)
    if not isinstance(rule, Rule):
        raise OptionError(f"rule must be a registered name, a rule class or a rule object, not {excerpt(rule)}")
    return rule


def _name(rule: Rule) -> str:
    return rule.info.name


def _run(election: Election, rule: Rule) -> Result | None:
    """The result, or None when the rule cannot count this election (an error, not a verdict)."""
    try:
        return tabulate(election, rule)
    except ElectoralError:
        return None


def _decided(result: Result | None) -> frozenset[Candidate] | None:
    if result is None or result.status != "decided" or not result.winners:
        return None
    return frozenset(result.winners)


def _names(candidates: Iterable[Candidate]) -> str:
    return ", ".join(sorted(c.name for c in candidates)) or "nobody"


class _Budget:
    """Counts tabulations so a search stops after ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise OptionError(f"budget must be at least 1 tabulation, not {excerpt(limit)}")
        self.left = limit

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


# -- axioms about one election ------------------------------------------------------


def condorcet_winner(election: Election, rule: RuleLike, /) -> Violation | None:
    """Condorcet winner criterion: a candidate who beats every other head to head must win.

    "If a candidate is preferred by a majority over each other candidate,
    that candidate must be elected" (Condorcet, 1785). Single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    winner = pairwise.condorcet_winner(election)
    if winner is None:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None or elected == {winner}:
        return None
    s = pairwise.support(election)
    w = election.candidates.index(winner)
    beats = ", ".join(f"{c.name} {s[w, i]}–{s[i, w]}" for i, c in enumerate(election.candidates) if c != winner)
    return Violation(
        "condorcet-winner",
        _name(rule),
        election,
        outcome,
        f"{winner.name} is the Condorcet winner (beats {beats}) but {_name(rule)} elects {_names(elected)}.",
    )


def condorcet_loser(election: Election, rule: RuleLike, /) -> Violation | None:
    """Condorcet loser criterion: a candidate beaten head to head by every other must not win.

    "A candidate whom a majority prefers every other candidate to must not
    be elected." Single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    loser = pairwise.condorcet_loser(election)
    if loser is None:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None or loser not in elected:
        return None
    return Violation(
        "condorcet-loser",
        _name(rule),
        election,
        outcome,
        f"{loser.name} loses head to head to every other candidate but {_name(rule)} elects them.",
    )


def majority(election: Election, rule: RuleLike, /) -> Violation | None:
    """Majority criterion: a candidate ranked first, alone, by more than half the voters must win.

    "If one candidate is ranked first by a majority of voters, that
    candidate must win." Voters are those whose ballot marks someone;
    single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    first: dict[Candidate, int] = {}
    voters = 0
    for ballot in election.ballots:
        if ballot.scores is not None or ballot.is_blank:
            continue
        voters += ballot.count
        top = next(r for r in ballot.ranking if r)
        if len(top) == 1:
            (only,) = top
            first[only] = first.get(only, 0) + ballot.count
    leader = next((c for c, n in first.items() if 2 * n > voters), None)
    if leader is None:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None or elected == {leader}:
        return None
    return Violation(
        "majority",
        _name(rule),
        election,
        outcome,
        f"{leader.name} is ranked first by {first[leader]:,} of {voters:,} voters, a majority, "
        f"but {_name(rule)} elects {_names(elected)}.",
    )


def pareto(election: Election, rule: RuleLike, /) -> Violation | None:
    """Pareto efficiency: no one elected may be ranked below the same other candidate by every voter.

    "If every voter prefers x to y, then y must not be elected (when x is
    not)." Voters are those casting a ranked ballot.
    """
    rule = rule_instance(rule)
    counts, position = pairwise.positions(election)
    voting = counts > 0
    if not voting.any():
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None:
        return None
    index = {c: i for i, c in enumerate(election.candidates)}
    for loser in sorted(elected, key=index.__getitem__):
        for better in election.candidates:
            if better in elected:
                continue
            if np.all(position[voting, index[better]] < position[voting, index[loser]]):
                return Violation(
                    "pareto",
                    _name(rule),
                    election,
                    outcome,
                    f"every voter ranks {better.name} above {loser.name}, but {_name(rule)} elects "
                    f"{loser.name} and not {better.name}.",
                )
    return None


# -- axioms about a change ----------------------------------------------------------


def monotonicity(
    election: Election, rule: RuleLike, /, *, exhaustive_up_to: int = 30, budget: int = 5000
) -> Violation | None:
    """Monotonicity: raising a winner on some ballots, changing nothing else, must not make them lose.

    "If a candidate wins, and some voters rank that candidate higher without
    changing the order of the others, that candidate must still win"
    (Smith, *Econometrica* 41, 1973). Tries each winner raised to every
    higher rank on k of the voters of each kind of ballot: every k up to
    ``exhaustive_up_to``, then a spread; at most ``budget`` tabulations.
    """
    rule = rule_instance(rule)
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None:
        return None
    spend = _Budget(budget)
    for winner in sorted(elected, key=election.candidates.index):
        for modified, change in search.raised(election, winner, exhaustive_up_to):
            if not spend.spend():
                return None
            after = _run(modified, rule)
            now = _decided(after)
            if after is not None and now is not None and winner not in now:
                return Violation(
                    "monotonicity",
                    _name(rule),
                    election,
                    outcome,
                    f"{winner.name} wins; but if {change}, {_name(rule)} elects {_names(now)} instead.",
                    modified,
                    after,
                )
    return None


def participation(
    election: Election,
    rule: RuleLike,
    /,
    *,
    exhaustive_up_to: int = 30,
    joiners: int | None = None,
    budget: int = 5000,
) -> Violation | None:
    """Participation (no-show paradox): voters must never do better by staying at home.

    "Adding a ballot on which x is ranked above y must not change the
    winner from x to y" (Moulin, *J. Economic Theory* 45, 1988). Tries k
    of the voters of each kind of ballot abstaining, then up to ``joiners``
    (default: as many as voted) more voters casting each kind of ballot
    present; single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None or len(elected) != 1:
        return None
    (winner,) = elected
    here = (election, outcome, winner)
    spend = _Budget(budget)
    voted = sum(b.count for b in election.ballots)
    limit = voted if joiners is None else joiners
    kinds = [b.with_count(1) for b in election.ballots if b.scores is None and not b.is_blank]
    # Voters leaving the election, then voters joining it: in each case compare the election
    # with those voters present against the one without them.
    leaving_steps = ((True, step) for step in search.removed(election, exhaustive_up_to))
    joining_steps = ((False, step) for step in search.joined(election, kinds, max(limit, 1), exhaustive_up_to))
    for leaving, (modified, ballot, k) in itertools.chain(leaving_steps, joining_steps):
        if not spend.spend():
            return None
        after = _run(modified, rule)
        now = _decided(after)
        if after is None or now is None or len(now) != 1:
            continue
        (other,) = now
        there = (modified, after, other)
        present, absent = (here, there) if leaving else (there, here)
        violation = _abstention_pays(rule, ballot, k, present, absent)
        if violation is not None:
            return violation
    return None


_Situation: TypeAlias = tuple[Election, Result, Candidate]


def _abstention_pays(rule: Any, ballot: Ballot, k: int, present: _Situation, absent: _Situation) -> Violation | None:
    """A violation if the ``k`` voters who cast ``ballot`` prefer the winner without them to the one with them."""
    (with_election, with_outcome, with_winner), (without_election, without_outcome, without_winner) = present, absent
    if not _ranks_above(ballot, without_winner, with_winner):
        return None
    return Violation(
        "participation",
        _name(rule),
        with_election,
        with_outcome,
        f"{_name(rule)} elects {with_winner.name}; if {k} of the voters who cast {str(ballot)!r} stayed at "
        f"home it would elect {without_winner.name}, whom they rank higher.",
        without_election,
        without_outcome,
    )


def _ranks_above(ballot: Ballot, better: Candidate, worse: Candidate) -> bool:
    def rank(candidate: Candidate) -> int:
        return next((i for i, r in enumerate(ballot.ranking) if candidate in r), len(ballot.ranking))

    return ballot.scores is None and rank(better) < rank(worse)


def independence_of_clones(
    election: Election, rule: RuleLike, /, *, patterns_up_to: int = 6, budget: int = 5000
) -> Violation | None:
    """Independence of clones: adding a clone of a candidate must not change who wins.

    "The winner must not change because a candidate similar to an existing
    one (ranked next to them by every voter) is added", where a clone of the
    winner winning counts as the winner winning (Tideman, *Social Choice and
    Welfare* 4, 1987). Tries a clone of each candidate, ranked just above or
    just below them: every choice per kind of ballot when at most
    ``patterns_up_to`` kinds mark them, else all-above, all-below and
    alternating. Single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None or len(elected) != 1:
        return None
    (winner,) = elected
    spend = _Budget(budget)
    for candidate in election.candidates:
        for modified, clone, change in search.clone_variants(election, candidate, patterns_up_to):
            if not spend.spend():
                return None
            after = _run(modified, rule)
            now = _decided(after)
            if after is None or now is None or len(now) != 1:
                continue
            (other,) = now
            if (candidate if other == clone else other) != winner:
                return Violation(
                    "independence-of-clones",
                    _name(rule),
                    election,
                    outcome,
                    f"{_name(rule)} elects {winner.name}; when {change}, it elects {other.name}.",
                    modified,
                    after,
                )
    return None


def consistency(
    election: Election,
    rule: RuleLike,
    /,
    *,
    max_splits: int = 2000,
    rng: np.random.Generator | None = None,
    tries: int = 200,
    budget: int = 5000,
) -> Violation | None:
    """Consistency (reinforcement): if two groups of voters each elect x, together they must elect x.

    "If a candidate is selected by two disjoint electorates separately, it
    must be selected by their union" (Young, *SIAM J. Applied Math.* 28,
    1975). Tries every way of splitting the voters in two when there are at
    most ``max_splits`` of them, else every way of splitting the kinds of
    ballot if that few, then with ``rng`` also ``tries`` random splits.
    Single-seat elections only.
    """
    rule = rule_instance(rule)
    if election.seats != 1:
        return None
    outcome = _run(election, rule)
    elected = _decided(outcome)
    if outcome is None or elected is None:
        return None
    spend = _Budget(budget)
    for left, right in search.splits(election, max_splits, rng, tries):
        if not spend.spend():
            return None
        first = _decided(_run(left, rule))
        if first is None or len(first) != 1 or first == elected:
            continue  # a split into halves that each elect the same winner as the whole cannot be a witness
        if not spend.spend():
            return None
        second = _decided(_run(right, rule))
        if second == first:
            (both,) = first
            return Violation(
                "consistency",
                _name(rule),
                election,
                outcome,
                f"split in two groups of {_voters(left):,} and {_voters(right):,} voters, each elects "
                f"{both.name} on its own, but together they elect {_names(elected)}.",
                parts=(left, right),
            )
    return None


def _voters(election: Election) -> int:
    return sum(b.count for b in election.ballots)


# -- the registry of checks and the Hypothesis properties ------------------------------

Check = Callable[..., Violation | None]

AXIOMS: Final[Mapping[str, Check]] = MappingProxyType(
    {
        "condorcet-winner": condorcet_winner,
        "condorcet-loser": condorcet_loser,
        "majority": majority,
        "pareto": pareto,
        "monotonicity": monotonicity,
        "participation": participation,
        "independence-of-clones": independence_of_clones,
        "consistency": consistency,
    }
)
"""Every check by name (read-only)."""


def _check_function(axiom: str | Check) -> Check:
    if callable(axiom):
        return axiom
    try:
        return AXIOMS[axiom]
    except KeyError:
        raise OptionError(f"no axiom is called {excerpt(axiom)} (axioms: {', '.join(AXIOMS)})") from None


def check(axiom: str | Check, election: Election, rule: RuleLike, /, **options: Any) -> Violation | None:
    """Run the check named ``axiom`` (see :data:`AXIOMS`) with its ``options``."""
    return _check_function(axiom)(election, rule, **options)


def hypothesis_property(
    axiom: str | Check,
    rule: RuleLike,
    /,
    *,
    elections: Any = None,
    max_examples: int | None = None,
    **options: Any,
) -> Callable[[], None]:
    """A ready-made Hypothesis test that ``rule`` satisfies ``axiom`` on generated elections.

    ``elections`` is a Hypothesis strategy of elections (default: single-seat
    elections of 3 or 4 candidates and 2 to 6 kinds of ranked ballot, from
    :func:`electoral.testing.strategies.elections`).
    The returned function takes no arguments; assign it to a ``test_*``
    name in a test module and pytest runs it. On a violation it fails with
    the witness. Needs Hypothesis (``pip install 'electoral[testing]'``).

    >>> from electoral.axioms import hypothesis_property
    >>> test_plurality_is_pareto = hypothesis_property("pareto", "plurality", max_examples=20)
    >>> test_plurality_is_pareto()
    """
    from hypothesis import given, settings

    from electoral.testing.strategies import elections as election_strategy

    function = _check_function(axiom)
    label = axiom if isinstance(axiom, str) else getattr(axiom, "__name__", "axiom")
    instance = rule_instance(rule)
    strategy = (
        elections
        if elections is not None
        else election_strategy(
            min_candidates=3, max_candidates=4, min_ballots=2, max_ballots=6, max_count=20, extra_counts=False
        )
    )

    def property_holds(election: Election) -> None:
        found = function(election, instance, **options)
        if found is not None:
            raise AssertionError(str(found))

    property_holds.__name__ = f"test_{_name(instance).replace('-', '_')}_{label.replace('-', '_')}"
    property_holds.__doc__ = f"{_name(instance)} satisfies {label}: {(function.__doc__ or '').strip().splitlines()[0]}"
    test = given(strategy)(property_holds)
    # A search's time varies with what it finds, so Hypothesis's per-example deadline would only
    # report flaky timings; the number of examples stays the user's (or their profile's) choice.
    if max_examples is None:
        return settings(deadline=None)(test)
    return settings(deadline=None, max_examples=max_examples)(test)
