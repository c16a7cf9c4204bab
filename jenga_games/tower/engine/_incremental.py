"""Incremental cascade engines for whole removal orders.

Two kernels run the k-core cascade of :class:`~jenga_games.tower.engine.CascadeState` one
removal at a time, never from scratch (the idea of Newman & Ziff's
percolation algorithm [NewmanZiff2000]_):

* :class:`BatchCascade` keeps ``S`` copies of the tower side by side in flat
  arrays (copy ``s`` of service ``v`` is entry ``s·n + v``) and removes one
  service in *every* copy per step, so numpy's per-call cost is shared by the
  ``S`` orders; one step costs the edges and provider entries it touches.
* :class:`ScalarCascade` holds one copy in Python lists (no numpy call per
  step) and can undo back to its starting state, so it serves single orders
  on very large towers and "what if only this block went" questions.

Both follow the engine's rounds exactly: after a planned removal, round
``r + 1`` holds every standing service whose rule fails, together with every
standing service of a provider whose balance ``Σ margins + R − F`` has just
dropped below ``−TOL·max(1, F)``, given what stood after round ``r``. So
a step gives the same state as ``CascadeState.apply`` (and ``Tower.play``),
also on non-monotone towers. Grounded towers are not handled here (the
grounded fixpoint is not incremental); callers fall back to
``CascadeState``.
"""

from __future__ import annotations

import numpy as np

from ..rules import evaluate_compiled
from ._compiled import CompiledTower, gather, unviable
from ._state import CascadeState

__all__ = ["BatchCascade", "ScalarCascade", "settled_state"]


def settled_state(ct: CompiledTower) -> tuple[CascadeState, list[np.ndarray]]:
    """The intact tower after what cannot stand even intact has fallen."""
    st = CascadeState(ct)
    rounds = st.settle()
    return st, rounds


def _gather_offset(
    ptr: np.ndarray, idx: np.ndarray, nodes: np.ndarray, offset: np.ndarray
) -> np.ndarray:
    """``gather`` of ``nodes``' lists, each shifted by its own ``offset``."""
    lens = ptr[nodes + 1] - ptr[nodes]
    out = gather(ptr, idx, nodes)
    if out.size == 0:
        return out
    return out + np.repeat(offset, lens)


class BatchCascade:
    """``S`` independent copies of one tower, stepped together.

    Parameters
    ----------
    ct : CompiledTower
    samples : int
    base : CascadeState
        The settled intact state every copy starts from (not modified).
    weight : numpy.ndarray, optional
        What :attr:`surviving` counts per service, ``Σ_standing x·w`` in each
        copy: e.g. the spend ``a·p`` (money), or ``1`` per service. Default
        ``1`` (services standing): activity of different units is never added.
    """

    def __init__(
        self,
        ct: CompiledTower,
        samples: int,
        base: CascadeState,
        weight: np.ndarray | None = None,
    ) -> None:
        self.ct = ct
        self.S = S = int(samples)
        self.n = n = ct.n
        self.P = P = ct.n_providers
        self.alive = np.tile(base.alive, S)
        self.removed = np.tile(base.removed, S)
        self.count = np.tile(base.count, S)
        self.balance = np.tile(base.balance, S) if P else np.zeros(0)
        self.failed = np.tile(base.failed, S) if P else np.zeros(0, bool)
        self._scale = np.tile(ct.balance_scale, S) if P else np.zeros(0)
        self.weight = w = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
        self.surviving = np.full(S, float(np.sum(w[base.alive] * base.x[base.alive])))
        self.fallen = np.full(S, bool(base.fallen.any()))
        self.collapsed = np.full(S, bool(base.failed.any() or ct.critical[base.fallen].any()))
        self._offsets = np.arange(S, dtype=np.int64) * n
        self._planned_delta = -ct.full_margin
        self._fall_delta = -ct.flow

    def step(self, nodes: np.ndarray) -> None:
        """Remove ``nodes[s]`` (planned) in copy ``s`` and cascade; ``-1`` or a service gone: skip."""
        nodes = np.asarray(nodes, dtype=np.int64)
        f = self._offsets + nodes
        ok = nodes >= 0
        ok[ok] = self.alive[f[ok]]
        f = f[ok]
        if f.size == 0:
            return
        targets, touched = self._leave(f, planned=True)
        self._propagate(targets, touched)

    def run(self, orders: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Play row ``s`` of ``orders`` (``-1``: no move) in copy ``s``, all rows per step.

        Returns ``(fallen, collapsed, surviving)``, each ``(S, L + 1)``: column
        ``k`` is the state after ``k`` steps (column 0: the state now).
        """
        S, L = orders.shape
        fallen = np.zeros((S, L + 1), dtype=bool)
        collapsed = np.zeros((S, L + 1), dtype=bool)
        surviving = np.zeros((S, L + 1))
        fallen[:, 0], collapsed[:, 0], surviving[:, 0] = self.fallen, self.collapsed, self.surviving
        for k in range(L):
            self.step(orders[:, k])
            fallen[:, k + 1], collapsed[:, k + 1], surviving[:, k + 1] = (
                self.fallen,
                self.collapsed,
                self.surviving,
            )
        return fallen, collapsed, surviving

    def _leave(self, f: np.ndarray, planned: bool) -> tuple[np.ndarray, np.ndarray]:
        ct, n = self.ct, self.n
        s, v = np.divmod(f, n)
        self.alive[f] = False
        if planned:
            self.removed[f] = True
            delta = self._planned_delta[v]
        else:
            delta = self._fall_delta[v]
            self.fallen[s] = True
            crit = ct.critical[v]
            if crit.any():
                self.collapsed[s[crit]] = True
        np.subtract.at(self.surviving, s, self.weight[v])
        touched = np.zeros(0, np.int64)
        if self.P:
            p = ct.provider[v]
            has = p >= 0
            if has.any():
                b = s[has] * self.P + p[has]
                np.add.at(self.balance, b, delta[has])
                touched = np.unique(b)
        targets = _gather_offset(ct.out_ptr, ct.out_idx, v, s * n)
        if targets.size:
            if targets.size > self.count.size // 8:
                self.count -= np.bincount(targets, minlength=self.count.size)
            else:
                np.subtract.at(self.count, targets, 1)
        return targets, touched

    def _propagate(self, targets: np.ndarray, touched: np.ndarray) -> None:
        ct, n, P = self.ct, self.n, self.P
        while True:
            cand = np.unique(targets) if targets.size else targets
            cand = cand[self.alive[cand]]
            vc = cand % n
            thr = ct.threshold[vc]
            fail = (thr >= 0) & (self.count[cand] < thr)
            gen = ct.general_mask[vc]
            if gen.any():
                for j in np.flatnonzero(gen):
                    s0 = int(cand[j]) - int(vc[j])
                    fail[j] = not evaluate_compiled(ct.general[int(vc[j])], self.alive[s0 : s0 + n])
            falling = cand[fail]
            if P and touched.size:
                bad = touched[
                    (~self.failed[touched]) & unviable(self.balance[touched], self._scale[touched])
                ]
                if bad.size:
                    self.failed[bad] = True
                    sb, pb = np.divmod(bad, P)
                    self.collapsed[sb] = True
                    members = _gather_offset(ct.prov_ptr, ct.prov_idx, pb, sb * n)
                    members = members[self.alive[members]]
                    falling = np.union1d(falling, members)
            if falling.size == 0:
                return
            targets, touched = self._leave(falling, planned=False)


class ScalarCascade:
    """One copy of a (k-core) tower in Python lists, with :meth:`undo`.

    ``remove(i)`` takes service ``i`` out as planned and cascades; it returns
    the services that fell (round by round, each round sorted) and the
    providers that failed. Every change is logged, so :meth:`undo` restores
    the state it started from in time proportional to what changed.
    """

    def __init__(self, ct: CompiledTower, base: CascadeState, log: bool = True) -> None:
        self.ct = ct
        self._log = log
        self.alive = base.alive.tolist()
        self._alive_np = base.alive.copy()  # for general rules
        self.count = base.count.tolist()
        self.balance = base.balance.tolist()
        self.failed = base.failed.tolist()
        self.scale = ct.balance_scale.tolist()
        self.thr = ct.threshold.tolist()
        self.prov = ct.provider.tolist()
        self.crit = ct.critical.tolist()
        self.act = ct.activity.tolist()
        self._op, self._oi = ct.out_ptr.tolist(), ct.out_idx.tolist()
        pp, pi = ct.prov_ptr.tolist(), ct.prov_idx.tolist()
        self.members = [pi[pp[j] : pp[j + 1]] for j in range(ct.n_providers)]
        self.planned_delta = (-ct.full_margin).tolist()
        self.fall_delta = (-ct.flow).tolist()
        self.general = ct.general
        self._log_nodes: list[int] = []
        self._log_failed: list[int] = []

    def remove(self, i: int) -> tuple[list[int], list[int]]:
        """Remove ``i`` (planned) and cascade; returns ``(fell, failed_providers)``."""
        if not self.alive[i]:
            return [], []
        fell: list[int] = []
        failed: list[int] = []
        targets, touched = self._leave([i], planned=True)
        alive, count, thr, general = self.alive, self.count, self.thr, self.general
        while True:
            falling = set()
            for t in targets:
                if alive[t]:
                    k = thr[t]
                    if k >= 0:
                        if count[t] < k:
                            falling.add(t)
                    elif not evaluate_compiled(general[t], self._alive_np):
                        falling.add(t)
            for j in touched:
                if not self.failed[j] and unviable(self.balance[j], self.scale[j]):
                    self.failed[j] = True
                    self._log_failed.append(j)
                    failed.append(j)
                    falling.update(m for m in self.members[j] if alive[m])
            if not falling:
                return fell, failed
            rnd = sorted(falling)
            fell.extend(rnd)
            targets, touched = self._leave(rnd, planned=False)

    def _leave(self, nodes: list[int], planned: bool) -> tuple[list[int], set]:
        targets: list[int] = []
        touched: set = set()
        deltas = self.planned_delta if planned else self.fall_delta
        op, oi, count, alive, prov, balance = (
            self._op,
            self._oi,
            self.count,
            self.alive,
            self.prov,
            self.balance,
        )
        for v in nodes:
            alive[v] = False
            self._alive_np[v] = False
            p = prov[v]
            if p >= 0:
                balance[p] += deltas[v]
                touched.add(p)
            out = oi[op[v] : op[v + 1]]
            for t in out:
                count[t] -= 1
            targets.extend(out)
        if self._log:
            self._log_nodes.extend(nodes)
        return targets, touched

    def checkpoint(self) -> tuple[int, int, list[float]]:
        """A mark to :meth:`undo` back to (needs ``log=True``)."""
        return len(self._log_nodes), len(self._log_failed), list(self.balance)

    def undo(self, mark: tuple[int, int, list[float]]) -> None:
        """Restore the state at ``mark`` (from :meth:`checkpoint`)."""
        n_nodes, n_failed, balance = mark
        while len(self._log_nodes) > n_nodes:
            v = self._log_nodes.pop()
            self.alive[v] = True
            self._alive_np[v] = True
            for t in self._oi[self._op[v] : self._op[v + 1]]:
                self.count[t] += 1
        while len(self._log_failed) > n_failed:
            self.failed[self._log_failed.pop()] = False
        self.balance[:] = balance
