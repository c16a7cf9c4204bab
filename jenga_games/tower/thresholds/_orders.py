"""Removal orders for collapse curves, and running many orders at once.

Orders (rows of an ``(S, L)`` array of service indices, ``-1`` = no move):

* ``"random"`` — uniform random permutations of the eligible services;
* ``"size"`` — largest activity ``a`` first;
* ``"gain"`` — largest gain first: what a myopic commissioner takes first
  (default gain: the spend released, ``a·p``; or the ``gains`` given);
* ``"degree"`` — most dependants first (the "attack" order of percolation);
* a callable ``f(tower, rng) -> sequence of service ids``, called once per sample.

Ties in the deterministic orders are broken at random, so their samples
differ only in the order of tied services.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ...errors import InvalidTowerError
from ..engine import BatchCascade, ScalarCascade, settled_state

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = ["ORDERS", "make_orders", "run_orders"]

ORDERS = ("random", "size", "gain", "degree")


def _priority(tower: Tower, order: str, gains: Mapping[Hashable, float] | None) -> np.ndarray:
    ct = tower.compiled
    if order == "size":
        return ct.activity
    if order == "degree":
        return np.diff(ct.out_ptr).astype(float)
    # gain
    if gains is None:
        return np.array([s.activity * s.tariff for s in tower.services.values()])
    from ._common import weight_array

    return weight_array(tower, gains, "collapse_curve(order='gain')", default=0.0)


def make_orders(
    tower: Tower,
    eligible: np.ndarray,
    samples: int,
    order,
    rng: np.random.Generator,
    gains: Mapping[Hashable, float] | None = None,
) -> np.ndarray:
    """An ``(samples, L)`` array of removal orders (service indices, ``-1`` padding)."""
    m = eligible.size
    if callable(order):
        return _user_orders(tower, eligible, samples, order, rng)
    if order not in ORDERS:
        raise InvalidTowerError(
            f"order must be one of {', '.join(map(repr, ORDERS))} or a function "
            f"(tower, rng) -> list of service ids, got {order!r}"
        )
    noise = rng.random((samples, m))
    if order == "random":
        perm = np.argsort(noise, axis=1, kind="stable")
    else:
        key = -_priority(tower, order, gains)[eligible]
        perm = np.lexsort((noise, np.broadcast_to(key, (samples, m))), axis=1)
    return eligible[perm]


def _user_orders(
    tower: Tower, eligible: np.ndarray, samples: int, fn: Callable, rng: np.random.Generator
) -> np.ndarray:
    allowed = set(eligible.tolist())
    rows = []
    for _ in range(samples):
        seq = fn(tower, rng)
        if isinstance(seq, str | bytes):
            raise InvalidTowerError(
                f"the order function must return a sequence of service ids, got the string {seq!r}"
            )
        idx = [tower.index_of(s) for s in seq]
        if len(set(idx)) != len(idx):
            raise InvalidTowerError(
                "the order function returned a service more than once; "
                "return each service at most once"
            )
        bad = [tower.ids[i] for i in idx if i not in allowed]
        if bad:
            raise InvalidTowerError(
                f"the order function returned {bad[0]!r}, which is not eligible; "
                "return eligible services only"
            )
        rows.append(idx)
    width = max((len(r) for r in rows), default=0)
    out = np.full((samples, width), -1, dtype=np.int64)
    for s, r in enumerate(rows):
        out[s, : len(r)] = r
    return out


def run_orders(
    tower: Tower, orders: np.ndarray, engine: str = "auto"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Play every row of ``orders``, recording the curve after each step.

    Returns ``(fallen, collapsed, surviving)``, each of shape ``(S, L + 1)``:
    column ``k`` is the state after the first ``k`` moves (column 0: intact,
    settled). ``fallen``/``collapsed`` are cumulative, as in ``Tower.play``.

    ``engine``: ``"batch"`` (all rows per step), ``"scalar"`` (one row at a
    time, Python lists), ``"full"`` (``CascadeState.apply`` per step; the
    only one for grounded towers), or ``"auto"``.
    """
    ct = tower.compiled
    S, L = orders.shape
    if engine == "auto":
        engine = "full" if ct.grounded else ("scalar" if S <= 2 else "batch")
    if ct.grounded and engine != "full":
        raise InvalidTowerError("grounded towers need engine='full'")
    fallen = np.zeros((S, L + 1), dtype=bool)
    collapsed = np.zeros((S, L + 1), dtype=bool)
    surviving = np.zeros((S, L + 1))
    base, _ = settled_state(ct)
    if engine == "batch":
        bc = BatchCascade(ct, S, base)
        fallen[:, 0], collapsed[:, 0], surviving[:, 0] = bc.fallen, bc.collapsed, bc.surviving
        for k in range(L):
            bc.step(orders[:, k])
            fallen[:, k + 1], collapsed[:, k + 1], surviving[:, k + 1] = (
                bc.fallen,
                bc.collapsed,
                bc.surviving,
            )
        return fallen, collapsed, surviving
    base_fallen = bool(base.fallen.any())
    base_collapsed = bool(base.failed.any() or ct.critical[base.fallen].any())
    base_surv = float(np.sum(ct.activity * base.x * base.alive))
    act, crit = ct.activity.tolist(), ct.critical.tolist()
    for s in range(S):
        row = orders[s].tolist()
        fl, co, sv = base_fallen, base_collapsed, base_surv
        fallen[s, 0], collapsed[s, 0], surviving[s, 0] = fl, co, sv
        if engine == "scalar":
            sc = ScalarCascade(ct, base, log=False)
        else:
            st = base.copy()
        for k, i in enumerate(row):
            if i >= 0:
                if engine == "scalar":
                    if sc.alive[i]:
                        sv -= act[i]
                        fell, failed = sc.remove(i)
                        if fell or failed:
                            fl = fl or bool(fell)
                            co = co or bool(failed) or any(crit[j] for j in fell)
                            sv -= sum(act[j] for j in fell)
                elif st.alive[i]:
                    rounds = st.apply(np.array([i]))
                    if rounds:
                        fl = True
                    co = co or bool(st.failed.any()) or any(ct.critical[r].any() for r in rounds)
                    sv = float(np.sum(ct.activity * st.x * st.alive))
            fallen[s, k + 1], collapsed[s, k + 1], surviving[s, k + 1] = fl, co, sv
    return fallen, collapsed, surviving
