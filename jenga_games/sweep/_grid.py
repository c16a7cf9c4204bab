"""Parameter grids, per-task seeds and fingerprints of a sweep.

A sweep is a list of *tasks*: every parameter set (a *point*, numbered in grid
order) paired with every user seed. Task ``t`` is point ``t // len(seeds)``
with seed ``seeds[t % len(seeds)]``. The seed handed to the function is derived
from the user seed and the point's index alone,

    task_seed(s, i) = SeedSequence(entropy=s, spawn_key=(i,))  →  63-bit int,

so it does not depend on the backend, the number of workers or the chunking
(the spawn-key construction is how numpy's ``SeedSequence.spawn`` makes
independent children [ONeill2015]_).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import itertools
import json
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .._results import to_plain
from ..errors import JengaError

__all__ = [
    "RESERVED",
    "Task",
    "expand_grid",
    "function_fingerprint",
    "grid_fingerprint",
    "normalise_seeds",
    "task_seed",
]

#: Column names the sweep itself uses; parameters and results may not take them.
RESERVED = frozenset({"point", "seed", "error", "_task"})

Task = tuple[int, int, dict[str, Any], "int | None", "int | None"]
"""(task index, point index, parameters, user seed or None, derived seed or None)."""


def expand_grid(
    grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The parameter sets of ``grid``: a dict of lists (Cartesian product, last key
    fastest) or a list of dicts (used as given)."""
    if isinstance(grid, Mapping):
        if not grid:
            raise JengaError(
                "the sweep grid is empty: give at least one parameter, "
                "e.g. {'overhead': [0.0, 0.5, 1.0]}"
            )
        keys = list(grid)
        lists = []
        for key in keys:
            _check_name(key)
            values = grid[key]
            if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
                raise JengaError(
                    f"grid[{key!r}] must be a list of values, got {values!r}; "
                    f"write [{values!r}] for a fixed value"
                )
            values = list(values)  # arrays, ranges, Series, generators
            if len(values) == 0:
                raise JengaError(
                    f"grid[{key!r}] is an empty list: the Cartesian product has "
                    "no points; give at least one value"
                )
            lists.append(values)
        return [dict(zip(keys, combo)) for combo in itertools.product(*lists)]
    if isinstance(grid, str | bytes) or not isinstance(grid, Sequence):
        raise JengaError(
            f"the sweep grid must be a dict of lists or a list of dicts, got {type(grid).__name__}"
        )
    if len(grid) == 0:
        raise JengaError("the sweep grid is an empty list: give at least one parameter dict")
    points = []
    for i, params in enumerate(grid):
        if not isinstance(params, Mapping):
            raise JengaError(f"grid[{i}] must be a dict of parameters, got {params!r}")
        for key in params:
            _check_name(key)
        points.append(dict(params))
    return points


def _check_name(key: object) -> None:
    if not isinstance(key, str) or not key.isidentifier():
        raise JengaError(
            f"sweep parameter name {key!r} must be a Python identifier "
            "(it is passed to the function as a keyword argument)"
        )
    if key in RESERVED:
        raise JengaError(
            f"sweep parameter name {key!r} is reserved for the result frame "
            f"(reserved: {sorted(RESERVED)}); rename the parameter"
        )


def normalise_seeds(seeds: int | Sequence[int] | None, takes_seed: bool) -> list[int] | None:
    """``None`` → ``[0]`` if the function takes ``seed`` else no seeds; an int ``n`` →
    ``[0, ..., n-1]``; a sequence → its distinct non-negative ints, in order."""
    if seeds is None:
        return [0] if takes_seed else None
    if isinstance(seeds, bool):
        raise JengaError("seeds must be a number of replicates or a list of ints, not a bool")
    if isinstance(seeds, numbers.Integral):
        if seeds < 1:
            raise JengaError(f"seeds={seeds} replicates: give at least 1")
        out = list(range(int(seeds)))
    else:
        out = []
        for s in seeds:
            if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0:
                raise JengaError(f"seed {s!r} in seeds must be a non-negative int")
            out.append(int(s))
        if not out:
            raise JengaError("seeds is an empty list: give at least one seed")
        if len(set(out)) != len(out):
            raise JengaError(f"seeds {out} contains repeats: each seed must appear once")
    if not takes_seed:
        raise JengaError(
            "seeds were given but the function has no `seed` parameter; "
            "add `seed=None` to its signature (and use it with "
            "jenga_games._rng.make_rng), or leave seeds=None"
        )
    return out


def task_seed(seed: int, point: int) -> int:
    """The seed the sweep hands to the function for user seed ``seed`` at point ``point``.

    Parameters
    ----------
    seed : int
        The user seed (a value of the ``seed`` column of the sweep's frame).
    point : int
        The point index (the ``point`` column).

    Returns
    -------
    int
        A 63-bit integer, ``SeedSequence(seed, spawn_key=(point,))`` condensed;
        call ``function(**params, seed=task_seed(row.seed, row.point))`` to
        reproduce a row.

    Examples
    --------
    >>> task_seed(0, 3) == task_seed(0, 3)
    True
    >>> task_seed(0, 3) != task_seed(0, 4) and task_seed(0, 3) != task_seed(1, 3)
    True
    """
    state = np.random.SeedSequence(int(seed), spawn_key=(int(point),)).generate_state(2, np.uint32)
    return int((int(state[0]) << 32 | int(state[1])) & ((1 << 63) - 1))


def takes_seed(function: Callable[..., Any]) -> bool:
    """Whether ``function`` accepts a ``seed`` keyword argument."""
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):
        return False
    return any(
        p.name == "seed" or p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values()
    )


def _canonical(value: Any) -> str:
    return json.dumps(to_plain(value), sort_keys=True, default=repr)


def grid_fingerprint(points: list[dict[str, Any]], seeds: list[int] | None) -> str:
    """SHA-256 of the parameter sets (in order) and the seeds."""
    text = _canonical({"points": points, "seeds": seeds})
    return hashlib.sha256(text.encode()).hexdigest()


def _describe_callable(function: Any) -> tuple[str, str]:
    """(qualified name, source or byte-code text) of a callable."""
    if isinstance(function, functools.partial):
        name, body = _describe_callable(function.func)
        return (
            f"partial({name})",
            body + _canonical({"args": list(function.args), "keywords": function.keywords}),
        )
    target = (
        function if inspect.isfunction(function) or inspect.ismethod(function) else type(function)
    )
    name = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"
    try:
        body = inspect.getsource(target)
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        body = repr((code.co_code, code.co_consts)) if code is not None else ""
    return name, body


def function_fingerprint(function: Callable[..., Any]) -> tuple[str, str]:
    """``(qualified name, SHA-256 of name and source)`` identifying ``function``.

    What a sweep's manifest (and a PSA's ``model_id``) records so that a rerun
    with a changed function refuses to mix results. The source is read with
    :func:`inspect.getsource` (the byte code when there is none, e.g. a
    built-in); a :func:`functools.partial` adds its bound arguments; a
    callable object is identified by its class.

    Examples
    --------
    >>> def margin(price, cost):
    ...     return {"margin": price - cost}
    >>> name, digest = function_fingerprint(margin)
    >>> name.endswith("margin"), len(digest)
    (True, 64)
    """
    name, body = _describe_callable(function)
    return name, hashlib.sha256((name + "\n" + body).encode()).hexdigest()


def make_tasks(points: list[dict[str, Any]], seeds: list[int] | None) -> list[Task]:
    tasks: list[Task] = []
    if seeds is None:
        return [(i, i, p, None, None) for i, p in enumerate(points)]
    for i, p in enumerate(points):
        for s in seeds:
            tasks.append((len(tasks), i, p, s, task_seed(s, i)))
    return tasks
