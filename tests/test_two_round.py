"""Majority with runoff: real elections, each preset's exact boundaries, withdrawals, round 2."""

from __future__ import annotations

from fractions import Fraction

import pytest

from electoral import Election, tabulate
from electoral.errors import BallotError, MissingDataError, OptionError
from electoral.rules import TwoRound

# Kyrgyzstan presidential election, 15 October 2017: Central Election Commission, certified 30 October 2017.
# The eight minor candidates' individual figures are not in our sources; they are one labelled line.
KYRGYZSTAN_2017 = Election.from_counts(
    {"Jeenbekov": 920_620, "Babanov": 568_665, "Madumarov": 110_284, "Other eight candidates (combined)": 84_389},
    invalid=13_910,
    registered=3_014_434,
)

# France, presidential election 2022 (Conseil constitutionnel). Round 1, 10 April 2022.
FRANCE_2022_ROUND_1 = Election.from_counts(
    {
        "Macron": 9_783_058,
        "Le Pen": 8_133_828,
        "Mélenchon": 7_712_520,
        "Zemmour": 2_485_226,
        "Pécresse": 1_679_001,
        "Jadot": 1_627_853,
        "Lassalle": 1_101_387,
        "Roussel": 802_422,
        "Dupont-Aignan": 725_176,
        "Hidalgo": 616_478,
        "Poutou": 268_904,
        "Arthaud": 197_094,
    },
    blank=543_609,
    invalid=247_151,
    registered=48_747_876,
)
# Round 2, 24 April 2022: registered 48,752,339, cast 35,096,478, blank 2,233,904; the null ballots are
# derived as cast − blank − the two candidates' votes (805,249).
FRANCE_2022_ROUND_2 = Election.from_counts(
    {"Macron": 18_768_639, "Le Pen": 13_288_686},
    blank=2_233_904,
    invalid=35_096_478 - 2_233_904 - 18_768_639 - 13_288_686,
    registered=48_752_339,
)


class TestKyrgyzstan2017:
    def test_jeenbekov_wins_without_a_runoff(self) -> None:
        result = tabulate(KYRGYZSTAN_2017, "two-round", preset="kyrgyzstan-president")
        assert result.status == "decided"
        assert [c.name for c in result.winners] == ["Jeenbekov"]
        assert len(result.rounds) == 1

    def test_share_is_of_all_who_took_part(self) -> None:
        result = tabulate(KYRGYZSTAN_2017, TwoRound.preset("kyrgyzstan-president"))
        first = result.rounds[0]
        jeenbekov = KYRGYZSTAN_2017.candidate("Jeenbekov")
        assert first.denominator == 1_697_868  # took part, invalid ballots included
        assert first.shares[jeenbekov] == Fraction(920_620, 1_697_868)
        assert result.to_dict()["rounds"][0]["percent"]["Jeenbekov"] == "54.22"
        assert "more than half" in first.note
        assert first.set_aside == {"invalid": 13_910}

    def test_share_of_valid_votes_is_54_67(self) -> None:
        result = tabulate(KYRGYZSTAN_2017, "two-round", denominator="valid")
        assert result.to_dict()["rounds"][0]["percent"]["Jeenbekov"] == "54.67"


class TestFrance2022:
    def test_round_one_goes_to_a_runoff(self) -> None:
        result = tabulate(FRANCE_2022_ROUND_1, "two-round", preset="france-president")
        assert result.status == "runoff"
        assert result.winners == ()
        assert [c.name for c in result.advancing] == ["Macron", "Le Pen"]
        assert FRANCE_2022_ROUND_1.cast == 35_923_707

    def test_both_rounds(self) -> None:
        result = tabulate(FRANCE_2022_ROUND_1, "two-round", preset="france-president", runoff=FRANCE_2022_ROUND_2)
        assert result.status == "decided"
        assert [c.name for c in result.winners] == ["Macron"]
        assert len(result.rounds) == 2
        second = result.rounds[1]
        assert second.ballots == 35_096_478
        assert result.to_dict()["rounds"][1]["percent"]["Macron"] == "58.55"  # of votes expressed

    def test_withdrawal_of_a_better_placed_candidate(self) -> None:
        """Constitution Art. 7: the top two 'after any withdrawal of better-placed candidates'."""
        result = tabulate(FRANCE_2022_ROUND_1, "two-round", preset="france-president", withdrawn=["Le Pen"])
        assert [c.name for c in result.advancing] == ["Macron", "Mélenchon"]

    def test_runoff_ballots_for_someone_who_did_not_advance(self) -> None:
        bad = Election.from_counts({"Macron": 10, "Mélenchon": 5})
        with pytest.raises(BallotError, match="'Mélenchon'"):
            tabulate(FRANCE_2022_ROUND_1, "two-round", preset="france-president", runoff=bad)


def _outcome(preset: str, votes: dict[str, int], **counts: int) -> str:
    result = tabulate(Election.from_counts(votes, **counts), "two-round", preset=preset)
    if result.status == "decided":
        return "elected " + result.winners[0].name
    return result.status


class TestExactBoundaries:
    """Each statute's threshold, compared exactly at the boundary."""

    @pytest.mark.parametrize("preset", ["kyrgyzstan-president", "ukraine-president"])
    def test_exactly_half_of_participants_is_not_more_than_half(self, preset: str) -> None:
        assert _outcome(preset, {"A": 50, "B": 40}, invalid=10) == "runoff"
        assert _outcome(preset, {"A": 51, "B": 39}, invalid=10) == "elected A"

    @pytest.mark.parametrize("preset", ["france-president", "finland-president", "brazil-president"])
    def test_exactly_half_of_valid_votes_is_not_a_majority(self, preset: str) -> None:
        assert _outcome(preset, {"A": 50, "B": 30, "C": 20}, blank=30) == "runoff"
        assert _outcome(preset, {"A": 51, "B": 30, "C": 19}, blank=30) == "elected A"

    def test_argentina_45_or_40_with_more_than_10_points(self) -> None:
        """Constitution Arts. 97–98: more than 45%, or at least 40% and more than 10 points ahead."""
        assert _outcome("argentina-president", {"A": 45, "B": 35, "C": 20}) == "runoff"  # 45 exactly; lead 10
        assert _outcome("argentina-president", {"A": 4501, "B": 3500, "C": 1999}) == "elected A"
        assert _outcome("argentina-president", {"A": 40, "B": 29, "C": 31}) == "runoff"  # lead 9
        assert _outcome("argentina-president", {"A": 400, "B": 299, "C": 301}) == "runoff"  # lead 9.9
        assert _outcome("argentina-president", {"A": 40, "B": 29, "C": 28, "D": 3}) == "elected A"  # 40; lead 11

    def test_ecuador_lead_must_exceed_10_points(self) -> None:
        assert _outcome("ecuador-president", {"A": 40, "B": 30, "C": 29, "D": 1}) == "runoff"
        assert _outcome("ecuador-president", {"A": 401, "B": 300, "C": 299}) == "elected A"

    def test_bolivia_at_least_10_points_and_fifty_percent_plus_one(self) -> None:
        """Art. 166: 50% plus one of valid votes, or at least 40% with a lead of at least 10 points."""
        assert _outcome("bolivia-president", {"A": 40, "B": 30, "C": 29, "D": 1}) == "elected A"
        # 51 of 101 valid votes is more than half, but not half (50.5) plus one vote.
        assert _outcome("bolivia-president", {"A": 51, "B": 50}) == "runoff"
        assert _outcome("ecuador-president", {"A": 51, "B": 50}) == "elected A"
        assert _outcome("bolivia-president", {"A": 51, "B": 49}) == "elected A"

    def test_sierra_leone_at_least_55(self) -> None:
        assert _outcome("sierra-leone-president", {"A": 55, "B": 45}) == "elected A"
        assert _outcome("sierra-leone-president", {"A": 54, "B": 46}) == "runoff"

    def test_costa_rica_more_than_40(self) -> None:
        assert _outcome("costa-rica-president", {"A": 40, "B": 35, "C": 25}) == "runoff"
        assert _outcome("costa-rica-president", {"A": 4001, "B": 3999, "C": 2000}) == "elected A"

    def test_slovakia_more_than_half_of_registered(self) -> None:
        assert _outcome("slovakia-president", {"A": 500, "B": 100}, registered=1000) == "runoff"
        assert _outcome("slovakia-president", {"A": 501, "B": 100}, registered=1000) == "elected A"

    def test_france_legislative_quarter_of_registered(self) -> None:
        """Electoral Code L126: a majority of votes expressed and at least a quarter of registered voters."""
        assert _outcome("france-legislative", {"A": 300, "B": 100}, registered=1200) == "elected A"
        assert _outcome("france-legislative", {"A": 299, "B": 100}, registered=1200) == "runoff"


class TestFranceLegislativeQualification:
    """Electoral Code L162: 12.5% of registered voters, or the fallbacks."""

    def _advancing(self, votes: dict[str, int], registered: int, **options: object) -> list[str]:
        election = Election.from_counts(votes, registered=registered)
        result = tabulate(election, "two-round", preset="france-legislative", **options)
        assert result.status == "runoff"
        return [c.name for c in result.advancing]

    def test_everyone_over_12_5_percent_of_registered(self) -> None:
        # 12.5% of 1,000 is 125: exactly 125 qualifies ("at least equal").
        assert self._advancing({"A": 200, "B": 150, "C": 125, "D": 124}, 1000) == ["A", "B", "C"]

    def test_only_one_qualifies_so_the_runner_up_may_stand(self) -> None:
        assert self._advancing({"A": 200, "B": 100, "C": 90}, 1000) == ["A", "B"]

    def test_none_qualifies_so_the_top_two_may_stand(self) -> None:
        assert self._advancing({"A": 120, "B": 100, "C": 90}, 1000) == ["A", "B"]

    def test_withdrawn_candidates_leave_without_replacement(self) -> None:
        assert self._advancing({"A": 200, "B": 150, "C": 130}, 1000, withdrawn="C") == ["A", "B"]

    def test_needs_registered(self) -> None:
        with pytest.raises(MissingDataError, match="registered"):
            tabulate(Election.from_counts({"A": 3, "B": 2}), "two-round", preset="france-legislative")

    def test_tie_in_round_two_goes_to_the_elder_when_ages_are_given(self) -> None:
        round1 = Election.from_counts({"A": 200, "B": 150, "C": 20}, registered=1000)
        round2 = Election.from_counts({"A": 100, "B": 100})
        open_tie = tabulate(round1, "two-round", preset="france-legislative", runoff=round2)
        assert open_tie.status == "tied"
        assert "eldest" in open_tie.ties[0].policy
        by_age = tabulate(round1, "two-round", preset="france-legislative", runoff=round2, tie_break=["B", "A"])
        assert [c.name for c in by_age.winners] == ["B"]
        assert by_age.ties[0].round == 2


class TestOptionsAndErrors:
    def test_unknown_preset(self) -> None:
        with pytest.raises(OptionError, match=r"'narnia'.*kyrgyzstan-president"):
            TwoRound.preset("narnia")

    def test_every_preset_cites_a_source(self) -> None:
        presets = TwoRound.presets()
        assert len(presets) >= 12
        for name, doc in presets.items():
            assert any(word in doc for word in ("Art", "section", "Law", "Constitution")), name

    def test_text_options_from_the_command_line(self) -> None:
        rule = TwoRound.from_options(threshold="40%", comparison="at-least", denominator="cast")
        assert rule.threshold == Fraction(2, 5)
        assert TwoRound.from_options(threshold="0.4").threshold == Fraction(2, 5)

    def test_bad_options(self) -> None:
        with pytest.raises(OptionError, match="'half'"):
            TwoRound(denominator="half")  # type: ignore[arg-type]
        with pytest.raises(OptionError, match="alternative_lead"):
            TwoRound(alternative_share="40%")
        with pytest.raises(OptionError, match="between 0 and 1"):
            TwoRound(threshold=2)

    def test_runoff_given_when_none_was_needed(self) -> None:
        with pytest.raises(OptionError, match="Jeenbekov"):
            tabulate(KYRGYZSTAN_2017, "two-round", preset="kyrgyzstan-president", runoff=FRANCE_2022_ROUND_2)

    def test_runoff_to_a_rule_without_one(self) -> None:
        with pytest.raises(OptionError, match="plurality"):
            tabulate(KYRGYZSTAN_2017, "plurality", runoff=KYRGYZSTAN_2017)

    def test_finland_lot_without_seed_leaves_a_tie_open(self) -> None:
        round1 = Election.from_counts({"A": 40, "B": 30, "C": 30})
        result = tabulate(round1, "two-round", preset="finland-president")
        assert result.status == "tied"
        assert "seed" in result.ties[0].detail
        seeded = tabulate(round1, "two-round", preset="finland-president", seed=2024)
        assert seeded.status == "runoff"
        assert seeded.ties[0].policy == "lot"

    def test_brazil_tie_for_second_place(self) -> None:
        """Art. 77 §5: with a tie for second place, the eldest qualifies."""
        round1 = Election.from_counts({"A": 40, "B": 30, "C": 30})
        assert tabulate(round1, "two-round", preset="brazil-president").status == "tied"
        by_age = tabulate(round1, "two-round", preset="brazil-president", tie_break=["C", "B"])
        assert [c.name for c in by_age.advancing] == ["A", "C"]
