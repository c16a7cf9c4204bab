"""Figures for the commissioning models (:mod:`jenga_games.commissioning`).

Every function takes a model's result (or computes the default one) and
returns a matplotlib figure made with :func:`jenga_games.plot.style.figure`;
save it with :func:`jenga_games.plot.style.save`.
"""

from __future__ import annotations

import numpy as np

from .style import PAGE_WIDTH, color_cycle, figure, styled

__all__ = [
    "plot_contestability",
    "plot_finance",
    "plot_gains",
    "plot_jenga",
    "plot_levels",
    "plot_risk",
    "plot_trust",
]


@styled
def plot_finance(result=None):
    """Cash released and payments saved against activity moved, with the step points.

    Parameters
    ----------
    result : MoneyFollowsPatients, optional
        Default :func:`jenga_games.commissioning.money_follows_patients` ().
    """
    from ..commissioning.finance import money_follows_patients

    r = result if result is not None else money_follows_patients()
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    cv = r.curve
    ax.plot(cv["moved"], cv["payment_saved"], color=c[0], label="payments saved (tariff)")
    ax.step(
        cv["moved"],
        cv["cash_released"],
        where="post",
        color=c[2],
        label="cost taken out (cash released)",
    )
    ax.plot(
        cv["moved"],
        cv["reprovision_cost"],
        color=c[5],
        ls="--",
        label="cost of re-providing elsewhere",
    )
    for _, s in r.steps.iterrows():
        if s["kind"] == "service_closed":
            ax.axvline(s["moved"], color="0.6", lw=0.6, ls=":")
    ax.set_xlabel("activity moved out (units a year)")
    ax.set_ylabel("money a year (tower's unit; £m in the worked economy)")
    ax.set_title(f"Money follows patients: {r.provider}")
    ax.legend(loc="upper left")
    ax2.plot(cv["moved"], cv["provider_surplus"], color=c[3], label="provider surplus")
    ax2.axhline(0, color="k", lw=0.8)
    fell = cv[cv["provider_failed"]]
    if len(fell):
        ax2.scatter(
            fell["moved"],
            fell["provider_surplus"],
            s=6,
            color=c[4],
            zorder=3,
            label="provider fails (tower cascade)",
        )
    pu = r.provider_unviable_at()
    if pu is not None:
        ax2.axvline(pu, color=c[4], ls="--", lw=0.8)
        ax2.annotate(
            "first unviable", (pu, 0), xytext=(4, 8), textcoords="offset points", fontsize=6
        )
    ax2.set_xlabel("activity moved out (units a year)")
    ax2.set_ylabel("money a year (tower's unit; £m in the worked economy)")
    ax2.set_title("Viability: surplus falls until a service closes")
    ax2.legend(loc="lower right")
    return fig


@styled
def plot_gains(result=None):
    """Shapley, nucleolus and proportional shares of the co-design game, player by player."""
    from ..commissioning.gains import gain_sharing

    r = result if result is not None else gain_sharing()
    c = color_cycle(3)
    fig, ax = figure(PAGE_WIDTH * 0.6, 0.4 * PAGE_WIDTH)
    players = list(r.game.players)
    x = np.arange(len(players))
    for k, (name, vals) in enumerate(
        (("Shapley", r.shapley), ("nucleolus", r.nucleolus), ("proportional", r.proportional))
    ):
        key = name.lower()
        mark = "" if r.in_core[key] else " (outside core)"
        ax.bar(x + (k - 1) * 0.27, vals, 0.27, color=c[k], label=name + mark)
    ax.set_xticks(x, players, rotation=20, ha="right")
    ax.set_ylabel("share of value created (£k a year)")
    core = "empty" if r.core_empty else "non-empty"
    ax.set_title(f"Gain-making: v(N) = {r.value:.4g}, core {core}")
    ax.legend()
    return fig


@styled
def plot_risk(group=None, pooling=None, params=None):
    """Reserve per head against group size (``1/√N``), the per-head costs and the best size."""
    from ..commissioning.risk import CRUMP_1991, group_size

    g = group if group is not None else group_size(params)
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    t = g.table
    ax.loglog(
        t["population"], t["cv"], color=c[0], label=f"whole budget, κ = {g.params.per_person_cv:g}"
    )
    Ns = np.array(sorted(CRUMP_1991))
    cvs = np.array([CRUMP_1991[n][1] / CRUMP_1991[n][0] for n in Ns])
    kappa = float(np.exp(np.mean(np.log(cvs) + 0.5 * np.log(Ns))))
    ax.loglog(
        t["population"],
        kappa / np.sqrt(t["population"]),
        color=c[4],
        ls="--",
        label=f"surgical budget, κ = {kappa:.2f} (fitted)",
    )
    ax.scatter(Ns, cvs, color=c[4], zorder=3, label="Crump et al. 1991 (surgical budget)")
    ax.set_xlabel("population pooled")
    ax.set_ylabel("coefficient of variation of annual cost")
    ax.set_title("Pooling: variation falls like 1/√N")
    ax.legend()
    ax2.plot(t["population"], t["reserve_cost"], color=c[0], label="reserve (cost of capital)")
    ax2.plot(t["population"], t["coordination"], color=c[1], label="coordination")
    ax2.plot(t["population"], t["focus"], color=c[2], label="loss of local focus")
    ax2.plot(t["population"], t["total"], color="k", lw=1.8, label="total")
    ax2.axvline(g.best_population, color=c[4], ls="--", lw=0.8)
    ax2.annotate(
        f"best ≈ {g.best_population:,}",
        (g.best_population, t["total"].min()),
        xytext=(-20, 14),
        textcoords="offset points",
        fontsize=6,
    )
    ax2.set_xscale("log")
    ax2.set_xlabel("group population (practices × list)")
    ax2.set_ylabel("£ per head a year")
    ax2.set_title("Best size of a commissioning group")
    ax2.legend(loc="upper right")
    return fig


_REGION_COLOURS = {
    "no alternative": 0,
    "threat not worth carrying out": 1,
    "too big to fail": 5,
    "credible threat": 2,
}


@styled
def plot_contestability(regions=None, params=None):
    """Regions of the single-lot game over (contract size, collapse cost)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from ..commissioning.contestability import contest_regions

    if regions is None:
        regions = contest_regions(np.linspace(0.25, 12, 48), np.linspace(0, 1.5, 31), params)
    names = list(_REGION_COLOURS)
    qs = np.sort(regions["quantum"].unique())
    Ds = np.sort(regions["collapse_cost"].unique())
    grid = regions.pivot(index="collapse_cost", columns="quantum", values="region").loc[Ds, qs]
    codes = grid.apply(lambda col: col.map(names.index)).to_numpy()
    pal = color_cycle(8)
    cmap = ListedColormap([pal[_REGION_COLOURS[n]] for n in names])
    fig, ax = figure(PAGE_WIDTH * 0.85, 0.42 * PAGE_WIDTH)
    dq = (qs[1] - qs[0]) / 2 if len(qs) > 1 else 0.5
    dd = (Ds[1] - Ds[0]) / 2 if len(Ds) > 1 else 0.5
    ax.imshow(
        codes,
        origin="lower",
        aspect="auto",
        cmap=cmap,
        vmin=-0.5,
        vmax=len(names) - 0.5,
        extent=(qs[0] - dq, qs[-1] + dq, Ds[0] - dd, Ds[-1] + dd),
        interpolation="nearest",
    )
    ax.set_xlabel("contract size q (£ m a year)")
    ax.set_ylabel("collapse cost D borne by the commissioner (£ m)")
    ax.set_title("Is the threat to move the contract credible?")
    present = set(regions["region"])
    ax.legend(
        handles=[Patch(color=pal[_REGION_COLOURS[n]], label=n) for n in names if n in present],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
    )
    ax.grid(False)
    return fig


@styled
def plot_levels(levels=None, reorg=None):
    """Per-head cost of each service at each level (best marked), and cumulative cost of reorganising."""
    from ..commissioning.levels import best_levels, reorganisation_cost

    lv = levels if levels is not None else best_levels()
    ro = reorg if reorg is not None else reorganisation_cost()
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.4 * PAGE_WIDTH, ncols=2)
    cost = lv.cost
    rel = cost.div(cost.min(axis=1), axis=0)
    im = ax.imshow(np.log10(rel.to_numpy()), cmap="viridis_r", aspect="auto", vmin=0, vmax=1)
    ax.set_xticks(range(cost.shape[1]), cost.columns, rotation=25, ha="right")
    ax.set_yticks(range(cost.shape[0]), cost.index)
    for i, s in enumerate(cost.index):
        j = list(cost.columns).index(lv.best[s])
        ax.text(j, i, "best", ha="center", va="center", fontsize=6, color="k")
    ax.figure.colorbar(im, ax=ax, label="log10(cost / best cost)")
    ax.set_title("Which level? (scale vs local fit)")
    ax.grid(False)
    cum = ro.yearly.cumsum()
    ax2.plot(cum.index, cum["stay"], color=c[2], label="stay at best levels")
    ax2.plot(
        cum.index,
        cum["structure"],
        color=c[0],
        ls="--",
        label="pendulum levels, no transition cost",
    )
    ax2.plot(
        cum.index,
        cum["pendulum"],
        color=c[5],
        label=f"reorganise every {ro.provenance.params['period']} years",
    )
    ax2.set_xlabel("year")
    ax2.set_ylabel("cumulative discounted £ per head")
    ax2.set_title(f"{ro.reorganisations} reorganisations cost £{ro.churn_cost:.0f} a head")
    ax2.legend()
    return fig


@styled
def plot_trust(result=None, params=None):
    """Engagement after k dashed expectations, and where co-operation lasts in (δ, turnover)."""
    from ..commissioning.trust import sustainability_grid, trust_model

    r = result if result is not None else trust_model(params)
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    e = r.engagement
    ax.bar(e.index, e["engagement"], color=c[2])
    ax.set_xlabel("expectations raised and dashed (k)")
    ax.set_ylabel("GP engagement afterwards")
    ax.set_ylim(0, 1.05)
    ax.set_title("Vicious cycle: engagement after k dashes")
    d = np.linspace(0.01, 0.99, 99)
    q = np.linspace(0.0, 0.95, 96)
    grid = sustainability_grid(d, q, params)
    ax2.contourf(d, q, grid.astype(float), levels=[-0.5, 0.5, 1.5], colors=[c[5], c[2]], alpha=0.5)
    ax2.plot(
        d,
        1 - np.minimum(1, r.delta_star / d),
        color="k",
        lw=1,
        label=f"δ(1−q) = δ* = {r.delta_star:.3g}",
    )
    ax2.scatter(
        [r.effective_delta / (1 - r.provenance.params["turnover"])],
        [r.provenance.params["turnover"]],
        color="k",
        marker="x",
        zorder=3,
        label="default (Walshe 2010)",
    )
    ax2.set_xlabel("discount factor δ")
    ax2.set_ylabel("q: yearly chance a reorganisation\noverturns the reform")
    ax2.set_title("Co-operation lasts (green) or unravels")
    ax2.legend(loc="upper left")
    return fig


@styled
def plot_jenga(result=None):
    """Value created and lost under myopic, competitive and cooperative play, and the thresholds."""
    from ..commissioning.jenga import jenga_commissioning

    r = result if result is not None else jenga_commissioning()
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    t = r.table
    x = np.arange(len(t))
    ax.bar(x - 0.2, t["value_created"], 0.4, color=c[2], label="value created")
    ax.bar(x + 0.2, t["value_lost"], 0.4, color=c[5], label="value lost in falls")
    for i, fell in enumerate(t["fell"]):
        if fell:
            ax.annotate(
                "falls",
                (i, max(t["value_created"].iloc[i], t["value_lost"].iloc[i])),
                ha="center",
                xytext=(0, 3),
                textcoords="offset points",
                fontsize=6,
            )
    ax.set_xticks(x, list(t.index))
    ax.set_ylabel("£ m a year")
    ax.set_title("Jenga commissioning: three ways to play")
    ax.legend()
    sweep = r.collapse_sweep
    ax2.plot(sweep["collapse_cost"], sweep["fell"].astype(int), "o", ms=3, color=c[4])
    if r.collapse_threshold is not None:
        ax2.axvline(
            r.collapse_threshold,
            color="k",
            ls="--",
            lw=0.8,
            label=f"threshold ≈ {r.collapse_threshold:.3g} (bisection)",
        )
        ax2.legend(loc="center right")
    ax2.set_yticks([0, 1], ["stands", "falls"])
    ax2.set_xlabel("collapse cost borne by the mover (£ m)")
    ax2.set_title("Competitive play stops toppling the tower")
    return fig
