"""The function swept by bench_sweep.py (in a module so worker processes can import it)."""

from __future__ import annotations

from jenga_games.tower.library import random_tower
from jenga_games.tower.thresholds import collapse_curve


def collapse_summary(n: int, mean_degree: float, seed: int | None = None) -> dict[str, float]:
    """Collapse curve of a random tower, summarised: P(fallen) at half removed, and so on."""
    tower = random_tower(n, mean_degree, seed=seed)
    curve = collapse_curve(tower, samples=20, seed=seed)
    half = len(curve.p_fallen) // 2
    return {
        "p_fallen_half": float(curve.p_fallen[half]),
        "surviving_half": float(curve.mean_surviving[half]),
        "critical_fraction": (
            float("nan")
            if curve.critical_fraction_fallen is None
            else float(curve.critical_fraction_fallen)
        ),
    }


def cheap(x: float, seed: int | None = None) -> dict[str, float]:
    """A deliberately cheap function (tens of µs), to expose the sweep's own overhead."""
    import numpy as np

    return {"mean": float(x + np.random.default_rng(seed).standard_normal(100).mean())}
