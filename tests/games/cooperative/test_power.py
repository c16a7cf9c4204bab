"""Weighted-voting power indices by dynamic programming: exact oracle, published values, properties."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError, TooLargeError
from jenga_games.games.cooperative import TUGame, banzhaf, shapley, weighted_voting_indices


@st.composite
def voting(draw, max_n=9):
    n = draw(st.integers(1, max_n))
    w = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n).filter(lambda w: sum(w) > 0))
    q = draw(st.floats(0.5, sum(w)))
    return w, q


@given(voting())
def test_dp_matches_exact_game(wq):
    w, q = wq
    r = weighted_voting_indices(w, q)
    g = TUGame.weighted_voting(w, q)
    assert np.allclose(r.shapley_shubik, shapley(g).values, atol=1e-12)
    assert np.allclose(r.banzhaf_raw, banzhaf(g).values, atol=1e-12)
    assert np.allclose(r.swings, np.rint(r.swings))


@given(voting(max_n=40))
def test_indices_sum_to_one_and_respect_weight_order(wq):
    w, q = wq
    r = weighted_voting_indices(w, q)
    assert math.isclose(r.shapley_shubik.sum(), 1.0, abs_tol=1e-9)
    assert math.isclose(r.banzhaf.sum(), 1.0, abs_tol=1e-9)
    assert np.all(r.shapley_shubik >= -1e-12)
    order = np.argsort(w, kind="stable")  # heavier never has less power (up to rounding)
    assert np.all(np.diff(r.shapley_shubik[order]) >= -1e-9)
    assert np.all(np.diff(r.banzhaf[order]) >= -1e-9)


def test_published_un_security_council():
    """15 members, 5 permanent (veto): [39; 7,7,7,7,7,1,...,1]. Shapley–Shubik 0.1963 and 0.00186;
    normalised Banzhaf 0.1669 and 0.0165 (Straffin 1993, Game Theory and Strategy, ch. 10)."""
    r = weighted_voting_indices([7] * 5 + [1] * 10, 39)
    assert np.allclose(r.shapley_shubik[:5], 0.19627, atol=5e-5)
    assert np.allclose(r.shapley_shubik[5:], 0.001865, atol=5e-6)
    assert np.allclose(r.banzhaf[:5], 0.1669, atol=5e-4)
    assert np.allclose(r.banzhaf[5:], 0.0165, atol=5e-4)
    # exact: a non-permanent member is pivotal iff its predecessors are the 5 permanent members and
    # 3 of the other 9: (1/15) * C(9,3) / C(14,8) = 4/2145
    assert math.isclose(r.shapley_shubik[5], 4 / 2145, rel_tol=1e-9)


def test_large_n_symmetric_and_dictator():
    r = weighted_voting_indices([1] * 301, 151)
    assert np.allclose(r.shapley_shubik, 1 / 301) and np.allclose(r.banzhaf, 1 / 301)
    r = weighted_voting_indices([1000] + [1] * 199, 1000)
    assert math.isclose(r.shapley_shubik[0], 1.0) and np.allclose(r.shapley_shubik[1:], 0)


def test_agrees_with_sampled_value_for_n_200():
    from jenga_games.games.cooperative import FunctionGame, shapley_sampled

    rng = np.random.default_rng(3)
    w = rng.integers(1, 50, 200)
    q = int(w.sum() * 0.6)
    r = weighted_voting_indices(w, q)
    g = FunctionGame(200, lambda M: (M @ w >= q).astype(float), vectorized=True)
    est = shapley_sampled(g, samples=1000, seed=0)
    # a pivot is rare for light players, so compare on average: mean |error| ~ 0.8 stderr
    err = np.abs(est.values - r.shapley_shubik)
    assert err.mean() <= 1.5 * est.stderr.mean()
    assert math.isclose(est.values.sum(), 1.0)  # one pivot per order
    assert np.corrcoef(est.values, r.shapley_shubik)[0, 1] > 0.6  # noise sd ~ signal sd here


@pytest.mark.parametrize(
    "w, q, err, match",
    [
        ([1.5, 2], 2, InvalidGameError, "must be integers.*common factor"),
        ([1, 2], 4, InvalidGameError, "quota must be in \\(0, sum of weights = 3\\]"),
        ([1, -2], 1, InvalidGameError, ">= 0"),
        ([], 1, InvalidGameError, "non-empty"),
        ([10**8, 10**8], 10**8, TooLargeError, "divide the weights"),
    ],
)
def test_bad_input(w, q, err, match):
    with pytest.raises(err, match=match):
        weighted_voting_indices(w, q)
