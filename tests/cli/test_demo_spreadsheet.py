"""`jenga demo --tower economy.xlsx` gives the same report data as the built-in economy."""

import json

import pytest

from jenga_games.cli import demo as demo_cli
from jenga_games.cli import main
from jenga_games.cli._economy_report import section_health, section_sources
from jenga_games.tower import local_health_economy, read_tower, write_tower


def _data(tower, out):
    ctx = demo_cli.DemoContext(tower=tower, out=out)
    out.mkdir()
    sections = [
        demo_cli.section_what_stands,
        demo_cli.section_weakest_blocks,
        section_health,
        section_sources,
    ]
    text = demo_cli.write_report(ctx, sections).read_text()
    return ctx.data, text


@pytest.mark.parametrize("fmt", ["economy.xlsx", "economy"])
def test_spreadsheet_tower_gives_the_same_report_data(tmp_path, fmt):
    built_in, text_a = _data(local_health_economy(), tmp_path / "a")
    write_tower(local_health_economy(), tmp_path / fmt)
    mine, text_b = _data(read_tower(tmp_path / fmt), tmp_path / "b")
    assert mine == built_in
    assert text_a == text_b
    assert "## Assumptions and sources" in text_a


@pytest.mark.slow
def test_demo_command_on_a_spreadsheet(tmp_path, capsys):
    write_tower(local_health_economy(), tmp_path / "economy.xlsx")
    assert main(["--json", "demo", "--out", str(tmp_path / "a")]) == 0
    a = json.loads(capsys.readouterr().out)
    args = [
        "--json",
        "demo",
        "--tower",
        str(tmp_path / "economy.xlsx"),
        "--out",
        str(tmp_path / "b"),
    ]
    assert main(args) == 0
    b = json.loads(capsys.readouterr().out)
    for key in set(a) - {"report", "figures"}:
        assert a[key] == b[key], key
