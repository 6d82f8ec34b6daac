"""Equal votes settled by the earliest count at which the candidates differed, then by lot.

Several STV statutes break a tie (which surplus first, whom to exclude, who
is elected when more reach the quota than there are places) by looking back
to the *first* count, or the earliest point of the count, at which the
candidates had unequal votes: the Irish Electoral Act 1992 (Part XIX),
and the Electoral Reform Society's 1997 rules (5.2.3, 5.2.5, 5.6.2). This
differs from ``tie_break="previous-rounds"``, which looks back from the most
recent round. A tie the earlier counts settle is recorded as settled by the
statute (its ``rule`` names the provision); one they leave goes to the
rule's ``tie_break`` (lots for these presets), with no history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from electoral._model import Candidate
from electoral.rules._base import Count

__all__ = ["largest_surplus", "lowest_to_exclude", "order_by_votes"]

Votes = int | Fraction


def order_by_votes(
    count: Count,
    tied: Sequence[int],
    votes: Mapping[int, Votes],
    *,
    number: int,
    history: Sequence[Mapping[Candidate, Votes]],
    candidates: Sequence[Candidate],
    decision: str,
    favour: bool,
    rule: str,
    places: int = 1,
) -> list[int]:
    """The first ``places`` of ``tied`` (candidate indices), most favoured first.

    Candidates are ordered by ``votes`` (most first when ``favour``, fewest
    first for an exclusion), then, where equal, by their figures at the
    earlier counts in ``history`` (oldest first) compared at the first count
    where they differ, then by the rule's ``tie_break``. Only the ties that
    decide the first ``places`` are broken and recorded.
    """
    sign = -1 if favour else 1

    def key(i: int) -> tuple[Votes, ...]:
        return (sign * votes[i], *(sign * table.get(candidates[i], 0) for table in history))

    ranked = sorted(tied, key=key)
    out: list[int] = []
    while len(out) < places and len(out) < len(ranked):
        head = ranked[len(out)]
        level = [i for i in ranked if votes[i] == votes[head] and i not in out]
        same = [i for i in level if key(i) == key(head)]
        if len(same) > 1:
            chosen = count.decide_tie(
                [candidates[i] for i in same],
                min(places - len(out), len(same)),
                round=number,
                decision=decision,
                favour=favour,
                history=[],
            )
            picked = [candidates.index(c) for c in chosen]
            out.extend(picked)
            # those not picked stay in ``ranked`` after the picked ones
            ranked = out + [i for i in ranked if i not in out]
            continue
        if len(level) > 1:
            detail = "; ".join(
                f"count {back}: " + ", ".join(f"{candidates[i].name} {table.get(candidates[i], 0)}" for i in level)
                for back, table in enumerate(history, start=1)
                if len({table.get(candidates[i], 0) for i in level}) > 1
            )
            count.settled_tie(
                [candidates[i] for i in level],
                1,
                [candidates[head]],
                round=number,
                decision=decision,
                rule=rule,
                detail=detail.split("; ")[0] if detail else "",
            )
        out.append(head)
    return out


def largest_surplus(
    count: Count,
    surpluses: Mapping[int, Votes],
    *,
    number: int,
    history: Sequence[Mapping[Candidate, Votes]],
    candidates: Sequence[Candidate],
    rule: str,
) -> int:
    """The candidate whose surplus is transferred first: the largest, equal ones settled as :func:`order_by_votes`."""
    (first,) = order_by_votes(
        count,
        list(surpluses),
        surpluses,
        number=number,
        history=history,
        candidates=candidates,
        decision="transfer surplus first",
        favour=True,
        rule=rule,
    )
    return first


def lowest_to_exclude(
    count: Count,
    level: Sequence[int],
    votes: Votes,
    *,
    number: int,
    history: Sequence[Mapping[Candidate, Votes]],
    candidates: Sequence[Candidate],
    rule: str,
) -> list[int]:
    """The one of the equal lowest ``level`` (each with ``votes``) to exclude, as :func:`order_by_votes` settles it."""
    return order_by_votes(
        count,
        level,
        dict.fromkeys(level, votes),
        number=number,
        history=history,
        candidates=candidates,
        decision="exclude",
        favour=False,
        rule=rule,
    )
