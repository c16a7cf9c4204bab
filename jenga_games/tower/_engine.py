"""The cascade engine: a tower compiled to arrays, and an incremental state.

The k-core cascade (``grounded=False``) is computed by frontier propagation:
every service keeps a count of its standing supporters; when services leave
(removed or fallen), only their dependants are re-examined, and a dependant
with a threshold rule falls as soon as its count drops below its threshold.
Provider balances are updated by the margins of the services that leave. The
total work of a cascade, and of a whole removal order, is one pass over the
edges (Newman & Ziff 2000 use the same idea for percolation curves).

Rounds are synchronous: round ``r + 1`` holds every service whose rule fails,
or whose provider is no longer viable, given what stood after round ``r``.

The grounded cascade is the least fixpoint from the ground, computed by
forward propagation from services that need no supporter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from ..tolerance import TOL
from .rules import AllOf, _Gate, compile_rule, evaluate_compiled

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["CascadeState", "CompiledTower", "unviable"]


def unviable(balance: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The viability test, the one place it is written (DESIGN §1).

    A provider fails when its balance ``B = Σ margins + R − F`` falls below
    ``−TOL·max(1, F)`` (``scale`` is ``max(1, F)``, :attr:`CompiledTower.balance_scale`):
    a tolerance relative to the provider's size, so a balance of exactly zero
    (or rounding noise around it) is viable.
    """
    return balance < -TOL * scale


def _csr(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the pairs ``src[e] -> dst[e]``: rows by ``src``, each row in the order of ``e``."""
    m = src.size
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    if m < 2 or bool(np.all(src[1:] >= src[:-1])):
        return ptr, dst.astype(np.int64)  # already grouped (a stable sort would not move anything)
    if n * m < 2**62:
        # an unstable sort of the distinct keys src·m + e orders exactly as a stable sort of src,
        # and is several times faster than numpy's stable sort for 64-bit keys
        order = np.argsort(src.astype(np.int64) * m + np.arange(m, dtype=np.int64))
    else:  # pragma: no cover - towers of > 2^31 services and edges
        order = np.argsort(src, kind="stable")
    return ptr, dst[order].astype(np.int64)


def _is_count_gate(rule: object) -> bool:
    """A gate over *all* supporters whose threshold depends only on how many there are."""
    return isinstance(rule, _Gate) and not rule.of and type(rule).threshold is _Gate.threshold


def _thresholds(
    tower: Tower, services: list, in_ptr: np.ndarray, in_idx: np.ndarray, indegree: np.ndarray
) -> tuple[np.ndarray, dict]:
    """``k`` per service (``-1`` for general rules) and the compiled general rules.

    Same values as ``s.rule.threshold(supporters)`` and ``compile_rule`` per
    service, but services that share one rule object with no named supporters
    (the common case: generated towers, the default ``AllOf()``) are grouped by
    (rule, in-degree) and the rule is asked once per group.
    """
    n = len(services)
    supports = list(map(attrgetter("support"), services))
    # group services by rule object (identity), without a Python step per service
    _, first_of, codes = np.unique(
        np.fromiter(map(id, supports), dtype=np.uint64, count=n),
        return_index=True,
        return_inverse=True,
    )
    codes = codes.ravel()
    rules = [
        AllOf() if supports[i] is None else supports[i]  # Service.rule's default
        for i in first_of.tolist()
    ]
    ids = tower._ids_array

    def supporters(i: int) -> tuple:
        return tuple(ids[in_idx[in_ptr[i] : in_ptr[i + 1]]].tolist())

    threshold = np.full(n, -1, dtype=np.int64)
    general: dict[int, object] = {}
    count_gate = np.fromiter((_is_count_gate(r) for r in rules), dtype=bool, count=len(rules))
    grouped = count_gate[codes]
    if grouped.any():
        members = np.flatnonzero(grouped)
        key = codes[members] * (int(indegree.max()) + 1) + indegree[members]
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        ks = np.full(first.size, -1, dtype=np.int64)
        for j, i in enumerate(members[first].tolist()):
            k = rules[codes[i]].threshold(supporters(i))
            if k is not None:
                ks[j] = k
        threshold[members] = ks[inv.ravel()]
        rest = members[threshold[members] < 0].tolist()  # (none for the rules of this module)
    else:
        rest = []
    index = tower.index
    for i in sorted(rest + np.flatnonzero(~grouped).tolist()):
        rule, sups = rules[codes[i]], supporters(i)
        k = rule.threshold(sups)
        if k is None:
            general[i] = compile_rule(rule, sups, index)
        else:
            threshold[i] = k
    return threshold, general


def _read_only(a: np.ndarray) -> np.ndarray:
    """``a``, locked: cached arrays are shared by every caller."""
    a.setflags(write=False)
    return a


def unique_nodes(nodes: np.ndarray, n: int) -> np.ndarray:
    """Sorted distinct ``nodes``: a boolean mask when they are many, a sort when few."""
    if nodes.size > n >> 6:
        mask = np.zeros(n, dtype=bool)
        mask[nodes] = True
        return np.flatnonzero(mask)
    return np.unique(nodes)


def gather(ptr: np.ndarray, idx: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Concatenate ``idx[ptr[v]:ptr[v+1]]`` for every ``v`` in ``nodes`` (vectorised)."""
    if nodes.size == 1:
        v = int(nodes[0])
        return idx[ptr[v] : ptr[v + 1]]
    starts = ptr[nodes]
    lens = ptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return idx[:0]
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return idx[offsets + np.arange(total)]


@dataclass(frozen=True, eq=False)
class CompiledTower:
    """A tower as arrays (indices follow ``tower.ids``)."""

    n: int
    out_ptr: np.ndarray  # CSR of out-edges (u -> dependants)
    out_idx: np.ndarray
    in_ptr: np.ndarray  # CSR of in-edges (v <- supporters)
    in_idx: np.ndarray
    in_dst: np.ndarray  # the dependant of each in-edge (aligned with in_idx)
    indegree: np.ndarray
    threshold: np.ndarray  # k for threshold rules; -1 for general rules
    general: dict  # node -> compiled rule tree (non-threshold rules)
    general_mask: np.ndarray
    activity: np.ndarray
    unit_margin: np.ndarray  # p - c
    fixed_cost: np.ndarray
    critical: np.ndarray
    provider: np.ndarray  # provider index, -1 for none
    n_providers: int
    prov_ptr: np.ndarray  # CSR provider -> its services
    prov_idx: np.ndarray
    overhead: np.ndarray
    reserves: np.ndarray
    grounded: bool

    @classmethod
    def from_tower(cls, tower: Tower) -> CompiledTower:
        n = len(tower)
        src, dst = tower._edge_index  # positions, computed once on construction
        out_ptr, out_idx = _csr(src, dst, n)
        in_ptr, in_idx = _csr(dst, src, n)
        indegree = np.diff(in_ptr)
        services = list(tower.services.values())
        threshold, general = _thresholds(tower, services, in_ptr, in_idx, indegree)
        general_mask = threshold < 0
        pids = {p: j for j, p in enumerate(tower.providers)}
        provider = np.fromiter(
            map(pids.get, map(attrgetter("provider"), services), repeat(-1)),
            dtype=np.int64,
            count=n,
        )  # every named provider is in pids (checked)
        has = provider >= 0
        prov_ptr, prov_idx = _csr(provider[has], np.flatnonzero(has), len(pids))
        provs = list(tower.providers.values())
        return cls(
            n=n,
            out_ptr=out_ptr,
            out_idx=out_idx,
            in_ptr=in_ptr,
            in_idx=in_idx,
            in_dst=np.repeat(np.arange(n, dtype=np.int64), indegree),
            indegree=indegree,
            threshold=threshold,
            general=general,
            general_mask=general_mask,
            activity=np.array([s.activity for s in services], dtype=float),
            unit_margin=np.array([s.tariff - s.variable_cost for s in services], dtype=float),
            fixed_cost=np.array([s.fixed_cost for s in services], dtype=float),
            critical=np.array([s.critical for s in services], dtype=bool),
            provider=provider,
            n_providers=len(pids),
            prov_ptr=prov_ptr,
            prov_idx=prov_idx,
            overhead=np.array([p.overhead for p in provs], dtype=float),
            reserves=np.array([p.reserves for p in provs], dtype=float),
            grounded=tower.grounded,
        )

    @cached_property
    def flow(self) -> np.ndarray:
        """``a·(p − c)``: what each service's activity contributes before its fixed cost."""
        return _read_only(self.activity * self.unit_margin)

    @cached_property
    def full_margin(self) -> np.ndarray:
        """``a·(p − c) − f``: what each whole service contributes while it runs (DESIGN §1)."""
        return _read_only(self.flow - self.fixed_cost)

    def margins(self, x: np.ndarray, alive: np.ndarray, removed: np.ndarray) -> np.ndarray:
        """Each service's contribution to its provider (DESIGN §1).

        Standing: ``x·a·(p − c) − f``; removed as planned: ``0``; fallen
        unplanned: ``−f`` (its fixed cost is stranded).
        """
        operating = x * self.activity * self.unit_margin - self.fixed_cost
        return np.where(alive, operating, np.where(removed, 0.0, -self.fixed_cost))

    def leave_delta(self, nodes: np.ndarray, x: np.ndarray | float, planned: bool) -> np.ndarray:
        """Change of the provider's balance when ``nodes`` (standing at fractions ``x``) leave.

        Planned: ``−(x·a·(p − c) − f)`` (the fixed cost goes too); unplanned:
        ``−x·a·(p − c)`` (the fixed cost stays, stranded).
        """
        lost = x * self.activity[nodes] * self.unit_margin[nodes]
        return -(lost - self.fixed_cost[nodes]) if planned else -lost

    def balances(self, x: np.ndarray, alive: np.ndarray, removed: np.ndarray) -> np.ndarray:
        """``Σ margins + R − F`` per provider, computed from scratch."""
        m = self.margins(x, alive, removed)
        has = self.provider >= 0
        total = np.bincount(self.provider[has], weights=m[has], minlength=self.n_providers)
        return total + self.reserves - self.overhead

    @cached_property
    def balance_scale(self) -> np.ndarray:
        """``max(1, F)`` per provider: the scale of the viability tolerance."""
        return np.maximum(1.0, self.overhead)

    def unviable(self, balance: np.ndarray) -> np.ndarray:
        """Providers whose ``balance`` fails the viability test (:func:`unviable`)."""
        return unviable(balance, self.balance_scale)


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
