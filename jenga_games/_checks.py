"""Shared input checks: one wording for "must be a (finite) number" across the toolkit."""

from __future__ import annotations

import math
from typing import Any

from .errors import JengaError

__all__ = ["finite_float"]


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
