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
from jenga_games.commissioning.jenga import DEFAULT_ELIGIBLE, JengaParams, commissioning_game
from jenga_games.papers import figure, table
from jenga_games.plot.style import PAGE_WIDTH, color_cycle
from jenga_games.plot.style import figure as new_figure
from jenga_games.plot.tower import draw_tower
from jenga_games.sweep import sweep
from jenga_games.tower.economy import local_health_economy
from jenga_games.tower.thresholds import collapse_curve, max_safe_set, safe_schedule, weakest_blocks
from jenga_games.uncertainty import (
    EconomyPerturbation,
    drivers,
    outcome_probability,
    psa,
    worked_economy_space,
)

#: Okabe–Ito colours, in the order used throughout (orange, sky blue, green, yellow, blue, red, purple).
C = color_cycle(8)
ORANGE, SKY, GREEN, BLUE, RED, PURPLE, BLACK = C[0], C[1], C[2], C[4], C[5], C[6], C[7]
#: The scenario drawn in the first figure: two outpatient specialties that are each safe alone.
SCENARIO = ("cardiology", "ophthalmology")
CURVE_SAMPLES = 2000
#: The ten services the two commissioners may re-commission (DEFAULT_ELIGIBLE).
COMMISSIONABLE = tuple(b for blocks in DEFAULT_ELIGIBLE.values() for b in blocks)
#: PSA of the ways of playing: fixed seed, draw count that keeps the build within ~3 minutes
#: on 2 cores (about 0.5 s of CPU a draw); set PSA_DRAWS = 1000 for the documented larger run.
PSA_DRAWS = 200
PSA_SEED = 2026
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
    # activity is in different units per service (bed-days, tests, attendances): not summed
    frame = frame[frame.n_fell > 0].drop(columns=["activity_lost"]).reset_index(drop=True)
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
    """The largest-spend safe set of commissionable services, in an order in which nothing falls."""
    econ = economy()
    spend = _spend()
    safe = max_safe_set(
        econ, eligible=list(COMMISSIONABLE), weights={b: spend[b] for b in COMMISSIONABLE}
    )
    plan = safe_schedule(econ, list(safe.removed))
    assert plan.feasible and not econ.play(plan.order).fallen
    return tuple(plan.order)


def coordinated_order(tower, rng):
    """Coordinated: the safe schedule of the largest-spend safe set first, then the rest at random."""
    prefix = _coordinated_prefix()
    rest = [s for s in COMMISSIONABLE if s not in set(prefix)]
    return list(prefix) + [rest[i] for i in rng.permutation(len(rest))]


@cache
def _curves() -> dict:
    """Orders over the ten commissionable services; random over all 34 as a sensitivity analysis."""
    econ = economy()
    elig = list(COMMISSIONABLE)
    return {
        "random": collapse_curve(econ, elig, samples=CURVE_SAMPLES, order="random", seed=11),
        "largest spend first": collapse_curve(
            econ, elig, samples=CURVE_SAMPLES, order="gain", seed=12
        ),
        "coordinated (safe schedule first)": collapse_curve(
            econ, elig, samples=CURVE_SAMPLES, order=coordinated_order, seed=13
        ),
        "random over all 34 services (sensitivity)": collapse_curve(
            econ, samples=CURVE_SAMPLES, order="random", seed=14
        ),
    }


def _curve_key(name: str) -> str:
    return {
        "random": "random",
        "largest spend first": "largest_spend",
        "coordinated (safe schedule first)": "coordinated",
        "random over all 34 services (sensitivity)": "random_all_services",
    }[name]


@figure(
    "collapse-curves",
    f"Collapse curves of the worked economy ({CURVE_SAMPLES} orders each) over the ten services the "
    "commissioners may re-commission (outpatient specialties, diagnostics, community services): "
    "random, largest spend first and coordinated orders; dashed grey: random orders over all 34 "
    "services, a sensitivity analysis no commissioner would play (it removes GP practices and "
    "critical care). (a) Probability that the economy has collapsed after k removals, with 95% "
    "Wilson bands; (b) probability that anything has fallen (a service or a provider lost, "
    "short of collapse). No curve sums activity across units (bed-days, tests, "
    "attendances).",
)
def collapse_curves():
    curves = _curves()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    colours = (SKY, RED, GREEN, BLACK)
    styles = ("-", "-", "-", "--")
    frames = []
    for (name, cv), col, ls in zip(curves.items(), colours, styles):
        alpha = 0.25 if ls == "-" else 0.1
        a.fill_between(cv.k, cv.p_collapsed_low, cv.p_collapsed_high, color=col, alpha=alpha, lw=0)
        a.plot(cv.k, cv.p_collapsed, color=col, ls=ls, label=name)
        b.fill_between(cv.k, cv.p_fallen_low, cv.p_fallen_high, color=col, alpha=alpha, lw=0)
        b.plot(cv.k, cv.p_fallen, color=col, ls=ls, label=name)
        f = cv.to_frame()[
            [
                "k",
                "fraction",
                "p_fallen",
                "p_fallen_low",
                "p_fallen_high",
                "p_collapsed",
                "p_collapsed_low",
                "p_collapsed_high",
            ]
        ]
        f.insert(0, "order", _curve_key(name))
        frames.append(f)
    for ax in (a, b):
        ax.set_xlim(-0.3, 12.3)
    a.set_xlabel("services removed, k (the all-services curve continues to 34 at 1)")
    a.set_ylabel("P(economy collapsed)")
    a.set_ylim(-0.02, 1.02)
    a.legend(frameon=False, loc="center right", fontsize=6)
    a.set_title("(a) collapse", loc="left")
    b.set_xlabel("services removed, k")
    b.set_ylabel("P(anything fallen)")
    b.set_ylim(-0.02, 1.02)
    b.set_title("(b) anything fallen", loc="left")
    return fig, pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------- PSA of the ways of playing
#: The ways of playing compared in the PSA: label -> (method, keyword arguments).
PLAYS = {
    "spe": ("solve", {}),
    "greedy_full": ("myopic", {"sees": "full"}),
    "myopic_clinical": ("myopic", {"sees": "clinical"}),
    "myopic_direct": ("myopic", {"sees": "direct"}),
    "cooperative_system": ("cooperative", {"welfare": "system"}),
}
PLAY_LABELS = {
    "spe": "subgame-perfect (competitive)",
    "greedy_full": "greedy, full foresight",
    "myopic_clinical": "myopic: sees dependencies, not finances",
    "myopic_direct": "myopic: sees direct dependants only",
    "cooperative_system": "commissioner–provider agreement (system welfare)",
}


class PlaysModel:
    """One PSA draw: perturb the economy, build the Jenga game, play it every way in PLAYS.

    Outputs per play P: ``P.fell``, ``P.moved`` (blocks), ``P.commissioners`` (value created
    for the commissioners), ``P.providers_lost`` (providers' contribution lost) and
    ``P.system`` (the difference), all £ m a year.
    """

    def __init__(self):
        self.economy = EconomyPerturbation(economy())

    def check_parameters(self, names):
        self.economy.check([n for n in names if "[" in n])

    def __call__(self, collapse_cost, discount, reprovision_share, **econ):
        tower = self.economy.tower(econ)
        prm = JengaParams(
            collapse_cost=collapse_cost, discount=discount, reprovision_share=reprovision_share
        )
        out = {"intact.fallen": bool(tower.cascade().fallen)}
        game = commissioning_game(tower, prm)
        for name, (method, kw) in PLAYS.items():
            play = getattr(game, method)(**kw)
            out[f"{name}.fell"] = bool(play.fell)
            out[f"{name}.moved"] = len(play.removed)
            out[f"{name}.commissioners"] = float(play.commissioners_value)
            out[f"{name}.providers_lost"] = float(play.contribution_lost)
            out[f"{name}.system"] = float(play.system_welfare)
        return out

    def __repr__(self):
        return "PlaysModel(worked economy, plays=" + ",".join(PLAYS) + ")"


@cache
def _psa() -> pd.DataFrame:
    r = psa(PlaysModel(), worked_economy_space(), PSA_DRAWS, seed=PSA_SEED, progress=SHOW)
    frame = r.frame.drop(columns=[c for c in ("seed", "error") if c in r.frame.columns])
    return frame.round(6)


def _psa_claims(fr: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The paper's claims as events over the draws (each a boolean Series)."""
    spe, coop = fr["spe.fell"], fr["cooperative_system.fell"]
    return [
        ("intact economy stands before anyone moves", ~fr["intact.fallen"]),
        *[(f"{k}: something falls", fr[f"{k}.fell"]) for k in PLAYS],
        *[(f"{k}: system welfare <= 0", fr[f"{k}.system"] <= 0) for k in PLAYS],
        ("competitive play topples and the agreement does not", spe & ~coop),
        (
            "agreement's system welfare exceeds competitive play's by more than £10 m a year",
            fr["cooperative_system.system"] - fr["spe.system"] > 10,
        ),
        (
            "information-limited myopic play topples while full-foresight greedy play does not",
            fr["myopic_clinical.fell"] & ~fr["greedy_full.fell"],
        ),
    ]


@table(
    "psa-summary",
    f"Results as probabilities over the PSA ({PSA_DRAWS} Latin-hypercube draws, seed {PSA_SEED}) of the "
    "declared distributions (C ~ U(1.5, 4.0) £ m, δ ~ U(0.8, 1.0) per turn, r ~ U(0.4, 0.6), "
    "acute trust's overhead × U(0.99, 1.01)): each event, the number of draws in which it "
    "holds, its probability and 95% Wilson interval; and each play's mean welfare (£ m a "
    "year).",
)
def psa_summary():
    fr = _psa()
    rows = []
    for name, hit in _psa_claims(fr):
        o = outcome_probability(pd.DataFrame({"e": hit.to_numpy(bool)}), "e")
        rows.append(
            {"quantity": name, "k": o.k, "n": o.n, "value": o.p, "low": o.low, "high": o.high}
        )
    for k in PLAYS:
        for col, what in (
            ("commissioners", "commissioners' value"),
            ("providers_lost", "providers' contribution lost"),
            ("system", "system welfare"),
        ):
            x = fr[f"{k}.{col}"]
            rows.append(
                {
                    "quantity": f"{k}: mean {what} (£ m a year)",
                    "k": np.nan,
                    "n": len(x),
                    "value": float(x.mean()),
                    "low": float(x.quantile(0.05)),
                    "high": float(x.quantile(0.95)),
                }
            )
    return pd.DataFrame(rows).round(4)


@figure(
    "psa-plays",
    f"The ways of playing under uncertainty ({PSA_DRAWS} draws). (a) Probability that something "
    "falls, with 95% Wilson intervals. (b) System welfare (commissioners' value minus "
    "providers' contribution lost, £ m a year) in each draw; the line at 0 marks where the "
    "change destroys more than it creates.",
)
def psa_plays():
    fr = _psa()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.8, ncols=2)
    names = list(PLAYS)[::-1]
    labels = [PLAY_LABELS[k] for k in names]
    cols = {
        "spe": RED,
        "greedy_full": ORANGE,
        "myopic_clinical": PURPLE,
        "myopic_direct": SKY,
        "cooperative_system": GREEN,
    }
    rows = []
    for y, k in enumerate(names):
        o = outcome_probability(fr, f"{k}.fell")
        a.errorbar(
            o.p, y, xerr=[[o.p - o.low], [o.high - o.p]], fmt="o", color=cols[k], ms=4, capsize=2
        )
        rows.append({"play": k, "p_fell": o.p, "low": o.low, "high": o.high})
        x = fr[f"{k}.system"].to_numpy()
        jitter = (np.linspace(-0.25, 0.25, len(x)))[np.argsort(np.argsort(fr["draw"]))]
        b.plot(x, y + jitter, ".", color=cols[k], ms=2, alpha=0.5)
    a.set_yticks(range(len(names)), labels, fontsize=6)
    a.set_xlim(-0.02, 1.02)
    a.set_xlabel("P(something falls)")
    a.set_title("(a) toppling", loc="left")
    b.axvline(0, color=BLACK, lw=0.6)
    b.set_yticks(range(len(names)), [""] * len(names))
    b.set_xlabel("system welfare (£ m a year)")
    b.set_title("(b) welfare counting providers", loc="left")
    return fig, pd.DataFrame(rows[::-1]).round(4)


@figure(
    "toppling-drivers",
    "What drives toppling across the PSA: Spearman rank correlation of each uncertain "
    "parameter with whether competitive (subgame-perfect) play and greedy play with full "
    "foresight topple the economy (information-limited myopic play topples in every draw, so "
    "no parameter moves it) (a tornado of the draws; bars sorted by the competitive play's "
    "|ρ|). The parameter ranges are in the psa-summary caption.",
)
def toppling_drivers():
    fr = _psa()
    params = list(worked_economy_space().names)
    d1 = drivers(fr, "spe.fell", parameters=params).assign(play="spe")
    d2 = drivers(fr, "greedy_full.fell", parameters=params).assign(play="greedy_full")
    frame = pd.concat([d1, d2], ignore_index=True).round(4)
    order = list(d1.parameter)[::-1]
    fig, ax = new_figure(height=2.4)
    y = np.arange(len(order))
    r1 = d1.set_index("parameter").loc[order, "rho"]
    r2 = d2.set_index("parameter").loc[order, "rho"]
    ax.barh(y + 0.2, r1, 0.4, color=RED, label="competitive (SPE)")
    ax.barh(y - 0.2, r2, 0.4, color=ORANGE, label="greedy, full foresight")
    ax.set_yticks(y, [o.replace("_", " ") for o in order])
    ax.axvline(0, color=BLACK, lw=0.6)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("rank correlation with toppling, ρ")
    ax.legend(frameon=False, fontsize=6, loc="lower left")
    ax.grid(axis="y", visible=False)
    return fig, frame


# ------------------------------------------------------------------- threshold surfaces
def _spe_fell_funded(collapse_cost: float, funding: float) -> bool:
    econ = economy()
    t2 = econ.replace(
        providers={
            p: {"reserves": econ.providers[p].reserves + funding}
            for p in ("acute_trust", "community_trust")
        }
    )
    return bool(commissioning_game(t2, JengaParams(collapse_cost=collapse_cost)).solve().fell)


@cache
def _surfaces():
    cs = [round(c, 2) for c in np.arange(1.5, 4.01, 0.25)]
    fs = [0.0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0]
    rows = [
        {"panel": "collapse_funding", "x": c, "y": f, "fell": _spe_fell_funded(c, f)}
        for c in cs
        for f in fs
    ]
    econ = economy()
    pair = list(SCENARIO)
    acute = econ.providers["acute_trust"]

    def headroom_and_drop(tower) -> tuple[float, float]:
        """The acute trust's intact balance and what moving the pair takes from it (£ m a year)."""
        big = tower.replace(providers={"acute_trust": {"reserves": acute.reserves + 100.0}})
        before = big.cascade().balances["acute_trust"]
        after = big.cascade(set(pair)).balances["acute_trust"]
        return float(before - 100.0), float(before - after)

    base_headroom, contrib = headroom_and_drop(econ)
    for m in np.round(np.arange(0.5, 1.51, 0.05), 2):
        ts = econ.replace(services={s: {"tariff": econ.service(s).tariff * m} for s in pair})
        intact, drop = headroom_and_drop(ts)
        for h in np.round(np.arange(0.5, 4.01, 0.25), 2):
            t3 = ts.replace(providers={"acute_trust": {"overhead": acute.overhead + intact - h}})
            rows.append(
                {
                    "panel": "headroom_contribution",
                    "x": float(h),
                    "y": round(drop, 6),
                    "fell": bool(t3.cascade(set(pair)).fallen),
                }
            )
    return pd.DataFrame(rows), float(base_headroom), float(contrib)


@figure(
    "threshold-surfaces",
    "Threshold surfaces instead of points. (a) Whether subgame-perfect play topples the "
    "economy, over the toppler's collapse cost C (£ m) and transitional funding to the acute "
    "and community trusts (£ m a year); the cross is the default (C = £2.5 m, no funding). "
    "(b) Whether moving cardiology and ophthalmology together topples the acute trust, over "
    "its headroom when intact and what moving the pair takes from the trust's balance (£ m a "
    "year; the pair's tariffs scaled 0.5–1.5); the dashed line is contribution = headroom; the "
    "cross is the worked economy.",
)
def threshold_surfaces():
    fr, head, contrib = _surfaces()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    p = fr[fr.panel == "collapse_funding"]
    xs, ys = np.sort(p.x.unique()), np.sort(p.y.unique())
    z = p.pivot(index="y", columns="x", values="fell").loc[ys, xs].to_numpy(float)
    rank = np.arange(len(ys))  # funding levels are uneven: one row each, labelled by value
    a.pcolormesh(xs, rank, z, cmap=_two_colour_map(), vmin=0, vmax=1, shading="nearest")
    a.set_yticks(rank, [f"{v:g}" for v in ys], fontsize=6)
    q = fr[fr.panel == "headroom_contribution"]
    b.scatter(q.x, q.y, c=[RED if f else SKY for f in q.fell], marker="s", s=14, lw=0)
    lim = [0.4, 4.1]
    b.plot(lim, lim, color=BLACK, lw=0.6, ls="--")
    b.text(3.9, 3.6, "contribution = headroom", ha="right", fontsize=6)
    a.plot([2.5], [0], "x", color=BLACK, ms=6, mew=1.5)
    a.set_xlabel("collapse cost paid by the toppler, C (£ m)")
    a.set_ylabel("transitional funding (£ m a year)")
    a.set_title("(a) red: equilibrium topples", loc="left")
    b.plot([head], [contrib], "x", color=BLACK, ms=6, mew=1.5)
    b.set_xlabel("acute trust's headroom when intact (£ m a year)")
    b.set_ylabel("pair's contribution (£ m a year)")
    b.set_title("(b) red: the acute trust fails", loc="left")
    return fig, fr


def _two_colour_map():
    from matplotlib.colors import ListedColormap

    return ListedColormap([SKY, RED])


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
def trust_point(dash_gain: float, delivery_cost: float = 1.5) -> dict:
    """Critical δ for grim trigger in the centre–GP trust game (exact, via critical_delta)."""
    r = trust_model(
        TrustParams(dash_gain=dash_gain, delivery_cost=delivery_cost, k_max=0, horizon=1)
    )
    return {"delta_star": r.delta_star, "formula": r.formula_value}


#: The yearly discount factor of the trust region (TrustParams default) and the payoff grid.
TRUST_DELTA = 0.9
DASH_GAINS = [round(g, 2) for g in np.arange(1.5, 6.001, 0.25)]
DELIVERY_COSTS = [1.0, 1.5, 2.0]


@cache
def _patience_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    jenga = sweep(
        jenga_point,
        {"discount": [round(d, 3) for d in np.arange(0.30, 1.0001, 0.01)]},
        progress=SHOW,
    )
    trust = sweep(
        trust_point, {"dash_gain": DASH_GAINS, "delivery_cost": DELIVERY_COSTS}, progress=SHOW
    )
    trust["q_star"] = np.clip(1 - trust.delta_star / TRUST_DELTA, 0, 1).round(6)
    return jenga, trust


@figure(
    "patience",
    "Patience and trust. (a) The Jenga game at C = £2.5 m as the discount factor "
    "per turn varies: equilibrium and cooperative total payoff, shaded where the equilibrium "
    "topples the tower. (b) The centre–GP trust game as a region: over the centre's gain from "
    "dashing GPs' expectations (payoffs in the model's own units, relative to a gain of 3 from "
    "delivering) and the yearly probability q that a reorganisation overturns the reform, "
    "grim-trigger cooperation lasts below the line q* = 1 − δ*/δ at δ = 0.9 a year (δ* exact "
    "from the one-shot deviation conditions), for three costs of delivering; shaded: the region "
    "at the default cost 1.5; dotted: two-yearly reorganisation (q = 0.5).",
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
    for cost, col, ls in zip(DELIVERY_COSTS, (GREEN, BLUE, RED), (":", "-", "--")):
        t = trust[trust.delivery_cost == cost]
        b.plot(t.dash_gain, t.q_star, color=col, ls=ls, label=f"cost of delivering {cost:g}")
        if cost == 1.5:
            b.fill_between(t.dash_gain, 0, t.q_star, color=col, alpha=0.15, lw=0)
    b.axhline(0.5, color=BLACK, lw=0.8, ls=":")
    b.text(5.9, 0.52, "reorganised every 2 years", ha="right", fontsize=6)
    b.set_xlabel("centre's gain from dashing expectations (model units)")
    b.set_ylabel("yearly reorganisation probability, q")
    b.set_ylim(0, 1)
    b.legend(frameon=False, loc="upper right", fontsize=6)
    b.set_title("(b) where centre–GP trust lasts", loc="left")
    rows = [jenga.assign(panel="jenga"), trust.assign(panel="trust")]
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
    "cost of a commissioning group built of GP lists of 1,600 patients (one GP's list; an "
    "English practice averaged about 7,000 patients around 2013): capital cost of the reserve, "
    "coordination and loss of local focus (both assumptions); the dot marks the cheapest group; "
    "grey lines: the GP fundholding minimum list size, 9,000 patients until April 1993 and "
    "7,000 after (the coordination and focus costs are assumptions, not calibrations).",
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
    for pop, ls in ((9.0, "--"), (7.0, ":")):
        b.axvline(pop, color="0.5", lw=0.8, ls=ls)
        b.text(pop, 7.6, f" {pop:g}k", fontsize=6, color="0.4")
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
    "Ways of playing the Jenga game on the worked economy at the defaults (C = £2.5 m, "
    "K = £1 m, r = 0.5, δ = 1), with welfare counting the providers (£ m a year): whether "
    "anything fell, blocks moved, the commissioners' value, the providers' contribution lost, "
    "system welfare (the difference, which can be negative) and the loss by provider. Rows: "
    "greedy play with full foresight (myopic in time only), myopic play that sees the clinical "
    "dependencies but not the providers' finances, or only the direct dependants, the "
    "subgame-perfect equilibrium, the commissioners' joint optimum, and the "
    "commissioner–provider agreement that maximises system welfare. The last rows are the "
    "prices on the system measure as differences (£ m a year).",
    quick=True,
)
def play_comparison():
    r = _commissioning()
    w = r.welfare.rename(index={"myopic": "greedy_full"})
    my = r.myopic_types.loc[["clinical", "direct"]].rename(
        index={"clinical": "myopic_clinical", "direct": "myopic_direct"}
    )
    moved = dict(zip(r.table.index, r.table["moved"]))
    moved = {"greedy_full": moved["myopic"], **moved}
    rows = []
    for name in ("greedy_full", "competitive", "cooperative", "cooperative_system"):
        row = w.loc[name]
        rows.append(
            {
                "play": name,
                "fell": bool(row["fell"]),
                "moved": moved.get(name, np.nan),
                "commissioners_value": row["commissioners_value"],
                "contribution_lost": row["contribution_lost"],
                "system_welfare": row["system_welfare"],
                **{c: row[c] for c in w.columns if c.startswith("lost: ")},
            }
        )
    for name, row in my.iterrows():
        rows.append(
            {
                "play": name,
                "fell": bool(row["fell"]),
                "moved": row["moved"],
                "commissioners_value": row["commissioners_value"],
                "contribution_lost": row["contribution_lost"],
                "system_welfare": row["system_welfare"],
            }
        )
    sp = r.system_prices
    for k in ("anarchy_loss", "stability_loss", "myopic_loss"):
        rows.append({"play": f"price on system measure: {k}", "system_welfare": getattr(sp, k)})
    out = pd.DataFrame(rows)
    out["moved"] = out["moved"].astype("Int64")
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
    jenga_d, trust_grid = _patience_frames()
    tr = trust_model()
    _sim, g = _risk_frames()
    base, scan = _reorg_frames()
    prefix = _coordinated_prefix()
    spend = _spend()
    rows = []

    def add(quantity, value, unit, source):
        rows.append({"quantity": quantity, "value": value, "unit": unit, "source": source})

    for name, cv in curves.items():
        key = _curve_key(name)
        add(
            f"{key} order: removals at which P(collapsed) reaches 1/2",
            (cv.critical_fraction_collapsed or np.nan) * (len(cv.k) - 1),
            "services",
            "collapse-curves",
        )
        for k in (1, 2, 3):
            add(
                f"{key} order: P(collapsed) after {k} removals",
                cv.p_collapsed[k],
                "probability",
                "collapse-curves",
            )
    add(
        "commissionable services (DEFAULT_ELIGIBLE)",
        len(COMMISSIONABLE),
        "services",
        "collapse-curves",
    )
    add(
        "spend of the commissionable services",
        sum(spend[s] for s in COMMISSIONABLE),
        "£ m a year",
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
    c_switch = full.collapse_threshold
    add(
        "default collapse cost C below the switch",
        (c_switch - JengaParams().collapse_cost) / c_switch,
        "share of the switch value",
        "jenga_commissioning",
    )
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
    for cost in DELIVERY_COSTS:
        row = trust_grid[(trust_grid.delivery_cost == cost) & (trust_grid.dash_gain == 3.0)]
        add(
            f"trust game: δ* at dash gain 3, cost of delivering {cost:g}",
            float(row.delta_star.iloc[0]),
            "per year",
            "patience",
        )
        add(
            f"trust game: largest yearly reorganisation probability q* at dash gain 3, "
            f"cost of delivering {cost:g}, δ = 0.9",
            float(row.q_star.iloc[0]),
            "probability",
            "patience",
        )
    add(
        "trust game: share of the payoff grid where two-yearly reorganisation (q = 0.5) "
        "still sustains cooperation",
        float((trust_grid.q_star >= 0.5).mean()),
        f"of {len(trust_grid)} payoff points",
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
    add("best commissioning group", g.best_practices, "GP lists of 1,600", "risk-pooling")
    add("best commissioning group", g.best_population, "people", "risk-pooling")
    add(
        "best commissioning group in practices of about 7,000 (2013)",
        g.best_population / 7000,
        "practices",
        "risk-pooling",
    )
    tab = g.table.reset_index()
    for pop in (6400, 8000):
        row = tab[tab.population == pop]
        if len(row):
            add(
                f"per-head cost of a group of {pop:,} people",
                float(row.total.iloc[0]),
                "£ a year",
                "risk-pooling",
            )
    add("per-head cost at the best group", float(g.table.total.min()), "£ a year", "risk-pooling")
    add(
        "per-head cost of a single GP list of 1,600",
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
