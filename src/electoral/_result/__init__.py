"""What a count produces: :class:`Result`, made of :class:`Round` and :class:`Transfer`.

Every figure is exact: votes are ``int`` (or ``Fraction`` where a rule
transfers fractions of ballots), shares are ``Fraction``. Display and JSON
forms are derived from these and never feed back into a decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

from electoral._arith import format_percent, json_number
from electoral._display import MimeBundleMixin
from electoral._frozen import FrozenMap
from electoral._model import Candidate, Election
from electoral._text import excerpt
from electoral.errors import ResultError

if TYPE_CHECKING:
    from electoral._registry import Rule

__all__ = ["Result", "Round", "Status", "TieRecord", "Transfer", "TransferKind", "format_percent", "json_number"]

Status: TypeAlias = Literal["decided", "runoff", "tied"]
#: Where a :class:`Transfer` goes: to a candidate, to exhausted ballots, or to residual surplus.
TransferKind: TypeAlias = Literal["candidate", "exhausted", "residual-surplus"]
Votes: TypeAlias = int | Fraction
RESULT_FORMAT: Final = "electoral.result"
#: Version 2 added each transfer's ``kind`` and each round's ``quota``; version 3 each round's
#: ``measure`` and ``better``, each transfer's ``reason``, and null shares where a round has no
#: denominator (see :doc:`formats`).
RESULT_FORMAT_VERSION: Final = 3
TRANSFER_KINDS: Final = ("candidate", "exhausted", "residual-surplus")
#: Which way a round's figures are better: ``"higher"`` (votes, points) or ``"lower"`` (minimax's worst defeat).
Better: TypeAlias = Literal["higher", "lower"]


def _check_better(_instance: object, _attribute: object, value: object) -> None:
    if value not in ("higher", "lower"):
        raise ResultError(f"a round's better must be 'higher' or 'lower', not {excerpt(value)}")


@attrs.frozen
class TieRecord:
    """One tie: who was tied, what was at stake, how it was broken and what came of it.

    ``chosen`` are the candidates the decision went to (elected, advanced or
    eliminated, as ``decision`` says); it is empty when the tie was left open.
    """

    round: int
    decision: str
    candidates: tuple[Candidate, ...]
    places: int
    policy: str
    chosen: tuple[Candidate, ...]
    detail: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.chosen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "decision": self.decision,
            "candidates": [c.name for c in self.candidates],
            "places": self.places,
            "policy": self.policy,
            "chosen": [c.name for c in self.chosen],
            "detail": self.detail,
        }


def _to_frozen_map(value: Mapping[Any, Any]) -> FrozenMap[Any, Any]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _check_target(transfer: Transfer, _attribute: attrs.Attribute[Any], target: Candidate | None) -> None:
    kind = transfer.kind
    if kind not in TRANSFER_KINDS:
        raise ResultError(
            f"a transfer's kind must be 'candidate', 'exhausted' or 'residual-surplus', not {excerpt(kind)}"
        )
    if kind == "candidate" and not isinstance(target, Candidate):
        raise ResultError(f"a transfer of kind 'candidate' needs a Candidate as its target, not {excerpt(target)}")
    if kind != "candidate" and target is not None:
        raise ResultError(f"a transfer of kind {excerpt(kind)} has no target, but was given {excerpt(target)}")


def _check_reason(transfer: Transfer, _attribute: attrs.Attribute[Any], reason: str | None) -> None:
    if reason is not None and (transfer.kind != "exhausted" or not isinstance(reason, str) or not reason):
        raise ResultError(
            f"only a transfer of kind 'exhausted' has a reason (a non-empty string), not {excerpt(reason)}"
            f" on a transfer of kind {excerpt(transfer.kind)}"
        )


@attrs.frozen
class Transfer:
    """Votes moving from ``source`` to where ``kind`` says.

    ``kind`` is ``"candidate"`` (the default: the votes go to ``target``),
    ``"exhausted"`` (the ballots have no further preference for a continuing
    candidate) or ``"residual-surplus"`` (the part of a surplus that rounding
    transfer values down left with nobody). ``target`` is a
    :class:`~electoral.Candidate` exactly when ``kind`` is ``"candidate"``,
    and None otherwise; anything else raises
    :class:`~electoral.errors.ResultError`.

    ``reason`` says, for exhausted ballots, which of the round's set-aside
    figures they join (a key of :attr:`Round.set_aside`, such as
    ``"exhausted choices"`` or ``"overvote"``); None when the rule does not
    tell them apart, and always None for the other kinds.

    >>> from electoral import Candidate
    >>> Transfer(Candidate("A"), Candidate("B"), 3).kind
    'candidate'
    >>> Transfer(Candidate("A"), None, 2, kind="exhausted", reason="overvote").exhausted
    True
    """

    source: Candidate
    target: Candidate | None = attrs.field(validator=_check_target)
    votes: Votes
    kind: TransferKind = "candidate"
    reason: str | None = attrs.field(default=None, validator=_check_reason)

    @property
    def exhausted(self) -> bool:
        """Whether the votes went to exhausted ballots."""
        return self.kind == "exhausted"

    @property
    def residual_surplus(self) -> bool:
        """Whether the votes are residual surplus (lost to rounding transfer values)."""
        return self.kind == "residual-surplus"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source.name,
            "to": None if self.target is None else self.target.name,
            "kind": self.kind,
            "reason": self.reason,
            "votes": json_number(self.votes),
        }

    def _target_text(self) -> str:
        """Where the votes went, as the text form shows it: set-aside figures in parentheses, as in a round's table."""
        if self.target is not None:
            return self.target.name
        if self.kind == "exhausted":
            return f"({self.reason or 'exhausted'})"
        return "(residual surplus)"


@attrs.frozen
class Round:
    """One round of a count.

    ``tally`` maps each candidate still counted to its votes. ``denominator``
    is the figure shares are taken of, and ``basis`` names it (e.g. "votes
    cast"). ``threshold`` is the share a candidate had to pass, if the rule
    has one, and ``comparison`` (set with it) says how: ``"above"``
    (strictly more than), ``"at-least"``, or ``"plus-one"`` (at least the share
    plus one vote). Every ballot counted in the round (``ballots``) is either
    ``continuing`` (counting for a candidate) or in ``set_aside``, by reason.

    ``quota`` is the same bar in votes, exact, for rules that count to a
    figure in votes: STV's quota (each round's, as Meek's moves), and the
    winning threshold of instant-runoff and of RCTab's modes. ``comparison``
    applies to it too. It is None for rules whose threshold is only a share
    (the runoff majorities, positional and iterative rules) and for rules
    with no threshold.

    ``measure`` names what the tally counts: ``"votes"`` (the default),
    ``"approvals"``, ``"points"``, ``"Borda points"``, ``"Copeland score"``,
    ``"worst defeat (margins)"``, ``"total score"``, ... Every table of the
    round heads its column with it. ``better`` is ``"higher"`` (the default)
    or ``"lower"`` (minimax: the smallest worst defeat wins), and orders
    :meth:`ranked`. Shares are taken only where they mean something: a
    round whose ``denominator`` is 0 (points, scores) has no shares.
    """

    number: int
    tally: FrozenMap[Candidate, Votes] = attrs.field(converter=_to_frozen_map)
    ballots: Votes
    continuing: Votes
    set_aside: FrozenMap[str, Votes] = attrs.field(converter=_to_frozen_map, factory=FrozenMap)
    denominator: Votes = 0
    basis: str = ""
    threshold: Fraction | None = None
    comparison: str | None = None
    elected: tuple[Candidate, ...] = ()
    eliminated: tuple[Candidate, ...] = ()
    advancing: tuple[Candidate, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    note: str = ""
    quota: Votes | None = None
    measure: str = "votes"
    better: Better = attrs.field(default="higher", validator=_check_better)

    @property
    def shares(self) -> FrozenMap[Candidate, Fraction]:
        """Each candidate's votes as an exact share of the denominator; empty when the round has none."""
        if not self.denominator:
            return FrozenMap()
        return FrozenMap((c, Fraction(v) / self.denominator) for c, v in self.tally.items())

    def ranked(self) -> list[tuple[Candidate, Votes]]:
        """The tally from best to worst (most first; fewest first when ``better`` is ``"lower"``).

        Equal figures keep the election's order.
        """
        sign = 1 if self.better == "lower" else -1
        return sorted(self.tally.items(), key=lambda item: sign * item[1])

    def to_dict(self) -> dict[str, Any]:
        shares = self.shares if self.denominator else None
        return {
            "round": self.number,
            "measure": self.measure,
            "better": self.better,
            "tally": {c.name: json_number(v) for c, v in self.tally.items()},
            "shares": None if shares is None else {c.name: json_number(s) for c, s in shares.items()},
            "percent": None if shares is None else {c.name: format_percent(s) for c, s in shares.items()},
            "ballots": json_number(self.ballots),
            "continuing": json_number(self.continuing),
            "set_aside": {reason: json_number(v) for reason, v in self.set_aside.items()},
            "denominator": json_number(self.denominator),
            "basis": self.basis,
            "threshold": None if self.threshold is None else json_number(self.threshold),
            "comparison": self.comparison,
            "quota": None if self.quota is None else json_number(self.quota),
            "elected": [c.name for c in self.elected],
            "eliminated": [c.name for c in self.eliminated],
            "advancing": [c.name for c in self.advancing],
            "transfers": [t.to_dict() for t in self.transfers],
            "note": self.note,
        }


def _status(value: str) -> str:
    if value not in ("decided", "runoff", "tied"):
        raise ValueError(f"status must be 'decided', 'runoff' or 'tied', not {value!r}")
    return value


@attrs.frozen
class Result(MimeBundleMixin):
    """The outcome of a count, with every round and every tie.

    ``status`` is ``"decided"``; ``"runoff"`` when a further ballot is needed
    (``advancing`` names who goes on); or ``"tied"`` when a tie was left open
    by the policy (or, under ``tie_break="all"``, when ties lead to different
    winners: ``winners`` then holds everyone who wins under some resolution).

    Under ``tie_break="all"``, ``resolutions`` is how many complete
    resolutions of the ties were explored and ``outcomes`` how many
    different outcomes (winners, who advances, seats) they led to; both are
    None under other policies.
    """

    rule: Rule
    election: Election = attrs.field(repr=False)
    winners: tuple[Candidate, ...]
    status: Status = attrs.field(validator=lambda _i, _a, v: _status(v))
    rounds: tuple[Round, ...]
    ties: tuple[TieRecord, ...] = ()
    advancing: tuple[Candidate, ...] = ()
    seats: FrozenMap[Candidate, int] | None = None
    pairwise: Any = attrs.field(default=None, eq=False, repr=False)
    resolutions: int | None = attrs.field(default=None, kw_only=True)
    outcomes: int | None = attrs.field(default=None, kw_only=True)

    @property
    def winner(self) -> Candidate | None:
        """The single winner, or None when there is not exactly one."""
        return self.winners[0] if len(self.winners) == 1 else None

    @property
    def notes(self) -> tuple[str, ...]:
        """Each round's explanation, in order."""
        return tuple(r.note for r in self.rounds if r.note)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready, versioned description of the result (see :doc:`formats`)."""
        data: dict[str, Any] = {
            "format": RESULT_FORMAT,
            "version": RESULT_FORMAT_VERSION,
            "title": self.election.title,
            "rule": self.rule.to_dict(),
            "status": self.status,
            "winners": [c.name for c in self.winners],
            "advancing": [c.name for c in self.advancing],
            "rounds": [r.to_dict() for r in self.rounds],
            "ties": [t.to_dict() for t in self.ties],
        }
        if self.seats is not None:
            data["seats"] = {c.name: n for c, n in self.seats.items()}
        if self.pairwise is not None:
            data["pairwise"] = self.pairwise.to_dict()
        return data

    # -- display: both forms render the one presentation model of _present ----------

    def __str__(self) -> str:
        from electoral._result._present import render_text, result_view

        return render_text(result_view(self))

    def _html(self) -> str:
        from electoral._result._present import result_html

        return result_html(self)
