"""Time reading big tower JSON files: the fast reader beside the general (validate-twice) path.

Run (any environment with jenga_games installed)::

    .venv/bin/python benchmarks/bench_tower_io.py [--sizes 10000 100000] [--repeats 1]

Towers with one provider per service (the shape that used to be slowest) are
written once, then read with ``Tower.from_json``: once as shipped, once with
the fast path switched off (every service and provider through its validating
constructor, as before issue #23). Both give the same tower; the ratio is
printed. No peer library reads this format; no assertions on timings.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
from _timing import best_time

from jenga_games.tower import Service, Tower
from jenga_games.tower import io as tower_io


def _tower(n: int) -> Tower:
    services = [
        Service(f"s{i}", provider=f"p{i}", activity=10, tariff=2, variable_cost=1, fixed_cost=5)
        for i in range(n)
    ]
    src = np.zeros(n - 1, dtype=np.int64)  # a star: shallow, as most economies are
    return Tower._from_index_arrays(services, src, np.arange(1, n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = os.path.join(tmp, f"t{n}.json")
            _tower(n).to_json(path)
            t_fast, fast = best_time(Tower.from_json, args.repeats, path, warmup=False)
            saved = tower_io._FAST_KEYS, tower_io._FAST_PROVIDER_KEYS
            tower_io._FAST_KEYS = tower_io._FAST_PROVIDER_KEYS = frozenset()
            try:
                t_slow, slow = best_time(Tower.from_json, args.repeats, path, warmup=False)
            finally:
                tower_io._FAST_KEYS, tower_io._FAST_PROVIDER_KEYS = saved
            assert fast == slow
            t0 = time.perf_counter()
            Tower.from_json(path).validate()
            print(
                f"{n:>9,} services: fast {t_fast:7.2f} s, general path {t_slow:7.2f} s, "
                f"ratio {t_slow / t_fast:4.1f}x; read + validate {time.perf_counter() - t0:.2f} s"
            )


if __name__ == "__main__":
    main()
