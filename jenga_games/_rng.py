"""Randomness as an argument: seeds and generators, never the global state."""

from __future__ import annotations

import numpy as np

__all__ = ["make_rng", "spawn_seeds"]

SeedLike = int | np.random.Generator | np.random.SeedSequence | None


def make_rng(seed: SeedLike) -> np.random.Generator:
    """Return a numpy Generator from ``seed`` (an int, a SeedSequence, a Generator or None).

    ``seed=0`` is a seed like any other (never confused with ``None``).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool):
        from .errors import JengaError

        raise JengaError("seed must be an int, a numpy Generator or None, not a bool")
    return np.random.default_rng(seed)


def spawn_seeds(seed: int | np.random.SeedSequence | None, n: int) -> list[np.random.SeedSequence]:
    """Independent child seeds for ``n`` parallel tasks (results do not depend on workers)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return ss.spawn(n)
