"""Benchmark of jenga_games.sweep on a 1000-task sweep of collapse curves.

The swept function builds a random tower (``jenga_games.tower.library.random_tower``)
and computes its collapse curve over random removal orders
(``jenga_games.tower.thresholds.collapse_curve``), returning a few scalars.

Reported, in one run on the same tasks:

* a plain Python loop (no sweep machinery): the baseline;
* ``sweep(backend="serial")``: the overhead per task of the sweep itself (grid,
  seeds, rows, frame) against the loop;
* the peers for a local parallel sweep, over 2 processes: a hand-written
  ``ProcessPoolExecutor.map`` and ``joblib.Parallel`` (when installed); neither gives a
  tidy frame, progress, resumable output or error collection;
* ``sweep`` on 1 and 2 local processes: the speed-up of 2 over 1, and the ratio to
  the hand-written pool;
* ``sweep(workers=2, out=...)``: the cost of writing results as they finish.

Dask is timed too when ``distributed`` is installed (a LocalCluster of 2 processes).

    .venv-bench/bin/python benchmarks/bench_sweep.py [--tasks 1000]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sweep_bench_function import cheap, collapse_summary

from jenga_games.sweep import sweep, task_seed
from jenga_games.sweep._grid import expand_grid


def _call(args):
    params, seed = args
    return collapse_summary(**params, seed=seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000, help="number of tasks (points × seeds)")
    args = parser.parse_args()
    seeds = 10
    degrees = max(1, args.tasks // (2 * seeds))
    grid = {
        "n": [40, 80],
        "mean_degree": [round(1 + 3 * i / max(1, degrees - 1), 4) for i in range(degrees)],
    }
    points = expand_grid(grid)
    work = [(p, task_seed(s, i)) for i, p in enumerate(points) for s in range(seeds)]
    n = len(work)
    print(
        f"bench_sweep: {n} tasks of collapse_curve(random_tower(n, z), samples=20) "
        f"on {os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} at start: "
        "other work on the machine distorts the parallel rows)"
    )

    times = {}
    t = time.perf_counter()
    loop = [_call(w) for w in work]
    times["plain loop"] = time.perf_counter() - t

    t = time.perf_counter()
    serial = sweep(collapse_summary, grid, seeds=seeds, backend="serial", progress=False)
    times["sweep serial"] = time.perf_counter() - t
    assert serial["p_fallen_half"].tolist() == [r["p_fallen_half"] for r in loop]

    t = time.perf_counter()
    with cf.ProcessPoolExecutor(2) as pool:
        peer = list(pool.map(_call, work, chunksize=max(1, n // 8)))
    times["ProcessPoolExecutor.map, 2 procs (peer)"] = time.perf_counter() - t
    assert peer == loop

    try:
        import joblib
    except ImportError:
        print("  (joblib not installed: its row is skipped)")
    else:
        t = time.perf_counter()
        peer_joblib = joblib.Parallel(n_jobs=2, batch_size="auto")(
            joblib.delayed(_call)(w) for w in work
        )
        times["joblib.Parallel, 2 procs (peer)"] = time.perf_counter() - t
        assert peer_joblib == loop

    busy = {}
    for workers in (1, 2):
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        frame = sweep(collapse_summary, grid, seeds=seeds, workers=workers, progress=False)
        wall = time.perf_counter() - t
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        times[f"sweep {workers} process{'es' if workers > 1 else ''}"] = wall
        # CPU seconds of the (finished) worker processes per wall second: 2.0 is two busy cores
        busy[workers] = (cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime) / wall
        assert frame.equals(serial)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        frame = sweep(
            collapse_summary, grid, seeds=seeds, workers=2, progress=False, out=Path(tmp) / "s"
        )
        times["sweep 2 processes, out= (resumable)"] = time.perf_counter() - t
        fmt = next(Path(tmp, "s").glob("part-*")).suffix
        assert frame[serial.columns].astype(float).equals(serial.astype(float))

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("  (dask.distributed not installed: its row is skipped)")
    else:
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            client.submit(int, 0).result()  # workers up
            t = time.perf_counter()
            frame = sweep(collapse_summary, grid, seeds=seeds, backend=client, progress=False)
            times["sweep on Dask LocalCluster, 2 workers"] = time.perf_counter() - t
            assert frame.equals(serial)

    base = times["plain loop"]
    print(f"{'':45s} {'seconds':>8s} {'per task':>10s} {'vs loop':>8s}")
    for name, sec in times.items():
        print(f"{name:45s} {sec:8.2f} {1e3 * sec / n:8.2f}ms {sec / base:8.2f}")
    one, two = times["sweep 1 process"], times["sweep 2 processes"]
    print(
        f"speed-up of 2 local processes over 1: {one / two:.2f}x (workers' CPU per wall "
        f"second: {busy[1]:.2f} with 1, {busy[2]:.2f} with 2 — below 2.0 means the cores "
        "were shared with other work)"
    )
    print(
        f"sweep overhead per task against the plain loop: "
        f"{1e6 * (times['sweep serial'] - base) / n:.0f} µs (serial), "
        f"{1e6 * (one - base) / n:.0f} µs (1 process)"
    )
    print(
        f"ratio sweep(2 processes) / ProcessPoolExecutor.map(2 processes): "
        f"{two / times['ProcessPoolExecutor.map, 2 procs (peer)']:.2f}"
    )
    if "joblib.Parallel, 2 procs (peer)" in times:
        print(
            f"ratio sweep(2 processes) / joblib.Parallel(2 processes): "
            f"{two / times['joblib.Parallel, 2 procs (peer)']:.2f}"
        )
    print(
        f"out= ({fmt} parts) costs {times['sweep 2 processes, out= (resumable)'] / two:.2f}x "
        "the same sweep without it"
    )
    overhead_on_a_cheap_function(n)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


def overhead_on_a_cheap_function(n: int) -> None:
    """The sweep's own cost per task, on a function of a few tens of µs."""
    grid = {"x": [float(i) for i in range(n)]}
    best = {}
    for _ in range(3):  # best of 3: the least disturbed by other load
        t = time.perf_counter()
        for i in range(n):
            cheap(float(i), seed=task_seed(0, i))
        loop = time.perf_counter() - t
        t = time.perf_counter()
        sweep(cheap, grid, backend="serial", progress=False)
        serial = time.perf_counter() - t
        t = time.perf_counter()
        sweep(cheap, grid, workers=1, progress=False)
        one = time.perf_counter() - t
        for key, value in (("loop", loop), ("serial", serial), ("one", one)):
            best[key] = min(best.get(key, value), value)
    print(
        f"cheap function ({1e6 * best['loop'] / n:.0f} µs per call), {n} tasks, best of 3: "
        f"sweep overhead per task {1e6 * (best['serial'] - best['loop']) / n:.0f} µs serial, "
        f"{1e6 * (best['one'] - best['loop']) / n:.0f} µs on 1 local process "
        f"(incl. pool start-up)"
    )


if __name__ == "__main__":
    sys.exit(main())
