"""Shapley and Banzhaf values: axioms, brute force over permutations, published values, sampling."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError, TooLargeError
from jenga_games.games.cooperative import (
    FunctionGame,
    TUGame,
    airport_game,
    banzhaf,
    glove_game,
    shapley,
    shapley_sampled,
)

from .oracles import banzhaf_by_subsets, sampled_sums_reference, shapley_by_permutations
from .strategies import games


@given(games(max_n=6, integer=False))
def test_shapley_matches_brute_force_over_permutations(g):
    assert np.allclose(shapley(g).values, shapley_by_permutations(g.values, g.n), atol=1e-9)


def test_shapley_brute_force_n7():
    rng = np.random.default_rng(7)
    v = rng.normal(size=2**7)
    v[0] = 0
    g = TUGame(7, v)
    assert np.allclose(shapley(g).values, shapley_by_permutations(v, 7), atol=1e-12)


@given(games(max_n=6, integer=False))
def test_efficiency(g):
    assert math.isclose(shapley(g).values.sum(), g.grand, abs_tol=1e-9 * max(1, abs(g.grand)))


@given(games(min_n=2, max_n=6), st.data())
def test_symmetry(g, data):
    """Make players i and j symmetric by symmetrising v; they then get equal shares."""
    n = g.n
    i, j = data.draw(st.sampled_from([(a, b) for a in range(n) for b in range(a + 1, n)]))
    m = np.arange(2**n)
    bi, bj = (m >> i) & 1, (m >> j) & 1
    swapped = m ^ ((bi ^ bj) << i) ^ ((bi ^ bj) << j)
    sym = TUGame(n, (g.values + g.values[swapped]) / 2)
    phi = shapley(sym).values
    assert math.isclose(phi[i], phi[j], abs_tol=1e-9)


@given(games(min_n=2, max_n=6), st.data())
def test_null_player(g, data):
    """Make player k null: v(S ∪ {k}) = v(S). Its Shapley and Banzhaf values are 0."""
    n = g.n
    k = data.draw(st.integers(0, n - 1))
    m = np.arange(2**n)
    null = TUGame(n, g.values[m & ~(1 << k)])
    assert abs(shapley(null)[k]) <= 1e-9
    assert abs(banzhaf(null)[k]) <= 1e-9


@given(games(max_n=5), games(max_n=5))
def test_additivity(g, h):
    if g.n != h.n:
        h = TUGame(g.n, np.resize(h.values, 2**g.n) * (np.arange(2**g.n) > 0))
    s = TUGame(g.n, g.values + h.values)
    assert np.allclose(shapley(s).values, shapley(g).values + shapley(h).values)
    assert np.allclose(banzhaf(s).values, banzhaf(g).values + banzhaf(h).values)


@given(games(max_n=6))
def test_banzhaf_matches_brute_force(g):
    assert np.allclose(banzhaf(g).values, banzhaf_by_subsets(g.values, g.n))
    if abs(banzhaf(g).values.sum()) > 1e-9:
        b = banzhaf(g, normalized=True)
        assert math.isclose(b.values.sum(), g.grand, abs_tol=1e-9 * max(1, abs(g.grand)))


def test_banzhaf_normalise_zero_sum_raises():
    g = TUGame(2, [0, 1, -1, 0])
    with pytest.raises(InvalidGameError, match="sum to 0"):
        banzhaf(g, normalized=True)


def test_published_airport_shapley():
    """Littlechild & Owen (1973): each runway segment is shared equally by the players needing it."""
    costs = [2.0, 3.0, 7.0, 7.0, 10.0]
    phi = shapley(airport_game(costs)).values
    c = sorted(costs)
    expect = []
    for k in range(len(c)):
        expect.append(sum((c[j] - (c[j - 1] if j else 0)) / (len(c) - j) for j in range(k + 1)))
    assert np.allclose(phi, expect)


def test_published_glove_shapley():
    """One left glove, two right gloves: Shapley value (2/3, 1/6, 1/6) (Maschler, Solan & Zamir 2013, ch. 18)."""
    assert np.allclose(shapley(glove_game([1, 0, 0], [0, 1, 1])).values, [2 / 3, 1 / 6, 1 / 6])


def test_shapley_needs_tugame():
    with pytest.raises(InvalidGameError, match="shapley_sampled"):
        shapley(FunctionGame(3, lambda S: len(S)))


@pytest.mark.parametrize("method", ["permutation", "stratified"])
def test_sampled_is_seeded_and_covers_exact(method):
    rng = np.random.default_rng(11)
    n = 9
    pc = np.bitwise_count(np.arange(2**n)).astype(float)
    v = rng.random(2**n) * pc**2
    v[0] = 0
    g = TUGame(n, v)
    exact = shapley(g).values
    a = shapley_sampled(g, samples=3000, method=method, seed=0)
    b = shapley_sampled(g, samples=3000, method=method, seed=0)
    c = shapley_sampled(g, samples=3000, method=method, seed=1)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.stderr, b.stderr)
    assert not np.array_equal(a.values, c.values)
    # 95% intervals: with 9 players, all inside 4 standard errors (failure probability ~ 6e-4)
    assert np.all(np.abs(a.values - exact) <= 4 * a.stderr)
    assert np.all((a.ci_low <= a.values) & (a.values <= a.ci_high))
    assert a.provenance.seed == 0 and a.samples == 3000


@given(games(1, 7, integer=False), st.integers(2, 60), st.integers(0, 2**32 - 1))
def test_sampled_accumulation_is_bitwise_the_reference(g, samples, seed):
    """The position-major kernel of shapley_sampled gives, bit for bit, the estimates of the
    earlier one-line version: same draw (permuted rows of np.tile), same sums in the same order."""
    from jenga_games.games.cooperative._sampling import _accumulate_tu

    n = g.n
    perms = np.random.default_rng(seed).permuted(np.tile(np.arange(n), (samples, 1)), axis=1)
    ref_total, ref_sq = sampled_sums_reference(g.values, perms)
    total, total_sq = _accumulate_tu(g.values, perms.copy(), np.zeros(n), np.zeros(n))
    assert np.array_equal(total, ref_total) and np.array_equal(total_sq, ref_sq)
    est = shapley_sampled(g, samples=samples, seed=seed)
    mean = ref_total / samples
    var = np.maximum(ref_sq / samples - mean**2, 0.0) * samples / (samples - 1)
    assert np.array_equal(est.values, mean) and np.array_equal(est.stderr, np.sqrt(var / samples))


@pytest.mark.parametrize("method", ["permutation", "stratified"])
def test_sampled_interval_coverage_is_near_nominal(method):
    """Over 200 seeds the 90% interval of one player covers the exact value about 90% of the time."""
    rng = np.random.default_rng(5)
    n = 6
    v = rng.random(2**n) * np.bitwise_count(np.arange(2**n))
    v[0] = 0
    g = TUGame(n, v)
    exact = shapley(g)[0]
    hits = sum(
        bool(r.ci_low[0] <= exact <= r.ci_high[0])
        for r in (
            shapley_sampled(g, samples=200, seed=s, confidence=0.9, method=method)
            for s in range(200)
        )
    )
    assert 160 <= hits <= 195


def test_sampled_large_function_game_symmetric():
    g = FunctionGame(150, lambda M: M.sum(axis=1).astype(float) ** 2, vectorized=True)
    r = shapley_sampled(g, samples=200, method="permutation", seed=2)
    assert math.isclose(r.values.sum(), 150.0**2, rel_tol=1e-9)  # each order is efficient
    assert np.all(np.abs(r.values - 150.0) <= 5 * r.stderr + 1e-9)


def test_sampled_bad_input():
    g = TUGame(2, [0, 1, 1, 3])
    with pytest.raises(InvalidGameError, match="samples must be an int >= 2"):
        shapley_sampled(g, samples=1)
    with pytest.raises(InvalidGameError, match="unknown method"):
        shapley_sampled(g, method="bootstrap")
    with pytest.raises(InvalidGameError, match="confidence"):
        shapley_sampled(g, confidence=1.5)


def test_exact_refuses_large_n_with_a_pointer():
    with pytest.raises(TooLargeError, match="shapley_sampled"):
        TUGame.from_function(27, len)
