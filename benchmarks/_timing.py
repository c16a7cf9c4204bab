"""Timing helper shared by the benchmark scripts (run them as ``python benchmarks/bench_<area>.py``)."""

from __future__ import annotations

import time

__all__ = ["best_time"]


def best_time(f, repeats: int, *args, warmup: bool = True, **kwargs):
    """Best wall time of ``f(*args, **kwargs)`` over ``repeats`` runs, and the last result.

    With ``warmup`` (the default) one untimed call comes first (lazy imports, caches
    filled on first use), so the best time is that of a warm call.
    """
    out, best = (f(*args, **kwargs) if warmup else None), float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        out = f(*args, **kwargs)
        best = min(best, time.perf_counter() - t)
    return best, out
