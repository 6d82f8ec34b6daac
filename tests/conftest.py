"""Shared fixtures and Hypothesis settings for the test suite."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=200, derandomize=True)
# Long fuzz campaigns on fresh random seeds: ELECTORAL_HYPOTHESIS_PROFILE=long ELECTORAL_FUZZ_EXAMPLES=20000
# python -m pytest tests/test_fuzz.py tests/test_ess_paths.py (see tests/test_fuzz.py). An example that
# takes longer than ELECTORAL_FUZZ_DEADLINE seconds (10 by default) fails, so a near-hang is caught too.
settings.register_profile(
    "long",
    parent=settings.get_profile("default"),
    max_examples=int(os.environ.get("ELECTORAL_FUZZ_EXAMPLES", "10000")),
    deadline=timedelta(seconds=float(os.environ.get("ELECTORAL_FUZZ_DEADLINE", "10"))),
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("ELECTORAL_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

SHARED = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real ballot data folder (``ELECTORAL_SHARED``/data); skips when absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"real ballot data not found at {path}; set ELECTORAL_SHARED to the shared folder")
    return path


@pytest.fixture(scope="session")
def rctab_suite() -> Path:
    """RCTab's conformance suite (``ELECTORAL_SHARED``/conformance/rctab); skips when absent."""
    path = SHARED / "conformance" / "rctab"
    if not path.is_dir():
        pytest.skip(f"RCTab conformance suite not found at {path}; set ELECTORAL_SHARED to the shared folder")
    return path
