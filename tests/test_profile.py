"""The numpy kernel's exact sums."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from electoral._profile._build import exact_sum_by


@given(st.lists(st.tuples(st.integers(-1, 4), st.integers(0, 2**62)), max_size=30))
def test_sums_are_exact_at_any_size(pairs: list[tuple[int, int]]) -> None:
    """Per-label sums equal Python's integer sums, whether the total is below 2**53 (float path) or not."""
    labels = np.array([p[0] for p in pairs], dtype=np.int64)
    weights = np.array([p[1] for p in pairs], dtype=np.int64)
    expected = [0] * 5
    for label, weight in pairs:
        if label >= 0:
            expected[label] += weight
    if sum(expected) < 2**63:
        assert exact_sum_by(labels, weights, 5).tolist() == expected


def test_just_past_float_precision() -> None:
    # 2**53 + 1 is the first integer float64 cannot hold; the integer path must be taken.
    labels = np.array([0, 0], dtype=np.int64)
    weights = np.array([2**53, 1], dtype=np.int64)
    assert exact_sum_by(labels, weights, 1).tolist() == [2**53 + 1]
