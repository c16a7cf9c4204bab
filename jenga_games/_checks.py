"""Shared input checks: one wording for "must be a (finite) number" across the toolkit.

:func:`finite_float` serves tower fields and game numbers; the parameter
checks (:func:`check_nonneg`, :func:`check_positive`, :func:`check_prob`,
:func:`check_count`, :func:`check_vector`) validate the models' parameter
dataclasses (commissioning and dynamics) and raise
:class:`~jenga_games.errors.InvalidParameterError` naming the owner, the
parameter and the value given.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import InvalidParameterError, JengaError

__all__ = [
    "check_count",
    "check_nonneg",
    "check_positive",
    "check_prob",
    "check_vector",
    "finite_float",
]


def finite_float(
    value: Any,
    what: str,
    error: type[JengaError] = JengaError,
    *,
    nonneg: bool = False,
    hint: str = "",
) -> float:
    """``float(value)``, or ``error`` naming ``what`` when it is not a finite number.

    Booleans and strings are refused (``True`` is not a cost; ``"10"`` is text). With ``nonneg=True`` negative
    values are refused too; ``hint`` is appended to that message.
    """
    if isinstance(value, bool | str | bytes):  # no silent coercion of "10" or True
        hint_q = "; write it without quotes" if isinstance(value, str | bytes) else ""
        raise error(f"{what} must be a number, got {value!r}{hint_q}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise error(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise error(f"{what} must be finite, got {value!r}")
    if nonneg and x < 0:
        raise error(f"{what} must be >= 0, got {value!r}{hint}")
    return x


def _real(value, name: str, owner: str) -> float:
    """A finite real number (``numbers.Real``: no strings, no complex), else the owner's error."""
    if not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"{owner}: {name} must be a number, got {value!r}")
    return finite_float(value, f"{owner}: {name}", InvalidParameterError)


def check_nonneg(value, name: str, owner: str) -> float:
    """``value >= 0`` (costs, sizes, rates)."""
    x = _real(value, name, owner)
    if x < 0:
        raise InvalidParameterError(
            f"{owner}: {name} must be >= 0 (a cost, size or rate cannot be negative), got {value!r}"
        )
    return x


def check_positive(value, name: str, owner: str) -> float:
    """``value > 0``."""
    x = _real(value, name, owner)
    if x <= 0:
        raise InvalidParameterError(f"{owner}: {name} must be > 0, got {value!r}")
    return x


def check_prob(
    value, name: str, owner: str, *, open_low: bool = False, open_high: bool = False
) -> float:
    """A probability in ``[0, 1]`` (or an open end where the model needs it)."""
    x = _real(value, name, owner)
    lo_ok = x > 0 if open_low else x >= 0
    hi_ok = x < 1 if open_high else x <= 1
    if not (lo_ok and hi_ok):
        lo = "(0" if open_low else "[0"
        hi = "1)" if open_high else "1]"
        raise InvalidParameterError(
            f"{owner}: {name} must be a probability in {lo}, {hi}, got {value!r}"
        )
    return x


def check_count(value, name: str, owner: str, minimum: int = 1) -> int:
    """A whole number ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidParameterError(
            f"{owner}: {name} must be a whole number >= {minimum}, got {value!r}"
        )
    if value < minimum:
        raise InvalidParameterError(f"{owner}: {name} must be >= {minimum}, got {value!r}")
    return int(value)


def check_vector(
    values: Sequence, name: str, owner: str, *, positive: bool = False, min_len: int = 1
) -> tuple[float, ...]:
    """A non-empty sequence of non-negative (or positive) numbers, returned as a tuple."""
    if isinstance(values, str | bytes) or not hasattr(values, "__len__"):
        raise InvalidParameterError(
            f"{owner}: {name} must be a sequence of numbers, got {values!r}"
        )
    if len(values) < min_len:
        raise InvalidParameterError(
            f"{owner}: {name} is empty; give at least {min_len} value(s) (an empty group has nothing to model)"
        )
    check = check_positive if positive else check_nonneg
    return tuple(
        check(v, f"{name}[{i}]", owner) for i, v in enumerate(np.asarray(values, dtype=object))
    )
