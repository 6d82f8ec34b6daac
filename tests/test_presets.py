"""The one preset mechanism: both rule families, how options combine with a preset, errors and listing."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from electoral import Election, tabulate
from electoral._ties._engine import to_tie_break
from electoral.errors import OptionError
from electoral.rules import InstantRunoff, Stv, TwoRound, list_presets
from electoral.rules._options import check_preset as check_preset_of_options
from electoral.rules._presets import Presets, check_preset


class TestBothFamilies:
    def test_a_preset_sets_its_statutes_values(self) -> None:
        # France, Electoral Code Art. L126/L162: absolute majority of votes expressed and a quarter
        # of the registered in round 1; 12.5% of the registered to stand in round 2
        rule = TwoRound.preset("france-legislative")
        assert (rule.threshold, rule.comparison, rule.denominator) == (Fraction(1, 2), "above", "valid")
        assert (rule.registered_share, rule.advance, rule.advance_share) == (
            Fraction(1, 4),
            "registered-share",
            Fraction(1, 8),
        )
        assert rule.preset_name == "france-legislative"
        # Scotland, SSI 2007/42: whole Droop quota, WIGM to five decimals, earlier stages then lots
        stv = Stv.preset("scotland")
        assert (stv.quota, stv.whole_quota, stv.transfer, stv.decimal_places) == ("droop", True, "wigm", 5)
        assert stv.tie_break == to_tie_break("previous-rounds+lot")
        assert stv.preset_name == "scotland"

    @pytest.mark.parametrize(
        ("rule", "name"), [("two-round", "kyrgyzstan-president"), ("stv", "scotland")], ids=["runoff", "ranked"]
    )
    def test_preset_and_from_options_and_tabulate_agree(self, rule: str, name: str) -> None:
        cls: Any = {"two-round": TwoRound, "stv": Stv}[rule]
        assert cls.preset(name) == cls.from_options(preset=name)
        election = Election.from_rankings({"A>B": 5, "B>A": 4, "C>A": 2}, seats=1)
        assert tabulate(election, rule, preset=name).rule == cls.preset(name).tabulate(election).rule


class TestCombination:
    """Explicit options override the preset's values; options it does not set keep the rule's defaults."""

    def test_an_explicit_option_overrides_the_preset(self) -> None:
        rule = TwoRound.preset("france-president", threshold="40%")
        assert rule.threshold == Fraction(2, 5)
        assert rule.denominator == "valid"  # still the preset's
        assert rule.preset_name == "france-president"
        stv = Stv.preset("scotland", decimal_places=6)
        assert stv.decimal_places == 6
        assert stv.quota == "droop"
        assert Stv.from_options(preset="scotland", whole_quota="false").whole_quota is False

    def test_options_the_preset_does_not_set_keep_the_defaults(self) -> None:
        assert TwoRound.preset("kyrgyzstan-president").withdrawn == TwoRound().withdrawn
        assert Stv.preset("scotland").meek_tolerance == Stv().meek_tolerance

    def test_the_override_counts(self) -> None:
        # A 45, B 35, C 20: more than 40% but not more than half of the valid votes
        election = Election.from_counts({"A": 45, "B": 35, "C": 20})
        assert tabulate(election, "two-round", preset="france-president").status == "runoff"
        assert tabulate(election, "two-round", preset="france-president", threshold="40%").winners[0].name == "A"

    def test_with_options_keeps_the_preset_name(self) -> None:
        assert Stv.preset("scotland").with_options(decimal_places=4).preset_name == "scotland"
        assert TwoRound.preset("finland-president").with_options(threshold="60%").preset_name == "finland-president"

    def test_a_prescribed_lot_may_wait_for_a_seed_in_both_families(self) -> None:
        assert TwoRound.preset("finland-president").seed is None
        assert Stv.preset("scotland").seed is None
        # the preset's own tie-break, given explicitly, is still the preset's
        assert Stv.preset("scotland", tie_break="previous-rounds+lot").seed is None

    @pytest.mark.parametrize(
        "build",
        [
            lambda: TwoRound.preset("finland-president", tie_break="previous-rounds+lot"),
            lambda: TwoRound.preset("kyrgyzstan-president", tie_break="lot"),
            lambda: Stv.preset("scotland", tie_break="lot"),
            lambda: Stv.preset("scotland", tie_break="rctab-random"),
        ],
        ids=["runoff-other-lot", "runoff-lot-not-prescribed", "stv-lot", "stv-rctab-random"],
    )
    def test_lots_the_user_asks_for_need_a_seed_in_both_families(self, build: Any) -> None:
        with pytest.raises(OptionError, match="needs an integer seed"):
            build()

    def test_lots_the_user_asks_for_work_with_a_seed(self) -> None:
        assert Stv.preset("scotland", tie_break="lot", seed=7).seed == 7
        assert TwoRound.preset("finland-president", tie_break="previous-rounds+lot", seed=7).seed == 7


class TestErrors:
    @pytest.mark.parametrize(
        ("cls", "listed"), [(TwoRound, "kyrgyzstan-president"), (Stv, "scotland")], ids=["runoff", "ranked"]
    )
    @pytest.mark.parametrize("name", ["atlantis", "", 3, ["scotland"]])
    def test_an_unknown_preset_is_an_option_error_listing_the_presets(self, cls: Any, listed: str, name: Any) -> None:
        with pytest.raises(OptionError, match=rf"unknown preset .*presets: .*{listed}"):
            cls.from_options(preset=name)
        with pytest.raises(OptionError, match=rf"unknown preset .*presets: .*{listed}"):
            cls(preset_name=name)

    def test_a_preset_of_one_family_is_unknown_to_the_other(self) -> None:
        with pytest.raises(OptionError, match="unknown preset 'scotland'"):
            TwoRound.preset("scotland")
        with pytest.raises(OptionError, match="unknown preset 'france-president'"):
            Stv.preset("france-president")

    def test_check_preset_is_one_function(self) -> None:
        assert check_preset_of_options is check_preset
        assert check_preset("a", {"a": 1}) == "a"

    def test_a_preset_defined_twice_is_refused(self) -> None:
        table = Presets()
        table.add("x")(dict)
        with pytest.raises(OptionError, match="defined twice"):
            table.add("x")(dict)


#: the statutory STV presets (each tested on its own count in tests/test_stv_<preset>.py)
STATUTORY_STV = frozenset(
    {
        "scotland",
        "scotland-2011",
        "ireland-dail",
        "ers97",
        "new-zealand-meek",
        "cambridge-ma",
        "australia-senate",
        "hare-clark",
        "hare-clark-act",
    }
)


class TestListing:
    def test_list_presets_by_name_class_or_rule(self) -> None:
        assert set(list_presets("stv")) >= STATUTORY_STV
        assert list_presets(Stv) == list_presets(Stv()) == list_presets("stv") == dict(Stv.presets())
        assert {"kyrgyzstan-president", "france-legislative", "bolivia-president"} <= set(list_presets("two-round"))
        assert list_presets("two-round") == dict(TwoRound.presets())

    def test_a_rule_without_presets_lists_none(self) -> None:
        assert list_presets("borda") == {}
        assert list_presets(InstantRunoff) == {}

    def test_each_listed_preset_is_documented_with_its_source(self) -> None:
        for rule in ("stv", "two-round"):
            for name, doc in list_presets(rule).items():
                assert doc, name
                assert any(
                    word in doc
                    for word in ("Art.", "section", "SSI", "Constitution", "Law", "Code", "Regulations", "Act")
                ), name

    def test_the_listing_is_sorted_by_name(self) -> None:
        names = list(list_presets("two-round"))
        assert names == sorted(names)


# -- multi-pass IRV takes its options from the stv rule's fields --------------------------------


def test_multi_pass_irv_gets_every_option_it_shares_with_stv(monkeypatch: pytest.MonkeyPatch) -> None:
    import electoral.rules._ranked._irv as irv_module

    seen: list[InstantRunoff] = []
    real = irv_module.count_instant_runoff

    def spy(rule: InstantRunoff, *args: Any, **kwargs: Any) -> Any:
        seen.append(rule)
        return real(rule, *args, **kwargs)

    monkeypatch.setattr(irv_module, "count_instant_runoff", spy)
    options: dict[str, Any] = {
        "tie_break": "rctab-random",
        "seed": 11,
        "overvote_rule": "always_skip_to_next_rank",
        "max_skipped_ranks": 1,
        "max_rankings": 3,
        "exhaust_on_duplicate_candidate": True,
        "undeclared_write_in": "W",
        "excluded": ("D",),
        "batch_elimination": True,
        "continue_until_two_candidates_remain": True,
        "minimum_vote_threshold": 1,
        "does_first_round_determine_threshold": True,
    }
    rule = Stv(transfer="rctab", rctab_mode="multi-pass-irv", **options)
    election = Election.from_rankings({"A>B>C": 4, "B>C>A": 3, "C>A": 2, "D>A": 1, "W": 1}, seats=2)
    rule.tabulate(election)
    assert seen
    for irv in seen:
        got = {name: getattr(irv, name) for name in options}
        assert got == {name: getattr(rule, name) for name in options}
        assert irv.stop_tabulation_early_after_round is None  # not an stv option: the IRV default
