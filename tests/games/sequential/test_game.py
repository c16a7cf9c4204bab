"""Bad input, classic Jenga against Sprague–Grundy theory, myopic play, sampling, .efg, peers."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from jenga_games.errors import InvalidGameError, JengaError, TooLargeError, UnknownItemError
from jenga_games.games.sequential import JengaGame
from jenga_games.tower import AllOf, Provider, Service, Tower
from jenga_games.tower.library import classic_jenga

from ._oracle import grundy_row, minimax

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pygambit_sequential.json"


def _tiny():
    return Tower([Service("a"), Service("b", support=AllOf("a"))], [("a", "b")])


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs,error,words",
    [
        ({"eligible": {"P1": ["a"], "P2": []}}, InvalidGameError, ["P2", "must_move=False"]),
        ({"gains": {"a": 1, "zz": 2}}, UnknownItemError, ["zz"]),
        ({"gains": {"P1": {"zz": 2}}}, UnknownItemError, ["zz"]),
        ({"eligible": {"P9": ["a"]}}, UnknownItemError, ["P9"]),
        ({"collapse_cost": -1}, InvalidGameError, ["collapse_cost", ">= 0"]),
        ({"shared_collapse_cost": {"P1": -2}}, InvalidGameError, ["shared_collapse_cost"]),
        ({"collapse_cost": float("nan")}, InvalidGameError, ["finite"]),
        ({"discount": 0.0}, InvalidGameError, ["discount"]),
        ({"turn_order": ["P1"]}, InvalidGameError, ["never move"]),
        ({"turn_order": ["P1", "P3"]}, UnknownItemError, ["P3"]),
        ({"fall_criterion": "wobbly"}, InvalidGameError, ["fall_criterion"]),
        ({"eligible": {"P1": "a"}}, InvalidGameError, ["wrap"]),
        ({"gains": "lots"}, InvalidGameError, ["gains"]),
    ],
)
def test_bad_input_is_named(kwargs, error, words):
    with pytest.raises(error) as e:
        JengaGame(_tiny(), 2, **kwargs)
    assert isinstance(e.value, JengaError)
    for w in words:
        assert w in str(e.value)


def test_bad_players_and_intact_fall():
    with pytest.raises(InvalidGameError, match="distinct"):
        JengaGame(_tiny(), ["A", "A"])
    with pytest.raises(InvalidGameError, match="at least one"):
        JengaGame(_tiny(), 0)
    t = Tower([Service("x", provider="p"), Service("y")], providers=[Provider("p", overhead=5.0)])
    with pytest.raises(InvalidGameError, match="does not stand"):
        JengaGame(t, 1)


def test_too_large_towers_raise_with_size_limit_and_alternatives():
    game = JengaGame(classic_jenga(levels=22), 2)  # 66 blocks
    with pytest.raises(TooLargeError) as e:
        game.solve()
    msg = str(e.value)
    assert "66 blocks" in msg and "63" in msg and "myopic" in msg and "sample" in msg
    # a budget of states: clear error, never a MemoryError
    with pytest.raises(TooLargeError, match=r"max_states=1,000") as e:
        JengaGame.classic(6, protect_top=False).solve(max_states=1000)
    assert "myopic" in str(e.value)
    # the alternatives do run on the large tower
    play = game.myopic()
    assert not play.fell and len(play.removed) == 66  # top-down: every block is safe in turn
    with pytest.raises(InvalidGameError, match="tie_break"):
        JengaGame(_tiny(), 1).solve("random")


def test_policy_rejects_states_that_cannot_occur():
    pol = JengaGame.classic(3).solve().policy
    with pytest.raises(UnknownItemError, match="not a state"):
        pol.action(["L0.0", "L0.1"])  # the rows above fell: the game ended there
    with pytest.raises(UnknownItemError, match="unknown service"):
        pol.action(["nope"])
    with pytest.raises(InvalidGameError, match="turn"):
        pol.action([], turn=5)


# -- classic Jenga: who topples, against Sprague-Grundy theory ------------------------------------
@pytest.mark.parametrize("width", [2, 3, 4])
def test_two_player_toppler_follows_sprague_grundy(width):
    """With the top row protected each lower row is an independent heap; when the collapse cost
    exceeds every possible gain, avoiding the topple is all that matters, so the first player
    topples exactly when the XOR of the rows' Grundy values is 0 [Berlekamp2001] (normal play)."""
    g = grundy_row(width)
    for levels in range(2, 7 if width < 4 else 5):
        rows = levels - 1
        nim = 0
        for _ in range(rows):
            nim ^= g
        game = JengaGame.classic(levels, width, players=2, collapse_cost=100.0)
        res = game.solve()
        assert res.fell
        assert res.toppled_by == ("P1" if nim == 0 else "P2"), (width, levels)


def test_grundy_values_of_rows():
    # width 3: full row -> {middle gone: no safe move (0), one side gone: one safe move (1)} -> 2
    assert [grundy_row(w) for w in (2, 3, 4)] == [0, 2, 0]


# -- myopic and sampled play ------------------------------------------------------------------
def test_myopic_grabs_a_big_gain_that_the_equilibrium_avoids():
    # taking 'base' first pays 6 but topples 'top' (cost 10); the forward-looking player
    # takes 'top' first (gain 1), then 'base' safely (gain 6)
    t = Tower([Service("base"), Service("top", support=AllOf("base"))], [("base", "top")])
    game = JengaGame(t, 1, gains={"base": 6, "top": 1}, collapse_cost=3, must_move=False)
    my, spe = game.myopic(), game.solve()
    assert my.fell and my.total == 3.0 and my.removed == ("base",)
    assert not spe.fell and spe.total == 7.0 and spe.removed == ("top", "base")
    p = game.prices()
    assert p.cooperative == 7.0 and p.myopic_ratio == pytest.approx(7 / 3)
    assert p.price_of_anarchy == 1.0 and p.myopic_loss == 4.0


def test_myopic_immediate_payoffs_are_maximal_at_every_step():
    game = JengaGame.classic(
        4,
        players=3,
        gains={b: (i * 5) % 7 for i, b in enumerate(classic_jenga(4).ids)},
        collapse_cost=2,
    )
    play = game.myopic()
    removed: list = []
    for mv in play.path:
        p = game.players.index(mv.player)
        standing = game.tower.cascade(removed).standing
        best = -np.inf
        for b in standing:
            if game.eligible_matrix[p, game.tower.index[b]]:
                r = game.gain_matrix[p, game.tower.index[b]]
                if game.tower.cascade([*removed, b]).fallen:
                    r -= game.collapse_costs[p]
                best = max(best, r)
        r = game.gain_matrix[p, game.tower.index[mv.block]] - (
            game.collapse_costs[p] if mv.toppled else 0
        )
        assert r == best
        removed.append(mv.block)


def test_sampling_is_seeded():
    game = JengaGame.classic(4, players=2)
    a, b = game.sample(50, seed=3), game.sample(50, seed=3)
    assert a == b
    c = game.sample(50, seed=4)
    assert a.mean_payoffs != c.mean_payoffs
    assert sum(a.topple_share.values()) == pytest.approx(1.0)
    assert game.sample(5, epsilon=0.0, seed=1).topple_share[game.myopic().toppled_by] == 1.0
    with pytest.raises(InvalidGameError, match="epsilon"):
        game.sample(5, epsilon=2)


# -- Gambit .efg --------------------------------------------------------------------------------
def _count_leaves(game):
    """Histories, counted by the oracle's recursion (one leaf per terminal history)."""
    tower, E = game.tower, game.eligible_matrix
    T = game.n_turns

    def rec(removed, j, c):
        standing = tower.cascade(removed).standing
        p = int(game.turn_players[j])
        moves = [b for b in tower.ids if b in standing and E[p, tower.index[b]]]
        if game.must_move and not moves:
            if not any(E[:, tower.index[b]].any() for b in standing):
                return 1
            return rec(removed, (j + 1) % T, 0)
        total = 0
        for b in moves:
            total += (
                1 if tower.cascade(removed | {b}).fallen else rec(removed | {b}, (j + 1) % T, 0)
            )
        if not game.must_move:
            total += 1 if c + 1 == T else rec(removed, (j + 1) % T, c + 1)
        return total

    return rec(frozenset(), 0, 0)


@pytest.mark.parametrize("must_move", [True, False])
def test_efg_tree_has_one_leaf_per_history(tmp_path, must_move):
    game = JengaGame.classic(2, players=2, must_move=must_move, collapse_cost=4)
    text = game.to_efg(tmp_path / "g.efg")
    assert (tmp_path / "g.efg").read_text() == text
    assert text.startswith('EFG 2 R "Jenga game on classic Jenga')
    leaves = [ln for ln in text.splitlines() if ln.startswith("t ")]
    assert len(leaves) == _count_leaves(game)
    # the best leaf for P1 along the SPE path: the tree's leaves include the equilibrium payoffs
    spe = game.solve()
    pay = (
        "{ "
        + ", ".join(str(int(v)) if v == int(v) else str(v) for v in spe.payoffs.values())
        + " }"
    )
    assert any(ln.endswith(pay) for ln in leaves)
    with pytest.raises(TooLargeError, match="max_nodes"):
        game.to_efg(max_nodes=5)


def test_efg_numbers_are_exact_rationals():
    game = JengaGame.classic(2, players=2, gains=0.5, collapse_cost=1 / 3, discount=0.9)
    text = game.to_efg()
    leaves = []
    for ln in text.splitlines():
        if ln.startswith("t "):
            tokens = ln.split("{")[1].rstrip("} ").split(",")
            assert all(re.fullmatch(r"-?\d+(/\d+)?", tok.strip()) for tok in tokens)
            leaves.append([float(Fraction(tok.strip())) for tok in tokens])
    spe = list(game.solve().payoffs.values())
    assert any(np.allclose(leaf, spe, atol=1e-12) for leaf in leaves)
    assert any("/" in ln for ln in text.splitlines() if ln.startswith("t "))


@pytest.mark.skipif(not DATA.exists(), reason="no recorded pygambit answers")
def test_spe_matches_pygambit_logit_limit():
    data = json.loads(DATA.read_text())
    assert data["instances"]
    for rec in data["instances"]:
        game = JengaGame.classic(**rec["spec"])
        import hashlib

        assert hashlib.sha256(game.to_efg().encode()).hexdigest() == rec["efg_sha256"]
        ours = list(game.solve().payoffs.values())
        assert ours == pytest.approx(rec["logit_payoffs"], abs=1e-5), rec["name"]
        v, _ = minimax(game)
        assert ours == pytest.approx(list(v))
        if (
            "lcp_payoffs" in rec
        ):  # a Nash equilibrium: P1 (who moves first) gets the SPE payoff here
            assert any(p[0] == pytest.approx(ours[0], abs=1e-6) for p in rec["lcp_payoffs"])
