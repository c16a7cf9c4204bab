"""Folk-theorem region and equilibrium payoff sets: published values, quantecon's recorded sets, properties."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError, JengaError
from jenga_games.games.repeated import (
    equilibrium_payoffs,
    folk_region,
    minmax,
    prisoners_dilemma,
)

DATA = Path(__file__).parents[3] / "benchmarks" / "data" / "quantecon_repeated_payoff_sets.json"
PD = prisoners_dilemma(5, 3, 1, 0)


def test_pd_region():
    r = folk_region(PD)
    assert r.minmax_pure.tolist() == [1.0, 1.0] and r.minmax_mixed.tolist() == [1.0, 1.0]
    assert sorted(map(tuple, np.round(r.individually_rational, 9))) == sorted(
        [(1.0, 1.0), (1.0, round(13 / 3, 9)), (3.0, 3.0), (round(13 / 3, 9), 1.0)]
    )
    assert r.contains([3, 3]) and not r.contains([1, 1]) and r.contains([1, 1], strict=False)
    assert not r.contains([4, 4])


def test_matching_pennies_mixed_minmax_below_pure():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    U = np.stack([A, -A], axis=-1)
    v, sigma = minmax(U, 0)
    assert v == pytest.approx(0.0, abs=1e-9) and sigma == pytest.approx([0.5, 0.5])
    assert minmax(U, 0, mixed=False)[0] == 1.0
    assert folk_region(U).individually_rational is not None  # the point (0, 0) on the segment


def test_three_players_flags_correlated_minmax():
    rng = np.random.default_rng(1)
    r = folk_region(rng.integers(0, 6, size=(2, 2, 2, 3)).astype(float))
    assert r.correlated_minmax and np.all(r.minmax_mixed <= r.minmax_pure + 1e-9)


def test_pd_equilibrium_set_published_vertices():
    # quantecon (Abreu-Sannikov) at δ = 0.9: (1, 1), (1, 13/3), (3, 3), (13/3, 1)
    truth = np.array([[1, 1], [1, 13 / 3], [3, 3], [13 / 3, 1]])
    exact = equilibrium_payoffs(PD, 0.9, hull_normals=True)
    assert exact.converged
    got = sorted(map(tuple, np.round(exact.vertices, 5)))
    assert got == sorted(map(tuple, np.round(truth, 5)))
    plain = equilibrium_payoffs(PD, 0.9)  # 32 directions: an outer approximation, slightly larger
    assert all(plain.contains(v) for v in truth)
    assert np.max(plain.levels - (plain.directions @ truth.T).max(axis=1)) < 0.01


@pytest.mark.skipif(
    not DATA.exists(), reason="run benchmarks/record_quantecon_repeated.py in .venv-bench"
)
def test_outer_approximation_contains_quantecon_sets():
    data = json.loads(DATA.read_text())
    assert len(data["games"]) >= 5
    for g in data["games"]:
        U = np.array(g["payoffs"])
        V = np.array(g["vertices"])
        ours = equilibrium_payoffs(U, g["delta"], n_directions=64, hull_normals=True)
        assert all(ours.contains(v, tol=1e-6) for v in V), g["name"]
        gap = np.max(ours.levels - (ours.directions @ V.T).max(axis=1))
        assert gap < 0.03 * (U.max() - U.min()), (g["name"], gap)


@st.composite
def games_2p(draw):
    a = draw(st.integers(2, 3))
    b = draw(st.integers(2, 3))
    vals = draw(st.lists(st.integers(0, 6), min_size=a * b * 2, max_size=a * b * 2))
    return np.array(vals, dtype=float).reshape(a, b, 2)


@settings(max_examples=20)
@given(games_2p(), st.sampled_from([0.5, 0.7, 0.85]))
def test_equilibrium_set_properties(U, delta):
    s = equilibrium_payoffs(U, delta, n_directions=24, tol=1e-7)
    r = folk_region(U)
    # every pure stage Nash equilibrium payoff is an equilibrium payoff of the repeated game
    A, B = U[..., 0], U[..., 1]
    nash = [
        (i, j)
        for i in range(A.shape[0])
        for j in range(A.shape[1])
        if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max()
    ]
    for i, j in nash:
        assert s.contains(U[i, j], tol=1e-6)
    if len(s.vertices):
        # at least the pure minmax (the axes are among the 24 directions), and never beyond the
        # feasible set's support in any direction (the iteration only shrinks it)
        assert np.all(s.vertices >= r.minmax_pure - 1e-6)
        pts = U.reshape(-1, 2)
        assert np.all(s.levels <= (s.directions @ pts.T).max(axis=1) + 1e-9)
    else:
        assert not nash


def test_payoff_set_errors():
    with pytest.raises(JengaError, match="discount factor"):
        equilibrium_payoffs(PD, 1.0)
    with pytest.raises(InvalidGameError, match="two-player"):
        equilibrium_payoffs(np.zeros((2, 2, 2, 3)), 0.9)
    with pytest.raises(InvalidGameError, match="n_directions"):
        equilibrium_payoffs(PD, 0.9, n_directions=2)


def _lp_support(H, C, low, h):
    """Oracle: max h·w s.t. H w <= C, w >= low (HiGHS); None if infeasible."""
    from scipy.optimize import linprog

    res = linprog(-h, A_ub=H, b_ub=C, bounds=[(low[0], None), (low[1], None)], method="highs")
    return -res.fun if res.status == 0 else None


@settings(max_examples=30)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=1, max_size=3),
)
def test_incentive_constrained_support_matches_lp(points, lowers):
    """The vectorised step of the payoff-set iteration against an LP for every direction."""
    from jenga_games.games.repeated.payoff_set import _polygon, _support_above

    L = 8
    th = 2 * np.pi * np.arange(L) / L
    H = np.stack([np.cos(th), np.sin(th)], axis=1)
    C = (H @ np.array(points, dtype=float).T).max(axis=1)
    W = _polygon(H, C, 100.0, np.argsort(th))  # the iteration's sets are {w : H w <= C}
    lows = np.array(lowers, dtype=float)
    got = _support_above(W, H, C, lows)
    for a, low in enumerate(lows):
        tight = _lp_support(H, C, low + 1e-6, H[0])
        loose = _lp_support(H, C, low - 1e-6, H[0])
        if (tight is None) != (loose is None):
            continue  # the bound touches the set: feasibility is a matter of rounding
        for k in range(L):
            want = _lp_support(H, C, low, H[k])
            if want is None:
                assert np.isneginf(got[a, k])
            else:
                assert got[a, k] == pytest.approx(want, abs=1e-6)
