"""jenga_games: a game-theoretic modelling toolkit for health-care commissioning.

A local health economy is a *tower* of services with dependencies between
them. Commissioners take blocks out one at a time; played myopically or
competitively the tower falls, played cooperatively it need not.

Sub-packages (imported on first use):

* :mod:`jenga_games.tower` — services, support rules, providers, cascades, thresholds;
* :mod:`jenga_games.games` — normal-form, sequential (Jenga), repeated, cooperative games;
* :mod:`jenga_games.commissioning` — the essays' arguments as runnable models;
* :mod:`jenga_games.dynamics` — capability, trust, reorganisation and transitions in time;
* :mod:`jenga_games.uncertainty` — distributions, PSA, sensitivity and the value of information;
* :mod:`jenga_games.plot`, :mod:`jenga_games.sweep`, :mod:`jenga_games.exercises`,
  :mod:`jenga_games.testing`, :mod:`jenga_games.papers`.

>>> import jenga_games as jg
>>> tower = jg.Tower([jg.Service("ground"), jg.Service("top")], [("ground", "top")])
>>> tower.cascade({"ground"}).fell
('top',)
"""

from __future__ import annotations

import importlib

from ._version import __version__
from .errors import JengaError, JengaWarning

#: Top-level names imported on first use (so ``jenga --version`` need not load numpy).
_LAZY = {
    "TOL": "tolerance",
    **dict.fromkeys(
        ("AllOf", "AnyOf", "AtLeast", "Outcome", "Provider", "Service", "Tower"), "tower"
    ),
}

__all__ = [
    "TOL",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "JengaError",
    "JengaWarning",
    "Outcome",
    "Provider",
    "Service",
    "Tower",
    "__version__",
]

_SUBPACKAGES = {
    "tower",
    "games",
    "commissioning",
    "dynamics",
    "uncertainty",
    "plot",
    "sweep",
    "exercises",
    "testing",
    "papers",
    "errors",
    "tolerance",
}

#: Names that moved, with where to find them now.
_MOVED = {
    "NormalFormGame": "jenga_games.games.NormalFormGame",
    "TUGame": "jenga_games.games.TUGame",
    "JengaGame": "jenga_games.games.JengaGame",
    "sweep_grid": "jenga_games.sweep.sweep",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _MOVED:
        raise AttributeError(f"jenga_games has no attribute {name!r}; use {_MOVED[name]}")
    raise AttributeError(f"module 'jenga_games' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(__all__) | _SUBPACKAGES)
