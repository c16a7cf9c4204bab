"""τ-value, Myerson value and Owen value: defining properties, brute force, published values."""

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError, UnknownItemError
from jenga_games.games.cooperative import TUGame, bankruptcy_game, myerson, owen, shapley, tau_value

from .strategies import convex_games, games


def test_tau_two_players_is_standard_solution():
    g = TUGame(2, [0, 1, 3, 10])
    assert np.allclose(tau_value(g).values, [1 + 3, 3 + 3])


@pytest.mark.parametrize("estate", [60, 200, 450])
def test_tau_bankruptcy_is_adjusted_proportional(estate):
    """Curiel, Maschler & Tijs (1987): τ of a bankruptcy game is the adjusted proportional rule."""
    c = np.array([100.0, 200.0, 300.0])
    m = np.maximum(0, estate - (c.sum() - c))  # minimal rights
    trunc = np.minimum(c - m, estate - m.sum())  # truncated claims of the rest
    expect = m + (estate - m.sum()) * trunc / trunc.sum()
    assert np.allclose(tau_value(bankruptcy_game(estate, c)).values, expect)


@given(convex_games())
def test_tau_efficient_and_between_bounds(g):
    t = tau_value(g).values
    assert math.isclose(t.sum(), g.grand, abs_tol=1e-9 * max(1, abs(g.grand)))
    M = g.grand - g.values[g.full_mask ^ (1 << np.arange(g.n))]
    assert np.all(t <= M + 1e-9)


def test_tau_not_quasi_balanced_raises():
    g = TUGame(3, [0, 0, 0, 1, 0, 1, 1, 1])  # majority game: Σm > v(N)
    with pytest.raises(InvalidGameError, match="not quasi-balanced"):
        tau_value(g)


@given(games(min_n=2, max_n=5))
def test_myerson_complete_graph_is_shapley_and_empty_is_singletons(g):
    assert np.allclose(myerson(g, nx.complete_graph(g.n)).values, shapley(g).values)
    empty = nx.empty_graph(g.n)
    assert np.allclose(myerson(g, empty).values, g.values[1 << np.arange(g.n)])


@given(games(min_n=3, max_n=5), st.data())
def test_myerson_component_efficiency_and_fairness(g, data):
    n = g.n
    all_edges = list(itertools.combinations(range(n), 2))
    edges = data.draw(st.lists(st.sampled_from(all_edges), unique=True, min_size=1))
    G = nx.Graph(edges)
    G.add_nodes_from(range(n))
    phi = myerson(g, G).values
    for comp in nx.connected_components(G):
        assert math.isclose(phi[list(comp)].sum(), g.value(comp), abs_tol=1e-9)
    # fairness (Myerson 1977): removing edge ij changes i's and j's values equally
    i, j = edges[0]
    H = G.copy()
    H.remove_edge(i, j)
    psi = myerson(g, H).values
    assert math.isclose(phi[i] - psi[i], phi[j] - psi[j], abs_tol=1e-9)


@given(games(min_n=1, max_n=6, integer=False), st.data())
def test_myerson_restricted_game_matches_components_brute_force(g, data):
    """v^G(S) = Σ v(component) by networkx's components, for every S; an edge list (read
    without networkx) and the same graph as a networkx Graph give the same values bit for bit."""
    from jenga_games.games.cooperative._values import _graph_restricted

    n = g.n
    all_edges = [*itertools.combinations(range(n), 2), (0, 0)]
    edges = data.draw(st.lists(st.sampled_from(all_edges), unique=True))
    G = nx.Graph(edges)
    G.add_nodes_from(range(n))
    vg = _graph_restricted(g, G.nodes(), G.edges())
    for S in range(2**n):
        sub = G.subgraph([i for i in range(n) if S >> i & 1])
        ref = sum(g.value(c) for c in nx.connected_components(sub))
        assert math.isclose(vg[S], ref, rel_tol=1e-12, abs_tol=1e-12)
    assert np.array_equal(myerson(g, edges).values, myerson(g, G).values)


def test_myerson_input_errors():
    g = TUGame(2, [0, 1, 1, 3], players=["a", "b"])
    with pytest.raises(UnknownItemError, match="graph node 'z'"):
        myerson(g, [("a", "z")])
    assert np.allclose(myerson(g, [("a", "b")]).values, [1.5, 1.5])


def _owen_by_orders(g, unions):
    """Average marginal contributions over the orders that keep each union together."""
    n = g.n
    total = np.zeros(n)
    count = 0
    for uo in itertools.permutations(range(len(unions))):
        for inner in itertools.product(*(itertools.permutations(unions[k]) for k in uo)):
            m = 0
            for blk in inner:
                for i in blk:
                    total[i] += g.values[m | (1 << i)] - g.values[m]
                    m |= 1 << i
            count += 1
    return total / count


@given(games(min_n=2, max_n=5), st.data())
def test_owen_matches_orders_oracle(g, data):
    labels = data.draw(st.lists(st.integers(0, 2), min_size=g.n, max_size=g.n))
    unions = [[i for i in range(g.n) if labels[i] == k] for k in range(3)]
    unions = [u for u in unions if u]
    assert np.allclose(owen(g, unions).values, _owen_by_orders(g, unions), atol=1e-9)


@given(st.integers(2, 10), st.data())
def test_owen_operator_equals_union_by_union(n, data):
    """The cached one-matrix operator (W @ v[idx]) gives the union-by-union formula."""
    from jenga_games.games.cooperative._values import _owen_operator, owen_by_unions

    v = np.r_[0.0, data.draw(st.lists(st.floats(-50, 50), min_size=2**n - 1, max_size=2**n - 1))]
    g = TUGame(n, v)
    labels = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    blocks = tuple(sum(1 << i for i in range(n) if labels[i] == k) for k in range(4))
    blocks = tuple(b for b in blocks if b)
    assert _owen_operator(n, blocks) is not None
    unions = [g.coalition(b) for b in blocks]
    ref = owen_by_unions(g.values, n, blocks)
    assert np.allclose(owen(g, unions).values, ref, rtol=0, atol=1e-10 * max(1.0, np.abs(v).max()))


def test_owen_beyond_the_cached_operator_is_union_by_union():
    """13 singletons: the operator would have 13·2^13 columns, so owen takes the per-union path
    (and a structure of singletons gives the Shapley value)."""
    from jenga_games.games.cooperative._values import _owen_operator

    n = 13
    rng = np.random.default_rng(3)
    g = TUGame(n, np.r_[0.0, rng.uniform(-1, 1, 2**n - 1)])
    assert _owen_operator(n, tuple(1 << i for i in range(n))) is None
    assert np.allclose(owen(g, [[i] for i in range(n)]).values, shapley(g).values, atol=1e-12)


@given(games(min_n=1, max_n=5))
def test_owen_trivial_structures_are_shapley(g):
    phi = shapley(g).values
    assert np.allclose(owen(g, [list(range(g.n))]).values, phi)
    assert np.allclose(owen(g, [[i] for i in range(g.n)]).values, phi)


def test_owen_bad_partition():
    g = TUGame(3, [0, 1, 1, 2, 1, 2, 2, 3])
    with pytest.raises(InvalidGameError, match="overlaps"):
        owen(g, [[0, 1], [1, 2]])
    with pytest.raises(InvalidGameError, match="cover every player; missing \\[2\\]"):
        owen(g, [[0, 1]])
    with pytest.raises(InvalidGameError, match="empty union"):
        owen(g, [[0, 1, 2], []])
