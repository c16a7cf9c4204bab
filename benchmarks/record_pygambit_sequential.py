"""Record pygambit's equilibria of tiny Jenga games (run in .venv-bench).

Each instance is written as a Gambit .efg by ``JengaGame.to_efg``; pygambit
reads it and computes the limit of the logit quantal-response equilibrium
correspondence (``logit_solve``), which in a perfect-information game with no
ties selects the subgame-perfect equilibrium; for two players it also runs
Lemke's algorithm on the sequence form (``lcp_solve``, a Nash equilibrium).
The answers go to ``benchmarks/data/pygambit_sequential.json``; the tests
compare ``JengaGame.solve()`` with them.

Usage: .venv-bench/bin/python benchmarks/record_pygambit_sequential.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from jenga_games._io import atomic_write_text
from jenga_games.games.sequential import JengaGame

OUT = Path(__file__).parent / "data" / "pygambit_sequential.json"

# Generic gains (no ties) so that the subgame-perfect equilibrium is unique.
INSTANCES = [
    {
        "name": "classic 2x3, 2 players, must move",
        "spec": {
            "levels": 2,
            "width": 3,
            "players": 2,
            "must_move": True,
            "collapse_cost": 5,
            "gains": {
                "P1": {"L0.0": 1, "L0.1": 3, "L0.2": 2},
                "P2": {"L0.0": 2.5, "L0.1": 0.5, "L0.2": 1.5},
            },
        },
    },
    {
        "name": "classic 2x3, 2 players, may pass",
        "spec": {
            "levels": 2,
            "width": 3,
            "players": 2,
            "must_move": False,
            "collapse_cost": 4,
            "gains": {
                "P1": {"L0.0": 1, "L0.1": 3, "L0.2": 2},
                "P2": {"L0.0": 2.5, "L0.1": 0.5, "L0.2": 1.5},
            },
        },
    },
    {
        "name": "classic 2x3, 3 players, must move",
        "spec": {
            "levels": 2,
            "width": 3,
            "players": 3,
            "must_move": True,
            "collapse_cost": 6,
            "shared_collapse_cost": 1,
            "gains": {
                "P1": {"L0.0": 1, "L0.1": 3, "L0.2": 2},
                "P2": {"L0.0": 2.5, "L0.1": 0.5, "L0.2": 1.5},
                "P3": {"L0.0": 0.25, "L0.1": 4, "L0.2": 1.75},
            },
        },
    },
    {
        "name": "classic 2x4, 2 players, must move",
        "spec": {
            "levels": 2,
            "width": 4,
            "players": 2,
            "must_move": True,
            "collapse_cost": 7,
            "discount": 0.9,
            "gains": {
                "P1": {"L0.0": 1, "L0.1": 3.1, "L0.2": 2.2, "L0.3": 0.45},
                "P2": {"L0.0": 2.5, "L0.1": 0.6, "L0.2": 1.7, "L0.3": 3.45},
            },
        },
    },
]


def main() -> int:
    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit is not installed: nothing recorded")
        return 0
    records = []
    for inst in INSTANCES:
        game = JengaGame.classic(**inst["spec"])
        text = game.to_efg()
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "g.efg"
            p.write_text(text)
            g = gbt.read_efg(str(p))
        rec = {
            "name": inst["name"],
            "spec": inst["spec"],
            "efg_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "nodes": len(text.splitlines()) - 3,
            "pygambit": gbt.__version__,
        }
        t = time.perf_counter()
        res = gbt.nash.logit_solve(g)
        rec["logit_seconds"] = time.perf_counter() - t
        eq = res.equilibria[0]
        rec["logit_payoffs"] = [float(eq.payoff(pl)) for pl in g.players]
        if len(g.players) == 2:
            t = time.perf_counter()
            res = gbt.nash.lcp_solve(g, rational=False)
            rec["lcp_seconds"] = time.perf_counter() - t
            rec["lcp_payoffs"] = [[float(e.payoff(pl)) for pl in g.players] for e in res.equilibria]
        print(rec["name"], rec["logit_payoffs"], game.solve().payoffs)
        records.append(rec)
    atomic_write_text(
        OUT,
        json.dumps(
            {
                "source": "pygambit logit_solve / lcp_solve on JengaGame.to_efg",
                "instances": records,
            },
            indent=1,
        )
        + "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
