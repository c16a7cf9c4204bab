"""Prices of anarchy and stability of the Jenga game.

Welfare is the sum of the players' payoffs. With ``W*`` the cooperative
optimum (:func:`~._backward.solve_cooperative`) and ``W_e`` the welfare of the
subgame-perfect equilibrium selected by each tie-breaking rule,

.. math::

   \\mathrm{PoA} = W^* / \\min_e W_e, \\qquad \\mathrm{PoS} = W^* / \\max_e W_e

[Koutsoupias1999]_ [Anshelevich2008]_. The equilibria compared are those the
four tie-breaking rules select, not every subgame-perfect equilibrium: with
ties in payoffs other equilibria may exist, so the reported PoA is a lower
bound and the PoS an upper bound on the exact ones (they are exact when no
player is ever indifferent). ``myopic_ratio = W* / W_myopic``.
"""

from __future__ import annotations

import math

from ..._results import Provenance
from ._backward import TIE_BREAKS, solve_cooperative, solve_spe
from ._myopic import play_myopic
from ._results import JengaPrices

__all__ = ["prices"]


def _ratio(num: float, den: float) -> float:
    if den > 0:
        return num / den
    return math.inf if num > 0 else math.nan


def prices(game, max_states: int = 10_000_000) -> JengaPrices:
    """Price of anarchy, of stability, and the cooperative-to-myopic ratio (module docstring)."""
    coop = solve_cooperative(game, max_states=max_states).total
    eq = {tb: solve_spe(game, tie_break=tb, max_states=max_states).total for tb in TIE_BREAKS}
    my = play_myopic(game).total
    worst, best = min(eq.values()), max(eq.values())
    return JengaPrices(
        cooperative=coop,
        equilibria=eq,
        myopic=my,
        price_of_anarchy=_ratio(coop, worst),
        price_of_stability=_ratio(coop, best),
        myopic_ratio=_ratio(coop, my),
        anarchy_loss=coop - worst,
        myopic_loss=coop - my,
        provenance=Provenance(
            "jenga_prices",
            {
                "tie_breaks": list(TIE_BREAKS),
                "must_move": game.must_move,
                "discount": game.discount,
            },
        ),
    )
