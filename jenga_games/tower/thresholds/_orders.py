"""Removal orders for collapse curves, and running many orders at once.

Orders (rows of an ``(S, L)`` array of service indices, ``-1`` = no move):

* ``"random"`` — uniform random permutations of the eligible services;
* ``"size"`` — largest service first, in the curve's measure (spend ``a·p`` by
  default; activity only on a tower of one unit);
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
from ..engine import open_batch

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = ["MEASURES", "ORDERS", "make_orders", "measure_weight", "run_orders"]

ORDERS = ("random", "size", "gain", "degree")
#: What a curve counts as still provided: money at tariff, services, QALYs, or activity (one unit).
MEASURES = ("spend", "services", "health", "activity")


def measure_weight(tower: Tower, measure: str | None) -> tuple[np.ndarray, str, str]:
    """Per-service weights of a curve's measure: ``(w, measure, unit)``.

    * ``"spend"`` — ``w = a·p``, the income at tariff (money, the tower's money unit);
    * ``"services"`` — ``w = 1``, services standing;
    * ``"health"`` — ``w = a·h``, the QALYs a year of the services with a health effect;
    * ``"activity"`` — ``w = a``, only when every service counts the same unit
      (else ``InvalidTowerError`` naming the units);
    * ``None`` — ``"spend"``, or ``"services"`` when no service has a tariff.
    """
    from ..health import DEFAULT_MEASURE, accounts, sole_unit

    acc = accounts(tower)
    a = tower.compiled.activity
    if measure is None:
        measure = "spend" if np.any(a * acc.tariff > 0) else "services"
    if measure == "spend":
        return a * acc.tariff, "spend", "money at tariff"
    if measure == "services":
        return np.ones(a.size), "services", "services"
    if measure == "health":
        if DEFAULT_MEASURE not in acc.measures:
            raise InvalidTowerError(
                "measure='health' needs services with a health effect in QALYs (the health "
                "column); none has one: use measure='spend' or 'services'"
            )
        qaly = acc.measure_code == acc.measures.index(DEFAULT_MEASURE)
        return np.where(qaly, a * acc.health, 0.0), "health", "QALYs"
    if measure == "activity":
        unit = sole_unit(
            acc.units, "measure='activity'", "use measure='spend' (money at tariff) or 'services'"
        )
        return a, "activity", unit or "units"
    raise InvalidTowerError(
        f"measure must be one of {', '.join(map(repr, MEASURES))}, got {measure!r}"
    )


def _priority(
    tower: Tower,
    order: str,
    gains: Mapping[Hashable, float] | None,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    ct = tower.compiled
    if order == "size":
        return measure_weight(tower, "spend")[0] if weight is None else weight
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
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """An ``(samples, L)`` array of removal orders (service indices, ``-1`` padding).

    ``weight``: the size of each service for ``order="size"`` (default: spend ``a·p``).
    """
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
        key = -_priority(tower, order, gains, weight)[eligible]
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
    tower: Tower, orders: np.ndarray, engine: str = "auto", weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Play every row of ``orders``, recording the curve after each step.

    Returns ``(fallen, collapsed, surviving)``, each of shape ``(S, L + 1)``:
    column ``k`` is the state after the first ``k`` moves (column 0: intact,
    settled). ``fallen``/``collapsed`` are cumulative, as in ``Tower.play``;
    ``surviving`` is ``Σ_standing x·w`` with ``w`` the ``weight`` per service
    (default: spend at tariff, ``a·p``; see :func:`measure_weight`).

    ``engine``: how the rows are stepped, chosen by
    :func:`~jenga_games.tower.engine.open_batch` (``"auto"``; or ``"batch"``,
    ``"scalar"``, ``"full"`` to cross-check one engine against another).
    """
    w = measure_weight(tower, "spend")[0] if weight is None else np.asarray(weight, dtype=float)
    return open_batch(tower, orders.shape[0], weight=w, kind=engine).run(orders)
