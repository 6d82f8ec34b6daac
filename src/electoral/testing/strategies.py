"""Hypothesis strategies for candidates, ballots and elections.

Install with ``pip install electoral[testing]``. Importing :mod:`electoral`
never imports Hypothesis; only this module does.

>>> from hypothesis import given
>>> from electoral.testing.strategies import elections
>>> @given(elections(max_candidates=4))
... def test_cast_counts_every_ballot(election):
...     assert election.cast >= sum(b.count for b in election.ballots)
>>> test_cast_counts_every_ballot()
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("electoral.testing.strategies needs Hypothesis: pip install 'electoral[testing]'") from error

from electoral._model import Ballot, Candidate, Election

__all__ = ["ballots", "candidate_names", "candidates", "elections"]

Marks = Literal["single", "ranking", "approval", "scores"]

_NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() != "")


def candidate_names() -> st.SearchStrategy[str]:
    """Candidate names: short non-blank text, including characters the notation must quote."""
    return _NAMES


def candidates(
    *, min_size: int = 1, max_size: int = 6, names: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[tuple[Candidate, ...]]:
    """Tuples of candidates with distinct names."""
    return st.lists(
        names if names is not None else candidate_names(), min_size=min_size, max_size=max_size, unique=True
    ).map(lambda ns: tuple(Candidate(n) for n in ns))


def ballots(
    candidates: Sequence[Candidate],
    *,
    marks: Marks = "ranking",
    max_ranks: int | None = None,
    equal_ranks: bool = False,
    skipped_ranks: bool = False,
    max_count: int = 50,
    min_score: int = 0,
    max_score: int = 5,
) -> st.SearchStrategy[Ballot]:
    """Ballots over ``candidates``.

    ``marks`` picks the kind: ``"single"`` (one candidate), ``"ranking"``
    (a strict, possibly truncated ranking; with ``equal_ranks`` some ranks
    hold several candidates, and with ``skipped_ranks`` some are empty),
    ``"approval"`` (one rank of approved candidates) or ``"scores"``.
    """
    pool = list(candidates)
    counts = st.integers(min_value=1, max_value=max_count)
    if marks == "single":
        return st.builds(lambda c, n: Ballot([{c}], count=n), st.sampled_from(pool), counts)
    if marks == "approval":
        return st.builds(lambda cs, n: Ballot([set(cs)], count=n), st.sets(st.sampled_from(pool), min_size=1), counts)
    if marks == "scores":
        return st.builds(
            lambda d, n: Ballot(scores=d, count=n),
            st.dictionaries(st.sampled_from(pool), st.integers(min_score, max_score), min_size=1),
            counts,
        )
    limit = len(pool) if max_ranks is None else min(max_ranks, len(pool))

    @st.composite
    def ranked(draw: st.DrawFn) -> Ballot:
        order = draw(st.permutations(pool))
        depth = draw(st.integers(min_value=1, max_value=limit)) if limit else 0
        ranks: list[set[Candidate]] = []
        for candidate in order[:depth]:
            if equal_ranks and ranks and draw(st.booleans()):
                ranks[-1].add(candidate)
            else:
                if skipped_ranks and ranks and draw(st.integers(0, 4)) == 0:
                    ranks.append(set())
                ranks.append({candidate})
        return Ballot(ranks, count=draw(counts))

    return ranked()


@st.composite
def _elections(
    draw: st.DrawFn,
    min_candidates: int,
    max_candidates: int,
    min_ballots: int,
    max_ballots: int,
    marks: Marks,
    seats: int | None,
    max_count: int,
    equal_ranks: bool,
    skipped_ranks: bool,
    extra_counts: bool,
) -> Election:
    pool = draw(candidates(min_size=min_candidates, max_size=max_candidates))
    drawn = draw(
        st.lists(
            ballots(pool, marks=marks, max_count=max_count, equal_ranks=equal_ranks, skipped_ranks=skipped_ranks),
            min_size=min_ballots,
            max_size=max_ballots,
        )
    )
    n_seats = seats if seats is not None else draw(st.integers(min_value=1, max_value=len(pool)))
    blank = draw(st.integers(0, max_count)) if extra_counts else 0
    invalid = draw(st.integers(0, max_count)) if extra_counts else 0
    cast = sum(b.count for b in drawn) + blank + invalid
    registered = draw(st.none() | st.integers(max(cast, 1), max(cast, 1) * 3)) if extra_counts else None
    return Election(pool, drawn, seats=min(n_seats, len(pool)), blank=blank, invalid=invalid, registered=registered)


def elections(
    *,
    min_candidates: int = 1,
    max_candidates: int = 6,
    min_ballots: int = 0,
    max_ballots: int = 20,
    marks: Marks = "ranking",
    seats: int | None = 1,
    max_count: int = 50,
    equal_ranks: bool = False,
    skipped_ranks: bool = False,
    extra_counts: bool = True,
) -> st.SearchStrategy[Election]:
    """Elections with the given size knobs.

    ``seats=None`` draws a number of seats up to the number of candidates.
    ``extra_counts`` adds blank and invalid counts and, sometimes, a number
    of registered voters at least the number cast.
    """
    return _elections(
        min_candidates,
        max_candidates,
        min_ballots,
        max_ballots,
        marks,
        seats,
        max_count,
        equal_ranks,
        skipped_ranks,
        extra_counts,
    )
