"""An electoral system as a value: tiers in order, the law they come from, and its count.

How tiers compose
-----------------
A system's ``tiers`` are counted in order over the same returns, and each
tier's count is kept in the result. Today every tier kind stands alone
(districts, a limited vote, an apportionment of magnitudes, a biproportional
apportionment). A tier that
fixes its ``magnitudes`` counts only the districts they name, and its
``nation`` scope is those districts together, so a system can hold
several side-by-side tiers over disjoint districts (Canarias since 2019:
seven islands and one regional district, each with its own thresholds). Compensation attaches as further tier
kinds that read what the tiers before them gave: a levelling or
adjustment tier (Norway, Denmark, Iceland), an MMP or AMS top-up (New
Zealand, Scotland) and the Bundestag's rules name the tier whose seats they
compensate, take their own thresholds (nodes of the same kinds), and add
their seats on top; none of the existing node types changes, and the JSON
gains a ``kind`` per new node.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from electoral._frozen import FrozenMap
from electoral._systems._biproportional import Biproportional, count_biproportional
from electoral._systems._count import count_tier, new_lots
from electoral._systems._json import system_from_data, system_to_data
from electoral._systems._nodes import DistrictTier, LimitedVote, MagnitudeApportionment, Tier
from electoral._systems._returns import Returns
from electoral._systems._seats import SeatResult
from electoral._text import excerpt
from electoral.errors import FormatError, OptionError

__all__ = ["System"]


def _tiers(value: Any) -> tuple[Tier | Biproportional, ...]:
    tiers = tuple(value)
    if not tiers:
        raise OptionError("a system needs at least one tier")
    for tier in tiers:
        if not isinstance(tier, (DistrictTier, LimitedVote, MagnitudeApportionment, Biproportional)):
            raise OptionError(
                "a tier must be a DistrictTier, LimitedVote, MagnitudeApportionment or Biproportional,"
                f" not {excerpt(tier)}"
            )
    if len(tiers) > 1:
        claimed: set[str] = set()
        for tier in tiers:
            if isinstance(tier, MagnitudeApportionment) or tier.magnitudes is None:
                raise OptionError(
                    "in a system of several tiers, each tier names its districts with their seats (magnitudes);"
                    " compensation tiers are not built yet"
                )
            shared = claimed & set(tier.magnitudes)
            if shared:
                raise OptionError(f"district {excerpt(sorted(shared)[0])} is in two tiers")
            claimed |= set(tier.magnitudes)
    return tiers


@attrs.frozen
class System:
    """A whole electoral system: its ``tiers``, and where it comes from.

    ``name`` is the preset's name (or the user's), ``title`` the body
    elected, ``law`` the statute and articles it follows, ``years`` the
    first and last election year it describes (None: still in force).
    """

    name: str
    tiers: tuple[Tier | Biproportional, ...] = attrs.field(converter=_tiers)
    title: str = ""
    law: str = ""
    years: tuple[int, int | None] | None = None

    def tabulate(self, returns: Returns, *, seed: int | None = None) -> SeatResult:
        """Count ``returns`` under this system; ``seed`` draws the lots a tie may need (LOREG art. 163.1.c)."""
        if not isinstance(returns, Returns):
            raise OptionError(f"tabulate needs a Returns value (electoral.io.read_returns), not {excerpt(returns)}")
        lots = new_lots(seed)
        counts = tuple(
            count_biproportional(tier, returns) if isinstance(tier, Biproportional) else count_tier(tier, returns, lots)
            for tier in self.tiers
        )
        seats: dict[tuple[str, str], int] = {}
        for tier in counts:
            for district in tier.districts:
                for party, n in district.seats.items():
                    if n:
                        seats[(district.district, party)] = seats.get((district.district, party), 0) + n
        votes = returns.national_votes()
        totals = dict.fromkeys(votes, 0)
        for (_, party), n in seats.items():
            totals[party] = totals.get(party, 0) + n
        ordered = sorted(totals.items(), key=lambda item: (-item[1], -votes.get(item[0], 0)))
        return SeatResult(self.name, FrozenMap(seats), FrozenMap(ordered), votes, counts)

    def to_dict(self) -> dict[str, Any]:
        """The system as JSON-ready data (see :meth:`from_json`)."""
        return system_to_data(self)

    def to_json(self) -> str:
        """The system as JSON text; :meth:`from_json` reads it back to an equal system."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> System:
        """A system from JSON text or from the data :meth:`to_dict` gives; FormatError names what is wrong."""
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise FormatError(f"not JSON: {error}", source="<system>") from None
        return system_from_data(data, cls)
