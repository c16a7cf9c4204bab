"""Financial headroom of a provider, and thresholds of monotone yes/no outcomes.

Headroom (DESIGN §1). Provider ``P`` stands while its balance

    B = Σ_{v∈P standing} (x_v a_v (p_v − c_v) − f_v) − Σ_{v∈P fallen} f_v + R − F ≥ 0.

Moving ``δ`` units of activity out of a service that keeps running saves
only the variable cost, so ``B`` drops by ``δ (p_v − c_v)``:

* per service: at most ``δ_v = B / (p_v − c_v)`` units (all ``a_v`` when
  that is more, or when ``p_v ≤ c_v``); closing the whole service instead
  changes ``B`` by ``−(a_v(p_v − c_v) − f_v)``;
* in proportion (a fraction ``θ`` of every service): ``θ* = B / Σ a_v(p_v − c_v)``;
* the least activity that topples ``P``: take units from the highest
  ``p − c`` first; the most that can go: from the lowest first.

Partial moves leave every service standing, so support rules are not
involved; closing a service can topple its dependants (see
:func:`~jenga_games.tower.thresholds.weakest_blocks`), which ``can_close``
accounts for by running the cascade.

``find_threshold`` bisects on a parameter where a monotone yes/no outcome
flips, halving a bracket ``[lo, hi]`` with ``outcome(lo) ≠ outcome(hi)``
until it is shorter than ``tol`` (``⌈log2((high − low)/tol)⌉`` evaluations).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidTowerError, JengaError, UnknownItemError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Tower

__all__ = ["Headroom", "Threshold", "find_threshold", "headroom", "movable_units"]


@dataclass(frozen=True, eq=False)
class Headroom(Result):
    """How much activity can move out of a provider's services before it fails.

    Attributes
    ----------
    provider : Hashable
    balance : float
        ``B = Σ margins + R − F`` in the given state (``< 0``: already failing).
    services : tuple
        The provider's standing services.
    per_service : dict id -> float
        Units that can move out of that service alone (``≤ a``).
    per_service_fraction : dict id -> float
        The same as a fraction of its activity.
    can_close : dict id -> bool
        Whether closing that service alone (planned) keeps ``P`` viable, the
        cascade it starts included: dependants that fall strand their fixed
        costs, and other providers that fail take their services with them
        (one cascade per service). ``full_margin ≤ balance`` is only the
        first step of it.
    proportional_fraction, proportional_units : float
        The largest fraction ``θ*`` of every service's activity that can move
        out together, and the units it is (``None`` when the provider's
        standing services count different units: bed-days and tests do not add;
        ``proportional_spend`` is the same move in money).
    min_units_to_fail : float or None
        The least activity whose move topples ``P`` (highest ``p − c`` first;
        ``inf`` if even moving everything partially does not; ``0`` when ``P``
        is already failing; ``None`` when its services count different units).
    max_units_safe : float or None
        The most activity that can move without toppling it (lowest first;
        ``None`` when its services count different units).
    symbolic : dict or None
        With ``symbolic=True``: ``balance``, ``per_service`` (id -> expr),
        ``proportional`` (expressions), ``conditions`` (when each holds) and
        ``values`` (symbol -> number).
    provenance : Provenance
    proportional_spend : float
        ``θ*·Σ a·p``: the spend at tariff of the proportional move (money).
    units : tuple of str
        The activity units of the standing services.
    """

    provider: Hashable
    balance: float
    services: tuple
    per_service: dict
    per_service_fraction: dict
    can_close: dict
    proportional_fraction: float
    proportional_units: float
    min_units_to_fail: float
    max_units_safe: float
    symbolic: dict | None = None
    provenance: Provenance = field(default_factory=lambda: Provenance("headroom"))
    proportional_spend: float = 0.0
    units: tuple = ()

    @property
    def viable(self) -> bool:
        return self.balance >= 0

    def to_frame(self) -> pd.DataFrame:
        """One row per service: units and fraction that can move, and whether it can close."""
        import pandas as pd

        return pd.DataFrame(
            {
                "service": list(self.services),
                "units": [self.per_service[s] for s in self.services],
                "fraction": [self.per_service_fraction[s] for s in self.services],
                "can_close": [self.can_close[s] for s in self.services],
            }
        )

    def __repr__(self) -> str:
        if self.proportional_units is None:  # several activity units: money, not a unit sum
            return (
                f"Headroom({self.provider!r}: balance {self.balance:g}, proportional "
                f"{self.proportional_fraction:.3g} (spend {self.proportional_spend:g}), "
                f"activity in {len(self.units)} units)"
            )
        return (
            f"Headroom({self.provider!r}: balance {self.balance:g}, proportional "
            f"{self.proportional_fraction:.3g} ({self.proportional_units:g} units), least "
            f"to topple {self.min_units_to_fail:g} units)"
        )


def movable_units(balance: float, unit_margin: float, activity: float) -> float:
    """Units of a running service's activity that can move out before ``balance`` falls below 0.

    ``δ = min(a, max(B, 0) / (p − c))``, and all of ``a`` when ``p ≤ c`` (moving
    it out then costs the balance nothing). Moving ``δ`` units out of a service
    that keeps running lowers ``B`` by ``δ (p − c)`` (module docstring, DESIGN §1).
    :func:`headroom` and the money-follows-patients model
    (:func:`jenga_games.commissioning.money_follows_patients`) both call it.

    Parameters
    ----------
    balance : float
        ``B``, the provider's balance (money: £ m in the built-in economies).
    unit_margin : float
        ``p − c``, money per unit of activity.
    activity : float
        ``a``, units of activity the service runs.

    Examples
    --------
    >>> movable_units(2.0, 0.1375, 30.0)  # 2 / 0.1375 of the 30 units
    14.545454545454545
    >>> movable_units(2.0, 0.1375, 10.0), movable_units(-1.0, 0.1375, 10.0)
    (10.0, 0.0)
    """
    if unit_margin <= 0:
        return activity
    return min(activity, max(balance, 0.0) / unit_margin)


def _symbol_name(kind: str, ident: Hashable) -> str:
    return f"{kind}_{re.sub(r'[^0-9A-Za-z_]', '_', str(ident))}"


def headroom(
    tower: Tower,
    provider: Hashable,
    *,
    symbolic: bool = False,
    removed: Iterable[Hashable] | None = None,
) -> Headroom:
    """How much activity can move out before ``provider`` fails (in total and per service).

    Parameters
    ----------
    tower : Tower
    provider : provider id
    symbolic : bool
        Also return ``sympy`` expressions in the named parameters
        (``a_<service>``, ``p_``, ``c_``, ``f_``, ``F_<provider>``, ``R_``) and
        the conditions under which each holds.
    removed : collection of service ids, optional
        Headroom after these have been removed (and the cascade has run).

    Returns
    -------
    Headroom

    Notes
    -----
    ``δ_v = B / (p_v − c_v)`` and ``θ* = B / Σ_v a_v(p_v − c_v)`` (module
    docstring).

    Examples
    --------
    >>> from jenga_games.tower.library import local_health_economy
    >>> h = headroom(local_health_economy(), "acute_trust")
    >>> round(h.balance, 6), round(h.proportional_fraction, 4)
    (2.0, 0.0159)
    """
    from ._common import check_tower

    tower = check_tower(tower, "headroom")
    pid = int(provider) if isinstance(provider, np.integer) else provider
    if pid not in tower.providers:
        raise UnknownItemError(
            f"unknown provider {provider!r}; providers are "
            f"{', '.join(map(repr, tower.providers)) or 'none'}"
        )
    out = tower.cascade(removed or ())
    members = tower.services_of(pid)
    standing = tuple(s for s in members if s in out.standing)
    fallen = [s for s in members if s in set(out.fell)]
    svc = tower.services
    B = out.balances[pid]
    gone = sorted(out.removed, key=tower.index.get)
    per, frac, close = {}, {}, {}
    for s in standing:
        a = svc[s].activity
        units = movable_units(B, svc[s].unit_margin, a)
        per[s] = float(units)
        frac[s] = float(units / a) if a > 0 else 1.0
        # through the cascade: closing s can topple dependants, whose fixed costs are stranded
        close[s] = pid not in tower.cascade([*gone, s]).failed_providers
    total_m = sum(svc[s].activity * svc[s].unit_margin for s in standing)
    total_a = sum(svc[s].activity for s in standing)
    theta = 1.0 if total_m <= max(B, 0.0) else max(B, 0.0) / total_m
    min_fail, max_safe = _fill(standing, svc, B)
    units = tuple(dict.fromkeys(svc[s].unit or "units" for s in standing))
    mixed = len(units) > 1  # activity of different units is never added (issue #17)
    prop_units = None if mixed else float(theta * total_a)
    if mixed:
        min_fail, max_safe = (0.0, 0.0) if B < 0 else (None, None)
    spend = sum(svc[s].activity * svc[s].tariff for s in standing)
    sym = _symbolic(tower, pid, standing, fallen) if symbolic else None
    return Headroom(
        pid,
        float(B),
        standing,
        per,
        frac,
        close,
        float(theta),
        prop_units,
        None if min_fail is None else float(min_fail),
        None if max_safe is None else float(max_safe),
        sym,
        Provenance(
            "headroom",
            {"provider": pid, "symbolic": symbolic, "removed": sorted(map(str, removed or ()))},
            exact=symbolic,
        ),
        float(theta * spend),
        units,
    )


def _fill(standing, svc, B: float) -> tuple[float, float]:
    """Least units that topple (highest margin first) and most units that can go (lowest first)."""
    items = [(svc[s].unit_margin, svc[s].activity) for s in standing]
    if B < 0:
        return 0.0, 0.0
    # least to topple: the loss must exceed B
    loss, units, min_fail = 0.0, 0.0, math.inf
    for m, a in sorted(items, reverse=True):
        if m <= 0:
            break
        if loss + m * a > B:
            min_fail = units + (B - loss) / m
            break
        loss += m * a
        units += a
    loss, units = 0.0, 0.0
    max_safe = 0.0
    for m, a in sorted(items):
        if m <= 0:
            units += a
            continue
        if loss + m * a > B:
            units += (B - loss) / m
            break
        loss += m * a
        units += a
    max_safe = units
    return min_fail, max_safe


def _symbolic(tower: Tower, pid, standing, fallen) -> dict[str, Any]:
    import sympy as sp

    svc = tower.services
    values: dict = {}

    def sym(kind, ident, value):
        s = sp.Symbol(_symbol_name(kind, ident), nonnegative=True)
        values[s] = sp.nsimplify(value, rational=True)
        return s

    F = sym("F", pid, tower.providers[pid].overhead)
    R = sym("R", pid, tower.providers[pid].reserves)
    terms, flows = [], []
    params = {}
    for s in standing:
        a, p, c, f = (
            sym(k, s, getattr(svc[s], attr))
            for k, attr in (
                ("a", "activity"),
                ("p", "tariff"),
                ("c", "variable_cost"),
                ("f", "fixed_cost"),
            )
        )
        params[s] = (a, p, c, f)
        terms.append(a * (p - c) - f)
        flows.append(a * (p - c))
    for s in fallen:
        terms.append(-sym("f", s, svc[s].fixed_cost))
    balance = sp.Add(*terms) + R - F
    per, cond = {}, {}
    for s, (a, p, c, _) in params.items():
        per[s] = balance / (p - c)
        cond[s] = sp.And(p > c, balance >= 0, balance / (p - c) <= a)
    total = sp.Add(*flows)
    theta = balance / total
    return {
        "balance": balance,
        "per_service": per,
        "proportional": theta,
        "conditions": {
            "per_service": cond,
            "proportional": sp.And(total > 0, balance >= 0, theta <= 1),
        },
        "values": values,
    }


@dataclass(frozen=True, eq=False)
class Threshold(Result):
    """Where a monotone yes/no outcome flips.

    Attributes
    ----------
    value : float
        The midpoint of the final bracket.
    bracket : tuple (lo, hi)
        ``outcome(lo) == outcome_low`` and ``outcome(hi) == outcome_high``.
    outcome_low, outcome_high : bool
    evaluations : int
    tol : float
    provenance : Provenance
    """

    value: float
    bracket: tuple
    outcome_low: bool
    outcome_high: bool
    evaluations: int
    tol: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"Threshold({self.value:.6g} in [{self.bracket[0]:.6g}, {self.bracket[1]:.6g}]: "
            f"{self.outcome_low} below, {self.outcome_high} above)"
        )


def find_threshold(
    predicate: Callable[[float], bool],
    low: float,
    high: float,
    *,
    tol: float = 1e-6,
    max_iter: int = 200,
    check: int = 0,
    known: tuple[bool, bool] | None = None,
) -> Threshold:
    """The parameter value where a monotone yes/no outcome flips (bisection).

    Parameters
    ----------
    predicate : callable float -> bool
        Monotone on ``[low, high]``: one outcome below some value, the other above.
    low, high : float
        A bracket with different outcomes at its ends.
    tol : float
        Stop when the bracket is shorter than ``tol``.
    max_iter : int
    known : (bool, bool), optional
        The outcomes at ``low`` and ``high`` when the caller has them already
        (a grid scan): they are not evaluated again.
    check : int
        Also evaluate ``predicate`` at ``check`` evenly spaced points of
        ``[low, high]`` and raise :class:`~jenga_games.errors.JengaError` if
        it is not a single step there (bisection trusts monotonicity; a
        tower's ``validate().monotone`` is about removal sets, not about this
        parameter, so it is no guarantee). Default ``0``: no check.

    Returns
    -------
    Threshold

    Examples
    --------
    The acute trust's overhead at which losing cardiology topples it:

    >>> from jenga_games.tower.library import local_health_economy
    >>> econ = local_health_economy()
    >>> F0 = econ.providers["acute_trust"].overhead
    >>> def topples(F):
    ...     t = econ.replace(providers={"acute_trust": {"overhead": F}})
    ...     return t.cascade({"cardiology"}).collapsed
    >>> th = find_threshold(topples, F0 - 5, F0 + 5, tol=1e-6)
    >>> th.outcome_low, th.outcome_high
    (False, True)
    """
    for name, v in (("low", low), ("high", high), ("tol", tol)):
        if not isinstance(v, int | float | np.number) or not math.isfinite(float(v)):
            raise JengaError(f"find_threshold: {name} must be a finite number, got {v!r}")
    low, high = float(low), float(high)
    if not low < high:
        raise JengaError(f"find_threshold: need low < high, got low={low}, high={high}")
    if tol <= 0:
        raise JengaError(f"find_threshold: tol must be > 0, got {tol}")
    if not callable(predicate):
        raise JengaError(
            "find_threshold: predicate must be a function of one number returning True/False"
        )
    if known is None:
        lo_out, hi_out = bool(predicate(low)), bool(predicate(high))
        evals = 2
    else:
        (lo_out, hi_out), evals = map(bool, known), 0
    if lo_out == hi_out:
        raise InvalidTowerError(
            f"find_threshold: the outcome is {lo_out} at both low={low} and high={high}; widen the "
            "bracket so that the outcome differs at its ends"
        )
    lo, hi = low, high
    while hi - lo > tol and evals < max_iter + 2:
        mid = 0.5 * (lo + hi)
        out = bool(predicate(mid))
        evals += 1
        if out == lo_out:
            lo = mid
        else:
            hi = mid
    if check:
        for t in np.linspace(low, high, int(check) + 2)[1:-1].tolist():
            expect = lo_out if t <= lo else hi_out if t >= hi else None
            got = bool(predicate(t))
            evals += 1
            if expect is not None and got != expect:
                raise JengaError(
                    f"find_threshold: the outcome is not monotone on [{low}, {high}]: it is {got} "
                    f"at {t:.6g} but {expect} on that side of the flip at {0.5 * (lo + hi):.6g}; "
                    "bisection cannot locate a threshold there: narrow the bracket"
                )
    return Threshold(
        0.5 * (lo + hi),
        (lo, hi),
        lo_out,
        hi_out,
        evals,
        float(tol),
        Provenance("bisection", {"low": low, "high": high, "tol": tol}),
    )
