"""NTU bargaining solutions: Nash, asymmetric Nash, Kalai–Smorodinsky, egalitarian.

A bargaining problem is a feasible set ``S ⊂ R^n`` of utility vectors and a
disagreement point ``d`` [Nash1950]_. ``S`` is given either

* as **points**: ``S`` is their convex hull with free disposal (everything
  weakly below a convex combination), any number of players; or
* as a **frontier** (two players): a curve ``x ↦ (u_1(x), u_2(x))`` on an
  interval with ``u_1`` increasing and ``u_2`` decreasing, e.g. the share
  ``x`` of a good, ``u_1 = √x``, ``u_2 = 1 − x``.

Over the individually rational part ``{u ∈ S : u ≥ d}``:

* **Nash** (``weights`` = bargaining powers ``w``, the asymmetric or generalised
  solution when unequal): ``argmax Σ_i w_i log(u_i − d_i)`` [Nash1950]_ [Roth1979]_;
* **Kalai–Smorodinsky**: the Pareto point on the segment from ``d`` to the ideal
  point ``a_i = max{u_i : u ∈ S, u ≥ d}`` [Kalai1975]_;
* **egalitarian** (``weights`` for the proportional solution): the largest ``t``
  with ``d + t w ∈ S`` [Kalai1977]_.

On points, the ideal point, Kalai–Smorodinsky and egalitarian solutions are
linear programmes over the weights of the convex combination (HiGHS); Nash is
exact on each edge of the two-player frontier and a concave programme
(SLSQP) for more players. On a frontier, every solution is a one-dimensional
root or maximum in ``x`` (Brent's method to ``xtol = 1e-12``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import optimize

from ..._results import Provenance, Result
from ...errors import InvalidGameError

__all__ = [
    "BargainingProblem",
    "BargainingSolution",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
]

_XTOL = 1e-12


@dataclasses.dataclass(frozen=True)
class BargainingSolution(Result):
    """A solution of a bargaining problem.

    Attributes
    ----------
    solution : str
        ``"nash"``, ``"kalai_smorodinsky"`` or ``"egalitarian"``.
    utilities : tuple of float
        The agreed utility vector.
    disagreement, ideal : tuple of float
    weights : tuple of float
        Bargaining powers (Nash) or direction (egalitarian); equal by default.
    x : float or None
        The frontier parameter of the agreement (frontier problems only).
    provenance : Provenance
    """

    solution: str
    utilities: tuple
    disagreement: tuple
    ideal: tuple
    weights: tuple
    x: float | None
    provenance: Provenance


class BargainingProblem:
    """A feasible set and a disagreement point (module docstring).

    Parameters
    ----------
    points : array-like (k, n), optional
        Utility vectors; the feasible set is their convex hull with free disposal.
    frontier : (callable, callable), optional
        ``(u1, u2)``: the two players' utilities as functions of ``x`` (two players).
    interval : (float, float)
        The range of ``x`` for a frontier (default ``(0, 1)``).
    disagreement : sequence of float, optional
        ``d`` (default the origin).

    Raises
    ------
    InvalidGameError
        Neither or both of ``points`` and ``frontier``; no feasible point at least
        as good as ``d`` for everyone; a frontier that is not increasing for
        player 1 and decreasing for player 2.

    Examples
    --------
    >>> p = BargainingProblem(frontier=(math.sqrt, lambda x: 1 - x))
    >>> round(nash(p).x, 9), round(kalai_smorodinsky(p).x, 9)
    (0.333333333, 0.381966011)
    """

    def __init__(
        self,
        points=None,
        *,
        frontier: tuple[Callable[[float], float], Callable[[float], float]] | None = None,
        interval: tuple[float, float] = (0.0, 1.0),
        disagreement: Sequence[float] | None = None,
    ) -> None:
        if (points is None) == (frontier is None):
            raise InvalidGameError(
                "give the feasible set either as points=... (convex hull) or as "
                "frontier=(u1, u2) (two players), not both or neither"
            )
        if points is not None:
            P = np.asarray(points, dtype=float)
            if P.ndim != 2 or P.shape[0] < 1 or P.shape[1] < 2 or not np.isfinite(P).all():
                raise InvalidGameError(
                    f"points must be a finite (k, n) array with n >= 2 players, got shape {P.shape}"
                )
            self.points, self.n = P, P.shape[1]
            self.frontier = None
        else:
            if len(frontier) != 2 or not all(callable(f) for f in frontier):
                raise InvalidGameError("frontier must be a pair of functions (u1, u2) of x")
            lo, hi = (float(v) for v in interval)
            if not lo < hi:
                raise InvalidGameError(
                    f"interval must be (low, high) with low < high, got {interval}"
                )
            self.points, self.n = None, 2
            self.frontier, self.interval = tuple(frontier), (lo, hi)
            xs = np.linspace(lo, hi, 65)
            u = np.array([[frontier[0](x), frontier[1](x)] for x in xs])
            if not (np.all(np.diff(u[:, 0]) >= -1e-12) and np.all(np.diff(u[:, 1]) <= 1e-12)):
                raise InvalidGameError(
                    "the frontier must have u1 increasing and u2 decreasing in x (a Pareto "
                    "frontier); reparametrise it"
                )
        d = np.zeros(self.n) if disagreement is None else np.asarray(disagreement, dtype=float)
        if d.shape != (self.n,) or not np.isfinite(d).all():
            raise InvalidGameError(
                f"disagreement must be {self.n} finite numbers (one per player), got {disagreement!r}"
            )
        self.disagreement = d
        self.ideal = self._ideal()

    # -- frontier helpers -------------------------------------------------------------------
    def _u(self, x: float) -> np.ndarray:
        return np.array([self.frontier[0](x), self.frontier[1](x)], dtype=float)

    def _ir_interval(self) -> tuple[float, float]:
        """The ``x`` range where both players get at least their disagreement utility."""
        lo, hi = self.interval
        d = self.disagreement
        f1 = lambda x: self.frontier[0](x) - d[0]  # noqa: E731
        f2 = lambda x: self.frontier[1](x) - d[1]  # noqa: E731
        if f1(hi) < 0 or f2(lo) < 0 or (f1(hi) < 0 and f2(lo) < 0):
            raise InvalidGameError("no point of the frontier is at least as good as d for both")
        a = lo if f1(lo) >= 0 else optimize.brentq(f1, lo, hi, xtol=_XTOL)
        b = hi if f2(hi) >= 0 else optimize.brentq(f2, lo, hi, xtol=_XTOL)
        if a > b:
            raise InvalidGameError("no point of the frontier is at least as good as d for both")
        return a, b

    # -- points helpers -------------------------------------------------------------------------
    def _lp_max_t(self, direction: np.ndarray, base: np.ndarray) -> tuple[float, np.ndarray]:
        """``max t`` with ``Σ λ_k p_k ≥ base + t·direction``, ``λ`` in the simplex."""
        P = self.points
        k = P.shape[0]
        c = np.zeros(k + 1)
        c[-1] = -1.0
        A = np.hstack([-P.T, direction[:, None]])
        b = -base
        res = optimize.linprog(
            c,
            A_ub=A,
            b_ub=b,
            A_eq=np.append(np.ones(k), 0.0)[None, :],
            b_eq=[1.0],
            bounds=[(0, None)] * k + [(None, None)],
            method="highs",
        )
        if res.status != 0:
            raise InvalidGameError(
                "no feasible point is at least as good as the disagreement point for everyone: "
                "check the points and d"
            )
        lam = res.x[:k]
        return float(res.x[-1]), lam @ P

    def _ideal(self) -> np.ndarray:
        d = self.disagreement
        if self.frontier is not None:
            a, b = self._ir_interval()
            return np.array([self.frontier[0](b), self.frontier[1](a)])
        P = self.points
        out = np.empty(self.n)
        for i in range(self.n):
            # max u_i subject to u >= d over the hull
            k = P.shape[0]
            A = -P.T
            res = optimize.linprog(
                -P[:, i],
                A_ub=A,
                b_ub=-d,
                A_eq=np.ones((1, k)),
                b_eq=[1.0],
                bounds=[(0, None)] * k,
                method="highs",
            )
            if res.status != 0:
                raise InvalidGameError(
                    "no feasible point is at least as good as the disagreement point for "
                    "everyone: check the points and d"
                )
            out[i] = -res.fun
        return out

    def __repr__(self) -> str:
        kind = "frontier" if self.frontier is not None else f"{len(self.points)} points"
        return f"BargainingProblem({self.n} players, {kind}, d={self.disagreement.tolist()})"


def _weights(problem: BargainingProblem, weights) -> np.ndarray:
    if weights is None:
        return np.full(problem.n, 1.0 / problem.n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (problem.n,) or not np.isfinite(w).all() or (w <= 0).any():
        raise InvalidGameError(
            f"weights must be {problem.n} positive numbers (one per player), got {weights!r}"
        )
    return w / w.sum()


def _result(name, problem, u, w, x=None) -> BargainingSolution:
    return BargainingSolution(
        solution=name,
        utilities=tuple(float(v) for v in u),
        disagreement=tuple(problem.disagreement.tolist()),
        ideal=tuple(problem.ideal.tolist()),
        weights=tuple(w.tolist()),
        x=None if x is None else float(x),
        provenance=Provenance(f"bargaining_{name}", {"players": problem.n}),
    )


def _pareto_edges_2(problem: BargainingProblem) -> list[tuple[np.ndarray, np.ndarray]]:
    """Edges of the upper-right hull of two-player points (the weak Pareto frontier)."""
    P = np.unique(problem.points, axis=0)
    P = P[np.lexsort((-P[:, 1], P[:, 0]))]
    hull: list = []
    for p in P:  # upper hull, left to right
        while len(hull) >= 2:
            o, a = hull[-2], hull[-1]
            if (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]) >= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    top = int(np.argmax([h[1] for h in hull]))
    hull = hull[top:]  # from the highest u2 to the highest u1: the decreasing part
    if len(hull) == 1:
        return [(hull[0], hull[0])]
    return list(itertools.pairwise(hull))


def nash(problem: BargainingProblem, weights=None) -> BargainingSolution:
    """The (asymmetric, with ``weights``) Nash bargaining solution ``argmax Σ w_i log(u_i − d_i)``."""
    w = _weights(problem, weights)
    d = problem.disagreement
    if problem.frontier is not None:
        a, b = problem._ir_interval()

        def neg(x):
            u = problem._u(x) - d
            if (u <= 0).any():
                return math.inf
            return -float(w @ np.log(u))

        if a == b:
            return _result("nash", problem, problem._u(a), w, a)
        # a bracket by the bounded search, then the first-order condition by Brent's method
        x0 = optimize.minimize_scalar(neg, bounds=(a, b), method="bounded").x
        h = 1e-6 * (b - a)

        def slope(x):
            lo_, hi_ = max(a, x - h), min(b, x + h)
            return (neg(lo_) - neg(hi_)) / (hi_ - lo_)

        x = x0
        lo, hi = max(a, x0 - 1e-4 * (b - a)), min(b, x0 + 1e-4 * (b - a))
        with contextlib.suppress(ValueError):  # no sign change: keep the bounded search's answer
            if np.isfinite(slope(lo)) and np.isfinite(slope(hi)) and slope(lo) * slope(hi) < 0:
                x = optimize.brentq(slope, lo, hi, xtol=_XTOL)
        return _result("nash", problem, problem._u(x), w, x)
    if problem.n == 2:
        best, best_u = -math.inf, None
        for A, B in _pareto_edges_2(problem):
            for u in _nash_on_segment(A, B, d, w):
                g = u - d
                if (g > 0).all():
                    val = float(w @ np.log(g))
                    if val > best:
                        best, best_u = val, u
        if best_u is None:
            raise InvalidGameError(
                "no feasible point is strictly better than d for both: the Nash product is 0"
            )
        return _result("nash", problem, best_u, w)
    # n players: maximise over the weights of the convex combination
    P = problem.points
    k = P.shape[0]
    t, u0 = problem._lp_max_t(np.ones(problem.n), d)
    if t <= 0:
        raise InvalidGameError(
            "no feasible point is strictly better than d for everyone: the Nash product is 0"
        )

    def neg(lam):
        g = lam @ P - d
        return -float(w @ np.log(np.maximum(g, 1e-300)))

    lam0 = np.full(k, 1.0 / k)
    res = optimize.minimize(
        neg,
        lam0,
        method="SLSQP",
        bounds=[(0, 1)] * k,
        constraints=[
            {"type": "eq", "fun": lambda lam: lam.sum() - 1.0},
            {"type": "ineq", "fun": lambda lam: lam @ P - d - 1e-12},
        ],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    u = res.x @ P if res.success else u0
    return _result("nash", problem, u, w)


def _nash_on_segment(A, B, d, w):
    """Candidates for ``max w1 log(u1 − d1) + w2 log(u2 − d2)`` on the segment A→B."""
    yield A
    yield B
    D = B - A
    if not D.any():
        return
    # u(s) = A + s D; derivative w1 D1/(A1 + s D1 − d1) + w2 D2/(A2 + s D2 − d2) = 0
    g = A - d
    den = D[0] * D[1] * (w[0] + w[1])
    if den == 0:
        return
    s = -(w[0] * D[0] * g[1] + w[1] * D[1] * g[0]) / den
    if 0 < s < 1:
        yield A + s * D


def kalai_smorodinsky(problem: BargainingProblem) -> BargainingSolution:
    """The Kalai–Smorodinsky solution: the best point on the segment from ``d`` to the ideal point."""
    d, a = problem.disagreement, problem.ideal
    w = np.full(problem.n, 1.0 / problem.n)
    return _along(problem, a - d, "kalai_smorodinsky", w)


def egalitarian(problem: BargainingProblem, weights=None) -> BargainingSolution:
    """The egalitarian (with ``weights``, proportional) solution: the largest ``t`` with ``d + t w ∈ S``."""
    w = _weights(problem, weights)
    return _along(problem, w, "egalitarian", w)


def _along(problem, direction, name, w) -> BargainingSolution:
    d = problem.disagreement
    if (direction <= 0).any():  # a degenerate problem: some player cannot gain
        return _result(name, problem, d, w, None)
    if problem.frontier is not None:
        lo, hi = problem._ir_interval()

        def gap(x):
            u = problem._u(x) - d
            return u[0] / direction[0] - u[1] / direction[1]

        if gap(lo) >= 0:
            x = lo
        elif gap(hi) <= 0:
            x = hi
        else:
            x = optimize.brentq(gap, lo, hi, xtol=_XTOL)
        return _result(name, problem, problem._u(x), w, x)
    t, _ = problem._lp_max_t(np.asarray(direction, dtype=float), d)
    return _result(name, problem, d + t * direction, w)
