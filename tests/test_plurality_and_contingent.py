"""Plurality (FPTP, block vote, SNTV) and the runoff simulated from ranked ballots."""

from __future__ import annotations

import pytest

from electoral import Ballot, Candidate, Election, tabulate
from electoral.errors import MarkError, OptionError


def names(result: object) -> list[str]:
    return [c.name for c in result.winners]  # type: ignore[attr-defined]


class TestPlurality:
    def test_first_past_the_post(self) -> None:
        result = tabulate(Election.from_counts({"A": 40, "B": 35, "C": 25}, blank=3, invalid=2), "plurality")
        assert names(result) == ["A"]
        (first,) = result.rounds
        assert first.ballots == 105
        assert first.set_aside == {"blank": 3, "invalid": 2}
        assert first.denominator == 100

    def test_reads_the_first_preference_of_ranked_ballots(self) -> None:
        election = Election.from_rankings({"A>B": 2, "B>A": 3, ">A": 1})
        result = tabulate(election, "plurality")
        # A ballot whose first rank was skipped counts for its first marked rank.
        assert result.rounds[0].tally == {election.candidate("A"): 3, election.candidate("B"): 3}
        assert result.status == "tied"

    def test_overvote_is_set_aside(self) -> None:
        election = Election.from_rankings({"A=B": 4, "A": 3, "B": 2})
        result = tabulate(election, "plurality")
        assert names(result) == ["A"]
        assert result.rounds[0].set_aside == {"overvote": 4}

    def test_block_vote(self) -> None:
        election = Election.from_rankings({"A=B": 5, "B=C": 4, "C": 3, "A=B=C": 10}, candidates=["A", "B", "C"])
        election = election.with_seats(2)
        result = tabulate(election, "plurality")
        # The ballots marking all three overvote a two-seat block vote.
        assert result.rounds[0].tally == {Candidate("A"): 5, Candidate("B"): 9, Candidate("C"): 7}
        assert names(result) == ["B", "C"]
        assert result.rounds[0].set_aside == {"overvote": 10}
        assert result.rounds[0].continuing == 12

    def test_sntv(self) -> None:
        election = Election.from_rankings({"A>B": 5, "B": 4, "C": 3, "D": 1}, candidates=list("ABCD")).with_seats(2)
        assert names(tabulate(election, "plurality", method="sntv")) == ["A", "B"]

    def test_bad_method(self) -> None:
        with pytest.raises(OptionError, match="'stv'"):
            tabulate(Election.from_counts({"A": 1}), "plurality", method="stv")

    def test_score_ballots_are_refused_with_a_clear_message(self) -> None:
        a = Candidate("A")
        election = Election([a], [Ballot(scores={a: 3})])
        with pytest.raises(MarkError, match=r"'plurality' reads .* carries scores"):
            tabulate(election, "plurality")


class TestContingent:
    def test_majority_of_first_preferences_wins_at_once(self) -> None:
        result = tabulate(Election.from_rankings({"A>B": 6, "B>A": 4}), "contingent")
        assert names(result) == ["A"]
        assert len(result.rounds) == 1

    def test_transfers_to_the_finalist_ranked_higher(self) -> None:
        election = Election.from_rankings(
            {"A>B": 40, "B>A": 35, "C>D>B": 20, "C": 5, "D>A": 4}, candidates=list("ABCD")
        )
        result = tabulate(election, "contingent")
        second = result.rounds[1]
        a, b, _c, _d = election.candidates
        # C's 20 ballots reach B through D; 5 of C's ballots are exhausted; D's 4 go to A.
        assert second.tally == {a: 44, b: 55}
        assert names(result) == ["B"]
        flows = {(t.source.name, t.target.name if t.target else None): t.votes for t in second.transfers}
        assert flows == {("C", "B"): 20, ("C", None): 5, ("D", "A"): 4}
        assert second.set_aside == {"exhausted": 5}
        assert second.continuing + sum(second.set_aside.values()) == second.ballots == 104

    def test_supplementary_reads_only_two_preferences(self) -> None:
        election = Election.from_rankings({"A>B": 40, "B>A": 35, "C>D>B": 20, "D>A": 4}, candidates=list("ABCD"))
        supplementary = tabulate(election, "supplementary")
        contingent = tabulate(election, "contingent")
        a, b, _, _ = election.candidates
        # C>D>B: the third preference is never read by the supplementary vote.
        assert supplementary.rounds[1].tally == {a: 44, b: 35}
        assert names(supplementary) == ["A"]
        assert names(contingent) == ["B"]

    def test_overvote_ends_a_ballots_say(self) -> None:
        election = Election.from_rankings({"A": 4, "B": 3, "C>A=B": 2}, candidates=list("ABC"))
        result = tabulate(election, "contingent")
        assert result.rounds[1].set_aside == {"exhausted": 2}
