"""Time big towers: building from index arrays, compiling, and reading JSON files.

Run (any environment with jenga_games installed)::

    .venv/bin/python benchmarks/bench_tower_io.py [--sizes 100000 1000000] [--repeats 3]

Two parts, each timed warm (the best of ``--repeats`` runs after one unmeasured
run), in wall-clock and CPU seconds (the CPU time is the fairer figure on a
loaded machine):

* **build + compile**: ``Tower.from_columns`` (the services as columns) and
  ``Tower.from_arrays`` (a list of ``Service`` objects) on ``n`` services and
  ``10 n`` supports (the random tower of ``random_tower(n, 10, AtLeast(4))``),
  then the compiled form the engine runs on; the ratio to one cascade on that
  tower (30 % of services removed) says how many queries the construction
  costs (issue #20: it was 30 times the query; aim build + compile <= 0.2 s at
  10^5 services); then ``tower.validate()`` on it (no networkx graph).
* **JSON read**: ``Tower.from_json`` on a file of ``n`` services with one
  provider each and a star of supports (the shape that used to be slowest),
  beside the one-at-a-time reader (``tower.io._BULK = False``); both give the
  same tower.

No peer library reads this format or builds this model; no assertions on
timings.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from jenga_games.tower import AtLeast, Service, Tower
from jenga_games.tower import io as tower_io
from jenga_games.tower.library import random_tower


def _clock(fn, repeats: int):
    """(best wall s, best CPU s, result) over ``repeats`` runs after one warm-up run."""
    result = fn()
    wall = cpu = float("inf")
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, result


def build_and_compile(n: int, repeats: int) -> None:
    tower = random_tower(n, 10, AtLeast(4), seed=1)
    services, (src, dst) = list(tower), tower.support_arrays
    rule = AtLeast(4)

    def from_columns():
        t = Tower.from_columns(
            range(n), src, dst, support=rule, allow_unsatisfiable=True, name=tower.name
        )
        t.compiled  # noqa: B018 - the compiled form is part of what a query needs
        return t

    def from_services():
        t = Tower.from_arrays(services, src, dst, allow_unsatisfiable=True, name=tower.name)
        t.compiled  # noqa: B018
        return t

    wall, cpu, built = _clock(from_columns, repeats)
    o_wall, o_cpu, other = _clock(from_services, repeats)
    assert built == other
    removed = np.random.default_rng(1).permutation(n)[: int(0.3 * n)].tolist()
    q_wall, q_cpu, out = _clock(lambda: built.cascade(removed), repeats)
    v_wall, v_cpu, report = _clock(built.validate, repeats)
    print(
        f"{n:>9,} services, {src.size:>10,} supports: build + compile from columns {wall:6.3f} s "
        f"(CPU {cpu:6.3f} s); from Service objects {o_wall:6.3f} s (CPU {o_cpu:6.3f} s); "
        f"one cascade {q_wall:6.3f} s (CPU {q_cpu:6.3f} s, {len(out.fell):,} fell); "
        f"build/cascade {cpu / q_cpu:5.1f}x (CPU); validate() {v_wall:6.3f} s "
        f"(CPU {v_cpu:6.3f} s, {len(report.cycles)} loops)"
    )


def _star(n: int) -> Tower:
    services = [
        Service(f"s{i}", provider=f"p{i}", activity=10, tariff=2, variable_cost=1, fixed_cost=5)
        for i in range(n)
    ]
    src = np.zeros(n - 1, dtype=np.int64)  # a star: shallow, as most economies are
    return Tower.from_arrays(services, src, np.arange(1, n))


def read_json(n: int, repeats: int, tmp: str, compare: bool) -> None:
    path = os.path.join(tmp, f"t{n}.json")
    _star(n).to_json(path)
    size = os.path.getsize(path) / 2**20
    wall, cpu, bulk = _clock(lambda: Tower.from_json(path), repeats)
    if not compare:
        print(
            f"{n:>9,} services ({size:6.1f} MiB of JSON): read {wall:6.2f} s (CPU {cpu:6.2f} s); "
            "one at a time not timed (--compare-up-to)"
        )
        return
    tower_io._BULK = False
    try:
        s_wall, s_cpu, one = _clock(lambda: Tower.from_json(path), max(1, repeats // 2))
    finally:
        tower_io._BULK = True
    assert bulk == one
    print(
        f"{n:>9,} services ({size:6.1f} MiB of JSON): read {wall:6.2f} s (CPU {cpu:6.2f} s); "
        f"one at a time {s_wall:6.2f} s (CPU {s_cpu:6.2f} s); ratio {s_cpu / cpu:4.1f}x (CPU)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--compare-up-to",
        type=int,
        default=100_000,
        help="time the one-at-a-time JSON reader only up to this many services (it is slow)",
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("build + compile (random tower, mean degree 10, AtLeast(4)); warm, best of runs")
    for n in args.sizes:
        build_and_compile(n, args.repeats)
    print("JSON read (one provider per service, star of supports); warm, best of runs")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            read_json(n, args.repeats, tmp, n <= args.compare_up_to)


if __name__ == "__main__":
    main()
