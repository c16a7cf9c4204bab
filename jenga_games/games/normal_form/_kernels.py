"""Array kernels shared by the normal-form solvers: expected payoffs, regret, unit payoffs.

Kept apart from the class module (:mod:`._game`) and the dispatcher
(:mod:`._solve`) so that every solver and the certificate in
:mod:`._equilibrium` use one implementation of each formula.

Scale and shift
---------------
Nash equilibria do not change when a player's payoffs are multiplied by a
positive number or shifted by a constant. Every floating-point decision
(is an action a best response, is a vertex labelled, is a profile an
equilibrium) is therefore taken on the *unit payoffs*

.. math:: \\hat u_i = (u_i - \\min u_i) / (\\max u_i - \\min u_i) \\in [0, 1]

(``0`` for a player whose payoffs are all equal), with the one absolute
tolerance :data:`jenga_games.tolerance.TOL`: a payoff gap of player ``i`` counts
when it exceeds ``TOL * (max u_i - min u_i)``. Payoffs in pounds (1e9) or
in millionths, or shifted by 1e12, give the same equilibria. The subtraction
``u_i - min u_i`` is rounded once, so unit payoffs are accurate to about
1e-16 relative; a game whose payoff differences are below ``TOL`` of its
range is read as tied there (use ``exact=True`` to separate them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ...tolerance import TOL

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = [
    "SUPPORT_TOL",
    "action_values",
    "expected",
    "positive_payoffs",
    "regret",
    "support_mask",
    "unit_payoffs",
]

SUPPORT_TOL: float = TOL
"""An action is in the support of a mixed strategy when its probability exceeds this."""


def support_mask(s: np.ndarray) -> np.ndarray:
    """Actions played with positive probability (above :data:`SUPPORT_TOL`)."""
    return np.asarray(s) > SUPPORT_TOL


def action_values(U: np.ndarray, strategies: Sequence[np.ndarray], i: int) -> np.ndarray:
    """``u_i(a, σ_{-i})`` for every action ``a``: contract ``U`` (player ``i``'s
    payoff array) with every other player's strategy."""
    if U.ndim == 2:  # two players: one matrix-vector product
        return U @ strategies[1] if i == 0 else strategies[0] @ U
    out = U
    # contract from the last axis down so earlier axis numbers stay valid
    for j in range(len(strategies) - 1, -1, -1):
        if j == i:
            continue
        out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def expected(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Expected payoff ``u_i(σ)`` of every player (the multilinear form)."""
    if (
        payoffs.ndim == 3
    ):  # two players: (x^T U) y over the contiguous (m, 2n) view (einsum is slower)
        x, y = strategies
        m, n, k = payoffs.shape
        if payoffs.flags.c_contiguous:
            return y @ (x @ payoffs.reshape(m, n * k)).reshape(n, k)
        return np.array([x @ (payoffs[..., i] @ y) for i in range(k)])
    out = payoffs
    for j in range(len(strategies) - 1, -1, -1):
        out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def regret(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's regret ``max_a u_i(a, σ_{-i}) - u_i(σ)`` (non-negative).

    ``u_i(σ)`` is computed as ``σ_i · u_i(·, σ_{-i})`` from the same action
    values, so a pure profile's regret is exactly ``max - own`` in floating point.
    """
    n = len(strategies)
    r = np.empty(n)
    for i in range(n):
        vals = action_values(payoffs[..., i], strategies, i)
        r[i] = vals.max() - float(vals @ strategies[i])
    return np.maximum(r, 0.0)


def unit_payoffs(game: NormalFormGame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(unit, low, span)``: payoffs mapped to [0, 1] per player, and the map back.

    ``game.payoffs[..., i] == low[i] + span[i] * unit[..., i]`` (up to rounding);
    ``span[i]`` is 0 for a player indifferent everywhere (whose unit payoffs
    are all 0). Cached on the game.
    """
    cached = getattr(game, "_unit_cache", None)
    if cached is not None:
        return cached
    U = game.payoffs
    n = game.n_players
    # per player: a reduction over the short last axis is hundreds of times slower in numpy
    low = np.array([U[..., i].min() for i in range(n)])
    span = np.array([U[..., i].max() for i in range(n)]) - low
    if not np.all(np.isfinite(span)):
        from ...errors import InvalidGameError

        raise InvalidGameError(
            "the payoff range of a player overflows floating point (payoffs near ±1.8e308); "
            "rescale the payoffs (equilibria do not change when a player's payoffs are scaled)"
        )
    div = np.where(span > 0, span, 1.0)
    # player-major memory: each player's unit[..., i] is contiguous (the solvers read them whole)
    unit = np.moveaxis(np.empty((n, *U.shape[:-1])), 0, -1)
    for i in range(n):
        np.subtract(U[..., i], low[i], out=unit[..., i])
        unit[..., i] /= div[i]
    unit.setflags(write=False)
    out = (unit, low, span)
    game._unit_cache = out
    return out


def positive_payoffs(game: NormalFormGame) -> tuple[np.ndarray, np.ndarray]:
    """``(A', B'^T)``: the two-player unit payoffs shifted to [1, 2], contiguous (cached on the game).

    The matrices of the best-response polytopes and of the Lemke–Howson
    tableaux: ``A' = unit_A + 1`` (m x n) and ``B'^T = (unit_B + 1)^T`` (n x m).
    """
    cached = getattr(game, "_positive_cache", None)
    if cached is None:
        unit = unit_payoffs(game)[0]
        cached = (
            np.ascontiguousarray(unit[..., 0] + 1.0),
            np.ascontiguousarray((unit[..., 1] + 1.0).T),
        )
        game._positive_cache = cached
    return cached
