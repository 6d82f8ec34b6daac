"""Converters for rule options, and what they say about the options they convert.

Each accepts the typed value and its text form, so the same rule can be
configured in Python and from the command line (``--option key=value``).
Decimal text is read exactly: ``"0.4"`` is 2/5, never the float 0.4.

The declarations are also the options' documentation: a converter declared
with :func:`option_type` names the type of every option it converts, and a
:func:`choice` validator lists the option's choices. :func:`rule_options`
reads them (an undeclared converter falls back on the field's annotation),
so ``electoral rules NAME`` lists every option with its type, default and
choices without a table of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from electoral._text import excerpt
from electoral.errors import OptionError
from electoral.rules._presets import check_preset  # the preset mechanism's; re-exported here

__all__ = [
    "Choice",
    "OptionType",
    "check_preset",
    "choice",
    "option_type",
    "to_bool",
    "to_fraction",
    "to_int",
    "to_names",
    "to_optional_fraction",
    "to_optional_int",
]

T = TypeVar("T")


@attrs.frozen
class OptionType:
    """What a converter takes, in words: ``type``, and the named ``choices`` it knows (if any).

    ``more`` says what else it takes besides the choices (e.g. a candidate
    order), or is empty when the choices are all it takes.
    """

    type: str
    choices: tuple[str, ...] = ()
    more: str = ""


#: each declared converter's OptionType (see option_type)
DECLARED: dict[Callable[..., Any], OptionType] = {}


def option_type(converter: Callable[..., Any], type: str, *, choices: Sequence[str] = (), more: str = "") -> None:
    """Declare what ``converter`` takes, for the options' documentation (see the module notes).

    A call after the converter's definition rather than a decorator, since
    type checkers take only plain functions as attrs converters.
    """
    DECLARED[converter] = OptionType(type, tuple(choices), more)


def to_fraction(value: Fraction | int | str | float) -> Fraction:
    """A share: ``Fraction(1, 2)``, ``"1/2"``, ``"50%"``, ``"0.5"``, or ``0.5`` (read as the decimal it prints as)."""
    if isinstance(value, bool):
        raise OptionError(f"a share must be a number, not {excerpt(value)}")
    if isinstance(value, (Fraction, int)):
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise OptionError(f"{excerpt(value)} is not a share (write 1/2, 50% or 0.5)")
        value = repr(value)  # 0.4 means the decimal 0.4 the user typed, not its binary approximation
    if isinstance(value, str):
        text = value.strip()
        percent = text.endswith("%")
        if percent:
            text = text[:-1].strip()
        try:
            if "/" in text:
                number = Fraction(text)
            else:
                decimal = Decimal(text)
                # Infinity and NaN are not shares, and a huge exponent would build a gigantic integer.
                if not decimal.is_finite() or abs(decimal.adjusted()) > 100:
                    raise ValueError(text)
                number = Fraction(decimal)
        except (ValueError, ZeroDivisionError, InvalidOperation, OverflowError):
            raise OptionError(f"{excerpt(value)} is not a share (write 1/2, 50% or 0.5)") from None
        return number / 100 if percent else number
    raise OptionError(f"{excerpt(value)} is not a share (write 1/2, 50% or 0.5)")


def to_optional_fraction(value: Fraction | int | str | float | None) -> Fraction | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    return to_fraction(value)


def to_int(value: int | str) -> int:
    if isinstance(value, bool):
        raise OptionError(f"expected a whole number, not {excerpt(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise OptionError(f"expected a whole number, not {excerpt(value)}")


def to_optional_int(value: int | str | None) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    return to_int(value)


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def to_bool(value: bool | str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise OptionError(f"expected true or false, not {excerpt(value)}")


@attrs.frozen
class Choice:
    """A validator that accepts one of ``allowed`` and names the option otherwise (made by :func:`choice`)."""

    allowed: tuple[str, ...]

    def __call__(self, instance: Any, attribute: Any, value: Any) -> None:
        if value not in self.allowed:
            raise OptionError(
                f"option {attribute.name}={excerpt(value)} is not one of {', '.join(map(excerpt, self.allowed))}"
            )


def choice(*allowed: str) -> Choice:
    """A validator that accepts one of ``allowed`` and names the option otherwise; it lists them as the choices."""
    return Choice(allowed)


def to_names(value: str | Sequence[str]) -> tuple[str, ...]:
    """Candidate names: a sequence, or text with names separated by commas."""
    if isinstance(value, str):
        return tuple(n.strip() for n in value.split(",") if n.strip())
    if isinstance(value, Sequence) and all(isinstance(n, str) for n in value):
        return tuple(value)
    raise OptionError(f"expected candidate names, not {excerpt(value)}")


option_type(to_fraction, "exact number (1/2, 50% or 0.5)")
option_type(to_optional_fraction, "exact number (1/2, 50% or 0.5), or none")
option_type(to_int, "whole number")
option_type(to_optional_int, "whole number, or none")
option_type(to_bool, "true or false")
option_type(to_names, "candidate names, separated by commas")
