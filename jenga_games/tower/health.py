"""Health and units: what a cascade costs patients, valued at a stated willingness to pay.

Each service may carry ``health``, its health effect per unit of activity, in
``health_measure`` (QALYs when unset), and states its activity ``unit``. An
:class:`~jenga_games.tower.Outcome` then counts, over the services that fell,

* ``health_lost[m] = Σ x·a·h`` per health measure ``m`` (QALYs, or a named outcome);
* ``activity_lost_by_unit[u] = Σ x·a`` per activity unit ``u`` (never summed across units);
* ``spend_lost = Σ x·a·p``, the income at tariff of the activity lost (money).

The net monetary benefit of a change that gains ``ΔE`` QALYs at extra cost
``ΔC`` is ``NMB = λ·ΔE − ΔC`` at willingness to pay ``λ`` per QALY
[Stinnett1998]_. NICE judges technologies against £20,000–£30,000 per QALY
gained [NICE2013]_ (:data:`NICE_WTP`); money in a tower is often in £ millions,
so :func:`net_monetary_benefit` takes the tower's ``money_unit``.

.. [Stinnett1998] Stinnett, A. A. and Mullahy, J. (1998), key ``Stinnett1998``.
.. [NICE2013] NICE (2013), Guide to the methods of technology appraisal, key ``NICE2013``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import finite_float
from ..errors import InvalidTowerError

if TYPE_CHECKING:  # pragma: no cover
    from .model import Tower
    from .outcome import Outcome

__all__ = [
    "DEFAULT_MEASURE",
    "DEFAULT_UNIT",
    "NICE_WTP",
    "health_value",
    "net_monetary_benefit",
    "sole_unit",
]

#: NICE's range of cost-effectiveness thresholds, £ per QALY gained [NICE2013].
NICE_WTP: tuple[float, float] = (20_000.0, 30_000.0)
#: The measure of ``Service.health`` when ``health_measure`` is not given.
DEFAULT_MEASURE = "QALY"
#: The name used for activity whose unit is not stated.
DEFAULT_UNIT = "units"


@dataclass(frozen=True)
class _Accounts:
    tariff: np.ndarray
    health: np.ndarray  # 0 where a service has no health effect
    measure_code: np.ndarray  # index into measures (-1: none)
    measures: tuple[str, ...]
    unit_code: np.ndarray
    units: tuple[str, ...]


def accounts(tower: Tower) -> _Accounts:
    """Per-service arrays for money, health and units (built once per tower)."""
    cached = tower.__dict__.get("_accounts")
    if cached is not None:
        return cached
    # the fields as columns: a tower held as columns makes no Service object here
    n = len(tower)
    values, measure, unit = (tower._field_values(f) for f in ("health", "health_measure", "unit"))
    measures: dict[str, int] = {}
    units: dict[str, int] = {}
    mcode = np.full(n, -1, dtype=np.int64)
    health = np.zeros(n)
    for i, h in enumerate(values):
        if h is not None:
            mcode[i] = measures.setdefault(measure[i] or DEFAULT_MEASURE, len(measures))
            health[i] = h
    ucode = np.fromiter(
        (units.setdefault(u or DEFAULT_UNIT, len(units)) for u in unit), dtype=np.int64, count=n
    )
    acc = _Accounts(
        tariff=np.array(tower._field_array("tariff"), dtype=float),
        health=health,
        measure_code=mcode,
        measures=tuple(measures),
        unit_code=ucode,
        units=tuple(units),
    )
    tower.__dict__["_accounts"] = acc  # the tower's own cache (like its cached properties)
    return acc


def per_measure(tower: Tower, amounts: np.ndarray) -> dict[str, float]:
    """``Σ amounts·h`` per health measure over the services that carry a health effect ``h``.

    ``amounts`` is activity per service (e.g. ``(1 − x)·a``, the activity moved out).
    """
    acc = accounts(tower)
    if not acc.measures:
        return {}
    has = acc.measure_code >= 0
    sums = np.bincount(
        acc.measure_code[has], weights=(amounts * acc.health)[has], minlength=len(acc.measures)
    )
    return {m: float(v) for m, v in zip(acc.measures, sums)}


def per_unit(tower: Tower, amounts: np.ndarray) -> dict[str, float]:
    """``Σ amounts`` per activity unit, every unit of the tower listed (in first-seen order)."""
    acc = accounts(tower)
    sums = np.bincount(acc.unit_code, weights=amounts, minlength=len(acc.units))
    return {u: float(v) for u, v in zip(acc.units, sums)}


def sole_unit(units: tuple[str, ...] | list[str], what: str, hint: str | None = None) -> str | None:
    """The one activity unit of ``units``, or an error naming them all when there are several.

    Activity in different units (bed-days, tests, attendances) is never added:
    ``what`` is the aggregate that was asked for, named in the error with the
    way out (``hint``; default: a per-unit breakdown, or money). ``None`` when
    there are no units.

    Raises
    ------
    InvalidTowerError
        When ``units`` holds more than one unit.
    """
    units = list(dict.fromkeys(units))
    if len(units) > 1:
        raise InvalidTowerError(
            f"{what} would add activity of different units ({', '.join(map(repr, units))}); "
            + (
                hint
                or f"use {what}_by_unit for one figure per unit, or money "
                "(spend at tariff, contribution)"
            )
        )
    return units[0] if units else None


def losses(
    tower: Tower, fell_idx: np.ndarray, fell_frac: np.ndarray, activity: np.ndarray
) -> tuple[float, dict[str, float], dict[str, float]]:
    """``(spend_lost, health_lost by measure, activity_lost by unit)`` over the fallen services."""
    acc = accounts(tower)
    lost = fell_frac * activity[fell_idx]
    spend = float(np.sum(lost * acc.tariff[fell_idx]))
    by_unit = np.bincount(acc.unit_code[fell_idx], weights=lost, minlength=len(acc.units))
    activity_by_unit = {
        acc.units[c]: float(by_unit[c]) for c in np.unique(acc.unit_code[fell_idx]).tolist()
    }
    health: dict[str, float] = {}
    if acc.measures:
        code = acc.measure_code[fell_idx]
        has = code >= 0
        sums = np.bincount(
            code[has], weights=(lost * acc.health[fell_idx])[has], minlength=len(acc.measures)
        )
        health = {m: float(v) for m, v in zip(acc.measures, sums)}
    return spend, health, activity_by_unit


def net_monetary_benefit(
    qalys: float, cost: float, wtp: float = NICE_WTP[0], *, money_unit: float = 1.0
) -> float:
    """Net monetary benefit ``λ·ΔE/money_unit − ΔC`` [Stinnett1998]_.

    Parameters
    ----------
    qalys : float
        Health gained ``ΔE`` (QALYs; negative for health lost).
    cost : float
        Extra cost ``ΔC``, in the tower's money unit.
    wtp : float
        Willingness to pay ``λ`` in £ per QALY; default £20,000, the lower end of
        NICE's range (:data:`NICE_WTP`) [NICE2013]_.
    money_unit : float
        Pounds in one unit of the tower's money (``1e6`` when money is in £ millions,
        as in the worked economy).

    Returns
    -------
    float
        In the tower's money unit. Positive: worth doing at that willingness to pay.

    Examples
    --------
    >>> net_monetary_benefit(50, 0.8, 20_000, money_unit=1e6)  # 50 QALYs for £0.8 m
    0.19999999999999996
    """
    q = finite_float(qalys, "qalys", InvalidTowerError)
    c = finite_float(cost, "cost", InvalidTowerError)
    lam = finite_float(wtp, "wtp (willingness to pay per QALY)", InvalidTowerError, nonneg=True)
    unit = finite_float(money_unit, "money_unit", InvalidTowerError, nonneg=True)
    if unit == 0:
        raise InvalidTowerError("money_unit must be > 0 (pounds in one unit of money)")
    return lam * q / unit - c


def health_value(outcome: Outcome, wtp: float = NICE_WTP[0], *, money_unit: float = 1.0) -> float:
    """The money value of the QALYs an outcome loses: ``λ·Σ QALYs lost / money_unit``.

    Only the ``"QALY"`` measure is valued; other named outcomes have no price here.
    """
    lost: Mapping[str, float] = outcome.health_lost
    return -net_monetary_benefit(-lost.get(DEFAULT_MEASURE, 0.0), 0.0, wtp, money_unit=money_unit)
