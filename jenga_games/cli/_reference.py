"""The command-line reference, generated from the argparse parser (so it cannot drift).

``python -m jenga_games.cli._reference`` rewrites the generated part of
``docs/reference/command-line.md`` (between the two marker comments);
``tests/cli/test_reference.py`` fails when the page and the parser disagree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["BEGIN", "END", "command_reference", "update_page"]

BEGIN = "<!-- begin generated: python -m jenga_games.cli._reference -->"
END = "<!-- end generated -->"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if action.option_strings:
            name = ", ".join(action.option_strings)
            if action.nargs != 0:
                name += " " + (action.metavar or action.dest.upper())
        else:
            name = action.metavar or action.dest
        help_text = action.help or ""
        if action.choices and not isinstance(action.choices, dict):
            help_text += f" (one of: {', '.join(map(str, action.choices))})"
        if action.required and action.option_strings:
            help_text += " (required)"
        elif (
            action.option_strings
            and action.default not in (None, False, [], argparse.SUPPRESS)
            and "default" not in help_text
        ):
            help_text += f" (default: {action.default})"
        rows.append(f"| `{_cell(name)}` | {_cell(help_text)} |")
    return rows


def _section(path: list[str], parser: argparse.ArgumentParser, help_text: str, out: list[str]):
    children = _subparsers(parser)
    depth = min(len(path) + 1, 4)
    out.append(f"{'#' * depth} `jenga {' '.join(path)}`")
    out.append("")
    if help_text:
        out.append(_cell(help_text[0].upper() + help_text[1:]) + ".")
        out.append("")
    rows = _option_rows(parser)
    if rows:
        out += ["| argument | meaning |", "| --- | --- |", *rows, ""]
    helps = _helps(parser)
    for name, child in children.items():
        _section([*path, name], child, helps.get(name, ""), out)


def command_reference(parser: argparse.ArgumentParser | None = None) -> str:
    """Markdown for every sub-command of ``jenga`` with its arguments and flags."""
    if parser is None:
        from . import build_parser

        parser = build_parser()
    out = [
        "## Commands",
        "",
        "Every command also takes `--json` and `--debug`, before or after the command name.",
        "",
    ]
    helps = _helps(parser)
    for name, child in _subparsers(parser).items():
        _section([name], child, helps.get(name, ""), out)
    return "\n".join(out).rstrip() + "\n"


def update_page(page: str | Path) -> bool:
    """Rewrite the generated part of ``page``; returns whether it changed."""
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    new = f"{head}{BEGIN}\n\n{command_reference()}\n{END}{tail}"
    if new != text:
        from .._io import atomic_write_text

        atomic_write_text(page, new)
    return new != text


if __name__ == "__main__":  # pragma: no cover
    root = Path(__file__).resolve().parents[2]
    changed = update_page(root / "docs" / "reference" / "command-line.md")
    sys.stdout.write("updated\n" if changed else "up to date\n")
