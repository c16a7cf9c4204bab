"""Optimal mixed commitment (strong Stackelberg equilibrium) of a two-player game.

The leader (row player ``L`` by default) publicly commits to a mixed strategy
``x``; the follower sees ``x`` and plays a best response, breaking ties in the
leader's favour (the *strong* Stackelberg convention). The leader's optimal
commitment is found by one linear program per follower action ``j``
[Conitzer2006]_:

.. math:: \\max_x \\sum_i x_i A_{ij} \\quad\\text{s.t.}\\quad
          \\sum_i x_i (B_{ij} - B_{ij'}) \\ge 0 \\;\\forall j',\\;
          \\textstyle\\sum_i x_i = 1,\\; x \\ge 0,

and the best of the feasible programs is the commitment. Its value is at
least the leader's payoff in every Nash equilibrium (committing to the
equilibrium strategy is always available) [vonStengel2010]_.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidGameError, LPError
from .._rational_lp import solve_lp

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["StackelbergCommitment", "stackelberg"]


@dataclasses.dataclass(frozen=True, eq=False)
class StackelbergCommitment(Result):
    """The leader's optimal mixed commitment and the follower's best response.

    Attributes
    ----------
    leader, follower : str
    commitment : numpy.ndarray
        The leader's mixed strategy.
    response : str
        The follower's action (a best response, ties broken for the leader).
    leader_value, follower_value : float
        Expected payoffs at the commitment.
    values_by_response : dict
        For each follower action it can be induced to play, the leader's best value
        when it does (``None`` if no commitment makes it a best response).
    exact_commitment : tuple of Fraction or None
    exact_leader_value, exact_follower_value : Fraction or None
    provenance : Provenance
    """

    leader: str
    follower: str
    leader_actions: tuple[str, ...]
    commitment: np.ndarray
    response: str
    leader_value: float
    follower_value: float
    values_by_response: dict
    exact_commitment: tuple[Fraction, ...] | None = None
    exact_leader_value: Fraction | None = None
    exact_follower_value: Fraction | None = None
    provenance: Provenance | None = None

    def __repr__(self) -> str:
        src = self.exact_commitment if self.exact_commitment is not None else self.commitment
        mix = ", ".join(
            f"{a}: {v if self.exact_commitment is not None else f'{v:.4g}'}"
            for a, v in zip(self.leader_actions, src)
            if v
        )
        lv = self.exact_leader_value if self.exact_leader_value is not None else self.leader_value
        return (
            f"StackelbergCommitment({self.leader} commits to {{{mix}}}; "
            f"{self.follower} plays {self.response}; leader value {lv})"
        )


def stackelberg(
    game: NormalFormGame, leader: int | str = 0, *, exact: bool = False
) -> StackelbergCommitment:
    """The leader's optimal mixed commitment in a two-player game [Conitzer2006]_.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    leader : int or str
        The committing player (name or index); the other one follows.
    exact : bool
        Solve each LP in rational arithmetic (payoffs converted exactly).

    Returns
    -------
    StackelbergCommitment

    Examples
    --------
    The inspection-style game of Conitzer & Sandholm: committing to a mix
    earns the leader more than any Nash equilibrium.

    >>> from jenga_games.games.normal_form import NormalFormGame
    >>> g = NormalFormGame.bimatrix([[2, 4], [1, 3]], [[1, 0], [0, 1]])
    >>> s = stackelberg(g, exact=True)
    >>> [str(v) for v in s.exact_commitment], s.response, str(s.exact_leader_value)
    (['1/2', '1/2'], 'a2', '7/2')
    """
    if game.n_players != 2:
        raise InvalidGameError(
            f"stackelberg commitment is for two-player games; this game has {game.n_players} "
            "players. Fix the other players' strategies to get a two-player game."
        )
    li = game.player_index(leader)
    fi = 1 - li
    P = game.exact_payoffs if exact else game.payoffs
    if li == 1:  # make the leader the row player
        P = np.swapaxes(P, 0, 1)
    A, B = P[..., li], P[..., fi]
    m, n = A.shape
    best = None
    by_response: dict[str, float | None] = {}
    for j in range(n):
        rows = [[B[i, jj] - B[i, j] for i in range(m)] for jj in range(n) if jj != j]
        zero = Fraction(0) if exact else 0.0
        try:
            sol = solve_lp(
                [A[i, j] for i in range(m)],
                rows,
                [zero] * len(rows),
                [[1] * m],
                [1],
                exact=exact,
                what=f"commitment inducing {game.actions[fi][j]!r}",
            )
        except LPError:
            by_response[game.actions[fi][j]] = None
            continue
        val = sol.exact_value if exact else sol.value
        by_response[game.actions[fi][j]] = float(val)
        if best is None or val > best[0]:
            best = (val, j, sol)
    assert best is not None  # some action is a best response to any commitment
    val, j, sol = best
    if exact:
        x = list(sol.exact_x)
        fv = sum((x[i] * B[i, j] for i in range(m)), Fraction(0))
        # certificate: j is a best response to x, exactly
        if any(sum((x[i] * B[i, jj] for i in range(m)), Fraction(0)) > fv for jj in range(n)):
            raise RuntimeError("stackelberg: the response is not a best response; please report")
        commitment = np.array([float(v) for v in x])
        ex = (tuple(x), val, fv)
    else:
        commitment = np.clip(sol.x, 0.0, None)
        commitment = commitment / commitment.sum()
        fv = float(commitment @ B[:, j])
        val = float(commitment @ A[:, j])
        ex = (None, None, None)
    commitment.setflags(write=False)
    return StackelbergCommitment(
        leader=game.players[li],
        follower=game.players[fi],
        leader_actions=game.actions[li],
        commitment=commitment,
        response=game.actions[fi][j],
        leader_value=float(val),
        follower_value=float(fv),
        values_by_response=by_response,
        exact_commitment=ex[0],
        exact_leader_value=ex[1],
        exact_follower_value=ex[2],
        provenance=Provenance(
            method="stackelberg",
            params={"leader": game.players[li], "lp": "rational simplex" if exact else "HiGHS"},
            exact=exact,
        ),
    )
