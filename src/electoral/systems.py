"""Electoral systems as values: districts, tiers and thresholds, their count, and real laws as presets.

>>> from electoral import systems
>>> congreso = systems.get("spain-congreso", year=2004)
>>> congreso.tiers[0].thresholds[0].describe()
'at least 3% of valid votes in the district'

A system is a frozen tree (:class:`System` → tiers → methods and
thresholds); :meth:`System.tabulate` counts :class:`Returns` (read by
:func:`electoral.io.read_returns`) into a :class:`SeatResult` with every
step. See :doc:`parliaments`.
"""

from __future__ import annotations

from electoral._systems._biproportional import Biproportional, BiproportionalCount, ScalingStep
from electoral._systems._indices import (
    Disproportionality,
    dhondt_index,
    disproportionality,
    gallagher_squared,
    lijphart_index,
    loosemore_hanby,
    rae_index,
    sainte_lague_index,
)
from electoral._systems._nodes import AnyOf, DistrictTier, LimitedVote, MagnitudeApportionment, Method, Threshold
from electoral._systems._presets import get, names
from electoral._systems._returns import CandidateVotes, DistrictReturns, Returns
from electoral._systems._seats import DistrictCount, Quotient, SeatResult, SeatTie, ThresholdCheck, TierCount
from electoral._systems._system import System

__all__ = [
    "AnyOf",
    "Biproportional",
    "BiproportionalCount",
    "CandidateVotes",
    "Disproportionality",
    "DistrictCount",
    "DistrictReturns",
    "DistrictTier",
    "LimitedVote",
    "MagnitudeApportionment",
    "Method",
    "Quotient",
    "Returns",
    "ScalingStep",
    "SeatResult",
    "SeatTie",
    "System",
    "Threshold",
    "ThresholdCheck",
    "TierCount",
    "dhondt_index",
    "disproportionality",
    "gallagher_squared",
    "get",
    "lijphart_index",
    "loosemore_hanby",
    "names",
    "rae_index",
    "sainte_lague_index",
]
