"""Validation helpers (and a result mixin) shared by the commissioning models.

Every model takes a frozen parameter dataclass; its ``__post_init__`` calls
these helpers so that impossible parameters (negative costs, probabilities
outside [0, 1], empty groups) fail at once with a message that names the
parameter, the value given, and what a valid value looks like.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError

__all__ = [
    "InvalidParameterError",
    "SharesTable",
    "check_count",
    "check_nonneg",
    "check_positive",
    "check_prob",
    "check_vector",
]


# InvalidParameterError lives in jenga_games.errors; this name keeps old imports working.


def _real(value, name: str, owner: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"{owner}: {name} must be a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidParameterError(f"{owner}: {name} must be finite, got {value!r}")
    return x


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


class SharesTable:
    """Mixin for results with a TU ``game`` and ``shapley``, ``nucleolus``, ``proportional`` shares."""

    def table(self) -> pd.DataFrame:
        """Shares side by side, one row per player."""
        return pd.DataFrame(
            {
                "shapley": self.shapley,
                "nucleolus": self.nucleolus,  # type: ignore[attr-defined]
                "proportional": self.proportional,
            },  # type: ignore[attr-defined]
            index=list(self.game.players),
        )  # type: ignore[attr-defined]
