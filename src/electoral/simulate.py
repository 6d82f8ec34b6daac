"""Simulations: run rules over elections drawn from preference models, and report rates.

:func:`simulate` draws ``trials`` elections for every model, number of
voters and number of candidates, counts each under every rule, and reports,
for every measure, how often it held, with a Wilson confidence interval.

It runs on any :class:`concurrent.futures.Executor`: a
``ProcessPoolExecutor`` on a laptop, or a Dask cluster through
``distributed.Client(...).get_executor()``, with no other change. The work is
split into tasks of ``chunk`` elections, and each task's random generator is
seeded from one child of ``numpy.random.SeedSequence(seed).spawn(...)``, in a
fixed task order, so the same seed gives the same table serially or in
parallel, on one machine or many.

>>> from electoral.simulate import simulate
>>> table = simulate(["plurality", "contingent"], ["impartial-culture"], voters=[25], candidates=[3],
...                  trials=200, seed=7)
>>> row = table.row(rule="contingent", measure="condorcet-winner-elected")
>>> row.hits <= row.applicable <= row.elections == 200
True
>>> 0 <= row.low <= float(row.rate) <= row.high <= 1
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from fractions import Fraction
from statistics import NormalDist
from typing import Any

import attrs
import numpy as np

from electoral._api import tabulate
from electoral._display import MimeBundleMixin, html_table, text_table
from electoral._model import Election
from electoral._registry import Rule
from electoral._research._simulate_measures import (
    MEASURES,
    Measure,
    Violates,
    condorcet_loser_elected,
    condorcet_winner_elected,
    condorcet_winner_exists,
    decided,
    majority_winner_elected,
    manipulable_by_one_voter,
    violates,
)
from electoral._text import excerpt
from electoral.axioms import RuleLike, rule_instance
from electoral.errors import OptionError
from electoral.generate import MODELS

__all__ = [
    "MEASURES",
    "Measure",
    "Row",
    "Table",
    "Violates",
    "condorcet_loser_elected",
    "condorcet_winner_elected",
    "condorcet_winner_exists",
    "decided",
    "majority_winner_elected",
    "manipulable_by_one_voter",
    "simulate",
    "violates",
    "wilson_interval",
]


def wilson_interval(hits: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``hits/trials`` (Wilson, *JASA* 22, 1927).

    The bounds involve a square root, so they are floats; the rate itself is
    exact (:attr:`Row.rate`). With no trials the interval is (0, 1).

    >>> low, high = wilson_interval(81, 100)
    >>> round(low, 4), round(high, 4)
    (0.7222, 0.8749)
    """
    if not 0 < confidence < 1:
        raise OptionError(f"confidence must be between 0 and 1, not {excerpt(confidence)}")
    if not 0 <= hits <= trials:
        raise OptionError(f"hits must be between 0 and trials ({trials}), not {excerpt(hits)}")
    if trials == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    p = hits / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    # at 0 or all hits the bound is exactly 0 or 1; computed, it would carry rounding error
    low = 0.0 if hits == 0 else max(0.0, centre - half)
    high = 1.0 if hits == trials else min(1.0, centre + half)
    return low, high


@attrs.frozen
class Row:
    """One rate: how often ``measure`` held for ``rule`` on elections from ``model``.

    ``elections`` were drawn; on ``applicable`` of them the measure applied
    (e.g. there was a Condorcet winner), and on ``hits`` of those it held.
    ``rate`` is exact; ``low`` and ``high`` bound it at the table's confidence.
    """

    rule: str
    model: str
    voters: int
    candidates: int
    measure: str
    elections: int
    applicable: int
    hits: int
    low: float
    high: float

    @property
    def rate(self) -> Fraction | None:
        """``hits / applicable``, exactly; None when the measure never applied."""
        return Fraction(self.hits, self.applicable) if self.applicable else None

    def to_dict(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["rate"] = None if self.rate is None else float(self.rate)
        return data


_COLUMNS = (
    "rule",
    "model",
    "voters",
    "candidates",
    "measure",
    "elections",
    "applicable",
    "hits",
    "rate",
    "low",
    "high",
)


@attrs.frozen
class Table(MimeBundleMixin):
    """The rows of a simulation, with the seed and confidence that produced them."""

    rows: tuple[Row, ...]
    seed: int | None
    confidence: float

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def where(self, **equal: Any) -> Table:
        """The rows whose fields equal the given values, e.g. ``where(rule="plurality")``."""
        unknown = set(equal) - {f.name for f in attrs.fields(Row)}
        if unknown:
            raise OptionError(f"rows have no field {excerpt(sorted(unknown)[0])} (fields: {', '.join(_COLUMNS[:8])})")
        kept = tuple(r for r in self.rows if all(getattr(r, k) == v for k, v in equal.items()))
        return attrs.evolve(self, rows=kept)

    def row(self, **equal: Any) -> Row:
        """The one row matching the given values; an error if none or several match."""
        found = self.where(**equal).rows
        if len(found) != 1:
            raise OptionError(f"{len(found)} rows match {excerpt(equal)}; give fields that pick exactly one")
        return found[0]

    def to_dicts(self) -> list[dict[str, Any]]:
        """The rows as plain dicts (``rate`` as a float)."""
        return [r.to_dict() for r in self.rows]

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as error:
            raise ImportError("Table.to_pandas() needs pandas: pip install pandas") from error
        return pd.DataFrame(self.to_dicts(), columns=list(_COLUMNS))

    def _cells(self) -> list[list[str]]:
        cells = []
        for r in self.rows:
            rate = "—" if r.rate is None else f"{float(r.rate):.3f}"
            interval = "" if r.rate is None else f"{r.low:.3f}–{r.high:.3f}"
            cells.append(
                [
                    r.rule,
                    r.model,
                    str(r.voters),
                    str(r.candidates),
                    r.measure,
                    f"{r.hits}/{r.applicable}",
                    rate,
                    interval,
                ]
            )
        return cells

    def _headers(self) -> list[str]:
        return ["rule", "model", "voters", "candidates", "measure", "hits", "rate", f"{self.confidence:.0%} interval"]

    def __str__(self) -> str:
        return text_table(self._headers(), self._cells(), right=[False, False, True, True, False, True, True, True])

    def _html(self) -> str:
        return html_table(self._headers(), self._cells(), caption=f"Simulation (seed {self.seed})")


# -- specifying the study ----------------------------------------------------------


@attrs.frozen
class _ModelSpec:
    label: str
    function: Callable[..., Election]
    parameters: Mapping[str, Any]


def _models(models: Mapping[str, Any] | Iterable[Any]) -> list[_ModelSpec]:
    items: Iterable[tuple[str | None, Any]]
    items = models.items() if isinstance(models, Mapping) else ((None, m) for m in models)
    specs = []
    for label, given in items:
        parameters: Mapping[str, Any] = {}
        target = given
        if isinstance(given, tuple):
            if len(given) != 2 or not isinstance(given[1], Mapping):
                raise OptionError(f"a model given as a tuple is (model, parameters), not {excerpt(given)}")
            target, parameters = given
        if isinstance(target, str):
            if target not in MODELS:
                raise OptionError(f"no preference model is called {excerpt(target)} (models: {', '.join(MODELS)})")
            name, function = target, MODELS[target]
        elif callable(target):
            name, function = getattr(target, "__name__", repr(target)).replace("_", "-"), target
        else:
            raise OptionError(f"a model is a name, a function or (model, parameters), not {excerpt(given)}")
        specs.append(_ModelSpec(label or name, function, dict(parameters)))
    _unique([s.label for s in specs], "model")
    if not specs:
        raise OptionError("simulate() needs at least one model")
    return specs


def _rules(rules: Mapping[str, RuleLike] | Iterable[RuleLike]) -> list[tuple[str, Rule]]:
    items: Iterable[tuple[str | None, RuleLike]]
    items = rules.items() if isinstance(rules, Mapping) else ((None, r) for r in rules)
    out = []
    for label, given in items:
        instance = rule_instance(given)
        out.append((label or instance.info.name, instance))
    _unique([label for label, _ in out], "rule (pass a mapping of labels to rules to compare configurations)")
    if not out:
        raise OptionError("simulate() needs at least one rule")
    return out


def _measures(measures: Mapping[str, Measure] | Iterable[str | Measure]) -> list[tuple[str, Measure]]:
    items: Iterable[tuple[str | None, str | Measure]]
    items = measures.items() if isinstance(measures, Mapping) else ((None, m) for m in measures)
    out = []
    for label, given in items:
        if isinstance(given, str):
            if given not in MEASURES:
                raise OptionError(f"no measure is called {excerpt(given)} (measures: {', '.join(MEASURES)})")
            out.append((label or given, MEASURES[given]))
        elif callable(given):
            default = getattr(given, "__name__", None) or getattr(given, "axiom", None) or repr(given)
            out.append((label or str(default).replace("_", "-"), given))
        else:
            raise OptionError(
                f"a measure is a name or a function (election, result) -> bool | None, not {excerpt(given)}"
            )
    _unique([label for label, _ in out], "measure")
    return out


def _unique(labels: Sequence[str], what: str) -> None:
    seen = set()
    for label in labels:
        if label in seen:
            raise OptionError(f"{what} {excerpt(label)} is given twice")
        seen.add(label)


def _sizes(values: int | Iterable[int], what: str, minimum: int) -> list[int]:
    listed = [values] if isinstance(values, int) else list(values)
    for value in listed:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise OptionError(f"{what} must be whole numbers of at least {minimum}, not {excerpt(value)}")
    if not listed:
        raise OptionError(f"simulate() needs at least one value of {what}")
    return listed


# -- the work -------------------------------------------------------------------------


@attrs.frozen
class _Task:
    model: _ModelSpec
    voters: int
    candidates: int
    trials: int
    seed: np.random.SeedSequence = attrs.field(eq=False)
    rules: tuple[tuple[str, Rule], ...]
    measures: tuple[tuple[str, Measure], ...]


Tally = dict[tuple[str, str], tuple[int, int]]


def _run_task(task: _Task) -> Tally:
    """Draw ``task.trials`` elections and count, per (rule, measure), (applicable, hits)."""
    rng = np.random.default_rng(task.seed)
    tally: Tally = {(r, m): (0, 0) for r, _ in task.rules for m, _ in task.measures}
    for _ in range(task.trials):
        election = task.model.function(task.voters, task.candidates, rng=rng, **task.model.parameters)
        for rule_label, rule in task.rules:
            result = tabulate(election, rule)
            for measure_label, measure in task.measures:
                verdict = measure(election, result)
                if verdict is None:
                    continue
                applicable, hits = tally[rule_label, measure_label]
                tally[rule_label, measure_label] = (applicable + 1, hits + bool(verdict))
    return tally


def simulate(
    rules: Mapping[str, RuleLike] | Iterable[RuleLike],
    models: Mapping[str, Any] | Iterable[Any],
    *,
    voters: int | Iterable[int] = 101,
    candidates: int | Iterable[int] = 3,
    trials: int = 1000,
    measures: Mapping[str, Measure] | Iterable[str | Measure] = ("condorcet-winner-elected",),
    seed: int,
    executor: Executor | None = None,
    chunk: int = 100,
    progress: bool = False,
    confidence: float = 0.95,
) -> Table:
    """Run every rule on ``trials`` elections per model × voters × candidates, and report each measure's rate.

    ``rules``: registered names or configured rules (or a mapping from a
    label to either, to compare configurations of one rule). ``models``:
    names from :data:`electoral.generate.MODELS`, functions
    ``(voters, candidates, *, rng) -> Election``, or ``(model, parameters)``
    pairs; a mapping gives them labels, e.g. ``{"mallows 0.8":
    ("mallows", {"dispersion": 0.8})}``. ``measures``: names from
    :data:`MEASURES` or functions ``(election, result) -> bool | None``.
    Every rule counts the same elections.

    ``executor``: any :class:`concurrent.futures.Executor` (default: run
    here, one task after another). Tasks, their parameters and measures
    must then be picklable. ``progress=True`` shows a tqdm progress bar
    (``pip install tqdm``). ``confidence`` sets the Wilson intervals.
    """
    rule_list = _rules(rules)
    model_list = _models(models)
    measure_list = _measures(measures)
    voter_sizes = _sizes(voters, "voters", 0)
    candidate_sizes = _sizes(candidates, "candidates", 1)
    if not isinstance(trials, int) or isinstance(trials, bool) or trials < 1:
        raise OptionError(f"trials must be a whole number of at least 1, not {excerpt(trials)}")
    if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1:
        raise OptionError(f"chunk must be a whole number of at least 1, not {excerpt(chunk)}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise OptionError(f"confidence must be a number between 0 and 1, not {excerpt(confidence)}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise OptionError(
            f"seed must be an integer, zero or more (numpy's SeedSequence takes no negatives), not {excerpt(seed)}"
        )

    cells = [(m, v, c) for m in model_list for v in voter_sizes for c in candidate_sizes]
    pieces = [min(chunk, trials - start) for start in range(0, trials, chunk)]
    children = iter(np.random.SeedSequence(seed).spawn(len(cells) * len(pieces)))
    tasks = [
        _Task(m, v, c, n, next(children), tuple(rule_list), tuple(measure_list)) for m, v, c in cells for n in pieces
    ]
    outcomes = _execute(tasks, executor, progress)

    rows = []
    for index, (model, v, c) in enumerate(cells):
        parts = outcomes[index * len(pieces) : (index + 1) * len(pieces)]
        for rule_label, _ in rule_list:
            for measure_label, _ in measure_list:
                applicable = sum(p[rule_label, measure_label][0] for p in parts)
                hits = sum(p[rule_label, measure_label][1] for p in parts)
                low, high = wilson_interval(hits, applicable, confidence)
                rows.append(Row(rule_label, model.label, v, c, measure_label, trials, applicable, hits, low, high))
    return Table(tuple(rows), seed, confidence)


def _execute(tasks: list[_Task], executor: Executor | None, progress: bool) -> list[Tally]:
    bar = _progress_bar(len(tasks)) if progress else None
    try:
        if executor is None:
            done = []
            for task in tasks:
                done.append(_run_task(task))
                if bar is not None:
                    bar.update(1)
            return done
        futures: list[Future[Tally]] = [executor.submit(_run_task, task) for task in tasks]
        if bar is not None:
            from concurrent.futures import as_completed

            for _ in as_completed(futures):
                bar.update(1)
        return [f.result() for f in futures]  # in task order, whatever order they finished in
    finally:
        if bar is not None:
            bar.close()


def _progress_bar(total: int) -> Any:
    import importlib

    try:
        auto = importlib.import_module("tqdm.auto")  # an optional extra, without type stubs
    except ImportError as error:
        raise ImportError("simulate(progress=True) needs tqdm: pip install tqdm") from error
    return auto.tqdm(total=total, desc="simulating", unit="task")
