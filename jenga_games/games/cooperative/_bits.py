"""Bitmask helpers for coalitions.

Coalition ``S`` is the integer whose bit ``i`` is set when player ``i`` is in
``S`` (player 0 is the least significant bit). Arrays indexed by coalitions
have length ``2**n`` and entry ``S`` belongs to coalition ``S``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from ...errors import TooLargeError

__all__ = [
    "MAX_EXACT_PLAYERS",
    "bipartitions",
    "check_exact_size",
    "members",
    "popcount",
    "submasks",
    "subset_sums",
]

#: Largest n for which a game is stored as a 2^n array (2^26 floats = 512 MiB).
MAX_EXACT_PLAYERS = 26


def check_exact_size(n: int, what: str, limit: int = MAX_EXACT_PLAYERS) -> None:
    """Raise :class:`TooLargeError` when ``n`` players exceed ``limit`` for ``what``."""
    if n > limit:
        gib = (2.0**n) * 8 / 2**30
        raise TooLargeError(
            f"{what} with n={n} players needs all 2^{n} coalition values "
            f"({gib:,.1f} GiB as float64); the exact limit is n <= {limit}. For large n use "
            "shapley_sampled(FunctionGame(n, value), samples=...) for the Shapley value, "
            "or weighted_voting_indices(weights, quota) for weighted voting games."
        )


@lru_cache(maxsize=8)
def _popcount_cached(n: int) -> np.ndarray:
    pc = np.arange(2**n, dtype=np.uint32)
    out = np.bitwise_count(pc).astype(np.int8)
    out.setflags(write=False)
    return out


def popcount(n: int) -> np.ndarray:
    """Sizes ``|S|`` of all ``2**n`` coalitions (read-only int8 array, cached)."""
    return _popcount_cached(n)


def subset_sums(x: np.ndarray) -> np.ndarray:
    """``x(S) = sum_{i in S} x_i`` for all ``2**n`` coalitions, in O(2^n).

    ``x`` may be of shape ``(n,)`` or ``(n, k)`` (then the result is ``(2**n, k)``).
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    out = np.empty((2**n, *x.shape[1:]))
    out[0] = 0.0
    for i in range(n):
        half = 1 << i
        np.add(out[:half], x[i], out=out[half : 2 * half])  # no temporary
    return out


def submasks(mask: int) -> np.ndarray:
    """All submasks of ``mask`` (as int64), in increasing order."""
    out = np.zeros(1, dtype=np.int64)
    bit = 0
    m = int(mask)
    while m:
        if m & 1:
            out = np.concatenate([out, out + (1 << bit)])
        m >>= 1
        bit += 1
    return out


def bipartitions(S: int) -> Iterator[int]:
    """One side ``A`` of each split of bitmask ``S`` into two non-empty parts ``A``, ``S & ~A``.

    ``A`` is the side holding ``S``'s lowest bit, so each split is yielded once.
    """
    low = S & -S
    rest = S & ~low
    sub = rest
    while True:
        if (sub | low) != S:
            yield sub | low
        if sub == 0:
            break
        sub = (sub - 1) & rest


def members(mask: int) -> tuple[int, ...]:
    """The players (indices) in coalition ``mask``."""
    out = []
    i = 0
    m = int(mask)
    while m:
        if m & 1:
            out.append(i)
        m >>= 1
        i += 1
    return tuple(out)
