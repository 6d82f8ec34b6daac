"""What every rule shares: options, tie handling, and turning a count into a :class:`Result`.

A rule subclasses :class:`RuleBase` (a frozen attrs class configured by
keyword options) and implements ``_count(election, count)``, which records
rounds and decisions on the :class:`Count` it is given. The base class runs
the count once, or once per resolution of the ties under
``tie_break="all"``, and builds the result.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Any, ClassVar, TypeVar, cast

import attrs

from electoral._frozen import FrozenMap
from electoral._model import ArrayBallots, Candidate, Election
from electoral._profile._build import EMPTY, SEVERAL, profile_of
from electoral._registry import RuleInfo
from electoral._result import Result, Round, Status, TieRecord, Transfer
from electoral._text import did_you_mean, excerpt
from electoral._ties._cut import top_with_cut
from electoral._ties._engine import (
    OpenTie,
    Search,
    TieBreak,
    TieResolver,
    check_seed,
    every_universe,
    to_tie_break,
)
from electoral.errors import ElectoralError, MarkError, OptionError, SeatsError
from electoral.rules._options import to_optional_int

__all__ = ["Count", "Counter", "RuleBase", "first_preference_count"]

Votes = int | Fraction
R = TypeVar("R", bound="RuleBase")
_COMPARISONS = ("above", "at-least", "plus-one")
Counter = Callable[[Election, "Count"], None]  # what counts an election into a Count (a rule's _count, by default)

#: What an unknown ``seats`` option adds: no rule has one, since the seats are the election's.
SEATS_HINT = "; the seats are the election's: Election.with_seats(n), or --seats N on the command line"


def first_preference_count(election: Election) -> tuple[dict[Candidate, int], dict[str, int]]:
    """Each candidate's first-preference votes, and the ballots that count for nobody, by reason.

    A ballot counts for its first marked rank. ``"blank"`` holds ballots that
    mark nobody plus the election's ``blank`` count, ``"invalid"`` the
    election's ``invalid`` count, and ``"overvote"`` ballots whose first
    marked rank holds several candidates. Reasons with no ballots are left out.
    """
    profile = profile_of(election)
    first = profile.first_preferences()
    tally = dict(zip(election.candidates, profile.tally(first), strict=True))
    reasons = (
        ("blank", profile.weight(first == EMPTY) + election.blank),
        ("invalid", election.invalid),
        ("overvote", profile.weight(first == SEVERAL)),
    )
    return tally, {reason: n for reason, n in reasons if n}


class Count:
    """The working state of one count: what a rule's ``_count`` writes its rounds and decisions into.

    A rule records each round with :meth:`add_round`, then what was decided
    in it with :meth:`elect`, :meth:`eliminate`, :meth:`advance`,
    :meth:`transfer`, :meth:`set_aside`, :meth:`set_threshold` and
    :meth:`note`. Each of these changes the latest round (rounds are frozen
    values, so the round is replaced) and returns the new round. Ties are
    reached through :meth:`top` (the leaders of a tally, a tie at the cut
    broken by the rule's ``tie_break``) or :meth:`decide_tie`; either records
    the tie in the result, and a tie the policy leaves open stops the count
    with status ``"tied"``.

    What the result is built from: :attr:`rounds`; :attr:`elected` (the
    winners, in order of election); :attr:`advancing` (who goes on beyond
    this count, e.g. to a runoff); :attr:`status`; :attr:`seats` (seats per
    party, for apportionment); :attr:`pairwise` (the pairwise matrix, for
    rules that count from one). The library creates the Count; a rule never
    builds one.
    """

    def __init__(self, election: Election, resolver: TieResolver) -> None:
        self.election = election
        self.resolver = resolver  # private to the library: rules reach ties through top() and decide_tie()
        self.rounds: list[Round] = []
        self.elected: list[Candidate] = []
        self.advancing: list[Candidate] = []
        self.status: Status = "decided"
        self.seats: dict[Candidate, int] | None = None
        self.pairwise: Any = None  # the pairwise matrix, for rules that count from one

    @property
    def exploring(self) -> bool:
        """Whether this run is part of a ``tie_break="all"`` search that merges states (see :meth:`checkpoint`)."""
        return self.resolver.search is not None

    def checkpoint(self, state: Hashable) -> None:
        """Say, at the start of a round, that ``state`` determines the rest of the count.

        Under ``tie_break="all"`` a run that reaches a state already explored
        stops here and takes that state's outcomes (see :mod:`electoral._ties`).
        What the count has decided so far is part of the state without being
        named. Counts call it only when :attr:`exploring`, so that building
        the state costs nothing otherwise.
        """
        seats = None if self.seats is None else tuple(self.seats.items())
        key = (state, tuple(self.elected), tuple(self.advancing), self.status, seats)
        self.resolver.checkpoint(lambda: key)

    # -- recording rounds and decisions ---------------------------------------------

    def add_round(self, round: Round) -> Round:
        """Record ``round`` as the latest round of the count; the decisions that follow apply to it."""
        if not isinstance(round, Round):
            raise ElectoralError(f"add_round() records a Round, not {excerpt(round)}")
        self.rounds.append(round)
        return round

    def elect(self, *candidates: Candidate, note: str | None = None, in_result: bool = True) -> Round:
        """Record ``candidates`` as elected in the latest round, after any already elected in it.

        With ``in_result`` (the default) they also join the count's winners
        (:attr:`elected`, the result's ``winners``), once each: a candidate
        already among them is not added again. A rule that names its winners
        only at the end of the count passes ``in_result=False`` and adds
        them to :attr:`elected` itself. ``note``, if given, replaces the
        round's note.
        """
        chosen = _candidates("elect", candidates)
        latest = self._latest("elect")
        if in_result:
            self.elected.extend(c for c in dict.fromkeys(chosen) if c not in self.elected)
        return self._change(latest.elected + chosen, "elected", note)

    def eliminate(self, *candidates: Candidate, note: str | None = None) -> Round:
        """Record ``candidates`` as eliminated (excluded) in the latest round, after any already there.

        ``note``, if given, replaces the round's note.
        """
        chosen = _candidates("eliminate", candidates)
        return self._change(self._latest("eliminate").eliminated + chosen, "eliminated", note)

    def advance(self, *candidates: Candidate, note: str | None = None, in_result: bool = True) -> Round:
        """Record ``candidates`` as advancing from the latest round (to a later round or a runoff).

        With ``in_result`` (the default) they also join :attr:`advancing`,
        the result's ``advancing``; a rule whose finalists meet in a round of
        this same count, and so are not news in the result, passes
        ``in_result=False``. ``note``, if given, replaces the round's note.
        """
        chosen = _candidates("advance", candidates)
        latest = self._latest("advance")
        if in_result:
            self.advancing.extend(c for c in dict.fromkeys(chosen) if c not in self.advancing)
        return self._change(latest.advancing + chosen, "advancing", note)

    def transfer(self, *transfers: Transfer, note: str | None = None) -> Round:
        """Record ``transfers`` (votes moving between candidates, or to no one) in the latest round.

        They are added after any transfers already recorded in the round. The
        round's tally is not changed: a rule records the tallies the
        transfers lead to in the next round. ``note``, if given, replaces the
        round's note.
        """
        for item in transfers:
            if not isinstance(item, Transfer):
                raise ElectoralError(f"transfer() records Transfer values, not {excerpt(item)}")
        return self._change(self._latest("transfer").transfers + transfers, "transfers", note)

    def set_aside(self, reason: str, votes: Votes) -> Round:
        """Record ``votes`` set aside for ``reason`` in the latest round (e.g. ``"exhausted"``).

        The votes are added to any already set aside for that reason (a
        reason recorded with 0 votes is shown with 0). The round's
        ``continuing`` figure is not changed: a rule that moves votes out of
        the count gives both figures when it builds the round.
        """
        if not isinstance(reason, str) or not reason:
            raise ElectoralError(f"set_aside() takes a reason in words, not {excerpt(reason)}")
        if isinstance(votes, bool) or not isinstance(votes, (int, Fraction)):
            raise ElectoralError(f"set_aside() takes votes as an int or Fraction, not {excerpt(votes)}")
        latest = self._latest("set_aside")
        set_aside = {**latest.set_aside, reason: latest.set_aside.get(reason, 0) + votes}
        return self._replace(set_aside=set_aside)

    def set_threshold(self, threshold: Fraction, comparison: str) -> Round:
        """Record the share of the round's denominator a candidate had to pass in the latest round.

        ``comparison`` says how: ``"above"`` (strictly more than the share),
        ``"at-least"``, or ``"plus-one"`` (at least the share plus one vote).
        """
        if comparison not in _COMPARISONS:
            raise ElectoralError(f"comparison must be one of {', '.join(_COMPARISONS)}, not {excerpt(comparison)}")
        return self._replace(threshold=threshold, comparison=comparison)

    def note(self, text: str, *, append: bool = False) -> Round:
        """Set the latest round's note (its explanation in words) to ``text``.

        With ``append``, ``text`` is added to the end of the note as it is:
        the caller gives any separator (``"; ..."``).
        """
        if not isinstance(text, str):
            raise ElectoralError(f"note() takes text, not {excerpt(text)}")
        return self._replace(note=self._latest("note").note + text if append else text)

    def _latest(self, operation: str) -> Round:
        if not self.rounds:
            raise ElectoralError(f"{operation}() records on the latest round, but no round was added (add_round)")
        return self.rounds[-1]

    def _change(self, value: tuple[Candidate, ...] | tuple[Transfer, ...], field: str, note: str | None) -> Round:
        changes: dict[str, Any] = {field: value}
        if note is not None:
            changes["note"] = note
        return self._replace(**changes)

    def _replace(self, **changes: Any) -> Round:
        """The low-level step every operation shares: replace the latest round with ``changes`` made."""
        self.rounds[-1] = attrs.evolve(self._latest("record"), **changes)
        return self.rounds[-1]

    # -- ties ---------------------------------------------------------------------

    def decide_tie(
        self,
        tied: Iterable[Candidate],
        places: int,
        *,
        round: int,
        decision: str,
        favour: bool = True,
        history: list[Mapping[Candidate, Votes]] | None = None,
    ) -> tuple[Candidate, ...]:
        """Pick ``places`` of the ``tied`` candidates for ``decision``, by the rule's ``tie_break``.

        ``favour`` is true when being picked is good (elected, advancing) and
        false when it is bad (eliminated). ``history`` is the tallies of the
        earlier rounds (by default, the rounds recorded before ``round``),
        which ``"previous-rounds"`` reads. The tie is recorded in the result
        (as a :class:`~electoral.TieRecord`); when the policy leaves it open
        the count stops there, with status ``"tied"``. Candidates come back
        in the election's order.
        """
        return self.resolver.choose(
            tied,
            places,
            round=round,
            decision=decision,
            favour=favour,
            history=self.history(round) if history is None else history,
        )

    def settled_tie(
        self,
        tied: Iterable[Candidate],
        places: int,
        chosen: Iterable[Candidate],
        *,
        round: int,
        decision: str,
        rule: str,
        detail: str = "",
    ) -> None:
        """Record a tie that the rule's statute settled itself (``rule`` says how, e.g. "most votes").

        The tie appears in the result's ties like any other, with ``rule`` as
        its policy; the rule's ``tie_break`` is not consulted.
        """
        self.resolver.settled(tied, places, chosen, round=round, decision=decision, rule=rule, detail=detail)

    @property
    def ties_recorded(self) -> int:
        """How many ties are recorded so far."""
        return len(self.resolver.records)

    def history(self, before: int) -> list[Mapping[Candidate, Votes]]:
        """The tallies of the rounds numbered below ``before``, oldest first."""
        return [r.tally for r in self.rounds if r.number < before]

    def top(
        self,
        tally: Mapping[Candidate, Votes],
        places: int,
        *,
        round: int,
        decision: str,
        among: Iterable[Candidate] | None = None,
        history: list[Mapping[Candidate, Votes]] | None = None,
    ) -> tuple[Candidate, ...]:
        """The ``places`` candidates with most votes, breaking a tie at the cut by the policy.

        The cut is found by :func:`~electoral._ties._cut.top_with_cut`.
        Candidates are returned from most to fewest votes. ``history`` is the
        tallies of earlier rounds (by default, the rounds recorded so far).
        """
        cut = top_with_cut(tally, places, among=tally if among is None else among)
        if not cut.is_tie:
            return cut.sure
        chosen = self.resolver.choose(
            cut.tied,
            cut.places,
            round=round,
            decision=decision,
            favour=True,
            history=self.history(round) if history is None else history,
        )
        taken = set(chosen)
        return cut.sure + tuple(c for c in cut.tied if c in taken)


def _candidates(operation: str, candidates: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    for candidate in candidates:
        if not isinstance(candidate, Candidate):
            raise ElectoralError(f"{operation}() takes candidates of the election, not {excerpt(candidate)}")
    return candidates


def _seed(value: int | str | None) -> int | None:
    seed = to_optional_int(value)
    return None if seed is None else check_seed(seed)


@attrs.frozen(kw_only=True)
class RuleBase:
    """The base of every built-in rule, and of a third-party rule that wants the same machinery.

    A rule is a frozen attrs class (``@attrs.frozen(kw_only=True)``) whose
    fields are its options. It declares ``info: ClassVar[RuleInfo]`` and
    implements ``_count(self, election, count)``, which records rounds and
    decisions on the :class:`Count` it is given. The base class provides the
    rest of the :class:`~electoral.rules.Rule` protocol: :meth:`from_options`
    (how :func:`~electoral.tabulate` builds a rule from its name),
    :meth:`with_options`, :meth:`to_dict`, the check of the election against
    ``info``, and :meth:`tabulate`, which runs ``_count`` once, or once per
    resolution of the ties under ``tie_break="all"``, and builds the result.

    Options common to all rules:

    - ``tie_break``: a :class:`~electoral.TieBreak` or its shorthand
      (``"stop"``, ``"all"``, ``"lot"``, ``"previous-rounds"``,
      ``"previous-rounds+lot"``, or a list of names from most favoured).
    - ``seed``: the integer seed for lots, required when lots are drawn.
    """

    info: ClassVar[RuleInfo]
    _extra_options: ClassVar[tuple[str, ...]] = ()  # options from_options takes that are not fields

    tie_break: TieBreak = attrs.field(default=TieBreak("stop"), converter=to_tie_break)
    seed: int | None = attrs.field(default=None, converter=_seed)

    def __attrs_post_init__(self) -> None:
        if self.tie_break.needs_seed and self.seed is None and not self._lots_may_wait_for_seed():
            raise OptionError(f"tie_break {excerpt(str(self.tie_break))} needs an integer seed, e.g. seed=2024")

    def _lots_may_wait_for_seed(self) -> bool:
        """Whether a missing seed is allowed until a tie actually needs lots.

        A user who asks for lots must give a seed at once; a statute's preset
        that prescribes lots leaves a tie open (status "tied") if one happens
        and no seed was given, rather than refusing every count.
        """
        return False

    # -- configuration ------------------------------------------------------------

    @classmethod
    def from_options(cls: type[R], **options: Any) -> R:
        """Build the rule from keyword options (typed values or their text forms)."""
        known = {a.alias for a in attrs.fields(cls)} | set(cls._extra_options)
        for key in options:
            if key not in known:
                hint = SEATS_HINT if key == "seats" else did_you_mean(key, sorted(known))
                raise OptionError(
                    f"rule {excerpt(cls.info.name)} has no option {excerpt(key)}{hint}"
                    f" (options: {', '.join(sorted(known))})"
                )
        fields = {a.alias: a for a in attrs.fields(cls)}
        for key, value in options.items():
            converter = getattr(fields.get(key), "converter", None)
            if callable(converter):
                try:
                    converter(value)
                except OptionError as error:
                    raise OptionError(
                        f"rule {excerpt(cls.info.name)}, option {key}={excerpt(value)}: {error}"
                    ) from None
        try:
            return cls(**options)
        except OptionError as error:
            if type(error) is not OptionError:
                raise  # a rule's own subclass of OptionError reaches the caller as it is
            raise OptionError(f"rule {excerpt(cls.info.name)}: {error}") from None

    def with_options(self: R, **options: Any) -> R:
        """Return this rule with some options changed."""
        return type(self).from_options(**{**self.options(), **options})

    def options(self) -> dict[str, Any]:
        """The rule's options, as given to its constructor."""
        return {a.alias: getattr(self, a.name) for a in attrs.fields(type(self))}

    def to_dict(self) -> dict[str, Any]:
        """The rule's name and options in a JSON-ready form."""
        return {"name": self.info.name, "options": {k: _jsonable(v) for k, v in self.options().items()}}

    # -- counting -------------------------------------------------------------------

    def tabulate(self, election: Election, /) -> Result:
        """Count ``election`` under this rule."""
        return self._tabulate(election)

    def _tabulate(self, election: Election, counter: Counter | None = None) -> Result:
        """Check ``election``, count it (once per resolution of the ties under ``"all"``) and build the result.

        ``counter`` counts into a :class:`Count`; by default :meth:`_count`. A
        rule whose ``tabulate`` takes more than the election (the two-round
        rule's ``runoff``) passes a counter that hands them on explicitly.
        """
        self._check_election(election)
        if self.tie_break.policy == "all":
            return self._tabulate_all(election, counter)
        count = self._run(election, TieResolver(self.tie_break, self.seed, election.candidates), counter)
        return self._result(election, count, tuple(count.resolver.records))

    def _count(self, election: Election, count: Count, /) -> None:
        """Count ``election``: record its rounds and decisions on ``count`` (what every rule implements)."""
        raise NotImplementedError

    def _run(self, election: Election, resolver: TieResolver, counter: Counter | None = None) -> Count:
        count = Count(election, resolver)
        try:
            (counter or self._count)(election, count)
        except OpenTie:
            count.status = "tied"
        return count

    def _result(
        self, election: Election, count: Count, ties: tuple[TieRecord, ...], explored: tuple[int, int] | None = None
    ) -> Result:
        """The result of ``count``; ``explored`` is, under ``"all"``, the resolutions followed and outcomes found."""
        return Result(
            rule=self,
            election=election,
            winners=tuple(count.elected),
            status=count.status,
            rounds=tuple(count.rounds),
            ties=ties,
            advancing=tuple(count.advancing),
            seats=None if count.seats is None else FrozenMap(count.seats),
            pairwise=count.pairwise,
            resolutions=None if explored is None else explored[0],
            outcomes=None if explored is None else explored[1],
        )

    def _tabulate_all(self, election: Election, counter: Counter | None = None, *, memo: bool = True) -> Result:
        """Follow every resolution of the ties (see :mod:`electoral._ties`) and merge what they decide.

        The winners are every candidate elected under some resolution; the
        rounds are those of the first resolution; every tie met is recorded,
        with all its candidates as chosen. ``memo=False`` follows every
        resolution to its end, without merging states (for testing).
        """

        def make(script: list[int], search: Search | None) -> TieResolver:
            return TieResolver(self.tie_break, self.seed, election.candidates, script=script, search=search)

        def run(resolver: TieResolver) -> Count:
            return self._run(election, resolver, counter)

        size = max(1, len(election.ballots)) * len(election.candidates)
        found = every_universe(run, make, _outcome, memo=memo, size=size)
        first: Count = found.first
        explored = (found.resolutions, len(found.outcomes))
        if found.runs == 1:
            return self._result(election, first, tuple(first.resolver.records), explored)
        order = {c: i for i, c in enumerate(election.candidates)}
        outcomes = [cast(_Outcome, o) for o in found.outcomes]
        winners = sorted({c for o in outcomes for c in o[1]}, key=order.__getitem__)
        advancing = sorted({c for o in outcomes for c in o[2]}, key=order.__getitem__)
        ties = tuple(attrs.evolve(record, chosen=record.candidates) for record in found.ties)
        merged = Count(election, first.resolver)
        merged.rounds = first.rounds
        merged.elected = list(winners)
        merged.advancing = list(advancing)
        merged.status = first.status if len(outcomes) == 1 else "tied"
        merged.seats = first.seats if len(outcomes) == 1 else None
        merged.pairwise = first.pairwise
        return self._result(election, merged, ties, explored)

    def _check_election(self, election: Election) -> None:
        """Refuse what this rule cannot count: no Election, too many seats, or marks it does not read.

        The seats are the election's (:attr:`Election.seats`), and the rule
        says what it can fill (:class:`RuleInfo`): a single-winner rule one
        seat; any other rule that elects candidates at most one seat per
        candidate, unless :meth:`_seats_may_exceed_candidates`; an
        apportionment rule (:attr:`RuleInfo.apportions`) shares out a house
        of any size among the lists.
        """
        if not isinstance(election, Election):
            raise OptionError(f"rule {excerpt(self.info.name)} counts an Election, not {excerpt(election)}")
        if self.info.winners == "single" and election.seats > 1:
            raise SeatsError(
                f"rule {excerpt(self.info.name)} elects one candidate, but the election has seats={election.seats}"
            )
        candidates = len(election.candidates)
        if election.seats > candidates and not self.info.apportions and not self._seats_may_exceed_candidates():
            raise SeatsError(
                f"rule {excerpt(self.info.name)} elects candidates, but the election has seats={election.seats}"
                f" and only {candidates} candidate(s)"
            )
        self._check_marks(election)

    def _seats_may_exceed_candidates(self) -> bool:
        """Whether this rule, though it elects candidates, counts more seats than candidates (electing them all)."""
        return False

    def _check_marks(self, election: Election) -> None:
        reads = self.info.marks
        # Array-backed ballots are rankings, so a million rows need not become objects.
        if isinstance(election.ballots, ArrayBallots) and ArrayBallots.mark_kinds <= reads:
            return
        for ballot in election.ballots:
            if ballot.scores is not None and "scores" not in reads:
                raise MarkError(
                    f"rule {excerpt(self.info.name)} reads {_describe(reads)},"
                    f" but ballot {excerpt(str(ballot))} carries scores"
                )
            if ballot.scores is None and ballot.ranking and not reads & {"ranking", "single", "approval"}:
                raise MarkError(
                    f"rule {excerpt(self.info.name)} reads {_describe(reads)},"
                    f" but ballot {excerpt(str(ballot))} is a ranking"
                )


_Outcome = tuple[Status, frozenset[Candidate], frozenset[Candidate], frozenset[tuple[Candidate, int]]]


def _outcome(count: Count) -> _Outcome:
    """What one run decided: its status, winners, who advances and the seats."""
    return (count.status, frozenset(count.elected), frozenset(count.advancing), frozenset((count.seats or {}).items()))


def _describe(marks: frozenset[str]) -> str:
    words = {"single": "single marks", "ranking": "rankings", "approval": "approvals", "scores": "scores"}
    return " or ".join(words[m] for m in sorted(marks))


def _jsonable(value: Any) -> Any:
    if isinstance(value, TieBreak):
        return value.to_data()
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if attrs.has(type(value)):
        return {k: _jsonable(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise ElectoralError(f"option value {excerpt(value)} has no JSON form")  # a bug in a rule, not user input
