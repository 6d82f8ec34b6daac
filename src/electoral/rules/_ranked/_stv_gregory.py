"""STV with inclusive Gregory surplus transfers: weighted (WIGM, decimals truncated) or exact.

The count follows the Scottish Local Government Elections Order 2007 (SSI
2007/42), Schedule 1, when run with decimal places 5 (the ``scotland``
preset):

- rule 46: the quota is the number of valid ballot papers divided by one
  more than the number of seats, plus one, any fraction disregarded;
- rule 47: a candidate whose votes equal or exceed the quota is elected;
- rule 48: a surplus (votes above the quota) is transferred by moving every
  ballot paper the candidate holds to its next available preference for a
  continuing candidate, at the transfer value "surplus times the value of
  the paper when received, divided by the candidate's total", calculated to
  five decimal places, any remainder being ignored; papers with no such
  preference form the non-transferable parcel;
- rule 49: the largest surplus is transferred first;
- rule 50: when no surplus remains to transfer, the candidate with fewest
  votes is excluded and all their papers move on at their current values;
- rule 51 and 52: when the continuing candidates are no more than the seats
  left, they are all elected, and no further transfer is made.

Equal votes (which surplus first, whom to exclude) go to the rule's
``tie_break`` (the preset uses the counts of earlier stages, most recent
first, and then lots). The value lost by truncation is recorded in each
round's ``set_aside`` as ``"residual surplus"``; the non-transferable value
as ``"exhausted choices"``.

With ``decimal_places=None`` the same count runs on exact Fractions: the
inclusive Gregory method without rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from electoral._model import Candidate, Election
from electoral._profile._ranked import INACTIVE_REASONS, ranked_ballots, scan
from electoral._result import Round, Transfer
from electoral._ties._engine import fingerprint
from electoral.rules._base import Count
from electoral.rules._ranked._common import set_aside_of
from electoral.rules._ranked._stv_arith import Arithmetic

if TYPE_CHECKING:
    from electoral.rules._ranked._stv import Stv

__all__ = ["count_gregory"]

Votes = int | Fraction


def count_gregory(rule: Stv, election: Election, count: Count, arith: Arithmetic) -> None:
    """Run the count (see the module notes) on ``count``."""
    candidates = election.candidates
    n = len(candidates)
    ballots = ranked_ballots(election)
    counts = ballots.counts
    reading = rule.reading
    continuing = rule._start(election)
    rows = np.arange(len(counts))
    choice = scan(ballots, rows, continuing, reading)
    values = arith.ones(len(counts))
    weights = _weights(counts, values, arith)
    tally = arith.group_sum(choice, weights, n)
    inactive: dict[int, Any] = {code: arith.total(weights[choice == code]) for code in INACTIVE_REASONS}
    valid = arith.total(tally)
    quota, strict = rule.quota_of(arith.votes(valid), election.seats)
    # in decimal arithmetic a fractional quota is held rounded up to the places; reaching it is compared exactly
    exact_quota = Fraction(quota) * arith.one
    quota_scaled: Any = exact_quota if arith.exact else -((-exact_quota.numerator) // exact_quota.denominator)
    residual: Any = 0 * arith.one
    elected: list[int] = []
    pending: list[int] = []  # elected, surplus not yet transferred
    excluded: set[int] = {i for i in range(n) if not continuing[i]}
    seats = election.seats
    number = 0
    history: list[Mapping[Candidate, Votes]] = []

    def reached(votes: Any) -> bool:
        return bool(votes > exact_quota) if strict else bool(votes >= exact_quota)

    while True:
        number += 1
        if count.exploring:  # what the rest of the count depends on (tie_break="all" explores each state once)
            count.checkpoint(
                (
                    number,
                    continuing.tobytes(),
                    tuple(elected),
                    tuple(pending),
                    frozenset(excluded),
                    fingerprint(choice),
                    fingerprint(values),
                    tuple(tally.tolist()),
                    tuple(inactive.items()),
                    residual,
                )
            )
        shown = [i for i in range(n) if i not in excluded]
        table = {candidates[i]: arith.votes(tally[i]) for i in shown}
        set_aside = _set_aside(inactive, residual, arith, election, counts)
        held = sum(table.values())
        count.add_round(
            Round(
                number=number,
                tally=table,
                ballots=held + sum(set_aside.values()),
                continuing=held,
                set_aside=set_aside,
                denominator=arith.votes(valid),
                basis="valid votes",
                threshold=Fraction(quota) / Fraction(arith.votes(valid)) if valid else None,
                comparison="above" if strict else "at-least",
                note=f"quota {_text(quota)} votes",
                quota=quota,
            )
        )
        hopeful = [i for i in range(n) if continuing[i]]
        newly = [i for i in hopeful if reached(tally[i])]
        if newly:
            # Only as many as there are seats left; a tie at that cut goes to the tie-break.
            order = count.top(
                {candidates[i]: arith.votes(tally[i]) for i in newly},
                min(len(newly), seats - len(elected)),
                round=number,
                decision="order of election",
                history=history,
            )
            newly = [candidates.index(c) for c in order][: seats - len(elected)]
            for i in newly:
                continuing[i] = False
            elected.extend(newly)
            pending.extend(i for i in newly if tally[i] > quota_scaled)
            count.elect(*(candidates[i] for i in newly), in_result=False)  # the winners join at the end
        hopeful = [i for i in range(n) if continuing[i]]
        if len(elected) >= seats:
            break
        if len(hopeful) <= seats - len(elected):
            if hopeful:
                count.elect(*(candidates[i] for i in hopeful), in_result=False)
                count.note("; the continuing candidates fill the seats left", append=True)
                elected.extend(hopeful)
            break
        history.append(table)
        if pending:
            surpluses = {candidates[i]: arith.votes(tally[i] - quota_scaled) for i in pending}
            (first,) = count.top(surpluses, 1, round=number, decision="transfer surplus first", history=history[:-1])
            source = candidates.index(first)
            pending.remove(source)
            moving = np.flatnonzero(choice == source)
            surplus = tally[source] - quota_scaled
            new_values = arith.scale(surplus, values[moving], tally[source])
            note = f"surplus of {first.name} ({_text(arith.votes(surplus))}) transferred"
            tally[source] = quota_scaled
        else:
            lowest = min(tally[i] for i in hopeful)
            level = [candidates[i] for i in hopeful if tally[i] == lowest]
            (loser,) = count.decide_tie(level, 1, round=number, decision="exclude", favour=False, history=history[:-1])
            source = candidates.index(loser)
            continuing[source] = False
            excluded.add(source)
            moving = np.flatnonzero(choice == source)
            new_values = values[moving]
            surplus = None
            note = f"{loser.name} excluded"
            count.eliminate(loser)
            tally[source] = 0 * arith.one
        new_choice = scan(ballots, moving, continuing, reading)
        moved = _weights(counts[moving], new_values, arith)
        choice[moving] = new_choice
        values[moving] = new_values
        gained = arith.group_sum(new_choice, moved, n)
        tally = tally + gained
        lost = arith.total(moved[new_choice < 0])
        inactive[EXHAUSTED_CODE] = inactive[EXHAUSTED_CODE] + lost
        transfers = [Transfer(candidates[source], candidates[t], arith.votes(gained[t])) for t in range(n) if gained[t]]
        if lost:
            transfers.append(
                Transfer(
                    candidates[source],
                    None,
                    arith.votes(lost),
                    kind="exhausted",
                    reason=INACTIVE_REASONS[EXHAUSTED_CODE],
                )
            )
        if surplus is not None:
            rounding = surplus - arith.total(moved)
            residual = residual + rounding
            if rounding:
                note += f"; {_text(arith.votes(rounding))} lost to rounding (residual surplus)"
                transfers.append(Transfer(candidates[source], None, arith.votes(rounding), kind="residual-surplus"))
        count.transfer(*transfers)
        count.note("; " + note, append=True)
    count.elected.extend(candidates[i] for i in elected)


EXHAUSTED_CODE = next(code for code, name in INACTIVE_REASONS.items() if name == "exhausted choices")


def _weights(counts: Any, values: Any, arith: Arithmetic) -> Any:
    if arith.exact:
        return np.array([int(c) * v for c, v in zip(counts.tolist(), values.tolist(), strict=True)], dtype=object)
    return counts * values


def _set_aside(
    inactive: Mapping[int, Any], residual: Any, arith: Arithmetic, election: Election, counts: Any
) -> dict[str, Any]:
    out = set_aside_of({code: arith.votes(v) for code, v in inactive.items()}, election)
    if residual:
        out["residual surplus"] = arith.votes(residual)
    return out


def _text(votes: Votes | Fraction) -> str:
    """Votes as exact text: a whole number, a terminating decimal, or p/q."""
    value = Fraction(votes)
    whole, rest = divmod(value.numerator, value.denominator)
    if not rest:
        return f"{whole:,}"
    for places in range(1, 13):
        scaled = rest * 10**places
        if scaled % value.denominator == 0:
            return f"{whole:,}.{scaled // value.denominator:0{places}d}"
    return f"{value.numerator}/{value.denominator}"
