"""Yes/no properties of TU games, decided with the documented tolerance.

Each test reads ``a >= b`` as ``a >= b − tol·V`` with ``V = max_S |v(S)|``
the game's scale (1 for the zero game; the rule of :func:`core_contains`):
the tolerance of :mod:`jenga_games.tolerance` taken relative to the game, so
a game and the same game ×1e8 or ×1e-8 (pounds or millions of pounds) get
the same answer, a float game that is convex on paper is not rejected over
a rounding of 1e-16·V, and a real violation of 1e-6·V is.

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

from ...tolerance import TOL
from ._bits import check_exact_size
from ._core import _game_scale
from ._game import TUGame
from ._structure import MAX_STRUCTURE_PLAYERS, partition_values

__all__ = ["is_balanced", "is_convex", "is_essential", "is_monotone", "is_superadditive"]


def is_superadditive(game: TUGame, tol: float = TOL) -> bool:
    """``v(S ∪ T) >= v(S) + v(T) − tol·V`` for all disjoint S, T (``V``: the game's scale)."""
    v = game.values
    thr = tol * _game_scale(game)
    for i in range(game.n):  # O(n 2^n) first, usually decides: v(S ∪ {i}) >= v(S) + v({i})
        V = v.reshape(-1, 2, 1 << i)
        if (V[:, 1, :] - V[:, 0, :]).min() < v[1 << i] - thr:
            return False
    check_exact_size(game.n, "is_superadditive", MAX_STRUCTURE_PLAYERS)
    f = partition_values(game)
    return bool(np.all(f <= v + thr))


def is_convex(game: TUGame, tol: float = TOL) -> bool:
    """Supermodularity by the local condition on pairs of players, within ``tol·V``."""
    n, v = game.n, game.values
    thr = -tol * _game_scale(game)
    for j in range(n):
        for i in range(j):
            V = v.reshape(-1, 2, 1 << (j - 1 - i), 2, 1 << i)
            a, b = V[:, 1, :, 1, :], V[:, 0, :, 0, :]
            c, d = V[:, 1, :, 0, :], V[:, 0, :, 1, :]
            if ((a + b) - (c + d)).min() < thr:
                return False
    return True


def is_monotone(game: TUGame, tol: float = TOL) -> bool:
    """``v(S ∪ {i}) >= v(S) − tol·V`` for all S and i."""
    v = game.values
    thr = -tol * _game_scale(game)
    for i in range(game.n):
        V = v.reshape(-1, 2, 1 << i)
        if (V[:, 1, :] - V[:, 0, :]).min() < thr:
            return False
    return True


def is_essential(game: TUGame, tol: float = TOL) -> bool:
    """``v(N) > Σ_i v({i}) + tol·V``."""
    s = float(game.values[1 << np.arange(game.n)].sum())
    return bool(game.grand > s + tol * _game_scale(game))


def is_balanced(game: TUGame, tol: float = TOL) -> bool:
    """Non-empty core, by the Bondareva–Shapley LP (see :func:`core_is_empty`)."""
    from ._core import core_is_empty

    return not core_is_empty(game, tol=tol)
