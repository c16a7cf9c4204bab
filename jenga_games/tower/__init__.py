"""The tower: services, support rules, provider viability and cascades (DESIGN §1).

Edge ``u -> v`` means *u supports v*. See :mod:`jenga_games.tower.model` for
the semantics, :mod:`jenga_games.tower.rules` for support rules,
:mod:`jenga_games.tower.library` for built-in towers (the children's game,
random towers, the worked health economy), :mod:`jenga_games.tower.files` for
files (JSON, GraphML, spreadsheets) and :mod:`jenga_games.tower.thresholds` for "how far can we go?".
"""

from .economy import local_health_economy
from .explain import FallReason, FallReasons, fall_reasons
from .files import read_tower, write_tower
from .io import from_graphml, to_graphml
from .library import classic_jenga, layered_tower, random_tower
from .model import Provider, Service, Tower
from .outcome import Outcome, Step
from .rule_text import rule_from_text, rule_to_text
from .rules import AllOf, And, AnyOf, AtLeast, Or, Rule
from .thresholds import (
    collapse_curve,
    collapse_point,
    find_threshold,
    headroom,
    kcore_curve,
    max_safe_set,
    min_collapse_set,
    safe_schedule,
    weakest_blocks,
)
from .validate import TowerReport

__all__ = [
    "AllOf",
    "And",
    "AnyOf",
    "AtLeast",
    "FallReason",
    "FallReasons",
    "Or",
    "Outcome",
    "Provider",
    "Rule",
    "Service",
    "Step",
    "Tower",
    "TowerReport",
    "classic_jenga",
    "collapse_curve",
    "collapse_point",
    "fall_reasons",
    "find_threshold",
    "from_graphml",
    "headroom",
    "kcore_curve",
    "layered_tower",
    "local_health_economy",
    "max_safe_set",
    "min_collapse_set",
    "random_tower",
    "read_tower",
    "rule_from_text",
    "rule_to_text",
    "safe_schedule",
    "to_graphml",
    "weakest_blocks",
    "write_tower",
]
