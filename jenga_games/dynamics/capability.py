"""Commissioning capability as a stock: learned with tenure, partly lost at each reorganisation.

Glasby's essay: commissioners "only just start to find their feet" before the
next reorganisation, and each one disrupts what they had learned. Here the
capability ``K(t) ∈ [0, K̄]`` of a commissioning organisation grows by
exponential learning towards a ceiling ``K̄`` and drops to a retained share
``ρ`` of itself at each reorganisation:

    dK/dt = λ (K̄ − K),        K(τ⁺) = ρ K(τ⁻) at a reorganisation τ.

Between reorganisations ``K(t) = K̄ − (K̄ − K(t₀)) e^{−λ (t − t₀)}``, so the
integral over a segment of length ``Δ`` is ``K̄ Δ − (K̄ − K(t₀))(1 − e^{−λΔ})/λ``.

Periodic reorganisation every ``T`` years has a stationary cycle that starts at

    K_s = ρ K̄ (1 − e^{−λT}) / (1 − ρ e^{−λT})

and whose time-average capability is

    K̄_T = K̄ − (K̄ − K_s)(1 − e^{−λT}) / (λT).

``K̄_T`` rises with ``T`` when ``ρ < 1`` (shorter cycles never raise average
capability; a property test checks it), and equals ``K̄`` for ``ρ = 1``.
The value commissioning adds is taken proportional to capability:
``value_added · K(t) / K̄`` per head a year (Walshe 2010 :cite:`Walshe2010` for
the frequency of reorganisations; the rates are assumptions, stated below).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import check_nonneg, check_positive, check_prob
from .._results import Provenance, Result
from ..errors import InvalidParameterError

__all__ = [
    "CapabilityParams",
    "CapabilityPath",
    "average_capability",
    "capability_model",
    "capability_path",
    "periodic_reorganisations",
    "stationary_start",
    "yearly_capability",
]


@dataclasses.dataclass(frozen=True)
class CapabilityParams:
    """Parameters of the capability stock.

    Attributes
    ----------
    learning_rate : float
        ``λ`` per year (default 0.35: about 63% of the gap closed in three years, so a
        two-yearly cycle leaves commissioners "just finding their feet"). Assumption;
        a plausible range is 0.15–0.8.
    retained_share : float
        ``ρ``, the share of capability kept through a reorganisation (default 0.55).
        Assumption, informed by the essays' 45% cut in commissioning managers when CCGs
        replaced PCTs (Shaw): a range of 0.3–0.9 is plausible.
    ceiling : float
        ``K̄`` (default 1: capability as a share of what a settled organisation reaches).
    initial : float
        ``K(0)`` (default 1: a settled organisation at the start).
    value_added : float
        £ per head a year that commissioning adds at full capability (default 18: 1% of
        the £1,800 a head the NHS spends :cite:`NHSBudget2012`; an assumption, as in
        :class:`jenga_games.commissioning.LevelsParams`).
    """

    learning_rate: float = 0.35
    retained_share: float = 0.55
    ceiling: float = 1.0
    initial: float = 1.0
    value_added: float = 18.0

    def __post_init__(self) -> None:
        o = "CapabilityParams"
        check_positive(self.learning_rate, "learning_rate", o)
        check_prob(self.retained_share, "retained_share", o)
        check_positive(self.ceiling, "ceiling", o)
        check_nonneg(self.initial, "initial", o)
        check_nonneg(self.value_added, "value_added", o)
        if self.initial > self.ceiling:
            raise InvalidParameterError(
                f"{o}: initial capability {self.initial!r} exceeds the ceiling {self.ceiling!r}; "
                "lower initial or raise ceiling"
            )


def _check_period(period: float, owner: str) -> float:
    return check_positive(period, "period (years between reorganisations)", owner)


def stationary_start(period: float, params: CapabilityParams | None = None) -> float:
    """Capability just after a reorganisation on the stationary periodic cycle.

    ``K_s = ρ K̄ (1 − e^{−λT}) / (1 − ρ e^{−λT})`` (module docstring).

    Examples
    --------
    >>> round(stationary_start(2.0, CapabilityParams(retained_share=1.0)), 12)
    1.0
    """
    prm = params or CapabilityParams()
    T = _check_period(period, "stationary_start")
    e = math.exp(-prm.learning_rate * T)
    rho = prm.retained_share
    return rho * prm.ceiling * (1.0 - e) / (1.0 - rho * e)


def average_capability(period: float | np.ndarray, params: CapabilityParams | None = None):
    """Long-run time-average capability under a reorganisation every ``period`` years.

    ``K̄_T = K̄ − (K̄ − K_s)(1 − e^{−λT})/(λT)`` with ``K_s`` from :func:`stationary_start`.
    Vectorised over ``period``.

    Examples
    --------
    >>> p = CapabilityParams()
    >>> bool(average_capability(2.0, p) < average_capability(5.0, p) < p.ceiling)
    True
    """
    prm = params or CapabilityParams()
    T = np.asarray(period, dtype=float)
    if np.any(~np.isfinite(T)) or np.any(T <= 0):
        raise InvalidParameterError(
            f"average_capability: every period must be a positive number of years, got {period!r}"
        )
    lam, rho, top = prm.learning_rate, prm.retained_share, prm.ceiling
    e = np.exp(-lam * T)
    ks = rho * top * (1.0 - e) / (1.0 - rho * e)
    avg = top - (top - ks) * (1.0 - e) / (lam * T)
    return float(avg) if avg.ndim == 0 else avg


def periodic_reorganisations(period: float, years: float, first: float | None = None) -> tuple:
    """Reorganisation times ``first, first + period, ...`` strictly inside ``(0, years)``."""
    T = _check_period(period, "periodic_reorganisations")
    start = T if first is None else check_positive(first, "first", "periodic_reorganisations")
    return tuple(float(t) for t in np.arange(start, years, T) if 0 < t < years)


@dataclasses.dataclass(frozen=True, repr=False)
class CapabilityPath(Result):
    """Capability over time under given reorganisations.

    Attributes
    ----------
    path : pandas.DataFrame
        Columns ``t`` (years), ``capability`` (share of the ceiling when ``K̄ = 1``) and
        ``value_added`` (£ per head a year), on the sampling grid.
    reorganisations : tuple of float
        Times (years) of the reorganisations.
    average : float
        Exact time-average capability over ``[0, years]`` (segment integrals, not the grid).
    value_total : float
        £ per head over the horizon, undiscounted: ``value_added · ∫ K dt / K̄``.
    provenance : Provenance
    """

    path: pd.DataFrame
    reorganisations: tuple
    average: float
    value_total: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"CapabilityPath(reorganisations={len(self.reorganisations)}, "
            f"average={self.average:.4g}, value_total=£{self.value_total:.4g} a head)"
        )


def _check_times(reorganisations: Sequence[float], years: float, owner: str) -> list[float]:
    """Reorganisation times as floats, strictly increasing inside ``(0, years)``."""
    times = [float(t) for t in reorganisations]
    if any(not (0 < t < years) for t in times) or any(b <= a for a, b in itertools.pairwise(times)):
        raise InvalidParameterError(
            f"{owner}: reorganisation times must increase strictly inside (0, {years}); "
            f"got {list(reorganisations)!r}"
        )
    return times


def _segments(reorgs: Sequence[float], years: float):
    edges = [0.0, *reorgs, years]
    return list(itertools.pairwise(edges))


def capability_path(
    reorganisations: Sequence[float] = (),
    years: float = 30.0,
    params: CapabilityParams | None = None,
    points_per_year: int = 12,
) -> CapabilityPath:
    """Capability ``K(t)`` under reorganisations at the given times (exact piecewise solution).

    Parameters
    ----------
    reorganisations : sequence of float
        Times in years, strictly inside ``(0, years)`` and increasing (e.g. from
        :func:`periodic_reorganisations`).
    years : float
        Horizon.
    params : CapabilityParams, optional
    points_per_year : int
        Sampling density of the returned path (the average is exact regardless).

    Examples
    --------
    >>> r = capability_path(periodic_reorganisations(2, 30), 30)
    >>> len(r.reorganisations), round(r.average, 3) < 1
    (14, True)
    """
    prm = params or CapabilityParams()
    years = check_positive(years, "years", "capability_path")
    times = _check_times(reorganisations, years, "capability_path")
    if not isinstance(points_per_year, int) or points_per_year < 1:
        raise InvalidParameterError(
            f"capability_path: points_per_year must be a whole number >= 1, got {points_per_year!r}"
        )
    lam, rho, top = prm.learning_rate, prm.retained_share, prm.ceiling
    grid = np.linspace(0.0, years, round(years * points_per_year) + 1)
    k = np.empty_like(grid)
    start = prm.initial
    integral = 0.0
    for i, (a, b) in enumerate(_segments(times, years)):
        inside = (grid >= a) & ((grid < b) if i < len(times) else (grid <= b))
        k[inside] = top - (top - start) * np.exp(-lam * (grid[inside] - a))
        integral += top * (b - a) - (top - start) * (1.0 - math.exp(-lam * (b - a))) / lam
        end = top - (top - start) * math.exp(-lam * (b - a))
        start = rho * end
    frame = pd.DataFrame({"t": grid, "capability": k, "value_added": prm.value_added * k / top})
    return CapabilityPath(
        frame,
        tuple(times),
        integral / years,
        prm.value_added * integral / top,
        Provenance(
            "capability_path",
            {**dataclasses.asdict(prm), "years": years, "points_per_year": points_per_year},
        ),
    )


def yearly_capability(
    reorganisations: Sequence[float], years: int, params: CapabilityParams | None = None
) -> np.ndarray:
    """Exact mean capability in each year ``[t, t + 1)``, ``t = 0 .. years − 1``.

    The segment integrals of the module docstring, split at the reorganisations.
    """
    prm = params or CapabilityParams()
    if not isinstance(years, int) or years < 1:
        raise InvalidParameterError(
            f"yearly_capability: years must be a whole number >= 1, got {years!r}"
        )
    times = _check_times(reorganisations, years, "yearly_capability")
    lam, rho, top = prm.learning_rate, prm.retained_share, prm.ceiling
    cuts = sorted(set(times) | set(range(years + 1)))
    resets = set(times)
    out = np.zeros(years)
    k = prm.initial
    for a, b in itertools.pairwise(cuts):
        if a in resets:
            k *= rho
        out[math.floor(a)] += top * (b - a) - (top - k) * (1.0 - math.exp(-lam * (b - a))) / lam
        k = top - (top - k) * math.exp(-lam * (b - a))
    return out


def capability_model(
    learning_rate: float = 0.35,
    retained_share: float = 0.55,
    period: float = 2.0,
    reference_period: float = 10.0,
) -> dict:
    """Average capability under reorganisation every ``period`` years, against every ``reference_period``.

    A plain function of scalar rates for the uncertainty layer
    (``jenga_games.uncertainty.psa(capability_model, space, n)``): returns
    ``average`` and ``reference_average`` (shares of a settled organisation's capability)
    and ``share_kept = average / reference_average``.

    Examples
    --------
    >>> round(capability_model()["share_kept"], 3)
    0.635
    """
    prm = CapabilityParams(learning_rate=learning_rate, retained_share=retained_share)
    avg = average_capability(period, prm)
    ref = average_capability(reference_period, prm)
    return {"average": avg, "reference_average": ref, "share_kept": avg / ref}
