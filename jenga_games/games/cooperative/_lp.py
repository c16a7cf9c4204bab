"""A thin wrapper over scipy's HiGHS linear programming, and coalition rows."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from ...errors import JengaError

__all__ = ["bits_matrix", "solve_lp"]


class LPError(JengaError):
    """The LP solver failed (should not happen for the bounded LPs built here)."""


def bits_matrix(masks: np.ndarray, n: int) -> np.ndarray:
    """Row ``r`` is the 0/1 indicator vector of coalition ``masks[r]``."""
    masks = np.asarray(masks, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float)


def solve_lp(c, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=None, what: str = "LP"):
    """``min c·z`` by HiGHS (dual simplex); raises :class:`LPError` unless optimal."""
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                  method="highs-ds")
    if res.status != 0:
        raise LPError(f"{what}: HiGHS returned status {res.status} ({res.message}); "
                      "check the game's values for extreme magnitudes")
    return res
