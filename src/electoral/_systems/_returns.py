"""Official returns of a districted election: votes per list and district, magnitudes, blank and invalid ballots.

A :class:`Returns` value is what :func:`electoral.io.read_returns` reads
and what :meth:`electoral.systems.System.tabulate` counts. It holds figures
only, never seats: which seats those figures give is the system's business.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from electoral._frozen import FrozenMap
from electoral._text import excerpt
from electoral.errors import CountError, UnknownCandidateError

__all__ = ["CandidateVotes", "DistrictReturns", "Returns"]


def _frozen_ints(value: Mapping[str, int] | Iterable[tuple[str, int]]) -> FrozenMap[str, int]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _frozen_text(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> FrozenMap[str, str]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _check_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CountError(f"{what} must be a whole number of zero or more, not {excerpt(value)}")


@attrs.frozen
class CandidateVotes:
    """A candidate's own votes: a constituency contest, or a limited-vote ballot such as Spain's Senate."""

    candidate: str
    party: str
    votes: int


def _candidates(value: Iterable[CandidateVotes]) -> tuple[CandidateVotes, ...]:
    return tuple(value)


def _districts(value: Iterable[DistrictReturns]) -> tuple[DistrictReturns, ...]:
    return tuple(value)


@attrs.frozen
class DistrictReturns:
    """One district's returns.

    ``votes`` maps each list to its votes; ``blank`` and ``invalid`` are the
    blank and invalid (null) ballots. ``seats`` is the district's magnitude
    where the returns give it, ``region`` and ``tier`` group districts,
    ``min_seats`` is a minimum per unit (an apportionment of magnitudes),
    ``max_seats`` caps a list's seats (a list with too few candidates).
    ``candidates`` holds candidate votes (constituency contests or a
    candidate ballot) and ``extra`` any other column of ``districts.csv``.
    """

    name: str
    votes: FrozenMap[str, int] = attrs.field(converter=_frozen_ints, factory=FrozenMap)
    blank: int = 0
    invalid: int = 0
    seats: int | None = None
    region: str | None = None
    tier: str | None = None
    min_seats: int | None = None
    max_seats: FrozenMap[str, int] = attrs.field(converter=_frozen_ints, factory=FrozenMap)
    candidates: tuple[CandidateVotes, ...] = attrs.field(converter=_candidates, default=())
    extra: FrozenMap[str, str] = attrs.field(converter=_frozen_text, factory=FrozenMap)

    def __attrs_post_init__(self) -> None:
        for party, n in self.votes.items():
            _check_count(n, f"votes of {excerpt(party)} in {excerpt(self.name)}")
        _check_count(self.blank, f"blank ballots in {excerpt(self.name)}")
        _check_count(self.invalid, f"invalid ballots in {excerpt(self.name)}")
        if self.seats is not None:
            _check_count(self.seats, f"seats of {excerpt(self.name)}")

    @property
    def list_votes(self) -> int:
        """The votes of all lists together."""
        return sum(self.votes.values())

    @property
    def valid(self) -> int:
        """Valid votes: the lists' votes and the blank ballots (Spain's *votos válidos*, LOREG art. 96)."""
        return self.list_votes + self.blank

    @property
    def cast(self) -> int:
        """Votes cast: the lists' votes, the blank and the invalid ballots (*votos emitidos*)."""
        return self.list_votes + self.blank + self.invalid


@attrs.frozen
class Returns:
    """The returns of a whole election, district by district (in the order read)."""

    districts: tuple[DistrictReturns, ...] = attrs.field(converter=_districts)
    source: str | None = attrs.field(default=None, eq=False)
    #: each district's position in ``districts``, by name (a look-up that does not scan them all)
    positions: FrozenMap[str, int] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        seen: dict[str, int] = {}
        for i, district in enumerate(self.districts):
            if district.name in seen:
                raise CountError(f"district {excerpt(district.name)} appears twice in the returns")
            seen[district.name] = i
        object.__setattr__(self, "positions", FrozenMap(seen))

    def __getitem__(self, name: str) -> DistrictReturns:
        if name in self.positions:
            return self.districts[self.positions[name]]
        raise UnknownCandidateError(f"no district {excerpt(name)} in the returns")

    @property
    def names(self) -> tuple[str, ...]:
        """The districts' names."""
        return tuple(d.name for d in self.districts)

    @property
    def parties(self) -> tuple[str, ...]:
        """Every list's name, in order of first appearance."""
        return tuple(dict.fromkeys(p for d in self.districts for p in d.votes))

    def national_votes(self) -> FrozenMap[str, int]:
        """Each list's votes summed over all districts."""
        totals: dict[str, int] = {}
        for district in self.districts:
            for party, n in district.votes.items():
                totals[party] = totals.get(party, 0) + n
        return FrozenMap(totals)
