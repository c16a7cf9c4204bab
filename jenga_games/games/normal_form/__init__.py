"""Normal-form games: n players, labelled actions, equilibria exact and in floating point.

See ``docs/games/normal_form.md``. The game is :class:`NormalFormGame`; every
solver is a small private module and a function re-exported here.
"""

from ._correlated import (
    CorrelatedEquilibrium,
    coarse_correlated_equilibrium,
    correlated_equilibrium,
    obedience_gains,
    product_distribution,
)
from ._dominance import DominanceResult, Elimination, eliminate_dominated
from ._equilibrium import Equilibrium, EquilibriumSet
from ._game import NormalFormGame, StrategyProfile
from ._interop import from_nashpy, to_nashpy
from ._lemke_howson import lemke_howson
from ._nfg import read_nfg, write_nfg
from ._polynomial import polynomial_equilibria
from ._pure import pure_equilibria, pure_equilibrium_mask
from ._qre import LogitFit, QREPath, logit_fit, logit_path, logit_qre
from ._solve import METHODS, equilibria
from ._stackelberg import StackelbergCommitment, stackelberg
from ._support_enumeration import support_enumeration
from ._symbolic import SymbolicEquilibrium, SymbolicGame, parse_expression
from ._vertex_enumeration import is_degenerate, vertex_enumeration

__all__ = [
    "METHODS",
    "CorrelatedEquilibrium",
    "DominanceResult",
    "Elimination",
    "Equilibrium",
    "EquilibriumSet",
    "LogitFit",
    "NormalFormGame",
    "QREPath",
    "StackelbergCommitment",
    "StrategyProfile",
    "SymbolicEquilibrium",
    "SymbolicGame",
    "coarse_correlated_equilibrium",
    "correlated_equilibrium",
    "eliminate_dominated",
    "equilibria",
    "from_nashpy",
    "is_degenerate",
    "lemke_howson",
    "logit_fit",
    "logit_path",
    "logit_qre",
    "obedience_gains",
    "parse_expression",
    "polynomial_equilibria",
    "product_distribution",
    "pure_equilibria",
    "pure_equilibrium_mask",
    "read_nfg",
    "stackelberg",
    "support_enumeration",
    "to_nashpy",
    "vertex_enumeration",
    "write_nfg",
]
