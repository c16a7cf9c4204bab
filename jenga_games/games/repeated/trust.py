"""Trust: engagement after expectations raised and dashed.

The essays' claim (see ``DESIGN.md`` §4): cooperative commissioning works
"only if the players agree the principles and trust each other", and an
expectation raised and dashed is worse than none — each dashed hope adds to
disengagement (Miller et al. 2015 :cite:`miller2015`; Goddard and Mannion
1998 :cite:`goddard1998`). Here a partner first *raises* expectations (it
cooperates for ``build_up`` rounds), then *dashes* them (one defection), ``k``
times, and then cooperates for good. We measure the engagement of a strategy
(by default :func:`~jenga_games.games.repeated.trust_eroding`) afterwards: its
probability of cooperating in each later round, computed exactly by pushing
the distribution over joint states through the product automaton
(:func:`cooperation_path`), not by sampling.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ..._results import Provenance, Result
from ...errors import InvalidGameError
from ._stage import prisoners_dilemma
from .automaton import Automaton
from .exact import _as_profile
from .library import scripted, trust_eroding
from .profile import Profile

__all__ = ["Engagement", "cooperation_path", "engagement_after_betrayals"]


def cooperation_path(profile: Profile, turns: int, cooperate: Any = 0) -> np.ndarray:
    """Exact probability that each player plays ``cooperate`` in each round, shape ``(turns, n)``.

    The distribution ``π_t`` over joint states evolves as ``π_{t+1} = π_t P``
    (the product automaton's transition matrix), and player ``i`` cooperates in
    round ``t`` with probability ``Σ_s π_t(s) σ_i(cooperate | s_i)``.
    """
    profile = _as_profile(profile)
    if isinstance(turns, bool) or not isinstance(turns, int) or turns < 1:
        raise InvalidGameError(f"turns must be an integer >= 1; got {turns!r}")
    stage = profile.stage
    states, succ = profile.reachable(all_histories=False)
    m = len(states)
    probs = np.stack([profile.joint_probs(s).ravel() for s in states])
    P = np.zeros((m, m))
    rows, cols = np.nonzero(probs > 0)
    np.add.at(P, (rows, succ[rows, cols]), probs[rows, cols])
    ks = [
        stage.action_index(i, cooperate, "the cooperate argument") for i in range(stage.n_players)
    ]
    C = np.array(
        [[profile.bound[i].probs[s[i], ks[i]] for i in range(stage.n_players)] for s in states]
    )
    pi = np.zeros(m)
    pi[0] = 1.0
    out = np.empty((turns, stage.n_players))
    for t in range(turns):
        out[t] = pi @ C
        pi = pi @ P
    return out


@dataclasses.dataclass(frozen=True)
class Engagement(Result):
    """Engagement of a strategy after ``k`` dashed expectations, for ``k = 0 .. k_max``.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``k``: ``engagement`` (mean cooperation probability over the
        ``horizon`` rounds after the last dash), ``final`` (in the last of them),
        ``rounds_to_reengage`` (rounds after the last dash until it cooperates
        with probability >= 1/2; NaN if not within the horizon).
    paths : dict
        ``k -> `` the strategy's cooperation probability in every round.
    strategy : str
    build_up, horizon : int
    provenance : Provenance
    """

    table: pd.DataFrame
    paths: dict
    strategy: str
    build_up: int
    horizon: int
    provenance: Provenance

    def to_dict(self) -> dict:
        """Plain data: the table as records, the paths as lists."""
        return {
            "table": self.table.reset_index().to_dict(orient="records"),
            "paths": {int(k): np.asarray(v).tolist() for k, v in self.paths.items()},
            "strategy": self.strategy,
            "build_up": self.build_up,
            "horizon": self.horizon,
            "provenance": self.provenance.to_dict(),
        }


def engagement_after_betrayals(
    k_max: int = 6,
    build_up: int = 6,
    horizon: int = 30,
    strategy: Automaton | None = None,
    game: Any = None,
    cooperate: Any = 0,
    defect: Any = 1,
) -> Engagement:
    """How engaged a strategy stays after ``k`` expectations raised and dashed.

    Parameters
    ----------
    k_max : int
        Largest number of dashed expectations.
    build_up : int
        Rounds of cooperation by the partner before each dash (raising expectations).
    horizon : int
        Rounds measured after the last dash (the partner cooperates throughout).
    strategy : Automaton, optional
        The strategy whose engagement is measured (seat 0); default :func:`trust_eroding`.
    game : stage game, optional
        Default the prisoner's dilemma ``T, R, P, S = 5, 3, 1, 0``.
    cooperate, defect : action labels or indices

    Returns
    -------
    Engagement

    Examples
    --------
    >>> e = engagement_after_betrayals(k_max=3)
    >>> [round(x, 2) for x in e.table["engagement"]]
    [1.0, 1.0, 0.9, 0.0]
    """
    for name, v, lo in (("k_max", k_max, 0), ("build_up", build_up, 0), ("horizon", horizon, 1)):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise InvalidGameError(f"{name} must be an integer >= {lo}; got {v!r}")
    game = prisoners_dilemma() if game is None else game
    strategy = trust_eroding(cooperate=cooperate, defect=defect) if strategy is None else strategy
    rows, paths = [], {}
    for k in range(k_max + 1):
        prefix = ([cooperate] * build_up + [defect]) * k
        partner = scripted(prefix, cooperate, name=f"raise {build_up}, dash, x{k}")
        turns = len(prefix) + horizon
        path = cooperation_path(Profile(game, [strategy, partner]), turns, cooperate)[:, 0]
        after = path[len(prefix) :]
        hit = np.flatnonzero(after >= 0.5)
        rows.append(
            (k, float(after.mean()), float(after[-1]), float(hit[0]) if len(hit) else np.nan)
        )
        paths[k] = path
    table = pd.DataFrame(
        rows, columns=["k", "engagement", "final", "rounds_to_reengage"]
    ).set_index("k")
    return Engagement(
        table,
        paths,
        strategy.name,
        build_up,
        horizon,
        Provenance(
            "exact_state_distribution",
            {"k_max": k_max, "build_up": build_up, "horizon": horizon},
            exact=False,
        ),
    )
