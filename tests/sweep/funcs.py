"""Module-level sweep functions for the tests (picklable by reference)."""

from __future__ import annotations

import os
import time

from jenga_games._rng import make_rng


def collapse_fraction(n: int, p: float, seed: int | None = None) -> dict[str, float]:
    """A cheap stochastic function: fraction of n blocks that fall when each fails w.p. p."""
    rng = make_rng(seed)
    fallen = rng.random(n) < p
    return {"fallen": float(fallen.mean()), "first": float(rng.random())}


def deterministic(a: int, b: float) -> dict[str, float]:
    return {"total": a + b, "product": a * b}


def fails_on_three(a: int, seed: int | None = None) -> dict[str, float]:
    if a == 3:
        raise ZeroDivisionError(f"a = {a} is not allowed")
    return {"double": 2.0 * a}


def slow(a: int, seed: int | None = None) -> dict[str, float]:
    """Sleeps so that a sweep can be killed half way; records each call in $SWEEP_CALLS."""
    time.sleep(0.02)
    calls = os.environ.get("SWEEP_CALLS")
    if calls:
        with open(calls, "a") as fh:
            fh.write(f"{a}\n")
    return {"value": float(make_rng(seed).random()) + a}


def mixed_types(a: int) -> dict[str, object]:
    """Results of every scalar kind, a missing value and an array (stored as JSON text)."""
    return {
        "flag": a % 2 == 0,
        "label": f"case {a}",
        "count": a * 3,
        "ratio": a / 7,
        "maybe": None if a == 1 else 1.5,
        "vector": [a, a + 1],
    }
