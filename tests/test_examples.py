"""electoral.examples: the bundled elections by name, from a checkout and from the built wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import attrs
import numpy
import pytest

import electoral.examples
from electoral import Election, tabulate
from electoral.cli import main
from electoral.errors import ElectoralError, UnknownExampleError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TIMEOUT = 180  # seconds for the wheel's build or one subprocess


def test_names_are_the_files_of_the_examples_folder() -> None:
    files = sorted(p.stem for p in EXAMPLES.iterdir() if p.suffix in {".json", ".blt"})
    assert list(electoral.examples.names()) == files
    assert "kyrgyzstan-2017" in files
    assert "shetland-2012-north-isles" in files


@pytest.mark.parametrize("name", electoral.examples.names())
def test_every_example_loads_and_names_its_source(name: str) -> None:
    election = electoral.examples.load(name)
    assert isinstance(election, Election)
    assert election.candidates
    assert electoral.examples.path(name).is_file()
    # examples/README.md gives each file's source (and licence, where one is stated)
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert f"`{electoral.examples.path(name).name}`" in readme


def test_a_bundled_example_counts_to_its_published_winner() -> None:
    # Central Election Commission of the Kyrgyz Republic, results certified 30 October 2017
    result = tabulate(electoral.examples.load("kyrgyzstan-2017"), "two-round", preset="kyrgyzstan-president")
    assert result.winner.name == "Jeenbekov"


@pytest.mark.parametrize("name", ["atlantis-1999", "README", "kyrgyzstan-2017.json", "", 2017])
def test_an_unknown_name_is_refused_with_the_names_there_are(name: object) -> None:
    with pytest.raises(UnknownExampleError) as caught:
        electoral.examples.load(name)  # type: ignore[arg-type]
    message = str(caught.value)
    assert repr(name) in message
    assert "burlington-2009, france-2022-round1" in message
    assert isinstance(caught.value, ElectoralError)
    assert isinstance(caught.value, LookupError)


def test_the_command_line_counts_an_example_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "tabulate",
            "example:france-2022-round1",
            "--runoff",
            "example:france-2022-round2",
            "--rule",
            "two-round",
            "--option",
            "preset=france-president",
        ]
    )
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert "Elected: Macron" in out


def test_the_command_line_refuses_an_unknown_example(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["tabulate", "example:nowhere", "--rule", "plurality"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.startswith("electoral: error: no bundled example is named 'nowhere'; the examples are: burlington")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout by hatchling (the build backend, in the dev extra), offline."""
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (built,) = out.glob("electoral-*.whl")
    return built


def test_the_wheel_carries_every_example_and_its_readme(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n.removeprefix("electoral/examples/data/") for n in archive.namelist() if "/examples/data/" in n}
    assert shipped == {p.name for p in EXAMPLES.iterdir() if p.is_file()}
    assert "README.md" in shipped


def test_the_installed_wheel_loads_examples_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    """Unpacked as pip installs it, with no checkout on the path, and run from an unrelated folder."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    dependencies = {str(Path(m.__file__).resolve().parents[1]) for m in (attrs, numpy)}  # type: ignore[arg-type]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), *sorted(dependencies)])
    script = (
        "import electoral, electoral.examples as ex, electoral.cli as cli, pathlib;"
        "print(pathlib.Path(electoral.__file__).parent);"
        "print(ex.path('kyrgyzstan-2017'));"
        "print(electoral.tabulate(ex.load('kyrgyzstan-2017'), 'two-round', preset='kyrgyzstan-president').winner.name);"
        "raise SystemExit(cli.main(['tabulate', str(ex.path('shetland-2012-north-isles')), '--rule', 'stv',"
        " '--option', 'preset=scotland']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    package, example, winner, *report = run.stdout.splitlines()
    assert Path(package) == site / "electoral"
    assert Path(example) == site / "electoral" / "examples" / "data" / "kyrgyzstan-2017.json"
    assert winner == "Jeenbekov"
    # the three councillors elected for North Isles on 3 May 2012 (Shetland Islands Council's declaration)
    assert all(name in "\n".join(report) for name in ("Robert HENDERSON", "Steven COUTTS", "Gary CLEAVER"))
