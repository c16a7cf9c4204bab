"""Moved to :mod:`jenga_games.tower.engine` (kept while ``_weakest.py`` still imports it from here)."""

from ..engine import BatchCascade, ScalarCascade, settled_state

__all__ = ["BatchCascade", "ScalarCascade", "settled_state"]
