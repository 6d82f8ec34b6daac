"""Ties: the one policy type, the one resolver that records them, the top *k* with a tie at the cut, and the lots.

Every tie a rule meets goes through one :class:`TieResolver`, which applies
the rule's :class:`TieBreak` (the library's policies and RCTab's modes
alike) and alone writes the :class:`~electoral.TieRecord` of each decision
into the result. :func:`top_with_cut` finds, for every rule, who is surely
in a top *k* and which group is level at its cut.
"""

from __future__ import annotations

import warnings
from typing import Any

from electoral._result import TieRecord
from electoral._ties._cut import Cut, top_with_cut
from electoral._ties._engine import TieResolver, every_universe
from electoral._ties._lots import JavaRandom, LotDrawer
from electoral._ties._policy import POLICIES, RCTAB_POLICIES, TieBreak, to_ranked_tie_break, to_tie_break
from electoral._ties._ranked import RctabTieBreak

__all__ = [
    "POLICIES",
    "RCTAB_POLICIES",
    "Cut",
    "JavaRandom",
    "LotDrawer",
    "RctabTieBreak",
    "TieBreak",
    "TieRecord",
    "TieResolver",
    "every_universe",
    "to_ranked_tie_break",
    "to_tie_break",
    "top_with_cut",
]


def __getattr__(name: str) -> Any:
    if name == "RankedTieResolver":
        warnings.warn(
            "RankedTieResolver is deprecated: TieResolver breaks every policy's ties, RCTab's modes included",
            DeprecationWarning,
            stacklevel=2,
        )
        return TieResolver
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
