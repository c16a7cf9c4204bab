"""``jenga tower show`` and ``jenga tower cascade``, with and without --json."""

import json

import pytest

from jenga_games.cli import main
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.io import to_graphml


@pytest.fixture(scope="module")
def economy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "economy.json"
    local_health_economy().to_json(path)
    return path


def _json(capsys, argv):
    assert main(["--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_show_summary_and_validation(economy_file, capsys):
    assert main(["tower", "show", str(economy_file)]) == 0
    text = capsys.readouterr().out
    assert "34 services" in text and "monotone: no (counterexample)" in text and "ok: yes" in text
    assert "headroom when intact 2" in text


def test_show_json(economy_file, capsys):
    data = _json(capsys, ["tower", "show", str(economy_file)])
    assert data["services"] == 34 and data["ok"] is True
    assert data["providers"]["acute_trust"]["headroom"] == pytest.approx(2.0)
    assert data["validation"]["monotone"] is False  # a stranded fixed cost (issue #23)


def test_show_builtin_and_graphml(tmp_path, capsys):
    assert main(["tower", "show", "builtin:jenga"]) == 0
    assert "54 services" in capsys.readouterr().out
    path = tmp_path / "e.graphml"
    to_graphml(local_health_economy(), path)
    data = _json(capsys, ["tower", "show", str(path), "--draw", str(tmp_path / "t.png")])
    assert data["services"] == 34 and (tmp_path / "t.png").stat().st_size > 10_000


def test_cascade_text_and_json(economy_file, capsys):
    assert main(["tower", "cascade", str(economy_file), "--remove", "endoscopy"]) == 0
    text = capsys.readouterr().out
    assert "round 1: gastroenterology (Gastroenterology)" in text and "state: fallen" in text
    data = _json(
        capsys, ["tower", "cascade", str(economy_file), "--remove", "cardiology,ophthalmology"]
    )
    out = local_health_economy().cascade(["cardiology", "ophthalmology"])
    assert data["fell"] == list(out.fell) and data["status"] == "collapsed"
    assert data["failed_providers"] == ["acute_trust", "community_trust"]


def test_cascade_with_fractions_and_drawings(economy_file, tmp_path, capsys):
    data = _json(
        capsys,
        [
            "tower",
            "cascade",
            str(economy_file),
            "--remove",
            "acute_medicine=0.9",
            "--draw",
            str(tmp_path / "a.png"),
            "--rounds",
            str(tmp_path / "r.png"),
        ],
    )
    assert data["failed_providers"][0] == "acute_trust" and data["removed"] == []
    assert (tmp_path / "a.png").exists() and (tmp_path / "r.png").exists()
    data = _json(capsys, ["tower", "cascade", "builtin:economy", "--remove", "acute_medicine=0.95"])
    assert data["status"] == "standing"


def test_bad_input_exits_2_with_a_helpful_message(economy_file, tmp_path, capsys):
    assert main(["tower", "cascade", str(economy_file), "--remove", "endoscopi"]) == 2
    assert "unknown service 'endoscopi'" in capsys.readouterr().err
    assert main(["tower", "cascade", str(economy_file), "--remove", "ae=lots"]) == 2
    assert "cannot read the fraction" in capsys.readouterr().err
    assert main(["tower", "cascade", str(economy_file), "--remove", "ae=1.5"]) == 2
    assert "must lie in [0, 1]" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(economy_file.read_text().replace("jenga-tower/2", "jenga-tower/9"))
    assert main(["tower", "show", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2 (schema)" in err and "jenga-tower/9" in err
    assert main(["tower", "show", str(tmp_path / "missing.json")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["tower", "show", "builtin:nope"]) == 2


def test_convert_both_ways(tmp_path, capsys):
    g = tmp_path / "e.graphml"
    assert main(["tower", "convert", "builtin:economy", str(g)]) == 0
    assert main(["tower", "convert", str(g), str(tmp_path / "back.json")]) == 0
    from jenga_games.tower import Tower

    assert Tower.from_json(tmp_path / "back.json") == local_health_economy()
    assert main(["tower", "convert", "builtin:jenga", str(tmp_path / "x.txt")]) == 2
    assert "name it .json, .graphml or .xlsx" in capsys.readouterr().err


def test_cascade_reports_the_round_each_provider_failed_in(capsys):
    """Rounds come from ``Outcome.failure_round`` (text and --json)."""
    removal = ["cardiology", "ophthalmology"]
    out = local_health_economy().cascade(removal)
    assert out.failure_round == {"acute_trust": 1, "community_trust": 3}
    assert main(["tower", "cascade", "builtin:economy", "--remove", ",".join(removal)]) == 0
    text = capsys.readouterr().out
    assert "failed providers: acute_trust (round 1), community_trust (round 3)" in text
    round3 = next(line for line in text.splitlines() if line.startswith("round 3:"))
    assert round3.endswith("(provider community_trust failed)")
    data = _json(capsys, ["tower", "cascade", "builtin:economy", "--remove", "crisis_team"])
    assert data["provider_failure_rounds"] == {"mental_health_trust": 2}
    assert data["failure_round"] == {"mental_health_trust": 2}


def test_show_headroom_is_the_money_rule_even_when_the_tower_does_not_stand(tmp_path, capsys):
    """Headroom when intact is B = Σ full margins + R − F with every service standing."""
    from jenga_games.tower.thresholds import headroom

    econ = local_health_economy()
    data = _json(capsys, ["tower", "show", "builtin:economy"])
    for pid in econ.providers:  # a standing tower: the same as thresholds.headroom
        assert data["providers"][pid]["headroom"] == pytest.approx(headroom(econ, pid).balance)
    weak = econ.replace(
        providers={"acute_trust": {"overhead": econ.providers["acute_trust"].overhead + 5}}
    )
    path = tmp_path / "weak.json"
    weak.to_json(path)
    assert main(["--json", "tower", "show", str(path)]) == 1  # validation fails: not viable
    data = json.loads(capsys.readouterr().out)
    margins = {pid: 0.0 for pid in weak.providers}  # oracle: the services one by one
    for s in weak:
        margins[s.provider] += s.activity * (s.tariff - s.variable_cost) - s.fixed_cost
    for pid, p in weak.providers.items():
        expected = margins[pid] + p.reserves - p.overhead
        assert data["providers"][pid]["headroom"] == pytest.approx(expected, abs=1e-9)
    assert data["providers"]["acute_trust"]["headroom"] == pytest.approx(-3.0)
    assert data["providers"]["acute_trust"]["services"] == 20
