"""When does re-commissioning topple a local health economy? Figures and tables of the paper.

Run ``jenga papers build jenga-commissioning``; every artifact is seeded and deterministic.
The scans use :func:`jenga_games.sweep.sweep` (local processes, a progress bar on stderr).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from jenga_games.commissioning import (
    GainsParams,
    LevelsParams,
    RiskParams,
    TrustParams,
    gain_sharing,
    group_size,
    jenga_commissioning,
    reorganisation_cost,
    replication_table,
    simulate_annual_costs,
    trust_model,
)
from jenga_games.commissioning.jenga import JengaParams, commissioning_game
from jenga_games.papers import figure, table
from jenga_games.plot.style import PAGE_WIDTH, color_cycle
from jenga_games.plot.style import figure as new_figure
from jenga_games.plot.tower import draw_tower
from jenga_games.sweep import sweep
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.thresholds import collapse_curve, max_safe_set, safe_schedule, weakest_blocks

#: Okabe–Ito colours, in the order used throughout (orange, sky blue, green, yellow, blue, red, purple).
C = color_cycle(8)
ORANGE, SKY, GREEN, BLUE, RED, PURPLE, BLACK = C[0], C[1], C[2], C[4], C[5], C[6], C[7]
#: The scenario drawn in the first figure: two outpatient specialties that are each safe alone.
SCENARIO = ("cardiology", "ophthalmology")
CURVE_SAMPLES = 2000
SHOW = True  # progress bars for the sweeps


@cache
def economy():
    return local_health_economy()


def _spend() -> dict:
    econ = economy()
    return {s: econ.service(s).activity * econ.service(s).tariff for s in econ.ids}


# ---------------------------------------------------------------------------- the tower
@figure(
    "economy-tower",
    "The worked local health economy (34 services, four providers) after "
    "cardiology and ophthalmology are re-commissioned elsewhere: each is safe alone, together "
    "their lost contribution exceeds the acute trust's £2 m headroom and the hospital falls.",
)
def economy_tower():
    econ = economy()
    out = econ.cascade(set(SCENARIO))
    fig, ax = new_figure(width=PAGE_WIDTH, height=5.6)
    draw_tower(econ, out, ax=ax, title="Cardiology and ophthalmology re-commissioned together")
    rows = []
    for sid in econ.ids:
        s = econ.service(sid)
        rows.append(
            {
                "service": sid,
                "provider": s.provider,
                "layer": s.layer,
                "critical": s.critical,
                "activity_k": s.activity,
                "tariff_k_per_unit": s.tariff,
                "income_m": s.activity * s.tariff,
                "full_margin_m": s.full_margin,
                "removed": sid in out.removed,
                "fell": sid in out.fell,
            }
        )
    return fig, pd.DataFrame(rows)


@figure(
    "weakest-blocks",
    "The weakest blocks: the providers' contribution a(p − c) lost (£ m a year) "
    "when each service alone is removed, for the services whose removal topples anything; "
    "red bars collapse the economy (a critical service or a provider falls).",
    quick=True,
)
def weakest():
    frame = weakest_blocks(economy()).to_frame()
    frame = frame[frame.n_fell > 0].reset_index(drop=True)
    fig, ax = new_figure(height=3.0)
    part = frame.iloc[::-1]
    colours = [RED if c else SKY for c in part.collapsed]
    ax.barh(part.block.str.replace("_", " "), part.value_lost, color=colours)
    for y, (v, n) in enumerate(zip(part.value_lost, part.n_fell)):
        ax.text(v + 2, y, f"{n} fall", va="center", fontsize=6)
    ax.set_xlabel("contribution lost if removed alone (£ m a year)")
    ax.set_xlim(0, frame.value_lost.max() * 1.22)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=RED, label="economy collapses"),
            Patch(color=SKY, label="local fall only"),
        ],
        frameon=False,
        loc="lower right",
    )
    ax.grid(axis="y", visible=False)
    return fig, frame


# ------------------------------------------------------------------------ collapse curves
@cache
def _coordinated_prefix() -> tuple:
    """The largest-spend safe set, in an order in which nothing ever falls."""
    econ = economy()
    safe = max_safe_set(econ, weights=_spend())
    plan = safe_schedule(econ, list(safe.removed))
    assert plan.feasible and not econ.play(plan.order).fallen
    return tuple(plan.order)


def coordinated_order(tower, rng):
    """Coordinated: the safe schedule of the largest-spend safe set first, then the rest at random."""
    prefix = _coordinated_prefix()
    rest = [s for s in tower.ids if s not in set(prefix)]
    return list(prefix) + [rest[i] for i in rng.permutation(len(rest))]


@cache
def _curves() -> dict:
    econ = economy()
    return {
        "random": collapse_curve(econ, samples=CURVE_SAMPLES, order="random", seed=11),
        "myopic (largest spend first)": collapse_curve(
            econ, samples=CURVE_SAMPLES, order="gain", seed=12
        ),
        "coordinated (safe schedule first)": collapse_curve(
            econ, samples=CURVE_SAMPLES, order=coordinated_order, seed=13
        ),
    }


@figure(
    "collapse-curves",
    "Collapse curves of the worked economy under three removal orders "
    f"({CURVE_SAMPLES} orders each): (a) probability that the economy has collapsed after k "
    "services have been removed, with 95% Wilson bands; (b) mean share of activity still "
    "provided (removed activity moves out; fallen activity is lost), with its 5–95% spread.",
)
def collapse_curves():
    curves = _curves()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    colours = (SKY, RED, GREEN)
    frames = []
    for (name, cv), col in zip(curves.items(), colours):
        a.fill_between(cv.k, cv.p_collapsed_low, cv.p_collapsed_high, color=col, alpha=0.25, lw=0)
        a.plot(cv.k, cv.p_collapsed, color=col, label=name)
        b.fill_between(cv.k, cv.q05, cv.q95, color=col, alpha=0.15, lw=0)
        b.plot(cv.k, cv.mean_surviving, color=col, label=name)
        f = cv.to_frame()
        f.insert(0, "order", name.split(" ")[0])
        frames.append(f)
    a.set_xlabel("services removed, k")
    a.set_ylabel("P(economy collapsed)")
    a.set_ylim(-0.02, 1.02)
    a.legend(frameon=False, loc="lower right")
    a.set_title("(a) collapse", loc="left")
    b.set_xlabel("services removed, k")
    b.set_ylabel("share of activity still provided")
    b.set_ylim(-0.02, 1.02)
    b.set_title("(b) surviving activity", loc="left")
    return fig, pd.concat(frames, ignore_index=True)


# -------------------------------------------------------------- the game: price of anarchy
def jenga_point(collapse_cost: float = 2.5, discount: float = 1.0) -> dict:
    """Welfare (£ m a year) of cooperative, equilibrium and myopic play at one (C, δ)."""
    prm = JengaParams(collapse_cost=collapse_cost, discount=discount)
    game = commissioning_game(economy(), prm)
    prices = game.prices()
    spe = game.solve()
    myo = game.myopic()
    eq = prices.equilibria
    return {
        "cooperative": prices.cooperative,
        "spe_worst": min(eq.values()),
        "spe_best": max(eq.values()),
        "spe": spe.total,
        "myopic": prices.myopic,
        "spe_fell": spe.fell,
        "myopic_fell": myo.fell,
        "spe_moved": len(spe.removed),
        "price_of_anarchy": prices.price_of_anarchy,
        "price_of_stability": prices.price_of_stability,
        "myopic_ratio": prices.myopic_ratio,
    }


def _shade(ax, x, flag, colour, label):
    """Shade the x-ranges where ``flag`` holds (grid cells centred on the points)."""
    x, flag = np.asarray(x, float), np.asarray(flag, bool)
    half = np.diff(x).min() / 2 if len(x) > 1 else 0.5
    first = True
    for xi, f in zip(x, flag):
        if f:
            ax.axvspan(
                xi - half, xi + half, color=colour, alpha=0.12, lw=0, label=label if first else None
            )
            first = False


@cache
def _poa_frame() -> pd.DataFrame:
    grid = {"collapse_cost": [round(c, 2) for c in np.arange(0, 8.01, 0.1)]}
    return sweep(jenga_point, grid, progress=SHOW)


@figure(
    "price-of-anarchy",
    "The Jenga game on the worked economy (two commissioners, gains "
    "(1 − r)ap with r = 0.5, shared cost K = £1 m) as the cost C borne by whoever topples the "
    "tower varies: (a) total payoff of cooperative play, of the subgame-perfect equilibria "
    "(worst and best tie-break) and of myopic play, shaded where the equilibrium topples the "
    "tower; (b) price of anarchy and price of stability.",
)
def price_of_anarchy():
    fr = _poa_frame()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    _shade(a, fr.collapse_cost, fr.spe_fell, RED, "equilibrium topples")
    a.plot(fr.collapse_cost, fr.cooperative, color=GREEN, label="cooperative")
    a.plot(fr.collapse_cost, fr.spe_best, color=BLUE, ls="--", label="equilibrium (best)")
    a.plot(fr.collapse_cost, fr.spe_worst, color=BLUE, label="equilibrium (worst)")
    a.plot(fr.collapse_cost, fr.myopic, color=ORANGE, ls=":", label="myopic")
    a.set_xlabel("collapse cost paid by the toppler, C (£ m)")
    a.set_ylabel("total payoff (£ m a year)")
    a.legend(frameon=False, loc="lower right")
    a.set_title("(a) welfare", loc="left")
    _shade(b, fr.collapse_cost, fr.spe_fell, RED, "equilibrium topples")
    b.plot(fr.collapse_cost, fr.price_of_anarchy, color=BLUE, label="price of anarchy")
    b.plot(fr.collapse_cost, fr.price_of_stability, color=BLUE, ls="--", label="price of stability")
    b.plot(fr.collapse_cost, fr.myopic_ratio, color=ORANGE, ls=":", label="cooperative / myopic")
    b.axhline(1, color=BLACK, lw=0.6)
    b.set_xlabel("collapse cost paid by the toppler, C (£ m)")
    b.set_ylabel("ratio of welfares")
    b.legend(frameon=False, loc="upper right")
    b.set_title("(b) price of anarchy", loc="left")
    return fig, fr


# ------------------------------------------------------------------------- patience and trust
def trust_point(dash_gain: float) -> dict:
    """Critical δ for grim trigger in the centre–GP trust game (exact, via critical_delta)."""
    r = trust_model(TrustParams(dash_gain=dash_gain, k_max=0, horizon=1))
    return {"delta_star": r.delta_star, "formula": r.formula_value}


@cache
def _patience_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    jenga = sweep(
        jenga_point,
        {"discount": [round(d, 3) for d in np.arange(0.30, 1.0001, 0.01)]},
        progress=SHOW,
    )
    trust = sweep(trust_point, {"dash_gain": [2.0, 2.5, 3.0, 4.0]}, progress=SHOW)
    return jenga, trust


@figure(
    "patience",
    "Patience and trust. (a) The Jenga game at C = £2.5 m as the discount factor "
    "per turn varies: equilibrium and cooperative total payoff, shaded where the equilibrium "
    "topples the tower. (b) The centre–GP trust game: the largest yearly chance q that a "
    "reorganisation overturns a reform at which grim-trigger cooperation still lasts, "
    "q* = 1 − δ*/δ, for four temptations to dash expectations (δ* computed exactly from the "
    "one-shot deviation conditions); the dot is δ = 0.9, q = 0.5.",
)
def patience():
    jenga, trust = _patience_frames()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    _shade(a, jenga.discount, jenga.spe_fell, RED, "equilibrium topples")
    a.plot(jenga.discount, jenga.cooperative, color=GREEN, label="cooperative")
    a.plot(jenga.discount, jenga.spe, color=BLUE, label="equilibrium")
    a.plot(jenga.discount, jenga.myopic, color=ORANGE, ls=":", label="myopic")
    a.set_xlabel("discount factor per turn, δ")
    a.set_ylabel("total payoff (£ m, discounted)")
    a.legend(frameon=False, loc="upper left")
    a.set_title("(a) the Jenga game", loc="left")
    d = np.linspace(0.2, 0.999, 400)
    rows = []
    for (_, row), col in zip(trust.iterrows(), (GREEN, SKY, BLUE, RED)):
        q = np.clip(1 - row.delta_star / d, 0, None)
        b.plot(d, q, color=col, label=f"dash gain {row.dash_gain:g}: δ* = {row.delta_star:.3g}")
    b.plot([0.9], [0.5], "o", color=BLACK, ms=4)
    b.set_xlabel("GPs' and centre's yearly discount factor, δ")
    b.set_ylabel("largest sustainable turnover, q*")
    b.set_ylim(0, 0.85)
    b.legend(frameon=False, loc="upper left", fontsize=6)
    b.set_title("(b) trust between centre and GPs", loc="left")
    rows.append(jenga.assign(panel="jenga"))
    rows.append(trust.assign(panel="trust"))
    return fig, pd.concat(rows, ignore_index=True)


# ------------------------------------------------------------------------------ gain sharing
@figure(
    "gain-sharing",
    "Sharing the gain of a co-designed community service (default "
    "parameters of jenga_games.commissioning.gain_sharing): each player's share (£ k a year) "
    "under the Shapley value, the nucleolus and the proportional split used in practice; "
    "hatched bars lie outside the core.",
)
def gain_sharing_figure():
    r = gain_sharing(GainsParams())
    tab = r.table()
    fig, ax = new_figure(height=2.8)
    rules = [c for c in ("shapley", "nucleolus", "proportional") if c in tab.columns]
    x = np.arange(len(tab.index))
    w = 0.8 / len(rules)
    for j, (rule, col) in enumerate(zip(rules, (BLUE, GREEN, ORANGE))):
        ax.bar(
            x + (j - (len(rules) - 1) / 2) * w,
            tab[rule],
            w,
            color=col,
            label=f"{rule} ({'in' if r.in_core[rule] else 'outside'} the core)",
            hatch=None if r.in_core[rule] else "////",
            edgecolor="white",
            lw=0.3,
        )
    names = [
        str(p).replace("commissioner", "commissioner ").replace("provider", "provider ")
        for p in tab.index
    ]
    ax.set_xticks(x, names, rotation=20, ha="right")
    ax.set_ylabel("share of the gain (£ k a year)")
    ax.axhline(0, color=BLACK, lw=0.6)
    ax.legend(frameon=False)
    ax.grid(axis="x", visible=False)
    frame = tab.reset_index().rename(columns={"index": "player"}).round(6)
    return fig, frame


# ------------------------------------------------------------------------------ risk pooling
def simulated_cv(population: int, seed: int) -> dict:
    """Coefficient of variation of 200 simulated years of a population's cost."""
    costs = simulate_annual_costs(population, years=200, params=RiskParams(), seed=seed)
    return {"cv": float(np.std(costs, ddof=1) / np.mean(costs))}


@cache
def _risk_frames():
    pops = [1600, 3200, 6400, 12800, 25600, 51200, 102400, 204800]
    sim = sweep(simulated_cv, {"population": pops}, seeds=4, progress=SHOW)
    return sim, group_size(RiskParams(), max_practices=200)


@figure(
    "risk-pooling",
    "Risk pooling. (a) Coefficient of variation of a population's yearly "
    "cost: the compound-Poisson model κ/√N at the default per-person κ = 3 (line) and its "
    "simulation (200 years, 4 seeds each; points); the three populations of Crump et al. (1991) "
    "(crosses) and κ/√N with κ fitted to them (dashed). (b) Per-head yearly "
    "cost of a commissioning group of 1,600-patient practices: capital cost of the reserve, "
    "coordination and loss of local focus; the dot marks the cheapest group.",
)
def risk_pooling():
    sim, g = _risk_frames()
    prm = RiskParams()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    n = np.geomspace(1000, 300_000, 200)
    a.loglog(
        n, prm.per_person_cv / np.sqrt(n), color=BLUE, label=f"model, κ = {prm.per_person_cv:g}"
    )
    mean = sim.groupby("population", as_index=False).cv.mean()
    a.loglog(sim.population, sim.cv, ".", color=SKY, ms=3, alpha=0.6, label="simulated (each seed)")
    a.loglog(mean.population, mean.cv, "o", color=BLUE, ms=3, mfc="white", label="simulated (mean)")
    pub = replication_table()
    crump = pub[pub.source.str.startswith("Crump")]
    kappa = float(crump.model.iloc[0] * np.sqrt(crump.population.iloc[0]))
    a.loglog(n, kappa / np.sqrt(n), color=RED, ls="--", label=f"κ = {kappa:.2f} fitted to Crump")
    a.loglog(crump.population, crump.published, "x", color=RED, ms=5, label="Crump et al. 1991")
    a.set_xlabel("population covered, N (people)")
    a.set_ylabel("coefficient of variation of yearly cost")
    a.legend(frameon=False, loc="lower left", fontsize=6)
    a.set_title("(a) variability falls like 1/√N", loc="left")
    t = g.table
    b.plot(
        t.population / 1000, t.reserve_cost, color=BLUE, ls="--", label="capital cost of reserve"
    )
    b.plot(t.population / 1000, t.coordination, color=ORANGE, ls=":", label="coordination")
    b.plot(t.population / 1000, t.focus, color=PURPLE, ls="-.", label="loss of local focus")
    b.plot(t.population / 1000, t.total, color=BLACK, label="total")
    b.plot([g.best_population / 1000], [t.total.min()], "o", color=RED, ms=4)
    b.set_xscale("log")
    b.set_xlabel("group population (thousands)")
    b.set_ylabel("cost (£ per head a year)")
    b.set_ylim(0, 8)
    b.legend(frameon=False, loc="upper right", fontsize=6)
    b.set_title("(b) the best group size", loc="left")
    frame = pd.concat(
        [sim.assign(panel="simulation"), t.reset_index().assign(panel="group")], ignore_index=True
    )
    return fig, frame


# ---------------------------------------------------------------------------- reorganisation
def reorg_point(period: int) -> dict:
    r = reorganisation_cost(LevelsParams(), pendulum=("council", "neighbourhood"), period=period)
    return {
        "reorganisations": r.reorganisations,
        "churn_cost": r.churn_cost,
        "misplacement_cost": r.misplacement_cost,
        **{f"total_{k}": v for k, v in r.totals.items()},
    }


@cache
def _reorg_frames():
    base = reorganisation_cost(LevelsParams(), pendulum=("council", "neighbourhood"), period=2)
    scan = sweep(reorg_point, {"period": list(range(1, 16))}, progress=SHOW)
    return base, scan


@figure(
    "reorganisation",
    "The cost of reorganising between levels (30 years, discounted, £ per "
    "head). (a) Cumulative cost of staying at each service's best level, of alternating "
    "council and neighbourhood commissioning without transition costs, and of the pendulum "
    "that reorganises every two years. (b) The pendulum's extra cost against the years "
    "between reorganisations: churn (transition and lost productivity) and misplacement.",
)
def reorganisation():
    base, scan = _reorg_frames()
    y = base.yearly.cumsum()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    years = np.arange(1, len(y) + 1)
    a.plot(years, y["stay"], color=GREEN, label="stay at best levels")
    a.plot(years, y["structure"], color=BLUE, ls="--", label="alternate levels, no churn")
    a.plot(years, y["pendulum"], color=RED, label="pendulum, every 2 years")
    a.set_xlabel("year")
    a.set_ylabel("cumulative cost (£ per head, discounted)")
    a.legend(frameon=False, loc="upper left")
    a.set_title("(a) cumulative cost", loc="left")
    b.plot(scan.period, scan.churn_cost, "o-", color=RED, ms=3, label="churn")
    b.plot(scan.period, scan.misplacement_cost, "s--", color=BLUE, ms=3, label="misplacement")
    b.plot(scan.period, scan.churn_cost + scan.misplacement_cost, color=BLACK, label="total extra")
    b.set_xlabel("years between reorganisations")
    b.set_ylabel("extra cost over 30 years (£ per head)")
    b.set_ylim(bottom=0)
    b.legend(frameon=False, loc="upper right")
    b.set_title("(b) how often to reorganise", loc="left")
    frame = pd.concat(
        [base.yearly.reset_index(names="year").assign(panel="yearly"), scan.assign(panel="scan")],
        ignore_index=True,
    )
    return fig, frame


# ------------------------------------------------------------------------------------ tables
@cache
def _commissioning():
    return jenga_commissioning(
        economy(), JengaParams(), collapse_grid=[2.5], discount_grid=[1.0], funding_grid=[0.0]
    )


@table(
    "play-comparison",
    "Myopic, competitive (subgame-perfect) and cooperative play of the "
    "Jenga game on the worked economy (C = £2.5 m, K = £1 m, r = 0.5): whether anything fell, "
    "blocks moved, value created for the commissioners, providers' contribution lost (£ m a "
    "year) and its split by provider.",
    quick=True,
)
def play_comparison():
    r = _commissioning()
    t = r.table.copy()
    t["toppled_by"] = t["toppled_by"].fillna("—").astype(str)
    loss = r.loss_by_provider.add_prefix("lost: ")
    out = pd.concat([t, loss], axis=1).reset_index(names="play")
    return out.round(4)


@table(
    "commissioner-shares",
    "Sharing the cooperative value of the Jenga game (£ m a year): each "
    "commissioner's equilibrium payoff v({i}), its Shapley and nucleolus shares of v(N), and the "
    "most it could move with nothing falling if the other moved nothing.",
    quick=True,
)
def commissioner_shares():
    r = _commissioning()
    s = r.shares.copy()
    s["gain_over_competitive"] = s["shapley"] - s["competitive"]
    s.loc["total"] = s.sum(axis=0)
    return s.reset_index(names="commissioner").round(4)


@table("thresholds", "Thresholds found by the models (the numbers quoted in the paper).")
def thresholds():
    full = jenga_commissioning(economy(), JengaParams())
    curves = _curves()
    poa = _poa_frame()
    jenga_d, _trust = _patience_frames()
    tr = trust_model()
    _sim, g = _risk_frames()
    base, scan = _reorg_frames()
    prefix = _coordinated_prefix()
    spend = _spend()
    rows = []

    def add(quantity, value, unit, source):
        rows.append({"quantity": quantity, "value": value, "unit": unit, "source": source})

    for name, cv in curves.items():
        key = name.split(" ")[0]
        add(
            f"{key} order: removals at which P(collapsed) reaches 1/2",
            (cv.critical_fraction_collapsed or np.nan) * (len(cv.k) - 1),
            "services",
            "collapse-curves",
        )
        add(
            f"{key} order: P(collapsed) after 3 removals",
            cv.p_collapsed[3],
            "probability",
            "collapse-curves",
        )
    add(
        "coordinated order: services moved with nothing falling",
        len(prefix),
        "services",
        "collapse-curves",
    )
    add(
        "coordinated order: spend moved with nothing falling",
        sum(spend[s] for s in prefix),
        "£ m a year",
        "collapse-curves",
    )
    add("total spend of the economy", sum(spend.values()), "£ m a year", "economy-tower")
    for sw, kind in full.switches["collapse_cost"]:
        add(f"collapse cost at which competitive play {kind}", sw, "£ m", "jenga_commissioning")
    for sw, kind in full.switches["discount"]:
        add(
            f"discount factor at which competitive play {kind}",
            sw,
            "per turn",
            "jenga_commissioning",
        )
    for sw, kind in full.switches["funding"]:
        add(
            f"transitional funding at which competitive play {kind}",
            sw,
            "£ m",
            "jenga_commissioning",
        )
    add(
        "price of anarchy at C = 2.5",
        float(poa.loc[poa.collapse_cost == 2.5, "price_of_anarchy"].iloc[0]),
        "ratio",
        "price-of-anarchy",
    )
    add(
        "largest price of anarchy on the C grid",
        float(poa.price_of_anarchy.max()),
        "ratio",
        "price-of-anarchy",
    )
    add(
        "collapse costs on the grid at which the equilibrium topples",
        int(poa.spe_fell.sum()),
        f"of {len(poa)} points",
        "price-of-anarchy",
    )
    add(
        "discount factors on the grid at which the equilibrium topples",
        int(jenga_d.spe_fell.sum()),
        f"of {len(jenga_d)} points",
        "patience",
    )
    add(
        "trust game: critical discount factor δ* (dash gain 3)",
        tr.delta_star,
        "per year",
        "patience",
    )
    add(
        "trust game: effective δ(1 − q) at δ = 0.9, q = 0.5",
        tr.effective_delta,
        "per year",
        "patience",
    )
    add(
        "trust game: credibility 1 − q needed at δ = 0.9",
        tr.credibility_needed,
        "probability",
        "patience",
    )
    eng = tr.engagement["engagement"]
    for k in (1, 2, 3):
        add(
            f"trust-eroding GP: engagement after {k} dashed expectations",
            float(eng.loc[k]),
            "share of years",
            "patience",
        )
    gs = gain_sharing(GainsParams())
    add("co-designed service: value created", gs.value, "£ k a year", "gain-sharing")
    add("co-designed service: core empty", float(gs.core_empty), "1 = yes", "gain-sharing")
    crump = replication_table().query("source.str.startswith('Crump')")
    add(
        "per-person κ fitted to Crump et al. (1991)",
        float(crump.model.iloc[0] * np.sqrt(crump.population.iloc[0])),
        "CV × √N",
        "risk-pooling",
    )
    add("best commissioning group", g.best_practices, "practices", "risk-pooling")
    add("best commissioning group", g.best_population, "people", "risk-pooling")
    add("per-head cost at the best group", float(g.table.total.min()), "£ a year", "risk-pooling")
    add(
        "per-head cost of a single practice",
        float(g.table.total.iloc[0]),
        "£ a year",
        "risk-pooling",
    )
    add(
        "pendulum every 2 years: reorganisations in 30 years",
        base.reorganisations,
        "count",
        "reorganisation",
    )
    add("pendulum every 2 years: churn cost", base.churn_cost, "£ per head", "reorganisation")
    add(
        "pendulum every 2 years: misplacement cost",
        base.misplacement_cost,
        "£ per head",
        "reorganisation",
    )
    add(
        "pendulum every 10 years: churn cost",
        float(scan.loc[scan.period == 10, "churn_cost"].iloc[0]),
        "£ per head",
        "reorganisation",
    )
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype(float).round(4)
    return frame
