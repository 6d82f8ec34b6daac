"""Germany's Bundestag presets: the 2020 law (the 2021 election) and the 2023 law (from 2025)."""

from __future__ import annotations

from electoral._systems._bundestag import BundestagTier
from electoral._systems._system import System

__all__ = ["bundestag_2020", "bundestag_2023"]

_RETURNS = (
    " Returns: one district per constituency (Wahlkreis) with its Land as region, second votes as votes and"
    " first votes as constituency contests, or one district per Land with its second votes."
)


def bundestag_2023() -> System:
    return System(
        "germany-bundestag",
        (BundestagTier(630, "2023"),),
        "Deutscher Bundestag",
        "Bundeswahlgesetz as amended on 8 June 2023 (BGBl. 2023 I Nr. 147), §§ 1, 4-6: 630 seats; parties with"
        " at least 5% of the valid second votes or, by the Federal Constitutional Court's judgment of 30 July"
        " 2024 (2 BvF 1/23), three constituency wins, national-minority parties (SSW) exempt; Oberverteilung"
        " among the parties and Unterverteilung to the Land lists by the divisor method with standard rounding"
        " (Sainte-Laguë); constituency winners are seated only as far as their party's Land seats cover them,"
        " in order of their first-vote share (Zweitstimmendeckung, § 6 Abs. 1)." + _RETURNS,
        (2025, None),
    )


def bundestag_2020() -> System:
    return System(
        "germany-bundestag",
        (BundestagTier(598, "2020"),),
        "Deutscher Bundestag",
        "Bundeswahlgesetz as amended on 14 November 2020 (BGBl. 2020 I S. 2395), § 6: 598 seats first shared"
        " among the Länder by German population and within each Land among the Land lists (Sainte-Laguë); a"
        " party's minimum in a Land is its constituency wins, at least the rounded mean of those and its Land"
        " contingent; the house is enlarged until every party reaches its minimum seats, up to three overhang"
        " seats left uncompensated; each party's seats go to its Land lists, each at least its constituency"
        " wins. 5% of the valid second votes or three constituency wins; national-minority parties exempt."
        " The Land populations come from the population column of districts.csv." + _RETURNS,
        (2021, 2024),
    )
