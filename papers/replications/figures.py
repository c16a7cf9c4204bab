"""Published results reproduced with jenga_games: each table sets ours beside the published number.

Run ``jenga papers build replications``; every artifact is seeded and deterministic.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from jenga_games.commissioning.risk import replication_table
from jenga_games.games.cooperative import bankruptcy_game, nucleolus, weighted_voting_indices
from jenga_games.papers import figure, table
from jenga_games.plot.style import figure as new_figure
from jenga_games.sweep import sweep
from jenga_games.tower import AtLeast
from jenga_games.tower.library import random_tower

# Pittel, Spencer & Wormald (1996), J. Combin. Theory B 67:111, Table 1: the k-core of
# G(n, c/n) appears suddenly at c = c_k, holding a fraction of the vertices at once.
PSW_THRESHOLD = {3: 3.3509, 4: 5.1494}
KCORE_N = 20_000
KCORE_SEEDS = 3


def kcore_fraction(k: int, z: float, seed: int) -> dict:
    """Fraction of services standing in a random tower where each needs k of its supporters."""
    tower = random_tower(KCORE_N, z, AtLeast(k), seed=seed)
    return {"standing": len(tower.cascade().standing) / KCORE_N}


@cache
def _kcore_frame() -> pd.DataFrame:
    grid = [{"k": 3, "z": round(z, 3)} for z in np.arange(2.9, 3.8, 0.05)]
    grid += [{"k": 4, "z": round(z, 3)} for z in np.arange(4.7, 5.6, 0.05)]
    frame = sweep(kcore_fraction, grid, seeds=range(KCORE_SEEDS), progress=False)
    return (
        frame.groupby(["k", "z"], as_index=False)["standing"]
        .mean()
        .sort_values(["k", "z"])
        .reset_index(drop=True)
    )


@figure(
    "kcore-emergence",
    "Fraction of a random tower that stands when every service needs k "
    "of its supporters, against the mean number of supporters (Erdős–Rényi, n = 20,000, "
    "mean of 3 seeds); dashed: the thresholds of Pittel, Spencer & Wormald (1996).",
)
def kcore_emergence():
    frame = _kcore_frame()
    fig, ax = new_figure()
    for k, colour in ((3, "#E69F00"), (4, "#0072B2")):
        part = frame[frame.k == k]
        ax.plot(part.z, part.standing, marker="o", ms=2.5, color=colour, label=f"k = {k}")
        ax.axvline(PSW_THRESHOLD[k], ls="--", lw=0.8, color=colour)
    ax.set_xlabel("mean supporters per service, z")
    ax.set_ylabel("fraction of services standing")
    ax.legend(frameon=False)
    return fig, frame


@table(
    "kcore-threshold",
    "k-core emergence threshold on Erdős–Rényi towers: the mean degree at "
    "which the standing fraction first exceeds 10% (n = 20,000), against Pittel, Spencer & "
    "Wormald (1996).",
)
def kcore_threshold():
    frame = _kcore_frame()
    rows = []
    for k, part in frame.groupby("k"):
        above = part[part.standing > 0.10]
        rows.append(
            {
                "k": k,
                "published c_k": PSW_THRESHOLD[k],
                "estimated c_k": float(above.z.min()),
                "standing fraction just above": float(above.standing.iloc[0]),
                "grid step": 0.05,
            }
        )
    return pd.DataFrame(rows)


@table(
    "talmud-bankruptcy",
    "The Talmud's estate-division problems: the nucleolus of the "
    "bankruptcy game (Aumann & Maschler 1985) for claims 100, 200, 300.",
    quick=True,
)
def talmud():
    published = {100: (100 / 3, 100 / 3, 100 / 3), 200: (50, 75, 75), 300: (50, 100, 150)}
    rows = []
    for estate, pub in published.items():
        nuc = nucleolus(bankruptcy_game(estate, [100, 200, 300])).allocation.values
        for claimant, (ours, theirs) in enumerate(zip(nuc, pub)):
            rows.append(
                {
                    "estate": estate,
                    "claim": 100 * (claimant + 1),
                    "published": round(theirs, 6),
                    "jenga_games": round(float(ours), 6),
                }
            )
    return pd.DataFrame(rows)


@table(
    "un-security-council",
    "Power in the UN Security Council (5 permanent members with a "
    "veto, 10 others, 9 votes to pass): Shapley–Shubik (1954) and normalised Banzhaf indices.",
    quick=True,
)
def security_council():
    idx = weighted_voting_indices([7] * 5 + [1] * 10, 39)
    published = {"Shapley–Shubik": (0.1963, 0.001865), "Banzhaf (normalised)": (0.1669, 0.01654)}
    ours = {"Shapley–Shubik": idx.shapley_shubik, "Banzhaf (normalised)": idx.banzhaf}
    rows = []
    for name, (perm, other) in published.items():
        rows.append(
            {
                "index": name,
                "member": "permanent",
                "published": perm,
                "jenga_games": round(float(ours[name][0]), 6),
            }
        )
        rows.append(
            {
                "index": name,
                "member": "non-permanent",
                "published": other,
                "jenga_games": round(float(ours[name][-1]), 6),
            }
        )
    return pd.DataFrame(rows)


@table(
    "risk-pooling",
    "Risk pooling, a calibration (not an independent replication): coefficients of variation "
    "of a population's yearly cost (Crump et al. 1991) and the worst of 100 simulated years "
    "against the mean (Bachmann & Bevan 1996), against the compound-Poisson model fitted to "
    "them and its simulation. Populations are people: Crump et al.'s lists of 9,000 and "
    "24,000 are whole practices' lists (9,000 was the fundholding minimum list size until "
    "April 1993, then 7,000), not one GP's personal list of about 1,600, the building block "
    "of the jenga-commissioning paper's per-GP groups.",
    quick=True,
)
def risk_pooling():
    frame = replication_table(seed=0).rename(
        columns={"model": "jenga_games (model)", "simulated": "jenga_games (simulated)"}
    )
    return frame.round(6)


def _axelrod_condition(T: int, R: int, P: int, S: int) -> tuple:
    """Least w at which no strategy does better against tit-for-tat than tit-for-tat does.

    Tit-for-tat's state is the opponent's last move, so a best reply to it is a
    stationary plan on two states: each of the six deterministic action paths
    it can produce (always C, always D, alternate from C or from D, C then D
    forever, D then C forever) is played against tit-for-tat exactly, with w a
    symbol, and ``V(TFT, TFT) >= V(plan, TFT)`` is solved for w in (0, 1).
    """
    import sympy as sp

    from jenga_games.games.repeated import (
        DELTA,
        Profile,
        always_cooperate,
        always_defect,
        cycle,
        discounted_payoffs,
        prisoners_dilemma,
        scripted,
        tit_for_tat,
    )

    game = prisoners_dilemma(T, R, P, S)
    tft = tit_for_tat()
    own = discounted_payoffs(Profile(game, [tft, tft])).payoffs[0]
    plans = [
        always_cooperate(),
        always_defect(),
        cycle([0, 1], name="alternate C, D"),
        cycle([1, 0], name="alternate D, C"),
        scripted([0], 1, name="C then D"),
        scripted([1], 0, name="D then C"),
    ]
    region = sp.Interval.open(0, 1)
    binding = {}
    for plan in plans:
        dev = discounted_payoffs(Profile(game, [plan, tft])).payoffs[0]
        ok = sp.solve_univariate_inequality(sp.simplify(own - dev) >= 0, DELTA, relational=False)
        ok = ok.intersect(sp.Interval.open(0, 1))
        binding[plan.name] = ok.inf if ok is not sp.S.EmptySet else sp.oo
        region = region.intersect(ok)
    return region, binding


@table(
    "repeated-pd",
    "Cooperation in the repeated prisoner's dilemma (T, R, P, S = 5, 3, 1, 0): "
    "the least continuation probability w at which tit-for-tat is collectively stable "
    "(Axelrod 1981, 1984) and at which grim trigger is subgame perfect (Friedman 1971), "
    "computed exactly, against the published formulas.",
    quick=True,
)
def repeated_pd():
    from fractions import Fraction

    from jenga_games.games.repeated import Profile, critical_delta, grim_trigger, prisoners_dilemma

    T, R, P, S = 5, 3, 1, 0
    region, binding = _axelrod_condition(T, R, P, S)
    published_tft = max(Fraction(T - R, T - P), Fraction(T - R, R - S))
    grim = critical_delta(Profile(prisoners_dilemma(T, R, P, S), [grim_trigger()] * 2)).set
    rows = [
        {
            "result": "tit-for-tat collectively stable: w ≥ max((T−R)/(T−P), (T−R)/(R−S))",
            "published": str(published_tft),
            "jenga_games": str(region.inf),
            "binding deviation": "; ".join(k for k in binding if binding[k] == region.inf),
        },
        {
            "result": "  against always defect: w ≥ (T−R)/(T−P)",
            "published": str(Fraction(T - R, T - P)),
            "jenga_games": str(binding["always defect"]),
            "binding deviation": "always defect",
        },
        {
            "result": "  against alternation D, C, D, ...: w ≥ (T−R)/(R−S)",
            "published": str(Fraction(T - R, R - S)),
            "jenga_games": str(binding["alternate D, C"]),
            "binding deviation": "alternate D, C",
        },
        {
            "result": "grim trigger subgame perfect: δ ≥ (T−R)/(T−P)",
            "published": str(Fraction(T - R, T - P)),
            "jenga_games": str(grim.inf),
            "binding deviation": "always defect",
        },
    ]
    return pd.DataFrame(rows)


@table(
    "pd-equilibrium-payoffs",
    "Vertices of the subgame-perfect equilibrium payoff set of the "
    "prisoner's dilemma (T, R, P, S = 5, 3, 1, 0) at δ = 0.9: the published vertices (the "
    "QuantEcon example), quantecon 0.11.4's Abreu–Sannikov answer as recorded in "
    "benchmarks/data, and jenga_games' outer approximation (Judd, Yeltekin & Conklin 2003, with "
    "the feasible set's edge normals); distance: from ours to the published vertex, rounded to 6 decimals.",
    quick=True,
)
def pd_equilibrium_payoffs():
    import json
    from pathlib import Path

    from jenga_games.games.repeated import equilibrium_payoffs, prisoners_dilemma

    published = [(1.0, 1.0), (1.0, 13 / 3), (3.0, 3.0), (13 / 3, 1.0)]
    record = (
        Path(__file__).resolve().parents[2]
        / "benchmarks"
        / "data"
        / "quantecon_repeated_payoff_sets.json"
    )
    games = json.loads(record.read_text())["games"]
    qe = np.asarray(
        next(
            g["vertices"]
            for g in games
            if g["name"] == "prisoners_dilemma_5310" and g["delta"] == 0.9
        ),
        dtype=float,
    )
    s = equilibrium_payoffs(prisoners_dilemma(5, 3, 1, 0), 0.9, hull_normals=True)
    ours = np.asarray(s.vertices, dtype=float)

    def nearest(points, px, py):
        return points[int(np.argmin(np.hypot(points[:, 0] - px, points[:, 1] - py)))]

    rows = []
    for px, py in published:
        q, o = nearest(qe, px, py), nearest(ours, px, py)
        rows.append(
            {
                "published": f"({px:.6g}, {py:.6g})",
                "quantecon u1": round(float(q[0]), 6),
                "quantecon u2": round(float(q[1]), 6),
                "jenga_games u1": round(float(o[0]), 6),
                "jenga_games u2": round(float(o[1]), 6),
                "distance (6 dp)": round(float(np.hypot(o[0] - px, o[1] - py)), 6),
                "vertices (quantecon / ours)": f"{len(qe)} / {len(ours)}",
            }
        )
    return pd.DataFrame(rows)
