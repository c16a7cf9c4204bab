"""The games: normal-form, sequential (the Jenga game), repeated and cooperative.

Each kind lives in its own sub-package:

* :mod:`jenga_games.games.normal_form` — :class:`NormalFormGame` and its equilibria;
* :mod:`jenga_games.games.sequential` — :class:`JengaGame`, solved by backward induction;
* :mod:`jenga_games.games.repeated` — automata, exact discounted payoffs, critical δ;
* :mod:`jenga_games.games.cooperative` — :class:`TUGame`, Shapley value, core, nucleolus;
* :mod:`jenga_games.games.extensive` — :class:`ExtensiveGame`: chance, information sets,
  ``.efg`` files, sequence-form LP/LCP, CFR.

The most used names are re-exported here.
"""

from .cooperative import FunctionGame, TUGame, nucleolus, shapley
from .extensive import ExtensiveGame
from .normal_form import Equilibrium, NormalFormGame, SymbolicGame
from .repeated import (
    Automaton,
    Profile,
    critical_delta,
    discounted_payoffs,
    folk_region,
    is_subgame_perfect,
    prisoners_dilemma,
    tournament,
)
from .sequential import JengaGame

__all__ = [
    "Automaton",
    "Equilibrium",
    "ExtensiveGame",
    "FunctionGame",
    "JengaGame",
    "NormalFormGame",
    "Profile",
    "SymbolicGame",
    "TUGame",
    "critical_delta",
    "discounted_payoffs",
    "folk_region",
    "is_subgame_perfect",
    "nucleolus",
    "prisoners_dilemma",
    "shapley",
    "tournament",
]
