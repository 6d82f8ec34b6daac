"""electoral: exact, explainable counting of elections.

>>> import electoral
>>> kg = electoral.Election.from_counts(
...     {"Jeenbekov": 920620, "Babanov": 568665, "Madumarov": 110284, "eight others (combined)": 84389},
...     invalid=13910, registered=3014434)
>>> result = electoral.tabulate(kg, "two-round", preset="kyrgyzstan-president")
>>> result.winner.name, result.status
('Jeenbekov', 'decided')
"""

from __future__ import annotations

from electoral import errors, rules
from electoral._api import tabulate
from electoral._model import Ballot, Candidate, Election
from electoral._result import Result, Round, Status, Transfer
from electoral._ties import TieBreak, TieRecord
from electoral._version import __version__

__all__ = [
    "Ballot",
    "Candidate",
    "Election",
    "Result",
    "Round",
    "Status",
    "TieBreak",
    "TieRecord",
    "Transfer",
    "__version__",
    "errors",
    "rules",
    "tabulate",
]
