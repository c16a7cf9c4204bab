"""The commissioning models: the essays' arguments as runnable models (DESIGN §4).

Each model is a small module with a frozen parameter dataclass (defaults from
published figures, cited), validation of impossible parameters
(:class:`InvalidParameterError`), a frozen result and a figure in
:mod:`jenga_games.plot.commissioning`:

* :mod:`.finance` — money follows patients: cash released against activity
  moved, the step points where services and the provider become unviable,
  and a symbolic version (:func:`money_follows_patients`, :func:`finance_symbolic`);
* :mod:`.gains` — gain-making: the co-design TU game and its fair shares
  (:func:`gain_sharing`);
* :mod:`.risk` — risk pooling and the size of a commissioning group
  (:func:`group_size`, :func:`pooling_game`, :func:`reserve_per_head`,
  :func:`replication_table`);
* :mod:`.contestability` — a credible threat to move a contract, "too big to
  fail" (:func:`contest`, :func:`contest_regions`);
* :mod:`.levels` — which service at which level, and the cost of
  reorganising (:func:`best_levels`, :func:`reorganisation_cost`);
* :mod:`.trust` — expectations raised and dashed (:func:`trust_model`);
* :mod:`.signalling`, :mod:`.reputation`, :mod:`.mediator` — hidden information:
  credible shroud waving, Kreps–Wilson reputation, a mediator's plan
  (:func:`signalling_equilibria`, :func:`reputation`, :func:`mediated_plan`);
* :mod:`.jenga` — Jenga commissioning: myopic, competitive and cooperative
  play on a health economy (:func:`jenga_commissioning`).
"""

from ._common import InvalidParameterError
from .contestability import Contest, ContestParams, contest, contest_normal_form, contest_regions
from .finance import (
    FinanceParams,
    FinanceSymbolic,
    MoneyFollowsPatients,
    finance_symbolic,
    finance_tower,
    money_follows_patients,
)
from .gains import GainSharing, GainsParams, gain_sharing, gains_game
from .jenga import (
    DEFAULT_ELIGIBLE,
    JengaCommissioning,
    JengaParams,
    commissioning_game,
    jenga_commissioning,
    merged_game,
)
from .levels import Levels, LevelsParams, Reorganisation, best_levels, reorganisation_cost
from .mediator import MediatedPlan, mediated_plan
from .reputation import Reputation, ReputationParams, reputation
from .risk import (
    GroupSize,
    PoolingGame,
    RiskParams,
    annual_cost_moments,
    group_cost,
    group_size,
    pooling_game,
    replication_table,
    reserve_per_head,
    simulate_annual_costs,
)
from .signalling import Signalling, SignallingParams, signalling_equilibria
from .trust import (
    TrustParams,
    TrustResult,
    delta_star_formula,
    sustainability_grid,
    trust_game,
    trust_model,
)

__all__ = [
    "DEFAULT_ELIGIBLE",
    "Contest",
    "ContestParams",
    "FinanceParams",
    "FinanceSymbolic",
    "GainSharing",
    "GainsParams",
    "GroupSize",
    "InvalidParameterError",
    "JengaCommissioning",
    "JengaParams",
    "Levels",
    "LevelsParams",
    "MediatedPlan",
    "MoneyFollowsPatients",
    "PoolingGame",
    "Reorganisation",
    "Reputation",
    "ReputationParams",
    "RiskParams",
    "Signalling",
    "SignallingParams",
    "TrustParams",
    "TrustResult",
    "annual_cost_moments",
    "best_levels",
    "commissioning_game",
    "contest",
    "contest_normal_form",
    "contest_regions",
    "delta_star_formula",
    "finance_symbolic",
    "finance_tower",
    "gain_sharing",
    "gains_game",
    "group_cost",
    "group_size",
    "jenga_commissioning",
    "mediated_plan",
    "merged_game",
    "money_follows_patients",
    "pooling_game",
    "reorganisation_cost",
    "replication_table",
    "reputation",
    "reserve_per_head",
    "signalling_equilibria",
    "simulate_annual_costs",
    "sustainability_grid",
    "trust_game",
    "trust_model",
]
