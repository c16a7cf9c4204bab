"""Iterated elimination of strictly dominated strategies."""

import itertools

import numpy as np
from hypothesis import given

from jenga_games.games.normal_form import NormalFormGame

from .strategies import bimatrix_games, nplayer_games


def test_gibbons_figure_1_1_1():
    # Gibbons (1992), A Primer in Game Theory, Figure 1.1.1: Right, then Down, then Left go.
    g = NormalFormGame.bimatrix(
        [[1, 1, 0], [0, 0, 2]],
        [[0, 2, 1], [3, 1, 0]],
        players=["1", "2"],
        actions=[["Up", "Down"], ["Left", "Middle", "Right"]],
    )
    res = g.eliminate_dominated(mixed=False)
    assert [(e.round, e.player, e.action) for e in res.eliminations] == [
        (1, "2", "Right"),
        (2, "1", "Down"),
        (3, "2", "Left"),
    ]
    assert res.remaining == (("Up",), ("Middle",))
    assert res.eliminations[0].dominated_by == {"Middle": 1.0}


def test_mixed_domination_needs_the_lp():
    # B is beaten by the mix (1/2 T, 1/2 M) (payoff 1.5 > 1) but by neither pure strategy.
    A = [[3, 0], [0, 3], [1, 1]]
    B = [[1, 0], [0, 1], [0, 0]]
    g = NormalFormGame.bimatrix(A, B, actions=[["T", "M", "B"], ["L", "R"]])
    assert g.eliminate_dominated(mixed=False).eliminations == ()
    res = g.eliminate_dominated(mixed=True)
    assert [(e.player, e.action) for e in res.eliminations] == [("P1", "B")]
    e = res.eliminations[0]
    assert set(e.dominated_by) == {"T", "M"}
    mix = np.array([e.dominated_by["T"], e.dominated_by["M"]])
    advantage = mix @ np.array(A[:2]) - np.array(A[2])
    assert advantage.min() > 0 and np.isclose(advantage.min(), e.margin)


def test_prisoners_dilemma_solves_by_dominance():
    g = NormalFormGame.bimatrix(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]]
    )
    res = g.eliminate_dominated()
    assert res.remaining == (("D",), ("D",))
    assert {e.round for e in res.eliminations} == {1}
    assert "1:P1.C" in repr(res)


def _as_set(eqs):
    return sorted(tuple(np.round(np.concatenate(e.strategies), 7)) for e in eqs)


@given(bimatrix_games(max_actions=5))
def test_equilibria_survive_elimination(game):
    res = game.eliminate_dominated()
    reduced = res.game
    full = game.equilibria("vertex_enumeration")
    # no equilibrium uses an eliminated action ...
    dead = {(e.player, e.action) for e in res.eliminations}
    for eq in full:
        for p, supp in zip(game.players, eq.support):
            assert not any((p, a) in dead for a in supp)
    # ... and the reduced game's equilibria, embedded back, are the original's
    idx = [[game.actions[i].index(a) for a in reduced.actions[i]] for i in range(2)]
    back = []
    for eq in reduced.equilibria("vertex_enumeration"):
        full_s = []
        for i in range(2):
            v = np.zeros(game.shape[i])
            v[idx[i]] = eq.strategies[i]
            full_s.append(v)
        back.append(tuple(np.round(np.concatenate(full_s), 7)))
    assert sorted(back) == _as_set(full)


@given(nplayer_games(max_players=3, max_actions=3))
def test_every_elimination_is_a_strict_domination(game):
    res = game.eliminate_dominated()
    alive = [list(range(a)) for a in game.shape]
    for _rnd, group in itertools.groupby(res.eliminations, key=lambda e: e.round):
        group = list(group)
        for e in group:
            i = game.players.index(e.player)
            a = game.actions[i].index(e.action)
            others = [alive[j] for j in range(game.n_players) if j != i]
            for prof in itertools.product(*others):

                def u(k, prof=prof, i=i):
                    full = list(prof)
                    full.insert(i, k)
                    return game.payoffs[(*full, i)]

                mix = sum(p * u(game.actions[i].index(b)) for b, p in e.dominated_by.items())
                assert mix > u(a)
        for e in group:
            i = game.players.index(e.player)
            alive[i].remove(game.actions[i].index(e.action))
    assert [list(map(game.actions[i].__getitem__, al)) for i, al in enumerate(alive)] == [
        list(r) for r in res.remaining
    ]
