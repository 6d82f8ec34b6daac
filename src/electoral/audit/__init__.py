"""Risk-limiting-audit support for instant-runoff contests: RAIRE's assertions.

:func:`raire` finds assertions in the sense of Blom, Stuckey and Teague,
"RAIRE: Risk-limiting audits for IRV elections" (2019, arXiv:1903.08804),
that together rule out every outcome in which the reported winner does not
win, under the ballot-reading options of ``instant-runoff``. The
:class:`AssertionSet` gives each assertion's margin and difficulty, the
set's expected sample size for ballot-polling and ballot-comparison audits,
and JSON in this library's layout, raire-rs's and SHANGRLA's.
"""

from __future__ import annotations

from electoral.audit._assertions import Assertion, AssertionSet
from electoral.audit._difficulty import AUDITS, asn
from electoral.audit._raire import AuditError, raire

__all__ = ["AUDITS", "Assertion", "AssertionSet", "AuditError", "asn", "raire"]
