"""Whole-economy uncertainty: scale a tower's money and activity by drawn multipliers.

Economy parameters are *multipliers* of a tower's fields, named

* ``FIELD``: every service (or provider) at once, e.g. ``"tariff"``;
* ``FIELD[ID]``: one service or provider, e.g. ``"overhead[acute_trust]"``;
* ``FIELD[*]`` (in a space only): one independent parameter per service or
  provider, expanded by :func:`expand_economy` into ``FIELD[ID]`` for every id;

with ``FIELD`` a service field (``activity``, ``tariff``, ``variable_cost``,
``fixed_cost``) or a provider field (``overhead``, ``reserves``). A draw's value
of a field is ``base × Π multipliers`` (the economy-wide and the specific one).

A perturbed tower keeps the graph: the support structure, its index arrays
and the compiled engine's structure arrays are shared with the base tower;
only the money arrays (activity, unit margin ``p − c``, fixed cost, overhead,
reserves) are recomputed, as whole-array products, by the engine itself
(:meth:`~jenga_games.tower.engine.CompiledTower.with_money`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..tower import Tower
from ._space import UncertaintySpecError

__all__ = [
    "PROVIDER_FIELDS",
    "SERVICE_FIELDS",
    "EconomyPerturbation",
    "expand_economy",
    "is_economy_parameter",
]

SERVICE_FIELDS = ("activity", "tariff", "variable_cost", "fixed_cost")
PROVIDER_FIELDS = ("overhead", "reserves")
_NAME = re.compile(r"^(?P<field>[a-z_]+)(?:\[(?P<id>.+)\])?$")


def _parse(name: str) -> tuple[str, str | None] | None:
    m = _NAME.match(str(name))
    if not m or m["field"] not in SERVICE_FIELDS + PROVIDER_FIELDS:
        return None
    return m["field"], m["id"]


def is_economy_parameter(name: str) -> bool:
    """Whether ``name`` reads as an economy multiplier (``tariff``, ``overhead[acute_trust]``, ...)."""
    return _parse(name) is not None


def expand_economy(tower: Tower, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Expand every ``FIELD[*]`` entry into one entry per service (or provider) of ``tower``.

    Examples
    --------
    >>> from jenga_games.tower import local_health_economy
    >>> names = expand_economy(local_health_economy(), {"reserves[*]": 1.0, "discount": 0.9})
    >>> list(names)[:2], len(names)
    (['reserves[acute_trust]', 'reserves[community_trust]'], 5)
    """
    out: dict[str, Any] = {}
    for name, dist in parameters.items():
        parsed = _parse(name)
        if parsed is not None and parsed[1] == "*":
            ids = tower.ids if parsed[0] in SERVICE_FIELDS else tuple(tower.providers)
            for i in ids:
                out[f"{parsed[0]}[{i}]"] = dist
        else:
            out[name] = dist
    return out


class EconomyPerturbation:
    """A tower whose fields can be scaled by multipliers without rebuilding its graph.

    Parameters
    ----------
    tower : Tower
        The base economy.

    Examples
    --------
    >>> from jenga_games.tower import local_health_economy
    >>> base = local_health_economy()
    >>> econ = EconomyPerturbation(base)
    >>> t = econ.tower({"reserves[acute_trust]": 3.0, "tariff": 1.1})
    >>> t.providers["acute_trust"].reserves, round(t.services["ae"].tariff / base.services["ae"].tariff, 6)
    (3.0, 1.1)
    """

    def __init__(self, tower: Tower) -> None:
        self.base = tower
        self._ids = {str(i): k for k, i in enumerate(tower.ids)}
        self._pids = {str(p): k for k, p in enumerate(tower.providers)}
        svc = list(tower.services.values())
        self._svc = {f: np.array([getattr(s, f) for s in svc], dtype=float) for f in SERVICE_FIELDS}
        prov = list(tower.providers.values())
        self._prov = {
            f: np.array([getattr(p, f) for p in prov], dtype=float) for f in PROVIDER_FIELDS
        }

    def check(self, names) -> None:
        """Raise for a name that is not an economy parameter of this tower (with the fix)."""
        for name in names:
            parsed = _parse(name)
            if parsed is None:
                raise UncertaintySpecError(
                    f"{name!r} is not an economy parameter; use FIELD or FIELD[id] with FIELD one "
                    f"of {', '.join(SERVICE_FIELDS + PROVIDER_FIELDS)}"
                )
            field, ident = parsed
            if ident is None or ident == "*":
                continue
            ids = self._ids if field in SERVICE_FIELDS else self._pids
            if ident not in ids:
                what = "service" if field in SERVICE_FIELDS else "provider"
                close = difflib.get_close_matches(ident, list(ids), n=1)
                hint = f" (did you mean {field}[{close[0]}]?)" if close else ""
                raise UncertaintySpecError(
                    f"parameter {name!r} names unknown {what} {ident!r}{hint}; "
                    f"{what}s are {', '.join(list(ids)[:8])}{', ...' if len(ids) > 8 else ''}"
                )

    def arrays(self, params: Mapping[str, float]) -> dict[str, np.ndarray]:
        """Each field's values for one draw (base × multipliers), as arrays in tower order."""
        out = {f: v.copy() for f, v in {**self._svc, **self._prov}.items()}
        for name, value in params.items():
            parsed = _parse(name)
            if parsed is None:
                continue
            field, ident = parsed
            if ident is None:
                out[field] *= float(value)
            else:
                pos = (self._ids if field in SERVICE_FIELDS else self._pids)[ident]
                out[field][pos] *= float(value)
        return out

    def tower(self, params: Mapping[str, float]) -> Tower:
        """The base tower with the multipliers in ``params`` applied (other keys are ignored)."""
        if not any(is_economy_parameter(k) for k in params):
            return self.base
        a = self.arrays(params)
        base = self.base
        services = []
        for k, s in enumerate(base.services.values()):
            new = {f: float(a[f][k]) for f in SERVICE_FIELDS}
            changed = any(new[f] != self._svc[f][k] for f in SERVICE_FIELDS)
            services.append(dataclasses.replace(s, **new) if changed else s)
        providers = []
        for k, p in enumerate(base.providers.values()):
            new = {f: float(a[f][k]) for f in PROVIDER_FIELDS}
            changed = any(new[f] != self._prov[f][k] for f in PROVIDER_FIELDS)
            providers.append(dataclasses.replace(p, **new) if changed else p)
        tower = Tower.from_arrays(
            services,
            *base.support_arrays,
            providers,
            grounded=base.grounded,
            allow_unsatisfiable=base.allow_unsatisfiable,
            name=base.name,
        )
        # the engine's structure arrays are shared; only the money arrays are new
        tower.__dict__["compiled"] = base.compiled.with_money(
            **{f: a[f] for f in SERVICE_FIELDS + PROVIDER_FIELDS}
        )
        return tower
