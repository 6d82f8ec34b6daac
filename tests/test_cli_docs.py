"""docs/cli.md covers every command and option of the command line's parser.

The page renders each subcommand's options with the ``{cli-reference}``
directive (docs/_ext/cli_reference.py), from :mod:`electoral.cli`'s own
parser; these tests check that every subcommand has its directive, that the
rendering lists every option, and, when the HTML docs are built, that the
built page shows them.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "cli.md"
BUILT = ROOT / "docs" / "_build" / "html" / "cli.html"
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

cli_reference = pytest.importorskip("cli_reference")  # needs Sphinx and docutils (the dev extra)


def _commands() -> dict[str, argparse.ArgumentParser]:
    return cli_reference.subcommands(cli_reference.command_parser())


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """Every option string and positional argument the parser takes, but --help."""
    found = []
    for action in cli_reference.arguments(parser):
        found += action.option_strings or [str(action.metavar or action.dest)]
    return found


def test_the_parser_has_the_commands_the_page_describes() -> None:
    assert {"tabulate", "rctab", "rules"} <= set(_commands())
    assert {"--rule", "--read-option", "--runoff"} <= set(_options(_commands()["tabulate"]))


@pytest.mark.parametrize("name", list(_commands()))
def test_every_subcommand_has_its_reference_on_the_page(name: str) -> None:
    directives = re.findall(r"^```\{cli-reference\} *(\S*)$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    assert name in directives
    assert "" in directives  # the options of electoral itself


@pytest.mark.parametrize("name", list(_commands()))
def test_the_reference_lists_every_option_with_its_help(name: str) -> None:
    parser = _commands()[name]
    terms = [cli_reference.term(action) for action in cli_reference.arguments(parser)]
    for option in _options(parser):
        assert any(re.search(rf"(^|, ){re.escape(option)}( |$|,)", term) for term in terms), (option, terms)
    for action in cli_reference.arguments(parser):
        assert cli_reference.details(parser, action), action  # every one is explained


def test_the_built_page_shows_every_command_and_option() -> None:
    if not BUILT.is_file():
        pytest.skip("the HTML docs are not built (python -m sphinx -b html docs docs/_build/html)")
    text = html.unescape(re.sub(r"<[^>]+>", "", BUILT.read_text(encoding="utf-8")))
    for name, parser in _commands().items():
        assert f"electoral {name}" in text
        for option in _options(parser):
            assert option in text, (name, option)
    assert "--version" in text
