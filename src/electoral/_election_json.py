"""Reading the versioned JSON form of an election (format ``electoral.election``, version 1).

The writer is :meth:`electoral.Election.to_dict`; this reader also accepts two
shorthands for hand-written files: a ``votes`` object of single-mark returns
(``{"Jeenbekov": 920620, ...}``) and rankings written in the notation
(``"ranking": "A>B=C"``). Every error names the source and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from electoral import _notation
from electoral.errors import ElectoralError, FormatError

if TYPE_CHECKING:
    from electoral._model import Election

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


def election_from_dict(cls: type[Election], data: Mapping[str, Any], *, source: str) -> Election:
    from electoral._model import Ballot, Candidate

    def fail(message: str) -> FormatError:
        return FormatError(message, source=source)

    if not isinstance(data, Mapping):
        raise fail(f"an election must be a JSON object, not {type(data).__name__}")
    fmt = data.get("format", "electoral.election")
    if fmt != "electoral.election":
        raise fail(f"format is {fmt!r}, expected 'electoral.election'")
    version = data.get("version", 1)
    if version != 1:
        raise fail(f"version {version!r} is not supported (this library reads version 1)")
    unknown = sorted(set(data) - _KNOWN_FIELDS)
    if unknown:
        raise fail(f"unknown field {unknown[0]!r} (known fields: {', '.join(sorted(_KNOWN_FIELDS))})")

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
                raise fail(f"candidates[{index}] must be a name or {{'name', 'party'}}, not {item!r}")
        except FormatError:
            raise
        except ElectoralError as error:
            raise fail(f"candidates[{index}]: {error}") from None
    by_name = {c.name: c for c in candidates}

    def candidate(name: object, where: str) -> Candidate:
        if not isinstance(name, str):
            raise fail(f"{where}: a candidate name must be a string, not {name!r}")
        try:
            return by_name[name]
        except KeyError:
            raise fail(f"{where}: {name!r} is not a candidate") from None

    ballots: list[Ballot] = []
    if votes is not None:
        if not isinstance(votes, Mapping):
            raise fail(f"'votes' must be an object of name: count, not {type(votes).__name__}")
        for name, count in votes.items():
            where = f"votes[{name!r}]"
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise fail(f"{where}: a count must be a whole number of zero or more, not {count!r}")
            if count:
                ballots.append(Ballot([{candidate(name, where)}], count=count))
    raw_ballots = data.get("ballots", [])
    if not isinstance(raw_ballots, list):
        raise fail(f"'ballots' must be a list, not {type(raw_ballots).__name__}")
    for index, item in enumerate(raw_ballots):
        where = f"ballots[{index}]"
        if not isinstance(item, Mapping):
            raise fail(f"{where} must be an object, not {item!r}")
        extra = sorted(set(item) - {"ranking", "scores", "count"})
        if extra:
            raise fail(f"{where}: unknown field {extra[0]!r}")
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise fail(f"{where}.count must be a positive whole number, not {count!r}")
        if "scores" in item:
            scores = item["scores"]
            if not isinstance(scores, Mapping):
                raise fail(f"{where}.scores must be an object of name: score, not {scores!r}")
            for name, score in scores.items():
                if not isinstance(score, int) or isinstance(score, bool):
                    raise fail(f"{where}.scores[{name!r}] must be an integer, not {score!r}")
            ballots.append(Ballot(scores={candidate(n, f"{where}.scores"): s for n, s in scores.items()}, count=count))
            continue
        ranking = item.get("ranking", [])
        if isinstance(ranking, str):
            try:
                kind, marks = _notation.parse(ranking)
            except ElectoralError as error:
                raise fail(f"{where}.ranking: {error}") from None
            if kind != "ranking":
                raise fail(f"{where}.ranking: {ranking!r} is a score ballot; use 'scores'")
            ranking = marks
        if not isinstance(ranking, list):
            raise fail(f"{where}.ranking must be a list of ranks, not {ranking!r}")
        ranks = []
        for rank_index, rank in enumerate(ranking):
            rank_where = f"{where}.ranking[{rank_index}]"
            if isinstance(rank, str):
                rank = [rank]
            if not isinstance(rank, list):
                raise fail(f"{rank_where} must be a list of names, not {rank!r}")
            ranks.append({candidate(name, rank_where) for name in rank})
        ballots.append(Ballot(ranks, count=count))

    options: dict[str, Any] = {}
    for key in ("seats", "blank", "invalid", "registered", "title", "party_lists"):
        if key in data:
            options[key] = data[key]
    if "title" in options and not isinstance(options["title"], str):
        raise fail(f"'title' must be a string, not {options['title']!r}")
    if "party_lists" in options and not isinstance(options["party_lists"], bool):
        raise fail(f"'party_lists' must be true or false, not {options['party_lists']!r}")
    try:
        return cls(candidates, ballots, **options)
    except ElectoralError as error:
        raise fail(str(error)) from None
