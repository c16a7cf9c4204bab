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

    net_t = Σ_s (1 − x_{s,t}) a_s p_s − r Σ_s (1 − x_{s,t+R}) a_s p_s − G_t,

payments released from the old provider minus the cost of the new capacity
(``R = ramp_years``; the schedule's last year is held beyond its end) minus
the transitional funding ``G_t`` they pay that year.

With ``shed_lag = 0``, no funding and ``reserves="yearly"`` each year's outcome
is exactly ``tower.cascade(x_t)`` until something falls (the static model is
the limit of the timeline with no lags; a test checks it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._checks import check_count, check_nonneg
from .._results import Provenance, Result
from ..errors import InvalidParameterError
from ..tower import Tower

__all__ = [
    "Timeline",
    "TimelineParams",
    "required_funding",
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

    @property
    def reprovided(self) -> bool | None:
        """Every moved service stood in the new tower every year (``None`` without a new tower)."""
        if "unprovided" not in self.years:
            return None
        return bool((self.years["unprovided"] <= 0).all() and not any(self.years["new_fell"]))

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


class _Run:
    """The state a timeline carries from year to year: what is gone, who failed, reserves."""

    def __init__(self, tower: Tower, plan: np.ndarray, prm: TimelineParams) -> None:
        self.tower, self.plan, self.prm = tower, plan, prm
        svc = [tower.services[s] for s in tower.ids]
        self.a = np.array([s.activity for s in svc])
        self.p = np.array([s.tariff for s in svc])
        self.f = np.array([s.fixed_cost for s in svc])
        self.prov = [s.provider for s in svc]
        n = plan.shape[0]
        # the first year each service is planned empty: its fixed cost lingers from then
        self.emptied = np.full(len(tower), -1)
        for j in np.flatnonzero((plan == 0.0).any(axis=0)):
            self.emptied[j] = int(np.flatnonzero(plan[:, j] == 0.0)[0])
        self.base_res = {pid: pr.reserves for pid, pr in tower.providers.items()}
        self.reserves = dict(self.base_res)
        self.gone = np.zeros(len(tower), dtype=bool)
        self.failed_in: dict = {}
        self.fell_in: dict = {}
        self.years = n

    def stranded(self, t: int) -> dict:
        lag = self.prm.shed_lag
        lagged = (self.emptied >= 0) & (self.emptied <= t) & (t < self.emptied + lag)
        out: dict = {}
        for j in np.flatnonzero(lagged):
            q = self.prov[j]
            if q is not None and q not in self.failed_in:
                out[q] = out.get(q, 0.0) + self.f[j]
        return out

    def cascade(self, t: int, funding: Mapping) -> tuple:
        """This year's cascade with ``funding`` (provider -> £) added to reserves; no state change."""
        x = self.plan[t].copy()
        x[self.gone] = 0.0
        stranded = self.stranded(t)
        changes = {}
        for pid, pr in self.tower.providers.items():
            res = self.reserves[pid] + funding.get(pid, 0.0)
            over = pr.overhead + stranded.get(pid, 0.0)
            if res != pr.reserves or over != pr.overhead:
                changes[pid] = {"reserves": res, "overhead": over}
        tower_t = self.tower.replace(providers=changes) if changes else self.tower
        return tower_t.cascade(dict(zip(self.tower.ids, x.tolist()))), stranded

    def step(self, t: int, funding: Mapping) -> tuple:
        """Run year ``t`` and carry its falls, failures and reserves forward."""
        out, stranded = self.cascade(t, funding)
        new_fell = [s for s in out.fell if s not in self.fell_in]
        for s in new_fell:
            self.fell_in[s] = t
        new_failed = [q for q in out.failed_providers if q not in self.failed_in]
        for q in new_failed:
            self.failed_in[q] = t
        idx = self.tower.index
        for s in out.fell:
            self.gone[idx[s]] = True
        for q in self.failed_in:
            for s in self.tower.services_of(q):
                self.gone[idx[s]] = True
        if self.prm.reserves == "stock":
            for pid in self.tower.providers:
                if pid not in self.failed_in:
                    self.reserves[pid] = min(self.base_res[pid], max(0.0, out.balances[pid]))
        moved = 1.0 - self.plan[t]
        ahead = 1.0 - self.plan[min(t + self.prm.ramp_years, self.years - 1)]
        released = float(np.sum(moved * self.a * self.p))
        new_cost = float(self.prm.reprovision_share * np.sum(ahead * self.a * self.p))
        row = {
            "fell": tuple(new_fell),
            "failed": tuple(new_failed),
            "value_lost": float(out.value_lost),
            "stranded": float(sum(stranded.values())),
            "funding": float(sum(funding.values())),
            "released": released,
            "new_cost": new_cost,
            "net": released - new_cost - float(sum(funding.values())),
        }
        for pid in self.tower.providers:
            row[f"balance[{pid}]"] = (
                float(out.balances[pid]) if self.failed_in.get(pid, t) >= t else float("nan")
            )
        return out, row

    def result(self, rows: list, outcomes: list, method: str, extra: dict) -> Timeline:
        years = pd.DataFrame(rows)
        years.index.name = "year"
        years["cumulative_net"] = years["net"].cumsum()
        neg = np.flatnonzero(years["cumulative_net"].to_numpy() < 0)
        if neg.size == 0:
            break_even = 0
        elif neg[-1] == self.years - 1:
            break_even = None
        else:
            break_even = int(neg[-1] + 1)
        return Timeline(
            years,
            dict(self.failed_in),
            dict(self.fell_in),
            not self.fell_in and not self.failed_in,
            break_even,
            tuple(outcomes),
            Provenance(method, {**dataclasses.asdict(self.prm), "years": self.years, **extra}),
        )


def _start(tower: Tower, schedule, params: TimelineParams | None) -> _Run:
    if not isinstance(tower, Tower):
        raise InvalidParameterError(f"tower must be a Tower, got {type(tower).__name__}")
    prm = params or TimelineParams()
    frame = _schedule_frame(tower, schedule)
    plan = np.ones((len(frame), len(tower)))
    plan[:, [tower.index[c] for c in frame.columns]] = frame.to_numpy(dtype=float)
    return _Run(tower, plan, prm)


def transition_timeline(
    tower: Tower,
    schedule,
    params: TimelineParams | None = None,
    funding: Mapping | None = None,
    new_tower: Tower | None = None,
) -> Timeline:
    """Run a schedule year by year (module docstring).

    Parameters
    ----------
    tower : Tower
    schedule : mapping or DataFrame
        Remaining fraction of each scheduled service per year (unscheduled services stay at 1).
    params : TimelineParams, optional
    funding : mapping, optional
        Provider -> £ per year (one number for every year, or one per year), e.g. the
        ``profile`` of :func:`required_funding`.
    new_tower : Tower, optional
        The new model closer to home. A service of the old tower whose id is also in
        ``new_tower`` is re-provided there at the share that has moved out; services only in
        the new tower stand from the start. Each year the new tower is cascaded too: a moved
        service whose supports in the new tower do not yet stand falls there, and its moved
        activity is *not re-provided* that year (columns ``new_fell``, ``unprovided``, £ of
        spend ``a · p`` moved but not re-provided; :attr:`Timeline.reprovided`).

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
    run = _start(tower, schedule, params)
    fund = _as_profile(funding, tower, run.years)
    if new_tower is not None and not isinstance(new_tower, Tower):
        raise InvalidParameterError(f"new_tower must be a Tower, got {type(new_tower).__name__}")
    shared = [] if new_tower is None else [s for s in new_tower.ids if s in tower.index]
    rows, outcomes = [], []
    for t in range(run.years):
        out, row = run.step(t, {pid: float(v[t]) for pid, v in fund.items()})
        if new_tower is not None:
            moved = {s: 1.0 - float(run.plan[t, tower.index[s]]) for s in shared}
            new_out = new_tower.cascade(moved)
            unprovided = sum(
                moved[s] * tower.services[s].activity * tower.services[s].tariff
                for s in new_out.fell
                if s in moved
            )
            row["new_fell"] = tuple(s for s in new_out.fell if moved.get(s, 1.0) > 0)
            row["unprovided"] = float(unprovided)
        outcomes.append(out)
        rows.append(row)
    extra = {"funded": sorted(map(str, fund)), "new_tower": new_tower is not None}
    return run.result(rows, outcomes, "transition_timeline", extra)


def required_funding(
    tower: Tower, schedule, params: TimelineParams | None = None
) -> tuple[pd.DataFrame, Timeline]:
    """The least transitional funding, year by year and provider by provider, that keeps every provider viable.

    Year by year: the funding a provider needs is its deficit ``max(0, −(Σ margins + R − F))``
    in that year's state (with lagged fixed costs and, under ``reserves="stock"``, the reserves
    left by earlier years). Funding cannot hold up a service whose support rule fails: if
    the schedule topples services through the rules, the returned timeline says so.

    Returns
    -------
    profile : pandas.DataFrame
        Rows years, columns providers: £ per year.
    timeline : Timeline
        The schedule run with that profile (``timeline.safe`` unless rules topple something).

    Examples
    --------
    >>> from jenga_games.commissioning import finance_tower
    >>> t = finance_tower()
    >>> profile, tl = required_funding(t, schedule_from_order(t, t.ids, 2))
    >>> tl.safe, round(float(profile["hospital"].max()), 6)
    (True, 5.0)
    """
    run = _start(tower, schedule, params)
    # reserves so large that no provider can fail on money (balance >= big − Σf − F − |margins|)
    big = (
        1.0
        + sum(pr.overhead for pr in tower.providers.values())
        + float(np.sum(run.a * run.p + run.f))
    )
    rows, outcomes, need_rows = [], [], []
    for t in range(run.years):
        trial, _ = run.cascade(t, {pid: big for pid in tower.providers})
        need = {
            pid: max(0.0, -(float(trial.balances[pid]) - big))
            for pid in tower.providers
            if pid not in run.failed_in
        }
        out, row = run.step(t, need)
        outcomes.append(out)
        rows.append(row)
        need_rows.append({pid: need.get(pid, 0.0) for pid in tower.providers})
    profile = pd.DataFrame(need_rows, columns=list(tower.providers))
    profile.index.name = "year"
    return profile, run.result(rows, outcomes, "required_funding", {})


def static_outcomes(tower: Tower, schedule) -> tuple:
    """Each year's state cascaded on its own (comparative statics: no memory, no lags)."""
    frame = _schedule_frame(tower, schedule)
    return tuple(
        tower.cascade(dict(zip(frame.columns, row))) for row in frame.to_numpy(dtype=float)
    )
