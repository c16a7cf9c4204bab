"""The topological order is linear in services plus supports, at any depth (issue #23).

Oracle: networkx (``is_directed_acyclic_graph``) and the definition of a
topological order (every support goes forward); on deep chains, sizes that a
pass over all services per level would make take minutes.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.tower import AnyOf, Service, Tower, weakest_blocks
from jenga_games.tower.thresholds._common import topological_order


def _check(tower: Tower) -> None:
    order = topological_order(tower)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(tower)))
    src, dst = tower.support_arrays
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    if not nx.is_directed_acyclic_graph(g):
        assert order is None
        return
    assert order is not None and sorted(order.tolist()) == list(range(len(tower)))
    pos = np.empty(len(tower), dtype=np.int64)
    pos[order] = np.arange(len(tower))
    assert (pos[src] < pos[dst]).all()  # every supporter comes before what it supports


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 200).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
            st.booleans(),
        )
    )
)
def test_topological_order_is_valid_or_none_on_cycles(case):
    n, pairs, acyclic = case
    pairs = [(min(u, v), max(u, v)) if acyclic else (u, v) for u, v in pairs if u != v]
    _check(Tower.from_arrays([Service(i) for i in range(n)], *zip(*pairs) if pairs else ([], [])))


def test_deep_chain_and_a_wide_tower_of_the_same_size():
    """A 2x10^4-deep chain (ids shuffled) and a star: both valid, both in linear time."""
    n = 20_000
    rng = np.random.default_rng(7)
    perm = rng.permutation(n)  # the chain visits positions in a random order
    chain = Tower.from_arrays([Service(i) for i in range(n)], perm[:-1], perm[1:])
    _check(chain)
    assert topological_order(chain).tolist() == perm.tolist()  # a chain has one order
    star = Tower.from_arrays([Service(i) for i in range(n)], np.zeros(n - 1, int), np.arange(1, n))
    _check(star)
    # a deep chain under a wide base: levels first wide (numpy), then narrow (Python lists)
    base = 500
    src = np.concatenate([np.arange(base), np.arange(base - 1, n - 1)])
    dst = np.concatenate([np.full(base, base), np.arange(base, n)])
    keep = src != dst
    mixed = Tower.from_arrays([Service(i, support=AnyOf()) for i in range(n)], src[keep], dst[keep])
    _check(mixed)


def test_weakest_blocks_on_a_deep_chain():
    """The dominator path of weakest_blocks runs on the order: the bottom block topples all."""
    n = 20_000
    chain = Tower.from_arrays([Service(i) for i in range(n)], np.arange(n - 1), np.arange(1, n))
    wb = weakest_blocks(chain)
    assert wb.method == "dominators"
    assert wb.blocks[0] == 0 and wb.n_fell[0] == n - 1
