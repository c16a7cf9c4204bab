"""Moved: :mod:`jenga_games.tower.engine` (``_compiled``: the money rule, ``_state``: the cascade).

A thin re-export while modules still being edited in the shared tree import
the old path; it goes once nothing imports it. The names are looked up on
first use (PEP 562), so importing this module never starts a circular import
of the engine package.
"""

_NAMES = ("CascadeState", "CompiledTower", "gather", "unique_nodes", "unviable")
__all__: list[str] = []  # nothing new should import from here


def __getattr__(name: str) -> object:
    if name == "CascadeState":
        from .engine._state import CascadeState

        return CascadeState
    if name in _NAMES:
        from .engine import _compiled

        return getattr(_compiled, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
