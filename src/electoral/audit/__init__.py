"""Risk-limiting audits of instant-runoff contests.

The ballot-comparison audit step (:func:`comparison_audit`) tests RAIRE's
assertions (Blom, Stuckey and Teague 2019) against a sample of paper ballots
matched to their cast vote records, with the ALPHA supermartingale (Stark
2023, :func:`alpha_mart`) as SHANGRLA does.
"""

from electoral.audit._alpha import AlphaResult, OptimalComparison, ShrinkTrunc, alpha_mart
from electoral.audit._comparison import AssertionAudit, ComparisonAudit, comparison_audit

__all__ = [
    "AlphaResult",
    "AssertionAudit",
    "ComparisonAudit",
    "OptimalComparison",
    "ShrinkTrunc",
    "alpha_mart",
    "comparison_audit",
]
