"""Preset systems: real electoral laws, each with the years it covers and the statute it follows.

:func:`get` picks the law in force in a given year; :func:`names` lists
the presets. Every preset is an ordinary :class:`System` value, so it can
be written to JSON, changed with :func:`attrs.evolve` and counted again.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Final

from electoral._systems._nodes import (
    AnyOf,
    Basis,
    DistrictTier,
    LimitedVote,
    MagnitudeApportionment,
    Method,
    Scope,
    Threshold,
)
from electoral._systems._presets_more import MORE_PRESETS
from electoral._systems._system import System
from electoral._text import excerpt
from electoral.errors import OptionError, UnknownRuleError

__all__ = ["get", "names"]

DHONDT: Final = Method("divisor", "dhondt")


def _dhondt(
    name: str, unit: str, bar: tuple[int, Scope, Basis] | None, title: str, law: str, first: int
) -> Callable[[], System]:
    """A D'Hondt count in every district, with at most one threshold ``(percent, scope, basis)``, "at least"."""

    def build() -> System:
        thresholds = () if bar is None else (Threshold(Fraction(bar[0], 100), bar[1], bar[2], "at-least"),)
        return System(name, (DistrictTier(unit, DHONDT, thresholds),), title, law, (first, None))

    return build


def _spain_congreso_districts() -> System:
    return System(
        "spain-congreso-districts",
        (MagnitudeApportionment(350, 2, {"Ceuta": 1, "Melilla": 1}, Method("largest-remainder", "hare"), "province"),),
        "Congreso de los Diputados: seats of the provinces",
        "LOREG art. 162: 350 deputies; Ceuta and Melilla one each; two for every province, and the other 248 "
        "shared among the provinces by a quota of their population divided by 248, whole quotients first "
        "and the rest to the largest fractions (art. 162.3).",
        (1986, None),
    )


def _spain_senado() -> System:
    return System(
        "spain-senado",
        (LimitedVote("province"),),
        "Senado (directly elected senators)",
        "LOREG art. 166: each voter marks up to 3 candidates in a 4-seat province (2 in 3- and 2-seat "
        "districts, 1 in 1-seat ones); the candidates with most votes are elected up to the district's seats.",
        (1977, None),
    )


_ISLANDS_1983: Final = {
    "El Hierro": 3,
    "Fuerteventura": 7,
    "Gran Canaria": 15,
    "La Gomera": 4,
    "La Palma": 8,
    "Lanzarote": 8,
    "Tenerife": 15,
}
_CANARIAS_SOURCES: Final = (
    " Island magnitudes and thresholds as summarised by V. Cuesta López, Teoría y Realidad Constitucional 45"
    " (2020) 429-449, and the Parliament's 2019 and 2023 election guides in the press; thresholds are taken"
    " as shares of valid votes (blank included), the wording of the 2018 rule. No Canarian returns are in the"
    " shared data to check this preset against."
)


def _spain_canarias(
    island: Fraction, regional: Fraction, first: int, last: int | None, law: str
) -> Callable[[], System]:
    """Seven islands, each by D'Hondt, a list passing the island share OR the regional share of valid votes."""

    def build() -> System:
        rule = AnyOf(
            (Threshold(island, "district", "valid", "at-least"), Threshold(regional, "nation", "valid", "at-least"))
        )
        return System(
            "spain-canarias",
            (DistrictTier("island", DHONDT, (rule,), _ISLANDS_1983),),
            "Parlamento de Canarias",
            law + _CANARIAS_SOURCES,
            (first, last),
        )

    return build


def _spain_canarias_2019() -> System:
    islands = DistrictTier(
        "island",
        DHONDT,
        (
            AnyOf(
                (
                    Threshold(Fraction(15, 100), "district", "valid", "at-least"),
                    Threshold(Fraction(4, 100), "nation", "valid", "at-least"),
                )
            ),
        ),
        {**_ISLANDS_1983, "Fuerteventura": 8},
    )
    regional = DistrictTier(
        "regional", DHONDT, (Threshold(Fraction(4, 100), "district", "valid", "at-least"),), {"Canarias": 9}
    )
    return System(
        "spain-canarias",
        (islands, regional),
        "Parlamento de Canarias",
        "Estatuto de Autonomía de Canarias (Ley Orgánica 1/2018), transitional provision 1, and Ley 1/2022 de"
        " Elecciones al Parlamento de Canarias: 70 seats, 61 in the seven islands (Fuerteventura now 8) and 9 in"
        " one regional district 'Canarias' with its own ballot; on the islands a list takes part with 15% of the"
        " island's valid votes or 4% of the valid votes of all the islands together; in the regional district"
        " with 4% of its valid votes." + _CANARIAS_SOURCES,
        (2019, None),
    )


_PRESETS: Final[dict[str, Callable[[], System]]] = {
    "spain-congreso": _dhondt(
        "spain-congreso",
        "province",
        (3, "district", "valid"),
        "Congreso de los Diputados",
        "Ley Orgánica 5/1985 del Régimen Electoral General (LOREG), art. 163.1: D'Hondt in each province; "
        "lists with less than 3% of the province's valid votes (blank ballots included, art. 96.5) are not "
        "counted; equal quotients go to the list with more votes, then by lot (art. 163.1.c). "
        "The 1977-1982 elections (Real Decreto-ley 20/1977, art. 20) are counted by the same rule.",
        1977,
    ),
    "spain-congreso-districts": _spain_congreso_districts,
    "spain-senado": _spain_senado,
    "spain-european-parliament": _dhondt(
        "spain-european-parliament",
        "state",
        None,
        "European Parliament (Spain)",
        "LOREG art. 214 (the whole State is one constituency) and art. 216 (D'Hondt as in art. 163, with no "
        "threshold). The 2-5% threshold of Council Decision (EU, Euratom) 2018/994, art. 3, needs every "
        "Member State's approval before it binds and is not part of the LOREG: no year here has a threshold.",
        1987,
    ),
    "spain-municipal": _dhondt(
        "spain-municipal",
        "municipality",
        (5, "district", "valid"),
        "Ayuntamientos (municipal councils)",
        "LOREG art. 180: art. 163 applies, except that lists with less than 5% of the municipality's valid "
        "votes are not counted.",
        1987,
    ),
    "spain-andalucia": _dhondt(
        "spain-andalucia",
        "province",
        (3, "district", "valid"),
        "Parlamento de Andalucía",
        "Ley 1/1986 Electoral de Andalucía, art. 18: D'Hondt in each province; lists with less than 3% of the "
        "province's valid votes are not counted.",
        1986,
    ),
    "spain-catalunya": _dhondt(
        "spain-catalunya",
        "province",
        (3, "district", "valid"),
        "Parlament de Catalunya",
        "Estatut d'Autonomia de Catalunya 1979, transitional provision 4 (kept by the 2006 Statute, "
        "transitional provision 2, until a Catalan electoral law): the LOREG's rule, D'Hondt in each province "
        "with a 3% threshold of the province's valid votes.",
        1980,
    ),
    "spain-comunitat-valenciana": _dhondt(
        "spain-comunitat-valenciana",
        "province",
        (5, "nation", "cast"),
        "Corts Valencianes",
        "Ley 1/1987 Electoral Valenciana, art. 12: D'Hondt in each province; lists with less than 5% of the "
        "votes cast (votos emitidos, invalid ballots included) in the whole Comunitat Valenciana are not counted. "
        "The 2006 Statute (Ley Orgánica 1/2006) no longer sets the bar itself, but the 1987 law, still in force, "
        "keeps it (F. J. Sanjuán Andrés, Las instituciones de autogobierno de la Comunidad Valenciana, ch. II).",
        1987,
    ),
    **MORE_PRESETS,
}

#: presets whose law changed: (first year, last year or None, builder), oldest first
_ERAS: Final[dict[str, tuple[tuple[int, int | None, Callable[[], System]], ...]]] = {
    "spain-canarias": (
        (
            1983,
            1995,
            _spain_canarias(
                Fraction(20, 100),
                Fraction(3, 100),
                1983,
                1995,
                "Estatuto de Autonomía de Canarias 1982, transitional provision 1: 60 seats in the seven islands,"
                " D'Hondt; a list takes part with 20% of the island's valid votes or 3% of the Community's.",
            ),
        ),
        (
            1996,
            2018,
            _spain_canarias(
                Fraction(30, 100),
                Fraction(6, 100),
                1996,
                2018,
                "Estatuto de Autonomía de Canarias as reformed by Ley Orgánica 4/1996, transitional provision 1"
                " (elections of 1999-2015): the thresholds raised to 30% of the island or 6% of the Community.",
            ),
        ),
        (2019, None, _spain_canarias_2019),
    ),
}


def names() -> tuple[str, ...]:
    """The preset systems' names."""
    return tuple(sorted([*_PRESETS, *_ERAS]))


def get(name: str, year: int | None = None) -> System:
    """The preset ``name`` as in force in ``year`` (None: the current law); its ``years`` say what it covers."""
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise OptionError(f"year must be a whole number, not {excerpt(year)}")
    if isinstance(name, str) and name in _ERAS:
        eras = _ERAS[name]
        for first, last, build in reversed(eras):
            if year is None or (first <= year and (last is None or year <= last)):
                return build()
        raise OptionError(f"{name} covers {eras[0][0]} onwards, not {year}")
    try:
        build = _PRESETS[name]
    except (KeyError, TypeError):
        raise UnknownRuleError(f"no system preset {excerpt(name)}; the presets are {', '.join(names())}") from None
    system = build()
    if year is not None:
        assert system.years is not None
        first, last = system.years
        if year < first or (last is not None and year > last):
            covered = f"{first}-{last}" if last is not None else f"{first} onwards"
            raise OptionError(f"{name} covers {covered}, not {year}")
    return system
