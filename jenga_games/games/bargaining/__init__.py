"""NTU bargaining: Nash (symmetric and asymmetric), Kalai–Smorodinsky, egalitarian; health bargains.

* :class:`BargainingProblem` — a feasible set (points: convex hull with free
  disposal, any number of players; or a two-player frontier ``x ↦ (u1, u2)``)
  and a disagreement point;
* :func:`nash`, :func:`kalai_smorodinsky`, :func:`egalitarian` — the solutions;
* :func:`price_activity_bargain` — purchaser and hospital bargain over price
  and activity (after Siciliani and Stanciole 2013);
* :func:`transitional_funding` — the transfers that make the plan best for
  everyone on a tower individually rational for every commissioner and provider
  (``FundingAgreement.received_by``: who receives how much);
* :func:`funding_recipients`, :func:`funded_tower` — who receives transitional
  funding after a play (the providers that failed), and the tower it buys.
"""

from ._health import (
    FundingAgreement,
    PriceActivityBargain,
    funded_tower,
    funding_recipients,
    price_activity_bargain,
    transitional_funding,
)
from ._solutions import (
    BargainingProblem,
    BargainingSolution,
    egalitarian,
    kalai_smorodinsky,
    nash,
)

__all__ = [
    "BargainingProblem",
    "BargainingSolution",
    "FundingAgreement",
    "PriceActivityBargain",
    "egalitarian",
    "funded_tower",
    "funding_recipients",
    "kalai_smorodinsky",
    "nash",
    "price_activity_bargain",
    "transitional_funding",
]
