"""Systems to and from JSON: every node is an object with a ``kind``; shares are exact ``"p/q"`` strings."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from electoral._systems._biproportional import Biproportional
from electoral._systems._nodes import (
    AnyOf,
    Condition,
    DistrictTier,
    LimitedVote,
    MagnitudeApportionment,
    Method,
    Threshold,
    Tier,
)
from electoral._text import excerpt
from electoral.errors import ElectoralError, FormatError

if TYPE_CHECKING:
    from electoral._systems._system import System

__all__ = ["system_from_data", "system_to_data"]

SOURCE = "<system>"


def _fraction_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


def _method(method: Method) -> dict[str, Any]:
    return {"kind": method.kind, "name": method.name}


def _condition(condition: Condition) -> dict[str, Any]:
    if isinstance(condition, AnyOf):
        return {"kind": "any-of", "options": [_condition(o) for o in condition.options]}
    return {
        "kind": "threshold",
        "share": _fraction_text(condition.share),
        "scope": condition.scope,
        "basis": condition.basis,
        "comparison": condition.comparison,
    }


def _tier(tier: Tier | Biproportional) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": tier.kind, "name": tier.name}
    if isinstance(tier, Biproportional):
        data.update(thresholds=[_condition(c) for c in tier.thresholds], weights=tier.weights)
    if isinstance(tier, DistrictTier):
        data["method"] = _method(tier.method)
        data["thresholds"] = [_condition(c) for c in tier.thresholds]
    if isinstance(tier, MagnitudeApportionment):
        data.update(total=tier.total, minimum=tier.minimum, fixed=dict(tier.fixed), method=_method(tier.method))
    elif tier.magnitudes is not None:
        data["magnitudes"] = dict(tier.magnitudes)
    return data


def system_to_data(system: System) -> dict[str, Any]:
    return {
        "name": system.name,
        "title": system.title,
        "law": system.law,
        "years": list(system.years) if system.years is not None else None,
        "tiers": [_tier(t) for t in system.tiers],
    }


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FormatError(f"{what} must be an object, not {excerpt(value)}", source=SOURCE)
    return value


def _known(data: Mapping[str, Any], keys: set[str], what: str) -> None:
    extra = sorted(set(data) - keys)
    if extra:
        raise FormatError(f"{what} has an unknown field {excerpt(extra[0])}", source=SOURCE)


def _share(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise FormatError(f'a share must be an exact "p/q" string or an int, not {excerpt(value)}', source=SOURCE)
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise FormatError(f'a share must be an exact "p/q" string, not {excerpt(value)}', source=SOURCE) from None


def _method_from(value: Any) -> Method:
    data = _object(value, "a method")
    _known(data, {"kind", "name"}, "a method")
    return Method(data.get("kind", "divisor"), data.get("name", "dhondt"))


def _condition_from(value: Any) -> Condition:
    data = _object(value, "a threshold")
    kind = data.get("kind", "threshold")
    if kind == "any-of":
        _known(data, {"kind", "options"}, "an any-of threshold")
        options = data.get("options")
        if not isinstance(options, list):
            raise FormatError(f"an any-of threshold needs a list of options, not {excerpt(options)}", source=SOURCE)
        return AnyOf(tuple(_threshold_from(o) for o in options))
    return _threshold_from(data)


def _threshold_from(value: Any) -> Threshold:
    data = _object(value, "a threshold")
    _known(data, {"kind", "share", "scope", "basis", "comparison"}, "a threshold")
    if data.get("kind", "threshold") != "threshold":
        raise FormatError(f"threshold kind {excerpt(data.get('kind'))} is not 'threshold'", source=SOURCE)
    return Threshold(
        _share(data.get("share")),
        data.get("scope", "district"),
        data.get("basis", "valid"),
        data.get("comparison", "at-least"),
    )


def _seats(value: Any, what: str) -> dict[str, int] | None:
    if value is None:
        return None
    data = _object(value, what)
    return {str(k): v for k, v in data.items()}


def _tier_from(value: Any) -> Tier | Biproportional:
    data = _object(value, "a tier")
    kind = data.get("kind")
    name = data.get("name")
    if not isinstance(name, str):
        raise FormatError(f"a tier's name must be text, not {excerpt(name)}", source=SOURCE)
    if kind == "districts":
        _known(data, {"kind", "name", "method", "thresholds", "magnitudes"}, "a districts tier")
        thresholds = data.get("thresholds", [])
        if not isinstance(thresholds, list):
            raise FormatError(f"thresholds must be a list, not {excerpt(thresholds)}", source=SOURCE)
        return DistrictTier(
            name,
            _method_from(data.get("method", {})),
            tuple(_condition_from(c) for c in thresholds),
            _seats(data.get("magnitudes"), "magnitudes"),
        )
    if kind == "biproportional":
        _known(data, {"kind", "name", "thresholds", "weights", "magnitudes"}, "a biproportional tier")
        thresholds = data.get("thresholds", [])
        if not isinstance(thresholds, list):
            raise FormatError(f"thresholds must be a list, not {excerpt(thresholds)}", source=SOURCE)
        return Biproportional(
            name,
            tuple(_condition_from(c) for c in thresholds),
            data.get("weights", "rounded"),
            _seats(data.get("magnitudes"), "magnitudes"),
        )
    if kind == "limited-vote":
        _known(data, {"kind", "name", "magnitudes"}, "a limited-vote tier")
        return LimitedVote(name, _seats(data.get("magnitudes"), "magnitudes"))
    if kind == "magnitudes":
        _known(data, {"kind", "name", "total", "minimum", "fixed", "method"}, "a magnitudes tier")
        return MagnitudeApportionment(
            data.get("total"),  # type: ignore[arg-type]  # checked by the node
            data.get("minimum", 0),
            _seats(data.get("fixed", {}), "fixed") or {},
            _method_from(data.get("method", {"kind": "largest-remainder", "name": "hare"})),
            name,
        )
    raise FormatError(
        f"tier kind {excerpt(kind)} is not one of 'districts', 'limited-vote', 'magnitudes', 'biproportional'",
        source=SOURCE,
    )


def system_from_data(value: Any, system_class: type[System]) -> System:
    """The system ``value`` describes, as a ``system_class`` (passed in, so that imports stay acyclic)."""
    data = _object(value, "a system")
    _known(data, {"name", "title", "law", "years", "tiers"}, "a system")
    name, title, law = data.get("name"), data.get("title", ""), data.get("law", "")
    for field, text in (("name", name), ("title", title), ("law", law)):
        if not isinstance(text, str):
            raise FormatError(f"a system's {field} must be text, not {excerpt(text)}", source=SOURCE)
    years = data.get("years")
    if years is not None:
        if (
            not isinstance(years, list)
            or len(years) != 2
            or not all(y is None or (isinstance(y, int) and not isinstance(y, bool)) for y in years)
            or years[0] is None
        ):
            raise FormatError(f"years must be [first, last or null], not {excerpt(years)}", source=SOURCE)
        years = (years[0], years[1])
    tiers = data.get("tiers")
    if not isinstance(tiers, list):
        raise FormatError(f"tiers must be a list, not {excerpt(tiers)}", source=SOURCE)
    try:
        return system_class(name, tuple(_tier_from(t) for t in tiers), title, law, years)  # type: ignore[arg-type]
    except FormatError:
        raise
    except ElectoralError as error:
        raise FormatError(str(error), source=SOURCE) from None
