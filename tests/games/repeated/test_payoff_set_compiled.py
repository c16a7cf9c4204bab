"""The compiled Abreu-Sannikov kernel against the numpy step it replaces (the oracle), bit for bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.repeated import equilibrium_payoffs, payoff_set
from jenga_games.games.repeated.payoff_set import _COLLINEAR, _GRID, _abreu_sannikov, _as_step

compiled = pytest.importorskip("jenga_games.games.repeated._compiled")


@st.composite
def unit_games(draw, integer: bool = True):
    """A 2x2 .. 3x3 two-player stage game mapped to [0, 1] per player (as ``_exact_set`` does)."""
    a = draw(st.integers(2, 3))
    b = draw(st.integers(2, 3))
    size = a * b * 2
    if integer:  # ties, collinear and repeated payoffs: the degenerate cases
        vals = draw(st.lists(st.integers(0, 6), min_size=size, max_size=size))
    else:
        vals = draw(st.lists(st.floats(-10, 10, allow_nan=False), min_size=size, max_size=size))
    U = np.array(vals, dtype=float).reshape(a, b, 2)
    flat = U.reshape(-1, 2)
    low, span = flat.min(axis=0), flat.max(axis=0) - flat.min(axis=0)
    return (U - low) / np.where(span > 0, span, 1.0)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(unit_games(True), unit_games(False)),
    st.sampled_from([0.3, 0.5, 0.7, 0.85, 0.9]),
)
def test_compiled_iteration_equals_the_numpy_iteration(U, delta):
    Wc, itc, cc = _abreu_sannikov(U, delta, 1e-12, 2000)
    Wn, itn, cn = _abreu_sannikov(U, delta, 1e-12, 2000, compiled=False)
    assert (itc, cc) == (itn, cn)
    assert np.array_equal(Wc, Wn)


@settings(max_examples=60, deadline=None)
@given(
    unit_games(True),
    st.sampled_from([0.4, 0.8, 0.95]),
    st.lists(st.integers(0, 8), min_size=1, max_size=7),
    st.lists(st.integers(0, 8), min_size=1, max_size=7),
    st.tuples(st.integers(0, 4), st.integers(0, 4)),
)
def test_compiled_step_equals_the_numpy_step_from_any_polygon(U, delta, xs, ys, threat):
    """One step from an arbitrary polygon, point or segment ``W`` and threat point ``u``."""
    k = min(len(xs), len(ys))
    W = payoff_set._hull(np.stack([xs[:k], ys[:k]], axis=1) / 8.0, _GRID)
    u = np.array(threat, dtype=float) / 4.0
    pts = np.ascontiguousarray(U.reshape(-1, 2))
    dev0 = U[..., 0].max(axis=0, keepdims=True) - U[..., 0]
    dev1 = U[..., 1].max(axis=1, keepdims=True) - U[..., 1]
    gains = (1 - delta) / delta * np.stack([dev0, dev1], axis=-1).reshape(-1, 2)
    ours = compiled.as_step(W, u, pts, gains, delta, _GRID, _GRID, _COLLINEAR)
    oracle = _as_step(W, u, pts, gains, delta, _GRID)
    assert np.array_equal(ours.reshape(-1, 2), oracle.reshape(-1, 2))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=25),
    st.sampled_from([1.0, 1e-3, 1 / 3]),
)
def test_compiled_hull_equals_the_numpy_hull(points, scale):
    """Duplicates, collinear runs, points and segments included."""
    P = np.array(points, dtype=float) * scale
    ours = compiled._hull(P, len(P), _GRID, _COLLINEAR)
    assert np.array_equal(ours, payoff_set._hull(P, _GRID).reshape(-1, 2))


def test_without_numba_the_numpy_path_gives_the_same_set(monkeypatch):
    pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    fast = equilibrium_payoffs(pd, 0.9)
    monkeypatch.setattr(payoff_set, "_kernel", lambda: None)
    slow = equilibrium_payoffs(pd, 0.9)
    assert np.array_equal(fast.vertices, slow.vertices) and fast.iterations == slow.iterations
