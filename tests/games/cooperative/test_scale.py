"""Scale invariance of the cooperative LPs and one reading of a voting quota (issue #23).

The nucleolus, pre-nucleolus, least core and core are homogeneous: the game
``c·v`` (``c > 0``) has ``c`` times the allocations and excess levels of
``v``, and the same core verdicts. The LPs are solved on ``v`` divided by a
power of two, so games in pounds (1e8) or in millionths agree with the
same game in units.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.cooperative import (
    TUGame,
    core_contains,
    core_is_empty,
    least_core,
    nucleolus,
    prenucleolus,
    weighted_voting_indices,
)
from jenga_games.games.cooperative._core import unit_scale

from .strategies import games


def _close(a, b, scale):
    return np.allclose(a, b, rtol=1e-7, atol=1e-7 * scale)


@settings(max_examples=20)
@given(games(min_n=2, max_n=5), st.integers(-8, 8))
def test_prenucleolus_and_least_core_scale_with_the_game(g, k):
    c = 10.0**k
    big = TUGame(g.n, g.values * c)
    scale = c * max(1.0, float(np.abs(g.values).max()))
    a, b = prenucleolus(g), prenucleolus(big)
    assert _close(b.allocation.values, a.allocation.values * c, scale)
    lc, lcb = least_core(g), least_core(big)
    assert abs(lcb.epsilon - lc.epsilon * c) <= 1e-7 * scale
    assert core_is_empty(g) == core_is_empty(big)
    x = a.allocation.values
    assert core_contains(g, x).in_core == core_contains(big, x * c).in_core


@settings(max_examples=20)
@given(games(min_n=2, max_n=5), st.integers(-8, 8))
def test_nucleolus_scales_with_the_game(g, k):
    singles = g.values[1 << np.arange(g.n)]
    if singles.sum() > g.grand:
        return  # empty imputation set: the nucleolus is undefined at every scale
    c = 10.0**k
    big = TUGame(g.n, g.values * c)
    scale = c * max(1.0, float(np.abs(g.values).max()))
    assert _close(nucleolus(big).allocation.values, nucleolus(g).allocation.values * c, scale)


@pytest.mark.parametrize("c", [1e-8, 1e-7, 1.0, 1e8])
def test_least_core_of_a_tiny_game_is_not_rounded_to_zero(c):
    # three-player majority game: ε* = 1/3 (core empty), at every scale
    v = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float) * c
    g = TUGame(3, v)
    assert least_core(g).epsilon == pytest.approx(c / 3, rel=1e-9)
    assert core_is_empty(g)
    assert prenucleolus(g).allocation.values == pytest.approx([c / 3] * 3, rel=1e-9)


def test_unit_scale_is_a_power_of_two():
    for m in (1e-9, 0.3, 1.0, 7.0, 3e8):
        s = unit_scale(np.array([0.0, m, -m / 2]))
        assert 0.5 <= m / s < 1 and np.log2(s) == int(np.log2(s))
    assert unit_scale(np.zeros(4)) == 1.0


@pytest.mark.parametrize(
    ("quota", "pivot_weight"),
    [(6, 6), (3000000.002, 3000000), (3000000.5, 3000001), (5.9999999999, 6), (6.000001, 7)],
)
def test_both_voting_apis_read_a_non_integer_quota_alike(quota, pivot_weight):
    weights = [3000000, 1, 2, 3] if quota > 100 else [4, 3, 2, 1]
    dp = weighted_voting_indices(weights, quota)
    tu = TUGame.weighted_voting(weights, quota)
    assert np.allclose(dp.shapley_shubik, tu.shapley().values, atol=1e-12)
    # the winning threshold is the documented one: a coalition of weight pivot_weight wins
    ws = [sum(w for i, w in enumerate(weights) if m >> i & 1) for m in range(16)]
    wins = {w for w, v in zip(ws, tu.values) if v == 1}
    assert min(wins) == min(w for w in ws if w >= pivot_weight)
