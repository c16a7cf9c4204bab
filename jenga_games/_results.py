"""Shared machinery for result objects: frozen dataclasses with ``to_dict()``.

Every solver returns a frozen dataclass that inherits :class:`Result`, and
records how it was produced in a :class:`Provenance` (method, parameters,
seed, exact or floating arithmetic, toolkit version) so that a figure can say
exactly what made it.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from ._version import __version__

__all__ = ["Provenance", "Result", "to_plain"]


def to_plain(value: Any) -> Any:
    """Convert a result's field to plain JSON-friendly Python objects.

    numpy arrays become lists, numpy scalars Python numbers, fractions stay
    exact as ``"p/q"`` strings, sets become sorted lists, dataclasses dicts,
    pandas frames lists of records (the index as a column when it is named).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if type(value).__module__.startswith("pandas"):
        import pandas as pd

        if isinstance(value, pd.DataFrame):  # one record per row; a named index becomes a column
            frame = (
                value.reset_index()
                if value.index.name is not None or not isinstance(value.index, pd.RangeIndex)
                else value
            )
            return [to_plain(r) for r in frame.to_dict(orient="records")]
        if isinstance(value, pd.Series):
            return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()] if value.dtype == object else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {(k if isinstance(k, str | int) else str(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [to_plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    # sympy objects and anything else: their exact string form
    return str(value)


@dataclasses.dataclass(frozen=True)
class Provenance:
    """How a result was produced.

    Attributes
    ----------
    method : str
        The algorithm, e.g. ``"support_enumeration"``.
    params : Mapping[str, Any]
        The parameters that shaped the result (tolerances, limits, samples).
    seed : int | None
        The seed of any randomness, or ``None`` for deterministic methods.
    exact : bool
        Whether the arithmetic was exact (rational / symbolic).
    version : str
        The jenga_games version.
    """

    method: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    seed: int | None = None
    exact: bool = False
    version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "params": to_plain(dict(self.params)),
            "seed": self.seed,
            "exact": self.exact,
            "version": self.version,
        }


class Result:
    """Mixin for frozen result dataclasses: ``to_dict()`` of every field."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: to_plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]
