"""The model: what voters marked, and nothing about how it is counted.

Values (:class:`Candidate`, :class:`Ballot`), the ranking notation, ballot
stores (tuples, and numpy-array ballots that build a Ballot only on access),
:class:`Election` with its JSON form in both directions, and its plain-text
and notebook view. The model imports nothing above it: counting, results,
rules and readers all build on it.
"""

from __future__ import annotations

from electoral._model._array import ArrayBallots
from electoral._model._election import Derived, Election, derived
from electoral._model._values import MAX_SCORE, MAX_VOTERS, Ballot, Candidate

__all__ = ["MAX_SCORE", "MAX_VOTERS", "ArrayBallots", "Ballot", "Candidate", "Derived", "Election", "derived"]
