"""Shared checks for the threshold solvers: tower, eligible services, weights."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ..._checks import finite_float
from ...errors import InvalidTowerError
from ..engine import CascadeState

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = [
    "check_tower",
    "eligible_indices",
    "intact_must_stand",
    "is_acyclic",
    "topological_order",
    "weight_array",
]


def check_tower(tower: object, fn: str) -> Tower:
    from ..model import Tower

    if not isinstance(tower, Tower):
        raise InvalidTowerError(
            f"{fn} needs a Tower as its first argument, got {type(tower).__name__}; build one with "
            "jenga_games.tower.Tower(services, supports) or a library tower"
        )
    return tower


def eligible_indices(tower: Tower, eligible: Iterable[Hashable] | None, fn: str) -> np.ndarray:
    """Sorted indices of ``eligible`` (default: every service); errors name unknown ids."""
    if eligible is None:
        return np.arange(len(tower), dtype=np.int64)
    if isinstance(eligible, str | bytes):
        raise InvalidTowerError(
            f"{fn}: eligible must be a collection of service ids, got the string "
            f"{eligible!r}; wrap it in a list: [{eligible!r}]"
        )
    idx = sorted({tower.index_of(s) for s in eligible})
    if not idx:
        raise InvalidTowerError(
            f"{fn}: eligible is empty; name at least one service that may be removed"
        )
    return np.asarray(idx, dtype=np.int64)


def weight_array(
    tower: Tower, weights: Mapping[Hashable, float] | None, fn: str, default: float = 1.0
) -> np.ndarray:
    """Weights aligned with ``tower.ids`` (missing services get ``default``)."""
    w = np.full(len(tower), float(default))
    if weights is None:
        return w
    if not isinstance(weights, Mapping):
        raise InvalidTowerError(
            f"{fn}: weights must be a mapping service id -> number, got {type(weights).__name__}"
        )
    for sid, val in weights.items():
        i = tower.index_of(sid)
        w[i] = finite_float(val, f"{fn}: weight of {sid!r}", InvalidTowerError)
    return w


def intact_must_stand(tower: Tower, fn: str) -> CascadeState:
    """The settled intact state; an error when anything falls (or a provider fails) intact."""
    st = CascadeState(tower.compiled)
    st.settle()
    if st.fallen.any() or st.failed.any():
        fell = [repr(tower.ids[i]) for i in np.flatnonzero(st.fallen)][:5]
        provs = [repr(p) for p, bad in zip(tower.providers, st.failed) if bad][:5]
        what = ", ".join(fell + [f"provider {p}" for p in provs])
        raise InvalidTowerError(
            f"{fn}: the tower does not stand even intact ({what} fall); "
            "fix it first (see tower.validate()) or give the failing providers reserves"
        )
    return st


#: Below this many services a level of Kahn's algorithm costs less in Python than in numpy calls.
_SMALL_LEVEL = 64


def topological_order(tower: Tower) -> np.ndarray | None:
    """Services in an order where supporters come first; None if the supports have a cycle.

    Kahn's algorithm level by level ([Kahn1962]_), each level in ascending
    index order. The work is linear in services plus supports whatever the
    depth: wide levels are done with numpy (cost proportional to the level's
    edges), and once the levels get narrow (a deep tower, e.g. a chain) the
    rest is done with Python lists, where a level costs its own size rather
    than a fixed numpy overhead or a pass over all services.
    """
    from ..engine._compiled import gather

    ct = tower.compiled
    indeg = ct.indegree.copy()
    frontier = np.flatnonzero(indeg == 0)
    out = []
    while frontier.size >= _SMALL_LEVEL:
        out.append(frontier)
        targets = gather(ct.out_ptr, ct.out_idx, frontier)
        touched, dec = np.unique(targets, return_counts=True)
        indeg[touched] -= dec
        frontier = touched[indeg[touched] == 0]
    if frontier.size:
        ptr, idx, deg = ct.out_ptr.tolist(), ct.out_idx.tolist(), indeg.tolist()
        level, rest = frontier.tolist(), []
        while level:
            rest.extend(level)
            nxt = []
            for v in level:
                for w in idx[ptr[v] : ptr[v + 1]]:
                    deg[w] -= 1
                    if not deg[w]:
                        nxt.append(w)
            nxt.sort()
            level = nxt
        out.append(np.asarray(rest, dtype=np.int64))
    order = np.concatenate(out) if out else np.zeros(0, np.int64)
    return order if order.size == ct.n else None


def is_acyclic(tower: Tower) -> bool:
    return topological_order(tower) is not None
