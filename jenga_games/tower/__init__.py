"""The tower: services, support rules, provider viability and cascades (DESIGN §1).

Edge ``u -> v`` means *u supports v*. See :mod:`jenga_games.tower.model` for
the semantics and :mod:`jenga_games.tower.rules` for support rules.
"""

from .model import Provider, Service, Tower
from .outcome import Outcome, Step
from .rules import AllOf, And, AnyOf, AtLeast, Or, Rule
from .validate import TowerReport

__all__ = [
    "AllOf", "And", "AnyOf", "AtLeast", "Or", "Outcome", "Provider", "Rule", "Service", "Step",
    "Tower", "TowerReport",
]
