"""Answers from draws: outcome probabilities, deterministic analyses and the value of information.

Outcome probabilities carry the Wilson score interval :cite:`Wilson1927`: with
``k`` of ``n`` draws showing the outcome, ``p̂ = k/n`` and ``z`` the normal
quantile of the level,

    (p̂ + z²/2n ± z sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n).

Deterministic analyses hold every parameter at its median and move one
(tornado) or two (a grid) across quantiles of their distributions. A
switching value is where a boolean outcome or the best option changes, found on
a grid and refined by bisection.

Value of information :cite:`Claxton1999`: for options ``d`` with net benefit
``NB_d(θ)``,

    EVPI = E_θ[max_d NB_d(θ)] − max_d E_θ[NB_d(θ)],

and for one parameter ``φ`` (the partial EVPI)

    EVPPI(φ) = E_φ[max_d E(NB_d | φ)] − max_d E[NB_d],

with the inner conditional expectation estimated non-parametrically by
ordering the draws by ``φ`` and averaging within ``B`` bins of equal size
(Strong & Oakley's single-parameter method :cite:`Strong2013`). Net benefit
for costs ``c_d`` and health effects ``e_d`` at willingness to pay ``λ`` is
``λ e_d − c_d`` (:cite:`Fenwick2001` for acceptability curves).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Provenance, Result
from .._stats import wilson  # the toolkit's one Wilson interval
from ..tolerance import TOL, is_close
from ..tower.thresholds import find_threshold
from ._models import check_model_parameters
from ._run import PSAResult, as_frame, column
from ._space import ParameterSpace, UncertaintySpecError

__all__ = [
    "OutcomeProbability",
    "ceac",
    "drivers",
    "evpi",
    "evppi",
    "net_benefit",
    "outcome_probability",
    "probabilities",
    "switching_values",
    "tornado",
    "two_way",
    "wilson_interval",
]


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` trials (module docstring).

    Checks its arguments, then uses the toolkit's one implementation (the one
    the collapse curves' bands use).

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    if n < 1:
        raise UncertaintySpecError("a probability needs at least one draw (n >= 1)")
    if not 0 < level < 1:
        raise UncertaintySpecError(f"level={level!r}: give a confidence level in (0, 1), e.g. 0.95")
    low, high = wilson(np.asarray(float(k)), int(n), float(level))
    return float(low), float(high)


@dataclasses.dataclass(frozen=True)
class OutcomeProbability(Result):
    """``P(outcome)`` from ``k`` of ``n`` draws, with a Wilson interval at ``level``."""

    outcome: str
    k: int
    n: int
    p: float
    low: float
    high: float
    level: float
    provenance: Provenance

    def __str__(self) -> str:
        return (
            f"P({self.outcome}) = {self.p:.3f} ({self.level:.0%} CI {self.low:.3f} to "
            f"{self.high:.3f}; {self.k} of {self.n} draws)"
        )


def _event(
    frame: pd.DataFrame, outcome: str | Callable[[pd.DataFrame], Any]
) -> tuple[str, np.ndarray]:
    if callable(outcome):
        values = np.asarray(outcome(frame))
        name = getattr(outcome, "__name__", "event")
    else:
        values = column(frame, outcome)
        name = str(outcome)
    values = np.asarray(values, dtype=float)
    if values.shape != (len(frame),) or not np.all(np.isin(values, (0.0, 1.0))):
        raise UncertaintySpecError(
            f"outcome {name!r} must be true/false for every draw; compare a number with a "
            "threshold first, e.g. lambda f: f['value_lost'] > 10"
        )
    return name, values.astype(bool)


def outcome_probability(
    data: PSAResult | pd.DataFrame,
    outcome: str | Callable[[pd.DataFrame], Any],
    level: float = 0.95,
) -> OutcomeProbability:
    """The probability of a boolean outcome over the draws, with its Wilson interval.

    Parameters
    ----------
    data : PSAResult or DataFrame
    outcome : column name or callable frame -> booleans
    level : float
        Confidence level of the interval.

    Examples
    --------
    >>> import pandas as pd
    >>> str(outcome_probability(pd.DataFrame({"fell": [True, False, False, True]}), "fell"))
    'P(fell) = 0.500 (95% CI 0.150 to 0.850; 2 of 4 draws)'
    """
    frame = as_frame(data)
    name, hit = _event(frame, outcome)
    k, n = int(hit.sum()), int(hit.size)
    low, high = wilson_interval(k, n, level)
    return OutcomeProbability(
        name, k, n, k / n, low, high, level, Provenance("wilson", {"level": level})
    )


def probabilities(
    data: PSAResult | pd.DataFrame, outcomes: Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """:func:`outcome_probability` of several outcomes (default: every boolean output) as a frame."""
    frame = as_frame(data)
    if outcomes is None:
        cols = data.outputs if isinstance(data, PSAResult) else tuple(frame.columns)
        outcomes = [c for c in cols if frame[c].dtype == bool]
    rows = [dataclasses.asdict(outcome_probability(frame, o, level)) for o in outcomes]
    return pd.DataFrame(rows, columns=["outcome", "k", "n", "p", "low", "high", "level"])


def drivers(
    data: PSAResult | pd.DataFrame, output: str, parameters: Sequence[str] | None = None
) -> pd.DataFrame:
    """Which parameters move an output most over the PSA draws: Spearman rank correlations.

    No extra model runs: ``rho`` is the rank correlation between each uncertain
    parameter and ``output`` (a boolean output is read as 0/1), sorted by
    ``|rho|``; ``p_value`` tests ``rho = 0``. A screening summary for the
    report's "driven mostly by"; Sobol' indices are the variance-based answer.
    """
    frame = as_frame(data)
    if parameters is None:
        if not isinstance(data, PSAResult):
            raise UncertaintySpecError("give parameters= when passing a frame")
        parameters = [p for p in data.parameters if frame[p].nunique() > 1]
    y = column(frame, output)
    rows = []
    for p in parameters:
        x = column(frame, p)
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            rho, pv = 0.0, 1.0
        else:
            res = stats.spearmanr(x, y)
            rho, pv = float(res.statistic), float(res.pvalue)
        rows.append((p, rho, abs(rho), pv))
    df = pd.DataFrame(rows, columns=["parameter", "rho", "abs_rho", "p_value"])
    return df.sort_values("abs_rho", ascending=False, kind="stable", ignore_index=True)


def _scalar(model: Callable[..., Any], params: Mapping[str, float], output: str) -> float:
    res = model(**params)
    if isinstance(res, Result):
        res = res.to_dict()
    if not isinstance(res, Mapping):
        return float(res)
    if output not in res:
        raise UncertaintySpecError(f"the model has no output {output!r}; it returns {sorted(res)}")
    return float(res[output])


def tornado(
    model: Callable[..., Any],
    space: ParameterSpace,
    output: str,
    *,
    low: float = 0.05,
    high: float = 0.95,
) -> pd.DataFrame:
    """One-way deterministic sensitivity analysis: each parameter at two quantiles, the rest at base.

    The base case holds every parameter at its median. Each uncertain parameter
    in turn is set to its ``low`` and ``high`` quantiles. Rows are sorted by
    swing ``|y(high) − y(low)|``, largest first (the order of a tornado diagram).

    Returns
    -------
    pandas.DataFrame
        ``parameter``, ``low_value``, ``high_value``, ``output_low``, ``output_high``,
        ``swing``, and the base output in ``frame.attrs["base"]``.
    """
    if not 0 <= low < high <= 1:
        raise UncertaintySpecError(
            f"low={low!r}, high={high!r}: give quantiles with 0 <= low < high <= 1"
        )
    check_model_parameters(model, space.names)
    base = space.base()
    y0 = _scalar(model, base, output)
    rows = []
    for name in space.uncertain:
        lo, hi = space.quantile(name, low), space.quantile(name, high)
        ylo = _scalar(model, {**base, name: lo}, output)
        yhi = _scalar(model, {**base, name: hi}, output)
        rows.append((name, lo, hi, ylo, yhi, abs(yhi - ylo)))
    df = pd.DataFrame(
        rows, columns=["parameter", "low_value", "high_value", "output_low", "output_high", "swing"]
    )
    df = df.sort_values("swing", ascending=False, kind="stable", ignore_index=True)
    df.attrs.update(base=y0, output=output, quantiles=(low, high))
    return df


def two_way(
    model: Callable[..., Any],
    space: ParameterSpace,
    x: str,
    y: str,
    output: str,
    *,
    points: int = 9,
    low: float = 0.05,
    high: float = 0.95,
) -> pd.DataFrame:
    """Two-way deterministic analysis: ``x`` and ``y`` over a grid of quantiles, the rest at base.

    Returns a tidy frame with columns ``x``, ``y`` (their values) and ``output``.
    """
    check_model_parameters(model, space.names)
    for name in (x, y):
        space._position(name, "two_way")
    qs = np.linspace(low, high, int(points))
    base = space.base()
    rows = []
    for qx in qs:
        vx = space.quantile(x, qx)
        for qy in qs:
            vy = space.quantile(y, qy)
            rows.append((vx, vy, _scalar(model, {**base, x: vx, y: vy}, output)))
    return pd.DataFrame(rows, columns=[x, y, output])


def switching_values(
    model: Callable[..., Any],
    space: ParameterSpace,
    parameter: str,
    output: str | Sequence[str],
    *,
    low: float = 0.0,
    high: float = 1.0,
    points: int = 21,
    tol: float = 1e-6,
) -> list[tuple[float, Any, Any]]:
    """Where a boolean outcome, or the best of several options, changes along one parameter.

    ``parameter`` moves between its ``low`` and ``high`` quantiles (bounded
    distributions: its whole support), the others at their medians. With one
    ``output`` the state is its truth value (non-zero); with several, the state
    is the option with the largest value (net benefits of options). Every change
    between neighbouring grid points is refined by bisection to ``tol`` (relative
    above 1) with :func:`jenga_games.tower.find_threshold`.

    Returns
    -------
    list of (value, state before, state after)
        Each switch (the midpoint of its final bracket), in increasing order.

    Examples
    --------
    >>> from scipy import stats
    >>> sp = ParameterSpace({"c": stats.uniform(0, 4)})
    >>> [(round(v, 4), a, b) for v, a, b in switching_values(lambda c: {"fell": c < 2.75}, sp, "c", "fell")]
    [(2.75, True, False)]
    """
    check_model_parameters(model, space.names)
    space._position(parameter, "switching_values")
    base = space.base()
    options = [output] if isinstance(output, str) else list(output)

    def state(v: float) -> Any:
        vals = [_scalar(model, {**base, parameter: v}, o) for o in options]
        return bool(vals[0]) if len(options) == 1 else options[int(np.argmax(vals))]

    lo_v, hi_v = space.quantile(parameter, low), space.quantile(parameter, high)
    if not (math.isfinite(lo_v) and math.isfinite(hi_v)):
        raise UncertaintySpecError(
            f"{parameter!r} is unbounded: give quantiles low > 0 and high < 1, e.g. 0.001 and 0.999"
        )
    grid = np.linspace(lo_v, hi_v, int(points))
    states = [state(v) for v in grid]
    out = []
    for i in range(len(grid) - 1):
        if states[i] == states[i + 1]:
            continue
        a, b = float(grid[i]), float(grid[i + 1])
        before = states[i]
        th = find_threshold(lambda v, s0=before: state(v) != s0, a, b, tol=tol * max(1.0, abs(b)))
        out.append((th.value, before, states[i + 1]))
    return out


def net_benefit(
    data: PSAResult | pd.DataFrame, options: Mapping[str, Any], wtp: float | None = None
) -> pd.DataFrame:
    """Net benefit per draw (rows) and option (columns).

    ``options`` maps each option to a net-benefit column, or to a pair
    ``(cost column, effect column)`` valued as ``wtp × effect − cost``.
    """
    frame = as_frame(data)
    if not options:
        raise UncertaintySpecError("give at least one option: {'name': column or (cost, effect)}")
    cols = {}
    for name, spec in options.items():
        if isinstance(spec, str):
            cols[name] = column(frame, spec)
        else:
            cost, effect = spec
            if wtp is None:
                raise UncertaintySpecError(
                    f"option {name!r} has a cost and an effect: give wtp (willingness to pay "
                    "per unit of effect) to value it"
                )
            cols[name] = wtp * column(frame, effect) - column(frame, cost)
    return pd.DataFrame(cols, index=frame.index)


def evpi(nb: pd.DataFrame | np.ndarray) -> float:
    """Expected value of perfect information ``E[max_d NB_d] − max_d E[NB_d]`` (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> evpi(np.array([[0.0, 1.0], [0.0, -1.0]]))   # E[max] = 0.5, max E = 0
    0.5
    """
    a = np.asarray(nb, dtype=float)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise UncertaintySpecError("net benefits must be a draws x options table")
    return _nonneg(a.max(axis=1).mean() - a.mean(axis=0).max(), a)


def evppi(
    nb: pd.DataFrame | np.ndarray, parameter: Sequence[float] | np.ndarray, bins: int | None = None
) -> float:
    """Partial EVPI of one parameter by Strong & Oakley's ordering-and-binning method.

    Parameters
    ----------
    nb : draws x options
        Net benefits.
    parameter : length-n array
        The parameter's value in each draw.
    bins : int, optional
        Number of bins of (nearly) equal size; default ``round(sqrt(n))``. More bins
        lower the bias from averaging over ``φ`` and raise the upward bias of the
        maximum of noisy means.

    Returns
    -------
    float
        Between 0 and EVPI up to estimation error.
    """
    a = np.asarray(nb, dtype=float)
    phi = np.asarray(parameter, dtype=float)
    if a.ndim != 2 or phi.shape != (a.shape[0],):
        raise UncertaintySpecError(
            "evppi needs net benefits (draws x options) and one parameter value per draw"
        )
    n = a.shape[0]
    b = int(bins) if bins is not None else max(1, round(math.sqrt(n)))
    if not 1 <= b <= n:
        raise UncertaintySpecError(f"bins={bins!r}: give 1 <= bins <= number of draws ({n})")
    order = np.argsort(phi, kind="stable")
    parts = np.array_split(a[order], b)
    inner = sum(p.shape[0] * p.mean(axis=0).max() for p in parts) / n
    return _nonneg(inner - a.mean(axis=0).max(), a)


def _nonneg(value: float, nb: np.ndarray) -> float:
    """``value``, with float rounding below zero (|value| within TOL of the scale) read as 0."""
    scale = float(np.abs(nb).max()) if nb.size else 1.0
    return 0.0 if is_close(value, 0.0) or abs(value) <= TOL * max(1.0, scale) else float(value)


def ceac(
    data: PSAResult | pd.DataFrame,
    options: Mapping[str, tuple[str, str]],
    wtp: Sequence[float],
) -> pd.DataFrame:
    """Cost-effectiveness acceptability curves and the EVPI at each willingness to pay.

    Parameters
    ----------
    options : mapping option -> (cost column, effect column)
    wtp : sequence of float
        Willingness to pay per unit of effect.

    Returns
    -------
    pandas.DataFrame
        One row per ``wtp``: the probability that each option has the largest net
        benefit (ties to the first), the option with the largest expected net benefit
        (``best``), and ``evpi``.
    """
    rows = []
    names = list(options)
    for lam in wtp:
        nb = net_benefit(data, options, float(lam)).to_numpy()
        best = np.argmax(nb, axis=1)
        row = {"wtp": float(lam)}
        row.update({n: float(np.mean(best == i)) for i, n in enumerate(names)})
        row["best"] = names[int(np.argmax(nb.mean(axis=0)))]
        row["evpi"] = evpi(nb)
        rows.append(row)
    return pd.DataFrame(rows)
