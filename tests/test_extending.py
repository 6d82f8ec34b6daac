"""The rule package of docs/extending.md: built from the page, installed offline, counted by name.

The package's ``pyproject.toml`` and module, the election file and the
Python and shell sessions are all taken from the code blocks of the page,
so the page cannot drift from what works. The package is installed with
pip (no index, no build isolation) into a fresh virtual environment that
sees this checkout's ``electoral`` and the current environment's packages,
and every count runs in a subprocess of that environment, so the rule is
found through its ``electoral.rules`` entry point and nothing else.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

import electoral
import electoral.rules
from _console import console_pattern

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "extending.md"
TIMEOUT = 120  # seconds for any one subprocess; the whole file takes about 20 s
PIP_OFFLINE = ("--no-index", "--no-build-isolation", "--no-deps", "--no-cache-dir", "--disable-pip-version-check")

# -- the page's code blocks ------------------------------------------------------------

_BLOCK = re.compile(r"^```\{code-block\} (\S+)\n((?::\w+:[^\n]*\n)*)\n?(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, str, str]]:
    """(language, caption, text) of every code block on the page, in order."""
    found = []
    for language, options, text in _BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        caption = re.search(r"^:caption: *(.*)$", options, re.MULTILINE)
        found.append((language, caption.group(1).strip() if caption else "", text))
    return found


BLOCKS = _blocks()


def _file(caption: str) -> str:
    texts = [text for _, cap, text in BLOCKS if cap == caption]
    assert len(texts) == 1, f"docs/extending.md should show {caption} once, in a code block captioned with its name"
    return texts[0]


PYPROJECT = _file("pyproject.toml")
MODULE = _file("electoral_limited_vote.py")
ELECTION = _file("senate.json")
PYTHON_SESSIONS = [text for language, _, text in BLOCKS if language == "pycon"]
SHELL = [text for language, _, text in BLOCKS if language == "shell-session"]


def _commands() -> list[tuple[str, str]]:
    """(command, expected output) for every ``$ electoral`` line of the page's shell sessions."""
    found: list[tuple[str, str]] = []
    for block in SHELL:
        command: str | None = None
        expected: list[str] = []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(expected)))
                command, expected = line[2:].strip(), []
            else:
                expected.append(line)
    return found


_pattern = console_pattern


# -- the environment -------------------------------------------------------------------


class Env:
    """A fresh virtual environment with the page's package installed, and a folder holding senate.json."""

    def __init__(self, python: Path, site: Path, work: Path) -> None:
        self.python = python
        self.site = site
        self.work = work

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args],
            cwd=self.work,
            env=_clean_env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=False,
        )


def _clean_env() -> dict[str, str]:
    """The environment for subprocesses: no PYTHONPATH, so only the venv's paths count; no index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env.update(PYTHONNOUSERSITE="1", PYTHONIOENCODING="utf-8", PIP_NO_INDEX="1", PIP_NO_INPUT="1")
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def _require_build_tools() -> None:
    """pip and hatchling (the page's build backend, in the dev extra) must be importable here."""
    missing = [name for name in ("pip", "hatchling") if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = f"installing the page's package offline needs {' and '.join(missing)} (pip install -e '.[dev]')"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _paths() -> list[str]:
    """This checkout's electoral first, then every folder of packages the tests run with."""
    tests = ROOT / "tests"
    found = [str(Path(electoral.__file__).resolve().parents[1])]
    found += [p for p in sys.path if p and Path(p).is_dir() and not Path(p).resolve().is_relative_to(tests)]
    return list(dict.fromkeys(found))


def _make_env(base: Path) -> Env:
    _require_build_tools()
    package, work, home = base / "electoral-limited-vote", base / "work", base / "venv"
    package.mkdir()
    work.mkdir()
    (package / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (package / "electoral_limited_vote.py").write_text(MODULE, encoding="utf-8")
    (work / "senate.json").write_text(ELECTION, encoding="utf-8")

    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(home)
    python = home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            env=_clean_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
        ).stdout.strip()
    )
    (site / "_electoral_test_paths.pth").write_text("".join(f"{p}\n" for p in _paths()), encoding="utf-8")

    install = subprocess.run(
        [str(python), "-m", "pip", "install", *PIP_OFFLINE, str(package)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert install.returncode == 0, f"pip install of the page's package failed:\n{install.stdout}\n{install.stderr}"
    return Env(python, site, work)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    return _make_env(tmp_path_factory.mktemp("extending"))


# -- the page --------------------------------------------------------------------------


def test_the_page_shows_the_whole_package() -> None:
    assert len(PYTHON_SESSIONS) >= 4
    assert len(_commands()) >= 3
    project = tomllib.loads(PYPROJECT)
    assert project["project"]["entry-points"]["electoral.rules"] == {
        "limited-vote": "electoral_limited_vote:LimitedVote"
    }
    assert electoral.rules.ENTRY_POINT_GROUP == "electoral.rules"
    # the rule is not one of the library's, so the page shows something the library lacks
    assert "limited-vote" not in electoral.rules.names()
    for line in ("class LimitedVote(RuleBase):", "info: ClassVar[RuleInfo] = RuleInfo(", "count.add_round("):
        assert line in MODULE
    assert "def _count(self, election: Election, count: Count) -> None:" in MODULE
    assert "electoral._" not in MODULE, "the page's module uses public names only"


def test_the_page_imports_public_names_only() -> None:
    assert set(electoral.rules.__all__) >= {"Count", "RuleBase", "RuleInfo"}


# -- the installed package -------------------------------------------------------------


def test_the_installed_package_declares_its_entry_point(env: Env) -> None:
    probe = env.run(
        "-c",
        "import json; from importlib.metadata import distribution, entry_points;"
        "eps = entry_points(group='electoral.rules');"
        "print(json.dumps({'eps': sorted([e.name, e.value] for e in eps),"
        " 'at': str(distribution('electoral-limited-vote').locate_file(''))}))",
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout)
    assert found["eps"] == [["limited-vote", "electoral_limited_vote:LimitedVote"]]
    assert Path(found["at"]).resolve() == env.site.resolve(), "installed into the fresh environment"


_COUNT_BY_NAME = """
import json, electoral, electoral.io
election = electoral.io.read("senate.json")
result = electoral.tabulate(election, "limited-vote", votes=3)  # by name: only the entry point knows it
import electoral_limited_vote
round = result.rounds[0]
print(json.dumps({
    "winners": [c.name for c in result.winners],
    "status": result.status,
    "tally": {c.name: v for c, v in round.tally.items()},
    "set_aside": dict(round.set_aside),
    "valid": round.denominator,
    "module": electoral_limited_vote.__file__,
    "electoral": electoral.__file__,
}))
"""


def test_counts_by_name_through_the_entry_point(env: Env) -> None:
    done = env.run("-c", _COUNT_BY_NAME)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    # senate.json by hand, with three votes a voter and four seats:
    #   50 x Alba+Bruno+Carmen, 38 x Diego+Elena+Fermín, 7 x Alba+Diego count;
    #   3 ballots mark four names (void), 2 are blank.
    #   Alba 50+7 = 57, Bruno 50, Carmen 50, Diego 38+7 = 45, Elena 38, Fermín 38.
    assert found["tally"] == {"Alba": 57, "Bruno": 50, "Carmen": 50, "Diego": 45, "Elena": 38, "Fermín": 38}
    assert found["set_aside"] == {"blank": 2, "overvote": 3}
    assert found["valid"] == 50 + 38 + 7
    assert (found["winners"], found["status"]) == (["Alba", "Bruno", "Carmen", "Diego"], "decided")
    assert Path(found["module"]).resolve().parent == env.site.resolve()
    assert Path(found["electoral"]).resolve() == Path(electoral.__file__).resolve()


_DOCTEST = """
import doctest, sys
text = open(sys.argv[1], encoding="utf-8").read()
test = doctest.DocTestParser().get_doctest(text, {}, "docs/extending.md", "docs/extending.md", 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
runner.run(test)
sys.exit(1 if runner.failures or not runner.tries else 0)
"""


def test_the_page_python_sessions(env: Env) -> None:
    sessions = env.work / "sessions.txt"
    sessions.write_text("\n".join(PYTHON_SESSIONS), encoding="utf-8")
    done = env.run("-c", _DOCTEST, str(sessions))
    assert done.returncode == 0, f"docs/extending.md's sessions:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize(("command", "expected"), _commands(), ids=[c for c, _ in _commands()])
def test_the_page_shell_sessions(env: Env, command: str, expected: str) -> None:
    words = shlex.split(command)
    assert words[0] == "electoral"
    done = env.run("-m", "electoral", *words[1:])
    if expected.startswith("electoral: error:"):
        assert (done.returncode, done.stdout) == (2, ""), f"{command!r} should fail with status 2: {done.stderr}"
        shown = done.stderr
    else:
        assert (done.returncode, done.stderr) == (0, ""), f"{command!r} failed: {done.stderr}"
        shown = done.stdout
    assert _pattern(expected).fullmatch(shown), f"{command!r} printed:\n{shown}"


def test_the_command_line_elects_the_hand_counted_winners(env: Env) -> None:
    done = env.run("-m", "electoral", "tabulate", "senate.json", "--rule", "limited-vote", "--option", "votes=3")
    assert done.returncode == 0, done.stderr
    assert "Elected: Alba, Bruno, Carmen, Diego\n" in done.stdout  # as counted by hand above
