"""Transitions on a timeline: activity moves year by year, fixed costs are shed late, failure is final.

The static models (:func:`jenga_games.commissioning.money_follows_patients`,
``Tower.cascade`` of one state) ask "is the provider viable *if* this much has
moved?", one point at a time, so a provider can "fail" at one point and be
healthy again at the next once a ward closes. In time it cannot: a provider
that fails in a year stays failed. Monitor (2015) :cite:`Monitor2015`:
schemes that move care closer to home rarely break even within five years,
because fixed costs are shed late and the new service runs beside the old one.

Each year ``t`` of a *schedule* (the share of each service's activity still in
the old tower) the tower is cascaded with DESIGN §1's money rule, with three
changes that only time brings:

* **lagged shedding**: a service emptied in year ``t₀`` still costs its provider
  its fixed cost ``f`` in years ``t₀ … t₀ + L − 1`` (``shed_lag = L``; 0 is the
  static rule, where a closed service sheds ``f`` at once);
* **absorbing failure**: services that fell and every service of a provider that
  failed stay gone in later years;
* **transitional funding**: a time profile of £ per year to each provider, added
  to its reserves in that year;

and, on the commissioners' side, **double running**: the new service is paid for
``ramp_years`` before activity moves (capacity built ahead of demand), at a
share ``r`` of the old tariff (``reprovision_share``; ``r > 1`` allowed: Imison
et al. 2017 :cite:`Imison2017` found 6 of 27 schemes likely to raise total cost).
Commissioners' net saving in year ``t`` is

    net_t = Σ_s (1 − x_{s,t}) a_s p_s − r Σ_s (1 − x_{s,t+R}) a_s p_s,

payments released from the old provider minus the cost of the new capacity
(``R = ramp_years``; the schedule's last year is held beyond its end).

With ``shed_lag = 0``, no funding and ``reserves="yearly"`` each year's outcome
is exactly ``tower.cascade(x_t)`` until something falls (the static model is
the limit of the timeline with no lags; a test checks it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._results import Provenance, Result
from ..commissioning._common import InvalidParameterError, check_count, check_nonneg
from ..tower import Tower

__all__ = [
    "Timeline",
    "TimelineParams",
    "schedule_from_order",
    "static_outcomes",
    "transition_timeline",
]


@dataclasses.dataclass(frozen=True)
class TimelineParams:
    """How time changes the money rule.

    Attributes
    ----------
    shed_lag : int
        ``L``: years a service's fixed cost stays after its activity has all moved
        (default 0, the static rule; Monitor 2015 :cite:`Monitor2015` suggests several
        years for a site; any value is an assumption).
    ramp_years : int
        ``R``: years the new service is paid for before activity moves (default 0).
    reprovision_share : float
        ``r``: cost of re-providing a moved unit, as a share of the old tariff (default
        0.5, as :class:`jenga_games.commissioning.FinanceParams`; may exceed 1).
    reserves : str
        ``"yearly"`` (default): each provider has its reserves ``R`` again every year, as
        in the static rule; ``"stock"``: reserves drawn in a deficit year are gone, and
        refill from later surpluses only up to their starting level.
    """

    shed_lag: int = 0
    ramp_years: int = 0
    reprovision_share: float = 0.5
    reserves: str = "yearly"

    def __post_init__(self) -> None:
        o = "TimelineParams"
        check_count(self.shed_lag, "shed_lag", o, minimum=0)
        check_count(self.ramp_years, "ramp_years", o, minimum=0)
        check_nonneg(self.reprovision_share, "reprovision_share", o)
        if self.reserves not in ("yearly", "stock"):
            raise InvalidParameterError(
                f"{o}: reserves must be 'yearly' or 'stock', got {self.reserves!r}"
            )


def _schedule_frame(tower: Tower, schedule) -> pd.DataFrame:
    """Validate a schedule into a frame: index year 0.., columns service ids, remaining fractions."""
    if isinstance(schedule, pd.DataFrame):
        frame = schedule.copy()
    elif isinstance(schedule, Mapping):
        try:
            frame = pd.DataFrame({k: list(v) for k, v in schedule.items()})
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                "schedule: give each service a sequence of remaining fractions, one per year, "
                f"all of one length ({exc})"
            ) from None
    else:
        raise InvalidParameterError(
            "schedule must be a mapping service -> remaining fraction per year, or a DataFrame "
            f"(rows years, columns services); got {type(schedule).__name__}"
        )
    if frame.empty:
        raise InvalidParameterError("schedule is empty; give at least one service and one year")
    cols = [tower.service(c).id for c in frame.columns]
    frame.columns = cols
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError("schedule: every fraction must be a number in [0, 1]") from None
    if not np.all(np.isfinite(values)) or values.min() < 0 or values.max() > 1:
        raise InvalidParameterError(
            "schedule: every fraction must lie in [0, 1] (1 = all activity in place, 0 = all moved)"
        )
    rising = np.flatnonzero((np.diff(values, axis=0) > 0).any(axis=0))
    if rising.size:
        raise InvalidParameterError(
            f"schedule: activity of {cols[int(rising[0])]!r} returns to the old tower in a later "
            "year; a schedule only moves activity out (fractions must not increase)"
        )
    frame.index = pd.RangeIndex(len(frame), name="year")
    return frame


def schedule_from_order(
    tower: Tower, order: Sequence[Hashable], years_per_service: int = 1, horizon: int | None = None
) -> pd.DataFrame:
    """A schedule that empties the services of ``order`` one after another.

    Service ``k`` loses its activity linearly over years ``k d … (k + 1) d − 1``
    (``d = years_per_service``); the schedule runs ``horizon`` years (default: until the
    last one is empty).

    Examples
    --------
    >>> from jenga_games.commissioning import finance_tower
    >>> schedule_from_order(finance_tower(), ["ward1", "ward2"], 2).round(2).to_dict("list")
    {'ward1': [0.5, 0.0, 0.0, 0.0], 'ward2': [1.0, 1.0, 0.5, 0.0]}
    """
    d = check_count(years_per_service, "years_per_service", "schedule_from_order")
    ids = [tower.service(s).id for s in order]
    if len(set(ids)) != len(ids):
        raise InvalidParameterError("schedule_from_order: a service appears twice in the order")
    n = len(ids) * d if horizon is None else check_count(horizon, "horizon", "schedule_from_order")
    years = np.arange(n)
    cols = {}
    for k, sid in enumerate(ids):
        done = np.clip((years - k * d + 1) / d, 0.0, 1.0)
        cols[sid] = 1.0 - done
    frame = pd.DataFrame(cols)
    frame.index = pd.RangeIndex(n, name="year")
    return frame


@dataclasses.dataclass(frozen=True, repr=False)
class Timeline(Result):
    """A transition year by year.

    Attributes
    ----------
    years : pandas.DataFrame
        Per year: ``fell`` (services that fell unplanned that year), ``failed`` (providers
        that failed that year), ``value_lost`` (£ of contribution ``a(p − c)`` of what fell),
        ``stranded`` (£ of lagged fixed cost), ``funding`` (£),
        ``released``, ``new_cost``, ``net`` and ``cumulative_net`` (commissioners, £), and a
        column ``balance[P]`` per provider (£; ``nan`` once it has failed).
    failed_in : dict
        Provider -> the year it failed (absorbing).
    fell_in : dict
        Service -> the year it fell unplanned (absorbing).
    safe : bool
        Nothing fell unplanned in any year.
    break_even_year : int or None
        First year from which commissioners' cumulative net saving stays ``>= 0``
        (``None`` if it never does within the schedule).
    outcomes : tuple of Outcome
        The cascade of each year.
    provenance : Provenance
    """

    years: pd.DataFrame
    failed_in: dict
    fell_in: dict
    safe: bool
    break_even_year: int | None
    outcomes: tuple
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"Timeline({len(self.years)} years, safe={self.safe}, failed_in={self.failed_in}, "
            f"break_even_year={self.break_even_year})"
        )


def _as_profile(funding, tower: Tower, n: int) -> dict:
    if funding is None:
        return {}
    if not isinstance(funding, Mapping):
        raise InvalidParameterError(
            "funding must be a mapping provider -> £ per year (a number, or one per year)"
        )
    out = {}
    for pid, amount in funding.items():
        if pid not in tower.providers:
            raise InvalidParameterError(
                f"funding names unknown provider {pid!r}; providers are {list(tower.providers)}"
            )
        arr = (
            np.broadcast_to(np.asarray(amount, dtype=float), (n,))
            if np.ndim(amount) == 0
            else np.asarray(amount, dtype=float)
        )
        if arr.shape != (n,) or not np.all(np.isfinite(arr)) or arr.min() < 0:
            raise InvalidParameterError(
                f"funding[{pid!r}] must be one number >= 0 or {n} of them (one per year)"
            )
        out[pid] = arr
    return out


def transition_timeline(
    tower: Tower,
    schedule,
    params: TimelineParams | None = None,
    funding: Mapping | None = None,
) -> Timeline:
    """Run a schedule year by year (module docstring).

    Parameters
    ----------
    tower : Tower
    schedule : mapping or DataFrame
        Remaining fraction of each scheduled service per year (unscheduled services stay at 1).
    params : TimelineParams, optional
    funding : mapping, optional
        Provider -> £ per year (one number for every year, or one per year).

    Examples
    --------
    >>> from jenga_games.commissioning import finance_tower
    >>> t = finance_tower()
    >>> plan = schedule_from_order(t, t.ids, 2)  # each ward emptied over two years
    >>> transition_timeline(t, plan).failed_in  # half a ward's contribution exceeds the headroom
    {'hospital': 0}
    >>> transition_timeline(t, plan, funding={"hospital": 5.5}).safe
    True
    >>> transition_timeline(t, plan, TimelineParams(shed_lag=1), funding={"hospital": 5.5}).failed_in
    {'hospital': 1}
    """
    if not isinstance(tower, Tower):
        raise InvalidParameterError(f"tower must be a Tower, got {type(tower).__name__}")
    prm = params or TimelineParams()
    frame = _schedule_frame(tower, schedule)
    n = len(frame)
    fund = _as_profile(funding, tower, n)
    plan = np.ones((n, len(tower)))
    idx = [tower.index[c] for c in frame.columns]
    plan[:, idx] = frame.to_numpy(dtype=float)
    svc = [tower.services[s] for s in tower.ids]
    a = np.array([s.activity for s in svc])
    p = np.array([s.tariff for s in svc])
    f = np.array([s.fixed_cost for s in svc])
    prov = [s.provider for s in svc]
    # first year each service is planned empty (it had activity before): its lagged fixed cost
    emptied = np.full(len(tower), -1)
    for j in idx:
        zero = np.flatnonzero(plan[:, j] == 0.0)
        if zero.size:
            emptied[j] = int(zero[0])
    base_res = {pid: pr.reserves for pid, pr in tower.providers.items()}
    reserves = dict(base_res)
    gone = np.zeros(len(tower), dtype=bool)
    failed_in: dict = {}
    fell_in: dict = {}
    rows, outcomes = [], []
    for t in range(n):
        x = plan[t].copy()
        x[gone] = 0.0
        lagged = (emptied >= 0) & (emptied <= t) & (t < emptied + prm.shed_lag)
        stranded = {}
        for j in np.flatnonzero(lagged):
            if prov[j] is not None and prov[j] not in failed_in:
                stranded[prov[j]] = stranded.get(prov[j], 0.0) + f[j]
        changes = {}
        for pid, pr in tower.providers.items():
            extra = fund[pid][t] if pid in fund else 0.0
            res = reserves[pid] + extra
            over = pr.overhead + stranded.get(pid, 0.0)
            if res != pr.reserves or over != pr.overhead:
                changes[pid] = {"reserves": res, "overhead": over}
        tower_t = tower.replace(providers=changes) if changes else tower
        out = tower_t.cascade(dict(zip(tower.ids, x.tolist())))
        outcomes.append(out)
        new_fell = [s for s in out.fell if s not in fell_in]
        for s in new_fell:
            fell_in[s] = t
        new_failed = [q for q in out.failed_providers if q not in failed_in]
        for q in new_failed:
            failed_in[q] = t
        for s in out.fell:
            gone[tower.index[s]] = True
        for q in failed_in:
            for s in tower.services_of(q):
                gone[tower.index[s]] = True
        if prm.reserves == "stock":
            for pid in tower.providers:
                if pid not in failed_in:
                    reserves[pid] = min(base_res[pid], max(0.0, out.balances[pid]))
        moved = 1.0 - plan[t]
        ahead = 1.0 - plan[min(t + prm.ramp_years, n - 1)]
        released = float(np.sum(moved * a * p))
        new_cost = float(prm.reprovision_share * np.sum(ahead * a * p))
        row = {
            "fell": tuple(new_fell),
            "failed": tuple(new_failed),
            "value_lost": float(out.value_lost),
            "stranded": float(sum(stranded.values())),
            "funding": float(sum(v[t] for v in fund.values())),
            "released": released,
            "new_cost": new_cost,
            "net": released - new_cost,
        }
        for pid in tower.providers:
            row[f"balance[{pid}]"] = (
                float(out.balances[pid]) if failed_in.get(pid, t) >= t else float("nan")
            )
        rows.append(row)
    years = pd.DataFrame(rows)
    years.index.name = "year"
    years["cumulative_net"] = years["net"].cumsum()
    neg = np.flatnonzero(years["cumulative_net"].to_numpy() < 0)
    if neg.size == 0:
        break_even = 0
    elif neg[-1] == n - 1:
        break_even = None
    else:
        break_even = int(neg[-1] + 1)
    return Timeline(
        years,
        failed_in,
        fell_in,
        not fell_in and not failed_in,
        break_even,
        tuple(outcomes),
        Provenance(
            "transition_timeline",
            {**dataclasses.asdict(prm), "years": n, "funded": sorted(map(str, fund))},
        ),
    )


def static_outcomes(tower: Tower, schedule) -> tuple:
    """Each year's state cascaded on its own (comparative statics: no memory, no lags)."""
    frame = _schedule_frame(tower, schedule)
    return tuple(
        tower.cascade(dict(zip(frame.columns, row))) for row in frame.to_numpy(dtype=float)
    )
