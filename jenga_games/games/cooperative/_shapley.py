"""Exact Shapley and Banzhaf values, vectorised over the ``2**n`` array.

Shapley value [Shapley1953]_::

    φ_i = Σ_{S ⊆ N\\{i}} w(|S|) (v(S ∪ {i}) − v(S)),   w(s) = s! (n−1−s)! / n!.

Collecting the terms of each coalition, ``φ_i = Σ_{S ∋ i} c(S) − B`` with
``c(S) = v(S) (w(|S|−1) + w(|S|))`` (a missing weight counts 0) and
``B = Σ_{|S| < n} w(|S|) v(S)``. One weighted array and ``n`` strided sums
over half of it: O(n 2^n) additions and no per-player temporaries.

Banzhaf value [Banzhaf1965]_::

    β_i = 2^{1−n} Σ_{S ⊆ N\\{i}} (v(S ∪ {i}) − v(S)) = 2^{1−n} (2 Σ_{S ∋ i} v(S) − Σ_S v(S)).
"""

from __future__ import annotations

import math

import numpy as np

from ..._results import Provenance
from ...errors import InvalidGameError
from ._bits import popcount
from ._game import TUGame
from ._results import Allocation

__all__ = ["banzhaf", "shapley", "shapley_weights"]


def shapley_weights(n: int) -> np.ndarray:
    """``w(s) = s!(n−1−s)!/n! = 1 / (n C(n−1, s))`` for ``s = 0..n−1``."""
    return np.array([1.0 / (n * math.comb(n - 1, s)) for s in range(n)])


def _member_sums(c: np.ndarray, n: int) -> np.ndarray:
    """``Σ_{S ∋ i} c(S)`` for every player i."""
    out = np.empty(n)
    for i in range(n):
        out[i] = c.reshape(-1, 2, 1 << i)[:, 1, :].sum()
    return out


def _shapley_kernel(v: np.ndarray, n: int) -> np.ndarray:
    w = shapley_weights(n)
    w_in = np.concatenate([[0.0], w])  # w(|S|-1), indexed by |S|
    w_out = np.concatenate([w, [0.0]])  # w(|S|), indexed by |S|
    pc = popcount(n)
    b = v * w_out[pc]
    c = v * w_in[pc]
    c += b
    return _member_sums(c, n) - b.sum()


def shapley(game: TUGame) -> Allocation:
    """Exact Shapley value of a TU game.

    ``φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S))`` [Shapley1953]_,
    computed in O(n 2^n) by the rearrangement in the module docstring.

    Returns
    -------
    Allocation
        Efficient (``Σ φ_i = v(N)``), symmetric, null-player and additive.
    """
    if not isinstance(game, TUGame):
        raise InvalidGameError(
            f"shapley needs a TUGame, not {type(game).__name__}; "
            "for a FunctionGame use shapley_sampled"
        )
    phi = _shapley_kernel(game.values, game.n)
    return Allocation(phi, game.players, "shapley", Provenance("shapley_exact", {"n": game.n}))


def banzhaf(game: TUGame, normalized: bool = False) -> Allocation:
    """Banzhaf value ``β_i = 2^{1−n} Σ_{S ⊆ N∖{i}} (v(S∪{i}) − v(S))`` [Banzhaf1965]_.

    With ``normalized=True`` the values are rescaled to sum to ``v(N)``
    (raises when ``Σ β_i = 0``).
    """
    if not isinstance(game, TUGame):
        raise InvalidGameError(f"banzhaf needs a TUGame, not {type(game).__name__}")
    n, v = game.n, game.values
    beta = (2.0 * _member_sums(v, n) - v.sum()) / 2.0 ** (n - 1)
    if normalized:
        tot = beta.sum()
        if abs(tot) <= 1e-300:
            raise InvalidGameError(
                "the Banzhaf values sum to 0, so they cannot be normalised; use normalized=False"
            )
        beta = beta * (game.grand / tot)
    return Allocation(
        beta,
        game.players,
        "banzhaf_normalized" if normalized else "banzhaf",
        Provenance("banzhaf_exact", {"n": n, "normalized": normalized}),
    )
