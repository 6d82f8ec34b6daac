"""The ballot-comparison audit step: RAIRE's assertions, the CVRs, a sample of paper ballots, and the risk.

For each assertion with assorter ``A`` (:mod:`electoral.audit._assorters`,
upper bound 1), the reported *assorter margin* over the ``N`` cast vote
records is ``v = 2 mean(A(cvr)) - 1``. A sampled ballot whose CVR says
``A(cvr)`` and whose paper record says ``A(mvr)`` has the overstatement
``omega = A(cvr) - A(mvr)`` and the *comparison assorter* value

    B = (1 - omega) / (2 - v),

in ``[0, 2 / (2 - v)]``; the assertion holds if the mean of ``B`` over all
ballots exceeds 1/2 (Stark, SHANGRLA, 2020, section 3.2; SHANGRLA's
``Assertion.overstatement_assorter`` and ``Assorter.overstatement``). A
sampled ballot whose paper record cannot be found counts as the worst case,
``A(mvr) = 0``, as SHANGRLA treats a phantom paper record. The values of
``B`` in draw order are tested with ALPHA (:mod:`electoral.audit._alpha`),
``N`` being the number of CVRs; the contest's risk is the largest
assertion's. An assertion whose margin on the CVRs is not positive cannot
be confirmed by the CVRs: its risk is 1.

Limits: every ballot has a CVR (no phantom CVRs, no card-style sampling),
the sample is one contest's, drawn uniformly without replacement, and its
order is the draw order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt

from electoral._arith import format_percent
from electoral._display import MimeBundleMixin, html_block, html_table, text_table
from electoral._model import Ballot, Candidate, Election
from electoral._model._notation import parse
from electoral._text import excerpt
from electoral.audit._alpha import AlphaResult, Estimator, alpha_mart
from electoral.audit._assorters import AssertionSpec, Assorters, read_assertion
from electoral.errors import AuditError, BallotError, UnknownCandidateError, UnknownRecordError
from electoral.rules import InstantRunoff
from electoral.rules._options import to_fraction

__all__ = ["AssertionAudit", "ComparisonAudit", "comparison_audit"]

Names = tuple[frozenset[str], ...]


@attrs.frozen
class AssertionAudit:
    """One assertion's audit: its margin on the CVRs, the comparison values of the sample, and the risk.

    ``margin`` is the assorter margin ``v`` over the CVRs and
    ``margin_ballots`` the same in ballots (``v N``); ``upper_bound`` is the
    comparison assorter's ``2 / (2 - v)``; ``values[j]`` and
    ``overstatements[j]`` belong to the ``j``-th draw. ``risk``,
    ``stopped_at`` and ``confirmed`` are as in
    :class:`~electoral.audit.AlphaResult` (``test``).
    """

    assertion: AssertionSpec
    margin: Fraction
    margin_ballots: int
    upper_bound: Fraction
    values: tuple[Fraction, ...]
    overstatements: tuple[Fraction, ...]
    test: AlphaResult | None

    @property
    def risk(self) -> Fraction:
        """The measured risk after the whole sample (1 when the margin on the CVRs is not positive)."""
        return Fraction(1) if self.test is None else self.test.risk

    @property
    def confirmed(self) -> bool:
        """Whether the risk is at most the risk limit, decided exactly."""
        return self.test is not None and self.test.confirmed

    @property
    def stopped_at(self) -> int | None:
        """The first draw after which the risk was at most the risk limit, or None."""
        return None if self.test is None else self.test.stopped_at

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: Fractions as texts like ``"14/55"``."""
        return {
            "assertion": self.assertion.to_dict(),
            "margin": str(self.margin),
            "margin_ballots": self.margin_ballots,
            "upper_bound": str(self.upper_bound),
            "overstatements": [str(o) for o in self.overstatements],
            "risk": str(self.risk),
            "stopped_at": self.stopped_at,
            "confirmed": self.confirmed,
        }


@attrs.frozen
class ComparisonAudit(MimeBundleMixin):
    """The audit step's report: each assertion's audit, and the contest's risk (the largest)."""

    assertions: tuple[AssertionAudit, ...]
    risk_limit: Fraction
    population: int
    sample_size: int

    @property
    def risk(self) -> Fraction:
        """The contest's measured risk: the largest assertion's (1 with no assertion)."""
        return max((a.risk for a in self.assertions), default=Fraction(1))

    @property
    def confirmed(self) -> bool:
        """Whether the audit can stop: every assertion's risk is at most the risk limit."""
        return bool(self.assertions) and all(a.confirmed for a in self.assertions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: Fractions as texts, each assertion's audit as :meth:`AssertionAudit.to_dict`."""
        return {
            "risk_limit": str(self.risk_limit),
            "population": self.population,
            "sample_size": self.sample_size,
            "risk": str(self.risk),
            "confirmed": self.confirmed,
            "assertions": [a.to_dict() for a in self.assertions],
        }

    def _rows(self) -> list[list[str]]:
        return [
            [
                str(a.assertion),
                str(a.margin_ballots),
                str(sum(1 for o in a.overstatements if o > 0)),
                format_percent(a.risk, 4),
                "yes" if a.confirmed else "no",
            ]
            for a in self.assertions
        ]

    _HEADERS: ClassVar[tuple[str, ...]] = ("assertion", "margin", "overstated", "risk %", "confirmed")
    _RIGHT: ClassVar[tuple[bool, ...]] = (False, True, True, True, False)

    def _summary(self) -> str:
        verdict = "the audit can stop" if self.confirmed else "the audit goes on"
        return (
            f"{self.sample_size} of {self.population} ballots sampled; risk {format_percent(self.risk, 4)}% "
            f"against a limit of {format_percent(self.risk_limit, 4)}%: {verdict}"
        )

    def __str__(self) -> str:
        return text_table(self._HEADERS, self._rows(), right=self._RIGHT) + "\n" + self._summary()

    def _html(self) -> str:
        body = html_table(self._HEADERS, self._rows(), right=self._RIGHT) + f"<p>{self._summary()}</p>"
        return html_block("audit", body)


def _ranking(value: object, names: set[str] | None, where: str) -> Names:
    """A ballot's ranks as sets of names: from a Ballot, the ``A>B=C`` notation, or a sequence of ranks."""
    ranks: list[frozenset[str]]
    if isinstance(value, Ballot):
        if value.count != 1:  # a record is one sheet of paper; a count would be silently lost from N
            raise BallotError(f"{where}: a record is one ballot, not a Ballot of count {excerpt(value.count)}")
        if value.scores is not None:
            raise BallotError(f"{where}: a ranked ballot is needed, not the score ballot {excerpt(str(value))}")
        ranks = [frozenset(c.name for c in rank) for rank in value.ranking]
    elif isinstance(value, str):
        kind, marks = parse(value)
        if kind != "ranking":
            raise BallotError(f"{where}: a ranked ballot is needed, not the score ballot {excerpt(value)}")
        ranks = [frozenset(rank) for rank in marks if isinstance(rank, list)]
    elif isinstance(value, Sequence):
        ranks = []
        for rank in value:
            members = [rank] if isinstance(rank, str) else list(rank) if isinstance(rank, Iterable) else [rank]
            if all(isinstance(name, str) for name in members):
                ranks.append(frozenset(members))
            else:
                raise BallotError(f"{where}: a rank is a name or a collection of names, not {excerpt(rank)}")
    else:
        raise BallotError(f"{where}: a ballot is a Ballot, a text like 'A>B' or a list of ranks, not {excerpt(value)}")
    while ranks and not ranks[-1]:
        ranks.pop()  # trailing empty ranks mean nothing (and Ballot drops them)
    if names is not None:
        for rank in ranks:
            unknown = sorted(rank - names)
            if unknown:
                raise UnknownCandidateError(f"{where} marks {excerpt(unknown[0])}, which is not a candidate")
    return tuple(ranks)


class _Ballots:
    """The distinct ballots of the CVRs and the paper records, each a row of one election."""

    def __init__(self, candidates: Sequence[str] | None) -> None:
        if isinstance(candidates, str) or (
            candidates is not None
            and (not isinstance(candidates, Sequence) or not all(isinstance(name, str) for name in candidates))
        ):
            raise AuditError(f"candidates must be a list of names, not {excerpt(candidates)}")
        self._names = None if candidates is None else set(candidates)
        self.candidates: list[str] = [] if candidates is None else list(candidates)
        self._rows: dict[Names, int] = {}
        self._seen: dict[object, int] = {}  # records given as texts or Ballots, read once each

    def row(self, value: object, where: str) -> int:
        if isinstance(value, (str, Ballot)):
            key = value if isinstance(value, str) else (value.ranking, value.scores, value.count)
            known = self._seen.get(key)
            if known is None:
                known = self._seen[key] = self._row(value, where)
            return known
        return self._row(value, where)

    def _row(self, value: object, where: str) -> int:
        ranking = _ranking(value, self._names, where)
        row = self._rows.get(ranking)
        if row is None:
            row = self._rows[ranking] = len(self._rows)
            if self._names is None:
                seen = set(self.candidates)
                for rank in ranking:
                    for name in sorted(rank - seen):
                        self.candidates.append(name)
                        seen.add(name)
        return row

    def election(self) -> Election:
        by_name = {name: Candidate(name) for name in self.candidates}
        ballots = [Ballot([{by_name[n] for n in rank} for rank in ranking]) for ranking in self._rows]
        return Election(list(by_name.values()), ballots)


def _draws(sample: Mapping[object, object] | Iterable[tuple[object, object]]) -> list[tuple[object, object]]:
    pairs = list(sample.items()) if isinstance(sample, Mapping) else list(sample)
    seen: set[object] = set()
    for index, pair in enumerate(pairs, start=1):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise AuditError(f"draw {index} of the sample must be an (id, paper record) pair, not {excerpt(pair)}")
        try:
            hash(pair[0])
        except TypeError:
            raise AuditError(f"draw {index}: a ballot id must be hashable, not {excerpt(pair[0])}") from None
        if pair[0] in seen:
            raise AuditError(
                f"ballot {excerpt(pair[0])} is drawn twice (draw {index}), but the sample is without replacement"
            )
        seen.add(pair[0])
    return pairs


def comparison_audit(
    assertions: Iterable[object],
    cvrs: Mapping[object, object],
    sample: Mapping[object, object] | Iterable[tuple[object, object]],
    *,
    risk_limit: Fraction | str | int = "5%",
    candidates: Sequence[str] | None = None,
    estimator: Estimator | None = None,
    **instant_runoff_options: Any,
) -> ComparisonAudit:
    """Measure the risk of a ballot-comparison audit of an IRV contest's assertions.

    ``assertions``: RAIRE assertions (objects with ``to_dict()``, or
    mappings, see :func:`~electoral.audit._assorters.read_assertion`).
    ``cvrs``: each ballot's id and its cast vote record. ``sample``: the
    drawn ballots in draw order, as ``(id, paper record)`` pairs or a
    mapping; a paper record of ``None`` is a ballot that was not found.
    Records are :class:`~electoral.Ballot` objects, texts like ``"A>B=C"``
    or lists of ranks (a name, or a collection of names; empty for a
    skipped rank). ``candidates`` defaults to the names the records mark.
    ``instant_runoff_options`` are :class:`~electoral.rules.InstantRunoff`'s
    (``overvote_rule``, ``max_skipped_ranks``, ...), which say how a ballot
    is read. ``estimator`` defaults to SHANGRLA's shrink-trunc
    (:class:`~electoral.audit.ShrinkTrunc`); :class:`~electoral.audit.OptimalComparison` is the other.

    >>> cvrs = {1: "A>B", 2: "A", 3: "B>A", 4: "A>C", 5: "C>A"}
    >>> audit = comparison_audit([{"type": "NEB", "winner": "A", "loser": "B"}], cvrs, {1: "A>B", 4: "A>C"})
    >>> audit.assertions[0].margin, audit.confirmed
    (Fraction(2, 5), False)
    """
    limit = to_fraction(risk_limit)
    if not 0 < limit < 1:
        raise AuditError(f"the risk limit must lie strictly between 0 and 1, not {excerpt(risk_limit)}")
    rule = InstantRunoff.from_options(**instant_runoff_options)
    if not isinstance(cvrs, Mapping) or not cvrs:
        raise AuditError(f"the CVRs must be a non-empty mapping of ballot ids to records, not {excerpt(cvrs)}")
    ballots = _Ballots(candidates)
    cvr_rows = np.fromiter(
        (ballots.row(record, f"CVR {excerpt(key)}") for key, record in cvrs.items()), dtype=np.intp, count=len(cvrs)
    )
    where = {key: i for i, key in enumerate(cvrs)}
    draws: list[tuple[int, int | None]] = []
    for key, record in _draws(sample):
        if key not in where:
            raise UnknownRecordError(f"sampled ballot {excerpt(key)} has no cast vote record")
        paper = None if record is None else ballots.row(record, f"paper record {excerpt(key)}")
        draws.append((int(cvr_rows[where[key]]), paper))
    election = ballots.election()
    specs = [read_assertion(a, election.names, f"assertion {i}") for i, a in enumerate(assertions, start=1)]
    if not specs:
        raise AuditError("there is no assertion to audit")
    rule._check_names(election)
    assorters = Assorters(election, rule.reading, rule.excluded)
    audits = tuple(_audit(spec, assorters.doubled(spec), cvr_rows, draws, limit, estimator) for spec in specs)
    return ComparisonAudit(assertions=audits, risk_limit=limit, population=len(cvrs), sample_size=len(draws))


def _audit(
    spec: AssertionSpec,
    doubled: npt.NDArray[np.int8],
    cvr_rows: npt.NDArray[np.intp],
    draws: list[tuple[int, int | None]],
    limit: Fraction,
    estimator: Estimator | None,
) -> AssertionAudit:
    n = len(cvr_rows)
    total = int(doubled[cvr_rows].sum(dtype=np.int64))  # twice the assorter's sum over the CVRs
    margin = Fraction(total - n, n)
    # B = (1 - omega) / (2 - v), with omega = (2A(cvr) - 2A(mvr)) / 2, is N (2 - 2A(cvr) + 2A(mvr)) / (2 (3N - total))
    scale = Fraction(n, 2 * (3 * n - total))
    overstatements = []
    values = []
    for cvr, paper in draws:
        claimed = int(doubled[cvr])
        found = 0 if paper is None else int(doubled[paper])
        overstatements.append(Fraction(claimed - found, 2))
        values.append(scale * (2 - claimed + found))
    upper = 4 * scale
    test = None
    if margin > 0:
        test = alpha_mart(values, population=n, u=upper, risk_limit=limit, estimator=estimator)
    return AssertionAudit(
        assertion=spec,
        margin=margin,
        margin_ballots=total - n,
        upper_bound=upper,
        values=tuple(values),
        overstatements=tuple(overstatements),
        test=test,
    )
