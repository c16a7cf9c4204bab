"""Money follows patients: cash released against activity moved out of hospital.

The essays' claim: when activity moves out of hospital (diabetes care into
GP surgeries, say) the hospital saves only its marginal cost (a few
prescriptions, some staff time, "hotel" costs); real money comes out only
when whole wards or services close. We make it computable.

Model (DESIGN §1 accounting). A provider runs services ``i`` with activity
``a_i``, tariff ``p_i``, variable cost ``c_i`` and fixed cost ``f_i``; its
headroom is ``H = Σ_i (a_i (p_i − c_i) − f_i) + R − F``. A commissioner moves
activity out, service by service in a given order, each emptied before the
next starts. With ``m`` units of service ``i`` moved (``0 <= m <= a_i``):

* the commissioner stops paying ``p_i m`` (the money that follows patients);
* the cost actually taken out of the hospital (*cash released*) is
  ``c_i m`` while the service stays open and jumps by ``f_i`` when it closes
  (``m = a_i``): a step function of activity moved;
* the provider's surplus falls by ``(p_i − c_i) m`` and rises by ``f_i`` on
  closure;
* re-providing the activity elsewhere costs ``r p_i m`` (``r`` the
  re-provision share), so the system's net saving is cash released minus that.

Step points: service ``i`` stops covering its fixed cost once its remaining
activity is below ``f_i / (p_i − c_i)``, i.e. at ``m_i^s = a_i − f_i/(p_i − c_i)``
moved; the provider becomes unviable where its surplus first drops below 0,
at ``m^P = H_before / (p_i − c_i)`` into the service being drained. Every grid
point is also cascaded through the tower (``Tower.cascade``), so what falls
(dependants, other providers) comes from the tower engine, and the analytic
provider point is cross-checked against it in the tests.

Defaults (:class:`FinanceParams`) use a variable share of 30%, the
marginal-rate emergency tariff's estimate of what extra emergency activity
costs :cite:`MarginalRateTariff`; Imison et al. (2017) and Monitor (2015)
report that out-of-hospital schemes rarely save money unless a site or
service closes :cite:`Imison2017,Monitor2015`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
import sympy as sp

from .._results import Provenance, Result
from ..errors import UnknownItemError
from ..tolerance import TOL, geq
from ..tower import Provider, Service, Tower
from ..tower.engine import unviable
from ..tower.thresholds import movable_units
from ._common import InvalidParameterError, check_count, check_nonneg, check_prob

__all__ = [
    "FinanceParams",
    "FinanceSymbolic",
    "MoneyFollowsPatients",
    "finance_symbolic",
    "finance_tower",
    "money_follows_patients",
]


@dataclasses.dataclass(frozen=True)
class FinanceParams:
    """A hospital of identical services (wards) for the stand-alone finance model.

    Attributes
    ----------
    n_services : int
        Number of services (wards) the hospital runs (default 4).
    activity : float
        Admissions per service per year, thousands (default 7: a medical ward
        group of about 7,000 admissions).
    tariff : float
        £ thousands per admission (default 2.0, acute medicine in the worked economy).
    variable_share : float
        ``c / p``: the share of the tariff saved per admission moved (default
        0.3, the marginal-rate emergency tariff :cite:`MarginalRateTariff`).
    contribution_share : float
        ``m``: full margin ``a(p − c) − f = m a p`` of each service (default 0.05).
    reserves : float
        ``R``, £ m (default 1.0).
    headroom : float
        ``H``, £ m by which the intact hospital covers its overhead (default 2.0,
        about 1% of income, the size of a typical trust surplus).
    reprovision_share : float
        Cost of providing a moved admission elsewhere, as a share of the tariff
        (default 0.5; an assumption: community schemes cost less per unit but
        not nothing, Monitor 2015 :cite:`Monitor2015`).
    """

    n_services: int = 4
    activity: float = 7.0
    tariff: float = 2.0
    variable_share: float = 0.3
    contribution_share: float = 0.05
    reserves: float = 1.0
    headroom: float = 2.0
    reprovision_share: float = 0.5

    def __post_init__(self) -> None:
        owner = "FinanceParams"
        check_count(self.n_services, "n_services", owner)
        for name in ("activity", "tariff", "reserves", "headroom", "reprovision_share"):
            check_nonneg(getattr(self, name), name, owner)
        check_prob(self.variable_share, "variable_share", owner)
        check_prob(self.contribution_share, "contribution_share", owner)
        if self.variable_share + self.contribution_share > 1 + TOL:
            raise InvalidParameterError(
                f"FinanceParams: variable_share + contribution_share = "
                f"{self.variable_share + self.contribution_share} exceeds 1, which makes the fixed "
                "cost negative; lower one of them"
            )
        if (
            self.headroom
            > self.reserves
            + self.n_services * self.contribution_share * self.activity * self.tariff
            + TOL
        ):
            raise InvalidParameterError(
                "FinanceParams: headroom exceeds reserves plus the services' margins, so the overhead "
                "would be negative; lower headroom or raise contribution_share"
            )


def finance_tower(params: FinanceParams | None = None) -> Tower:
    """The single-provider tower of :class:`FinanceParams` (services ``ward1..wardN``, no supports).

    Each service has ``c = v p`` and ``f = (1 − v − m) a p``; the provider's
    overhead is ``F = N m a p + R − H`` so that its headroom intact is ``H``.
    """
    prm = params or FinanceParams()
    a, p, v, m = prm.activity, prm.tariff, prm.variable_share, prm.contribution_share
    services = [
        Service(
            f"ward{i + 1}",
            provider="hospital",
            activity=a,
            tariff=p,
            variable_cost=v * p,
            fixed_cost=max(0.0, (1 - v - m) * a * p),
            setting="acute",
            layer=0,
        )
        for i in range(prm.n_services)
    ]
    overhead = max(0.0, prm.n_services * m * a * p + prm.reserves - prm.headroom)
    return Tower(
        services,
        (),
        [Provider("hospital", overhead=overhead, reserves=prm.reserves)],
        name="hospital (finance model)",
    )


@dataclasses.dataclass(frozen=True, repr=False)
class MoneyFollowsPatients(Result):
    """Cash released against activity moved (see the module docstring).

    Attributes
    ----------
    provider : hashable
        The provider whose services were drained.
    order : tuple
        The services, in the order they were emptied.
    curve : pandas.DataFrame
        One row per grid point: ``moved`` (units), ``payment_saved`` (``Σ p m``),
        ``cash_released`` (``Σ c m`` + fixed costs of closed services),
        ``reprovision_cost``, ``net_saving``, ``provider_surplus`` (analytic),
        ``fell`` (services fallen unplanned in the tower cascade),
        ``provider_failed`` (the provider failed in the cascade).
    steps : pandas.DataFrame
        The step points: ``kind`` (``"service_unviable"``, ``"service_closed"``,
        ``"provider_unviable"``), ``service``, ``moved``, ``cash_released``.
    headroom : float
        The provider's surplus intact, ``Σ full margins + R − F``.
    marginal_share : float
        Cash released per unit of payment saved before anything closes,
        ``Σ c a / Σ p a`` over the drained services.
    first_fall : float or None
        Activity moved at the first grid point where the tower cascade drops
        anything unplanned (``None`` if nothing fell).
    provenance : Provenance
    """

    provider: Hashable
    order: tuple
    curve: pd.DataFrame
    steps: pd.DataFrame
    headroom: float
    marginal_share: float
    first_fall: float | None
    provenance: Provenance

    def provider_unviable_at(self) -> float | None:
        """Activity moved at which the provider's surplus first drops below zero (analytic)."""
        rows = self.steps[self.steps["kind"] == "provider_unviable"]
        return None if rows.empty else float(rows["moved"].iloc[0])

    def __repr__(self) -> str:
        pu = self.provider_unviable_at()
        return (
            f"MoneyFollowsPatients(provider={self.provider!r}, services={len(self.order)}, "
            f"headroom={self.headroom:.4g}, marginal_share={self.marginal_share:.3g}, "
            f"provider_unviable_at={pu if pu is None else round(pu, 4)})"
        )


def _pick_provider(tower: Tower, provider) -> Hashable:
    if provider is not None:
        if provider not in tower.providers:
            raise UnknownItemError(
                f"provider {provider!r} is not in the tower; its providers are {list(tower.providers)}"
            )
        return provider
    if not tower.providers:
        raise InvalidParameterError(
            "the tower has no providers; give services a provider to model its finances"
        )

    def income(pid):
        return sum(
            tower.services[s].activity * tower.services[s].tariff for s in tower.services_of(pid)
        )

    return max(tower.providers, key=income)


def money_follows_patients(
    tower: Tower | None = None,
    *,
    provider: Hashable | None = None,
    order: Sequence | None = None,
    reprovision_share: float | None = None,
    points_per_service: int = 20,
    params: FinanceParams | None = None,
) -> MoneyFollowsPatients:
    """Cash released by moving a provider's activity out, service by service.

    Parameters
    ----------
    tower : Tower, optional
        Default: :func:`finance_tower` of ``params``.
    provider : hashable, optional
        Whose services to drain (default: the provider with the largest income).
    order : sequence of service ids, optional
        Services of that provider in the order they are emptied (default: all
        of its services, least critical and highest in the tower first: by
        ``critical`` then descending ``layer`` then tower order; a tower
        without layers counts height by dependants instead, fewest first, so
        what nothing rests on goes before what holds others up).
    reprovision_share : float, optional
        Cost of re-providing a moved unit elsewhere, share of its tariff
        (default ``params.reprovision_share``).
    points_per_service : int
        Grid points inside each service's segment (the step points are added exactly).
    params : FinanceParams, optional

    Returns
    -------
    MoneyFollowsPatients

    Examples
    --------
    >>> r = money_follows_patients()
    >>> round(r.marginal_share, 2)
    0.3
    >>> round(r.provider_unviable_at(), 4)  # thousand admissions: H / (p - c) = 2 / 1.4
    1.4286
    """
    prm = params or FinanceParams()
    tower = finance_tower(prm) if tower is None else tower
    if not isinstance(tower, Tower):
        raise InvalidParameterError(f"tower must be a Tower, got {type(tower).__name__}")
    r = (
        prm.reprovision_share
        if reprovision_share is None
        else check_nonneg(reprovision_share, "reprovision_share", "money_follows_patients")
    )
    npts = check_count(
        points_per_service, "points_per_service", "money_follows_patients", minimum=2
    )
    pid = _pick_provider(tower, provider)
    own = tower.services_of(pid)
    if order is None:
        pos = {s: i for i, s in enumerate(tower.ids)}
        if any(tower.services[s].layer is not None for s in own):
            height = {s: -(tower.services[s].layer or 0) for s in own}
        else:  # no layers: "top down" = fewest dependants first (e.g. pathology last)
            height = {s: len(tower.dependants(s)) for s in own}
        order = sorted(own, key=lambda s: (tower.services[s].critical, height[s], pos[s]))
    else:
        order = list(order)
        bad = [s for s in order if s not in own]
        if bad:
            raise InvalidParameterError(
                f"services {bad} in order are not run by provider {pid!r}; its services are {list(own)}"
            )
        if len(set(order)) != len(order):
            raise InvalidParameterError("order lists a service twice; list each service once")
    if not order:
        raise InvalidParameterError(f"provider {pid!r} runs no services; there is nothing to move")
    # The money rule of the compiled tower (DESIGN §1) gives every balance and margin here:
    # drained services are removed as planned, the one being drained runs at a fraction.
    ct = tower.compiled
    j = list(tower.providers).index(pid)  # the compiled tower's provider index
    frac = np.ones(ct.n)  # activity left in each service, share of a
    gone = np.zeros(ct.n, dtype=bool)  # services drained and closed

    def balance() -> float:  # the provider's balance B = Σ margins + R − F
        return float(ct.balances(frac, ~gone, gone)[j])

    headroom = balance()  # intact: the provider's headroom

    rows, steps = [], []
    moved0 = pay0 = cash0 = rep0 = 0.0
    x = {}
    scale = ct.balance_scale[j]  # the engine's viability test, scaled by the overhead
    provider_flagged = bool(unviable(headroom, scale))
    if provider_flagged:
        steps.append(("provider_unviable", None, 0.0, 0.0))
    for sid in order:
        i = tower.index[sid]
        s = tower.services[sid]
        a, p, c, f = s.activity, s.tariff, s.variable_cost, s.fixed_cost
        u = float(ct.unit_margin[i])  # p − c
        surplus0 = balance()
        grid = set(np.linspace(0.0, a, npts).tolist())
        # break-even: the service covers its fixed cost while f/(p − c) of its activity remains
        m_s = a - f / u if u > 0 and f / u <= a else 0.0
        steps.append(("service_unviable", sid, moved0 + m_s, cash0 + c * m_s))
        grid.add(m_s)
        if not provider_flagged and u > 0 and unviable(surplus0 - ct.flow[i], scale):
            m_p = movable_units(surplus0, u, a)
            steps.append(("provider_unviable", sid, moved0 + m_p, cash0 + c * m_p))
            grid.update((m_p, min(a, m_p + 1e-6 * max(1.0, a))))
            provider_flagged = True
        for m in sorted(grid):
            closed = geq(m, a)
            x[sid] = 0.0 if closed else (min(1.0, max(0.0, 1.0 - m / a)) if a > 0 else 0.0)
            out = tower.cascade(dict(x))
            frac[i], gone[i] = x[sid], closed
            cash = cash0 + c * m + (f if closed else 0.0)
            rows.append(
                (
                    moved0 + m,
                    pay0 + p * m,
                    cash,
                    rep0 + r * p * m,
                    cash - rep0 - r * p * m,
                    balance(),
                    tuple(out.fell),
                    pid in out.failed_providers,
                )
            )
        steps.append(("service_closed", sid, moved0 + a, cash0 + c * a + f))
        moved0, pay0, cash0, rep0 = moved0 + a, pay0 + p * a, cash0 + c * a + f, rep0 + r * p * a
        x[sid], frac[i], gone[i] = 0.0, 0.0, True
    curve = pd.DataFrame(
        rows,
        columns=[
            "moved",
            "payment_saved",
            "cash_released",
            "reprovision_cost",
            "net_saving",
            "provider_surplus",
            "fell",
            "provider_failed",
        ],
    )
    steps_df = pd.DataFrame(steps, columns=["kind", "service", "moved", "cash_released"])
    steps_df = steps_df.sort_values("moved", kind="stable").reset_index(drop=True)
    fell_rows = curve[(curve["fell"].map(len) > 0) | curve["provider_failed"]]
    first_fall = None if fell_rows.empty else float(fell_rows["moved"].iloc[0])
    pa = sum(tower.services[s].tariff * tower.services[s].activity for s in order)
    ca = sum(tower.services[s].variable_cost * tower.services[s].activity for s in order)
    return MoneyFollowsPatients(
        pid,
        tuple(order),
        curve,
        steps_df,
        float(headroom),
        float(ca / pa) if pa > 0 else 0.0,
        first_fall,
        Provenance("money_follows_patients", {"reprovision_share": r, "points_per_service": npts}),
    )


@dataclasses.dataclass(frozen=True)
class FinanceSymbolic(Result):
    """The one-service finance model as ``sympy`` expressions.

    Symbols: ``a, p, c, f`` (activity, tariff, variable and fixed cost),
    ``R, F`` (reserves, overhead), ``r`` (re-provision share), ``m`` (units moved).

    Attributes
    ----------
    symbols : dict
        name -> sympy Symbol.
    cash_released : sympy expression
        ``Piecewise((c m, m < a), (c a + f, True))``.
    payment_saved, provider_surplus, net_saving : sympy expression
    service_unviable_at : sympy expression
        ``a − f/(p − c)``: units moved at which the service stops covering its fixed cost.
    provider_unviable_at : sympy expression
        ``(a(p − c) − f + R − F)/(p − c)``: units moved at which the provider's surplus reaches 0.
    marginal_to_average : sympy expression
        ``c/(c + f/a)``: the cost saved per unit moved relative to average cost.
    """

    symbols: dict
    cash_released: sp.Expr
    payment_saved: sp.Expr
    provider_surplus: sp.Expr
    net_saving: sp.Expr
    service_unviable_at: sp.Expr
    provider_unviable_at: sp.Expr
    marginal_to_average: sp.Expr

    def subs(self, **values: float) -> dict[str, float]:
        """Evaluate every expression at numbers for the symbols (by name)."""
        table = {self.symbols[k]: sp.nsimplify(v) for k, v in values.items() if k in self.symbols}
        unknown = sorted(set(values) - set(self.symbols))
        if unknown:
            raise UnknownItemError(
                f"unknown symbol(s) {unknown}; the symbols are {sorted(self.symbols)}"
            )
        out = {}
        for name in (
            "cash_released",
            "payment_saved",
            "provider_surplus",
            "net_saving",
            "service_unviable_at",
            "provider_unviable_at",
            "marginal_to_average",
        ):
            e = getattr(self, name).subs(table)
            out[name] = float(e) if not e.free_symbols else e
        return out


def finance_symbolic() -> FinanceSymbolic:
    """The finance model of one service run by one provider, symbolically.

    Examples
    --------
    >>> s = finance_symbolic()
    >>> s.provider_unviable_at
    (-F + R + a*(-c + p) - f)/(-c + p)
    >>> s.subs(a=10, p=2, c=0.6, f=10, R=1, F=4, r=0.5, m=5)["cash_released"]
    3.0
    """
    a, p, c, f, R, F, r, m = sp.symbols("a p c f R F r m", nonnegative=True)
    cash = sp.Piecewise((c * m, m < a), (c * a + f, True))
    surplus = sp.Piecewise((a * (p - c) - f + R - F - (p - c) * m, m < a), (R - F, True))
    return FinanceSymbolic(
        {str(s): s for s in (a, p, c, f, R, F, r, m)},
        cash,
        p * m,
        surplus,
        cash - r * p * m,
        a - f / (p - c),
        (a * (p - c) - f + R - F) / (p - c),
        c / (c + f / a),
    )
