"""A ready-made PSA of the Jenga commissioning model on the worked economy (for papers).

The ranges are assumptions for illustration (the defaults they surround are
themselves illustrative, see :class:`~jenga_games.commissioning.JengaParams`):

* collapse cost ``C`` ~ U(1.5, 4.0) £ m (default 2.5; competitive play stops
  toppling the tower near 2.75);
* discount factor ``δ`` ~ U(0.8, 1.0) per turn (default 1);
* re-provision share ``r`` ~ U(0.4, 0.6) of tariff income (default 0.5);
* the acute trust's overhead × U(0.99, 1.01) (its headroom is thin: wider
  ranges make the intact tower fall before anyone moves, see
  ``docs/explanation/uncertainty.md``).
"""

from __future__ import annotations

import os
from typing import Any

from scipy import stats

from ._models import JengaModel
from ._run import PSAResult, psa
from ._space import ParameterSpace

__all__ = ["worked_economy_psa", "worked_economy_space"]


def worked_economy_space() -> ParameterSpace:
    """The parameter space of :func:`worked_economy_psa` (module docstring)."""
    return ParameterSpace(
        {
            "collapse_cost": stats.uniform(1.5, 2.5),
            "discount": stats.uniform(0.8, 0.2),
            "reprovision_share": stats.uniform(0.4, 0.2),
            "overhead[acute_trust]": stats.uniform(0.99, 0.02),
        }
    )


def worked_economy_psa(
    n: int = 200,
    *,
    seed: int = 2026,
    plays: tuple[str, ...] = ("myopic", "competitive", "cooperative"),
    backend: Any = "serial",
    workers: int | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool = False,
) -> PSAResult:
    """PSA of myopic, competitive (SPE) and cooperative play on the worked economy.

    A fixed seed gives the same frame on every back-end. About 0.1–0.3 s a draw
    on one core (all three plays), so the default 200 draws take well under
    three minutes on two processes.

    Examples
    --------
    >>> r = worked_economy_psa(n=2, plays=("myopic",))
    >>> r.frame["myopic.fell"].tolist()
    [False, False]
    """
    return psa(
        JengaModel(plays=plays),
        worked_economy_space(),
        n,
        seed=seed,
        sampler="lhs",
        backend=backend,
        workers=workers,
        out=out,
        progress=progress,
    )
