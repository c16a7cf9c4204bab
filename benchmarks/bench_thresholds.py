"""Benchmark jenga_games.tower.thresholds: incremental curves, exact sets, weakest blocks.

Run in the bench venv::

    .venv-bench/bin/python benchmarks/bench_thresholds.py [--quick]

Rows (``ratio = baseline / ours``, above 1: we are faster):

1. the whole collapse curve of a 10^5-service ``AtLeast(3)`` tower, one
   order, by the incremental engine vs (a) re-running our cascade from
   scratch after each removal and (b) the peer networkx recomputing the
   k-core of what is left (``networkx.k_core``) after each removal — both
   timed on evenly spaced steps and extrapolated to every step;
2. 1000 orders on a 10^3-service tower (vectorised batch engine) vs the
   same two baselines;
3. weakest blocks of a 10^5-service any-of tower: our one-pass dominator
   tree vs networkx ``immediate_dominators`` (the peer) and vs one cascade
   per block (extrapolated);
4. ``max_safe_set`` / ``min_collapse_set`` vs brute force over subsets on
   small towers (the answers are compared); ``min_collapse_set`` enumerates
   sets of up to three removals through the undo engine before its HiGHS
   MILP, and the MILP alone is timed beside it.

The answers are checked against each other on the sampled steps.
"""

from __future__ import annotations

import argparse
import time
from unittest import mock

import networkx as nx
import numpy as np

from jenga_games.tower import AnyOf, AtLeast
from jenga_games.tower.engine import CascadeState
from jenga_games.tower.library import classic_jenga, layered_tower, random_tower
from jenga_games.tower.thresholds import _exact, max_safe_set, min_collapse_set, weakest_blocks
from jenga_games.tower.thresholds._brute import brute_max_safe_set, brute_min_collapse_set
from jenga_games.tower.thresholds._orders import make_orders, run_orders
from jenga_games.tower.thresholds._weakest import _immediate_dominators


def _best(fn, repeat=1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _scratch_surviving(ct, removed_idx):
    x = np.ones(ct.n)
    x[removed_idx] = 0.0
    st = CascadeState(ct, x)
    st.settle()
    return int(st.alive.sum())


def _nx_kcore_size(g, removed, k):
    h = g.subgraph(set(g) - set(removed))
    return nx.k_core(h, k).number_of_nodes()


def curve_rows(n, samples, steps_sampled, k=3, z=5.0, engine="auto"):
    tower = random_tower(n, z, AtLeast(k), seed=1)
    ct = tower.compiled
    orders = make_orders(tower, np.arange(n), samples, "random", np.random.default_rng(0))
    t_ours, (_fallen, _collapsed, surviving) = _best(
        lambda: run_orders(tower, orders, engine, weight=ct.activity)
    )
    ks = np.linspace(1, n, steps_sampled).astype(int)
    t0 = time.perf_counter()
    scratch = [_scratch_surviving(ct, orders[0, :kk]) for kk in ks]
    t_scratch = (time.perf_counter() - t0) / len(ks) * n * samples
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(ct.in_idx.tolist(), ct.in_dst.tolist()))
    t0 = time.perf_counter()
    peer = [_nx_kcore_size(g, orders[0, :kk].tolist(), k) for kk in ks]
    t_nx = (time.perf_counter() - t0) / len(ks) * n * samples
    ours = surviving[0, ks].round().astype(int)  # unit activities: surviving = standing count
    assert np.array_equal(ours, scratch), "incremental curve differs from cascades from scratch"
    assert np.array_equal(ours, peer), "incremental curve differs from networkx k-cores"
    print(
        f"  curve n={n:>6} x {samples:>4} orders: ours {t_ours:8.2f} s | from scratch ~{t_scratch:10.0f} s "
        f"(ratio {t_scratch / t_ours:8.0f}x) | networkx k_core ~{t_nx:10.0f} s "
        f"(ratio {t_nx / t_ours:8.0f}x)   [baselines from {len(ks)} sampled steps]"
    )


def weakest_rows(levels, width, sampled):
    t = layered_tower(levels, width, p=3 / width, rule=AnyOf(), seed=4)
    ct = t.compiled
    n = len(t)
    t_ours, wb = _best(lambda: weakest_blocks(t))
    grounded = (ct.indegree == 0) | (ct.threshold == 0)
    t_dom, ours = _best(lambda: _immediate_dominators(t, grounded))
    g = nx.DiGraph()
    g.add_edges_from((n, int(v)) for v in np.flatnonzero(grounded))
    g.add_edges_from(zip(ct.in_idx.tolist(), ct.in_dst.tolist()))
    t_nx, peer = _best(lambda: nx.immediate_dominators(g, n))
    assert all(ours[v] == peer[v] for v in range(n)), "dominator trees differ"
    blocks = np.random.default_rng(0).choice(n, sampled, replace=False)
    t0 = time.perf_counter()
    for b in blocks:
        st = CascadeState(ct, np.where(np.arange(n) == b, 0.0, 1.0))
        st.settle()
    t_each = (time.perf_counter() - t0) / sampled * n
    print(
        f"  weakest blocks n={n}: ours {t_ours:6.2f} s ({wb.method}; tree alone {t_dom:.2f} s) | "
        f"networkx immediate_dominators {t_nx:6.2f} s (ratio {t_nx / t_dom:5.1f}x on the tree) | "
        f"one cascade per block ~{t_each:8.0f} s (ratio {t_each / t_ours:6.0f}x)"
    )


def _row(name, n, t_ours, t_brute, how):
    print(
        f"  {name:<16} n={n:>2}: ours ({how}) {t_ours * 1e3:8.1f} ms | brute force {t_brute * 1e3:9.1f} ms "
        f"(ratio {t_brute / t_ours:7.1f}x)"
    )


def exact_rows(sizes):
    for levels in sizes:
        # Jenga rows (Or rules): the MILP path
        t = classic_jenga(levels)
        t_ms, ms = _best(lambda t=t: max_safe_set(t), 3)
        t_mb, (best, _) = _best(lambda t=t: brute_max_safe_set(t))
        assert abs(ms.value - best) < 1e-9
        _row("max_safe_set", len(t), t_ms, t_mb, ms.method)
        # all-of layered tower with negative weights: the closure path
        lt = layered_tower(levels, 3, p=0.5, seed=levels)
        w = {s: (-2.0 if i % 3 == 0 else 1.0) for i, s in enumerate(lt.ids)}
        t_cl, cl = _best(lambda lt=lt, w=w: max_safe_set(lt, weights=w), 3)
        t_clb, (best, _) = _best(lambda lt=lt, w=w: brute_max_safe_set(lt, None, w))
        assert abs(cl.value - best) < 1e-9
        _row("max_safe_set", len(lt), t_cl, t_clb, cl.method)
        # every service critical, needing one neighbour: min_collapse_set
        rt = random_tower(3 * levels, 4.0, AtLeast(1), seed=levels)
        rt = rt.replace(services={s: {"critical": True} for s in rt.ids})
        if rt.cascade().fallen:
            continue
        t_cs, cs = _best(lambda rt=rt: min_collapse_set(rt), 3)
        with mock.patch.object(_exact, "_ENUMERATION_BUDGET", 0):  # the MILP beyond single removals
            t_milp, cm = _best(lambda rt=rt: min_collapse_set(rt), 3)
        t_cb, size = _best(lambda rt=rt: brute_min_collapse_set(rt))
        assert cs.size == cm.size == size
        _row(f"min_collapse_set({size})", len(rt), t_cs, t_cb, cs.provenance.params["method"])
        print(f"  {'':<16}       MILP alone {t_milp * 1e3:8.1f} ms (ratio {t_milp / t_cs:7.1f}x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller instances")
    args = ap.parse_args()
    print("== collapse curves: incremental engine vs a cascade from scratch per removal")
    if args.quick:
        curve_rows(10_000, 1, 10)
        curve_rows(1_000, 100, 20)
    else:
        curve_rows(100_000, 1, 10)
        curve_rows(1_000, 1_000, 40)
    print("== weakest blocks: dominator tree vs networkx and vs one cascade per block")
    weakest_rows(20, 500 if args.quick else 5_000, 20)
    print("== exact sets: HiGHS MILP (or max-weight closure) vs brute force over subsets")
    exact_rows([3, 4] if args.quick else [3, 4, 5])


if __name__ == "__main__":
    main()
