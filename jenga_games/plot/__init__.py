"""Figures (matplotlib) in one house style: see :mod:`jenga_games.plot.style`.

Topic modules: :mod:`~jenga_games.plot.tower` (the tower as rows of blocks, the
dependency graph, a cascade round by round), :mod:`~jenga_games.plot.thresholds`
(collapse curves), :mod:`~jenga_games.plot.sequential` (the Jenga game),
:mod:`~jenga_games.plot.repeated` (folk regions, tournaments, trust),
:mod:`~jenga_games.plot.cooperative` (cores on the simplex, voting power) and
:mod:`~jenga_games.plot.commissioning` (one figure per commissioning model).
"""

from .style import PALETTE, figure, save, style, styled
from .thresholds import collapse_curve
from .tower import draw_cascade, draw_dependencies, draw_tower

__all__ = [
    "PALETTE",
    "collapse_curve",
    "draw_cascade",
    "draw_dependencies",
    "draw_tower",
    "figure",
    "save",
    "style",
    "styled",
]
