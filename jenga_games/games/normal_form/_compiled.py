"""Compiled (numba) kernels of the two-player solvers: vertex candidates and Lemke–Howson paths.

Imported lazily by the solvers, never at package import (``jenga --version``
must not pay for numba). Each kernel is compiled on its first call in a
process (about a second) and cached on disk (``cache=True``), so later
processes load it in tens of milliseconds. Without numba installed the
solvers fall back to their numpy code paths (same answers; slower), which
the tests also use as the oracle of these kernels.

The kernels repeat, in compiled loops, arithmetic the numpy paths do with
batched calls; they are not a second model. Floating-point products are not
fused (numba does not enable ``fastmath``), so a rank-one update here
rounds exactly as ``D -= np.outer(col, row)`` does.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["first_rows", "lh_path", "vertex_candidates"]


@njit(cache=True)
def _next_combo(idx: np.ndarray, k: int, n: int) -> bool:
    """Advance ``idx[:k]`` to the next k-subset of range(n) in lexicographic order; False at the end."""
    i = k - 1
    while i >= 0 and idx[i] == n - k + i:
        i -= 1
    if i < 0:
        return False
    idx[i] += 1
    for j in range(i + 1, k):
        idx[j] = idx[j - 1] + 1
    return True


@njit(cache=True)
def first_rows(R: np.ndarray, X: np.ndarray, atol: float) -> np.ndarray:
    """Indices, in order, of the rows :func:`._vertex_enumeration.unique_rows` keeps.

    ``R = round(X / atol)``. A row is kept when no earlier row has the same
    rounded values and no earlier kept row is within ``atol`` of it
    (max-abs distance): the first row of each rounding cell, less cells
    straddling a rounding boundary next to an earlier one.
    """
    v, d = X.shape
    keep = np.empty(v, dtype=np.int64)
    firsts = np.empty(v, dtype=np.int64)
    nf = 0
    nk = 0
    for i in range(v):
        new_cell = True
        for a in range(nf):
            j = firsts[a]
            same = True
            for t in range(d):
                if R[i, t] != R[j, t]:
                    same = False
                    break
            if same:
                new_cell = False
                break
        if not new_cell:
            continue
        near = False
        for a in range(nf):
            j = firsts[a]
            close = True
            for t in range(d):
                if abs(X[i, t] - X[j, t]) > atol:
                    close = False
                    break
            if close:
                near = True
                break
        firsts[nf] = i
        nf += 1
        if not near:
            keep[nk] = i
            nk += 1
    return keep[:nk]


@njit(cache=True)
def _lh_pivot(D, basic, nonbasic, pos_row, pos_col, slack_lo, slack_hi, enter, ratios, tied, b):
    """One lexicographic pivot of :class:`._lemke_howson._FloatTableau`; the leaving id, or -1 (unbounded).

    The same tests in the same floating-point operations: ratio test on
    entries above 1e-12, ties within 1e-12 (relative) broken on the columns
    of ``B^{-1}`` (the slack ids ``slack_lo..slack_hi-1``), and the rank-one
    update ``D -= col row^T`` unfused.
    """
    rows, width = D.shape
    last = width - 1
    c = pos_col[enter]
    r = -1
    best = np.inf
    for i in range(rows):
        p = D[i, c]
        if p > 1e-12:
            q = D[i, last] / p
            ratios[i] = q
            if q < best:
                best = q
                r = i
        else:
            ratios[i] = np.inf
    if r < 0:
        return -1
    thr = best + 1e-12 * max(1.0, abs(best))
    tie = False
    for i in range(r + 1, rows):
        if ratios[i] <= thr:
            tie = True
            break
    if tie:
        nt = 0
        for i in range(rows):
            if ratios[i] <= thr:
                tied[nt] = i
                nt += 1
        for s in range(slack_lo, slack_hi):
            bmin = np.inf
            rs = pos_row[s]
            for a in range(nt):
                i = tied[a]
                if rs >= 0:
                    v = 1.0 if i == rs else 0.0
                else:
                    v = D[i, pos_col[s]]
                b[a] = v / D[i, c]
                if b[a] < bmin:
                    bmin = b[a]
            lim = bmin + 1e-12 * max(1.0, abs(bmin))
            nn = 0
            for a in range(nt):
                if b[a] <= lim:
                    tied[nn] = tied[a]
                    nn += 1
            nt = nn
            if nt == 1:
                break
        r = tied[0]
    leave = basic[r]
    inv = 1.0 / D[r, c]
    rowr = D[r, :] * inv
    rowr[c] = inv
    colc = D[:, c].copy()
    for i in range(rows):
        f = colc[i]
        for j in range(width):
            D[i, j] = D[i, j] - f * rowr[j]
    for i in range(rows):
        D[i, c] = colc[i] * -inv
    for j in range(width):
        D[r, j] = rowr[j]
    basic[r] = enter
    nonbasic[c] = leave
    pos_row[leave] = -1
    pos_col[enter] = -1
    pos_row[enter] = r
    pos_col[leave] = c
    return leave


@njit(cache=True)
def lh_path(Ap: np.ndarray, BpT: np.ndarray, label: int, max_pivots: int):
    """The Lemke–Howson path of :func:`._lemke_howson._path` on the float tableaux, compiled.

    ``Ap`` (m x n) and ``BpT`` (n x m) are the positive payoffs. Returns
    ``(status, pivots, x, y)``: status 0 at an equilibrium (``x``, ``y`` the
    basic values of the players' variables, unnormalised), 1 when
    ``max_pivots`` was reached, 2 when a pivot column had no positive entry.
    """
    m, n = Ap.shape
    tot = m + n
    # T1: A' y + r = 1, basic r (ids 0..m-1), nonbasic y (ids m..m+n-1)
    D1 = np.ones((m, n + 1))
    D1[:, :n] = Ap
    basic1 = np.arange(m)
    nonbasic1 = np.arange(m, tot)
    # T2: B'^T x + s = 1, basic s (ids m..m+n-1), nonbasic x (ids 0..m-1)
    D2 = np.ones((n, m + 1))
    D2[:, :m] = BpT
    basic2 = np.arange(m, tot)
    nonbasic2 = np.arange(m)
    pr1 = np.full(tot, -1)
    pc1 = np.full(tot, -1)
    pr2 = np.full(tot, -1)
    pc2 = np.full(tot, -1)
    for i in range(m):
        pr1[i] = i
        pc2[i] = i
    for j in range(n):
        pc1[m + j] = j
        pr2[m + j] = j
    big = max(m, n)
    ratios = np.empty(big)
    tied = np.empty(big, dtype=np.int64)
    b = np.empty(big)
    x = np.zeros(m)
    y = np.zeros(n)
    enter = label
    second = label < m  # x_k lives in T2; y_j in T1
    pivots = 0
    while True:
        if second:
            leave = _lh_pivot(D2, basic2, nonbasic2, pr2, pc2, m, tot, enter, ratios, tied, b)
        else:
            leave = _lh_pivot(D1, basic1, nonbasic1, pr1, pc1, 0, m, enter, ratios, tied, b)
        if leave < 0:
            return 2, pivots, x, y
        pivots += 1
        if leave == label:
            break
        if pivots >= max_pivots:
            return 1, pivots, x, y
        enter = leave
        second = not second
    for r in range(n):
        v = basic2[r]
        if v < m:
            x[v] = D2[r, m]
    for r in range(m):
        v = basic1[r]
        if v >= m:
            y[v - m] = D1[r, n]
    return 0, pivots, x, y


_SINGULAR = 1e-11
"""A reduced row whose entries are all at most this is dependent on the rows before it (the
entries of ``M`` lie in [1, 2], so this is relative to the matrix)."""


@njit(cache=True)
def _reduce_row(C, row, t, k, R, piv, used):
    """Reduce row ``row`` of ``C`` (with right-hand side 1) against the ``t`` pivot rows in ``R``.

    Writes the reduced row into ``R[t]`` and picks its pivot (the largest
    entry among unused columns, partial pivoting by columns). False when the
    row is dependent on the earlier ones, to :data:`_SINGULAR` (every such system is singular).
    """
    for j in range(k):
        R[t, j] = C[row, j]
    R[t, k] = 1.0
    for a in range(t):
        p = piv[a]
        f = R[t, p] / R[a, p]
        if f != 0.0:
            for j in range(k + 1):
                R[t, j] -= f * R[a, j]
            R[t, p] = 0.0
    best = _SINGULAR
    pc = -1
    for j in range(k):
        if not used[j]:
            v = abs(R[t, j])
            if v > best:
                best = v
                pc = j
    if pc < 0:
        return False
    piv[t] = pc
    used[pc] = True
    return True


@njit(cache=True)
def vertex_candidates(M: np.ndarray, tol: float):
    """Feasible solutions of every square system ``M_{JI} x_I = 1`` of ``{x >= 0 : M x <= 1}``.

    For every size ``k``, every support ``I`` (k columns of ``M``) and tight
    set ``J`` (k rows), in the order of the numpy path (k, then I, then J,
    each lexicographic), the system is kept when it is nonsingular, its
    residual is at most 1e-9, and ``x >= -tol``, ``M x <= 1 + tol``.
    The elimination is shared between systems: for each ``I`` the rows of
    ``J`` are chosen depth first in increasing order and the rows chosen so
    far stay reduced (Gaussian elimination row by row, pivoting on columns),
    so a system costs one row reduction and a back substitution, and a row
    dependent on the rows before it (to :data:`_SINGULAR`) prunes every
    system containing them.

    Returns ``(X, I_masks, J_masks)``: the candidate points (the origin first,
    negative entries clipped to 0) and the support and tight rows of each as
    bit masks (``M`` has at most 62 rows and columns, entries in [1, 2]).
    """
    r, d = M.shape
    cap = 64
    X = np.zeros((cap, d))
    Im = np.zeros(cap, dtype=np.int64)
    Jm = np.zeros(cap, dtype=np.int64)
    count = 1  # the origin
    Ib = np.empty(d, dtype=np.int64)
    C = np.empty((r, d))
    R = np.empty((d, d + 1))
    piv = np.empty(d, dtype=np.int64)
    used = np.zeros(d, dtype=np.bool_)
    Jb = np.empty(d, dtype=np.int64)
    z = np.empty(d)
    kmax = min(r, d)
    for k in range(1, kmax + 1):
        for t in range(k):
            Ib[t] = t
        more_i = True
        while more_i:
            for row in range(r):
                for b in range(k):
                    C[row, b] = M[row, Ib[b]]
            # depth-first over J: Jb[:t] chosen and reduced
            t = 0
            Jb[0] = 0
            while True:
                if Jb[t] > r - k + t:  # no room left at this depth: backtrack
                    if t == 0:
                        break
                    t -= 1
                    used[piv[t]] = False
                    Jb[t] += 1
                    continue
                if not _reduce_row(C, Jb[t], t, k, R, piv, used):
                    Jb[t] += 1
                    continue
                if t < k - 1:
                    t += 1
                    Jb[t] = Jb[t - 1] + 1
                    continue
                # a full system: back substitution in pivot order
                ok = True
                for a in range(k - 1, -1, -1):
                    s = R[a, k]
                    for c in range(a + 1, k):
                        s -= R[a, piv[c]] * z[piv[c]]
                    z[piv[a]] = s / R[a, piv[a]]
                for b in range(k):
                    if not np.isfinite(z[b]) or z[b] < -tol:
                        ok = False
                        break
                if ok:
                    for a in range(k):  # residual of the original system
                        s = -1.0
                        for b in range(k):
                            s += C[Jb[a], b] * z[b]
                        if abs(s) > 1e-9:
                            ok = False
                            break
                if ok:
                    for row in range(r):
                        s = 0.0
                        for b in range(k):
                            s += C[row, b] * z[b]
                        if s > 1.0 + tol:
                            ok = False
                            break
                if ok:
                    if count == cap:
                        cap *= 2
                        X2 = np.zeros((cap, d))
                        X2[:count] = X[:count]
                        X = X2
                        Im2 = np.zeros(cap, dtype=np.int64)
                        Im2[:count] = Im[:count]
                        Im = Im2
                        Jm2 = np.zeros(cap, dtype=np.int64)
                        Jm2[:count] = Jm[:count]
                        Jm = Jm2
                    mi = 0
                    mj = 0
                    for b in range(k):
                        mi |= np.int64(1) << Ib[b]
                        mj |= np.int64(1) << Jb[b]
                        X[count, Ib[b]] = max(z[b], 0.0)
                    Im[count] = mi
                    Jm[count] = mj
                    count += 1
                used[piv[t]] = False
                Jb[t] += 1
            more_i = _next_combo(Ib, k, d)
    return X[:count], Im[:count], Jm[:count]
