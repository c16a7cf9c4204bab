"""A thin wrapper over scipy's HiGHS linear programming, and coalition rows."""

from __future__ import annotations

import threading

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


_POOL = threading.local()  # per thread: HiGHS objects released by finished LPs, for reuse


def _acquire():
    """A HiGHS model object with an empty model: a released one of this thread, else a new one.

    Creating one costs about 0.1 ms, more than a warm re-solve of a small LP; a released
    object is cleared (``clearModel``: no rows, columns or basis left) and keeps its options.
    Presolve is off: these LPs are small or re-solved warm, and presolve cost more than it
    saved (measured on the nucleolus and least-core LPs, n = 6..16).
    """
    free = getattr(_POOL, "free", None)
    if free:
        return free.pop()
    h = _Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    return h


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
        self._n_rows = 0
        self._released = False
        self.h = None
        # the rows are kept in Python only for the linprog path (HiGHS's object holds its own)
        self.rows: list[np.ndarray] = []
        self.lo: list[float] = []
        self.up: list[float] = []
        if USE_INCREMENTAL and _incremental_works():
            h = _acquire()
            m = self.cost.size
            h.addVars(m, self.lower, self.upper)
            h.changeColsCost(m, np.arange(m, dtype=np.int32), self.cost)
            self.h = h

    def release(self) -> None:
        """Hand the HiGHS object back for reuse by the next LP of this thread (the LP is
        unusable afterwards). Optional: an LP never released is simply garbage-collected."""
        h, self.h = self.h, None
        if h is not None:
            h.clearModel()
            if not hasattr(_POOL, "free"):
                _POOL.free = []
            if len(_POOL.free) < 4:
                _POOL.free.append(h)
        self._released = True

    @property
    def n_rows(self) -> int:
        return self._n_rows

    def add_rows(self, A: np.ndarray, lo, up) -> range:
        A = np.atleast_2d(np.asarray(A, dtype=float))
        k = A.shape[0]
        lo = np.full(k, float(lo)) if np.ndim(lo) == 0 else np.array(lo, dtype=float)
        up = np.full(k, float(up)) if np.ndim(up) == 0 else np.array(up, dtype=float)
        start = self._n_rows
        self._n_rows += k
        if self.h is None:
            self.rows.extend(A.copy())
            self.lo.extend(lo.tolist())
            self.up.extend(up.tolist())
        elif k:
            r, c = np.nonzero(A)
            starts = np.searchsorted(r, np.arange(k)).astype(np.int32)
            self.h.addRows(k, lo, up, r.size, starts, c.astype(np.int32), A[r, c])
        return range(start, start + k)

    def set_row(self, i: int, lo: float, up: float, coeff: tuple[int, float] | None = None) -> None:
        """Change row ``i``'s bounds (and optionally one coefficient ``(column, value)``)."""
        if self.h is not None:
            if coeff is not None:
                self.h.changeCoeff(i, coeff[0], coeff[1])
            self.h.changeRowBounds(i, lo, up)
            return
        self.lo[i], self.up[i] = float(lo), float(up)
        if coeff is not None:
            self.rows[i][coeff[0]] = coeff[1]

    def relax_rows(self, rows: list[int]) -> None:
        """Make rows free (``-inf <= A_r z <= inf``): a row dropped without renumbering."""
        if self.h is not None:
            change = self.h.changeRowBounds
            for i in rows:
                change(i, -np.inf, np.inf)
            return
        for i in rows:
            self.lo[i], self.up[i] = -np.inf, np.inf

    def set_col(self, j: int, lo: float, up: float) -> None:
        self.lower[j], self.upper[j] = lo, up
        if self.h is not None:
            self.h.changeColBounds(j, float(lo), float(up))

    def solve(self):
        """Returns ``(z, row_dual, col_dual)``; raises :class:`LPError` unless optimal."""
        if self._released:
            raise LPError(f"{self.what}: solve() after release()")
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
