"""Exact arithmetic for STV: fixed-point decimals with truncation, or Fractions.

A count keeps one value per unique ballot. With ``decimal_places = d``
values are integers scaled by ``10**d`` (a vote is ``10**d``) and every
division truncates, as statutes prescribing "d decimal places, any
remainder being ignored" require; with ``decimal_places = None`` values are
exact :class:`~fractions.Fraction` objects. Floats are never used.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from electoral._profile import exact_sum_by

__all__ = ["Arithmetic"]


class Arithmetic:
    """Vote values, either scaled integers (``places`` decimals, truncated) or exact Fractions."""

    def __init__(self, places: int | None) -> None:
        self.places = places
        self.one: Any = 10**places if places is not None else Fraction(1)

    @property
    def exact(self) -> bool:
        return self.places is None

    def ones(self, n: int) -> npt.NDArray[Any]:
        if self.places is None:
            return np.full(n, Fraction(1), dtype=object)
        return np.full(n, self.one, dtype=np.int64)

    def zeros(self, n: int) -> npt.NDArray[Any]:
        if self.places is None:
            return np.full(n, Fraction(0), dtype=object)
        return np.zeros(n, dtype=np.int64)

    def votes(self, scaled: Any) -> int | Fraction:
        """A value as a vote figure: an int when whole, else an exact Fraction."""
        value = Fraction(scaled) if self.places is None else Fraction(int(scaled), self.one)
        return value.numerator if value.denominator == 1 else value

    def from_votes(self, votes: int | Fraction) -> Any:
        """A whole or fractional number of votes in this arithmetic (truncated to the places)."""
        if self.places is None:
            return Fraction(votes)
        return int(Fraction(votes) * self.one)

    def scale(self, surplus: Any, values: npt.NDArray[Any], total: Any) -> npt.NDArray[Any]:
        """Each value times ``surplus / total``: truncated to the places, or exact."""
        if self.places is None:
            factor = Fraction(surplus) / Fraction(total)
            return np.array([v * factor for v in values], dtype=object)
        if int(surplus) * int(values.max(initial=0)) < 2**62:
            return (values * int(surplus)) // int(total)
        return np.array([int(v) * int(surplus) // int(total) for v in values], dtype=np.int64)

    def group_sum(self, labels: npt.NDArray[np.int32], weights: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
        """Exact sums of ``weights`` by label in ``range(n)``; negative labels are ignored."""
        keep = labels >= 0
        if self.places is None:
            total = self.zeros(n)
            for label, weight in zip(labels[keep].tolist(), weights[keep].tolist(), strict=True):
                total[label] += weight
            return total
        return exact_sum_by(labels, weights, n)

    def total(self, weights: npt.NDArray[Any]) -> Any:
        if self.places is None:
            return sum(weights.tolist(), Fraction(0))
        return int(weights.sum())
