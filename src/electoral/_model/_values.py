"""The values voters mark: :class:`Candidate` and :class:`Ballot`, with the checks the model shares.

The model records what voters marked and nothing about how it is counted:
rules interpret the marks through their own explicit options.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from electoral._frozen import FrozenMap
from electoral._model import _notation
from electoral._text import excerpt
from electoral.errors import (
    BallotError,
    CandidateError,
    CountError,
    ElectoralError,
    OptionError,
)

__all__ = ["MAX_SCORE", "MAX_VOTERS", "Ballot", "Candidate", "check_text"]

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
