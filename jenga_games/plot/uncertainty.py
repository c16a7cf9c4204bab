"""Figures of uncertainty analyses: tornado, PSA scatter, outcome probabilities, CEAC and EVPI.

Inputs are the frames of :mod:`jenga_games.uncertainty`; each function draws on
``ax`` (or a new figure in the house style) and returns the axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .style import PALETTE, figure_for, styled

__all__ = ["plot_ceac", "plot_probabilities", "plot_psa_scatter", "plot_tornado"]

_ORANGE, _SKY, _GREEN, _BLUE, _VERMILLION = (
    PALETTE[1],
    PALETTE[2],
    PALETTE[3],
    PALETTE[5],
    PALETTE[6],
)


@styled
def plot_tornado(
    table: pd.DataFrame, *, ax=None, unit: str = "", top: int = 12, label: str | None = None
):
    """Tornado diagram of :func:`~jenga_games.uncertainty.tornado` (largest swing on top).

    Bars run from the base-case output to the output at each parameter's low
    (sky blue) and high (orange) quantile.
    """
    t = table.head(top).iloc[::-1]
    base = float(table.attrs.get("base", 0.0))
    out = label or str(table.attrs.get("output", "output"))
    _fig, ax = figure_for(ax, height=0.9 + 0.22 * len(t))
    y = np.arange(len(t))
    q = table.attrs.get("quantiles", (0.05, 0.95))
    ax.barh(
        y, t["output_low"] - base, left=base, color=_SKY, height=0.6, label=f"{q[0]:.0%} quantile"
    )
    ax.barh(
        y,
        t["output_high"] - base,
        left=base,
        color=_ORANGE,
        height=0.6,
        label=f"{q[1]:.0%} quantile",
    )
    ax.axvline(base, color=PALETTE[0], lw=0.8)
    ax.set_yticks(y, [str(p) for p in t["parameter"]])
    ax.set_xlabel(f"{out}{f' ({unit})' if unit else ''}; base {base:.3g}")
    ax.grid(axis="y", visible=False)
    ax.figure.legend(loc="outside lower center", ncol=2, frameon=False)
    ax.set_title("One-way sensitivity (others at their medians)")
    return ax


@styled
def plot_psa_scatter(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    hue: str | None = None,
    ax=None,
    xunit: str = "",
    yunit: str = "",
):
    """Scatter of two columns of a PSA frame, coloured by a boolean ``hue`` (e.g. ``fell``)."""
    _fig, ax = figure_for(ax)
    if hue is None:
        ax.scatter(frame[x], frame[y], s=6, color=_BLUE, alpha=0.6, linewidths=0)
    else:
        h = frame[hue].astype(bool)
        for value, colour, mark in ((False, _BLUE, "o"), (True, _VERMILLION, "^")):
            sel = h == value
            ax.scatter(
                frame.loc[sel, x],
                frame.loc[sel, y],
                s=10,
                color=colour,
                marker=mark,
                alpha=0.7,
                linewidths=0,
                label=f"{hue}: {'yes' if value else 'no'} ({int(sel.sum())})",
            )
        ax.figure.legend(loc="outside lower center", ncol=2, frameon=False)
    ax.set_xlabel(f"{x}{f' ({xunit})' if xunit else ''}")
    ax.set_ylabel(f"{y}{f' ({yunit})' if yunit else ''}")
    ax.set_title(f"PSA: {len(frame)} draws")
    return ax


@styled
def plot_probabilities(table: pd.DataFrame, *, ax=None, labels: Sequence[str] | None = None):
    """Outcome probabilities with their confidence intervals (:func:`~jenga_games.uncertainty.probabilities`)."""
    _fig, ax = figure_for(ax, height=0.9 + 0.25 * len(table))
    y = np.arange(len(table))[::-1]
    p = table["p"].to_numpy()
    err = np.vstack([p - table["low"].to_numpy(), table["high"].to_numpy() - p])
    ax.barh(y, p, color=_SKY, height=0.6)
    ax.errorbar(p, y, xerr=err, fmt="none", ecolor=PALETTE[0], capsize=2, lw=0.9)
    ax.set_yticks(y, list(labels) if labels is not None else list(table["outcome"]))
    ax.set_xlim(0, 1)
    level = float(table["level"].iloc[0]) if len(table) else 0.95
    ax.set_xlabel(f"probability (share of draws; bars: {level:.0%} Wilson interval)")
    ax.grid(axis="y", visible=False)
    n = int(table["n"].iloc[0]) if len(table) else 0
    ax.set_title(f"Probability of each outcome ({n} draws)")
    return ax


@styled
def plot_ceac(
    curves: pd.DataFrame, *, ax=None, wtp_unit: str = "£ per unit of effect", evpi_unit: str = "£ m"
):
    """Acceptability curves (left axis) and EVPI (right axis) of :func:`~jenga_games.uncertainty.ceac`."""
    _fig, ax = figure_for(ax)
    options = [c for c in curves.columns if c not in ("wtp", "best", "evpi")]
    for i, o in enumerate(options):
        ax.plot(curves["wtp"], curves[o], color=PALETTE[1 + i % 7], label=f"P({o} best)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"willingness to pay ({wtp_unit})")
    ax.set_ylabel("probability cost-effective")
    right = ax.twinx()
    right.plot(curves["wtp"], curves["evpi"], color=PALETTE[0], ls="--", label="EVPI")
    right.set_ylabel(f"EVPI ({evpi_unit} per decision)")
    right.grid(False)
    right.spines["right"].set_visible(True)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = right.get_legend_handles_labels()
    ax.figure.legend(h1 + h2, l1 + l2, loc="outside lower center", ncol=3, frameon=False)
    ax.set_title("Acceptability curves and EVPI")
    return ax
