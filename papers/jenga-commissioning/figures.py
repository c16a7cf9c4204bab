"""When does re-commissioning topple a local health economy? Figures and tables of the paper.

Run ``jenga papers build jenga-commissioning``; every artifact is seeded and deterministic.
The scans use :func:`jenga_games.sweep.sweep` (local processes, a progress bar on stderr).
"""

from __future__ import annotations

from functools import cache

import calibrated_economy as calibration
import numpy as np
import pandas as pd
from scipy import stats

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
from jenga_games.dynamics import (
    CentreParams,
    TrustProcess,
    capability_model,
    deterministic_period,
    simulate_centre,
)
from jenga_games.papers import figure, table
from jenga_games.plot.style import PAGE_WIDTH, color_cycle
from jenga_games.plot.style import figure as new_figure
from jenga_games.plot.tower import draw_tower
from jenga_games.sweep import sweep
from jenga_games.tower.health import DEFAULT_MEASURE, NICE_WTP, net_monetary_benefit
from jenga_games.tower.thresholds import collapse_curve, max_safe_set, safe_schedule, weakest_blocks
from jenga_games.uncertainty import (
    EconomyPerturbation,
    ParameterSpace,
    drivers,
    outcome_probability,
    psa,
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


#: Pounds in one unit of the economy's money (£ m), for valuing QALYs.
MONEY_UNIT = 1e6


@cache
def economy():
    """The paper's calibrated economy, read from the committed ``economy/`` folder."""
    tower = calibration.committed_economy()
    if tower.to_json() != calibration.calibrated_economy().to_json():
        raise RuntimeError(
            "papers/jenga-commissioning/economy/ differs from calibrated_economy.py; run "
            "`python papers/jenga-commissioning/calibrated_economy.py` and commit the files"
        )
    return tower


@cache
def assumptions() -> dict:
    """The declared ranges of the PSA, read from the committed economy-assumptions.csv."""
    return calibration.read_assumptions()


def psa_space() -> ParameterSpace:
    """Uniform distributions over the declared ranges (the discount's upper end is 1)."""
    return ParameterSpace(
        {k: stats.uniform(lo, hi - lo) for k, (_b, lo, hi) in assumptions().items()}
    )


def _ranges_text() -> str:
    return ", ".join(f"{k} ~ U({lo:g}, {hi:g})" for k, (_b, lo, hi) in assumptions().items())


def _qalys(play) -> float:
    return float(play.outcome.health_lost.get(DEFAULT_MEASURE, 0.0))


def _nmb(system: float, qalys: float, wtp: float) -> float:
    """Net monetary benefit (£ m a year) of a play: system welfare less λ·QALYs lost."""
    return net_monetary_benefit(-qalys, -system, wtp, money_unit=MONEY_UNIT)


def _spend() -> dict:
    econ = economy()
    return {s: econ.service(s).activity * econ.service(s).tariff for s in econ.ids}


# ---------------------------------------------------------------------------- the tower
@figure(
    "economy-tower",
    "The calibrated local health economy (34 services, four providers; economy/ in the "
    "spreadsheet format) after the moves of subgame-perfect competition at the base values "
    "(C = £2.5 m, r = 0.5, δ = 1, headroom 2.5% of each provider's income): moved blocks, "
    "blocks that fell, and the providers' balances.",
)
def economy_tower():
    econ = economy()
    out = commissioning_game(econ, JengaParams()).solve().outcome
    fig, ax = new_figure(width=PAGE_WIDTH, height=5.6)
    draw_tower(econ, out, ax=ax, title="Subgame-perfect competition at the base values")
    headroom = econ.cascade().balances
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
                "provider_failed": s.provider in out.failed_providers,
                "provider_headroom_m": headroom[s.provider],
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
    frame = (
        frame[frame.n_fell > 0].drop(columns=["spend_lost", "health_lost"]).reset_index(drop=True)
    )
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
    """One PSA draw: the calibrated economy at the drawn assumptions, played every way in PLAYS.

    Outputs per play P: ``P.fell``, ``P.moved`` (blocks), ``P.commissioners`` (value created
    for the commissioners), ``P.providers_lost`` (providers' contribution lost) and
    ``P.system`` (the difference), all £ m a year; ``P.qalys_lost`` (QALYs a year, services
    that fell) and ``P.nmb_20k``, ``P.nmb_30k``: system welfare less the QALYs lost valued
    at £20,000 and £30,000 per QALY (NICE2013), £ m a year.
    """

    def __init__(self):
        self.economy = EconomyPerturbation(economy())

    def check_parameters(self, names):
        unknown = set(names) - set(assumptions())
        if unknown:
            raise ValueError(f"PlaysModel has no parameter(s) {sorted(unknown)}")

    def __call__(self, collapse_cost, discount, reprovision_share, **econ):
        tower = self.economy.tower(calibration.multipliers(self.economy.base, econ))
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
            q = _qalys(play)
            out[f"{name}.qalys_lost"] = q
            for wtp in NICE_WTP:
                out[f"{name}.nmb_{wtp / 1000:g}k"] = _nmb(play.system_welfare, q, wtp)
        return out

    def __repr__(self):
        return "PlaysModel(calibrated economy, plays=" + ",".join(PLAYS) + ")"


@cache
def _psa() -> pd.DataFrame:
    r = psa(PlaysModel(), psa_space(), PSA_DRAWS, seed=PSA_SEED, progress=SHOW)
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
        *[(f"{k}: QALYs lost > 0", fr[f"{k}.qalys_lost"] > 0) for k in PLAYS],
        *[
            (f"{k}: net monetary benefit at £20,000/QALY <= 0", fr[f"{k}.nmb_20k"] <= 0)
            for k in PLAYS
        ],
        (
            "agreement's net monetary benefit at £30,000/QALY exceeds competitive play's",
            fr["cooperative_system.nmb_30k"] > fr["spe.nmb_30k"],
        ),
    ]


@table(
    "psa-summary",
    f"Results as probabilities over the PSA ({PSA_DRAWS} Latin-hypercube draws, seed {PSA_SEED}) "
    f"of the calibrated economy's declared assumptions ({_ranges_text()}; units and sources in "
    "economy-assumptions.csv): each event, the number of draws in which it holds, its "
    "probability and 95% Wilson interval; and each play's mean welfare (£ m a year), QALYs "
    "lost (a year) and net monetary benefit at NICE's £20,000 and £30,000 per QALY (£ m a "
    "year), with the 5-95% range of the draws.",
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
            ("commissioners", "commissioners' value (£ m a year)"),
            ("providers_lost", "providers' contribution lost (£ m a year)"),
            ("system", "system welfare (£ m a year)"),
            ("qalys_lost", "QALYs lost (a year)"),
            ("nmb_20k", "net monetary benefit at £20,000/QALY (£ m a year)"),
            ("nmb_30k", "net monetary benefit at £30,000/QALY (£ m a year)"),
        ):
            x = fr[f"{k}.{col}"]
            rows.append(
                {
                    "quantity": f"{k}: mean {what}",
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
    "foresight topple the economy (a tornado of the draws; bars sorted by the competitive "
    "play's |ρ|; a play that topples in every draw or in none has no bar). The parameter "
    "ranges are in the psa-summary caption and economy-assumptions.csv.",
)
def toppling_drivers():
    fr = _psa()
    params = list(assumptions())
    d1 = drivers(fr, "spe.fell", parameters=params).assign(play="spe")
    d2 = drivers(fr, "greedy_full.fell", parameters=params).assign(play="greedy_full")
    frame = pd.concat([d1, d2], ignore_index=True).round(4)
    order = list(d1.parameter)[::-1]
    fig, ax = new_figure(height=3.2)
    y = np.arange(len(order))
    r1 = d1.set_index("parameter").loc[order, "rho"]
    r2 = d2.set_index("parameter").loc[order, "rho"]
    ax.barh(y + 0.2, r1, 0.4, color=RED, label="competitive (SPE)")
    ax.barh(y - 0.2, r2, 0.4, color=ORANGE, label="greedy, full foresight")
    ax.set_yticks(y, [o.replace("_", " ") for o in order])
    ax.axvline(0, color=BLACK, lw=0.6)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("rank correlation with toppling, ρ")
    ax.legend(frameon=False, fontsize=6, loc="upper right")
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
        ts = econ.replace(
            services={
                s: {
                    f: getattr(econ.service(s), f) * m
                    for f in ("tariff", "variable_cost", "fixed_cost")
                }
                for s in pair
            }
        )
        intact, drop = headroom_and_drop(ts)
        for h in np.round(np.arange(0.5, 8.01, 0.5), 2):
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
    "and community trusts (£ m a year); the cross is the base value (C = £2.5 m, no funding). "
    "(b) Whether moving cardiology and ophthalmology together topples the acute trust, over "
    "its headroom when intact and what moving the pair takes from the trust's balance (£ m a "
    "year; the pair's tariff and costs scaled 0.5–1.5 together); the dashed line is "
    "contribution = headroom; the cross is the calibrated economy.",
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
    b.text(4.1, 3.6, "contribution = headroom", ha="left", fontsize=6)
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
    """System welfare (£ m a year) of the agreement, the equilibria and greedy play at (C, δ).

    Prices on the system measure are differences (``anarchy_loss`` = agreement − worst
    equilibrium, ``stability_loss``, ``myopic_loss``), because system welfare can be ≤ 0.
    """
    prm = JengaParams(collapse_cost=collapse_cost, discount=discount)
    game = commissioning_game(economy(), prm)
    prices = game.prices(welfare="system")
    spe = game.solve()
    myo = game.myopic()
    eq = prices.equilibria
    return {
        "cooperative": prices.cooperative,
        "spe_worst": min(eq.values()),
        "spe_best": max(eq.values()),
        "spe": spe.system_welfare,
        "myopic": prices.myopic,
        "spe_fell": spe.fell,
        "myopic_fell": myo.fell,
        "spe_moved": len(spe.removed),
        "anarchy_loss": prices.anarchy_loss,
        "stability_loss": prices.stability_loss,
        "myopic_loss": prices.myopic_loss,
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
    "The Jenga game on the calibrated economy (two commissioners, gains (1 − r)ap with "
    "r = 0.5, shared cost K = £1 m) as the cost C borne by whoever topples the tower varies, "
    "on the system measure (commissioners' value less the providers' contribution lost, £ m a "
    "year): (a) system welfare of the commissioner–provider agreement, of the subgame-perfect "
    "equilibria (worst and best tie-break) and of greedy play, shaded where the equilibrium "
    "topples the tower; (b) the prices as differences: what the worst and best equilibrium "
    "and greedy play lose against the agreement (system welfare can be ≤ 0, so ratios are "
    "not defined).",
)
def price_of_anarchy():
    fr = _poa_frame()
    fig, (a, b) = new_figure(width=PAGE_WIDTH, height=2.6, ncols=2)
    _shade(a, fr.collapse_cost, fr.spe_fell, RED, "equilibrium topples")
    a.plot(fr.collapse_cost, fr.cooperative, color=GREEN, label="agreement")
    a.plot(fr.collapse_cost, fr.spe_best, color=BLUE, ls="--", label="equilibrium (best)")
    a.plot(fr.collapse_cost, fr.spe_worst, color=BLUE, label="equilibrium (worst)")
    a.plot(fr.collapse_cost, fr.myopic, color=ORANGE, ls=":", label="greedy")
    a.axhline(0, color=BLACK, lw=0.6)
    a.set_xlabel("collapse cost paid by the toppler, C (£ m)")
    a.set_ylabel("system welfare (£ m a year)")
    a.legend(frameon=False, loc="lower right")
    a.set_title("(a) welfare counting providers", loc="left")
    _shade(b, fr.collapse_cost, fr.spe_fell, RED, "equilibrium topples")
    b.plot(fr.collapse_cost, fr.anarchy_loss, color=BLUE, label="agreement − worst equilibrium")
    b.plot(
        fr.collapse_cost,
        fr.stability_loss,
        color=BLUE,
        ls="--",
        label="agreement − best equilibrium",
    )
    b.plot(fr.collapse_cost, fr.myopic_loss, color=ORANGE, ls=":", label="agreement − greedy")
    b.axhline(0, color=BLACK, lw=0.6)
    b.set_xlabel("collapse cost paid by the toppler, C (£ m)")
    b.set_ylabel("loss against the agreement (£ m a year)")
    b.legend(frameon=False, loc="center right", fontsize=6)
    b.set_title("(b) prices as differences", loc="left")
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
    "Patience and trust. (a) The Jenga game on the calibrated economy at C = £2.5 m as the "
    "discount factor per turn varies: system welfare (£ m) of the equilibrium, greedy play and "
    "the commissioner–provider agreement, shaded where the equilibrium topples the tower. (b) The centre–GP trust game as a region: over the centre's gain from "
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
    a.plot(jenga.discount, jenga.cooperative, color=GREEN, label="agreement")
    a.plot(jenga.discount, jenga.spe, color=BLUE, label="equilibrium")
    a.plot(jenga.discount, jenga.myopic, color=ORANGE, ls=":", label="greedy")
    a.axhline(0, color=BLACK, lw=0.6)
    a.set_xlabel("discount factor per turn, δ")
    a.set_ylabel("system welfare (£ m, discounted)")
    a.legend(frameon=False, loc="lower left")
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


# ------------------------------------------------- trust and reorganisation as processes
#: Grids of the dynamics figure: years between reorganisations, retained share ρ, trust loss β.
PERIODS = list(range(1, 16))
RETAINED = [round(x, 2) for x in np.arange(0.3, 0.901, 0.05)]
TRUST_LOSS = [round(x, 2) for x in np.arange(0.1, 0.901, 0.05)]
ASPIRATIONS = [8.0, 10.0, 11.0, 12.0, 13.0, 14.0, 16.0]
#: Declared ranges (assumptions) of the capability PSA: λ a year and ρ (CapabilityParams).
CAPABILITY_SPACE = {"learning_rate": (0.15, 0.8), "retained_share": (0.3, 0.9)}
CAPABILITY_DRAWS, CAPABILITY_SEED = 500, 2026


def centre_point(aspiration: float, seed: int) -> dict:
    """Reorganisations in 30 years of a centre with this aspiration (£ a head a year)."""
    r = simulate_centre(CentreParams(aspiration=aspiration), years=30, seed=seed)
    return {"reorganisations": len(r.reorganisations)}


@cache
def _dynamics_frames():
    cap = pd.DataFrame(
        [
            {
                "period": t,
                "retained_share": rho,
                "share_kept": capability_model(retained_share=rho, period=t)["share_kept"],
            }
            for t in PERIODS
            for rho in RETAINED
        ]
    )
    proc = TrustProcess()
    trust = pd.DataFrame(
        [
            {
                "period": t,
                "loss": beta,
                "trust": TrustProcess(gain=proc.gain, loss=beta).fixed_point(1 - 1 / t),
            }
            for t in PERIODS
            for beta in TRUST_LOSS
        ]
    )
    space = ParameterSpace(
        {k: stats.uniform(lo, hi - lo) for k, (lo, hi) in CAPABILITY_SPACE.items()}
    )
    draws = psa(capability_model, space, CAPABILITY_DRAWS, seed=CAPABILITY_SEED).frame
    centre = sweep(centre_point, {"aspiration": ASPIRATIONS}, seeds=20, progress=SHOW)
    return cap.round(6), trust.round(6), draws, centre


@figure(
    "reorganisation-dynamics",
    "Trust and reorganisation as processes (jenga_games.dynamics; every rate an assumption). "
    "(a) Capability as a stock learned at λ = 0.35 a year and cut to a share ρ at each "
    "reorganisation: long-run average capability under reorganisation every T years, as a "
    "share of the average under ten-yearly reorganisation; the line marks two thirds. "
    "(b) GPs' trust as a process that regains a share α = 0.2 of the gap per promise kept and "
    "loses a share β per promise dashed, with each reorganisation dashing one promise (a "
    "promise kept with probability 1 − 1/T a year): long-run mean trust over T and β; the "
    "line marks one half. (c) Reorganisation as an outcome: a centre that reorganises when "
    "its noisy measure of welfare falls below its aspiration (£ a head a year), at least two "
    "years apart; reorganisations in 30 years, mean and range of 20 seeds.",
)
def reorganisation_dynamics():
    cap, trust, _draws, centre = _dynamics_frames()
    fig, (a, b, c) = new_figure(width=PAGE_WIDTH, height=2.5, ncols=3)
    for ax, fr, col, level, ylab, zlab in (
        (a, cap, "share_kept", 2 / 3, "retained share ρ", "share of ten-yearly (≤ 1 shown)"),
        (b, trust, "trust", 0.5, "trust lost per dashed promise, β", "long-run mean trust"),
    ):
        y = "retained_share" if col == "share_kept" else "loss"
        z = fr.pivot(index=y, columns="period", values=col)
        m = ax.pcolormesh(z.columns, z.index, z.to_numpy(), cmap="cividis", vmin=0, vmax=1)
        ax.contour(z.columns, z.index, z.to_numpy(), levels=[level], colors=[RED], linewidths=1)
        ax.axvline(2, color="white", lw=0.6, ls=":")
        ax.set_xlabel("years between reorganisations, T")
        ax.set_ylabel(ylab)
        ax.grid(False)
        fig.colorbar(m, ax=ax, fraction=0.05, pad=0.02).set_label(zlab, fontsize=6)
    a.set_title("(a) capability kept", loc="left")
    b.set_title("(b) long-run trust", loc="left")
    g = centre.groupby("aspiration").reorganisations
    c.fill_between(g.min().index, g.min(), g.max(), color=SKY, alpha=0.4, lw=0)
    c.plot(g.mean().index, g.mean(), "o-", color=BLUE, ms=3)
    c.set_xlabel("centre's aspiration (£ a head a year)")
    c.set_ylabel("reorganisations in 30 years")
    c.set_ylim(bottom=0)
    c.set_title("(c) endogenous reorganisation", loc="left")
    frame = pd.concat(
        [
            cap.assign(panel="capability"),
            trust.assign(panel="trust"),
            centre.assign(panel="centre"),
        ],
        ignore_index=True,
    )
    return fig, frame


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


#: The rows of play-comparison: the PSA's plays and the commissioners' joint optimum.
TABLE_PLAYS = {
    "greedy_full": ("myopic", {"sees": "full"}),
    "spe": ("solve", {}),
    "myopic_clinical": ("myopic", {"sees": "clinical"}),
    "myopic_direct": ("myopic", {"sees": "direct"}),
    "cooperative_commissioners": ("cooperative", {}),
    "cooperative_system": ("cooperative", {"welfare": "system"}),
}


@table(
    "play-comparison",
    "Ways of playing the Jenga game on the calibrated economy at the base values (C = £2.5 m, "
    "K = £1 m, r = 0.5, δ = 1), with welfare counting the providers (£ m a year): whether "
    "anything fell, blocks moved, the commissioners' value, the providers' contribution lost, "
    "system welfare (the difference, which can be negative), QALYs lost (a year, services that "
    "fell) and the net monetary benefit at NICE's £20,000 and £30,000 per QALY (system welfare "
    "less the QALYs valued, £ m a year; QALYs are never added to money otherwise), and the "
    "loss by provider. Rows: greedy play with full foresight (myopic in time only), the "
    "subgame-perfect equilibrium, myopic play that sees the clinical dependencies but not the "
    "providers' finances, or only the direct dependants, the commissioners' joint optimum, and "
    "the commissioner–provider agreement that maximises system welfare. The last rows are the "
    "prices on the system measure as differences (£ m a year).",
    quick=True,
)
def play_comparison():
    econ = economy()
    game = commissioning_game(econ, JengaParams())
    rows = []
    for name, (method, kw) in TABLE_PLAYS.items():
        play = getattr(game, method)(**kw)
        q = _qalys(play)
        rows.append(
            {
                "play": name,
                "fell": bool(play.fell),
                "moved": len(play.removed),
                "commissioners_value": play.commissioners_value,
                "contribution_lost": play.contribution_lost,
                "system_welfare": play.system_welfare,
                "qalys_lost": q,
                "nmb_20k": _nmb(play.system_welfare, q, NICE_WTP[0]),
                "nmb_30k": _nmb(play.system_welfare, q, NICE_WTP[1]),
                **{f"lost: {p}": play.provider_loss.get(p, 0.0) for p in econ.providers},
            }
        )
    sp = game.prices(welfare="system")
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
        "system measure at C = 2.5: agreement minus worst equilibrium",
        float(poa.loc[poa.collapse_cost == 2.5, "anarchy_loss"].iloc[0]),
        "£ m a year",
        "price-of-anarchy",
    )
    add(
        "system measure: largest loss of the worst equilibrium against the agreement on the C grid",
        float(poa.anarchy_loss.max()),
        "£ m a year",
        "price-of-anarchy",
    )
    add(
        "largest collapse cost on the grid at which the equilibrium topples",
        float(poa.loc[poa.spe_fell, "collapse_cost"].max()) if poa.spe_fell.any() else np.nan,
        "£ m",
        "price-of-anarchy",
    )
    add(
        "largest collapse cost on the grid at which greedy play topples",
        float(poa.loc[poa.myopic_fell, "collapse_cost"].max()) if poa.myopic_fell.any() else np.nan,
        "£ m",
        "price-of-anarchy",
    )
    add(
        "smallest discount factor on the grid at which the equilibrium topples",
        float(jenga_d.loc[jenga_d.spe_fell, "discount"].min())
        if jenga_d.spe_fell.any()
        else np.nan,
        "per turn",
        "patience",
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
    cap, trust_proc, cap_draws, centre = _dynamics_frames()
    kept = cap[(cap.period == 2) & (cap.retained_share == 0.55)].share_kept
    add(
        "capability: share of ten-yearly capability kept under two-yearly reorganisation "
        "(λ = 0.35, ρ = 0.55)",
        float(kept.iloc[0]),
        "share",
        "reorganisation-dynamics",
    )
    o = outcome_probability(cap_draws, lambda f: f["share_kept"] < 2 / 3)
    for what, v in (("", o.p), (" (95% low)", o.low), (" (95% high)", o.high)):
        add(
            "capability PSA: P(two-yearly reorganisation keeps less than two thirds)" + what,
            v,
            f"probability over {o.n} draws",
            "reorganisation-dynamics",
        )
    for beta in (0.2, 0.5):
        row = trust_proc[(trust_proc.loss == beta) & (trust_proc.period == 2)]
        add(
            f"trust process: long-run trust with two-yearly reorganisation, β = {beta:g}",
            float(row.trust.iloc[0]),
            "share of full trust",
            "reorganisation-dynamics",
        )
        ok = trust_proc[(trust_proc.loss == beta) & (trust_proc.trust >= 0.5)]
        add(
            f"trust process: fewest years between reorganisations with long-run trust >= 1/2, "
            f"β = {beta:g}",
            float(ok.period.min()) if len(ok) else np.nan,
            "years",
            "reorganisation-dynamics",
        )
    add(
        "trust process: share of the (T, β) grid with long-run trust >= 1/2",
        float((trust_proc.trust >= 0.5).mean()),
        f"of {len(trust_proc)} points",
        "reorganisation-dynamics",
    )
    period = deterministic_period(CentreParams())
    add(
        "endogenous reorganisation: period of the noise-free cycle at the defaults",
        float(period) if period is not None else np.nan,
        "years",
        "reorganisation-dynamics",
    )
    mean_re = centre.groupby("aspiration").reorganisations.mean()
    for asp in ASPIRATIONS:
        add(
            f"endogenous reorganisation: mean reorganisations in 30 years at aspiration £{asp:g}",
            float(mean_re.loc[asp]),
            "count (20 seeds)",
            "reorganisation-dynamics",
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
