"""Ties: the policies that break them, the resolver that records them, and the lots.

Every tie a rule meets goes through one resolver, which alone writes the
:class:`~electoral.TieRecord` of each decision into the result.
"""

from __future__ import annotations

from electoral._result import TieRecord
from electoral._ties._engine import LotDrawer, TieBreak, TieResolver, every_universe, to_tie_break
from electoral._ties._ranked import RankedTieResolver, RctabTieBreak, to_ranked_tie_break

__all__ = [
    "LotDrawer",
    "RankedTieResolver",
    "RctabTieBreak",
    "TieBreak",
    "TieRecord",
    "TieResolver",
    "every_universe",
    "to_ranked_tie_break",
    "to_tie_break",
]
