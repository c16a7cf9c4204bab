"""Moved: :mod:`jenga_games.tower.engine` (``_compiled``: the money rule, ``_state``: the cascade).

A thin re-export while modules still being edited in the shared tree import
the old path; it goes once nothing imports it.
"""

from .engine._compiled import CompiledTower, gather, unique_nodes, unviable
from .engine._state import CascadeState

__all__ = ["CascadeState", "CompiledTower", "gather", "unique_nodes", "unviable"]
