"""Approval, score, STAR and majority judgment: worked examples and the marks each reads."""

from __future__ import annotations

import numpy as np
import pytest

from electoral import Election, tabulate
from electoral.errors import MarkError


def test_approval_counts_and_refuses_rankings() -> None:
    e = Election.from_rankings({"A=B": 3, "B": 3, "C=A": 2})
    result = tabulate(e, "approval")
    assert {c.name: v for c, v in result.rounds[0].tally.items()} == {"A": 5, "B": 6, "C": 2}
    with pytest.raises(
        MarkError, match=r"rule 'approval' reads approvals \(one rank of approved candidates\), but ballot 'A>B' ranks"
    ):
        tabulate(Election.from_rankings({"A>B": 1}), "approval")
    with pytest.raises(MarkError, match="rule 'approval' reads approvals"):
        tabulate(Election.from_array(np.array([[0, 1]]), candidates=["A", "B"]), "approval")


@pytest.mark.parametrize("rule", ["score", "star", "majority-judgment"])
def test_score_rules_refuse_rankings(rule: str) -> None:
    with pytest.raises(MarkError, match=f"rule '{rule}' reads scores, but ballot 'A>B' ranks candidates in order"):
        tabulate(Election.from_rankings({"A>B": 1}), rule)
    with pytest.raises(MarkError, match=f"rule '{rule}' reads scores, but the ballots are rankings"):
        tabulate(Election.from_array(np.array([[0, 1]]), candidates=["A", "B"]), rule)


def test_score_and_star_worked_example() -> None:
    # A:5,B:4 ×3; B:5,C:1 ×2; C:5,B:1 ×4. Totals A 15, B 12 + 10 + 4 = 26, C 2 + 20 = 22.
    # Runoff B v C: the 3 A-voters prefer B (4 > 0), 2 prefer B, 4 prefer C: B wins 5 to 4.
    e = Election.from_rankings({"A:5,B:4": 3, "B:5,C:1": 2, "C:5,B:1": 4})
    assert {c.name: v for c, v in tabulate(e, "score").rounds[0].tally.items()} == {"A": 15, "B": 26, "C": 22}
    star = tabulate(e, "star")
    assert [c.name for c in star.rounds[0].advancing] == ["B", "C"]
    assert {c.name: v for c, v in star.rounds[1].tally.items()} == {"B": 5, "C": 4}
    assert star.winner.name == "B"


def test_star_runoff_tie_goes_to_the_higher_total() -> None:
    # A:5,B:4 ×1 and B:5,A:3 ×1: totals A 8, B 9; the runoff is 1 to 1, so B (higher total) wins.
    e = Election.from_rankings({"A:5,B:4": 1, "B:5,A:3": 1})
    result = tabulate(e, "star")
    assert result.winner.name == "B"
    assert result.rounds[1].note.startswith("runoff tied")


def test_majority_judgment_breaks_equal_medians_by_majority_values() -> None:
    # Five voters. A's grades sorted: 1 2 2 2 4; B's: 0 2 2 3 3. Both medians are 2.
    # Removing one median at a time visits sorted positions 2, 1, 3, 0, 4:
    # A gives 2, 2, 2, 1, 4 and B gives 2, 2, 3, 0, 3. The third value decides: B (3 > 2).
    e = Election.from_rankings({"A:1,B:0": 1, "A:2,B:2": 2, "A:2,B:3": 1, "A:4,B:3": 1})
    result = tabulate(e, "majority-judgment")
    assert {c.name: v for c, v in result.rounds[0].tally.items()} == {"A": 2, "B": 2}
    assert result.winner.name == "B"
