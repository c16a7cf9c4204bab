"""The core: membership, emptiness (Bondareva–Shapley) and the least core.

Definitions [Peleg2007]_ (ch. 3):

- core: ``C(v) = {x : x(N) = v(N), x(S) >= v(S) for all S ⊆ N}``;
- Bondareva–Shapley [Bondareva1963]_, [Shapley1967]_: ``C(v) ≠ ∅`` iff
  ``min {Σ_i x_i : x(S) >= v(S) for all ∅ ≠ S ⊊ N} <= v(N)``; the LP dual
  is a balanced collection with weights λ (``Σ_S λ_S 1_S = 1_N``), and the
  core is empty iff some balanced collection has ``Σ λ_S v(S) > v(N)``;
- least core [Maschler1979]_: ``min ε`` subject to ``x(N) = v(N)`` and
  ``x(S) >= v(S) − ε`` for all proper ``S``; the core is non-empty iff ``ε* <= 0``.

The LPs have ``2^n − 2`` rows; they are solved by constraint generation: an
LP over a working set of coalitions (always closed under complements, which
keeps it bounded), then the most violated coalitions over all ``2^n`` are
added until none is violated beyond tolerance (one O(2^n) pass per round).
"""

from __future__ import annotations

import math

import numpy as np

from ..._results import Provenance
from ...tolerance import TOL, leq
from ._bits import check_exact_size, subset_sums
from ._game import TUGame
from ._lp import IncrementalLP, bits_matrix, solver_name
from ._results import Allocation, BalancedCertificate, CoreCheck, LeastCore
from ._transform import as_allocation_vector

__all__ = ["bondareva_shapley", "core_contains", "core_is_empty", "least_core"]

#: Largest n for the core LPs (2^n excesses per round of constraint generation).
MAX_CORE_PLAYERS = 22


def unit_scale(values: np.ndarray) -> float:
    """The power of two ``s`` with ``max |v| / s`` in ``[0.5, 1)`` (1 for an all-zero game).

    The LPs of this package solve the game ``v / s``, whose values are of
    order 1, and multiply the answer back by ``s``: HiGHS's absolute
    tolerances (1e-7) and :data:`~jenga_games.tolerance.TOL` then act
    relative to the game's scale, so a game in pounds (1e8) or in
    millionths gives the same answer as the same game in units. Division by
    a power of two is exact in binary, so nothing is rounded on the way.
    """
    m = float(np.abs(values).max(initial=0.0))
    if m == 0.0 or not math.isfinite(m):
        return 1.0
    return math.ldexp(1.0, math.frexp(m)[1])


def unit_game(game: TUGame) -> tuple[TUGame, float]:
    """``(game / s, s)`` with ``s = unit_scale(game.values)``."""
    s = unit_scale(game.values)
    if s == 1.0:
        return game, s
    return TUGame(game.n, game.values / s, game.players), s


def _game_scale(game: TUGame) -> float:
    """``max |v(S)|`` (1 for an all-zero game): the unit of the core's tolerances (cached)."""
    cached = getattr(game, "_scale", None)
    if cached is not None:
        return cached
    m = float(max(game.values.max(initial=0.0), -game.values.min(initial=0.0)))
    m = m if m > 0 else 1.0
    if isinstance(game, TUGame):
        game._scale = m
    return m


def core_contains(game: TUGame, x, tol: float = TOL, limit: int = 10) -> CoreCheck:
    """Is ``x`` in the core of ``game``?

    ``x`` is in the core when ``|x(N) − v(N)| <= tol·V`` and
    ``x(S) >= v(S) − tol·V`` for every coalition, with ``V = max_S |v(S)|``
    the game's scale: the tolerance of :mod:`jenga_games.tolerance` taken
    relative to the game, so the answer is the same in pounds or in
    millions of pounds. A rounding of 1e-15·V does not expel a core point,
    a shortfall of 1e-6·V does.

    Returns
    -------
    CoreCheck
        ``in_core``, ``efficiency_gap``, the objecting coalitions (worst first,
        at most ``limit``) and their number.
    """
    a = as_allocation_vector(game, x)
    short = subset_sums(a)
    v = game.values
    gap = float(short[-1] - v[-1])
    thr = tol * _game_scale(game)
    efficient = abs(gap) <= thr
    np.subtract(v, short, out=short)  # v(S) − x(S), in place
    objects = short > thr
    bad = np.flatnonzero(objects) if objects.any() else np.zeros(0, dtype=np.intp)
    order = bad[np.argsort(-short[bad], kind="stable")][:limit]
    viol = tuple((game.coalition(int(m)), float(short[m])) for m in order)
    return CoreCheck(bool(efficient and bad.size == 0), gap, viol, int(bad.size), tol)


def batch_size(n: int) -> int:
    """Coalitions added per round of constraint generation (4n: larger batches made the
    LPs slower than the rounds they saved, measured at n = 10..16)."""
    return 4 * n


def _initial_rows(n: int) -> set[int]:
    full = (1 << n) - 1
    rows = set()
    for i in range(n):
        rows.add(1 << i)
        rows.add(full ^ (1 << i))
    rows.discard(0)
    rows.discard(full)
    return rows


def _generate(game: TUGame, lp: IncrementalLP, eps_col: bool, proper: np.ndarray, thr):
    """Constraint generation: rows ``x(S) (+ ε) >= v(S)`` until none is violated.

    Returns (z, row_dual, {coalition: row}, LPs solved).
    """
    n, v, full = game.n, game.values, game.full_mask
    row_of: dict[int, int] = {}

    def add(masks):
        new = sorted(m for m in masks if m not in row_of)
        if new:
            arr = np.array(new, dtype=np.int64)
            A = bits_matrix(arr, n)
            if eps_col:
                A = np.hstack([A, np.ones((arr.size, 1))])
            for m, r in zip(new, lp.add_rows(A, v[arr], np.inf)):
                row_of[m] = r

    add(_start_rows(game, proper))
    solves = 0
    while True:
        z, row_dual, _ = lp.solve()
        solves += 1
        eps = z[n] if eps_col else 0.0
        viol = np.where(proper, v - subset_sums(z[:n]) - eps - thr, -1.0)
        idx = np.flatnonzero(viol > 0)
        if idx.size > batch_size(n):
            idx = idx[np.argpartition(-viol[idx], batch_size(n))[: batch_size(n)]]
        new = [int(m) for m in idx if int(m) not in row_of]
        if not new:
            return z, row_dual, row_of, solves
        add(set(new) | {full ^ m for m in new})


def _bondareva_lp(game: TUGame):
    """``min Σx`` s.t. ``x(S) >= v(S)`` (proper S); returns (value, x, LPs solved, weights)."""
    n, v = game.n, game.values
    proper = np.ones(2**n, dtype=bool)
    proper[[0, game.full_mask]] = False
    lp = IncrementalLP(
        np.ones(n), np.full(n, -np.inf), np.full(n, np.inf), what="Bondareva–Shapley LP"
    )
    x, row_dual, row_of, solves = _generate(
        game, lp, False, proper, TOL * np.maximum(1.0, np.abs(v))
    )
    lp.release()
    lam = {m: float(row_dual[r]) for m, r in row_of.items() if row_dual[r] > 1e-12}
    return float(x.sum()), x, solves, lam


def core_is_empty(game: TUGame, tol: float = TOL) -> bool:
    """Whether the core is empty, by the Bondareva–Shapley LP.

    The core is non-empty iff ``min {Σ x_i : x(S) >= v(S), ∅ ≠ S ⊊ N} <= v(N)``
    [Bondareva1963]_, [Shapley1967]_, read with tolerance ``tol`` relative to
    the game's scale (the LP is solved on ``v / s``, see :func:`unit_scale`).
    """
    check_exact_size(game.n, "core_is_empty", MAX_CORE_PLAYERS)
    if game.n == 1:
        return False
    g, _ = unit_game(game)
    total, _, _, _ = _bondareva_lp(g)
    return bool(not leq(total, g.grand, tol))


def bondareva_shapley(game: TUGame, tol: float = TOL) -> BalancedCertificate:
    """The Bondareva–Shapley LP and its dual certificate [Bondareva1963]_, [Shapley1967]_.

    Solves ``min {Σ x_i : x(S) >= v(S), ∅ ≠ S ⊊ N}``. Its dual weights ``λ_S >= 0``
    form a balanced collection (``Σ_S λ_S 1_S = 1_N``) with ``Σ_S λ_S v(S)`` equal
    to the minimum: when that exceeds ``v(N)`` the weights prove the core empty.

    Returns
    -------
    BalancedCertificate
        ``core_empty``, ``min_total`` (the LP value), ``weights`` (coalition -> λ)
        and ``allocation`` (an LP optimum x: when the core is non-empty, adding the
        slack ``v(N) − Σ x`` to any players gives a core point).
    """
    check_exact_size(game.n, "bondareva_shapley", MAX_CORE_PLAYERS)
    g, s = unit_game(game)
    if game.n == 1:
        total, x, solves, lam = g.grand, np.array([g.grand]), 0, {}
    else:
        total, x, solves, lam = _bondareva_lp(g)
    empty = bool(not leq(total, g.grand, tol))
    total, x = total * s, x * s
    prov = Provenance(
        "bondareva_shapley_lp", {"solver": solver_name(), "lp_solves": solves, "tol": tol}
    )
    weights = {game.coalition(m): w for m, w in sorted(lam.items(), key=lambda kv: -kv[1])}
    return BalancedCertificate(
        bool(empty),
        float(total),
        weights,
        Allocation(x, game.players, "bondareva_shapley", prov),
        prov,
    )


def _start_rows(game: TUGame, proper: np.ndarray) -> set[int]:
    """Working set: all proper coalitions when few, else singletons, complements and the
    coalitions with the largest excess at the Shapley value (closed under complements)."""
    n, full = game.n, game.full_mask
    if n <= 9:
        return {int(m) for m in np.flatnonzero(proper)}
    rows = _initial_rows(n)
    from ._shapley import _shapley_kernel

    e = np.where(proper, game.values - subset_sums(_shapley_kernel(game.values, n)), -np.inf)
    k = batch_size(n)
    top = np.argpartition(-e, k)[:k]
    rows |= {int(m) for m in top} | {full ^ int(m) for m in top}
    return rows


def least_core_lp(game: TUGame):
    """Least-core LP by constraint generation; returns (epsilon, x, LPs solved)."""
    n, v = game.n, game.values
    proper = np.ones(2**n, dtype=bool)
    proper[[0, game.full_mask]] = False
    lp = IncrementalLP(
        np.r_[np.zeros(n), 1.0],
        np.full(n + 1, -np.inf),
        np.full(n + 1, np.inf),
        what="least-core LP",
    )
    lp.add_rows(np.r_[np.ones(n), 0.0], v[-1], v[-1])
    z, _, _, solves = _generate(game, lp, True, proper, TOL * max(1.0, float(np.abs(v).max())))
    lp.release()
    return float(z[n]) + 0.0, z[:n], solves


def least_core(game: TUGame) -> LeastCore:
    """Least core [Maschler1979]_: ``ε* = min ε`` s.t. ``x(N) = v(N)``, ``x(S) >= v(S) − ε`` (proper S).

    ``ε* <= 0`` iff the core is non-empty; ``allocation`` is one point of the
    least core (over pre-imputations). Solved by constraint generation over
    the ``2^n − 2`` constraints with HiGHS, on the game divided by the power
    of two :func:`unit_scale` (so ``ε*`` is found relative to the game's
    scale: 3.3e-8 in a game of values 1e-7 is not read as 0).
    """
    check_exact_size(game.n, "least_core", MAX_CORE_PLAYERS)
    if game.n == 1:
        eps, x, solves = 0.0, np.array([game.grand]), 0
    else:
        g, s = unit_game(game)  # solved at unit scale (see unit_scale)
        eps, x, solves = least_core_lp(g)
        eps, x = eps * s + 0.0, x * s
    prov = Provenance("least_core_lp", {"solver": solver_name(), "lp_solves": solves, "tol": TOL})
    return LeastCore(eps, Allocation(x, game.players, "least_core", prov), prov)
