"""A slow, plain reference cascade: the test oracle for the fast engine.

It follows DESIGN §1 literally, one service at a time, recomputing every
provider balance from scratch in every round. Use it only on small towers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from ..tolerance import TOL

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower

__all__ = ["reference_cascade"]


def _balances(tower: Tower, x: Mapping, standing: set, removed: set) -> dict[Hashable, float]:
    bal = {p: prov.reserves - prov.overhead for p, prov in tower.providers.items()}
    for sid, s in tower.services.items():
        if s.provider is None:
            continue
        if sid in standing:
            bal[s.provider] += x[sid] * s.activity * (s.tariff - s.variable_cost) - s.fixed_cost
        elif sid not in removed:
            bal[s.provider] -= s.fixed_cost
    return bal


def _grounded_support(tower: Tower, allowed: set) -> set:
    standing: set = set()
    changed = True
    while changed:
        changed = False
        for sid in tower.ids:
            if sid in allowed and sid not in standing:
                sup = tower.supporters(sid)
                if tower.services[sid].rule.evaluate(standing & set(sup), sup):
                    standing.add(sid)
                    changed = True
    return standing


def reference_cascade(tower: Tower, x: Mapping[Hashable, float]) -> tuple[set, set, set]:
    """Return ``(removed, fell, failed_providers)`` for fractions ``x`` (id -> fraction)."""
    removed = {s for s in tower.ids if x[s] <= 0.0}
    standing = set(tower.ids) - removed
    failed: set = set()
    while True:
        if tower.grounded:
            falling = standing - _grounded_support(tower, standing)
        else:
            falling = {
                sid
                for sid in standing
                if not tower.services[sid].rule.evaluate(
                    standing & set(tower.supporters(sid)), tower.supporters(sid)
                )
            }
        bal = _balances(tower, x, standing, removed)
        scale = {p: max(1.0, prov.overhead) for p, prov in tower.providers.items()}
        newly = {p for p, b in bal.items() if p not in failed and b < -TOL * scale[p]}
        failed |= newly
        falling |= {sid for sid in standing if tower.services[sid].provider in newly}
        if not falling:
            break
        standing -= falling
    fell = set(tower.ids) - removed - standing
    return removed, fell, failed
