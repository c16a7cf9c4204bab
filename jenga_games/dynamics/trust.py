"""Trust and GP engagement as processes with rates, not constants.

**Trust.** The trust ``T_t ∈ [0, 1]`` that GPs place in the centre's promises
rises a share ``α`` of the way to full trust with each promise kept and falls
by a share ``β`` with each promise dashed:

    T_{t+1} = T_t + α (1 − T_t)   (kept),      T_{t+1} = (1 − β) T_t   (dashed).

With promises kept independently with probability ``q`` the mean follows the
linear recursion ``m_{t+1} = m_t + qα(1 − m_t) − (1 − q)β m_t``, whose fixed
point is

    T* = qα / (qα + (1 − q)β)

and ``m_t = T* + (m_0 − T*)(1 − qα − (1 − q)β)^t``. "Trust once dashed is hard
to rebuild" is ``β > α``: after ``k`` dashes from full trust it takes
``n = ln((1 − T_goal)/(1 − (1 − β)^k)) / ln(1 − α)`` kept promises to climb
back to ``T_goal`` (:func:`promises_to_rebuild`). Miller et al. 2015
:cite:`miller2015` describe these virtuous and vicious cycles.

**Engagement and delay.** The CCG essay: at the meso level the result of GPs'
work must be seen quickly, or they give up. A GP values a visible result
``b`` that arrives ``d`` years after an effort costing ``c`` now at ``δ^d b``;
engagement ``E_t ∈ [0, 1]`` grows logistically when that is worth the effort
and decays otherwise,

    E_{t+1} = E_t + κ E_t (1 − E_t) (δ^d b − c) / c,

so engagement survives iff ``d < d* = ln(c/b) / ln δ`` (for ``b > c``). The
default ``b/c = 1.5`` and ``δ = 0.8`` give ``d* ≈ 1.8`` years: a three-year
repatriation loses the GPs, as the essay says. All rates are assumptions.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import check_count, check_positive, check_prob
from .._results import Provenance, Result
from .._rng import make_rng
from ..errors import InvalidParameterError

__all__ = [
    "EngagementParams",
    "EngagementPath",
    "TrustPath",
    "TrustProcess",
    "critical_delay",
    "engagement_path",
    "mean_trust",
    "promises_to_rebuild",
    "trust_path",
]


@dataclasses.dataclass(frozen=True)
class TrustProcess:
    """Rates of the trust process (module docstring).

    Attributes
    ----------
    gain : float
        ``α``: share of the gap to full trust regained per promise kept (default 0.2;
        an assumption).
    loss : float
        ``β``: share of trust lost per promise dashed (default 0.5; an assumption:
        "an expectation raised and dashed is worse than no expectation at all", so
        ``β`` well above ``α``).
    initial : float
        ``T_0`` (default 1).
    """

    gain: float = 0.2
    loss: float = 0.5
    initial: float = 1.0

    def __post_init__(self) -> None:
        o = "TrustProcess"
        check_prob(self.gain, "gain", o)
        check_prob(self.loss, "loss", o)
        check_prob(self.initial, "initial", o)

    def step(self, trust, kept):
        """One update, vectorised: ``kept`` is a bool (array) per path."""
        trust = np.asarray(trust, dtype=float)
        return np.where(kept, trust + self.gain * (1.0 - trust), (1.0 - self.loss) * trust)

    def fixed_point(self, keep_probability: float) -> float:
        """``T* = qα / (qα + (1 − q)β)``; 1 when nothing is ever dashed."""
        q = check_prob(keep_probability, "keep_probability", "TrustProcess.fixed_point")
        up, down = q * self.gain, (1.0 - q) * self.loss
        if up + down == 0.0:
            return self.initial
        return up / (up + down)


def mean_trust(process: TrustProcess, keep_probability: float, years: int) -> np.ndarray:
    """Expected trust ``m_0..m_years`` in closed form (module docstring)."""
    q = check_prob(keep_probability, "keep_probability", "mean_trust")
    n = check_count(years, "years", "mean_trust", minimum=0)
    star = process.fixed_point(q)
    factor = 1.0 - q * process.gain - (1.0 - q) * process.loss
    return star + (process.initial - star) * factor ** np.arange(n + 1)


def promises_to_rebuild(process: TrustProcess, dashes: int, goal: float = 0.9) -> float:
    """Promises kept in a row needed to climb back to ``goal`` after ``dashes`` from ``initial``.

    ``n = ln((1 − goal)/(1 − T_k)) / ln(1 − α)`` with ``T_k = (1 − β)^k T_0``; 0 when
    ``T_k ≥ goal``; ``inf`` when ``α = 0``. A real number (round up for whole promises).
    """
    k = check_count(dashes, "dashes", "promises_to_rebuild", minimum=0)
    g = check_prob(goal, "goal", "promises_to_rebuild", open_high=True)
    tk = (1.0 - process.loss) ** k * process.initial
    if tk >= g:
        return 0.0
    if process.gain == 0.0:
        return math.inf
    if process.gain == 1.0:
        return 1.0
    return math.log((1.0 - g) / (1.0 - tk)) / math.log(1.0 - process.gain)


@dataclasses.dataclass(frozen=True, repr=False)
class TrustPath(Result):
    """Simulated trust paths.

    Attributes
    ----------
    paths : numpy.ndarray
        ``(n_paths, years + 1)`` trust, one row per simulated path.
    mean : numpy.ndarray
        The sample mean per year.
    expected : numpy.ndarray
        The closed-form mean per year (:func:`mean_trust`).
    fixed_point : float
        ``T*``.
    provenance : Provenance
    """

    paths: np.ndarray
    mean: np.ndarray
    expected: np.ndarray
    fixed_point: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"TrustPath(paths={self.paths.shape[0]}, years={self.paths.shape[1] - 1}, "
            f"final_mean={self.mean[-1]:.4g}, fixed_point={self.fixed_point:.4g})"
        )


def trust_path(
    process: TrustProcess | None = None,
    keep_probability: float = 0.5,
    years: int = 30,
    n_paths: int = 1000,
    seed=0,
    promises: Sequence[bool] | None = None,
) -> TrustPath:
    """Simulate trust year by year (one promise a year), or follow a given record of promises.

    Parameters
    ----------
    process : TrustProcess, optional
    keep_probability : float
        ``q`` (default 0.5: Walshe's 15 or more reorganisations in 30 years, each
        overturning what was promised :cite:`Walshe2010`).
    years, n_paths : int
    seed : int or numpy Generator
    promises : sequence of bool, optional
        A given record (True = kept): one deterministic path, ``years = len(promises)``.
    """
    prc = process or TrustProcess()
    q = check_prob(keep_probability, "keep_probability", "trust_path")
    if promises is not None:
        kept = np.asarray([bool(p) for p in promises])[None, :]
        years = kept.shape[1]
    else:
        years = check_count(years, "years", "trust_path")
        n = check_count(n_paths, "n_paths", "trust_path")
        kept = make_rng(seed).random((n, years)) < q
    out = np.empty((kept.shape[0], years + 1))
    out[:, 0] = prc.initial
    for t in range(years):
        out[:, t + 1] = prc.step(out[:, t], kept[:, t])
    return TrustPath(
        out,
        out.mean(axis=0),
        mean_trust(prc, q, years),
        prc.fixed_point(q),
        Provenance(
            "trust_path",
            {**dataclasses.asdict(prc), "keep_probability": q, "years": years},
            seed=None if promises is not None else (seed if isinstance(seed, int) else None),
        ),
    )


@dataclasses.dataclass(frozen=True)
class EngagementParams:
    """Parameters of GP engagement under a delay between effort and visible result.

    Attributes
    ----------
    benefit : float
        ``b``: value to GPs of a visible result per unit of engagement (default 1.5).
    cost : float
        ``c``: cost of a unit of engagement now (default 1). Only ``b/c`` matters.
    discount : float
        ``δ``: GPs' yearly discount factor for results they cannot yet see (default 0.8;
        an assumption, far below the Green Book's 1/1.035 because it is a busy GP's
        patience, not society's).
    responsiveness : float
        ``κ``: how fast engagement follows the net return (default 0.8 a year; assumption).
    initial : float
        ``E_0`` (default 0.5).
    """

    benefit: float = 1.5
    cost: float = 1.0
    discount: float = 0.8
    responsiveness: float = 0.8
    initial: float = 0.5

    def __post_init__(self) -> None:
        o = "EngagementParams"
        check_positive(self.benefit, "benefit", o)
        check_positive(self.cost, "cost", o)
        check_prob(self.discount, "discount", o, open_low=True)
        check_prob(self.responsiveness, "responsiveness", o)
        check_prob(self.initial, "initial", o)


def critical_delay(params: EngagementParams | None = None) -> float:
    """``d* = ln(c/b)/ln δ``: the longest delay (years) at which engagement still grows.

    ``inf`` when ``δ = 1`` and ``b > c``; 0 when ``b <= c`` (no delay is short enough).

    Examples
    --------
    >>> round(critical_delay(), 3)
    1.817
    """
    p = params or EngagementParams()
    if p.benefit <= p.cost:
        return 0.0
    if p.discount == 1.0:
        return math.inf
    return math.log(p.cost / p.benefit) / math.log(p.discount)


@dataclasses.dataclass(frozen=True, repr=False)
class EngagementPath(Result):
    """Engagement year by year for each delay.

    Attributes
    ----------
    path : pandas.DataFrame
        Index ``year``; one column per delay (years), engagement in ``[0, 1]``.
    critical_delay : float
        ``d*`` (years).
    provenance : Provenance
    """

    path: pd.DataFrame
    critical_delay: float
    provenance: Provenance

    def __repr__(self) -> str:
        last = {c: round(float(v), 3) for c, v in self.path.iloc[-1].items()}
        return f"EngagementPath(critical_delay={self.critical_delay:.3g} years, final={last})"


def engagement_path(
    delays: Sequence[float] = (0.0, 1.0, 2.0, 3.0),
    years: int = 20,
    params: EngagementParams | None = None,
) -> EngagementPath:
    """Engagement ``E_t`` under each delay between effort and visible result (module docstring)."""
    p = params or EngagementParams()
    years = check_count(years, "years", "engagement_path")
    d = np.asarray([float(x) for x in delays])
    if d.size == 0 or np.any(~np.isfinite(d)) or np.any(d < 0):
        raise InvalidParameterError(
            f"engagement_path: delays must be finite numbers of years >= 0, got {list(delays)!r}"
        )
    net = (p.discount**d * p.benefit - p.cost) / p.cost
    e = np.empty((years + 1, d.size))
    e[0] = p.initial
    for t in range(years):
        x = e[t]
        e[t + 1] = np.clip(x + p.responsiveness * x * (1.0 - x) * net, 0.0, 1.0)
    frame = pd.DataFrame(e, columns=[float(x) for x in d])
    frame.index.name = "year"
    return EngagementPath(
        frame,
        critical_delay(p),
        Provenance("engagement_path", {**dataclasses.asdict(p), "years": years}),
    )
