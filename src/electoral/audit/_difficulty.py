"""Expected sample sizes (average sample numbers, ASN) of one assertion, as the RAIRE paper estimates them.

An assertion says that a "winner" tally ``w`` exceeds a "loser" tally ``l``
among ``N`` auditable ballots. Blom, Stuckey and Teague, "RAIRE:
Risk-limiting audits for IRV elections" (2019, arXiv:1903.08804), section 2,
estimate the sample needed at risk limit ``alpha``:

- ballot polling, BRAVO (Lindeman, Stark and Yates 2012), with
  ``s = w / (w + l)``:
  ``ASN = (ln(1/alpha) + ln(2s)/2) / ((w ln(2s) + l ln(2 - 2s)) / N)``;
- ballot comparison, MACRO (Stark 2010), with error inflation ``gamma``
  (1.1 in the paper's examples) and margin ``m = w - l``:
  ``ASN = ln(1/alpha) * 2 * gamma * N / m``;
- ``"margin"``: ``N / m``, the inverse of the diluted margin, which
  raire-rs reports by default and which orders assertions as MACRO does.

An assertion with ``w <= l`` cannot be confirmed: its ASN is infinite. The
estimates are floats and only guide the search; every margin is exact.
"""

from __future__ import annotations

import math
from typing import Final, Literal

from electoral._text import excerpt
from electoral.errors import OptionError

__all__ = ["AUDITS", "AuditKind", "asn", "check_audit"]

AuditKind = Literal["comparison", "polling", "margin"]
AUDITS: Final = ("comparison", "polling", "margin")


def check_audit(audit: str, risk_limit: float, error_inflation: float) -> None:
    """Refuse an unknown audit kind, a risk limit outside (0, 1), or an error inflation below 1."""
    if audit not in AUDITS:
        raise OptionError(f"audit must be one of {', '.join(AUDITS)}, not {excerpt(audit)}")
    if isinstance(risk_limit, bool) or not isinstance(risk_limit, (int, float)) or not 0 < risk_limit < 1:
        raise OptionError(f"risk_limit must be a number between 0 and 1, not {excerpt(risk_limit)}")
    if isinstance(error_inflation, bool) or not isinstance(error_inflation, (int, float)) or error_inflation < 1:
        raise OptionError(f"error_inflation must be a number of at least 1, not {excerpt(error_inflation)}")


def asn(
    audit: AuditKind, winner: int, loser: int, ballots: int, *, risk_limit: float = 0.05, error_inflation: float = 1.1
) -> float:
    """The expected sample size to confirm ``winner > loser`` among ``ballots`` (see the module notes)."""
    if winner <= loser or ballots <= 0:
        return math.inf
    if audit == "margin":
        return ballots / (winner - loser)
    if audit == "comparison":
        return -math.log(risk_limit) * 2 * error_inflation * ballots / (winner - loser)
    share = winner / (winner + loser)
    ln2s = math.log(2 * share)
    numerator = 0.5 * ln2s - math.log(risk_limit)
    # l ln(2 - 2s) tends to 0 as l does: a loser with no ballot adds nothing (and log(0) is undefined)
    losing = loser * math.log(2 - 2 * share) if loser else 0.0
    denominator = (winner * ln2s + losing) / ballots
    return numerator / denominator
