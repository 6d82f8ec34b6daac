"""The ballot-comparison audit step: assorters of RAIRE assertions, the ALPHA supermartingale, the measured risk.

Expected figures come from published sources, cited at each test:

- SHANGRLA's ``test_alpha_mart1`` (pbstark/SHANGRLA, tests/core/test_NonnegMean.py) and the
  p-values it printed, as recorded in JohnLCaron/rlauxe
  (TestPopulationMeanWithoutReplacement.kt, "values from SHANGRLA test_NonnegMean.test_alpha_mart1");
- the RAIRE example of SHANGRLA's notebook ``examples/RAIREExample.ipynb`` (pbstark/SHANGRLA):
  55 CVRs over Alpine, Beach, Canyon and Desert, where "Canyon has only 6 mentions (not counting
  votes that prefer Alpine)", "Desert has only 4", and Alpine's first preferences are 20.

SHANGRLA itself is not on PyPI (``pip download shangrla`` finds no distribution), so it cannot
be run here as an oracle.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from electoral import Ballot, Candidate, Election
from electoral._profile._ranked import Reading
from electoral.audit import OptimalComparison, ShrinkTrunc, alpha_mart, comparison_audit
from electoral.audit._alpha import _decide
from electoral.audit._assorters import AssertionSpec, Assorters, read_assertion
from electoral.errors import (
    AuditError,
    BallotError,
    ElectoralError,
    OptionError,
    UnknownCandidateError,
    UnknownRecordError,
)

# SHANGRLA's RAIREExample notebook: its five groups of CVRs
RAIRE_EXAMPLE = [
    (10, "Alpine>Beach>Canyon"),
    (10, "Alpine>Beach>Desert"),
    (25, "Beach"),
    (6, "Canyon>Alpine>Beach"),
    (4, "Desert>Alpine>Beach"),
]
# the notebook's three assertions: WO(Canyon, Alpine), WO(Desert, Alpine), IRV(Beach, Alpine, {Alpine})
RAIRE_ASSERTIONS = [
    {"type": "NEB", "winner": "Alpine", "loser": "Canyon"},
    {"type": "NEB", "winner": "Alpine", "loser": "Desert"},
    {"type": "NEN", "winner": "Alpine", "loser": "Beach", "continuing": ["Alpine", "Beach"]},
]


def raire_cvrs() -> dict[str, str]:
    cvrs = {}
    for count, ranking in RAIRE_EXAMPLE:
        for _ in range(count):
            cvrs[f"card-{len(cvrs) + 1}"] = ranking
    return cvrs


# --- ALPHA -------------------------------------------------------------------------------------------------------


def test_alpha_mart_reproduces_shangrla_test_alpha_mart1() -> None:
    # x, N, t, u, d, f, eta and c of SHANGRLA's test_alpha_mart1; it printed
    # p_history = [0.875, 1., 1., 0.73981759, 1., 1., 0.] and p = 0.0
    x = [Fraction(v) for v in (1, 0, 1, 1, 0, 0, 1)]
    eta = Fraction(4, 7)  # SHANGRLA's 0.5714285714285714
    estimator = ShrinkTrunc(eta0=eta, d=10, c=(eta - Fraction(1, 2)) / 2)
    result = alpha_mart(x, population=7, u=Fraction(1), risk_limit=Fraction(1, 20), estimator=estimator)
    published = [0.875, 1.0, 1.0, 0.73981759, 1.0, 1.0, 0.0]
    assert [float(p) for p in result.p_history] == pytest.approx(published, abs=5e-9)
    assert result.p_history[0] == Fraction(7, 8)  # 1 / (1 * eta / (1/2)): exact
    assert result.risk == 0
    assert result.confirmed
    assert result.stopped_at == 7


def test_alpha_mart_risk_is_the_running_minimum() -> None:
    x = [Fraction(v) for v in (1, 0, 1, 1, 0, 0, 1)]
    result = alpha_mart(x, population=7, u=Fraction(1), risk_limit=Fraction(1, 20))
    running = Fraction(1)
    for p, r in zip(result.p_history, result.history, strict=True):
        running = min(running, p)
        assert r == running


def test_the_decision_is_exact_where_the_bounds_straddle_the_limit() -> None:
    # bounds that straddle 2 must be resolved by the exact product: 5/4 * 8/5 = 2
    import decimal

    terms = [Fraction(5, 4), Fraction(8, 5)]
    below, above = decimal.Decimal("1.999999"), decimal.Decimal("2.000001")
    assert _decide(below, above, terms, Fraction(2)) == 2
    assert _decide(decimal.Decimal(3), decimal.Decimal(3), terms, Fraction(2)) == 3  # clear: no exact product


def test_optimal_comparison_bets_u_without_errors() -> None:
    # SHANGRLA's optimal_comparison: eta = (1 - u (1 - p2)) / (2 - 2u) + u (1 - p2) - 1/2, which is u at p2 = 0
    u = Fraction(55, 48)
    assert OptimalComparison(error_rate_2=0).start(Fraction(1, 2), u)(1, Fraction(0), Fraction(1, 2)) == u
    below = OptimalComparison().start(Fraction(1, 2), u)(1, Fraction(0), Fraction(1, 2))
    assert Fraction(1, 2) < below < u
    with pytest.raises(OptionError, match="above 1"):
        OptimalComparison().start(Fraction(1, 2), Fraction(1))
    assert OptimalComparison(error_rate_2="0.001").error_rate_2 == Fraction(1, 1000)
    with pytest.raises(OptionError):
        OptimalComparison(error_rate_2="often")
    with pytest.raises(OptionError):
        ShrinkTrunc(d="many")


def test_alpha_mart_refuses_bad_input() -> None:
    with pytest.raises(AuditError, match="exceeds the population"):
        alpha_mart([Fraction(1)] * 3, population=2, u=Fraction(1), risk_limit=Fraction(1, 20))
    with pytest.raises(AuditError, match="outside"):
        alpha_mart([Fraction(2)], population=2, u=Fraction(1), risk_limit=Fraction(1, 20))
    with pytest.raises(OptionError, match="eta0"):
        alpha_mart(
            [Fraction(1)],
            population=2,
            u=Fraction(1),
            risk_limit=Fraction(1, 20),
            estimator=ShrinkTrunc(eta0=Fraction(1, 3)),
        )


def _float_alpha(x: list[float], population: int, u: float, eta0: float, d: float, c: float) -> list[float]:
    """The paper's equations in floats, term by term (no edge cases): an independent check of the arithmetic."""
    eps = 2.0**-52
    t, total, product, out = 0.5, 0.0, 1.0, []
    for j, value in enumerate(x, start=1):
        mu = (population * t - total) / (population - j + 1)
        tol = c / math.sqrt(d + j - 1)
        eta = min(u * (1 - eps) - tol, max((d * eta0 + total) / (d + j - 1), mu * (1 + eps) + tol))
        product *= (value * eta / mu + (u - value) * (u - eta) / (u - mu)) / u
        out.append(min(1.0, 1 / product))
        total += value
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0, 1, 2, 3, 4]), min_size=1, max_size=40),
    st.integers(min_value=0, max_value=200),
)
def test_alpha_mart_agrees_with_the_equations_in_floats(codes: list[int], extra: int) -> None:
    # comparison-assorter-like values k/4 * u on a population large enough that mu stays inside (0, u)
    u = Fraction(3, 2)
    x = [u * k / 4 for k in codes]
    population = 4 * len(x) + extra
    eta0 = Fraction(5, 4)
    estimator = ShrinkTrunc(eta0=eta0, d=20, c=Fraction(1, 4))
    result = alpha_mart(x, population=population, u=u, risk_limit=Fraction(1, 20), estimator=estimator)
    floats = _float_alpha([float(v) for v in x], population, 1.5, 1.25, 20.0, 0.25)
    assert [float(p) for p in result.p_history] == pytest.approx(floats, rel=1e-9, abs=1e-12)


# --- assorters ---------------------------------------------------------------------------------------------------


def _assort(ranking: str, spec: AssertionSpec, names: str) -> Fraction:
    """The assorter's value on one ballot written in the notation."""
    election = Election.from_rankings({ranking: 1}, candidates=list(names.split()))
    (doubled,) = Assorters(election, Reading()).doubled(spec)
    return Fraction(int(doubled), 2)


def test_assorters_agree_with_shangrla_rcv_tests() -> None:
    # SHANGRLA tests/core/test_CVR.py, test_rcv_lfunc_wo: the ballot Alice 1, Bob 2, Candy 3 (Dan unranked)
    # counts for the loser of WO(winner=Bob, loser=Alice) and of WO(Dan, Candy), not of WO(Alice, Candy);
    # the NEB assorter is (first(winner) - lfunc_wo(winner, loser) + 1) / 2
    names = "Alice Bob Candy Dan"
    ballot = "Alice>Bob>Candy"
    assert _assort(ballot, AssertionSpec("NEB", "Bob", "Alice"), names) == 0
    assert _assort(ballot, AssertionSpec("NEB", "Alice", "Candy"), names) == 1
    assert _assort(ballot, AssertionSpec("NEB", "Dan", "Candy"), names) == 0
    # test_rcv_votefor_cand: Alice 1, Bob 2, Candy 3, Ross 4, Aaron 5 votes for Bob with {Bob, Dan, Aaron,
    # Candy} remaining and for Candy with {Dan, Aaron, Candy}; the NEN assorter is (vote(w) - vote(l) + 1) / 2
    names = "Alice Bob Candy Dan Ross Aaron"
    ballot = "Alice>Bob>Candy>Ross>Aaron"
    remaining = ("Bob", "Dan", "Aaron", "Candy")
    assert _assort(ballot, AssertionSpec("NEN", "Bob", "Candy", remaining), names) == 1
    assert _assort(ballot, AssertionSpec("NEN", "Aaron", "Candy", remaining), names) == Fraction(1, 2)
    assert _assort(ballot, AssertionSpec("NEN", "Candy", "Bob", remaining), names) == 0
    remaining = ("Dan", "Aaron", "Candy")
    assert _assort(ballot, AssertionSpec("NEN", "Candy", "Aaron", remaining), names) == 1
    assert _assort(ballot, AssertionSpec("NEN", "Dan", "Aaron", remaining), names) == Fraction(1, 2)


def test_raire_example_margins_are_the_notebooks_tallies() -> None:
    cvrs = raire_cvrs()
    audit = comparison_audit(RAIRE_ASSERTIONS, cvrs, {})
    canyon, desert, last = audit.assertions
    # Alpine's 20 first preferences against Canyon's 6 and Desert's 4 mentions not preceded by Alpine
    assert canyon.margin_ballots == 20 - 6
    assert desert.margin_ballots == 20 - 4
    # the last round: Alpine 20 + 6 + 4 = 30 against Beach's 25
    assert last.margin_ballots == 30 - 25
    assert canyon.margin == Fraction(14, 55)
    assert audit.risk == 1  # nothing sampled yet
    assert not audit.confirmed


def test_shangrla_json_layout_is_read() -> None:
    names = ("Alpine", "Beach", "Canyon", "Desert")
    spec = read_assertion(
        {
            "assertion_type": "IRV_ELIMINATION",
            "winner": "Alpine",
            "loser": "Beach",
            "already_eliminated": ["Canyon", "Desert"],
        },
        names,
    )
    assert spec == AssertionSpec("NEN", "Alpine", "Beach", ("Alpine", "Beach"))
    assert read_assertion({"assertion_type": "WINNER_ONLY", "winner": "Alpine", "loser": "Canyon"}, names).kind == "NEB"


class _Raire:
    """An assertion object as electoral.audit.raire returns them: only to_dict() is read."""

    def to_dict(self) -> dict[str, object]:
        return {"type": "NEB", "winner": "Alpine", "loser": "Desert"}


def test_assertion_objects_with_to_dict_are_read() -> None:
    audit = comparison_audit([_Raire()], raire_cvrs(), {})
    assert str(audit.assertions[0].assertion) == "Alpine NEB Desert"


def test_overvote_options_change_what_a_ballot_counts_for() -> None:
    # ballot 3 is "B=C>A": an overvote at rank 1. With NEN(A, B, {A, B}):
    # exhaust_immediately -> it counts for nobody (1/2); always_skip_to_next_rank -> it counts for A (1);
    # exhaust_if_multiple_continuing -> only B continues of {B, C}, so it counts for B (0).
    cvrs = {1: "A", 2: "B", 3: "B=C>A"}
    nen = [{"type": "NEN", "winner": "A", "loser": "B", "continuing": ["A", "B"]}]
    sample = {3: "B=C>A"}
    by_rule = {
        rule: comparison_audit(nen, cvrs, sample, overvote_rule=rule).assertions[0].margin_ballots
        for rule in ("exhaust_immediately", "always_skip_to_next_rank", "exhaust_if_multiple_continuing")
    }
    assert by_rule == {"exhaust_immediately": 0, "always_skip_to_next_rank": 1, "exhaust_if_multiple_continuing": -1}


def test_skipped_ranks_follow_max_skipped_ranks() -> None:
    # "A>>B" skips a rank; with max_skipped_ranks=0 the ballot exhausts before reaching B
    cvrs = {1: "C>>B", 2: "A", 3: "A"}
    neb = [{"type": "NEB", "winner": "A", "loser": "B"}]
    unlimited = comparison_audit(neb, cvrs, {}).assertions[0]
    strict = comparison_audit(neb, cvrs, {}, max_skipped_ranks=0).assertions[0]
    assert unlimited.margin_ballots == 2 - 1  # ballot 1 counts for B once C is gone
    assert strict.margin_ballots == 2 - 0  # it exhausts at the skipped rank: never B's


def test_records_can_be_ballots_or_lists_of_ranks() -> None:
    a, b = Candidate("A"), Candidate("B")
    cvrs = {1: Ballot([{a}, {b}]), 2: ["B", "A"], 3: [["A"], [], ["B"]]}
    audit = comparison_audit([{"type": "NEB", "winner": "A", "loser": "B"}], cvrs, {1: "A>B"})
    assert audit.assertions[0].margin_ballots == 2 - 1


# --- the comparison step -----------------------------------------------------------------------------------------


def test_comparison_values_and_overstatements() -> None:
    cvrs = raire_cvrs()
    # card-1 reads Alpine>Beach>Canyon; its paper says Canyon first: for WO(Canyon, Alpine) that is a
    # two-vote overstatement (1 -> 0), B = (1 - 1) / (2 - v) = 0
    audit = comparison_audit(RAIRE_ASSERTIONS, cvrs, [("card-1", "Canyon>Alpine"), ("card-2", "Alpine>Beach>Canyon")])
    canyon = audit.assertions[0]
    assert canyon.overstatements == (Fraction(1), Fraction(0))
    v = Fraction(14, 55)
    assert canyon.values == (Fraction(0), 1 / (2 - v))
    assert canyon.upper_bound == 2 / (2 - v)


def test_a_lost_paper_ballot_is_the_worst_case() -> None:
    cvrs = raire_cvrs()
    audit = comparison_audit(RAIRE_ASSERTIONS, cvrs, [("card-1", None)])
    assert audit.assertions[0].values == (Fraction(0),)


def test_full_clean_sample_confirms_the_raire_example() -> None:
    cvrs = raire_cvrs()
    order = list(cvrs)
    random.Random(2019).shuffle(order)
    audit = comparison_audit(RAIRE_ASSERTIONS, cvrs, [(k, cvrs[k]) for k in order], risk_limit="5%")
    assert audit.confirmed
    assert audit.risk == 0
    assert all(a.stopped_at is not None and a.stopped_at < len(order) for a in audit.assertions)
    # the narrowest margin (5 of 55) needs the most draws
    assert audit.assertions[2].stopped_at == max(a.stopped_at or 0 for a in audit.assertions)


def test_report_text_and_dict() -> None:
    cvrs = raire_cvrs()
    audit = comparison_audit(RAIRE_ASSERTIONS, cvrs, [("card-1", "Alpine>Beach>Canyon")])
    text = str(audit)
    assert "Alpine NEN Beach | {Alpine, Beach}" in text
    assert "1 of 55 ballots sampled" in text
    data = audit.to_dict()
    assert data["population"] == 55
    assert len(data["assertions"]) == 3
    assert data["assertions"][2]["margin_ballots"] == 5


# --- errors ------------------------------------------------------------------------------------------------------


def test_a_sampled_id_without_cvr_is_refused() -> None:
    with pytest.raises(UnknownRecordError, match="card-99"):
        comparison_audit(RAIRE_ASSERTIONS, raire_cvrs(), {"card-99": "Alpine"})


def test_an_assertion_naming_an_unknown_candidate_is_refused() -> None:
    with pytest.raises(UnknownCandidateError, match="Everest"):
        comparison_audit([{"type": "NEB", "winner": "Alpine", "loser": "Everest"}], raire_cvrs(), {})
    with pytest.raises(UnknownCandidateError, match="Everest"):
        comparison_audit(
            [{"type": "NEN", "winner": "Alpine", "loser": "Beach", "continuing": ["Alpine", "Beach", "Everest"]}],
            raire_cvrs(),
            {},
        )


@pytest.mark.parametrize(
    ("assertions", "sample", "options", "message"),
    [
        ([{"type": "XYZ", "winner": "Alpine", "loser": "Beach"}], {}, {}, "NEB or NEN"),
        ([{"type": "NEN", "winner": "Alpine", "loser": "Beach", "continuing": ["Alpine"]}], {}, {}, "continuing"),
        ([{"type": "NEB", "winner": "Alpine", "loser": "Alpine"}], {}, {}, "both"),
        ([], {}, {}, "no assertion"),
        (RAIRE_ASSERTIONS, [("card-1", "Alpine"), ("card-1", "Alpine")], {}, "drawn twice"),
        (RAIRE_ASSERTIONS, {}, {"risk_limit": "150%"}, "risk limit"),
        (
            RAIRE_ASSERTIONS,
            {"card-1": "Alpine>Everest"},
            {"candidates": ["Alpine", "Beach", "Canyon", "Desert"]},
            "Everest",
        ),
        (RAIRE_ASSERTIONS, {"card-1": "Alpine:3"}, {}, "score ballot"),
        (RAIRE_ASSERTIONS, {}, {"excluded": ["Canyon"]}, "excluded"),
        (RAIRE_ASSERTIONS, [(["card-1"], "Alpine")], {}, "hashable"),
        (RAIRE_ASSERTIONS, [("card-1",)], {}, "pair"),
        (RAIRE_ASSERTIONS, {"card-1": 7}, {}, "a ballot is"),
        (RAIRE_ASSERTIONS, {"card-1": [7]}, {}, "a rank is"),
        (RAIRE_ASSERTIONS, {"card-1": b"AB"}, {}, "a rank is"),
        (["NEB Alpine Beach"], {}, {}, "mapping"),
        ([{"type": "NEN", "winner": "Alpine", "loser": "Beach"}], {}, {}, "continuing"),
        ([{"type": "NEB", "winner": 3, "loser": "Beach"}], {}, {}, "winner"),
        (RAIRE_ASSERTIONS, {}, {"overvote_rule": "ignore"}, "overvote_rule"),
        (RAIRE_ASSERTIONS, {}, {"overvote": "skip"}, "no option"),
    ],
)
def test_bad_input_raises_electoral_errors(
    assertions: list[object], sample: object, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ElectoralError, match=message):
        comparison_audit(assertions, raire_cvrs(), sample, **options)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------------------------

rankings = st.lists(st.sampled_from("ABCD"), min_size=1, max_size=4, unique=True).map(">".join)


@st.composite
def contests(draw: st.DrawFn) -> tuple[dict[int, str], list[int]]:
    """CVRs where A wins the last round against B by a clear margin, and a random draw order."""
    others = draw(st.lists(rankings, min_size=0, max_size=30))
    lead = draw(st.integers(min_value=5, max_value=30))
    records = ["A>B"] * lead + others
    cvrs = dict(enumerate(records))
    order = draw(st.permutations(list(cvrs)))
    return cvrs, order


FINAL = [{"type": "NEN", "winner": "A", "loser": "B", "continuing": ["A", "B"]}]


@settings(max_examples=40, deadline=None)
@given(contests())
def test_with_no_discrepancy_the_risk_falls_at_every_draw(contest: tuple[dict[int, str], list[int]]) -> None:
    cvrs, order = contest
    audit = comparison_audit(FINAL, cvrs, [(k, cvrs[k]) for k in order])
    (final,) = audit.assertions
    if final.margin <= 0:
        assert final.risk == 1
        return
    assert final.test is not None
    history = final.test.history
    for before, after in itertools.pairwise(history):
        assert after < before or after == 0
    assert history[0] < 1
    assert history[-1] == 0  # the whole population seen: the null is impossible


@settings(max_examples=40, deadline=None)
@given(contests(), st.data())
def test_a_discrepancy_against_the_winner_raises_the_risk(
    contest: tuple[dict[int, str], list[int]], data: st.DataObject
) -> None:
    cvrs, order = contest
    size = data.draw(st.integers(min_value=1, max_value=len(order)))
    drawn = order[:size]
    clean = comparison_audit(FINAL, cvrs, [(k, cvrs[k]) for k in drawn]).assertions[0]
    if clean.margin <= 0:
        return
    # the paper record of one drawn ballot is a vote for B where its CVR said otherwise
    flipped = data.draw(st.sampled_from(drawn))
    sample = [(k, "B" if k == flipped else cvrs[k]) for k in drawn]
    dirty = comparison_audit(FINAL, cvrs, sample).assertions[0]
    if dirty.overstatements == clean.overstatements:
        return  # that ballot counted for B already
    assert dirty.risk >= clean.risk
    assert dirty.risk > clean.risk or clean.risk in (0, 1)  # 0: the sample alone rules the null out


@pytest.mark.parametrize("estimator", [ShrinkTrunc(), OptimalComparison()], ids=["shrink-trunc", "optimal"])
def test_the_risk_limit_holds_when_the_reported_winner_did_not_win(estimator: ShrinkTrunc | OptimalComparison) -> None:
    # 40 CVRs for A, 20 for B, but 10 of A's paper ballots are B's: on paper the last round is a 30-30 tie, so
    # the assertion is false. Drawing every ballot in random order, the audit may confirm it at some draw with
    # chance at most the risk limit (Ville's inequality; ALPHA paper, section 2): a check of validity.
    cvrs = {i: "A>B" if i < 40 else "B" for i in range(60)}
    paper = {i: "B" if i < 10 else record for i, record in cvrs.items()}
    rng = random.Random(1218)
    reps, limit = 300, Fraction(1, 10)
    confirmed = 0
    for _ in range(reps):
        order = list(cvrs)
        rng.shuffle(order)
        audit = comparison_audit(FINAL, cvrs, [(i, paper[i]) for i in order], risk_limit=limit, estimator=estimator)
        confirmed += audit.assertions[0].stopped_at is not None
    # at most 10% in expectation; three binomial standard deviations of slack
    assert confirmed <= reps * limit + 3 * math.sqrt(reps * limit * (1 - limit))


@pytest.mark.parametrize(
    "changes",
    [
        {"x": [1.0, 1.0]},  # a float draw: no float may decide
        {"x": ["1", "1"]},
        {"x": [True, True]},
        {"u": float("inf")},
        {"t": Fraction(-1)},
        {"risk_limit": "often"},
        {"estimator": "shrink-trunc"},
    ],
)
def test_alpha_mart_refuses_values_it_cannot_use_exactly(changes: dict[str, object]) -> None:
    args: dict[str, object] = {"x": [Fraction(1)] * 2, "population": 10, "u": Fraction(1), "risk_limit": "5%"}
    args.update(changes)
    with pytest.raises(ElectoralError):
        alpha_mart(**args)  # type: ignore[arg-type]


def test_alpha_mart_reads_a_float_risk_limit_as_the_decimal_it_prints_as() -> None:
    # One draw x = u with the bet eta = u: T_1 = eta / mu = (5/3) / (1/2) = 10/3, so the risk is exactly 3/10.
    # The float 0.3 is a little below 3/10; read as the decimal 0.3 (as electoral reads every share) the risk
    # is at the limit and the audit stops.
    class Fixed:
        def start(self, t: Fraction, u: Fraction) -> Any:
            return lambda j, total, mu: u

    u = Fraction(5, 3)
    args: dict[str, Any] = {"population": 10, "u": u, "estimator": Fixed()}
    exact = alpha_mart([u], risk_limit=Fraction(3, 10), **args)
    assert exact.risk == Fraction(3, 10)
    assert exact.confirmed
    assert alpha_mart([u], risk_limit=0.3, **args) == exact  # type: ignore[arg-type]


def test_a_record_is_one_ballot() -> None:
    # a Ballot of count 50 given as a CVR would stand for one ballot, and 49 would be lost from N and the margin
    b = Ballot([{Candidate("B")}])
    cvrs: dict[int, object] = {1: "A>B", 2: b, 3: "B>A", 4: Ballot([{Candidate("B")}], count=50)}
    with pytest.raises(BallotError, match="count 50"):
        comparison_audit([{"type": "NEB", "winner": "A", "loser": "B"}], cvrs, {1: "A>B"})
    with pytest.raises(BallotError, match="count 2"):
        comparison_audit(
            [{"type": "NEB", "winner": "A", "loser": "B"}], {1: "A>B"}, {1: Ballot([{Candidate("A")}], count=2)}
        )


def test_candidates_are_a_list_of_names_not_a_text() -> None:
    with pytest.raises(AuditError, match="candidates"):
        comparison_audit([{"type": "NEB", "winner": "A", "loser": "B"}], {1: "A>B"}, {1: "A>B"}, candidates="AB")


@pytest.mark.parametrize("field", ["eta0", "d", "c"])
def test_estimator_texts_with_huge_exponents_are_refused_at_once(field: str) -> None:
    # Fraction("1e99999999") would build a 100-million-digit integer; electoral's shares refuse such exponents
    with pytest.raises(OptionError, match=field):
        ShrinkTrunc(**{field: "1e99999999"})
