"""All pure Nash equilibria of an n-player game, vectorised over the payoff tensor.

A pure profile ``s`` is an equilibrium when every player's action is a best
response: ``u_i(s) >= max_a u_i(a, s_{-i})`` for all ``i``. With the payoff
tensor ``U`` of shape ``(a_1, ..., a_n, n)``, player 1's best responses come
from one ``max`` along axis 0 of ``U[..., 0]`` (``O(∏ a_i)`` work in numpy);
only the surviving profiles (about ``1/a_1`` of them) are then tested for
player 2 by gathering their ``a_2`` deviations, and so on, so the later
players cost less and less. No Python loop over profiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance
from ...tolerance import TOL
from ._equilibrium import EquilibriumSet, certify
from ._kernels import unit_payoffs

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["pure_equilibria", "pure_equilibrium_mask"]


def pure_equilibrium_mask(
    game: NormalFormGame, tol: float = TOL, exact: bool = False
) -> np.ndarray:
    """Boolean array of shape ``(a_1, ..., a_n)``: ``True`` at pure equilibria.

    In floating point a player's action counts as a best response when it is
    within ``tol`` times the player's payoff range of the best (decided on the
    unit payoffs of :mod:`._kernels`, as the certificate decides); with ``exact=True`` the
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
    U = unit_payoffs(game)[0]
    shape, n = game.shape, game.n_players
    # player 0 densely: its best responses to every profile of the others
    U0 = np.ascontiguousarray(U[..., 0])
    cand = np.flatnonzero(U0.max(axis=0, keepdims=True) - U0 <= tol)
    # the other players only at the surviving profiles (about 1/a_0 of them, and shrinking)
    flat = U.reshape(-1)
    strides = [int(np.prod(shape[i + 1 :], dtype=np.int64)) for i in range(n)]
    for i in range(1, n):
        if cand.size == 0:
            break
        st, a = strides[i], shape[i]
        own = (cand // st) % a
        base = cand - own * st
        vals = flat[(base[:, None] + np.arange(a) * st) * n + i]  # (candidates, a_i)
        keep = vals.max(axis=1) - vals[np.arange(cand.size), own] <= tol
        cand = cand[keep]
    mask = np.zeros(shape, dtype=bool)
    mask.reshape(-1)[cand] = True
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
