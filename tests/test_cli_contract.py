"""The command line's contract under hostile invocations.

Whatever the arguments (bad paths, NUL or newline or very long names, FIFOs,
devices, folders, missing or unwritable output folders, bad options, huge
numbers), a failure exits with status 2, writes exactly one line of at most
2,000 characters on standard error and nothing on standard output, shows no
traceback, and leaves no file behind: no report, no temporary file, and no
change to a file that was already there. Invocations that could block (a
FIFO) run in a child process with a time limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from electoral.cli import main
from electoral.errors import ElectoralError
from rctab_contest import write_contest

HUGE = "9" * 5000
LONG_NAME = "n" * 5000


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (hidden ones too): a file's bytes, a link's target, or a kind."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            entries[key] = "link -> " + os.readlink(path)
        elif path.is_fifo():
            entries[key] = "fifo"
        elif path.is_dir():
            entries[key] = "folder"
        else:
            entries[key] = path.read_bytes()
    return entries


def assert_refused(status: int, out: str, err: str, *names: str) -> None:
    assert status == 2, (status, out[:300], err[:300])
    assert out == ""
    assert "Traceback" not in err
    assert err.endswith("\n"), err[:2000]
    assert err.count("\n") == 1, err[:2000]
    assert len(err) <= 2000
    assert err.startswith("electoral"), err
    assert "error: " in err, err
    for name in names:
        assert name in err, err


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder: an election, a contest, a folder, a plain file, a link to /dev/zero."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "election.json").write_text(json.dumps({"votes": {"A": 3, "B": 1}}), encoding="utf-8")
    write_contest(tmp_path)
    write_contest(tmp_path, mode="multiPassIrv", winners=2, name="multi_config.json", cvr=None)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not an election\n", encoding="utf-8")
    (tmp_path / "nl\nname.json").write_text("{", encoding="utf-8")
    (tmp_path / "old.json").write_text("old report\n", encoding="utf-8")
    if Path("/dev/zero").exists():
        os.symlink("/dev/zero", tmp_path / "zero.csv")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as usage:  # argparse's own errors exit from main
        status = usage.code if isinstance(usage.code, int) else -1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


T = ["tabulate"]
ELECTION = ["tabulate", "election.json"]
PLURALITY = ["--rule", "plurality"]
RCTAB = ["rctab", "contest_config.json"]

HOSTILE: list[tuple[str, list[str], tuple[str, ...]]] = [
    # paths given to tabulate
    ("missing file", [*T, "missing.json", *PLURALITY], ("missing.json", "no such file")),
    ("NUL in the path", [*T, "a\x00b.json", *PLURALITY], ("a\\x00b.json", "NUL")),
    ("newline in the name", [*T, "nl\nname.json", *PLURALITY], ("nl\\nname.json",)),
    ("very long name", [*T, LONG_NAME + ".json", *PLURALITY], ("nnn",)),
    ("name too long for the system", [*T, "a" * 300 + ".json", *PLURALITY], ("aaa",)),
    ("a device", [*T, "zero.csv", *PLURALITY], ("zero.csv", "device")),
    ("a device with a format", [*T, "zero.csv", *PLURALITY, "--input-format", "cdf"], ("zero.csv", "device")),
    ("an empty folder", [*T, "empty", *PLURALITY], ("empty", "cannot tell the format")),
    ("a folder read as CSV", [*T, "empty", *PLURALITY, "--input-format", "csv"], ("empty", "folder")),
    ("a folder read as JSON", [*T, "empty", *PLURALITY, "--input-format", "json"], ("empty", "folder")),
    (
        "a file read as Dominion",
        [*T, "notes.txt", *PLURALITY, "--input-format", "dominion", "--read-option", "contest=1"],
        ("notes.txt", "folder"),
    ),
    ("unknown content", [*T, "notes.txt", *PLURALITY], ("notes.txt", "cannot tell the format")),
    ("unknown format", [*ELECTION, *PLURALITY, "--input-format", "x" * 3000], ("unknown format",)),
    ("a runoff that is a device", [*ELECTION, "--rule", "two-round", "--runoff", "zero.csv"], ("zero.csv",)),
    # rules and options
    ("unknown rule", [*ELECTION, "--rule", "no-such-rule"], ("no-such-rule",)),
    ("unknown rule, very long", [*ELECTION, "--rule", LONG_NAME], ("nnn",)),
    ("no rule", [*ELECTION], ("--rule",)),
    ("bad output format", [*ELECTION, *PLURALITY, "--format", "xml\nforged line"], ("xml\\nforged",)),
    ("option without '='", [*ELECTION, *PLURALITY, "--option", "seats"], ("KEY=VALUE",)),
    ("option without a key", [*ELECTION, *PLURALITY, "--option", "=3"], ("KEY=VALUE",)),
    ("unknown option", [*ELECTION, *PLURALITY, "--option", LONG_NAME + "=1"], ("nnn",)),
    ("huge seats", [*ELECTION, "--rule", "stv", "--option", f"seats={HUGE}"], ("seats",)),
    ("huge threshold", [*ELECTION, "--rule", "instant-runoff", "--option", "threshold=1e999999"], ()),
    ("huge seed", [*ELECTION, "--rule", "instant-runoff", "--option", f"seed={HUGE}"], ()),
    ("huge tie-break", [*ELECTION, "--rule", "instant-runoff", "--option", "tie_break=" + LONG_NAME], ()),
    ("superscript read option", [*T, "cvr.csv", *PLURALITY, "--read-option", "first_column=²"], ("first_column",)),
    ("Arabic-Indic read option", [*T, "cvr.csv", *PLURALITY, "--read-option", "first_row=٣"], ("first_row",)),
    ("underscored read option", [*T, "cvr.csv", *PLURALITY, "--read-option", "ranks=1_0"], ("ranks",)),
    ("negative read option", [*T, "cvr.csv", *PLURALITY, "--read-option", "first_column=-1"], ("first_column",)),
    ("huge read option", [*T, "cvr.csv", *PLURALITY, "--read-option", f"first_column={HUGE}"], ("first_column",)),
    ("huge first row", [*T, "cvr.csv", *PLURALITY, "--read-option", "first_row=" + "9" * 40], ()),
    ("huge max_rankings", [*T, "cvr.csv", *PLURALITY, "--read-option", f"max_rankings={HUGE}"], ("max_rankings",)),
    ("huge read seats", [*T, "cvr.csv", *PLURALITY, "--read-option", "seats=" + "9" * 40], ("seats",)),
    ("unknown read option", [*T, "cvr.csv", *PLURALITY, "--read-option", "colour=red"], ("colour",)),
    ("read option for JSON", [*ELECTION, *PLURALITY, "--read-option", "contest=x"], ("election.json",)),
    # rctab inputs
    ("missing config", ["rctab", "missing_config.json", "--json", "o.json"], ("missing_config.json",)),
    ("config is a folder", ["rctab", "empty", "--json", "o.json"], ("empty", "folder")),
    ("config is a device", ["rctab", "zero.csv", "--json", "o.json"], ("zero.csv", "device")),
    ("config is not JSON", ["rctab", "notes.txt", "--json", "o.json"], ("notes.txt",)),
    ("no report asked for", [*RCTAB], ("--json",)),
    ("empty report name", [*RCTAB, "--json", ""], ("--json",)),
    ("workers superscript", [*RCTAB, "--json", "o.json", "--workers", "²"], ("--workers",)),
    ("workers negative", [*RCTAB, "--json", "o.json", "--workers", "-1"], ("--workers",)),
    ("workers huge", [*RCTAB, "--json", "o.json", "--workers", HUGE], ("--workers",)),
    ("workers too many", [*RCTAB, "--json", "o.json", "--workers", "257"], ("--workers",)),
    # rctab outputs
    ("missing output folder", [*RCTAB, "--json", "o.json", "--csv", "no/such/dir/x.csv"], ("x.csv",)),
    ("output is a folder", [*RCTAB, "--json", "empty"], ("empty", "folder")),
    ("output is a device", [*RCTAB, "--json", "zero.csv"], ("zero.csv", "device")),
    ("output under a file", [*RCTAB, "--json", "notes.txt/o.json"], ("notes.txt/o.json",)),
    ("output with NUL", [*RCTAB, "--json", "o\x00.json"], ("NUL",)),
    ("output name too long", [*RCTAB, "--json", "o" * 300 + ".json"], ("ooo",)),
    ("one file for both reports", [*RCTAB, "--json", "old.json", "--csv", "old.json"], ("old.json",)),
    ("existing report, second fails", [*RCTAB, "--json", "old.json", "--csv", "empty"], ("empty",)),
    ("multi-pass into a folder name", ["rctab", "multi_config.json", "--json", ".."], ("..", "file name")),
    ("multi-pass into the root", ["rctab", "multi_config.json", "--csv", "/"], ("/", "file name")),
]


@pytest.mark.parametrize(("argv", "names"), [(a, n) for _, a, n in HOSTILE], ids=[i for i, _, _ in HOSTILE])
def test_hostile_invocation_is_refused_in_one_line(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str], names: tuple[str, ...]
) -> None:
    if "zero.csv" in argv and not (folder / "zero.csv").exists():
        pytest.skip("no /dev/zero here")
    before = snapshot(folder)
    assert_refused(*run(capsys, argv), *names)
    assert snapshot(folder) == before


def test_multi_pass_leaves_no_pass_when_a_later_one_fails(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "mp_2.json").mkdir()
    (folder / "mp_1.json").write_text("kept\n", encoding="utf-8")
    before = snapshot(folder)
    assert_refused(*run(capsys, ["rctab", "multi_config.json", "--json", "mp.json"]), "mp_2.json")
    assert snapshot(folder) == before


def test_unwritable_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("the superuser writes into read-only folders")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "old.json").write_text("old\n", encoding="utf-8")
    locked.chmod(0o500)
    try:
        before = snapshot(folder)
        assert_refused(*run(capsys, [*RCTAB, "--json", "locked/old.json"]), "old.json")
        assert_refused(*run(capsys, [*RCTAB, "--json", "locked/new.json"]), "new.json")
        assert snapshot(folder) == before
    finally:
        locked.chmod(0o700)


def test_read_only_report_is_not_replaced(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("the superuser writes read-only files")
    (folder / "old.json").chmod(0o444)
    before = snapshot(folder)
    assert_refused(*run(capsys, [*RCTAB, "--json", "old.json"]), "old.json")
    assert snapshot(folder) == before


# -- what a successful write does --------------------------------------------------------------


def test_reports_replace_existing_files_keeping_their_permissions(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "old.json").chmod(0o640)
    status, out, err = run(capsys, [*RCTAB, "--json", "old.json", "--csv", "new.csv"])
    assert (status, err) == (0, "")
    assert out == "wrote old.json\nwrote new.csv\n"
    assert json.loads((folder / "old.json").read_text(encoding="utf-8"))["jsonFormatVersion"] == "1"
    assert (folder / "old.json").stat().st_mode & 0o777 == 0o640
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_a_symlinked_report_is_written_through_the_link(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "reports").mkdir()
    (folder / "reports" / "victim.txt").write_text("old\n", encoding="utf-8")
    os.symlink("reports/victim.txt", folder / "link.json")
    os.symlink("reports/created.json", folder / "dangling.json")
    status, _, err = run(capsys, [*RCTAB, "--json", "link.json", "--csv", "dangling.json"])
    assert (status, err) == (0, "")
    # the links stay links; the files they point to get the reports
    assert os.readlink(folder / "link.json") == "reports/victim.txt"
    assert os.readlink(folder / "dangling.json") == "reports/created.json"
    assert json.loads((folder / "reports" / "victim.txt").read_text(encoding="utf-8"))["jsonFormatVersion"] == "1"
    assert (folder / "reports" / "created.json").read_text(encoding="utf-8").startswith("Contest Information")
    assert sorted(p.name for p in (folder / "reports").iterdir()) == ["created.json", "victim.txt"]


def test_a_symlink_loop_is_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("loop_b.json", folder / "loop_a.json")
    os.symlink("loop_a.json", folder / "loop_b.json")
    before = snapshot(folder)
    assert_refused(*run(capsys, [*RCTAB, "--json", "loop_a.json"]), "loop_a.json")
    assert snapshot(folder) == before


def test_the_config_output_directory_is_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_contest(tmp_path / "contest", output={"outputDirectory": str(tmp_path / "rctab_output")})
    status, _, err = run(capsys, ["rctab", str(config), "--json", str(tmp_path / "o.json")])
    assert (status, err) == (0, "")
    assert not (tmp_path / "rctab_output").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contest", "o.json"]
    assert sorted(p.name for p in (tmp_path / "contest").iterdir()) == ["contest_config.json", "cvr.csv"]


def test_a_failed_rename_puts_earlier_reports_back(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from electoral.errors import FormatError
    from electoral.io import _files

    real_replace = os.replace
    calls: list[str] = []

    def flaky(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        calls.append(os.fspath(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    before = snapshot(folder)
    monkeypatch.setattr(_files.os, "replace", flaky)
    with pytest.raises(FormatError, match=r"new\.json: cannot write the file: No space left"):
        _files.write_files([(folder / "old.json", "new content"), (folder / "new.json", "x")])
    monkeypatch.undo()
    assert snapshot(folder) == before


def test_a_failed_write_leaves_no_temporary_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from electoral.errors import FormatError
    from electoral.io import _files

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    before = snapshot(folder)
    monkeypatch.setattr(_files.os, "fsync", full)
    with pytest.raises(FormatError, match=r"old\.json: cannot write the file: No space left"):
        _files.write_files([(folder / "old.json", "new content")])
    monkeypatch.undo()
    assert snapshot(folder) == before


# -- in a child process: inputs that could block, and a closed pipe ----------------------------


def _child(argv: list[str], cwd: Path, close_stdout: bool = False) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "electoral", *argv]
    if not close_stdout:
        child = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
        return child.returncode, child.stdout, child.stderr
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # the reader goes away before anything is written, as '| head' can
        err = process.stderr.read()
        return process.wait(timeout=60), "", err


FIFO_CASES: list[tuple[str, Callable[[Path], list[str]], tuple[str, ...]]] = [
    ("input", lambda f: ["tabulate", "fifo.json", *PLURALITY], ("fifo.json", "FIFO")),
    ("input with a format", lambda f: ["tabulate", "fifo.json", *PLURALITY, "--input-format", "csv"], ("fifo.json",)),
    ("runoff", lambda f: [*ELECTION, "--rule", "two-round", "--runoff", "fifo.json"], ("fifo.json",)),
    ("config", lambda f: ["rctab", "fifo.json", "--json", "o.json"], ("fifo.json",)),
    ("report", lambda f: [*RCTAB, "--json", "fifo.json"], ("fifo.json", "FIFO")),
    (
        "CVR source",
        lambda f: ["rctab", str(write_contest(f / "sub", file_path="../fifo.json")), "--json", "o.json"],
        ("fifo.json", "FIFO"),
    ),
]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize(("make", "names"), [(m, n) for _, m, n in FIFO_CASES], ids=[i for i, _, _ in FIFO_CASES])
def test_a_fifo_is_refused_without_blocking(
    folder: Path, make: Callable[[Path], list[str]], names: tuple[str, ...]
) -> None:
    os.mkfifo(folder / "fifo.json")
    argv = make(folder)
    before = snapshot(folder)
    assert_refused(*_child(argv, folder), *names)
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "argv",
    [["rules"], [*ELECTION, *PLURALITY], [*ELECTION, *PLURALITY, "--format", "json"]],
    ids=["rules", "tabulate", "tabulate-json"],
)
def test_a_closed_standard_output_ends_quietly(folder: Path, argv: list[str]) -> None:
    status, _, err = _child(argv, folder, close_stdout=True)
    assert err == ""
    assert status == 1


def test_a_reader_that_leaves_mid_output_ends_the_command_quietly(tmp_path: Path) -> None:
    # about 2 MB of JSON: the reader takes a few bytes and goes away while the result is written
    from electoral import Election

    election = Election.from_counts({f"c{i}": i + 1 for i in range(200)})
    (tmp_path / "big.json").write_text(json.dumps(election.to_dict()), encoding="utf-8")
    command = [sys.executable, "-m", "electoral", "tabulate", "big.json", "--rule", "instant-runoff"]
    command += ["--format", "json"]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()
        err = process.stderr.read()
        assert process.wait(timeout=60) == 1
    assert err == b""


def test_a_group_of_ballot_errors_is_one_line(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from electoral import cli
    from electoral.errors import BallotError, BallotErrorGroup

    def failing(*args: object, **options: object) -> None:
        problems: list[ElectoralError] = [BallotError(f"ballot {n}:\nbad") for n in range(5)]
        raise BallotErrorGroup("5 ballots are invalid", problems)

    monkeypatch.setattr(cli.io, "read", failing)
    status, out, err = run(capsys, [*ELECTION, *PLURALITY])
    assert_refused(status, out, err, "5 ballots are invalid: ballot 0:\\nbad; ballot 1", "; and 2 more")
