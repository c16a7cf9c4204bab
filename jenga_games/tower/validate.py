"""``Tower.validate()``: what a modeller should know before trusting results.

Monotonicity (removing more never makes less fall) holds when every tariff
covers its variable cost (``p ≥ c``) and every service's full margin
``a·(p − c) − f`` is ≥ 0: then every service that leaves lowers its
provider's balance, and support rules are monotone by construction.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from .._results import Result
from ..tolerance import TOL

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["TowerReport", "validate_tower"]


@dataclass(frozen=True)
class TowerReport(Result):
    """The findings of :meth:`Tower.validate`.

    Attributes
    ----------
    monotone : bool
        Both monotonicity conditions hold (see the module docstring).
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
        Monotone and nothing falls when intact.
    """

    monotone: bool
    tariff_below_cost: tuple[Hashable, ...]
    negative_full_margin: tuple[Hashable, ...]
    unviable_providers: tuple[Hashable, ...]
    falls_when_intact: tuple[Hashable, ...]
    unsatisfiable: tuple[Hashable, ...]
    cycles: tuple[tuple[Hashable, ...], ...]

    @property
    def ok(self) -> bool:
        return self.monotone and not self.falls_when_intact and not self.unviable_providers

    def __str__(self) -> str:
        lines = [f"monotone: {'yes' if self.monotone else 'no'}"]
        if self.tariff_below_cost:
            lines.append(
                f"tariff below variable cost: {', '.join(map(str, self.tariff_below_cost))}"
            )
        if self.negative_full_margin:
            lines.append(f"negative full margin: {', '.join(map(str, self.negative_full_margin))}")
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


def validate_tower(tower: Tower) -> TowerReport:
    svc = tower.services.values()
    below = tuple(s.id for s in svc if s.tariff < s.variable_cost)
    negm = tuple(s.id for s in svc if s.full_margin < 0)
    unsat = tuple(s.id for s in svc if not s.rule.max_satisfiable(len(tower.supporters(s.id))))
    intact = tower.cascade()
    cycles = tuple(
        tuple(sorted(c, key=str))
        for c in nx.strongly_connected_components(tower.graph)
        if len(c) > 1
    )
    ct = tower.compiled
    import numpy as np

    bal = ct.balances(np.ones(ct.n), np.ones(ct.n, bool), np.zeros(ct.n, bool))
    pids = tuple(tower.providers)
    unviable = tuple(pids[j] for j in np.flatnonzero(bal < -TOL * ct.balance_scale))
    return TowerReport(
        monotone=not below and not negm,
        tariff_below_cost=below,
        negative_full_margin=negm,
        unviable_providers=unviable,
        falls_when_intact=intact.fell,
        unsatisfiable=unsat,
        cycles=cycles,
    )
