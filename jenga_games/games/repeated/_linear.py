"""Kernels: state values of a profile of automata by linear algebra (no validation here).

Normalised discounted payoff from joint state ``s`` (Mailath and Samuelson 2006, §2.1 :cite:`mailath2006`):

    V(s) = (1 - δ) r(s) + δ Σ_{s'} P(s, s') V(s'),   i.e.   (I - δ P) V = (1 - δ) r,

where ``r(s)`` is the expected stage payoff vector and ``P`` the transition
matrix of the product automaton. ``I - δP`` is a non-singular M-matrix for
``0 <= δ < 1``, so the solution exists and is unique, and its determinant is
positive on ``[0, 1)``.

For pure profiles the play from ``s`` is a lasso: a prefix ``u_0 .. u_{k-1}``
then a cycle ``u_k .. u_{k+L-1}`` repeated forever, so

    V(s) = (1 - δ) Σ_{t<k} δ^t u_t + δ^k Σ_{j<L} δ^j u_{k+j} / Σ_{j<L} δ^j,

whose denominators are positive on ``(0, 1)`` — the form used for exact and
symbolic work.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from .profile import Profile


def transition_system(profile: Profile, all_histories: bool):
    """States, successor table, per-state profile probabilities (float) of the product automaton."""
    states, succ = profile.reachable(all_histories=all_histories)
    probs = profile.joint_probs_batch(np.asarray(states, dtype=np.int64).reshape(len(states), -1))
    return states, succ, probs


def values_float(profile: Profile, delta: float, all_histories: bool):
    """Float state values ``V`` (m x n) by one dense solve."""
    states, succ, probs = transition_system(profile, all_histories)
    U = profile.stage.numeric.reshape(-1, profile.n_players)
    m = len(states)
    r = probs @ U
    rows, cols = np.nonzero(probs > 0)
    if m <= 60:
        P = np.zeros((m, m))
        np.add.at(P, (rows, succ[rows, cols]), probs[rows, cols])
        V = np.linalg.solve(np.eye(m) - delta * P, (1.0 - delta) * r)
    else:  # sparse: at most one entry per (state, profile)
        from scipy.sparse import csc_matrix, identity
        from scipy.sparse.linalg import splu

        P = csc_matrix((probs[rows, cols], (rows, succ[rows, cols])), shape=(m, m))
        V = splu((identity(m, format="csc") - delta * P).tocsc()).solve((1.0 - delta) * r)
    return states, succ, probs, V


def _lasso(profile: Profile, succ: np.ndarray, start: int, flat_action: np.ndarray):
    """Prefix and cycle (lists of flat profiles) of the pure play from state ``start``."""
    seen: dict[int, int] = {}
    order: list[int] = []
    k = start
    while k not in seen:
        seen[k] = len(order)
        order.append(k)
        k = int(succ[k, flat_action[k]])
    first = seen[k]
    prof = [int(flat_action[s]) for s in order]
    return prof[:first], prof[first:]


def values_exact(profile: Profile, delta, all_histories: bool):
    """Exact (sympy) state values, ``delta`` a sympy number or symbol."""
    stage = profile.stage
    n = stage.n_players
    states, succ, probs = transition_system(profile, all_histories)
    frac = isinstance(delta, Fraction)
    U = (stage.exact_fractions if frac else stage.exact).reshape(-1, n)
    zero = Fraction(0) if frac else sp.Integer(0)
    m = len(states)
    if frac and not profile.is_pure:
        delta, frac, U, zero = (
            sp.Rational(delta.numerator, delta.denominator),
            False,
            stage.exact.reshape(-1, n),
            sp.Integer(0),
        )
    if profile.is_pure:
        flat_action = probs.argmax(axis=1)
        V = []
        for k in range(m):
            pre, cyc = _lasso(profile, succ, k, flat_action)
            val = []
            for i in range(n):
                head = sum((delta**t * U[a, i] for t, a in enumerate(pre)), zero)
                tail_num = sum((delta**j * U[a, i] for j, a in enumerate(cyc)), zero)
                tail_den = sum((delta**j for j in range(len(cyc))), zero)
                v = (1 - delta) * head + delta ** len(pre) * tail_num / tail_den
                val.append(v if frac else sp.cancel(v))
            V.append(val)
        return states, succ, probs, V
    # mixed: exact probabilities, LU solve of (I - δP) V = (1 - δ) r
    pe = exact_probs(profile, states)
    Pm = sp.zeros(m, m)
    R = sp.zeros(m, n)
    for k in range(m):
        for p, w in enumerate(pe[k]):
            if w != 0:
                Pm[k, int(succ[k, p])] += w
                for i in range(n):
                    R[k, i] += w * U[p, i]
    A = sp.eye(m) - delta * Pm
    sol = A.LUsolve((1 - delta) * R)
    V = [[sp.cancel(sol[k, i]) for i in range(n)] for k in range(m)]
    return states, succ, probs, V


def exact_probs(profile: Profile, states) -> list[list]:
    stage = profile.stage
    out = []
    for s in states:
        row = []
        for prof in stage.profiles():
            p = sp.Integer(1)
            for b, si, a in zip(profile.bound, s, prof):
                p *= b.probs_exact[si][a]
            row.append(p)
        out.append(row)
    return out


def deviation_values(profile: Profile, delta, states, succ, V, exact: bool):
    """One-shot deviation values ``Q[k][i]`` (a vector over player i's actions) at state index ``k``.

    ``Q_i(s, a_i) = Σ_{a_-i} σ_{-i}(a_-i | s) [(1 - δ) u_i(a_i, a_-i) + δ V_i(τ(s, (a_i, a_-i)))]``.
    """
    stage = profile.stage
    n, shape = stage.n_players, stage.shape
    if not exact:
        return _deviation_values_float(
            profile, float(delta), states, succ, np.asarray(V, dtype=float)
        )
    frac = exact and isinstance(delta, Fraction)
    if exact:
        U = stage.exact_fractions if frac else stage.exact
        Varr = np.empty((len(V), n), dtype=object)
        for k, row in enumerate(V):
            Varr[k] = row
    else:
        U = stage.numeric
        Varr = np.asarray(V, dtype=float)
    Q = []
    for k, s in enumerate(states):
        nextV = Varr[succ[k]].reshape((*shape, n))
        W = (1 - delta) * U + delta * nextV
        row = []
        for i in range(n):
            w = W[..., i]
            for j in range(n - 1, -1, -1):
                if j == i:
                    continue
                sig = profile.bound[j].probs_exact[s[j]] if exact else profile.bound[j].probs[s[j]]
                if frac:
                    sig = [Fraction(int(x.p), int(x.q)) for x in sig]
                sig = np.asarray(sig, dtype=object if exact else float)
                w = np.tensordot(w, sig, axes=([j], [0]))
            row.append(w)
        Q.append(row)
    return Q


def _deviation_values_float(profile: Profile, delta: float, states, succ, V):
    """Vectorised over states: ``Q[k][i]`` as in :func:`deviation_values`."""
    per_player = deviation_arrays_float(profile, delta, states, succ, V)
    return [[per_player[i][k] for i in range(len(per_player))] for k in range(len(states))]


def deviation_arrays_float(profile: Profile, delta: float, states, succ, V):
    """One array per player, shape ``(states, own actions)``, of one-shot deviation values."""
    stage = profile.stage
    n, shape = stage.n_players, stage.shape
    m = len(states)
    W = (1 - delta) * stage.numeric[None] + delta * V[succ].reshape((m, *shape, n))
    S = np.asarray(states, dtype=np.int64).reshape(m, n)
    sig = [profile.bound[j].probs[S[:, j]] for j in range(n)]  # (m, k_j)
    letters = "abcdefghijklmnopqrstuvwxyz"[:n]
    per_player = []
    for i in range(n):
        operands = [W[..., i]] + [sig[j] for j in range(n) if j != i]
        spec = (
            "z"
            + letters
            + ","
            + ",".join("z" + letters[j] for j in range(n) if j != i)
            + "->z"
            + letters[i]
        )
        per_player.append(np.einsum(spec, *operands))
    return per_player
