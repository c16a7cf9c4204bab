"""jenga_games: a game-theoretic modelling toolkit for health-care commissioning.

A local health economy is a *tower* of services with dependencies between
them (:mod:`jenga_games.tower`). Commissioners take blocks out one at a time;
played myopically or competitively the tower falls, played cooperatively it
need not. The games live in :mod:`jenga_games.games`, the commissioning
models in :mod:`jenga_games.commissioning`.
"""

from ._version import __version__
from .errors import JengaError, JengaWarning
from .tolerance import TOL

__all__ = ["TOL", "JengaError", "JengaWarning", "__version__"]
