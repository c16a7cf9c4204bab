"""A tower compiled to arrays, and the money rule: margins, balances, viability.

:class:`CompiledTower` holds the graph as CSR arrays (indices follow
``tower.ids``) and owns the money rule of DESIGN §1: unit and full margins
(:attr:`~CompiledTower.flow`, :attr:`~CompiledTower.full_margin`), provider
balances (:meth:`~CompiledTower.balances`, :meth:`~CompiledTower.provider_balances`)
and the change a leaving service makes (:meth:`~CompiledTower.leave_delta`).
:func:`unviable` is the viability test, written once. The cascade engines of
this package (:mod:`._state`, :mod:`._incremental`) read all of it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from ...errors import InvalidTowerError
from ...tolerance import TOL

try:  # a counting sort in C (scipy's own COO -> CSR conversion; private, so guarded)
    from scipy.sparse._sparsetools import coo_tocsr as _coo_tocsr
except ImportError:  # pragma: no cover - an older or newer scipy without it
    _coo_tocsr = None
from ..rules import AllOf, _Gate, compile_rule

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Tower

__all__ = ["CompiledTower", "gather", "unique_nodes", "unviable"]


def unviable(balance: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The viability test, the one place it is written (DESIGN §1).

    A provider fails when its balance ``B = Σ margins + R − F`` falls below
    ``−TOL·max(1, F)`` (``scale`` is ``max(1, F)``, :attr:`CompiledTower.balance_scale`):
    a tolerance relative to the provider's size, so a balance of exactly zero
    (or rounding noise around it) is viable.
    """
    return balance < -TOL * scale


def _csr(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the pairs ``src[e] -> dst[e]``: rows by ``src``, each row in the order of ``e``.

    A counting sort (scipy's ``coo_tocsr``, one pass in C, stable) when scipy
    provides it; otherwise, or for small inputs, a value sort of distinct
    64-bit keys (:func:`_csr_by_sort`, the same arrays).
    """
    m = src.size
    if m < 2 or bool(np.all(src[1:] >= src[:-1])):
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
        return ptr, dst.astype(np.int64)  # already grouped (a stable sort would not move anything)
    if _coo_tocsr is None or m < 4096 or max(n, m) >= 2**31:
        return _csr_by_sort(src, dst, n)
    ptr = np.empty(n + 1, dtype=np.int32)
    idx = np.empty(m, dtype=np.int32)
    # rows src, columns dst; the values are a dummy (scipy carries them along)
    _coo_tocsr(
        n,
        n,
        m,
        src.astype(np.int32),
        dst.astype(np.int32),
        np.zeros(m, np.int8),
        ptr,
        idx,
        np.empty(m, np.int8),
    )
    return ptr.astype(np.int64), idx.astype(np.int64)


def _csr_by_sort(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_csr` by sorting (numpy only; the oracle of the counting sort in the tests)."""
    m = src.size
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    if m < 2:
        return ptr, dst.astype(np.int64)
    if n * m < 2**62:
        # the distinct keys src·m + e sorted by value order exactly as a stable sort of src, and
        # e = key mod m gives the permutation back: a value sort of 64-bit keys is several times
        # faster than an argsort of them (and than numpy's stable sort of src)
        order = np.sort(src.astype(np.int64) * m + np.arange(m, dtype=np.int64)) % m
    else:  # pragma: no cover - towers of > 2^31 services and edges
        order = np.argsort(src, kind="stable")
    return ptr, dst[order].astype(np.int64)


def _is_count_gate(rule: object) -> bool:
    """A gate over *all* supporters whose threshold depends only on how many there are."""
    return isinstance(rule, _Gate) and not rule.of and type(rule).threshold is _Gate.threshold


def _thresholds(
    tower: Tower, in_ptr: np.ndarray, in_idx: np.ndarray, indegree: np.ndarray
) -> tuple[np.ndarray, dict]:
    """``k`` per service (``-1`` for general rules) and the compiled general rules.

    Same values as ``s.rule.threshold(supporters)`` and ``compile_rule`` per
    service, but services that share one rule object with no named supporters
    (the common case: generated towers, the default ``AllOf()``) are grouped by
    (rule, in-degree) and the rule is asked once per group.
    """
    n = len(tower)
    supports, _, codes = tower._rule_groups  # services grouped by rule object
    rules = [AllOf() if r is None else r for r in supports]  # Service.rule's default

    def supporters(i: int) -> tuple:
        return tuple(tower._ids_array[in_idx[in_ptr[i] : in_ptr[i + 1]]].tolist())

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
    for i in sorted(rest + np.flatnonzero(~grouped).tolist()):
        rule, sups = rules[codes[i]], supporters(i)
        k = rule.threshold(sups)
        if k is None:
            general[i] = compile_rule(rule, sups, tower.index)
        else:
            threshold[i] = k
    return threshold, general


def _unit_margin(tariff: np.ndarray, variable_cost: np.ndarray) -> np.ndarray:
    """``p − c`` per service: the unit margin of DESIGN §1, formed here for every compile."""
    return tariff - variable_cost


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
        threshold, general = _thresholds(tower, in_ptr, in_idx, indegree)
        general_mask = threshold < 0
        pids = {p: j for j, p in enumerate(tower.providers)}
        provider = (
            np.fromiter(
                map(pids.get, tower._field_values("provider"), repeat(-1)),
                dtype=np.int64,
                count=n,
            )  # every named provider is in pids (checked)
            if pids
            else np.full(n, -1, dtype=np.int64)
        )
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
            activity=tower._field_array("activity"),
            unit_margin=_unit_margin(
                tower._field_array("tariff"), tower._field_array("variable_cost")
            ),
            fixed_cost=tower._field_array("fixed_cost"),
            critical=tower._field_array("critical", bool),
            provider=provider,
            n_providers=len(pids),
            prov_ptr=prov_ptr,
            prov_idx=prov_idx,
            overhead=np.array([p.overhead for p in provs], dtype=float),
            reserves=np.array([p.reserves for p in provs], dtype=float),
            grounded=tower.grounded,
        )

    def with_money(
        self,
        *,
        activity: np.ndarray,
        tariff: np.ndarray,
        variable_cost: np.ndarray,
        fixed_cost: np.ndarray,
        overhead: np.ndarray,
        reserves: np.ndarray,
    ) -> CompiledTower:
        """The same graph with new money: the structure arrays are shared, not copied.

        Service arrays (``activity``, ``tariff``, ``variable_cost``, ``fixed_cost``)
        follow ``tower.ids``, provider arrays (``overhead``, ``reserves``)
        ``tower.providers``; the unit margin ``p − c`` is formed as in
        :meth:`from_tower`, so the result equals compiling a tower with these
        fields from scratch, array for array.

        Examples
        --------
        >>> from jenga_games.tower.library import local_health_economy
        >>> t = local_health_economy()
        >>> ct = t.compiled
        >>> svc = {f: np.array([getattr(s, f) for s in t.services.values()])
        ...        for f in ("activity", "tariff", "variable_cost", "fixed_cost")}
        >>> richer = ct.with_money(**svc, overhead=ct.overhead, reserves=ct.reserves + 1.0)
        >>> richer.in_idx is ct.in_idx  # the graph is shared
        True
        >>> bool(np.allclose(richer.provider_balances(), ct.provider_balances() + 1.0))
        True
        """
        money = {
            "activity": activity,
            "tariff": tariff,
            "variable_cost": variable_cost,
            "fixed_cost": fixed_cost,
            "overhead": overhead,
            "reserves": reserves,
        }
        money = {k: np.asarray(v, dtype=float) for k, v in money.items()}
        for k, v in money.items():
            size = self.n_providers if k in ("overhead", "reserves") else self.n
            if v.shape != (size,):
                raise InvalidTowerError(
                    f"with_money: {k} has shape {v.shape}; give one value per "
                    f"{'provider' if size == self.n_providers else 'service'} ({size})",
                    item=k,
                )
        return replace(
            self,
            activity=money["activity"],
            unit_margin=_unit_margin(money["tariff"], money["variable_cost"]),
            fixed_cost=money["fixed_cost"],
            overhead=money["overhead"],
            reserves=money["reserves"],
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

    def per_provider(self, values: np.ndarray) -> np.ndarray:
        """``Σ_{i ∈ services of j} values_i`` for every provider ``j`` (services without one: left out)."""
        has = self.provider >= 0
        return np.bincount(
            self.provider[has],
            weights=np.asarray(values, dtype=float)[has],
            minlength=self.n_providers,
        )

    def balances(self, x: np.ndarray, alive: np.ndarray, removed: np.ndarray) -> np.ndarray:
        """``Σ margins + R − F`` per provider, computed from scratch."""
        return self.per_provider(self.margins(x, alive, removed)) + self.reserves - self.overhead

    def provider_balances(
        self, alive: np.ndarray | None = None, removed: np.ndarray | None = None
    ) -> np.ndarray:
        """Each provider's balance ``B_j = Σ margins + R_j − F_j`` with services at full activity.

        ``B_j = Σ_{i standing} (a_i(p_i − c_i) − f_i) − Σ_{i fallen} f_i + R_j − F_j``
        (DESIGN §1; removed services contribute 0), the quantity the viability
        test :meth:`unviable` reads. Intact (the defaults) it is the provider's
        headroom.

        Parameters
        ----------
        alive : bool array over services, optional
            What stands (default: every service).
        removed : bool array over services, optional
            What was taken out as planned (default: nothing); a service neither
            alive nor removed fell unplanned and strands its fixed cost.

        Examples
        --------
        >>> from jenga_games.tower.library import local_health_economy
        >>> ct = local_health_economy().compiled
        >>> bool(ct.unviable(ct.provider_balances()).any())   # intact, every provider viable
        False
        """
        alive = np.ones(self.n, dtype=bool) if alive is None else np.asarray(alive, dtype=bool)
        removed = (
            np.zeros(self.n, dtype=bool) if removed is None else np.asarray(removed, dtype=bool)
        )
        return self.balances(np.ones(self.n), alive, removed)

    @cached_property
    def balance_scale(self) -> np.ndarray:
        """``max(1, F)`` per provider: the scale of the viability tolerance."""
        return np.maximum(1.0, self.overhead)

    def unviable(self, balance: np.ndarray) -> np.ndarray:
        """Providers whose ``balance`` fails the viability test (:func:`unviable`)."""
        return unviable(balance, self.balance_scale)
