"""Small RCTab contests written into a test's folder: a generic CSV of five ballots and its config."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: five ballots over A, B and C; A wins on transfers
CVR = "id,A,B,C\n1,1,2,3\n2,1,2,\n3,2,1,\n4,,1,2\n5,3,,1\n"


def write_contest(
    folder: Path,
    *,
    file_path: str = "cvr.csv",
    provider: str = "genericCsv",
    mode: str = "singleWinnerMajority",
    winners: int = 1,
    candidates: tuple[str, ...] = ("A", "B", "C"),
    cvr: str | None = CVR,
    name: str = "contest_config.json",
    rules: dict[str, Any] | None = None,
    source: dict[str, Any] | None = None,
    output: dict[str, Any] | None = None,
) -> Path:
    """Write ``cvr`` (unless None) as ``folder/cvr.csv`` and a config reading ``file_path``; return the config."""
    folder.mkdir(parents=True, exist_ok=True)
    if cvr is not None:
        (folder / "cvr.csv").write_text(cvr, encoding="utf-8")
    config = {
        "tabulatorVersion": "TEST",
        "outputSettings": {"contestName": "Test contest", "outputDirectory": "output", **(output or {})},
        "cvrFileSources": [
            {
                "filePath": file_path,
                "provider": provider,
                "contestId": "Mayor",
                "firstVoteColumnIndex": "2",
                "firstVoteRowIndex": "2",
                **(source or {}),
            }
        ],
        "candidates": [{"name": name_, "aliases": [], "excluded": False} for name_ in candidates],
        "rules": {
            "tiebreakMode": "useCandidateOrder",
            "overvoteRule": "exhaustImmediately",
            "winnerElectionMode": mode,
            "numberOfWinners": str(winners),
            "decimalPlacesForVoteArithmetic": "4",
            "maxSkippedRanksAllowed": "1",
            "maxRankingsAllowed": "max",
            "randomSeed": "",
            **(rules or {}),
        },
    }
    path = folder / name
    path.write_text(json.dumps(config, indent=1), encoding="utf-8")
    return path
