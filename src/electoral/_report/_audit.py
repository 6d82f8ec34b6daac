"""The report's audit section: RAIRE assertions with their margins, when the caller passes a set.

The set comes from :func:`electoral.audit.raire`, a layer above the report,
so it is read through the attributes it shares (a :class:`AuditLike`) and
never imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from electoral._report._text import esc
from electoral._text import excerpt
from electoral.errors import ElectoralError

__all__ = ["AuditLike", "audit_section"]


class _AssertionLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def margin(self) -> int: ...
    @property
    def difficulty(self) -> float: ...
    def describe(self) -> str: ...


class AuditLike(Protocol):
    """What the report reads of an :class:`electoral.audit.AssertionSet`."""

    @property
    def assertions(self) -> Sequence[_AssertionLike]: ...
    @property
    def ballots(self) -> int: ...
    @property
    def audit(self) -> str: ...
    @property
    def risk_limit(self) -> float: ...
    @property
    def difficulty(self) -> float: ...
    def expected_sample(self, audit: Any) -> float: ...


def _size(value: float) -> str:
    return "not possible" if value == float("inf") else f"{value:,.0f}"


def audit_section(audit: AuditLike) -> str:
    """A section with each assertion, its margin in ballots and its difficulty, and the set's sample sizes."""
    needed = ("assertions", "ballots", "audit", "risk_limit", "expected_sample")
    if not all(hasattr(audit, name) for name in needed):
        raise ElectoralError(f"html_report's audit must be an electoral.audit.AssertionSet, not {excerpt(audit)}")
    rows = "".join(
        f'<tr><td>{esc(a.kind)}</td><td>{esc(a.describe())}</td><td class="n">{a.margin:,}</td>'
        f'<td class="n">{esc(_size(a.difficulty))}</td></tr>'
        for a in audit.assertions
    )
    head = (
        '<tr><th scope="col">Type</th><th scope="col">Assertion</th>'
        '<th scope="col" class="n">Margin (ballots)</th><th scope="col" class="n">Difficulty</th></tr>'
    )
    polling, comparison = audit.expected_sample("polling"), audit.expected_sample("comparison")
    summary = (
        f"<p>{len(audit.assertions)} assertions (Blom, Stuckey and Teague, RAIRE, 2019) together rule out every"
        f" outcome in which the reported winner does not win. Expected sample at risk limit {audit.risk_limit:g},"
        f" of {audit.ballots:,} ballots: {esc(_size(comparison))} for a ballot-comparison audit,"
        f" {esc(_size(polling))} for ballot polling. Difficulty is the {esc(audit.audit)} estimate.</p>"
    )
    table = (
        f'<div class="wide"><table class="audit"><caption>RAIRE assertions</caption>'
        f"<thead>{head}</thead><tbody>{rows}</tbody></table></div>"
    )
    return (
        f'<section aria-labelledby="h-audit"><h2 id="h-audit">{esc("Risk-limiting audit")}</h2>'
        f"{summary}{table}</section>"
    )
