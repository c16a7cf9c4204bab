"""Cooperative (transferable-utility) games: sharing what coalitions gain together.

Conventions (one place): a game on players ``0..n-1`` is an array ``v`` of
length ``2**n``; ``v[S]`` is the value of the coalition whose bitmask is
``S`` (player ``i`` is bit ``i``, player 0 the least significant); ``v[0] = 0``.
Values are gains; turn a cost game into gains with :meth:`TUGame.savings`.
Every yes/no answer uses :data:`jenga_games.tolerance.TOL`.

Main entry points: :class:`TUGame` (with constructors ``from_function``,
``from_dict``, ``weighted_voting``, ``bankruptcy``, ``airport``, ``glove``,
``from_services``, ``from_tower``), :class:`FunctionGame` for large n, :func:`shapley`,
:func:`shapley_sampled`, :func:`banzhaf`, :func:`weighted_voting_indices`,
:func:`core_contains`, :func:`core_is_empty`, :func:`bondareva_shapley`, :func:`least_core`,
:func:`nucleolus`, :func:`prenucleolus`, :func:`tau_value`, :func:`myerson`,
:func:`owen`, :func:`optimal_coalition_structure` and the property tests.
"""

from ._bits import MAX_EXACT_PLAYERS
from ._constructors import (
    airport_game,
    bankruptcy_game,
    from_dict,
    from_function,
    from_services,
    from_tower,
    glove_game,
    weighted_voting_game,
)
from ._core import bondareva_shapley, core_contains, core_is_empty, least_core
from ._game import FunctionGame, TUGame
from ._nucleolus import nucleolus, prenucleolus
from ._power import weighted_voting_indices, winning_threshold
from ._properties import is_balanced, is_convex, is_essential, is_monotone, is_superadditive
from ._results import (
    Allocation,
    BalancedCertificate,
    CoalitionStructure,
    CoreCheck,
    LeastCore,
    Nucleolus,
    PowerIndices,
    SampledAllocation,
)
from ._sampling import shapley_sampled
from ._shapley import banzhaf, shapley
from ._structure import optimal_coalition_structure
from ._transform import dual, excesses, savings, subgame, zero_normalized, zero_one_normalized
from ._values import myerson, owen, tau_value

__all__ = [
    "MAX_EXACT_PLAYERS",
    "Allocation",
    "BalancedCertificate",
    "CoalitionStructure",
    "CoreCheck",
    "FunctionGame",
    "LeastCore",
    "Nucleolus",
    "PowerIndices",
    "SampledAllocation",
    "TUGame",
    "airport_game",
    "bankruptcy_game",
    "banzhaf",
    "bondareva_shapley",
    "core_contains",
    "core_is_empty",
    "dual",
    "excesses",
    "from_dict",
    "from_function",
    "from_services",
    "from_tower",
    "glove_game",
    "is_balanced",
    "is_convex",
    "is_essential",
    "is_monotone",
    "is_superadditive",
    "least_core",
    "myerson",
    "nucleolus",
    "optimal_coalition_structure",
    "owen",
    "prenucleolus",
    "savings",
    "shapley",
    "shapley_sampled",
    "subgame",
    "tau_value",
    "weighted_voting_game",
    "weighted_voting_indices",
    "winning_threshold",
    "zero_normalized",
    "zero_one_normalized",
]
