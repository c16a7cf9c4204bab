"""Benchmark: one cascade on a random tower of 10^5 services and 10^6 supports.

Run with ``make bench`` (or ``.venv-bench/bin/python benchmarks/bench_tower.py``).

The tower is ``random_tower(100_000, 10, AtLeast(k))``: an Erdős–Rényi graph
with mean degree 10 whose every edge is a mutual support (10^6 directed
edges), every service needing ``k`` standing supporters. A random share of
services is removed and the cascade runs to the fixpoint: what stands is the
k-core of what is left (the setting of k-core percolation).

Compared on the same input, in one run:

* **ours** — ``Tower.cascade`` (frontier propagation over CSR arrays, one
  pass over the edges; the tower is compiled once beforehand, timed apart);
* **naive networkx** — the straightforward implementation of the same
  semantics: repeated sweeps over the nodes of an ``nx.DiGraph``, checking
  each rule on ``G.predecessors(v)``, until nothing changes;
* **networkx k_core** — ``nx.k_core`` on the undirected graph of what is
  left (Batagelj–Zaversnik core numbers): the best existing peer for this
  special case (it does not know about providers or general rules).

All three must leave the same services standing; the script checks it.
Tower construction is timed too: the vectorised path ``random_tower`` uses
(``Tower._from_index_arrays``) against the general constructor.
"""

from __future__ import annotations

import sys
import time

import networkx as nx
import numpy as np
from _timing import best_time

from jenga_games.tower import AtLeast, Tower
from jenga_games.tower.engine import CascadeState
from jenga_games.tower.library import random_tower

N, DEGREE, SEED = 100_000, 10, 1
SCENARIOS = [  # (k, share removed): a moderate cascade and a near-total collapse
    (4, 0.30),
    (4, 0.50),
]


def naive_cascade(g: nx.DiGraph, removed: set, k: int) -> set:
    """Sweep every node, drop those with fewer than k standing supporters, until nothing changes."""
    alive = {v: v not in removed for v in g.nodes}
    changed = True
    while changed:
        changed = False
        for v in g.nodes:
            if alive[v] and sum(1 for u in g.predecessors(v) if alive[u]) < k:
                alive[v] = False
                changed = True
    return {v for v, a in alive.items() if a}


def run_scenario(k: int, share: float) -> int:
    t_draw, tower = best_time(
        lambda: random_tower(N, DEGREE, AtLeast(k), seed=SEED), 1, warmup=False
    )
    services, (src, dst) = list(tower), tower._edge_index
    t_build, fast = best_time(
        lambda: Tower._from_index_arrays(
            services, src, dst, allow_unsatisfiable=True, name=tower.name
        ),
        1,
        warmup=False,
    )
    t_slow_build, slow = best_time(
        lambda: Tower(services, tower.supports, allow_unsatisfiable=True, name=tower.name),
        1,
        warmup=False,
    )
    assert slow == tower == fast
    t0 = time.perf_counter()
    tower.compiled  # noqa: B018 - compile once (cached), timed apart from the cascade
    t_compile = time.perf_counter() - t0
    rng = np.random.default_rng(SEED)
    removed = rng.permutation(N)[: int(share * N)].tolist()
    t_ours, out = best_time(lambda: tower.cascade(removed), 3, warmup=False)
    x = tower.state_array(removed)
    t_engine, _ = best_time(lambda: CascadeState(tower.compiled, x).settle(), 3, warmup=False)
    print(
        f"\nk={k}, {share:.0%} removed: {len(tower.supports):,} supports; "
        f"{len(out.fell):,} fell in {len(out.rounds)} rounds, {len(out.standing):,} stand"
    )
    print(f"  draw    random_tower      {t_draw:8.3f} s   (random graph and tower)")
    print(
        f"  build   ours (vectorised) {t_build:8.3f} s   general constructor {t_slow_build:8.3f} s"
        f"   ratio {t_slow_build / t_build:6.1f}x   (same services and edges)"
    )
    print(f"  compile (once per tower)  {t_compile:8.3f} s")

    g = nx.DiGraph()
    g.add_nodes_from(range(N))
    g.add_edges_from(tower.supports)
    t_naive, standing_naive = best_time(lambda: naive_cascade(g, set(removed), k), 1, warmup=False)
    und = nx.Graph(g.to_undirected())
    und.remove_nodes_from(removed)
    t_core, core = best_time(lambda: set(nx.k_core(und, k).nodes), 1, warmup=False)
    if not (standing_naive == set(out.standing) == core):
        print("  MISMATCH: the implementations disagree on what stands", file=sys.stderr)
        return 1
    print(
        f"  cascade ours              {t_ours:8.3f} s   (engine alone {t_engine:.3f} s; the rest "
        "is reading the state and building the Outcome)"
    )
    print(f"  cascade naive networkx    {t_naive:8.3f} s   ratio {t_naive / t_ours:8.1f}x")
    print(
        f"  cascade networkx k_core   {t_core:8.3f} s   ratio {t_core / t_ours:8.1f}x "
        "(k-core special case only)"
    )
    return 0


def main() -> int:
    print(f"random tower: n={N:,}, mean degree {DEGREE}, symmetric supports, seed {SEED}")
    return max(run_scenario(k, share) for k, share in SCENARIOS)


if __name__ == "__main__":
    sys.exit(main())
