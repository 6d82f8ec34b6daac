"""The one tie-break policy type, :class:`TieBreak`, and the shorthands that convert to it.

Every policy a rule can be given is a :class:`TieBreak`: the library's own
(``"stop"``, ``"all"``, ``"lot"``, ``"order"``, ``"previous-rounds"``) and
RCTab's modes (``"rctab-random"``, ``"rctab-permutation"``,
``"previous-rounds+rctab-random"``, ``"candidate-order"``; see
:mod:`electoral._ties._lots`). RCTab's modes are taken only by the ranked
rules (instant-runoff and STV), whose converter is
:func:`to_ranked_tie_break`; every other rule converts with
:func:`to_tie_break`, which refuses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

import attrs

from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = ["CORE_POLICIES", "POLICIES", "RCTAB_POLICIES", "Policy", "TieBreak", "to_ranked_tie_break", "to_tie_break"]

CorePolicy: TypeAlias = Literal["stop", "all", "lot", "order", "previous-rounds"]
RctabPolicy: TypeAlias = Literal["rctab-random", "rctab-permutation", "previous-rounds+rctab-random", "candidate-order"]
Policy: TypeAlias = CorePolicy | RctabPolicy

CORE_POLICIES: Final[tuple[CorePolicy, ...]] = ("stop", "all", "lot", "order", "previous-rounds")
#: RCTab's tie-break modes, reproduced exactly (see :mod:`electoral._ties._lots`); ranked rules only.
RCTAB_POLICIES: Final[tuple[RctabPolicy, ...]] = (
    "rctab-random",
    "rctab-permutation",
    "previous-rounds+rctab-random",
    "candidate-order",
)
POLICIES: Final[tuple[Policy, ...]] = (*CORE_POLICIES, *RCTAB_POLICIES)


def _to_order(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class TieBreak:
    """How ties are broken.

    - ``"stop"``: leave the tie open; the result's status is ``"tied"``.
    - ``"all"``: for analysis, follow every resolution; the winners are every
      candidate who wins under some resolution.
    - ``"lot"``: draw lots with the rule's ``seed`` (see :mod:`electoral._ties._lots`).
    - ``"order"``: ``order`` lists candidates from most to least favoured
      (e.g. eldest first, where the elder wins); ``basis`` says what the
      order stands for. A candidate missing from the order leaves the tie open.
    - ``"previous-rounds"``: the candidate with more votes in the latest
      earlier round where the tied candidates differ is favoured; if no
      earlier round separates them, ``then`` decides.

    RCTab's modes, for the ranked rules only, decide one place at a time as
    RCTab does, drawing with ``java.util.Random`` seeded by the rule's
    ``seed`` (see :mod:`electoral._ties._lots`):

    - ``"rctab-random"``: a pick among the tied, sorted by name.
    - ``"rctab-permutation"``: the order of a permutation of all the
      candidates drawn at the start.
    - ``"previous-rounds+rctab-random"``: earlier rounds, one at a time,
      then a pick among those still level.
    - ``"candidate-order"``: the election's order of candidates.

    Strings convert: ``"lot"``, ``"stop"``, ``"all"``, ``"previous-rounds"``
    (then ``"stop"``), ``"previous-rounds+lot"``, RCTab's mode names; a list
    of names is an order.
    """

    policy: Policy = "stop"
    order: tuple[str, ...] = attrs.field(default=(), converter=_to_order)
    basis: str = ""
    then: TieBreak | None = None

    def __attrs_post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise OptionError(f"tie_break policy {excerpt(self.policy)} is not one of {', '.join(POLICIES)}")
        if self.policy == "previous-rounds" and self.then is not None and self.then.policy == "previous-rounds":
            raise OptionError("tie_break 'previous-rounds' cannot be followed by itself")
        if self.then is not None and self.then.policy == "all":
            # "all" runs the whole count once per resolution; as a fallback it would silently take the first
            raise OptionError(
                "tie_break 'all' follows every resolution of the whole count and cannot be a fallback;"
                " use tie_break='all' on its own"
            )
        if self.then is not None and self.then.rctab:
            raise OptionError(
                f"tie_break {excerpt(self.then.policy)} is one of RCTab's modes and cannot be a fallback;"
                " use 'previous-rounds+rctab-random' for RCTab's"
            )

    @property
    def rctab(self) -> bool:
        """True for RCTab's modes, which decide one place at a time and only the ranked rules take."""
        return self.policy in RCTAB_POLICIES

    @property
    def needs_seed(self) -> bool:
        """True if this policy, or the one it falls back on, draws lots."""
        if self.rctab:
            return self.policy != "candidate-order"
        return self.policy == "lot" or (self.then is not None and self.then.needs_seed)

    def __str__(self) -> str:
        if self.policy == "order":
            text = "order: " + " > ".join(self.order) if self.order else "order"
            return f"{text} ({self.basis})" if self.basis else text
        if self.policy == "previous-rounds":
            return f"previous-rounds, then {self.then or 'stop'}"
        return self.policy

    def to_data(self) -> Any:
        """A JSON-ready form that :func:`to_tie_break` reads back (:func:`to_ranked_tie_break` for RCTab's modes)."""
        if self.policy == "order":
            return {"policy": "order", "order": list(self.order), "basis": self.basis}
        if self.policy == "previous-rounds" and self.then is not None:
            return {"policy": "previous-rounds", "then": self.then.to_data()}
        if self.rctab:
            return {"policy": self.policy}  # the form results have always carried for RCTab's modes
        return self.policy


def to_tie_break(value: TieBreak | str | Sequence[str] | Mapping[str, Any]) -> TieBreak:
    """Convert the shorthands to a :class:`TieBreak`, refusing RCTab's modes (see :func:`to_ranked_tie_break`)."""
    policy = _convert(value)
    if policy.rctab:
        if isinstance(value, TieBreak):
            raise OptionError(
                f"tie_break {excerpt(policy.policy)} is one of RCTab's modes, which only the ranked rules"
                " (instant-runoff, STV) take"
            )
        if isinstance(value, Mapping):
            raise OptionError(f"tie_break policy {excerpt(policy.policy)} is not one of {', '.join(CORE_POLICIES)}")
        head, _, rest = str(value).partition("+")
        raise OptionError(_NOT_A_SHORTHAND.format(excerpt(rest if head == "previous-rounds" and rest else value)))
    return policy


def to_ranked_tie_break(value: Any) -> TieBreak:
    """Convert the accepted shorthands to a :class:`TieBreak`, RCTab's modes by name included."""
    return _convert(value)


_NOT_A_SHORTHAND: Final = (
    "tie_break {} is not one of 'stop', 'all', 'lot', 'previous-rounds', 'previous-rounds+lot', or a candidate order"
)


def _convert(value: Any) -> TieBreak:
    if isinstance(value, TieBreak):
        return value
    if isinstance(value, str):
        if value.strip() in RCTAB_POLICIES:
            return TieBreak(value.strip())  # type: ignore[arg-type]
        head, _, rest = value.partition("+")
        if head == "previous-rounds":
            then = _convert(rest) if rest else None
            if then is not None and then.rctab:
                raise OptionError(_NOT_A_SHORTHAND.format(excerpt(rest)))
            return TieBreak("previous-rounds", then=then)
        if rest or head not in CORE_POLICIES or head == "order":
            if "," in value and not rest:
                return TieBreak("order", order=tuple(n.strip() for n in value.split(",")))
            raise OptionError(_NOT_A_SHORTHAND.format(excerpt(value)))
        return TieBreak(head)
    if isinstance(value, Mapping):
        try:
            then = value.get("then")
            return TieBreak(
                value["policy"],
                order=tuple(value.get("order", ())),
                basis=value.get("basis", ""),
                then=None if then is None else _convert(then),
            )
        except (KeyError, TypeError):
            raise OptionError(f"tie_break {excerpt(dict(value))} is not a valid policy") from None
    if isinstance(value, Sequence) and all(isinstance(n, str) for n in value):
        return TieBreak("order", order=tuple(str(n) for n in value))
    raise OptionError(f"tie_break {excerpt(value)} is not a policy name, a candidate order or a TieBreak")
