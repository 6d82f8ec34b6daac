"""The one-call entry point, :func:`tabulate`."""

from __future__ import annotations

import inspect
from typing import Any

from electoral._model import Election
from electoral._registry import Rule, get
from electoral._result import Result
from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = ["tabulate"]


def tabulate(election: Election, rule: Rule | str, /, *, runoff: Election | None = None, **options: Any) -> Result:
    """Count ``election`` under ``rule``: a rule instance or a registered name.

    ``options`` configure the rule (for an instance, they replace its
    options). ``runoff`` gives the second-round ballots to rules that hold
    one, such as ``"two-round"``.

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
    if isinstance(rule, str):
        cls = get(rule)
        instance = cls.from_options(**options) if hasattr(cls, "from_options") else cls(**options)
    elif options:
        if not hasattr(rule, "with_options"):
            raise OptionError(f"rule {excerpt(rule)} does not take options here; configure the instance instead")
        instance = rule.with_options(**options)
    else:
        instance = rule
    if runoff is not None:
        takes_runoff = "runoff" in inspect.signature(instance.tabulate).parameters
        if not takes_runoff:
            raise OptionError(f"rule {excerpt(instance.info.name)} has no second round to give runoff ballots to")
        result: Result = instance.tabulate(election, runoff=runoff)
        return result
    plain: Result = instance.tabulate(election)
    return plain
