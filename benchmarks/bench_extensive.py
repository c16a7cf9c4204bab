"""Benchmark jenga_games.games.extensive beside pygambit and OpenSpiel (run in .venv-bench).

1. Kuhn poker: our sequence-form LP (exact: HiGHS warm start certified
   exactly; and plain HiGHS) and sequence-form LCP (exact Lemke, integer
   pivoting) beside pygambit's ``lp_solve`` and ``lcp_solve`` on the same
   ``.efg``; then the same on the other recorded trees (one-card poker, the
   shroud-waving signalling game, where pygambit applies).
1b. The agent logit QRE at λ = 0.5, 2, 5 beside pygambit's
   ``qre.logit_solve_lambda`` on the recorded trees (chain store included).
1c. The normal-form logit QRE at the same λ beside pygambit's strategic
   ``logit_solve_lambda`` on random bimatrix games (4×4 and 8×8, seed 0).
2. CFR on Kuhn and Leduc poker: iterations per second of our ``cfr`` (vanilla
   and CFR+) beside OpenSpiel's Python ``CFRSolver`` / ``CFRPlusSolver``
   (``pip install open_spiel``), and the exploitability each reaches. Our
   Leduc abstracts suits away (144 information sets per player), OpenSpiel's
   keeps them, so its tree is larger: compare iterations per second with that
   in mind.

Prints times and the ratio ours / peer; the rows marked (CPU) are best CPU times
(``time.process_time``) of ours and the peer in alternating rounds, so that both see the
same load (the first line gives the load average). A peer that is not installed is
skipped with a note. Never used by the tests (no timing assertions).

Usage: .venv-bench/bin/python benchmarks/bench_extensive.py [--iterations N] [--leduc-iterations N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import best_time

from jenga_games.games.extensive import (
    cfr,
    kuhn_poker,
    sequence_form_lcp,
    sequence_form_lp,
    write_efg,
)


def _ratio(ours: float, peer: float | None) -> str:
    return "" if peer is None else f"  ratio ours/peer {ours / peer:.2f}"


def _paired(ours, peer, repeats: int, rounds: int = 5):
    """Best CPU time (``time.process_time``) of ``ours()`` and of ``peer()`` (or ``None``),
    measured in alternating rounds of ``repeats`` calls each after one warm-up call, so
    that both see the same machine load; single-threaded code on both sides."""

    def best(f):
        b = float("inf")
        for _ in range(repeats):
            t = time.process_time()
            f()
            b = min(b, time.process_time() - t)
        return b

    ours()
    if peer is not None:
        peer()
    t_ours = t_peer = float("inf")
    for _ in range(rounds):
        t_ours = min(t_ours, best(ours))
        if peer is not None:
            t_peer = min(t_peer, best(peer))
    return t_ours, (t_peer if peer is not None else None)


def bench_lp_lcp(repeats: int) -> None:
    game = kuhn_poker()
    t_lp, r = best_time(sequence_form_lp, repeats, game)
    t_lpf, _ = best_time(sequence_form_lp, repeats, game, exact=False)
    t_lcp, _ = best_time(sequence_form_lcp, repeats, game)
    peer_lp = peer_lcp = None
    try:
        import pygambit as gbt

        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "kuhn.efg"
            p.write_text(write_efg(game))
            g = gbt.read_efg(str(p))
        peer_lp, res = best_time(gbt.nash.lp_solve, repeats, g, rational=True)
        peer_lcp, _ = best_time(gbt.nash.lcp_solve, repeats, g, rational=True)
        print(
            f"pygambit {gbt.__version__}: lp value {res.equilibria[0].payoff(next(iter(g.players)))}"
        )
    except ImportError:
        print("pygambit not installed: peer skipped")
    print(f"Kuhn value ours {r.exact_payoffs[0]}")
    print(f"sequence-form LP exact   {t_lp * 1e3:8.1f} ms{_ratio(t_lp, peer_lp)}")
    print(f"sequence-form LP HiGHS   {t_lpf * 1e3:8.1f} ms{_ratio(t_lpf, peer_lp)}")
    print(f"sequence-form LCP exact  {t_lcp * 1e3:8.1f} ms{_ratio(t_lcp, peer_lcp)}")


def _gambit(game):
    import pygambit as gbt

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "g.efg"
        p.write_text(write_efg(game))
        return gbt.read_efg(str(p))


def bench_recorded(repeats: int) -> None:
    """LP/LCP and the agent logit QRE on every recorded tree, beside pygambit."""
    from record_pygambit_extensive import LAMBDAS, instances

    from jenga_games.games.extensive import agent_logit_qre

    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
        print("pygambit not installed: peer skipped")
    for name, game in instances():
        g = _gambit(game) if gbt is not None else None
        rows = []
        # small trees: CPU time, ours and pygambit's in alternating rounds
        n = max(repeats, 20) if game.n_nodes < 40 else repeats
        if game.is_zero_sum():
            t, peer = _paired(
                lambda game=game: sequence_form_lp(game),
                (lambda g=g: gbt.nash.lp_solve(g, rational=True)) if gbt else None,
                n,
            )
            rows.append(("LP exact (CPU)", t, peer))
        if game.n_players == 2:
            t, peer = _paired(
                lambda game=game: sequence_form_lcp(game),
                (lambda g=g: gbt.nash.lcp_solve(g, rational=True)) if gbt else None,
                n,
            )
            rows.append(("LCP exact (CPU)", t, peer))
        lams = list(LAMBDAS)
        if game.n_nodes < 40:  # pygambit takes seconds on the larger trees: one run there
            t, peer = _paired(
                lambda game=game, lams=lams: agent_logit_qre(game, lams),
                (lambda g=g, lams=lams: gbt.qre.logit_solve_lambda(g, lams)) if gbt else None,
                1,
                rounds=3,
            )
            rows.append(("agent logit λ=.5,2,5 CPU", t, peer))
        else:
            t, _ = best_time(agent_logit_qre, 1, game, lams, warmup=False)
            peer = (
                best_time(gbt.qre.logit_solve_lambda, 1, g, lams, warmup=False)[0] if gbt else None
            )
            rows.append(("agent logit λ=0.5,2,5", t, peer))
        for label, ours, theirs in rows:
            print(f"{name:20s} {label:22s} {ours * 1e3:9.1f} ms{_ratio(ours, theirs)}")


def bench_normal_form_logit() -> None:
    """Normal-form logit QRE at λ = 0.5, 2, 5 beside pygambit's strategic homotopy."""
    from record_pygambit_extensive import LAMBDAS

    from jenga_games._rng import make_rng
    from jenga_games.games.normal_form import NormalFormGame, logit_qre

    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
        print("pygambit not installed: peer skipped")
    rng = make_rng(0)
    lams = list(LAMBDAS)
    for n in (4, 8):
        A, B = rng.random((n, n)) * 4, rng.random((n, n)) * 4
        game = NormalFormGame.bimatrix(A, B)
        g = gbt.Game.from_arrays(A, B) if gbt is not None else None
        t, peer = _paired(
            lambda game=game: logit_qre(game, lams),
            (lambda g=g: gbt.qre.logit_solve_lambda(g, lams, use_strategic=True)) if gbt else None,
            3,
        )
        print(f"bimatrix {n}x{n}         logit λ=0.5,2,5 (CPU) {t * 1e3:7.1f} ms{_ratio(t, peer)}")


def bench_cfr(iterations: int, name_game: str = "kuhn_poker") -> None:
    from jenga_games.games.extensive import leduc_poker

    game = kuhn_poker() if name_game == "kuhn_poker" else leduc_poker()
    print(f"-- {name_game}: {game.n_nodes} nodes")
    for plus in (False, True):
        t = time.perf_counter()
        r = cfr(game, iterations, plus=plus)
        ours = iterations / (time.perf_counter() - t)
        name = "CFR+" if plus else "CFR"
        peer = None
        try:
            import pyspiel
            from open_spiel.python.algorithms import cfr as os_cfr
            from open_spiel.python.algorithms import exploitability

            sp = pyspiel.load_game(name_game)
            solver = os_cfr.CFRPlusSolver(sp) if plus else os_cfr.CFRSolver(sp)
            t = time.perf_counter()
            for _ in range(iterations):
                solver.evaluate_and_update_policy()
            peer = iterations / (time.perf_counter() - t)
            expl = exploitability.exploitability(sp, solver.average_policy())
            print(f"OpenSpiel {name}: {peer:8.0f} it/s, exploitability {expl:.2e}")
        except ImportError:
            print("open_spiel not installed: peer skipped")
        ratio = "" if peer is None else f"  ratio ours/peer {ours / peer:.2f} (it/s)"
        print(
            f"ours {name}: {ours:8.0f} it/s, exploitability {r.exploitability:.2e} "
            f"after {iterations} iterations{ratio}"
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--leduc-iterations", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    bench_lp_lcp(args.repeats)
    bench_recorded(args.repeats)
    bench_normal_form_logit()
    bench_cfr(args.iterations, "kuhn_poker")
    bench_cfr(args.leduc_iterations, "leduc_poker")
    return 0


if __name__ == "__main__":
    sys.exit(main())
