"""A command line that explains itself: ``electoral rules [NAME]``, ``electoral formats [NAME]``.

What they print comes from the declarations (option fields, converters,
``choice`` validators, preset tables, the format table), so the checks here
go back to the code: each default listed is the rule's or reader's real
default, each choice listed is accepted and anything else refused, each
citation agrees with its preset's documentation. A closed pipe is tested
with real pipes, in child processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from electoral import Election, io
from electoral._registry import get, names
from electoral.cli import _describe_rule, _parser, main
from electoral.errors import ElectoralError, FormatError, OptionError
from electoral.io._formats import FORMATS, READ_OPTIONS, SPEC_FIELDS
from electoral.rules import TwoRound
from electoral.rules._describe import describe_rule, rule_options
from electoral.rules._presets import NO_SOURCE, PresetRule, Presets, preset_details
from test_presets import STATUTORY_STV


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as usage:  # argparse's own errors
        code = usage.code if isinstance(usage.code, int) else -1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _is_rule_base(cls: type[Any]) -> bool:
    return callable(getattr(cls, "from_options", None))


# -- electoral rules NAME: every rule, and what the listing claims is true -----------------------


@pytest.mark.parametrize("name", names())
def test_every_rule_is_described_in_text_and_json(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "rules", name)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{name}: {get(name).info.summary}"
    for option in rule_options(name):
        assert any(line.split()[:3] == [option.name, "=", *option.default_text.split()[:1]] for line in lines), option
    code, out, err = run(capsys, "rules", name, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["name"] == name
    assert [o["name"] for o in data["options"]] == [o.name for o in rule_options(name)]


@pytest.mark.parametrize("name", names())
def test_the_options_listed_are_the_rules_fields(name: str) -> None:
    cls = get(name)
    listed = [o.name for o in rule_options(name)]
    fields = [f.alias for f in attrs.fields(cls) if f.init and f.alias != "preset_name"]
    assert listed == [*fields, *getattr(cls, "_extra_options", ())]
    for option in rule_options(name):
        assert option.type, option
        # a type in words, never a bare annotation such as 'RegionalVotes'
        assert not option.type[0].isupper(), option
        assert "[" not in option.type, option


@pytest.mark.parametrize("name", names())
def test_each_default_listed_builds_the_default_rule(name: str) -> None:
    cls = get(name)
    given = {o.name: o.default for o in rule_options(name) if o.name != "preset" and not o.required}
    assert cls.from_options(**given) == cls()


@pytest.mark.parametrize("name", names())
def test_each_choice_listed_is_taken_and_others_are_refused(name: str) -> None:
    cls = get(name)
    refused = ("is not one of", "unknown preset", "not a shorthand")
    for option in rule_options(name):
        for value in option.choices:
            message = ""
            try:
                cls.from_options(**{option.name: value, "seed": 1})
            except OptionError as error:  # a choice may need another option (advance_share...), never refused itself
                message = str(error)
            assert not any(words in message for words in refused), (option.name, value, message)
        if option.choices and not option.more:
            with pytest.raises(OptionError, match=option.name if option.name != "preset" else "unknown preset"):
                cls.from_options(**{option.name: "no-such-choice"})


def test_option_types_come_from_converters_validators_and_annotations() -> None:
    by_name = {o.name: o for o in rule_options("stv")}
    assert by_name["whole_quota"].type == "true or false"
    assert by_name["minimum_vote_threshold"].type == "whole number"
    assert by_name["decimal_places"].type == "whole number, or none"  # a private converter: from its annotation
    assert by_name["quota"].choices == ("droop", "hare", "hagenbach-bischoff")
    assert "rctab-random" in by_name["tie_break"].choices  # the ranked rules take RCTab's modes
    assert "rctab-random" not in {o.name: o for o in rule_options("borda")}["tie_break"].choices
    assert set(by_name["preset"].choices) >= STATUTORY_STV
    assert {o.name: o for o in rule_options("dhondt")}["coalitions"].type.startswith("list:parties pairs")


def test_a_plain_attrs_rule_is_described_from_its_annotations() -> None:
    from typing import ClassVar, Literal

    from electoral.rules import RuleInfo

    @attrs.frozen(kw_only=True)
    class Plain:
        info: ClassVar[RuleInfo] = RuleInfo(
            name="plain-test", family="plurality", marks={"single"}, winners="single", summary="a test rule"
        )
        style: Literal["a", "b"] = "a"
        limit: int | None = None
        weights: tuple[str, ...] = ()

        def tabulate(self, election: Election, /) -> Any:
            raise NotImplementedError

        def to_dict(self) -> dict[str, Any]:
            return {}

    options = {o.name: o for o in rule_options(Plain)}
    assert (options["style"].type, options["style"].choices, options["style"].default) == ("choice", ("a", "b"), "a")
    assert options["limit"].type == "whole number, or none"
    assert options["weights"].default_text == "(empty)"
    assert describe_rule(Plain)["presets"] == []


def test_rules_lists_every_rule_aligned_and_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["rule", "summary"]
    assert [line.split()[0] for line in lines[1:]] == list(names())
    starts = {line.index(get(line.split()[0]).info.summary) for line in lines[1:]}
    assert len(starts) == 1  # the summaries line up
    code, out, _ = run(capsys, "rules", "--format", "json")
    listed = json.loads(out)
    assert [r["name"] for r in listed] == list(names())
    assert all(r["summary"] == get(r["name"]).info.summary for r in listed)


# -- presets and their citations -----------------------------------------------------------------


def _preset_rules() -> list[str]:
    return [n for n in names() if issubclass(get(n), PresetRule)]


def test_every_preset_carries_a_citation_that_its_documentation_gives() -> None:
    assert set(_preset_rules()) >= {"stv", "two-round"}
    for name in _preset_rules():
        for preset in preset_details(name):
            assert preset.citation, (name, preset.name)
            # every number of the citation (articles, sections, years) is in the preset's own text
            for number in re.findall(r"\d+", preset.citation):
                assert number in preset.text, (name, preset.name, number)
            assert preset.title == preset.text.splitlines()[0]


def test_rules_name_shows_each_preset_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "two-round")
    assert code == 0
    for preset in preset_details("two-round"):
        assert f"source: {preset.citation}" in out
        assert preset.title in out
    data = json.loads(run(capsys, "rules", "two-round", "--format", "json")[1])
    assert {p["name"]: p["citation"] for p in data["presets"]} == {
        p.name: p.citation for p in preset_details("two-round")
    }


def test_a_preset_without_a_citation_says_so() -> None:
    table = Presets()
    table.add("bare")(lambda: {"threshold": "40%"})

    class Bare(TwoRound):
        _presets = table

    assert preset_details(Bare)[0].citation is None
    text = _describe_rule(Bare)
    assert f"source: {NO_SOURCE}" in text


# -- electoral formats [NAME] ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_every_format_is_described_in_text_and_json(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "formats", fmt)
    assert (code, err) == (0, "")
    assert out.startswith(f"{fmt}: ")
    code, out, err = run(capsys, "formats", fmt, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["name"] == fmt
    described = {o["name"] for o in data["options"]}
    own = io._formats.BY_NAME[fmt].options
    assert described == (own | SPEC_FIELDS if io._formats.BY_NAME[fmt].table else own)
    for option in data["options"]:
        assert option["type"], option
        assert option["help"], option


def test_every_read_option_of_every_format_is_declared() -> None:
    for fmt in FORMATS:
        for name in fmt.option_names():
            assert name in READ_OPTIONS, (fmt.name, name)


def test_formats_lists_every_format_with_its_extensions_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formats")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1 : 1 + len(FORMATS)]}
    assert list(rows) == [f.name for f in FORMATS]
    for fmt in FORMATS:
        assert all(ext in rows[fmt.name] for ext in fmt.extensions)
        assert all(option in rows[fmt.name] for option in fmt.options)
    assert all(option in out for option in SPEC_FIELDS)
    listed = json.loads(run(capsys, "formats", "--format", "json")[1])
    assert [d["name"] for d in listed] == [f.name for f in FORMATS]


def test_the_defaults_listed_for_read_options_are_the_readers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cvr.csv"
    path.write_text("A,B,C\n1,2,\n,1,2\n2,1,\n", encoding="utf-8")
    data = json.loads(run(capsys, "formats", "csv", "--format", "json")[1])
    given = []
    for option in data["options"]:
        if option["default"] is not None and not option["marking"]:
            given += ["--read-option", f"{option['name']}={option['default']}"]
    assert given  # first_row and first_column
    plain = run(capsys, "tabulate", str(path), "--rule", "plurality", "--format", "json")
    explicit = run(capsys, "tabulate", str(path), "--rule", "plurality", "--format", "json", *given)
    assert plain[0] == 0
    assert plain == explicit


def test_read_options_are_read_as_declared() -> None:
    assert READ_OPTIONS["first_row"].parse("3") == 3
    assert READ_OPTIONS["candidates"].parse("A, B,,C") == ["A", "B", "C"]
    assert READ_OPTIONS["treat_blank_as_undeclared_write_in"].parse("Yes") is True
    assert READ_OPTIONS["aliases"].parse('{"a-1": "A"}') == {"a-1": "A"}
    for name, bad in (("ranks", "three"), ("treat_blank_as_undeclared_write_in", "maybe"), ("aliases", "[1]")):
        with pytest.raises(FormatError, match=name):
            READ_OPTIONS[name].parse(bad)


# -- unknown names: status 2, one line, the value and close names --------------------------------


@pytest.mark.parametrize(
    ("argv", "named", "suggested"),
    [
        (["rules", "stvv"], "'stvv'", "did you mean 'stv'?"),
        (["rules", "dhont", "--format", "json"], "'dhont'", "did you mean 'dhondt'?"),
        (["rules", "zzzzzz"], "'zzzzzz'", "known rules: adams"),
        (["rules", "borda-count"], "'borda-count'", "did you mean 'borda'?"),
        (["formats", "esss"], "'esss'", "did you mean 'ess'?"),
        (["formats", "clear-ballot"], "'clear-ballot'", "did you mean 'clearballot'?"),
        (["tabulate", "x.csv", "--rule", "plurality", "--input-format", "cvs"], "'cvs'", "did you mean 'csv'?"),
        (["tabulate", "x.json", "--rule", "instant-run-off"], "'instant-run-off'", "did you mean 'instant-runoff'?"),
    ],
)
def test_an_unknown_name_is_one_line_with_close_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], named: str, suggested: str
) -> None:
    (tmp_path / "x.json").write_text(json.dumps(Election.from_counts({"A": 2, "B": 1}).to_dict()))
    (tmp_path / "x.csv").write_text("A,B\n1,2\n")
    argv = [str(tmp_path / a) if a in ("x.csv", "x.json") else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("electoral: error: ")
    assert named in err
    assert suggested in err


def test_every_command_and_option_has_help() -> None:
    """The argparse help strings are the CLI reference's text: none may be missing."""
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"tabulate", "rctab", "rules", "formats"} <= set(subparsers.choices)
    helped = {action.dest: action.help for action in subparsers._choices_actions}
    for command, sub in subparsers.choices.items():
        assert helped.get(command), command
        for action in sub._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, (command, action.dest)


# -- a closed pipe ends quietly (child processes, real pipes) ----------------------------------------


def _command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "electoral", *argv]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    import electoral

    src = str(Path(electoral.__file__).resolve().parents[1])
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "") if env.get("PYTHONPATH") else src
    return env


@pytest.fixture(scope="module")
def big_election(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipe")
    path = folder / "big.json"
    election = Election.from_counts({f"c{i}": i + 1 for i in range(200)})
    path.write_text(json.dumps(election.to_dict()), encoding="utf-8")
    return path


def _pipe_cases(big: Path) -> list[tuple[list[str], int]]:
    tabulate = ["tabulate", str(big), "--rule", "instant-runoff"]
    return [
        (tabulate, 3),
        ([*tabulate, "--format", "json"], 3),
        (["rules"], 1),
        (["rules", "--format", "json"], 1),
        (["rules", "two-round"], 1),
        (["rules", "stv", "--format", "json"], 1),
        (["formats"], 1),
        (["formats", "--format", "json"], 1),
        (["formats", "ess"], 1),
    ]


def test_head_takes_the_first_lines_and_the_command_ends_quietly(big_election: Path) -> None:
    """``electoral ... | head -N``: head's lines are the output's first, stderr is empty, the status 0 or 1."""
    env = _environment()
    for argv, lines in _pipe_cases(big_election):
        whole = subprocess.run(_command(*argv), capture_output=True, text=True, env=env, timeout=120, check=True)
        with subprocess.Popen(_command(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as writer:
            assert writer.stdout is not None
            assert writer.stderr is not None
            head = subprocess.run(["head", f"-{lines}"], stdin=writer.stdout, capture_output=True, timeout=120)
            writer.stdout.close()
            err = writer.stderr.read()
            status = writer.wait(timeout=120)
        assert head.stdout.decode().splitlines() == whole.stdout.splitlines()[:lines], argv
        assert err == b"", (argv, err[-500:])
        # 0 if everything fitted in the pipe before head left; 1 (the documented status) if not
        assert status in (0, 1), argv


def test_a_pipe_closed_before_any_output_gives_status_1_and_no_traceback(big_election: Path) -> None:
    env = _environment()
    for argv, _ in _pipe_cases(big_election):
        with subprocess.Popen(_command(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as process:
            assert process.stdout is not None
            assert process.stderr is not None
            process.stdout.close()  # the reader is gone before the first write
            err = process.stderr.read()
            status = process.wait(timeout=120)
        assert (status, err) == (1, b""), argv


def test_a_big_output_into_head_exits_1(big_election: Path) -> None:
    """About 2 MB of JSON cannot fit in the pipe, so head leaving mid-way must be met, quietly, with status 1."""
    env = _environment()
    argv = _command("tabulate", str(big_election), "--rule", "instant-runoff", "--format", "json")
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as writer:
        assert writer.stdout is not None
        assert writer.stderr is not None
        head = subprocess.run(["head", "-3"], stdin=writer.stdout, capture_output=True, timeout=120)
        writer.stdout.close()
        err = writer.stderr.read()
        status = writer.wait(timeout=120)
    assert len(head.stdout.splitlines()) == 3
    assert (status, err) == (1, b"")


def test_errors_are_still_electoral_errors() -> None:
    """The names of formats and rules are refused with the library's errors, not builtins."""
    from electoral.cli import _format_named

    with pytest.raises(FormatError, match="'cvs'; did you mean 'csv'"):
        _format_named("cvs")
    with pytest.raises(ElectoralError, match="did you mean 'stv'"):
        get("stvv")
    with pytest.raises(ElectoralError, match=r"^no rule is called 'no-such-rule' \(known rules"):
        get("no-such-rule")  # nothing close: no far-fetched suggestion
