"""Gambit .nfg read/write and nashpy interop."""

import json
from fractions import Fraction as F
from pathlib import Path

import nashpy
import numpy as np
import pytest
from hypothesis import given

from jenga_games.errors import InvalidGameError, SchemaError
from jenga_games.games.normal_form import NormalFormGame, read_nfg, write_nfg

from .strategies import bimatrix_games, nplayer_games

DATA = Path(__file__).parents[3] / "benchmarks" / "data" / "pygambit_normal_form.json"

SELTEN = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""


def test_read_payoff_version_counts_only():
    g = read_nfg(SELTEN)
    assert g.title.startswith("Selten")
    assert g.actions == (("1", "2", "3"), ("1", "2"))
    # player 1's strategy changes fastest
    assert g.payoffs[..., 0].tolist() == [[1, 1], [0, 0], [0, 2]]
    assert g.payoffs[..., 1].tolist() == [[1, 1], [2, 3], [2, 0]]
    assert g.is_exact


def test_reads_what_pygambit_writes():
    cases = [c for c in json.loads(DATA.read_text())["cases"] if c["kind"] == "nfg_text"]
    assert len(cases) == 3
    for c in cases:
        g = read_nfg(c["text"])
        want = NormalFormGame([np.array(a) for a in c["payoffs"]])
        assert np.array_equal(g.payoffs, want.payoffs)
        if "players" in c:
            assert g.players == tuple(c["players"]) and g.actions == tuple(map(tuple, c["actions"]))
            assert g.title == "Prisoner's dilemma"


@given(bimatrix_games(max_actions=3))
def test_round_trip_float(game):
    for outcomes in (False, True):
        back = read_nfg(write_nfg(game, outcomes=outcomes))
        assert np.array_equal(back.payoffs, game.payoffs)  # repr floats round-trip exactly


@given(nplayer_games(max_players=3))
def test_round_trip_exact_n_players(game):
    labelled = game.relabel(
        players=[f'player "{i}"' for i in range(game.n_players)],
        actions=[[f"act {k}" for k in range(a)] for a in game.shape],
    )
    for outcomes in (False, True):
        back = read_nfg(labelled.to_nfg(outcomes=outcomes, title="t"))
        assert back == labelled and back.title == "t"


def test_fractions_and_decimals_stay_exact(tmp_path):
    g = NormalFormGame.bimatrix([[F(1, 3), F(-5, 2)], [0, 7]], [[1, 2], [3, 4]])
    path = tmp_path / "g.nfg"
    g.to_nfg(path)
    back = NormalFormGame.from_nfg(path)
    assert back.exact_payoffs[0, 0, 0] == F(1, 3) and back.exact_payoffs[0, 1, 0] == F(-5, 2)
    dec = read_nfg('NFG 1 D "" { "a" "b" } { 1 1 }\n0.1 -2.5e-1\n')
    assert dec.exact_payoffs[0, 0, 0] == F(1, 10) and dec.exact_payoffs[0, 0, 1] == F(-1, 4)


@pytest.mark.parametrize(
    "text, match",
    [
        ('NFX 1 R "" { "a" } { 1 }\n1\n', "line 1: expected 'NFG'"),
        ('NFG 2 R "" { "a" } { 1 }\n1\n', "line 1: only version 1"),
        (
            'NFG 1 R "" { "a" "b" }\n{ 2 2 }\n\n1 2 3 4 5 6 7\n',
            "line 4: the file ends where 8 payoffs",
        ),
        (
            'NFG 1 R "" { "a" "b" }\n{ 2 2 }\n\n1 2 3 4 5 6 7 x\n',
            "line 4: expected a number, found 'x'",
        ),
        ('NFG 1 R "" { "a" "b" }\n{ 2 2 }\n1 2 3 4 5 6 7 8 9\n', "line 3: unexpected '9'"),
        ('NFG 1 R "" { "a" "b" }\n{ 2 0 }\n', "line 2: player 'b' must have at least one strategy"),
        (
            'NFG 1 R "" { "a" "b" }\n{ { "x" } { "y" }\n}\n""\n{\n{ "" 1 }\n}\n1\n',
            "line 6: outcome 1 has 1 payoffs",
        ),
        (
            'NFG 1 R "" { "a" "b" }\n{ { "x" } { "y" } }\n""\n{\n{ "" 1, 2 }\n}\n3\n',
            "line 7: outcome 3 does not exist",
        ),
        ('NFG 1 R "unterminated { "a" }', "line 1: an unterminated string"),
    ],
)
def test_malformed_files_give_line_numbers(text, match):
    with pytest.raises(SchemaError, match=match):
        read_nfg(text)


def test_missing_file():
    with pytest.raises(SchemaError, match=r"no \.nfg file"):
        read_nfg("/nonexistent/game.nfg")


def test_nashpy_round_trip_and_cross_check():
    A, B = [[3, 0], [5, 1]], [[3, 5], [0, 1]]
    g = NormalFormGame.bimatrix(A, B)
    ng = g.to_nashpy()
    assert isinstance(ng, nashpy.Game)
    assert NormalFormGame.from_nashpy(ng) == g
    # nashpy's vertex enumeration agrees on a small nondegenerate game
    bos = NormalFormGame.bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    theirs = sorted(
        tuple(np.round(np.concatenate(e), 9)) for e in bos.to_nashpy().vertex_enumeration()
    )
    ours = sorted(
        tuple(np.round(np.concatenate(e.strategies), 9))
        for e in bos.equilibria("vertex_enumeration")
    )
    assert ours == theirs
    with pytest.raises(InvalidGameError, match="two-player"):
        NormalFormGame(np.zeros((2, 2, 2, 3))).to_nashpy()
    with pytest.raises(InvalidGameError, match=r"nashpy\.Game"):
        NormalFormGame.from_nashpy(object())
