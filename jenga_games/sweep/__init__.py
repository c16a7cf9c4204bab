"""Parameter sweeps: a grid of parameter sets × seeds → a tidy ``pandas.DataFrame``.

:func:`sweep` calls a function once per parameter set (a *point*) and seed, on
local processes by default, in-process with ``backend="serial"``, or on a Dask
cluster when given a ``dask.distributed.Client`` or a scheduler address. The
frame has one row per point and seed, with columns ``point`` (the index of the
parameter set in the grid), the parameters, ``seed`` (the user seed) and the
function's results.

Reproducibility: the function receives ``seed=task_seed(seed, point)``, a seed
derived from the user seed and the point index only (numpy ``SeedSequence``
with ``spawn_key=(point,)`` [ONeill2015]_), so the frame is identical whatever
the backend, the number of workers or the chunking.

Durability: with ``out=PATH`` every finished chunk is written atomically as a
part file (Parquet with pyarrow, else CSV) beside a manifest that fingerprints
the function (qualified name and source) and the grid. A rerun with the same
function and grid skips finished tasks; a changed function or grid raises
rather than mixing results.

Examples
--------
>>> def margin(price, cost):
...     return {"margin": price - cost}
>>> sweep(margin, {"price": [2.0, 3.0], "cost": [1.0]}, backend="serial", progress=False)
   point  price  cost  margin
0      0    2.0   1.0     1.0
1      1    3.0   1.0     2.0
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import math
import os
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from .._progress import progress_bar
from ..errors import JengaError, SweepError
from ._grid import (
    expand_grid,
    function_fingerprint,
    grid_fingerprint,
    make_tasks,
    normalise_seeds,
    takes_seed,
    task_seed,
)
from ._run import flatten_result, run_chunk
from ._store import SweepStore, read_sweep

__all__ = [
    "SweepError",
    "flatten_result",
    "function_fingerprint",
    "read_sweep",
    "sweep",
    "task_seed",
]

log = logging.getLogger(__name__)


def sweep(
    function: Callable[..., Any],
    grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]],
    *,
    seeds: int | Sequence[int] | None = None,
    backend: Any = None,
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool = True,
    on_error: str = "raise",
    chunksize: int | None = None,
    format: str | None = None,
) -> pd.DataFrame:
    """Run ``function`` over a parameter grid and seeds; return a tidy frame.

    Parameters
    ----------
    function : callable
        Called as ``function(**params)``, plus ``seed=`` when seeds are used. It
        returns a dict of scalar results, a :class:`~jenga_games._results.Result`
        (its ``to_dict()``, nested fields flattened as ``a.b``; lists stored as
        JSON text) or a number (column ``value``). For process and Dask backends it
        must be picklable: define it at module level (Dask also takes lambdas).
    grid : dict of lists, or list of dicts
        A dict of lists is expanded as a Cartesian product (the last key varies
        fastest); a list of dicts is used as given. Parameter values should be
        scalars; others are recorded in the frame as JSON text.
    seeds : int, list of int, or None
        ``n`` runs every point with seeds ``0..n-1``; a list runs those seeds.
        ``None`` (default) means seed ``0`` if ``function`` has a ``seed``
        parameter, else no seed. The function gets ``seed=task_seed(s, point)``.
    backend : None, "processes", "serial", a dask ``Client``, a scheduler address, or an Executor
        ``None``/``"processes"``: a local ``ProcessPoolExecutor`` with ``workers``
        processes (default: the CPUs this process may use, at most one per
        task). ``"serial"``: in this process. A ``dask.distributed.Client`` or an address such as ``"tcp://host:8786"``:
        that Dask cluster (needs the ``distributed`` extra). Any
        ``concurrent.futures.Executor`` is used as given.
    workers : int, optional
        Number of local processes (``backend=None`` or ``"processes"`` only).
    out : path, optional
        A directory where results are written as they finish and from which a
        rerun resumes (see the module docstring). The returned frame is then read
        back from it (CSV re-infers column types).
    progress : bool
        Show a ``tqdm`` progress bar on stderr.
    on_error : {"raise", "record"}
        A failing task never stops the others. ``"raise"``: after all tasks ran,
        raise :class:`SweepError` listing the failed parameters. ``"record"``:
        return them as rows with an ``error`` column (results missing).
    chunksize : int, optional
        Tasks per unit of work (and per part file). Default: about four chunks
        per worker, at most 200 tasks each.
    format : {"parquet", "csv"}, optional
        Part file format for ``out``; default Parquet if pyarrow is installed.

    Returns
    -------
    pandas.DataFrame
        One row per point and seed, ordered by point then seed; columns
        ``point``, the parameters, ``seed`` (if seeds are used), the results, and
        ``error`` (only with ``on_error="record"`` when some task failed).

    Raises
    ------
    JengaError
        Bad grid, seeds or options, an unpicklable function, or an ``out``
        directory holding a different sweep.
    SweepError
        Some tasks failed and ``on_error="raise"``.

    Examples
    --------
    >>> def noisy(scale, seed):
    ...     import numpy as np
    ...     return {"x": scale * np.random.default_rng(seed).random()}
    >>> a = sweep(noisy, {"scale": [1.0, 2.0]}, seeds=2, backend="serial", progress=False)
    >>> b = sweep(noisy, {"scale": [1.0, 2.0]}, seeds=2, backend="serial", progress=False)
    >>> a.equals(b), len(a), list(a.columns)
    (True, 4, ['point', 'scale', 'seed', 'x'])
    """
    if not callable(function):
        raise JengaError(f"sweep needs a function to call, got {function!r}")
    if on_error not in ("raise", "record"):
        raise JengaError(f"on_error={on_error!r}: use 'raise' or 'record'")
    if format not in (None, "csv", "parquet"):
        raise JengaError(f"format={format!r}: use 'parquet', 'csv' or None")
    if chunksize is not None and (
        isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1
    ):
        raise JengaError(f"chunksize={chunksize!r}: give a positive int")
    points = expand_grid(grid)
    param_names: list[str] = []
    for p in points:
        param_names.extend(k for k in p if k not in param_names)
    seed_list = normalise_seeds(seeds, takes_seed(function))
    tasks = make_tasks(points, seed_list)

    store = None
    done: set[int] = set()
    if out is not None:
        name, fhash = function_fingerprint(function)
        store = SweepStore(
            out,
            {
                "function": name,
                "function_hash": fhash,
                "grid_hash": grid_fingerprint(points, seed_list),
                "n_points": len(points),
                "seeds": seed_list,
                "n_tasks": len(tasks),
                "parameters": param_names,
            },
            format,
        )
        done = set(store.read()["_task"].astype(int))
        if done:
            log.info(
                "resuming sweep in %s: %d of %d tasks already done", out, len(done), len(tasks)
            )
    todo = [t for t in tasks if t[0] not in done]

    rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    with _executor(backend, workers, function, len(todo)) as (executor, n_workers):
        size = chunksize or max(1, min(200, math.ceil(len(todo) / (4 * n_workers))))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        bar = _progress(progress, len(tasks), len(done))
        try:
            for chunk_rows, chunk_failures in _results(executor, function, chunks):
                if store is not None:
                    store.append(chunk_rows)
                rows.extend(chunk_rows)
                failures.extend(chunk_failures)
                bar.update(len(chunk_rows) + len(chunk_failures))
        finally:
            bar.close()

    frame = (
        store.read()
        if store is not None
        else pd.DataFrame(
            sorted(rows, key=lambda r: r["_task"]) or {"_task": pd.Series([], dtype="int64")}
        )
    )
    errors = pd.DataFrame(sorted(failures, key=lambda r: r["_task"]))
    if failures:
        log.warning("%d of %d sweep tasks failed", len(failures), len(tasks))
    if failures and on_error == "record":
        frame = pd.concat([frame, errors.drop(columns="traceback")], ignore_index=True)
        frame = frame.sort_values("_task", ignore_index=True)
    frame = _tidy(frame, param_names)
    if failures and on_error == "raise":
        errors = _tidy(errors, param_names)
        shown = errors.drop(columns="traceback").head(10).to_string(index=False)
        more = f"\n... and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise SweepError(
            f"{len(errors)} of {len(tasks)} sweep tasks failed (the other results are kept"
            f"{' in ' + repr(str(out)) if out is not None else ''}; see .errors and .frame, "
            f"or pass on_error='record'):\n{shown}{more}",
            errors,
            frame,
        )
    return frame


def _tidy(frame: pd.DataFrame, param_names: list[str]) -> pd.DataFrame:
    """Canonical column order (point, parameters, seed, results, error) and index."""
    frame = frame.sort_values("_task", ignore_index=True) if "_task" in frame else frame
    fixed = ["point", *param_names, "seed"]
    # results keep the frame's order: first appearance in task order (rows are sorted by
    # task before the frame is built, and parts are read in task order)
    rest = [c for c in frame.columns if c not in fixed and c not in ("_task", "error")]
    columns = [c for c in fixed if c in frame] + rest + (["error"] if "error" in frame else [])
    return frame[columns].reset_index(drop=True)


def _progress(enabled: bool, total: int, initial: int) -> Any:
    return progress_bar(
        enabled=enabled, total=total, initial=initial, desc="sweep", unit="task", smoothing=0.1
    )


def _die_with_parent() -> None:
    """Worker initializer: on Linux, ask the kernel to end the worker when the parent dies.

    A sweep killed with SIGKILL cannot shut its pool down; without this its workers
    would run on (and hold their memory) after the parent is gone.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # best effort: no libc prctl, no safety net
            import ctypes
            import signal

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
            if os.getppid() == 1:  # the parent died before prctl took effect
                os._exit(1)


class _Serial(cf.Executor):
    """Marker for in-process execution: :func:`_results` runs chunks one at a time."""


def _usable_cpus() -> int:
    """CPUs this process may run on (respects affinity masks, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


class _executor:
    """Context manager yielding (executor, number of workers) for a backend choice."""

    def __init__(
        self, backend: Any, workers: int | None, function: Callable[..., Any], n_tasks: int
    ):
        self.backend, self.workers, self.function = backend, workers, function
        self.n_tasks = n_tasks
        self._close: list[Callable[[], None]] = []

    def __enter__(self) -> tuple[cf.Executor, int]:
        backend, workers = self.backend, self.workers
        if workers is not None and (
            isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
        ):
            raise JengaError(f"workers={workers!r}: give a positive int")
        if backend == "serial":
            return _Serial(), 1
        if backend is None or backend == "processes":
            try:
                pickle.dumps(self.function)
            except Exception as err:  # pickling raises several types
                raise JengaError(
                    f"the sweep function {self.function!r} cannot be sent to worker processes "
                    f"({err}); define it at module level (not a lambda or a local function), "
                    "or use backend='serial'"
                ) from err
            # no more processes than tasks (a resumed sweep may have few left)
            n = max(1, min(workers or _usable_cpus(), self.n_tasks))
            pool = cf.ProcessPoolExecutor(max_workers=n, initializer=_die_with_parent)
            self._close.append(lambda: pool.shutdown(wait=True, cancel_futures=True))
            return pool, n
        if workers is not None:
            raise JengaError(
                "workers= applies to local processes only; size a Dask cluster "
                "with its own options (e.g. `dask worker --nworkers`)"
            )
        client = backend
        if isinstance(backend, str):
            if not re.fullmatch(
                r"(tcp|tls|inproc|ucx|ws|wss)://\S+|[\w.\-\[\]:]+:\d{1,5}", backend
            ):
                raise JengaError(
                    f"backend={backend!r}: use 'processes', 'serial', a Dask scheduler address "
                    "such as 'tcp://127.0.0.1:8786' or 'localhost:8786', a "
                    "dask.distributed.Client or an Executor"
                )
            try:
                from distributed import Client
            except ImportError as err:
                raise JengaError(
                    "a Dask scheduler address needs dask.distributed: "
                    "pip install 'jenga-games[distributed]'"
                ) from err
            client = Client(backend)
            self._close.append(client.close)
        if hasattr(client, "get_executor") and hasattr(client, "scheduler_info"):
            n = max(1, sum(client.nthreads().values()))
            return client.get_executor(pure=False), n
        if isinstance(client, cf.Executor):
            return client, workers or _usable_cpus()
        raise JengaError(
            f"backend={backend!r}: use None, 'processes', 'serial', a "
            "dask.distributed.Client, a scheduler address or an Executor"
        )

    def __exit__(self, *exc: object) -> None:
        for close in reversed(self._close):
            close()


def _results(
    executor: cf.Executor, function: Callable[..., Any], chunks: list[list[Any]]
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Yield each chunk's (rows, failures) as it finishes; cancel the rest on interrupt."""
    if isinstance(executor, _Serial):
        for chunk in chunks:
            yield run_chunk(function, chunk)
        return
    futures = [executor.submit(run_chunk, function, chunk) for chunk in chunks]
    try:
        for future in cf.as_completed(futures):
            try:
                result = future.result()
            except cf.process.BrokenProcessPool:
                raise SweepError(
                    "a worker process of the sweep died (killed, or out of memory) and the "
                    "pool stopped; the tasks finished so far are kept when out= is given: "
                    "run the same sweep again to resume, with fewer workers= if memory ran out"
                ) from None
            yield result
    except BaseException:
        for future in futures:
            future.cancel()
        raise
