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
from electoral._systems._presets_de import bundestag_2020, bundestag_2023
from electoral._systems._presets_more import MORE_PRESETS
from electoral._systems._presets_nl_se import ERAS as NL_SE_ERAS
from electoral._systems._system import System
from electoral._systems._tiers import LevellingTier, MixedMemberTier, RegionalTopUp
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


MODIFIED_SAINTE_LAGUE: Final = Method("divisor", "modified-sainte-lague")


def _norway_storting() -> System:
    return System(
        "norway-storting",
        (
            DistrictTier("constituency", MODIFIED_SAINTE_LAGUE),
            LevellingTier(
                169,
                MODIFIED_SAINTE_LAGUE,
                (Threshold(Fraction(4, 100), "nation", "valid", "at-least"),),
                every_district=True,
                per_district=1,
            ),
        ),
        "Storting",
        "Grunnloven § 57 (169 representatives, 19 of them levelling seats, one per county) and Valgloven"
        " (Lov 28. juni 2002 nr. 57): § 11-4, the constituency seats by modified Sainte-Laguë (first divisor"
        " 1.4, then 3, 5, 7, ...), no threshold; § 11-5, a party with at least 4% of the valid votes in the"
        " whole country that stands in every constituency shares the levelling seats: the 169 seats less"
        " those won by the other parties are shared nationally by the same divisors, a party with more"
        " constituency seats than its share keeps them and the rest are shared again; § 11-6, each party's"
        " levelling seats go to the constituencies where its votes divided by the constituency's valid votes"
        " per seat, divided by 1, 3, 5, ... from the seats it already has there, are highest, taken across"
        " every party, one levelling seat per constituency. The constituency magnitudes come from the"
        " returns (re-apportioned every eighth year, § 11-3). Ties between placement quotients raise. The"
        " elections of 2005-2021 were held under this Act; the Elections Act of 2023 is not checked here.",
        (2005, 2021),
    )


def _new_zealand_house() -> System:
    return System(
        "new-zealand-house",
        (
            LimitedVote("electorate"),
            MixedMemberTier(
                120,
                Method("divisor", "sainte-lague"),
                (Threshold(Fraction(5, 100), "nation", "lists", "at-least"),),
                or_seats=1,
            ),
        ),
        "House of Representatives (New Zealand)",
        "Electoral Act 1993, s 191 and Schedule 2 (the Sainte-Laguë formula, divisors 1, 3, 5, ...): each"
        " electorate elects the candidate with most votes; a party with at least 5% of all the party votes, or"
        " that won at least one electorate, shares the 120 seats, less those won by independents and by parties"
        " that do not share, on the party votes (informal votes are not party votes); its list seats are its"
        " share less the electorates it won, and a party that won more electorates keeps them, the house"
        " growing by the overhang (121 members in 2011). Equal quotients go to the party with more votes here;"
        " the Act's own tie rule is not modelled.",
        (1996, None),
    )


def _scotland_parliament() -> System:
    return System(
        "scotland-parliament",
        (LimitedVote("constituency"), RegionalTopUp(DHONDT)),
        "Scottish Parliament",
        "Scotland Act 1998, ss 1 and 6-8: each constituency returns the candidate with most votes; in each"
        " region its regional seats go one at a time to the party or individual candidate with the highest"
        " regional figure, a party's regional votes divided by 1 plus the constituency seats it won in the"
        " region plus the regional seats it already has; an individual candidate takes at most one seat (its"
        " max_seats of 1 in the returns). No threshold. The regional magnitudes (7 in each of the 8 regions)"
        " come from the returns. The statutory rule for equal regional figures is not modelled: a tie raises.",
        (1999, None),
    )


def _denmark_folketing() -> System:
    return System(
        "denmark-folketing",
        (
            DistrictTier("constituency", DHONDT),
            LevellingTier(
                175,
                Method("largest-remainder", "hare"),
                (Threshold(Fraction(2, 100), "nation", "lists", "at-least"),),
                or_seats=1,
                placement="regions-then-districts",
                per_district=None,
            ),
        ),
        "Folketing (Denmark proper)",
        "Lov om valg til Folketinget (Folketingsvalgloven), §§ 76-79: 135 constituency seats by D'Hondt in each"
        " of the 10 storkredse (independent candidates take at most one seat); a party with at least 2% of the"
        " valid votes in the whole country, or a constituency seat, shares the 175 seats by largest remainders"
        " of a Hare quota of the sharing parties' votes, less its constituency seats (its compensatory seats);"
        " these go to the 3 landsdele by Sainte-Laguë (1, 3, 5, ...) on the party's votes there, continuing"
        " after its constituency seats, each landsdel taking the compensatory seats fixed for it (the"
        " max_adjustment_seats of its row in the returns), and then within the landsdel to its storkredse by"
        " the Danish divisors 1, 4, 7, ... The third way to qualify (a quota of votes in two of the three"
        " landsdele) and the 4 North Atlantic seats are not modelled. Equal quotients raise.",
        (2007, None),
    )


def _iceland_althingi() -> System:
    return System(
        "iceland-althingi",
        (
            DistrictTier("constituency", DHONDT),
            LevellingTier(
                63,
                DHONDT,
                (Threshold(Fraction(5, 100), "nation", "lists", "at-least"),),
                placement="award-order",
                per_district=None,
                district_method=DHONDT,
                continues=True,
            ),
        ),
        "Alþingi",
        "Lög um kosningar til Alþingis nr. 24/2000 (the elections act), seat allocation: 54 constituency seats"
        " by D'Hondt in each of the 6 constituencies, no threshold; a party with at least 5% of the valid list"
        " votes in the whole country shares the 9 adjustment seats, given one at a time by D'Hondt on its"
        " national votes, its divisors continuing after the constituency seats it won; each adjustment seat,"
        " in the order awarded, goes to the party's list in the constituency where its share of the"
        " constituency's list votes, divided by 1 plus its seats there, is highest, among the constituencies"
        " whose adjustment seats (fixed by the National Electoral Commission: max_adjustment_seats in the"
        " returns) are not used up. Equal quotients raise. The elections of 2003-2021 were held under this"
        " Act; its successor, Act no. 112/2021, is not checked here.",
        (2003, 2021),
    )


_PRESETS: Final[dict[str, Callable[[], System]]] = {
    "iceland-althingi": _iceland_althingi,
    "denmark-folketing": _denmark_folketing,
    "new-zealand-house": _new_zealand_house,
    "scotland-parliament": _scotland_parliament,
    "norway-storting": _norway_storting,
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

_EUWG: Final = (
    "Gesetz über die Wahl der Abgeordneten des Europäischen Parlaments aus der Bundesrepublik Deutschland"
    " (Europawahlgesetz, EuWG), § 2: the seats are shared among the parties' federal or Land lists nationally"
    " by Sainte-Laguë/Schepers (divisors 1, 3, 5, ...: § 2(2)-(3) as amended by the Act of 17 March 2008);"
    " votes counted are the valid second-ballot votes for lists (blank ballots are invalid in German law)."
    " The sharing of a party's seats among its Land lists (§ 2(4)) is not modelled: one national district."
)


def _germany_european_parliament(bar: int | None, first: int, last: int | None, note: str) -> Callable[[], System]:
    def build() -> System:
        thresholds = () if bar is None else (Threshold(Fraction(bar, 100), "nation", "lists", "at-least"),)
        return System(
            "germany-european-parliament",
            (DistrictTier("nation", Method("divisor", "sainte-lague"), thresholds),),
            "European Parliament (Germany)",
            _EUWG + note,
            (first, last),
        )

    return build


#: presets whose law changed: (first year, last year or None, builder), oldest first
_ERAS: Final[dict[str, tuple[tuple[int, int | None, Callable[[], System]], ...]]] = {
    "germany-european-parliament": (
        (
            2009,
            2013,
            _germany_european_parliament(
                5,
                2009,
                2013,
                " § 2(7): a list with less than 5% of the valid votes in the whole territory takes no seat; the"
                " Bundesverfassungsgericht voided the 5% bar on 9 November 2011 (2 BvC 4/10), after the 2009"
                " election it governed.",
            ),
        ),
        (
            2014,
            None,
            _germany_european_parliament(
                None,
                2014,
                None,
                " No threshold: the 3% bar of 2013 was voided by the Bundesverfassungsgericht on 26 February 2014"
                " (2 BvE 2/13), before the 2014 election; the 2% minimum of Council Decision 2018/994 is not yet"
                " in force. Elections before 2009 (Hare/Niemeyer) are not covered.",
            ),
        ),
    ),
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
    "germany-bundestag": ((2021, 2024, bundestag_2020), (2025, None, bundestag_2023)),
    **NL_SE_ERAS,
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
