"""What a simulation measures on each election and result: yes, no, or not applicable.

A measure is a function ``(election, result) -> bool | None``. ``None``
means the question does not arise for this election (no Condorcet winner,
say), so the election does not count towards that rate. Measures must be
picklable (module-level functions, or instances of module-level classes) to
run on other processes or machines.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from electoral._model import Ballot, Candidate, Election
from electoral._model._election import Derived, derived
from electoral._research import _axioms_pairwise as pairwise
from electoral._result import Result
from electoral.errors import ElectoralError

__all__ = [
    "MEASURES",
    "Measure",
    "Violates",
    "condorcet_loser_elected",
    "condorcet_winner_elected",
    "condorcet_winner_exists",
    "decided",
    "majority_winner_elected",
    "manipulable_by_one_voter",
    "violates",
]

Measure = Callable[[Election, Result], bool | None]


# The election is immutable, so a fact about it is computed once for all the rules run on it.
_CONDORCET_WINNER: Final[Derived[Candidate | None]] = Derived("the Condorcet winner (research)")
_CONDORCET_LOSER: Final[Derived[Candidate | None]] = Derived("the Condorcet loser (research)")
_MAJORITY_WINNER: Final[Derived[Candidate | None]] = Derived("the majority winner (research)")


def _condorcet_winner(election: Election) -> Candidate | None:
    return derived(election, _CONDORCET_WINNER, pairwise.condorcet_winner)


def _single_winner(result: Result) -> Candidate | None:
    return result.winners[0] if result.status == "decided" and len(result.winners) == 1 else None


def condorcet_winner_exists(election: Election, result: Result) -> bool | None:
    """Whether the election has a Condorcet winner (the same for every rule)."""
    return _condorcet_winner(election) is not None


def condorcet_winner_elected(election: Election, result: Result) -> bool | None:
    """When there is a Condorcet winner: whether the rule elects them, alone and decided.

    A tie left open counts as not electing them.
    """
    winner = _condorcet_winner(election)
    if winner is None:
        return None
    return _single_winner(result) == winner


def condorcet_loser_elected(election: Election, result: Result) -> bool | None:
    """When there is a Condorcet loser: whether the rule elects them."""
    loser = derived(election, _CONDORCET_LOSER, pairwise.condorcet_loser)
    if loser is None:
        return None
    return result.status == "decided" and loser in result.winners


def majority_winner_elected(election: Election, result: Result) -> bool | None:
    """When a candidate is ranked first by more than half the voters: whether the rule elects them."""
    leader = derived(election, _MAJORITY_WINNER, _majority_winner)
    if leader is None:
        return None
    return _single_winner(result) == leader


def _majority_winner(election: Election) -> Candidate | None:
    counts, position = pairwise.positions(election)
    if position.shape[0] == 0:
        return None
    first = position == position.min(axis=1, keepdims=True)
    alone = first.sum(axis=1) == 1
    voters = int(counts.sum())
    for index, candidate in enumerate(election.candidates):
        if 2 * int(counts[alone & first[:, index]].sum()) > voters:
            return candidate
    return None


def manipulable_by_one_voter(election: Election, result: Result) -> bool | None:
    """Whether one voter, casting another complete ranking, could elect someone they rank above the winner.

    Single-winner, decided results only, and at most
    :data:`MANIPULATION_CANDIDATES` candidates, since every voter's every
    alternative ranking is tried (m! tabulations per kind of ballot);
    otherwise ``None``. Gibbard and Satterthwaite showed that with three or
    more candidates every reasonable rule is manipulable in some elections.
    """
    winner = _single_winner(result)
    candidates = election.candidates
    if winner is None or election.seats != 1 or len(candidates) > MANIPULATION_CANDIDATES:
        return None
    from electoral._api import tabulate

    rule: Any = result.rule  # the configured rule that produced the result
    orders = [tuple(frozenset({c}) for c in order) for order in itertools.permutations(candidates)]
    ballots = list(election.ballots)
    for index, ballot in enumerate(ballots):
        if ballot.scores is not None or ballot.is_blank:
            continue
        better = _ranked_above(ballot, winner)
        if not better:
            continue
        rest = [
            *ballots[:index],
            *([ballot.with_count(ballot.count - 1)] if ballot.count > 1 else []),
            *ballots[index + 1 :],
        ]
        for order in orders:
            if order == ballot.ranking:
                continue
            try:
                after = tabulate(election.with_ballots([*rest, Ballot(order)]), rule)
            except ElectoralError:
                continue
            if _single_winner(after) in better:
                return True
    return False


MANIPULATION_CANDIDATES: Final = 4


def _ranked_above(ballot: Ballot, candidate: Candidate) -> frozenset[Candidate]:
    for rank in ballot.ranking:
        if candidate in rank:
            break
    else:
        return frozenset(c for rank in ballot.ranking for c in rank)
    above: set[Candidate] = set()
    for rank in ballot.ranking:
        if candidate in rank:
            return frozenset(above)
        above.update(rank)
    return frozenset(above)


def decided(election: Election, result: Result) -> bool | None:
    """Whether the count reached a decision (no tie left open, no runoff still to hold)."""
    return result.status == "decided"


def _frozen_options(options: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(options))


def violates(axiom: str, **options: Any) -> Violates:
    """A measure: whether the axiom check named ``axiom`` (see :mod:`electoral.axioms`) finds a violation.

    ``options`` go to the check. Searching is far slower than counting:
    use small elections and few trials.
    """
    return Violates(axiom, options)


@attrs.frozen
class Violates:
    """The measure made by :func:`violates` (a picklable callable)."""

    axiom: str
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_options)

    def __call__(self, election: Election, result: Result) -> bool | None:
        from electoral.axioms import check

        rule: Any = result.rule  # the configured rule that produced the result
        return check(self.axiom, election, rule, **self.options) is not None

    def __reduce__(self) -> tuple[Any, ...]:
        return (Violates, (self.axiom, dict(self.options)))


MEASURES: Final[Mapping[str, Measure]] = MappingProxyType(
    {
        "condorcet-winner-elected": condorcet_winner_elected,
        "condorcet-loser-elected": condorcet_loser_elected,
        "majority-winner-elected": majority_winner_elected,
        "condorcet-winner-exists": condorcet_winner_exists,
        "decided": decided,
        "manipulable-by-one-voter": manipulable_by_one_voter,
    }
)
"""The built-in measures by name (read-only)."""
