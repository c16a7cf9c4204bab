"""Global sensitivity indices through SALib: Sobol' (first and total order) and Morris.

Both work on the unit hypercube: SALib draws the design on ``[0, 1]^k`` and
each coordinate goes through the parameter's quantile function
(:meth:`ParameterSpace.from_unit`), so any marginal can be used. The indices
assume independent parameters; a space with correlations is refused.

Sobol' indices :cite:`Sobol2001` of an output ``Y = f(X)``: first order
``S_i = Var(E[Y | X_i]) / Var(Y)`` and total order
``S_Ti = E[Var(Y | X_~i)] / Var(Y)``, estimated from Saltelli's design of
``N (k + 2)`` model runs :cite:`Saltelli2010`, with bootstrap confidence
intervals. Morris's elementary effects :cite:`Morris1991` screen with
``r (k + 1)`` runs: ``μ*`` (mean absolute effect, on the parameter's own
scale) and ``σ`` (interaction or non-linearity), as revised by
:cite:`Campolongo2007`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ._models import check_model_parameters
from ._run import column, evaluate
from ._space import ParameterSpace, UncertaintySpecError, check_n

__all__ = ["morris_indices", "sobol_indices"]


def _salib():
    try:
        import SALib  # noqa: F401
    except ImportError as err:  # pragma: no cover - a core dependency
        raise UncertaintySpecError(
            "global sensitivity indices need SALib: pip install SALib"
        ) from err


def _problem(space: ParameterSpace) -> tuple[dict[str, Any], tuple[str, ...]]:
    if space.correlation is not None:
        raise UncertaintySpecError(
            "Sobol' and Morris indices assume independent parameters; drop the correlations "
            "for this analysis (or analyse the correlated group as one parameter)"
        )
    names = space.uncertain
    if not names:
        raise UncertaintySpecError("every parameter is fixed: give at least one distribution")
    return {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[0.0, 1.0]] * len(names),
    }, names


def _run(model, space, unit, names, outputs, seed, options) -> dict[str, np.ndarray]:
    full = np.full((unit.shape[0], len(space.uncertain)), 0.5)
    for j, n in enumerate(names):
        full[:, space.uncertain.index(n)] = unit[:, j]
    draws = space.from_unit(full)
    options = {"backend": "serial", "progress": False, **options}  # as psa: in process by default
    frame = evaluate(model, draws, seed=seed, **options)
    return {o: column(frame, o) for o in outputs}


def sobol_indices(
    model: Callable[..., Any],
    space: ParameterSpace,
    outputs: str | list[str],
    n: int = 1024,
    *,
    seed: int = 0,
    second_order: bool = False,
    conf_level: float = 0.95,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Sobol' first- and total-order indices of ``outputs`` (SALib, Saltelli's design).

    Parameters
    ----------
    model : callable
    space : ParameterSpace
        Independent parameters; fixed ones stay fixed.
    outputs : str or list of str
        Numeric (or boolean) outputs of the model.
    n : int
        Base sample size ``N`` (a power of 2); the model runs ``N (k + 2)`` times.
    seed : int
    second_order : bool
        Also the second-order indices (then ``N (2k + 2)`` runs); returned in
        ``frame.attrs["S2"]``.
    sweep_options
        ``backend`` (default in process), ``workers``, ``chunksize``, ``progress`` of
        :func:`jenga_games.sweep.sweep`.

    Returns
    -------
    pandas.DataFrame
        One row per output and parameter: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (half-widths of the bootstrap intervals at ``conf_level``).
    """
    _salib()
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    n = check_n(n)
    check_model_parameters(model, space.names)
    problem, names = _problem(space)
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)
    with warnings.catch_warnings():  # SALib warns when N is not a power of 2: documented
        warnings.simplefilter("ignore")
        unit = sample.sample(problem, n, calc_second_order=second_order, seed=seed)
    ys = _run(model, space, unit, names, outputs, seed, sweep_options)
    rows, s2 = [], {}
    for o in outputs:
        y = ys[o]
        if np.var(y) == 0:
            raise UncertaintySpecError(
                f"output {o!r} does not vary over the design; its Sobol' indices are undefined"
            )
        res = analyze.analyze(
            problem, y, calc_second_order=second_order, conf_level=conf_level, seed=seed
        )
        for j, name in enumerate(names):
            rows.append((o, name, res["S1"][j], res["S1_conf"][j], res["ST"][j], res["ST_conf"][j]))
        if second_order:
            s2[o] = pd.DataFrame(res["S2"], index=names, columns=names)
    df = pd.DataFrame(rows, columns=["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"])
    df.attrs.update(n=n, runs=len(unit), seed=seed, method="sobol (SALib, Saltelli design)")
    if second_order:
        df.attrs["S2"] = s2
    return df


def morris_indices(
    model: Callable[..., Any],
    space: ParameterSpace,
    outputs: str | list[str],
    trajectories: int = 20,
    *,
    levels: int = 4,
    seed: int = 0,
    **sweep_options: Any,
) -> pd.DataFrame:
    """Morris elementary-effects screening (SALib): ``mu_star``, ``mu_star_conf``, ``sigma``.

    Effects are on the unit scale of each parameter's quantiles (a step of
    ``Δ = levels / (2 (levels − 1))`` in probability), so ``mu_star`` compares
    parameters whatever their units. The model runs ``trajectories (k + 1)`` times.
    """
    _salib()
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    trajectories = check_n(trajectories)
    check_model_parameters(model, space.names)
    problem, names = _problem(space)
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)
    unit = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    ys = _run(model, space, unit, names, outputs, seed, sweep_options)
    rows = []
    for o in outputs:
        res = analyze.analyze(problem, unit, ys[o], num_levels=levels, seed=seed)
        for j, name in enumerate(names):
            rows.append(
                (o, name, res["mu"][j], res["mu_star"][j], res["mu_star_conf"][j], res["sigma"][j])
            )
    df = pd.DataFrame(
        rows, columns=["output", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    )
    df = df.sort_values(["output", "mu_star"], ascending=[True, False], ignore_index=True)
    df.attrs.update(trajectories=trajectories, runs=len(unit), seed=seed, method="morris (SALib)")
    return df
