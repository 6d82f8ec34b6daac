"""Exact arithmetic: exact sums of integer arrays, percentages rounded from Fractions, whole Fractions as ints,
and shares compared with a threshold (:func:`passes`) and put into words (:func:`share_text`).

A leaf: it imports nothing of the library. Floats never appear here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "Votes",
    "exact_sum_by",
    "exact_total",
    "format_decimal",
    "format_percent",
    "json_number",
    "passes",
    "share_text",
    "whole",
]

Votes: TypeAlias = int | Fraction


def whole(value: Votes) -> Votes:
    """``value`` as an ``int`` when it is a whole Fraction, else unchanged.

    >>> whole(Fraction(6, 3)), whole(Fraction(1, 2)), whole(7)
    (2, Fraction(1, 2), 7)
    """
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def format_decimal(value: Votes, places: int, *, grouped: bool = True) -> str:
    """``value`` rounded half-to-even at ``places`` decimals, computed exactly, with thousands separators.

    Display only: the exact figure stays where it was computed.

    >>> format_decimal(Fraction(2_000_000, 3), 5), format_decimal(Fraction(1, 8), 2), format_decimal(7, 5)
    ('666,666.66667', '0.12', '7.00000')
    """
    scaled = round(Fraction(value) * 10**places)
    sign = "-" if scaled < 0 else ""
    units, frac = divmod(abs(scaled), 10**places)
    whole = f"{units:,}" if grouped else str(units)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def format_percent(share: Fraction, places: int = 2) -> str:
    """``share`` as a percentage rounded half-to-even at ``places`` decimals, computed exactly.

    >>> format_percent(Fraction(920620, 1697868))
    '54.22'
    """
    return format_decimal(share * 100, places, grouped=False)


def passes(votes: int, denominator: int, share: Fraction, comparison: Literal["above", "at-least", "plus-one"]) -> bool:
    """Whether ``votes`` out of ``denominator`` meets ``share`` under ``comparison``, exactly.

    ``"above"``: strictly more than the share; ``"at-least"``: the share or
    more; ``"plus-one"``: at least the share plus one vote ("50% plus one").

    >>> passes(50, 100, Fraction(1, 2), "above"), passes(50, 100, Fraction(1, 2), "at-least")
    (False, True)
    >>> passes(51, 101, Fraction(1, 2), "plus-one")
    False
    """
    needed = share * denominator
    if comparison == "above":
        return votes > needed
    if comparison == "at-least":
        return votes >= needed
    return votes >= needed + 1


def share_text(share: Fraction, *, half: bool = False) -> str:
    """A threshold in words: a percentage such as ``"12.5%"``, or ``"half"`` for 1/2 when ``half`` is set.

    >>> share_text(Fraction(1, 8)), share_text(Fraction(1, 2)), share_text(Fraction(1, 2), half=True)
    ('12.5%', '50%', 'half')
    """
    if half and share == Fraction(1, 2):
        return "half"
    return format_percent(share, 4).rstrip("0").rstrip(".") + "%"


def json_number(value: Votes) -> int | str:
    """An exact JSON form of a vote figure: an int, or a Fraction as ``"p/q"``."""
    if isinstance(value, Fraction):
        number = whole(value)
        return number if isinstance(number, int) else f"{value.numerator}/{value.denominator}"
    return value


# float64 represents every integer below 2**53 exactly, so a float bincount of
# non-negative integers is exact while the grand total stays below that.
_EXACT_FLOAT_SUM: Final = 2**53
# Any sum of int64 values whose magnitudes add up to less than this cannot wrap.
_INT64_SAFE: Final = 2**63


def exact_total(values: npt.NDArray[Any]) -> int:
    """The exact sum of an integer array, as a Python int: in int64 when it cannot wrap, else in Python."""
    if values.dtype == object:
        return int(sum(values.tolist()))
    if not len(values):
        return 0
    largest = max(abs(int(values.max())), abs(int(values.min())))
    if largest * len(values) < _INT64_SAFE:
        return int(values.sum())
    return int(sum(values.tolist()))


def exact_sum_by(labels: npt.NDArray[np.integer], weights: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
    """Exact integer sums of ``weights`` per label in ``range(n)``; negative labels are ignored.

    ``np.bincount`` is fast but adds in float64; it is used only when every
    partial sum is provably exact (non-negative weights summing below 2**53).
    Otherwise integer ``np.add.at`` adds in int64 while no sum can pass it,
    and an array of Python integers (dtype ``object``) comes back when one could.
    """
    if len(labels) and int(labels.min()) < 0:
        keep = labels >= 0
        labels, weights = labels[keep], weights[keep]
    wide = weights.dtype == object
    if not wide and len(weights):
        low, high = int(weights.min()), int(weights.max())
        if low >= 0:
            # non-negative: every partial sum is at most the total
            grand = int(weights.sum()) if high * len(weights) < _INT64_SAFE else exact_total(weights)
            if grand < _EXACT_FLOAT_SUM:
                return np.rint(np.bincount(labels, weights=weights.astype(np.float64), minlength=n)).astype(np.int64)
            wide = grand >= _INT64_SAFE
        else:
            wide = max(-low, high) * len(weights) >= _INT64_SAFE
    if wide:
        sums = [0] * n
        for label, weight in zip(labels.tolist(), weights.tolist(), strict=True):
            sums[label] += int(weight)
        out = np.empty(n, dtype=object)
        out[:] = sums
        return out
    total = np.zeros(n, dtype=np.int64)
    np.add.at(total, labels, weights)
    return total
