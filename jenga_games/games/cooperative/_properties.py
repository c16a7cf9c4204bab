"""Yes/no properties of TU games, decided with the documented tolerance.

Each test reads ``a >= b`` as ``a >= b − tol·V`` with ``V = max_S |v(S)|``
the game's scale (1 for the zero game; the rule of :func:`core_contains`):
the tolerance of :mod:`jenga_games.tolerance` taken relative to the game, so
a game and the same game ×1e8 or ×1e-8 (pounds or millions of pounds) get
the same answer, a float game that is convex on paper is not rejected over
a rounding of 1e-16·V, and a real violation of 1e-6·V is.

- superadditive: ``v(S ∪ T) >= v(S) + v(T)`` for disjoint S, T: every pair,
  O(3^n), smallest unions first, so a failing pair among few players ends the
  check at once (the pairs within the first six players in one vectorised
  test, then ``S ∪ {i}``, then the pairs whose union has highest member h for
  h = 6, 7, ...);
- convex (supermodular) [Shapley1971]_: ``v(S∪{i,j}) − v(S∪{i}) − v(S∪{j}) + v(S) >= 0``
  for all S and ``i ≠ j ∉ S`` (equivalent to the global condition), O(n² 2^n);
- monotone: ``v(S ∪ {i}) >= v(S)``;
- essential: ``v(N) > Σ_i v({i})``;
- balanced: non-empty core (:func:`core_is_empty`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...tolerance import TOL
from ._bits import check_exact_size
from ._core import _game_scale
from ._game import TUGame
from ._structure import MAX_STRUCTURE_PLAYERS, _ternary

__all__ = ["is_balanced", "is_convex", "is_essential", "is_monotone", "is_superadditive"]


_FIRST = 6  # players of the first, one-shot block of pairs (3^6 / 2 pairs)
_LOW = 10  # pairs over the low bits vectorised, the higher bits in a loop (3^10 per chunk)


@lru_cache(maxsize=32)
def _pairs(h: int, low: int):
    """Disjoint pairs ``(A, B)`` with ``A ∪ B ⊆ {0..h}``, ``h ∈ A``, over bits ``low..h−1`` fixed
    to each of their ``3^(h−low)`` patterns: ``(A, B, A ∪ B)`` for bits below ``low`` (int64,
    read-only) and the list of high patterns ``(a, b)`` to OR in."""
    T, R = _ternary(tuple(range(low)))[:2]
    hiT, hiR = _ternary(tuple(range(low, h)))[:2]
    A, S = T | (1 << h), T | R | (1 << h)
    for a in (A, R, S):
        a.flags.writeable = False
    return A, R, S, list(zip(hiT.tolist(), hiR.tolist()))


_SIGNS = np.array([1.0, -1.0, -1.0])


@lru_cache(maxsize=8)
def _first_pairs(k: int) -> np.ndarray:
    """All disjoint pairs ``(A, B)``, ``B ≠ ∅``, with ``A ∪ B ⊆ {0..k−1}`` and ``A`` holding the
    highest member of ``A ∪ B`` (each unordered pair once): a read-only (3, pairs) array of
    ``A ∪ B``, ``A``, ``B``, so that ``[1, −1, −1] @ v[idx]`` is every ``v(A ∪ B) − v(A) − v(B)``
    in one gather and one product."""
    parts = [_pairs(h, h)[:3] for h in range(1, k)]
    A, B, S = (np.concatenate([p[j] for p in parts]) for j in range(3))
    keep = B != 0
    out = np.stack([S[keep], A[keep], B[keep]])
    out.flags.writeable = False
    return out


def is_superadditive(game: TUGame, tol: float = TOL) -> bool:
    """``v(S ∪ T) >= v(S) + v(T) − tol·V`` for all disjoint S, T (``V``: the game's scale).

    Every pair is checked (O(3^n)), the pairs among the first players first, so a game
    that fails on small coalitions is rejected after a few vectorised operations.
    """
    n, v = game.n, game.values
    thr = tol * _game_scale(game)
    if n < 2:
        return True
    k = min(n, _FIRST)
    if _fails_at(_SIGNS @ v[_first_pairs(k)], -thr):
        return False
    for i in range(k, n):  # O(n 2^n), usually decides: v(S ∪ {i}) >= v(S) + v({i})
        V = v.reshape(-1, 2, 1 << i)
        if _fails_at(V[:, 1, :] - V[:, 0, :], v[1 << i] - thr):
            return False
    check_exact_size(n, "is_superadditive", MAX_STRUCTURE_PLAYERS)
    for h in range(k, n):  # the pairs whose union has highest member h (h in A)
        A, B, S, high = _pairs(h, min(h, _LOW))
        for a, b in high:
            if _fails(v, a, b, A, B, S, thr):
                return False
    return True


def _fails_at(d: np.ndarray, floor: float) -> bool:
    """``min(d) < floor`` (``argmin`` costs a third of ``min`` on small arrays)."""
    return bool(d.flat[d.argmin()] < floor)


def _fails(v, a: int, b: int, A, B, S, thr: float) -> bool:
    """Some pair ``(A + a, B + b)`` has ``v(A ∪ B) < v(A) + v(B) − thr``; the high bits ``a``,
    ``b`` (disjoint from ``A``, ``B``) are added by offsetting ``v``, not by an OR per pair."""
    d = v[a | b :][S]
    d -= v[a:][A]
    d -= v[b:][B]
    return _fails_at(d, -thr)


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
