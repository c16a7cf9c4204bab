"""Support enumeration for two-player games, vectorised over support pairs.

For the row player's payoffs ``A`` (m x n) and the column player's ``B``, a
pair of supports ``I ⊆ rows``, ``J ⊆ columns`` with ``|I| = |J| = k`` gives the
linear systems (Algorithm 3.4 of [Nisan2007]_)

.. math::

    A_{IJ} y_J = v \\mathbf 1,\\ \\mathbf 1^T y_J = 1, \\qquad
    B_{IJ}^T x_I = u \\mathbf 1,\\ \\mathbf 1^T x_I = 1,

and ``(x, y)`` is an equilibrium when ``x, y >= 0`` and no action outside the
supports pays more: ``A y <= v`` and ``B^T x <= u``.

In floating point the systems are solved in the equivalent normalised form
of the best-response polytopes (payoffs shifted positive, ``u = v = 1``):
``B'^T_{JI} x_I = 1`` and ``A'_{IJ} y_J = 1``, all support pairs of one size
``k`` at once as a stack of ``k x k`` systems (``numpy.linalg.solve``),
singular systems skipped. These are exactly the systems whose feasible
solutions are the vertices of the polytopes, so the same pass also decides
whether the game is degenerate (see :mod:`._vertex_enumeration`). The exact
mode solves the augmented systems above in rational arithmetic.

The feasibility tests are tolerance-aware (``x >= -tol``, ``B'^T x <= 1 + tol``),
so rounding of order 1e-16 cannot drop an equilibrium, and every candidate
is then certified by its regret. For a nondegenerate game equal-size
supports are the only ones and this finds every equilibrium; for a
degenerate game it may miss equilibria whose supports have unequal sizes or
systems that are singular (use vertex enumeration).
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance
from ...tolerance import TOL
from ._equilibrium import EquilibriumSet, certify, certify_pairs, dedupe, sort_key
from ._exact import frac_solve
from ._kernels import unit_payoffs

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["support_enumeration"]

_CHUNK = 2_000_000  # floats per batch of stacked systems


def _combos(m: int, k: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(m), k)), dtype=np.intp).reshape(-1, k)


def _solve_side(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve stacked systems ``[M_s, -1; 1^T, 0] [z; w] = [0; 1]``.

    ``M`` has shape (s, k, k); returns (z of shape (s, k), w of shape (s,), ok mask).
    """
    s, k, _ = M.shape
    K = np.zeros((s, k + 1, k + 1))
    K[:, :k, :k] = M
    K[:, :k, k] = -1.0
    K[:, k, :k] = 1.0
    rhs = np.zeros((s, k + 1, 1))
    rhs[:, k, 0] = 1.0
    # conditioning guard: singular (or numerically singular) systems are skipped
    det = np.linalg.det(K)
    scale = np.maximum(1.0, np.abs(M).max(axis=(1, 2))) ** k
    ok = np.abs(det) > 1e-12 * scale
    K[~ok] = np.eye(k + 1)
    sol = np.linalg.solve(K, rhs)[..., 0]
    return sol[:, :k], sol[:, k], ok


def _kernel(
    A: np.ndarray, B: np.ndarray, tol: float
) -> list[tuple[np.ndarray, np.ndarray, tuple[int, ...], tuple[int, ...]]]:
    """Candidate equilibria of equal-size support pairs: ``(x, y, rows I, columns J)`` each.

    Used by the exact mode, with a loose ``tol``, to propose the support pairs
    it then solves exactly.
    """
    m, n = A.shape
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    ptol = tol  # probabilities are O(1)
    vtol = tol * scale
    found = []
    for k in range(1, min(m, n) + 1):
        R = _combos(m, k)
        C = _combos(n, k)
        per_row = max(1, _CHUNK // max(1, len(C) * (k + 1) ** 2))
        for start in range(0, len(R), per_row):
            Rc = R[start : start + per_row]
            rI = Rc[:, None, :, None]
            cJ = C[None, :, None, :]
            AIJ = A[rI, cJ].reshape(-1, k, k)  # (pairs, k, k), rows I, cols J
            BIJt = np.swapaxes(B[rI, cJ].reshape(-1, k, k), 1, 2)
            yJ, v, oky = _solve_side(AIJ)
            xI, u, okx = _solve_side(BIJt)
            ok = oky & okx & (yJ >= -ptol).all(axis=1) & (xI >= -ptol).all(axis=1)
            if not ok.any():
                continue
            idx = np.flatnonzero(ok)
            pr = np.repeat(np.arange(len(Rc)), len(C))[idx]
            pc = np.tile(np.arange(len(C)), len(Rc))[idx]
            y = np.zeros((len(idx), n))
            x = np.zeros((len(idx), m))
            np.put_along_axis(y, C[pc], np.clip(yJ[idx], 0.0, None), axis=1)
            np.put_along_axis(x, Rc[pr], np.clip(xI[idx], 0.0, None), axis=1)
            y /= y.sum(axis=1, keepdims=True)
            x /= x.sum(axis=1, keepdims=True)
            # no profitable deviation outside the supports
            br_rows = (y @ A.T) <= v[idx, None] + vtol
            br_cols = (x @ B) <= u[idx, None] + vtol
            good = br_rows.all(axis=1) & br_cols.all(axis=1)
            for t in np.flatnonzero(good):
                found.append((x[t], y[t], tuple(Rc[pr[t]]), tuple(C[pc[t]])))
    return found


def _exact_support(E, rows, cols):
    """Solve the support systems of (rows, cols) exactly; the profile, or None when singular/infeasible."""
    m, n = E.shape[0], E.shape[1]
    k = len(rows)
    one = Fraction(1)
    My = [[E[i, j, 0] for j in cols] + [-one] for i in rows] + [[one] * k + [Fraction(0)]]
    Mx = [[E[i, j, 1] for i in rows] + [-one] for j in cols] + [[one] * k + [Fraction(0)]]
    rhs = [Fraction(0)] * k + [one]
    zy = frac_solve(My, rhs)
    zx = frac_solve(Mx, rhs)
    if zy is None or zx is None or min(zy[:k]) < 0 or min(zx[:k]) < 0:
        return None
    x = [Fraction(0)] * m
    y = [Fraction(0)] * n
    for i, v in zip(rows, zx):
        x[i] = v
    for j, v in zip(cols, zy):
        y[j] = v
    u, v = zx[k], zy[k]
    if any(sum((E[i, j, 0] * y[j] for j in cols), Fraction(0)) > v for i in range(m)):
        return None
    if any(sum((E[i, j, 1] * x[i] for i in rows), Fraction(0)) > u for j in range(n)):
        return None
    return x, y


def support_enumeration(
    game: NormalFormGame, tol: float = TOL, exact: bool = False
) -> EquilibriumSet:
    """All equilibria of a nondegenerate two-player game by support enumeration.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    tol : float
        Feasibility and best-response tolerance, on the unit payoffs (a share
        of each player's payoff range; see :mod:`._kernels`).
    exact : bool
        Solve in rational arithmetic: a floating-point pass with a loose
        tolerance (1e-6) proposes the support pairs, whose systems are then
        solved and checked exactly.

    Returns
    -------
    EquilibriumSet
        ``complete`` is ``True`` when the game is nondegenerate (decided from
        the same systems, see :func:`is_degenerate`); for degenerate games it
        is ``False`` and equilibria with unequal support sizes or continua
        may be missing.

    Raises
    ------
    TooLargeError
        When ``C(m + n, m)`` exceeds the vertex-enumeration limit
        (``MAX_SYSTEMS``); use Lemke–Howson for one equilibrium instead.

    Notes
    -----
    Algorithm 3.4 of [Nisan2007]_ (in a nondegenerate game every
    equilibrium has supports of equal size).
    """
    from ._solve import degeneracy_flag, require_two_players

    require_two_players(game, "support_enumeration")
    unit = unit_payoffs(game)[0]
    A, B = unit[..., 0], unit[..., 1]
    prov = Provenance("support_enumeration", {"tol": tol} if not exact else {}, exact=exact)
    if exact:
        E = game.exact_payoffs
        seen = {}
        for _, _, rows, cols in _kernel(A, B, 1e-6):
            sol = _exact_support(E, rows, cols)
            if sol is not None:
                seen.setdefault((tuple(sol[0]), tuple(sol[1])), None)
        items = sorted(seen, key=lambda xy: sort_key([np.array([float(v) for v in s]) for s in xy]))
        eqs = tuple(certify(game, None, "support_enumeration", prov, exact=xy) for xy in items)
        degenerate = degeneracy_flag(game)
    else:
        from ._vertex_enumeration import support_pairs

        raw, degenerate = support_pairs(game, tol)
        prof = dedupe(sorted(raw, key=sort_key))
        checked = certify_pairs(
            game, [s[0] for s in prof], [s[1] for s in prof], "support_enumeration", prov, tol
        )
        eqs = tuple(e for e in checked if e is not None)
    return EquilibriumSet(
        eqs,
        "support_enumeration",
        complete=degenerate is False,
        degenerate=degenerate,
        provenance=prov,
    )
