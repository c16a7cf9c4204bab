"""Weakest blocks: for every block, what falls if it alone goes.

Two methods give ``tower.cascade({b})`` for every ``b``:

* ``"incremental"`` — remove ``b`` from the settled intact tower with the
  scalar incremental engine, record what falls, undo; the cost is the size
  of each cascade, not ``n`` per block.
* ``"dominators"`` — on acyclic towers whose services each need *any one*
  of their supporters (``AnyOf``; or none), ``v`` stands iff some path
  from the ground reaches it avoiding removed blocks, so removing ``b``
  topples exactly the services ``b`` dominates in the graph rooted at a
  virtual ground [LengauerTarjan1979]_: all answers come from one dominator
  tree and subtree sums. On acyclic graphs the dominator tree takes one
  pass in topological order (the nearest-common-ancestor step of
  [Cooper2001]_); networkx's ``immediate_dominators`` is the test oracle. Provider losses are subtree sums too; a
  block whose loss would topple a provider is redone incrementally.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...errors import InvalidTowerError
from ..engine import CascadeState, open_engine, settled_state, unviable
from ._common import check_tower, is_acyclic, topological_order

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Tower

__all__ = ["WeakestBlocks", "weakest_blocks"]


@dataclass(frozen=True, eq=False)
class WeakestBlocks(Result):
    """Every block ranked by what its removal alone topples.

    Ranked by: collapse first, then contribution lost ``Σ a(p − c)`` (money:
    services count activity in different units, so activity is never the
    ranking), then the number of services that fall.

    Attributes
    ----------
    blocks : tuple
        Service ids, weakest first.
    n_fell, spend_lost, value_lost : numpy.ndarray
        For each block in ``blocks``: services that fall unplanned, their
        spend at tariff ``Σ a·p`` and contribution ``Σ a(p − c)`` (money, the
        tower's money unit; activity is never summed across units).
    collapsed : numpy.ndarray of bool
        Whether a critical service falls or a provider fails.
    health_lost : numpy.ndarray
        QALYs a year lost with what falls, ``Σ a·h`` over the fallen services that
        carry a health effect in QALYs (beside the money, never added to it).
    method : str
        ``"dominators"`` or ``"incremental"``.
    provenance : Provenance
    """

    blocks: tuple
    n_fell: np.ndarray
    spend_lost: np.ndarray
    value_lost: np.ndarray
    collapsed: np.ndarray
    method: str
    provenance: Provenance
    _falls: Any = field(repr=False, default=None)
    health_lost: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def falls(self, block: Hashable) -> tuple:
        """What falls (unplanned) when ``block`` alone is removed."""
        return self._falls(block)

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: to_plain(getattr(self, f.name))
            for f in fields(self)
            if not f.name.startswith("_")
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per block, weakest first."""
        import pandas as pd

        return pd.DataFrame(
            {
                "block": list(self.blocks),
                "n_fell": self.n_fell,
                "spend_lost": self.spend_lost,
                "value_lost": self.value_lost,
                "collapsed": self.collapsed,
                "health_lost": self.health_lost,
            }
        )

    def __repr__(self) -> str:
        top = ", ".join(f"{b!r} ({k})" for b, k in zip(self.blocks[:4], self.n_fell[:4]))
        return f"WeakestBlocks({self.method}: {top}{', ...' if len(self.blocks) > 4 else ''})"


def _dominator_ok(tower: Tower, base: CascadeState) -> bool:
    ct = tower.compiled
    if base.fallen.any() or base.failed.any() or ct.general_mask.any():
        return False
    if np.any(ct.threshold > 1):
        return False
    if np.any((ct.provider >= 0) & (ct.unit_margin < 0)):
        return False
    return is_acyclic(tower)


def weakest_blocks(tower: Tower, *, method: str = "auto") -> WeakestBlocks:
    """For every block, what falls if it alone goes, ranked weakest first.

    Parameters
    ----------
    tower : Tower
    method : {"auto", "dominators", "incremental"}
        ``"auto"`` uses dominator trees when the tower allows it (module
        docstring), else the incremental engine.

    Returns
    -------
    WeakestBlocks

    Notes
    -----
    Each answer equals ``tower.cascade({block})`` (a test), counting only
    unplanned falls beyond those of the intact tower.

    Examples
    --------
    >>> from jenga_games.tower.library import local_health_economy
    >>> wb = weakest_blocks(local_health_economy())
    >>> wb.blocks[0], bool(wb.collapsed[0]), wb.falls("endoscopy")
    ('gp_practices', True, ('gastroenterology',))
    """
    tower = check_tower(tower, "weakest_blocks")
    if method not in ("auto", "dominators", "incremental"):
        raise InvalidTowerError(
            f"method must be 'auto', 'dominators' or 'incremental', got {method!r}"
        )
    ct = tower.compiled
    base, _ = settled_state(ct)
    ok = _dominator_ok(tower, base)
    if method == "dominators" and not ok:
        raise InvalidTowerError(
            "weakest_blocks(method='dominators') needs an acyclic tower whose services need any one "
            "of their supporters (AnyOf), standing intact, with tariffs covering variable costs; "
            "use method='incremental'"
        )
    if method == "dominators" or (method == "auto" and ok):
        return _by_dominators(tower, base)
    return _incremental(tower, base)


def _spend(tower: Tower) -> np.ndarray:
    """Per service, what a fall loses: columns ``a·p`` (spend at tariff, money) and ``a·h``
    (QALYs); never activity, which services count in different units."""
    from ..health import DEFAULT_MEASURE, accounts

    acc = accounts(tower)
    a = tower.compiled.activity
    qaly = acc.measure_code == (
        acc.measures.index(DEFAULT_MEASURE) if DEFAULT_MEASURE in acc.measures else -2
    )
    return np.column_stack([a * acc.tariff, np.where(qaly, a * acc.health, 0.0)])


def _rank(tower, n_fell, act, val, col, method, falls, params) -> WeakestBlocks:
    order = np.lexsort((np.arange(len(n_fell)), -n_fell, -val, -col.astype(int)))
    return WeakestBlocks(
        tuple(tower.ids[i] for i in order),
        n_fell[order],
        act[order, 0],
        val[order],
        col[order],
        method,
        Provenance("weakest_blocks", params),
        falls,
        act[order, 1],
    )


def _incremental(tower: Tower, base: CascadeState) -> WeakestBlocks:
    ct = tower.compiled
    n = ct.n
    n_fell = np.zeros(n, dtype=np.int64)
    act = np.zeros((n, 2))
    val = np.zeros(n)
    col = np.zeros(n, dtype=bool)
    store: dict[int, tuple[int, ...]] = {}
    am = ct.flow
    spend = _spend(tower)
    engine = open_engine(tower, base)
    mark = engine.checkpoint()
    crit = ct.critical.tolist()
    for b in range(n):
        if not engine.alive[b]:
            continue
        fell, failed = engine.remove(b)
        store[b] = tuple(fell)
        col[b] = bool(failed) or any(crit[j] for j in fell)
        engine.undo(mark)
    for b, fell in store.items():
        idx = np.asarray(fell, dtype=np.int64)
        n_fell[b], act[b], val[b] = idx.size, spend[idx].sum(axis=0), am[idx].sum()
    ids = tower.ids

    def falls(block):
        return tuple(ids[j] for j in store.get(tower.index_of(block), ()))

    return _rank(tower, n_fell, act, val, col, "incremental", falls, {"method": "incremental"})


def _immediate_dominators(tower: Tower, grounded: np.ndarray) -> np.ndarray:
    """Immediate dominators from a virtual ground ``n`` on an acyclic tower.

    In topological order, ``idom(v)`` is the nearest common ancestor, in the
    dominator tree built so far, of ``v``'s supporters ([Cooper2001]_; one
    pass suffices on acyclic graphs). Services in ``grounded`` hang from the
    ground directly.
    """
    ct = tower.compiled
    n = ct.n
    topo = topological_order(tower)
    idom = [n] * (n + 1)
    depth = [0] * (n + 1)
    ptr, src = ct.in_ptr.tolist(), ct.in_idx.tolist()
    gr = grounded.tolist()
    for v in topo.tolist():
        if gr[v]:
            x = n
        else:
            preds = src[ptr[v] : ptr[v + 1]]
            x = preds[0]
            for u in preds[1:]:
                while x != u:
                    if depth[x] >= depth[u]:
                        x = idom[x]
                    else:
                        u = idom[u]
        idom[v] = x
        depth[v] = depth[x] + 1
    return np.asarray(idom[:n], dtype=np.int64)


def _by_dominators(tower: Tower, base: CascadeState) -> WeakestBlocks:
    ct = tower.compiled
    n = ct.n
    root = n
    grounded = (ct.indegree == 0) | (ct.threshold == 0)
    parent = _immediate_dominators(tower, grounded)
    children: list[list[int]] = [[] for _ in range(n + 1)]
    for v, p in enumerate(parent.tolist()):
        children[p].append(v)
    order = []  # breadth-first from the root: parents before children
    frontier = [root]
    while frontier:
        order.extend(frontier)
        frontier = [c for p in frontier for c in children[p]]
    am = ct.flow
    size = np.ones(n + 1, dtype=np.int64)
    spend = _spend(tower)
    sub_act = np.vstack([spend, np.zeros((1, 2))])
    sub_am = np.append(am, 0.0)
    sub_crit = np.append(ct.critical.astype(np.int64), 0)
    P = ct.n_providers
    sub_prov = np.zeros((n + 1, P))
    has = ct.provider >= 0
    sub_prov[np.flatnonzero(has), ct.provider[has]] = am[has]
    for v in reversed(order[1:]):
        p = parent[v]
        size[p] += size[v]
        sub_act[p] += sub_act[v]
        sub_am[p] += sub_am[v]
        sub_crit[p] += sub_crit[v]
        if P:
            sub_prov[p] += sub_prov[v]
    n_fell = size[:n] - 1
    act = sub_act[:n] - spend
    val = sub_am[:n] - am
    col = (sub_crit[:n] - ct.critical) > 0
    redo: list[int] = []
    if P:
        fm = am - ct.fixed_cost
        loss = sub_prov[:n].copy()
        loss[np.flatnonzero(has), ct.provider[has]] += fm[has] - am[has]  # own planned removal
        after = base.balance[None, :] - loss
        redo = np.flatnonzero(unviable(after, ct.balance_scale[None, :]).any(axis=1)).tolist()
    store: dict[int, tuple[int, ...]] = {}
    if redo:  # acyclic (checked): grounded and k-core readings agree; the incremental engine serves
        engine = open_engine(tower, base, incremental_grounded=True)
        mark = engine.checkpoint()
        crit = ct.critical.tolist()
        for b in redo:
            fell, failed = engine.remove(b)
            store[b] = tuple(fell)
            idx = np.asarray(fell, dtype=np.int64)
            n_fell[b], act[b], val[b] = idx.size, spend[idx].sum(axis=0), am[idx].sum()
            col[b] = bool(failed) or any(crit[j] for j in fell)
            engine.undo(mark)
    ids = tower.ids

    def falls(block):
        b = tower.index_of(block)
        if b in store:
            return tuple(ids[j] for j in store[b])
        out, stack = [], list(children[b])
        while stack:
            v = stack.pop()
            out.append(v)
            stack.extend(children[v])
        return tuple(ids[j] for j in sorted(out))

    return _rank(
        tower,
        n_fell,
        act,
        val,
        col,
        "dominators",
        falls,
        {"method": "dominators", "redone_incrementally": len(redo)},
    )
