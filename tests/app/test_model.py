"""The app's views against the library (no browser): cascades, reasons, games, thresholds."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given

from jenga_games.app._model import (
    TowerError,
    explore_view,
    layers_of,
    load_tower_file,
    tower_summary,
)
from jenga_games.app._play import GameSession, MoveError, threshold_view
from jenga_games.commissioning import JengaParams, commissioning_game
from jenga_games.testing.tower_strategies import towers
from jenga_games.tower import local_health_economy


@pytest.fixture(scope="module")
def worked():
    return local_health_economy()


def _check_view(tower, state):
    view = explore_view(tower, state)
    out = tower.cascade(state)
    assert [[b["id"] for b in r] for r in view["rounds"]] == [list(r) for r in out.rounds]
    standing = set(tower.ids) - set(out.removed)
    failed = set(out.failed_providers)
    for r in view["rounds"]:
        for b in r:
            why = b["reason"]
            if why["kind"] == "rule":  # a supporter named as gone really had gone before the round
                assert why["gone"] and not set(why["gone"]) & standing
                rule = tower.service(b["id"]).rule
                assert not rule.evaluate(standing, tower.supporters(b["id"]))
            elif why["kind"] == "provider":
                assert why["provider"] in failed
                assert tower.provider_of(b["id"]).id == why["provider"]
        standing -= {b["id"] for b in r}
    for p in view["providers"]:
        assert p["balance"] == pytest.approx(out.balances[p["id"]])
        assert p["failed"] == (p["id"] in failed)
    assert view["money"]["value_lost"] == pytest.approx(out.value_lost)
    assert view["status"] == out.status
    return view


def test_explore_view_matches_cascade_on_the_worked_economy(worked):
    v = _check_view(worked, {"pathology": 0.0})
    assert v["rounds"][0][0]["reason"]["kind"] == "rule"
    v = _check_view(worked, {"acute_medicine": 0.9})  # a slice of a big block topples the trust
    assert v["rounds"][0][0]["reason"]["kind"] == "provider"
    assert v["blocks"]["acute_medicine"]["status"] == "fell"
    v = _check_view(worked, {"cardiology": 0.0})
    assert v["status"] == "standing" and v["blocks"]["cardiology"]["status"] == "removed"
    acute = next(p for p in v["providers"] if p["id"] == "acute_trust")
    assert 0 < acute["headroom_fraction"] < 1


@given(towers(max_services=7))
def test_every_fallen_block_has_a_true_reason(tower):
    for s in tower.ids[:3]:
        _check_view(tower, {s: 0.0})


def test_summary_rows_and_colours(worked):
    s = tower_summary(worked)
    assert len(s["blocks"]) == len(worked)
    assert len({p["colour"] for p in s["providers"]}) == len(worked.providers)
    layers = layers_of(worked)
    for u, v in worked.supports:  # drawn rows: a supporter never sits above what it holds up
        assert layers[u] <= layers[v] or worked.services[u].layer is not None


def test_a_bad_file_gives_the_loaders_message(tmp_path, loader_message):
    text = b'{"schema": "jenga-tower/2", "services": [{"id": "a"}], "supports": [["a", "b"]]}'
    with pytest.raises(TowerError) as err:
        load_tower_file("bad.json", text)
    assert str(err.value) == loader_message(tmp_path, "bad.json", text)
    assert "'b'" in str(err.value) and "Traceback" not in str(err.value)
    with pytest.raises(TowerError, match="UTF-8"):
        load_tower_file("x.json", b"\xff\xfe\x00garbage")
    good = load_tower_file("t.json", local_health_economy().to_json().encode())
    assert len(good) == 34


def test_a_spreadsheet_opens_when_the_library_reads_them(tmp_path, worked):
    spreadsheet = pytest.importorskip("jenga_games.tower.spreadsheet")
    pytest.importorskip("openpyxl")
    path = spreadsheet.write_xlsx(worked, tmp_path / "economy.xlsx")
    tower = load_tower_file("economy.xlsx", path.read_bytes())
    assert tower == worked
    _check_view(tower, {"pathology": 0.0})


def _follow(game: GameSession, policy) -> None:
    while not game.over:
        game.move(game.host_token, policy.action(game.removed, game.j, game.c))


def test_playing_the_spe_against_the_spe_gives_solve_payoffs(worked):
    g = GameSession(worked, 2, "spe")
    seen = 0
    while not g.over:
        coach = g.coach()
        a = g.spe.policy.action(g.removed, g.j, g.c)
        best = [c for c in coach if c["best"]]
        # the coach's best move is the equilibrium's, and its value is the equilibrium value
        assert best[0]["block"] == a
        v = g.spe.policy.value(g.removed, g.j, g.c)[g.players[g.mover]]
        assert best[0]["value"] == pytest.approx(v)
        g.move(g.host_token, a)
        seen += 1
    solved = commissioning_game(worked).solve()
    assert seen > 0
    assert g.view(g.host_token)["compare"]["yours"]["payoffs"] == pytest.approx(
        dict(solved.payoffs)
    )


@pytest.mark.parametrize("method", ["myopic", "cooperative"])
def test_computer_opponents_reproduce_the_library_plays(worked, method):
    """A human copying the opponent's rule gets the library's myopic / cooperative play."""
    g = GameSession(worked, 2, method)
    lib = getattr(commissioning_game(worked), method)()
    while not g.over:
        g.move(g.host_token, lib.path[len(g.moves)].block)  # the computer's moves come in between
    assert [m["block"] for m in g.moves] == [m.block for m in lib.path]
    assert dict(zip(g.players, g.pay)) == pytest.approx(dict(lib.payoffs))


def test_moves_are_validated_on_the_server(worked):
    g = GameSession(worked, 2, None, hosted=True)
    a, b = g.join("Ann"), g.join("Ben")
    with pytest.raises(MoveError, match="seat"):
        g.join("Cat")
    with pytest.raises(MoveError, match="turn"):
        g.move(b, "ophthalmology")
    with pytest.raises(MoveError, match="not a legal move"):
        g.move(a, "ophthalmology")  # CCG south's block
    with pytest.raises(MoveError, match="unknown seat"):
        g.move("nope", "cardiology")
    g.move(a, "cardiology")
    g.move(b, None)
    assert [m["block"] for m in g.moves] == ["cardiology", None]
    assert g.view(a)["your_turn"] and not g.view(b)["your_turn"]


def test_four_players_at_one_screen(worked):
    g = GameSession(worked, 4)
    assert len(g.players) == 4
    _follow(g, g.spe.policy)
    assert dict(zip(g.players, g.pay)) == pytest.approx(dict(g.spe.payoffs))


def test_funding_slider_flips_where_the_library_says(worked, funding_switch):
    x, change, funded = funding_switch
    assert change == "stops falling"
    assert threshold_view(worked, funding=x - 2e-4)["fell"]  # the switch lies in (x - tol, x]
    assert not threshold_view(worked, funding=x)["fell"]
    assert threshold_view(worked, funding=0.0)["funded_providers"] == list(funded)


def test_collapse_cost_slider_matches_the_library(worked):
    prm = JengaParams()
    for c in (2.0, 3.5):
        lib = commissioning_game(worked, dataclasses.replace(prm, collapse_cost=c)).solve()
        assert threshold_view(worked, collapse_cost=c)["fell"] == lib.fell
