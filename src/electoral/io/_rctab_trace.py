"""Where each ballot of an RCTab count stands in each round: what the CDF CVR's round snapshots report.

RCTab's CDF CVR JSON gives, for every ballot and round, the candidates the
ballot's value is allocated to, and how much of it (a whole vote, or under
STV the parts that winners kept and the part still moving). The count does
not keep that per round, so it is traced here:

- instant-runoff: the ballots start on the first round's continuing
  candidates and, as the count does, only the ballots of the candidates each
  round removes move on (an inactive ballot stays inactive);
- RCTab's STV modes: the count is run again with an observer of its own
  tabulation (the same rule, the same tie resolver, hence the same result),
  which records after each round's tally every ballot's current candidate
  and value, and what each winner kept of it when its surplus moved on.

A trace holds one entry per unique ballot and round: its cost is rounds x
unique ballots small lists (the CDF JSON, which lists every ballot in every
round, is larger still).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from electoral._model import Candidate, Election
from electoral._result import Result
from electoral.errors import FormatError
from electoral.rules._base import Count
from electoral.rules._ranked._common import LiveTally
from electoral.rules._ranked._stv_rctab import _Tabulation

__all__ = ["Trace", "trace_count"]

#: one ballot's allocation in one round: (candidate name, value in units of ``Trace.one``)
Allocation = list[tuple[str, int]]


@attrs.frozen
class Trace:
    """A count and, for each unique ballot of the election, its allocation in each round."""

    result: Result
    #: ``ballots[b][r]``: unique ballot ``b``'s allocation in round ``r + 1``
    ballots: Sequence[Sequence[Allocation]]
    #: the value of one whole vote (10**decimal places under STV; 1 for instant-runoff)
    one: int


def trace_count(rule: Any, election: Election, result: Result | None = None) -> Trace:
    """Count ``election`` under ``rule`` (instant-runoff or RCTab's STV modes but multi-pass) and trace it.

    An instant-runoff ``result`` already counted is traced as it is; an STV
    count is always run again (its trace is taken while it runs).
    """
    name = rule.info.name
    if name == "instant-runoff":
        result = result if result is not None else rule.tabulate(election)
        return Trace(result, _irv_trace(rule, election, result), 1)
    if name == "stv" and getattr(rule, "transfer", None) == "rctab" and rule.rctab_mode != "multi-pass-irv":
        traced: list[_Traced] = []

        def counter(election: Election, count: Count, /) -> None:
            tabulation = _Traced(rule, election, count)
            traced.append(tabulation)
            tabulation.run()

        result = rule._tabulate(election, counter)
        (tabulation,) = traced
        names = [c.name for c in election.candidates]
        per_ballot = [
            [[(names[c], value) for c, value in round_[b]] for round_ in tabulation.snapshots]
            for b in range(len(tabulation.counts))
        ]
        return Trace(result, per_ballot, tabulation.one)
    raise FormatError(f"the round snapshots of a {name} count are not traced (instant-runoff and RCTab's STV are)")


def _irv_trace(rule: Any, election: Election, result: Result) -> list[list[Allocation]]:
    index = {c: i for i, c in enumerate(election.candidates)}
    per_round: list[list[int]] = []
    live: LiveTally | None = None
    before: set[Candidate] = set()
    for round_ in result.rounds:
        alive = set(round_.tally)
        mask = np.zeros(len(election.candidates), dtype=np.bool_)
        mask[[index[c] for c in alive]] = True
        if live is None:
            live = LiveTally(election, mask, rule.reading)
        else:
            removed = [index[c] for c in before - alive]
            if removed:
                live.remove(removed, mask)
        before = alive
        per_round.append(live.choice.tolist())
    names = [c.name for c in election.candidates]
    return [[[(names[c], 1)] if c >= 0 else [] for c in column] for column in zip(*per_round, strict=True)]


class _Traced(_Tabulation):
    """RCTab's STV tabulation, recording each ballot's allocation after each round's tally."""

    def __init__(self, rule: Any, election: Election, count: Count) -> None:
        super().__init__(rule, election, count)
        self.kept: list[list[tuple[int, int]]] = [[] for _ in range(len(self.counts))]
        self.snapshots: list[list[list[tuple[int, int]]]] = []

    def _add_round(self, number: int, table: Mapping[Candidate, Any], active: int, threshold: tuple[int, bool]) -> None:
        super()._add_round(number, table, active, threshold)
        choice, value = self.choice.tolist(), self.value.tolist()
        self.snapshots.append(
            [[*kept, (choice[b], int(value[b]))] if choice[b] >= 0 else list(kept) for b, kept in enumerate(self.kept)]
        )

    def _elect(
        self, winners: Sequence[int], number: int, *, surplus: bool, threshold: tuple[int, bool] | None = None
    ) -> None:
        choice, value = self.choice.copy(), self.value.copy()
        super()._elect(winners, number, surplus=surplus, threshold=threshold)
        if not surplus or threshold is None:
            return  # the ballots stay with their winners, whole
        for i in winners:
            for b in np.flatnonzero(choice == i).tolist():
                self.kept[b].append((i, int(value[b]) - int(self.value[b])))
