"""Exact arithmetic for STV: fixed-point decimals with truncation, or Fractions.

A count keeps one value per unique ballot. With ``decimal_places = d``
values are integers scaled by ``10**d`` (a vote is ``10**d``) and every
division truncates, as statutes prescribing "d decimal places, any
remainder being ignored" require; with ``decimal_places = None`` values are
exact :class:`~fractions.Fraction` objects. Floats are never used.

Scaled figures live in numpy int64 arrays while no figure of the count can
pass int64: every tally is at most ``voters * 10**d``, so the fast path is
taken when that is below :data:`INT64_BOUND`. Above it (more than about
4.6 × 10**13 voters at 5 places) the same values are held as Python
integers in arrays of dtype ``object``, with the same truncations, so the
count stays exact up to the library's bound of 2**62 - 1 voters.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from electoral._arith import whole
from electoral._profile._build import exact_sum_by, exact_total

__all__ = ["INT64_BOUND", "Arithmetic", "fits_int64"]

#: Scaled figures stay in int64 while the largest possible one is below this (a margin of 2 under 2**63).
INT64_BOUND: Final = 2**62


def fits_int64(voters: int, one: int) -> bool:
    """Whether ``voters`` ballots of value at most ``one`` (scaled) keep every sum and product in int64."""
    return voters * one < INT64_BOUND


class Arithmetic:
    """Vote values, either scaled integers (``places`` decimals, truncated) or exact Fractions.

    ``voters`` is the number of ballots the count moves; when ``voters * 10**places``
    could pass int64, scaled values are held as Python integers (see the module notes).
    """

    def __init__(self, places: int | None, voters: int = 0) -> None:
        self.places = places
        self.one: Any = 10**places if places is not None else Fraction(1)
        self.wide = places is not None and not fits_int64(voters, 10**places)

    @property
    def exact(self) -> bool:
        return self.places is None

    @property
    def python_ints(self) -> bool:
        """Whether values are Python objects (Fractions, or integers past int64) rather than int64."""
        return self.places is None or self.wide

    def ones(self, n: int) -> npt.NDArray[Any]:
        if self.places is None:
            return np.full(n, Fraction(1), dtype=object)
        return np.full(n, self.one, dtype=object if self.wide else np.int64)

    def zeros(self, n: int) -> npt.NDArray[Any]:
        if self.places is None:
            return np.full(n, Fraction(0), dtype=object)
        return np.zeros(n, dtype=object if self.wide else np.int64)

    def votes(self, scaled: Any) -> int | Fraction:
        """A value as a vote figure: an int when whole, else an exact Fraction."""
        value = Fraction(scaled) if self.places is None else Fraction(int(scaled), self.one)
        return whole(value)

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
        if not self.wide and int(surplus) * int(values.max(initial=0)) < INT64_BOUND:
            return (values * int(surplus)) // int(total)
        scaled = [int(v) * int(surplus) // int(total) for v in values.tolist()]
        return np.array(scaled, dtype=object) if self.wide else np.array(scaled, dtype=np.int64)

    def group_sum(self, labels: npt.NDArray[np.int32], weights: npt.NDArray[Any], n: int) -> npt.NDArray[Any]:
        """Exact sums of ``weights`` by label in ``range(n)``; negative labels are ignored."""
        keep = labels >= 0
        if self.places is None:
            total = self.zeros(n)
            for label, weight in zip(labels[keep].tolist(), weights[keep].tolist(), strict=True):
                total[label] += weight
            return total
        sums = exact_sum_by(labels, weights, n)
        if self.wide and sums.dtype != object:
            return sums.astype(object)
        return sums

    def total(self, weights: npt.NDArray[Any]) -> Any:
        if self.places is None:
            return sum(weights.tolist(), Fraction(0))
        if self.wide:
            return exact_total(weights)
        return int(weights.sum())  # at most voters * 10**places, below INT64_BOUND
