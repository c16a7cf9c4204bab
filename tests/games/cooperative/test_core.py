"""Core membership (with the documented tolerance), Bondareva–Shapley emptiness, least core."""

import numpy as np
import pytest
from hypothesis import given

from jenga_games.errors import InvalidGameError
from jenga_games.games.cooperative import (
    TUGame,
    core_contains,
    core_is_empty,
    glove_game,
    is_convex,
    least_core,
    shapley,
)
from jenga_games.tolerance import TOL

from .strategies import convex_games, games, market_games


def test_membership_reports_violations_worst_first():
    g = TUGame(3, [0, 0, 0, 6, 0, 6, 6, 9], players="abc")
    ok = core_contains(g, [3, 3, 3])
    assert ok.in_core and bool(ok) and ok.n_violations == 0
    bad = core_contains(g, [5, 1, 3])
    assert not bad.in_core and bad.n_violations == 1
    assert bad.violations[0] == (("b", "c"), 2.0)
    ineff = core_contains(g, [3, 3, 2])
    assert not ineff.in_core and ineff.efficiency_gap == -1.0
    with pytest.raises(InvalidGameError, match="2 entries but the game has 3 players"):
        core_contains(g, [1, 2])
    with pytest.raises(InvalidGameError, match="NaN"):
        core_contains(g, [1, np.nan, 2])


def test_tolerance_rounding_is_not_a_violation_but_a_real_shortfall_is():
    """A core point off by 1e-15 (rounding) stays in; off by 1e-6 is out; efficiency is checked."""
    g = TUGame(3, [0, 0, 0, 0.1, 0, 0.1, 0.1, 0.3])
    x = np.array([0.1, 0.1, 0.1])  # 0.1 + 0.1 + 0.1 != 0.3 in binary
    assert core_contains(g, x).in_core
    assert core_contains(g, x - np.array([1e-15, 0, 0])).in_core
    assert not core_contains(g, x - np.array([1e-6, 0, 0])).in_core
    assert not core_contains(g, [0.2, 0.2, 0.2]).in_core  # inefficient: rejected
    assert core_contains(g, x - np.array([1e-6, 0, 0]), tol=1e-5).in_core
    assert TOL == 1e-9


@given(games(max_n=5))
def test_least_core_nonpositive_iff_core_nonempty(g):
    lc = least_core(g)
    empty = core_is_empty(g)
    assert (lc.epsilon <= TOL * max(1, abs(g.grand))) == (not empty)
    # the least-core point is efficient and every proper coalition's excess is <= epsilon
    x = lc.allocation.values
    ex = g.excesses(x)
    assert abs(ex[-1]) <= 1e-7 * max(1, abs(g.grand))
    assert ex[1:-1].max(initial=-np.inf) <= lc.epsilon + 1e-7 * max(1, np.abs(g.values).max())
    if not empty:
        assert core_contains(g, x, tol=1e-7).in_core


@given(convex_games())
def test_convex_games_have_shapley_in_core(g):
    assert is_convex(g)
    assert core_contains(g, shapley(g).values, tol=1e-9).in_core
    assert not core_is_empty(g)


@given(market_games())
def test_market_games_are_balanced(g):
    assert not core_is_empty(g) and g.is_balanced()


def test_published_empty_core():
    """Three-person majority game v(S) = 1 iff |S| >= 2: empty core, least core ε = 1/3 (Peleg & Sudhölter 2007)."""
    g = TUGame(3, [0, 0, 0, 1, 0, 1, 1, 1])
    assert core_is_empty(g)
    lc = least_core(g)
    assert abs(lc.epsilon - 1 / 3) < 1e-9 and np.allclose(lc.allocation.values, 1 / 3)


def test_published_glove_core_is_a_point():
    """One left glove, two right: the core is {(1, 0, 0)} (Maschler, Solan & Zamir 2013, ch. 17)."""
    g = glove_game([1, 0, 0], [0, 1, 1])
    assert core_contains(g, [1, 0, 0]).in_core
    assert not core_contains(g, [0.9, 0.05, 0.05]).in_core
    assert abs(least_core(g).epsilon) < 1e-9


def test_one_player():
    g = TUGame(1, [0, 4])
    assert not core_is_empty(g) and least_core(g).epsilon == 0
    assert core_contains(g, [4]).in_core


def test_bondareva_certificate_of_the_majority_game():
    """Weights 1/2 on each pair balance N and give Σ λ v = 3/2 > v(N) = 1: the core is empty."""
    from jenga_games.games.cooperative import bondareva_shapley

    cert = bondareva_shapley(TUGame(3, [0, 0, 0, 1, 0, 1, 1, 1]))
    assert cert.core_empty and abs(cert.min_total - 1.5) < 1e-9
    assert cert.weights == pytest.approx({(0, 1): 0.5, (0, 2): 0.5, (1, 2): 0.5})


@given(games(min_n=2, max_n=5))
def test_bondareva_weights_are_balanced_and_certify(g):
    from jenga_games.games.cooperative import bondareva_shapley

    cert = bondareva_shapley(g)
    assert cert.core_empty == core_is_empty(g)
    cover = np.zeros(g.n)
    total = 0.0
    for coal, lam in cert.weights.items():
        assert lam > 0
        cover[list(coal)] += lam
        total += lam * g.value(coal)
    scale = max(1.0, float(np.abs(g.values).max()))
    assert np.allclose(cover, 1.0, atol=1e-7)  # a balanced collection
    assert abs(total - cert.min_total) <= 1e-7 * scale  # strong duality
    if not cert.core_empty:  # share the slack: a core point
        x = cert.allocation.values
        y = x + (g.grand - x.sum()) / g.n
        assert core_contains(g, y, tol=1e-7).in_core
