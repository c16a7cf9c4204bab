"""Figures for repeated games: folk-theorem region, tournaments, evolution, engagement.

Every function returns a matplotlib figure made with
:func:`jenga_games.plot.style.figure`; save it with :func:`jenga_games.plot.style.save`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Polygon

from .style import PAGE_WIDTH, color_cycle, figure_for, styled

__all__ = ["plot_engagement", "plot_folk_region", "plot_shares", "plot_tournament"]


@styled
def plot_folk_region(region, equilibrium_set=None, points=None, ax=None, labels=None):
    """Feasible set, minmax lines, individually rational part and (optionally) the equilibrium set.

    Parameters
    ----------
    region : FolkRegion
        From :func:`jenga_games.games.repeated.folk_region` (two players).
    equilibrium_set : EquilibriumPayoffSet, optional
        Drawn as an outline (from :func:`jenga_games.games.repeated.equilibrium_payoffs`).
    points : dict name -> (x, y), optional
        Payoff points to mark (e.g. discounted payoffs of profiles).
    labels : pair of str, optional
        Axis labels (player names).
    """
    if region.feasible.shape[1] != 2:
        from ..errors import InvalidGameError

        raise InvalidGameError("plot_folk_region draws two-player regions")
    fig, ax = figure_for(ax)
    c = color_cycle(6)
    F = region.feasible
    if len(F) >= 3:
        ax.add_patch(
            Polygon(F, closed=True, facecolor=c[1], alpha=0.18, edgecolor=c[1], label="feasible")
        )
    else:
        ax.plot(F[:, 0], F[:, 1], color=c[1], label="feasible")
    if region.individually_rational is not None and len(region.individually_rational) >= 3:
        ax.add_patch(
            Polygon(
                region.individually_rational,
                closed=True,
                facecolor=c[2],
                alpha=0.35,
                edgecolor="none",
                label="individually rational",
            )
        )
    lo = region.minmax_mixed
    ax.axvline(lo[0], color=c[5], lw=0.8, ls="--")
    ax.axhline(lo[1], color=c[5], lw=0.8, ls="--", label="minmax")
    if equilibrium_set is not None and len(equilibrium_set.vertices):
        V = np.vstack([equilibrium_set.vertices, equilibrium_set.vertices[:1]])
        ax.plot(
            V[:, 0], V[:, 1], color=c[0], lw=1.6, label=f"equilibria, δ={equilibrium_set.delta:g}"
        )
    for k, (name, (x, y)) in enumerate((points or {}).items()):
        ax.plot([x], [y], "o", ms=3.5, color=c[(k + 3) % 6])
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(3, 3), fontsize=6)
    pad = 0.05 * (F.max() - F.min() + 1e-9)
    ax.set_xlim(F[:, 0].min() - pad, F[:, 0].max() + pad)
    ax.set_ylim(F[:, 1].min() - pad, F[:, 1].max() + pad)
    ax.set_aspect("equal", adjustable="box")
    names = labels or ("player 1", "player 2")
    ax.set_xlabel(f"payoff of {names[0]}")
    ax.set_ylabel(f"payoff of {names[1]}")
    ax.legend(loc="upper right", frameon=False, fontsize=6)
    return fig


@styled
def plot_tournament(result, ax=None):
    """Scores per strategy (one dot per match and repetition), best first, with the mean."""
    fig, ax = figure_for(ax, width=PAGE_WIDTH, height=0.4 * PAGE_WIDTH)
    order = list(result.ranking.index)
    data = [result.matches.loc[result.matches["player"] == s, "score"].to_numpy() for s in order]
    c = color_cycle(2)
    ax.boxplot(
        data,
        orientation="horizontal",
        widths=0.6,
        showfliers=False,
        medianprops={"color": c[0]},
        boxprops={"color": "0.4"},
        whiskerprops={"color": "0.4"},
    )
    ax.plot(
        result.ranking["mean_score"].to_numpy(),
        np.arange(1, len(order) + 1),
        "D",
        ms=3,
        color=c[1],
        label="mean",
    )
    ax.set_yticks(np.arange(1, len(order) + 1), order)
    ax.invert_yaxis()
    ax.set_xlabel("mean payoff per round")
    ax.legend(frameon=False, loc="lower right")
    return fig


@styled
def plot_shares(shares, ax=None, xlabel="time"):
    """Shares (replicator) or counts (Moran) of each strategy over time (a DataFrame or array)."""
    import pandas as pd

    df = shares if isinstance(shares, pd.DataFrame) else pd.DataFrame(np.asarray(shares))
    fig, ax = figure_for(ax, width=PAGE_WIDTH * 0.6)
    for col, color in zip(df.columns, color_cycle(len(df.columns))):
        ax.plot(df.index, df[col], color=color, label=str(col))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share" if float(np.nanmax(df.to_numpy())) <= 1.0 else "count")
    ax.legend(frameon=False, fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


@styled
def plot_engagement(engagement, ax=None):
    """Cooperation probability round by round after 0, 1, 2, ... dashed expectations."""
    fig, ax = figure_for(ax, width=PAGE_WIDTH * 0.6)
    ks = sorted(engagement.paths)
    for k, color in zip(ks, color_cycle(len(ks))):
        path = engagement.paths[k]
        start = k * (engagement.build_up + 1)
        ax.plot(
            np.arange(len(path)) - start,
            path,
            color=color,
            label=f"k = {k}",
            drawstyle="steps-post",
        )
    ax.axvline(0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("rounds after the last dashed expectation")
    ax.set_ylabel("probability of cooperating")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(engagement.strategy, fontsize=7)
    ax.legend(frameon=False, fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
