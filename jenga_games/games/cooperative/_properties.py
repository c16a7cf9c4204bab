"""Yes/no properties of TU games, decided with the documented tolerance.

Each test reads ``a >= b`` as ``a >= b − tol·max(1, |·|)`` (see
:mod:`jenga_games.tolerance`), so a float game that is convex on paper is
not rejected over a rounding of 1e-16, while a real violation of 1e-6 is.

- superadditive: ``v(S ∪ T) >= v(S) + v(T)`` for disjoint S, T; checked as
  ``f = v`` where ``f`` is the optimal-partition value (O(3^n));
- convex (supermodular) [Shapley1971]_: ``v(S∪{i,j}) − v(S∪{i}) − v(S∪{j}) + v(S) >= 0``
  for all S and ``i ≠ j ∉ S`` (equivalent to the global condition), O(n² 2^n);
- monotone: ``v(S ∪ {i}) >= v(S)``;
- essential: ``v(N) > Σ_i v({i})``;
- balanced: non-empty core (:func:`core_is_empty`).
"""

from __future__ import annotations

import numpy as np

from ...tolerance import TOL, geq, leq
from ._bits import check_exact_size
from ._game import TUGame
from ._structure import MAX_STRUCTURE_PLAYERS, partition_values

__all__ = ["is_balanced", "is_convex", "is_essential", "is_monotone", "is_superadditive"]


def is_superadditive(game: TUGame, tol: float = TOL) -> bool:
    """``v(S ∪ T) >= v(S) + v(T)`` for all disjoint S, T (within ``tol``)."""
    v = game.values
    for i in range(game.n):  # O(n 2^n) first: v(S ∪ {i}) >= v(S) + v({i})
        V = v.reshape(-1, 2, 1 << i)
        slack = V[:, 1, :] - V[:, 0, :]
        slack -= v[1 << i]
        k = np.unravel_index(int(slack.argmin()), slack.shape)
        if slack[k] >= 0:
            continue
        # the most short coalition first (usually decides), then every short one
        if not geq(V[k[0], 1, k[1]], V[k[0], 0, k[1]] + v[1 << i], tol):
            return False
        short = slack < 0
        lhs, rhs = V[:, 1, :][short], V[:, 0, :][short] + v[1 << i]
        if not np.all(geq(lhs, rhs, tol)):
            return False
    check_exact_size(game.n, "is_superadditive", MAX_STRUCTURE_PLAYERS)
    f = partition_values(game)
    return bool(np.all(f <= v + tol * np.maximum(1.0, np.abs(f))))


def is_convex(game: TUGame, tol: float = TOL) -> bool:
    """Supermodularity by the local condition on pairs of players (within ``tol``)."""
    n, v = game.n, game.values
    for j in range(n):
        for i in range(j):
            V = v.reshape(-1, 2, 1 << (j - 1 - i), 2, 1 << i)
            a, b = V[:, 1, :, 1, :], V[:, 0, :, 0, :]
            c, d = V[:, 1, :, 0, :], V[:, 0, :, 1, :]
            scale = np.maximum(np.maximum(1.0, np.abs(a)), np.maximum(np.abs(c), np.abs(d)))
            if np.any(a + b - c - d < -tol * scale):
                return False
    return True


def is_monotone(game: TUGame, tol: float = TOL) -> bool:
    """``v(S ∪ {i}) >= v(S)`` for all S and i (within ``tol``)."""
    v = game.values
    for i in range(game.n):
        V = v.reshape(-1, 2, 1 << i)
        hi, lo = V[:, 1, :], V[:, 0, :]
        if not np.all(geq(hi, lo, tol)):
            return False
    return True


def is_essential(game: TUGame, tol: float = TOL) -> bool:
    """``v(N) > Σ_i v({i})`` by more than ``tol``."""
    s = float(game.values[1 << np.arange(game.n)].sum())
    return bool(not leq(game.grand, s, tol))


def is_balanced(game: TUGame, tol: float = TOL) -> bool:
    """Non-empty core, by the Bondareva–Shapley LP (see :func:`core_is_empty`)."""
    from ._core import core_is_empty

    return not core_is_empty(game, tol=tol)
