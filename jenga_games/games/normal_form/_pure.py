"""All pure Nash equilibria of an n-player game, vectorised over the payoff tensor.

A pure profile ``s`` is an equilibrium when every player's action is a best
response: ``u_i(s) >= max_a u_i(a, s_{-i})`` for all ``i``. With the payoff
tensor ``U`` of shape ``(a_1, ..., a_n, n)`` this is one ``max`` along axis
``i`` of ``U[..., i]`` per player and a logical AND over players: ``O(n ∏ a_i)``
work in numpy, no Python loop over profiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance
from ...tolerance import TOL
from ._equilibrium import EquilibriumSet, certify

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["pure_equilibria", "pure_equilibrium_mask"]


def pure_equilibrium_mask(game: NormalFormGame, tol: float = TOL, exact: bool = False) -> np.ndarray:
    """Boolean array of shape ``(a_1, ..., a_n)``: ``True`` at pure equilibria.

    In floating point a player's action counts as a best response when it is
    within ``tol`` (relative above 1) of the best; with ``exact=True`` the
    comparison is exact on the rational payoffs.
    """
    if exact:
        U = game.exact_payoffs
        mask = np.ones(game.shape, dtype=bool)
        for i in range(game.n_players):
            Ui = U[..., i]
            best = np.maximum.reduce(Ui, axis=i, keepdims=True)
            mask &= (Ui == best).astype(bool)
        return mask
    U = game.payoffs
    mask = np.ones(game.shape, dtype=bool)
    for i in range(game.n_players):
        Ui = U[..., i]
        best = Ui.max(axis=i, keepdims=True)
        mask &= Ui >= best - tol * np.maximum(1.0, np.abs(best))
    return mask


def pure_equilibria(game: NormalFormGame, tol: float = TOL, exact: bool = False) -> EquilibriumSet:
    """Every pure Nash equilibrium of ``game`` (any number of players).

    Parameters
    ----------
    game : NormalFormGame
    tol : float
        Tolerance of the best-response comparison (ignored when ``exact``).
    exact : bool
        Compare the rational payoffs exactly.

    Returns
    -------
    EquilibriumSet
        Complete: it lists every pure equilibrium, in lexicographic order of
        the action indices (player 1 slowest).

    Notes
    -----
    Nash equilibrium [Nash1951]_ restricted to pure strategies; the
    vectorised test is the tensor form of the "underline the best responses"
    method of textbooks such as [Osborne2004]_.
    """
    mask = pure_equilibrium_mask(game, tol=tol, exact=exact)
    prov = Provenance("pure", {"tol": tol}, exact=exact)
    eqs = []
    for idx in np.argwhere(mask):
        strategies = []
        ex = []
        for i, k in enumerate(idx):
            v = np.zeros(game.shape[i])
            v[k] = 1.0
            strategies.append(v)
            ex.append([int(j == k) for j in range(game.shape[i])])
        eqs.append(certify(game, strategies, "pure", prov, tol=tol, exact=ex if exact else None))
    return EquilibriumSet(tuple(eqs), "pure", complete=True, degenerate=None, provenance=prov)
