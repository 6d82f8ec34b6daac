"""The public surface, the rule registry and entry-point plugins."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import electoral
from electoral import Election, tabulate
from electoral import _registry as registry_module
from electoral.errors import ElectoralError, PluginError, RuleClashError, UnknownRuleError
from electoral.rules import Plurality, RuleBase, RuleInfo, get, names, register, registry

SRC = Path(electoral.__file__).parent


def test_all_is_static_and_exact() -> None:
    """__all__ is a literal list, and the module exports nothing public beyond it."""
    tree = ast.parse((SRC / "__init__.py").read_text())
    literal = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets)
    )
    assert isinstance(literal, ast.List)
    public = {name for name in vars(electoral) if not name.startswith("_")} - {"annotations"}
    # Submodules imported by the package itself show up as attributes; only the listed ones are public.
    assert set(electoral.__all__) <= public | {"__version__"}
    assert public - set(electoral.__all__) <= {
        "io",
        "testing",
        "cli",
        "generate",
        "axioms",
        "simulate",
        "plot",
        "examples",
        "report",
        "audit",
        "systems",
    }


def test_implementation_lives_in_private_modules() -> None:
    """The facade defines nothing but the module-level __getattr__ that loads heavy submodules lazily."""
    tree = ast.parse((SRC / "__init__.py").read_text())
    defined = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    assert defined == ["__getattr__"]


def test_py_typed_ships() -> None:
    assert (SRC / "py.typed").exists()


def test_every_registered_rule_is_exported_and_documented() -> None:
    import electoral.rules as rules

    for name in names():
        cls = get(name)
        if cls.__module__.startswith("electoral."):
            assert getattr(rules, cls.__name__) is cls, name
            assert cls.__name__ in rules.__all__, name
        assert cls.__doc__, name
        assert cls.__doc__.strip(), name
        assert isinstance(cls.info, RuleInfo)
        assert cls.info.name == name
        assert cls.info.summary


def test_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(UnknownRuleError, match=r"'nope'.*plurality"):
        get("nope")
    with pytest.raises(LookupError):
        tabulate(Election.from_counts({"A": 1}), "nope")


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        registry["x"] = Plurality  # type: ignore[index]


def _dummy_rule(name: str) -> type[Any]:
    @attrs.frozen(kw_only=True)
    class Dummy(RuleBase):
        """A rule for tests: the first candidate always wins."""

        info: ClassVar[RuleInfo] = RuleInfo(
            name=name, family="test", marks={"single"}, winners="single", summary="Always the first candidate."
        )

        def _count(self, election: Election, count: Any, /) -> None:
            count.elected.append(election.candidates[0])

    return Dummy


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = dict(registry_module._RULES)
    loaded = registry_module._plugins_loaded
    failures = list(registry_module._PLUGIN_FAILURES)
    yield
    registry_module._RULES.clear()
    registry_module._RULES.update(saved)
    registry_module._plugins_loaded = loaded
    registry_module._PLUGIN_FAILURES[:] = failures


@pytest.mark.usefixtures("clean_registry")
def test_register_refuses_a_clash() -> None:
    with pytest.raises(RuleClashError, match="'plurality'"):
        register(_dummy_rule("plurality"))
    replacement = _dummy_rule("plurality")
    register(replacement, clobber=True)
    assert get("plurality") is replacement


@pytest.mark.usefixtures("clean_registry")
def test_third_party_rules_arrive_through_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    dummy = _dummy_rule("first-listed")
    module = type(registry_module)("fake_plugin")
    module.Rule = dummy  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fake_plugin", module)
    entry = EntryPoint(name="first-listed", value="fake_plugin:Rule", group="electoral.rules")
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [entry])
    registry_module._plugins_loaded = False
    assert "first-listed" in names()
    result = tabulate(Election.from_counts({"Z": 1, "A": 5}), "first-listed")
    assert result.winners[0].name == "Z"


@pytest.mark.usefixtures("clean_registry")
def test_a_broken_plugin_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = EntryPoint(name="broken", value="no_such_module_anywhere:Rule", group="electoral.rules")
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [entry])
    registry_module._plugins_loaded = False
    with pytest.raises(PluginError, match="'broken'"):
        get("broken")


@pytest.mark.usefixtures("clean_registry")
def test_a_broken_plugin_does_not_stop_the_ones_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    module = type(registry_module)("fake_plugin3")
    module.Rule = _dummy_rule("listed-after")  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fake_plugin3", module)
    broken = EntryPoint(name="broken", value="no_such_module_anywhere:Rule", group="electoral.rules")
    good = EntryPoint(name="listed-after", value="fake_plugin3:Rule", group="electoral.rules")
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [broken, good])
    registry_module._plugins_loaded = False
    with pytest.raises(PluginError, match="'broken'"):
        names()
    assert get("listed-after") is module.Rule
    with pytest.raises(UnknownRuleError, match="1 rule plugin\\(s\\) failed to load"):
        get("broken")


def test_a_rules_own_option_error_reaches_the_caller_as_it_is() -> None:
    from electoral.errors import OptionError
    from electoral.rules import Plurality

    class Mine(OptionError):
        pass

    def refuse(value: object) -> bool:
        raise Mine("not this one")

    @attrs.frozen
    class Picky(Plurality):
        odd: bool = attrs.field(default=False, validator=lambda _i, _a, v: refuse(v) if v else None)

    with pytest.raises(Mine, match=r"^not this one$"):
        Picky.from_options(odd=True)


@pytest.mark.usefixtures("clean_registry")
def test_a_plugin_whose_name_does_not_match(monkeypatch: pytest.MonkeyPatch) -> None:
    module = type(registry_module)("fake_plugin2")
    module.Rule = _dummy_rule("other-name")  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fake_plugin2", module)
    entry = EntryPoint(name="mismatch", value="fake_plugin2:Rule", group="electoral.rules")
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [entry])
    registry_module._plugins_loaded = False
    with pytest.raises(PluginError, match="'mismatch'"):
        names()


def test_errors_share_one_root_and_mix_in_builtins() -> None:
    import electoral.errors as errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, ElectoralError), name
        assert cls is errors.ElectoralError or issubclass(cls, (ValueError, LookupError, ImportError, ExceptionGroup))


def test_rule_instances_are_values() -> None:
    rule = electoral.rules.TwoRound.preset("france-president")
    assert rule == electoral.rules.TwoRound.preset("france-president")
    assert hash(rule) == hash(electoral.rules.TwoRound.preset("france-president"))
    assert rule.to_dict()["name"] == "two-round"
    assert rule.with_options(threshold="40%").threshold == electoral.rules.TwoRound(threshold="40%").threshold


def test_tabulate_with_instance_and_options() -> None:
    election = Election.from_counts({"A": 45, "B": 40, "C": 15})
    rule = electoral.rules.TwoRound()
    assert tabulate(election, rule).status == "runoff"
    assert tabulate(election, rule, threshold="40%").status == "decided"


def test_tabulate_rejects_non_elections() -> None:
    with pytest.raises(ElectoralError, match="dict"):
        tabulate({"A": 1}, "plurality")  # type: ignore[arg-type]
