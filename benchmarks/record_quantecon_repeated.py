"""Record quantecon's equilibrium payoff sets of two-player repeated games (run once in .venv-bench).

    .venv-bench/bin/python benchmarks/record_quantecon_repeated.py

quantecon's ``RepeatedGame.equilibrium_payoffs`` implements Abreu and Sannikov
(2014): the exact vertices of the pure-action subgame-perfect payoff set with
public randomisation. Writes ``benchmarks/data/quantecon_repeated_payoff_sets.json``,
which the tests compare with our Judd–Yeltekin–Conklin outer approximation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from jenga_games._io import atomic_write_text

OUT = Path(__file__).parent / "data" / "quantecon_repeated_payoff_sets.json"


def games() -> list[tuple[str, np.ndarray, float]]:
    pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], dtype=float)
    stag = np.array([[[4, 4], [0, 3]], [[3, 0], [2, 2]]], dtype=float)
    rng = np.random.default_rng(2024)
    out = [
        ("prisoners_dilemma_5310", pd, 0.9),
        ("prisoners_dilemma_5310", pd, 0.6),
        ("stag_hunt", stag, 0.8),
    ]
    for k in range(6):
        out.append(
            (f"random_3x3_seed2024_{k}", rng.integers(0, 10, size=(3, 3, 2)).astype(float), 0.85)
        )
    return out


def main() -> int:
    try:
        from quantecon.game_theory import NormalFormGame, RepeatedGame
    except ImportError:
        print("quantecon is not installed in this venv: nothing recorded")
        return 1
    import quantecon

    records = []
    for name, payoffs, delta in games():
        try:
            hull = RepeatedGame(NormalFormGame(payoffs), delta).equilibrium_payoffs()
        except Exception as exc:  # quantecon's qhull call fails on degenerate (flat) sets
            print(name, delta, "skipped:", type(exc).__name__, str(exc).splitlines()[0][:80])
            continue
        verts = hull.points[hull.vertices]
        records.append(
            {"name": name, "payoffs": payoffs.tolist(), "delta": delta, "vertices": verts.tolist()}
        )
        print(name, delta, np.round(verts, 4).tolist())
    data = {
        "source": f"quantecon {quantecon.__version__}, RepeatedGame.equilibrium_payoffs() "
        "(Abreu-Sannikov, tol 1e-12)",
        "games": records,
    }
    atomic_write_text(OUT, json.dumps(data, indent=1) + "\n")
    print(f"wrote {len(records)} payoff sets to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
