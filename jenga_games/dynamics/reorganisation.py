"""Reorganisation as an outcome: a centre that restructures when measured performance disappoints.

Glasby's pendulum ("from large economies of scale to local responsiveness and
back again") and Shaw's creeping centralisation ("the thousand flowers must all
be the same otherwise there would be a post code lottery") as one process.

**Areas and structures.** ``m`` areas are commissioned either *centrally*
(one specification: fit ``μ_C`` with little variation ``σ_C`` between areas)
or *locally* (better average fit ``μ_L`` but more variation ``σ_L``). Area
``i``'s value added in year ``t`` is ``v · K_t · f_{i,s}`` (£ per head a year),
with ``K_t`` the commissioning capability (:mod:`.capability`, one learning
organisation per structure), ``f_{i,s}`` the area's fit under structure
``s`` (drawn once: an area that fits local commissioning keeps doing so).

**The centre's welfare** counts an equity penalty ``η`` on the variation
between areas (the post code lottery):

    W = mean_i(y_i) − η · sd_i(y_i).

**The rule.** Each year the centre sees ``W`` plus noise (sd ``σ_ε``) and,
after at least ``τ`` years of the current structure, reorganises to the other
structure when what it sees falls below its aspiration ``A``. A
reorganisation keeps a share ``ρ`` of capability. The period between
reorganisations and the pendulum (the sequence of structures) are outputs.

Deterministic case (no noise, ``σ_ε = 0``): the centre reorganises every ``τ``
years for ever iff the stationary cycle's capability at the end of a period,
``K_s/ρ``, leaves the structure's ``W`` below ``A`` — the vicious circle in which
commissioners never find their feet; :func:`deterministic_period` gives it in
closed form, checked against the simulation.

**Centralisation with an override.** Across areas with local fit
``X ~ N(μ_L, σ_L)`` a centre that overrides every area below a floor ``f``
(imposing the central specification there) gets a mixture whose mean and
variance are closed-form (truncated normal moments); :func:`centralisation`
compares local, central and override, and gives the equity weight at which
central beats local, ``η* = (μ_L − μ_C)/(σ_L − σ_C)``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .._checks import check_count, check_nonneg
from .._results import Provenance, Result
from .._rng import make_rng
from ..errors import InvalidParameterError
from .capability import CapabilityParams, stationary_start

__all__ = [
    "Centralisation",
    "CentreParams",
    "ReorganisationPath",
    "centralisation",
    "deterministic_period",
    "simulate_centre",
]

_STRUCTURES = ("central", "local")


@dataclasses.dataclass(frozen=True)
class CentreParams:
    """Parameters of the centre's reorganisation rule (every value an assumption unless cited).

    Attributes
    ----------
    areas : int
        Number of areas (default 20).
    fit : dict
        Structure -> ``(mean, sd)`` of an area's fit (default central ``(1.0, 0.05)``,
        local ``(1.15, 0.3)``: local fits better on average and varies more).
    equity_weight : float
        ``η`` (default 1).
    aspiration : float
        ``A``, £ per head a year of value added that the centre expects (default 12,
        two thirds of the 18 a settled organisation adds).
    noise : float
        ``σ_ε``, sd of the centre's measurement of ``W`` (default 2, £ per head a year).
    min_tenure : int
        ``τ``: the fewest years a structure lasts (default 2: Walshe 2010's 15 or more
        reorganisations in 30 years :cite:`Walshe2010`).
    capability : CapabilityParams
    start : str
        The structure in year 0 (default ``"central"``).
    """

    areas: int = 20
    fit: dict = dataclasses.field(
        default_factory=lambda: {"central": (1.0, 0.05), "local": (1.15, 0.3)}
    )
    equity_weight: float = 1.0
    aspiration: float = 12.0
    noise: float = 2.0
    min_tenure: int = 2
    capability: CapabilityParams = dataclasses.field(default_factory=CapabilityParams)
    start: str = "central"

    def __post_init__(self) -> None:
        o = "CentreParams"
        check_count(self.areas, "areas", o, minimum=2)
        if set(self.fit) != set(_STRUCTURES):
            raise InvalidParameterError(
                f"{o}: fit must give (mean, sd) for exactly 'central' and 'local', got {list(self.fit)}"
            )
        for s, pair in self.fit.items():
            if len(pair) != 2:
                raise InvalidParameterError(f"{o}: fit[{s!r}] must be (mean, sd), got {pair!r}")
            check_nonneg(pair[1], f"fit[{s!r}].sd", o)
        check_nonneg(self.equity_weight, "equity_weight", o)
        check_nonneg(self.noise, "noise", o)
        check_count(self.min_tenure, "min_tenure", o)
        if self.start not in _STRUCTURES:
            raise InvalidParameterError(
                f"{o}: start must be 'central' or 'local', got {self.start!r}"
            )


def _welfare_factor(params: CentreParams, structure: str, fits: np.ndarray | None = None) -> float:
    """``W / (v K)``: mean fit minus ``η`` × sd of fit (across the given areas, or the population)."""
    if fits is None:
        mean, sd = params.fit[structure]
    else:
        mean, sd = float(fits.mean()), float(fits.std())
    return mean - params.equity_weight * sd


@dataclasses.dataclass(frozen=True, repr=False)
class ReorganisationPath(Result):
    """A simulated history of the centre's structures.

    Attributes
    ----------
    path : pandas.DataFrame
        Per year: ``structure``, ``capability`` (yearly mean of ``K``), ``welfare`` (true ``W``,
        £ per head a year), ``measured`` (what the centre saw), ``reorganised`` (bool).
    reorganisations : tuple of int
        Years in which the centre reorganised.
    mean_period : float
        Mean years between reorganisations (``nan`` when fewer than two).
    share_local : float
        Share of years under local commissioning.
    mean_welfare : float
        £ per head a year, averaged over the horizon.
    provenance : Provenance
    """

    path: pd.DataFrame
    reorganisations: tuple
    mean_period: float
    share_local: float
    mean_welfare: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"ReorganisationPath(reorganisations={len(self.reorganisations)}, "
            f"mean_period={self.mean_period:.3g} years, share_local={self.share_local:.2f}, "
            f"mean_welfare=£{self.mean_welfare:.3g} a head a year)"
        )


def _year_mean(k0: float, cap: CapabilityParams) -> tuple[float, float]:
    """Mean capability over one year starting at ``k0``, and the capability at its end."""
    lam, top = cap.learning_rate, cap.ceiling
    e = math.exp(-lam)
    return top - (top - k0) * (1.0 - e) / lam, top - (top - k0) * e


def simulate_centre(
    params: CentreParams | None = None, years: int = 60, seed=0
) -> ReorganisationPath:
    """Simulate the centre's rule year by year (module docstring).

    Capability is integrated exactly within each year (:mod:`.capability`); a
    reorganisation takes effect at the start of the next year.
    """
    prm = params or CentreParams()
    years = check_count(years, "years", "simulate_centre")
    rng = make_rng(seed)
    fits = {s: rng.normal(prm.fit[s][0], prm.fit[s][1], size=prm.areas) for s in _STRUCTURES}
    factor = {s: _welfare_factor(prm, s, fits[s]) for s in _STRUCTURES}
    noise = rng.normal(0.0, prm.noise, size=years) if prm.noise > 0 else np.zeros(years)
    cap = prm.capability
    k = cap.initial
    structure, tenure = prm.start, 0
    rows, reorgs = [], []
    for t in range(years):
        mean_k, k = _year_mean(k, cap)
        tenure += 1
        w = cap.value_added * mean_k / cap.ceiling * factor[structure]
        seen = w + noise[t]
        move = tenure >= prm.min_tenure and seen < prm.aspiration
        rows.append((structure, mean_k, w, seen, move))
        if move:
            reorgs.append(t + 1)
            structure = "local" if structure == "central" else "central"
            k *= cap.retained_share
            tenure = 0
    path = pd.DataFrame(
        rows, columns=["structure", "capability", "welfare", "measured", "reorganised"]
    )
    path.index.name = "year"
    gaps = np.diff(reorgs)
    return ReorganisationPath(
        path,
        tuple(reorgs),
        float(gaps.mean()) if gaps.size else float("nan"),
        float((path["structure"] == "local").mean()),
        float(path["welfare"].mean()),
        Provenance(
            "simulate_centre",
            {"years": years, **_plain(prm)},
            seed=seed if isinstance(seed, int) else None,
        ),
    )


def _plain(prm: CentreParams) -> dict:
    d = dataclasses.asdict(prm)
    d["fit"] = {k: list(v) for k, v in prm.fit.items()}
    return d


def deterministic_period(
    params: CentreParams | None = None, structure: str = "central"
) -> int | None:
    """Closed form for the noise-free rule in the population limit: ``τ`` or ``None``.

    On the stationary cycle of period ``τ`` (whole years), the centre sees in the last year
    before a reorganisation ``v · K̄_last · φ_s``, where ``K̄_last`` is the mean capability in
    that year and ``φ_s = μ_s − η σ_s``. If that is below ``A`` for *both* structures, the
    centre reorganises every ``τ`` years for ever (returns ``τ``); if it is at or above
    ``A`` for the given structure, the centre never leaves it once there (returns ``None``).

    The two regimes coexist: the same centre that reorganises every ``τ`` years when it
    starts on the cycle never enters it from a settled organisation (full capability)
    without a shock; measurement noise in :func:`simulate_centre` supplies the shock.
    """
    prm = params or CentreParams()
    cap = prm.capability
    tau = prm.min_tenure
    ks = stationary_start(tau, cap)
    k_last_start = cap.ceiling - (cap.ceiling - ks) * math.exp(-cap.learning_rate * (tau - 1))
    mean_last, _ = _year_mean(k_last_start, cap)
    seen = {
        s: cap.value_added * mean_last / cap.ceiling * _welfare_factor(prm, s) for s in _STRUCTURES
    }
    if seen[structure] >= prm.aspiration:
        return None
    if all(v < prm.aspiration for v in seen.values()):
        return tau
    return None


@dataclasses.dataclass(frozen=True, repr=False)
class Centralisation(Result):
    """Local, central and override commissioning compared on welfare with an equity penalty.

    Attributes
    ----------
    table : pandas.DataFrame
        Index ``local``, ``central``, ``override``; columns ``mean``, ``sd`` (of an area's
        value added, £ per head a year) and ``welfare`` (``mean − η sd``).
    best : str
        The structure with the highest welfare.
    floor : float
        The override floor used (£ per head a year).
    switch_equity_weight : float
        ``η*``: central beats local for ``η > η*`` (``inf`` if local never varies more).
    provenance : Provenance
    """

    table: pd.DataFrame
    best: str
    floor: float
    switch_equity_weight: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"Centralisation(best={self.best!r}, floor={self.floor:.3g}, "
            f"switch_equity_weight={self.switch_equity_weight:.3g})"
        )


def _override_moments(mu_l, sd_l, mu_c, sd_c, floor) -> tuple[float, float]:
    """Mean and sd of ``Y = X if X >= floor else C``, ``X ~ N(mu_l, sd_l)``, ``C ~ N(mu_c, sd_c)``."""
    if sd_l == 0:
        use_local = mu_l >= floor
        return (mu_l, 0.0) if use_local else (mu_c, sd_c)
    a = (floor - mu_l) / sd_l
    below, pdf = stats.norm.cdf(a), stats.norm.pdf(a)
    above = 1.0 - below
    m1 = mu_l * above + sd_l * pdf + below * mu_c
    m2 = (
        mu_l**2 * above
        + 2 * mu_l * sd_l * pdf
        + sd_l**2 * (above + a * pdf)
        + below * (mu_c**2 + sd_c**2)
    )
    return m1, math.sqrt(max(m2 - m1 * m1, 0.0))


def centralisation(
    params: CentreParams | None = None, floor: float | None = None
) -> Centralisation:
    """Welfare of local, central and override commissioning in the population limit (full capability).

    Parameters
    ----------
    params : CentreParams, optional
        Uses ``fit``, ``equity_weight`` and ``capability.value_added``.
    floor : float, optional
        The override floor in £ per head a year; default: the floor that maximises the
        override's welfare (bounded scalar search over the local distribution's range).
    """
    prm = params or CentreParams()
    v = prm.capability.value_added
    (mu_c, sd_c), (mu_l, sd_l) = prm.fit["central"], prm.fit["local"]
    mu_c, sd_c, mu_l, sd_l = v * mu_c, v * sd_c, v * mu_l, v * sd_l
    eta = prm.equity_weight

    def welfare(fl):
        m, s = _override_moments(mu_l, sd_l, mu_c, sd_c, fl)
        return m - eta * s

    if floor is None:
        lo, hi = mu_l - 4 * sd_l, mu_l + 4 * sd_l
        if hi > lo:
            res = optimize.minimize_scalar(
                lambda f: -welfare(f),
                bounds=(lo, hi),
                method="bounded",
                options={"xatol": 1e-9 * max(1.0, abs(hi))},
            )
            floor = float(res.x)
        else:
            floor = lo
    else:
        floor = float(floor)
    om, osd = _override_moments(mu_l, sd_l, mu_c, sd_c, floor)
    table = pd.DataFrame(
        {"mean": [mu_l, mu_c, om], "sd": [sd_l, sd_c, osd]},
        index=pd.Index(["local", "central", "override"], name="structure"),
    )
    table["welfare"] = table["mean"] - eta * table["sd"]
    switch = (mu_l - mu_c) / (sd_l - sd_c) if sd_l > sd_c else math.inf
    return Centralisation(
        table,
        str(table["welfare"].idxmax()),
        floor,
        switch,
        Provenance("centralisation", {**_plain(prm), "floor": floor}),
    )
