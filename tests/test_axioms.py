"""Axiom checks: they find known, hand-worked counterexamples, stay silent where a rule satisfies the
axiom, and their ready-made Hypothesis properties run against built-in and third-party rules."""

from __future__ import annotations

import inspect
from typing import ClassVar

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Election, axioms, rules, tabulate
from electoral._model import Candidate
from electoral._registry import RuleInfo
from electoral._result import Round
from electoral.rules import RuleBase
from electoral.rules._base import Count
from electoral.testing.strategies import elections


def winner(election: Election, rule: str | RuleBase) -> str:
    result = tabulate(election, rule)
    assert result.status == "decided"
    assert result.winner is not None
    return result.winner.name


def needs(rule: str) -> None:
    assert rule in rules.names(), f"rule {rule!r} should be registered"


@attrs.frozen(kw_only=True)
class FewestFirst(RuleBase):
    """A deliberately bad third-party rule (never registered): the fewest first preferences wins."""

    info: ClassVar[RuleInfo] = RuleInfo(
        name="fewest-first", family="test", marks={"ranking"}, winners="single", summary="For tests only."
    )

    def _count(self, election: Election, count: Count, /) -> None:
        tally = dict.fromkeys(election.candidates, 0)
        for ballot in election.ballots:
            if ballot.ranking and len(ballot.ranking[0]) == 1:
                (top,) = ballot.ranking[0]
                tally[top] += ballot.count
        count.add_round(Round(number=1, tally=tally, ballots=election.cast, continuing=sum(tally.values())))
        reversed_tally = {c: -v for c, v in tally.items()}
        chosen = count.top(reversed_tally, 1, round=1, decision="elect")
        count.elected.extend(chosen)


# -- monotonicity ------------------------------------------------------------------

# A 39 (A>B>C), B 35 (B>C>A), C 26 (C>A>B). No majority of 100. Top two A and B; C's 26 go to A:
# A 65, B 35, A wins. If 10 of the B>C>A voters raise A to the top (A>B>C): A 49, B 25, C 26.
# Now B is last; B's 25 go to C: C 51, A 49, and C wins. Raising the winner made them lose.
NON_MONOTONE = {"A>B>C": 39, "B>C>A": 35, "C>A>B": 26}
RAISED = {"A>B>C": 49, "B>C>A": 25, "C>A>B": 26}


@pytest.mark.parametrize("rule", ["contingent", "instant-runoff"])
def test_monotonicity_failure_of_runoff_rules_is_found(rule: str) -> None:
    needs(rule)
    election = Election.from_rankings(NON_MONOTONE)
    assert winner(election, rule) == "A"
    assert winner(Election.from_rankings(RAISED), rule) == "C"  # the hand-worked change itself
    found = axioms.monotonicity(election, rule)
    assert found is not None
    assert found.axiom == "monotonicity"
    assert found.rule == rule
    assert found.outcome.winner is not None
    assert found.outcome.winner.name == "A"
    assert found.modified is not None
    assert found.modified_outcome is not None
    assert found.modified_outcome.winner is not None
    assert found.modified_outcome.winner.name != "A"
    # the witness changes nothing but A's place on some ballots
    before = {str(b): b.count for b in election.ballots}
    after = {str(b): b.count for b in found.modified.ballots}
    assert sum(before.values()) == sum(after.values())
    assert "raise A" in found.explanation


def test_plurality_is_monotone_on_the_same_election() -> None:
    """Raising the plurality winner only adds to their first preferences or changes nothing."""
    assert axioms.monotonicity(Election.from_rankings(NON_MONOTONE), "plurality") is None


# -- Condorcet winner and loser, majority, Pareto -------------------------------------

# A 4, B 3, C 2 first preferences; B beats A 5–4 (B>C>A and C>B>A) and C 7–2: B is the
# Condorcet winner, and plurality elects A.
CENTRE_SQUEEZE = {"A>B>C": 4, "B>C>A": 3, "C>B>A": 2}


def test_plurality_misses_the_condorcet_winner() -> None:
    found = axioms.condorcet_winner(Election.from_rankings(CENTRE_SQUEEZE), "plurality")
    assert found is not None
    assert found.explanation == "B is the Condorcet winner (beats A 5–4, C 7–2) but plurality elects A."


# A 5 of 12 first preferences, but B and C each beat A 7–5: A is the Condorcet loser. Plurality
# elects A; the contingent vote sends A and B to the second count, where C's 3 go to B: B 7, A 5.
CONDORCET_LOSER = {"A>B>C": 5, "B>C>A": 4, "C>B>A": 3}


def test_plurality_elects_the_condorcet_loser_and_contingent_does_not() -> None:
    election = Election.from_rankings(CONDORCET_LOSER)
    found = axioms.condorcet_loser(election, "plurality")
    assert found is not None
    assert "A loses head to head" in found.explanation
    assert winner(election, "contingent") == "B"
    assert axioms.condorcet_loser(election, "contingent") is None


def test_majority_and_pareto_failures_of_a_third_party_rule() -> None:
    """A 3 of 5 first preferences is a majority; C is ranked below A by all 5 voters and has no
    first preference at all, so the fewest-first rule elects C and fails both criteria."""
    election = Election.from_rankings({"A>B>C": 3, "B>A>C": 2})
    rule = FewestFirst()
    assert winner(election, rule) == "C"
    majority = axioms.majority(election, rule)
    assert majority is not None
    assert "A is ranked first by 3 of 5 voters" in majority.explanation
    pareto = axioms.pareto(election, rule)
    assert pareto is not None
    assert "every voter ranks A above C" in pareto.explanation
    assert axioms.majority(election, "plurality") is None
    assert axioms.pareto(election, "plurality") is None


# -- participation, clones, consistency ------------------------------------------------


def test_no_show_paradox_of_the_contingent_vote() -> None:
    """A 6, B 5, C 4 of 15: top two A and B, C's 4 go to A (C>A>B): A 10, B 5, A wins.
    If 2 of the B>C>A voters stay home: A 6, B 3, C 4; top two A and C, B's 3 go to C: C 7, A 6.
    Those 2 voters prefer C to A, so they did better by not voting."""
    election = Election.from_rankings({"A>B>C": 6, "B>C>A": 5, "C>A>B": 4})
    assert (
        winner(
            election.with_ballots([*election.ballots[:1], election.ballots[1].with_count(3), election.ballots[2]]),
            "contingent",
        )
        == "C"
    )
    found = axioms.participation(election, "contingent")
    assert found is not None
    assert found.explanation == (
        "contingent elects A; if 2 of the voters who cast 'B>C>A' stayed at home it would elect C, "
        "whom they rank higher."
    )


def test_plurality_vote_splitting_between_clones() -> None:
    """A>B 6, B>A 5: plurality elects A. Add A's clone A (2), ranked just above A by 3 of each kind
    of ballot and just below by the rest: A 3, A (2) 3, B 5, and B wins."""
    found = axioms.independence_of_clones(Election.from_rankings({"A>B": 6, "B>A": 5}), "plurality")
    assert found is not None
    assert found.modified_outcome is not None
    assert found.modified_outcome.winner is not None
    assert found.modified_outcome.winner.name == "B"
    assert found.modified is not None
    assert "A (2)" in found.modified.names


def test_borda_depends_on_clones() -> None:
    """Borda with 2, 1, 0 points: A>B>C 3, B>A>C 2 gives A 3·2 + 2·1 = 8, B 3·1 + 2·2 = 7: A wins.
    Clone B just below B everywhere (3, 2, 1, 0 points): A 3·3 + 2·1 = 11, B 3·2 + 2·3 = 12,
    B's clone 3·1 + 2·2 = 7: B wins, though nothing changed between A and B."""
    needs("borda")
    election = Election.from_rankings({"A>B>C": 3, "B>A>C": 2})
    assert winner(election, "borda") == "A"
    cloned = Election.from_rankings({"A>B>B2>C": 3, "B>B2>A>C": 2})
    assert winner(cloned, "borda") == "B"
    assert axioms.independence_of_clones(election, "borda") is not None


def test_contingent_vote_is_not_consistent() -> None:
    """Group 1: A>C>B 3, B>A>C 4: B has a majority (4 of 7). Group 2: C>A>B 4, B>A>C 3, A>B>C 2:
    no majority of 9; top two C and B; A's 2 go to B: B 5, C 4. Together: A 5, B 7, C 4 of 16,
    top two B and A; C's 4 go to A (C>A>B): A 9, B 7. Each group elects B, together they elect A."""
    group1 = {"A>C>B": 3, "B>A>C": 4}
    group2 = {"C>A>B": 4, "B>A>C": 3, "A>B>C": 2}
    together = {"A>C>B": 3, "B>A>C": 7, "C>A>B": 4, "A>B>C": 2}
    assert winner(Election.from_rankings(group1), "contingent") == "B"
    assert winner(Election.from_rankings(group2), "contingent") == "B"
    assert winner(Election.from_rankings(together), "contingent") == "A"
    found = axioms.consistency(Election.from_rankings(together), "contingent")
    assert found is not None
    assert len(found.parts) == 2
    assert all(winner(part, "contingent") == "B" for part in found.parts)
    assert axioms.consistency(Election.from_rankings(together), "plurality") is None


# -- the registry of checks, witnesses, and bad input -------------------------------------


def test_every_axiom_runs_on_every_registered_rule() -> None:
    election = Election.from_rankings(CENTRE_SQUEEZE)
    for rule in rules.names():
        for name, function in axioms.AXIOMS.items():
            options = {"budget": 50} if "budget" in inspect.signature(function).parameters else {}
            found = axioms.check(name, election, rule, **options)
            assert found is None or found.axiom == name


def test_witness_displays_as_escaped_html_and_text() -> None:
    bad = "<A>&"
    election = Election.from_rankings({(bad, "B", "C"): 4, ("B", "C", bad): 3, ("C", "B", bad): 2})
    found = axioms.condorcet_winner(election, "plurality")
    assert found is not None
    bundle = found._repr_mimebundle_()
    assert "<A>&" in bundle["text/plain"]
    assert "&lt;A&gt;&amp;" in bundle["text/html"]
    assert "<A>&" not in bundle["text/html"]


def test_unknown_axiom_and_rule_are_named() -> None:
    election = Election.from_rankings(CENTRE_SQUEEZE)
    with pytest.raises(ValueError, match="'fairness'"):
        axioms.check("fairness", election, "plurality")
    with pytest.raises(LookupError, match="'no-such-rule'"):
        axioms.check("pareto", election, "no-such-rule")
    with pytest.raises(ValueError, match="budget"):
        axioms.monotonicity(election, "plurality", budget=0)


def test_search_stops_at_its_budget() -> None:
    """With a budget of one tabulation the raise that breaks the contingent vote is never reached."""
    assert axioms.monotonicity(Election.from_rankings(NON_MONOTONE), "contingent", budget=1) is None


# -- ready-made Hypothesis properties -----------------------------------------------------

test_plurality_is_pareto_efficient = axioms.hypothesis_property("pareto", "plurality", max_examples=40)
test_contingent_never_elects_the_condorcet_loser = axioms.hypothesis_property(
    "condorcet-loser", "contingent", max_examples=40
)
test_plurality_satisfies_majority = axioms.hypothesis_property("majority", "plurality", max_examples=40)


def test_a_property_fails_with_the_witness_for_a_rule_that_violates_it() -> None:
    prop = axioms.hypothesis_property("majority", FewestFirst(), max_examples=200)
    with pytest.raises(AssertionError, match="fewest-first violates majority"):
        prop()


def test_a_property_takes_its_own_elections() -> None:
    """Centre-squeeze profiles: B is the Condorcet winner whenever b + c > a and a + b > c."""
    counts = st.integers(1, 9)
    squeezes = st.builds(
        lambda a, b, c: Election.from_rankings({"A>B>C": a, "B>C>A": b, "C>B>A": c}), counts, counts, counts
    )
    prop = axioms.hypothesis_property("condorcet-winner", "plurality", elections=squeezes, max_examples=100)
    with pytest.raises(AssertionError, match="is the Condorcet winner"):
        prop()


@settings(max_examples=30)
@given(elections(min_candidates=2, max_candidates=4, max_ballots=5, max_count=6, extra_counts=False))
def test_monotonicity_witnesses_are_real(election: Election) -> None:
    """A witness must be a real violation: the winner, raised, no longer wins (recounted here)."""
    found = axioms.monotonicity(election, "contingent", exhaustive_up_to=6, budget=300)
    if found is not None:
        assert found.modified is not None
        before = tabulate(election, "contingent")
        after = tabulate(found.modified, "contingent")
        assert before.status == after.status == "decided"
        assert not set(before.winners) & set(after.winners)
        names = {c.name for c in election.candidates}
        assert {c.name for c in found.modified.candidates} == names
        assert isinstance(before.winners[0], Candidate)


@pytest.mark.parametrize("rule", ["instant-runoff", "schulze"])
def test_clone_independent_rules_pass_the_ready_made_property(rule: str) -> None:
    """Tideman: "the winner must not change because a candidate similar to an existing one (ranked
    next to them by every voter) is added" — instant-runoff and Schulze's method satisfy it."""
    needs(rule)
    axioms.hypothesis_property("independence-of-clones", rule, max_examples=60)()


def test_rules_can_be_given_as_names_classes_or_configured_objects() -> None:
    election = Election.from_rankings(CENTRE_SQUEEZE)
    by_name = axioms.condorcet_winner(election, "plurality")
    by_class = axioms.condorcet_winner(election, rules.Plurality)
    by_object = axioms.condorcet_winner(election, rules.Plurality(tie_break="lot", seed=3))
    assert by_name is not None
    assert by_class is not None
    assert by_object is not None
    assert by_name.explanation == by_class.explanation == by_object.explanation
    with pytest.raises(ValueError, match="42"):
        axioms.condorcet_winner(election, 42)  # type: ignore[arg-type]
