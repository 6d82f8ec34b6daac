"""Systems to and from JSON: every node is an object with a ``kind``; shares are exact ``"p/q"`` strings."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from electoral._systems._biproportional import Biproportional
from electoral._systems._bundestag import BundestagTier
from electoral._systems._kieswet import KieswetTier
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
from electoral._systems._riksdag import RiksdagTier
from electoral._systems._tiers import Compensation, LevellingTier, MixedMemberTier, RegionalTopUp
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


def _compensation(tier: Compensation) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": tier.kind, "name": tier.name, "method": _method(tier.method)}
    data["thresholds"] = [_condition(c) for c in tier.thresholds]
    if isinstance(tier, LevellingTier):
        data.update(
            total=tier.total,
            every_district=tier.every_district,
            placement=tier.placement,
            per_district=tier.per_district,
            or_seats=tier.or_seats,
            region_method=_method(tier.region_method),
            district_method=_method(tier.district_method),
            continues=tier.continues,
            area=tier.area,
        )
    elif isinstance(tier, MixedMemberTier):
        data.update(total=tier.total, or_seats=tier.or_seats, overhang=tier.overhang, area=tier.area)
    return data


def _tier(tier: Tier | Compensation | BundestagTier | KieswetTier | RiksdagTier | Biproportional) -> dict[str, Any]:
    if isinstance(tier, (KieswetTier, RiksdagTier)):
        return tier.to_data()
    if isinstance(tier, (LevellingTier, MixedMemberTier, RegionalTopUp)):
        return _compensation(tier)
    data: dict[str, Any] = {"kind": tier.kind, "name": tier.name}
    if isinstance(tier, Biproportional):
        data.update(thresholds=[_condition(c) for c in tier.thresholds], weights=tier.weights)
        if tier.magnitudes is not None:
            data["magnitudes"] = dict(tier.magnitudes)
        return data
    if isinstance(tier, BundestagTier):
        data.update(seats=tier.seats, law=tier.law, threshold=_fraction_text(tier.threshold))
        data.update(constituencies=tier.constituencies, exempt=list(tier.exempt), uncompensated=tier.uncompensated)
        return data
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


_COMPENSATION_FIELDS = {
    "levelling": {
        "total",
        "every_district",
        "placement",
        "per_district",
        "or_seats",
        "region_method",
        "district_method",
        "continues",
        "area",
    },
    "mixed-member": {"total", "or_seats", "overhang", "area"},
    "regional-top-up": set(),
}


def _compensation_from(data: Mapping[str, Any], kind: str, name: str) -> Compensation:
    _known(data, {"kind", "name", "method", "thresholds", *_COMPENSATION_FIELDS[kind]}, f"a {kind} tier")
    thresholds = data.get("thresholds", [])
    if not isinstance(thresholds, list):
        raise FormatError(f"thresholds must be a list, not {excerpt(thresholds)}", source=SOURCE)
    method = _method_from(data.get("method", {}))
    conditions = tuple(_condition_from(c) for c in thresholds)
    options = {k: data[k] for k in _COMPENSATION_FIELDS[kind] if k in data and k != "total"}
    for key in ("region_method", "district_method"):
        if key in options:
            options[key] = _method_from(options[key])
    if kind == "regional-top-up":
        return RegionalTopUp(method, conditions, name)
    cls = LevellingTier if kind == "levelling" else MixedMemberTier
    return cls(data.get("total"), method, conditions, name=name, **options)  # type: ignore[arg-type]


def _bundestag_from(data: Mapping[str, Any], name: str) -> BundestagTier:
    _known(data, {"kind", "name", "seats", "law", "threshold", "constituencies", "exempt", "uncompensated"}, "a tier")
    exempt = data.get("exempt", [])
    if not isinstance(exempt, list) or not all(isinstance(p, str) for p in exempt):
        raise FormatError(f"exempt must be a list of party names, not {excerpt(exempt)}", source=SOURCE)
    return BundestagTier(
        data.get("seats"),  # type: ignore[arg-type]  # checked by the node
        data.get("law", "2023"),
        _share(data.get("threshold", "1/20")),
        data.get("constituencies", 3),
        tuple(exempt),
        data.get("uncompensated", 3),
        name,
    )


def _tier_from(value: Any) -> Tier | Compensation | BundestagTier | KieswetTier | RiksdagTier | Biproportional:
    data = _object(value, "a tier")
    kind = data.get("kind")
    name = data.get("name")
    if not isinstance(name, str):
        raise FormatError(f"a tier's name must be text, not {excerpt(name)}", source=SOURCE)
    if kind in _COMPENSATION_FIELDS:
        return _compensation_from(data, kind, name)
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
    if kind == "bundestag":
        return _bundestag_from(data, name)
    if kind == "biproportional":
        _known(data, {"kind", "name", "thresholds", "weights", "magnitudes"}, "a biproportional tier")
        bars = data.get("thresholds", [])
        if not isinstance(bars, list):
            raise FormatError(f"thresholds must be a list, not {excerpt(bars)}", source=SOURCE)
        return Biproportional(
            name,
            tuple(_condition_from(c) for c in bars),
            data.get("weights", "rounded"),
            _seats(data.get("magnitudes"), "magnitudes"),
        )
    whole: type[KieswetTier] | type[RiksdagTier] | None = {"kieswet": KieswetTier, "riksdag": RiksdagTier}.get(
        str(kind)
    )
    if whole is not None:
        _known(data, {a.name for a in attrs.fields(whole)}, f"a {kind} tier")
        return whole.from_data(data)
    raise FormatError(
        f"tier kind {excerpt(kind)} is not one of 'districts', 'limited-vote', 'magnitudes', 'levelling',"
        " 'mixed-member', 'regional-top-up', 'bundestag', 'kieswet', 'riksdag',"
        " 'biproportional'",
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
