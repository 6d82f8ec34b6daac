"""Seat results of real parliaments for the tests: the bundled Spanish Congreso 2004 file and the shared data."""

from __future__ import annotations

import csv
import os
from pathlib import Path

#: Spain's Congreso 2004 seats by province, with national rows (district ``*``); source in examples/README.md.
SPAIN = Path(__file__).resolve().parents[1] / "examples" / "spain-2004-congreso-seats.csv"
#: The shared parliaments data (``ELECTORAL_SHARED``, else ``../shared`` beside the repository), which
#: tests skip without.
SHARED = (
    Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    / "data"
    / "parliaments"
)


def spain() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The national totals (in the file's order) and the seats by (province, party)."""
    with SPAIN.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    totals = {r["party"]: int(r["seats"]) for r in rows if r["district"] == "*"}
    seats = {(r["district"], r["party"]): int(r["seats"]) for r in rows if r["district"] != "*"}
    return totals, seats
