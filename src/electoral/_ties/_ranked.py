"""Deprecated: RCTab's tie-break modes are now policies of the one :class:`~electoral.TieBreak`.

The modes (``"rctab-random"``, ``"rctab-permutation"``,
``"previous-rounds+rctab-random"``, ``"candidate-order"``) are
``TieBreak(policy)`` values, broken by the one
:class:`~electoral._ties._engine.TieResolver`; ``java.util.Random`` and
the other Java emulations are in :mod:`electoral._ties._lots`. This module
keeps the old names working: :func:`RctabTieBreak` and ``RankedTieResolver``
warn with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import warnings
from typing import Any

from electoral._text import excerpt
from electoral._ties._engine import TieResolver
from electoral._ties._lots import JavaRandom, java_hash_set_order, java_order, java_shuffle, java_string_hash
from electoral._ties._policy import RCTAB_POLICIES, TieBreak, to_ranked_tie_break
from electoral.errors import OptionError

__all__ = [
    "RCTAB_POLICIES",
    "JavaRandom",
    "RctabTieBreak",
    "java_hash_set_order",
    "java_shuffle",
    "java_string_hash",
    "to_ranked_tie_break",
]

_java_order = java_order  # the old private spelling


def RctabTieBreak(policy: str) -> TieBreak:
    """Deprecated: ``TieBreak(policy)`` for one of RCTab's modes; warns with a DeprecationWarning."""
    warnings.warn(
        "RctabTieBreak is deprecated: RCTab's modes are policies of TieBreak; use TieBreak(policy)",
        DeprecationWarning,
        stacklevel=2,
    )
    if policy not in RCTAB_POLICIES:
        raise OptionError(f"tie_break {excerpt(policy)} is not one of {', '.join(RCTAB_POLICIES)}")
    return TieBreak(policy)


def __getattr__(name: str) -> Any:
    if name == "RankedTieResolver":
        warnings.warn(
            "RankedTieResolver is deprecated: TieResolver breaks every policy's ties, RCTab's modes included",
            DeprecationWarning,
            stacklevel=2,
        )
        return TieResolver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
