"""Iterated elimination of strictly dominated strategies, by pure and by mixed strategies.

Action ``a`` of player ``i`` is strictly dominated by the mixed strategy
``σ_i`` (over the player's other remaining actions) when

.. math:: \\sum_k σ_i(k)\\, u_i(k, s_{-i}) > u_i(a, s_{-i}) \\quad \\text{for every } s_{-i},

which is decided by the linear programme (solved with HiGHS [Huangfu2018]_)

.. math:: \\max_{σ, ε} ε \\ \\text{s.t.}\\ \\sum_k σ_k u_i(k, s_{-i}) - u_i(a, s_{-i}) \\ge ε\\ \\forall s_{-i},
          \\ σ \\ge 0,\\ \\textstyle\\sum_k σ_k = 1,

``a`` being dominated when the optimum ``ε*`` exceeds the tolerance. In
each round every player's dominated actions (against the others' remaining
actions) are removed together; rounds repeat until nothing is dominated.
The result of iterated *strict* dominance does not depend on the order of
elimination ([Osborne2004]_; [Fudenberg1991]_), and no Nash
equilibrium uses an eliminated action, so the reduced game has the same
equilibria.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linprog

from ..._results import Provenance, Result
from ...tolerance import TOL
from ._kernels import SUPPORT_TOL, unit_payoffs

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["DominanceResult", "Elimination", "eliminate_dominated"]


@dataclasses.dataclass(frozen=True)
class Elimination(Result):
    """One eliminated action.

    Attributes
    ----------
    round : int
        1 for the first round of eliminations, 2 for the next, ...
    player : str
    action : str
    dominated_by : dict
        The dominating strategy ``{action: probability}`` (one action when pure).
    margin : float
        ``min_{s_{-i}}`` of the payoff advantage of the dominating strategy.
    """

    round: int
    player: str
    action: str
    dominated_by: dict
    margin: float


@dataclasses.dataclass(frozen=True, eq=False)
class DominanceResult(Result):
    """The outcome of iterated elimination of strictly dominated strategies.

    Attributes
    ----------
    game : NormalFormGame
        The reduced game (only the surviving actions).
    eliminations : tuple of Elimination
        In the order they happened.
    remaining : tuple of tuple of str
        The surviving actions of each player.
    mixed : bool
        Whether domination by mixed strategies was considered.
    provenance : Provenance
    """

    game: NormalFormGame
    eliminations: tuple[Elimination, ...]
    remaining: tuple[tuple[str, ...], ...]
    mixed: bool
    provenance: Provenance

    def __repr__(self) -> str:
        steps = ", ".join(f"{e.round}:{e.player}.{e.action}" for e in self.eliminations) or "none"
        return f"DominanceResult(remaining={self.remaining}, eliminated=[{steps}])"

    def to_dict(self):
        d = super().to_dict()
        d["game"] = {
            "players": list(self.game.players),
            "actions": [list(a) for a in self.game.actions],
        }
        return d


def _pure_dominator(Ui: np.ndarray, a: int, alive: list[int], thr: float):
    """Best pure dominator of row ``a`` of ``Ui`` (rows: own actions; cols: others' profiles)."""
    best, margin = None, -np.inf
    for b in alive:
        if b == a:
            continue
        m = float((Ui[b] - Ui[a]).min())
        if m > margin:
            best, margin = b, m
    if best is not None and margin > thr:
        return {best: 1.0}, margin
    return None, margin


def _mixed_dominator(Ui: np.ndarray, a: int, alive: list[int], thr: float):
    others = [b for b in alive if b != a]
    if len(others) < 2:
        return None, -np.inf
    K, S = len(others), Ui.shape[1]
    # variables [σ_1..σ_K, ε]; minimise -ε
    c = np.zeros(K + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-Ui[others].T, np.ones((S, 1))])
    b_ub = -Ui[a]
    A_eq = np.zeros((1, K + 1))
    A_eq[0, :K] = 1.0
    span = float(np.ptp(Ui)) + 1.0
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * K + [(-span, span)],
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        return None, -np.inf
    sigma = np.clip(res.x[:K], 0.0, None)
    sigma /= sigma.sum()
    margin = float((sigma @ Ui[others] - Ui[a]).min())  # recomputed, not trusted from the LP
    if margin > thr:
        return {others[k]: float(p) for k, p in enumerate(sigma) if p > SUPPORT_TOL}, margin
    return None, margin


def eliminate_dominated(
    game: NormalFormGame, mixed: bool = True, tol: float = TOL
) -> DominanceResult:
    """Iteratively remove strictly dominated actions of every player.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    mixed : bool
        Also test domination by mixed strategies (an LP per action);
        ``False`` uses pure dominators only.
    tol : float
        An action is dominated only when the advantage exceeds ``tol`` times
        the player's payoff range against every profile of the others (the
        test is on the unit payoffs of :mod:`._kernels`, so it does not depend
        on the scale or shift of the payoffs).

    Returns
    -------
    DominanceResult
        The reduced game and the eliminations in order.
    """
    n = game.n_players
    alive = [list(range(a)) for a in game.shape]
    U, _, span = unit_payoffs(game)  # decided on unit payoffs: scale- and shift-free
    thr = tol
    elims: list[Elimination] = []
    rnd = 0
    while True:
        rnd += 1
        sub = U[np.ix_(*alive, range(n))]
        removed: list[tuple[int, int, dict, float]] = []
        for i in range(n):
            if len(alive[i]) < 2:
                continue
            Ui = np.moveaxis(sub[..., i], i, 0).reshape(len(alive[i]), -1)
            local = list(range(len(alive[i])))
            for a in local:
                dom, margin = _pure_dominator(Ui, a, local, thr)
                if dom is None and mixed:
                    dom, margin = _mixed_dominator(Ui, a, local, thr)
                if dom is not None:
                    removed.append((i, a, dom, margin))
        if not removed:
            break
        drop: dict[int, set[int]] = {}
        for i, a, dom, margin in removed:
            labels = {game.actions[i][alive[i][k]]: p for k, p in dom.items()}
            elims.append(
                Elimination(
                    rnd,
                    game.players[i],
                    game.actions[i][alive[i][a]],
                    labels,
                    margin * float(span[i]),  # back in the game's payoff units
                )
            )
            drop.setdefault(i, set()).add(a)
        for i, ks in drop.items():
            alive[i] = [x for k, x in enumerate(alive[i]) if k not in ks]
    reduced = game.restrict(alive)
    prov = Provenance("iterated_strict_dominance", {"mixed": mixed, "tol": tol})
    return DominanceResult(reduced, tuple(elims), reduced.actions, mixed, prov)
