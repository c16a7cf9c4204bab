"""Brute force over subsets: the test oracle for the exact solvers (small towers only)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING

from ...errors import TooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = ["brute_max_safe_set", "brute_min_collapse_set", "is_safe"]

LIMIT = 16


def is_safe(tower: Tower, removed) -> bool:
    out = tower.cascade(removed)
    return not out.fallen and not out.collapsed


def _eligible(tower: Tower, eligible) -> list[Hashable]:
    elig = list(tower.ids) if eligible is None else [s for s in tower.ids if s in set(eligible)]
    if len(elig) > LIMIT:
        raise TooLargeError(f"brute force over {len(elig)} eligible services: at most {LIMIT}")
    return elig


def brute_max_safe_set(
    tower: Tower, eligible=None, weights: Mapping | None = None
) -> tuple[float, list[frozenset]]:
    """The best value and every safe set attaining it."""
    elig = _eligible(tower, eligible)
    w = {s: 1.0 for s in elig} | dict(weights or {})
    best, sets = float("-inf"), []
    for r in range(len(elig) + 1):
        for combo in combinations(elig, r):
            if not is_safe(tower, combo):
                continue
            val = sum(w[s] for s in combo)
            if val > best + 1e-9:
                best, sets = val, [frozenset(combo)]
            elif abs(val - best) <= 1e-9:
                sets.append(frozenset(combo))
    return best, sets


def brute_min_collapse_set(tower: Tower, eligible=None, criterion: str = "collapsed") -> int | None:
    """The smallest number of eligible removals that collapse (or make fall) the tower."""
    elig = _eligible(tower, eligible)
    for r in range(len(elig) + 1):
        for combo in combinations(elig, r):
            out = tower.cascade(combo)
            if out.fallen if criterion == "fallen" else out.collapsed:
                return r
    return None
