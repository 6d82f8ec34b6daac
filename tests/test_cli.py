"""The command line: results on success, one clear line and status 2 on user error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import electoral.rules
from electoral.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_main_job_on_the_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "tabulate",
        str(EXAMPLES / "kyrgyzstan-2017.json"),
        "--rule",
        "two-round",
        "--option",
        "preset=kyrgyzstan-president",
    )
    assert code == 0, err
    assert "Elected: Jeenbekov" in out
    assert "54.22" in out
    assert err == ""


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "tabulate",
        str(EXAMPLES / "kyrgyzstan-2017.json"),
        "--rule",
        "two-round",
        "--option",
        "preset=kyrgyzstan-president",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "electoral.result"
    assert data["winners"] == ["Jeenbekov"]
    assert data["rule"]["options"]["preset_name"] == "kyrgyzstan-president"


def test_runoff_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "r1.json"
    second = tmp_path / "r2.json"
    first.write_text(json.dumps({"votes": {"A": 45, "B": 40, "C": 15}}))
    second.write_text(json.dumps({"votes": {"A": 48, "B": 52}}))
    code, out, _ = run(capsys, "tabulate", str(first), "--rule", "two-round", "--runoff", str(second))
    assert code == 0
    assert "Elected: B" in out


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    for name in ("plurality", "two-round", "contingent", "supplementary"):
        assert any(line.startswith(name + " ") for line in out.splitlines())


def test_rules_describes_one_rule_with_its_options_and_presets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "two-round")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("two-round: ")
    assert "takes runoff ballots (--runoff)" in lines[1]
    assert any(line.split() == ["tie_break", "=", "stop", *line.split()[3:]] for line in lines)
    presets = lines[lines.index("presets (--option preset=NAME), each with its legal source:") + 1 :]
    named = {line.split()[0] for line in presets if not line.strip().startswith("source:")}
    assert named == set(electoral.rules.list_presets("two-round"))
    code, out, _ = run(capsys, "rules", "borda")
    assert code == 0
    assert "presets" not in out
    code, out, err = run(capsys, "rules", "no-such-rule")
    assert (code, out) == (2, "")
    assert err.startswith("electoral: error: no rule is called 'no-such-rule'")


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        ("{bad", ["--rule", "plurality"], "line 1: malformed JSON"),
        ('{"votes": {"A": 1}}', ["--rule", "nope"], "no rule is called 'nope'"),
        ('{"votes": {"A": 1}}', ["--rule", "two-round", "--option", "colour=red"], "no option 'colour'"),
        ('{"votes": {"A": 1}}', ["--rule", "two-round", "--option", "threshold=lots"], "'lots'"),
        ('{"votes": {"A": 1}}', ["--rule", "two-round", "--option", "nonsense"], "KEY=VALUE"),
        ('{"votes": {"A": -1}}', ["--rule", "plurality"], "votes['A']"),
        ('{"votes": {"A": 1}}', ["--rule", "two-round", "--option", "preset=france-legislative"], "registered"),
    ],
)
def test_user_errors_give_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, argv: list[str], message: str
) -> None:
    path = tmp_path / "election.json"
    path.write_text(content)
    code, out, err = run(capsys, "tabulate", str(path), *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "tabulate", "no-such-file.json", "--rule", "plurality")
    assert code == 2
    assert "no-such-file.json" in err
    assert out == ""


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["tabulate"])
    assert caught.value.code == 2
