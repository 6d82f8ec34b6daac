"""The ALPHA test supermartingale, for sampling without replacement, with the shrink-trunc estimator.

Stark, "ALPHA: Audit that Learns from Previously Hand-Audited Ballots",
Annals of Applied Statistics 17(1), 2023 (arXiv:2201.02707), section 2.
The null hypothesis is that the mean of a finite population of ``N``
values in ``[0, u]`` is at most ``t``. The values ``x_1, x_2, ...`` are drawn
without replacement, in random order. Before draw ``j``, with
``S = x_1 + ... + x_{j-1}``, the population mean of the values not yet drawn,
if the null holds with equality, is ``mu_j = (N t - S) / (N - j + 1)``; the
test bets through an estimate ``eta_j`` of it in ``[mu_j, u]`` that depends
on earlier draws only, and

    T_j = prod_{i <= j} (x_i eta_i / mu_i + (u - x_i) (u - eta_i) / (u - mu_i)) / u

is a nonnegative supermartingale with ``T_0 = 1`` under the null (paper,
equation 4). By Ville's inequality, ``min(1, 1 / max_{i <= j} T_i)`` is a
sequentially valid p-value: the measured risk.

The edge cases follow SHANGRLA's ``NonnegMean.alpha_mart``: once the drawn
values sum to more than ``N t``, the null is impossible and the risk is 0;
once ``mu_j > u`` the null is certain and the test can no longer grow;
``mu_j`` equal to ``0`` or ``u`` contributes a factor 1.

**Exactness.** The values, ``mu_j`` and ``eta_j`` are Fractions. The product
is exact while its denominator has at most 2048 bits (a few dozen draws);
beyond, it is kept as two 60-digit decimal bounds, one rounded down and one rounded up
at every step (:mod:`decimal` rounds each operation correctly). Whether
``T_j >= 1 / risk_limit`` is decided from the bounds, and in the rare case
where they straddle the limit, from the exact Fraction product, so no
rounding ever decides whether an audit stops. The reported risk is
``1 / max T`` from the lower bound (or the exact value where it was
computed): at least the exact p-value, and within a relative ``10**-55`` of it.

**The estimator** is SHANGRLA's ``NonnegMean.shrink_trunc`` with ``f = 0``
(its default; the standard-deviation term then vanishes):
``eta_j = min(u (1 - eps) - e_j, max((d eta_0 + S) / (d + j - 1), mu_j (1 + eps) + e_j))``
with ``e_j = c / sqrt(d + j - 1)`` and ``eps = 2**-52`` (numpy's float64
epsilon, which SHANGRLA uses), and its defaults ``d = 100``,
``eta_0 = u (1 - eps)`` and ``c = (eta_0 - t) / 2 - eps``. The square root
is rounded to 64 bits, so ``eta_j`` is rational; any estimate in
``[mu_j, u]`` that depends only on earlier draws keeps the test valid
(paper, section 2.2), and an estimate the truncation would put below
``mu_j`` is raised to ``mu_j``, which makes that factor exactly 1 (and one
above ``u`` is lowered to ``u``).

With no discrepancies, shrink-trunc's estimate converges to the sample mean
``1 / (2 - v)`` of a comparison audit, where the bet grows slowly;
:class:`OptimalComparison` (SHANGRLA's ``optimal_comparison``, its later
default for comparison audits) bets near ``u`` throughout and needs far
fewer draws when the CVRs are accurate (see the audit docs for figures).
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Final, TypeAlias

import attrs

from electoral._text import excerpt
from electoral.errors import AuditError, OptionError
from electoral.rules._options import to_fraction

__all__ = ["EPS", "AlphaResult", "Estimator", "OptimalComparison", "ShrinkTrunc", "alpha_mart"]

#: numpy's float64 machine epsilon, which SHANGRLA's estimator uses in its truncation bounds
EPS: Final = Fraction(1, 2**52)
#: digits of the decimal bounds on the supermartingale
_DIGITS: Final = 60
_LOW: Final = decimal.Context(
    prec=_DIGITS, rounding=decimal.ROUND_FLOOR, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX, traps=[]
)
_HIGH: Final = decimal.Context(
    prec=_DIGITS, rounding=decimal.ROUND_CEILING, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX, traps=[]
)
_SQRT_BITS: Final = 64
#: the product is kept exactly while its denominator has at most this many bits
_EXACT_BITS: Final = 2048


def _to_positive(value: Fraction | int | str | None, what: str) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (Fraction, int, str)):
        raise OptionError(f"{what} must be a Fraction, an int or a text like '1/2', not {excerpt(value)}")
    try:
        # to_fraction refuses exponents beyond 10**100 (Fraction("1e99999999") would build a gigantic integer)
        number = to_fraction(value)
    except OptionError:
        raise OptionError(f"{what} must be a number, not {excerpt(value)}") from None
    if number <= 0:
        raise OptionError(f"{what} must be positive, not {excerpt(value)}")
    return number


def _to_eta0(value: Fraction | int | str | None) -> Fraction | None:
    return _to_positive(value, "eta0")


def _to_c(value: Fraction | int | str | None) -> Fraction | None:
    return _to_positive(value, "c")


def _to_d(value: Fraction | int | str) -> Fraction:
    number = _to_positive(value, "d")
    if number is None:
        raise OptionError("d must be a positive number, not None")
    return number


def _sqrt(value: Fraction) -> Fraction:
    """``sqrt(value)`` to 64 bits (rounded down)."""
    scale = 2**_SQRT_BITS
    return Fraction(math.isqrt(value.numerator * value.denominator * scale * scale), value.denominator * scale)


@attrs.frozen
class ShrinkTrunc:
    """SHANGRLA's shrink-trunc estimator of the mean (``NonnegMean.shrink_trunc``, ``f = 0``).

    ``eta0`` [``u (1 - 2**-52)``]: the prior guess of the mean (SHANGRLA's
    ``eta``); ``d`` [100]: its weight, in draws; ``c`` [``(eta0 - t) / 2 -
    2**-52``]: the scale of the truncation that keeps the estimate away from
    ``mu_j`` and ``u`` while the sample is small.
    """

    eta0: Fraction | None = attrs.field(default=None, converter=_to_eta0)
    d: Fraction = attrs.field(default=Fraction(100), converter=_to_d)
    c: Fraction | None = attrs.field(default=None, converter=_to_c)

    def start(self, t: Fraction, u: Fraction) -> Callable[[int, Fraction, Fraction], Fraction]:
        """The estimate ``eta_j`` as a function of ``j`` (from 1), the sum of the earlier draws and ``mu_j``."""
        eta0 = u * (1 - EPS) if self.eta0 is None else self.eta0
        if not t < eta0 <= u:
            raise OptionError(f"eta0 must lie above t = {t} and at most u = {u}, not {eta0}")
        c = (eta0 - t) / 2 - EPS if self.c is None else self.c
        if c <= 0:
            raise OptionError(f"the truncation scale c must be positive, not {c}")
        d = self.d

        def estimate(j: int, total: Fraction, mu: Fraction) -> Fraction:
            weight = d + j - 1
            tol = c / _sqrt(weight)
            shrunk = (d * eta0 + total) / weight
            return min(u * (1 - EPS) - tol, max(shrunk, mu * (1 + EPS) + tol))

        return estimate


@attrs.frozen
class OptimalComparison:
    """SHANGRLA's ``NonnegMean.optimal_comparison``: a fixed estimate for ballot-comparison audits.

    The bet that is optimal when the only errors are two-vote
    overstatements, at the rate ``error_rate_2`` [``1/100000``, SHANGRLA's
    default]: ``eta = (1 - u (1 - p2)) / (2 - 2u) + u (1 - p2) - 1/2``. It
    needs ``u > 1``, as every comparison assorter of a positive margin has.
    """

    error_rate_2: Fraction = attrs.field(default=Fraction(1, 100000), converter=to_fraction)

    def start(self, t: Fraction, u: Fraction) -> Callable[[int, Fraction, Fraction], Fraction]:
        """A constant estimate (see the class notes)."""
        if u <= 1:
            raise OptionError(f"optimal_comparison needs an upper bound above 1, not {u}")
        if not 0 <= self.error_rate_2 < 1:
            raise OptionError(f"error_rate_2 must lie in [0, 1), not {self.error_rate_2}")
        kept = u * (1 - self.error_rate_2)
        eta = (1 - kept) / (2 - 2 * u) + kept - Fraction(1, 2)

        def estimate(j: int, total: Fraction, mu: Fraction) -> Fraction:
            return eta

        return estimate


#: an estimator of the mean: ``start(t, u)`` gives ``eta_j`` as a function of ``(j, total, mu_j)``
Estimator: TypeAlias = ShrinkTrunc | OptimalComparison


@attrs.frozen
class AlphaResult:
    """The outcome of :func:`alpha_mart`.

    ``risk`` is the measured risk after the whole sample (``min(1, 1 / max
    T_j)``), ``history[j - 1]`` the measured risk after draw ``j``,
    ``p_history[j - 1]`` is ``min(1, 1 / T_j)`` (SHANGRLA's ``p_history``:
    it can rise again, the measured risk cannot), ``stopped_at`` the first
    draw after which the risk was at most the risk limit (None if it never
    was), and ``confirmed`` whether it is now.
    """

    risk: Fraction
    history: tuple[Fraction, ...]
    p_history: tuple[Fraction, ...]
    stopped_at: int | None
    confirmed: bool


def _check_sample(x: Sequence[Fraction | int], population: int, u: Fraction) -> list[Fraction]:
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise AuditError(f"the population size must be a whole number of at least 1, not {excerpt(population)}")
    if len(x) > population:
        raise AuditError(f"a sample without replacement of {len(x)} draws exceeds the population of {population}")
    values = []
    for j, value in enumerate(x, start=1):
        # a float (or a text) is no exact value: the draws must be Fractions or ints
        if isinstance(value, bool) or not isinstance(value, (Fraction, int)):
            raise AuditError(f"draw {j}: a value must be a Fraction or an int, not {excerpt(value)}")
        if not 0 <= value <= u:
            raise AuditError(f"a value {excerpt(value)} lies outside [0, {u}]")
        values.append(Fraction(value))
    return values


def _number(value: Fraction | int | str, what: str) -> Fraction:
    """``u``, ``t`` or the risk limit, exactly: a float is read as the decimal it prints as (``to_fraction``)."""
    try:
        return to_fraction(value)
    except OptionError:
        raise AuditError(f"{what} must be a number like 1/2 or 0.05, not {excerpt(value)}") from None


def alpha_mart(
    x: Sequence[Fraction | int],
    *,
    population: int,
    u: Fraction | int | str,
    risk_limit: Fraction | int | str,
    t: Fraction | int | str = Fraction(1, 2),
    estimator: Estimator | None = None,
) -> AlphaResult:
    """ALPHA's test of "the mean of the ``population`` values in ``[0, u]`` is at most ``t``" on draws ``x``.

    The draws are without replacement and must be in random order; they
    must be Fractions or ints. ``u``, ``t`` and ``risk_limit`` may also be
    texts like ``"1/2"`` or ``"5%"`` (a float is read as the decimal it
    prints as, so no float decides). See the module notes for the
    exactness of the decision.

    >>> r = alpha_mart([Fraction(1)] * 4, population=10, u=Fraction(1), risk_limit=Fraction(1, 20))
    >>> [round(float(risk), 4) for risk in r.history], r.stopped_at, r.confirmed
    ([0.5128, 0.2337, 0.0899, 0.0263], 4, True)
    """
    u, t, risk_limit = _number(u, "u"), _number(t, "t"), _number(risk_limit, "the risk limit")
    x = _check_sample(x, population, u)
    if not 0 < risk_limit < 1:
        raise AuditError(f"the risk limit must lie strictly between 0 and 1, not {excerpt(risk_limit)}")
    if not 0 <= t < u:
        raise AuditError(f"the null mean t must lie in [0, u) = [0, {u}), not {excerpt(t)}")
    chosen = ShrinkTrunc() if estimator is None else estimator
    if not callable(getattr(chosen, "start", None)):
        raise AuditError(f"the estimator must be a ShrinkTrunc or an OptimalComparison, not {excerpt(chosen)}")
    estimate = chosen.start(t, u)
    threshold = 1 / risk_limit
    low = high = decimal.Decimal(1)
    terms: list[Fraction] = []
    best = Fraction(1)  # max T_j so far, as a lower bound (exact where it was computed exactly)
    history: list[Fraction] = []
    p_history: list[Fraction] = []
    current = Fraction(1)  # T_j, exact or as a lower bound
    exact: Fraction | None = Fraction(1)  # T_j exactly, while it stays small
    stopped_at: int | None = None
    total = Fraction(0)
    certain = impossible = False  # the null is certainly true / certainly false
    for j, value in enumerate(x, start=1):
        if not (certain or impossible):
            mu = (population * t - total) / (population - j + 1)
            if mu > u:
                certain = True
            else:
                term = Fraction(1)
                if 0 < mu < u:
                    eta = min(max(estimate(j, total, mu), mu), u)
                    term = (value * eta / mu + (u - value) * (u - eta) / (u - mu)) / u
                terms.append(term)
                low = _LOW.divide(_LOW.multiply(low, term.numerator), term.denominator)
                high = _HIGH.divide(_HIGH.multiply(high, term.numerator), term.denominator)
                if exact is not None:
                    exact *= term
                    if exact.denominator.bit_length() > _EXACT_BITS:
                        exact = None  # from here on, the decimal bounds
                current = exact if exact is not None else _decide(low, high, terms, threshold)
                best = max(best, current)
        total += value
        if total > population * t:
            impossible = True
        risk = Fraction(0) if impossible else min(Fraction(1), 1 / best)
        if stopped_at is None and risk <= risk_limit:
            stopped_at = j
        history.append(risk)
        p_history.append(Fraction(0) if impossible else Fraction(1) if certain or current <= 1 else 1 / current)
    risk = history[-1] if history else Fraction(1)
    return AlphaResult(
        risk=risk,
        history=tuple(history),
        p_history=tuple(p_history),
        stopped_at=stopped_at,
        confirmed=risk <= risk_limit,
    )


def _decide(low: decimal.Decimal, high: decimal.Decimal, terms: list[Fraction], threshold: Fraction) -> Fraction:
    """A lower bound on ``T_j`` that is at least ``threshold`` exactly when ``T_j`` is (exact if need be)."""
    lower = Fraction(low)
    if lower >= threshold or Fraction(high) < threshold:
        return lower
    return math.prod(terms, start=Fraction(1))
