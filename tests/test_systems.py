"""Composite systems: thresholds exact at the boundary, alternatives, JSON as the law's data, ties, properties."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from electoral import systems
from electoral.errors import CountError, FormatError, MissingDataError, OptionError
from electoral.rules import apportion
from electoral.systems import AnyOf, DistrictReturns, DistrictTier, Method, Returns, System, Threshold

FIVE = Fraction(5, 100)
DHONDT = Method()


def _one(votes: dict[str, int], seats: int, *, blank: int = 0, invalid: int = 0, region: str | None = None) -> Returns:
    return Returns((DistrictReturns("D", votes, blank, invalid, seats, region),))


def _system(*thresholds: Threshold | AnyOf, method: Method = DHONDT) -> System:
    return System("test", (DistrictTier("district", method, thresholds),))


def test_a_list_exactly_at_five_percent_passes_at_least_and_fails_above() -> None:
    returns = _one({"A": 600, "B": 350, "C": 50}, 10)  # C has exactly 5% of 1000
    at_least = _system(Threshold(FIVE)).tabulate(returns)
    above = _system(Threshold(FIVE, comparison="above")).tabulate(returns)
    assert "C" in at_least.district("D").qualified
    assert "C" in above.district("D").excluded
    check = next(c for c in above.district("D").checks if c.party == "C")
    assert (check.votes, check.base, check.needed, check.passed) == (50, 1000, 50, False)


def test_blank_ballots_enter_the_valid_basis_and_invalid_ones_the_cast_basis() -> None:
    # 50 of 990 list votes is above 5%; with 10 blank ballots it is exactly 5% of 1000 valid;
    # with 10 invalid ones on top it is below 5% of the 1010 cast.
    returns = _one({"A": 600, "B": 340, "C": 50}, 10, blank=10, invalid=10)
    for basis, passed in (("lists", True), ("valid", True), ("cast", False)):
        result = _system(Threshold(FIVE, basis=basis)).tabulate(returns)
        assert ("C" in result.district("D").qualified) is passed, basis


def test_alternative_thresholds_pass_on_either_option() -> None:
    # "5% in the whole territory OR 30% in the district" (the shape of Canarias' law)
    returns = Returns(
        (
            DistrictReturns("Big", {"A": 9000, "B": 1000, "L": 0}, seats=10),
            DistrictReturns("Isle", {"A": 100, "B": 60, "L": 90}, seats=3),
        )
    )
    rule = AnyOf((Threshold(FIVE, "nation"), Threshold(Fraction(30, 100), "district")))
    result = _system(rule).tabulate(returns)
    isle = result.district("Isle")
    assert "L" in isle.qualified  # 90 of 10250 nationally fails, 90 of 250 = 36% in Isle passes
    assert "L" in result.district("Big").excluded  # 0 of 10000 in Big fails both
    options = [(c.option, c.passed) for c in isle.checks if c.party == "L"]
    assert options == [(0, False), (1, True)]


def test_a_regional_threshold_sums_the_region() -> None:
    returns = Returns(
        (
            DistrictReturns("N1", {"A": 900, "R": 100}, seats=5, region="North"),
            DistrictReturns("N2", {"A": 900, "R": 0}, seats=5, region="North"),
            DistrictReturns("S", {"A": 100, "R": 900}, seats=5, region="South"),
        )
    )
    result = _system(Threshold(Fraction(6, 100), "region")).tabulate(returns)
    # R has 10% in N1 but 100 of 1900 (5.3%) in North: out in N1 and N2; in the South it has 90%
    north = next(c for c in result.district("N1").checks if c.party == "R")
    assert (north.area, north.votes, north.base, north.passed) == ("North", 100, 1900, False)
    assert "R" in result.district("N1").excluded
    assert "R" in result.district("S").qualified


def test_a_regional_threshold_needs_regions() -> None:
    with pytest.raises(MissingDataError, match="has no region"):
        _system(Threshold(FIVE, "region")).tabulate(_one({"A": 1, "B": 2}, 2))


def test_ties_go_to_more_votes_then_to_lot_with_a_seed() -> None:
    # D'Hondt: A 200/2 = B 100/1 for the second seat: A has more votes (LOREG art. 163.1.c)
    result = _system().tabulate(_one({"A": 200, "B": 100, "C": 10}, 2))
    count = result.district("D")
    assert dict(count.seats) == {"A": 2, "B": 0, "C": 0}
    assert [(t.tied, t.chosen, t.by) for t in count.ties] == [(("A", "B"), ("A",), "more votes")]
    even = _one({"A": 100, "B": 100}, 1)
    with pytest.raises(CountError, match="give a seed"):
        _system().tabulate(even)
    drawn = [_system().tabulate(even, seed=s).district("D") for s in range(6)]
    assert {d.ties[0].by for d in drawn} == {"lot"}
    assert {d.ties[0].chosen for d in drawn} == {("A",), ("B",)}  # both can win a lot
    assert _system().tabulate(even, seed=3) == _system().tabulate(even, seed=3)


def test_a_user_system_in_json_counts_and_round_trips() -> None:
    text = json.dumps(
        {
            "name": "my-law",
            "title": "A council",
            "law": "my statute, art. 1",
            "years": [2020, None],
            "tiers": [
                {
                    "kind": "districts",
                    "name": "ward",
                    "method": {"kind": "divisor", "name": "sainte-lague"},
                    "thresholds": [
                        {"kind": "threshold", "share": "1/20", "scope": "nation", "basis": "valid"},
                        {
                            "kind": "any-of",
                            "options": [{"share": "1/10"}, {"share": "3/100", "scope": "nation", "basis": "cast"}],
                        },
                    ],
                    "magnitudes": {"D": 7},
                }
            ],
        }
    )
    system = System.from_json(text)
    assert System.from_json(system.to_json()) == system
    assert system.tiers[0].thresholds[0] == Threshold(FIVE, "nation")  # type: ignore[union-attr]
    result = system.tabulate(_one({"A": 500, "B": 300, "C": 140, "E": 60}, None))  # type: ignore[arg-type]
    assert sum(result.totals.values()) == 7
    # E (6%) passes the national 5%, fails 10% in the district, passes 3% of the votes cast: it takes part
    assert [c.passed for c in result.district("D").checks if c.party == "E"] == [True, False, True]
    # the seats are Sainte-Laguë among the qualified lists, as the kernel gives them
    qualified = result.district("D").qualified
    expected = apportion([{"A": 500, "B": 300, "C": 140, "E": 60}[p] for p in qualified], 7, "sainte-lague")
    assert [result.totals[p] for p in qualified] == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{", "not JSON"),
        ({"name": "x", "tiers": []}, "at least one tier"),
        ({"name": "x", "tiers": [{"kind": "no-such-kind", "name": "t"}]}, "tier kind 'no-such-kind'"),
        ({"name": "x", "tiers": [{"kind": "districts", "name": "t", "thresholds": [{"share": 0.05}]}]}, "exact"),
        ({"name": "x", "tiers": [{"kind": "districts", "name": "t", "method": {"name": "nope"}}]}, "'nope'"),
        ({"name": "x", "tiers": [{"kind": "districts", "name": "t", "colour": 1}]}, "unknown field 'colour'"),
        ({"name": "x", "years": [1990], "tiers": []}, "years"),
    ],
)
def test_bad_system_json_raises_format_error(data: object, message: str) -> None:
    with pytest.raises(FormatError, match=message):
        System.from_json(data if isinstance(data, str) else json.dumps(data))


def test_bad_nodes_raise_option_error() -> None:
    with pytest.raises(OptionError, match="below 1"):
        Threshold(Fraction(3, 2))
    with pytest.raises(OptionError, match="scope"):
        Threshold(FIVE, "planet")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="two or more"):
        AnyOf((Threshold(FIVE),))


def test_the_congreso_apportionment_of_magnitudes_by_hand() -> None:
    """LOREG art. 162 on a made-up country: Ceuta and Melilla 1 each, 2 per province, the rest by Hare."""
    law = systems.MagnitudeApportionment(14, 2, {"Ceuta": 1, "Melilla": 1})
    returns = Returns(
        (
            DistrictReturns("cities", {"Ceuta": 80, "Melilla": 70}),
            DistrictReturns("provinces", {"P": 600, "Q": 300, "R": 100}),
        )
    )
    result = System("m", (law,)).tabulate(returns)
    # 14 - 2 fixed - 3×2 minimum = 6 by Hare on 1000: quota 1000/6; P 3.6, Q 1.8, R 0.6 -> 3, 1, 0 whole, then
    # remainders .6 (P), .8 (Q), .6 (R): Q first, then P and R tie at 0.6 for the last seat: P has more people.
    assert dict(result.totals) == {"P": 6, "Q": 4, "Ceuta": 1, "Melilla": 1, "R": 2}
    assert result.district("provinces").quota == Fraction(1000, 6)


districts = st.lists(
    st.tuples(st.lists(st.integers(0, 10_000), min_size=1, max_size=6), st.integers(0, 12), st.integers(0, 500)),
    min_size=1,
    max_size=5,
)


def _returns(spec: list[tuple[list[int], int, int]]) -> Returns:
    return Returns(
        DistrictReturns(f"D{i}", {f"L{j}": v for j, v in enumerate(votes)}, blank, 0, seats)
        for i, (votes, seats, blank) in enumerate(spec)
    )


@given(districts, st.sampled_from(["dhondt", "sainte-lague", "hare", "droop"]))
def test_seats_sum_to_the_magnitudes(spec: list[tuple[list[int], int, int]], name: str) -> None:
    method = Method("divisor", name) if name in ("dhondt", "sainte-lague") else Method("largest-remainder", name)
    returns = _returns(spec)
    result = _system(Threshold(Fraction(3, 100)), method=method).tabulate(returns, seed=1)
    for (votes, seats, _), count in zip(spec, result.tiers[0].districts, strict=True):
        has_votes = any(votes[int(p[1:])] for p in count.qualified)
        assert sum(count.seats.values()) == (seats if has_votes else 0)


@given(districts, st.integers(0, 30), st.integers(0, 30))
def test_a_higher_threshold_never_lets_more_lists_in(spec: list[tuple[list[int], int, int]], a: int, b: int) -> None:
    low, high = sorted((Fraction(a, 100), Fraction(b, 100)))
    returns = _returns(spec)
    for scope in ("district", "nation"):
        loose = _system(Threshold(low, scope)).tabulate(returns, seed=1)
        strict = _system(Threshold(high, scope)).tabulate(returns, seed=1)
        for x, y in zip(loose.tiers[0].districts, strict.tiers[0].districts, strict=True):
            assert set(y.qualified) <= set(x.qualified)


def _canarias(regional: bool) -> Returns:
    """Made-up returns for the seven islands (and the 2019 regional ballot).

    X has 12% of Gran Canaria, 480 of the 11,920 votes of all the islands
    (4.03%), and nothing elsewhere: the shape of Nueva Canarias in Gran
    Canaria in 2015 (11.92% of the island, 5.58% of Canarias: eldiario.es,
    25 May 2015), which the 30% / 6% rule kept out.
    """
    islands = {"El Hierro": 3, "Fuerteventura": 8, "Gran Canaria": 15, "La Gomera": 4, "La Palma": 8}
    islands |= {"Lanzarote": 8, "Tenerife": 15}
    districts = []
    for name in islands:
        big = 4_000 if name in ("Gran Canaria", "Tenerife") else 1_000
        votes = {"A": big * 11 // 20, "B": big * 33 // 100, "X": big * 12 // 100 if name == "Gran Canaria" else 0}
        districts.append(DistrictReturns(name, votes))
    if regional:
        districts.append(DistrictReturns("Canarias", {"A": 6_000, "B": 4_000, "X": 300}))  # X: 2.9%
    return Returns(districts)


def test_canarias_by_year() -> None:
    before, after = systems.get("spain-canarias", year=2015), systems.get("spain-canarias", year=2019)
    old = before.tabulate(_canarias(False)).district("Gran Canaria")
    assert "X" in old.excluded  # 12% < 30% of the island and 4.03% < 6% of the islands
    checks = [c for c in old.checks if c.party == "X"]
    assert [(c.votes, c.base, c.passed) for c in checks] == [(480, 4000, False), (480, 11_920, False)]
    new = after.tabulate(_canarias(True))
    island = next(c for c in new.district("Gran Canaria").checks if c.party == "X" and c.option == 1)
    assert (island.base, island.passed) == (11_920, True)  # 4.03% >= 4%, of the islands only (no regional ballot)
    assert "X" in new.district("Gran Canaria").qualified
    assert "X" in new.district("Canarias").excluded  # 300 of 10300 is below 4% of the regional ballot
    assert sum(new.totals.values()) == 70
    with pytest.raises(MissingDataError, match="no district 'Canarias'"):
        after.tabulate(_canarias(False))
    with pytest.raises(OptionError, match="covers 1983 onwards"):
        systems.get("spain-canarias", year=1982)


def test_tiers_side_by_side_must_not_share_districts() -> None:
    with pytest.raises(OptionError, match="in two tiers"):
        System("x", (DistrictTier("a", magnitudes={"D": 1}), DistrictTier("b", magnitudes={"D": 2})))
    with pytest.raises(OptionError, match="each tier names its districts"):
        System("x", (DistrictTier("a"), DistrictTier("b", magnitudes={"D": 2})))


def test_the_valencian_bar_is_five_percent_of_all_votes_cast_in_the_community() -> None:
    """Ley 1/1987 art. 12 counts invalid ballots in the base. The 2007 returns cannot tell the bases apart (the
    smallest list that passes has 8%), so this made-up case does."""
    law = systems.get("spain-comunitat-valenciana", year=2007)

    def returns(x: int) -> Returns:
        # everything but X adds up to 2090 ballots cast, 2040 of them valid
        return Returns(
            (
                DistrictReturns("Alicante", {"A": 500, "B": 400, "X": x}, blank=50, invalid=50, seats=10),
                DistrictReturns("Valencia", {"A": 500, "B": 540}, blank=50, seats=10),
            )
        )

    exact = law.tabulate(returns(110))  # 110 of 2200 cast: exactly 5%, and "at least" lets it in
    check = exact.district("Alicante").checks[2]
    assert (check.party, check.votes, check.base, check.passed) == ("X", 110, 2200, True)
    below = law.tabulate(returns(109)).district("Alicante")  # 109 of 2199 cast is below 5%; of 2149 valid, above
    assert "X" in below.excluded


thresholds = st.builds(
    Threshold,
    st.fractions(min_value=0, max_value=Fraction(99, 100)),
    st.sampled_from(["district", "region", "nation", "any-district"]),
    st.sampled_from(["valid", "lists", "cast"]),
    st.sampled_from(["at-least", "above"]),
)
methods = st.one_of(
    st.builds(Method, st.just("divisor"), st.sampled_from(["dhondt", "sainte-lague", "imperiali", "huntington-hill"])),
    st.builds(Method, st.just("largest-remainder"), st.sampled_from(["hare", "droop", "imperiali"])),
)
conditions = st.one_of(thresholds, st.builds(AnyOf, st.lists(thresholds, min_size=2, max_size=3)))
tiers = st.builds(
    DistrictTier,
    st.text(min_size=1, max_size=8),
    methods,
    st.lists(conditions, max_size=3),
    st.one_of(st.none(), st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 400), max_size=4)),
)


@given(tiers, st.text(max_size=20), st.one_of(st.none(), st.integers(1800, 2100)))
def test_any_system_round_trips_through_json(tier: DistrictTier, law: str, first: int | None) -> None:
    system = System("s", (tier,), "a body", law, None if first is None else (first, None))
    assert System.from_json(system.to_json()) == system


def test_a_list_with_too_few_candidates_stops_at_its_cap() -> None:
    # D'Hondt, 6 seats: A 600, 300, 200, 150; B 300, 150, 100; C 100. Uncapped: A 4, B 2.
    # A has two candidates: the sequential count skips A after two seats: 600 A, 300 A, 300 B, 150 B, 100 B, 100 C.
    uncapped = _system().tabulate(_one({"A": 600, "B": 300, "C": 100}, 6))
    assert dict(uncapped.totals) == {"A": 4, "B": 2, "C": 0}
    capped = Returns([DistrictReturns("D", {"A": 600, "B": 300, "C": 100}, seats=6, max_seats={"A": 2})])
    count = _system().tabulate(capped).district("D")
    assert dict(count.seats) == {"A": 2, "B": 3, "C": 1}
    assert [q.party for q in count.quotients if q.seat] == ["A", "A", "B", "B", "B", "C"]
    assert "A" not in [q.party for q in count.quotients if q.seat is None]  # a full list has no next quotient
    short = Returns([DistrictReturns("D", {"A": 6, "B": 3}, seats=4, max_seats={"A": 1, "B": 1})])
    with pytest.raises(CountError, match="too few candidates"):
        _system().tabulate(short)
    with pytest.raises(CountError, match="divisor methods only"):
        _system(method=Method("largest-remainder", "hare")).tabulate(short)


def test_a_limited_vote_elects_the_most_voted_candidates_and_draws_lots_at_a_tie() -> None:
    candidates = [
        systems.CandidateVotes("a1", "A", 90),
        systems.CandidateVotes("a2", "A", 80),
        systems.CandidateVotes("b1", "B", 80),
        systems.CandidateVotes("b2", "B", 10),
    ]
    returns = Returns([DistrictReturns("D", {"A": 170, "B": 90}, seats=2, candidates=candidates)])
    senate = systems.get("spain-senado")
    with pytest.raises(CountError, match="give a seed"):
        senate.tabulate(returns)
    winners = {senate.tabulate(returns, seed=s).district("D").elected[1].candidate for s in range(8)}
    assert winners == {"a2", "b1"}
    three = Returns([DistrictReturns("D", {"A": 170, "B": 90}, seats=3, candidates=candidates)])
    assert dict(senate.tabulate(three).totals) == {"A": 2, "B": 1}


def test_a_threshold_met_in_any_district_counts_everywhere() -> None:
    returns = Returns(
        (
            DistrictReturns("N", {"A": 900, "X": 100}, seats=10),  # X: 10%
            DistrictReturns("S", {"A": 990, "X": 10}, seats=10),  # X: 1%
        )
    )
    result = _system(Threshold(FIVE, "any-district")).tabulate(returns)
    south = next(c for c in result.district("S").checks if c.party == "X")
    assert (south.area, south.votes, south.base, south.passed) == ("N", 100, 1000, True)
    assert "X" in result.district("S").qualified
    strict = _system(Threshold(Fraction(11, 100), "any-district")).tabulate(returns)
    assert "X" in strict.district("N").excluded
