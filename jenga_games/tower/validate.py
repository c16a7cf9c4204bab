"""``Tower.validate()``: what a modeller should know before trusting results.

Monotonicity: for sets of whole services removed, ``R ⊆ R'`` implies that
everything gone after removing ``R`` (removed or fallen) is gone after
removing ``R'``, and every provider that fails after ``R`` fails after ``R'``.

Support rules are monotone by construction; money is where it can break. A
service that leaves changes its provider's balance by ``−(a(p − c) − f)`` when
removed as planned and by ``−a(p − c)`` when it falls (its fixed cost ``f``
stays, stranded). Comparing the cascade of ``R`` with that of ``R'`` service
by service, every change lowers the balance (so ``R'`` does at least the damage
of ``R``) when

1. every tariff covers its variable cost, ``p ≥ c``;
2. every full margin is ``a(p − c) − f ≥ 0`` (closing a service never helps);
3. no service with a provider and ``f > 0`` can fall by its support rule,
   i.e. its rule holds with no supporter standing. Otherwise it can fall
   after ``R`` (stranding ``f``) and be removed as planned in ``R'`` (no
   ``f``): ``R'`` leaves its provider *richer*, and less may fall. This is the
   worked economy's case: removing the crisis team alone topples mental-health
   inpatients, whose stranded fixed cost fails the mental-health trust;
   removing both topples nothing.

The three conditions are sufficient (an induction on the rounds of the
cascade of ``R``), not necessary. When they fail, :func:`validate_tower`
searches for a counterexample: on towers of at most ``exhaustive`` services
every set and one more service (``2^n`` cascades), which decides the
question; on towers of at most :data:`SEARCH_LIMIT` services the pattern of
condition 3 (remove ``s``; remove ``s`` and a service that fell with it). Without a proof or a counterexample
``monotone`` is ``False`` and ``monotone_basis`` says ``"unproven"``.
Partial moves of activity are not covered: closing a service after moving
part of its activity out can help its provider.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._results import Result
from .engine import CascadeState, CompiledTower
from .rules import AllOf

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["TowerReport", "find_monotonicity_counterexample", "stranded_at_risk", "validate_tower"]


@dataclass(frozen=True)
class TowerReport(Result):
    """The findings of :meth:`Tower.validate`.

    Attributes
    ----------
    monotone : bool
        Removing more whole services never makes less fall or fewer providers
        fail: ``True`` only when proven (the sufficient conditions, or an
        exhaustive search on a small tower); see the module docstring.
    monotone_basis : str
        How ``monotone`` was decided: ``"sufficient conditions"``,
        ``"exhaustive search"``, ``"counterexample"`` or ``"unproven"``.
    counterexample : tuple or None
        ``(R, R')``: two removal sets with ``R ⊂ R'`` where removing ``R'``
        leaves something standing (or a provider viable) that removing ``R`` does not.
    stranded_at_risk : tuple
        Services with a provider and a fixed cost whose rule needs a supporter
        (condition 3 fails for them).
    tariff_below_cost : tuple
        Services with ``p < c`` (moving activity out *raises* the provider's balance).
    negative_full_margin : tuple
        Services with ``a·(p − c) − f < 0`` (closing them helps their provider).
    unviable_providers : tuple
        Providers that fail with the tower intact.
    falls_when_intact : tuple
        Services that fall with nothing removed (unsatisfiable rules, unviable providers,
        or, when grounded, loops not held up from below).
    unsatisfiable : tuple
        Services whose rule cannot hold even with every supporter standing.
    cycles : tuple
        Groups of services that support each other (strongly connected, size > 1).
    ok : bool
        Nothing falls when intact and every provider is viable. (Monotonicity
        is reported, not required: a non-monotone tower is a legitimate model.)
    """

    monotone: bool
    tariff_below_cost: tuple[Hashable, ...]
    negative_full_margin: tuple[Hashable, ...]
    unviable_providers: tuple[Hashable, ...]
    falls_when_intact: tuple[Hashable, ...]
    unsatisfiable: tuple[Hashable, ...]
    cycles: tuple[tuple[Hashable, ...], ...]
    monotone_basis: str = "sufficient conditions"
    counterexample: tuple | None = None
    stranded_at_risk: tuple[Hashable, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.falls_when_intact and not self.unviable_providers

    def __str__(self) -> str:
        lines = [f"monotone: {'yes' if self.monotone else 'no'} ({self.monotone_basis})"]
        if self.counterexample is not None:
            small, big = self.counterexample
            lines.append(
                f"  removing {', '.join(map(str, big))} does less damage than removing "
                f"{', '.join(map(str, small)) or 'nothing'}"
            )
        if self.tariff_below_cost:
            lines.append(
                f"tariff below variable cost: {', '.join(map(str, self.tariff_below_cost))}"
            )
        if self.negative_full_margin:
            lines.append(f"negative full margin: {', '.join(map(str, self.negative_full_margin))}")
        if self.stranded_at_risk and not self.monotone:
            lines.append(
                f"fixed costs stranded when they fall: {len(self.stranded_at_risk)} services"
            )
        if self.unviable_providers:
            lines.append(
                f"providers unviable when intact: {', '.join(map(str, self.unviable_providers))}"
            )
        if self.unsatisfiable:
            lines.append(f"rules that can never hold: {', '.join(map(str, self.unsatisfiable))}")
        if self.falls_when_intact:
            lines.append(
                f"falls with nothing removed: {', '.join(map(str, self.falls_when_intact))}"
            )
        if self.cycles:
            lines.append(f"mutual-support cycles: {len(self.cycles)}")
        return "\n".join(lines)


#: Towers larger than this are not searched for a counterexample (``monotone_basis="unproven"``).
SEARCH_LIMIT = 500


def _gone_and_failed(ct: CompiledTower, removed: list[int]) -> tuple[int, int]:
    """Bit masks of what is gone (removed or fallen) and of the failed providers."""
    x = np.ones(ct.n)
    x[removed] = 0.0
    st = CascadeState(ct, x)
    st.settle()
    gone = sum(1 << int(i) for i in np.flatnonzero(~st.alive))
    failed = sum(1 << int(j) for j in np.flatnonzero(st.failed))
    return gone, failed


def _worse(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """``a`` is *not* contained in ``b`` (something gone or failed under ``a`` survives ``b``)."""
    return bool(a[0] & ~b[0]) or bool(a[1] & ~b[1])


def find_monotonicity_counterexample(
    tower: Tower, exhaustive: int = 8
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Two removal sets (as indices) ``R ⊂ R'`` where ``R'`` does less damage, or None.

    Towers of at most ``exhaustive`` services: every set ``R`` and every
    ``R ∪ {s}`` (this decides monotonicity: a chain of one-service steps
    joins any ``R ⊆ R'``). Larger towers: ``R = {s}`` against ``R ∪ {t}`` for
    every ``t`` that falls with ``s`` (the stranded-fixed-cost pattern).
    """
    ct = tower.compiled
    n = ct.n
    if n <= exhaustive:
        sets = {}
        for mask in range(1 << n):
            sets[mask] = _gone_and_failed(ct, [i for i in range(n) if mask >> i & 1])
        for mask, res in sets.items():
            for i in range(n):
                if not mask >> i & 1 and _worse(res, sets[mask | 1 << i]):
                    small = tuple(j for j in range(n) if mask >> j & 1)
                    return small, tuple(sorted((*small, i)))
        return None
    budget = 4 * SEARCH_LIMIT  # cascades of pairs; past it the search gives up (None)
    for s in range(n):
        res = _gone_and_failed(ct, [s])
        fell = [t for t in range(n) if res[0] >> t & 1 and t != s]
        for t in fell:
            budget -= 1
            if budget < 0:
                return None
            if _worse(res, _gone_and_failed(ct, [s, t])):
                return (s,), tuple(sorted((s, t)))
    return None


def _per_rule_and_degree(tower: Tower, ask, mask: np.ndarray) -> np.ndarray:
    """``ask(rule, supporters)`` for every service in ``mask``, as a bool array over services.

    Services whose rule is a gate over all their supporters (the default
    ``AllOf()``, ``AtLeast(k)``, ...) get one answer per (rule object,
    in-degree), since such a rule only counts its supporters; any other rule
    is asked once per service with its supporters.
    """
    from .engine._compiled import _is_count_gate

    ct = tower.compiled
    rules, _, code = tower._rule_groups
    rules = [AllOf() if r is None else r for r in rules]  # Service.rule's default
    out = np.zeros(ct.n, dtype=bool)
    members = np.flatnonzero(mask)
    if not members.size:
        return out
    gate = np.fromiter(map(_is_count_gate, rules), dtype=bool, count=len(rules))[code[members]]
    counted = members[gate]
    if counted.size:
        key = code[counted] * (int(ct.indegree.max()) + 1) + ct.indegree[counted]
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        ids = tower._ids_array
        answers = np.array(
            [
                bool(ask(rules[code[i]], tuple(ids[ct.in_idx[ct.in_ptr[i] : ct.in_ptr[i + 1]]])))
                for i in counted[first].tolist()
            ],
            dtype=bool,
        )
        out[counted] = answers[inv.ravel()]
    for i in members[~gate].tolist():
        out[i] = bool(ask(rules[code[i]], tower.supporters(tower.ids[i])))
    return out


def stranded_at_risk(tower: Tower) -> tuple[Hashable, ...]:
    """Services with a provider and ``f > 0`` whose rule fails with no supporter standing."""
    ct = tower.compiled
    candidates = (ct.provider >= 0) & (tower._field_array("fixed_cost") > 0)
    holds = _per_rule_and_degree(tower, lambda r, sup: r.evaluate(frozenset(), sup), candidates)
    ids = tower.ids
    return tuple(ids[i] for i in np.flatnonzero(candidates & ~holds).tolist())


def mutual_support_cycles(tower: Tower) -> tuple[tuple[Hashable, ...], ...]:
    """Groups of services that support each other (strongly connected, size > 1), ids sorted.

    The groups come in the order of a depth-first search in index order
    (Tarjan's algorithm [Tarjan1972]_ as networkx writes it: a group is listed
    when its first-visited service is finished), without building a graph:
    no cycle when the topological order exists; otherwise scipy's strong
    components ([Pearce2016]_) find the groups, and only when there are
    several is the search run, on the services that can reach one.
    """
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import breadth_first_order, connected_components

    from .thresholds._common import topological_order

    if topological_order(tower) is not None:
        return ()
    ct = tower.compiled
    n = ct.n
    graph = csr_array((np.ones(ct.out_idx.size, np.int8), ct.out_idx, ct.out_ptr), shape=(n, n))
    _, label = connected_components(graph, directed=True, connection="strong")
    size = np.bincount(label)
    in_cycle = size[label] > 1
    ids = tower.ids
    if np.unique(label[in_cycle]).size == 1:
        return (tuple(sorted((ids[i] for i in np.flatnonzero(in_cycle).tolist()), key=str)),)
    # the services that can reach a cycle: a search from a extra node n into every cyclic service,
    # over the supports reversed (the in-edges' CSR)
    cyclic = np.flatnonzero(in_cycle)
    ptr = np.concatenate((ct.in_ptr, [ct.in_ptr[-1] + cyclic.size]))
    reverse = csr_array(
        (np.ones(ptr[-1], np.int8), np.concatenate((ct.in_idx, cyclic)), ptr), shape=(n + 1, n + 1)
    )
    keep = np.zeros(n + 1, dtype=bool)
    keep[breadth_first_order(reverse, n, directed=True, return_predecessors=False)] = True
    return tuple(
        tuple(sorted((ids[i] for i in group), key=str))
        for group in _tarjan(ct.out_ptr.tolist(), ct.out_idx.tolist(), keep[:n].tolist())
        if len(group) > 1
    )


def _tarjan(ptr: list, idx: list, keep: list):
    """Strong components of the kept nodes, in networkx's order (its non-recursive Tarjan)."""
    preorder: dict[int, int] = {}
    lowlink: dict[int, int] = {}
    found = bytearray(len(keep))
    stack: list[int] = []
    count = 0
    nxt = ptr[:-1].copy() if isinstance(ptr, list) else list(ptr[:-1])
    for source in range(len(keep)):
        if found[source] or not keep[source]:
            continue
        queue = [source]
        while queue:
            v = queue[-1]
            if v not in preorder:
                count += 1
                preorder[v] = count
            done = True
            end = ptr[v + 1]
            j = nxt[v]
            while j < end:
                w = idx[j]
                j += 1
                if keep[w] and w not in preorder:
                    queue.append(w)
                    done = False
                    break
            nxt[v] = j
            if done:
                low = preorder[v]
                for w in idx[ptr[v] : end]:
                    if keep[w] and not found[w]:
                        pw = preorder[w]
                        low = min(low, lowlink[w] if pw > preorder[v] else pw)
                lowlink[v] = low
                queue.pop()
                if low == preorder[v]:
                    group = [v]
                    pv = preorder[v]
                    while stack and preorder[stack[-1]] > pv:
                        group.append(stack.pop())
                    for k in group:
                        found[k] = 1
                    yield group
                else:
                    stack.append(v)


def validate_tower(tower: Tower, exhaustive: int = 8) -> TowerReport:
    ct = tower.compiled
    ids = tower.ids
    below = tuple(
        ids[i]
        for i in np.flatnonzero(
            tower._field_array("tariff") < tower._field_array("variable_cost")
        ).tolist()
    )
    negm = tuple(ids[i] for i in np.flatnonzero(ct.full_margin < 0).tolist())
    at_risk = stranded_at_risk(tower)
    can_hold = _per_rule_and_degree(
        tower, lambda r, sup: r.max_satisfiable(len(sup)), np.ones(ct.n, dtype=bool)
    )
    unsat = tuple(ids[i] for i in np.flatnonzero(~can_hold).tolist())
    intact = tower.cascade()
    cycles = mutual_support_cycles(tower)
    ct = tower.compiled
    bal = ct.balances(np.ones(ct.n), np.ones(ct.n, bool), np.zeros(ct.n, bool))
    pids = tuple(tower.providers)
    unviable = tuple(pids[j] for j in np.flatnonzero(ct.unviable(bal)))
    counter = None
    if not (below or negm or at_risk):
        monotone, basis = True, "sufficient conditions"
    elif len(tower) > SEARCH_LIMIT:  # the pair search costs about n cascades of the tower
        monotone, basis = False, "unproven"
    else:
        found = find_monotonicity_counterexample(tower, exhaustive)
        if found is not None:
            ids = tower.ids
            counter = tuple(tuple(ids[i] for i in r) for r in found)
            monotone, basis = False, "counterexample"
        elif len(tower) <= exhaustive:
            monotone, basis = True, "exhaustive search"
        else:
            monotone, basis = False, "unproven"
    return TowerReport(
        monotone=monotone,
        tariff_below_cost=below,
        negative_full_margin=negm,
        unviable_providers=unviable,
        falls_when_intact=intact.fell,
        unsatisfiable=unsat,
        cycles=cycles,
        monotone_basis=basis,
        counterexample=counter,
        stranded_at_risk=at_risk,
    )
