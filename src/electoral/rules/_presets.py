"""Presets: a rule configured as a named statute configures it, the same way for every rule.

A preset is a named set of option values, written as a function that
returns them and whose docstring states the rule and cites its legal
source; the source is also given on its own (``citation=`` of
:meth:`Presets.add`), so that lists of presets can show it. A rule family
keeps its presets in one :class:`Presets` table; a rule that has presets
mixes in :class:`PresetRule`, names its table in ``_presets`` and declares
``preset_name: str | None = preset_field()``.

How a preset combines with options, for every rule:

- ``Rule.preset(name, **options)`` is ``Rule.from_options(preset=name,
  **options)``: the rule starts from the preset's values, and each explicit
  option **overrides** the preset's value for that option (a statute's count
  with one thing changed, e.g. ``Stv.preset("scotland", decimal_places=6)``).
  Options the preset does not set keep the rule's defaults.
- The rule records the preset's name (option ``preset_name``, shown in
  ``Result.rule`` and ``to_dict()``); :meth:`~electoral.rules.RuleBase.with_options`
  keeps it.
- An unknown preset name, or a name that is not text, is an
  :class:`~electoral.errors.OptionError` listing the rule's presets.
- Lots: a user who asks for lots must give a seed at once. A preset whose
  statute prescribes lots may leave a tie open (status ``"tied"``) when no
  seed is given, rather than refusing every count; that holds only while the
  rule's ``tie_break`` is the preset's own. An explicit ``tie_break`` that
  draws lots needs a seed like any other.

:func:`list_presets` lists a rule's presets with their documentation (for a
rule without presets, none), and :func:`preset_details` with their titles
and citations (:class:`PresetInfo`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, TypeVar

import attrs

from electoral._text import excerpt
from electoral.errors import OptionError

if TYPE_CHECKING:
    from electoral.rules._base import RuleBase

__all__ = [
    "NO_SOURCE",
    "PresetInfo",
    "PresetRule",
    "Presets",
    "check_preset",
    "list_presets",
    "preset_details",
    "preset_field",
]

PresetFunction = Callable[[], dict[str, Any]]
P = TypeVar("P", bound="PresetRule")
#: what a list of presets says for a preset added without a citation
NO_SOURCE: Final = "no source recorded"


@attrs.frozen
class PresetInfo:
    """One preset as lists show it: ``name``, ``title`` (its docstring's first line), ``citation``, ``text``.

    ``citation`` is the legal source given to :meth:`Presets.add`, or None
    when none was recorded; ``text`` is the whole docstring.
    """

    name: str
    title: str
    citation: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"name": self.name, "title": self.title, "citation": self.citation, "text": self.text}


def check_preset(name: object, presets: Mapping[str, Any]) -> str:
    """``name`` if it names one of ``presets``; else an :class:`OptionError` listing them."""
    if not isinstance(name, str) or name not in presets:
        raise OptionError(f"unknown preset {excerpt(name)} (presets: {', '.join(sorted(presets))})")
    return name


class Presets(Mapping[str, PresetFunction]):
    """One rule family's presets: each name and the function returning the options it sets.

    >>> table = Presets()
    >>> @table.add("example", citation="An example statute, Art. 1")
    ... def example() -> dict[str, Any]:
    ...     '''Example, the statute of Art. 1.'''
    ...     return {"threshold": "40%"}
    >>> table.options("example"), table.describe()
    ({'threshold': '40%'}, {'example': 'Example, the statute of Art. 1.'})
    >>> table.details()[0].citation
    'An example statute, Art. 1'
    """

    def __init__(self) -> None:
        self._functions: dict[str, PresetFunction] = {}
        self._citations: dict[str, str | None] = {}

    def add(self, name: str, *, citation: str | None = None) -> Callable[[PresetFunction], PresetFunction]:
        """A decorator adding the decorated function as preset ``name`` (its docstring documents it).

        ``citation`` is its legal source in a few words (the docstring gives
        it in full); lists show :data:`NO_SOURCE` for a preset without one.
        """

        def add(function: PresetFunction) -> PresetFunction:
            if name in self._functions:
                raise OptionError(f"preset {excerpt(name)} is defined twice")
            self._functions[name] = function
            self._citations[name] = citation
            return function

        return add

    def __getitem__(self, name: str) -> PresetFunction:
        return self._functions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._functions)

    def __len__(self) -> int:
        return len(self._functions)

    def options(self, name: object) -> dict[str, Any]:
        """The options preset ``name`` sets (a fresh dict); an unknown name is an :class:`OptionError`."""
        return dict(self._functions[check_preset(name, self._functions)]())

    def describe(self) -> dict[str, str]:
        """Each preset's name and its documentation (with the legal source), by name."""
        return {name: (function.__doc__ or "").strip() for name, function in sorted(self._functions.items())}

    def details(self) -> tuple[PresetInfo, ...]:
        """Each preset with its title, citation and documentation, by name."""
        return tuple(
            PresetInfo(name, text.splitlines()[0] if text else "", self._citations[name], text)
            for name, text in self.describe().items()
        )


def preset_field() -> Any:
    """The ``preset_name`` field of a rule with presets: None, or the name of one of its presets."""

    def check(instance: PresetRule, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None:
            check_preset(value, type(instance)._presets)

    return attrs.field(default=None, validator=check)


class PresetRule:
    """What a rule with presets adds to :class:`~electoral.rules.RuleBase` (mix it in before the base).

    The rule sets ``_presets`` to its family's :class:`Presets`, lists
    ``"preset"`` in ``_extra_options``, and declares ``preset_name`` with
    :func:`preset_field`. See the module notes for how presets and options
    combine.
    """

    __slots__ = ()

    _presets: ClassVar[Presets]
    preset_name: str | None
    tie_break: Any

    @classmethod
    def presets(cls) -> Mapping[str, str]:
        """Each preset's name and its documentation, with the legal source."""
        return cls._presets.describe()

    @classmethod
    def preset(cls: type[P], name: str, /, **overrides: Any) -> P:
        """The rule as the statute ``name`` configures it; ``overrides`` change single options.

        >>> from electoral.rules import Stv, TwoRound
        >>> Stv.preset("scotland").decimal_places, Stv.preset("scotland", decimal_places=6).decimal_places
        (5, 6)
        >>> TwoRound.preset("kyrgyzstan-president").denominator
        'cast'
        """
        return cls.from_options(preset=name, **overrides)

    @classmethod
    def from_options(cls: type[P], **options: Any) -> P:
        """Build the rule; ``preset=NAME`` starts from a preset, and explicit options override its values."""
        name = options.pop("preset", None)
        if name is not None:
            options = {**cls._presets.options(name), **options, "preset_name": name}
        built: P = super().from_options(**options)  # type: ignore[misc]
        return built

    def _lots_may_wait_for_seed(self) -> bool:
        """Whether the rule's tie-break is its preset's own (which may wait for a seed until a tie needs lots)."""
        if self.preset_name is None:
            return False
        prescribed = self._presets.options(self.preset_name).get("tie_break", "stop")
        # the preset's tie_break in the rule's own form (e.g. the ranked rules' RCTab modes)
        converter: Any = attrs.fields_dict(type(self))["tie_break"].converter  # type: ignore[arg-type]
        return bool(self.tie_break == converter(prescribed))


def list_presets(rule: str | type[RuleBase] | RuleBase) -> dict[str, str]:
    """The presets of ``rule`` (a registered name, a rule class or a rule), each with its documentation.

    A rule without presets has none:

    >>> "scotland" in list_presets("stv"), list_presets("borda")
    (True, {})
    """
    cls = _rule_class(rule)
    if issubclass(cls, PresetRule):
        return dict(cls.presets())
    return {}


def preset_details(rule: str | type[RuleBase] | RuleBase) -> tuple[PresetInfo, ...]:
    """The presets of ``rule`` with their titles and citations, by name (a rule without presets has none).

    >>> [(p.name, p.citation) for p in preset_details("stv") if p.name == "scotland"]
    [('scotland', 'Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1')]
    """
    cls = _rule_class(rule)
    if issubclass(cls, PresetRule):
        return cls._presets.details()
    return ()


def _rule_class(rule: str | type[RuleBase] | RuleBase) -> type[Any]:
    from electoral._registry import get

    return get(rule) if isinstance(rule, str) else rule if isinstance(rule, type) else type(rule)
