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
from ._core import batch_size, unit_game
from ._game import TUGame
from ._lp import IncrementalLP, bits_matrix, solver_name
from ._results import Allocation, Nucleolus
from ._shapley import _shapley_kernel

__all__ = ["MAX_NUCLEOLUS_PLAYERS", "nucleolus", "prenucleolus"]

#: Largest n for the nucleolus (each round computes the 2^n excesses).
MAX_NUCLEOLUS_PLAYERS = 22
_DUAL_TOL = 1e-9
_FULL_LP_ROWS = 126  # up to this many free coalitions: all in the LP at once (measured)


def _spanned(Q: np.ndarray, n: int) -> np.ndarray:
    """Boolean over all masks: indicator vector in the span of Q's orthonormal columns."""
    resid = popcount(n).astype(float)
    if Q.shape[1] << n <= 1 << 20:  # small: every column in one pass
        resid -= np.square(subset_sums(Q)).sum(axis=1)
        return resid <= 1e-9 * np.maximum(1, popcount(n))
    for j in range(Q.shape[1]):  # one column at a time: O(2^n) memory
        resid -= subset_sums(Q[:, j]) ** 2  # q_j(S)^2
    return resid <= 1e-9 * np.maximum(1, popcount(n))


def _orthonormal(rows: list[np.ndarray]) -> np.ndarray:
    A = np.array(rows, dtype=float).T  # n x k
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    return U[:, s > 1e-9 * max(1.0, s.max())]


def _sequential(game: TUGame, imputation: bool):
    n, v = game.n, game.values
    full = game.full_mask
    scale = max(1.0, float(np.abs(v).max()))
    thr = TOL * scale
    eq_rows: list[np.ndarray] = [np.ones(n)]
    eq_rhs: list[float] = [float(v[-1])]
    Q = _orthonormal(eq_rows)
    free = ~_spanned(Q, n)
    free[0] = free[full] = False
    singles = v[1 << np.arange(n)]
    lower = np.r_[singles if imputation else np.full(n, -np.inf), -np.inf]
    lp = IncrementalLP(
        np.r_[np.zeros(n), 1.0], lower, np.full(n + 1, np.inf), what="nucleolus stage LP"
    )
    lp.add_rows(np.r_[np.ones(n), 0.0], v[-1], v[-1])  # efficiency
    row_of: dict[int, int] = {}  # coalition -> LP row
    ineq: set[int] = set()  # rows x(S) + ε >= v(S) in force
    bound_fixed = np.zeros(n, dtype=bool)
    x = _shapley_kernel(v, n)
    if imputation:  # a start inside the imputation set
        x = singles + (v[-1] - singles.sum()) / n
    levels: list[float] = []
    solves = 0
    k_add = batch_size(n)

    def add(masks) -> None:
        new = [m for m in masks if m not in row_of]
        if not new:
            return
        arr = np.array(new, dtype=np.int64)
        rows = lp.add_rows(np.hstack([bits_matrix(arr, n), np.ones((arr.size, 1))]), v[arr], np.inf)
        for m, r in zip(new, rows):
            row_of[m] = r
            ineq.add(m)

    while Q.shape[1] < n:
        if free.sum() <= _FULL_LP_ROWS:  # small: every free coalition, no generation
            add(np.flatnonzero(free).tolist())
        else:  # keep last stage's rows, add the top excesses
            e = np.where(free, v - subset_sums(x), -np.inf)
            k0 = min(int(free.sum()), k_add)
            top = [int(m) for m in np.argpartition(-e, k0 - 1)[:k0] if free[m]]
            add(sorted(set(top) | {full ^ m for m in top}))
        while True:
            z, row_dual, col_dual = lp.solve()
            solves += 1
            x, eps = z[:n], float(z[-1])
            viol = np.where(free, v - subset_sums(x) - eps - thr, -1.0)
            idx = np.flatnonzero(viol > 0)
            idx = idx[[m not in row_of for m in idx.tolist()]] if idx.size else idx
            if idx.size == 0:
                break
            if idx.size > k_add:
                idx = idx[np.argpartition(-viol[idx], k_add - 1)[:k_add]]
            add(sorted(set(idx.tolist()) | {full ^ int(m) for m in idx}))
        cand = sorted(ineq)
        duals = row_dual[[row_of[m] for m in cand]]
        fix = [m for m, d in zip(cand, duals) if d > _DUAL_TOL]
        if not fix:  # cannot happen (duals sum to 1): be safe
            fix = [cand[int(np.argmax(duals))]]
        levels.append(eps + 0.0)  # no "-0"
        for m in fix:
            eq_rows.append(bits_matrix(np.array([m]), n)[0])
            eq_rhs.append(float(v[m] - eps))
            lp.set_row(row_of[m], v[m] - eps, v[m] - eps, coeff=(n, 0.0))
            ineq.discard(m)
        if imputation:
            for i in np.flatnonzero((col_dual[:n] > _DUAL_TOL) & ~bound_fixed).tolist():
                bound_fixed[i] = True
                row = np.zeros(n)
                row[i] = 1.0
                eq_rows.append(row)
                eq_rhs.append(float(singles[i]))
                lp.set_col(i, singles[i], singles[i])
        Q_new = _orthonormal(eq_rows)
        if Q_new.shape[1] <= Q.shape[1]:
            raise JengaError(
                "nucleolus: a stage fixed no new independent coalition; "
                "the game's values may be too badly scaled (rescale them)"
            )
        Q = Q_new
        free &= ~_spanned(Q, n)
        for m in [m for m in ineq if not free[m]]:  # constant excess now: drop the row
            lp.set_row(row_of[m], -np.inf, np.inf)
            ineq.discard(m)
        if len(levels) > 2 * n + 2:
            raise JengaError("nucleolus: too many stages; rescale the game's values")
    sol, *_ = np.linalg.lstsq(np.array(eq_rows), np.array(eq_rhs), rcond=None)
    return sol, tuple(levels), solves


def _run(game: TUGame, imputation: bool) -> Nucleolus:
    name = "nucleolus" if imputation else "prenucleolus"
    if not isinstance(game, TUGame):
        raise InvalidGameError(f"{name} needs a TUGame, not {type(game).__name__}")
    check_exact_size(game.n, name, MAX_NUCLEOLUS_PLAYERS)
    n, v = game.n, game.values
    g, s = unit_game(game)  # solved at unit scale: tolerances relative to the game's scale
    singles = v[1 << np.arange(n)]
    if imputation and not leq(g.values[1 << np.arange(n)].sum(), g.values[-1]):
        raise InvalidGameError(
            f"the imputation set is empty (Σ v({{i}}) = {singles.sum():.6g} > v(N) = {v[-1]:.6g}), "
            "so the nucleolus is undefined; use prenucleolus() instead"
        )
    if n == 1:
        x, levels, solves = np.array([v[-1]]), (), 0
    else:
        x, levels, solves = _sequential(g, imputation)
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
