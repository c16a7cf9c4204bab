"""Levels of commissioning: which service at which level, and the cost of reorganising.

The essays' claim: there is no perfect structure; some services are best
commissioned for the individual, some by a neighbourhood, a council, a region
or the nation, and reorganising back and forth between large and local
(fundholding, PCGs, PCTs, practice-based commissioning, CCGs...) costs
morale, productivity and money each time.

Per-head yearly cost of commissioning service ``s`` for populations of size
``P`` (level ``ℓ``) — economies of scale against local fit:

    c(s, ℓ) = K_s / P_ℓ  +  ρ z σ_s / √P_ℓ  +  h_s ln P_ℓ,

the fixed cost ``K_s`` of commissioning it once (specifying, procuring,
monitoring a contract) spread over the population; the cost of capital on
the reserve for its cost risk (:mod:`.risk`: ``z σ_s / √P`` per head, ``σ_s``
the per-person SD of its cost); and the loss of fit when one specification
is imposed on a bigger, more varied population (``h_s`` per head per e-fold).
The best level minimises ``c``; its first-order condition in ``P`` shows why
services with large ``K_s`` or ``σ_s`` go up and services with large ``h_s``
go down.

Reorganisation over ``T`` years, discounted at ``r``: *stay* keeps every
service at its best level; a *pendulum* moves the services it governs
(by default those whose best level is one of its two levels) together between
the two levels every ``period`` years, the others staying at their best. Each reorganisation costs a one-off
``transition_cost`` per head and, for ``disruption_years``, a share
``disruption`` of the value commissioning adds (``value_added`` per head a
year), recovering linearly (morale and productivity). Walshe (2010)
:cite:`Walshe2010`: the 2010 reorganisation cost £2–3 bn (about £45 a head
for 56 m people), and there were 15 or more in 30 years (a period of two years).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from .._results import Provenance, Result
from ._common import (
    InvalidParameterError,
    check_count,
    check_nonneg,
    check_positive,
    check_prob,
)
from .risk import RiskParams

__all__ = [
    "DEFAULT_LEVELS",
    "DEFAULT_SERVICES",
    "Levels",
    "LevelsParams",
    "Reorganisation",
    "best_levels",
    "reorganisation_cost",
]

#: Level -> population (round figures for England: a person; a primary care network
#: neighbourhood of 30–50,000; a council or CCG of about 300,000; a region of 5–6 m; 56 m).
DEFAULT_LEVELS: dict[str, float] = {
    "individual": 1.0,
    "neighbourhood": 40_000.0,
    "council": 300_000.0,
    "regional": 5_500_000.0,
    "national": 56_000_000.0,
}
#: Service -> (K: fixed £ a year to commission it once, σ: £ SD of a person's yearly cost of
#: it, h: £ per head per e-fold of population lost to poor fit). Illustrative, not data.
DEFAULT_SERVICES: dict[str, tuple[float, float, float]] = {
    "personal care budget": (50.0, 40.0, 6.0),
    "community nursing": (200_000.0, 300.0, 4.0),
    "acute hospital care": (2_000_000.0, 4_000.0, 2.8),
    "specialised services": (5_000_000.0, 20_000.0, 1.0),
    "vaccines and screening": (50_000_000.0, 50.0, 0.02),
}


@dataclasses.dataclass(frozen=True)
class LevelsParams:
    """Parameters of the levels model.

    Attributes
    ----------
    levels : dict
        Level name -> population, from smallest to largest (default :data:`DEFAULT_LEVELS`).
    services : dict
        Service -> ``(K, σ, h)`` (default :data:`DEFAULT_SERVICES`).
    risk : RiskParams
        Supplies ``ρ`` (cost of capital) and ``z`` (overspend probability).
    years : int
        Horizon (default 30, Walshe's 30 years).
    discount_rate : float
        Default 0.035, the Green Book rate :cite:`GreenBook2022`.
    transition_cost : float
        One-off £ per head per reorganisation (default 45: £2.5 bn / 56 m :cite:`Walshe2010`).
    value_added : float
        £ per head a year that commissioning adds when it works (default 18, 1% of
        £1,800 :cite:`NHSBudget2012`; an assumption).
    disruption : float
        Share of ``value_added`` lost in the year of a reorganisation (default 0.5).
    disruption_years : int
        Years to recover (linearly; default 2).
    """

    levels: dict = dataclasses.field(default_factory=lambda: dict(DEFAULT_LEVELS))
    services: dict = dataclasses.field(default_factory=lambda: dict(DEFAULT_SERVICES))
    risk: RiskParams = dataclasses.field(default_factory=RiskParams)
    years: int = 30
    discount_rate: float = 0.035
    transition_cost: float = 45.0
    value_added: float = 18.0
    disruption: float = 0.5
    disruption_years: int = 2

    def __post_init__(self) -> None:
        o = "LevelsParams"
        if not self.levels:
            raise InvalidParameterError(
                f"{o}: levels is empty; give at least one level name -> population"
            )
        if not self.services:
            raise InvalidParameterError(
                f"{o}: services is empty; give at least one service -> (K, sigma, h)"
            )
        for name, pop in self.levels.items():
            check_positive(pop, f"levels[{name!r}]", o)
        for name, triple in self.services.items():
            if len(triple) != 3:
                raise InvalidParameterError(
                    f"{o}: services[{name!r}] must be (K, sigma, h), got {triple!r}"
                )
            for lab, x in zip(("K", "sigma", "h"), triple):
                check_nonneg(x, f"services[{name!r}].{lab}", o)
        check_count(self.years, "years", o)
        check_nonneg(self.discount_rate, "discount_rate", o)
        check_nonneg(self.transition_cost, "transition_cost", o)
        check_nonneg(self.value_added, "value_added", o)
        check_prob(self.disruption, "disruption", o)
        check_count(self.disruption_years, "disruption_years", o)


def _cost_table(prm: LevelsParams) -> pd.DataFrame:
    z, rho = prm.risk.z, prm.risk.capital_cost
    rows = {}
    for s, (K, sig, h) in prm.services.items():
        rows[s] = [
            K / P + rho * z * sig / math.sqrt(P) + h * math.log(P) for P in prm.levels.values()
        ]
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(prm.levels))


@dataclasses.dataclass(frozen=True, repr=False)
class Levels(Result):
    """Per-head cost of commissioning each service at each level, and the best level.

    Attributes
    ----------
    cost : pandas.DataFrame
        Services × levels, £ per head a year.
    best : dict
        Service -> its cheapest level.
    saving_vs_single : pandas.Series
        Per-head yearly saving of the best-level mix over putting every service at
        each single level.
    provenance : Provenance
    """

    cost: pd.DataFrame
    best: dict
    saving_vs_single: pd.Series
    provenance: Provenance

    def __repr__(self) -> str:
        return f"Levels(best={self.best})"


def best_levels(params: LevelsParams | None = None) -> Levels:
    """The best level for each service (module docstring).

    Examples
    --------
    >>> best_levels().best["vaccines and screening"]
    'national'
    """
    prm = params or LevelsParams()
    cost = _cost_table(prm)
    best = {s: str(cost.loc[s].idxmin()) for s in cost.index}
    mix = float(cost.min(axis=1).sum())
    saving = cost.sum(axis=0) - mix
    return Levels(cost, best, saving, Provenance("best_levels", {}))


@dataclasses.dataclass(frozen=True, repr=False)
class Reorganisation(Result):
    """Cumulative discounted per-head cost of staying put against reorganising.

    Attributes
    ----------
    yearly : pandas.DataFrame
        Indexed by year ``0..T−1``: per-head cost each year (discounted) under
        ``stay`` (best levels), ``structure`` (the pendulum's levels without any
        transition or disruption cost) and ``pendulum``.
    totals : dict
        Discounted totals per policy.
    reorganisations : int
        Number of reorganisations under the pendulum.
    churn_cost : float
        ``totals["pendulum"] − totals["structure"]``: what the reorganisations themselves cost
        per head (transition and lost productivity).
    misplacement_cost : float
        ``totals["structure"] − totals["stay"]``: the cost of spending half the time at the
        wrong level.
    moved : tuple
        The services the pendulum moves.
    provenance : Provenance
    """

    yearly: pd.DataFrame
    totals: dict
    reorganisations: int
    churn_cost: float
    misplacement_cost: float
    moved: tuple
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"Reorganisation(reorganisations={self.reorganisations}, churn_cost={self.churn_cost:.4g}, "
            f"totals={ {k: round(v, 2) for k, v in self.totals.items()} })"
        )


def reorganisation_cost(
    params: LevelsParams | None = None,
    pendulum: tuple[str, str] = ("council", "neighbourhood"),
    period: int = 2,
    moved=None,
    capability=None,
) -> Reorganisation:
    """Compare staying at the best levels with swinging every service between two levels.

    Parameters
    ----------
    params : LevelsParams, optional
    pendulum : (str, str)
        The two levels alternated (default council and neighbourhood: PCTs and practice-based
        commissioning, then CCGs...).
    period : int
        Years between reorganisations (default 2: 15 in 30 years :cite:`Walshe2010`).
    moved : sequence of str, optional
        Services the pendulum moves (default: those whose best level is in ``pendulum``).
    capability : jenga_games.dynamics.CapabilityParams, optional
        When given, lost productivity comes from the capability stock of
        :mod:`jenga_games.dynamics.capability` instead of ``disruption`` and
        ``disruption_years``: the pendulum loses ``value_added × (K_stay − K_pendulum)/K̄``
        a head each year, where ``K`` is learned with tenure and cut to a retained share
        at each reorganisation (so a shorter period also leaves less time to relearn).

    Examples
    --------
    >>> r = reorganisation_cost()
    >>> r.reorganisations, r.churn_cost > 0
    (14, True)
    """
    prm = params or LevelsParams()
    for lv in pendulum:
        if lv not in prm.levels:
            raise InvalidParameterError(
                f"pendulum level {lv!r} is not among the levels {list(prm.levels)}"
            )
    if len(pendulum) != 2:
        raise InvalidParameterError("pendulum must name exactly two levels")
    period = check_count(period, "period", "reorganisation_cost")
    cost = _cost_table(prm)
    best = cost.min(axis=1)
    if moved is None:
        moved = [sv for sv in cost.index if cost.loc[sv].idxmin() in pendulum]
    unknown = [sv for sv in moved if sv not in cost.index]
    if unknown:
        raise InvalidParameterError(
            f"moved names unknown services {unknown}; the services are {list(cost.index)}"
        )
    if not moved:
        raise InvalidParameterError("the pendulum moves no service; name some in moved=")
    stay = float(best.sum())
    rest = float(best.drop(list(moved)).sum())
    at = {lv: rest + float(cost.loc[list(moved), lv].sum()) for lv in pendulum}
    T = prm.years
    disc = (1.0 + prm.discount_rate) ** -np.arange(T)
    pend = np.zeros(T)
    struct = np.zeros(T)
    n_reorg = 0
    loss = np.zeros(T + prm.disruption_years)
    for t in range(T):
        level = pendulum[(t // period) % 2]
        pend[t] += at[level]
        struct[t] = at[level]
        if t > 0 and t % period == 0:
            n_reorg += 1
            pend[t] += prm.transition_cost
            for j in range(prm.disruption_years):
                loss[t + j] += prm.value_added * prm.disruption * (1 - j / prm.disruption_years)
    if capability is not None:
        from ..dynamics.capability import CapabilityParams, yearly_capability

        if not isinstance(capability, CapabilityParams):
            raise InvalidParameterError(
                f"capability must be a jenga_games.dynamics.CapabilityParams, got {capability!r}"
            )
        times = [float(t) for t in range(period, T, period)]
        k_stay = yearly_capability([], T, capability)
        k_pend = yearly_capability(times, T, capability)
        loss = np.concatenate([prm.value_added * (k_stay - k_pend) / capability.ceiling, loss[T:]])
    pend += loss[:T]
    yearly = pd.DataFrame(
        {"stay": stay * disc, "structure": struct * disc, "pendulum": pend * disc},
        index=pd.RangeIndex(T, name="year"),
    )
    totals = {k: float(v) for k, v in yearly.sum().items()}
    return Reorganisation(
        yearly,
        totals,
        n_reorg,
        totals["pendulum"] - totals["structure"],
        totals["structure"] - totals["stay"],
        tuple(moved),
        Provenance(
            "reorganisation_cost",
            {"pendulum": list(pendulum), "period": period}
            | ({} if capability is None else {"capability": dataclasses.asdict(capability)}),
        ),
    )
