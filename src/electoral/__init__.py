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

import importlib as _importlib
from typing import Any as _Any

from electoral import errors, rules
from electoral._api import tabulate
from electoral._model import Ballot, Candidate, Election
from electoral._result import Result, Round, Status, TieRecord, Transfer
from electoral._ties._engine import TieBreak
from electoral._version import __version__
from electoral.rules._ranked._slices import slices

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
    "slices",
    "tabulate",
]

# Submodules with heavier imports load on first use, so that `import electoral`
# stays quick and `electoral.io.read(...)` works without a separate import.
_LAZY_SUBMODULES = frozenset({"io", "testing", "generate", "axioms", "simulate", "plot", "examples", "report", "cli"})


def __getattr__(name: str) -> _Any:
    if name in _LAZY_SUBMODULES:
        return _importlib.import_module(f"electoral.{name}")
    raise AttributeError(f"module 'electoral' has no attribute {name!r}")
