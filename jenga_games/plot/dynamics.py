"""Figures for the dynamic models (:mod:`jenga_games.dynamics`)."""

from __future__ import annotations

import numpy as np

from .style import PAGE_WIDTH, color_cycle, figure, styled

__all__ = [
    "plot_capability",
    "plot_centre",
    "plot_engagement",
    "plot_timeline",
    "plot_trust_process",
]


@styled
def plot_capability(params=None, periods=(2, 4, 8), years: float = 24.0):
    """Capability paths under periodic reorganisation, and the long-run average against the period."""
    from ..dynamics.capability import (
        CapabilityParams,
        average_capability,
        capability_path,
        periodic_reorganisations,
    )

    prm = params or CapabilityParams()
    c = color_cycle(len(periods) + 1)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    for col, T in zip(c, periods):
        r = capability_path(periodic_reorganisations(T, years), years, prm)
        ax.plot(
            r.path["t"],
            r.path["capability"],
            color=col,
            label=f"every {T:g} years (mean {r.average:.2f})",
        )
    ax.set_xlabel("years")
    ax.set_ylabel("capability K (share of a settled organisation's)")
    ax.set_ylim(0, 1.05 * prm.ceiling)
    ax.set_title("Learning, cut back at each reorganisation")
    ax.legend(loc="lower right")
    T = np.linspace(0.5, 15, 200)
    for rho, col in zip((0.3, prm.retained_share, 0.8), c):
        p = type(prm)(**{**prm.__dict__, "retained_share": rho})
        ax2.plot(T, average_capability(T, p), color=col, label=f"retained share ρ = {rho:g}")
    ax2.axvline(2, color="k", lw=0.8, ls=":")
    ax2.text(2.2, 0.05, "2 years (Walshe 2010)", fontsize="small")
    ax2.set_xlabel("years between reorganisations T")
    ax2.set_ylabel("long-run average capability")
    ax2.set_ylim(0, 1.05 * prm.ceiling)
    ax2.set_title(f"Shorter cycles, less capability (λ = {prm.learning_rate:g} a year)")
    ax2.legend(loc="lower right")
    return fig


@styled
def plot_centre(result=None, params=None, years: int = 60, seed=0):
    """A simulated history of the centre's structures: capability, welfare and reorganisations."""
    from ..dynamics.reorganisation import simulate_centre

    r = result if result is not None else simulate_centre(params, years, seed)
    c = color_cycle(4)
    fig, ax = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH)
    path = r.path
    yrs = path.index.to_numpy()
    local = (path["structure"] == "local").to_numpy()
    first = True
    for t in np.flatnonzero(local):  # one band per year under local commissioning
        ax.axvspan(
            t, t + 1, color=c[1], alpha=0.15, lw=0, label="local commissioning" if first else None
        )
        first = False
    ax.step(yrs, path["welfare"], where="post", color=c[0], label="welfare W (£ a head a year)")
    ax.plot(
        yrs, path["measured"], ".", color=c[0], alpha=0.5, ms=3, label="what the centre measured"
    )
    aspiration = r.provenance.params["aspiration"]
    ax.axhline(aspiration, color="k", lw=0.8, ls="--", label=f"aspiration A = £{aspiration:g}")
    for t in r.reorganisations:
        ax.axvline(t, color=c[2], lw=0.6, alpha=0.7)
    ax.set_xlabel("year")
    ax.set_ylabel("£ per head a year")
    ax.set_title(
        f"{len(r.reorganisations)} reorganisations in {len(path)} years "
        f"(vertical lines); shaded: local"
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig


@styled
def plot_timeline(timeline, title: str | None = None):
    """Provider balances and commissioners' cumulative net saving year by year (£ per year)."""
    c = color_cycle(6)
    fig, (ax, ax2) = figure(PAGE_WIDTH, 0.38 * PAGE_WIDTH, ncols=2)
    years = timeline.years
    cols = [k for k in years.columns if k.startswith("balance[")]
    for col, k in zip(c, cols):
        ax.plot(years.index, years[k], marker="o", ms=3, color=col, label=k[8:-1])
        for pid, t in timeline.failed_in.items():
            if f"balance[{pid}]" == k:
                ax.scatter([t], [years[k].iloc[t]], marker="x", color="k", zorder=3, s=40)
                ax.annotate(
                    "fails, stays failed",
                    (t, years[k].iloc[t]),
                    textcoords="offset points",
                    xytext=(6, -10),
                    fontsize="small",
                )
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xlabel("year")
    ax.set_ylabel("provider balance Σ margins + R − F (£ a year)")
    ax.set_title(title or "Providers year by year")
    ax.legend(loc="best", fontsize="small")
    ax2.bar(years.index, years["net"], color=c[1], alpha=0.6, label="net saving that year")
    ax2.plot(years.index, years["cumulative_net"], color=c[0], marker="o", ms=3, label="cumulative")
    ax2.axhline(0, color="k", lw=0.8)
    be = timeline.break_even_year
    ax2.set_title(
        "Commissioners: break-even " + (f"in year {be}" if be is not None else "not reached")
    )
    ax2.set_xlabel("year")
    ax2.set_ylabel("£ a year (released − new service)")
    ax2.legend(loc="best", fontsize="small")
    return fig


@styled
def plot_trust_process(result=None, process=None, keep_probability: float = 0.5):
    """Simulated trust paths, their mean, and the closed-form mean and fixed point."""
    from ..dynamics.trust import trust_path

    r = result if result is not None else trust_path(process, keep_probability, n_paths=400)
    c = color_cycle(3)
    fig, ax = figure()
    t = np.arange(r.paths.shape[1])
    for row in r.paths[:25]:
        ax.plot(t, row, color=c[1], alpha=0.15, lw=0.8)
    ax.plot(t, r.mean, color=c[0], lw=2, label="mean of simulated paths")
    ax.plot(t, r.expected, "k--", lw=1, label="closed form")
    ax.axhline(r.fixed_point, color=c[2], lw=1, label=f"fixed point T* = {r.fixed_point:.2f}")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("year (one promise a year)")
    ax.set_ylabel("GPs' trust in the centre")
    ax.set_title("Trust raised and dashed")
    ax.legend(loc="upper right", fontsize="small")
    return fig


@styled
def plot_engagement(result=None, params=None):
    """GP engagement over time for several delays between effort and visible result."""
    from ..dynamics.trust import engagement_path

    r = result if result is not None else engagement_path(params=params)
    c = color_cycle(len(r.path.columns))
    fig, ax = figure()
    for col, d in zip(c, r.path.columns):
        ax.plot(
            r.path.index,
            r.path[d],
            color=col,
            marker="o",
            ms=2.5,
            label=f"result seen after {d:g} years",
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("year")
    ax.set_ylabel("GP engagement")
    ax.set_title(f"Engagement lasts only if results show within d* = {r.critical_delay:.2g} years")
    ax.legend(loc="center right", fontsize="small")
    return fig
