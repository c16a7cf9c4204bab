"""The exact equilibrium payoff set (Abreu-Sannikov) against quantecon and the outer approximation."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError
from jenga_games.games.repeated import equilibrium_payoffs

DATA = Path(__file__).parents[3] / "benchmarks" / "data" / "quantecon_repeated_payoff_sets.json"
PD = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
STAG = np.array([[[4, 4], [0, 3]], [[3, 0], [2, 2]]], dtype=float)


def _support_gap(P, Q, k: int = 720) -> float:
    """Hausdorff distance of two convex polygons, from their support functions."""
    th = np.linspace(0, 2 * np.pi, k, endpoint=False)
    H = np.stack([np.cos(th), np.sin(th)], axis=1)
    return float(np.abs((H @ P.T).max(axis=1) - (H @ Q.T).max(axis=1)).max())


@pytest.mark.skipif(
    not DATA.exists(), reason="run benchmarks/record_quantecon_repeated.py in .venv-bench"
)
def test_default_is_exact_against_quantecon_abreu_sannikov():
    data = json.loads(DATA.read_text())
    for g in data["games"]:
        s = equilibrium_payoffs(np.array(g["payoffs"]), g["delta"])
        assert s.converged and s.provenance.method == "abreu_sannikov"
        V = np.array(g["vertices"])
        assert len(s.vertices) == len(V), g["name"]
        assert _support_gap(s.vertices, V) <= 1e-6, g["name"]


def test_prisoners_dilemma_and_stag_hunt_vertices():
    s = equilibrium_payoffs(PD, 0.9)
    truth = np.array([[1, 1], [13 / 3, 1], [3, 3], [1, 13 / 3]])
    assert _support_gap(s.vertices, truth) <= 1e-9
    assert np.allclose(s.worst, [1, 1])
    assert s.contains([3, 3]) and s.contains([2, 2]) and not s.contains([3.01, 3.01])
    # the outer approximation is larger (by up to 0.2 in the stag hunt at δ = 0.8)
    outer = equilibrium_payoffs(STAG, 0.8, n_directions=32)
    exact = equilibrium_payoffs(STAG, 0.8)
    assert all(outer.contains(v, tol=1e-7) for v in exact.vertices)
    assert _support_gap(outer.vertices, exact.vertices) > 0.01


@pytest.mark.parametrize(("scale", "shift"), [(1e-9, 0.0), (1e9, 0.0), (1.0, 1e6), (250.0, -3e4)])
def test_exact_set_moves_with_the_units_of_the_payoffs(scale, shift):
    base = equilibrium_payoffs(PD, 0.9)
    moved = equilibrium_payoffs(PD * scale + shift, 0.9)
    assert len(moved.vertices) == len(base.vertices)
    assert _support_gap(moved.vertices, base.vertices * scale + shift) <= 1e-9 * scale * 5


def test_a_game_whose_only_equilibrium_is_the_stage_nash_gives_a_point():
    # matching-pennies-like payoffs plus one pure Nash equilibrium that nobody can improve on
    U = np.array([[[1, 1], [0, 0]], [[0, 0], [0, 0]]], dtype=float)
    s = equilibrium_payoffs(U, 0.3)
    assert s.contains([1, 1])
    none = equilibrium_payoffs(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], float), 0.5)
    assert len(none.vertices) == 0 and not none.contains([0, 0])


def test_method_errors():
    with pytest.raises(InvalidGameError, match="method"):
        equilibrium_payoffs(PD, 0.9, method="exact")
    with pytest.raises(InvalidGameError, match="belong to method='outer'"):
        equilibrium_payoffs(PD, 0.9, method="abreu_sannikov", n_directions=16)
    with pytest.raises(InvalidGameError, match="max_iter"):
        equilibrium_payoffs(PD, 0.9, max_iter=0)


@st.composite
def games_2p(draw):
    a = draw(st.integers(2, 3))
    b = draw(st.integers(2, 3))
    vals = draw(st.lists(st.integers(0, 6), min_size=a * b * 2, max_size=a * b * 2))
    return np.array(vals, dtype=float).reshape(a, b, 2)


@settings(max_examples=10)
@given(games_2p(), st.sampled_from([0.5, 0.7, 0.85]))
def test_exact_set_lies_inside_the_outer_approximation_and_holds_the_stage_equilibria(U, delta):
    exact = equilibrium_payoffs(U, delta)
    outer = equilibrium_payoffs(U, delta, n_directions=24, tol=1e-9)
    A, B = U[..., 0], U[..., 1]
    nash = [
        (i, j)
        for i in range(A.shape[0])
        for j in range(A.shape[1])
        if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max()
    ]
    for i, j in nash:
        assert exact.contains(U[i, j], tol=1e-6)
    assert bool(len(exact.vertices)) == bool(len(outer.vertices)) or not nash
    for v in exact.vertices:
        assert outer.contains(v, tol=1e-6)


def test_arrays_lists_and_games_give_the_same_set():
    from jenga_games.games.repeated import prisoners_dilemma

    base = equilibrium_payoffs(PD, 0.9).vertices
    for game in (PD.astype(int), PD.astype(np.float32), PD.tolist(), prisoners_dilemma(5, 3, 1, 0)):
        assert np.array_equal(equilibrium_payoffs(game, 0.9).vertices, base)
    with pytest.raises(InvalidGameError, match="finite"):
        equilibrium_payoffs(np.where(PD == 5, np.inf, PD), 0.9)
    with pytest.raises(InvalidGameError, match="two-player"):
        equilibrium_payoffs(np.zeros((2, 2, 2, 3)), 0.9)
    with pytest.raises(InvalidGameError, match="last axis"):
        equilibrium_payoffs(np.zeros((2, 2, 3)), 0.9)


# Two games on which the hull once dropped an extreme point whose turn was tiny: a stage Nash
# payoff next to a nearly vertical edge, and the sharp tip of a flat triangle. quantecon's
# Abreu-Sannikov vertices for the first (recorded 2026-12-06, quantecon 0.8 in .venv-bench).
U44 = np.array(
    [
        [[2, 0], [8, 4], [6, 2], [0, 2]],
        [[1, 2], [1, 5], [1, 5], [5, 8]],
        [[4, 1], [3, 4], [3, 2], [2, 4]],
        [[9, 9], [7, 9], [9, 7], [8, 7]],
    ],
    dtype=float,
)
U45 = np.array(
    [
        [[7, 8], [2, 8], [4, 9], [6, 7], [2, 1]],
        [[9, 5], [7, 4], [4, 6], [2, 2], [5, 9]],
        [[0, 2], [8, 4], [0, 1], [9, 9], [3, 8]],
        [[1, 9], [0, 2], [8, 3], [7, 9], [0, 8]],
    ],
    dtype=float,
)


U43 = np.array(
    [
        [[2, 4], [9, 2], [0, 1]],
        [[8, 4], [9, 5], [6, 9]],
        [[8, 7], [0, 8], [9, 8]],
        [[3, 9], [8, 9], [2, 1]],
    ],
    dtype=float,
)


def test_an_incentive_bound_through_a_vertex_is_met_there():
    # (8.5, 8.5) = (u(3, 1) + (9, 8)) / 2 needs w_1 >= 9: the bound runs along the edge
    # w_1 = 9 and meets the next edge at its end point, up to rounding (quantecon's vertices)
    s = equilibrium_payoffs(U43, 0.5)
    truth = np.array([[8.5, 8.5], [8, 7], [8.6, 4], [9, 4], [9, 8]])
    assert len(s.vertices) == 5 and _support_gap(s.vertices, truth) <= 1e-9


def test_extreme_points_with_tiny_turns_are_kept():
    s = equilibrium_payoffs(U44, 0.85)
    assert s.contains([8, 4])  # a stage Nash equilibrium
    assert _support_gap(s.vertices, np.array([[9, 9], [8, 9], [8, 4], [9, 7]])) <= 1e-9
    flat = equilibrium_payoffs(U45, 0.95)  # both stage Nash payoffs, nothing else
    assert _support_gap(flat.vertices, np.array([[5, 9], [9, 9]])) <= 1e-9


@st.composite
def thin_point_sets(draw):
    """Points along a line (axis-parallel or diagonal) moved off it by a few multiples of eps,
    plus up to two points anywhere: the nearly collinear sets the hull must not mistreat."""
    direction = np.array(draw(st.sampled_from([(0, 1), (1, 0), (1, 1), (1, -2), (3, 1)])), float)
    normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
    eps = draw(st.sampled_from([1e-13, 1e-12, 3e-12, 1e-11]))
    ts = draw(st.lists(st.integers(-7, 7), min_size=1, max_size=8))
    offs = draw(st.lists(st.integers(-5, 5), min_size=len(ts), max_size=len(ts)))
    base = np.array(draw(st.tuples(st.integers(0, 6), st.integers(0, 6))), float) / 7.0
    P = [base + t / 7.0 * direction + k * eps * normal for t, k in zip(ts, offs)]
    extra = draw(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), max_size=2))
    P += [np.array(e, float) / 7.0 for e in extra]
    return np.array(P)


@settings(max_examples=100)
@given(thin_point_sets())
@example(np.array([[0, 0], [1e-12, -1 / 7], [1e-12, 2 / 7], [1, 0]]))  # tip below a vertical run
@example(  # the sharp tip (5/9, 1) of a flat polygon, from U45 below
    np.array(
        [
            [0.5555555555556, 1.0],
            [0.5722222222223, 0.9999999999978],
            [0.5722222222223, 1.0],
            [0.5777777777778, 0.999999999998],
            [0.5777777777778, 1.0],
            [0.7777777777778, 1.0],
            [1.0, 1.0],
        ]
    )
)
def test_hull_contains_every_point_and_keeps_only_given_points(P):
    from jenga_games.games.repeated.payoff_set import _GRID, _hull

    H = _hull(P, _GRID)
    snapped = np.rint(P / _GRID) * _GRID
    # every vertex is one of the (snapped) points
    assert all(np.any(np.all(snapped == h, axis=1)) for h in H)
    # every point lies in the hull, up to the dropped turns (1e-12 over an edge) and the grid
    if len(H) >= 3:
        E = np.roll(H, -1, axis=0) - H
        cross = E[None, :, 0] * (P[:, None, 1] - H[None, :, 1]) - E[None, :, 1] * (
            P[:, None, 0] - H[None, :, 0]
        )
        dist = cross / np.hypot(E[:, 0], E[:, 1])[None, :]
        assert dist.min() >= -1e-10
    else:
        a, b = H[0], H[-1]
        d = b - a
        t = np.clip((P - a) @ d / max(d @ d, 1e-300), 0.0, 1.0)
        assert np.abs(P - (a + t[:, None] * d)).max() <= 1e-10
