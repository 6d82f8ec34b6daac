"""A Sphinx directive that renders a command's options from ``electoral.cli``'s parser.

``{cli-reference} tabulate`` shows the usage line of ``electoral tabulate``
and a definition list of its arguments and options (metavar, choices,
default, help), read from the argparse parser the command line itself uses,
so the page cannot fall behind the code. ``{cli-reference}`` with no
argument shows the options of ``electoral`` itself. With ``:if-present:``,
a subcommand this version lacks renders nothing instead of failing, and the
directive's content (its explanation) is shown only with the options. A subcommand that no page
renders is a warning (an error under ``-W``) when the build ends.
"""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)


def command_parser() -> argparse.ArgumentParser:
    """The parser of ``electoral``, as :func:`electoral.cli.main` builds it."""
    from electoral import cli

    return cli._parser()


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser, in the order ``electoral --help`` lists them."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments and options a page documents: all but ``--help`` and the subcommand slot."""
    return [
        a
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)) and a.help != argparse.SUPPRESS
    ]


def term(action: argparse.Action) -> str:
    """How the argument is written: ``--rule RULE``, ``--format {text,json}``, ``file``."""
    if not action.option_strings:
        return str(action.metavar or action.dest)
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    if action.metavar is not None:
        value = str(action.metavar)
    elif action.choices is not None:
        value = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        value = action.dest.upper()
    return ", ".join(f"{flag} {value}" for flag in action.option_strings)


def details(parser: argparse.ArgumentParser, action: argparse.Action) -> list[str]:
    """The sentences that describe an argument: its help, choices, default, whether it is required or repeatable."""
    text = parser._get_formatter()._expand_help(action) if action.help else ""  # expands %(default)s and %%
    found = [text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")] if text else []
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        found.append("Choices: " + ", ".join(f"``{c}``" for c in action.choices) + ".")
    if action.required and action.option_strings:
        found.append("Required.")
    if isinstance(action, argparse._AppendAction):
        if "repeatable" not in text:
            found.append("May be given more than once.")
    elif action.default not in (None, argparse.SUPPRESS, False) and action.option_strings and "default" not in text:
        found.append(f"Default: ``{action.default}``.")
    if action.nargs == "?" and not action.option_strings:
        found.append("Optional.")
    return found


def usage(parser: argparse.ArgumentParser) -> str:
    return parser.format_usage().removeprefix("usage: ").strip()


class CliReference(SphinxDirective):
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"no-usage": directives.flag, "if-present": directives.flag}

    def run(self) -> list[nodes.Node]:
        parser = command_parser()
        name = self.arguments[0] if self.arguments else None
        if name is not None:
            commands = subcommands(parser)
            if name not in commands and "if-present" in self.options:
                return []
            if name not in commands:
                raise self.error(f"electoral has no subcommand {name!r}; it has {', '.join(commands)}")
            parser = commands[name]
            shown: set[tuple[str, str]] = getattr(self.env, "electoral_cli_commands", set())
            shown.add((self.env.docname, name))
            self.env.electoral_cli_commands = shown  # type: ignore[attr-defined]
        found: list[nodes.Node] = []
        if self.content:
            explanation = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, explanation)
            found.extend(explanation.children)
        if "no-usage" not in self.options:
            found.append(nodes.literal_block(text=usage(parser), language="text"))
        listing = nodes.definition_list(classes=["cli-options"])
        for action in arguments(parser):
            item = nodes.definition_list_item()
            item += nodes.term("", "", nodes.literal(text=term(action)))
            definition = nodes.definition()
            for sentence in details(parser, action):
                paragraph = nodes.paragraph()
                paragraph.extend(_inline(sentence))
                definition += paragraph
            item += definition
            listing += item
        found.append(listing)
        return found


def _inline(sentence: str) -> list[nodes.Node]:
    """A sentence with ``literal`` parts as docutils nodes."""
    parts = sentence.split("``")
    return [nodes.literal(text=p) if i % 2 else nodes.Text(p) for i, p in enumerate(parts) if p]


def purge(app: Any, env: Any, docname: str) -> None:
    shown = getattr(env, "electoral_cli_commands", set())
    env.electoral_cli_commands = {(doc, name) for doc, name in shown if doc != docname}


def merge(app: Any, env: Any, docnames: Any, other: Any) -> None:
    shown = getattr(env, "electoral_cli_commands", set()) | getattr(other, "electoral_cli_commands", set())
    env.electoral_cli_commands = shown


def check_coverage(app: Any, env: Any) -> None:
    shown = {name for _, name in getattr(env, "electoral_cli_commands", set())}
    missing = [name for name in subcommands(command_parser()) if name not in shown]
    if missing:
        LOGGER.warning("no page renders the options of electoral %s ({cli-reference} NAME)", ", ".join(missing))


def reread(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The pages that render the parser: read again on every build, since the parser can change while they do not."""
    return sorted({doc for doc, _ in getattr(env, "electoral_cli_commands", set())})


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("cli-reference", CliReference)
    app.connect("env-get-outdated", reread)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-check-consistency", check_coverage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
