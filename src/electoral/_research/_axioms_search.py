"""The elections an axiom check tries: ballots raised, removed, added, cloned or split.

Each generator yields ``(modified election, description)`` pairs in a fixed
order, so a search is reproducible and its witness is the first found.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import attrs
import numpy as np

from electoral._model import Ballot, Candidate, Election

__all__ = ["amounts", "clone_variants", "joined", "raised", "removed", "splits", "with_raised"]

Ranking = tuple[frozenset[Candidate], ...]


def amounts(count: int, exhaustive_up_to: int) -> list[int]:
    """How many of ``count`` identical ballots to change: every number up to a limit, then a spread."""
    if count <= exhaustive_up_to:
        return list(range(1, count + 1))
    picks = set(range(1, exhaustive_up_to + 1))
    step = 1
    while step < count:
        picks.update({step, count - step})
        step *= 2
    picks.update(count * k // 16 for k in range(1, 17))
    return sorted(p for p in picks if 1 <= p <= count)


def with_raised(ranking: Ranking, candidate: Candidate) -> Iterator[Ranking]:
    """Every ranking with ``candidate`` alone at a higher rank, the others' order unchanged."""
    ranks = [set(r) for r in ranking]
    where = next((i for i, r in enumerate(ranks) if candidate in r), None)
    if where is None:
        others = ranks
        highest = len(ranks)  # unranked: anywhere on the ballot is higher, even last
        limit = len(ranks) + 1
    else:
        shared = len(ranks[where]) > 1
        ranks[where].discard(candidate)
        others = ranks if shared else ranks[:where] + ranks[where + 1 :]
        highest = where
        limit = where + 1 if shared else where
    for slot in range(min(limit, highest + 1)):
        yield tuple(frozenset(r) for r in [*others[:slot], {candidate}, *others[slot:]])


def _replace(election: Election, index: int, moved: int, ballot: Ballot) -> Election:
    ballots = list(election.ballots)
    original = ballots[index]
    if moved == original.count:
        ballots[index] = ballot
    else:
        ballots[index] = original.with_count(original.count - moved)
        ballots.append(ballot)
    return election.with_ballots(ballots)


def raised(election: Election, candidate: Candidate, exhaustive_up_to: int) -> Iterator[tuple[Election, str]]:
    """``candidate`` raised on some of the voters of one kind of ballot."""
    for index, ballot in enumerate(election.ballots):
        if ballot.scores is not None:
            continue
        for ranking in with_raised(ballot.ranking, candidate):
            new = Ballot(ranking)
            for k in amounts(ballot.count, exhaustive_up_to):
                text = (
                    f"{k} of the {ballot.count} voters who cast {str(ballot)!r} raise {candidate.name} ({str(new)!r})"
                )
                yield _replace(election, index, k, new.with_count(k)), text


def removed(election: Election, exhaustive_up_to: int) -> Iterator[tuple[Election, Ballot, int]]:
    """Some voters of one kind of ballot stay at home."""
    for index, ballot in enumerate(election.ballots):
        for k in amounts(ballot.count, exhaustive_up_to):
            ballots = list(election.ballots)
            if k == ballot.count:
                del ballots[index]
            else:
                ballots[index] = ballot.with_count(ballot.count - k)
            yield election.with_ballots(ballots), ballot, k


def joined(
    election: Election, kinds: Sequence[Ballot], limit: int, exhaustive_up_to: int
) -> Iterator[tuple[Election, Ballot, int]]:
    """Up to ``limit`` more voters casting one of ``kinds`` of ballot come to vote."""
    for kind in kinds:
        for k in amounts(limit, exhaustive_up_to):
            yield election.with_ballots([*election.ballots, kind.with_count(k)]), kind, k


def clone_variants(election: Election, candidate: Candidate, limit: int) -> Iterator[tuple[Election, Candidate, str]]:
    """``candidate`` joined by a clone, next to them on every ballot, above or below.

    With few kinds of ballot every choice of above/below per kind is tried;
    otherwise all-below, all-above, and alternating.
    """
    clone = Candidate(_fresh_name(election, candidate.name), party=candidate.party)
    kinds = [b for b in election.ballots if b.scores is None and candidate in b.candidates()]
    if len(kinds) <= limit:
        patterns: Iterator[tuple[bool, ...]] = itertools.product((False, True), repeat=len(kinds))
    else:
        patterns = iter(
            [
                (False,) * len(kinds),
                (True,) * len(kinds),
                tuple(i % 2 == 0 for i in range(len(kinds))),
            ]
        )
    position = election.candidates.index(candidate)
    candidates = (*election.candidates[: position + 1], clone, *election.candidates[position + 1 :])
    for pattern in patterns:
        above = {b.key: first for b, first in zip(kinds, pattern, strict=True)}
        ballots = [_with_clone(b, candidate, clone, above.get(b.key, False)) for b in election.ballots]
        where = "above" if all(pattern) else "below" if not any(pattern) else "above on some ballots, below on others"
        modified = attrs.evolve(election, candidates=candidates, ballots=tuple(ballots))
        yield modified, clone, f"{candidate.name} gains a clone {clone.name}, ranked just {where} {candidate.name}"
    # Voters casting the same ballot need not agree on the clones' order: split every kind in half.
    halves: list[Ballot] = []
    for ballot in election.ballots:
        upper = ballot.count // 2
        if upper:
            halves.append(_with_clone(ballot.with_count(upper), candidate, clone, True))
        halves.append(_with_clone(ballot.with_count(ballot.count - upper), candidate, clone, False))
    yield (
        attrs.evolve(election, candidates=candidates, ballots=tuple(halves)),
        clone,
        f"{candidate.name} gains a clone {clone.name}, ranked just above {candidate.name} by half the voters "
        f"of each kind of ballot and just below by the rest",
    )


def _with_clone(ballot: Ballot, original: Candidate, clone: Candidate, above: bool) -> Ballot:
    if ballot.scores is not None or original not in ballot.candidates():
        return ballot
    ranks: list[frozenset[Candidate]] = []
    placed = False
    for rank in ballot.ranking:
        if original in rank and not placed:
            placed = True
            if len(rank) > 1:
                ranks.append(rank | {clone})  # level with others: the clone shares the rank
            elif above:
                ranks.extend([frozenset({clone}), rank])
            else:
                ranks.extend([rank, frozenset({clone})])
        else:
            ranks.append(rank)
    return Ballot(ranks, count=ballot.count)


def _fresh_name(election: Election, name: str) -> str:
    taken = set(election.names)
    suffix = 2
    while f"{name} ({suffix})" in taken:
        suffix += 1
    return f"{name} ({suffix})"


def splits(
    election: Election, limit: int, rng: np.random.Generator | None, tries: int
) -> Iterator[tuple[Election, Election]]:
    """Ways to split the voters in two groups, each split once (not also its mirror image).

    Every way of splitting every kind's voters when there are at most
    ``limit`` of them; else every way of sending whole kinds to one side or
    the other, if at most ``limit``; then, with ``rng``, ``tries`` random splits.
    """
    ballots = list(election.ballots)
    whole = attrs.evolve(election, ballots=(), blank=0, invalid=0, registered=None)

    def pair(take: Sequence[int]) -> tuple[Election, Election] | None:
        left = [b.with_count(k) for b, k in zip(ballots, take, strict=True) if k]
        right = [b.with_count(b.count - k) for b, k in zip(ballots, take, strict=True) if b.count - k]
        return (whole.with_ballots(left), whole.with_ballots(right)) if left and right else None

    every_split = 1
    for ballot in ballots:
        every_split *= ballot.count + 1
    if every_split <= limit:
        for take in itertools.product(*(range(b.count + 1) for b in ballots)):
            mirror = tuple(b.count - k for b, k in zip(ballots, take, strict=True))
            if take < mirror and (found := pair(take)) is not None:
                yield found
    elif 2 ** len(ballots) <= limit:
        for mask in range(1, 2 ** len(ballots) - 1, 2):  # odd masks: the first kind always goes left
            found = pair([b.count if mask >> i & 1 else 0 for i, b in enumerate(ballots)])
            if found is not None:
                yield found
    if rng is None:
        return
    for _ in range(tries):
        found = pair([int(rng.integers(0, b.count + 1)) for b in ballots])
        if found is not None:
            yield found
