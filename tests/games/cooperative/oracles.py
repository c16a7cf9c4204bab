"""Independent slow oracles for the cooperative-game tests (small n only).

Nothing here shares code with jenga_games.games.cooperative beyond the TUGame
container: brute force over permutations, partitions and pairs, and a
textbook sequential-LP nucleolus that decides which coalitions to fix by one
extra LP per coalition (Maschler, Peleg & Shapley 1979) instead of by duals.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import linprog


def coalition_value(v, members) -> float:
    return float(v[sum(1 << i for i in members)])


def shapley_by_permutations(v, n: int) -> np.ndarray:
    """φ_i = mean over all n! orders of i's marginal contribution."""
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        m = 0
        for i in order:
            phi[i] += v[m | (1 << i)] - v[m]
            m |= 1 << i
    return phi / math.factorial(n)


def banzhaf_by_subsets(v, n: int) -> np.ndarray:
    beta = np.zeros(n)
    for i in range(n):
        for m in range(2**n):
            if not m >> i & 1:
                beta[i] += v[m | (1 << i)] - v[m]
    return beta / 2 ** (n - 1)


def set_partitions(items):
    items = list(items)
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in set_partitions(rest):
        for k in range(len(part)):
            yield [*part[:k], [first, *part[k]], *part[k + 1 :]]
        yield [[first], *part]


def best_partition_value(v, n: int) -> float:
    return max(sum(coalition_value(v, b) for b in p) for p in set_partitions(range(n)))


def _scale(v) -> float:
    """The game's scale ``max |v(S)|`` (1 for the zero game): the unit of the property tolerances."""
    m = max(abs(float(x)) for x in v)
    return m if m > 0 else 1.0


def superadditive_brute(v, n: int, tol=1e-9) -> bool:
    thr = tol * _scale(v)
    for a in range(1, 2**n):
        for b in range(1, 2**n):
            if a & b == 0 and v[a | b] < v[a] + v[b] - thr:
                return False
    return True


def convex_brute(v, n: int, tol=1e-9) -> bool:
    """Global supermodularity over all pairs of coalitions."""
    thr = tol * _scale(v)
    for a in range(2**n):
        for b in range(2**n):
            lhs, rhs = v[a | b] + v[a & b], v[a] + v[b]
            if lhs < rhs - thr:
                return False
    return True


def _row(m: int, n: int) -> np.ndarray:
    return np.array([(m >> i) & 1 for i in range(n)], dtype=float)


def nucleolus_slow(v, n: int, imputation: bool = True, tol: float = 1e-7) -> np.ndarray:
    """Sequential LPs over all coalitions; a coalition is fixed when an LP shows its
    excess equals the optimal level at every optimal point (MPS 1979)."""
    full = 2**n - 1
    free = set(range(1, full))
    eq_rows, eq_rhs = [np.ones(n)], [float(v[full])]
    bounds = [(float(v[1 << i]), None) if imputation else (None, None) for i in range(n)]
    x = None
    while free:
        fr = sorted(free)
        # min eps: v(S) - x(S) <= eps for free S
        A = np.array([[*(-_row(m, n)), -1.0] for m in fr])
        b = np.array([-v[m] for m in fr])
        Aeq = np.array([[*r, 0.0] for r in eq_rows])
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=A,
            b_ub=b,
            A_eq=Aeq,
            b_eq=eq_rhs,
            bounds=[*bounds, (None, None)],
            method="highs",
        )
        assert res.status == 0, res.message
        eps = res.x[-1]
        x = res.x[:n]
        # optimal face: free excesses <= eps
        A2 = np.array([-_row(m, n) for m in fr])
        b2 = np.array([eps - v[m] for m in fr]) + 1e-10
        newly = []
        for m in fr:
            if v[m] - _row(m, n) @ x < eps - 1e-6:
                continue
            # max x(S) over the face: if v(S) - max x(S) >= eps, S is tight everywhere
            r2 = linprog(
                -_row(m, n),
                A_ub=A2,
                b_ub=b2,
                A_eq=np.array(eq_rows),
                b_eq=eq_rhs,
                bounds=bounds,
                method="highs",
            )
            assert r2.status == 0, r2.message
            if v[m] + r2.fun >= eps - tol:
                newly.append(m)
        assert newly, "no coalition fixed"
        for m in newly:
            eq_rows.append(_row(m, n))
            eq_rhs.append(float(v[m] - eps))
        rank = np.linalg.matrix_rank(np.array(eq_rows), tol=1e-9)
        free = {
            m
            for m in free - set(newly)
            if np.linalg.matrix_rank(np.array([*eq_rows, _row(m, n)]), tol=1e-9) > rank
        }
    return x


def is_balanced_collection(masks, n: int, optional=()) -> bool:
    """Positive weights on ``masks`` (and >= 0 on ``optional``) summing to 1_N."""
    masks, optional = list(masks), [m for m in optional if m not in masks]
    k, k2 = len(masks), len(optional)
    # sum λ_S 1_S + sum μ_T 1_T = c 1_N with λ >= 1, μ >= 0 (scale-free form)
    A = np.array(
        [
            [*(_row(m, n)[i] for m in masks), *(_row(m, n)[i] for m in optional), -1.0]
            for i in range(n)
        ]
    )
    res = linprog(
        np.zeros(k + k2 + 1),
        A_eq=A,
        b_eq=np.zeros(n),
        bounds=[(1, None)] * k + [(0, None)] * k2 + [(None, None)],
        method="highs",
    )
    return res.status == 0


def kohlberg_holds(v, n: int, x, imputation: bool, tol=1e-6) -> bool:
    """Kohlberg's (1971) criterion: every upper level set of excesses is balanced
    (together with the singletons at their individual value, for the nucleolus)."""
    full = 2**n - 1
    ex = {m: v[m] - _row(m, n) @ x for m in range(1, full)}
    b0 = [1 << i for i in range(n) if imputation and abs(x[i] - v[1 << i]) <= tol]
    levels = sorted(set(round(e / tol) for e in ex.values()), reverse=True)
    for lev in levels:
        coll = [m for m, e in ex.items() if e >= lev * tol - tol]
        if not is_balanced_collection(coll, n, b0):
            return False
    return True


def sampled_sums_reference(v, perms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sums of the marginal contributions (and of their squares) by player over the orders
    ``perms`` (rows) of a stored game: the one-line numpy version that shapley_sampled used
    before its position-major kernel (the kernel must agree with it bit for bit)."""
    n = perms.shape[1]
    vals = np.asarray(v)[np.cumsum(np.int64(1) << perms, axis=1)]
    marg = np.diff(vals, axis=1, prepend=0.0)
    who = perms.ravel()
    return (
        np.bincount(who, weights=marg.ravel(), minlength=n),
        np.bincount(who, weights=(marg * marg).ravel(), minlength=n),
    )
