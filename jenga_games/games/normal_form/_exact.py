"""Exact rational linear algebra for the exact solvers (``fractions.Fraction``)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["frac_solve"]


def frac_solve(M: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> list[Fraction] | None:
    """Solve the square system ``M z = b`` exactly by Gaussian elimination.

    Returns ``None`` when ``M`` is singular.
    """
    k = len(M)
    T = [[*list(row), bv] for row, bv in zip(M, b)]
    for c in range(k):
        p = next((r for r in range(c, k) if T[r][c] != 0), None)
        if p is None:
            return None
        if p != c:
            T[c], T[p] = T[p], T[c]
        piv = T[c][c]
        rowc = [v / piv for v in T[c]]
        T[c] = rowc
        for r in range(k):
            if r != c:
                f = T[r][c]
                if f:
                    Tr = T[r]
                    T[r] = [a - f * bb for a, bb in zip(Tr, rowc)]
    return [T[r][k] for r in range(k)]
