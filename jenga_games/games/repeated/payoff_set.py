"""Subgame-perfect equilibrium payoffs of two-player repeated games: outer approximation.

Perfect monitoring, pure stage actions, public randomisation, discount
factor δ. Abreu, Pearce and Stacchetti (1990) :cite:`abreu1990` show that the
set ``V`` of equilibrium payoffs is the largest fixed point of the operator

    B(W) = co{ (1 - δ) u(a) + δ w :  a in A, w in W,
               (1 - δ) u_i(a) + δ w_i >= (1 - δ) max_{a_i'} u_i(a_i', a_-i) + δ min_{w' in W} w'_i }.

Judd, Yeltekin and Conklin (2003) :cite:`judd2003` represent ``W`` by its
support in ``L`` fixed directions ``h_l`` (a polygon ``{w : h_l·w <= c_l}``) and
iterate ``c_l <- max_a max_{w} h_l·((1 - δ) u(a) + δ w)`` over ``w`` in the
polygon that satisfy the incentive constraints. Starting from a polygon
containing ``V`` every iterate contains ``V`` (outer approximation); more
directions make it tighter.

The inner maximisation is over a convex polygon clipped by two half-planes,
so it is solved exactly at the polygon's vertices (no LP solver), which makes
each iteration a few small numpy operations.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidGameError
from ._stage import as_stage
from .exact import check_delta
from .folk import clip_polygon

__all__ = ["EquilibriumPayoffSet", "equilibrium_payoffs"]


@dataclasses.dataclass(frozen=True)
class EquilibriumPayoffSet(Result):
    """Outer approximation of the equilibrium payoff set.

    Attributes
    ----------
    vertices : numpy.ndarray
        Polygon vertices (counter-clockwise), shape ``(m, 2)``; empty if no
        pure-action equilibrium exists.
    directions : numpy.ndarray
        The ``L`` unit directions ``h_l``.
    levels : numpy.ndarray
        The support levels ``c_l``.
    worst : numpy.ndarray
        Each player's lowest equilibrium payoff in the approximation (the
        punishment values).
    iterations : int
    converged : bool
    delta : float
    provenance : Provenance
    """

    vertices: np.ndarray
    directions: np.ndarray
    levels: np.ndarray
    worst: np.ndarray
    iterations: int
    converged: bool
    delta: float
    provenance: Provenance

    def contains(self, v, tol: float = 1e-7) -> bool:
        """Whether ``v`` lies in the outer approximation (``h_l·v <= c_l + tol``)."""
        v = np.asarray(v, dtype=float)
        return bool(np.all(self.directions @ v <= self.levels + tol))

    def __repr__(self) -> str:
        vs = ", ".join(f"({x:.4g}, {y:.4g})" for x, y in self.vertices)
        return f"EquilibriumPayoffSet(δ={self.delta}, {len(self.vertices)} vertices: {vs})"


def _polygon(
    H: np.ndarray, C: np.ndarray, box: float, order: np.ndarray | None = None
) -> np.ndarray:
    """Vertices of ``{w : H w <= C}``: half-plane intersection in angle order, verified;
    falls back to clipping a large box (robust for flat or empty sets)."""
    if order is not None:
        P = _hpi(H, C, order)
        if P is not None:
            return P
    return _polygon_clip(H, C, box)


def _hpi(H: np.ndarray, C: np.ndarray, order: np.ndarray):
    """Half-plane intersection by the deque method (lines sorted by angle); None if doubtful."""
    from collections import deque

    lines = [(float(H[k, 0]), float(H[k, 1]), float(C[k])) for k in order]

    def cut(l1, l2):
        det = l1[0] * l2[1] - l2[0] * l1[1]
        if abs(det) < 1e-12:
            return None
        return ((l1[2] * l2[1] - l2[2] * l1[1]) / det, (l1[0] * l2[2] - l2[0] * l1[2]) / det)

    def outside(line, p):
        return p is None or line[0] * p[0] + line[1] * p[1] > line[2] + 1e-12 * (1 + abs(line[2]))

    dq: deque = deque()
    for ln in lines:
        while len(dq) >= 2 and outside(ln, cut(dq[-1], dq[-2])):
            dq.pop()
        while len(dq) >= 2 and outside(ln, cut(dq[0], dq[1])):
            dq.popleft()
        dq.append(ln)
    while len(dq) >= 3 and outside(dq[0], cut(dq[-1], dq[-2])):
        dq.pop()
    while len(dq) >= 3 and outside(dq[-1], cut(dq[0], dq[1])):
        dq.popleft()
    if len(dq) < 3:
        return None
    pts = [cut(dq[k], dq[(k + 1) % len(dq)]) for k in range(len(dq))]
    if any(p is None for p in pts):
        return None
    P = np.array(pts)
    scale = 1.0 + np.abs(C).max()
    if np.any(
        H @ P.T > C[:, None] + 1e-9 * scale
    ):  # not the intersection: let the robust path decide
        return None
    area = 0.5 * np.sum(P[:, 0] * np.roll(P[:, 1], -1) - np.roll(P[:, 0], -1) * P[:, 1])
    if area <= 1e-12 * scale * scale:
        return None
    return P


def _support_above(W: np.ndarray, H: np.ndarray, C: np.ndarray, lowers: np.ndarray) -> np.ndarray:
    """``max {h_l·w : w in W, w >= lower_a}`` for every profile ``a`` and direction ``l`` at once.

    The maximum of a linear function over the convex polygon ``W ∩ {w >= lower}``
    is attained at one of its vertices, which are among: vertices of ``W``
    above ``lower``; crossings of ``W``'s edges with ``w_i = lower_i``; the
    corner ``lower`` itself when it lies in ``W``. Infeasible: ``-inf``.
    """
    A = len(lowers)
    m = len(W)
    if m == 0:
        return np.full((A, len(H)), -np.inf)
    scale = 1.0 + float(np.abs(W).max()) + float(np.abs(lowers).max())
    eps = 1e-12 * scale
    cand = [np.broadcast_to(W[None], (A, m, 2))]
    ok = [np.all(W[None] >= lowers[:, None, :] - eps, axis=2)]
    if m >= 2:
        P0, P1 = W, np.roll(W, -1, axis=0)
        for i in range(2):
            o = 1 - i
            a0, a1 = P0[None, :, i], P1[None, :, i]
            lo = lowers[:, i][:, None]
            den = a1 - a0
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(np.abs(den) > eps, (lo - a0) / den, np.nan)
            inside = (t >= -1e-12) & (t <= 1 + 1e-12)
            t = np.clip(np.nan_to_num(t), 0.0, 1.0)
            pt = P0[None] + t[..., None] * (P1 - P0)[None]
            cand.append(pt)
            ok.append(inside & (pt[..., o] >= lowers[:, o][:, None] - eps))
    corner_ok = np.all(lowers @ H.T <= C[None, :] + 1e-9 * (1.0 + np.abs(C).max()), axis=1)
    cand.append(lowers[:, None, :])
    ok.append(corner_ok[:, None])
    X = np.concatenate(cand, axis=1)  # (A, K, 2)
    M = np.concatenate(ok, axis=1)  # (A, K)
    vals = np.einsum("akj,lj->alk", X, H)  # (A, L, K)
    vals = np.where(M[:, None, :], vals, -np.inf)
    return vals.max(axis=2)


def _polygon_clip(H: np.ndarray, C: np.ndarray, box: float) -> np.ndarray:
    P = np.array([[-box, -box], [box, -box], [box, box], [-box, box]], dtype=float)
    for h, c in zip(H, C):
        P = clip_polygon(P, h, c)
        if len(P) == 0:
            break
    return P


def _dedupe(P: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Drop repeated and collinear vertices of a polygon (relative tolerance)."""
    if len(P) == 0:
        return P
    tol = tol * max(1.0, float(np.abs(P).max()))
    keep = [P[0]]
    for p in P[1:]:
        if np.linalg.norm(p - keep[-1]) > tol:
            keep.append(p)
    if len(keep) > 1 and np.linalg.norm(keep[-1] - keep[0]) <= tol:
        keep.pop()
    changed = True
    while changed and len(keep) > 2:
        changed = False
        for k in range(len(keep)):
            a, b, c = keep[k - 1], keep[k], keep[(k + 1) % len(keep)]
            cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
            if abs(cross) <= tol * max(1.0, np.linalg.norm(c - a)):
                del keep[k]
                changed = True
                break
    return np.array(keep)


def equilibrium_payoffs(
    game: Any,
    delta: float,
    n_directions: int = 32,
    tol: float = 1e-8,
    max_iter: int = 10_000,
    hull_normals: bool = False,
) -> EquilibriumPayoffSet:
    """Outer approximation of the subgame-perfect equilibrium payoff set (two players).

    Parameters
    ----------
    game : NormalFormGame or array_like
        A two-player stage game with numeric payoffs.
    delta : float
        Discount factor in ``(0, 1)``.
    n_directions : int
        Number ``L >= 3`` of directions ``h_l = (cos 2πl/L, sin 2πl/L)``
        (quantecon's default is 32).
    tol : float
        Stop when no support level moves by more than ``tol``.
    max_iter : int
    hull_normals : bool
        Add the outer normals of the feasible set's edges to the directions.
        The equilibrium set's edges often lie along them (in the prisoner's
        dilemma the edge from ``(R, R)`` towards ``(T, S)``), and a direction
        set that misses an edge normal converges to a slightly larger set
        (about 0.003 too far at ``(13/3, 1)`` for the PD at δ = 0.9, whatever
        ``L``); with them the PD vertices come out exact.

    Returns
    -------
    EquilibriumPayoffSet

    Notes
    -----
    Algorithm of Judd, Yeltekin and Conklin (2003) :cite:`judd2003` on the
    operator of Abreu, Pearce and Stacchetti (1990) :cite:`abreu1990`.
    Payoffs are normalised (``(1 - δ) Σ δ^t u_t``).

    Examples
    --------
    >>> from jenga_games.games.repeated import prisoners_dilemma
    >>> s = equilibrium_payoffs(prisoners_dilemma(5, 3, 1, 0), 0.9)
    >>> s.contains([3, 3]), s.contains([1, 1]), s.contains([4, 4])
    (True, True, False)
    """
    stage = as_stage(game)
    if stage.n_players != 2:
        raise InvalidGameError(
            f"equilibrium_payoffs handles two-player games; this stage game has {stage.n_players} players"
        )
    if stage.symbolic:
        raise InvalidGameError(
            "equilibrium_payoffs needs numeric stage payoffs; substitute values first"
        )
    d = float(check_delta(delta))
    if isinstance(n_directions, bool) or not isinstance(n_directions, int) or n_directions < 3:
        raise InvalidGameError(f"n_directions must be an integer >= 3; got {n_directions!r}")
    U = stage.numeric  # (k1, k2, 2)
    pts = U.reshape(-1, 2)
    # incentive gain of each profile: best deviation minus own payoff, for each player
    dev0 = U[..., 0].max(axis=0, keepdims=True) - U[..., 0]
    dev1 = U[..., 1].max(axis=1, keepdims=True) - U[..., 1]
    gains = np.stack([dev0, dev1], axis=-1).reshape(-1, 2)
    theta = 2 * np.pi * np.arange(n_directions) / n_directions
    H = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    H[np.abs(H) < 1e-15] = 0.0
    if hull_normals:
        from .folk import _hull_2d

        hull = _hull_2d(pts)
        if len(hull) >= 3:
            edges = np.roll(hull, -1, axis=0) - hull
            normals = np.stack([edges[:, 1], -edges[:, 0]], axis=1)  # outward for a ccw polygon
            normals /= np.linalg.norm(normals, axis=1, keepdims=True)
            H = np.vstack([H, normals])
            # drop directions that repeat another (up to rounding): their levels are identical
            keep = [0]
            for k in range(1, len(H)):
                if np.min(np.linalg.norm(H[keep] - H[k], axis=1)) > 1e-10:
                    keep.append(k)
            H = H[keep]
    C = (H @ pts.T).max(axis=1)  # support of the feasible set: contains V
    box = 10.0 * (np.abs(pts).max() + 1.0)
    ang = np.arctan2(H[:, 1], H[:, 0])
    order = np.lexsort((np.arange(len(H)), ang))
    converged = False
    it = 0
    while it < max_iter:
        it += 1
        W = _polygon(H, C, box, order)
        if len(W) == 0:
            break
        worst = W.min(axis=0)
        lowers = worst[None, :] + (1 - d) / d * gains  # (profiles, 2): incentive bounds on w
        best = _support_above(W, H, C, lowers)  # (profiles, directions), -inf if infeasible
        newC = ((1 - d) * (pts @ H.T) + d * best).max(axis=0)
        if not np.all(np.isfinite(newC)):
            C = newC
            break
        diff = np.max(np.abs(newC - C))
        C = newC
        if diff < tol:
            converged = True
            break
    if np.all(np.isfinite(C)):
        W = _dedupe(_polygon(H, C, box))
    else:
        W = np.empty((0, 2))
    worst = W.min(axis=0) if len(W) else np.full(2, np.nan)
    return EquilibriumPayoffSet(
        W,
        H,
        C,
        worst,
        it,
        converged,
        d,
        Provenance(
            "judd_yeltekin_conklin_outer_approximation",
            {"n_directions": n_directions, "tol": tol, "max_iter": max_iter},
        ),
    )
