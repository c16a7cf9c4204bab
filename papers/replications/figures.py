"""Published results reproduced with jenga_games: each table sets ours beside the published number.

Run ``jenga papers build replications``; every artifact is seeded and deterministic.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

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
    return (frame.groupby(["k", "z"], as_index=False)["standing"].mean()
            .sort_values(["k", "z"]).reset_index(drop=True))


@figure("kcore-emergence", "Fraction of a random tower that stands when every service needs k "
        "of its supporters, against the mean number of supporters (Erdős–Rényi, n = 20,000, "
        "mean of 3 seeds); dashed: the thresholds of Pittel, Spencer & Wormald (1996).")
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


@table("kcore-threshold", "k-core emergence threshold on Erdős–Rényi towers: the mean degree at "
       "which the standing fraction first exceeds 10% (n = 20,000), against Pittel, Spencer & "
       "Wormald (1996).")
def kcore_threshold():
    frame = _kcore_frame()
    rows = []
    for k, part in frame.groupby("k"):
        above = part[part.standing > 0.10]
        rows.append({"k": k, "published c_k": PSW_THRESHOLD[k],
                     "estimated c_k": float(above.z.min()),
                     "standing fraction just above": float(above.standing.iloc[0]),
                     "grid step": 0.05})
    return pd.DataFrame(rows)


@table("talmud-bankruptcy", "The Talmud's estate-division problems: the nucleolus of the "
       "bankruptcy game (Aumann & Maschler 1985) for claims 100, 200, 300.", quick=True)
def talmud():
    published = {100: (100 / 3, 100 / 3, 100 / 3), 200: (50, 75, 75), 300: (50, 100, 150)}
    rows = []
    for estate, pub in published.items():
        nuc = nucleolus(bankruptcy_game(estate, [100, 200, 300])).allocation.values
        for claimant, (ours, theirs) in enumerate(zip(nuc, pub)):
            rows.append({"estate": estate, "claim": 100 * (claimant + 1),
                         "published": round(theirs, 6), "jenga_games": round(float(ours), 6)})
    return pd.DataFrame(rows)


@table("un-security-council", "Power in the UN Security Council (5 permanent members with a "
       "veto, 10 others, 9 votes to pass): Shapley–Shubik (1954) and normalised Banzhaf indices.",
       quick=True)
def security_council():
    idx = weighted_voting_indices([7] * 5 + [1] * 10, 39)
    published = {"Shapley–Shubik": (0.1963, 0.001865), "Banzhaf (normalised)": (0.1669, 0.01654)}
    ours = {"Shapley–Shubik": idx.shapley_shubik, "Banzhaf (normalised)": idx.banzhaf}
    rows = []
    for name, (perm, other) in published.items():
        rows.append({"index": name, "member": "permanent", "published": perm,
                     "jenga_games": round(float(ours[name][0]), 6)})
        rows.append({"index": name, "member": "non-permanent", "published": other,
                     "jenga_games": round(float(ours[name][-1]), 6)})
    return pd.DataFrame(rows)
