"""A direct check of degeneracy for bimatrix games, by linear programming.

A bimatrix game ``(A, B)`` is *nondegenerate* when no mixed strategy with a
support of size ``k`` has more than ``k`` pure best responses
(Definition 2.6 of [vonStengel2002]_). It is degenerate exactly when, for some
row set ``S`` and column set ``T`` with ``|T| = |S| + 1``, the system

    x ≥ 0,  Σ_S x = 1,  (B_{S,t})ᵀ x = u for t ∈ T,  (B_{S,j})ᵀ x ≤ u for all j

is feasible (and the same with the roles of the players exchanged, with ``Aᵀ``):
then the mixed strategy ``x`` (support within ``S``) has every column of ``T`` as a
best response. Each system is one small feasibility LP (HiGHS), solved only
when its equalities alone are consistent (a least-squares residual below
``1e-6`` of the payoff scale), which in general position they are not.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

__all__ = ["bimatrix_is_degenerate"]


def _side_degenerate(M: np.ndarray, tol: float) -> bool:
    """Whether some mixed row strategy has more best-response columns than its support size.

    ``M[i, j]`` is the column player's payoff; columns are the responses.
    """
    m, n = M.shape
    scale = max(1.0, float(np.abs(M).max()))
    for k in range(1, min(m, n - 1) + 1):
        for S in itertools.combinations(range(m), k):
            sub = M[list(S)]  # k × n
            for T in itertools.combinations(range(n), k + 1):
                # variables (x_S, u); equalities: sub[:, t] · x - u = 0 (t ∈ T), Σx = 1
                a_eq = np.zeros((k + 2, k + 1))
                a_eq[: k + 1, :k] = sub[:, list(T)].T
                a_eq[: k + 1, k] = -1.0
                a_eq[k + 1, :k] = 1.0
                b_eq = np.zeros(k + 2)
                b_eq[k + 1] = 1.0
                # the equalities alone are k + 2 equations in k + 1 unknowns: for payoffs in
                # general position they have no solution, which least squares shows cheaply
                z, *_ = np.linalg.lstsq(a_eq, b_eq, rcond=None)
                if np.linalg.norm(a_eq @ z - b_eq) > 1e-6 * scale:
                    continue
                # every column's payoff at most u (with a tolerance in the game's scale)
                a_ub = np.hstack([sub.T, -np.ones((n, 1))])
                b_ub = np.full(n, tol * scale)
                res = linprog(
                    np.zeros(k + 1),
                    A_ub=a_ub,
                    b_ub=b_ub,
                    A_eq=a_eq,
                    b_eq=b_eq,
                    bounds=[(0, None)] * k + [(None, None)],
                    method="highs",
                )
                if res.status == 0:
                    return True
    return False


def bimatrix_is_degenerate(A: np.ndarray, B: np.ndarray, tol: float = 1e-9) -> bool:
    """Whether the bimatrix game ``(A, B)`` is degenerate (see the module docstring)."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    return _side_degenerate(B, tol) or _side_degenerate(A.T, tol)
