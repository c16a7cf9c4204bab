"""Extensive-form games: trees with chance, information sets and outcomes, and their solvers.

See ``docs/games/extensive.md``. :class:`ExtensiveGame` holds the tree;
``.efg`` files are read and written by :func:`read_efg` / :func:`write_efg`;
solvers return a :class:`BehaviourEquilibrium` certified by :func:`nash_conv`.
"""

from ._best_response import best_response, nash_conv, subgame_perfect_violations
from ._efg import read_efg, write_efg
from ._examples import beer_quiche, kuhn_poker, leduc_poker, one_card_poker, selten_horse
from ._forms import SequenceForm, mixed_to_behaviour, reduced_normal_form, sequence_form
from ._lcp import sequence_form_lcp
from ._qre import (
    AgentLogitFit,
    AgentQREPath,
    agent_logit_beliefs,
    agent_logit_fit,
    agent_logit_path,
    agent_logit_qre,
)
from ._sequential import (
    AssessmentCheck,
    consistent_beliefs,
    sequential_equilibrium_check,
    subgame_nash_gaps,
    subgames,
)
from ._solvers import BehaviourEquilibrium, backward_induction, cfr, sequence_form_lp
from ._tree import CHANCE, ExtensiveGame, Infoset, Node, Outcome

__all__ = [
    "CHANCE",
    "AgentLogitFit",
    "AgentQREPath",
    "AssessmentCheck",
    "BehaviourEquilibrium",
    "ExtensiveGame",
    "Infoset",
    "Node",
    "Outcome",
    "SequenceForm",
    "agent_logit_beliefs",
    "agent_logit_fit",
    "agent_logit_path",
    "agent_logit_qre",
    "backward_induction",
    "beer_quiche",
    "best_response",
    "cfr",
    "consistent_beliefs",
    "kuhn_poker",
    "leduc_poker",
    "mixed_to_behaviour",
    "nash_conv",
    "one_card_poker",
    "read_efg",
    "reduced_normal_form",
    "selten_horse",
    "sequence_form",
    "sequence_form_lcp",
    "sequence_form_lp",
    "sequential_equilibrium_check",
    "subgame_nash_gaps",
    "subgame_perfect_violations",
    "subgames",
    "write_efg",
]
