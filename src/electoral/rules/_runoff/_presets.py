"""Two-round presets: each configures :class:`~electoral.rules.TwoRound` as a statute does.

Each preset is a function whose docstring states the rule and cites its
legal source; it returns the options it sets (the mechanism, and how
explicit options combine with a preset, is :mod:`electoral.rules._presets`). Where a statute breaks ties by
the candidates' ages, the preset uses a candidate-order tie-break whose
order the user supplies (eldest first), since ballots do not record ages: a
tie with no order given is left open (status ``"tied"``) rather than guessed.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from electoral.rules._presets import Presets

__all__ = ["PRESETS", "preset_options"]

#: the two-round presets; see :mod:`electoral.rules._presets` for how they combine with options
PRESETS = Presets()
_preset = PRESETS.add


def _eldest(source: str) -> dict[str, Any]:
    return {"policy": "order", "order": [], "basis": f"eldest first: the elder candidate wins ({source})"}


def preset_options(name: str) -> dict[str, Any]:
    """The options preset ``name`` sets."""
    return PRESETS.options(name)


@_preset(
    "kyrgyzstan-president",
    citation='Constitutional Law of the Kyrgyz Republic "On elections of the President of the Kyrgyz Republic'
    ' and deputies of the Jogorku Kenesh of the Kyrgyz Republic", Art. 55(4)',
)
def kyrgyzstan_president() -> dict[str, Any]:
    """Kyrgyzstan, President.

    A candidate who receives more than half of the votes of all voters who
    took part in the vote, invalid ballots included, is elected; otherwise
    the two candidates with most votes go to a second round. Constitutional
    Law of the Kyrgyz Republic "On elections of the President of the Kyrgyz
    Republic and deputies of the Jogorku Kenesh of the Kyrgyz Republic",
    Art. 55(4).
    """
    return {"threshold": Fraction(1, 2), "comparison": "above", "denominator": "cast"}


@_preset("france-president", citation="Constitution of 4 October 1958, Art. 7")
def france_president() -> dict[str, Any]:
    """France, President of the Republic.

    Elected by an absolute majority of votes expressed (suffrages exprimés:
    blank and null ballots excluded). Otherwise only the two candidates with
    most votes, after any withdrawals of better-placed candidates, stand in
    the second round. Constitution of 4 October 1958, Art. 7.
    """
    return {"threshold": Fraction(1, 2), "comparison": "above", "denominator": "valid"}


@_preset("france-legislative", citation="Electoral Code, Arts. L126 and L162")
def france_legislative() -> dict[str, Any]:
    """France, National Assembly (single-member constituencies).

    Round 1 elects a candidate with an absolute majority of votes expressed
    and a number of votes at least a quarter of the registered voters
    (Electoral Code, Art. L126). A candidate may stand in round 2 with votes
    at least 12.5% of the registered voters; if only one does, the runner-up
    may also stand; if none does, the two with most votes may (Art. L162).
    Round 2 is won by relative majority; on equal votes the elder candidate
    is elected (Art. L126).
    """
    return {
        "threshold": Fraction(1, 2),
        "comparison": "above",
        "denominator": "valid",
        "registered_share": Fraction(1, 4),
        "advance": "registered-share",
        "advance_share": Fraction(1, 8),
        "tie_break": _eldest("Electoral Code, Art. L126"),
    }


@_preset("costa-rica-president", citation="Political Constitution of Costa Rica, Art. 138")
def costa_rica_president() -> dict[str, Any]:
    """Costa Rica, President.

    Elected with more than 40% of the valid votes; otherwise the two with
    most votes meet in a second election. On equal votes the elder candidate
    is elected. Political Constitution of Costa Rica, Art. 138.
    """
    return {
        "threshold": Fraction(2, 5),
        "comparison": "above",
        "denominator": "valid",
        "tie_break": _eldest("Constitution, Art. 138"),
    }


@_preset("argentina-president", citation="Constitution of the Argentine Nation, Arts. 96-98")
def argentina_president() -> dict[str, Any]:
    """Argentina, President.

    Elected with more than 45% of the valid affirmative votes (Constitution,
    Art. 97), or with at least 40% of them and a difference of more than ten
    percentage points over the runner-up (Art. 98). Otherwise the two most
    voted tickets meet in a second round (Art. 96).
    """
    return {
        "threshold": Fraction(9, 20),
        "comparison": "above",
        "denominator": "valid",
        "alternative_share": Fraction(2, 5),
        "alternative_comparison": "at-least",
        "alternative_lead": Fraction(1, 10),
        "alternative_lead_comparison": "above",
    }


@_preset("ecuador-president", citation="Constitution of the Republic of Ecuador (2008), Art. 143")
def ecuador_president() -> dict[str, Any]:
    """Ecuador, President.

    Elected with an absolute majority of the valid votes, or with at least
    40% of them and a difference of more than ten percentage points over the
    runner-up; otherwise the two most voted meet in a second round.
    Constitution of the Republic of Ecuador (2008), Art. 143.
    """
    return {
        "threshold": Fraction(1, 2),
        "comparison": "above",
        "denominator": "valid",
        "alternative_share": Fraction(2, 5),
        "alternative_comparison": "at-least",
        "alternative_lead": Fraction(1, 10),
        "alternative_lead_comparison": "above",
    }


@_preset("bolivia-president", citation="Political Constitution of the State (2009), Art. 166")
def bolivia_president() -> dict[str, Any]:
    """Bolivia, President.

    Elected with fifty per cent plus one of the valid votes, or with at
    least 40% of them and a difference of at least ten per cent over the
    runner-up; otherwise the two most voted meet in a second round.
    Political Constitution of the State (2009), Art. 166. "Fifty per cent
    plus one" is applied as written: at least half the valid votes plus one
    vote (``comparison="plus-one"``); for an odd number of valid votes this
    asks half a vote more than "more than half" does.
    """
    return {
        "threshold": Fraction(1, 2),
        "comparison": "plus-one",
        "denominator": "valid",
        "alternative_share": Fraction(2, 5),
        "alternative_comparison": "at-least",
        "alternative_lead": Fraction(1, 10),
        "alternative_lead_comparison": "at-least",
    }


@_preset("sierra-leone-president", citation="Constitution of Sierra Leone (1991), section 42(2)(e)-(f)")
def sierra_leone_president() -> dict[str, Any]:
    """Sierra Leone, President.

    Elected with not less than 55% of the valid votes cast; otherwise the
    two with most votes meet in a further election. Constitution of Sierra
    Leone (1991), section 42(2)(e)-(f).
    """
    return {"threshold": Fraction(11, 20), "comparison": "at-least", "denominator": "valid"}


@_preset("finland-president", citation="Constitution of Finland (731/1999), section 54")
def finland_president() -> dict[str, Any]:
    """Finland, President of the Republic.

    Elected with more than half of the votes cast (valid votes); otherwise
    the two with most votes meet in a second round, and the one with more
    votes is elected. Equal votes are decided by lot. Constitution of
    Finland (731/1999), section 54. A tie needs ``seed=...`` for the lot;
    without one the tie is left open.
    """
    return {"threshold": Fraction(1, 2), "comparison": "above", "denominator": "valid", "tie_break": "lot"}


@_preset("brazil-president", citation="Constitution, Art. 77 §§2-5")
def brazil_president() -> dict[str, Any]:
    """Brazil, President of the Republic.

    Elected with an absolute majority of votes, blank and null votes not
    counted (Constitution, Art. 77 §2); otherwise the two most voted meet in
    a second round (§3), and if one withdraws, the next most voted is called
    (§4). If more than one candidate remains in second place with the same
    votes, the eldest qualifies (§5).
    """
    return {
        "threshold": Fraction(1, 2),
        "comparison": "above",
        "denominator": "valid",
        "tie_break": _eldest("Constitution, Art. 77 §5"),
    }


@_preset(
    "ukraine-president",
    citation='Law of Ukraine "On Election of the President of Ukraine" (1999); Electoral Code of Ukraine (2020)',
)
def ukraine_president() -> dict[str, Any]:
    """Ukraine, President.

    Elected with more than half of the votes of the voters who took part in
    the vote; otherwise the two with most votes meet in a repeat vote. Law
    of Ukraine "On Election of the President of Ukraine" (1999), as applied
    in 2019; since 2020 the Electoral Code of Ukraine keeps the same rule.
    """
    return {"threshold": Fraction(1, 2), "comparison": "above", "denominator": "cast"}


@_preset("slovakia-president", citation="Constitution of the Slovak Republic, Art. 101(4)-(5)")
def slovakia_president() -> dict[str, Any]:
    """Slovakia, President.

    Elected with more than half of the valid votes of all eligible
    (registered) voters (Constitution of the Slovak Republic, Art. 101(4));
    otherwise the two with most valid votes go to a second round, which the
    one with more valid votes wins (Art. 101(5)).
    """
    return {"threshold": Fraction(1, 2), "comparison": "above", "denominator": "registered"}
