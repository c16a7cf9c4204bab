"""Run a sweep on a Dask scheduler given by address and compare it with local processes.

Used by benchmarks/dask_cluster_demo.sh (the scheduler and workers are started
there as separate processes with Dask's own commands).

    python benchmarks/dask_cluster_demo.py tcp://127.0.0.1:8786
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jenga_games.sweep import sweep


def standin_collapse_curve(n: int, p: float, seed: int | None = None) -> dict[str, float]:
    """A numpy stand-in (not the tower model): fraction standing after removing k of n
    blocks of a random support graph, for k = n/4, n/2, 3n/4."""
    rng = np.random.default_rng(seed)
    supporters = rng.random((n, 3)) < p  # each block leans on up to 3 random others
    lean = rng.integers(0, n, size=(n, 3))
    order = rng.permutation(n)
    out = {}
    for frac in (0.25, 0.5, 0.75):
        standing = np.ones(n, dtype=bool)
        standing[order[: int(frac * n)]] = False
        while True:  # a block falls when every block it leans on has fallen
            has = supporters.any(axis=1)
            held = (supporters & standing[lean]).any(axis=1) | ~has
            new = standing & held
            if np.array_equal(new, standing):
                break
            standing = new
        out[f"standing_{int(frac * 100)}"] = float(standing.mean())
    return out


def main(address: str) -> int:
    grid = {"n": [200, 400], "p": [0.2, 0.4, 0.6, 0.8]}
    t0 = time.perf_counter()
    local = sweep(standin_collapse_curve, grid, seeds=5, workers=2, progress=False)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        remote = sweep(
            standin_collapse_curve,
            grid,
            seeds=5,
            backend=address,
            progress=False,
            out=Path(tmp) / "sweep",
        )
    t2 = time.perf_counter()
    pd.testing.assert_frame_equal(local, remote)
    print(
        f"{len(remote)} rows on the Dask cluster at {address} in {t2 - t1:.2f} s "
        f"(local processes {t1 - t0:.2f} s): frames identical"
    )
    print(remote.groupby("p")[["standing_25", "standing_50", "standing_75"]].mean().round(3))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "tcp://127.0.0.1:8786"))
