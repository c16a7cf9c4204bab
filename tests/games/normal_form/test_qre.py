"""Logit QRE: fixed points along the branch, convergence to Nash, and the λ fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games._rng import make_rng
from jenga_games.errors import InvalidParameterError
from jenga_games.games.normal_form import (
    NormalFormGame,
    equilibria,
    logit_fit,
    logit_path,
    logit_qre,
)

from .strategies import bimatrix_games


def _logit_response(game, sig, lam):
    """Independent oracle: each player's softmax of λ times its action values."""
    out = []
    for i in range(game.n_players):
        u = game.action_values(list(sig), i)
        z = np.exp(lam * (u - u.max()))
        out.append(z / z.sum())
    return out


@settings(max_examples=8)
@given(bimatrix_games(min_actions=2, max_actions=3))
def test_branch_points_are_fixed_points_and_converge_to_nash(game):
    path = logit_path(game, max_lambda=1e4)
    assert path.lambdas[0] == 0 and path.lambdas[-1] == pytest.approx(1e4)
    for lam, prof in list(zip(path.lambdas, path.profiles))[:: max(1, len(path.lambdas) // 8)]:
        sig = [s / s.sum() for s in prof]
        for a, b in zip(sig, _logit_response(game, sig, lam)):
            assert a == pytest.approx(b, abs=1e-7)
    # generic random games: the branch ends near a Nash equilibrium
    assert path.regret <= 1e-3
    last = [s / s.sum() for s in path.last]
    dist = min(
        max(np.abs(a - b).max() for a, b in zip(last, e.strategies))
        for e in equilibria(game, "vertex_enumeration")
    )
    assert dist <= 1e-2


def test_three_player_branch():
    rng = make_rng(3)
    game = NormalFormGame(rng.random((2, 2, 2, 3)))
    sig = logit_qre(game, 5.0)
    for a, b in zip(sig, _logit_response(game, [s / s.sum() for s in sig], 5.0)):
        assert a == pytest.approx(b, abs=1e-7)
    assert all(np.allclose(s, 0.5) for s in logit_qre(game, 0))


def test_fit_recovers_lambda_from_simulated_play():
    rng = make_rng(1)
    game = NormalFormGame.bimatrix(rng.random((3, 3)) * 4, rng.random((3, 3)) * 4)
    true = 2.0
    sig = logit_qre(game, true)
    data = [rng.multinomial(4000, s / s.sum()) for s in sig]
    fit = logit_fit(game, data)
    assert fit.lam == pytest.approx(true, rel=0.1)
    assert fit.log_likelihood < 0


@settings(max_examples=30)
@given(bimatrix_games(min_actions=1, max_actions=5), st.floats(0, 20), st.randoms())
def test_bimatrix_equations_equal_the_n_player_ones(game, lam, rnd):
    # oracle: the same game with a third player who has one action goes through the
    # n-player H and J (tensor contractions); the bimatrix products must agree
    from jenga_games.games.normal_form._qre import _System

    pay = np.asarray(game.payoffs, dtype=float)
    third = np.concatenate([pay, np.zeros((*game.shape, 1))], axis=-1)[:, :, None, :]
    two, three = _System(game), _System(NormalFormGame(third))
    beta = np.array([rnd.uniform(-5, 0) for _ in range(two.dim)])
    v2 = np.concatenate([beta, [lam]])
    v3 = np.concatenate([beta, [0.0, lam]])
    d = two.dim
    np.testing.assert_allclose(two.H(v2), three.H(v3)[:d], rtol=1e-12, atol=1e-12)
    J2, J3 = two.J(v2), three.J(v3)
    np.testing.assert_allclose(J2[:, :d], J3[:d, :d], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(J2[:, d], J3[:d, -1], rtol=1e-12, atol=1e-12)


def test_errors():
    game = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InvalidParameterError, match="positive"):
        logit_path(game, max_lambda=0)
    with pytest.raises(InvalidParameterError, match="non-negative"):
        logit_qre(game, -1)
    with pytest.raises(InvalidParameterError, match="one count per action"):
        logit_fit(game, [[1, 2, 3], [1, 2]])
