"""Optimal coalition structure by dynamic programming in O(3^n).

``f(S) = max over partitions {T_1..T_k} of S of Σ_j v(T_j)`` [Yeh1986]_.
Splitting off the block that contains the highest member ``h`` of ``S``::

    f({h} ∪ S') = max_{T' ⊆ S'} v({h} ∪ T') + f(S' ∖ T'),   S' ⊆ {0..h−1},

so the sets whose highest member is h depend only on sets below ``2^h``.
For each h the ``3^h`` pairs ``(T', S'∖T')`` are enumerated in chunks (the low
bits vectorised, the high bits in a loop) and reduced per ``S'`` with
``np.maximum.reduceat``. A game is superadditive iff ``f = v`` on every coalition.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..._results import Provenance
from ._bits import check_exact_size, submasks
from ._game import TUGame
from ._results import CoalitionStructure

__all__ = ["MAX_STRUCTURE_PLAYERS", "optimal_coalition_structure", "partition_values"]

#: O(3^n) work: 3^20 ≈ 3.5e9 pair updates is the practical limit.
MAX_STRUCTURE_PLAYERS = 20
_LOW = 10


@lru_cache(maxsize=16)
def _ternary(bits: tuple[int, ...]):
    """All (T, R) disjoint pairs over the given bit positions, sorted by T|R, with group starts."""
    T = np.zeros(1, dtype=np.int64)
    R = np.zeros(1, dtype=np.int64)
    for b in bits:
        bb = np.int64(1) << b
        T, R = np.concatenate([T, T | bb, T]), np.concatenate([R, R, R | bb])
    S = T | R
    order = np.argsort(S, kind="stable")
    T, R, S = T[order], R[order], S[order]
    uniq, starts = np.unique(S, return_index=True)
    return T, R, uniq, starts


def partition_values(game: TUGame) -> np.ndarray:
    """``f(S)``: the best total value of a partition of ``S``, for all ``2^n`` coalitions."""
    n, v = game.n, game.values
    f = np.zeros(2**n)
    for h in range(n):
        top = 1 << h
        low = min(h, _LOW)
        lT, lR, lS, starts = _ternary(tuple(range(low)))
        hiT, hiR = _ternary(tuple(range(low, h)))[:2]
        best = np.full(top, -np.inf)
        for tH, rH in zip(hiT.tolist(), hiR.tolist()):
            vals = v[top | tH | lT] + f[rH | lR]
            red = np.maximum.reduceat(vals, starts)
            tgt = (tH | rH) | lS
            best[tgt] = np.maximum(best[tgt], red)
        f[top : 2 * top] = best
    return f


def optimal_coalition_structure(game: TUGame) -> CoalitionStructure:
    """The partition of the players with the largest ``Σ v(block)``, in O(3^n) [Yeh1986]_.

    E.g. the best grouping of practices into commissioning groups when each
    group's value is ``v``. Ties are broken towards larger blocks (the grand
    coalition when it is optimal).
    """
    check_exact_size(game.n, "optimal_coalition_structure", MAX_STRUCTURE_PLAYERS)
    f = partition_values(game)
    v = game.values
    blocks = []
    S = game.full_mask
    scale = 1e-12 * max(1.0, float(np.abs(v).max()))
    while S:
        h = S.bit_length() - 1
        rest = S ^ (1 << h)
        T = submasks(rest)[::-1]  # larger blocks first
        cand = v[(1 << h) | T] + f[rest ^ T]
        j = int(np.flatnonzero(cand >= f[S] - scale)[0])
        blk = (1 << h) | int(T[j])
        blocks.append(game.coalition(blk))
        S ^= blk
    blocks.sort(key=lambda b: [game.players.index(p) for p in b])
    return CoalitionStructure(
        tuple(blocks), float(f[-1]), game.grand, Provenance("coalition_structure_dp", {"n": game.n})
    )
