"""The folk-theorem region: feasible payoffs, minmax values, the individually rational part.

- Feasible payoffs ``F = conv{u(a) : a in A}`` (with public randomisation).
- Pure minmax of player ``i``: ``min_{a_-i} max_{a_i} u_i(a_i, a_-i)``.
- Mixed minmax: ``min_{σ_-i} max_{a_i} u_i(a_i, σ_-i)``, the LP

      min v  s.t.  Σ_{a_-i} σ(a_-i) u_i(a_i, a_-i) <= v  for all a_i,  σ in the simplex,

  solved by HiGHS (``scipy.optimize.linprog``). For two players this is the
  minmax; for three or more the LP lets the others *correlate* their
  punishment, which gives a lower bound on the independent minmax (flagged).
- Individually rational part ``F* = {v in F : v_i >= \\underline v_i}``.

Folk theorem (Fudenberg and Maskin 1986 :cite:`fudenberg1986`): for two
players, every ``v in F`` with ``v_i > \\underline v_i`` for all ``i`` is a
subgame-perfect equilibrium payoff of the repeated game for all δ close enough
to 1 (more players: if ``F*`` has full dimension).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.spatial import ConvexHull, HalfspaceIntersection, QhullError

from ..._results import Provenance, Result
from ...errors import InvalidGameError
from ...tolerance import TOL
from ._stage import as_stage

__all__ = ["FolkRegion", "clip_polygon", "folk_region", "minmax"]


def _payoff_points(stage) -> np.ndarray:
    if stage.symbolic:
        raise InvalidGameError(
            "the folk region needs numeric stage payoffs; substitute values for the symbols"
        )
    return stage.numeric.reshape(-1, stage.n_players)


def minmax(game: Any, player: int, mixed: bool = True) -> tuple[float, np.ndarray]:
    """Minmax value of ``player`` and the others' punishing (joint) strategy.

    Returns ``(value, sigma)`` where ``sigma`` is a distribution over the
    others' pure profiles (shape of their action sets): a point mass for
    ``mixed=False``; for two players the opponent's mixed action.
    """
    stage = as_stage(game)
    n = stage.n_players
    if not (isinstance(player, int) and 0 <= player < n):
        raise InvalidGameError(f"player must be an index in 0..{n - 1}; got {player!r}")
    _payoff_points(stage)
    U = np.moveaxis(stage.numeric[..., player], player, 0)
    k = U.shape[0]
    others = U.reshape(k, -1)  # (own actions, others' profiles)
    oshape = U.shape[1:]
    if not mixed:
        best = others.max(axis=0)
        j = int(np.argmin(best))
        sigma = np.zeros(others.shape[1])
        sigma[j] = 1.0
        return float(best[j]), sigma.reshape(oshape)
    m = others.shape[1]
    c = np.zeros(m + 1)
    c[-1] = 1.0
    A_ub = np.hstack([others, -np.ones((k, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=np.zeros(k),
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        raise InvalidGameError(f"minmax LP failed: {res.message}")
    return float(res.x[-1]), np.clip(res.x[:-1], 0, None).reshape(oshape)


def clip_polygon(vertices: np.ndarray, a: np.ndarray, b: float) -> np.ndarray:
    """Clip a convex polygon (vertices in order) to the half-plane ``a·x <= b`` (Sutherland–Hodgman)."""
    V = np.asarray(vertices, dtype=float).reshape(-1, 2)
    n = len(V)
    if n == 0:
        return V
    f = V @ a - b
    if f.max() <= 0:
        return V
    if f.min() > 0:
        return V[:0]
    nx = np.arange(1, n + 1) % n
    fn = f[nx]
    inside = f <= 0
    cross = ((f < 0) & (fn > 0)) | ((fn < 0) & (f > 0))
    t = np.zeros(n)
    t[cross] = f[cross] / (f[cross] - fn[cross])
    out = np.empty((2 * n, 2))
    out[0::2] = V
    out[1::2] = V + t[:, None] * (V[nx] - V)
    keep = np.empty(2 * n, dtype=bool)
    keep[0::2] = inside
    keep[1::2] = cross
    return out[keep]


def _hull_2d(points: np.ndarray) -> np.ndarray:
    pts = np.unique(np.round(points, 12), axis=0)
    if len(pts) == 1:
        return pts
    try:
        hull = ConvexHull(pts)
        return pts[hull.vertices]  # counter-clockwise
    except QhullError:  # collinear: the two extreme points
        d = pts[-1] - pts[0]
        proj = (pts - pts[0]) @ d
        return pts[[int(np.argmin(proj)), int(np.argmax(proj))]]


@dataclasses.dataclass(frozen=True)
class FolkRegion(Result):
    """Feasible and individually rational payoffs of a repeated game.

    Attributes
    ----------
    feasible : numpy.ndarray
        Vertices of the feasible set (two players: counter-clockwise polygon).
    minmax_pure, minmax_mixed : numpy.ndarray
        Each player's pure and mixed minmax value.
    individually_rational : numpy.ndarray or None
        Vertices of ``F*`` (feasible and at least the mixed minmax), or
        ``None`` when it is empty or has no interior (more than two players).
    correlated_minmax : bool
        True for three or more players (the LP minmax lets the others correlate).
    provenance : Provenance
    """

    feasible: np.ndarray
    minmax_pure: np.ndarray
    minmax_mixed: np.ndarray
    individually_rational: np.ndarray | None
    correlated_minmax: bool
    provenance: Provenance

    def contains(self, v, strict: bool = True, tol: float = TOL) -> bool:
        """Whether ``v`` is feasible and (strictly) individually rational."""
        v = np.asarray(v, dtype=float)
        lo = self.minmax_mixed
        ir = np.all(v > lo + tol) if strict else np.all(v >= lo - tol)
        return bool(ir and _in_hull(self.feasible, v, tol))


def _in_hull(vertices: np.ndarray, v: np.ndarray, tol: float) -> bool:
    """Is ``v`` a convex combination of ``vertices``? (an LP feasibility problem)."""
    m, n = vertices.shape
    A_eq = np.vstack([vertices.T, np.ones((1, m))])
    b_eq = np.concatenate([v, [1.0]])
    res = linprog(np.zeros(m), A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * m, method="highs")
    if res.status == 0:
        return True
    # allow a tolerance: minimise the L1 violation
    c = np.concatenate([np.zeros(m), np.ones(2 * (n + 1))])
    A = np.hstack([A_eq, np.eye(n + 1), -np.eye(n + 1)])
    res = linprog(c, A_eq=A, b_eq=b_eq, bounds=[(0, None)] * (m + 2 * (n + 1)), method="highs")
    return bool(res.status == 0 and res.fun <= tol * max(1.0, float(np.abs(v).max())))


def folk_region(game: Any) -> FolkRegion:
    """Feasible set, pure and mixed minmax values, and the individually rational region.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A stage game with numeric payoffs, two or more players.

    Returns
    -------
    FolkRegion

    Examples
    --------
    >>> from jenga_games.games.repeated import prisoners_dilemma
    >>> r = folk_region(prisoners_dilemma(5, 3, 1, 0))
    >>> r.minmax_mixed.tolist(), r.contains([3, 3])
    ([1.0, 1.0], True)
    """
    stage = as_stage(game)
    pts = _payoff_points(stage)
    n = stage.n_players
    mm_pure = np.array([minmax(stage, i, mixed=False)[0] for i in range(n)])
    mm_mixed = np.array([minmax(stage, i, mixed=True)[0] for i in range(n)]) + 0.0  # no -0.0
    if n == 2:
        feas = _hull_2d(pts)
        ir = feas.copy()
        if len(ir) >= 3:
            for i in range(2):
                a = np.zeros(2)
                a[i] = -1.0
                ir = clip_polygon(ir, a, -mm_mixed[i])
                if len(ir) == 0:
                    break
        elif len(ir) == 2:  # a segment: clip its parameter t in [0, 1]
            p, q = ir
            lo, hi = 0.0, 1.0
            for i in range(2):
                d = q[i] - p[i]
                if abs(d) <= TOL:
                    if p[i] < mm_mixed[i] - TOL:
                        lo, hi = 1.0, 0.0
                else:
                    t = (mm_mixed[i] - p[i]) / d
                    lo, hi = (max(lo, t), hi) if d > 0 else (lo, min(hi, t))
            ir = (
                np.empty((0, 2))
                if lo > hi + TOL
                else np.unique(np.round(np.array([p + lo * (q - p), p + hi * (q - p)]), 12), axis=0)
            )
        else:
            keep = np.all(ir >= mm_mixed - TOL, axis=1)
            ir = ir[keep]
        ir_out = ir if len(ir) else None
    else:
        try:
            hull = ConvexHull(pts)
            feas = pts[hull.vertices]
            hs = np.vstack([hull.equations, np.hstack([-np.eye(n), mm_mixed[:, None]])])
            # interior point: Chebyshev centre of the halfspaces (LP)
            norm = np.linalg.norm(hs[:, :-1], axis=1)
            c = np.zeros(n + 1)
            c[-1] = -1.0
            res = linprog(
                c,
                A_ub=np.hstack([hs[:, :-1], norm[:, None]]),
                b_ub=-hs[:, -1],
                bounds=[(None, None)] * n + [(0, None)],
                method="highs",
            )
            if res.status == 0 and res.x[-1] > 1e-9:
                hsi = HalfspaceIntersection(hs, res.x[:-1])
                ir_out = np.unique(np.round(hsi.intersections, 12), axis=0)
            else:
                ir_out = None
        except QhullError:
            feas = np.unique(pts, axis=0)
            ir_out = None
    return FolkRegion(
        feas,
        mm_pure,
        mm_mixed,
        ir_out,
        n > 2,
        Provenance("convex_hull_and_minmax_lp", {"players": n}),
    )
