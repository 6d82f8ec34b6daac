"""The one registry of rules: built-in rules and third-party rules from entry points.

Third-party packages expose rule classes in the entry-point group
``electoral.rules``; the entry point's name must equal the rule's
``info.name``. Plugins are loaded lazily, the first time a name is looked up
that is not built in, or when all names are listed, and they go through the
same :func:`register` as built-in rules, so a clash is refused the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, Protocol, TypeVar, overload, runtime_checkable

import attrs

from electoral._text import did_you_mean, excerpt
from electoral.errors import OptionError, PluginError, RuleClashError, UnknownRuleError

if TYPE_CHECKING:
    from electoral._model import Election
    from electoral._result import Result

__all__ = [
    "ENTRY_POINT_GROUP",
    "Rule",
    "RuleInfo",
    "RunoffRule",
    "build",
    "configure",
    "get",
    "names",
    "register",
    "registry",
]

ENTRY_POINT_GROUP: Final = "electoral.rules"
MARKS: Final = frozenset({"ranking", "single", "approval", "scores"})


def _to_marks(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen
class RuleInfo:
    """What a rule is and what it takes, held as data: nothing in the library branches on rule names.

    ``marks`` says which ballot marks the rule reads: ``"single"`` (one mark),
    ``"ranking"`` (ranks), ``"approval"`` (one rank of approved candidates),
    ``"scores"``. ``winners`` is ``"single"`` or ``"multiple"``. A rule of
    the ``"apportionment"`` family shares out seats among party lists
    (:attr:`apportions`); every other rule elects candidates.
    ``takes_runoff`` says that the rule's ``tabulate`` also takes a keyword
    ``runoff`` (the second round's ballots, an Election), as the
    ``"two-round"`` rule does; :func:`~electoral.tabulate` refuses runoff
    ballots for a rule without it. ``eliminated_as`` is the word every
    display of the rule's results uses for a candidate removed from the
    count: ``"eliminated"``, or ``"excluded"`` where statutes say so (STV).
    """

    name: str
    family: str
    marks: frozenset[str] = attrs.field(converter=_to_marks)
    winners: Literal["single", "multiple"]
    summary: str
    takes_runoff: bool = attrs.field(default=False, kw_only=True)
    eliminated_as: str = attrs.field(default="eliminated", kw_only=True)

    def __attrs_post_init__(self) -> None:
        unknown = self.marks - MARKS
        if unknown or not self.marks:
            raise ValueError(f"rule {self.name!r}: marks must be some of {sorted(MARKS)}, got {sorted(self.marks)}")

    @property
    def apportions(self) -> bool:
        """Whether the rule shares out the election's seats among party lists (a house of any size).

        Any other rule elects candidates, so it needs at least as many
        candidates as seats (see ``RuleBase._check_election``).
        """
        return self.family == "apportionment"


@runtime_checkable
class Rule(Protocol):
    """The interface every rule instance provides: the minimal protocol a plugin implements.

    - ``info``: the rule's :class:`RuleInfo`, a class attribute.
    - ``tabulate(election, /) -> Result``; if ``info.takes_runoff``, it also
      takes a keyword ``runoff`` (an Election or None), see :class:`RunoffRule`.
    - ``to_dict()``: the rule's name and options in a JSON-ready form.

    How a rule is configured is one protocol too (see :func:`build` and
    :func:`configure`): a rule *class* builds itself from keyword options
    with the classmethod ``from_options(**options)``, and an instance gives
    a copy with some options changed with ``with_options(**options)``.
    :class:`~electoral.rules.RuleBase` provides both, with checked options.
    A class that is not a RuleBase and does not define ``from_options`` (a
    plain attrs class, say) is built by calling it with the options, and an
    instance without ``with_options`` takes no options at ``tabulate()``.
    """

    info: ClassVar[RuleInfo]

    def tabulate(self, election: Election, /) -> Result: ...

    def to_dict(self) -> dict[str, Any]: ...


class RunoffRule(Rule, Protocol):
    """A rule whose ``info.takes_runoff`` is true: its ``tabulate`` takes the runoff's ballots as a keyword."""

    def tabulate(self, election: Election, /, *, runoff: Election | None = None) -> Result: ...


def build(rule: type[Any], /, **options: Any) -> Rule:
    """Build the rule class ``rule`` from keyword ``options``: the one way the library does it.

    The class's ``from_options(**options)`` builds it (every
    :class:`~electoral.rules.RuleBase` has one, which checks the options);
    a class without one is called with the options, and an option it does
    not take is an :class:`~electoral.errors.OptionError`.
    """
    from_options: Callable[..., Rule] | None = getattr(rule, "from_options", None)
    if from_options is not None:
        return from_options(**options)
    try:
        made: Rule = rule(**options)
    except TypeError as error:  # a plain class refuses an unknown option with a TypeError
        raise OptionError(f"rule {excerpt(_name(rule))}: {error}") from None
    return made


def configure(rule: Rule, /, **options: Any) -> Rule:
    """The rule instance ``rule`` with ``options`` changed, through its ``with_options(**options)``.

    A rule without ``with_options`` (a plain class) takes no options here:
    that is an :class:`~electoral.errors.OptionError`.
    """
    if not options:
        return rule
    with_options: Callable[..., Rule] | None = getattr(rule, "with_options", None)
    if with_options is None:
        raise OptionError(f"rule {excerpt(_name(rule))} does not take options here; configure the instance instead")
    return with_options(**options)


def _name(rule: object) -> str:
    info = getattr(rule, "info", None)
    return info.name if isinstance(info, RuleInfo) else repr(rule)


RuleT = TypeVar("RuleT", bound=type[Any])

_RULES: dict[str, type[Any]] = {}
registry: Final[Mapping[str, type[Any]]] = MappingProxyType(_RULES)
_plugins_loaded = False


@overload
def register(rule: RuleT, /, *, clobber: bool = False) -> RuleT: ...
@overload
def register(rule: None = None, /, *, clobber: bool = False) -> Callable[[RuleT], RuleT]: ...
def register(rule: RuleT | None = None, /, *, clobber: bool = False) -> RuleT | Callable[[RuleT], RuleT]:
    """Register a rule class under its ``info.name``; usable as a decorator.

    Refuses (with :class:`~electoral.errors.RuleClashError`) a name that is
    already registered to another class, unless ``clobber`` is true.
    """

    def add(cls: RuleT) -> RuleT:
        info = getattr(cls, "info", None)
        if not isinstance(info, RuleInfo):
            raise TypeError(f"{cls!r} has no RuleInfo in its 'info' attribute")
        if not callable(getattr(cls, "tabulate", None)):
            raise TypeError(f"{cls!r} has no tabulate method")
        existing = _RULES.get(info.name)
        if existing is not None and existing is not cls and not clobber:
            raise RuleClashError(
                f"rule name {info.name!r} is already registered to {existing.__module__}.{existing.__qualname__}"
            )
        _RULES[info.name] = cls
        return cls

    return add if rule is None else add(rule)


def _load_plugins() -> None:
    """Register every rule of the ``electoral.rules`` entry points, once.

    A plugin that fails to load does not stop the others: every good plugin
    is registered, then one :class:`PluginError` names each one that failed.
    Later lookups of an unknown name name them again.
    """
    global _plugins_loaded
    if _plugins_loaded:
        return
    failures: list[str] = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = entry.load()
        except Exception as error:  # a broken plugin must be named, whatever it raised
            failures.append(f"rule plugin {entry.name!r} ({entry.value}) failed to load: {error}")
            continue
        info = getattr(cls, "info", None)
        if not isinstance(info, RuleInfo) or info.name != entry.name:
            failures.append(
                f"rule plugin {entry.name!r} ({entry.value}) must be a rule class whose info.name is {entry.name!r}"
            )
            continue
        if _RULES.get(entry.name) is cls:
            continue
        try:
            register(cls)
        except RuleClashError as error:
            failures.append(f"rule plugin {entry.name!r} ({entry.value}): {error}")
    _plugins_loaded = True
    _PLUGIN_FAILURES[:] = failures
    if failures:
        raise PluginError("; ".join(failures))


_PLUGIN_FAILURES: list[str] = []


def get(name: str) -> type[Any]:
    """Return the rule class registered as ``name``."""
    if not isinstance(name, str):
        raise UnknownRuleError(f"a rule is named by a string, not {excerpt(name)} (known rules: {', '.join(names())})")
    if name not in _RULES:
        _load_plugins()
    try:
        return _RULES[name]
    except KeyError:
        failed = f"; {len(_PLUGIN_FAILURES)} rule plugin(s) failed to load" if _PLUGIN_FAILURES else ""
        known = names()
        raise UnknownRuleError(
            f"no rule is called {excerpt(name)}{did_you_mean(name, known)} (known rules: {', '.join(known)}){failed}"
        ) from None


def names() -> tuple[str, ...]:
    """Every registered rule name, sorted, plugins included."""
    _load_plugins()
    return tuple(sorted(_RULES))
