"""Counting rules, and the one registry that names them.

Every rule is a frozen class configured by keyword options, with
``tabulate(election) -> Result``. Look rules up by name with :func:`get`,
list them with :func:`names` (and a rule's statutory presets with
:func:`list_presets`), and add your own with :func:`register` or
through the ``electoral.rules`` entry-point group.

Writing a rule needs only public names: subclass :class:`RuleBase`, give it
``info: ClassVar[RuleInfo]``, and implement ``_count(self, election, count)``,
which records rounds (:class:`~electoral.Round`) and decisions on the
:class:`Count` it is given::

    @register
    @attrs.frozen(kw_only=True)
    class MostFirst(RuleBase):
        \"""The candidate with most first preferences wins.\"""

        info: ClassVar[RuleInfo] = RuleInfo(
            name="most-first", family="plurality", marks={"ranking"}, winners="single", summary="..."
        )

        def _count(self, election: Election, count: Count, /) -> None:
            tally, set_aside = first_preference_count(election)
            valid = sum(tally.values())
            count.add_round(Round(number=1, tally=tally, ballots=election.cast, continuing=valid,
                                  set_aside=set_aside, denominator=valid, basis="valid votes"))
            count.elect(*count.top(tally, 1, round=1, decision="elect"), note="most first preferences")
"""

from __future__ import annotations

from electoral._registry import ENTRY_POINT_GROUP, Rule, RuleInfo, RunoffRule, get, names, register, registry
from electoral.rules._apportionment._kernel import apportion
from electoral.rules._apportionment._rules import (
    Adams,
    Danish,
    Dean,
    DHondt,
    HuntingtonHill,
    ImperialiDivisor,
    LargestRemainder,
    ModifiedSainteLague,
    SainteLague,
)
from electoral.rules._base import Count, RuleBase, first_preference_count
from electoral.rules._cardinal import Approval, MajorityJudgment, Score, Star
from electoral.rules._condorcet import (
    Black,
    Condorcet,
    Copeland,
    KemenyYoung,
    Llull,
    Minimax,
    RankedPairs,
    Schulze,
    SchwartzSet,
    SmithSet,
    SplitCycle,
)
from electoral.rules._iterative import Baldwin, Bucklin, Coombs, Nanson
from electoral.rules._positional import AntiPlurality, Borda, Dowdall
from electoral.rules._presets import list_presets
from electoral.rules._ranked._irv import InstantRunoff
from electoral.rules._ranked._stv import Stv
from electoral.rules._runoff._plurality import Plurality
from electoral.rules._runoff._runoff import Contingent, Supplementary, TwoRound

__all__ = [
    "ENTRY_POINT_GROUP",
    "Adams",
    "AntiPlurality",
    "Approval",
    "Baldwin",
    "Black",
    "Borda",
    "Bucklin",
    "Condorcet",
    "Contingent",
    "Coombs",
    "Copeland",
    "Count",
    "DHondt",
    "Danish",
    "Dean",
    "Dowdall",
    "HuntingtonHill",
    "ImperialiDivisor",
    "InstantRunoff",
    "KemenyYoung",
    "LargestRemainder",
    "Llull",
    "MajorityJudgment",
    "Minimax",
    "ModifiedSainteLague",
    "Nanson",
    "Plurality",
    "RankedPairs",
    "Rule",
    "RuleBase",
    "RuleInfo",
    "RunoffRule",
    "SainteLague",
    "Schulze",
    "SchwartzSet",
    "Score",
    "SmithSet",
    "SplitCycle",
    "Star",
    "Stv",
    "Supplementary",
    "TwoRound",
    "apportion",
    "first_preference_count",
    "get",
    "list_presets",
    "names",
    "register",
    "registry",
]
