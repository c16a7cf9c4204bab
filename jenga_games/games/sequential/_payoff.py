"""The Jenga payoff rule, written once (DESIGN §3).

When player ``p`` removes block ``b`` at turn ``t``, every player ``q`` is paid,
discounted by ``δ^t``,

.. math::

   δ^t \\left( [q = p]\\, g_{pb} \\;-\\; [\\text{falls}]\\,\\big([q = p]\\, C_p + K_q\\big) \\right)

where ``g`` is the gain (``gain_matrix``), ``C`` the collapse cost of the
toppler (``collapse_costs``), ``K`` the shared collapse cost
(``shared_costs``) and "falls" follows the game's ``fall_criterion``; a pass
pays nothing [Kuhn1953]_. The backward-induction solver, the replay of a
policy, the policy's values, myopic play and the ``.efg`` writer all add a
move's payoff through :func:`add_move_payoff`, so a change to the rule is made
here only. The order of the floating-point operations is part of the rule
(answers are reproduced bit for bit): the gain is added first, then the
toppler's cost, then the shared cost.
"""

from __future__ import annotations

import numpy as np

__all__ = ["add_move_payoff", "move_payoff", "turn_weight"]


def turn_weight(game, t: int) -> float:
    """``δ^t``: what a payoff at turn ``t`` counts."""
    return game.discount**t


def add_move_payoff(pay: np.ndarray, game, p: int, b: int, falls, weight: float = 1.0):
    """Add ``weight`` times the payoff of ``p`` removing ``b`` to ``pay`` (in place) and return it.

    Parameters
    ----------
    pay : ndarray
        ``(m,)`` for one state, or ``(m, B)`` for a batch of states.
    game : JengaGame
    p, b : int
        Mover and block (indices).
    falls : bool or ndarray of bool
        Whether the removal makes the tower fall (``(B,)`` for a batch).
    weight : float
        Usually ``δ^t`` (:func:`turn_weight`); ``1`` for payoffs counted from the mover's turn.
    """
    G, C, K = game.gain_matrix, game.collapse_costs, game.shared_costs
    pay[p] += weight * G[p, b]
    if np.ndim(falls) == 0:
        if falls:
            pay[p] -= weight * C[p]
            pay -= weight * K
        return pay
    fall = np.asarray(falls, dtype=bool)
    if fall.any():
        pay[p] -= weight * C[p] * fall
        pay -= (weight * K)[:, None] * fall[None, :]
    return pay


def move_payoff(game, p: int, b: int, falls: bool) -> np.ndarray:
    """The undiscounted payoff vector ``(m,)`` of ``p`` removing ``b`` (module docstring)."""
    return add_move_payoff(np.zeros(game.n_players), game, p, b, falls)
