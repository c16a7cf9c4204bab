"""Validation helpers (and a result mixin) shared by the commissioning models.

Every model takes a frozen parameter dataclass; its ``__post_init__`` calls
the parameter checks so that impossible parameters (negative costs,
probabilities outside [0, 1], empty groups) fail at once with a message that
names the parameter, the value given, and what a valid value looks like. The
checks live in :mod:`jenga_games._checks` (the dynamics models use them too)
and are re-exported here.
"""

from __future__ import annotations

import pandas as pd

from .._checks import check_count, check_nonneg, check_positive, check_prob, check_vector
from ..errors import InvalidParameterError

__all__ = [
    "InvalidParameterError",
    "SharesTable",
    "check_count",
    "check_nonneg",
    "check_positive",
    "check_prob",
    "check_vector",
]


# InvalidParameterError lives in jenga_games.errors; this name keeps old imports working.


class SharesTable:
    """Mixin for results with a TU ``game`` and ``shapley``, ``nucleolus``, ``proportional`` shares."""

    def table(self) -> pd.DataFrame:
        """Shares side by side, one row per player."""
        return pd.DataFrame(
            {
                "shapley": self.shapley,
                "nucleolus": self.nucleolus,  # type: ignore[attr-defined]
                "proportional": self.proportional,
            },  # type: ignore[attr-defined]
            index=list(self.game.players),
        )  # type: ignore[attr-defined]
