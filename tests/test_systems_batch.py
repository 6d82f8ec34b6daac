"""The batched kernel (electoral.systems.simulate / apportion_many) against the recorded count.

The oracle is :meth:`System.tabulate`, the recorded per-parliament count, and,
for the real Spanish examples, the published seats in each folder's
``expected_seats.csv`` (``ELECTORAL_SHARED``/data/parliaments/es/*; the
``meta`` rows are the official results, see each folder's ``system.md``).
"""

from __future__ import annotations

import csv
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from electoral import systems
from electoral.errors import CountError, ElectoralError, OptionError
from electoral.io import read_returns
from electoral.systems import (
    AnyOf,
    DistrictReturns,
    DistrictTier,
    Method,
    Returns,
    System,
    Threshold,
    apportion_many,
    simulate,
    votes_array,
)

ROOT = Path(os.environ.get("ELECTORAL_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
SPAIN = ROOT / "data" / "parliaments" / "es"
#: the folder prefixes whose preset is one district tier, and the preset
BATCHABLE = {
    "es_generales_diputados": "spain-congreso",
    "es_aut_andalucia": "spain-andalucia",
    "es_aut_catalunya": "spain-catalunya",
    "es_aut_comunidad_valenciana": "spain-comunitat-valenciana",
    "es_euro": "spain-european-parliament",
    "es_loc": "spain-municipal",
}


def _folders() -> list[str]:
    if not SPAIN.is_dir():
        return []
    return sorted(
        p.name
        for p in SPAIN.iterdir()
        if p.is_dir() and not p.name.endswith("_distribucion") and any(p.name.startswith(k) for k in BATCHABLE)
    )


def _seats(out: systems.BatchSeats, parliament: int) -> dict[tuple[str, str], int]:
    return {
        (district, out.names[i]): int(out.seats[parliament, d, i])
        for d, district in enumerate(out.districts)
        for i in range(len(out.names))
        if out.seats[parliament, d, i]
    }


@pytest.mark.skipif(not SPAIN.is_dir(), reason="set ELECTORAL_SHARED to the shared folder")
@pytest.mark.parametrize("folder", _folders())
def test_every_spanish_example_counts_as_recorded_and_as_published(folder: str) -> None:
    returns = read_returns(SPAIN / folder)
    preset = next(name for prefix, name in BATCHABLE.items() if folder.startswith(prefix))
    system = systems.get(preset, year=int(folder.split("_")[-1]))
    votes, blank, invalid = votes_array(returns)
    out = simulate(system, returns, votes, blank=blank, invalid=invalid)
    assert _seats(out, 0) == dict(system.tabulate(returns).seats)
    with (SPAIN / folder / "expected_seats.csv").open(encoding="utf-8", newline="") as stream:
        published = [r for r in csv.DictReader(stream) if r["source"] == "meta" and r["step"] == "district"]
    assert published
    for row in published:
        assert _seats(out, 0).get((row["district"], row["party"]), 0) == int(row["seats"]), row


@pytest.mark.skipif(not SPAIN.is_dir(), reason="set ELECTORAL_SHARED to the shared folder")
def test_perturbed_congresos_match_the_recorded_count_parliament_by_parliament() -> None:
    returns = read_returns(SPAIN / "es_generales_diputados_2004")
    system = systems.get("spain-congreso", year=2004)
    votes, blank, _ = votes_array(returns)
    rng = np.random.default_rng(2004)
    draws = rng.poisson(np.repeat(votes, 12, axis=0).astype(float) / 1000).astype(np.int64)  # small: many ties
    out = simulate(system, returns, draws, blank=blank // 1000, seed=7)
    names = list(returns.national_votes())
    for p in range(draws.shape[0]):
        one = Returns(
            DistrictReturns(
                d.name, dict(zip(names, map(int, draws[p, i]), strict=True)), int(blank[0, i] // 1000), 0, d.seats
            )
            for i, d in enumerate(returns.districts)
        )
        result = system.tabulate(one, seed=7 + p)
        assert _seats(out, p) == dict(result.seats)
        recorded = [t for tier in result.tiers for c in tier.districts for t in c.ties]
        assert [t for q, _, t in out.ties if q == p] == recorded
    assert out.ties  # small figures give ties at the cut, which the statute's rule settled


METHODS = ["dhondt", "sainte-lague", "modified-sainte-lague", "danish", "imperiali", "adams"]
SHARES = [Fraction(0), Fraction(3, 100), Fraction(1, 10), Fraction(1, 5), Fraction(1, 3)]


@st.composite
def _cases(draw: st.DrawFn) -> tuple[System, list[Returns], np.ndarray, np.ndarray, np.ndarray]:
    n_parl = draw(st.integers(1, 3))
    n_dist = draw(st.integers(1, 4))
    n_lists = draw(st.integers(1, 5))
    scope = draw(st.sampled_from(["district", "nation"]))
    conditions: list[Threshold | AnyOf] = []
    for _ in range(draw(st.integers(0, 2))):
        options = [
            Threshold(
                draw(st.sampled_from(SHARES)),
                draw(st.sampled_from([scope, "district"])),
                draw(st.sampled_from(["valid", "lists", "cast"])),
                draw(st.sampled_from(["at-least", "above"])),
            )
            for _ in range(draw(st.integers(1, 2)))
        ]
        conditions.append(options[0] if len(options) == 1 else AnyOf(options))
    tier = DistrictTier("district", Method("divisor", draw(st.sampled_from(METHODS))), conditions)
    system = System("test", (tier,))
    small = st.integers(0, 30)  # small figures: equal quotients and shares exactly at the bar are common
    votes = np.array(draw(st.lists(small, min_size=n_parl * n_dist * n_lists, max_size=n_parl * n_dist * n_lists)))
    votes = votes.reshape(n_parl, n_dist, n_lists)
    blank = np.array(draw(st.lists(st.integers(0, 5), min_size=n_parl * n_dist, max_size=n_parl * n_dist)))
    invalid = np.array(draw(st.lists(st.integers(0, 5), min_size=n_parl * n_dist, max_size=n_parl * n_dist)))
    blank, invalid = blank.reshape(n_parl, n_dist), invalid.reshape(n_parl, n_dist)
    # the same ratios at larger scales: int64 near its bound, and Python ints beyond it
    scale = draw(st.sampled_from([1, 1, 2**20 + 1, 2**40 - 3, 2**61 + 1]))
    if scale > 1:
        votes, blank, invalid = (
            x.astype(object) * scale + draw(st.sampled_from([0, 1])) for x in (votes, blank, invalid)
        )
    seats = draw(st.lists(st.integers(0, 8), min_size=n_dist, max_size=n_dist))
    names = [f"L{i}" for i in range(n_lists)]
    parliaments = [
        Returns(
            DistrictReturns(
                f"D{d}",
                dict(zip(names, map(int, votes[p, d]), strict=True)),
                int(blank[p, d]),
                int(invalid[p, d]),
                seats[d],
            )
            for d in range(n_dist)
        )
        for p in range(n_parl)
    ]
    return system, parliaments, votes, blank, invalid


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_generated_parliaments_count_as_the_recorded_count(
    case: tuple[System, list[Returns], np.ndarray, np.ndarray, np.ndarray],
) -> None:
    system, parliaments, votes, blank, invalid = case
    out = simulate(system, parliaments[0], votes, blank=blank, invalid=invalid, seed=11)
    event("python ints" if out.exact_objects else "int64")
    event("ties at a cut" if out.ties else "no tie")
    event("a lot" if out.lots else "no lot")
    for p, returns in enumerate(parliaments):
        result = system.tabulate(returns, seed=11 + p)
        assert _seats(out, p) == dict(result.seats)
        recorded = [t for tier in result.tiers for c in tier.districts for t in c.ties]
        assert [t for q, _, t in out.ties if q == p] == recorded


def test_a_list_exactly_at_the_bar_passes_at_least_and_fails_above() -> None:
    # 10% of 100 valid votes is 10. With 10 seats, C's quotient 10 wins the last seat in both districts
    # when C takes part (D1: 60, 30, 30, 20, 15, 15, 12, 10, 10, 10; D2: ..., 10.33, 10, 9).
    votes = np.array([[[60, 30, 10], [60, 31, 9]]])
    open_count = apportion_many(votes, [10, 10])
    assert open_count.seats[0, :, 2].tolist() == [1, 1]
    at_least = apportion_many(votes, [10, 10], "dhondt", [Threshold(Fraction(1, 10))])
    assert at_least.seats[0, :, 2].tolist() == [1, 0]
    above = apportion_many(votes, [10, 10], "dhondt", [Threshold(Fraction(1, 10), comparison="above")])
    assert above.seats[0, :, 2].tolist() == [0, 0]
    # blank ballots count in the valid votes (LOREG art. 96.5): with 1 blank, 10 is below 10% of 101
    assert apportion_many(votes, [10, 10], "dhondt", [Threshold(Fraction(1, 10))], blank=[1, 0]).seats[0, 0, 2] == 0


def test_a_tie_at_the_cut_goes_to_more_votes_then_to_the_seeded_lot() -> None:
    # D'Hondt over 200 and 100: quotients 200, 100 (200/2), 100 (100/1), 66.7 (200/3)
    # 3 seats: the cut falls between 100 and 66.7, no tie
    clear = apportion_many(np.array([[[200, 100]]]), [3], names=["A", "B"])
    assert clear.seats[0, 0].tolist() == [2, 1]
    assert not clear.ties
    assert clear.rechecked == 0
    # 2 seats: 200/2 = 100/1 for the second seat; A has more votes (LOREG art. 163.1.c)
    by_votes = apportion_many(np.array([[[200, 100]]]), [2], names=["A", "B"])
    assert by_votes.seats[0, 0].tolist() == [2, 0]
    assert [(t.tied, t.chosen, t.by) for _, _, t in by_votes.ties] == [(("A", "B"), ("A",), "more votes")]
    # 1 seat between equal votes: a lot, which needs a seed
    with pytest.raises(CountError, match="give a seed"):
        apportion_many(np.array([[[100, 100]]]), [1])
    drawn = apportion_many(np.array([[[100, 100]], [[100, 100]]]), [1], seed=3)
    assert drawn.lots == 2
    assert drawn.rechecked == 2
    assert drawn.seats.sum(axis=2).tolist() == [[1], [1]]


def test_figures_beyond_int64_run_on_python_ints_exactly() -> None:
    # A = 2X ± 1 and B = X, 2 seats: A's second quotient X ± ½ is just above (below) B's X, which a
    # float cannot see at X = 2**61; the seats are [2, 0] and [1, 1]
    x = 2**61
    votes = np.array([[[2 * x + 1, x]], [[2 * x - 1, x]]], dtype=object)
    out = apportion_many(votes, [2], names=["A", "B"], districts=["D"])
    assert out.exact_objects
    assert out.seats[:, 0].tolist() == [[2, 0], [1, 1]]
    for p in range(2):
        returns = Returns([DistrictReturns("D", {"A": votes[p, 0, 0], "B": x}, seats=2)])
        assert _seats(out, p) == dict(System("x", (DistrictTier(),)).tabulate(returns).seats)
    # ordinary figures stay in int64
    assert not apportion_many(np.array([[[10**9, 10**8]]]), [300]).exact_objects


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: apportion_many(np.zeros((2, 3)), [1, 1, 1]), "integer array"),
        (lambda: apportion_many(np.zeros((1, 2, 3), dtype=int), [1]), "districts"),
        (lambda: apportion_many(-np.ones((1, 1, 1), dtype=int), [1]), "negative"),
        (lambda: apportion_many(np.ones((1, 1, 1), dtype=int), [1], Method("largest-remainder", "hare")), "divisor"),
        (lambda: apportion_many(np.ones((1, 1, 1), dtype=int), [1], "huntington-hill"), "divisor"),
        (lambda: apportion_many(np.ones((1, 1, 1), dtype=int), [1], thresholds=[Threshold(0, "region")]), "region"),
    ],
)
def test_bad_input_raises_an_electoral_error(call: object, message: str) -> None:
    with pytest.raises(ElectoralError, match=message):
        call()  # type: ignore[operator]


def test_simulate_needs_one_district_tier_and_votes_of_the_returns_shape() -> None:
    returns = Returns([DistrictReturns("D", {"A": 1, "B": 2}, seats=1)])
    with pytest.raises(OptionError, match="one district tier"):
        simulate(systems.get("spain-senado"), returns, np.ones((1, 1, 2), dtype=int))
    with pytest.raises(OptionError, match="1 districts × 2 lists"):
        simulate(systems.get("spain-congreso"), returns, np.ones((1, 1, 3), dtype=int))


def test_object_arrays_of_numpy_integers_are_read_as_python_ints() -> None:
    votes = np.array([[[np.int64(200), 100]]], dtype=object)
    assert apportion_many(votes, [3]).seats[0, 0].tolist() == [2, 1]
    with pytest.raises(OptionError, match="whole numbers"):
        apportion_many(np.array([[[1.5, 2]]], dtype=object), [1])
