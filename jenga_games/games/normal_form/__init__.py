"""Normal-form games: n players, labelled actions, equilibria exact and in floating point.

See ``docs/games/normal_form.md``. The game is :class:`NormalFormGame`; every
solver is a small private module and a function re-exported here.
"""

from ._game import NormalFormGame, StrategyProfile

__all__ = ["NormalFormGame", "StrategyProfile"]
