"""docs/reference/command-line.md lists every sub-command and flag, generated from argparse."""

from __future__ import annotations

from pathlib import Path

from jenga_games.cli import build_parser
from jenga_games.cli._reference import BEGIN, END, command_reference

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "command-line.md"


def test_command_line_reference_is_in_sync_with_the_parser():
    text = PAGE.read_text(encoding="utf-8")
    generated = text.partition(BEGIN)[2].partition(END)[0].strip()
    assert generated == command_reference().strip(), (
        "docs/reference/command-line.md is out of date: run "
        "`.venv/bin/python -m jenga_games.cli._reference` and commit the page"
    )


def test_reference_names_every_sub_command_and_flag():
    text = command_reference()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, child in sub.choices.items():
        assert f"`jenga {name}`" in text
        for action in child._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert f"`{flag}" in text, (name, flag)
