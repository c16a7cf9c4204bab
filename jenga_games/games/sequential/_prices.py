"""Prices of anarchy and stability of the Jenga game.

Welfare is measured as ``welfare="commissioners"`` (the sum of the players'
payoffs, the default) or ``welfare="system"`` (that sum less the providers'
contribution lost, :mod:`._welfare`). With ``W*`` the cooperative optimum *on
the same measure* (:func:`~._backward.solve_cooperative`) and ``W_e`` the
welfare of the subgame-perfect equilibrium selected by each tie-breaking rule,

.. math::

   \\mathrm{PoA} = W^* / \\min_e W_e, \\qquad \\mathrm{PoS} = W^* / \\max_e W_e

[Koutsoupias1999]_ [Anshelevich2008]_. The equilibria compared are those the
four tie-breaking rules select, not every subgame-perfect equilibrium: with
ties in payoffs other equilibria may exist, so the reported PoA is a lower
bound and the PoS an upper bound on the exact ones (they are exact when no
player is ever indifferent). ``myopic_ratio = W* / W_myopic``.

A ratio is a price only when every welfare compared is positive
[Roughgarden2005]_. The system welfare is often zero or negative (a toppled
tower destroys more than the moves gained), so for ``welfare="system"`` the
ratios are ``nan`` unless all the welfares are positive, and the report is the
differences ``anarchy_loss = W* − min_e W_e``, ``stability_loss = W* −
max_e W_e`` and ``myopic_loss = W* − W_myopic`` (£ m a year), which are always
defined and ``≥ 0``.
"""

from __future__ import annotations

import math

from ..._results import Provenance
from ._backward import TIE_BREAKS, solve_cooperative, solve_spe
from ._myopic import play_myopic
from ._results import JengaPrices
from ._welfare import check_welfare

__all__ = ["prices"]


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.inf if num > 0 else math.nan


def prices(game, max_states: int = 20_000_000, welfare: str = "commissioners") -> JengaPrices:
    """Price of anarchy, of stability, and the cooperative-to-myopic ratio (module docstring)."""
    check_welfare(welfare)
    coop = solve_cooperative(game, max_states=max_states, welfare=welfare).welfare(welfare)
    eq = {
        tb: solve_spe(game, tie_break=tb, max_states=max_states).welfare(welfare)
        for tb in TIE_BREAKS
    }
    my = play_myopic(game).welfare(welfare)
    worst, best = min(eq.values()), max(eq.values())
    ratio = _ratio
    if welfare == "system" and min(coop, worst, my) <= 0:

        def ratio(num, den):
            return math.nan

    params = {
        "tie_breaks": list(TIE_BREAKS),
        "must_move": game.must_move,
        "discount": game.discount,
    }
    if welfare != "commissioners":
        params["welfare"] = welfare
    return JengaPrices(
        cooperative=coop,
        equilibria=eq,
        myopic=my,
        price_of_anarchy=ratio(coop, worst),
        price_of_stability=ratio(coop, best),
        myopic_ratio=ratio(coop, my),
        anarchy_loss=coop - worst,
        myopic_loss=coop - my,
        provenance=Provenance("jenga_prices", params),
        stability_loss=coop - best,
        welfare=welfare,
    )
