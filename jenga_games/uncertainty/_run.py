"""Probabilistic sensitivity analysis: a model run over seeded draws on the sweep back-ends.

The draws are made once, in the calling process, from the space, the
sampler, ``n`` and the seed; they become the points of a
:func:`jenga_games.sweep.sweep`, which runs them serially, on local processes
or on a Dask cluster. A model that takes ``seed=`` gets the sweep's per-point
seed (derived from the user seed and the draw's index only). So the frame is
identical for the same seed on every back-end and worker count, and with
``out=`` a killed run resumes where it stopped (a manifest ``psa.json``
guards against resuming a different analysis).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._io import atomic_write_text
from .._results import Provenance, Result
from ..sweep import SweepError, function_fingerprint, sweep
from ._models import check_model_parameters
from ._space import ParameterSpace, UncertaintySpecError, check_n

__all__ = ["PSAResult", "psa"]


@dataclasses.dataclass(frozen=True, repr=False)
class PSAResult(Result):
    """The draws and the model's answers, one row per draw.

    Attributes
    ----------
    frame : pandas.DataFrame
        Columns ``draw`` (0..n-1), the parameters (in the space's order),
        ``seed`` (only for models taking a seed) and the model's outputs.
    parameters : tuple of str
        The parameter columns.
    outputs : tuple of str
        The output columns.
    space : ParameterSpace
    provenance : Provenance
        Method ``"psa"`` with the sampler, ``n``, the back-end and the model.
    """

    frame: pd.DataFrame
    parameters: tuple[str, ...]
    outputs: tuple[str, ...]
    space: ParameterSpace
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["space"] = self.space.describe()
        return d

    def __repr__(self) -> str:
        p = self.provenance.params
        return (
            f"PSAResult({len(self.frame)} draws, sampler={p.get('sampler')!r}, "
            f"seed={self.provenance.seed}, {len(self.parameters)} parameters, "
            f"{len(self.outputs)} outputs)"
        )


def _model_id(model: Callable[..., Any]) -> str:
    name, digest = function_fingerprint(model)
    config = repr(model) if not hasattr(model, "__code__") else ""
    return hashlib.sha256(f"{name}\n{digest}\n{config}".encode()).hexdigest()


def psa(
    model: Callable[..., Any],
    space: ParameterSpace | Mapping[str, Any],
    n: int,
    *,
    seed: int = 0,
    sampler: str = "lhs",
    backend: Any = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool = False,
    on_error: str = "raise",
    chunksize: int | None = None,
) -> PSAResult:
    """Run ``model`` over ``n`` seeded draws of ``space``: a probabilistic sensitivity analysis.

    Parameters
    ----------
    model : callable
        ``model(**draw)`` (plus ``seed=`` if it takes one) returning a dict of
        scalars, a Result or a number (see :func:`jenga_games.sweep.sweep`);
        e.g. :class:`JengaModel` or :class:`TowerModel`. For the process and
        Dask back-ends it must be picklable (module level).
    space : ParameterSpace or mapping name -> distribution
        The uncertain (and fixed) parameters.
    n : int
        Number of draws.
    seed : int
        Seeds the sampler (and the model's per-draw seeds).
    sampler : {"lhs", "mc", "sobol"}
    backend, workers, chunksize, on_error
        As for :func:`jenga_games.sweep.sweep` (default in-process).
    out : path, optional
        Directory for results as they finish; a rerun resumes from it.
    progress : bool
        A progress bar on stderr.

    Returns
    -------
    PSAResult

    Raises
    ------
    UncertaintySpecError
        Unknown parameters for the model, bad distributions, ``n < 1``, an
        ``out`` holding a different analysis.

    Examples
    --------
    >>> from scipy import stats
    >>> def margin(price, cost):
    ...     return {"loss": price < cost}
    >>> r = psa(margin, {"price": stats.uniform(0, 1), "cost": 0.25}, n=8, seed=1)
    >>> list(r.frame.columns), r.outputs
    (['draw', 'price', 'cost', 'loss'], ('loss',))
    """
    if not isinstance(space, ParameterSpace):
        space = ParameterSpace(space)
    n = check_n(n)
    check_model_parameters(model, space.names)
    draws = space.sample(n, seed=seed, sampler=sampler)
    manifest = {
        "model": _model_id(model),
        "model_repr": repr(model),
        "space": space.describe(),
        "correlation": None if space.correlation is None else space.correlation.tolist(),
        "sampler": sampler,
        "n": n,
        "seed": seed,
    }
    sweep_out = None
    if out is not None:
        root = Path(out)
        root.mkdir(parents=True, exist_ok=True)
        path = root / "psa.json"
        if path.exists():
            old = json.loads(path.read_text())
            if old != manifest:
                changed = sorted(k for k in manifest if old.get(k) != manifest[k])
                raise UncertaintySpecError(
                    f"{str(out)!r} holds a different analysis (changed: {', '.join(changed)}); "
                    "use a new out directory, or delete this one to start again"
                )
        else:
            atomic_write_text(path, json.dumps(manifest, indent=2, sort_keys=True))
        sweep_out = root / "draws"
    frame = evaluate(
        model,
        draws,
        seed=seed,
        backend=backend,
        workers=workers,
        out=sweep_out,
        progress=progress,
        on_error=on_error,
        chunksize=chunksize,
    )
    fixed = {"draw", *space.names, "seed", "error"}
    outputs = tuple(c for c in frame.columns if c not in fixed)
    prov = Provenance(
        "psa",
        {
            "sampler": sampler,
            "n": n,
            "backend": backend
            if isinstance(backend, str) or backend is None
            else type(backend).__name__,
            "model": repr(model) if not hasattr(model, "__code__") else model.__qualname__,
        },
        seed=seed,
    )
    return PSAResult(frame, tuple(space.names), outputs, space, prov)


def evaluate(
    model: Callable[..., Any], draws: pd.DataFrame, *, seed: int = 0, **sweep_options: Any
) -> pd.DataFrame:
    """Run ``model`` on each row of ``draws`` through :func:`jenga_games.sweep.sweep`.

    Returns the frame ``draw``, the parameters, ``seed`` (models taking one) and
    the outputs, ordered by draw whatever the back-end.
    """
    names = tuple(str(c) for c in draws.columns)
    keys = [f"p{i}" for i in range(len(names))]  # sweep keys must be identifiers
    points = draws.set_axis(keys, axis=1).to_dict(orient="records")
    rename = {"point": "draw", **dict(zip(keys, names))}
    try:
        frame = sweep(
            _Call(model, names, _names_seed(model)), points, seeds=[seed], **sweep_options
        )
    except SweepError as err:  # report the parameters by their own names
        errors, done = err.errors.rename(columns=rename), err.frame.rename(columns=rename)
        first = errors.iloc[0]
        values = ", ".join(f"{k}={first[k]!r}" for k in names)
        raise SweepError(
            f"the model failed on {len(errors)} of {len(draws)} draws (see .errors, .frame; "
            f"or on_error='record'); first, draw {int(first['draw'])} ({values}): {first['error']}",
            errors,
            done,
        ) from None
    frame = frame.rename(columns=rename)
    if "seed" in frame and not _names_seed(model):  # the model takes no seed
        frame = frame.drop(columns="seed")
    return frame


class _Call:
    """The model called with the parameters' own names (picklable; sweep keys are p0, p1, ...)."""

    def __init__(self, model: Callable[..., Any], names: tuple[str, ...], seeded: bool):
        self.model, self.names, self.seeded = model, names, seeded

    def __call__(self, **kw: Any) -> Any:
        seed = kw.pop("seed")
        draw = {self.names[int(k[1:])]: v for k, v in kw.items()}
        return self.model(**draw, seed=seed) if self.seeded else self.model(**draw)


def _names_seed(model: Callable[..., Any]) -> bool:
    import inspect

    try:
        return "seed" in inspect.signature(model).parameters
    except (TypeError, ValueError):
        return False


def as_frame(data: PSAResult | pd.DataFrame) -> pd.DataFrame:
    """The frame of a :class:`PSAResult`, or the frame itself."""
    if isinstance(data, PSAResult):
        return data.frame
    if isinstance(data, pd.DataFrame):
        return data
    raise UncertaintySpecError(
        f"expected a PSAResult or a pandas DataFrame, got {type(data).__name__}"
    )


def column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as floats, or an error naming the columns there are."""
    if name not in frame.columns:
        import difflib

        close = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UncertaintySpecError(
            f"no column {name!r} in the frame{hint}; columns are {list(frame.columns)}"
        )
    return frame[name].to_numpy(dtype=float)
