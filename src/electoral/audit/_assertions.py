"""RAIRE's assertions and the set of them that confirms an instant-runoff winner.

The two kinds are those of Blom, Stuckey and Teague, "RAIRE: Risk-limiting
audits for IRV elections" (2019, arXiv:1903.08804), section 3 (there called
"winner-only" and "IRV" assertions; raire-rs names them NEB and NEN):

- ``NEB(w, l)``, *not eliminated before*: ``w``'s first preferences exceed
  the ballots that would count for ``l`` with only ``w`` and ``l``
  continuing (those ranking ``l`` above ``w``, or ``l`` and not ``w``). Then
  ``w`` always out-polls ``l`` while both continue, so ``w`` is never
  eliminated while ``l`` continues.
- ``NEN(w, l, S)``, *not eliminated next*: with exactly the candidates ``S``
  continuing, ``w`` has more votes than ``l``, so ``w`` is not the next
  candidate eliminated.

An elimination order lists the candidates in the order they leave, the
winner last. ``NEB(w, l)`` rules out the orders in which ``w`` leaves before
``l``; ``NEN(w, l, S)`` those whose last ``len(S)`` candidates are ``S``
with ``w`` the first of them to leave.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from electoral._model import Candidate
from electoral._text import excerpt
from electoral.audit._difficulty import AuditKind, asn
from electoral.errors import OptionError

__all__ = ["Assertion", "AssertionSet"]

Kind = Literal["NEB", "NEN"]
Layout = Literal["electoral", "raire-rs", "shangrla"]


@attrs.frozen(kw_only=True)
class Assertion:
    """One RAIRE assertion, with the tallies it compares (exact) and its estimated difficulty."""

    kind: Kind
    winner: Candidate
    loser: Candidate
    #: the continuing candidates of an NEN assertion, in the election's order (empty for NEB)
    continuing: tuple[Candidate, ...] = ()
    #: for NEB, the winner's first preferences; for NEN, the winner's votes with ``continuing``
    winner_tally: int
    #: for NEB, the loser's votes with only the two continuing; for NEN, the loser's with ``continuing``
    loser_tally: int
    #: the expected sample size (for the audit kind of the set that holds it)
    difficulty: float

    @property
    def margin(self) -> int:
        """The winner's tally less the loser's, in ballots (positive when the assertion holds)."""
        return self.winner_tally - self.loser_tally

    def rules_out(self, order: Sequence[Candidate]) -> bool:
        """Whether the assertion contradicts the elimination ``order`` (first eliminated first, winner last).

        NEB(w, l) contradicts the orders in which ``w`` leaves before ``l``; NEN(w, l, S) those in which,
        with exactly ``S`` left, ``w`` is the next to leave.
        """
        if self.winner not in order or self.loser not in order:
            return False
        if self.kind == "NEN":
            tail = order[len(order) - len(self.continuing) :]
            return set(tail) == set(self.continuing) and tail[0] == self.winner
        return order.index(self.winner) < order.index(self.loser)

    def to_dict(self) -> dict[str, Any]:
        """``{"type", "winner", "loser"}`` by name, with ``"continuing"`` for NEN."""
        out: dict[str, Any] = {"type": self.kind, "winner": self.winner.name, "loser": self.loser.name}
        if self.kind == "NEN":
            out["continuing"] = [c.name for c in self.continuing]
        return out

    def describe(self) -> str:
        """The assertion in words, e.g. "A is not eliminated before B"."""
        if self.kind == "NEB":
            return f"{self.winner.name} is not eliminated before {self.loser.name}"
        names = ", ".join(c.name for c in self.continuing)
        return f"{self.winner.name} is not eliminated next with {{{names}}} continuing (beats {self.loser.name})"


@attrs.frozen(kw_only=True)
class AssertionSet:
    """Assertions that together rule out every elimination order in which ``winner`` does not win.

    ``ballots`` is the number of auditable ballots ``N`` the difficulties are
    taken over; ``audit``, ``risk_limit`` and ``error_inflation`` are those
    the search optimised for (see :mod:`electoral.audit._difficulty`).
    """

    candidates: tuple[Candidate, ...]
    winner: Candidate
    assertions: tuple[Assertion, ...]
    ballots: int
    audit: AuditKind
    risk_limit: float
    error_inflation: float
    title: str = ""

    @property
    def difficulty(self) -> float:
        """The set's expected sample size: its hardest assertion's (all are tested on one sample)."""
        return max((a.difficulty for a in self.assertions), default=0.0)

    @property
    def margin(self) -> int | None:
        """The smallest margin of any assertion, in ballots (None for an empty set)."""
        return min((a.margin for a in self.assertions), default=None)

    def expected_sample(
        self, audit: AuditKind, *, risk_limit: float | None = None, error_inflation: float | None = None
    ) -> float:
        """The set's expected sample size for another audit kind or risk limit (the hardest assertion's)."""
        alpha = self.risk_limit if risk_limit is None else risk_limit
        gamma = self.error_inflation if error_inflation is None else error_inflation
        sizes = [
            asn(audit, a.winner_tally, a.loser_tally, self.ballots, risk_limit=alpha, error_inflation=gamma)
            for a in self.assertions
        ]
        return max(sizes, default=0.0)

    def rules_out(self, order: Sequence[Candidate]) -> bool:
        """Whether some assertion contradicts the elimination ``order``."""
        return any(a.rules_out(order) for a in self.assertions)

    def to_dict(self) -> dict[str, Any]:
        """This library's JSON form: the winner, the audit settings and each assertion with margin and difficulty."""
        return {
            "winner": self.winner.name,
            "ballots": self.ballots,
            "audit": self.audit,
            "risk_limit": self.risk_limit,
            "error_inflation": self.error_inflation,
            "difficulty": _finite(self.difficulty),
            "margin": self.margin,
            "expected_sample": {
                "ballot-polling": _finite(self.expected_sample("polling")),
                "ballot-comparison": _finite(self.expected_sample("comparison")),
            },
            "assertions": [
                {**a.to_dict(), "margin": a.margin, "difficulty": _finite(a.difficulty)} for a in self.assertions
            ],
        }

    def to_raire_rs(self) -> dict[str, Any]:
        """The layout of raire-rs's solution files (``RaireSolution``): candidates by index, names in metadata."""
        index = {c: i for i, c in enumerate(self.candidates)}
        rows = []
        for a in self.assertions:
            body: dict[str, Any] = {"type": a.kind, "winner": index[a.winner], "loser": index[a.loser]}
            if a.kind == "NEN":
                body["continuing"] = sorted(index[c] for c in a.continuing)
            rows.append({"assertion": body, "margin": a.margin, "difficulty": _finite(a.difficulty)})
        metadata: dict[str, Any] = {"candidates": [c.name for c in self.candidates]}
        if self.title:
            metadata["contest"] = self.title
        return {
            "metadata": metadata,
            "solution": {
                "Ok": {
                    "assertions": rows,
                    "difficulty": _finite(self.difficulty),
                    "margin": self.margin,
                    "winner": index[self.winner],
                    "num_candidates": len(self.candidates),
                }
            },
        }

    def to_shangrla(self, contest: str = "1") -> dict[str, Any]:
        """The layout of the RAIRE assertion files SHANGRLA reads (``Assertion.make_assertions_from_json``).

        NEB is ``"WINNER_ONLY"``; NEN is ``"IRV_ELIMINATION"`` with the
        candidates not continuing as ``already_eliminated``. Candidates are
        named, as in SHANGRLA's own examples' identifiers.
        """
        rows: list[dict[str, Any]] = []
        for a in self.assertions:
            if a.kind == "NEB":
                rows.append(
                    {
                        "winner": a.winner.name,
                        "loser": a.loser.name,
                        "already_eliminated": "",
                        "assertion_type": "WINNER_ONLY",
                        "explanation": f"Rules out case where {a.winner.name} is eliminated before {a.loser.name}",
                    }
                )
            else:
                rows.append(
                    {
                        "winner": a.winner.name,
                        "loser": a.loser.name,
                        "already_eliminated": [c.name for c in self.candidates if c not in a.continuing],
                        "assertion_type": "IRV_ELIMINATION",
                        "explanation": f"Rules out outcomes with tail [... {a.winner.name} {a.loser.name}]"
                        if len(a.continuing) == 2
                        else f"Rules out {a.winner.name} eliminated next among {len(a.continuing)} continuing",
                    }
                )
        polls = self.expected_sample("polling")
        expected = str(round(polls)) if polls != float("inf") else "inf"
        share = str(round(100 * polls / self.ballots)) if self.ballots and polls != float("inf") else "inf"
        return {
            "Overall Expected Polls (#)": expected,
            "Ballots involved in audit (#)": str(self.ballots),
            "parameters": {"risk_limit": str(self.risk_limit)},
            "audits": [
                {
                    "contest": contest,
                    "winner": self.winner.name,
                    "eliminated": [c.name for c in self.candidates if c != self.winner],
                    "Expected Polls (#)": expected,
                    "Expected Polls (%)": share,
                    "assertions": rows,
                }
            ],
        }

    def to_json(self, layout: Layout = "electoral", *, indent: int | None = 2) -> str:
        """The set as JSON text in ``layout``: ``"electoral"`` (:meth:`to_dict`), ``"raire-rs"`` or ``"shangrla"``."""
        makers = {"electoral": self.to_dict, "raire-rs": self.to_raire_rs, "shangrla": self.to_shangrla}
        if layout not in makers:
            raise OptionError(f"layout must be one of {', '.join(makers)}, not {excerpt(layout)}")
        data = makers[layout]()
        return json.dumps(data, indent=indent, ensure_ascii=False)

    def __str__(self) -> str:
        lines = [
            f"RAIRE assertions for {self.winner.name}: {len(self.assertions)}, smallest margin {self.margin},"
            f" {self.audit} difficulty {self.difficulty:.4g}"
        ]
        for a in self.assertions:
            lines.append(f"  {a.kind} {a.describe()}: margin {a.margin:,}, difficulty {a.difficulty:.4g}")
        return "\n".join(lines)


def _finite(value: float) -> float | None:
    """JSON has no infinity: an impossible difficulty is written as null."""
    return None if value == float("inf") else value
