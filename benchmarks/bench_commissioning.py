"""Benchmark the commissioning models' solvers beside peers on the same inputs, in one run.

Run in ``.venv-bench`` (``make bench``)::

    .venv-bench/bin/python benchmarks/bench_commissioning.py [--repeats 3]

1. Gain-sharing and risk-pooling TU games (Shapley, nucleolus) beside coopgame-py on
   the same coalition values; the answers are compared (max abs difference).
2. Contestability: our exact backward induction for one lot beside pygambit's
   ``enumpure_solve`` on the induced normal form (all pure equilibria); we check that
   our subgame-perfect profile is among Gambit's equilibria. Chains of lots have no peer.
3. Risk simulation: our two-draws-a-year compound Poisson sampler beside a plain numpy
   sampler drawing every event (no peer library simulates commissioning budgets; this is
   a baseline, not a peer).

Peers that are not installed are skipped with a note. No assertions on timings.
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import best_time

from jenga_games.commissioning import (
    ContestParams,
    GainsParams,
    RiskParams,
    contest,
    contest_normal_form,
    gains_game,
    pooling_game,
    simulate_annual_costs,
)
from jenga_games.games.cooperative import nucleolus, shapley

try:
    import coopgame as cg
except ImportError:  # pragma: no cover
    cg = None
try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


def row(label: str, ours: float, peer: float | None, note: str = "") -> None:
    if peer is None:
        print(f"{label:<44}{ours * 1e3:>11.2f} ms{'skipped':>14}{'':>9}  {note}")
    else:
        print(
            f"{label:<44}{ours * 1e3:>11.2f} ms{peer * 1e3:>11.2f} ms{peer / ours:>9.3g}x  {note}"
        )


def tu_games(rep: int) -> None:
    print(f"\n{'TU games (ours vs coopgame-py)':<44}{'ours':>14}{'peer':>14}{'peer/ours':>11}")
    cases = {
        "gains n=10 (7 CCGs, 3 providers)": gains_game(
            GainsParams(
                demand=(2000, 1500, 1000, 800, 1200, 600, 900),
                fixed_cost=(300, 250, 280),
                capacity=(3000, 2500, 4000),
            )
        ),
        "risk pooling n=12 practices": pooling_game(
            [1200, 1600, 2400, 3000, 8000, 5000, 1500, 1800, 2200, 900, 4000, 2600]
        ).game,
    }
    for name, game in cases.items():
        t_s, ours_s = best_time(lambda g=game: shapley(g).values, rep)
        t_n, ours_n = best_time(lambda g=game: nucleolus(g).allocation.values, rep)
        if cg is None:
            row(f"Shapley {name}", t_s, None, "coopgame-py not installed")
            row(f"nucleolus {name}", t_n, None, "coopgame-py not installed")
            continue
        vals = game.values[1:].tolist()
        tp_s, peer_s = best_time(lambda vals=vals: cg.shapley(cg.Game(vals)), rep)
        tp_n, peer_n = best_time(lambda vals=vals: cg.nucleolus(cg.Game(vals))["allocation"], rep)
        row(
            f"Shapley {name}",
            t_s,
            tp_s,
            f"max|diff| {np.abs(ours_s - np.asarray(peer_s)).max():.1e}",
        )
        row(
            f"nucleolus {name}",
            t_n,
            tp_n,
            f"max|diff| {np.abs(ours_n - np.asarray(peer_n)).max():.1e}",
        )


def contestability(rep: int) -> None:
    print(f"\n{'contestability (ours vs pygambit)':<44}{'ours':>14}{'peer':>14}{'peer/ours':>11}")
    prm = ContestParams(quanta=(2.0,))
    t_ours, res = best_time(lambda: contest(prm), rep)
    r0 = res.path.iloc[0]
    if gbt is None:
        row("one lot: SPE vs all pure NE", t_ours, None, "pygambit not installed")
    else:
        nf = contest_normal_form(prm)
        arrays = [np.asarray(nf.payoffs[..., i], dtype=float) for i in range(3)]
        t_peer, eqs = best_time(
            lambda: gbt.nash.enumpure_solve(gbt.Game.from_arrays(*arrays)).equilibria, rep
        )
        ours = [
            nf.actions[0].index(r0["incumbent"]),
            nf.actions[1].index(r0["entrant_strategy"]),
            nf.actions[2].index(r0["commissioner_strategy"]),
        ]

        def prob(e, p, k):
            item = list(e[p])[k]  # (strategy, probability) pairs in strategy order
            return float(item[1] if isinstance(item, tuple) else item)

        found = any(all(prob(e, p, k) == 1.0 for p, k in zip(e.game.players, ours)) for e in eqs)
        row(
            "one lot: SPE vs all pure NE",
            t_ours,
            t_peer,
            f"{len(eqs)} pure NE; our SPE among them: {found}",
        )
    t_chain, _ = best_time(lambda: contest(ContestParams(quanta=(0.8,) * 12, headroom=6.0)), rep)
    row("chain of 12 lots (backward induction)", t_chain, None, "no peer")


def risk(rep: int) -> None:
    print(
        f"\n{'risk simulation (ours vs plain numpy)':<44}{'ours':>14}{'baseline':>14}{'base/ours':>11}"
    )
    prm = RiskParams()
    n, years = 100_000, 300
    t_ours, ours = best_time(lambda: simulate_annual_costs(n, years, prm, seed=1), rep)

    def naive():
        rng = np.random.default_rng(1)
        k = rng.poisson(prm.event_rate * n, size=years)
        s2 = prm.severity_cv**2
        return np.array([rng.gamma(1 / s2, prm.severity_mean * s2, size=int(x)).sum() for x in k])

    t_base, base = best_time(naive, max(1, rep // 2))
    mean = n * prm.cost_per_head
    row(
        f"N={n:,}, {years:,} years",
        t_ours,
        t_base,
        f"means {ours.mean() / mean:.4f} vs {base.mean() / mean:.4f} of the analytic mean",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print(
        f"peers: coopgame-py {'installed' if cg else 'not installed (skipped)'}, "
        f"pygambit {'installed' if gbt else 'not installed (skipped)'}"
    )
    tu_games(args.repeats)
    contestability(args.repeats)
    risk(args.repeats)


if __name__ == "__main__":
    main()
