"""Repeated games: strategies as automata, exact payoffs, subgame perfection, critical δ,
folk-theorem regions, equilibrium payoff sets, noisy simulations, tournaments and trust.

See ``docs/games/repeated.md``. Conventions: payoffs are normalised discounted
sums ``(1 - δ) Σ_t δ^t u(a^t)``; an automaton sees the observed profile from its
own seat, ``(own action, others...)``.
"""

from ._stage import prisoners_dilemma
from .automaton import WILDCARD, Automaton, Not
from .critical import CriticalDelta, critical_delta
from .exact import (
    DELTA,
    Deviation,
    DiscountedPayoffs,
    InvalidDiscountError,
    SubgamePerfection,
    discounted_payoffs,
    is_subgame_perfect,
    one_shot_deviations,
)
from .folk import FolkRegion, folk_region, minmax
from .library import (
    always_cooperate,
    always_defect,
    classic_strategies,
    cycle,
    generous_tit_for_tat,
    grim_trigger,
    k_period_punishment,
    random_play,
    scripted,
    suspicious_tit_for_tat,
    tit_for_tat,
    tit_for_two_tats,
    trust_eroding,
    win_stay_lose_shift,
)
from .payoff_set import EquilibriumPayoffSet, equilibrium_payoffs
from .profile import Profile
from .simulate import Match, simulate
from .tournament import (
    MoranResult,
    TournamentResult,
    fixation_probability,
    moran_process,
    replicator_dynamics,
    tournament,
)
from .trust import Engagement, cooperation_path, engagement_after_betrayals

__all__ = [
    "DELTA",
    "WILDCARD",
    "Automaton",
    "CriticalDelta",
    "Deviation",
    "DiscountedPayoffs",
    "Engagement",
    "EquilibriumPayoffSet",
    "FolkRegion",
    "InvalidDiscountError",
    "Match",
    "MoranResult",
    "Not",
    "Profile",
    "SubgamePerfection",
    "TournamentResult",
    "always_cooperate",
    "always_defect",
    "classic_strategies",
    "cooperation_path",
    "critical_delta",
    "cycle",
    "discounted_payoffs",
    "engagement_after_betrayals",
    "equilibrium_payoffs",
    "fixation_probability",
    "folk_region",
    "generous_tit_for_tat",
    "grim_trigger",
    "is_subgame_perfect",
    "k_period_punishment",
    "minmax",
    "moran_process",
    "one_shot_deviations",
    "prisoners_dilemma",
    "random_play",
    "replicator_dynamics",
    "scripted",
    "simulate",
    "suspicious_tit_for_tat",
    "tit_for_tat",
    "tit_for_two_tats",
    "tournament",
    "trust_eroding",
    "win_stay_lose_shift",
]
