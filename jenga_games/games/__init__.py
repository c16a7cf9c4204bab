"""The games: normal-form, sequential (the Jenga game), repeated and cooperative.

Each kind lives in its own sub-package:

* :mod:`jenga_games.games.normal_form` — :class:`NormalFormGame` and its equilibria;
* :mod:`jenga_games.games.sequential` — :class:`JengaGame`, solved by backward induction;
* :mod:`jenga_games.games.repeated` — automata, exact discounted payoffs, critical δ;
* :mod:`jenga_games.games.cooperative` — :class:`TUGame`, Shapley value, core, nucleolus.

The most used classes are re-exported here.
"""

from .cooperative import TUGame
from .normal_form import Equilibrium, NormalFormGame
from .repeated import Automaton, Profile

__all__ = ["Automaton", "Equilibrium", "NormalFormGame", "Profile", "TUGame"]
