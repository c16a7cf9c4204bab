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

__all__ = [
    "certify_vertex_pairs",
    "first_rows",
    "label_pairs",
    "lh_certified",
    "lh_path",
    "vertex_candidates",
    "vertex_candidates_walk",
]


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
def _lh_pivot(
    D, basic, nonbasic, pos_row, pos_col, slack_lo, slack_hi, enter, ratios, tied, b, rowr, colc
):
    """One lexicographic pivot of :class:`._lemke_howson._FloatTableau`; the leaving id, or -1 (unbounded).

    The same tests in the same floating-point operations: ratio test on
    entries above 1e-12, ties within 1e-12 (relative) broken on the columns
    of ``B^{-1}`` (the slack ids ``slack_lo..slack_hi-1``), and the rank-one
    update ``D -= col row^T`` unfused. ``rowr`` and ``colc`` are work buffers (at
    least the width and the rows of ``D``).
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
    for j in range(width):
        rowr[j] = D[r, j] * inv
    rowr[c] = inv
    for i in range(rows):
        colc[i] = D[i, c]
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
    D1 = np.empty((m, n + 1))  # one pass over the payoffs (no fill, then copy)
    for i in range(m):
        for j in range(n):
            D1[i, j] = Ap[i, j]
        D1[i, n] = 1.0
    basic1 = np.arange(m)
    nonbasic1 = np.arange(m, tot)
    # T2: B'^T x + s = 1, basic s (ids m..m+n-1), nonbasic x (ids 0..m-1)
    D2 = np.empty((n, m + 1))
    for j in range(n):
        for i in range(m):
            D2[j, i] = BpT[j, i]
        D2[j, m] = 1.0
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
    rowr = np.empty(big + 1)
    colc = np.empty(big)
    x = np.zeros(m)
    y = np.zeros(n)
    enter = label
    second = label < m  # x_k lives in T2; y_j in T1
    pivots = 0
    while True:
        if second:
            leave = _lh_pivot(
                D2, basic2, nonbasic2, pr2, pc2, m, tot, enter, ratios, tied, b, rowr, colc
            )
        else:
            leave = _lh_pivot(
                D1, basic1, nonbasic1, pr1, pc1, 0, m, enter, ratios, tied, b, rowr, colc
            )
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
                # a full system
                if _accept_system(C, R, piv, Jb, k, tol, z):
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


_WALK_PIVOT = 1e-11
"""Smallest tableau entry the vertex walk pivots on (an entry at most this is read as zero)."""
_WALK_LOOSE = 1e-6
"""A basic value within this of zero is read as tight by the walk (degenerate exchanges), and a
basis whose values are all at least ``-_WALK_LOOSE`` is explored: far looser than the acceptance
test, so every system the enumeration accepts is reached despite rounding along the walk."""


@njit(cache=True)
def _binomials(n: int) -> np.ndarray:
    """Pascal's triangle ``B[a, b] = C(a, b)`` for ``a, b <= n`` (int64)."""
    B = np.zeros((n + 1, n + 1), dtype=np.int64)
    for a in range(n + 1):
        B[a, 0] = 1
        for b in range(1, a + 1):
            B[a, b] = B[a - 1, b - 1] + B[a - 1, b]
    return B


@njit(cache=True)
def _lex_rank(idx: np.ndarray, k: int, n: int, binom: np.ndarray) -> int:
    """Rank of the increasing ``idx[:k]`` among the k-subsets of range(n) in lexicographic order."""
    rank = 0
    prev = -1
    for t in range(k):
        for v in range(prev + 1, idx[t]):
            rank += binom[n - 1 - v, k - 1 - t]
        prev = idx[t]
    return rank


@njit(cache=True)
def _solve_system(M, Ib, Jb, k, tol, C, R, piv, used, z) -> bool:
    """Solve ``M_{JI} x_I = 1`` and apply the tests of :func:`vertex_candidates`, in its operations.

    The rows of ``J`` are reduced in increasing order by :func:`_reduce_row` and the
    back substitution, residual and feasibility tests are those of the enumeration, so the
    solution ``z`` (and the verdict) is bit for bit what :func:`vertex_candidates` computes for
    the same system.
    """
    r = M.shape[0]
    for row in range(r):
        for b in range(k):
            C[row, b] = M[row, Ib[b]]
    for j in range(k):
        used[j] = False
    for t in range(k):
        if not _reduce_row(C, Jb[t], t, k, R, piv, used):
            return False
    return _accept_system(C, R, piv, Jb, k, tol, z)


@njit(cache=True)
def _accept_system(C, R, piv, Jb, k, tol, z) -> bool:
    """Back-substitute the reduced system ``R`` into ``z`` and test it (one rule for both paths).

    ``z`` is kept when it is finite and ``z >= -tol``, the original rows ``C[J]``
    solve ``C[J] z = 1`` to 1e-9, and every row has ``C z <= 1 + tol``.
    """
    for a in range(k - 1, -1, -1):  # back substitution in pivot order
        s = R[a, k]
        for c in range(a + 1, k):
            s -= R[a, piv[c]] * z[piv[c]]
        z[piv[a]] = s / R[a, piv[a]]
    for b in range(k):
        if not np.isfinite(z[b]) or z[b] < -tol:
            return False
    for a in range(k):  # residual of the original system
        s = -1.0
        for b in range(k):
            s += C[Jb[a], b] * z[b]
        if abs(s) > 1e-9:
            return False
    for row in range(C.shape[0]):
        s = 0.0
        for b in range(k):
            s += C[row, b] * z[b]
        if s > 1.0 + tol:
            return False
    return True


@njit(cache=True)
def _hash_insert(table: np.ndarray, key: int) -> bool:
    """Add ``key`` (>= 0) to the open-addressing set ``table`` (empty slots -1); False if present."""
    mask = len(table) - 1
    h = ((key * np.int64(-7046029254386353131)) >> 17) & mask  # Fibonacci hashing
    while True:
        v = table[h]
        if v == key:
            return False
        if v < 0:
            table[h] = key
            return True
        h = (h + 1) & mask


@njit(cache=True)
def _hash_grow(table: np.ndarray) -> np.ndarray:
    """The set ``table`` rehashed into twice the slots."""
    out = np.full(2 * len(table), -1, dtype=np.int64)
    for v in table:
        if v >= 0:
            _hash_insert(out, v)
    return out


@njit(cache=True)
def _grow_rows(a: np.ndarray, used: int) -> np.ndarray:
    """``a`` (2-d) with twice the rows, the first ``used`` copied."""
    out = np.empty((2 * a.shape[0], a.shape[1]), dtype=a.dtype)
    for t in range(used):
        for c in range(a.shape[1]):
            out[t, c] = a[t, c]
    return out


@njit(cache=True)
def _move_rows(a: np.ndarray, src: int, dst: int, count: int) -> None:
    """Copy rows ``src..src+count-1`` of ``a`` to ``dst..`` (``dst <= src``: front to back is safe)."""
    for t in range(count):
        for c in range(a.shape[1]):
            a[dst + t, c] = a[src + t, c]


@njit(cache=True)
def vertex_candidates_walk(M: np.ndarray, tol: float):
    """What :func:`vertex_candidates` returns, found by walking the feasible bases instead.

    The polytope ``{x >= 0 : M x <= 1}`` in dictionary form (basic variables
    ``b + T @ nonbasic``; ``x_i`` has id ``i``, the slack of row ``j`` id ``d + j``)
    is explored breadth first from the origin: from each basis every pivot
    along an edge (minimum ratio test, with loose ties) and every degenerate
    exchange (a basic value within :data:`_WALK_LOOSE` of zero, any nonzero
    entry) is taken once. The feasible bases of a polytope are connected by
    these pivots (edges join its vertices; the bases of one vertex are the
    bases of a matroid, joined by exchanges), so the walk reaches every
    feasible system while solving only the feasible ones and their
    neighbours, not all ``C(r + d, d)``. Each basis reached, as a system
    (support ``I`` = the basic ``x``, tight rows ``J`` = the nonbasic slacks),
    is then solved afresh from ``M`` by :func:`_solve_system` with the
    enumeration's own tests, and the accepted systems are returned in the
    enumeration's order (size, then ``I``, then ``J``, lexicographic): the
    same arrays, bit for bit, as :func:`vertex_candidates`. Needs ``r + d <= 62``
    (a basis is one 64-bit mask) and ``C(r + d, d) < 2**41`` (the order keys; the
    solvers' size limits keep it below 3e6).
    """
    r, d = M.shape
    width = d + 1
    # the queue of bases to expand: tableau rows flattened (row i at i*width), and the ids
    # (basic variables, then nonbasic, then the key: the bit mask of the nonbasic ids)
    tabs = np.empty((64, r * width))
    ids = np.empty((64, r + d + 1), dtype=np.int64)
    for i in range(r):
        for j in range(d):
            tabs[0, i * width + j] = -M[i, j]
        tabs[0, i * width + d] = 1.0
        ids[0, i] = d + i
    for j in range(d):
        ids[0, r + j] = j
    key0 = (np.int64(1) << d) - 1
    ids[0, r + d] = key0
    seen = np.full(256, -1, dtype=np.int64)  # open-addressing set of the bases reached
    n_seen = 1
    _hash_insert(seen, key0)
    head = 0
    tail = 1
    # accepted systems (the origin first): points, and (I mask, J mask, order key)
    X = np.zeros((64, d))
    acc = np.zeros((64, 3), dtype=np.int64)
    count = 1
    binom = _binomials(max(r, d))
    Ib = np.empty(d, dtype=np.int64)
    Jb = np.empty(d, dtype=np.int64)
    C = np.empty((r, d))
    R = np.empty((d, d + 1))
    piv = np.empty(d, dtype=np.int64)
    used = np.zeros(d, dtype=np.bool_)
    z = np.empty(d)
    nr = np.empty(width)
    while head < tail:
        slot = head
        head += 1
        key = ids[slot, r + d]
        if key != key0:  # the system of this basis, solved afresh
            k = 0
            for i in range(d):
                if not (key >> i) & 1:
                    Ib[k] = i
                    k += 1
            kj = 0
            for j in range(r):
                if (key >> (d + j)) & 1:
                    Jb[kj] = j
                    kj += 1
            if _solve_system(M, Ib, Jb, k, tol, C, R, piv, used, z):
                if count == X.shape[0]:
                    X = _grow_rows(X, count)
                    acc = _grow_rows(acc, count)
                mi = 0
                mj = 0
                for b in range(d):
                    X[count, b] = 0.0
                for b in range(k):
                    mi |= np.int64(1) << Ib[b]
                    mj |= np.int64(1) << Jb[b]
                    X[count, Ib[b]] = max(z[b], 0.0)
                acc[count, 0] = mi
                acc[count, 1] = mj
                acc[count, 2] = (np.int64(k) << 41) + (
                    _lex_rank(Ib, k, d, binom) * binom[r, k] + _lex_rank(Jb, k, r, binom)
                )
                count += 1
        # every pivot out of this basis
        for e in range(d):
            theta = np.inf
            for i in range(r):
                a = tabs[slot, i * width + e]
                if a < -_WALK_PIVOT:
                    q = max(tabs[slot, i * width + d], 0.0) / -a
                    if q < theta:
                        theta = q
            lim = theta + 1e-7 * max(1.0, theta)
            for i in range(r):
                a = tabs[slot, i * width + e]
                bi = tabs[slot, i * width + d]
                if abs(a) <= _WALK_PIVOT:
                    continue
                if not (abs(bi) <= _WALK_LOOSE or (a < 0.0 and max(bi, 0.0) / -a <= lim)):
                    continue
                new = key ^ (np.int64(1) << ids[slot, r + e]) ^ (np.int64(1) << ids[slot, i])
                if not _hash_insert(seen, new):
                    continue
                n_seen += 1
                if 2 * n_seen > len(seen):
                    seen = _hash_grow(seen)
                if tail == tabs.shape[0]:  # room: drop the expanded slots, or grow
                    live = tail - head
                    if head > 0 and live < tabs.shape[0] // 2:
                        _move_rows(tabs, slot, 0, 1)  # the slot being expanded goes first
                        _move_rows(ids, slot, 0, 1)
                        _move_rows(tabs, head, 1, live)
                        _move_rows(ids, head, 1, live)
                        slot = 0
                        head = 1
                        tail = 1 + live
                    else:
                        tabs = _grow_rows(tabs, tail)
                        ids = _grow_rows(ids, tail)
                # pivot on (i, e) into slot tail
                inv = 1.0 / a
                for f in range(width):
                    nr[f] = -tabs[slot, i * width + f] * inv
                nr[e] = inv
                feasible = True
                for h in range(r):
                    o = h * width
                    if h == i:
                        for f in range(width):
                            tabs[tail, o + f] = nr[f]
                    else:
                        g = tabs[slot, o + e]
                        for f in range(width):
                            tabs[tail, o + f] = tabs[slot, o + f] + g * nr[f]
                        tabs[tail, o + e] = g * inv
                    if tabs[tail, o + d] < -_WALK_LOOSE:
                        feasible = False
                        break
                if not feasible:
                    continue
                for c in range(r + d):
                    ids[tail, c] = ids[slot, c]
                ids[tail, i] = ids[slot, r + e]
                ids[tail, r + e] = ids[slot, i]
                ids[tail, r + d] = new
                tail += 1
    perm = _merge_order(acc[1:count, 2].copy(), np.empty((count - 1, 0))) + 1
    Xo = np.zeros((count, d))
    Io = np.zeros(count, dtype=np.int64)
    Jo = np.zeros(count, dtype=np.int64)
    for t in range(1, count):
        p = perm[t - 1]
        for b in range(d):
            Xo[t, b] = X[p, b]
        Io[t] = acc[p, 0]
        Jo[t] = acc[p, 1]
    return Xo, Io, Jo


@njit(cache=True)
def _label_masks(X: np.ndarray, M: np.ndarray, tol: float, offset_rows: int, offset_x: int):
    """Labels of the points ``X`` as bit masks: :func:`._vertex_enumeration._labels_matrix`'s test.

    Bit ``offset_x + i`` when ``x_i <= tol * s`` and bit ``offset_rows + j`` when
    ``|1 - (M x)_j| <= tol * s``, ``s = sum(x)``.
    """
    v, d = X.shape
    r = M.shape[0]
    L = np.zeros(v, dtype=np.int64)
    for p in range(v):
        s = 0.0
        for i in range(d):
            s += X[p, i]
        lim = tol * s
        mask = np.int64(0)
        for i in range(d):
            if X[p, i] <= lim:
                mask |= np.int64(1) << (offset_x + i)
        for j in range(r):
            t = 0.0
            for i in range(d):
                t += M[j, i] * X[p, i]
            if abs(t - 1.0) <= lim:
                mask |= np.int64(1) << (offset_rows + j)
        L[p] = mask
    return L


@njit(cache=True)
def _popcount(v: np.int64) -> int:
    c = 0
    while v:
        v &= v - 1
        c += 1
    return c


@njit(cache=True)
def _unique_vertices(X: np.ndarray, atol: float) -> np.ndarray:
    """The rows of ``X`` that :func:`first_rows` keeps (``R = round(X / atol)``), in order."""
    v, d = X.shape
    R = np.empty((v, d))
    for p in range(v):
        for i in range(d):
            R[p, i] = np.rint(X[p, i] / atol)
    keep = first_rows(R, X, atol)
    out = np.empty((len(keep), d))
    for t in range(len(keep)):
        for i in range(d):
            out[t, i] = X[keep[t], i]
    return out


@njit(cache=True)
def label_pairs(XP: np.ndarray, XQ: np.ndarray, A1: np.ndarray, BT1: np.ndarray, tol, atol):
    """From the vertex candidates to the completely labelled pairs, in one call.

    ``XP`` and ``XQ`` are the candidates of :func:`vertex_candidates_walk` (or
    :func:`vertex_candidates`) for ``P = {x >= 0 : B'^T x <= 1}`` and
    ``Q = {y >= 0 : A' y <= 1}``; ``A1`` (m x n) and ``BT1`` (n x m) are ``A'``
    and ``B'^T``. Duplicates are dropped as by :func:`first_rows`, the labels
    read by :func:`_label_masks`, the game is degenerate when a vertex of ``P``
    has more than ``m`` labels or one of ``Q`` more than ``n``, and every
    completely labelled pair ``(p, q)`` other than the origin is listed in the
    order of :func:`._vertex_enumeration._pair`. (The walks are called from
    Python: a compiled caller would inline and optimise them again, doubling
    the first compile.) Needs ``m + n <= 62``.

    Returns ``(XP, XQ, pair_p, pair_q, degenerate)`` with the deduplicated vertices.
    """
    m, n = A1.shape
    XP = _unique_vertices(XP, atol)
    XQ = _unique_vertices(XQ, atol)
    LP = _label_masks(XP, BT1, tol, m, 0)
    LQ = _label_masks(XQ, A1, tol, 0, m)
    degenerate = False
    for p in range(len(LP)):
        if _popcount(LP[p]) > m:
            degenerate = True
    for q in range(len(LQ)):
        if _popcount(LQ[q]) > n:
            degenerate = True
    full = (np.int64(1) << (m + n)) - 1
    zp = np.ones(len(XP), dtype=np.bool_)  # the origin (all zero)
    zq = np.ones(len(XQ), dtype=np.bool_)
    for p in range(len(XP)):
        for i in range(m):
            if XP[p, i] != 0.0:
                zp[p] = False
    for q in range(len(XQ)):
        for j in range(n):
            if XQ[q, j] != 0.0:
                zq[q] = False
    cap = 16
    pp = np.empty(cap, dtype=np.int64)
    pq = np.empty(cap, dtype=np.int64)
    k = 0
    for p in range(len(XP)):
        if zp[p]:
            continue
        for q in range(len(XQ)):
            if zq[q] or (LP[p] | LQ[q]) != full:
                continue
            if k == cap:
                cap *= 2
                p2 = np.empty(cap, dtype=np.int64)
                p2[:k] = pp[:k]
                pp = p2
                q2 = np.empty(cap, dtype=np.int64)
                q2[:k] = pq[:k]
                pq = q2
            pp[k] = p
            pq[k] = q
            k += 1
    return XP, XQ, pp[:k], pq[:k], degenerate


@njit(cache=True)
def certify_vertex_pairs(XP, XQ, pair_p, pair_q, unit, payoffs, span, support_tol):
    """Normalise the completely labelled pairs and certify them, as :func:`._equilibrium.certify_pairs`.

    ``unit`` and ``payoffs`` are the game's (m, n, 2) unit and raw payoffs and
    ``span`` its payoff ranges. For each pair ``k``: ``x = XP[p] / sum``,
    ``y = XQ[q] / sum`` (the row ``F[k] = (x, y)``), the number of entries of
    ``F[k]`` above ``support_tol``, each player's regret on the unit payoffs
    ``max_i (A y)_i - x A y`` and ``max_j (x B)_j - x B y`` (clipped at 0; ``worst``
    the larger), the regret in payoff units (``reg``, the larger of regret times
    span) and the expected payoffs ``x P_i y`` (``pay``).

    Also the order of :func:`._equilibrium.sort_key` (support size, then the
    probabilities rounded to 9 digits, descending; stable): ``order``.

    Returns ``(F, count, worst, reg, pay, order)``.
    """
    K = len(pair_p)
    m = XP.shape[1]
    n = XQ.shape[1]
    F = np.empty((K, m + n))
    count = np.zeros(K, dtype=np.int64)
    worst = np.empty(K)
    reg = np.empty(K)
    pay = np.empty((K, 2))
    rows = np.empty(m)
    cols = np.empty(n)
    for k in range(K):
        sx = 0.0
        for i in range(m):
            sx += XP[pair_p[k], i]
        sy = 0.0
        for j in range(n):
            sy += XQ[pair_q[k], j]
        for i in range(m):
            F[k, i] = XP[pair_p[k], i] / sx
        for j in range(n):
            F[k, m + j] = XQ[pair_q[k], j] / sy
        c = 0
        for t in range(m + n):
            if F[k, t] > support_tol:
                c += 1
        count[k] = c
        best = -np.inf
        own = 0.0
        for i in range(m):
            s = 0.0
            for j in range(n):
                s += unit[i, j, 0] * F[k, m + j]
            rows[i] = s
            own += F[k, i] * s
            if s > best:
                best = s
        r0 = max(best - own, 0.0)
        best = -np.inf
        own = 0.0
        for j in range(n):
            s = 0.0
            for i in range(m):
                s += F[k, i] * unit[i, j, 1]
            cols[j] = s
            own += F[k, m + j] * s
            if s > best:
                best = s
        r1 = max(best - own, 0.0)
        worst[k] = max(r0, r1)
        reg[k] = max(r0 * span[0], r1 * span[1])
        for p in range(2):
            s = 0.0
            for i in range(m):
                if F[k, i] != 0.0:
                    t = 0.0
                    for j in range(n):
                        t += payoffs[i, j, p] * F[k, m + j]
                    s += F[k, i] * t
            pay[k, p] = s
    R = np.empty((K, m + n))
    for k in range(K):
        for t in range(m + n):
            R[k, t] = -np.round(F[k, t], 9)
    return F, count, worst, reg, pay, _merge_order(count, R)


@njit(cache=True)
def _before(count, R, a, b) -> bool:
    """Whether row ``b`` sorts strictly before row ``a`` (by count, then ``R`` lexicographically)."""
    if count[b] != count[a]:
        return count[b] < count[a]
    for t in range(R.shape[1]):
        if R[b, t] != R[a, t]:
            return R[b, t] < R[a, t]
    return False


@njit(cache=True)
def _merge_order(count, R):
    """Stable order of the rows by ``(count, R[k, 0], R[k, 1], ...)``: bottom-up merge sort."""
    K = len(count)
    idx = np.arange(K)
    tmp = np.empty(K, dtype=np.int64)
    width = 1
    while width < K:
        for lo in range(0, K, 2 * width):
            mid = min(lo + width, K)
            hi = min(lo + 2 * width, K)
            i, j, o = lo, mid, lo
            while i < mid and j < hi:
                if _before(count, R, idx[i], idx[j]):
                    tmp[o] = idx[j]
                    j += 1
                else:
                    tmp[o] = idx[i]
                    i += 1
                o += 1
            while i < mid:
                tmp[o] = idx[i]
                i += 1
                o += 1
            while j < hi:
                tmp[o] = idx[j]
                j += 1
                o += 1
        idx, tmp = tmp, idx
        width *= 2
    return idx


@njit(cache=True)
def lh_certified(Ap, BpT, unit, payoffs, span, label: int, max_pivots: int):
    """:func:`lh_path`, then the end point normalised and certified as :func:`._equilibrium.certify`.

    ``unit`` and ``payoffs`` are the game's (m, n, 2) unit and raw payoffs,
    ``span`` its payoff ranges. The basic values are clipped at 0 and
    normalised (``x / sum(x)``); the certificate is each player's regret on
    the unit payoffs, ``max_i (A y)_i - x A y`` and ``max_j (x B)_j - x B y``
    (clipped at 0): two matrix-vector products.

    Returns ``(status, pivots, x, y, worst, reg, pay)``: status 0 at an end point
    with both sums positive (``worst`` the larger unit regret, ``reg`` the larger
    regret in payoff units, ``pay`` the expected payoffs), 1 when ``max_pivots``
    was reached, 2 when a pivot column had no positive entry, 3 when a player's
    values sum to 0.
    """
    m, n = Ap.shape
    status, piv, x, y = lh_path(Ap, BpT, label, max_pivots)
    pay = np.zeros(2)
    if status != 0:
        return status, piv, x, y, np.inf, np.inf, pay
    sx = 0.0
    for i in range(m):
        x[i] = max(x[i], 0.0)
        sx += x[i]
    sy = 0.0
    for j in range(n):
        y[j] = max(y[j], 0.0)
        sy += y[j]
    if not (sx > 0.0 and sy > 0.0):
        return 3, piv, x, y, np.inf, np.inf, pay
    # the supports: the certificate's sums skip exact zeros, which add nothing
    sup_x = np.empty(m, dtype=np.int64)
    kx = 0
    for i in range(m):
        x[i] /= sx
        if x[i] != 0.0:
            sup_x[kx] = i
            kx += 1
    sup_y = np.empty(n, dtype=np.int64)
    ky = 0
    for j in range(n):
        y[j] /= sy
        if y[j] != 0.0:
            sup_y[ky] = j
            ky += 1
    best = -np.inf
    own = 0.0
    for i in range(m):
        s = 0.0
        for b in range(ky):
            j = sup_y[b]
            s += unit[i, j, 0] * y[j]
        own += x[i] * s
        if s > best:
            best = s
    r0 = max(best - own, 0.0)
    cols = np.zeros(n)
    for a in range(kx):
        i = sup_x[a]
        xi = x[i]
        for j in range(n):
            cols[j] += xi * unit[i, j, 1]
    best = -np.inf
    own = 0.0
    for j in range(n):
        own += y[j] * cols[j]
        if cols[j] > best:
            best = cols[j]
    r1 = max(best - own, 0.0)
    for p in range(2):
        s = 0.0
        for a in range(kx):
            i = sup_x[a]
            t = 0.0
            for b in range(ky):
                j = sup_y[b]
                t += payoffs[i, j, p] * y[j]
            s += x[i] * t
        pay[p] = s
    return 0, piv, x, y, max(r0, r1), max(r0 * span[0], r1 * span[1]), pay
