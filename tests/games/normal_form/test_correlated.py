"""Correlated and coarse correlated equilibria: known games, exact obedience, Nash inclusion."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

from jenga_games.errors import InvalidGameError, InvalidParameterError
from jenga_games.games.normal_form import (
    NormalFormGame,
    coarse_correlated_equilibrium,
    correlated_equilibrium,
    equilibria,
    obedience_gains,
    product_distribution,
)

from .strategies import bimatrix_games, nplayer_games

# Chicken with payoffs 6/2/7/0: the welfare-maximising CE puts 1/2 on (C, C) and
# 1/4 on each asymmetric profile, payoff 21/4 each (Aumann 1974's example family;
# the numbers are the textbook instance, e.g. Nisan et al. 2007, section 2.3.4).
CHICKEN = NormalFormGame.bimatrix([[6, 2], [7, 0]], [[6, 7], [2, 0]], actions=[["C", "D"]] * 2)


def test_chicken_max_welfare_is_the_textbook_mediator():
    ce = correlated_equilibrium(CHICKEN, exact=True)
    assert ce.exact_distribution.tolist() == [
        [Fraction(1, 2), Fraction(1, 4)],
        [Fraction(1, 4), Fraction(0)],
    ]
    assert ce.exact_payoffs == (Fraction(21, 4), Fraction(21, 4))
    # better for both than the symmetric mixed Nash equilibrium (14/3 each)
    nash = equilibria(CHICKEN, "support_enumeration", exact=True)
    assert max(sum(e.exact_payoffs) for e in nash) < sum(ce.exact_payoffs)
    assert ce.support() == {
        ("C", "C"): Fraction(1, 2),
        ("C", "D"): Fraction(1, 4),
        ("D", "C"): Fraction(1, 4),
    }
    assert "21/4" in repr(ce)
    assert ce.to_dict()["support"][0]["probability"] == "1/2"


def test_best_for_one_player_and_weights():
    ce = correlated_equilibrium(CHICKEN, "player", player="P1", exact=True)
    assert ce.exact_payoffs == (Fraction(7), Fraction(2))
    ce2 = correlated_equilibrium(CHICKEN, weights=[0, 1], exact=True)
    assert ce2.exact_payoffs == (Fraction(2), Fraction(7))
    assert ce2.objective == "weights"


def test_coarse_is_weaker_than_correlated():
    # shifted rock-paper-scissors: the coarse optimum is at least the correlated one
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    g = NormalFormGame.bimatrix((A + 1).tolist(), (1 - A).tolist())
    ce = correlated_equilibrium(g, exact=True)
    cce = coarse_correlated_equilibrium(g, exact=True)
    assert sum(cce.exact_payoffs) >= sum(ce.exact_payoffs)
    assert all(v <= 0 for v in obedience_gains(g, cce.exact_distribution, coarse=True))


def test_errors_name_the_problem():
    with pytest.raises(InvalidParameterError, match="unknown objective"):
        correlated_equilibrium(CHICKEN, "fairness")
    with pytest.raises(InvalidParameterError, match="needs player"):
        correlated_equilibrium(CHICKEN, "player")
    with pytest.raises(InvalidParameterError, match="one per player"):
        correlated_equilibrium(CHICKEN, weights=[1])
    with pytest.raises(InvalidParameterError, match="shape"):
        obedience_gains(CHICKEN, np.ones((3, 2)) / 6)
    big = NormalFormGame(np.zeros((30, 30, 30, 3)))
    with pytest.raises(InvalidGameError, match="eliminate_dominated"):
        correlated_equilibrium(big)


@settings(max_examples=25)
@given(bimatrix_games(max_actions=3, integer=True, high=4))
def test_exact_ce_obeys_exactly_and_dominates_nash_welfare(game):
    ce = correlated_equilibrium(game, exact=True)
    gains = obedience_gains(game, ce.exact_distribution)
    assert all(isinstance(v, Fraction) and v <= 0 for v in gains)
    assert sum(ce.exact_distribution.ravel()) == 1
    assert all(v >= 0 for v in ce.exact_distribution.ravel())
    # every Nash equilibrium is a correlated equilibrium (as a product distribution),
    # so the maximum welfare is at least the best Nash welfare
    for eq in equilibria(game, "vertex_enumeration", exact=True):
        p = product_distribution(eq.exact_strategies)
        assert all(v <= 0 for v in obedience_gains(game, p))
        assert all(v <= 0 for v in obedience_gains(game, p, coarse=True))
        assert sum(ce.exact_payoffs) >= sum(eq.exact_payoffs)
    cce = coarse_correlated_equilibrium(game, exact=True)
    assert sum(cce.exact_payoffs) >= sum(ce.exact_payoffs)


@settings(max_examples=15)
@given(bimatrix_games(max_actions=3))
def test_float_ce_agrees_with_exact(game):
    f = correlated_equilibrium(game, "player", player=1)
    e = correlated_equilibrium(game, "player", player=1, exact=True)
    assert f.payoffs[1] == pytest.approx(float(e.exact_payoffs[1]), abs=1e-8)
    assert f.max_gain <= 1e-8


@settings(max_examples=15)
@given(nplayer_games(max_players=3, max_actions=2))
def test_n_player_pure_equilibria_are_correlated(game):
    ce = correlated_equilibrium(game, exact=True)
    for eq in equilibria(game, "pure", exact=True):
        p = product_distribution(eq.exact_strategies)
        assert all(v <= 0 for v in obedience_gains(game, p))
        assert sum(ce.exact_payoffs) >= sum(eq.exact_payoffs)
