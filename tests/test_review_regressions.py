"""Regression tests for defects found in review; each docstring says what used to go wrong."""

from __future__ import annotations

import numpy as np
import pytest

from electoral import Election, tabulate
from electoral.errors import BallotError, CountError, OptionError, SeatsError, UnknownCandidateError
from electoral.rules import apportion


def test_all_does_not_report_an_unsettled_apportionment_as_decided() -> None:
    """Both resolutions elect {A, B} but with different seats (2–1 or 1–2), so the outcome is open."""
    election = Election.from_counts({"A": 100, "B": 100}, seats=3)
    result = tabulate(election, "dhondt", tie_break="all")
    assert result.status == "tied"
    assert result.seats is None


def test_meek_passes_over_a_rank_with_several_candidates() -> None:
    """A rank holding several candidates used to take the last candidate's keep factor, losing the ballot."""
    election = Election.from_rankings({"A=B>C": 1, "C": 1, "A": 1}, seats=1)
    result = tabulate(election, "stv", transfer="meek")
    assert all(r.ballots == election.cast == 3 for r in result.rounds)


def test_meek_result_does_not_depend_on_candidate_order() -> None:
    ballots = {"D>A>C>E>B": 1, "C>B": 1, "C>D>A>B>E": 1, "D>A": 2, "C>D>B": 1, "A>B": 1, "A>C>D>B>E": 1}
    ballots |= {"B>A>C>D": 1, "C=D>A": 1}
    outcomes = set()
    for order in ("ABCDE", "EDCBA"):
        election = Election.from_rankings(ballots, candidates=list(order), seats=2)
        result = tabulate(election, "stv", transfer="meek")
        outcomes.add((result.status, frozenset(c.name for c in result.winners)))
    assert len(outcomes) == 1


@pytest.mark.parametrize("order", ["AB", "BA"])
def test_stv_tie_for_the_last_seat_goes_to_the_tie_break(order: str) -> None:
    """Two candidates reaching the quota for one seat used to be cut in candidate order, unrecorded."""
    election = Election.from_rankings({"A": 3, "B": 3}, candidates=list(order), seats=1)
    result = tabulate(election, "stv", quota="hagenbach-bischoff")
    assert result.status == "tied"
    assert len(result.ties) == 1


def test_counts_beyond_int64_are_refused() -> None:
    with pytest.raises(CountError):
        Election.from_rankings({"A>B": 2**63})
    with pytest.raises(CountError):
        Election.from_array(np.array([[0, 1], [1, 0]]), candidates=["A", "B"], counts=[2**61, 2**61])
    with pytest.raises(CountError):
        Election.from_rankings({"A>B": 2**61, "B>A": 2**61})


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "1e-999999999", float("inf")])
def test_non_finite_shares_are_refused(bad: object) -> None:
    election = Election.from_counts({"A": 5, "B": 3}, seats=3)
    with pytest.raises(OptionError):
        tabulate(election, "dhondt", threshold=bad)


def test_contingent_options_are_checked() -> None:
    election = Election.from_rankings({"A>B": 3, "B": 2})
    assert tabulate(election, "contingent", max_preferences="2").status == "decided"
    with pytest.raises(OptionError):
        tabulate(election, "contingent", max_preferences=0)
    with pytest.raises(OptionError):
        tabulate(election, "contingent", threshold=-1)


@pytest.mark.parametrize("rule", ["instant-runoff", "two-round", "contingent", "supplementary", "schulze"])
def test_single_winner_rules_refuse_several_seats(rule: str) -> None:
    election = Election.from_rankings({"A>B": 3, "B>A": 2}, seats=2)
    with pytest.raises(SeatsError, match="seats=2"):
        tabulate(election, rule)


def test_ragged_array_rankings() -> None:
    with pytest.raises(BallotError, match="rectangular"):
        Election.from_array([[0, 1], [0]], candidates=["A", "B", "C"])


def test_apportion_takes_numpy_integers_and_refuses_non_sequences() -> None:
    assert apportion([np.int64(5), 3], 2) == apportion([5, 3], 2)
    with pytest.raises(CountError):
        apportion(None, 2)  # type: ignore[arg-type]


def test_a_misspelt_withdrawal_is_an_error_even_when_round_one_decides() -> None:
    with pytest.raises(UnknownCandidateError, match="'Zed'"):
        tabulate(Election.from_counts({"A": 60, "B": 40}), "two-round", withdrawn="Zed")


@pytest.mark.parametrize(
    ("model", "options"),
    [
        ("mallows", {"dispersion": "x"}),
        ("urn", {"alpha": None}),
        ("plackett_luce", {"weights": ["a", 1, 1]}),
        ("spatial", {"voter_positions": [[0, 1], [1]]}),
    ],
)
def test_generator_parameters_of_the_wrong_type(model: str, options: dict[str, object]) -> None:
    from electoral import generate

    with pytest.raises(OptionError):
        getattr(generate, model)(10, 3, rng=np.random.default_rng(1), **options)


def test_too_many_generated_voters() -> None:
    from electoral import generate

    with pytest.raises(CountError):
        generate.impartial_culture(10**30, 3, rng=np.random.default_rng(1))


@pytest.mark.parametrize(("seed", "confidence", "named"), [(-1, 0.95, "seed"), (1, "x", "confidence")])
def test_simulation_seed_and_confidence(seed: int, confidence: object, named: str) -> None:
    from electoral import generate, simulate

    with pytest.raises(OptionError, match=named):
        simulate.simulate(
            ["plurality"],
            {"ic": generate.impartial_culture},
            trials=2,
            seed=seed,
            confidence=confidence,  # type: ignore[arg-type]
        )


def test_pairwise_matrix_needs_a_pair() -> None:
    matrix = Election.from_rankings({"A>B": 2, "B>A": 1}).pairwise()
    assert matrix["A", "B"] == 2
    with pytest.raises(UnknownCandidateError, match="pair of candidates"):
        matrix["A"]  # type: ignore[index]
