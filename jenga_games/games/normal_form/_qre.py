"""Logit quantal response equilibrium by homotopy in λ, and its maximum-likelihood fit.

In a logit QRE [McKelvey1995]_ every player plays each action with probability
proportional to ``exp(λ u_i(a, σ_{-i}))``: λ = 0 is uniform play, and as
λ → ∞ the *principal branch* starting there converges to a Nash equilibrium
(for generic games). The branch is traced in the variables
``(β, λ)`` (``β = log σ``) with equations, per player ``i`` and action ``a ≥ 1``,

.. math:: β_i(a) - β_i(0) - λ\\,[u_i(a, σ_{-i}) - u_i(0, σ_{-i})] = 0,
          \\qquad \\textstyle\\sum_a e^{β_i(a)} = 1,

by arc-length predictor–corrector continuation (tangent from the Jacobian's
null space, Gauss–Newton corrector), which also follows the branch through
turning points where λ decreases for a while [Turocy2005]_.

The fit maximises the log-likelihood ``Σ_i Σ_a n_i(a) log σ_i(a; λ)`` of
observed action counts over the points of the branch, then refines λ locally.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg.lapack import dgesv as _gesv

from ..._results import Provenance, Result
from ...errors import InvalidParameterError

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["LogitFit", "QREPath", "logit_fit", "logit_path", "logit_qre"]


@dataclasses.dataclass(frozen=True, eq=False)
class QREPath(Result):
    """Points ``(λ, profile)`` of the principal logit branch.

    Attributes
    ----------
    lambdas : numpy.ndarray
    profiles : list of tuple of numpy.ndarray
        ``profiles[k][i]`` is player ``i``'s mixed strategy at ``lambdas[k]``.
    regret : float
        Regret of the last point (→ 0 as λ grows on generic games).
    provenance : Provenance
    """

    lambdas: np.ndarray
    profiles: list
    regret: float
    provenance: Provenance | None = None

    @property
    def last(self) -> tuple[np.ndarray, ...]:
        return self.profiles[-1]

    def __repr__(self) -> str:
        return (
            f"QREPath({len(self.lambdas)} points, λ up to {self.lambdas.max():.4g}, "
            f"final regret {self.regret:.3g})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class LogitFit(Result):
    """Maximum-likelihood λ for observed play, with the fitted profile."""

    lam: float
    log_likelihood: float
    profile: tuple
    provenance: Provenance | None = None


class _System:
    def __init__(self, game: NormalFormGame):
        self.U = np.asarray(game.payoffs, dtype=float)
        self.shape = game.shape
        self.n = game.n_players
        self.off = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.dim = int(self.off[-1])
        if self.n == 2:  # bimatrix: H and J as a few products with constant matrices
            # H = L β - λ (L W) σ + S σ - c, with σ = exp(β), u = W σ the action values
            # (u_1 = A σ_2, u_2 = B^T σ_1), L the differences u(a) - u(0) within each
            # player's block, S its sums and c = 1 in the two normalisation rows
            A = self.U[..., 0]
            BT = self.U[..., 1].T
            k0, dim = self.shape[0], self.dim
            W = np.zeros((dim, dim))
            W[:k0, k0:] = A
            W[k0:, :k0] = BT
            L = np.zeros((dim, dim))
            S = np.zeros((dim, dim))
            for o, e in ((0, k0), (k0, dim)):
                S[o, o:e] = 1.0
                L[np.arange(o + 1, e), np.arange(o + 1, e)] = 1.0
                L[o + 1 : e, o] = -1.0
            self.L, self.S, self.LW = L, S, L @ W
            self.c = np.zeros(dim)
            self.c[[0, k0]] = 1.0

    def split(self, beta):
        return [np.exp(beta[self.off[i] : self.off[i + 1]]) for i in range(self.n)]

    def values(self, sig, i, skip=()):
        """Player i's payoff tensor contracted with everyone except i and ``skip``."""
        out = self.U[..., i]
        for j in range(self.n - 1, -1, -1):
            if j != i and j not in skip:
                out = np.tensordot(out, sig[j], axes=([j], [0]))
        return out

    def H(self, v):
        beta, lam = v[:-1], v[-1]
        if self.n == 2:
            return self.L @ beta + (self.S - lam * self.LW) @ np.exp(beta) - self.c
        sig = self.split(beta)
        out = np.empty(self.dim)
        for i in range(self.n):
            o = self.off[i]
            u = self.values(sig, i)
            b = beta[o : self.off[i + 1]]
            out[o] = sig[i].sum() - 1.0
            out[o + 1 : self.off[i + 1]] = b[1:] - b[0] - lam * (u[1:] - u[0])
        return out

    def J(self, v):
        beta, lam = v[:-1], v[-1]
        if self.n == 2:
            return self._J2(beta, lam)
        sig = self.split(beta)
        D = np.zeros((self.dim, self.dim + 1))
        for i in range(self.n):
            o, e = self.off[i], self.off[i + 1]
            k = e - o
            D[o, o:e] = sig[i]
            u = self.values(sig, i)
            for a in range(1, k):
                D[o + a, o + a] = 1.0
                D[o + a, o] = -1.0
                D[o + a, -1] = -(u[a] - u[0])
            for j in range(self.n):
                if j == i:
                    continue
                # M[a, b] = u_i(a, b, σ_{-ij}) (axes in player order after contraction)
                M = self.values(sig, i, skip=(j,))
                if j < i:
                    M = M.T
                dM = (M[1:] - M[0]) * sig[j]  # d/dβ_j(b) of u(a) - u(0)
                D[o + 1 : e, self.off[j] : self.off[j + 1]] -= lam * dM
        return D

    def _J2(self, beta, lam):
        """:meth:`J` of a bimatrix game: ``[L + (S - λ L W) diag(σ) | -(L W) σ]``."""
        sig = np.exp(beta)
        D = np.empty((self.dim, self.dim + 1))
        D[:, :-1] = self.L + (self.S - lam * self.LW) * sig
        D[:, -1] = -(self.LW @ sig)
        return D


def _bordered(D, row):
    """``[D; row]``: the square system of the continuation (``D`` is n × n+1)."""
    K = np.empty((D.shape[0] + 1, D.shape[1]))
    K[:-1] = D
    K[-1] = row
    return K


def _solve(K, b):
    """``K x = b`` by LAPACK's ``gesv`` (without numpy.linalg's per-call checks, which cost
    more than the factorisation at these sizes); ``None`` when ``K`` is singular or the
    answer is not finite."""
    _, _, x, info = _gesv(K, b)
    if info != 0 or not np.isfinite(x).all():
        return None
    return x


def _tangent(D, prev=None):
    """Unit tangent of the branch: the null vector of ``D`` (n × n+1) oriented along
    ``prev`` (or towards growing λ at the start), from the bordered system
    ``[D; prev] t = e_{n+1}``, one LU solve (an SVD is the fallback when it is singular)."""
    ref = prev if prev is not None else np.eye(D.shape[1])[-1]
    b = np.zeros(D.shape[1])
    b[-1] = 1.0
    t = _solve(_bordered(D, ref), b)
    if t is None:
        t = np.linalg.svd(D)[2][-1]
        if t @ ref < 0:
            t = -t
    return t / np.linalg.norm(t)


def _correct(sys_, v, fixed_lambda=None, tol=1e-10, iters=30, direction=None):
    """Gauss–Newton back to ``H = 0``: with λ fixed (square solve), or orthogonal to
    ``direction`` (the bordered system), or the least-norm step."""
    for _ in range(iters):
        h = sys_.H(v)
        # rounding floor: the residual holds λ times values computed from log-probabilities
        # of size |β|, so it cannot fall much below eps·|β|·λ (far along the branch)
        big = float(np.abs(v[:-1]).max()) if len(v) > 1 else 0.0
        floor = 1e-15 * max(1.0, big) * max(1.0, abs(v[-1]))
        if float(np.abs(h).max()) < max(tol, floor):
            return v, True
        D = sys_.J(v)
        v = v.copy()
        if fixed_lambda is not None:
            step = _solve(D[:, :-1], -h)
            if step is None:
                step = np.linalg.lstsq(D[:, :-1], -h, rcond=None)[0]
            v[:-1] += step
        else:
            step = None
            if direction is not None:
                rhs = np.zeros(len(v))
                rhs[:-1] = -h
                step = _solve(_bordered(D, direction), rhs)
            if step is None:
                step = np.linalg.lstsq(D, -h, rcond=None)[0]
            v += step
        if not np.isfinite(v).all():
            return v, False
    floor = 1e-15 * max(1.0, float(np.max(np.abs(v[:-1]), initial=0.0))) * max(1.0, abs(v[-1]))
    return v, np.max(np.abs(sys_.H(v))) < max(1e-8, 10 * floor)


def _trace(sys_, beta0, max_lambda: float, step: float, max_steps: int, stops=()):
    """Follow the branch of ``sys_.H(β, λ) = 0`` from ``(beta0, 0)`` until λ reaches
    ``max_lambda``: arc-length predictor (tangent of the Jacobian's null space),
    Gauss–Newton corrector, step grown after success and halved on failure.

    ``sys_`` has ``H(v)`` and ``J(v)`` for ``v = (β, λ)``. Returns the λ values and
    the β vectors of the accepted points (the last one lands on ``max_lambda``).
    With ``stops`` (increasing λ values up to ``max_lambda``) it also returns the β
    at the first crossing of each, corrected at fixed λ from the chord between the
    accepted points around it: one trace for several λ.
    Shared by the normal-form and the agent-form (extensive) logit QRE.
    """
    v = np.concatenate([beta0, [0.0]])
    lams, points = [0.0], [np.asarray(beta0, dtype=float)]
    stops = sorted(float(x) for x in stops)
    landed: list = []
    while stops and len(landed) < len(stops) and stops[len(landed)] <= 0.0:
        landed.append(np.asarray(beta0, dtype=float))
    t = _tangent(sys_.J(v))
    h = step
    for _ in range(max_steps):
        if v[-1] >= max_lambda:
            break
        pred = v + h * t
        new, ok = _correct(sys_, pred, direction=t)
        if not ok or np.linalg.norm(new - v) > 5 * h:
            h /= 2
            if h < 1e-10:
                break
            continue
        t_new = _tangent(sys_.J(new), t)
        while len(landed) < len(stops) and stops[len(landed)] < min(new[-1], max_lambda):
            x = stops[len(landed)]
            w = (x - v[-1]) / (new[-1] - v[-1]) if new[-1] != v[-1] else 1.0
            at, _ = _correct(sys_, v + w * (new - v), fixed_lambda=True)
            landed.append(at[:-1].copy())
        v, t = new, t_new
        h = min(h * 1.5, 1.0 + 0.2 * abs(v[-1]))
        if v[-1] > max_lambda:  # land on max_lambda exactly
            v, _ = _correct(sys_, np.concatenate([v[:-1], [max_lambda]]), fixed_lambda=True)
            v[-1] = max_lambda
        lams.append(float(v[-1]))
        points.append(v[:-1].copy())
    while len(landed) < len(stops):  # stops at max_lambda (or beyond a stalled branch)
        landed.append(points[-1].copy())
    if stops:
        return lams, points, landed
    return lams, points


def _regret(game, sig) -> float:
    from ._game import _regret as regret

    return float(regret(game.payoffs, sig).max())


def logit_path(
    game: NormalFormGame,
    max_lambda: float = 1e3,
    *,
    step: float = 0.1,
    max_steps: int = 100_000,
) -> QREPath:
    """Trace the principal branch of the logit QRE from λ = 0 to ``max_lambda``.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    max_lambda : float
        Stop when λ reaches this value (payoffs are used as given, so λ is in
        units of 1 / payoff unit).
    step : float
        Initial arc-length step (adapted: grows after easy steps, halves on failure).

    Returns
    -------
    QREPath
    """
    if max_lambda <= 0:
        raise InvalidParameterError(f"max_lambda must be positive; got {max_lambda}")
    sys_ = _System(game)
    beta0 = np.concatenate([np.full(a, -np.log(a)) for a in game.shape])
    lams, points = _trace(sys_, beta0, max_lambda, step, max_steps)
    profs = [tuple(sys_.split(b)) for b in points]
    sig = [s / s.sum() for s in profs[-1]]
    return QREPath(
        lambdas=np.array(lams),
        profiles=profs,
        regret=_regret(game, sig),
        provenance=Provenance(method="logit_path", params={"max_lambda": max_lambda, "step": step}),
    )


def logit_qre(game: NormalFormGame, lam):
    """The logit QRE at ``lam`` on the principal branch (first crossing of ``lam``).

    ``lam`` may be a sequence of λ values: then one trace gives a list of profiles,
    in the order given.
    """
    many = np.ndim(lam) > 0
    lams = [float(x) for x in np.atleast_1d(lam)]
    if any(not x >= 0 for x in lams):
        raise InvalidParameterError(f"λ must be non-negative; got {lam}")
    top = max(lams, default=0.0)
    if top == 0:
        out = [tuple(np.full(a, 1.0 / a) for a in game.shape) for _ in lams]
        return out if many else out[0]
    sys_ = _System(game)
    beta0 = np.concatenate([np.full(a, -np.log(a)) for a in game.shape])
    _, _, landed = _trace(sys_, beta0, top, 0.1, 100_000, stops=lams)
    by = dict(zip(sorted(lams), landed))
    out = [tuple(sys_.split(by[x])) for x in lams]
    return out if many else out[0]


def _loglik(counts, sig) -> float:
    return float(sum((c * np.log(np.maximum(s, 1e-300))).sum() for c, s in zip(counts, sig)))


def logit_fit(
    game: NormalFormGame, counts: Sequence[Sequence[float]], max_lambda: float = 100.0
) -> LogitFit:
    """Maximum-likelihood λ of the logit QRE for observed action counts [McKelvey1995]_.

    Parameters
    ----------
    game : NormalFormGame
    counts : sequence of sequence of float
        ``counts[i][a]``: how often player ``i`` was seen playing action ``a``.
    max_lambda : float
        Upper end of the search along the branch.
    """
    counts = [np.asarray(c, dtype=float) for c in counts]
    if len(counts) != game.n_players or any(c.shape != (a,) for c, a in zip(counts, game.shape)):
        raise InvalidParameterError(
            f"counts needs one vector per player with one count per action (shape {game.shape})"
        )
    if any(np.any(c < 0) for c in counts):
        raise InvalidParameterError("counts must be non-negative")
    path = logit_path(game, max_lambda=max_lambda, step=0.05)
    ll = [_loglik(counts, s) for s in path.profiles]
    k = int(np.argmax(ll))
    # refine by golden-section search between the neighbouring path points
    sys_ = _System(game)
    lo = path.lambdas[max(k - 1, 0)]
    hi = path.lambdas[min(k + 1, len(ll) - 1)]
    start = np.concatenate([np.log(np.concatenate(path.profiles[k])), [path.lambdas[k]]])

    def at(lam):
        v, _ = _correct(sys_, np.concatenate([start[:-1], [lam]]), fixed_lambda=True)
        sig = sys_.split(v[:-1])
        return _loglik(counts, sig), sig

    best_lam, best_ll, best_sig = path.lambdas[k], ll[k], path.profiles[k]
    if hi > lo:
        g = (np.sqrt(5) - 1) / 2
        a, b = lo, hi
        for _ in range(60):
            c, d = b - g * (b - a), a + g * (b - a)
            if at(c)[0] >= at(d)[0]:
                b = d
            else:
                a = c
        lam = (a + b) / 2
        val, sig = at(lam)
        if val >= best_ll:
            best_lam, best_ll, best_sig = lam, val, sig
    return LogitFit(
        lam=float(best_lam),
        log_likelihood=float(best_ll),
        profile=tuple(best_sig),
        provenance=Provenance(method="logit_fit", params={"max_lambda": max_lambda}),
    )
