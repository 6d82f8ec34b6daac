"""The counting kernel: how a counter sees an election's ballots.

One :class:`Profile` per election, built by one builder for every kind of
ballot store (tuples of :class:`~electoral.Ballot`, or the rows of
:meth:`~electoral.Election.from_array`), with the arrays derived from it:
ranked ballots as RCTab reads them, each candidate's position on each
ballot, and the pairwise support matrix. Each is built once per election
and kept through :func:`electoral._model.derived`.
"""

from __future__ import annotations

from electoral._profile._build import Profile, profile_of
from electoral._profile._pairwise import PairwiseMatrix, pairwise_of, positions_of
from electoral._profile._ranked import RankedBallots, ranked_ballots

__all__ = [
    "PairwiseMatrix",
    "Profile",
    "RankedBallots",
    "pairwise_of",
    "positions_of",
    "profile_of",
    "ranked_ballots",
]
