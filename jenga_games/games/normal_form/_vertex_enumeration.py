"""Vertex enumeration of the best-response polytopes: all extreme equilibria of two-player games.

With payoffs mapped to unit range and shifted to be positive
(``A' = (A - min A) / (max A - min A) + 1``, likewise ``B'``; see
:mod:`._kernels`: this makes every tolerance below independent of the scale
and shift of the payoffs), the best-response polytopes are ([vonStengel2002]_)

.. math::

    P = \\{x \\in R^m : x \\ge 0,\\ B'^T x \\le 1\\}, \\qquad
    Q = \\{y \\in R^n : y \\ge 0,\\ A' y \\le 1\\}.

A point of ``P`` has label ``i`` when ``x_i = 0`` and label ``m + j`` when
``(B'^T x)_j = 1`` (column ``j`` is a best response); likewise for ``Q`` with
labels ``m + j`` for ``y_j = 0`` and ``i`` for ``(A' y)_i = 1``. A pair of
vertices ``(x, y) ≠ (0, 0)`` carrying every label between them is, after
normalisation, an extreme equilibrium; every equilibrium of any game is a
convex combination of extreme ones within a maximal Nash subset
(Algorithm 3.5 of [Nisan2007]_, after [Mangasarian1964]_; [Avis2010]_). A game is *nondegenerate*
exactly when no point of ``P`` has more than ``m`` labels and no point of
``Q`` more than ``n`` — checked on the vertices by :func:`is_degenerate`.

Vertices are enumerated as in support enumeration: each support ``I`` of
``x`` and set ``J`` of tight columns of equal size gives one square system
``B'_{IJ}^T x_I = 1``, all systems of one size solved in one batched call.
The exact mode solves the same systems in rational arithmetic: a loose
floating-point pass proposes the candidates (and every system too
ill-conditioned to judge in floating point), each then solved and checked
exactly, so the answer involves no rounding.
"""

from __future__ import annotations

import contextlib
import itertools
import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance
from ...errors import TooLargeError
from ...tolerance import TOL
from ._equilibrium import EquilibriumSet, certify, certify_pairs, new_equilibrium, sort_key
from ._exact import frac_solve
from ._kernels import SUPPORT_TOL, positive_payoffs, unit_payoffs

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["is_degenerate", "vertex_enumeration"]

_CHUNK = 2_000_000
MAX_SYSTEMS = 3_000_000
"""Largest ``C(m + n, m)`` (number of square systems per polytope) vertex enumeration accepts."""
MAX_SYSTEMS_EXACT = 200_000


def _combos(m: int, k: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(m), k)), dtype=np.intp).reshape(-1, k)


def _float_vertices(M: np.ndarray, tol: float, loose: float | None = None):
    """Vertices of ``{x >= 0 : M x <= 1}`` for ``M`` (r x d) with positive entries.

    Returns ``(X, systems)``: the candidate points as rows of ``X`` (the
    origin first) and, for each, the (support I, tight rows J) of the
    system that produced it (duplicates included). With
    ``loose`` set, the loose tolerance is used and the systems too
    ill-conditioned to judge are returned too (candidates for exact checking).
    """
    r, d = M.shape
    ftol = loose if loose is not None else tol
    pts = [np.zeros((1, d))]
    systems: list[tuple[tuple[int, ...], tuple[int, ...]]] = [((), ())]
    for k in range(1, min(r, d) + 1):
        I_all = _combos(d, k)
        J_all = _combos(r, k)
        per = max(1, _CHUNK // max(1, len(J_all) * k * k))
        for start in range(0, len(I_all), per):
            Ic = I_all[start : start + per]
            S = M[J_all[None, :, :, None], Ic[:, None, None, :]].reshape(-1, k, k)
            z, ok = _batch_solve(S, checked=loose is not None)
            pi = np.repeat(np.arange(len(Ic)), len(J_all))
            pj = np.tile(np.arange(len(J_all)), len(Ic))
            x = np.zeros((len(S), d))
            np.put_along_axis(x, Ic[pi], z, axis=1)
            feas = ok & (x >= -ftol).all(axis=1) & ((x @ M.T) <= 1 + ftol).all(axis=1)
            pick = np.flatnonzero(feas if loose is None else (feas | ~ok))
            if pick.size:
                pts.append(np.clip(x[pick], 0.0, None))
                rows_I, rows_J = Ic[pi[pick]].tolist(), J_all[pj[pick]].tolist()
                systems.extend(zip(map(tuple, rows_I), map(tuple, rows_J)))
    return np.vstack(pts), systems


def _batch_solve(S: np.ndarray, checked: bool) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``S[t] z = 1`` for a stack of square systems; (solutions, nonsingular mask).

    Unchecked (the floating-point enumeration), the stack is solved at once
    and only exactly singular stacks fall back to the determinant test: a
    nearly singular system gives a huge or non-finite solution, which the
    feasibility test ``x >= 0, M x <= 1`` (``M > 0``) rejects anyway, and
    a solution whose residual exceeds 1e-9 is dropped.
    Checked (candidates for the exact mode), every system with
    ``|det| <= 1e-12 * H`` is flagged, ``H`` the Hadamard bound (product of
    the row norms, the largest ``|det|`` rows of those lengths can have): the
    test is relative, so it does not depend on the scale of the payoffs.
    """
    k = S.shape[1]
    rhs = np.ones((len(S), k, 1))
    if not checked:
        with contextlib.suppress(np.linalg.LinAlgError), np.errstate(all="ignore"):
            z = np.linalg.solve(S, rhs)[..., 0]  # singular systems fall through to the slow path
            resid = np.abs(np.einsum("tij,tj->ti", S, z) - 1.0).max(axis=1)
            return z, np.isfinite(z).all(axis=1) & (resid <= 1e-9)
    det = np.linalg.det(S)
    hadamard = np.prod(np.linalg.norm(S, axis=2), axis=1)
    ok = np.abs(det) > 1e-12 * hadamard
    S = S.copy()
    S[~ok] = np.eye(k)
    return np.linalg.solve(S, rhs)[..., 0], ok


def unique_rows(X: np.ndarray, atol: float = 1e-9) -> np.ndarray:
    """Indices of the first occurrence of each row of ``X`` up to ``atol`` (max-abs distance)."""
    if len(X) == 0:
        return np.zeros(0, dtype=np.intp)
    if _kernel() is not None:
        from ._compiled import first_rows

        X = np.ascontiguousarray(X, dtype=float)
        return first_rows(np.round(X / atol), X, float(atol)).astype(np.intp)
    _, first = np.unique(np.round(X / atol), axis=0, return_index=True)
    first = np.sort(first)
    if len(first) < 2:
        return first
    # rows that straddle a rounding boundary: drop a row within atol of an earlier one
    Y = X[first]
    dup = np.zeros(len(first), dtype=bool)
    for start in range(0, len(Y), 1024):
        blk = Y[start : start + 1024]
        close = np.abs(blk[:, None, :] - Y[None, : start + len(blk), :]).max(axis=2) <= atol
        close &= np.arange(start + len(blk))[None, :] < (start + np.arange(len(blk)))[:, None]
        dup[start : start + len(blk)] = close.any(axis=1)
    return first[~dup]


def _labels_matrix(
    X: np.ndarray, M: np.ndarray, tol: float, offset_rows: int, offset_x: int, total: int
) -> np.ndarray:
    """Labels of the points ``X``, read as the certificate reads a profile.

    For ``y`` in ``Q`` the profile is ``σ = y / s`` with ``s = sum(y)`` and the
    value ``v = 1 / s``, so a row's payoff gap is ``v - (A'σ)_i = (1 - (A'y)_i) / s``;
    the label test ``|1 - (A'y)_i| <= tol * s`` is therefore "gap at most
    ``tol``" on the unit payoffs, and ``y_j <= tol * s`` is "probability at
    most ``tol``" — the tolerances of :func:`._equilibrium.certify`.
    """
    L = np.zeros((len(X), total), dtype=bool)
    d, r = X.shape[1], M.shape[0]
    s = X.sum(axis=1, keepdims=True)
    L[:, offset_x : offset_x + d] = X <= tol * s
    L[:, offset_rows : offset_rows + r] = np.abs(X @ M.T - 1.0) <= tol * s
    return L


def _masks(sets, size: int) -> np.ndarray:
    """Index tuples as bit masks (``sum(2**i for i in s)``), one int64 per tuple."""
    out = np.zeros(len(sets), dtype=np.int64)
    for t, s in enumerate(sets):
        for i in s:
            out[t] |= 1 << i
    return out


def _vertex_arrays(M: np.ndarray, tol: float, compiled: bool | None = None):
    """``(X, I_masks, J_masks)``: the candidates of :func:`_float_vertices` with bit-mask systems.

    By the compiled kernel (:func:`._compiled.vertex_candidates`, Gaussian
    elimination shared between systems in a compiled loop) when numba is installed and
    ``M`` has at most 62 rows and columns, else by the batched numpy path.
    ``compiled=False`` forces the numpy path (the tests' oracle of the kernel).
    """
    if compiled is not False and max(M.shape) <= 62:
        kernel = _kernel()
        if kernel is not None:
            return kernel(np.ascontiguousarray(M, dtype=float), float(tol))
    X, systems = _float_vertices(M, tol)
    return (
        X,
        _masks([s[0] for s in systems], M.shape[1]),
        _masks([s[1] for s in systems], M.shape[0]),
    )


def _kernel():
    """The compiled vertex kernel, or None without numba (imported on first use only).

    :func:`._compiled.vertex_candidates_walk` (walking the feasible bases) for
    matrices with at most 62 rows and columns together and fewer than ``2**41``
    square systems (its order keys), else
    :func:`._compiled.vertex_candidates` (every square system); the two return the
    same arrays.
    """
    global _KERNEL
    if _KERNEL is False:
        try:
            from ._compiled import vertex_candidates, vertex_candidates_walk
        except ImportError:  # numba not installed: the numpy path
            _KERNEL = None
        else:

            def kernel(M: np.ndarray, tol: float):
                if sum(M.shape) <= 62 and math.comb(sum(M.shape), M.shape[1]) < 2**41:
                    return vertex_candidates_walk(M, tol)
                return vertex_candidates(M, tol)

            _KERNEL = kernel
    return _KERNEL


_KERNEL = False  # not looked up yet


def _compiled_pairs(game: NormalFormGame, tol: float):
    """``(XP, XQ, pair_p, pair_q, degenerate)`` by :func:`._compiled.label_pairs`.

    The vertices of both polytopes by :func:`._compiled.vertex_candidates_walk`, then
    duplicates dropped, the degeneracy test and the completely labelled pairs in one
    compiled call; the same as
    :func:`_float_polytopes` then :func:`_pair`. None without numba, or when the
    game has more than 62 actions in all (labels as one 64-bit mask).
    """
    m, n = game.shape
    if m + n > 62 or _kernel() is None:
        return None
    from ._compiled import label_pairs, vertex_candidates_walk

    A1, BT1 = positive_payoffs(game)
    tol = float(tol)
    XP = vertex_candidates_walk(BT1, tol)[0]
    XQ = vertex_candidates_walk(A1, tol)[0]
    return label_pairs(XP, XQ, A1, BT1, tol, 1e-9)


def _float_passes(game: NormalFormGame, tol: float, compiled: bool | None = None):
    """Raw vertex candidates of P and Q with the systems (bit masks) that produced them."""
    unit = unit_payoffs(game)[0]
    A, B = unit[..., 0] + 1.0, unit[..., 1] + 1.0
    BT = np.ascontiguousarray(B.T)
    return (BT, *_vertex_arrays(BT, tol, compiled)), (A, *_vertex_arrays(A, tol, compiled))


def _float_polytopes(game: NormalFormGame, tol: float, passes=None, compiled: bool | None = None):
    """Vertices of P and Q as (points array, boolean label matrix) pairs."""
    m, n = game.shape
    passes = passes or _float_passes(game, tol, compiled)
    out = []
    for (M, X, _, _), off_rows, off_x in zip(passes, (m, 0), (0, m)):
        X = X[unique_rows(X)]
        out.append((X, _labels_matrix(X, M, tol, off_rows, off_x, m + n)))
    return out[0], out[1]


def support_pairs(game: NormalFormGame, tol: float):
    """Equilibria of equal-size support pairs from one pass over both polytopes, and degeneracy.

    A vertex ``x`` of ``P`` found from (support ``I``, tight columns ``J``)
    and a vertex ``y`` of ``Q`` found from (support ``J``, tight rows ``I``)
    carry every label between them, so ``(x, y)`` normalised is the
    equilibrium of the support pair ``(I, J)`` — support enumeration
    computed on the vertex systems (same work as enumerating the vertices).
    Returns (list of (x, y), degenerate).
    """
    _size_check(game, MAX_SYSTEMS, "support enumeration")
    passes = _float_passes(game, tol)
    (_, XP, IP, JP), (_, XQ, IQ, JQ) = passes
    q_index = {key: t for t, key in enumerate(zip(IQ.tolist(), JQ.tolist()))}
    found = []
    for t, (rows, cols) in enumerate(zip(IP.tolist(), JP.tolist())):
        if not rows:
            continue
        q = q_index.get((cols, rows))
        if q is not None:
            x, y = XP[t], XQ[q]
            found.append((x / x.sum(), y / y.sum()))
    P, Q = _float_polytopes(game, tol, passes)
    m, n = game.shape
    degenerate = bool((P[1].sum(axis=1) > m).any() or (Q[1].sum(axis=1) > n).any())
    return found, degenerate


def _exact_polytope(M: list[list[Fraction]], Mf: np.ndarray, offset_rows: int, offset_x: int):
    """Exact vertices and labels of ``{x >= 0 : M x <= 1}``, candidates from a loose float pass."""
    r = len(M)
    d = len(M[0])
    _, cands = _float_vertices(Mf, TOL, loose=1e-6)
    seen: dict[tuple, frozenset] = {}
    for sup, tight in cands:
        if not sup:
            x = (Fraction(0),) * d
        else:
            sub = [[M[j][i] for i in sup] for j in tight]
            z = frac_solve(sub, [Fraction(1)] * len(sup))
            if z is None:
                continue
            xs = [Fraction(0)] * d
            for i, v in zip(sup, z):
                xs[i] = v
            x = tuple(xs)
        if any(v < 0 for v in x):
            continue
        if x in seen:
            continue
        rows = [sum((M[j][i] * x[i] for i in range(d) if x[i]), Fraction(0)) for j in range(r)]
        if any(v > 1 for v in rows):
            continue
        labels = frozenset(
            {offset_x + i for i in range(d) if x[i] == 0}
            | {offset_rows + j for j in range(r) if rows[j] == 1}
        )
        seen[x] = labels
    pts = list(seen)
    L = np.zeros((len(pts), r + d), dtype=bool)
    for t, x in enumerate(pts):
        L[t, list(seen[x])] = True
    return pts, L


def _pair(P, Q):
    """Index pairs (p, q) of completely labelled vertex pairs, excluding the origin pair."""
    (XP, LP), (XQ, LQ) = P, Q
    if len(LP) == 0 or len(LQ) == 0:
        return []
    if LP.shape[1] <= 62:  # labels as bit masks: completely labelled when the union is full
        bits = np.int64(1) << np.arange(LP.shape[1], dtype=np.int64)
        mp, mq = LP @ bits, LQ @ bits
        missing = (mp[:, None] | mq[None, :]) != bits.sum()
    else:
        missing = (~LP).astype(np.int32) @ (~LQ).astype(np.int32).T
    zp = (
        np.array([all(v == 0 for v in x) for x in XP])
        if not isinstance(XP, np.ndarray)
        else ~XP.any(axis=1)
    )
    zq = (
        np.array([all(v == 0 for v in y) for y in XQ])
        if not isinstance(XQ, np.ndarray)
        else ~XQ.any(axis=1)
    )
    ok = (missing == 0) & ~zp[:, None] & ~zq[None, :]
    return [(int(a), int(b)) for a, b in zip(*np.nonzero(ok))]


def _nash_subsets(pairs) -> list[tuple[list[int], list[int]]]:
    """Maximal Nash subsets: maximal bicliques ``X x Y`` of the graph of extreme equilibria.

    Every pair of a row vertex in ``X`` and a column vertex in ``Y`` is an
    extreme equilibrium, so every mix of the ``X`` strategies against every
    mix of the ``Y`` strategies is an equilibrium ([Avis2010]_).
    Returned as (row vertex ids, column vertex ids).
    """
    partners: dict[int, frozenset] = {}
    for a, b in pairs:
        partners[a] = partners.get(a, frozenset()) | {b}
    closed = set(partners.values())
    frontier = set(closed)
    while frontier:
        new = set()
        for T in frontier:
            for U in closed:
                inter = T & U
                if inter and inter not in closed:
                    new.add(inter)
        closed |= new
        frontier = new
    cands = []
    for T in closed:
        X = frozenset(a for a, bs in partners.items() if T <= bs)
        cands.append((X, T))
    maximal = [c for c in cands if not any(c != d and c[0] <= d[0] and c[1] <= d[1] for d in cands)]
    return sorted(((sorted(X), sorted(T)) for X, T in set(maximal)), key=lambda c: (c[0], c[1]))


def _size_check(game: NormalFormGame, limit: int, what: str) -> None:
    m, n = game.shape
    count = math.comb(m + n, m)
    if count > limit:
        raise TooLargeError(
            f"{what} of a {m} x {n} game solves C({m + n}, {m}) = {count} systems per polytope, above "
            f"the limit {limit}; use method='lemke_howson' for one equilibrium of a large game"
        )


def is_degenerate(game: NormalFormGame, tol: float = TOL) -> bool:
    """Whether a two-player game is degenerate.

    A bimatrix game is nondegenerate when no mixed strategy with support of
    size ``k`` has more than ``k`` pure best responses (chapter 3 of
    [Nisan2007]_); equivalently no vertex of ``P`` carries more than ``m``
    labels and no vertex of ``Q`` more than ``n``, which is what is checked
    (in exact arithmetic when the payoffs are rational).
    """
    from ._solve import require_two_players

    require_two_players(game, "is_degenerate")
    _size_check(game, MAX_SYSTEMS, "the degeneracy check")
    m, n = game.shape
    if game.is_exact and math.comb(m + n, m) <= MAX_SYSTEMS_EXACT // 10:
        P, Q = _exact_lists(game)
    else:
        P, Q = _float_polytopes(game, tol)
    return bool((P[1].sum(axis=1) > m).any() or (Q[1].sum(axis=1) > n).any())


def _exact_unit(A: list[list[Fraction]]) -> list[list[Fraction]]:
    """``(A - min A) / (max A - min A) + 1`` exactly (all ones when ``A`` is constant)."""
    lo = min(min(r) for r in A)
    span = max(max(r) for r in A) - lo
    if span == 0:
        return [[Fraction(1) for _ in r] for r in A]
    return [[(v - lo) / span + 1 for v in r] for r in A]


def _exact_lists(game: NormalFormGame):
    E = game.exact_payoffs
    m, n = game.shape
    A = [[E[i, j, 0] for j in range(n)] for i in range(m)]
    B = [[E[i, j, 1] for j in range(n)] for i in range(m)]
    As = _exact_unit(A)
    Bs = _exact_unit(B)
    BsT = [[Bs[i][j] for i in range(m)] for j in range(n)]
    Af = np.array([[float(v) for v in r] for r in As])
    BfT = np.array([[float(v) for v in r] for r in BsT])
    return _exact_polytope(BsT, BfT, m, 0), _exact_polytope(As, Af, 0, m)


def _float_equilibria(game, P, Q, pairs, method, prov, tol):
    """The completely labelled pairs normalised, in :func:`sort_key` order, certified in one batch.

    Returns (equilibria, their (p, q) vertex pairs); a candidate within
    rounding of the tolerance that fails the certificate is dropped. The
    order is that of ``sorted(..., key=sort_key)``, by one stable ``lexsort``
    (support size first, then the probabilities rounded to 9 digits, descending).
    """
    if not pairs:
        return (), []
    a = np.array([p for p, _ in pairs], dtype=np.intp)
    b = np.array([q for _, q in pairs], dtype=np.intp)
    XP, XQ = P[0][a], Q[0][b]
    X = XP / XP.sum(axis=1, keepdims=True)
    Y = XQ / XQ.sum(axis=1, keepdims=True)
    F = np.hstack([X, Y])
    from ._kernels import SUPPORT_TOL

    count = np.count_nonzero(F > SUPPORT_TOL, axis=1)
    R = -np.round(F, 9)
    order = np.lexsort((*(R[:, j] for j in range(F.shape[1] - 1, -1, -1)), count))
    checked = certify_pairs(game, X[order], Y[order], method, prov, tol)
    eqs = tuple(eq for eq in checked if eq is not None)
    kept = [pairs[t] for t, eq in zip(order.tolist(), checked) if eq is not None]
    return eqs, kept


def _compiled_equilibria(game, fused, pairs, method, prov, tol):
    """:func:`_float_equilibria` on the output of :func:`_compiled_pairs`, certified by
    :func:`._compiled.certify_vertex_pairs` (the regret test of :func:`.certify_pairs`,
    the order of :func:`.sort_key`)."""
    if not pairs:
        return (), []
    from ._compiled import certify_vertex_pairs

    XP, XQ, pp, pq, _ = fused
    unit, _, span = unit_payoffs(game)
    F, _, worst, reg, pay, order = certify_vertex_pairs(
        XP, XQ, pp, pq, unit, game.payoffs, span, SUPPORT_TOL
    )
    m = XP.shape[1]
    F.setflags(write=False)
    pay.setflags(write=False)
    players, actions = game.players, game.actions
    eqs, kept = [], []
    for t in order.tolist():
        if worst[t] <= tol:
            f = F[t]
            eqs.append(
                new_equilibrium(
                    (f[:m], f[m:]), pay[t], players, actions, method, float(reg[t]), prov
                )
            )
            kept.append(pairs[t])
    return tuple(eqs), kept


def vertex_enumeration(
    game: NormalFormGame, tol: float = TOL, exact: bool = False
) -> EquilibriumSet:
    """Every extreme equilibrium of a two-player game, degenerate or not.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game (``C(m+n, m)`` at most :data:`MAX_SYSTEMS`, or
        :data:`MAX_SYSTEMS_EXACT` when exact).
    tol : float
        Tolerance of feasibility and labels in floating point.
    exact : bool
        Rational arithmetic throughout (payoffs converted exactly, see
        :attr:`NormalFormGame.exact_payoffs`); each equilibrium then carries
        ``exact_strategies`` and is certified with zero regret.

    Returns
    -------
    EquilibriumSet
        ``complete=True``: every extreme equilibrium is listed. When the
        game is degenerate, ``nash_subsets`` lists the maximal Nash subsets
        with more than one extreme equilibrium (indices into the set), each
        a polytope of equilibria, described in ``continua``; every
        equilibrium of the game lies in one of them or is isolated.

    Notes
    -----
    Algorithm 3.5 of [Nisan2007]_; [Avis2010]_ for the exact version (lrs).
    """
    from ._solve import require_two_players

    require_two_players(game, "vertex_enumeration")
    m, n = game.shape
    method = "vertex_enumeration"
    prov = Provenance(method, {"tol": tol} if not exact else {}, exact=exact)
    fused = None
    if exact:
        _size_check(game, MAX_SYSTEMS_EXACT, "exact vertex enumeration")
        P, Q = _exact_lists(game)
    else:
        _size_check(game, MAX_SYSTEMS, "vertex enumeration")
        fused = _compiled_pairs(game, tol)
    if fused is not None:
        XP, XQ, pp, pq, degenerate = fused
        P, Q = (XP, None), (XQ, None)
        pairs = list(zip(pp.tolist(), pq.tolist()))
    else:
        if not exact:
            P, Q = _float_polytopes(game, tol)
        degenerate = bool((P[1].sum(axis=1) > m).any() or (Q[1].sum(axis=1) > n).any())
        pairs = _pair(P, Q)
    if exact:
        items = []
        for a, b in pairs:
            x, y = P[0][a], Q[0][b]
            sx, sy = sum(x), sum(y)
            ex = ([v / sx for v in x], [v / sy for v in y])
            fl = (np.array([float(v) for v in ex[0]]), np.array([float(v) for v in ex[1]]))
            items.append((fl, ex, (a, b)))
        order = sorted(range(len(items)), key=lambda t: sort_key(items[t][0]))
        items = [items[t] for t in order]
        eqs = tuple(certify(game, fl, method, prov, exact=ex) for fl, ex, _ in items)
        kept = [ab for _, _, ab in items]
    elif fused is not None:
        eqs, kept = _compiled_equilibria(game, fused, pairs, method, prov, tol)
    else:
        eqs, kept = _float_equilibria(game, P, Q, pairs, method, prov, tol)
    index = {ab: t for t, ab in enumerate(kept)}
    continua, subsets = [], []
    matching = len({a for a, _ in kept}) == len(kept) == len({b for _, b in kept})
    for X, T in () if matching else _nash_subsets(kept):  # a matching: no subset of 2 or more
        if len(X) * len(T) > 1:
            ids = sorted(index[(a, b)] for a in X for b in T)
            subsets.append(tuple(ids))
            continua.append(
                "maximal Nash subset of equilibria "
                + ", ".join(f"#{t}" for t in ids)
                + f": any mix of {game.players[0]}'s strategies there against any mix of "
                + f"{game.players[1]}'s is an equilibrium"
            )
    return EquilibriumSet(
        eqs,
        method,
        complete=True,
        degenerate=degenerate,
        continua=tuple(continua),
        provenance=prov,
        nash_subsets=tuple(subsets),
    )
