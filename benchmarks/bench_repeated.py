"""Benchmark jenga_games.games.repeated beside axelrod and quantecon on the same inputs, in one run.

Run in the bench venv::

    .venv-bench/bin/python benchmarks/bench_repeated.py [--quick]

1. Exact analysis of a 20-strategy library: discounted payoffs and the
   one-shot-deviation SPE check for all 400 ordered pairs at δ = 0.9, and
   critical δ for the pure pairs (no peer computes these; for scale, axelrod
   plays the pairs it also has as 200-turn matches).
2. A 10-strategy, 200-turn, 5-repetition round-robin tournament on the
   prisoner's dilemma (5, 3, 1, 0), noiseless and with 5% noise, beside
   ``axelrod.Tournament`` with the same strategies: ratio = ours / axelrod.
3. Equilibrium payoff sets of two-player repeated games (the games recorded in
   ``benchmarks/data/quantecon_repeated_payoff_sets.json``): our exact default
   (Abreu–Sannikov) and the Judd–Yeltekin–Conklin outer approximation beside
   quantecon's Abreu–Sannikov ``RepeatedGame.equilibrium_payoffs`` (warm,
   after its numba compilation), with the Hausdorff distance to its set.
   Both are compiled with numba: the section prints each one's first call
   (ours also in a fresh process with an empty numba cache, i.e. the
   compile), then the best CPU time per warm call, ours and quantecon's
   timed alternately, and the ratio per game; for reference also our numpy
   path (the fallback without numba) and the outer approximation.

Times are best of a few repeats after a warm-up. A peer that is not installed
is skipped with a note.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy as sp
from _timing import best_time

from jenga_games.games.repeated import (
    Automaton,
    Profile,
    classic_strategies,
    critical_delta,
    cycle,
    discounted_payoffs,
    equilibrium_payoffs,
    generous_tit_for_tat,
    is_subgame_perfect,
    k_period_punishment,
    prisoners_dilemma,
    random_play,
    tournament,
    trust_eroding,
)

DATA = Path(__file__).parent / "data" / "quantecon_repeated_payoff_sets.json"


def two_tits_for_tat() -> Automaton:
    states = ("CC", "CD", "DC", "DD")
    return Automaton(
        "two tits for tat",
        states,
        "CC",
        {s: ("C" if s == "CC" else "D") for s in states},
        lambda s, seen: s[1] + seen[1],
    )


def library20() -> list[Automaton]:
    lib = classic_strategies()  # 11
    lib += [
        cycle(["C", "D"], name="alternator"),
        two_tits_for_tat(),
        k_period_punishment(1),
        k_period_punishment(3),
        k_period_punishment(2, restart=True).renamed("2-period punishment (restart)"),
        generous_tit_for_tat(Fraction(1, 10)),
        random_play(Fraction(1, 2)),
        trust_eroding(scar=0).renamed("trust (no scar)"),
        trust_eroding(levels=2, threshold=1, drop=1, recovery=2).renamed("trust (small)"),
    ]
    assert len(lib) == 20 and len({a.name for a in lib}) == 20
    return lib


TEN = {  # our automaton -> axelrod class name
    "always cooperate": "Cooperator",
    "always defect": "Defector",
    "tit-for-tat": "TitForTat",
    "grim trigger": "Grudger",
    "win-stay-lose-shift": "WinStayLoseShift",
    "tit-for-two-tats": "TitFor2Tats",
    "suspicious tit-for-tat": "SuspiciousTitForTat",
    "alternator": "Alternator",
    "two tits for tat": "TwoTitsForTat",
    "generous tit-for-tat(0.333)": "GTFT",
}


def ours_ten() -> list[Automaton]:
    byname = {a.name: a for a in library20()}
    return [byname[n] for n in TEN]


def exact_all_pairs(pd, lib, delta):
    for a, b in itertools.product(lib, repeat=2):
        prof = Profile(pd, [a, b])
        discounted_payoffs(prof, delta)
        is_subgame_perfect(prof, delta)


def section_exact(pd, quick: bool, axl) -> None:
    lib = library20()
    print("\n== 1. exact payoffs + SPE check, 20 strategies, all 400 ordered pairs, δ = 0.9")
    t, _ = best_time(exact_all_pairs, 1 if quick else 3, pd, lib, 0.9)
    n_states = sum(
        len(Profile(pd, [a, b]).reachable()[0]) for a, b in itertools.product(lib, repeat=2)
    )
    print(
        f"ours: {t:.3f} s ({1e3 * t / 400:.2f} ms per pair; {n_states} joint states checked in all)"
    )
    pure = [a for a in lib if a.is_pure and not a.name.startswith("trust")]
    pairs = list(itertools.combinations_with_replacement(pure, 2))
    t0 = time.perf_counter()
    spe = [(a.name, b.name, critical_delta(Profile(pd, [a, b])).set) for a, b in pairs]
    t1 = time.perf_counter() - t0
    nonempty = [(a, b, s) for a, b, s in spe if s is not sp.S.EmptySet]
    print(
        f"ours: critical δ (exact sets) for {len(pairs)} pure pairs in {t1:.2f} s; "
        f"{len(nonempty)} pairs are subgame perfect for some δ, e.g."
    )
    for a, b, s in nonempty[:4]:
        print(f"    {a} vs {b}: {s}")
    if axl is None:
        print("axelrod: not installed, skipped")
        return
    # for scale only: axelrod simulates (does not solve) the 200-turn matches of the pairs it also has
    ours = {n: getattr(axl, c) for n, c in TEN.items()}

    def run():
        for a, b in itertools.product(ours.values(), repeat=2):
            axl.Match((a(), b()), turns=200, seed=0).play()

    ta, _ = best_time(run, 1)
    print(f"axelrod (for scale, not the same task): 100 simulated 200-turn matches in {ta:.3f} s")


def section_tournament(pd, quick: bool, axl) -> None:
    print(
        "\n== 2. tournament: 10 strategies, 200 turns, 5 repetitions (round robin with self-play)"
    )
    ten = ours_ten()
    for noise in (0.0, 0.05):
        t, res = best_time(
            tournament, 1 if quick else 3, pd, ten, turns=200, repetitions=5, seed=0, tremble=noise
        )
        line = f"noise {noise:.2f}: ours {t:.3f} s"
        if axl is not None:
            players = [getattr(axl, c)() for c in TEN.values()]

            def run(players=players, noise=noise):
                tour = axl.Tournament(players, turns=200, repetitions=5, seed=0, noise=noise)
                return tour.play(progress_bar=False)  # serial (processes=None), like ours

            ta, ares = best_time(run, 1 if quick else 2)
            names = [str(p) for p in players]
            ranked = [names[i] for i in ares.ranking]
            line += f" | axelrod {ta:.3f} s | ratio ours/axelrod = {t / ta:.3f}"
            line += f"\n    top 3 ours: {list(res.ranking.index[:3])}; axelrod: {ranked[:3]}"
        else:
            line += " | axelrod not installed: skipped"
        print(line)


def _cold_first_call(U: np.ndarray, d: float) -> tuple[float, float] | None:
    """Wall and CPU seconds of our first call in a fresh process with an empty numba cache.

    Includes importing jenga_games and numba and compiling the kernel.
    """
    code = (
        "import time; t0 = time.perf_counter(); c0 = time.process_time(); import numpy as np;"
        "from jenga_games.games.repeated import equilibrium_payoffs;"
        f"equilibrium_payoffs(np.array({U.tolist()}), {d});"
        "print(time.perf_counter() - t0, time.process_time() - c0)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
    try:
        wall, cpu = map(float, out.stdout.strip().splitlines()[-1].split())
    except (IndexError, ValueError):
        return None
    return wall, cpu


def _interleaved_cpu(fa, fb, repeats: int, min_block: float = 0.02):
    """Best CPU seconds per call of ``fa()`` and ``fb()``, timed alternately (same load for both).

    Each timing block repeats a call until it has used ``min_block`` seconds
    of CPU, so sub-millisecond calls are timed above the clock's resolution.
    """

    def block(f, k):
        t = time.process_time()
        for _ in range(k):
            f()
        return time.process_time() - t

    ks = []
    for f in (fa, fb):  # warm up and size the blocks
        f()
        k = 1
        while (t := block(f, k)) < min_block and k < 100_000:
            k = max(2 * k, int(k * min_block / max(t, 1e-9)) + 1)
        ks.append(k)
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for j, f in enumerate((fa, fb)):
            best[j] = min(best[j], block(f, ks[j]) / ks[j])
    return best


def section_payoff_sets(quick: bool) -> None:
    print("\n== 3. equilibrium payoff sets (two players, pure actions, public randomisation)")
    games = json.loads(DATA.read_text())["games"] if DATA.exists() else []
    if not games:
        print("no recorded games: run benchmarks/record_quantecon_repeated.py")
        return
    try:
        from quantecon.game_theory import NormalFormGame, RepeatedGame
    except ImportError:
        RepeatedGame = None
        print("quantecon: not installed, its column is skipped")
    g0 = games[0]
    U0 = np.array(g0["payoffs"])
    if not quick:
        cold = _cold_first_call(U0, g0["delta"])
        if cold is not None:
            print(
                "ours first call in a fresh process, empty numba cache (imports + compile): "
                f"{cold[0]:.2f} s wall, {cold[1]:.2f} s CPU"
            )
    t0 = time.perf_counter()
    equilibrium_payoffs(U0, g0["delta"])
    print(
        f"ours first call in this process (numba cache on disk): {time.perf_counter() - t0:.2f} s"
    )
    if RepeatedGame is not None:
        t0 = time.perf_counter()
        RepeatedGame(NormalFormGame(U0), g0["delta"]).equilibrium_payoffs()
        print(f"quantecon first call (numba compilation): {time.perf_counter() - t0:.2f} s")
    print("times: best CPU time per call (time.process_time), ours and quantecon interleaved")
    worst = 0.0
    ratios = []
    for g in games:
        U = np.array(g["payoffs"])
        d = g["delta"]
        V = np.array(g["vertices"])
        row = f"{g['name']:<28} δ={d:<5}"
        s = equilibrium_payoffs(U, d)  # default: exact (AS), compiled kernel
        gap = hausdorff(s.vertices, V)
        worst = max(worst, gap)

        def ours(U=U, d=d):
            return equilibrium_payoffs(U, d)

        if RepeatedGame is not None:
            rg = RepeatedGame(NormalFormGame(U), d)
            t, tq = _interleaved_cpu(ours, rg.equilibrium_payoffs, 2 if quick else 5)
        else:
            t, tq = _interleaved_cpu(ours, ours, 2 if quick else 5)[0], None
        row += f" | ours exact (AS): {1e3 * t:7.3f} ms, {s.iterations} it, gap {gap:.1e}"
        if not quick:
            tn, sn = best_time(_exact_numpy, 1, U, d)
            same = "identical" if np.array_equal(sn.vertices, s.vertices) else "DIFFERENT"
            row += f" | ours numpy path: {1e3 * tn:6.1f} ms ({same} vertices)"
            to, so = best_time(equilibrium_payoffs, 3, U, d, n_directions=32, hull_normals=True)
            row += (
                f" | ours outer L=32+hull: {1e3 * to:6.1f} ms, gap {hausdorff(so.vertices, V):.1e}"
            )
        if tq is not None:
            ratios.append(t / tq)
            row += f" | quantecon AS warm: {1e3 * tq:7.3f} ms | ratio ours exact / quantecon = {t / tq:.3f}"
        print(row)
    print(
        "gap: Hausdorff distance between our set and quantecon's recorded Abreu–Sannikov set "
        f"(payoff units); largest for the exact default: {worst:.1e}"
    )
    if ratios:
        print(f"ratio ours exact / quantecon warm: {min(ratios):.3f} – {max(ratios):.3f}")


def _exact_numpy(U: np.ndarray, d: float):
    """Our exact set by the numpy path (no compiled kernel): the fallback without numba."""
    from jenga_games.games.repeated import payoff_set

    kernel = payoff_set._kernel
    payoff_set._kernel = lambda: None
    try:
        return equilibrium_payoffs(U, d)
    finally:
        payoff_set._kernel = kernel


def hausdorff(P: np.ndarray, Q: np.ndarray, k: int = 3600) -> float:
    """Hausdorff distance of two convex polygons, from their support functions in k directions."""
    if len(P) == 0 or len(Q) == 0:
        return 0.0 if len(P) == len(Q) else float("inf")
    th = np.linspace(0, 2 * np.pi, k, endpoint=False)
    H = np.stack([np.cos(th), np.sin(th)], axis=1)
    return float(np.abs((H @ P.T).max(axis=1) - (H @ Q.T).max(axis=1)).max())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--only",
        choices=["exact", "tournament", "sets"],
        default=None,
        help="run one section (sets does not import axelrod)",
    )
    args = ap.parse_args()
    pd = prisoners_dilemma(5, 3, 1, 0)
    axl = None
    if args.only in (None, "exact", "tournament"):
        t0 = time.perf_counter()
        try:
            import axelrod as axl

            print(f"axelrod {axl.__version__} imported in {time.perf_counter() - t0:.1f} s")
        except ImportError:
            print("axelrod: not installed; its columns are skipped")
    if args.only in (None, "exact"):
        section_exact(pd, args.quick, axl)
    if args.only in (None, "tournament"):
        section_tournament(pd, args.quick, axl)
    if args.only in (None, "sets"):
        section_payoff_sets(args.quick)


if __name__ == "__main__":
    main()
