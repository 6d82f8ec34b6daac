"""The election: :class:`Election`, one contest's candidates, ballots and the counts statutes need.

The model records what voters marked and nothing about how it is counted:
rules interpret the marks through their own explicit options.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from electoral._display import MimeBundleMixin
from electoral._model import _notation
from electoral._model._array import ArrayBallots, election_from_array
from electoral._model._json import election_from_dict
from electoral._model._values import (
    _SHOWN,
    ELECTION_FORMAT,
    ELECTION_FORMAT_VERSION,
    MAX_SCORE,
    Ballot,
    Candidate,
    _check_count,
    _check_title,
    _to_candidates,
)
from electoral._model._view import election_html, election_text
from electoral._text import excerpt
from electoral.errors import (
    BallotError,
    BallotErrorGroup,
    CountError,
    DuplicateCandidateError,
    ElectoralError,
    NoCandidatesError,
    OptionError,
    SeatsError,
    UnknownCandidateError,
)

__all__ = ["Derived", "Election", "derived", "provide_pairwise"]

T = TypeVar("T")

#: What the deprecated ``party_lists`` argument says when it is given (it has no effect).
_PARTY_LISTS_DEPRECATED = (
    "party_lists is deprecated and has no effect: an election may have more seats than candidates,"
    " and the rule that counts it decides (apportionment shares out any house; a rule that elects"
    " candidates needs at least as many candidates as seats)"
)


def _warn_party_lists(stacklevel: int) -> None:
    """Say that ``party_lists`` was given, and does nothing (``stacklevel`` points at the caller's code)."""
    warnings.warn(_PARTY_LISTS_DEPRECATED, DeprecationWarning, stacklevel=stacklevel + 1)


def _aggregate(value: Iterable[Ballot]) -> Sequence[Ballot]:
    """Merge identical ballots into one with the summed count, keeping first-seen order.

    The lazy ballots of :meth:`Election.from_array` (:class:`ArrayBallots`,
    unique rows already checked) are kept as they are, so that a million
    ballots are not turned into objects until someone asks for them.
    """
    if isinstance(value, ArrayBallots):
        return value
    if not isinstance(value, Iterable) or isinstance(value, (str, Ballot)):
        raise BallotError(f"an election's ballots must be a list of Ballot objects, not {excerpt(value)}")
    merged: dict[object, Ballot] = {}
    for ballot in value:
        if not isinstance(ballot, Ballot):
            raise BallotError(f"an election's ballots must be Ballot objects, not {excerpt(ballot)}")
        previous = merged.get(ballot.key)
        merged[ballot.key] = ballot if previous is None else previous.with_count(previous.count + ballot.count)
    return tuple(merged.values())


#: What :meth:`Election.pairwise` calls: the counting kernel installs it when it loads
#: (:func:`provide_pairwise`), so the model imports nothing above it.
_PAIRWISE: Callable[[Election, str], Any] | None = None


def provide_pairwise(function: Callable[[Election, str], Any]) -> None:
    """Install the kernel's pairwise matrix behind :meth:`Election.pairwise` (called once, by the kernel)."""
    global _PAIRWISE
    _PAIRWISE = function


@attrs.frozen(eq=False)
class Derived(Generic[T]):
    """The key of one kind of value derived from an election (a profile, a pairwise matrix...).

    Keys compare by identity: each module that derives something from an
    election declares its own key once, at import, typed by what it holds.
    """

    name: str


def derived(election: Election, key: Derived[T], build: Callable[[Election], T]) -> T:
    """The value ``key`` names for ``election``: built by ``build`` on first use, then kept.

    The only way in or out of an election's store of derived values. An
    election is immutable, so what is derived from it never goes stale; the
    store is not part of its equality, hash or JSON.
    """
    store = election._derived
    if key in store:
        return store[key]  # type: ignore[no-any-return]
    value = build(election)
    store[key] = value
    return value


@attrs.frozen(order=False, init=False)
class Election(MimeBundleMixin):
    """One contest: its candidates, its ballots (aggregated) and the counts statutes need.

    ``blank`` counts blank ballots and ``invalid`` ballots cast but rejected,
    where these are known only as numbers (as official returns publish them).
    They are part of :attr:`cast` but of no candidate's tally. ``registered``
    is the number of registered voters, if known.

    ``seats`` is the one number of seats to fill, for every rule. The
    election does not compare it with the candidates, since it does not know
    which rule will count it: party-list apportionment shares out a house of
    any size among a few lists, while a rule that elects candidates refuses
    more seats than candidates (:class:`~electoral.errors.SeatsError`, naming
    the rule). ``party_lists`` is deprecated: it is accepted with a
    :class:`DeprecationWarning` and has no effect.

    >>> e = Election.from_counts({"Jeenbekov": 920620, "Babanov": 568665}, invalid=13910)
    >>> e.cast
    1503195
    """

    candidates: tuple[Candidate, ...] = attrs.field(converter=_to_candidates)
    ballots: Sequence[Ballot] = attrs.field(default=(), converter=_aggregate)
    seats: int = attrs.field(default=1, kw_only=True)
    blank: int = attrs.field(default=0, kw_only=True)
    invalid: int = attrs.field(default=0, kw_only=True)
    registered: int | None = attrs.field(default=None, kw_only=True)
    title: str = attrs.field(default="", kw_only=True, validator=_check_title)
    _derived: dict[Derived[Any], Any] = attrs.field(factory=dict, init=False, eq=False, repr=False, hash=False)
    _by_name: dict[str, Candidate] = attrs.field(factory=dict, init=False, eq=False, repr=False, hash=False)

    def __init__(
        self,
        candidates: Iterable[str | Candidate],
        ballots: Iterable[Ballot] = (),
        *,
        seats: int = 1,
        blank: int = 0,
        invalid: int = 0,
        registered: int | None = None,
        title: str = "",
        party_lists: bool | None = None,
    ) -> None:
        if party_lists is not None:
            _warn_party_lists(stacklevel=2)
        self.__attrs_init__(
            candidates, ballots, seats=seats, blank=blank, invalid=invalid, registered=registered, title=title
        )

    @property
    def party_lists(self) -> bool:
        """Deprecated, and always False: the seats may exceed the candidates whatever the flag said."""
        _warn_party_lists(stacklevel=2)
        return False

    def __attrs_post_init__(self) -> None:
        if not self.candidates:
            raise NoCandidatesError("an election needs at least one candidate")
        seen = self._by_name
        for candidate in self.candidates:
            if candidate.name in seen:
                raise DuplicateCandidateError(f"candidate name {excerpt(candidate.name)} appears more than once")
            seen[candidate.name] = candidate
        _check_count("blank", self.blank, minimum=0)
        _check_count("invalid", self.invalid, minimum=0)
        if self.registered is not None:
            _check_count("registered", self.registered, minimum=1)
        if not isinstance(self.seats, int) or isinstance(self.seats, bool) or self.seats < 1:
            raise SeatsError(f"seats must be a whole number of at least 1, got {excerpt(self.seats)}")
        _check_count("the number of ballots cast", self.cast, minimum=0)
        if isinstance(self.ballots, ArrayBallots):
            if self.ballots.candidates != self.candidates:
                object.__setattr__(self, "ballots", self.ballots.reindexed(self.candidates))
            return  # array rows were checked when the store was built
        known = frozenset(self.candidates)
        problems: list[ElectoralError] = []
        for ballot in self.ballots:
            unknown = ballot.candidates() - known
            if unknown:
                names = ", ".join(sorted(excerpt(c.name) for c in unknown))
                problems.append(UnknownCandidateError(f"ballot {excerpt(str(ballot))} marks {names}, not a candidate"))
            if ballot.scores is not None:
                problems.extend(_score_problems(ballot.scores))
        _raise_all(problems, "ballots mark unknown candidates or scores out of range")

    def __str__(self) -> str:

        return election_text(self)

    def _html(self) -> str:

        return election_html(self)

    # -- derived figures ----------------------------------------------------

    @property
    def cast(self) -> int:
        """Every ballot cast: the ballots, plus ``blank`` and ``invalid``."""
        if isinstance(self.ballots, ArrayBallots):  # counted without building a Ballot per row
            counted = self.ballots.voters()
        else:
            counted = sum(b.count for b in self.ballots)
        return int(counted) + self.blank + self.invalid

    @property
    def names(self) -> tuple[str, ...]:
        """The candidates' names, in the election's order."""
        return tuple(c.name for c in self.candidates)

    def candidate(self, name: str | Candidate) -> Candidate:
        """Return the candidate called ``name``; raise UnknownCandidateError if there is none."""
        if isinstance(name, Candidate):
            if name in self.candidates:
                return name
            name = name.name
        found = self._by_name.get(name) if isinstance(name, str) else None
        if found is not None:
            return found
        shown = ", ".join(map(excerpt, self.names[:_SHOWN]))
        more = f" and {len(self.names) - _SHOWN:,} more" if len(self.names) > _SHOWN else ""
        raise UnknownCandidateError(f"{excerpt(name)} is not a candidate (candidates: {shown}{more})")

    # -- changes return new elections ---------------------------------------

    def with_ballots(self, ballots: Iterable[Ballot]) -> Election:
        """Return this election with other ballots."""
        if not isinstance(ballots, Iterable) or isinstance(ballots, (str, Ballot)):
            raise BallotError(f"an election's ballots must be a list of Ballot objects, not {excerpt(ballots)}")
        return attrs.evolve(self, ballots=tuple(ballots))

    def with_candidates(self, candidates: Iterable[str | Candidate]) -> Election:
        """Return this election with another candidate list (every marked candidate must stay)."""
        return attrs.evolve(self, candidates=candidates)

    def with_seats(self, seats: int) -> Election:
        """Return this election with another number of seats."""
        return attrs.evolve(self, seats=seats)

    # -- constructors ---------------------------------------------------------

    @classmethod
    def from_counts(
        cls,
        votes: Mapping[str | Candidate, int],
        *,
        seats: int = 1,
        blank: int = 0,
        invalid: int = 0,
        registered: int | None = None,
        title: str = "",
        party_lists: bool | None = None,
    ) -> Election:
        """Build an election from single-mark returns, as official results publish them.

        ``seats`` may exceed the candidates (a house shared out among party
        lists); ``party_lists`` is deprecated and has no effect.

        >>> e = Election.from_counts({"Macron": 18768639, "Le Pen": 13288686}, blank=2233904)
        >>> e.names, e.cast
        (('Macron', 'Le Pen'), 34291229)
        """
        if party_lists is not None:
            _warn_party_lists(stacklevel=2)
        if not isinstance(votes, Mapping):
            raise CountError(f"votes must be a mapping from candidate to count, not {excerpt(votes)}")
        candidates = _to_candidates(votes)
        ballots = []
        for candidate, count in zip(candidates, votes.values(), strict=True):
            _check_count(f"the votes of {excerpt(candidate.name)}", count, minimum=0)
            if count:
                ballots.append(Ballot([{candidate}], count=count))
        return cls(
            candidates,
            ballots,
            seats=seats,
            blank=blank,
            invalid=invalid,
            registered=registered,
            title=title,
        )

    @classmethod
    def from_rankings(
        cls,
        rankings: Mapping[str | Sequence[str | Iterable[str]], int] | Iterable[str | Sequence[str | Iterable[str]]],
        *,
        candidates: Iterable[str | Candidate] | None = None,
        seats: int = 1,
        blank: int = 0,
        invalid: int = 0,
        registered: int | None = None,
        title: str = "",
        allow_repeats: bool = False,
    ) -> Election:
        """Build an election from hand-written ballots.

        ``rankings`` maps each ballot to its count, or lists ballots one
        voter at a time. A ballot is a string in the notation (``"A>B=C>D"``,
        ``"A:5,B:3"``) or a sequence of ranks, each a name or a collection of
        names. Candidates default to every name marked, in order of first
        appearance. Because these ballots are typed by hand, a candidate
        marked twice on one ballot is taken for a mistake unless
        ``allow_repeats`` is true; all problems are reported together.

        >>> e = Election.from_rankings({"A>B=C>D": 30, ("B", "A"): 20})
        >>> [str(b) for b in e.ballots]
        ['A>B=C>D', 'B>A']
        """
        items: Iterable[tuple[Any, Any]]
        if isinstance(rankings, Mapping):
            items = rankings.items()
        elif isinstance(rankings, str):
            items = [(rankings, 1)]
        elif isinstance(rankings, Iterable):
            items = ((r, 1) for r in rankings)
        else:
            raise BallotError(
                f"rankings must map ballots to counts or list ballots one voter at a time, not {excerpt(rankings)}"
            )
        if not isinstance(allow_repeats, bool):
            raise OptionError(f"allow_repeats must be True or False, not {excerpt(allow_repeats)}")
        given = None if candidates is None else _to_candidates(candidates)
        known = None if given is None else {c.name for c in given}
        parsed: list[tuple[str, list[list[str]] | list[tuple[str, int]], int]] = []
        problems: list[ElectoralError] = []
        for raw, count in items:
            try:
                _check_count(f"the count of ballot {excerpt(raw)}", count, minimum=1)
                kind, marks = _read_marks(raw)
                names = _names_in(kind, marks)
                if known is not None:
                    unknown = sorted({n for n in names if n not in known})
                    if unknown:
                        raise UnknownCandidateError(
                            f"ballot {excerpt(raw)} marks {', '.join(map(excerpt, unknown))}, not a candidate"
                        )
                if kind == "ranking" and not allow_repeats:
                    repeated = sorted({n for n in names if names.count(n) > 1})
                    if repeated:
                        raise BallotError(
                            f"ballot {excerpt(raw)} marks {', '.join(map(excerpt, repeated))} more than once"
                        )
                parsed.append((kind, marks, count))
            except ElectoralError as error:
                problems.append(error)
        _raise_all(problems, "ballots could not be read")
        if given is None:
            order: dict[str, None] = {}
            for kind, marks, _ in parsed:
                for name in _names_in(kind, marks):
                    order.setdefault(name, None)
            given = _to_candidates(order)
        election = cls(given, (), seats=seats, blank=blank, invalid=invalid, registered=registered, title=title)
        return election.with_ballots(_build_ballot(election, kind, marks, count) for kind, marks, count in parsed)

    @classmethod
    def from_array(
        cls,
        rankings: Any,
        *,
        candidates: Iterable[str | Candidate],
        counts: Any = None,
        seats: int = 1,
        title: str = "",
    ) -> Election:
        """Build an election from an integer array of rankings (shape: ballots × ranks).

        Each row holds candidate indices (into ``candidates``) from first
        preference on, with -1 for an empty rank. ``counts`` gives each row's
        number of voters (default 1 each). Identical rows are merged.
        """
        return election_from_array(cls, rankings, candidates=candidates, counts=counts, seats=seats, title=title)

    def pairwise(self, *, unranked: str = "below") -> Any:
        """The labelled pairwise support matrix of this election's rankings.

        ``unranked="below"`` (default) treats candidates a ballot leaves
        unranked as tied below every ranked one; ``unranked="ignore"`` counts
        only pairs where both candidates are ranked.
        """
        if _PAIRWISE is None:
            raise RuntimeError("the counting kernel is not loaded: import electoral first")  # pragma: no cover
        return _PAIRWISE(self, unranked)

    # -- the versioned JSON form ----------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the election in its documented, versioned JSON form (see :doc:`formats`)."""
        data: dict[str, Any] = {"format": ELECTION_FORMAT, "version": ELECTION_FORMAT_VERSION}
        if self.title:
            data["title"] = self.title
        data["seats"] = self.seats
        data["candidates"] = [
            c.name if c.party is None else {"name": c.name, "party": c.party} for c in self.candidates
        ]
        ballots: list[dict[str, Any]] = []
        for ballot in self.ballots:
            if ballot.scores is not None:
                ballots.append({"scores": {c.name: s for c, s in ballot.scores.items()}, "count": ballot.count})
            else:
                ranks = [sorted((c.name for c in rank), key=self.names.index) for rank in ballot.ranking]
                ballots.append({"ranking": ranks, "count": ballot.count})
        data["ballots"] = ballots
        data["blank"] = self.blank
        data["invalid"] = self.invalid
        if self.registered is not None:
            data["registered"] = self.registered
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> Election:
        """Read the JSON form written by :meth:`to_dict`; errors name ``source`` and the field."""
        return election_from_dict(cls, data, source=source)


def _read_marks(raw: object) -> tuple[str, list[list[str]] | list[tuple[str, int]]]:
    if isinstance(raw, str):
        return _notation.parse(raw)
    if isinstance(raw, Sequence):
        ranks: list[list[str]] = []
        for rank in raw:
            if isinstance(rank, str):
                ranks.append([rank])
            elif isinstance(rank, Iterable):
                names = list(rank)
                if not all(isinstance(n, str) for n in names):
                    raise BallotError(f"ranks hold candidate names, not {excerpt(rank)} in ballot {excerpt(raw)}")
                ranks.append(sorted(names))
            else:
                raise BallotError(f"a rank must be a name or a collection of names, not {excerpt(rank)}")
        return "ranking", ranks
    raise BallotError(f"a ballot must be a notation string or a sequence of ranks, not {excerpt(raw)}")


def _names_in(kind: str, marks: list[list[str]] | list[tuple[str, int]]) -> list[str]:
    names: list[str] = []
    for item in marks:
        if kind == "scores":
            names.append(str(item[0]))
        else:
            names.extend(str(name) for name in item)
    return names


def _build_ballot(election: Election, kind: str, marks: list[list[str]] | list[tuple[str, int]], count: int) -> Ballot:
    if kind == "scores":
        pairs: list[tuple[str, int]] = marks  # type: ignore[assignment]
        return Ballot(scores={election.candidate(name): score for name, score in pairs}, count=count)
    ranks: list[list[str]] = marks  # type: ignore[assignment]
    return Ballot([{election.candidate(n) for n in rank} for rank in ranks], count=count)


def _score_problems(scores: Mapping[Candidate, int]) -> list[ElectoralError]:
    """The scores beyond the bound this library counts (strictly between -MAX_SCORE and MAX_SCORE)."""
    if all(-MAX_SCORE < value < MAX_SCORE for value in scores.values()):
        return []
    return [
        CountError(
            f"the score of {excerpt(candidate.name)} is {excerpt(value)}, beyond the largest score this library"
            f" counts (scores lie between -{MAX_SCORE - 1} and {MAX_SCORE - 1})"
        )
        for candidate, value in scores.items()
        if not -MAX_SCORE < value < MAX_SCORE
    ]


def _raise_all(problems: list[ElectoralError], summary: str) -> None:
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise BallotErrorGroup(f"{len(problems)} {summary}", problems)
