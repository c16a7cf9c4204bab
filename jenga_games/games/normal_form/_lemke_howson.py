"""Lemke–Howson with lexicographic pivoting, in floating point and in exact arithmetic.

The complementary pivoting algorithm of [Lemke1964]_ as described in
[vonStengel2002]_ (Algorithm 3.6 of [Nisan2007]_). With positive payoffs
``A'``, ``B'`` (shifted by a constant, which changes no equilibrium) the
two tableaux are

.. math::  A' y + r = 1, \\qquad B'^T x + s = 1, \\qquad x, y, r, s \\ge 0.

Variable ``x_i`` and slack ``r_i`` carry label ``i``; ``y_j`` and ``s_j``
carry label ``m + j``. Starting from the artificial equilibrium ``(0, 0)``,
the variable with the dropped label ``k`` enters; the variable that leaves
frees a label whose twin in the other tableau enters next, until the
variable leaving has label ``k``.

The leaving variable is chosen by the *lexicographic* minimum-ratio test:
among rows with a positive pivot entry, the smallest
``(b_r, (B^{-1})_{r,1}, ..., (B^{-1})_{r,d}) / a_r`` in lexicographic order.
This is the pivoting of the perturbed system ``b + (ε, ε², …)``, which is
nondegenerate, so the path never revisits a basis and the algorithm
terminates on every game, degenerate or not ([vonStengel2002]_).

The float tableau is kept in dictionary form (only the nonbasic columns),
column-major; a pivot is one in-place rank-one update done as single-threaded
BLAS ``dgemm`` calls (inner dimension 1, bit-identical to the numpy outer
product) on column blocks (a threaded call stalls on a busy machine). Each
end point is certified
by its regret; a float path whose end point fails (rounding on an
ill-conditioned game) is recomputed in exact rational arithmetic.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg.blas import dgemm as _dgemm

from ..._results import Provenance
from ...errors import InvalidGameError
from ...tolerance import TOL
from ._equilibrium import EquilibriumSet, certify, certify_or_none, new_equilibrium, sort_key
from ._kernels import positive_payoffs, unit_payoffs
from ._solve import require_two_players
from ._vertex_enumeration import _exact_unit

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["lemke_howson"]

_PIVOT_EPS = 1e-12
_GEMM_BLOCK = 2**17
"""Entries per rank-one ``dgemm`` call; OpenBLAS keeps a call with ``m n k`` this small on one thread."""
MAX_EXACT_SIZE = 40
"""Largest number of actions per player for the exact-arithmetic Lemke–Howson."""


class _FloatTableau:
    """Dictionary ``basic + D[:, :-1] @ nonbasic = D[:, -1]``; variable ids are labels.

    ``D`` is column-major, so the pivot column (the ratio test) is contiguous
    and the rank-one update ``D -= col row^T`` runs in place as BLAS ``dgemm``
    calls with inner dimension 1 on column blocks of at most
    :data:`_GEMM_BLOCK` entries. With ``k = 1`` each entry is
    ``D_ij - fl(col_i row_j)``, bit for bit what ``D -= np.outer(col, row)``
    gives (``dger`` would fuse the multiply-add and round differently, which
    changes the path on degenerate games); OpenBLAS runs calls this small on
    the calling thread, so no thread wake-up stalls on a busy machine, and no
    temporary outer product is written.
    """

    def __init__(self, M: np.ndarray, basic_ids: np.ndarray, nonbasic_ids: np.ndarray, slack_ids):
        rows, _cols = M.shape
        self.D = D = np.asfortranarray(np.hstack([M, np.ones((rows, 1))]))
        self._ratios = np.empty(rows)
        self._col = np.empty(rows)
        self._row = row = np.empty(D.shape[1])
        self._col2 = self._col.reshape(-1, 1)
        w = max(1, _GEMM_BLOCK // max(rows, 1))
        # views fixed once: D is updated in place and never reallocated; every block is
        # F-contiguous, so dgemm(overwrite_c=1) writes into D itself rather than a copy
        self._blocks = [
            (D[:, j : j + w], row[j : j + w].reshape(1, -1)) for j in range(0, D.shape[1], w)
        ]
        self.basic = basic_ids.copy()
        self.nonbasic = nonbasic_ids.copy()
        self.slacks = slack_ids  # ids of the original slack variables (define B^{-1})
        self.col_of = {v: c for c, v in enumerate(self.nonbasic.tolist())}
        self.row_of = {v: r for r, v in enumerate(self.basic.tolist())}

    def _binv_col(self, var: int) -> np.ndarray:
        """Column of B^{-1} belonging to original slack ``var``."""
        if var in self.row_of:
            e = np.zeros(len(self.basic))
            e[self.row_of[var]] = 1.0
            return e
        return self.D[:, self.col_of[var]]

    def pivot(self, enter: int) -> int:
        D, ratios = self.D, self._ratios
        c = self.col_of[enter]
        col = D[:, c]
        ratios.fill(np.inf)
        np.divide(D[:, -1], col, out=ratios, where=col > _PIVOT_EPS)
        r = int(ratios.argmin())
        best = ratios[r]
        if best == np.inf:
            raise _Unbounded
        thr = best + 1e-12 * max(1.0, abs(best))
        if ratios[r + 1 :].min(initial=np.inf) <= thr:  # a tie: lexicographic rule on B^{-1}
            tied = np.flatnonzero(ratios <= thr)
            for s in self.slacks:
                b = self._binv_col(int(s))[tied] / col[tied]
                bmin = b.min()
                tied = tied[b <= bmin + 1e-12 * max(1.0, abs(bmin))]
                if tied.size == 1:
                    break
            r = int(tied[0])
        leave = int(self.basic[r])
        inv = 1.0 / D[r, c]
        rowr, colc = self._row, self._col
        np.multiply(D[r, :], inv, out=rowr)
        rowr[c] = inv
        np.copyto(colc, col)
        # D -= colc rowr^T in place; the entering column becomes the leaving variable's: -col / p
        col2 = self._col2
        for (
            blk,
            y,
        ) in self._blocks:  # positional: dgemm(alpha, a, b, beta, c, trans_a, trans_b, overwrite_c)
            _dgemm(-1.0, col2, y, 1.0, blk, 0, 0, 1)
        np.multiply(colc, -inv, out=col)
        D[r, :] = rowr
        self.basic[r] = enter
        self.nonbasic[c] = leave
        del self.row_of[leave]
        del self.col_of[enter]
        self.row_of[enter] = r
        self.col_of[leave] = c
        return leave

    def values(self, ids) -> dict[int, float]:
        return {v: b for v, b in zip(self.basic.tolist(), self.D[:, -1].tolist()) if v in ids}


class _ExactTableau:
    """The same dictionary in :class:`fractions.Fraction` arithmetic."""

    def __init__(self, M, basic_ids, nonbasic_ids, slack_ids):
        self.D = [[*list(row), Fraction(1)] for row in M]
        self.basic = list(basic_ids)
        self.nonbasic = list(nonbasic_ids)
        self.slacks = list(slack_ids)

    def _binv(self, var: int, r: int) -> Fraction:
        if var in self.basic:
            return Fraction(int(self.basic.index(var) == r))
        return self.D[r][self.nonbasic.index(var)]

    def pivot(self, enter: int) -> int:
        D = self.D
        c = self.nonbasic.index(enter)
        cand = [r for r in range(len(D)) if D[r][c] > 0]
        if not cand:
            raise _Unbounded
        keyed = []
        for r in cand:
            key = [D[r][-1] / D[r][c]] + [self._binv(s, r) / D[r][c] for s in self.slacks]
            keyed.append((key, r))
        r = min(keyed)[1]
        leave = self.basic[r]
        p = D[r][c]
        rowr = [v / p for v in D[r]]
        rowr[c] = 1 / p
        for i in range(len(D)):
            if i == r:
                continue
            f = D[i][c]
            if f:
                Di = D[i]
                Di[c] = Fraction(0)
                D[i] = [a - f * b for a, b in zip(Di, rowr)]
        D[r] = rowr
        self.basic[r] = enter
        self.nonbasic[c] = leave
        return leave

    def values(self, ids) -> dict[int, Fraction]:
        return {v: self.D[r][-1] for r, v in enumerate(self.basic) if v in ids}


class _Unbounded(Exception):
    """A pivot column with no positive entry: the path left the polytope (degenerate input)."""


def _path(T1, T2, m: int, n: int, label: int, max_pivots: int):
    """Follow the path from the artificial equilibrium dropping ``label``; return (x, y, pivots)."""
    enter = label
    tab = T2 if label < m else T1  # x_k lives in T2; y_j in T1
    pivots = 0
    while True:
        leave = tab.pivot(enter)
        pivots += 1
        if leave == label:
            break
        if pivots >= max_pivots:
            return None, None, pivots
        enter = leave
        tab = T1 if tab is T2 else T2
    xs = T2.values(set(range(m)))
    ys = T1.values(set(range(m, m + n)))
    return xs, ys, pivots


def _tableaux_float(unit: np.ndarray):
    """Tableaux of the unit payoffs shifted to [1, 2] (scale- and shift-free, see :mod:`._kernels`)."""
    Ap = unit[..., 0] + 1.0
    Bp = unit[..., 1] + 1.0
    m, n = Ap.shape
    # T1: A' y + r = 1; basic r (ids 0..m-1), nonbasic y (ids m..m+n-1)
    T1 = _FloatTableau(Ap, np.arange(m), np.arange(m, m + n), list(range(m)))
    # T2: B'^T x + s = 1; basic s (ids m..m+n-1), nonbasic x (ids 0..m-1)
    T2 = _FloatTableau(Bp.T, np.arange(m, m + n), np.arange(m), list(range(m, m + n)))
    return T1, T2


def _tableaux_exact(E):
    m, n = E.shape[0], E.shape[1]
    A = [[E[i, j, 0] for j in range(n)] for i in range(m)]
    B = [[E[i, j, 1] for j in range(n)] for i in range(m)]
    Ap = _exact_unit(A)
    Bp = _exact_unit(B)
    BpT = [[Bp[i][j] for i in range(m)] for j in range(n)]
    T1 = _ExactTableau(Ap, range(m), range(m, m + n), range(m))
    T2 = _ExactTableau(BpT, range(m, m + n), range(m), range(m, m + n))
    return T1, T2


def _to_vectors(xs, ys, m, n, zero):
    x = [xs.get(i, zero) for i in range(m)]
    y = [ys.get(m + j, zero) for j in range(n)]
    return x, y


def _positive(game: NormalFormGame) -> tuple[np.ndarray, np.ndarray]:
    """``(A', B'^T)``: the unit payoffs shifted to [1, 2], contiguous (cached on the game)."""
    return positive_payoffs(game)


def _float_path(game: NormalFormGame, label: int, max_pivots: int, compiled=None):
    """``(x, y, pivots)`` of the float path, ``x`` None when it did not end at an equilibrium.

    By the compiled kernel :func:`._compiled.lh_path` (the same pivots in the
    same floating-point operations) when numba is installed, else by the
    :class:`_FloatTableau` pair; ``compiled=False`` forces the latter (the
    tests' oracle of the kernel).
    """
    if compiled is not False:
        try:
            from ._compiled import lh_path
        except ImportError:  # numba not installed: the numpy tableaux below
            lh_path = None
        if lh_path is not None:
            Ap, BpT = _positive(game)
            status, piv, x, y = lh_path(Ap, BpT, int(label), int(max_pivots))
            return (x, y, piv) if status == 0 else (None, None, piv if status == 1 else 0)
    m, n = game.shape
    T1, T2 = _tableaux_float(unit_payoffs(game)[0])
    try:
        xs, ys, piv = _path(T1, T2, m, n, label, max_pivots)
    except _Unbounded:
        return None, None, 0
    if xs is None:
        return None, None, piv
    x, y = _to_vectors(xs, ys, m, n, 0.0)
    return np.array(x), np.array(y), piv


_LH_CERTIFIED = False  # the compiled kernel, looked up on first use (None without numba)


def _compiled_label(game: NormalFormGame, label: int, max_pivots: int, tol: float, prov):
    """``(Equilibrium or None, pivots)`` by :func:`._compiled.lh_certified`; None without numba.

    The path, the normalisation and the certificate (the regret test of
    :func:`.certify_or_none`) in one compiled call, the result built by
    :func:`.new_equilibrium`. ``None`` in place of the equilibrium when the path
    stopped or its end point failed the certificate (the caller then falls back to
    exact arithmetic).
    """
    global _LH_CERTIFIED
    if _LH_CERTIFIED is False:
        try:
            from ._compiled import lh_certified as _LH_CERTIFIED
        except ImportError:  # numba not installed: the numpy tableaux
            _LH_CERTIFIED = None
    lh_certified = _LH_CERTIFIED
    if lh_certified is None:
        return None
    Ap, BpT = positive_payoffs(game)
    unit, _, span = unit_payoffs(game)
    status, piv, x, y, worst, reg, pay = lh_certified(
        Ap, BpT, unit, game.payoffs, span, int(label), int(max_pivots)
    )
    if status != 0 or not worst <= tol:
        return None, 0 if status == 2 else piv  # as _float_path counts an unbounded path
    x.setflags(write=False)
    y.setflags(write=False)
    pay.setflags(write=False)
    eq = new_equilibrium((x, y), pay, game.players, game.actions, "lemke_howson", float(reg), prov)
    return eq, piv


def _one_label(game: NormalFormGame, label: int, exact: bool, max_pivots: int, tol: float, prov):
    """Run one path; returns (Equilibrium, pivots, used_exact)."""
    m, n = game.shape
    if not exact:
        fast = _compiled_label(game, label, max_pivots, tol, prov)
        if fast is not None and fast[0] is not None:
            return fast[0], fast[1], False
        x, y, piv = (None, None, 0) if fast is not None else _float_path(game, label, max_pivots)
        if x is not None:
            x = np.clip(x, 0.0, None)
            y = np.clip(y, 0.0, None)
            if x.sum() > 0 and y.sum() > 0:
                x, y = x / x.sum(), y / y.sum()
                # a float result that fails its check falls through to the exact fallback
                eq = certify_or_none(game, (x, y), "lemke_howson", prov, tol=tol)
                if eq is not None:
                    return eq, piv, False
        if max(m, n) > MAX_EXACT_SIZE:
            raise InvalidGameError(
                f"Lemke–Howson in floating point cannot decide this {m} x {n} game (label {label}: "
                f"the path is numerically degenerate) and the game is above the exact fallback's "
                f"limit of {MAX_EXACT_SIZE} actions per player; perturb or round the payoffs, or "
                "use method='support_enumeration' on a smaller game"
            )
    T1, T2 = _tableaux_exact(game.exact_payoffs)
    xs, ys, piv = _path(T1, T2, m, n, label, 10**9)
    x, y = _to_vectors(xs, ys, m, n, Fraction(0))
    sx, sy = sum(x), sum(y)
    ex = ([v / sx for v in x], [v / sy for v in y])
    return certify(game, None, "lemke_howson", prov, exact=ex), piv, True


def lemke_howson(
    game: NormalFormGame,
    label: int | str | None = 0,
    exact: bool = False,
    tol: float = TOL,
    max_pivots: int | None = None,
) -> EquilibriumSet:
    """Equilibria of a two-player game by Lemke–Howson with lexicographic pivoting.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    label : int, str or None
        The dropped label: ``0..m-1`` are the row player's actions,
        ``m..m+n-1`` the column player's; an action name (as
        ``(player, action)`` or a label of the row player's action) also
        works. ``None`` runs every label and returns the distinct
        equilibria found.
    exact : bool
        Pivot in rational arithmetic (games up to :data:`MAX_EXACT_SIZE`
        actions per player).
    tol : float
        Certification tolerance in floating point.
    max_pivots : int, optional
        Safety cap on float pivots before the exact fallback (default
        ``50 * (m + n)**2``).

    Returns
    -------
    EquilibriumSet
        ``complete=False``: Lemke–Howson finds one equilibrium per label
        and need not reach all of them, even from every label.

    Notes
    -----
    Algorithm 3.6 of [Nisan2007]_; lexicographic rule from
    [vonStengel2002]_. Each path ends at an equilibrium (the number of
    equilibria of a nondegenerate game is odd [Shapley1974]_).
    """
    if game.n_players != 2:
        require_two_players(game, "lemke_howson")
    m, n = game.shape
    if exact and max(m, n) > MAX_EXACT_SIZE:
        from ...errors import TooLargeError

        raise TooLargeError(
            f"exact Lemke–Howson is limited to {MAX_EXACT_SIZE} actions per player; this game is "
            f"{m} x {n}. Use exact=False (every answer is still certified)."
        )
    if max_pivots is not None and (
        isinstance(max_pivots, bool)
        or not isinstance(max_pivots, int | np.integer)
        or max_pivots < 1
    ):
        raise InvalidGameError(
            f"max_pivots must be a positive whole number of pivots (or None for the default "
            f"50 * (m + n)**2); got {max_pivots!r}"
        )
    labels = list(range(m + n)) if label is None else [_label_index(game, label)]
    cap = max_pivots if max_pivots is not None else 50 * (m + n) ** 2
    prov = Provenance("lemke_howson", {"label": label, "tol": tol, "max_pivots": cap}, exact=exact)
    found = []
    any_exact = exact
    for k in labels:
        eq, _, used_exact = _one_label(game, k, exact, cap, tol, prov)
        any_exact = any_exact or used_exact
        found.append(eq)
    if len(found) == 1:  # one label: nothing to deduplicate or sort
        return EquilibriumSet(
            tuple(found), "lemke_howson", complete=False, degenerate=None, provenance=prov
        )
    uniq = []
    for eq in found:
        if not any(
            all(np.allclose(a, b, atol=1e-7, rtol=0) for a, b in zip(eq.strategies, u.strategies))
            for u in uniq
        ):
            uniq.append(eq)
    if len(uniq) > 1:
        uniq.sort(key=lambda e: sort_key(e.strategies))
    return EquilibriumSet(
        tuple(uniq), "lemke_howson", complete=False, degenerate=None, provenance=prov
    )


def _label_index(game: NormalFormGame, label) -> int:
    m, n = game.shape
    if isinstance(label, tuple) and len(label) == 2:
        i = game.player_index(label[0])
        k = game.action_index(i, label[1])
        return k if i == 0 else m + k
    if isinstance(label, str):
        for i in range(2):
            if label in game.actions[i]:
                k = game.actions[i].index(label)
                return k if i == 0 else m + k
        raise InvalidGameError(
            f"label {label!r} is not an action name; give an index 0..{m + n - 1}"
        )
    if not isinstance(label, int | np.integer) or not 0 <= int(label) < m + n:
        raise InvalidGameError(
            f"label must be an index 0..{m + n - 1} (row actions, then column actions) or None; got {label!r}"
        )
    return int(label)
