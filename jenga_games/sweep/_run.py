"""The worker side of a sweep: run a chunk of tasks, turn results into flat rows.

This module is imported by worker processes (local or Dask), so it stays small
and free of heavy imports.
"""

from __future__ import annotations

import dataclasses
import numbers
import traceback
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .._results import to_plain
from ..errors import JengaError
from ._grid import RESERVED, Task

__all__ = ["flatten_result", "run_chunk"]

Row = dict[str, Any]
Failure = dict[str, Any]


def _scalar(value: Any) -> Any:
    """A value fit for a frame cell: numbers, strings, booleans, None; else JSON text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    import json

    return json.dumps(to_plain(value), sort_keys=True, default=str)


def flatten_result(result: Any) -> dict[str, Any]:
    """A function's return value as a flat ``{column: scalar}`` dict.

    A Mapping is used as is; an object with ``to_dict()`` (a
    :class:`~jenga_games._results.Result`) or a dataclass through its fields; a
    bare number becomes ``{"value": x}``. Nested mappings are flattened with
    dotted names (``provenance.method``); lists and arrays become JSON text.

    Examples
    --------
    >>> flatten_result({"a": 1, "b": {"c": 2.5}})
    {'a': 1, 'b.c': 2.5}
    >>> flatten_result(3.0)
    {'value': 3.0}
    """
    if hasattr(result, "to_dict") and callable(result.to_dict):
        result = result.to_dict()
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = to_plain(result)
    elif not isinstance(result, Mapping):
        if result is None or isinstance(result, bool | numbers.Number | str | np.generic):
            return {"value": _scalar(result)}
        raise JengaError(
            f"the sweep function returned a {type(result).__name__}; return a "
            "dict of scalar results (or a Result with to_dict(), or a number)"
        )
    flat: dict[str, Any] = {}

    def walk(prefix: str, mapping: Mapping[Any, Any]) -> None:
        for key, value in mapping.items():
            name = f"{prefix}{key}"
            if isinstance(value, Mapping) and value:
                walk(name + ".", value)
            else:
                flat[name] = _scalar(value)

    walk("", result)
    return flat


def _task_columns(task: Task) -> Row:
    """The columns that identify a task: ``_task``, ``point``, its parameters, and ``seed`` if any."""
    index, point, params, seed, _ = task
    row: Row = {"_task": index, "point": point}
    row.update({k: _scalar(v) for k, v in params.items()})
    if seed is not None:
        row["seed"] = seed
    return row


def run_task(function: Callable[..., Any], task: Task) -> Row:
    """Call the function for one task and build its row (raises what the function raises)."""
    _, _, params, _, derived = task
    kwargs = dict(params)
    if derived is not None:
        kwargs["seed"] = derived
    values = flatten_result(function(**kwargs))
    clash = sorted(set(values) & (set(params) | RESERVED))
    if clash:
        raise JengaError(
            f"result names {clash} clash with parameter names or the sweep's "
            f"own columns {sorted(RESERVED)}; rename them in the function's result"
        )
    row = _task_columns(task)
    row.update(values)
    return row


def run_chunk(function: Callable[..., Any], tasks: list[Task]) -> tuple[list[Row], list[Failure]]:
    """Run ``tasks`` in order; a failing task is recorded, not raised, so the others survive."""
    rows: list[Row] = []
    failures: list[Failure] = []
    for task in tasks:
        try:
            rows.append(run_task(function, task))
        except Exception as err:  # any error of the user's function is reported
            failure: Failure = _task_columns(task)
            failure["error"] = f"{type(err).__name__}: {err}"
            failure["traceback"] = "".join(traceback.format_exception(err))
            failures.append(failure)
    return rows, failures
