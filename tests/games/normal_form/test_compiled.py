"""The compiled (numba) kernels against the numpy paths they replace (issue #20).

Each kernel must give what the batched numpy code gives: the same vertex
candidates with the same systems, the same deduplicated rows, the same
Lemke–Howson end points; degenerate integer games (many ties) included.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.games.normal_form import NormalFormGame
from jenga_games.games.normal_form import _vertex_enumeration as ve

from .strategies import bimatrix_games

pytest.importorskip("numba")


def _polytope_matrices(game):
    from jenga_games.games.normal_form._kernels import unit_payoffs

    unit = unit_payoffs(game)[0]
    return np.ascontiguousarray(unit[..., 1].T + 1.0), unit[..., 0] + 1.0


@settings(max_examples=30, deadline=None)
@given(bimatrix_games(max_actions=5))
def test_vertex_kernel_matches_numpy_path(game):
    for M in _polytope_matrices(game):
        X, Im, Jm = ve._vertex_arrays(M, 1e-9)
        X0, Im0, Jm0 = ve._vertex_arrays(M, 1e-9, compiled=False)
        # same systems accepted (order: size, support, tight rows), points equal to rounding
        assert Im.tolist() == Im0.tolist() and Jm.tolist() == Jm0.tolist()
        np.testing.assert_allclose(X, X0, atol=1e-12, rtol=0)


@settings(max_examples=40, deadline=None)
@given(bimatrix_games(max_actions=5, integer=True, high=2))
def test_vertex_kernel_same_answers_on_degenerate_games(game):
    """Ties everywhere: the kernel and the numpy path may accept different singular systems
    (rounding decides), but the vertices, equilibria and Nash subsets are the same."""
    for M in _polytope_matrices(game):
        X = ve._vertex_arrays(M, 1e-9)[0]
        X0 = ve._vertex_arrays(M, 1e-9, compiled=False)[0]
        a, b = X[ve.unique_rows(X)], X0[ve.unique_rows(X0)]
        assert sorted(map(tuple, np.round(a, 9))) == sorted(map(tuple, np.round(b, 9)))
    fast = game.equilibria("vertex_enumeration")
    original = ve._kernel
    try:
        ve._kernel = lambda: None
        slow = NormalFormGame(game.payoffs).equilibria("vertex_enumeration")
    finally:
        ve._kernel = original
    key = [
        sorted(tuple(np.round(np.concatenate(e.strategies), 9)) for e in r) for r in (fast, slow)
    ]
    assert key[0] == key[1]
    assert fast.degenerate == slow.degenerate and fast.nash_subsets == slow.nash_subsets


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 4),
    st.sampled_from([0, 1, 2]),
    st.integers(0, 2**32 - 1),
)
def test_unique_rows_kernel_matches_numpy_path(n, d, digits, seed):
    rng = np.random.default_rng(seed)
    # coarse values repeat; a 1e-9-scale jitter makes rows straddle rounding boundaries
    X = np.round(rng.random((n, d)) * 3, digits) + rng.integers(0, 3, (n, d)) * 4e-10
    kept = ve.unique_rows(X, 1e-9)
    original = ve._kernel
    try:
        ve._kernel = lambda: None
        assert kept.tolist() == ve.unique_rows(X, 1e-9).tolist()
    finally:
        ve._kernel = original


def test_vertex_enumeration_same_without_numba(monkeypatch):
    rng = np.random.default_rng(3)
    g = NormalFormGame.bimatrix(rng.random((5, 5)), rng.random((5, 5)))
    fast = g.equilibria("vertex_enumeration")
    monkeypatch.setattr(ve, "_kernel", lambda: None)
    slow = NormalFormGame.bimatrix(g.payoffs[..., 0], g.payoffs[..., 1]).equilibria(
        "vertex_enumeration"
    )
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow):
        for s, t in zip(a.strategies, b.strategies):
            np.testing.assert_allclose(s, t, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(bimatrix_games(max_actions=6), bimatrix_games(max_actions=6, integer=True, high=2)),
    st.integers(0, 11),
)
def test_lemke_howson_kernel_pivots_as_the_tableaux(game, label):
    from jenga_games.games.normal_form._lemke_howson import _float_path

    label %= sum(game.shape)
    cap = 400  # degenerate integer games may cycle in floating point: both must stop alike
    x, y, piv = _float_path(game, label, cap)
    x0, y0, piv0 = _float_path(game, label, cap, compiled=False)
    assert piv == piv0
    assert (x is None) == (x0 is None)
    if x is not None:  # the same pivots in the same operations: bit for bit
        assert x.tolist() == x0.tolist() and y.tolist() == y0.tolist()


@settings(max_examples=30, deadline=None)
@given(bimatrix_games(max_actions=5), st.integers(0, 2**32 - 1))
def test_batched_certificate_matches_the_single_one(game, seed):
    """certify_pairs (vertex and support enumeration) decides and reports as certify_or_none."""
    from jenga_games._results import Provenance
    from jenga_games.games.normal_form._equilibrium import certify_or_none, certify_pairs

    rng = np.random.default_rng(seed)
    m, n = game.shape
    eqs = [(e.strategies[0], e.strategies[1]) for e in game.equilibria("vertex_enumeration")]
    noise = [(rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(n))) for _ in range(3)]
    cands = eqs + noise
    prov = Provenance("test", {})
    batch = certify_pairs(game, [x for x, _ in cands], [y for _, y in cands], "test", prov)
    for (x, y), b in zip(cands, batch):
        one = certify_or_none(game, (x, y), "test", prov)
        assert (one is None) == (b is None)
        if b is not None:
            assert all(np.array_equal(s, t) for s, t in zip(b.strategies, one.strategies))
            np.testing.assert_allclose(b.payoffs, one.payoffs, rtol=1e-12, atol=1e-12)
            assert abs(b.regret - one.regret) <= 1e-12


def _same_arrays(a, b):
    return (
        a[1].tolist() == b[1].tolist()
        and a[2].tolist() == b[2].tolist()
        and np.array_equal(a[0], b[0])
    )


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        bimatrix_games(max_actions=6),
        bimatrix_games(max_actions=6, integer=True, high=1),
        bimatrix_games(max_actions=6, integer=True, high=3),
    )
)
def test_vertex_walk_returns_what_every_system_returns(game):
    """Walking the feasible bases finds every system the enumeration of all C(r+d, d) accepts,
    degenerate (tied) games included, and returns the same arrays bit for bit."""
    from jenga_games.games.normal_form._compiled import vertex_candidates, vertex_candidates_walk

    for M in _polytope_matrices(game):
        M = np.ascontiguousarray(M)
        assert _same_arrays(vertex_candidates_walk(M, 1e-9), vertex_candidates(M, 1e-9))


def test_vertex_walk_on_the_most_degenerate_polytopes():
    """Constant and two-valued matrices: many bases per vertex, all reached by exchanges."""
    from jenga_games.games.normal_form._compiled import vertex_candidates, vertex_candidates_walk

    rng = np.random.default_rng(5)
    cases = [np.ones((4, 5)), np.ones((1, 6)), 1.0 + np.eye(5), 2.0 - np.eye(4)[:, :3]]
    cases += [1.0 + rng.integers(0, 2, (r, d)).astype(float) for r, d in [(5, 5), (6, 4)] * 5]
    for M in cases:
        M = np.ascontiguousarray(M)
        assert _same_arrays(vertex_candidates_walk(M, 1e-9), vertex_candidates(M, 1e-9))


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(bimatrix_games(max_actions=5), bimatrix_games(max_actions=5, integer=True, high=2))
)
def test_compiled_vertex_pairs_certify_and_sort_as_python(game):
    """certify_vertex_pairs: the regret test and payoffs of certify_pairs, the order of sort_key."""
    from jenga_games._results import Provenance
    from jenga_games.games.normal_form._compiled import certify_vertex_pairs
    from jenga_games.games.normal_form._equilibrium import certify_pairs, sort_key
    from jenga_games.games.normal_form._kernels import SUPPORT_TOL, unit_payoffs

    fused = ve._compiled_pairs(game, 1e-9)
    XP, XQ, pp, pq, _ = fused
    unit, _, span = unit_payoffs(game)
    F, count, worst, reg, pay, order = certify_vertex_pairs(
        XP, XQ, pp, pq, unit, game.payoffs, span, SUPPORT_TOL
    )
    m = game.shape[0]
    X = XP[pp] / XP[pp].sum(axis=1, keepdims=True)
    Y = XQ[pq] / XQ[pq].sum(axis=1, keepdims=True)
    np.testing.assert_allclose(F, np.hstack([X, Y]), rtol=0, atol=1e-15)
    assert count.tolist() == np.count_nonzero(F > SUPPORT_TOL, axis=1).tolist()
    ref = certify_pairs(game, F[:, :m], F[:, m:], "test", Provenance("test", {}))
    for k, eq in enumerate(ref):
        assert (eq is None) == (not worst[k] <= 1e-9)
        if eq is not None:
            np.testing.assert_allclose(pay[k], eq.payoffs, rtol=1e-12, atol=1e-12)
            assert abs(reg[k] - eq.regret) <= 1e-12
    expected = sorted(range(len(F)), key=lambda k: sort_key((F[k, :m], F[k, m:])))
    assert order.tolist() == expected


def test_new_equilibrium_is_the_dataclass():
    from jenga_games._results import Provenance
    from jenga_games.games.normal_form._equilibrium import Equilibrium, new_equilibrium

    s = (np.array([1.0, 0.0]), np.array([0.5, 0.5]))
    args = (s, np.array([1.0, 2.0]), ("r", "c"), (("a", "b"), ("x", "y")), "m", 0.0)
    prov = Provenance("m", {})
    fast, slow = new_equilibrium(*args, prov), Equilibrium(*args, provenance=prov)
    assert fast.__dict__.keys() == slow.__dict__.keys()
    assert all(fast.__dict__[k] is slow.__dict__[k] for k in fast.__dict__ if k != "strategies")
    assert repr(fast) == repr(slow) and fast.to_dict() == slow.to_dict()


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(bimatrix_games(max_actions=6), bimatrix_games(max_actions=6, integer=True, high=2)),
    st.integers(0, 11),
)
def test_lemke_howson_compiled_certificate_as_python(game, label):
    """lh_certified: the end point normalised and certified as certify_or_none does it."""
    from jenga_games._results import Provenance
    from jenga_games.games.normal_form._equilibrium import certify_or_none
    from jenga_games.games.normal_form._lemke_howson import _compiled_label, _float_path

    label %= sum(game.shape)
    prov = Provenance("lemke_howson", {})
    eq, piv = _compiled_label(game, label, 400, 1e-9, prov)
    x, y, piv0 = _float_path(game, label, 400, compiled=False)
    assert piv == piv0
    ref = None
    if x is not None:
        x, y = np.clip(x, 0.0, None), np.clip(y, 0.0, None)
        if x.sum() > 0 and y.sum() > 0:
            ref = certify_or_none(game, (x / x.sum(), y / y.sum()), "lemke_howson", prov)
    assert (eq is None) == (ref is None)
    if eq is not None:
        assert all(np.array_equal(s, t) for s, t in zip(eq.strategies, ref.strategies))
        np.testing.assert_allclose(eq.payoffs, ref.payoffs, rtol=1e-12, atol=1e-12)
        assert abs(eq.regret - ref.regret) <= 1e-12
        assert not eq.strategies[0].flags.writeable and not eq.payoffs.flags.writeable
