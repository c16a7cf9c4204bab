"""Uncertainty: probabilistic and deterministic sensitivity analysis, and the value of information.

Declare distributions for any model's parameters (:class:`ParameterSpace`),
including whole-economy multipliers of a tower's activity, tariffs, costs,
overheads and reserves; run the model over seeded draws on the sweep
back-ends (:func:`psa`); and read the answers: outcome probabilities with
Wilson intervals, one- and two-way deterministic analyses (tornado),
switching values, Sobol' and Morris indices (through SALib), EVPI, EVPPI and
acceptability curves. See ``docs/tutorials/uncertainty.md`` and
``docs/explanation/uncertainty.md``.
"""

from ._analysis import (
    OutcomeProbability,
    ceac,
    drivers,
    evpi,
    evppi,
    net_benefit,
    outcome_probability,
    probabilities,
    switching_values,
    tornado,
    two_way,
    wilson_interval,
)
from ._economy import (
    PROVIDER_FIELDS,
    SERVICE_FIELDS,
    EconomyPerturbation,
    expand_economy,
    is_economy_parameter,
)
from ._gsa import morris_indices, sobol_indices
from ._models import JengaModel, TowerModel, check_model_parameters, resolve_model
from ._presets import worked_economy_psa, worked_economy_space
from ._run import PSAResult, evaluate, psa
from ._space import SAMPLERS, Empirical, Fixed, ParameterSpace, UncertaintySpecError, distribution
from ._spec import SPEC_KEYS, load_spec, run_spec

__all__ = [
    "PROVIDER_FIELDS",
    "SAMPLERS",
    "SERVICE_FIELDS",
    "SPEC_KEYS",
    "EconomyPerturbation",
    "Empirical",
    "Fixed",
    "JengaModel",
    "OutcomeProbability",
    "PSAResult",
    "ParameterSpace",
    "TowerModel",
    "UncertaintySpecError",
    "ceac",
    "check_model_parameters",
    "distribution",
    "drivers",
    "evaluate",
    "evpi",
    "evppi",
    "expand_economy",
    "is_economy_parameter",
    "load_spec",
    "morris_indices",
    "net_benefit",
    "outcome_probability",
    "probabilities",
    "psa",
    "resolve_model",
    "run_spec",
    "sobol_indices",
    "switching_values",
    "tornado",
    "two_way",
    "wilson_interval",
    "worked_economy_psa",
    "worked_economy_space",
]
