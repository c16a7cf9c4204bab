"""Figures for collapse thresholds: collapse curves with their bands.

Every function returns a matplotlib figure made with
:func:`jenga_games.plot.style.figure`; save it with :func:`jenga_games.plot.style.save`.
"""

from __future__ import annotations

from .style import color_cycle, figure_for, styled

__all__ = ["collapse_curve", "compare_collapse_curves"]


def _what(result) -> str:
    """What a curve's "surviving" counts, with its unit (never activity across units)."""
    measure = getattr(result, "measure", "spend")
    if measure == "services":
        return "services standing"
    if measure == "health":
        return "health still provided (QALYs)"
    if measure == "activity":
        return f"activity still provided ({result.unit})"
    return "spend still provided (money at tariff)"


@styled
def collapse_curve(result, ax=None, theory=None, show_quantiles: bool = True):
    """Draw a :class:`~jenga_games.tower.thresholds.CollapseCurve` with its bands.

    Against the fraction of the order done: ``P(fallen)`` and
    ``P(collapsed)`` with their Wilson bands, the mean share still provided
    (in the curve's ``measure``: spend at tariff by default) with
    the band of the mean and (lighter) the 5–95% spread across orders, and
    dotted lines at the critical fractions.

    Parameters
    ----------
    result : CollapseCurve
        From :func:`jenga_games.tower.thresholds.collapse_curve`.
    ax : matplotlib Axes, optional
    theory : KCoreCurve, optional
        An analytic curve (:func:`~jenga_games.tower.thresholds.kcore_curve`) to overlay.
    show_quantiles : bool
        Shade the 5–95% spread of the share still provided.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..errors import JengaError

    if not hasattr(result, "p_fallen") or not hasattr(result, "mean_surviving"):
        raise JengaError(
            "plot.thresholds.collapse_curve needs a CollapseCurve from "
            "jenga_games.tower.thresholds.collapse_curve"
        )
    fig, ax = figure_for(ax)
    c = color_cycle(8)
    x = result.fraction
    ax.fill_between(x, result.p_fallen_low, result.p_fallen_high, color=c[0], alpha=0.25, lw=0)
    ax.plot(x, result.p_fallen, color=c[0], label="P(fallen)")
    ax.fill_between(
        x, result.p_collapsed_low, result.p_collapsed_high, color=c[5], alpha=0.25, lw=0
    )
    ax.plot(x, result.p_collapsed, color=c[5], label="P(collapsed)", ls="--")
    if show_quantiles:
        ax.fill_between(
            x,
            result.q05,
            result.q95,
            color=c[1],
            alpha=0.15,
            lw=0,
            label="share still provided, 5–95%",
        )
    ax.fill_between(x, result.mean_low, result.mean_high, color=c[1], alpha=0.4, lw=0)
    ax.plot(x, result.mean_surviving, color=c[1], label=f"mean share of {_what(result)}")
    if theory is not None:
        ax.plot(
            theory.fraction_removed,
            theory.surviving,
            color=c[7],
            lw=0.9,
            ls=":",
            label=f"theory (k={theory.k})",
        )
    for frac, col in (
        (result.critical_fraction_fallen, c[0]),
        (result.critical_fraction_collapsed, c[5]),
    ):
        if frac is not None:
            ax.axvline(frac, color=col, lw=0.8, ls=":")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"fraction of the order done ({result.order}, {result.samples} orders)")
    ax.set_ylabel(f"probability / share of {_what(result).split(' (')[0]}")
    ax.legend(loc="best", frameon=False)
    return fig


@styled
def compare_collapse_curves(curves, ax=None, title: str | None = None):
    """Several removal orders on one axis: ``P(collapsed)`` (solid, with its band) and the
    mean share still provided (dashed; spend at tariff by default), one colour per order.

    Parameters
    ----------
    curves : mapping label -> CollapseCurve
    ax : matplotlib axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = figure_for(ax)
    for colour, (label, c) in zip(color_cycle(len(curves)), curves.items()):
        ax.plot(c.fraction, c.p_collapsed, color=colour, label=f"{label}: P(collapsed)")
        if c.samples > 1:
            ax.fill_between(
                c.fraction, c.p_collapsed_low, c.p_collapsed_high, color=colour, alpha=0.2, lw=0
            )
        ax.plot(
            c.fraction,
            c.mean_surviving,
            color=colour,
            ls="--",
            label=f"{label}: share of {_what(c).split(' (')[0]}",
        )
    first = next(iter(curves.values()), None)
    what = _what(first) if first is not None else _what(None)
    ax.set_xlabel("fraction of blocks removed")
    ax.set_ylabel("probability / share of " + what.split(" (")[0])
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(frameon=False, loc="center right")
    if title:
        ax.set_title(title)
    return fig
