"""Nucleolus and pre-nucleolus by a sequence of LPs with constraint generation.

The nucleolus [Schmeidler1969]_ lexicographically minimises the vector of
excesses ``e(S, x) = v(S) − x(S)`` sorted in decreasing order, over
imputations (``x(N) = v(N)``, ``x_i >= v({i})``); the pre-nucleolus does so
over pre-imputations (``x(N) = v(N)`` only).

Algorithm (sequential LPs of Kopelowitz / Maschler–Peleg–Shapley
[Maschler1979]_, with the dual-based fixing of [Guajardo2015]_). Stage k solves::

    ε_k = min ε  s.t.  x(S) + ε >= v(S)          for the free coalitions S,
                       x(S) = v(S) − ε_j          for the coalitions fixed at stage j < k,
                       x(N) = v(N),  (x_i >= v({i}) for the nucleolus).

A coalition whose constraint has a positive dual is tight at *every* optimum
(complementary slackness), so it is fixed at level ``ε_k``; coalitions whose
indicator vector is spanned by the fixed ones (and ``1_N``) have a constant
excess and leave the LP. Only strictly positive duals fix a coalition (never
"tight at this solution", the common error [Guajardo2015]_); the duals of the
rows sum to 1, so each stage fixes at least one new independent row, and at
most n stages are needed. The stage ends when the rows span ``R^n``; the
allocation is then the unique solution of the fixed equalities (solved by
least squares to remove the LP's rounding).

Each LP runs over a working set of coalitions closed under complements
(a free pair ``S, N∖S`` has constant ``e(S) + e(N∖S)``, which bounds ε);
after each solve the excesses of all ``2^n`` coalitions are computed in
O(r 2^n) and the most violated ones join the set.
"""

from __future__ import annotations

import numpy as np

from ..._results import Provenance
from ...errors import InvalidGameError, JengaError
from ...tolerance import TOL, leq
from ._bits import check_exact_size, popcount, subset_sums
from ._core import batch_size, unit_scale
from ._game import TUGame
from ._lp import IncrementalLP, bits_matrix, solver_name
from ._results import Allocation, Nucleolus
from ._shapley import _shapley_kernel

__all__ = ["MAX_NUCLEOLUS_PLAYERS", "nucleolus", "prenucleolus"]

#: Largest n for the nucleolus (each round computes the 2^n excesses).
MAX_NUCLEOLUS_PLAYERS = 22
_DUAL_TOL = 1e-9
_FULL_LP_ROWS = 126  # up to this many free coalitions: all in the LP at once (measured)


class _Span:
    """An orthonormal basis of the fixed rows, grown row by row (Gram–Schmidt, twice), and
    for every coalition ``S`` the squared distance of ``1_S`` from its span,
    ``resid(S) = |S| − Σ_j q_j(S)²``, updated in O(2^n) per new basis vector."""

    def __init__(self, n: int):
        """The span of ``1_N`` (every stage starts from efficiency): ``q = 1_N / sqrt(n)``,
        ``resid(S) = |S| − |S|²/n`` in closed form."""
        self.n = n
        self.Q = np.full((n, 1), 1.0 / np.sqrt(n))
        pc = popcount(n).astype(float)
        self.resid = pc - pc * pc / n
        self._floor = 1e-9 * np.maximum(1.0, pc)
        self._sv_floor = 1e-9 * max(1.0, np.sqrt(n))

    @property
    def rank(self) -> int:
        return self.Q.shape[1]

    def add(self, rows: np.ndarray) -> None:
        """Extend the basis by the rows (k, n): their parts orthogonal to the span (projected
        out twice), orthonormalised by one SVD that keeps singular values above 1e-9·sqrt(n).
        Once the basis spans R^n, ``resid`` is no longer needed and is not updated."""
        Q = self.Q
        R = rows.T - Q @ (Q.T @ rows.T)
        R -= Q @ (Q.T @ R)  # re-orthogonalise: rounding of the first pass removed
        if R.shape[1] == 1:  # one row: its normalised residual (an SVD of one column)
            nr = float(np.sqrt(R[:, 0] @ R[:, 0]))
            if nr <= self._sv_floor:
                return
            new = R / nr
        else:
            U, sv, _ = np.linalg.svd(R, full_matrices=False)
            r = int(np.count_nonzero(sv > self._sv_floor))  # sv is sorted, largest first
            if r == 0:
                return
            new = U[:, :r]
        self.Q = np.hstack([Q, new])
        if self.Q.shape[1] < self.n:
            self.resid -= np.square(subset_sums(new)).sum(axis=1)

    def free(self) -> np.ndarray:
        """Coalitions whose indicator is not spanned (their excess is not yet constant)."""
        return self.resid > self._floor


def _sequential(n: int, v: np.ndarray, imputation: bool):
    full = (1 << n) - 1
    thr = TOL * max(1.0, float(np.abs(v).max()))
    eq_rows: list[np.ndarray] = [np.ones(n)]
    eq_rhs: list[float] = [float(v[-1])]
    span = _Span(n)
    free = span.free()
    free[0] = free[full] = False
    singles = v[1 << np.arange(n)]
    lower = np.append(singles if imputation else np.full(n, -np.inf), -np.inf)
    lp = IncrementalLP(np.append(np.zeros(n), 1.0), lower, np.full(n + 1, np.inf), what=_WHAT)
    row_of = np.full(2**n, -1, dtype=np.int64)  # coalition -> LP row (-1: not in the LP)
    row_mask = [full]  # LP row -> coalition (row 0: efficiency)
    active = np.zeros(1, dtype=bool)  # LP row holds x(S) + ε >= v(S) in force
    bound_fixed = np.zeros(n, dtype=bool)
    levels: list[float] = []
    solves = 0
    k_add = batch_size(n)
    x = None

    def add(masks: np.ndarray) -> None:
        nonlocal active
        masks = masks[row_of[masks] < 0]
        if masks.size == 0 and lp.n_rows:
            return
        A = np.ones((masks.size, n + 1))
        A[:, :n] = bits_matrix(masks, n)
        lo = v[masks]
        if lp.n_rows == 0:  # row 0, efficiency x(N) = v(N), in the same call as the first batch
            A = np.vstack([np.append(np.ones(n), 0.0), A])
            lo = np.append(v[-1], lo)
            up = np.full(lo.size, np.inf)
            up[0] = v[-1]
            rows = lp.add_rows(A, lo, up)
            rows = range(rows.start + 1, rows.stop)
        else:
            rows = lp.add_rows(A, lo, np.inf)
        row_of[masks] = np.arange(rows.start, rows.stop)
        row_mask.extend(masks.tolist())
        active = np.concatenate([active, np.ones(rows.stop - rows.start, dtype=bool)])

    while span.rank < n:
        n_free = int(np.count_nonzero(free))
        if n_free <= _FULL_LP_ROWS:  # small: every free coalition, no generation
            add(np.flatnonzero(free))
        else:  # keep last stage's rows, add the top excesses
            if x is None:  # a start inside the imputation set, or the Shapley value
                x = singles + (v[-1] - singles.sum()) / n if imputation else _shapley_kernel(v, n)
            e = np.where(free, v - subset_sums(x), -np.inf)
            k0 = min(n_free, k_add)
            top = np.argpartition(-e, k0 - 1)[:k0]
            top = top[free[top]]
            add(np.union1d(top, full ^ top))
        while True:
            z, row_dual, col_dual = lp.solve()
            solves += 1
            x, eps = z[:n], float(z[-1])
            if not (free & (row_of < 0)).any():
                break  # every free coalition is a row: nothing left to generate
            viol = np.where(free & (row_of < 0), v - subset_sums(x) - eps - thr, -1.0)
            idx = np.flatnonzero(viol > 0)
            if idx.size == 0:
                break
            if idx.size > k_add:
                idx = idx[np.argpartition(-viol[idx], k_add - 1)[:k_add]]
            add(np.union1d(idx, full ^ idx))
        act = np.flatnonzero(active)
        fix_rows = act[row_dual[act] > _DUAL_TOL]
        if fix_rows.size == 0:  # cannot happen (duals sum to 1): be safe
            fix_rows = act[[int(np.argmax(row_dual[act]))]]
        fix = np.sort(np.asarray(row_mask, dtype=np.int64)[fix_rows])
        levels.append(eps + 0.0)  # no "-0"
        rank, first = span.rank, len(eq_rows)
        eq_rows.extend(bits_matrix(fix, n))
        eq_rhs.extend((v[fix] - eps).tolist())
        bounds = []
        if imputation:
            bounds = np.flatnonzero((col_dual[:n] > _DUAL_TOL) & ~bound_fixed).tolist()
            for i in bounds:
                bound_fixed[i] = True
                row = np.zeros(n)
                row[i] = 1.0
                eq_rows.append(row)
                eq_rhs.append(float(singles[i]))
        span.add(np.array(eq_rows[first:], dtype=float))
        if span.rank <= rank:
            raise JengaError(
                "nucleolus: a stage fixed no new independent coalition; "
                "the game's values may be too badly scaled (rescale them)"
            )
        if span.rank == n:
            break  # x is determined: the LP is not solved again, so it is not updated
        for m in fix.tolist():
            lp.set_row(int(row_of[m]), v[m] - eps, v[m] - eps, coeff=(n, 0.0))
        active[row_of[fix]] = False
        for i in bounds:
            lp.set_col(i, singles[i], singles[i])
        free &= span.free()
        act = np.flatnonzero(active)
        drop = act[~free[np.asarray(row_mask, dtype=np.int64)[act]]]
        lp.relax_rows(drop.tolist())  # constant excess now: drop the rows
        active[drop] = False
        if len(levels) > 2 * n + 2:
            raise JengaError("nucleolus: too many stages; rescale the game's values")
    lp.release()
    sol, *_ = np.linalg.lstsq(np.array(eq_rows), np.array(eq_rhs), rcond=None)
    return sol, tuple(levels), solves


_WHAT = "nucleolus stage LP"


def _run(game: TUGame, imputation: bool) -> Nucleolus:
    name = "nucleolus" if imputation else "prenucleolus"
    if not isinstance(game, TUGame):
        raise InvalidGameError(f"{name} needs a TUGame, not {type(game).__name__}")
    check_exact_size(game.n, name, MAX_NUCLEOLUS_PLAYERS)
    n, v = game.n, game.values
    s = unit_scale(v)  # solved at unit scale: tolerances relative to the game's scale
    vs = v / s
    singles = v[1 << np.arange(n)]
    if imputation and not leq(vs[1 << np.arange(n)].sum(), vs[-1]):
        raise InvalidGameError(
            f"the imputation set is empty (Σ v({{i}}) = {singles.sum():.6g} > v(N) = {v[-1]:.6g}), "
            "so the nucleolus is undefined; use prenucleolus() instead"
        )
    if n == 1:
        x, levels, solves = np.array([v[-1]]), (), 0
    else:
        x, levels, solves = _sequential(n, vs, imputation)
        x = x * s
        levels = tuple(level * s for level in levels)
    prov = Provenance(
        "sequential_lp_constraint_generation",
        {
            "solver": solver_name(),
            "domain": "imputation" if imputation else "preimputation",
            "lp_solves": solves,
            "tol": TOL,
            "dual_tol": _DUAL_TOL,
        },
    )
    return Nucleolus(Allocation(x, game.players, name, prov), levels, solves, prov)


def nucleolus(game: TUGame) -> Nucleolus:
    """The nucleolus [Schmeidler1969]_ by sequential LPs (module docstring).

    Raises
    ------
    InvalidGameError
        When the imputation set is empty (``Σ v({i}) > v(N)``): use
        :func:`prenucleolus`.
    TooLargeError
        For n > 22.
    """
    return _run(game, True)


def prenucleolus(game: TUGame) -> Nucleolus:
    """The pre-nucleolus (the nucleolus over pre-imputations) by sequential LPs.

    Equal to the nucleolus when the core is non-empty or the game is
    zero-monotonic [Peleg2007]_.
    """
    return _run(game, False)
