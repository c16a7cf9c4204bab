"""Agent-form logit QRE: fixed points, convergence to equilibrium, the normal-form special case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidGameError, InvalidParameterError
from jenga_games.games.extensive import (
    ExtensiveGame,
    agent_logit_path,
    agent_logit_qre,
    kuhn_poker,
    nash_conv,
    one_card_poker,
)
from jenga_games.games.normal_form import logit_qre

from ..normal_form.strategies import bimatrix_games
from .strategies import trees


def _agent_response(game, beh, lam):
    """Independent oracle: at each information set the softmax of λ times the
    belief-weighted action values, by plain recursion over the tree."""

    def value(node, i):
        v = float(node.outcome.payoffs[i]) if node.outcome is not None else 0.0
        s = node.infoset
        if s is None:
            return v
        probs = [float(q) for q in s.probs] if s.is_chance else beh[s.player][s.index]
        return v + sum(q * value(c, i) for c, q in zip(node.children, probs))

    def reach(node):
        r = 1.0
        for parent, a in node.path():
            s = parent.infoset
            r *= float(s.probs[a]) if s.is_chance else beh[s.player][s.index][a]
        return r

    out = []
    for i in range(game.n_players):
        row = []
        for s in game.infosets[i]:
            w = np.array([reach(h) for h in s.members])
            w = w / w.sum()
            u = np.array(
                [
                    sum(wh * value(h.children[a], i) for wh, h in zip(w, s.members))
                    for a in range(len(s.actions))
                ]
            )
            z = np.exp(lam * (u - u.max()))
            row.append(z / z.sum())
        out.append(row)
    return out


@settings(max_examples=6, deadline=None)
@given(trees(perfect_information=False, generic=True))
def test_branch_points_are_agent_logit_fixed_points(g):
    path = agent_logit_path(g, max_lambda=20)
    assert path.lambdas[0] == 0 and path.lambdas[-1] == pytest.approx(20)
    for k in range(0, len(path.lambdas), max(1, len(path.lambdas) // 5)):
        beh, lam = path.behaviours[k], path.lambdas[k]
        for row, row2 in zip(beh, _agent_response(g, beh, lam)):
            for a, b in zip(row, row2):
                assert a == pytest.approx(b, abs=1e-7)


@settings(max_examples=8, deadline=None)
@given(trees(perfect_information=False, generic=True))
def test_branch_converges_to_a_nash_equilibrium_on_generic_trees(g):
    path = agent_logit_path(g, max_lambda=1e4)
    # the branch gets there: far along it the corrector's residual is judged against the
    # rounding floor eps·|β|·λ (an absolute 1e-10 once stalled one of these trees near 6400)
    assert path.lambdas[-1] == pytest.approx(1e4)
    # stated: NashConv <= 1e-2 payoff units at λ = 10^4 (payoffs in [-4, 4])
    assert path.nash_conv <= 1e-2
    assert path.nash_conv == pytest.approx(float(nash_conv(g, path.last)[0]))


def _as_tree(nf):
    """A bimatrix game as a tree: the row player moves, the column player does not see it."""
    g = ExtensiveGame(["row", "col"])
    rows = g.add_move(g.root, 0, [f"r{a}" for a in range(nf.shape[0])])
    for a, node in enumerate(rows):
        cols = g.add_move(node, 1, [f"c{b}" for b in range(nf.shape[1])], infoset="col")
        for b, leaf in enumerate(cols):
            g.set_outcome(leaf, [nf.exact_payoffs[a, b, 0], nf.exact_payoffs[a, b, 1]])
    return g


@settings(max_examples=6, deadline=None)
@given(bimatrix_games(min_actions=2, max_actions=3))
def test_one_move_per_player_tree_equals_the_normal_form_qre(nf):
    tree = _as_tree(nf)
    for lam in (0.7, 3.0):
        ours = agent_logit_qre(tree, lam)
        theirs = [s / s.sum() for s in logit_qre(nf, lam)]
        for i in range(2):
            np.testing.assert_allclose(ours[i][0], theirs[i], atol=1e-7)


def test_several_lambdas_in_one_trace_equal_separate_traces():
    g = kuhn_poker()
    lams = [5.0, 0.5, 0.0, 2.0]
    together = agent_logit_qre(g, lams)
    for lam, beh in zip(lams, together):
        for row, row2 in zip(beh, agent_logit_qre(g, lam)):
            for a, b in zip(row, row2):
                np.testing.assert_allclose(a, b, atol=1e-9)
    nf_lams = [3.0, 0.7]
    from jenga_games.games.normal_form import NormalFormGame

    game = NormalFormGame.bimatrix([[3, 1], [2, 2]], [[2, 3], [0, 1]])
    for lam, prof in zip(nf_lams, logit_qre(game, nf_lams)):
        for a, b in zip(prof, logit_qre(game, lam)):
            np.testing.assert_allclose(a, b, atol=1e-9)


def test_kuhn_limit_pays_the_value():
    path = agent_logit_path(kuhn_poker(), max_lambda=1000)
    # stated: at λ = 1000 the NashConv is below 1e-3 and the payoff within 1e-4 of -1/18
    assert path.nash_conv <= 1e-3
    pay = kuhn_poker().expected_payoffs(path.last)
    assert pay[0] == pytest.approx(-1 / 18, abs=1e-4)
    # λ = 0 is uniform play
    assert all(np.allclose(v, 0.5) for row in agent_logit_qre(kuhn_poker(), 0) for v in row)


def test_errors():
    with pytest.raises(InvalidParameterError, match="positive"):
        agent_logit_path(one_card_poker(), max_lambda=0)
    with pytest.raises(InvalidParameterError, match="non-negative"):
        agent_logit_qre(one_card_poker(), -1)
    # player A forgets its own first move: one information set after x and after y
    g = ExtensiveGame(["A", "B"])
    for node in g.add_move(g.root, 0, ["x", "y"]):
        for leaf in g.add_move(node, 0, ["p", "q"], infoset="forget"):
            g.set_outcome(leaf, [1, 0])
    with pytest.raises(InvalidGameError, match="perfect recall"):
        agent_logit_path(g, max_lambda=1)


def test_fit_recovers_lambda_from_simulated_play():
    from jenga_games._rng import make_rng
    from jenga_games.games.extensive import agent_logit_fit

    g = kuhn_poker()
    rng = make_rng(1)
    true = 1.5
    beh = agent_logit_qre(g, true)
    counts = [[rng.multinomial(2000, v / v.sum()) for v in row] for row in beh]
    fit = agent_logit_fit(g, counts)
    # stated: within 10 % from 2,000 plays observed at each information set
    assert fit.lam == pytest.approx(true, rel=0.1)
    # the fitted profile is the QRE at the fitted λ, and no grid λ explains the data better
    for row, row2 in zip(fit.behaviour, agent_logit_qre(g, fit.lam)):
        for a, b in zip(row, row2):
            np.testing.assert_allclose(a, b, atol=1e-7)
    flat = np.concatenate([np.asarray(v, float) for row in counts for v in row])
    for lam in (0.5, 1.0, 2.0, 4.0):
        other = np.concatenate([v for row in agent_logit_qre(g, lam) for v in row])
        assert flat @ np.log(other) <= fit.log_likelihood + 1e-6
    with pytest.raises(InvalidParameterError, match="2 non-negative numbers"):
        agent_logit_fit(g, [[[1, 2, 3]] * 6, [[1, 2]] * 6])
    with pytest.raises(InvalidParameterError, match="one entry per player"):
        agent_logit_fit(g, [[[1, 2]] * 6])


STALLED = """EFG 2 R "" { "A" "B" }
""

p "" 2 1 "a" { "l" "r" } 0
p "" 2 4 "b" { "l" "r" } 0
p "" 2 6 "c" { "l" "r" } 0
t "" 7 "" { 761/250, -577/500 }
t "" 6 "" { 2683/1000, -929/500 }
p "" 2 5 "d" { "l" "r" } 0
t "" 5 "" { 841/1000, -361/200 }
t "" 4 "" { 1923/500, 29/10 }
p "" 2 2 "e" { "l" "r" } 0
t "" 3 "" { 39/1000, -1201/1000 }
p "" 2 3 "f" { "l" "r" } 0
t "" 2 "" { -73/1000, 494/125 }
t "" 1 "" { 901/1000, 113/40 }
"""


def test_branch_passes_the_rounding_floor_far_out():
    # a random tree (from the strategy above) on which a corrector with an absolute
    # residual tolerance of 1e-10 stalled at λ = 6234: the residual cannot fall below
    # eps·|β|·λ there. The information sets in the order the strategy made them.
    from jenga_games.games.extensive import read_efg

    g = read_efg(STALLED)
    g.infosets[1].sort(key=lambda s: s.number)
    for k, s in enumerate(g.infosets[1]):
        s.index = k
    path = agent_logit_path(g, max_lambda=1e4)
    assert path.lambdas[-1] == pytest.approx(1e4)
    assert path.nash_conv <= 1e-3
