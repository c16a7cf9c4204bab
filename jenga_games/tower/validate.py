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

import networkx as nx
import numpy as np

from .._results import Result
from .engine import CascadeState, CompiledTower

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


def stranded_at_risk(tower: Tower) -> tuple[Hashable, ...]:
    """Services with a provider and ``f > 0`` whose rule fails with no supporter standing."""
    return tuple(
        s.id
        for s in tower.services.values()
        if s.provider is not None
        and s.fixed_cost > 0
        and not s.rule.evaluate(frozenset(), tower.supporters(s.id))
    )


def validate_tower(tower: Tower, exhaustive: int = 8) -> TowerReport:
    svc = tower.services.values()
    below = tuple(s.id for s in svc if s.tariff < s.variable_cost)
    negm = tuple(s.id for s in svc if s.full_margin < 0)
    at_risk = stranded_at_risk(tower)
    unsat = tuple(s.id for s in svc if not s.rule.max_satisfiable(len(tower.supporters(s.id))))
    intact = tower.cascade()
    cycles = tuple(
        tuple(sorted(c, key=str))
        for c in nx.strongly_connected_components(tower.graph)
        if len(c) > 1
    )
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
