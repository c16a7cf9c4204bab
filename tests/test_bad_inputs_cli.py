"""The command-line bad-input catalogue (issue #23): exit 2 and one clear line naming the fix.

Each row: (id, argv, expected exit code, a regular expression for stderr). ``{tmp}``
in an argument is replaced by a temporary folder holding the files made below.
"""

from __future__ import annotations

import json
import re

import pytest

from jenga_games.cli import main
from jenga_games.tower import Provider, Service, Tower

DEEP = '{"schema":"jenga-tower/1","services":' + "[" * 50_000 + "]" * 50_000 + "}"
HUGE = '{"schema":"jenga-tower/1","services":[{"id":"a","activity":' + "9" * 5000 + "}]}"

CASES = [
    ("deeply nested JSON", ["tower", "show", "{tmp}/deep.json"], 2, r"nests too deeply"),
    ("5,000-digit number", ["tower", "show", "{tmp}/huge.json"], 2, r"too long to read"),
    (
        "Latin-1 file",
        ["tower", "show", "{tmp}/latin1.json"],
        2,
        r"not UTF-8.*save the file as UTF-8",
    ),
    (
        "a device",
        ["tower", "show", "/dev/zero"],
        2,
        r"device, not a file|cannot tell the format of ./dev/zero",
    ),
    ("missing file", ["tower", "show", "{tmp}/nope.json"], 2, r"does not exist"),
    (
        "unknown service",
        ["tower", "cascade", "builtin:economy", "--remove", "patholgy"],
        2,
        r"unknown service 'patholgy'.*did you mean",
    ),
    (
        "text fraction",
        ["tower", "cascade", "builtin:economy", "--remove", "pathology=half"],
        2,
        r"cannot read the fraction.*pathology=0.9",
    ),
    (
        "figure as .jpg",
        ["tower", "show", "builtin:jenga", "--draw", "{tmp}/out.jpg"],
        2,
        r"\.jpg is not written; use \.png",
    ),
    (
        "figure without suffix",
        ["tower", "cascade", "builtin:economy", "--remove", "pathology", "--draw", "{tmp}/out"],
        2,
        r"no suffix",
    ),
    (
        "backwards seeds",
        ["exercise", "sheet", "--types", "nf-dominance", "--seeds", "5-2", "--out", "{tmp}/ws"],
        2,
        r"runs backwards.*2-5",
    ),
    (
        "huge seed range",
        [
            "exercise",
            "sheet",
            "--types",
            "nf-dominance",
            "--seeds",
            "0-100000000",
            "--out",
            "{tmp}/ws",
        ],
        2,
        r"more than 1000 seeds",
    ),
    (
        "no types",
        ["exercise", "sheet", "--types", "", "--out", "{tmp}/ws"],
        2,
        r"at least one exercise type.*jenga exercise list",
    ),
    (
        "no seeds",
        ["exercise", "sheet", "--types", "nf-dominance", "--seeds", ",", "--out", "{tmp}/ws"],
        2,
        r"at least one seed",
    ),
]


@pytest.fixture
def tmp(tmp_path):
    (tmp_path / "deep.json").write_text(DEEP)
    (tmp_path / "huge.json").write_text(HUGE)
    (tmp_path / "latin1.json").write_bytes(
        b'{"schema":"jenga-tower/1","services":[{"id":"caf\xe9"}]}'
    )
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "code", "pattern"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_command_line_input(tmp, capsys, argv, code, pattern):
    argv = [a.replace("{tmp}", str(tmp)) for a in argv]
    assert main(argv) == code
    err = capsys.readouterr().err
    assert re.search(pattern, err, re.S), err
    assert err.startswith("jenga: error: ") and "Traceback" not in err
    assert not (tmp / "ws").exists()  # refused before any work


def test_json_and_debug_are_accepted_after_the_sub_command(capsys):
    assert main(["tower", "show", "builtin:jenga", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["services"] == 54
    assert main(["exercise", "list", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_version_is_printed_without_loading_the_sub_commands(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("jenga_games ")


def _fragile(path):
    """A tower that does not stand intact: its provider cannot pay its overhead."""
    Tower(
        [Service("a", provider="P", activity=1, tariff=1), Service("b", provider="P")],
        [("a", "b")],
        [Provider("P", overhead=100)],
    ).to_json(path)


def test_show_exits_1_when_validation_fails(tmp_path, capsys):
    _fragile(tmp_path / "t.json")
    assert main(["tower", "show", str(tmp_path / "t.json")]) == 1
    assert "ok: no" in capsys.readouterr().out


def test_cascade_warns_when_the_tower_does_not_stand_intact(tmp_path, capsys):
    _fragile(tmp_path / "t.json")
    assert main(["tower", "cascade", str(tmp_path / "t.json"), "--remove", "a"]) == 0
    captured = capsys.readouterr()
    assert "does not stand even with nothing removed" in captured.err
    assert "not all caused by the removal" in captured.out


def test_cascade_output_has_units(capsys):
    assert main(["tower", "cascade", "builtin:economy", "--remove", "pathology"]) == 0
    out = capsys.readouterr().out
    assert "units a year" in out and "money a year" in out
    assert re.search(r"failed providers: acute_trust.*in the order they failed", out)


def test_analyse_flags_a_one_player_price_of_anarchy(capsys):
    assert main(["analyse", "builtin:economy", "--player", "A=pathology", "--json"]) == 0
    jenga = json.loads(capsys.readouterr().out)["jenga"]
    assert jenga["price_of_anarchy_degenerate"] is True and jenga["price_of_anarchy"] is None


def test_analyse_refuses_a_jpg_figure_before_the_work(tmp_path, capsys):
    assert main(["analyse", "builtin:economy", "--figure", str(tmp_path / "f.jpg")]) == 2
    assert ".jpg is not written" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_money_follows_patients_orders_top_down_without_layers():
    from jenga_games.commissioning import money_follows_patients

    tower = Tower(
        [
            Service("pathology", provider="P", activity=10, tariff=2, variable_cost=1),
            Service("ward", provider="P", activity=10, tariff=2, variable_cost=1),
            Service("clinic", provider="P", activity=10, tariff=2, variable_cost=1),
        ],
        [("pathology", "ward"), ("pathology", "clinic"), ("ward", "clinic")],
        [Provider("P")],
    )
    assert money_follows_patients(tower).order == ("clinic", "ward", "pathology")
