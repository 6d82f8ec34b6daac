"""What instant-runoff and STV share: ballot-reading options, RCTab's tie modes, and the live tally.

:class:`RankedRule` adds to :class:`~electoral.rules.RuleBase` the options
that say how a ranked ballot is read (see :mod:`electoral._ranked`), the
undeclared write-in and excluded candidates, and RCTab's tie-break modes
(policies of :class:`~electoral.TieBreak`, see :mod:`electoral._ties._lots`). :class:`LiveTally` keeps each
unique ballot's current choice and the tally, and moves only the ballots
whose candidate left the count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import ArrayBallots, Candidate, Election
from electoral._profile._ranked import INACTIVE_REASONS, RankedBallots, Reading, ranked_ballots, scan, sum_by
from electoral._result import Result, Transfer
from electoral._text import excerpt
from electoral._ties._engine import TieBreak, TieResolver
from electoral._ties._policy import to_ranked_tie_break
from electoral.errors import OptionError, SeatsError
from electoral.rules._base import Counter, RuleBase
from electoral.rules._options import choice, to_bool, to_names, to_optional_int

__all__ = ["OVERVOTE_RULES", "LiveTally", "RankedRule", "excluded_words", "set_aside_of"]

# the inactive codes of a ballot's choice: -1 to -5
_CODES: Final = len(INACTIVE_REASONS)
# below this many candidates a ballot's choice fits an int8
_SMALL_STATE: Final = 100

OVERVOTE_RULES: Final = ("exhaust_immediately", "always_skip_to_next_rank", "exhaust_if_multiple_continuing")


def _to_optional_count(value: int | str | None) -> int | None:
    if isinstance(value, str) and value.strip().lower() in ("unlimited", "max"):
        return None
    return to_optional_int(value)


def _to_optional_name(value: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise OptionError(f"expected a candidate name, not {excerpt(value)}")
    return value


@attrs.frozen(kw_only=True)
class RankedRule(RuleBase):
    """Options shared by the ranked-choice rules (documented on each rule)."""

    tie_break: TieBreak = attrs.field(default=TieBreak("stop"), converter=to_ranked_tie_break)
    overvote_rule: str = attrs.field(default="exhaust_immediately", validator=choice(*OVERVOTE_RULES))
    max_skipped_ranks: int | None = attrs.field(default=None, converter=_to_optional_count)
    max_rankings: int | None = attrs.field(default=None, converter=_to_optional_count)
    exhaust_on_duplicate_candidate: bool = attrs.field(default=False, converter=to_bool)
    undeclared_write_in: str | None = attrs.field(default=None, converter=_to_optional_name)
    excluded: tuple[str, ...] = attrs.field(default=(), converter=to_names)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.max_skipped_ranks is not None and self.max_skipped_ranks < 0:
            raise OptionError(
                f"max_skipped_ranks must be 0 or more (or None for unlimited), not {self.max_skipped_ranks}"
            )
        if self.max_rankings is not None and self.max_rankings < 1:
            raise OptionError(f"max_rankings must be 1 or more (or None for no limit), not {self.max_rankings}")

    @property
    def reading(self) -> Reading:
        return Reading(
            overvote_rule=self.overvote_rule,
            max_skipped_ranks=self.max_skipped_ranks,
            max_rankings=self.max_rankings,
            exhaust_on_duplicate_candidate=self.exhaust_on_duplicate_candidate,
        )

    def _tabulate(self, election: Election, counter: Counter | None = None) -> Result:
        self._check_election(election)
        self._check_names(election)
        self._check_left(election)
        if self.tie_break.policy == "all":
            return self._tabulate_all(election, counter)
        resolver = TieResolver(self.tie_break, self.seed, election.candidates)
        count = self._run(election, resolver, counter)
        return self._result(election, count, tuple(count.resolver.records))

    def _check_marks(self, election: Election) -> None:
        if isinstance(election.ballots, ArrayBallots) and ArrayBallots.mark_kinds <= self.info.marks:
            return  # array-built ballots are rankings; no need to build each Ballot
        super()._check_marks(election)

    def _check_names(self, election: Election) -> None:
        names = set(election.names)
        for name in (*self.excluded, *([self.undeclared_write_in] if self.undeclared_write_in else [])):
            if name not in names:
                raise OptionError(
                    f"rule {excerpt(self.info.name)}: {excerpt(name)} is not a candidate ({', '.join(election.names)})"
                )

    def _left(self, election: Election) -> list[str]:
        """The candidates left to count once the excluded are removed."""
        excluded = set(self.excluded)
        return [name for name in election.names if name not in excluded]

    def _check_left(self, election: Election) -> None:
        """Refuse a count that has no candidate left to elect (all excluded, or only the undeclared write-in)."""
        left = [name for name in self._left(election) if name != self.undeclared_write_in]
        if not left:
            also = " and the undeclared write-in never wins" if self.undeclared_write_in else ""
            raise SeatsError(
                f"rule {excerpt(self.info.name)}: no candidate is left to count: {excluded_words(self.excluded)}"
                f" excluded{also}, so none of the {len(election.candidates)} candidate(s) can be elected"
            )

    def _start(self, election: Election) -> npt.NDArray[np.bool_]:
        """Which candidates are continuing at the start (all but the excluded)."""
        continuing = np.ones(len(election.candidates), dtype=np.bool_)
        for name in self.excluded:
            continuing[election.names.index(name)] = False
        return continuing

    def _write_in(self, election: Election) -> int | None:
        return None if self.undeclared_write_in is None else election.names.index(self.undeclared_write_in)


class LiveTally:
    """Each unique ballot's current choice (a candidate index, or an inactive code) and the whole-vote tally."""

    def __init__(self, election: Election, continuing: npt.NDArray[np.bool_], reading: Reading) -> None:
        self.election = election
        self.ballots: RankedBallots = ranked_ballots(election)
        self.reading = reading
        self.n = len(election.candidates)
        self.choice = scan(self.ballots, np.arange(len(self.ballots.counts)), continuing, reading)
        # one exact sum per label: inactive codes (negative) shifted to 0..4 after the candidates
        by_label = self._sum_by_label(self.choice, self.ballots.counts)
        self.tally = by_label[: self.n].copy()
        self.inactive = {code: int(by_label[self.n - code - 1]) for code in INACTIVE_REASONS}

    def _sum_by_label(self, choice: npt.NDArray[np.int32], weights: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Voters per candidate (0..n-1), then per inactive code -1, -2, ... (n, n+1, ...)."""
        labels = np.where(choice >= 0, choice, self.n - 1 - choice.astype(np.int64))
        return sum_by(labels, weights, self.n + _CODES)

    def state(self) -> npt.NDArray[np.integer[Any]]:
        """Where each ballot stands, as compactly as it can be told (for the states of ``tie_break="all"``)."""
        if self.n < _SMALL_STATE:
            return self.choice.astype(np.int8)
        return self.choice

    def remove(self, removed: Iterable[int], continuing: npt.NDArray[np.bool_]) -> dict[int, dict[int | str, int]]:
        """Move the ballots of the ``removed`` candidates on; return the moves as source -> target -> votes.

        A target is a candidate's index, or, for ballots that became
        inactive, the reason (a value of ``INACTIVE_REASONS``, such as
        "overvote"), which RCTab reports as "exhausted", whatever the reason.
        """
        gone = np.zeros(self.n, dtype=np.bool_)
        gone[list(removed)] = True
        moving = np.flatnonzero((self.choice >= 0) & gone[np.maximum(self.choice, 0)])
        old = self.choice[moving]
        new = scan(self.ballots, moving, continuing, self.reading)
        self.choice[moving] = new
        weights = self.ballots.counts[moving]
        width = self.n + _CODES
        # one exact sum per (source, target label) pair: targets as in _sum_by_label
        targets = np.where(new >= 0, new, self.n - 1 - new.astype(np.int64))
        pairs = sum_by(old.astype(np.int64) * width + targets, weights, self.n * width)
        table = pairs.reshape(self.n, width)
        into = table.sum(axis=0)  # each at most the voters: no wrap
        self.tally -= table.sum(axis=1)
        self.tally += into[: self.n]
        for code in INACTIVE_REASONS:
            self.inactive[code] += int(into[self.n - code - 1])
        moves: dict[int, dict[int | str, int]] = {}
        for source, target in zip(*(v.tolist() for v in np.nonzero(table)), strict=True):
            votes = int(table[source, target])
            key: int | str = target if target < self.n else INACTIVE_REASONS[self.n - 1 - target]
            bucket = moves.setdefault(source, {})
            bucket[key] = bucket.get(key, 0) + votes
        return moves


def excluded_words(excluded: Iterable[str]) -> str:
    """Words for the excluded candidates in a message: "A and B are", "every candidate is"."""
    names = sorted(set(excluded))
    if not names:
        return "no candidate is"
    quoted = [excerpt(name) for name in names[:5]]
    if len(names) > 5:
        quoted.append(f"{len(names) - 5} more")
    shown = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    return f"{shown} {'is' if len(names) == 1 else 'are'}"


def set_aside_of(inactive: Mapping[int, Any], election: Election, *, keep_zero: bool = False) -> dict[str, Any]:
    """Inactive ballots by reason (undervotes include the election's blank ballots), plus invalid ones."""
    out: dict[str, Any] = {}
    for code, reason in INACTIVE_REASONS.items():
        votes = inactive.get(code, 0)
        if reason == "undervote":
            votes = votes + election.blank
        if votes or keep_zero:
            out[reason] = votes
    if election.invalid:
        out["invalid"] = election.invalid
    return out


def transfers_of(
    moves: Mapping[int, Mapping[int | str, Any]], candidates: tuple[Candidate, ...], sources: Iterable[int]
) -> tuple[Transfer, ...]:
    """Transfer records for ``sources`` in their order, targets in the election's order, set-aside reasons last."""
    reasons = list(INACTIVE_REASONS.values())
    out: list[Transfer] = []
    for source in sources:
        targets = moves.get(source, {})
        for target in sorted(targets, key=lambda t: len(candidates) + reasons.index(t) if isinstance(t, str) else t):
            votes = targets[target]
            if votes:
                if isinstance(target, str):
                    out.append(Transfer(candidates[source], None, votes, kind="exhausted", reason=target))
                else:
                    out.append(Transfer(candidates[source], candidates[target], votes))
    return tuple(out)
