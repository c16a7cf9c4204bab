"""Compare our exact repeated-game payoff sets with quantecon's on random stage games.

Run in the bench venv::

    .venv-bench/bin/python benchmarks/sweep_quantecon_repeated.py [SEED] [N] [MAX_ACTIONS]

Draws ``N`` two-player stage games (``2..MAX_ACTIONS-1`` actions each; two in
three with integer payoffs 0..9, which have ties and flat sets, the others
with normal payoffs rounded to 3 decimals) and a discount factor from 0.3 to
0.95, and prints every game whose Hausdorff gap to quantecon's
Abreu–Sannikov set exceeds 1e-9 of the payoff range, then counts.
quantecon runs in a forked child per game: it raises on flat sets (qhull)
and its compiled code can corrupt the heap, which would end the sweep.
A gap is not by itself our error: check it against the outer approximation
(which contains the true set) and quantecon's ``max_iter`` (default 500).
"""

from __future__ import annotations

import os
import pickle
import sys
import warnings

import numpy as np
from bench_repeated import hausdorff

from jenga_games.games.repeated import equilibrium_payoffs


def quantecon_vertices(U: np.ndarray, d: float):
    """quantecon's vertices, None if it raised, "crash" if its process died."""
    from quantecon.game_theory import NormalFormGame, RepeatedGame

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.close(r)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                h = RepeatedGame(NormalFormGame(U), d).equilibrium_payoffs()
            out = h.points[h.vertices]
        except Exception:  # qhull refuses flat sets
            out = None
        os.write(w, pickle.dumps(out))
        os.close(w)
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    return pickle.loads(data) if data and status == 0 else "crash"


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    n_games = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    max_actions = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    try:
        from quantecon.game_theory import NormalFormGame, RepeatedGame
    except ImportError:
        print("quantecon is not installed in this venv: nothing to compare")
        return
    pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]], float)
    RepeatedGame(NormalFormGame(pd), 0.9).equilibrium_payoffs()  # compile before forking
    rng = np.random.default_rng(seed)
    counts = {"agree": 0, "differ": 0, "quantecon_raised": 0, "quantecon_crashed": 0}
    worst = 0.0
    for n in range(n_games):
        k1, k2 = rng.integers(2, max_actions, size=2)
        if n % 3:
            U = rng.integers(0, 10, size=(k1, k2, 2)).astype(float)
        else:
            U = rng.normal(size=(k1, k2, 2)).round(3)
        d = float(rng.choice([0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95]))
        V = quantecon_vertices(U, d)
        if isinstance(V, str):
            counts["quantecon_crashed"] += 1
            continue
        if V is None:
            counts["quantecon_raised"] += 1
            continue
        s = equilibrium_payoffs(U, d)
        gap = hausdorff(s.vertices, V) / max(1.0, float(np.ptp(U)))
        worst = max(worst, gap)
        if gap > 1e-9 or not s.converged:
            counts["differ"] += 1
            print(f"game {n}: δ={d}, gap {gap:.2e} of the payoff range, payoffs {U.tolist()}")
        else:
            counts["agree"] += 1
    print(counts, f"largest gap: {worst:.1e} of the payoff range")


if __name__ == "__main__":
    main()
