"""Logit QRE: fixed points along the branch, convergence to Nash, and the λ fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

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


def test_errors():
    game = NormalFormGame.bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(InvalidParameterError, match="positive"):
        logit_path(game, max_lambda=0)
    with pytest.raises(InvalidParameterError, match="non-negative"):
        logit_qre(game, -1)
    with pytest.raises(InvalidParameterError, match="one count per action"):
        logit_fit(game, [[1, 2, 3], [1, 2]])
