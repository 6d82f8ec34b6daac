"""Pairwise comparisons for the axiom checks and simulations: who ranks whom above whom.

Head-to-head counts come from :meth:`Election.pairwise` (cached on the
election); :func:`positions` gives each ballot's ranks, for checks that
look at ballots one kind at a time (Pareto, majority).

Convention: on a ranked ballot a candidate left unranked is below every
ranked candidate, and candidates sharing a rank (or both unranked) are
level, so neither is preferred. A candidate marked at several ranks counts
at the highest. Score ballots take no part.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from electoral._model import Candidate, Election
from electoral._profile import positions_of, profile_of
from electoral._profile._pairwise import UNRANKED

__all__ = ["condorcet_loser", "condorcet_winner", "positions", "support"]

IntArray = npt.NDArray[np.int64]


def positions(election: Election) -> tuple[IntArray, IntArray]:
    """``(counts, position)``: ``position[i, c]`` is the rank of candidate ``c`` on unique ballot ``i``.

    Unranked candidates get a rank one past the ballot's last. The kernel's
    positions (:func:`electoral._profile.positions_of`, built once per
    election), widened to int64.
    """
    profile = profile_of(election)
    position = positions_of(election).astype(np.int64)
    position[position == UNRANKED] = profile.ranks.shape[1]
    return profile.counts.astype(np.int64), position


def support(election: Election) -> IntArray:
    """``support[a, b]``: how many voters rank candidate ``a`` strictly above ``b`` (the core's cached matrix)."""
    matrix: IntArray = np.asarray(election.pairwise().support, dtype=np.int64)
    return matrix


def condorcet_winner(election: Election) -> Candidate | None:
    """The candidate who beats every other head to head (more voters prefer them), if there is one."""
    found: Candidate | None = election.pairwise().condorcet_winner()
    return found


def condorcet_loser(election: Election) -> Candidate | None:
    """The candidate whom every other beats head to head, if there is one (and more than one candidate)."""
    if len(election.candidates) < 2:
        return None
    found: Candidate | None = election.pairwise().condorcet_loser()
    return found
