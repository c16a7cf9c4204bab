"""Agent-form logit quantal response equilibrium of an extensive game, by homotopy in λ.

In the agent logit QRE [McKelvey1998]_ every information set ``I`` of player
``i`` is played by its own agent, who chooses action ``a`` with probability

.. math:: σ_I(a) = \\frac{\\exp(λ\\, v_I(a))}{\\sum_b \\exp(λ\\, v_I(b))},\\qquad
          v_I(a) = \\sum_{h \\in I} μ(h)\\, u_i(h a \\mid σ),

where ``μ(h) = ρ(h) / Σ_{h' ∈ I} ρ(h')`` is the belief at ``I`` given by
Bayes' rule from the reach probabilities ``ρ`` of ``σ`` (every node is reached
while λ is finite, so beliefs are always defined) and ``u_i(ha | σ)`` the
expected payoff of playing ``a`` at ``h`` and ``σ`` afterwards. This is the
convention of Gambit's ``logit_solve`` (values conditional on reaching ``I``),
so λ means the same there and here: units of 1 / payoff unit.

At λ = 0 play is uniform; the principal branch is traced in ``(β, λ)``,
``β = log σ``, with the equations ``β_I(a) - β_I(0) - λ (v_I(a) - v_I(0)) = 0``
and ``Σ_a e^{β_I(a)} = 1``, by the same arc-length predictor–corrector as the
normal-form QRE [Turocy2005]_. As λ → ∞ the branch converges, on generic
games, to a sequential equilibrium (McKelvey & Palfrey 1998, section 4): the
NashConv of the end point is reported, and the beliefs along the way are
available from :func:`agent_logit_beliefs`.

Numerically, ``v`` and its Jacobian are computed from the log reach
probabilities ``L(z) = log c(z) + Σ_{(J,b) on the path} β_J(b)`` (``c`` the chance
probability), each information set scaled by its largest member's reach so
that deep, rarely reached sets do not underflow at large λ.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidParameterError
from ..normal_form._qre import _trace
from ._best_response import nash_conv
from ._tree import ExtensiveGame

_log = logging.getLogger(__name__)

__all__ = [
    "AgentLogitFit",
    "AgentQREPath",
    "agent_logit_beliefs",
    "agent_logit_fit",
    "agent_logit_path",
    "agent_logit_qre",
]


@dataclasses.dataclass(frozen=True, eq=False)
class AgentQREPath(Result):
    """Points ``(λ, behaviour profile)`` of the principal agent-logit branch.

    Attributes
    ----------
    lambdas : numpy.ndarray
        λ at each accepted point (1 / payoff unit), from 0 to ``max_lambda``.
    behaviours : list
        ``behaviours[k][i][I]``: player ``i``'s action probabilities at its
        information set ``I`` at ``lambdas[k]``.
    nash_conv : float
        NashConv of the last point (payoff units), computed independently by
        :func:`~jenga_games.games.extensive.nash_conv`; → 0 as λ grows on generic games.
    players : tuple of str
    provenance : Provenance
    """

    lambdas: np.ndarray
    behaviours: list
    nash_conv: float
    players: tuple[str, ...]
    provenance: Provenance | None = None

    @property
    def last(self) -> list[list[np.ndarray]]:
        """The behaviour profile at the largest λ."""
        return self.behaviours[-1]

    def __repr__(self) -> str:
        return (
            f"AgentQREPath({len(self.lambdas)} points, λ up to {self.lambdas.max():.4g}, "
            f"final NashConv {self.nash_conv:.3g})"
        )


class _AgentSystem:
    """The agent-logit equations ``H(β, λ) = 0`` of a game and their Jacobian."""

    def __init__(self, game: ExtensiveGame):
        sets = [s for p in range(game.n_players) for s in game.infosets[p]]
        self.n_sets = len(sets)
        gid = {id(s): g for g, s in enumerate(sets)}
        k = np.array([len(s.actions) for s in sets], dtype=int)
        self.first = np.concatenate([[0], np.cumsum(k)[:-1]]).astype(int)[: len(sets)]
        self.dim = int(k.sum())
        self.set_of = np.repeat(np.arange(self.n_sets), k)  # infoset of each sequence
        self.first_of = self.first[self.set_of]
        self.owner = np.repeat(np.array([s.player for s in sets], dtype=int), k)
        self.sizes = k
        # walk the tree: log chance probability and own-sequence path of every node
        z_logc, z_pay, z_path = [], [], []
        h_logc, h_set, h_path = [], [], []
        stack = [(game.root, 0.0, ())]
        while stack:
            n, lc, path = stack.pop()
            s = n.infoset
            if s is None:
                z_logc.append(lc)
                z_pay.append([float(v) for v in game.payoff(n)])
                z_path.append(path)
                continue
            if s.is_chance:
                for c, q in zip(n.children, s.probs):
                    if q > 0:
                        stack.append((c, lc + float(np.log(float(q))), path))
                continue
            g = gid[id(s)]
            h_logc.append(lc)
            h_set.append(g)
            h_path.append(path)
            for a, c in enumerate(n.children):
                stack.append((c, lc, (*path, int(self.first[g]) + a)))
        self.z_logc = np.array(z_logc)
        self.h_logc = np.array(h_logc)
        self.h_set = np.array(h_set, dtype=int)
        pay = np.array(z_pay)  # leaves × players
        self.reached = np.bincount(self.h_set, minlength=self.n_sets) > 0
        # (leaf, sequence) incidence and the owner's payoff there
        self.pz_z = np.array([z for z, p in enumerate(z_path) for _ in p], dtype=int)
        self.pz_s = np.array([s for p in z_path for s in p], dtype=int)
        self.pz_u = pay[self.pz_z, self.owner[self.pz_s]] if len(self.pz_z) else np.zeros(0)
        # (leaf, sequence s, sequence t) triples with s != t both on the leaf's path
        tk, tt = [], []
        k0 = 0
        for p in z_path:
            for i, _s in enumerate(p):
                for j, t in enumerate(p):
                    if i != j:
                        tk.append(k0 + i)
                        tt.append(t)
            k0 += len(p)
        self.tr_k = np.array(tk, dtype=int)
        self.tr_t = np.array(tt, dtype=int)
        self.tr_flat = self.pz_s[self.tr_k] * self.dim + self.tr_t
        # (decision node, sequence) incidence
        self.ph_h = np.array([h for h, p in enumerate(h_path) for _ in p], dtype=int)
        self.ph_t = np.array([t for p in h_path for t in p], dtype=int)
        self.ph_flat = self.h_set[self.ph_h] * self.dim + self.ph_t

    def split(self, beta: np.ndarray) -> np.ndarray:
        return np.exp(beta)

    def _values(self, beta):
        """``v`` (per sequence), the per-leaf-sequence terms ``e`` and the scaled ``D``."""
        Lz = self.z_logc + np.bincount(
            self.pz_z, weights=beta[self.pz_s], minlength=len(self.z_logc)
        )
        Lh = self.h_logc + np.bincount(
            self.ph_h, weights=beta[self.ph_t], minlength=len(self.h_logc)
        )
        m = np.full(self.n_sets, -np.inf)
        np.maximum.at(m, self.h_set, Lh)
        m[~self.reached] = 0.0
        wh = np.exp(Lh - m[self.h_set])
        D = np.bincount(self.h_set, weights=wh, minlength=self.n_sets)
        D[~self.reached] = 1.0
        e = np.exp(Lz[self.pz_z] - beta[self.pz_s] - m[self.set_of[self.pz_s]]) * self.pz_u
        N = np.bincount(self.pz_s, weights=e, minlength=self.dim)
        v = N / D[self.set_of]
        return v, e, wh, D

    def H(self, x):
        beta, lam = x[:-1], x[-1]
        v, _, _, _ = self._values(beta)
        out = beta - beta[self.first_of] - lam * (v - v[self.first_of])
        tot = np.bincount(self.set_of, weights=np.exp(beta), minlength=self.n_sets)
        out[self.first] = tot - 1.0
        return out

    def J(self, x):
        beta, lam = x[:-1], x[-1]
        S = self.dim
        v, e, wh, D = self._values(beta)
        dN = np.bincount(self.tr_flat, weights=e[self.tr_k], minlength=S * S).reshape(S, S)
        dD = np.bincount(self.ph_flat, weights=wh[self.ph_h], minlength=self.n_sets * S)
        dD = dD.reshape(self.n_sets, S)
        Ds = D[self.set_of]
        dv = (dN - v[:, None] * dD[self.set_of]) / Ds[:, None]
        out = np.zeros((S, S + 1))
        out[:, :S] = -lam * (dv - dv[self.first_of])
        idx = np.arange(S)
        out[idx, idx] += 1.0
        out[idx, self.first_of] -= 1.0
        out[:, S] = -(v - v[self.first_of])
        # the normalisation rows
        out[self.first, :] = 0.0
        out[self.first[self.set_of], idx] = np.exp(beta)
        return out

    def behaviour(self, game: ExtensiveGame, beta) -> list[list[np.ndarray]]:
        sig = np.exp(beta)
        out, g = [], 0
        for p in range(game.n_players):
            row = []
            for _s in game.infosets[p]:
                o, k = self.first[g], self.sizes[g]
                vec = sig[o : o + k]
                row.append(vec / vec.sum())
                g += 1
            out.append(row)
        return out


def agent_logit_path(
    game: ExtensiveGame,
    max_lambda: float = 1e3,
    *,
    step: float = 0.1,
    max_steps: int = 100_000,
) -> AgentQREPath:
    """Trace the principal branch of the agent logit QRE from λ = 0 to ``max_lambda``.

    Parameters
    ----------
    game : ExtensiveGame
        Any number of players, chance allowed; perfect recall is required (the
        beliefs and the limit theory assume it).
    max_lambda : float
        Stop when λ reaches this value (1 / payoff unit).
    step : float
        Initial arc-length step (grows after easy steps, halves on failure).

    Returns
    -------
    AgentQREPath
        Every point a fixed point of the agent logit response; the last one at
        ``max_lambda`` with its NashConv computed independently.

    Examples
    --------
    >>> from jenga_games.games.extensive import one_card_poker
    >>> path = agent_logit_path(one_card_poker(), max_lambda=200)
    >>> round(float(one_card_poker().expected_payoffs(path.last)[0]), 3)
    0.333
    """
    if not max_lambda > 0:
        raise InvalidParameterError(f"max_lambda must be positive; got {max_lambda}")
    game.require_perfect_recall("agent_logit_path")
    sys_ = _AgentSystem(game)
    beta0 = -np.log(sys_.sizes[sys_.set_of].astype(float))
    if sys_.dim == 0:  # nobody decides: the empty profile is the whole branch
        lams, points = [0.0, float(max_lambda)], [beta0, beta0]
    else:
        lams, points = _trace(sys_, beta0, max_lambda, step, max_steps)
    if lams[-1] < max_lambda:
        _log.warning(
            "agent_logit_path: the branch was followed to λ = %.6g only (max_lambda %.6g); "
            "the continuation could not step further",
            lams[-1],
            max_lambda,
        )
    behs = [sys_.behaviour(game, b) for b in points]
    nc, _ = nash_conv(game, behs[-1])
    return AgentQREPath(
        lambdas=np.array(lams),
        behaviours=behs,
        nash_conv=float(nc),
        players=game.players,
        provenance=Provenance(
            method="agent_logit_path", params={"max_lambda": max_lambda, "step": step}
        ),
    )


def agent_logit_qre(game: ExtensiveGame, lam):
    """The agent logit QRE at ``lam`` on the principal branch (first crossing of ``lam``).

    ``lam`` may be a sequence of λ values: then one trace gives a list of
    behaviour profiles, in the order given.
    """
    many = np.ndim(lam) > 0
    lams = [float(x) for x in np.atleast_1d(lam)]
    if any(not x >= 0 for x in lams):
        raise InvalidParameterError(f"λ must be non-negative; got {lam}")
    game.require_perfect_recall("agent_logit_qre")
    sys_ = _AgentSystem(game)
    beta0 = -np.log(sys_.sizes[sys_.set_of].astype(float))
    top = max(lams, default=0.0)
    if top == 0 or sys_.dim == 0:
        out = [sys_.behaviour(game, beta0) for _ in lams]
        return out if many else out[0]
    _, _, landed = _trace(sys_, beta0, top, 0.1, 100_000, stops=lams)
    by = dict(zip(sorted(lams), landed))
    out = [sys_.behaviour(game, by[x]) for x in lams]
    return out if many else out[0]


def agent_logit_beliefs(game: ExtensiveGame, behaviour) -> list:
    """Bayes beliefs ``μ(h) = ρ(h) / Σ_{h' ∈ I} ρ(h')`` of a behaviour profile.

    Returns ``beliefs[i][k][m]`` over the members of player ``i``'s ``k``-th
    information set (the format of
    :func:`~jenga_games.games.extensive.sequential_equilibrium_check`). A logit
    QRE reaches every set in exact arithmetic, but far along the branch a reach
    probability can underflow to 0; such a set gets the limit beliefs of uniform
    trembles (:func:`~jenga_games.games.extensive.consistent_beliefs`).
    """
    beh = game.behaviour(behaviour)
    reach: dict[int, float] = {}
    stack = [(game.root, 1.0)]
    while stack:
        n, r = stack.pop()
        s = n.infoset
        if s is None:
            continue
        reach[id(n)] = r
        probs = [float(q) for q in s.probs] if s.is_chance else beh[s.player][s.index]
        for c, q in zip(n.children, probs):
            stack.append((c, r * float(q)))
    out, limit = [], None
    for p in range(game.n_players):
        row = []
        for s in game.infosets[p]:
            w = [reach.get(id(h), 0.0) for h in s.members]
            tot = sum(w)
            if tot > 0:
                row.append([x / tot for x in w])
                continue
            if limit is None:  # unreached (in floating point): the trembles' limit beliefs
                from ._sequential import consistent_beliefs

                limit = consistent_beliefs(game, beh)
            row.append([float(x) for x in limit[p][s.index]])
        out.append(row)
    return out


@dataclasses.dataclass(frozen=True, eq=False)
class AgentLogitFit(Result):
    """Maximum-likelihood λ of the agent logit QRE for observed play, with its profile.

    Attributes
    ----------
    lam : float
        The fitted λ (1 / payoff unit).
    log_likelihood : float
        ``Σ_I Σ_a n_I(a) log σ_I(a; λ)`` at the fit.
    behaviour : list
        The agent QRE at ``lam``.
    provenance : Provenance
    """

    lam: float
    log_likelihood: float
    behaviour: list
    provenance: Provenance | None = None


def _counts_vector(game: ExtensiveGame, counts) -> np.ndarray:
    rows = list(counts)
    if len(rows) != game.n_players:
        raise InvalidParameterError(
            f"counts give one entry per player ({game.n_players}); got {len(rows)}"
        )
    out = []
    for i, row in enumerate(rows):
        row = list(row)
        if len(row) != len(game.infosets[i]):
            raise InvalidParameterError(
                f"player {game.players[i]!r} has {len(game.infosets[i])} information sets; "
                f"the counts give {len(row)}"
            )
        for vec, s in zip(row, game.infosets[i]):
            v = np.asarray(vec, dtype=float)
            if v.shape != (len(s.actions),) or np.any(v < 0) or not np.all(np.isfinite(v)):
                raise InvalidParameterError(
                    f"the counts at information set {s.label or s.number!r} of player "
                    f"{game.players[i]!r} must be {len(s.actions)} non-negative numbers "
                    f"(one per action {list(s.actions)}); got {vec!r}"
                )
            out.append(v)
    return np.concatenate(out) if out else np.zeros(0)


def agent_logit_fit(game: ExtensiveGame, counts, max_lambda: float = 100.0) -> AgentLogitFit:
    """Maximum-likelihood λ of the agent logit QRE for observed action counts [McKelvey1998]_.

    The log-likelihood ``Σ_I Σ_a n_I(a) log σ_I(a; λ)`` is evaluated at every
    point of the principal branch up to ``max_lambda``, and the best point is
    refined by golden-section search between its neighbours (λ held fixed in
    the corrector), as for the normal form.

    Parameters
    ----------
    game : ExtensiveGame
    counts : nested sequence
        ``counts[i][k][a]``: how often player ``i`` was seen playing action ``a``
        at its ``k``-th information set.
    max_lambda : float
        Upper end of the search (1 / payoff unit).
    """
    from ..normal_form._qre import _correct

    n = _counts_vector(game, counts)
    if not max_lambda > 0:
        raise InvalidParameterError(f"max_lambda must be positive; got {max_lambda}")
    game.require_perfect_recall("agent_logit_fit")
    sys_ = _AgentSystem(game)
    beta0 = -np.log(sys_.sizes[sys_.set_of].astype(float))
    lams, points = _trace(sys_, beta0, max_lambda, 0.05, 100_000)

    def loglik(beta) -> float:
        return float(n @ np.maximum(beta, -745.0))

    ll = [loglik(b) for b in points]
    k = int(np.argmax(ll))
    best = (lams[k], ll[k], points[k])
    lo, hi = lams[max(k - 1, 0)], lams[min(k + 1, len(lams) - 1)]
    if hi > lo:

        def at(lam: float):
            v, _ = _correct(sys_, np.concatenate([points[k], [lam]]), fixed_lambda=True)
            return loglik(v[:-1]), v[:-1]

        g = (np.sqrt(5) - 1) / 2
        a, b = lo, hi
        for _ in range(60):
            c, d = b - g * (b - a), a + g * (b - a)
            if at(c)[0] >= at(d)[0]:
                b = d
            else:
                a = c
        lam = (a + b) / 2
        val, beta = at(lam)
        if val >= best[1]:
            best = (lam, val, beta)
    return AgentLogitFit(
        lam=float(best[0]),
        log_likelihood=float(best[1]),
        behaviour=sys_.behaviour(game, best[2]),
        provenance=Provenance(method="agent_logit_fit", params={"max_lambda": max_lambda}),
    )
