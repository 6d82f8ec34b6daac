"""Risk-limiting audits of instant-runoff contests: RAIRE's assertions and the comparison audit step.

:func:`raire` finds assertions in the sense of Blom, Stuckey and Teague,
"RAIRE: Risk-limiting audits for IRV elections" (2019, arXiv:1903.08804),
that together rule out every outcome in which the reported winner does not
win, under the ballot-reading options of ``instant-runoff``. The
:class:`AssertionSet` gives each assertion's margin and difficulty, the
set's expected sample size for ballot-polling and ballot-comparison audits,
and JSON in this library's layout, raire-rs's and SHANGRLA's.

The ballot-comparison audit step (:func:`comparison_audit`) tests those
assertions against a sample of paper ballots matched to their cast vote
records, with the ALPHA supermartingale (Stark 2023, :func:`alpha_mart`) as
SHANGRLA does.
"""

from __future__ import annotations

from electoral.audit._alpha import AlphaResult, OptimalComparison, ShrinkTrunc, alpha_mart
from electoral.audit._assertions import Assertion, AssertionSet
from electoral.audit._comparison import AssertionAudit, ComparisonAudit, comparison_audit
from electoral.audit._difficulty import AUDITS, asn
from electoral.audit._raire import raire
from electoral.errors import AuditError, UnconfirmedWinnerError

__all__ = [
    "AUDITS",
    "AlphaResult",
    "Assertion",
    "AssertionAudit",
    "AssertionSet",
    "AuditError",
    "ComparisonAudit",
    "OptimalComparison",
    "ShrinkTrunc",
    "UnconfirmedWinnerError",
    "alpha_mart",
    "asn",
    "comparison_audit",
    "raire",
]
