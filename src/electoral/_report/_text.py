"""What the report writes for a name or a figure: escaped text, and exact numbers."""

from __future__ import annotations

from fractions import Fraction

from electoral._arith import format_decimal
from electoral._display import escape as esc

__all__ = ["esc", "exact", "shown"]

#: the decimal places a non-whole figure is shown with (its exact value is in the title)
PLACES = 5


def _grouped(whole: int) -> str:
    return f"{whole:,}"


def exact(value: int | Fraction) -> str:
    """The figure exactly: ``1,234``, ``12.5`` (a terminating decimal) or ``1,234 7/9``."""
    value = Fraction(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, rest = divmod(value.numerator, value.denominator)
    if not rest:
        return sign + _grouped(whole)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator == 1:
        places = max(twos, fives)
        digits = str(rest * 10**places // value.denominator).rjust(places, "0")
        return f"{sign}{_grouped(whole)}.{digits}"
    fraction = Fraction(rest, value.denominator)
    if not whole:
        return f"{sign}{fraction.numerator}/{fraction.denominator}"
    return f"{sign}{_grouped(whole)} {fraction.numerator}/{fraction.denominator}"


def shown(value: int | Fraction) -> str:
    """The figure as a table shows it: whole numbers exactly, others to :data:`PLACES` decimals (rounded half even)."""
    value = Fraction(value)
    if value.denominator == 1:
        return _grouped(value.numerator)
    return format_decimal(value, PLACES)
