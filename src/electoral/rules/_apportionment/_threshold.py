"""Which lists take part in a seat allocation: legal thresholds, exactly.

A list qualifies when it meets the national ``threshold`` (its share of
valid votes or of ballots cast, strictly above or at least), *and* the
``regional_threshold`` in every region, if the law has one; a list named in
``also_qualify`` qualifies whatever its shares (New Zealand: a party that
won an electorate seat). A list standing as a coalition of several parties
(``coalitions``) must meet the coalition threshold for its number of
parties instead of the national one (``coalition_thresholds``).

Shares are compared exactly: ``votes >= share × denominator`` with integers
and :class:`~fractions.Fraction`, so a list exactly at the threshold
qualifies under "at least" (the comparison the peers get wrong).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from electoral._arith import passes, share_text
from electoral._model import Candidate, Election
from electoral._result import format_percent
from electoral._text import excerpt
from electoral.errors import CountError, MissingDataError, OptionError, UnknownCandidateError
from electoral.rules._options import option_type, to_fraction, to_int

__all__ = [
    "Qualification",
    "qualify",
    "to_coalition_thresholds",
    "to_coalitions",
    "to_regional_cast",
    "to_regional_votes",
]

RegionalVotes = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
Pairs = tuple[tuple[str, int], ...]
_WORDS = {"above": "more than", "at-least": "at least"}
_BASIS = {"valid": "valid votes", "cast": "ballots cast"}


def _load(value: Any, what: str) -> Any:
    """Text from the command line: JSON, or ``key:value`` pairs separated by commas."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return {}
    if text[0] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise OptionError(f"{what}: {excerpt(value)} is not valid JSON ({error.msg})") from None
    pairs: dict[str, str] = {}
    for item in text.split(","):
        key, sep, number = item.rpartition(":")
        if not sep or not key.strip():
            raise OptionError(f"{what}: {excerpt(item.strip())} is not NAME:VALUE")
        pairs[key.strip()] = number.strip()
    return pairs


def _items(value: Any, what: str) -> list[tuple[Any, Any]]:
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value):
        return [(k, v) for k, v in value]
    raise OptionError(f"{what} must be a mapping, not {excerpt(value)}")


def _count_value(value: Any, what: str) -> int:
    try:
        number = to_int(value)
    except OptionError:
        raise OptionError(f"{what} must be a whole number, not {excerpt(value)}") from None
    if number < 0:
        raise OptionError(f"{what} must be zero or more, not {number}")
    return number


def to_regional_votes(value: Any) -> RegionalVotes:
    """Regional returns: ``{region: {list: votes}}`` (or its JSON text)."""
    loaded = _load(value, "regional_votes")
    regions = []
    for region, votes in _items(loaded, "regional_votes"):
        if not isinstance(region, str):
            raise OptionError(f"regional_votes: region names must be text, not {excerpt(region)}")
        row = tuple(
            (str(name), _count_value(n, f"regional_votes[{excerpt(region)}][{excerpt(name)}]"))
            for name, n in _items(votes, f"regional_votes[{excerpt(region)}]")
        )
        regions.append((region, row))
    return tuple(regions)


def to_regional_cast(value: Any) -> Pairs:
    """Ballots cast in each region: ``{region: ballots}``, ``"North:1200,South:900"`` or JSON."""
    loaded = _load(value, "regional_cast")
    return tuple(
        (str(region), _count_value(n, f"regional_cast[{excerpt(region)}]"))
        for region, n in _items(loaded, "regional_cast")
    )


def to_coalitions(value: Any) -> Pairs:
    """The lists that are coalitions, with their number of parties: ``{list: parties}`` or ``"A+B:2"``."""
    loaded = _load(value, "coalitions")
    pairs = []
    for name, n in _items(loaded, "coalitions"):
        parties = _count_value(n, f"coalitions[{excerpt(name)}]")
        if parties < 1:
            raise OptionError(f"coalitions[{excerpt(name)}] must count at least 1 party, not {parties}")
        pairs.append((str(name), parties))
    return tuple(pairs)


def to_coalition_thresholds(value: Any) -> tuple[tuple[int, Fraction], ...]:
    """Thresholds by number of parties: ``{2: "8%", 3: "11%"}`` or ``"2:8%,3:11%"``; a key applies from there up."""
    loaded = _load(value, "coalition_thresholds")
    pairs = []
    for parties, share in _items(loaded, "coalition_thresholds"):
        size = _count_value(parties, "coalition_thresholds: the number of parties")
        fraction = to_fraction(share)
        if not 0 <= fraction <= 1:
            raise OptionError(f"coalition_thresholds[{size}] must be a share between 0 and 1, not {fraction}")
        pairs.append((size, fraction))
    return tuple(sorted(pairs))


@attrs.frozen
class Qualification:
    """The outcome of the threshold stage: who takes part, and a line of explanation per list."""

    qualified: tuple[Candidate, ...]
    excluded: tuple[Candidate, ...]
    denominator: int
    lines: tuple[str, ...]


def qualify(rule: Any, election: Election, tally: Mapping[Candidate, int], valid: int) -> Qualification:
    """Apply ``rule``'s threshold options to the national ``tally`` (of ``valid`` votes)."""
    base = valid if rule.threshold_of == "valid" else election.cast
    basis = _BASIS[rule.threshold_of]
    comparison = rule.threshold_comparison
    also = {election.candidate(name) for name in rule.also_qualify}
    ineligible = {election.candidate(name) for name in rule.ineligible}
    both = sorted(c.name for c in also & ineligible)
    if both:
        raise OptionError(f"{', '.join(map(excerpt, both))} cannot be both in also_qualify and ineligible")
    coalitions = {election.candidate(name): n for name, n in rule.coalitions}
    won = {election.candidate(name): n for name, n in rule.electorate_seats}
    if rule.electorate_qualify is not None and not rule.electorate_seats:
        raise OptionError("electorate_qualify needs electorate_seats={list: seats won}")
    regional = _regional_shares(rule, election, tally)
    qualified: list[Candidate] = []
    excluded: list[Candidate] = []
    lines: list[str] = []
    for party in election.candidates:
        votes = tally[party]
        share = Fraction(votes, base) if base else Fraction(0)
        have = f"{party.name}: {votes:,} votes, {format_percent(share)}% of {basis}"
        needed, label = _national_threshold(rule, coalitions.get(party))
        failures: list[str] = []
        if needed is not None and not (base and passes(votes, base, needed, comparison)):
            failures.append(f"needed {_WORDS[comparison]} {share_text(needed)}{label}")
        failures.extend(regional.get(party, []))
        if party in ineligible:
            excluded.append(party)
            lines.append(f"{have}; takes no seats (ineligible)")
        elif party in also:
            qualified.append(party)
            lines.append(f"{have}; qualifies: {rule.also_qualify_reason}")
        elif rule.electorate_qualify is not None and won.get(party, 0) >= rule.electorate_qualify:
            qualified.append(party)
            n = won[party]
            lines.append(f"{have}; qualifies: won {n} electorate seat{'s' if n > 1 else ''}")
        elif failures:
            excluded.append(party)
            lines.append(f"{have}; excluded: {'; '.join(failures)}")
        else:
            qualified.append(party)
            lines.append(f"{have}; qualifies")
    return Qualification(tuple(qualified), tuple(excluded), base, tuple(lines))


def _national_threshold(rule: Any, parties: int | None) -> tuple[Fraction | None, str]:
    if parties is not None:
        applicable = [share for size, share in rule.coalition_thresholds if size <= parties]
        if applicable:
            return applicable[-1], f" as a coalition of {parties} parties"
    return rule.threshold, ""


def _regional_shares(rule: Any, election: Election, tally: Mapping[Candidate, int]) -> dict[Candidate, list[str]]:
    """Each list's regional failures, after checking the regional returns against the national tally."""
    if rule.regional_threshold is None:  # the rule checks that the returns come with a threshold
        return {}
    cast = dict(rule.regional_cast)
    regions = [name for name, _ in rule.regional_votes]
    if len(set(regions)) != len(regions):
        raise OptionError(f"regional_votes names a region twice: {sorted(r for r in regions if regions.count(r) > 1)}")
    unknown_cast = sorted(set(cast) - set(regions))
    if unknown_cast:
        raise UnknownCandidateError(f"regional_cast names regions with no regional_votes: {', '.join(unknown_cast)}")
    sums = dict.fromkeys(election.candidates, 0)
    failures: dict[Candidate, list[str]] = {}
    comparison = rule.threshold_comparison
    for region, row in rule.regional_votes:
        votes = dict.fromkeys(election.candidates, 0)
        for name, n in row:
            try:
                party = election.candidate(name)
            except UnknownCandidateError:
                raise UnknownCandidateError(
                    f"regional_votes[{excerpt(region)}] names {excerpt(name)}, which is not a list"
                ) from None
            votes[party] += n
        valid = sum(votes.values())
        if rule.threshold_of == "cast":
            if region not in cast:
                raise MissingDataError(
                    f"threshold_of='cast' needs the ballots cast in region {excerpt(region)}: give regional_cast"
                )
            base = cast[region]
            if base < valid:
                raise CountError(
                    f"regional_cast[{excerpt(region)}] = {base:,} is fewer than its {valid:,} votes for lists"
                )
        else:
            base = valid
        for party, n in votes.items():
            sums[party] += n
            if not (base and passes(n, base, rule.regional_threshold, comparison)):
                share = Fraction(n, base) if base else Fraction(0)
                failures.setdefault(party, []).append(
                    f"{format_percent(share)}% in {region}, needed {_WORDS[comparison]} "
                    f"{share_text(rule.regional_threshold)}"
                )
    mismatched = [
        f"{c.name} ({sums[c]:,} in the regions, {tally[c]:,} nationally)" for c in sums if sums[c] != tally[c]
    ]
    if mismatched:
        raise CountError(f"regional_votes do not add up to the national votes: {', '.join(mismatched)}")
    return failures


# what the converters take, for the options' documentation (``electoral rules NAME``)
option_type(to_regional_votes, 'regional returns as JSON: {"region": {"list": votes}}')
option_type(to_regional_cast, "region:ballots pairs (North:1200,South:900), or JSON")
option_type(to_coalitions, "list:parties pairs (A+B:2), or JSON")
option_type(to_coalition_thresholds, "parties:share pairs (2:8%,3:11%), or JSON")
