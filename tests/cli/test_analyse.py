"""``jenga analyse FILE``: the finance and Jenga commissioning models on a user's tower file."""

import json

import pytest

from jenga_games.cli import main
from jenga_games.tower import AnyOf, Provider, Service, Tower


@pytest.fixture
def tower_file(tmp_path):
    """A hospital of two wards (each a = 10, p = 2, c = 0.6, f = 12; headroom 1 + 1 + 2 − 3 = 1) and a
    community roof that stands while either ward stands."""
    t = Tower(
        [
            Service(
                "ward_a", provider="hosp", activity=10, tariff=2, variable_cost=0.6, fixed_cost=13
            ),
            Service(
                "ward_b", provider="hosp", activity=10, tariff=2, variable_cost=0.6, fixed_cost=13
            ),
            Service("roof", critical=True, support=AnyOf()),
        ],
        [("ward_a", "roof"), ("ward_b", "roof")],
        [Provider("hosp", overhead=3, reserves=2)],
    )
    path = tmp_path / "economy.json"
    t.to_json(path)
    return path


def test_finance_on_a_file(tower_file, capsys):
    """Headroom 2 × (10 × 1.4 − 13) + 2 − 3 = 1; the provider fails after 1/1.4 = 0.7143 units."""
    assert main(["analyse", str(tower_file)]) == 0
    out = capsys.readouterr().out
    assert "provider 'hosp'" in out and "headroom intact: 1" in out
    assert "first unviable after 0.7143" in out
    assert "Jenga commissioning: skipped" in out


def test_jenga_with_players_and_json(tower_file, capsys):
    assert (
        main(
            [
                "--json",
                "analyse",
                str(tower_file),
                "--player",
                "A=ward_a",
                "--player",
                "B=ward_b",
                "--collapse-cost",
                "0",
                "--shared-collapse-cost",
                "0",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["finance"]["provider_unviable_at"] == pytest.approx(1 / 1.4)
    rows = {r["index"]: r for r in data["jenga"]["table"]}
    assert set(rows) == {"myopic", "competitive", "cooperative"}
    assert rows["competitive"]["fell"]  # moving a ward topples the hospital and no cost deters it


def test_figures(tower_file, tmp_path, capsys):
    out = tmp_path / "fin.png"
    assert (
        main(["analyse", str(tower_file), "--player", "A=ward_a,ward_b", "--figure", str(out)]) == 0
    )
    assert out.exists() and (tmp_path / "fin-jenga.png").exists()


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--player", "A"], "NAME=service1"),
        (["--player", "A=nowhere"], "nowhere"),
        (["--provider", "ghost"], "ghost"),
        (["--player", "A=ward_a", "--player", "A=ward_b"], "twice"),
    ],
)
def test_bad_input_exit_2(tower_file, capsys, argv, needle):
    assert main(["analyse", str(tower_file), *argv]) == 2
    assert needle in capsys.readouterr().err


def test_missing_file(capsys, tmp_path):
    assert main(["analyse", str(tmp_path / "none.json")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_order_and_integer_ids(tmp_path, capsys):
    """Integer service ids on the command line; the order decides which ward is emptied first."""
    t = Tower(
        [
            Service(1, provider="h", activity=10, tariff=2, variable_cost=0.6, fixed_cost=13),
            Service(2, provider="h", activity=5, tariff=2, variable_cost=0.6, fixed_cost=6),
        ],
        (),
        [Provider("h", overhead=0, reserves=0)],
    )
    path = tmp_path / "ints.json"
    t.to_json(path)
    assert main(["--json", "analyse", str(path), "--order", "2,1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["finance"]["steps"][0]["service"] == 2
