"""The exact solvers against independent oracles, and properties that certify an SPE."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jenga_games._rng import make_rng
from jenga_games.games.sequential import TIE_BREAKS, JengaGame
from jenga_games.games.sequential._bitmask import BitTower
from jenga_games.testing.tower_strategies import towers
from jenga_games.tolerance import TOL, geq, is_close
from jenga_games.tower import AllOf, Service, Tower
from jenga_games.tower.library import classic_jenga

from ._oracle import cooperative_brute_force, minimax
from .strategies import games


def _path(play):
    return [(m.player, m.block) for m in play.path]


# -- the vectorised cascade ------------------------------------------------------------------
@settings(max_examples=80)
@given(towers(max_services=7, grounded=None))
def test_bitmask_cascade_matches_tower_cascade(tower):
    bt = BitTower.from_tower(tower)
    n = len(tower)
    masks = np.arange(1 << n, dtype=np.uint64)
    standing, fallen, collapsed = bt.cascade_masks(masks)
    _, fallen1, _ = bt.cascade_masks(masks, first_round_only=True)
    for s in range(1 << n):
        out = tower.cascade([tower.ids[i] for i in range(n) if s >> i & 1])
        assert int(standing[s]) == sum(1 << tower.index[b] for b in out.standing)
        assert out.fallen == bool(fallen[s]) == bool(fallen1[s])
        assert out.collapsed == bool(collapsed[s])


@settings(max_examples=40)
@given(towers(max_services=6, grounded=None), st.integers(0, 2**32))
def test_bitmask_balances_are_the_compiled_towers_money_rule(tower, seed):
    """Balances of a batch of (removed, alive) masks equal ``CompiledTower.provider_balances``."""
    bt, ct, n = BitTower.from_tower(tower), tower.compiled, len(tower)
    rng = make_rng(seed)
    removed = rng.integers(0, 1 << n, size=20).astype(np.uint64)
    alive = rng.integers(0, 1 << n, size=20).astype(np.uint64) & ~removed & bt.full
    bal = bt._balances(removed, alive)
    for k in range(removed.size):
        r = np.array([int(removed[k]) >> i & 1 for i in range(n)], dtype=bool)
        a = np.array([int(alive[k]) >> i & 1 for i in range(n)], dtype=bool)
        assert np.allclose(bal[k], ct.provider_balances(a, r), rtol=0, atol=1e-9)


# -- oracle: recursion over histories ----------------------------------------------------------
@settings(max_examples=40)
@given(games(max_blocks=5), st.sampled_from(TIE_BREAKS))
def test_spe_matches_minimax_over_histories(game, tie_break):
    res = game.solve(tie_break)
    v, path = minimax(game, tie_break)
    assert np.all(is_close(np.array(list(res.payoffs.values())), v))
    assert _path(res) == path


@settings(max_examples=25)
@given(games(max_blocks=5), st.sampled_from(["first", "last"]))
def test_cooperative_matches_minimax_of_the_total(game, tie_break):
    res = game.cooperative(tie_break)
    v, path = minimax(game, tie_break, objective="total")
    assert is_close(res.total, v.sum())
    assert _path(res) == path


@pytest.mark.parametrize("players,must_move", [(2, True), (3, True), (2, False)])
def test_classic_jenga_nine_blocks_matches_minimax(players, must_move):
    ids = classic_jenga(3).ids
    game = JengaGame.classic(
        3,
        players=players,
        must_move=must_move,
        collapse_cost=4,
        gains={b: 1 + i % 3 for i, b in enumerate(ids)},
    )
    for tb in ("first", "benevolent"):
        res = game.solve(tb)
        v, path = minimax(game, tb)
        assert np.all(is_close(np.array(list(res.payoffs.values())), v))
        assert _path(res) == path


@settings(max_examples=30)
@given(games(max_blocks=5, must_move=False, discount=False))
def test_cooperative_matches_brute_force_over_removal_sets(game):
    assert is_close(game.cooperative().total, cooperative_brute_force(game))


# -- one-shot deviation: on the path and off it -----------------------------------------------
def _check_one_shot(game, policy):
    tower, T = game.tower, game.n_turns
    G, E, C, K, d = (
        game.gain_matrix,
        game.eligible_matrix,
        game.collapse_costs,
        game.shared_costs,
        game.discount,
    )
    cmax = 1 if game.must_move else T
    players = game.players
    for S in policy.states():
        standing = tower.cascade(S).standing
        for j in range(T):
            p = int(game.turn_players[j])
            moves = [b for b in tower.ids if b in standing and E[p, tower.index[b]]]
            for c in range(cmax):
                val = np.array(list(policy.value(S, j, c).values()))
                if game.must_move and not moves:
                    anyone = any(E[:, tower.index[b]].any() for b in standing)
                    nxt = (
                        np.array(list(policy.value(S, (j + 1) % T, 0).values())) * d
                        if anyone
                        else np.zeros(len(players))
                    )
                    if anyone:
                        assert policy.action(S, j, c) is None
                    else:
                        assert policy.is_over(S, j, c)
                    assert np.all(is_close(val, nxt))
                    continue
                q = {}
                for b in moves:
                    r = np.zeros(len(players))
                    r[p] = G[p, tower.index[b]]
                    out = tower.cascade(S | {b})
                    if out.fallen if game.fall_criterion == "fallen" else out.collapsed:
                        r[p] -= C[p]
                        q[b] = r - K
                    else:
                        q[b] = r + d * np.array(
                            list(policy.value(S | {b}, (j + 1) % T, 0).values())
                        )
                if not game.must_move:
                    q[None] = (
                        np.zeros(len(players))
                        if c + 1 == T
                        else d * np.array(list(policy.value(S, (j + 1) % T, c + 1).values()))
                    )
                chosen = policy.action(S, j, c)
                assert np.all(is_close(val, q[chosen]))
                if policy.objective == "spe":
                    assert all(geq(val[p], v[p]) for v in q.values())
                else:
                    assert all(geq(val.sum(), v.sum()) for v in q.values())


@settings(max_examples=30)
@given(games(max_blocks=5), st.sampled_from(TIE_BREAKS))
def test_no_profitable_one_shot_deviation_anywhere(game, tie_break):
    res = game.solve(tie_break)
    _check_one_shot(game, res.policy)
    # the reported payoffs are the policy's values at the root
    root = res.policy.value((), 0, 0)
    assert all(is_close(res.payoffs[p], root[p]) for p in game.players)


@settings(max_examples=15, suppress_health_check=[HealthCheck.filter_too_much])
@given(games(max_blocks=5))
def test_cooperative_policy_is_optimal_at_every_state(game):
    _check_one_shot(game, game.cooperative().policy)


# -- welfare relations -------------------------------------------------------------------------
@settings(max_examples=30)
@given(games(max_blocks=5))
def test_cooperative_total_bounds_equilibria_and_myopic(game):
    coop = game.cooperative().total
    for tb in TIE_BREAKS:
        assert geq(coop, game.solve(tb).total)
    assert geq(coop, game.myopic().total)


@settings(max_examples=30)
@given(games(max_blocks=5, must_move=False, shared=False, nonneg_gains=True))
def test_everyone_can_pass_so_equilibrium_payoffs_are_nonnegative(game):
    res = game.solve()
    assert all(geq(v, 0.0) for v in res.payoffs.values())
    assert geq(game.cooperative().total, res.total) and geq(res.total, 0.0)


@settings(max_examples=30, suppress_health_check=[HealthCheck.filter_too_much])
@given(games(max_blocks=6, must_move=True, all_eligible=True))
def test_must_move_ends_with_the_tower_fallen_or_dismantled(game):
    # the issue asked "the tower always falls"; in this model nothing is put back on top, so
    # the players may instead dismantle it: the game never ends with a standing block left
    res = game.solve()
    assert res.fell or not res.outcome.standing


def test_must_move_falls_when_no_safe_dismantling_exists():
    # a and b hold each other up: whoever removes the first of them topples the other
    t = Tower(
        [Service("a", support=AllOf("b")), Service("b", support=AllOf("a"))],
        [("a", "b"), ("b", "a")],
    )
    res = JengaGame(t, 2).solve()
    assert res.fell and res.toppled_by == "P1" and res.payoffs == {"P1": -9.0, "P2": 0.0}


def test_collapse_cost_above_gains_cooperative_never_topples():
    game = JengaGame.classic(4, players=3, must_move=False, collapse_cost=5)
    coop = game.cooperative()
    assert not coop.fell and coop.total == 6  # two safe removals in each of the 3 lower rows


def test_discounting_counts_turns_including_passes():
    t = Tower([Service("a"), Service("b")])
    game = JengaGame(
        t, ["A", "B"], eligible={"A": [], "B": ["a", "b"]}, must_move=False, discount=0.5
    )
    res = game.solve()
    # A passes (turn 0), B removes (turn 1), A passes, B removes (turn 3)
    assert res.payoffs["B"] == pytest.approx(0.5 + 0.125)
    assert [m.block for m in res.path][:4] == [None, "a", None, "b"]


def test_shared_collapse_cost_and_toppler():
    t = Tower(
        [Service("base"), Service("top", support=AllOf("base"), critical=True)], [("base", "top")]
    )
    game = JengaGame(
        t,
        2,
        eligible={"P1": ["base"], "P2": []},
        gains={"P1": {"base": 20}, "P2": {"top": 1}},
        collapse_cost=5,
        shared_collapse_cost={"P2": 3},
        must_move=False,
    )
    res = game.solve()
    assert res.fell and res.toppled_by == "P1"
    assert res.payoffs == {"P1": 15.0, "P2": -3.0}
    assert res.outcome.fell == ("top",)
    assert res.path[0].fell == ("top",) and res.path[0].toppled


def test_fall_criterion_collapsed_lets_noncritical_blocks_fall():
    t = Tower(
        [
            Service("base"),
            Service("shed", support=AllOf("base")),
            Service("ae", critical=True, support=AllOf("base")),
        ],
        [("base", "shed"), ("base", "ae")],
    )
    fallen = JengaGame(
        t, 1, eligible={"P1": ["shed", "base"]}, collapse_cost=0, must_move=False
    ).solve()
    assert fallen.total == 2 and fallen.fell  # shed, then base topples A&E (cost 0)
    t2 = Tower(
        [Service("base"), Service("shed", support=AllOf("base")), Service("ae", critical=True)],
        [("base", "shed")],
    )
    kw = dict(eligible={"P1": ["base", "ae"]}, collapse_cost=100, must_move=False)
    col = JengaGame(t2, 1, fall_criterion="collapsed", **kw).solve()
    assert not col.fell and col.removed == ("base", "ae") and col.total == 2
    assert col.path[0].fell == ("shed",)
    strict = JengaGame(t2, 1, fall_criterion="fallen", **kw).solve()
    assert not strict.fell and strict.removed == ("ae",) and strict.total == 1


def test_same_game_same_answer():
    g = JengaGame.classic(5, players=3, gains=2.0, collapse_cost=3, must_move=False)
    a, b = g.solve("benevolent"), g.solve("benevolent")
    assert _path(a) == _path(b) and a.payoffs == b.payoffs
    assert a.to_dict()["payoffs"] == b.to_dict()["payoffs"]


def test_policy_queries():
    g = JengaGame.classic(3, players=2)
    pol = g.solve().policy
    assert pol.n_states == 25 and "Policy(spe" in repr(pol)
    assert pol.action(["L0.0"], turn=1) in g.tower.ids
    v = pol.value(["L0.0"], turn=1)
    assert set(v) == {"P1", "P2"} and abs(sum(v.values())) < 100
    assert TOL > 0


def test_eight_blocks_all_eligible_matches_minimax():
    game = JengaGame(
        classic_jenga(levels=2, width=4),
        2,
        collapse_cost=3,
        gains={b: 1 + (i * 7) % 4 for i, b in enumerate(classic_jenga(2, 4).ids)},
    )
    res = game.solve()
    v, path = minimax(game)
    assert np.all(is_close(np.array(list(res.payoffs.values())), v))
    assert _path(res) == path
