"""Compiled (numba) kernel of the exact equilibrium payoff set: the whole Abreu–Sannikov iteration.

Imported lazily by :func:`.payoff_set._abreu_sannikov`, never at package
import (``jenga --version`` must not pay for numba). The kernel is compiled
on its first call (about 12 s of CPU on the development machine) and cached
on disk (``cache=True``), so later processes load it in about 0.1 s.
Without numba installed the numpy path of :mod:`.payoff_set` runs instead
(same answers; slower), and the tests use that path as the oracle of this
kernel.

The kernel repeats, in compiled loops over scalars, the arithmetic of
:func:`.payoff_set._as_step` and :func:`.payoff_set._hull`; it is not a
second model. The operator of Abreu, Pearce and Stacchetti (1990)
:cite:`abreu1990`, applied on polygons as Abreu and Sannikov (2014)
:cite:`abreu2014` do, maps ``W`` (threat point ``u``) to the convex hull of

* ``u(a)`` for each profile ``a`` whose stationary play is enforceable
  (``u(a) >= IC(a)`` and ``u(a)`` in ``W``), where
  ``IC(a) = u + (1 - δ)/δ · g(a)`` and ``g_i(a)`` is player ``i``'s best
  deviation gain at ``a``;
* else ``(1 - δ) u(a) + δ w`` for ``w`` on an edge of ``W`` where one bound
  ``w_i = IC_i(a)`` binds and the other holds, for ``w`` a vertex of a point-
  or segment-shaped ``W`` above both bounds, and for the corner
  ``w = IC(a)`` when it lies in ``W``.

Floating-point operations are the numpy path's, in the same order and not
fused (numba does not enable ``fastmath``), so a step rounds as the numpy
step does; the tests compare them on random stage games.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["abreu_sannikov", "as_step"]


@njit(cache=True)
def _inside_one(W: np.ndarray, q0: float, q1: float, tol: float) -> bool:
    """Whether ``(q0, q1)`` lies in the ccw polygon ``W`` (a point or segment allowed), as ``_inside``."""
    m = W.shape[0]
    if m >= 3:
        for k in range(m):
            nk = k + 1 if k + 1 < m else 0
            e0 = W[nk, 0] - W[k, 0]
            e1 = W[nk, 1] - W[k, 1]
            cross = e0 * (q1 - W[k, 1]) - e1 * (q0 - W[k, 0])
            if not cross >= -tol * np.hypot(e0, e1):
                return False
        return True
    a0, a1 = W[0, 0], W[0, 1]
    d0, d1 = W[m - 1, 0] - a0, W[m - 1, 1] - a1
    dd = d0 * d0 + d1 * d1
    t = 0.0
    if dd != 0.0:
        t = ((q0 - a0) * d0 + (q1 - a1) * d1) / dd
        t = min(max(t, 0.0), 1.0)
    r0 = q0 - (a0 + t * d0)
    r1 = q1 - (a1 + t * d1)
    return np.sqrt(r0 * r0 + r1 * r1) <= tol


@njit(cache=True)
def _turn(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


@njit(cache=True)
def _lex_order(S: np.ndarray, n: int) -> np.ndarray:
    """Indices sorting the rows ``S[:n]`` by x, then y (bottom-up merge sort).

    Written out rather than ``np.argsort``, whose numba implementation takes
    seconds to compile; rows that compare equal are merged by the caller, so
    their order does not matter.
    """
    a = np.arange(n)
    b = np.empty(n, dtype=np.int64)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                p, q = a[i], a[j]
                if S[q, 0] < S[p, 0] or (S[q, 0] == S[p, 0] and S[q, 1] < S[p, 1]):
                    b[k] = q
                    j += 1
                else:
                    b[k] = p
                    i += 1
                k += 1
            while i < mid:
                b[k] = a[i]
                i += 1
                k += 1
            while j < hi:
                b[k] = a[j]
                j += 1
                k += 1
        a, b = b, a
        width *= 2
    return a


@njit(cache=True)
def _hull(P: np.ndarray, n: int, grid: float, collinear: float) -> np.ndarray:
    """Convex hull (ccw) of ``P[:n]`` after snapping to the grid, as :func:`.payoff_set._hull`."""
    inv = 1.0 / grid
    S = np.empty((n, 2))
    for k in range(n):
        S[k, 0] = np.rint(P[k, 0] * inv) * grid
        S[k, 1] = np.rint(P[k, 1] * inv) * grid
    order = _lex_order(S, n)
    X = np.empty((n, 2))
    u = 0
    for k in range(n):
        x, y = S[order[k], 0], S[order[k], 1]
        if u == 0 or x != X[u - 1, 0] or y != X[u - 1, 1]:
            X[u, 0] = x
            X[u, 1] = y
            u += 1
    if u <= 2:
        return X[:u].copy()
    H = np.empty((2 * u, 2))
    h = 0
    for k in range(u):  # lower chain
        while h >= 2 and (
            _turn(H[h - 2, 0], H[h - 2, 1], H[h - 1, 0], H[h - 1, 1], X[k, 0], X[k, 1]) <= 0.0
        ):
            h -= 1
        H[h, 0] = X[k, 0]
        H[h, 1] = X[k, 1]
        h += 1
    h -= 1  # the lower chain without its last point (the upper chain starts there)
    start = h
    for k in range(u - 1, -1, -1):  # upper chain, written after the lower one
        while h - start >= 2 and (
            _turn(H[h - 2, 0], H[h - 2, 1], H[h - 1, 0], H[h - 1, 1], X[k, 0], X[k, 1]) <= 0.0
        ):
            h -= 1
        H[h, 0] = X[k, 0]
        H[h, 1] = X[k, 1]
        h += 1
    n_h = h - 1  # the upper chain without its last point
    # drop vertices collinear with their neighbours up to rounding (small turn, obtuse angle)
    k = 0
    while n_h > 2 and k < n_h:
        km = k - 1 if k >= 1 else n_h - 1
        kp = k + 1 if k + 1 < n_h else 0
        ax, ay, bx, by = H[km, 0], H[km, 1], H[k, 0], H[k, 1]
        cx, cy = H[kp, 0], H[kp, 1]
        if (
            _turn(ax, ay, bx, by, cx, cy) <= collinear
            and (ax - bx) * (cx - bx) + (ay - by) * (cy - by) < 0.0
        ):
            for j in range(k, n_h - 1):
                H[j, 0] = H[j + 1, 0]
                H[j, 1] = H[j + 1, 1]
            n_h -= 1
            k = max(k - 1, 0)
        else:
            k += 1
    return H[:n_h].copy()


@njit(cache=True)
def as_step(
    W: np.ndarray,
    u: np.ndarray,
    pts: np.ndarray,
    gains: np.ndarray,
    d: float,
    tol: float,
    grid: float,
    collinear: float,
) -> np.ndarray:
    """One application of the operator to ``W`` with threat point ``u`` (see the module docstring).

    Same as :func:`.payoff_set._as_step` with ``tol = grid``; here the
    candidate tolerance ``tol`` and the hull's grid are separate arguments.
    """
    n_p = pts.shape[0]
    m = W.shape[0]
    out = np.empty((n_p * (5 * m + 2), 2))
    n = 0
    e = 1.0 - d
    for r in range(n_p):
        ic0 = u[0] + gains[r, 0]
        ic1 = u[1] + gains[r, 1]
        p0, p1 = pts[r, 0], pts[r, 1]
        if p0 >= ic0 - tol and p1 >= ic1 - tol and _inside_one(W, p0, p1, tol):
            out[n, 0] = p0
            out[n, 1] = p1
            n += 1
            continue
        if m >= 2:
            for i in range(2):
                o = 1 - i
                ici = ic0 if i == 0 else ic1
                ico = ic1 if i == 0 else ic0
                for k in range(m):
                    nk = k + 1 if k + 1 < m else 0
                    den = W[nk, i] - W[k, i]
                    if not abs(den) > tol:
                        continue
                    t = (ici - W[k, i]) / den
                    slack = tol / abs(den)  # a bound through an end point, up to rounding
                    if not (t >= -slack and t <= 1.0 + slack):
                        continue
                    t = min(max(t, 0.0), 1.0)
                    x = W[k, o] + t * (W[nk, o] - W[k, o])
                    if not x >= ico - tol:
                        continue
                    out[n, i] = d * ici + e * pts[r, i]
                    out[n, o] = d * x + e * pts[r, o]
                    n += 1
        if m <= 2:  # vertices of a point- or segment-shaped W inside the bounds
            for k in range(m):
                if W[k, 0] >= ic0 - tol and W[k, 1] >= ic1 - tol:
                    out[n, 0] = d * W[k, 0] + e * p0
                    out[n, 1] = d * W[k, 1] + e * p1
                    n += 1
        if _inside_one(W, ic0, ic1, tol):  # the corner of the two bounds
            out[n, 0] = d * ic0 + e * p0
            out[n, 1] = d * ic1 + e * p1
            n += 1
    if n == 0:
        return np.empty((0, 2))
    return _hull(out, n, grid, collinear)


@njit(cache=True)
def abreu_sannikov(
    U: np.ndarray,
    d: float,
    tol: float,
    max_iter: int,
    grid: float,
    collinear: float,
):
    """The exact set of the stage game ``U`` (shape ``(k1, k2, 2)``), as :func:`.payoff_set._abreu_sannikov`.

    Starts from the hull of the stage payoffs and the pointwise smallest
    stage payoff as threat point, and iterates :func:`as_step` until the
    vertices move by less than ``tol`` (same count) and the threat point no
    longer moves, or the set becomes empty. Returns
    ``(W, iterations, converged)``.
    """
    k1, k2 = U.shape[0], U.shape[1]
    n_p = k1 * k2
    pts = np.empty((n_p, 2))
    gains = np.empty((n_p, 2))
    c = (1.0 - d) / d
    for a in range(k1):
        for b in range(k2):
            best0 = U[0, b, 0]
            for a2 in range(1, k1):
                best0 = max(best0, U[a2, b, 0])
            best1 = U[a, 0, 1]
            for b2 in range(1, k2):
                best1 = max(best1, U[a, b2, 1])
            r = a * k2 + b
            pts[r, 0] = U[a, b, 0]
            pts[r, 1] = U[a, b, 1]
            gains[r, 0] = c * (best0 - U[a, b, 0])
            gains[r, 1] = c * (best1 - U[a, b, 1])
    W = _hull(pts, n_p, grid, collinear)
    u = np.empty(2)
    for j in range(2):
        lo = pts[0, j]
        for r in range(1, n_p):
            lo = min(lo, pts[r, j])
        u[j] = lo
    it = 0
    converged = False
    while it < max_iter:
        it += 1
        new = as_step(W, u, pts, gains, d, grid, grid, collinear)
        if new.shape[0] == 0:
            return new, it, True
        un = np.empty(2)
        for j in range(2):
            lo = new[0, j]
            for k in range(1, new.shape[0]):
                lo = min(lo, new[k, j])
            un[j] = max(u[j], lo)
        if new.shape[0] == W.shape[0] and un[0] == u[0] and un[1] == u[1]:
            move = 0.0
            for k in range(new.shape[0]):
                for j in range(2):
                    move = max(move, abs(new[k, j] - W[k, j]))
            if move < tol:
                W = new
                converged = True
                break
        W = new
        u = un
    return W, it, converged
