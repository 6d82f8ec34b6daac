"""The domain model: candidates, ballots, elections, and their JSON form."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election
from electoral.errors import (
    BallotError,
    BallotErrorGroup,
    CandidateError,
    CountError,
    DuplicateCandidateError,
    ElectoralError,
    FormatError,
    NoCandidatesError,
    SeatsError,
    UnknownCandidateError,
)
from electoral.testing.strategies import elections

A, B, C, D = (Candidate(n) for n in "ABCD")


class TestCandidate:
    def test_is_frozen_and_hashable(self) -> None:
        candidate = Candidate("Jeenbekov", party="SDPK")
        assert hash(candidate) == hash(Candidate("Jeenbekov", party="SDPK"))
        with pytest.raises(AttributeError):
            candidate.name = "x"  # type: ignore[misc]

    @pytest.mark.parametrize("bad", ["", "   ", 3, None])
    def test_rejects_bad_names(self, bad: object) -> None:
        with pytest.raises(CandidateError, match=repr(bad).replace("(", r"\(")):
            Candidate(bad)  # type: ignore[arg-type]

    def test_str_is_name(self) -> None:
        assert str(Candidate("Le Pen")) == "Le Pen"


class TestBallot:
    def test_records_every_kind_of_mark(self) -> None:
        ballot = Ballot([{A}, {B, C}, set(), {D}, {A}])
        assert ballot.ranking == (frozenset({A}), frozenset({B, C}), frozenset(), frozenset({D}), frozenset({A}))
        assert str(ballot) == "A>B=C>>D>A"

    def test_trailing_empty_ranks_are_dropped(self) -> None:
        assert Ballot([{A}, set(), set()]).ranking == (frozenset({A}),)

    def test_blank(self) -> None:
        assert Ballot().is_blank
        assert Ballot([set(), set()]).is_blank
        assert str(Ballot()) == ""

    @pytest.mark.parametrize("count", [0, -1, 1.5, True, "3"])
    def test_count_must_be_positive_int(self, count: object) -> None:
        with pytest.raises(CountError, match="count"):
            Ballot([{A}], count=count)  # type: ignore[arg-type]

    def test_scores(self) -> None:
        ballot = Ballot(scores={A: 5, B: 0})
        assert str(ballot) == "A:5,B:0"
        with pytest.raises(BallotError, match="not both"):
            Ballot([{A}], scores={A: 1})
        with pytest.raises(BallotError, match="integer"):
            Ballot(scores={A: 1.5})  # type: ignore[dict-item]

    def test_rejects_names_in_place_of_candidates(self) -> None:
        with pytest.raises(BallotError, match="'A'"):
            Ballot([{"A"}])  # type: ignore[list-item]


class TestElection:
    def test_from_counts_and_cast(self) -> None:
        # Kyrgyzstan 2017 (Central Election Commission, certified 30 October 2017).
        kg = Election.from_counts(
            {"Jeenbekov": 920_620, "Babanov": 568_665, "Madumarov": 110_284, "Other eight (combined)": 84_389},
            invalid=13_910,
            registered=3_014_434,
        )
        assert kg.cast == 1_697_868
        assert kg.names == ("Jeenbekov", "Babanov", "Madumarov", "Other eight (combined)")

    def test_zero_count_candidates_are_kept_without_ballots(self) -> None:
        election = Election.from_counts({"A": 3, "B": 0})
        assert election.names == ("A", "B")
        assert len(election.ballots) == 1

    def test_aggregates_identical_ballots(self) -> None:
        election = Election([A, B], [Ballot([{A}, {B}], count=2), Ballot([{B}]), Ballot([{A}, {B}], count=3)])
        assert [(str(b), b.count) for b in election.ballots] == [("A>B", 5), ("B", 1)]

    def test_from_rankings_notation_and_sequences(self) -> None:
        election = Election.from_rankings({"A>B=C>D": 30, ("B", "A"): 20, ("C", ("A", "B")): 1})
        assert election.names == ("A", "B", "C", "D")
        assert [str(b) for b in election.ballots] == ["A>B=C>D", "B>A", "C>A=B"]

    def test_from_rankings_one_voter_at_a_time(self) -> None:
        election = Election.from_rankings(["A>B", "A>B", "B"])
        assert [(str(b), b.count) for b in election.ballots] == [("A>B", 2), ("B", 1)]

    def test_from_rankings_given_candidates_keeps_their_order(self) -> None:
        election = Election.from_rankings({"B>A": 1}, candidates=["A", "B", "C"])
        assert election.names == ("A", "B", "C")

    def test_errors_name_the_value(self) -> None:
        with pytest.raises(DuplicateCandidateError, match="'A'"):
            Election(["A", "A"])
        with pytest.raises(NoCandidatesError):
            Election([])
        with pytest.raises(UnknownCandidateError, match="'Z'"):
            Election.from_rankings({"A>Z": 1}, candidates=["A", "B"])
        with pytest.raises(CountError, match="-2"):
            Election.from_counts({"A": -2})
        with pytest.raises(CountError, match="0"):
            Election.from_rankings({"A": 0})

    def test_unknown_candidate_is_a_lookup_error(self) -> None:
        with pytest.raises(LookupError):
            Election.from_rankings({"A>Z": 1}, candidates=["A"])

    def test_many_bad_ballots_are_reported_together(self) -> None:
        with pytest.raises(BallotErrorGroup) as caught:
            Election.from_rankings({"A>Z": 1, "Y": 2, "B": 0}, candidates=["A", "B"])
        assert len(caught.value.exceptions) == 3
        assert isinstance(caught.value, ElectoralError)

    def test_repeated_candidate_is_a_typing_mistake_unless_allowed(self) -> None:
        with pytest.raises(BallotError, match="'A'"):
            Election.from_rankings({"A>B>A": 1})
        election = Election.from_rankings({"A>B>A": 1}, allow_repeats=True)
        assert str(election.ballots[0]) == "A>B>A"

    @pytest.mark.parametrize("seats", [0, -1])
    def test_seats_range(self, seats: int) -> None:
        with pytest.raises(SeatsError, match=str(seats)):
            Election(["A", "B"], seats=seats)

    def test_seats_may_exceed_the_candidates(self) -> None:
        """The model does not compare seats with candidates: the rule that counts the election does."""
        assert Election(["A", "B"], seats=3).seats == 3
        assert Election.from_counts({"X": 10, "Y": 5}, seats=120).seats == 120

    def test_a_string_is_not_a_list_of_candidates(self) -> None:
        with pytest.raises(CandidateError, match="'ABC'"):
            Election("ABC")  # type: ignore[arg-type]

    def test_candidate_lookup(self) -> None:
        election = Election(["A", "B"])
        assert election.candidate("B") == B
        with pytest.raises(UnknownCandidateError, match=r"'Q'.*'A', 'B'"):
            election.candidate("Q")


class TestJson:
    def test_round_trip_keeps_everything(self) -> None:
        election = Election(
            [Candidate("A", party="P"), B, C],
            [Ballot([{A.__class__("A", party="P")}, {B, C}], count=3), Ballot(scores={B: 2}, count=1)],
            seats=2,
            blank=4,
            invalid=5,
            registered=100,
            title="A test",
        )
        data = json.loads(json.dumps(election.to_dict()))
        assert data["format"] == "electoral.election"
        assert data["version"] == 1
        assert Election.from_dict(data) == election

    @given(elections(max_candidates=5, equal_ranks=True, skipped_ranks=True, seats=None))
    def test_round_trip_property(self, election: Election) -> None:
        """to_dict/from_dict is the identity on elections."""
        assert Election.from_dict(json.loads(json.dumps(election.to_dict()))) == election

    def test_votes_shorthand(self) -> None:
        election = Election.from_dict({"votes": {"A": 2, "B": 1}, "invalid": 3})
        assert election == Election.from_counts({"A": 2, "B": 1}, invalid=3)

    def test_ranking_notation_in_json(self) -> None:
        election = Election.from_dict({"candidates": ["A", "B"], "ballots": [{"ranking": "B>A", "count": 2}]})
        assert str(election.ballots[0]) == "B>A"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ([], "JSON object"),
            ({"format": "other"}, "'other'"),
            ({"version": 2, "candidates": []}, "version 2"),
            ({"candidates": ["A"], "colour": 1}, "'colour'"),
            ({"candidates": ["A"], "ballots": [{"ranking": [["Z"]]}]}, r"ballots\[0\].ranking\[0\]: 'Z'"),
            ({"candidates": ["A"], "ballots": [{"ranking": [["A"]], "count": 0}]}, r"ballots\[0\].count"),
            ({"candidates": ["A", "A"]}, "'A'"),
            ({"candidates": ["A"], "seats": 0}, "seats must be a whole number of at least 1, got 0"),
            ({"candidates": [{"nom": "A"}]}, r"candidates\[0\]"),
            ({"votes": {"A": -1}}, r"votes\['A'\]"),
        ],
    )
    def test_errors_name_the_field(self, data: object, message: str) -> None:
        with pytest.raises(FormatError, match=message):
            Election.from_dict(data, source="test.json")  # type: ignore[arg-type]

    def test_errors_name_the_source(self) -> None:
        with pytest.raises(FormatError, match=r"^x\.json: "):
            Election.from_dict({"format": "nope"}, source="x.json")


@given(elections(max_candidates=5, equal_ranks=True, skipped_ranks=True), st.randoms())
def test_ballot_order_and_splitting_do_not_change_the_election(election: Election, rnd: object) -> None:
    """Anonymity at the model level: reordering ballots, or splitting a ballot's count, gives an equal election."""
    import random

    assert isinstance(rnd, random.Random)
    pieces: list[Ballot] = []
    for ballot in election.ballots:
        first = rnd.randint(1, ballot.count)
        pieces.append(ballot.with_count(first))
        if ballot.count > first:
            pieces.append(ballot.with_count(ballot.count - first))
    rnd.shuffle(pieces)
    shuffled = election.with_ballots(pieces)
    assert {b.key: b.count for b in shuffled.ballots} == {b.key: b.count for b in election.ballots}
