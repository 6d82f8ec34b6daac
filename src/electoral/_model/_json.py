"""Reading the versioned JSON form of an election (format ``electoral.election``, version 1).

The writer is :meth:`electoral.Election.to_dict`; this reader also accepts two
shorthands for hand-written files: a ``votes`` object of single-mark returns
(``{"Jeenbekov": 920620, ...}``) and rankings written in the notation
(``"ranking": "A>B=C"``). Every error is a
:class:`~electoral.errors.FormatError` that names the source and the field,
and quotes values as short excerpts; an error of the model (a count beyond
the library's limit, a bad score) is re-raised as one, naming the ballot,
with the model's error as its cause. A file that still carries the
deprecated ``party_lists`` field loads, with a :class:`DeprecationWarning`:
the field has no effect (the rule that counts the election decides whether
it may have more seats than candidates).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from electoral._model import _notation
from electoral._model._values import Ballot, Candidate
from electoral._text import excerpt
from electoral.errors import ElectoralError, FormatError

if TYPE_CHECKING:
    from electoral._model._election import Election

__all__ = ["election_from_dict"]

_KNOWN_FIELDS = frozenset(
    {
        "format",
        "version",
        "title",
        "seats",
        "party_lists",
        "candidates",
        "ballots",
        "votes",
        "blank",
        "invalid",
        "registered",
    }
)


@contextmanager
def _naming(fail: Callable[[str], FormatError], where: str) -> Iterator[None]:
    """Re-raise an error of the model as a FormatError naming the source and ``where`` (the model's as its cause)."""
    try:
        yield
    except FormatError:
        raise
    except ElectoralError as error:
        raise fail(f"{where}: {error}") from error


def election_from_dict(cls: type[Election], data: Mapping[str, Any], *, source: str) -> Election:
    def fail(message: str) -> FormatError:
        return FormatError(message, source=source)

    if not isinstance(data, Mapping):
        raise fail(f"an election must be a JSON object, not {type(data).__name__}")
    fmt = data.get("format", "electoral.election")
    if fmt != "electoral.election":
        raise fail(f"format is {excerpt(fmt)}, expected 'electoral.election'")
    version = data.get("version", 1)
    if version != 1:
        raise fail(f"version {excerpt(version)} is not supported (this library reads version 1)")
    unknown = sorted(set(data) - _KNOWN_FIELDS)
    if unknown:
        raise fail(f"unknown field {excerpt(unknown[0])} (known fields: {', '.join(sorted(_KNOWN_FIELDS))})")

    votes = data.get("votes")
    raw_candidates = data.get("candidates")
    if raw_candidates is None:
        if not isinstance(votes, Mapping):
            raise fail("'candidates' is missing")
        raw_candidates = list(votes)
    if not isinstance(raw_candidates, list):
        raise fail(f"'candidates' must be a list, not {type(raw_candidates).__name__}")
    candidates: list[Candidate] = []
    for index, item in enumerate(raw_candidates):
        try:
            if isinstance(item, str):
                candidates.append(Candidate(item))
            elif isinstance(item, Mapping) and set(item) <= {"name", "party"} and "name" in item:
                candidates.append(Candidate(item["name"], party=item.get("party")))
            else:
                raise fail(f"candidates[{index}] must be a name or {{'name', 'party'}}, not {excerpt(item)}")
        except FormatError:
            raise
        except ElectoralError as error:
            raise fail(f"candidates[{index}]: {error}") from None
    by_name = {c.name: c for c in candidates}

    def candidate(name: object, where: str) -> Candidate:
        if not isinstance(name, str):
            raise fail(f"{where}: a candidate name must be a string, not {excerpt(name)}")
        try:
            return by_name[name]
        except KeyError:
            raise fail(f"{where}: {excerpt(name)} is not a candidate") from None

    ballots: list[Ballot] = []
    if votes is not None:
        if not isinstance(votes, Mapping):
            raise fail(f"'votes' must be an object of name: count, not {type(votes).__name__}")
        for name, count in votes.items():
            where = f"votes[{excerpt(name)}]"
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise fail(f"{where}: a count must be a whole number of zero or more, not {excerpt(count)}")
            if count:
                marked = candidate(name, where)
                with _naming(fail, where):
                    ballots.append(Ballot([{marked}], count=count))
    raw_ballots = data.get("ballots", [])
    if not isinstance(raw_ballots, list):
        raise fail(f"'ballots' must be a list, not {type(raw_ballots).__name__}")
    for index, item in enumerate(raw_ballots):
        where = f"ballots[{index}]"
        if not isinstance(item, Mapping):
            raise fail(f"{where} must be an object, not {excerpt(item)}")
        extra = sorted(set(item) - {"ranking", "scores", "count"})
        if extra:
            raise fail(f"{where}: unknown field {excerpt(extra[0])}")
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise fail(f"{where}.count must be a positive whole number, not {excerpt(count)}")
        if "scores" in item:
            scores = item["scores"]
            if not isinstance(scores, Mapping):
                raise fail(f"{where}.scores must be an object of name: score, not {excerpt(scores)}")
            for name, score in scores.items():
                if not isinstance(score, int) or isinstance(score, bool):
                    raise fail(f"{where}.scores[{excerpt(name)}] must be an integer, not {excerpt(score)}")
            scored = {candidate(n, f"{where}.scores"): s for n, s in scores.items()}
            with _naming(fail, where):
                ballots.append(Ballot(scores=scored, count=count))
            continue
        ranking = item.get("ranking", [])
        if isinstance(ranking, str):
            try:
                kind, marks = _notation.parse(ranking)
            except ElectoralError as error:
                raise fail(f"{where}.ranking: {error}") from None
            if kind != "ranking":
                raise fail(f"{where}.ranking: {excerpt(ranking)} is a score ballot; use 'scores'")
            ranking = marks
        if not isinstance(ranking, list):
            raise fail(f"{where}.ranking must be a list of ranks, not {excerpt(ranking)}")
        ranks = []
        for rank_index, rank in enumerate(ranking):
            rank_where = f"{where}.ranking[{rank_index}]"
            if isinstance(rank, str):
                rank = [rank]
            if not isinstance(rank, list):
                raise fail(f"{rank_where} must be a list of names, not {excerpt(rank)}")
            ranks.append({candidate(name, rank_where) for name in rank})
        with _naming(fail, where):
            ballots.append(Ballot(ranks, count=count))

    options: dict[str, Any] = {}
    for key in ("seats", "blank", "invalid", "registered", "title"):
        if key in data:
            options[key] = data[key]
    if "title" in options and not isinstance(options["title"], str):
        raise fail(f"'title' must be a string, not {excerpt(options['title'])}")
    if "party_lists" in data:
        warnings.warn(
            f"{source}: the field 'party_lists' is deprecated and has no effect (the seats may exceed the"
            " candidates, and the rule that counts the election decides); remove it from the file",
            DeprecationWarning,
            stacklevel=3,
        )
    try:
        return cls(candidates, ballots, **options)
    except ElectoralError as error:
        raise fail(str(error)) from None
