"""Repeated games: strategies as automata, exact payoffs, subgame perfection, critical δ,
folk-theorem regions, equilibrium payoff sets, noisy simulations, tournaments and trust.

See ``docs/games/repeated.md``. Conventions: payoffs are normalised discounted
sums ``(1 - δ) Σ_t δ^t u(a^t)``; an automaton sees the observed profile from its
own seat, ``(own action, others...)``.
"""

from ._stage import prisoners_dilemma
from .automaton import WILDCARD, Automaton, Not
from .exact import (
    DELTA,
    CriticalDelta,
    Deviation,
    DiscountedPayoffs,
    InvalidDiscountError,
    SubgamePerfection,
    critical_delta,
    discounted_payoffs,
    is_subgame_perfect,
    one_shot_deviations,
)
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
from .profile import Profile

__all__ = [
    "DELTA",
    "WILDCARD",
    "Automaton",
    "CriticalDelta",
    "Deviation",
    "DiscountedPayoffs",
    "InvalidDiscountError",
    "Not",
    "Profile",
    "SubgamePerfection",
    "always_cooperate",
    "always_defect",
    "classic_strategies",
    "critical_delta",
    "cycle",
    "discounted_payoffs",
    "generous_tit_for_tat",
    "grim_trigger",
    "is_subgame_perfect",
    "k_period_punishment",
    "one_shot_deviations",
    "prisoners_dilemma",
    "random_play",
    "scripted",
    "suspicious_tit_for_tat",
    "tit_for_tat",
    "tit_for_two_tats",
    "trust_eroding",
    "win_stay_lose_shift",
]
