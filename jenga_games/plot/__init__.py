"""Figures (matplotlib) in one house style: see :mod:`jenga_games.plot.style`."""

from .style import PALETTE, figure, save

__all__ = ["PALETTE", "figure", "save"]
