"""The cascade of DESIGN §1 from a state: :class:`CascadeState`.

The k-core cascade (``grounded=False``) is computed by frontier propagation:
every service keeps a count of its standing supporters; when services leave
(removed or fallen), only their dependants are re-examined, and a dependant
with a threshold rule falls as soon as its count drops below its threshold.
Provider balances are updated by the margins of the services that leave
(:meth:`CompiledTower.leave_delta`). The total work of a cascade, and of a
whole removal order, is one pass over the edges ([NewmanZiff2000]_ use the same
idea for percolation curves).

Rounds are synchronous: round ``r + 1`` holds every service whose rule fails,
or whose provider is no longer viable, given what stood after round ``r``.

The grounded cascade is the least fixpoint from the ground, computed by
forward propagation from services that need no supporter.
"""

from __future__ import annotations

import numpy as np

from ..rules import evaluate_compiled
from ._compiled import CompiledTower, gather, unique_nodes, unviable

__all__ = ["CascadeState"]


class CascadeState:
    """A tower part-way through a removal order; removals and falls are absorbing.

    ``apply(indices)`` removes services (planned) and cascades to the fixpoint,
    returning the rounds of unplanned falls. After construction call
    :meth:`settle` once: it makes fall what cannot stand even intact.
    """

    def __init__(self, ct: CompiledTower, x: np.ndarray | None = None) -> None:
        self.ct = ct
        n = ct.n
        self.x = np.ones(n) if x is None else np.asarray(x, dtype=float).copy()
        self.removed = self.x <= 0.0
        self.alive = ~self.removed
        self.fallen = np.zeros(n, dtype=bool)
        self.failed = np.zeros(ct.n_providers, dtype=bool)
        self.count = self._count_alive()
        self.balance = ct.balances(self.x, self.alive, self.removed)
        self._scale = ct.balance_scale

    def _count_alive(self) -> np.ndarray:
        """Standing supporters of every service, from scratch."""
        ct = self.ct
        return np.bincount(ct.in_dst[self.alive[ct.in_idx]], minlength=ct.n).astype(np.int64)

    # -- the k-core cascade --------------------------------------------------------
    def _failing(self, candidates: np.ndarray) -> np.ndarray:
        """Candidates (alive) whose rule fails."""
        ct = self.ct
        thr = ct.threshold[candidates]
        fail = (thr >= 0) & (self.count[candidates] < thr)
        gen = ct.general_mask[candidates]
        if gen.any():
            for j in np.flatnonzero(gen):
                fail[j] = not evaluate_compiled(ct.general[int(candidates[j])], self.alive)
        return candidates[fail]

    def _newly_failed_providers(self) -> np.ndarray:
        bad = (~self.failed) & unviable(self.balance, self._scale)
        return np.flatnonzero(bad)

    def _with_failed_providers(self, falling: np.ndarray) -> np.ndarray:
        """Mark providers newly unviable as failed; ``falling`` plus their standing services (sorted)."""
        ct = self.ct
        newp = self._newly_failed_providers() if ct.n_providers else np.zeros(0, np.int64)
        if newp.size:
            self.failed[newp] = True
            members = gather(ct.prov_ptr, ct.prov_idx, newp)
            falling = np.union1d(falling, members[self.alive[members]])
        return falling

    def _leave(self, nodes: np.ndarray, planned: bool) -> np.ndarray:
        """Take ``nodes`` (alive) out: update alive, counts of dependants, balances."""
        ct = self.ct
        self.alive[nodes] = False
        delta = ct.leave_delta(nodes, self.x[nodes], planned)
        if planned:
            self.removed[nodes] = True
            self.x[nodes] = 0.0
        else:
            self.fallen[nodes] = True
        p = ct.provider[nodes]
        has = p >= 0
        if has.any():
            if nodes.size < 64:
                np.add.at(self.balance, p[has], delta[has])
            else:
                self.balance += np.bincount(p[has], weights=delta[has], minlength=ct.n_providers)
        targets = gather(ct.out_ptr, ct.out_idx, nodes)
        if targets.size:
            if targets.size > ct.n // 8:
                self.count -= np.bincount(targets, minlength=ct.n)
            else:
                np.subtract.at(self.count, targets, 1)
        return targets

    def _propagate(self, frontier_targets: np.ndarray, check_all: bool) -> list[np.ndarray]:
        ct = self.ct
        rounds: list[np.ndarray] = []
        targets = frontier_targets
        first = check_all
        while True:
            if first:
                cand = np.flatnonzero(self.alive)
                first = False
            elif targets.size:
                cand = unique_nodes(targets, ct.n)
                cand = cand[self.alive[cand]]
            else:
                cand = targets
            falling = self._with_failed_providers(self._failing(cand) if cand.size else cand)
            if falling.size == 0:
                return rounds
            falling = np.sort(falling)
            rounds.append(falling)
            targets = self._leave(falling, planned=False)

    # -- the grounded cascade -------------------------------------------------------
    def _grounded_fixpoint(self, allowed: np.ndarray) -> np.ndarray:
        """Least fixpoint of the support rules inside ``allowed`` (a bool mask)."""
        ct = self.ct
        standing = np.zeros(ct.n, dtype=bool)
        count = np.zeros(ct.n, dtype=np.int64)
        # services needing nothing, or general rules satisfied with nothing standing
        thr_ok = (ct.threshold == 0) & allowed
        gen_ok = np.zeros(ct.n, dtype=bool)
        for i, rule in ct.general.items():
            if allowed[i] and evaluate_compiled(rule, standing):
                gen_ok[i] = True
        frontier = np.flatnonzero(thr_ok | gen_ok)
        while frontier.size:
            standing[frontier] = True
            targets = gather(ct.out_ptr, ct.out_idx, frontier)
            np.add.at(count, targets, 1)
            cand = np.unique(targets)
            cand = cand[allowed[cand] & ~standing[cand]]
            thr = ct.threshold[cand]
            ok = (thr >= 0) & (count[cand] >= thr)
            for j in np.flatnonzero(thr < 0):
                ok[j] = evaluate_compiled(ct.general[int(cand[j])], standing)
            frontier = cand[ok]
        return standing

    def _grounded_settle(self) -> list[np.ndarray]:
        """Rounds of: what the ground no longer holds up, plus services of providers now unviable."""
        rounds: list[np.ndarray] = []
        while True:
            standing = self._grounded_fixpoint(self.alive)
            falling = self._with_failed_providers(np.flatnonzero(self.alive & ~standing))
            if falling.size == 0:
                return rounds
            rounds.append(falling)
            self._leave(falling, planned=False)

    # -- public ---------------------------------------------------------------------
    def copy(self) -> CascadeState:
        """An independent copy of this state (arrays copied, the compiled tower shared).

        Costs one copy of the per-service arrays, ``O(n)``: cheaper than
        re-running the cascade that produced the state.
        """
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        for name, value in self.__dict__.items():
            if isinstance(value, np.ndarray) and name != "_scale":
                setattr(new, name, value.copy())
            elif isinstance(value, list):
                setattr(new, name, list(value))
        return new

    def settle(self) -> list[np.ndarray]:
        """Cascade from the current state, examining every service once."""
        if self.ct.grounded:
            return self._grounded_settle()
        return self._propagate(np.zeros(0, np.int64), check_all=True)

    def apply(self, nodes: np.ndarray) -> list[np.ndarray]:
        """Remove ``nodes`` (planned; those already gone are ignored) and cascade."""
        nodes = np.asarray(nodes, dtype=np.int64)
        nodes = nodes[self.alive[nodes]]
        if nodes.size == 0:
            return []
        targets = self._leave(nodes, planned=True)
        if self.ct.grounded:
            return self._grounded_settle()
        return self._propagate(targets, check_all=False)
