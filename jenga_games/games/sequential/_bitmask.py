"""A tower as bit masks, and the cascade run on many removal sets at once.

Index convention: service ``i`` of ``tower.ids`` is bit ``i`` of a ``uint64``
mask; a *removal set* ``S`` is the mask of the services removed as planned.
For a batch of sets (a numpy array of masks) :func:`cascade_masks` computes
what still stands after the cascade of DESIGN §1, the same synchronous rounds
as :class:`jenga_games.tower.engine.CascadeState` (k-core or grounded
reading, support rules, provider viability with failures absorbing), but
vectorised over the batch instead of over one tower: every support rule is a
comparison of ``popcount(alive & M)`` with a threshold, where ``M`` is the
mask of the supporters the rule counts.

Provider balances are the compiled tower's money rule at full activity (the
game removes whole services), :meth:`CompiledTower.provider_balances`
``B = Σ_{i operating} (a_i (p_i − c_i) − f_i) − Σ_{i fallen} f_i + R − F``,
read per batch as the intact balance plus what each removed or fallen
service changes (:meth:`CompiledTower.margins` of the three states), and the
viability test is :func:`jenga_games.tower.engine.unviable`: nothing of the
rule is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...tower.engine import unviable

__all__ = ["MAX_BITS", "BitTower", "popcount"]

#: Removal sets are uint64 masks: at most 63 services.
MAX_BITS = 63

ONE = np.uint64(1)


def popcount(x: np.ndarray) -> np.ndarray:
    """Number of set bits of each ``uint64``."""
    return np.bitwise_count(x)


def bit(i: int) -> np.uint64:
    return np.uint64(1) << np.uint64(i)


def _compile(rule) -> tuple:
    """A compiled rule (see ``tower.rules.compile_rule``) with index arrays turned into masks."""
    kind = rule[0]
    if kind == "gate":
        mask = 0
        for j in rule[1].tolist():
            mask |= 1 << int(j)
        return ("gate", np.uint64(mask), int(rule[2]))
    return (kind, [_compile(r) for r in rule[1]])


def _eval(rule: tuple, alive: np.ndarray) -> np.ndarray:
    kind = rule[0]
    if kind == "gate":
        mask, k = rule[1], rule[2]
        return _gate(alive, mask, k, popcount(mask))
    parts = [_eval(r, alive) for r in rule[1]]
    out = parts[0].copy()
    for p in parts[1:]:
        if kind == "and":
            out &= p
        else:
            out |= p
    return out


def _gate(alive: np.ndarray, mask: np.uint64, k: int, size: int) -> np.ndarray:
    """``popcount(alive & mask) >= k`` with fast paths for AnyOf and AllOf."""
    if k <= 0:
        return np.ones(alive.shape, dtype=bool)
    sub = alive & mask
    if k == 1:
        return sub != 0
    if k == size:
        return sub == mask
    return popcount(sub) >= k


@dataclass(frozen=True, eq=False)
class BitTower:
    """The tower's rules, criticality and providers as masks (built from ``tower.compiled``)."""

    n: int
    full: np.uint64
    rules: tuple  # per service: None (always holds), ("gate", mask, k, size) or a compiled tree
    critical: np.uint64
    grounded: bool
    prov_masks: tuple  # per provider: mask of its services
    prov_base: np.ndarray  # each provider's balance with everything operating (its headroom)
    removed_delta: np.ndarray  # per service: change of its provider's balance when removed
    fallen_delta: np.ndarray  # ... and when it falls unplanned
    prov_scale: np.ndarray
    prov_of: np.ndarray  # provider index per service (-1 none)

    @classmethod
    def from_tower(cls, tower) -> BitTower:
        ct = tower.compiled
        n = ct.n
        rules: list = []
        for i in range(n):
            k = int(ct.threshold[i])
            if k >= 0:
                sups = ct.in_idx[ct.in_ptr[i] : ct.in_ptr[i + 1]]
                mask = 0
                for j in sups.tolist():
                    mask |= 1 << int(j)
                if k == 0 and not ct.grounded:
                    rules.append(None)
                else:
                    rules.append(("gate", np.uint64(mask), k, len(set(sups.tolist()))))
            else:
                rules.append(_compile(ct.general[i]))
        crit = 0
        for i in np.flatnonzero(ct.critical).tolist():
            crit |= 1 << i
        prov_masks = []
        for p in range(ct.n_providers):
            m = 0
            for j in ct.prov_idx[ct.prov_ptr[p] : ct.prov_ptr[p + 1]].tolist():
                m |= 1 << j
            prov_masks.append(np.uint64(m))
        # the money rule of the compiled tower, read at the three states of a service
        ones, yes, no = np.ones(n), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
        if ct.n_providers:
            operating = ct.margins(ones, yes, no)
            removed_delta = ct.margins(ones, no, yes) - operating
            fallen_delta = ct.margins(ones, no, no) - operating
        else:  # no balances to keep
            removed_delta = fallen_delta = np.zeros(n)
        return cls(
            n=n,
            full=np.uint64((1 << n) - 1),
            rules=tuple(rules),
            critical=np.uint64(crit),
            grounded=bool(ct.grounded),
            prov_masks=tuple(prov_masks),
            prov_base=ct.provider_balances() if ct.n_providers else np.zeros(0),
            removed_delta=removed_delta,
            fallen_delta=fallen_delta,
            prov_scale=ct.balance_scale.copy(),
            prov_of=ct.provider.copy(),
        )

    # -- one round ----------------------------------------------------------------
    def _rule_ok(self, i: int, alive: np.ndarray) -> np.ndarray:
        r = self.rules[i]
        if r is None:
            return np.ones(alive.shape, dtype=bool)
        if r[0] == "gate" and len(r) == 4:
            return _gate(alive, r[1], r[2], r[3])
        return _eval(r, alive)

    def _rules_hold(self, alive: np.ndarray) -> np.ndarray:
        """Mask of services (among ``alive``) whose rule holds given ``alive`` (k-core reading)."""
        ok = np.zeros(alive.shape, dtype=np.uint64)
        for i in range(self.n):
            b = bit(i)
            ok |= np.where(self._rule_ok(i, alive), b, np.uint64(0))
        return ok & alive

    def _ground(self, alive: np.ndarray) -> np.ndarray:
        """Least fixpoint from the ground inside ``alive`` (grounded reading)."""
        standing = np.zeros(alive.shape, dtype=np.uint64)
        while True:
            new = self._rules_hold_given(standing) & alive
            if np.array_equal(new, standing):
                return standing
            standing = new

    def _rules_hold_given(self, standing: np.ndarray) -> np.ndarray:
        ok = np.zeros(standing.shape, dtype=np.uint64)
        for i in range(self.n):
            r = self.rules[i]
            hold = np.ones(standing.shape, dtype=bool) if r is None else self._rule_ok(i, standing)
            ok |= np.where(hold, bit(i), np.uint64(0))
        return ok

    def _balances(self, removed: np.ndarray, alive: np.ndarray) -> np.ndarray:
        """Provider balances ``B`` of :meth:`CompiledTower.provider_balances` (batch x providers)."""
        out = np.empty((removed.size, len(self.prov_masks)))
        fallen = (~alive) & (~removed)
        for p in range(len(self.prov_masks)):
            bal = np.full(removed.size, self.prov_base[p])
            for i in np.flatnonzero(self.prov_of == p).tolist():
                b = bit(i)
                bal += np.where((removed & b) != 0, self.removed_delta[i], 0.0)
                bal += np.where((fallen & b) != 0, self.fallen_delta[i], 0.0)
            out[:, p] = bal
        return out

    # -- the cascade ----------------------------------------------------------------
    def cascade_masks(
        self,
        removed: np.ndarray,
        first_round_only: bool = False,
        balance_shift: np.ndarray | None = None,
    ):
        """Cascade every removal set of the batch.

        Parameters
        ----------
        removed : uint64 array
            Removal sets.
        first_round_only : bool
            Stop after the first round: enough to decide whether *anything*
            falls (the ``"fallen"`` criterion); ``standing`` is then only
            meaningful where nothing fell.
        balance_shift : float array (batch x providers), optional
            Added to provider ``j``'s balance in row ``i`` of the batch (money,
            the tower's unit) before every viability test: ``B_ij + shift_ij``.
            One batch then covers several financial versions of the tower
            (reserves raised, overheads cut; the provider game of
            :mod:`jenga_games.games.sequential` uses it). Default: no shift.

        Returns
        -------
        standing : uint64 array
            Services still standing.
        fallen : bool array
            Anything fell unplanned.
        collapsed : bool array
            A critical service fell unplanned or a provider failed.
        """
        removed = np.asarray(removed, dtype=np.uint64)
        alive = (~removed) & self.full
        n_prov = len(self.prov_masks)
        failed = np.zeros((removed.size, n_prov), dtype=bool)
        fell_any = np.zeros(removed.size, dtype=bool)
        while True:
            if self.grounded:
                holding = self._ground(alive)
            else:
                holding = self._rules_hold(alive)
            falling = alive & ~holding
            if n_prov:
                bal = self._balances(removed, alive)
                if balance_shift is not None:
                    bal = bal + balance_shift
                newly = (~failed) & unviable(bal, self.prov_scale[None, :])
                if newly.any():
                    failed |= newly
                    for p in np.flatnonzero(newly.any(axis=0)).tolist():
                        falling |= np.where(newly[:, p], self.prov_masks[p], np.uint64(0)) & alive
            moving = falling != 0
            if not moving.any():
                break
            fell_any |= moving
            alive &= ~falling
            if first_round_only:
                break
        lost = (~alive) & (~removed) & self.full
        collapsed = ((lost & self.critical) != 0) | failed.any(axis=1)
        return alive, fell_any, collapsed
