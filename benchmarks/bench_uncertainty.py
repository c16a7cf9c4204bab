"""Benchmark of jenga_games.uncertainty: a PSA of the Jenga commissioning model.

The model is :class:`jenga_games.uncertainty.JengaModel` (myopic, competitive
(SPE) and cooperative play on the worked economy) over the parameter space of
:func:`jenga_games.uncertainty.worked_economy_space`, Latin hypercube, seed 2026.

Reported, in one run on the same draws:

* a bare loop calling the model on each draw (no PSA machinery): the baseline,
  and the PSA's overhead per draw against it (``psa`` in process);
* ``psa`` on 1 and 2 local processes, and the speed-up of 2 over 1;
* ``psa`` on a local Dask cluster of 2 single-threaded workers (when
  ``distributed`` is installed);
* the PSA machinery's own cost per draw, on a model that costs almost nothing
  (5,000 draws, in process, against a bare loop);
* that every back-end gave the identical frame.

The machine's load average is printed with the numbers: on a shared machine
the times are upper bounds. There is no peer: no game-theory or PSA library
plays this model (R's dampack/heemod/BCEA have no strategic players), so the
ratios are to our own bare loop.

    .venv/bin/python benchmarks/bench_uncertainty.py [--draws 1000] [--skip-serial]
"""

from __future__ import annotations

import argparse
import os
import time

import pandas as pd
from scipy import stats

from jenga_games.uncertainty import JengaModel, ParameterSpace, psa, worked_economy_space


def cheap(x: float, y: float) -> dict:
    """A model that costs almost nothing: isolates the PSA machinery's own cost per draw."""
    return {"z": x * y, "hit": x > y}


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "n/a"


def _timed(label: str, f):
    t = time.perf_counter()
    out = f()
    dt = time.perf_counter() - t
    print(f"{label:<38} {dt:8.1f} s   (load {_load()})", flush=True)
    return dt, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000, help="number of draws (default 1000)")
    parser.add_argument(
        "--skip-serial", action="store_true", help="skip the in-process runs (bare loop and psa)"
    )
    args = parser.parse_args()
    n, seed = args.draws, 2026
    model, space = JengaModel(), worked_economy_space()
    print(f"PSA of the Jenga commissioning model (3 plays), {n} draws, LHS, seed {seed}")
    print(f"CPUs usable: {len(os.sched_getaffinity(0))}; load average 1/5/15 min: {_load()}")
    frames: dict[str, pd.DataFrame] = {}
    times: dict[str, float] = {}
    if not args.skip_serial:
        draws = space.sample(n, seed=seed, sampler="lhs").to_dict(orient="records")
        cpu = time.process_time()
        times["loop"], _ = _timed(
            "bare loop (model on each draw)", lambda: [model(**d) for d in draws]
        )
        times["loop_cpu"] = time.process_time() - cpu
        times["serial"], r = _timed("psa, in process", lambda: psa(model, space, n, seed=seed))
        frames["serial"] = r.frame
    for w in (1, 2):
        times[f"p{w}"], r = _timed(
            f"psa, {w} process{'es' if w > 1 else ''}",
            lambda w=w: psa(model, space, n, seed=seed, backend="processes", workers=w),
        )
        frames[f"p{w}"] = r.frame
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask: distributed not installed, skipped (pip install 'jenga-games[distributed]')")
    else:
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            times["dask"], r = _timed(
                "psa, Dask LocalCluster (2 workers)",
                lambda: psa(model, space, n, seed=seed, backend=client),
            )
            frames["dask"] = r.frame
    print()
    if "loop" in times:
        over = (times["serial"] - times["loop"]) / n * 1e3
        print(
            f"bare loop {times['loop'] / n * 1e3:.1f} ms/draw; psa in process "
            f"{times['serial'] / n * 1e3:.1f} ms/draw; overhead {over:+.2f} ms/draw "
            f"({times['serial'] / times['loop']:.3f}x the loop)"
        )
    m = 5000
    cheap_space = {"x": stats.uniform(0, 1), "y": stats.norm(0, 1)}
    cheap_draws = ParameterSpace(cheap_space).sample(m, seed=1).to_dict(orient="records")
    t_loop, _ = _timed(
        f"cheap model: bare loop, {m} draws", lambda: [cheap(**d) for d in cheap_draws]
    )
    t_psa, _ = _timed(
        f"cheap model: psa in process, {m} draws", lambda: psa(cheap, cheap_space, m, seed=1)
    )
    print(
        f"PSA machinery (sampling, sweep rows, frame) costs {(t_psa - t_loop) / m * 1e3:.3f} ms "
        "per draw beyond the model"
    )
    if "loop_cpu" in times:
        per = times["loop_cpu"] / n
        print(
            f"CPU time of the model: {per * 1e3:.0f} ms/draw (load-independent); with 2 free "
            f"cores 1,000 draws would take ~{per * 1000 / 2:.0f} s + the pool's start-up"
        )
    print(f"speed-up 1 -> 2 processes: {times['p1'] / times['p2']:.2f}x")
    if "dask" in times:
        print(f"Dask (2 workers) vs 1 process: {times['p1'] / times['dask']:.2f}x")
    print(f"1,000 draws on 2 processes would take ~{times['p2'] / n * 1000:.0f} s (target < 60 s)")
    ref = next(iter(frames.values()))
    same = all(f.equals(ref) for f in frames.values())
    print(f"identical frames on every back-end: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
