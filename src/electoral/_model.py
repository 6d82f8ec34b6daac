"""The domain model: :class:`Candidate`, :class:`Ballot` and :class:`Election`.

The model records what voters marked and nothing about how it is counted:
rules interpret the marks through their own explicit options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from electoral import _notation
from electoral._display import MimeBundleMixin
from electoral._frozen import FrozenMap
from electoral._text import excerpt
from electoral.errors import (
    BallotError,
    BallotErrorGroup,
    CandidateError,
    CountError,
    DuplicateCandidateError,
    ElectoralError,
    NoCandidatesError,
    OptionError,
    SeatsError,
    UnknownCandidateError,
)

__all__ = ["MAX_SCORE", "MAX_VOTERS", "Ballot", "Candidate", "Election"]

# Counts are bounded so that every total, and any sum of two totals, fits numpy's
# int64 (fast float paths check their own exactness bound of 2**53 and fall back
# to integers above it). No electorate comes near 4.6 × 10**18 voters.
MAX_VOTERS: Final = 2**62
#: Scores (score, STAR, majority judgment ballots) lie strictly between -MAX_SCORE and MAX_SCORE.
#: A total of scores can pass int64 (up to 2**124); rules add such totals as Python integers.
MAX_SCORE: Final = 2**62

#: The most candidates an unknown-candidate message lists.
_SHOWN: Final = 20

ELECTION_FORMAT: Final = "electoral.election"
ELECTION_FORMAT_VERSION: Final = 1


# a lone surrogate (half of a UTF-16 pair, as os.fsdecode or json.loads can produce) cannot be encoded in UTF-8,
# so a name holding one could be counted but never written to a file, a report or a terminal
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(what: str, value: str, error: type[ElectoralError] = CandidateError) -> None:
    """Refuse text that no UTF-8 file can hold (a lone surrogate), naming ``what`` and the value."""
    if _SURROGATE.search(value):
        raise error(f"{what} {excerpt(value)} holds a lone surrogate, which no UTF-8 file can hold")


def _check_name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise CandidateError(f"a candidate's name must be a string, not {excerpt(value)}")
    if not value.strip():
        raise CandidateError(f"a candidate's name must not be empty, got {excerpt(value)}")
    check_text("the candidate name", value)


def _check_count(what: str, value: object, *, minimum: int) -> int:
    # bool is an int subclass; True votes is a mistake, not a count
    if not isinstance(value, int) or isinstance(value, bool):
        raise CountError(f"{what} must be a whole number, not {excerpt(value)}")
    if value < minimum:
        bound = "positive" if minimum == 1 else "zero or more"
        raise CountError(f"{what} must be {bound}, got {excerpt(value)}")
    if value >= MAX_VOTERS:
        raise CountError(f"{what} is {excerpt(value)}, more than this library counts ({MAX_VOTERS - 1})")
    return value


def _check_party(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise CandidateError(f"a candidate's party must be a string or None, not {excerpt(value)}")
    if value is not None:
        check_text("the party name", value)


def _check_title(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise OptionError(f"an election's title must be a string, not {excerpt(value)}")
    check_text("the title", value, OptionError)


def _check_flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise OptionError(f"{attribute.name} must be True or False, not {excerpt(value)}")


@attrs.frozen(order=False)
class Candidate:
    """Someone (or, for party-list rules, some list) that ballots can mark.

    >>> Candidate("Jeenbekov", party="SDPK")
    Candidate(name='Jeenbekov', party='SDPK')
    """

    name: str = attrs.field(validator=_check_name)
    party: str | None = attrs.field(default=None, kw_only=True, validator=_check_party)

    def __str__(self) -> str:
        return self.name


def _to_ranking(value: Iterable[Iterable[Candidate]]) -> tuple[frozenset[Candidate], ...]:
    given: object = value
    if isinstance(given, str) or not isinstance(given, Iterable):
        raise BallotError(f"a ranking is a sequence of ranks, each a set of Candidate objects, not {excerpt(given)}")
    ranks: list[frozenset[Candidate]] = []
    for rank in given:
        if isinstance(rank, str) or not isinstance(rank, Iterable):
            hint = " (a rank of one is written {candidate})" if isinstance(rank, Candidate) else ""
            raise BallotError(f"a rank is a set of Candidate objects{hint}, not {excerpt(rank)}")
        try:
            ranks.append(frozenset(rank))
        except TypeError:  # an unhashable member
            raise BallotError(f"a rank holds Candidate objects, not {excerpt(rank)}") from None
    # A skipped rank matters only when a later rank is marked, so trailing
    # empty ranks carry no information; dropping them gives one canonical form.
    while ranks and not ranks[-1]:
        ranks.pop()
    return tuple(ranks)


def _to_scores(value: Mapping[Candidate, int] | None) -> FrozenMap[Candidate, int] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise BallotError(f"scores must be a mapping from Candidate to an integer score, not {excerpt(value)}")
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


@attrs.frozen(order=False)
class Ballot:
    """What one voter marked, and how many voters marked exactly the same.

    ``ranking`` is a tuple of ranks, each a frozenset of candidates, so that
    every real marking can be recorded as marked: truncation (fewer ranks),
    equal preferences or overvotes (several candidates at one rank), a skipped
    rank (an empty rank) and a candidate repeated at several ranks. A single
    mark is a one-rank ranking; an approval ballot is one rank holding every
    approved candidate. Score ballots carry ``scores`` and no ranking.
    Trailing empty ranks are dropped, since nothing follows them.

    ``str()`` gives the compact notation, which
    :meth:`Election.from_rankings` reads back:

    >>> a, b, c = Candidate("A"), Candidate("B"), Candidate("C")
    >>> str(Ballot([{a}, {b, c}], count=3))
    'A>B=C'
    """

    ranking: tuple[frozenset[Candidate], ...] = attrs.field(default=(), converter=_to_ranking)
    count: int = attrs.field(default=1, kw_only=True)
    scores: FrozenMap[Candidate, int] | None = attrs.field(default=None, kw_only=True, converter=_to_scores)

    def __attrs_post_init__(self) -> None:
        _check_count("a ballot's count", self.count, minimum=1)
        for rank in self.ranking:
            for candidate in rank:
                if not isinstance(candidate, Candidate):
                    raise BallotError(f"a ranking holds Candidate objects, not {excerpt(candidate)}")
        if self.scores is not None:
            if self.ranking:
                raise BallotError("a ballot carries a ranking or scores, not both")
            for candidate, score in self.scores.items():
                if not isinstance(candidate, Candidate):
                    raise BallotError(f"scores are keyed by Candidate objects, not {excerpt(candidate)}")
                if not isinstance(score, int) or isinstance(score, bool):
                    raise BallotError(
                        f"the score of {excerpt(candidate.name)} must be an integer, not {excerpt(score)}"
                    )

    @property
    def key(self) -> tuple[tuple[frozenset[Candidate], ...], FrozenMap[Candidate, int] | None]:
        """What identifies identical ballots: the marks, without the count."""
        return self.ranking, self.scores

    @property
    def is_blank(self) -> bool:
        """True when the ballot marks no candidate at all."""
        if self.scores is not None:
            return not self.scores
        return not any(self.ranking)

    def candidates(self) -> frozenset[Candidate]:
        """Every candidate the ballot marks, at any rank or with any score."""
        if self.scores is not None:
            return frozenset(self.scores)
        return frozenset().union(*self.ranking)

    def with_count(self, count: int) -> Ballot:
        """Return the same marks with another count."""
        return attrs.evolve(self, count=count)

    def __str__(self) -> str:
        if self.scores is not None:
            return _notation.format_scores(sorted(((c.name, s) for c, s in self.scores.items()), key=lambda p: p[0]))
        return _notation.format_ranking([sorted(c.name for c in rank) for rank in self.ranking])


def _to_candidates(value: Iterable[Candidate | str]) -> tuple[Candidate, ...]:
    if isinstance(value, str):
        # Iterating a string would make one candidate per letter; say so instead of guessing.
        raise CandidateError(f"candidates must be a list of names, not the string {excerpt(value)}")
    if isinstance(value, Candidate):
        value = [value]
    if not isinstance(value, Iterable):
        raise CandidateError(f"candidates must be a list of names or Candidate objects, not {excerpt(value)}")
    return tuple(c if isinstance(c, Candidate) else Candidate(c) for c in value)


def _aggregate(value: Iterable[Ballot]) -> Sequence[Ballot]:
    """Merge identical ballots into one with the summed count, keeping first-seen order.

    A sequence that declares itself already aggregated and validated (such
    as the lazy ballots of :meth:`Election.from_array`, built from unique
    array rows) is kept as it is, so that a million ballots are not turned
    into objects until someone asks for them.
    """
    if getattr(value, "_electoral_aggregated", False):
        return value  # type: ignore[return-value]
    if not isinstance(value, Iterable) or isinstance(value, (str, Ballot)):
        raise BallotError(f"an election's ballots must be a list of Ballot objects, not {excerpt(value)}")
    merged: dict[object, Ballot] = {}
    for ballot in value:
        if not isinstance(ballot, Ballot):
            raise BallotError(f"an election's ballots must be Ballot objects, not {excerpt(ballot)}")
        previous = merged.get(ballot.key)
        merged[ballot.key] = ballot if previous is None else previous.with_count(previous.count + ballot.count)
    return tuple(merged.values())


@attrs.frozen(order=False)
class Election(MimeBundleMixin):
    """One contest: its candidates, its ballots (aggregated) and the counts statutes need.

    ``blank`` counts blank ballots and ``invalid`` ballots cast but rejected,
    where these are known only as numbers (as official returns publish them).
    They are part of :attr:`cast` but of no candidate's tally. ``registered``
    is the number of registered voters, if known. When the candidates are
    party lists sharing out a house (``party_lists=True``), ``seats`` may
    exceed their number.

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
    party_lists: bool = attrs.field(default=False, kw_only=True, validator=_check_flag)
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False, hash=False, alias="_cache")

    def __attrs_post_init__(self) -> None:
        if not self.candidates:
            raise NoCandidatesError("an election needs at least one candidate")
        seen: set[str] = set()
        for candidate in self.candidates:
            if candidate.name in seen:
                raise DuplicateCandidateError(f"candidate name {excerpt(candidate.name)} appears more than once")
            seen.add(candidate.name)
        _check_count("blank", self.blank, minimum=0)
        _check_count("invalid", self.invalid, minimum=0)
        if self.registered is not None:
            _check_count("registered", self.registered, minimum=1)
        if not isinstance(self.seats, int) or isinstance(self.seats, bool) or self.seats < 1:
            raise SeatsError(f"seats must be a whole number of at least 1, got {excerpt(self.seats)}")
        if self.seats > len(self.candidates) and not self.party_lists:
            raise SeatsError(
                f"seats={excerpt(self.seats)} is more than the {len(self.candidates)} candidates"
                " (for party lists sharing out a house, pass party_lists=True)"
            )
        _check_count("the number of ballots cast", self.cast, minimum=0)
        if not isinstance(self.ballots, tuple):
            return  # pre-aggregated sequences check their own marks when built
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
        from electoral._display_election import election_text  # display code stays out of the model

        return election_text(self)

    def _html(self) -> str:
        from electoral._display_election import election_html

        return election_html(self)

    # -- derived figures ----------------------------------------------------

    @property
    def cast(self) -> int:
        """Every ballot cast: the ballots, plus ``blank`` and ``invalid``."""
        voters = getattr(self.ballots, "voters", None)  # array-backed ballots count without building objects
        counted = voters() if callable(voters) else sum(b.count for b in self.ballots)
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
        by_name: dict[str, Candidate] | None = self._cache.get("by_name")
        if by_name is None:  # built once: a scan per lookup made reading ballots quadratic
            by_name = self._cache["by_name"] = {c.name: c for c in self.candidates}
        found = by_name.get(name) if isinstance(name, str) else None
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
        party_lists: bool = False,
    ) -> Election:
        """Build an election from single-mark returns, as official results publish them.

        >>> e = Election.from_counts({"Macron": 18768639, "Le Pen": 13288686}, blank=2233904)
        >>> e.names, e.cast
        (('Macron', 'Le Pen'), 34291229)
        """
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
            party_lists=party_lists,
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
        from electoral._array import election_from_array  # numpy path, kept out of the model

        return election_from_array(cls, rankings, candidates=candidates, counts=counts, seats=seats, title=title)

    def pairwise(self, *, unranked: str = "below") -> Any:
        """The labelled pairwise support matrix of this election's rankings.

        ``unranked="below"`` (default) treats candidates a ballot leaves
        unranked as tied below every ranked one; ``unranked="ignore"`` counts
        only pairs where both candidates are ranked.
        """
        from electoral._pairwise import pairwise_of  # the numpy kernel, kept out of the model

        return pairwise_of(self, unranked=unranked)

    # -- the versioned JSON form ----------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the election in its documented, versioned JSON form (see :doc:`formats`)."""
        data: dict[str, Any] = {"format": ELECTION_FORMAT, "version": ELECTION_FORMAT_VERSION}
        if self.title:
            data["title"] = self.title
        data["seats"] = self.seats
        if self.party_lists:
            data["party_lists"] = True
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
        from electoral._election_json import election_from_dict  # one reader, shared with the io layer

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
