"""An electoral system as a value: tiers in order, the law they come from, and its count.

How tiers compose
-----------------
A system's ``tiers`` are counted in order over the same returns, and each
tier's count is kept in the result. A tier that fixes its ``magnitudes``
counts only the districts they name, and its ``nation`` scope is those
districts together, so a system can hold several side-by-side tiers over
disjoint districts (Canarias since 2019: seven islands and one regional
district, each with its own thresholds).

Compensation comes last, as one tier of the kinds in
:mod:`electoral._systems._tiers` (levelling or adjustment seats, an MMP
top-up, an AMS regional top-up). It reads the seats the tiers before it
gave and adds its own on top; its figures are the returns' districts it
names (the national ``*`` pseudo-district, or the regions), which the tiers
before it do not count. None of the district node types changed for it,
and the JSON gains a ``kind`` per new node.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._biproportional import Biproportional, count_biproportional
from electoral._systems._bundestag import BundestagTier, count_bundestag
from electoral._systems._compensate import compensation_areas, count_compensation
from electoral._systems._count import count_tier, new_lots
from electoral._systems._json import SOURCE, system_from_data, system_to_data
from electoral._systems._kieswet import KieswetTier
from electoral._systems._nodes import DistrictTier, LimitedVote, MagnitudeApportionment, Tier
from electoral._systems._returns import Returns
from electoral._systems._riksdag import RiksdagTier
from electoral._systems._seats import SeatResult, TierCount
from electoral._systems._tiers import LevellingTier, MixedMemberTier, RegionalTopUp
from electoral._text import excerpt
from electoral.errors import CountError, FormatError, OptionError

__all__ = ["System"]


COMPENSATION = (LevellingTier, MixedMemberTier, RegionalTopUp)
AnyTier = (
    Tier | LevellingTier | MixedMemberTier | RegionalTopUp | BundestagTier | KieswetTier | RiksdagTier | Biproportional
)
WHOLE_TIERS = (KieswetTier, RiksdagTier)
"""Tier kinds that count a whole election themselves (one national pool, or fixed and adjustment seats)."""


def _tiers(value: Any) -> tuple[AnyTier, ...]:
    every = tuple(value)
    if not every:
        raise OptionError("a system needs at least one tier")
    for tier in every:
        kinds = (
            DistrictTier,
            LimitedVote,
            MagnitudeApportionment,
            Biproportional,
            BundestagTier,
            *WHOLE_TIERS,
            *COMPENSATION,
        )
        if not isinstance(tier, kinds):
            raise OptionError(
                "a tier must be a DistrictTier, LimitedVote, MagnitudeApportionment, Biproportional, BundestagTier,"
                f" KieswetTier, RiksdagTier, LevellingTier, MixedMemberTier or RegionalTopUp, not {excerpt(tier)}"
            )
        if isinstance(tier, WHOLE_TIERS) and len(every) > 1:
            raise OptionError(f"a {tier.kind} tier counts the whole election and stands alone in its system")
    tiers = tuple(t for t in every if not isinstance(t, COMPENSATION))
    compensating = every[len(tiers) :]
    if not tiers or any(not isinstance(t, COMPENSATION) for t in compensating):
        raise OptionError("compensation tiers come after the tiers whose seats they compensate, and need one")
    if len(compensating) > 1:
        raise OptionError("a system has at most one compensation tier")
    if len(tiers) > 1:
        claimed: set[str] = set()
        for tier in tiers:
            if isinstance(tier, (MagnitudeApportionment, BundestagTier)) or tier.magnitudes is None:
                raise OptionError(
                    "in a system of several district tiers, each tier names its districts with their seats"
                    " (magnitudes); a compensation tier comes after them"
                )
            shared = claimed & set(tier.magnitudes)
            if shared:
                raise OptionError(f"district {excerpt(sorted(shared)[0])} is in two tiers")
            claimed |= set(tier.magnitudes)
    return every


#: The most seats a count fills. Every seat is recorded (its quotient, its district), so a
#: magnitude of 10**9 seats is refused before anything is allocated; the largest real houses
#: have a few thousand seats.
MAX_SEATS = 100_000


def _named_seats(tiers: tuple[AnyTier, ...], returns: Returns) -> int:
    """The seats the returns' magnitudes and the tiers' own figures name, together (overhang may add a few)."""
    named = sum(d.seats or 0 for d in returns.districts)
    for tier in tiers:
        if isinstance(tier, (MagnitudeApportionment, LevellingTier, MixedMemberTier)):
            named += tier.total
        elif isinstance(tier, (BundestagTier, KieswetTier)):
            named += tier.seats
        elif isinstance(tier, RiksdagTier):
            named += tier.adjustment_seats
        elif isinstance(tier, (DistrictTier, LimitedVote, Biproportional)) and tier.magnitudes is not None:
            named += sum(tier.magnitudes.values())
    return named


def _seats(counts: list[TierCount]) -> dict[tuple[str, str], int]:
    seats: dict[tuple[str, str], int] = {}
    for tier in counts:
        for district in tier.districts:
            for party, n in district.seats.items():
                if n:
                    seats[(district.district, party)] = seats.get((district.district, party), 0) + n
    return seats


@attrs.frozen
class System:
    """A whole electoral system: its ``tiers``, and where it comes from.

    ``name`` is the preset's name (or the user's), ``title`` the body
    elected, ``law`` the statute and articles it follows, ``years`` the
    first and last election year it describes (None: still in force).
    """

    name: str
    tiers: tuple[AnyTier, ...] = attrs.field(converter=_tiers)
    title: str = ""
    law: str = ""
    years: tuple[int, int | None] | None = None

    def tabulate(self, returns: Returns, *, seed: int | None = None) -> SeatResult:
        """Count ``returns`` under this system; ``seed`` draws the lots a tie may need (LOREG art. 163.1.c)."""
        if not isinstance(returns, Returns):
            raise OptionError(f"tabulate needs a Returns value (electoral.io.read_returns), not {excerpt(returns)}")
        named = _named_seats(self.tiers, returns)
        if named > MAX_SEATS:
            raise CountError(
                f"the returns and the system name {named} seats; a count records every seat and fills at most"
                f" {MAX_SEATS}"
            )
        lots = new_lots(seed)
        compensating = [t for t in self.tiers if isinstance(t, COMPENSATION)]
        areas = {a for t in compensating for a in compensation_areas(t, returns)}
        lower = Returns(tuple(d for d in returns.districts if d.name not in areas), returns.source)
        counts: list[TierCount] = []
        for tier in self.tiers:
            if isinstance(tier, WHOLE_TIERS):
                counts.extend(tier.count(lower, lots))
            elif isinstance(tier, BundestagTier):
                counts.append(count_bundestag(tier, lower, lots))
            elif isinstance(tier, Biproportional):
                counts.append(count_biproportional(tier, lower))
            elif not isinstance(tier, COMPENSATION):
                counts.append(count_tier(tier, lower, lots))
        seats = _seats(counts)
        for tier in compensating:
            counts.append(count_compensation(tier, returns, lower, dict(seats), lots))
        seats = _seats(counts)
        votes = returns.national_votes()
        totals = dict.fromkeys(votes, 0)
        for (_, party), n in seats.items():
            totals[party] = totals.get(party, 0) + n
        ordered = sorted(totals.items(), key=lambda item: (-item[1], -votes.get(item[0], 0)))
        return SeatResult(self.name, FrozenMap(seats), FrozenMap(ordered), votes, tuple(counts))

    def to_dict(self) -> dict[str, Any]:
        """The system as JSON-ready data (see :meth:`from_json`)."""
        return system_to_data(self)

    def to_json(self) -> str:
        """The system as JSON text; :meth:`from_json` reads it back to an equal system."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any], *, source: str = "<system>") -> System:
        """A system from JSON text or from the data :meth:`to_dict` gives; FormatError names what is wrong.

        ``source`` names the file the text came from in those errors.
        """
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise FormatError(f"not JSON: {error}", source=source) from None
            except RecursionError:
                raise FormatError("not JSON this reader takes: nested too deep", source=source) from None
            except ValueError as error:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
                raise FormatError(f"not JSON this reader takes: {error}", source=source) from None
        try:
            return system_from_data(data, cls)
        except FormatError as error:
            if error.source != SOURCE or source == SOURCE:
                raise
            raise FormatError(str(error).removeprefix(f"{SOURCE}: "), source=source) from None
