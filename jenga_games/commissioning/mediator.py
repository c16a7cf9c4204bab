"""A mediator's recommended plan for a small Jenga commissioning game.

"Agree the principles" can mean a mediator (an ICS board, a regional team)
who draws a joint plan at random and tells each commissioner privately which
of *its own* moves to make, including how to respond to the others. If no
commissioner gains by disobeying its own recommendation, the plan is a
correlated equilibrium [Aumann1974]_ of the game's reduced normal form; the
best such plan for the commissioners together is a linear program
(:func:`~jenga_games.games.normal_form.correlated_equilibrium`).

We compare three ways of playing a small Jenga game
(:class:`~jenga_games.games.sequential.JengaGame`): the subgame-perfect
equilibrium (competitive play), the mediator's best plan (correlated and, if
commitments to the mediator are made before hearing the recommendation,
coarse correlated), and the cooperative optimum (a binding agreement). Since
the SPE is a Nash equilibrium and every Nash equilibrium is a correlated one,

.. math:: W_{SPE} \\le W_{CE} \\le W_{CCE} \\le W_{coop},

and the gaps say how much of the gain from agreeing the principles a
mediator can capture without binding contracts. The game goes through the
``.efg`` export, :func:`~jenga_games.games.extensive.read_efg` and
:func:`~jenga_games.games.extensive.reduced_normal_form`, so only small
towers fit (``max_nodes``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .._results import Provenance, Result
from ..games.extensive import read_efg, reduced_normal_form
from ..games.normal_form import coarse_correlated_equilibrium, correlated_equilibrium
from ..games.sequential import JengaGame

__all__ = ["MediatedPlan", "default_mediation_game", "mediated_plan"]


def default_mediation_game() -> JengaGame:
    """Two commissioners on a 2-level, 3-wide classic tower; each must move (an assumption
    chosen to be small enough for the reduced normal form): gain 1 per block (£ m a year),
    collapse cost 3 to whoever topples it, discount 0.9 per turn."""
    return JengaGame.classic(
        2, 3, players=2, must_move=True, collapse_cost=3.0, discount=0.9, gains=1.0
    )


@dataclasses.dataclass(frozen=True, repr=False)
class MediatedPlan(Result):
    """Welfare (£ m, discounted) of competitive, mediated and cooperative play.

    Attributes
    ----------
    welfare : pandas.Series
        ``spe``, ``correlated``, ``coarse_correlated`` and ``cooperative`` welfare
        (sum of the commissioners' payoffs).
    payoffs : pandas.DataFrame
        Each commissioner's payoff under each way of playing.
    plan : pandas.DataFrame
        The mediator's welfare-maximising correlated plan: probability, each
        commissioner's recommended reduced strategy (Gambit labels: one action
        number per information set, ``*`` where unreachable) and the play it induces.
    mediator_gain : float
        ``W_CE - W_SPE``: what a mediator adds to competitive play.
    remaining_gap : float
        ``W_coop - W_CE``: what only a binding agreement can add.
    provenance : Provenance
    """

    welfare: pd.Series
    payoffs: pd.DataFrame
    plan: pd.DataFrame
    mediator_gain: float
    remaining_gap: float
    provenance: Provenance

    def __repr__(self) -> str:
        w = ", ".join(f"{k} {v:.4g}" for k, v in self.welfare.items())
        return f"MediatedPlan(welfare: {w})"


def _play(tree, plans_by_player, profile):
    """The action labels along the path of a pure profile (plans as infoset→action dicts)."""
    node, labels = tree.root, []
    while node.infoset is not None:
        s = node.infoset
        a = plans_by_player[s.player][profile[s.player]][s.index]
        labels.append(f"{tree.players[s.player]}: {s.actions[a]}")
        node = node.children[a]
    return " → ".join(labels) if labels else "(no moves)"


def mediated_plan(
    game: JengaGame | None = None, *, max_nodes: int = 5_000, max_profiles: int = 5_000
) -> MediatedPlan:
    """Compare the SPE, the mediator's best (coarse) correlated plan and the cooperative optimum.

    Parameters
    ----------
    game : JengaGame, optional
        Default :func:`default_mediation_game`.
    max_nodes, max_profiles : int
        Limits on the game tree and on its reduced normal form.

    Examples
    --------
    >>> r = mediated_plan()
    >>> float(r.welfare["spe"]) <= float(r.welfare["correlated"]) <= float(r.welfare["cooperative"])
    True
    """
    game = game or default_mediation_game()
    tree = read_efg(game.to_efg(max_nodes=max_nodes))
    nf = reduced_normal_form(tree, max_profiles=max_profiles)
    exact = int(np.prod(nf.shape)) <= 200
    ce = correlated_equilibrium(nf, "welfare", exact=exact)
    cce = coarse_correlated_equilibrium(nf, "welfare", exact=exact)
    spe = game.solve()
    coop = game.cooperative()
    names = list(tree.players)
    pay = pd.DataFrame(
        {
            "spe": list(spe.payoffs.values()),
            "correlated": list(ce.payoffs),
            "coarse_correlated": list(cce.payoffs),
            "cooperative": list(coop.payoffs.values()),
        },
        index=pd.Index(names, name="commissioner"),
    )
    welfare = pay.sum(axis=0)
    plans = [tree.pure_strategies(p) for p in range(tree.n_players)]
    rows = []
    for idx in np.ndindex(*nf.shape):
        pr = float(ce.distribution[idx])
        if pr > 1e-12:
            row = {"probability": pr}
            for p, k in enumerate(idx):
                row[names[p]] = nf.actions[p][k]
            row["play"] = _play(tree, plans, idx)
            rows.append(row)
    plan = pd.DataFrame(rows).sort_values("probability", ascending=False, ignore_index=True)
    return MediatedPlan(
        welfare=welfare,
        payoffs=pay,
        plan=plan,
        mediator_gain=float(welfare["correlated"] - welfare["spe"]),
        remaining_gap=float(welfare["cooperative"] - welfare["correlated"]),
        provenance=Provenance(
            method="mediated_plan",
            params={"game": repr(game), "profiles": int(np.prod(nf.shape)), "exact_lp": exact},
            exact=exact,
        ),
    )
