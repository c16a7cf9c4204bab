"""Stackelberg commitment: Conitzer & Sandholm's example, Nash bound, exact grid oracle."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError
from jenga_games.games.normal_form import NormalFormGame, equilibria, stackelberg

from .strategies import bimatrix_games


def test_conitzer_sandholm_example():
    # Conitzer & Sandholm (2006), section 1: Up is dominant, so every Nash
    # equilibrium gives the leader 2; committing to (1/2, 1/2) gives 3.5.
    g = NormalFormGame.bimatrix([[2, 4], [1, 3]], [[1, 0], [0, 1]])
    s = stackelberg(g, exact=True)
    assert s.exact_commitment == (Fraction(1, 2), Fraction(1, 2))
    assert s.exact_leader_value == Fraction(7, 2)
    assert s.response == "a2"
    assert s.values_by_response == {"a1": 2.0, "a2": 3.5}
    assert "7/2" in repr(s)
    f = stackelberg(g)
    assert f.leader_value == pytest.approx(3.5)


def test_column_leader_and_errors():
    g = NormalFormGame.bimatrix([[2, 4], [1, 3]], [[1, 0], [0, 1]], players=["R", "C"])
    s = stackelberg(g, "C", exact=True)
    assert s.leader == "C" and s.follower == "R"
    # R's Up is dominant, so C can only get max over its commitment of x*1 + (1-x)*0
    assert s.exact_leader_value == 1
    with pytest.raises(InvalidGameError, match="two-player"):
        stackelberg(NormalFormGame(np.zeros((2, 2, 2, 3))))


def _grid_value(A, B, denominators=20):
    """Brute force: the best leader value over every commitment x = k/d (d ≤ 20), exactly."""
    best = None
    points = {Fraction(k, d) for d in range(1, denominators + 1) for k in range(d + 1)}
    for x in points:
        mix = (x, 1 - x)
        fol = [sum(mix[i] * B[i][j] for i in range(2)) for j in range(2)]
        top = max(fol)
        lead = max(sum(mix[i] * A[i][j] for i in range(2)) for j in range(2) if fol[j] == top)
        best = lead if best is None else max(best, lead)
    return best


@settings(max_examples=25)
@given(st.integers(0, 2**32 - 1))
def test_agrees_with_exact_grid_on_2x2(seed):
    # payoffs in [-5, 5]: every indifference point has a denominator ≤ 20, so the
    # grid contains the optimal commitment and the two answers are equal exactly
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, (2, 2)).tolist()
    B = rng.integers(-5, 6, (2, 2)).tolist()
    s = stackelberg(NormalFormGame.bimatrix(A, B), exact=True)
    assert s.exact_leader_value == _grid_value(A, B)


@settings(max_examples=20)
@given(bimatrix_games(max_actions=3, integer=True, high=4))
def test_commitment_beats_every_nash_equilibrium(game):
    s = stackelberg(game, exact=True)
    for eq in equilibria(game, "vertex_enumeration", exact=True):
        assert s.exact_leader_value >= eq.exact_payoffs[0]
    # the response is a best response to the commitment, exactly
    B = game.exact_payoffs[..., 1]
    vals = [
        sum(x * B[i, j] for i, x in enumerate(s.exact_commitment)) for j in range(game.shape[1])
    ]
    assert vals[game.action_index(1, s.response)] == max(vals)
    f = stackelberg(game)
    assert f.leader_value == pytest.approx(float(s.exact_leader_value), abs=1e-7)
