"""Collapse along orders: the collapse point of one order, collapse curves over many.

Conventions. An order removes services one at a time (``Tower.play``): step
``k`` (1 = the first removal) takes out the ``k``-th service of the order and
cascades; a service that has already fallen when its turn comes is skipped,
but its step still counts. "Fallen after ``k``" means something fell unplanned
at some step ``≤ k`` (falls are absorbing); "collapsed" means a critical
service fell unplanned or a provider failed. Step 0 is the intact tower
(what cannot stand even intact has fallen).

What is still provided after ``k`` steps is ``Σ_standing x·w`` over the total
``Σ w``, in the curve's ``measure``: by default the spend at tariff ``w = a·p``
(money), or ``w = 1`` (services standing) on a tower without tariffs; health
``w = a·h`` (QALYs) with ``measure="health"``; activity
``w = a`` only when every service counts the same unit (tests and bed-days
never add up). Removals move it out, falls lose it.

Critical fractions (fraction ``k / L`` of the order done):

* where ``P(fallen | k)`` (``P(collapsed | k)``) first reaches 1/2, linearly
  interpolated between steps;
* where mean surviving activity drops most steeply in one step — the
  discontinuous jump of towers whose services need ``k`` supporters
  (k-core percolation, [Dorogovtsev2006]_).

Bands: Wilson score intervals for the probabilities [Wilson1927]_, normal
intervals ``mean ± z·sd/√S`` for mean surviving activity, and the 5–95%
quantiles as its spread.

One order's whole curve costs one pass over the graph: the incremental
engines of :mod:`jenga_games.tower.engine` update counts of standing supporters and provider
balances as blocks go ([NewmanZiff2000]_); many orders are stepped together.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from ..._results import Provenance, Result
from ..._rng import make_rng
from ..._stats import wilson  # the toolkit's one Wilson interval [Wilson1927]_
from ...errors import InvalidTowerError, TooLargeError
from ..engine import open_engine, settled_state
from ._common import check_tower, eligible_indices
from ._orders import make_orders, measure_weight, run_orders

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Tower

__all__ = ["CollapseCurve", "CollapsePoint", "collapse_curve", "collapse_point"]

#: Bound on ``samples × (services + steps)``: the engine's state and the curves it records.
_MAX_CELLS = 200_000_000


@dataclass(frozen=True, eq=False)
class CollapsePoint(Result):
    """Where one removal order first makes the tower fall, and collapse.

    Attributes
    ----------
    order : tuple
        The order played.
    fallen_at, collapsed_at : int or None
        The step (1 = first removal; 0 = already intact) at which something
        first fell unplanned / the tower first collapsed; ``None``: never.
    fell_first : tuple
        What fell at step ``fallen_at``.
    fell_at_collapse, failed_at_collapse : tuple
        What fell, and which providers failed, at step ``collapsed_at``.
    surviving : numpy.ndarray
        ``Σ_standing x·w`` after ``k = 0, 1, ..., len(order)`` steps, in ``unit``.
    total : float
        ``Σ w`` over the intact tower, in ``unit``.
    provenance : Provenance
    measure : str
        ``"spend"`` (``w = a·p``), ``"services"`` (``w = 1``), ``"health"`` (``w = a·h``,
        QALYs) or ``"activity"`` (``w = a``).
    unit : str
        ``"money at tariff"`` (the tower's money unit), ``"services"``, or the activity unit.
    """

    order: tuple
    fallen_at: int | None
    collapsed_at: int | None
    fell_first: tuple
    fell_at_collapse: tuple
    failed_at_collapse: tuple
    surviving: np.ndarray
    total: float
    provenance: Provenance = field(default_factory=lambda: Provenance("collapse_point"))
    measure: str = "spend"
    unit: str = "money at tariff"

    def __repr__(self) -> str:
        return (
            f"CollapsePoint(fallen_at={self.fallen_at}, collapsed_at={self.collapsed_at}, "
            f"fell_first={self.fell_first!r}, {len(self.order)} steps)"
        )


def collapse_point(
    tower: Tower, order: Iterable[Hashable], *, measure: str | None = None
) -> CollapsePoint:
    """The first removal of ``order`` at which the tower falls, and at which it collapses.

    Parameters
    ----------
    tower : Tower
    order : sequence of service ids
        Distinct services, removed one at a time as in ``Tower.play``.
    measure : {"spend", "services", "health", "activity"}, optional
        What ``surviving`` counts (module docstring). Default ``"spend"``, or
        ``"services"`` on a tower without tariffs; ``"health"`` counts QALYs
        (``a·h``); ``"activity"`` needs a tower of one activity unit.

    Returns
    -------
    CollapsePoint

    Notes
    -----
    One incremental pass ([NewmanZiff2000]_): each removal updates the
    counts of standing supporters of its dependants and its provider's
    balance, and the cascade visits only what it touches. Agrees with
    ``tower.play(order).first_fallen_step + 1`` (a test).

    Examples
    --------
    >>> from jenga_games.tower.library import classic_jenga
    >>> cp = collapse_point(classic_jenga(3), ["L0.1", "L1.0", "L0.0"])
    >>> cp.fallen_at, cp.fell_first
    (3, ('L1.1', 'L1.2', 'L2.0', 'L2.1', 'L2.2'))
    """
    tower = check_tower(tower, "collapse_point")
    if isinstance(order, str | bytes):
        raise InvalidTowerError(
            f"order must be a sequence of service ids, got the string {order!r}; "
            f"wrap it in a list: [{order!r}]"
        )
    order = list(order)
    idx = [tower.index_of(s) for s in order]
    if len(set(idx)) != len(idx):
        dup = sorted({repr(tower.ids[i]) for i in idx if idx.count(i) > 1})
        raise InvalidTowerError(
            f"order removes {', '.join(dup)} more than once; list each service once"
        )
    ids = tower.ids
    pids = tuple(tower.providers)
    ct = tower.compiled
    w, measure, unit = measure_weight(tower, measure)
    base, _ = settled_state(ct)
    total = float(w.sum())
    surv = [float(np.sum(w * base.alive))]
    fallen_at = 0 if base.fallen.any() else None
    collapsed_at = 0 if (base.failed.any() or ct.critical[base.fallen].any()) else None
    fell_first: tuple = tuple(ids[i] for i in np.flatnonzero(base.fallen)) if fallen_at == 0 else ()
    fell_c: tuple = fell_first if collapsed_at == 0 else ()
    failed_c: tuple = (
        tuple(pids[j] for j in np.flatnonzero(base.failed)) if collapsed_at == 0 else ()
    )
    engine = open_engine(tower, base, log=False)
    act, crit = w.tolist(), ct.critical.tolist()
    sv = surv[0]
    for k, i in enumerate(idx, start=1):
        if engine.alive[i]:
            sv -= act[i]
            fell, failed = engine.remove(i)
            sv -= sum(act[j] for j in fell)
            if fell and fallen_at is None:
                fallen_at, fell_first = k, tuple(ids[j] for j in fell)
            if collapsed_at is None and (failed or any(crit[j] for j in fell)):
                collapsed_at = k
                fell_c, failed_c = tuple(ids[j] for j in fell), tuple(pids[j] for j in failed)
        surv.append(sv)
    return CollapsePoint(
        tuple(ids[i] for i in idx),
        fallen_at,
        collapsed_at,
        fell_first,
        fell_c,
        failed_c,
        np.array(surv),
        total,
        Provenance("collapse_point", {"engine": type(engine).__name__, "measure": measure}),
        measure,
        unit,
    )


@dataclass(frozen=True, eq=False)
class CollapseCurve(Result):
    """Collapse over many removal orders: probabilities and what is still provided, by step.

    Arrays are indexed by ``k = 0, ..., L`` (steps done); ``fraction = k / L``.
    "Surviving" is the share of the intact total still provided, in ``measure``
    (spend at tariff by default; never activity summed across units).

    Attributes
    ----------
    k, fraction : numpy.ndarray
    p_fallen, p_fallen_low, p_fallen_high : numpy.ndarray
        ``P(fallen | k)`` and its Wilson band.
    p_collapsed, p_collapsed_low, p_collapsed_high : numpy.ndarray
    mean_surviving, sd_surviving, mean_low, mean_high, q05, q95 : numpy.ndarray
        Mean share still provided (of ``total``, in ``measure``), its standard
        deviation, the normal band of the mean, and the 5% and 95% quantiles
        across orders.
    critical_fraction_fallen, critical_fraction_collapsed : float or None
        Where ``P`` first reaches 1/2 (``None``: never).
    steepest_drop_fraction, steepest_drop : float
        Where the mean share still provided drops most in one step, and by how much.
    fallen_at, collapsed_at : numpy.ndarray
        Per order: the first step at which it fell / collapsed (``-1``: never).
    orders : numpy.ndarray
        The orders, as indices into ``ids`` (``-1``: no move).
    ids : tuple
        The tower's service ids.
    order : str
        ``"random"``, ``"size"``, ``"gain"``, ``"degree"`` or ``"custom"``.
    samples : int
    confidence : float
    provenance : Provenance
    measure : str
        ``"spend"`` (``a·p``, money at tariff), ``"services"``, ``"health"`` (QALYs) or
        ``"activity"`` (one unit only).
    unit : str
        The unit of ``total``: ``"money at tariff"``, ``"services"``, or the activity unit.
    total : float
        The intact total of the measure, ``Σ w`` (the shares are of this).
    """

    k: np.ndarray
    fraction: np.ndarray
    p_fallen: np.ndarray
    p_fallen_low: np.ndarray
    p_fallen_high: np.ndarray
    p_collapsed: np.ndarray
    p_collapsed_low: np.ndarray
    p_collapsed_high: np.ndarray
    mean_surviving: np.ndarray
    sd_surviving: np.ndarray
    mean_low: np.ndarray
    mean_high: np.ndarray
    q05: np.ndarray
    q95: np.ndarray
    critical_fraction_fallen: float | None
    critical_fraction_collapsed: float | None
    steepest_drop_fraction: float | None
    steepest_drop: float
    fallen_at: np.ndarray
    collapsed_at: np.ndarray
    orders: np.ndarray
    ids: tuple
    order: str
    samples: int
    confidence: float
    provenance: Provenance
    measure: str = "spend"
    unit: str = "money at tariff"
    total: float = 0.0

    def to_frame(self) -> pd.DataFrame:
        """One row per step ``k``: fraction, probabilities with bands, share still provided."""
        import pandas as pd

        return pd.DataFrame(
            {
                "k": self.k,
                "fraction": self.fraction,
                "p_fallen": self.p_fallen,
                "p_fallen_low": self.p_fallen_low,
                "p_fallen_high": self.p_fallen_high,
                "p_collapsed": self.p_collapsed,
                "p_collapsed_low": self.p_collapsed_low,
                "p_collapsed_high": self.p_collapsed_high,
                "mean_surviving": self.mean_surviving,
                "sd_surviving": self.sd_surviving,
                "mean_low": self.mean_low,
                "mean_high": self.mean_high,
                "q05": self.q05,
                "q95": self.q95,
            }
        )

    def order_ids(self, sample: int) -> tuple:
        """The ``sample``-th order as service ids."""
        return tuple(self.ids[i] for i in self.orders[sample] if i >= 0)

    def __repr__(self) -> str:
        def f(x):
            return "never" if x is None else f"{x:.3f}"

        return (
            f"CollapseCurve({self.order!r}, {self.samples} orders of {len(self.k) - 1} steps: "
            f"P(fallen)=1/2 at {f(self.critical_fraction_fallen)}, P(collapsed)=1/2 at "
            f"{f(self.critical_fraction_collapsed)}, steepest drop at "
            f"{f(self.steepest_drop_fraction)}; surviving share of {self.measure})"
        )


def _crossing(p: np.ndarray, L: int) -> float | None:
    hit = np.flatnonzero(p >= 0.5)
    if hit.size == 0:
        return None
    k = int(hit[0])
    if k == 0:
        return 0.0
    lo, hi = p[k - 1], p[k]
    return float((k - 1 + (0.5 - lo) / (hi - lo)) / L)


def collapse_curve(
    tower: Tower,
    eligible: Iterable[Hashable] | None = None,
    samples: int = 200,
    order: str | Callable[[Tower, np.random.Generator], Iterable[Hashable]] = "random",
    seed: Any = None,
    *,
    gains: Mapping[Hashable, float] | None = None,
    confidence: float = 0.95,
    measure: str | None = None,
) -> CollapseCurve:
    """Collapse curves over many removal orders.

    Parameters
    ----------
    tower : Tower
    eligible : collection of service ids, optional
        What may be removed (default: every service). Each order is a
        permutation of these (or, for a callable, what it returns).
    samples : int
        Number of orders (``S``).
    order : {"random", "size", "gain", "degree"} or callable
        See :mod:`jenga_games.tower.thresholds._orders`; a callable is
        ``f(tower, rng) -> sequence of service ids``.
    seed : int or numpy Generator, optional
        Same seed, same orders, same numbers.
    gains : mapping service id -> float, optional
        Gains for ``order="gain"`` (default ``a·p``, the spend released).
    confidence : float
        Level of the bands (default 0.95).
    measure : {"spend", "services", "health", "activity"}, optional
        What "still provided" counts (module docstring). Default ``"spend"``
        (money at tariff), or ``"services"`` on a tower without tariffs;
        ``"health"`` the QALYs a year of the services with a health effect;
        ``"activity"`` needs a tower of one activity unit (else an error
        naming the units). ``order="size"`` ranks services by it.

    Returns
    -------
    CollapseCurve

    Notes
    -----
    ``P(fallen | k) = (1/S) Σ_s 1[order s has fallen by step k]``; see the
    module docstring for bands and critical fractions. All orders are
    stepped together by the engine :func:`~jenga_games.tower.engine.open_batch`
    chooses: the vectorised incremental engine, or on grounded towers one
    full cascade per step and order (the grounded fixpoint is not incremental).

    Examples
    --------
    >>> from jenga_games.tower.library import classic_jenga
    >>> c = collapse_curve(classic_jenga(6), samples=100, seed=0)
    >>> float(c.p_fallen[0]), float(c.p_fallen[-1])
    (0.0, 1.0)
    """
    tower = check_tower(tower, "collapse_curve")
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer) or samples < 1:
        raise InvalidTowerError(f"samples must be a whole number >= 1, got {samples!r}")
    if not 0 < confidence < 1:
        raise InvalidTowerError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    elig = eligible_indices(tower, eligible, "collapse_curve")
    if int(samples) * (len(tower) + elig.size) > _MAX_CELLS:
        raise TooLargeError(
            f"collapse_curve: {samples} orders of {elig.size} steps on {len(tower)} services need "
            f"about {int(samples) * (len(tower) + elig.size) * 8 / 1e9:.1f} GB; use fewer samples "
            "(and combine runs with different seeds)"
        )
    w, measure, unit = measure_weight(tower, measure)
    rng = make_rng(seed)
    orders = make_orders(tower, elig, int(samples), order, rng, gains, w)
    fallen, collapsed, surviving = run_orders(tower, orders, weight=w)
    return summarise_curve(
        tower,
        orders,
        fallen,
        collapsed,
        surviving,
        "custom" if callable(order) else order,
        confidence,
        Provenance(
            "collapse_curve",
            {
                "samples": int(samples),
                "order": "custom" if callable(order) else order,
                "eligible": len(elig),
                "confidence": confidence,
                "measure": measure,
            },
            seed=seed if isinstance(seed, int) else None,
        ),
        (w, measure, unit),
    )


def summarise_curve(
    tower: Tower,
    orders: np.ndarray,
    fallen: np.ndarray,
    collapsed: np.ndarray,
    surviving: np.ndarray,
    order: str,
    confidence: float,
    provenance: Provenance,
    measured: tuple[np.ndarray, str, str] | None = None,
) -> CollapseCurve:
    """The curve's statistics from ``run_orders``; ``measured = measure_weight(...)`` of the run."""
    w, measure, unit = measured if measured is not None else measure_weight(tower, "spend")
    S, L1 = fallen.shape
    L = L1 - 1
    total = float(w.sum())
    surv = surviving / total if total > 0 else np.zeros_like(surviving)
    pf = fallen.mean(axis=0)
    pc = collapsed.mean(axis=0)
    pf_lo, pf_hi = wilson(fallen.sum(axis=0), S, confidence)
    pc_lo, pc_hi = wilson(collapsed.sum(axis=0), S, confidence)
    mean = surv.mean(axis=0)
    sd = surv.std(axis=0, ddof=1) if S > 1 else np.zeros(L1)
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * sd / np.sqrt(S)
    drops = mean[:-1] - mean[1:]
    if drops.size:
        j = int(np.argmax(drops))
        steep_at, steep = float((j + 1) / L), float(drops[j])
    else:
        steep_at, steep = None, 0.0

    def first(m):
        hit = m.argmax(axis=1)
        return np.where(m.any(axis=1), hit, -1)

    return CollapseCurve(
        k=np.arange(L1),
        fraction=np.arange(L1) / max(L, 1),
        p_fallen=pf,
        p_fallen_low=pf_lo,
        p_fallen_high=pf_hi,
        p_collapsed=pc,
        p_collapsed_low=pc_lo,
        p_collapsed_high=pc_hi,
        mean_surviving=mean,
        sd_surviving=sd,
        mean_low=mean - half,
        mean_high=mean + half,
        q05=np.quantile(surv, 0.05, axis=0),
        q95=np.quantile(surv, 0.95, axis=0),
        critical_fraction_fallen=_crossing(pf, max(L, 1)),
        critical_fraction_collapsed=_crossing(pc, max(L, 1)),
        steepest_drop_fraction=steep_at,
        steepest_drop=steep,
        fallen_at=first(fallen),
        collapsed_at=first(collapsed),
        orders=orders,
        ids=tower.ids,
        order=order,
        samples=S,
        confidence=confidence,
        provenance=provenance,
        measure=measure,
        unit=unit,
        total=total,
    )
