"""The assorters of RAIRE's IRV assertions, read from ballots the way instant-runoff reads them.

An assertion about an IRV contest is turned into an *assorter*: a function
from a ballot to ``0``, ``1/2`` or ``1`` whose mean over all ballots exceeds
``1/2`` exactly when the assertion holds (Stark, "Sets of Half-Average Nulls
Generate Risk-Limiting Audits: SHANGRLA", 2020, section 2.3; Blom, Stuckey
and Teague, "RAIRE: Risk-Limiting Audits for IRV Elections", 2019). The two
kinds, as in SHANGRLA's ``Assertion.make_assertions_from_json``:

- ``NEB(w, l)`` (not eliminated before; SHANGRLA's ``WINNER_ONLY``): ``1``
  for a ballot whose first choice is ``w``, ``0`` for one that would count
  for ``l`` while ``w`` is continuing (it ranks ``l`` above ``w``, or ``l``
  and not ``w``), ``1/2`` otherwise;
- ``NEN(w, l, S)`` (not eliminated next; SHANGRLA's ``IRV_ELIMINATION``
  with ``already_eliminated`` the candidates outside ``S``): ``1`` for a
  ballot that counts for ``w`` when exactly ``S`` is continuing, ``0`` for
  one that counts for ``l``, ``1/2`` otherwise.

"Counts for" is the instant-runoff reading of :func:`electoral._profile._ranked.scan`,
with the rule's overvote, skipped-rank, duplicate and ``max_rankings``
options, so that an audit checks the contest as the jurisdiction counted it
(the reason arlo issue #1788 asks for it). A ballot's first choice is read
with every candidate continuing except the rule's ``excluded``. For ``NEB``,
the ballots that could ever count for ``l`` while ``w`` continues are those
that count for ``l`` when only ``w`` and ``l`` continue: under every reading
option, removing continuing candidates never moves a ballot away from a
candidate it reached (skips and repeats are checked on marks, whoever is
continuing; an overvote is read the same or, under
``exhaust_if_multiple_continuing``, more leniently). For ballots without
overvotes, skips or repeats this is SHANGRLA's ``rcv_lfunc_wo``.

Values are kept doubled (``0``, ``1``, ``2``) as integers, so every sum is exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from electoral._model import Election
from electoral._profile._ranked import Reading, ranked_ballots, scan
from electoral._text import excerpt
from electoral.errors import AuditError, UnknownCandidateError

__all__ = ["NEB", "NEN", "AssertionSpec", "Assorters", "read_assertion"]

NEB: Final = "NEB"
NEN: Final = "NEN"
# SHANGRLA's and raire-rs's names of the two kinds
_ALIASES: Final = {
    "NEB": NEB,
    "WINNER_ONLY": NEB,
    "NOT_ELIMINATED_BEFORE": NEB,
    "NEN": NEN,
    "IRV_ELIMINATION": NEN,
    "NOT_ELIMINATED_NEXT": NEN,
}


@attrs.frozen
class AssertionSpec:
    """One assertion as the audit reads it: its kind, winner, loser and (for ``NEN``) the continuing candidates."""

    kind: str
    winner: str
    loser: str
    continuing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The layout of ``electoral.audit.raire`` assertions: ``continuing`` for ``NEN`` only."""
        data: dict[str, Any] = {"type": self.kind, "winner": self.winner, "loser": self.loser}
        if self.kind == NEN:
            data["continuing"] = list(self.continuing)
        return data

    def __str__(self) -> str:
        if self.kind == NEB:
            return f"{self.winner} NEB {self.loser}"
        return f"{self.winner} NEN {self.loser} | {{{', '.join(self.continuing)}}}"


def _name(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise AuditError(f"{where}: {key!r} must be a candidate's name, not {excerpt(value)}")
    return value


def read_assertion(value: object, names: Sequence[str], where: str = "assertion") -> AssertionSpec:
    """Read an assertion: an object with ``to_dict()``, or a mapping in electoral's or SHANGRLA's layout.

    electoral's layout is ``{"type": "NEB" | "NEN", "winner", "loser",
    "continuing"}``; SHANGRLA's is ``{"assertion_type": "WINNER_ONLY" |
    "IRV_ELIMINATION", "winner", "loser", "already_eliminated"}``. Names
    must be among ``names`` (:class:`~electoral.errors.UnknownCandidateError`).
    """
    if isinstance(value, AssertionSpec):
        data: Any = value.to_dict()
    elif hasattr(value, "to_dict") and callable(value.to_dict):
        data = value.to_dict()
    else:
        data = value
    if not isinstance(data, Mapping):
        raise AuditError(f"{where} must be a mapping or have to_dict(), not {excerpt(value)}")
    raw_kind = data.get("type", data.get("assertion_type"))
    kind = _ALIASES.get(raw_kind) if isinstance(raw_kind, str) else None
    if kind is None:
        raise AuditError(
            f"{where}: the type must be NEB or NEN (or WINNER_ONLY, IRV_ELIMINATION), not {excerpt(raw_kind)}"
        )
    winner, loser = _name(data, "winner", where), _name(data, "loser", where)
    known = set(names)
    continuing: tuple[str, ...] = ()
    if kind == NEN:
        if "continuing" in data:
            continuing = _names(data["continuing"], "continuing", where)
        elif "already_eliminated" in data:
            gone = set(_names(data["already_eliminated"], "already_eliminated", where))
            _check_known(gone, known, where)
            continuing = tuple(n for n in names if n not in gone)
        else:
            raise AuditError(f"{where}: an NEN assertion needs 'continuing' (or SHANGRLA's 'already_eliminated')")
        _check_known(set(continuing), known, where)
        for name in (winner, loser):
            if name not in continuing:
                raise AuditError(f"{where}: {excerpt(name)} must be among the continuing candidates")
    _check_known({winner, loser}, known, where)
    if winner == loser:
        raise AuditError(f"{where}: the winner and the loser are both {excerpt(winner)}")
    return AssertionSpec(kind, winner, loser, continuing)


def _names(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise AuditError(f"{where}: {key!r} must be a list of names, not {excerpt(value)}")
    return tuple(value)


def _check_known(given: set[str], known: set[str], where: str) -> None:
    unknown = sorted(given - known)
    if unknown:
        raise UnknownCandidateError(
            f"{where} names {excerpt(unknown[0])}, which is not a candidate ({excerpt(', '.join(sorted(known)))})"
        )


class Assorters:
    """The doubled assorter values (``0``, ``1``, ``2``) of each unique ballot of an election, per assertion.

    ``election`` holds the unique ballots (each row one ballot as marked);
    ``reading`` and ``excluded`` are the instant-runoff rule's.
    """

    def __init__(self, election: Election, reading: Reading, excluded: Sequence[str] = ()) -> None:
        self._ballots = ranked_ballots(election)
        self._names = election.names
        self._reading = reading
        self._excluded = frozenset(excluded)
        self._rows = np.arange(len(self._ballots.counts), dtype=np.intp)
        self._first: npt.NDArray[np.int32] | None = None

    def _mask(self, names: Sequence[str] | None) -> npt.NDArray[np.bool_]:
        if names is None:
            mask = np.ones(len(self._names), dtype=np.bool_)
        else:
            wanted = set(names)
            mask = np.array([n in wanted for n in self._names], dtype=np.bool_)
        for name in self._excluded:
            mask[self._names.index(name)] = False
        return mask

    def _scan(self, names: Sequence[str] | None) -> npt.NDArray[np.int32]:
        return scan(self._ballots, self._rows, self._mask(names), self._reading)

    def doubled(self, spec: AssertionSpec) -> npt.NDArray[np.int8]:
        """Twice the assorter's value on each unique ballot: ``2`` for the winner's side, ``0`` for the loser's."""
        for name in (spec.winner, spec.loser):
            if name in self._excluded:
                raise AuditError(f"assertion {spec}: {excerpt(name)} is excluded from the count")
        winner, loser = self._names.index(spec.winner), self._names.index(spec.loser)
        values = np.ones(len(self._rows), dtype=np.int8)
        if spec.kind == NEB:
            if self._first is None:
                self._first = self._scan(None)
            values[self._scan((spec.winner, spec.loser)) == loser] = 0
            values[self._first == winner] = 2
        else:
            choice = self._scan(spec.continuing)
            values[choice == loser] = 0
            values[choice == winner] = 2
        return values
