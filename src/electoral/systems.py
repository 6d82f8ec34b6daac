"""Electoral systems as values: districts, tiers and thresholds, their count, and real laws as presets.

>>> from electoral import systems
>>> congreso = systems.get("spain-congreso", year=2004)
>>> congreso.tiers[0].thresholds[0].describe()
'at least 3% of valid votes in the district'

A system is a frozen tree (:class:`System` → tiers → methods and
thresholds); :meth:`System.tabulate` counts :class:`Returns` (read by
:func:`electoral.io.read_returns`) into a :class:`SeatResult` with every
step. See :doc:`parliaments`. :func:`simulate` and :func:`apportion_many`
count many vote draws at once, exactly, for simulation.
"""

from __future__ import annotations

from electoral._systems._batch import BatchSeats, apportion_many, simulate, votes_array
from electoral._systems._biproportional import Biproportional, BiproportionalCount, ScalingStep
from electoral._systems._bundestag import BundestagCount, BundestagTier, ConstituencySeat
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
from electoral._systems._kieswet import KieswetCount, KieswetTier
from electoral._systems._nodes import AnyOf, DistrictTier, LimitedVote, MagnitudeApportionment, Method, Threshold
from electoral._systems._presets import get, names
from electoral._systems._returns import CandidateVotes, DistrictReturns, Returns
from electoral._systems._riksdag import RiksdagCount, RiksdagTier
from electoral._systems._seats import (
    DistrictCount,
    NationalRound,
    NationalShare,
    Quotient,
    SeatResult,
    SeatTie,
    ThresholdCheck,
    TierCount,
)
from electoral._systems._system import System
from electoral._systems._tiers import LevellingTier, MixedMemberTier, RegionalTopUp

__all__ = [
    "AnyOf",
    "BatchSeats",
    "Biproportional",
    "BiproportionalCount",
    "BundestagCount",
    "BundestagTier",
    "CandidateVotes",
    "ConstituencySeat",
    "Disproportionality",
    "DistrictCount",
    "DistrictReturns",
    "DistrictTier",
    "KieswetCount",
    "KieswetTier",
    "LevellingTier",
    "LimitedVote",
    "MagnitudeApportionment",
    "Method",
    "MixedMemberTier",
    "NationalRound",
    "NationalShare",
    "Quotient",
    "RegionalTopUp",
    "Returns",
    "RiksdagCount",
    "RiksdagTier",
    "ScalingStep",
    "SeatResult",
    "SeatTie",
    "System",
    "Threshold",
    "ThresholdCheck",
    "TierCount",
    "apportion_many",
    "dhondt_index",
    "disproportionality",
    "gallagher_squared",
    "get",
    "lijphart_index",
    "loosemore_hanby",
    "names",
    "rae_index",
    "sainte_lague_index",
    "simulate",
    "votes_array",
]
