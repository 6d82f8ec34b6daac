"""The one-call entry point, :func:`tabulate`."""

from __future__ import annotations

from typing import Any, cast

from electoral._model import Election
from electoral._registry import Rule, RunoffRule, build, configure, get
from electoral._result import Result
from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = ["tabulate"]


def tabulate(election: Election, rule: Rule | str, /, *, runoff: Election | None = None, **options: Any) -> Result:
    """Count ``election`` under ``rule``: a rule instance or a registered name.

    ``options`` configure the rule (for an instance, they replace its
    options); a rule is built from its name with its class's
    ``from_options(**options)`` (see :class:`~electoral.rules.Rule`).
    ``runoff`` gives the second-round ballots to a rule whose
    ``info.takes_runoff`` says it holds one, such as ``"two-round"``; for any
    other rule it is an :class:`~electoral.errors.OptionError`.

    >>> from electoral import Election, tabulate
    >>> tabulate(Election.from_counts({"A": 3, "B": 2}), "plurality").winner.name
    'A'
    """
    if not isinstance(election, Election):
        raise OptionError(f"tabulate() counts an Election, not {type(election).__name__}")
    if runoff is not None and not isinstance(runoff, Election):
        raise OptionError(f"runoff must be the Election of the second round's ballots, not {excerpt(runoff)}")
    if isinstance(rule, type) or not isinstance(rule, (str, Rule)):
        # a class is not counted with (its tabulate would take the election for the instance)
        raise OptionError(f"tabulate() takes a rule name or a rule instance, not {excerpt(rule)}")
    instance = build(get(rule), **options) if isinstance(rule, str) else configure(rule, **options)
    if runoff is None:
        return instance.tabulate(election)
    if not instance.info.takes_runoff:
        raise OptionError(f"rule {excerpt(instance.info.name)} has no second round to give runoff ballots to")
    return cast(RunoffRule, instance).tabulate(election, runoff=runoff)
