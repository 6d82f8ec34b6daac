"""What a rule's declarations say about it: each option's type, default and choices, and its presets.

Nothing here is a table of its own. An option's type is its converter's
(declared with :func:`~electoral.rules._options.option_type`), else the
field's annotation; its choices are its :func:`~electoral.rules._options.choice`
validator's, else the ``Literal`` of its annotation; its default is the
field's. A rule's presets and their citations are its
:class:`~electoral.rules._presets.Presets` table's. A plain attrs rule class
(a plugin that is not a :class:`~electoral.rules.RuleBase`) is described
from its fields the same way; a rule class that is not an attrs class has
no options to describe.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Final

import attrs

from electoral._registry import get
from electoral._ties import RCTAB_POLICIES, TieBreak, to_ranked_tie_break, to_tie_break
from electoral._ties._policy import CORE_POLICIES
from electoral.rules._options import DECLARED, Choice, OptionType, option_type
from electoral.rules._presets import PresetInfo, PresetRule, preset_details

__all__ = ["OptionInfo", "PresetInfo", "describe_rule", "rule_options"]

_ORDER: Final = "or a candidate order: names separated by commas, most favoured first"
#: the tie-break shorthands every rule takes: the library's policies by name, and previous rounds then lots
_SHORTHANDS: Final = (*(p for p in CORE_POLICIES if p != "order"), "previous-rounds+lot")
option_type(to_tie_break, "tie-break policy", choices=_SHORTHANDS, more=_ORDER)
option_type(to_ranked_tie_break, "tie-break policy", choices=(*_SHORTHANDS, *RCTAB_POLICIES), more=_ORDER)

#: the type of an option whose field has no declared converter, from its annotation
_ANNOTATED: Final = {
    "bool": "true or false",
    "int": "whole number",
    "Fraction": "exact number (1/2, 50% or 0.5)",
    "str": "text",
    "tuple[str, ...]": "candidate names, separated by commas",
}
_NONE: Final = " | None"


@attrs.frozen
class OptionInfo:
    """One option of a rule: ``name``, ``type`` in words, ``default``, ``choices``, and what ``more`` it takes.

    ``default`` is the JSON-ready form of the default (None when the option
    has none, and also when its default is None: see ``required``);
    ``choices`` are the values it names, and ``more`` says what else it
    takes besides them (empty when the choices are all).
    """

    name: str
    type: str
    default: Any
    required: bool = False
    choices: tuple[str, ...] = ()
    more: str = ""

    @property
    def default_text(self) -> str:
        """The default as the command line writes it: ``1/2``, ``true``, ``none``, ``(empty)``, ``(required)``."""
        if self.required:
            return "(required)"
        return _text(self.default)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "required": self.required,
            "choices": list(self.choices),
            "more": self.more,
        }


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(_text, value)) if value else "(empty)"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else "(empty)"
    return str(value) if value != "" else '""'


def _jsonable(value: Any) -> Any:
    if isinstance(value, TieBreak):
        return value.to_data()  # a policy's name, or the mapping to_tie_break reads back
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _from_annotation(annotation: object) -> OptionType:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None) or repr(annotation)
    optional = text.endswith(_NONE)
    base = text.removesuffix(_NONE) if optional else text
    if base.startswith("Literal[") and base.endswith("]"):
        try:
            values = ast.literal_eval(f"({base[len('Literal[') : -1]},)")
        except (ValueError, SyntaxError):
            values = ()
        choices = tuple(str(v) for v in values)
        return OptionType("choice, or none" if optional else "choice", choices)
    described = _ANNOTATED.get(base, base or "text")
    return OptionType(f"{described}, or none" if optional else described)


def _validators(validator: Any) -> Iterable[Any]:
    """A field's validators, an ``and_`` of several (a list given to attrs.field) taken apart."""
    if validator is None:
        return ()
    inner = getattr(validator, "_validators", None)
    return tuple(inner) if inner is not None else (validator,)


def _option(field: attrs.Attribute[Any]) -> OptionInfo:
    converter: Any = field.converter
    declared = DECLARED.get(converter) if converter is not None else None
    kind = declared or _from_annotation(field.type)
    choices = next((v.allowed for v in _validators(field.validator) if isinstance(v, Choice)), kind.choices)
    if choices and not kind.choices and declared is None:
        kind = OptionType("choice", choices)
    default: Any = field.default
    required = default is attrs.NOTHING
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = None if default.takes_self else default.factory()
    return OptionInfo(
        field.alias or field.name,
        kind.type,
        None if required else _jsonable(default),
        required=required,
        choices=tuple(choices),
        more=kind.more,
    )


def rule_options(rule: str | type[Any]) -> tuple[OptionInfo, ...]:
    """Every option of ``rule`` (a registered name or a rule class), as its declarations give it.

    A rule with presets lists ``preset`` (its choices: the preset names) in
    place of the ``preset_name`` it records.

    >>> [(o.name, o.type, o.default_text, o.choices) for o in rule_options("plurality")][2]
    ('method', 'choice', 'block', ('block', 'sntv'))
    """
    cls = get(rule) if isinstance(rule, str) else rule
    options: list[OptionInfo] = []
    if attrs.has(cls):
        options = [_option(f) for f in attrs.fields(cls) if f.init and f.alias != "preset_name"]
    extra: tuple[str, ...] = getattr(cls, "_extra_options", ())
    for name in extra:
        if name == "preset" and isinstance(cls, type) and issubclass(cls, PresetRule):
            presets = tuple(p.name for p in cls._presets.details())
            options.append(OptionInfo("preset", "preset name", None, choices=presets))
        else:
            options.append(OptionInfo(name, "text", None))
    return tuple(options)


def describe_rule(rule: str | type[Any]) -> dict[str, Any]:
    """``rule`` as data: its name, family, summary, marks, winners, options and presets (JSON-ready)."""
    cls = get(rule) if isinstance(rule, str) else rule
    info = cls.info
    return {
        "name": info.name,
        "family": info.family,
        "summary": info.summary,
        "marks": sorted(info.marks),
        "winners": info.winners,
        "apportions": info.apportions,
        "takes_runoff": info.takes_runoff,
        "options": [o.to_dict() for o in rule_options(cls)],
        "presets": [p.to_dict() for p in preset_details(cls)],
    }
