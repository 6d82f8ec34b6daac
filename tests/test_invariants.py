"""Invariants every registered rule must keep, parametrised from the registry.

Third-party and later rules join these checks automatically when they are
registered.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election, Result, tabulate
from electoral.errors import ElectoralError
from electoral.rules import get, names
from electoral.testing.strategies import elections

RULES = names()
# Each rule with its defaults, plus the option settings that change how a rule counts,
# so the invariants cover every transfer method and quota, not only the defaults.
VARIANTS: list[tuple[str, dict[str, Any]]] = (
    [(name, {}) for name in RULES]
    + [
        ("stv", {"transfer": transfer, "quota": quota, "whole_quota": whole})
        for transfer in ("wigm", "gregory", "meek")
        for quota in ("droop", "hare", "hagenbach-bischoff")
        for whole in (True, False)
        if (transfer, quota, whole) != ("wigm", "droop", True)
    ]
    + [
        ("stv", {"transfer": "rctab", "rctab_mode": mode})
        for mode in ("multiple-winners-per-round", "one-winner-per-round", "bottoms-up")
    ]
    + [
        ("stv", {"preset": "scotland"}),
        ("largest-remainder", {"quota": "droop"}),
        ("instant-runoff", {"batch_elimination": True}),
        ("instant-runoff", {"overvote_rule": "always_skip_to_next_rank"}),
    ]
)
VARIANT_IDS = [name + "".join(f"[{k}={v}]" for k, v in options.items()) for name, options in VARIANTS]
# Every property runs for every registered rule, so each gets a modest number of examples;
# the rule-specific test modules go deeper.
per_rule = settings(max_examples=30)


def _marks_for(name: str) -> str:
    marks = get(name).info.marks
    for kind in ("ranking", "single", "approval", "scores"):
        if kind in marks:
            return kind
    raise AssertionError(name)


def _elections_for(name: str, **knobs: Any) -> st.SearchStrategy[Election]:
    info = get(name).info
    seats = None if info.winners == "multiple" else 1
    return elections(
        marks=_marks_for(name),  # type: ignore[arg-type]
        seats=seats,
        max_candidates=5,
        min_ballots=1,
        max_ballots=12,
        equal_ranks=True,
        skipped_ranks=True,
        **knobs,
    )


def _count(name: str, election: Election, **options: Any) -> Result:
    return tabulate(election, name, **options)


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=VARIANT_IDS)
@per_rule
@given(data=st.data())
def test_every_ballot_is_accounted_for_in_every_round(name: str, options: dict[str, Any], data: st.DataObject) -> None:
    """Conservation: in every round, continuing ballots plus ballots set aside equal the ballots counted,
    and that is every ballot cast."""
    election = data.draw(_elections_for(name))
    result = _count(name, election, **options)
    for round in result.rounds:
        assert round.continuing + sum(round.set_aside.values()) == round.ballots
        assert round.ballots == election.cast


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=VARIANT_IDS)
@per_rule
@given(data=st.data())
def test_anonymity(name: str, options: dict[str, Any], data: st.DataObject) -> None:
    """Anonymity: the order of the ballots, and splitting or merging identical ballots, do not change the result."""
    election = data.draw(_elections_for(name))
    rnd = data.draw(st.randoms(use_true_random=False))
    pieces: list[Ballot] = []
    for ballot in election.ballots:
        part = rnd.randint(1, ballot.count)
        pieces.append(ballot.with_count(part))
        if part < ballot.count:
            pieces.append(ballot.with_count(ballot.count - part))
    rnd.shuffle(pieces)
    shuffled = _count(name, election.with_ballots(pieces), **options)
    assert shuffled.to_dict() == _count(name, election, **options).to_dict()


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=VARIANT_IDS)
@per_rule
@given(data=st.data())
def test_neutrality(name: str, options: dict[str, Any], data: st.DataObject) -> None:
    """Neutrality: renaming (and reordering) the candidates renames the winners, when every tie
    resolution is followed (tie_break='all')."""
    election = data.draw(_elections_for(name))
    order = data.draw(st.permutations(range(len(election.candidates))))
    renamed = {c: Candidate(f"new {i}") for i, c in enumerate(election.candidates)}

    def rename_ballot(ballot: Ballot) -> Ballot:
        if ballot.scores is not None:
            return Ballot(scores={renamed[c]: s for c, s in ballot.scores.items()}, count=ballot.count)
        return Ballot([{renamed[c] for c in rank} for rank in ballot.ranking], count=ballot.count)

    other = Election(
        [renamed[election.candidates[i]] for i in order],
        [rename_ballot(b) for b in election.ballots],
        seats=election.seats,
        blank=election.blank,
        invalid=election.invalid,
        registered=election.registered,
    )
    first = _count(name, election, tie_break="all", **options)
    second = _count(name, other, tie_break="all", **options)
    assert second.status == first.status
    assert set(second.winners) == {renamed[c] for c in first.winners}
    assert set(second.advancing) == {renamed[c] for c in first.advancing}
    if first.seats is not None and second.seats is not None:
        assert dict(second.seats) == {renamed[c]: n for c, n in first.seats.items()}


@pytest.mark.parametrize("name", RULES)
@per_rule
@given(data=st.data(), seed=st.integers(0, 2**64))
def test_seeded_lots_are_deterministic(name: str, data: st.DataObject, seed: int) -> None:
    """Determinism: the same election, rule and seed always give the same result."""
    election = data.draw(_elections_for(name))
    first = _count(name, election, tie_break="lot", seed=seed)
    assert first.status in ("decided", "runoff")
    assert _count(name, election, tie_break="lot", seed=seed).to_dict() == first.to_dict()


@pytest.mark.parametrize("name", RULES)
@per_rule
@given(data=st.data())
def test_results_are_well_formed(name: str, data: st.DataObject) -> None:
    """Winners are candidates of the election; a decided count fills at most its seats; every form renders."""
    election = data.draw(_elections_for(name))
    result = _count(name, election)
    assert set(result.winners) <= set(election.candidates)
    if result.status == "decided" and not get(name).info.apportions:
        assert len(result.winners) <= election.seats
    if result.status == "runoff":
        assert result.winners == ()
        assert result.advancing
    for tie in result.ties:
        assert set(tie.chosen) <= set(tie.candidates)
    json.dumps(result.to_dict())
    assert str(result)
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == str(result)
    assert bundle["text/html"].startswith("<")
    assert result.rule.to_dict()["name"] == name


MAJORITY_RULES = ["plurality", "two-round"]


@pytest.mark.parametrize("name", MAJORITY_RULES)
@given(election=elections(marks="single", min_ballots=1, max_candidates=5, extra_counts=False))
def test_majority_criterion(name: str, election: Election) -> None:
    """Majority criterion: a candidate whom more than half of the voters mark first is elected."""
    votes = dict.fromkeys(election.candidates, 0)
    for ballot in election.ballots:
        (only,) = ballot.ranking[0]
        votes[only] += ballot.count
    total = sum(votes.values())
    leader = max(votes, key=votes.__getitem__)
    if 2 * votes[leader] > total:
        result = tabulate(election, name)
        assert result.winners == (leader,)
        assert result.status == "decided"


def test_the_registry_is_not_empty() -> None:
    assert {"plurality", "two-round", "contingent", "supplementary"} <= set(RULES)


@pytest.mark.parametrize(("name", "options"), VARIANTS, ids=VARIANT_IDS)
def test_an_election_without_ballots(name: str, options: dict[str, Any]) -> None:
    """With no ballots at all a rule either refuses with an ElectoralError or leaves the outcome
    open: it never declares winners that no vote chose."""
    election = Election(["A", "B", "C"], seats=2 if get(name).info.winners == "multiple" else 1)
    try:
        result = _count(name, election, **options)
    except ElectoralError:
        return
    assert result.status != "decided" or not result.winners or len(result.winners) == len(election.candidates)
