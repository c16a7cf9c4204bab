"""Figures for the hidden-information models: shroud waving, reputation, the mediator.

See ``docs/commissioning/hidden_information.md``. Every figure is computed by
the model it shows (:mod:`jenga_games.commissioning.signalling`,
:mod:`~jenga_games.commissioning.reputation`, :mod:`~jenga_games.commissioning.mediator`);
formulas are drawn only on top, as a check that can be seen.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from .style import COLUMN_WIDTH, PAGE_WIDTH, color_cycle, figure, styled

__all__ = ["plot_mediator", "plot_reputation", "plot_signalling_regions"]


def _signalling_kind(params) -> int:
    """0: a credible warning (separating equilibrium); 1: pooling only, services moved;
    2: pooling only, services kept (from the enumerated equilibria)."""
    from ..commissioning.signalling import signalling_equilibria

    res = signalling_equilibria(params)
    if res.credible_warning:
        return 0
    eq = res.equilibria
    pooled = eq[eq["kind"] == "pooling"]
    moved = any(
        (r["after_warn"] if r["fragile_sends"] == "warn" else r["after_quiet"]) == "move"
        for _, r in pooled.iterrows()
    )
    return 1 if moved else 2


@styled
def plot_signalling_regions(params=None, n: int = 10, max_cost: float | None = None):
    """Which equilibria the shroud-waving game has, over the robust provider's cost of a
    warning ``c_R`` (£ m) and the commissioner's prior ``p`` that the provider is fragile.

    Each cell is classified from :func:`~jenga_games.commissioning.signalling.signalling_equilibria`
    (every pure PBE enumerated exactly); the lines are the formulas ``c_R = V``
    (a warning stops being credible below it) and ``p = G / (G + L)`` (without a
    credible warning the commissioner moves services below it).
    """
    from ..commissioning.signalling import SignallingParams

    prm = params or SignallingParams()
    top = max_cost if max_cost is not None else 2.0 * prm.value_kept
    # cells: the model is evaluated at each cell's centre; with the default range the
    # cell edges fall on c_R = V
    cost_edges, prior_edges = np.linspace(0.0, top, n + 1), np.linspace(0.0, 1.0, n + 1)
    costs = (cost_edges[1:] + cost_edges[:-1]) / 2
    priors = (prior_edges[1:] + prior_edges[:-1]) / 2
    kind = np.empty((n, n), dtype=int)
    for a, p in enumerate(priors):
        for b, c in enumerate(costs):
            kind[a, b] = _signalling_kind(
                dataclasses.replace(prm, warn_cost_robust=float(c), prior_fragile=float(p))
            )
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    cols = [color_cycle(6)[k] for k in (2, 0, 5)]
    labels = [
        "credible warning (separating)",
        "pooling: services moved",
        "pooling: services kept",
    ]
    fig, ax = figure(COLUMN_WIDTH * 1.3)
    ax.pcolormesh(
        cost_edges,
        prior_edges,
        kind,
        cmap=ListedColormap(cols),
        vmin=-0.5,
        vmax=2.5,
        shading="flat",
    )
    ax.grid(False)
    ax.axvline(prm.value_kept, color="k", lw=1.0, ls="--")
    cut = prm.gain_move / (prm.gain_move + prm.collapse_loss)
    ax.plot([0, prm.value_kept], [cut, cut], color="k", lw=1.0, ls=":")
    ax.text(prm.value_kept, 0.93, " $c_R = V$", fontsize="small", va="top", ha="left")
    ax.text(0.02, cut + 0.02, "$p = G/(G+L)$", fontsize="small")
    ax.set_xlabel("robust provider's cost of a warning $c_R$ (£ m)")
    ax.set_ylabel("prior that the provider is fragile $p$ (probability)")
    ax.set_xlim(cost_edges[0], cost_edges[-1])
    ax.set_ylim(0, 1)
    ax.legend(
        handles=[Patch(color=c, label=lab) for c, lab in zip(cols, labels)],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncol=1,
        frameon=False,
    )
    ax.set_title(
        f"Shroud waving (V = {prm.value_kept:g}, $c_F$ = {prm.warn_cost_fragile:g}, "
        f"G = {prm.gain_move:g}, L = {prm.collapse_loss:g}; £ m)",
        fontsize="small",
    )
    return fig


@styled
def plot_reputation(params=None, priors=None, gains=(0.3, 0.5, 0.7)):
    """The Kreps–Wilson chain store: the equilibrium along the path without entry, and
    how many contracts go uncontested against the prior ``ε`` that the incumbent is tough.

    Left: reputation, the entrant's probability of staying out and the weak
    incumbent's probability of fighting an entry, per contract
    (:func:`~jenga_games.commissioning.reputation.reputation`). Right: uncontested
    contracts out of ``N`` for several entrant gains ``b``, with the rule of thumb
    ``N - ln ε / ln b`` dashed.
    """
    from ..commissioning.reputation import ReputationParams, reputation

    prm = params or ReputationParams(n_contracts=20, prior_tough=0.1, entrant_gain=0.5)
    r = reputation(prm)
    c = color_cycle(4)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.4 * PAGE_WIDTH, ncols=2)
    t = r.path["contract"]
    ax.step(t, r.path["reputation"], where="mid", color=c[0], label="reputation (P tough)")
    ax.step(t, r.path["stay_out"], where="mid", color=c[1], label="entrant stays out")
    ax.step(
        t, r.path["weak_fights"], where="mid", color=c[2], ls="--", label="weak incumbent fights"
    )
    if r.uncontested < prm.n_contracts:
        ax.axvline(r.uncontested + 0.5, color="k", lw=0.8, ls=":")
        ax.text(r.uncontested + 0.6, 0.5, "first contested", fontsize="small", rotation=90)
    ax.set_xlabel("contract (in order of tendering)")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.05)
    ax.set_title(
        f"Path without entry (ε = {prm.prior_tough:g}, b = {prm.entrant_gain:g})",
        fontsize="small",
    )
    ax.legend(loc="center left", fontsize="small")
    eps = priors if priors is not None else np.geomspace(1e-3, 0.5, 25)
    N = prm.n_contracts
    for col, b in zip(c, gains):
        unc = [
            reputation(dataclasses.replace(prm, prior_tough=float(e), entrant_gain=b)).uncontested
            for e in eps
        ]
        ax2.step(eps, unc, where="post", color=col, label=f"b = {b:g}")
        ax2.plot(
            eps,
            [max(0.0, N - math.log(e) / math.log(b)) for e in eps],
            color=col,
            lw=0.8,
            ls="--",
        )
    from matplotlib.ticker import MaxNLocator

    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax2.set_xscale("log")
    ax2.set_xlabel("prior that the incumbent is tough ε (probability)")
    ax2.set_ylabel(f"uncontested contracts (of {N})")
    ax2.set_title("Deterrence by reputation (dashed: N − ln ε / ln b)", fontsize="small")
    ax2.legend(title="entrant's gain b (£ m)", fontsize="small")
    return fig


@styled
def plot_mediator(plan=None):
    """Each commissioner's payoff and the welfare (£ m, discounted) under the SPE, the
    mediator's best correlated and coarse correlated plans, and the cooperative optimum
    (:func:`~jenga_games.commissioning.mediator.mediated_plan`)."""
    from ..commissioning.mediator import mediated_plan

    res = plan if plan is not None else mediated_plan()
    pay = res.payoffs
    ways = list(pay.columns)
    names = {
        "spe": "SPE",
        "correlated": "mediator (CE)",
        "coarse_correlated": "mediator (CCE)",
        "cooperative": "cooperative",
    }
    players = list(pay.index)
    c = color_cycle(len(players) + 1)
    fig, ax = figure(COLUMN_WIDTH * 1.4)
    x = np.arange(len(ways))
    w = 0.8 / len(players)
    for k, (who, col) in enumerate(zip(players, c)):
        ax.bar(x - 0.4 + (k + 0.5) * w, pay.loc[who].to_numpy(float), w, color=col, label=who)
    ax.plot(x, res.welfare.to_numpy(float), "D", color="k", ms=5, label="welfare (sum)")
    for xi, v in zip(x, res.welfare.to_numpy(float)):
        ax.annotate(
            f"{v:.2f}", (xi, v), textcoords="offset points", xytext=(6, 2), fontsize="small"
        )
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xticks(x, [names.get(k, k) for k in ways])
    ax.set_ylabel("payoff (£ m, discounted)")
    ax.set_title("A mediator's plan for a small Jenga game", fontsize="small")
    ax.legend(fontsize="small", loc="best", title="commissioner")
    return fig
