"""Simulations: confidence intervals, determinism across executors (a real Dask cluster included),
rates that theory pins down, measures, and the results table."""

from __future__ import annotations

import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from html.parser import HTMLParser

import numpy as np
import pytest

from electoral import Election, tabulate
from electoral import simulate as sim
from electoral.errors import OptionError
from electoral.simulate import simulate, violates, wilson_interval

SMALL = {"voters": [15], "candidates": [3], "trials": 40, "chunk": 10}


def test_wilson_interval_matches_the_published_value_for_zero_successes() -> None:
    """For 0 successes in 10 trials the 95% Wilson interval is (0, 0.2775): with z = 1.95996,
    upper = (z²/20 + z·sqrt(z²/400)) / (1 + z²/10) = 0.38415 / 1.38415 = 0.27753."""
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.27753, abs=5e-5)


@pytest.mark.parametrize(("hits", "trials"), [(1, 1), (5, 10), (81, 100), (999, 1000)])
def test_wilson_interval_contains_the_rate_and_narrows_with_more_trials(hits: int, trials: int) -> None:
    low, high = wilson_interval(hits, trials)
    assert 0 <= low <= hits / trials <= high <= 1
    wider = wilson_interval(hits, trials, 0.99)
    assert wider[0] <= low
    assert high <= wider[1]
    more = wilson_interval(hits * 10, trials * 10)
    assert more[1] - more[0] < high - low
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_same_seed_same_table_and_another_seed_another() -> None:
    first = simulate(["plurality", "contingent"], ["impartial-culture"], seed=5, **SMALL)
    again = simulate(["plurality", "contingent"], ["impartial-culture"], seed=5, **SMALL)
    other = simulate(["plurality", "contingent"], ["impartial-culture"], seed=6, **SMALL)
    assert first == again
    assert first.rows != other.rows


def test_a_thread_pool_gives_the_serial_table() -> None:
    serial = simulate(["plurality"], {"urn": ("urn", {"alpha": 0.2})}, seed=9, **SMALL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parallel = simulate(["plurality"], {"urn": ("urn", {"alpha": 0.2})}, seed=9, executor=pool, **SMALL)
    assert parallel == serial


def test_tasks_pickle_for_other_processes() -> None:
    """Executors on other processes or machines pickle each task: rules, models and measures must survive."""
    measure = violates("monotonicity", budget=10)
    restored = pickle.loads(pickle.dumps(measure))
    assert restored == measure
    table = simulate(["plurality"], {"m": ("mallows", {"dispersion": 0.5})}, seed=1, **SMALL)
    assert pickle.loads(pickle.dumps(table)) == table


def test_a_dask_cluster_gives_the_serial_table() -> None:
    """A real distributed.LocalCluster with one worker process: the tasks are pickled, sent and run there."""
    distributed = pytest.importorskip("distributed")
    rules = ["plurality", "contingent", "supplementary"]
    models = {"ic": "impartial-culture", "sp": "single-peaked"}
    serial = simulate(rules, models, seed=2024, **SMALL)
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=True,
            dashboard_address=":0",
            worker_dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_cluster = simulate(rules, models, seed=2024, executor=client.get_executor(), **SMALL)
    assert on_cluster == serial


def test_single_peaked_electorates_with_odd_voters_have_a_condorcet_winner() -> None:
    """Black's median voter theorem: single-peaked preferences and an odd number of voters always
    have a Condorcet winner (the median peak)."""
    table = simulate(
        ["plurality"], ["single-peaked"], voters=[11, 25], candidates=[4], trials=30, seed=3,
        measures=["condorcet-winner-exists"],
    )  # fmt: skip
    assert all(row.rate == 1 for row in table)


def test_runoff_rules_never_elect_the_condorcet_loser() -> None:
    """The Condorcet loser loses the final pairwise count of any runoff, so the contingent vote never
    elects them; plurality sometimes does."""
    table = simulate(
        ["contingent", "plurality"], ["impartial-culture"], voters=[9], candidates=[3], trials=300, seed=4,
        measures=["condorcet-loser-elected"],
    )  # fmt: skip
    assert table.row(rule="contingent").hits == 0
    assert table.row(rule="contingent").applicable > 0
    assert table.row(rule="plurality").hits > 0


def test_rates_are_exact_fractions_and_count_only_applicable_elections() -> None:
    table = simulate(["plurality"], ["impartial-culture"], seed=8, measures=["condorcet-winner-elected"], **SMALL)
    row = table.row(rule="plurality")
    assert row.elections == 40
    assert row.applicable <= 40
    assert row.rate == Fraction(row.hits, row.applicable)


def test_custom_measures_and_models() -> None:
    def first_listed_wins(election: Election, result: object) -> bool | None:
        return getattr(result, "winner", None) == election.candidates[0]

    def everyone_agrees(voters: int, candidates: int, *, rng: np.random.Generator) -> Election:
        return Election.from_rankings({">".join("ABCDE"[:candidates]): max(voters, 1)})

    table = simulate(
        ["plurality"], [everyone_agrees], seed=0, measures={"first": first_listed_wins}, **SMALL
    )  # fmt: skip
    row = table.row(model="everyone-agrees", measure="first")
    assert (row.hits, row.applicable) == (40, 40)


def test_an_axiom_as_a_measure() -> None:
    """Contingent vote: with 3 candidates non-monotonic profiles exist; on unanimous ones never."""
    table = simulate(
        ["contingent"], ["single-peaked"], voters=[7], candidates=[3], trials=5, seed=1,
        measures={"non-monotone": violates("monotonicity", budget=200)},
    )  # fmt: skip
    row = table.row(measure="non-monotone")
    assert row.applicable == 5
    assert 0 <= row.hits <= 5


def test_table_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    frame = simulate(["plurality", "contingent"], ["impartial-culture"], seed=2, **SMALL).to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["rule"]) == ["plurality", "contingent"]
    assert {"rate", "low", "high", "hits", "applicable"} <= set(frame.columns)


def test_progress_bar() -> None:
    pytest.importorskip("tqdm")
    table = simulate(["plurality"], ["impartial-culture"], seed=2, progress=True, **SMALL)
    assert len(table) == 1


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_table_text_and_html() -> None:
    table = simulate({"<b>plurality</b>": "plurality"}, ["impartial-culture"], seed=2, **SMALL)
    assert "<b>plurality</b>" in str(table)
    html = table._repr_mimebundle_()["text/html"]
    assert "<b>plurality" not in html
    checker = _Checker()
    checker.feed(html)
    assert checker.open == []
    assert "<b>plurality</b>" in "".join(checker.texts)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"models": ["no-such-model"]}, "'no-such-model'"),
        ({"rules": ["plurality", "plurality"]}, "'plurality' is given twice"),
        ({"trials": 0}, "trials"),
        ({"voters": [-1]}, "-1"),
        ({"measures": ["luck"]}, "'luck'"),
        ({"confidence": 1.5}, "1.5"),
        ({"models": [("mallows", 0.5)]}, "(model, parameters)"),
    ],
)
def test_bad_arguments_are_named(options: dict[str, object], words: str) -> None:
    arguments: dict[str, object] = {"rules": ["plurality"], "models": ["impartial-culture"], "seed": 1, "trials": 2}
    arguments.update(options)
    with pytest.raises(OptionError, match=re.escape(words)):
        simulate(**arguments)  # type: ignore[arg-type]


def test_table_row_lookup_needs_one_match() -> None:
    table = simulate(["plurality", "contingent"], ["impartial-culture"], seed=2, **SMALL)
    with pytest.raises(OptionError, match="2 rows match"):
        table.row(model="impartial-culture")
    with pytest.raises(OptionError, match="'colour'"):
        table.where(colour="red")
    assert sim.MEASURES["decided"] is sim.decided


def test_one_voter_can_manipulate_the_contingent_vote() -> None:
    """A>B>C 6, B>C>A 5, C>A>B 4: top two A and B, C's 4 go to A: A 10, B 5, A wins. One B>C>A voter
    who instead votes C>B>A makes it A 6, C 5, B 4: top two A and C, B's 4 go to C: C 9, A 6. That voter
    ranks C above A, so the lie paid. Plurality (A 6 against 5 and 4) cannot be moved by one voter."""
    election = Election.from_rankings({"A>B>C": 6, "B>C>A": 5, "C>A>B": 4})
    lie = tabulate(Election.from_rankings({"A>B>C": 6, "B>C>A": 4, "C>B>A": 1, "C>A>B": 4}), "contingent")
    assert lie.winner is not None
    assert lie.winner.name == "C"
    assert sim.manipulable_by_one_voter(election, tabulate(election, "contingent")) is True
    assert sim.manipulable_by_one_voter(election, tabulate(election, "plurality")) is False


def test_with_two_candidates_no_one_can_manipulate() -> None:
    """May's theorem: with two candidates, majority rule is strategy-proof (a lie only helps the other side)."""
    table = simulate(
        ["plurality", "contingent"], ["impartial-culture"], voters=[9], candidates=[2], trials=20, seed=5,
        measures=["manipulable-by-one-voter"],
    )  # fmt: skip
    assert all(row.hits == 0 for row in table)
    assert all(row.applicable > 0 for row in table)


def test_wilson_interval_refuses_impossible_figures() -> None:
    with pytest.raises(OptionError, match="11"):
        wilson_interval(11, 10)
    with pytest.raises(OptionError, match=r"1\.5"):
        wilson_interval(1, 10, 1.5)
