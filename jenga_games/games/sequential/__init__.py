"""The Jenga game: commissioners take turns removing blocks from a tower (DESIGN §3).

* :class:`JengaGame` — the game (players, eligibility, gains, collapse costs,
  must move or may pass, turn order, discounting);
* ``game.solve()`` — subgame-perfect equilibrium by backward induction over
  removal sets; ``game.myopic()``; ``game.cooperative()``; ``game.prices()``;
  ``game.sample()``; ``game.to_efg()``;
* :func:`toppler_table` — who topples classic Jenga in equilibrium as the levels vary;
* :class:`ProviderGame` — providers who act too (restructure, close, accept or refuse
  transitional funding), solved exactly;
* :class:`TransitionGame` — the two-tower transition played competitively.
"""

from ._backward import TIE_BREAKS
from ._game import JengaGame
from ._myopic import move_consequence, myopic_action
from ._policy import Policy
from ._providers import ProviderGame, ProviderMoves, ProviderPlay
from ._results import JengaPlay, JengaPrices, Move, SampledPlay
from ._table import markdown_table, toppler_table
from ._transition import TransitionGame, TransitionPlay

__all__ = [
    "TIE_BREAKS",
    "JengaGame",
    "JengaPlay",
    "JengaPrices",
    "Move",
    "Policy",
    "ProviderGame",
    "ProviderMoves",
    "ProviderPlay",
    "SampledPlay",
    "TransitionGame",
    "TransitionPlay",
    "markdown_table",
    "move_consequence",
    "myopic_action",
    "toppler_table",
]
