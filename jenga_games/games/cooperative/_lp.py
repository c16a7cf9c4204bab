"""A thin wrapper over scipy's HiGHS linear programming, and coalition rows."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from ...errors import LPError

__all__ = ["IncrementalLP", "bits_matrix", "solve_lp", "solver_name"]


# LPError lives in jenga_games.errors; this name keeps old imports working.


def bits_matrix(masks: np.ndarray, n: int) -> np.ndarray:
    """Row ``r`` is the 0/1 indicator vector of coalition ``masks[r]``."""
    masks = np.asarray(masks, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float)


def solve_lp(c, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=None, what: str = "LP"):
    """``min c·z`` by HiGHS (dual simplex); raises :class:`LPError` unless optimal."""
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs-ds")
    if res.status != 0:
        raise LPError(
            f"{what}: HiGHS returned status {res.status} ({res.message}); "
            "check the game's values for extreme magnitudes"
        )
    return res


try:  # HiGHS's own model object as bundled by scipy: rows can be added and re-solved warm.
    from scipy.optimize._highspy._core import HighsModelStatus as _HMS
    from scipy.optimize._highspy._core import _Highs
except ImportError:  # pragma: no cover - a scipy without the bundled highspy core
    _Highs = None

#: Use HiGHS's incremental model when scipy bundles it (set False to force linprog).
USE_INCREMENTAL = _Highs is not None
_CHECKED: list[bool] = []


def _incremental_works() -> bool:
    """Once per process: the bundled HiGHS object solves a known LP with the expected duals
    (guards against a scipy whose private object has another interface)."""
    if not _CHECKED:
        ok = False
        try:
            h = _Highs()
            h.setOptionValue("output_flag", False)
            inf = np.inf
            h.addVars(2, np.array([0.0, -inf]), np.array([inf, inf]))
            h.changeColsCost(2, np.arange(2, dtype=np.int32), np.array([0.0, 1.0]))
            # min e  s.t.  x + e >= 1,  x = 0.25 (as a row)
            h.addRows(
                2,
                np.array([1.0, 0.25]),
                np.array([inf, 0.25]),
                3,
                np.array([0, 2], dtype=np.int32),
                np.array([0, 1, 0], dtype=np.int32),
                np.ones(3),
            )
            h.run()
            sol = h.getSolution()
            ok = (
                h.getModelStatus() == _HMS.kOptimal
                and np.allclose(sol.col_value, [0.25, 0.75])
                and np.isclose(sol.row_dual[0], 1.0)
            )
        except Exception:  # any failure of the private interface means: use linprog
            ok = False
        _CHECKED.append(ok)
    return _CHECKED[0]


def solver_name() -> str:
    """The LP backend in use, for provenance."""
    return "highs-incremental" if USE_INCREMENTAL and _incremental_works() else "linprog-highs-ds"


class IncrementalLP:
    """``min c·z`` subject to ``lo <= A z <= up`` and column bounds, grown row by row.

    Constraint generation adds a few rows and re-solves many times; HiGHS's
    model object keeps its basis between solves (a warm start), which makes a
    re-solve after a few new rows take a few pivots. When scipy does not
    bundle that object (or ``USE_INCREMENTAL`` is False), every solve calls
    :func:`scipy.optimize.linprog` on the current rows instead. Both give the
    duals in one convention: ``row_dual >= 0`` for a binding row ``A_r z >= lo``,
    ``col_dual >= 0`` for a variable at its lower bound (a minimisation).
    """

    def __init__(self, cost, lower, upper, what: str = "LP"):
        self.cost = np.asarray(cost, dtype=float)
        self.lower = np.asarray(lower, dtype=float).copy()
        self.upper = np.asarray(upper, dtype=float).copy()
        self.what = what
        self.rows: list[np.ndarray] = []
        self.lo: list[float] = []
        self.up: list[float] = []
        self.h = None
        if USE_INCREMENTAL and _incremental_works():
            h = _Highs()
            h.setOptionValue("output_flag", False)
            m = self.cost.size
            h.addVars(m, self.lower, self.upper)
            h.changeColsCost(m, np.arange(m, dtype=np.int32), self.cost)
            self.h = h

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def add_rows(self, A: np.ndarray, lo, up) -> range:
        A = np.atleast_2d(np.asarray(A, dtype=float))
        lo = np.broadcast_to(np.asarray(lo, dtype=float), (A.shape[0],)).copy()
        up = np.broadcast_to(np.asarray(up, dtype=float), (A.shape[0],)).copy()
        start = len(self.rows)
        self.rows.extend(A.copy())
        self.lo.extend(lo.tolist())
        self.up.extend(up.tolist())
        if self.h is not None and A.shape[0]:
            r, c = np.nonzero(A)
            starts = np.searchsorted(r, np.arange(A.shape[0])).astype(np.int32)
            self.h.addRows(A.shape[0], lo, up, r.size, starts, c.astype(np.int32), A[r, c])
        return range(start, start + A.shape[0])

    def set_row(self, i: int, lo: float, up: float, coeff: tuple[int, float] | None = None) -> None:
        """Change row ``i``'s bounds (and optionally one coefficient ``(column, value)``)."""
        self.lo[i], self.up[i] = float(lo), float(up)
        if coeff is not None:
            self.rows[i][coeff[0]] = coeff[1]
        if self.h is not None:
            if coeff is not None:
                self.h.changeCoeff(i, coeff[0], coeff[1])
            self.h.changeRowBounds(i, float(lo), float(up))

    def set_col(self, j: int, lo: float, up: float) -> None:
        self.lower[j], self.upper[j] = lo, up
        if self.h is not None:
            self.h.changeColBounds(j, float(lo), float(up))

    def solve(self):
        """Returns ``(z, row_dual, col_dual)``; raises :class:`LPError` unless optimal."""
        if self.h is not None:
            self.h.run()
            status = self.h.getModelStatus()
            if status != _HMS.kOptimal:
                raise LPError(
                    f"{self.what}: HiGHS returned {self.h.modelStatusToString(status)}; "
                    "check the game's values for extreme magnitudes"
                )
            sol = self.h.getSolution()
            return (np.array(sol.col_value), np.array(sol.row_dual), np.array(sol.col_dual))
        return self._solve_linprog()

    def _solve_linprog(self):
        A = np.array(self.rows).reshape(len(self.rows), self.cost.size)
        lo, up = np.array(self.lo), np.array(self.up)
        eq = np.isfinite(lo) & (lo == up)
        ge = np.isfinite(lo) & ~eq
        le = np.isfinite(up) & ~eq
        A_ub = np.vstack([-A[ge], A[le]])
        b_ub = np.concatenate([-lo[ge], up[le]])
        bounds = [
            (None if not np.isfinite(a) else a, None if not np.isfinite(b) else b)
            for a, b in zip(self.lower, self.upper)
        ]
        res = solve_lp(
            self.cost,
            A_ub=A_ub if A_ub.size else None,
            b_ub=b_ub if A_ub.size else None,
            A_eq=A[eq] if eq.any() else None,
            b_eq=lo[eq] if eq.any() else None,
            bounds=bounds,
            what=self.what,
        )
        row_dual = np.zeros(len(self.rows))
        if A_ub.size:
            mu = res.ineqlin.marginals  # <= 0 for binding rows of A_ub z <= b_ub
            k = int(ge.sum())
            row_dual[ge] = -mu[:k]
            row_dual[le] = mu[k:]
        if eq.any():
            row_dual[eq] = res.eqlin.marginals
        col_dual = res.lower.marginals + res.upper.marginals
        return res.x, row_dual, col_dual
