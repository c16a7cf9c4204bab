"""Time: capability, trust, reorganisation and transitions as processes, not constants.

The essays about time, made computable:

* :mod:`.capability` — commissioning capability as a stock that grows with
  tenure and is partly lost at each reorganisation (Glasby: commissioners
  "only just start to find their feet"); closed forms for periodic
  reorganisation (:func:`average_capability`), exact paths
  (:func:`capability_path`);
* :mod:`.reorganisation` — reorganisation as an outcome: a centre that
  restructures when a noisy measure of performance disappoints; the period
  and the pendulum between central and local commissioning are outputs
  (:func:`simulate_centre`); the centralisation trade-off with an equity
  penalty ("post code lottery") and a centre that overrides
  (:func:`centralisation`);
* :mod:`.transition` — moving services out of the old tower year by year:
  fixed costs shed after a lag, double running, transitional funding as a
  time profile, failure that stays failed (:func:`transition_timeline`);
* :mod:`.trust` — trust raised and dashed at rates, and GP engagement that
  needs results to show quickly (:func:`trust_path`, :func:`engagement_path`);
* :mod:`.xmile` — the capability stock-and-flow model as XMILE, the
  system-dynamics exchange format, and the Euler simulation that a
  system-dynamics tool (PySD) reproduces.
"""

from .capability import (
    CapabilityParams,
    CapabilityPath,
    average_capability,
    capability_model,
    capability_path,
    periodic_reorganisations,
    stationary_start,
    yearly_capability,
)
from .reorganisation import (
    Centralisation,
    CentreParams,
    ReorganisationPath,
    centralisation,
    deterministic_period,
    simulate_centre,
)
from .transition import (
    Timeline,
    TimelineParams,
    required_funding,
    schedule_from_order,
    static_outcomes,
    transition_timeline,
)
from .trust import (
    EngagementParams,
    EngagementPath,
    TrustPath,
    TrustProcess,
    critical_delay,
    engagement_path,
    mean_trust,
    promises_to_rebuild,
    trust_path,
)
from .xmile import capability_xmile, simulate_capability_euler

__all__ = [
    "CapabilityParams",
    "CapabilityPath",
    "Centralisation",
    "CentreParams",
    "EngagementParams",
    "EngagementPath",
    "ReorganisationPath",
    "Timeline",
    "TimelineParams",
    "TrustPath",
    "TrustProcess",
    "average_capability",
    "capability_model",
    "capability_path",
    "capability_xmile",
    "centralisation",
    "critical_delay",
    "deterministic_period",
    "engagement_path",
    "mean_trust",
    "periodic_reorganisations",
    "promises_to_rebuild",
    "required_funding",
    "schedule_from_order",
    "simulate_capability_euler",
    "simulate_centre",
    "static_outcomes",
    "stationary_start",
    "transition_timeline",
    "trust_path",
    "yearly_capability",
]
