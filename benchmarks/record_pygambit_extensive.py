"""Record pygambit's answers on extensive games with hidden information (run in .venv-bench).

The trees are built by jenga_games and written with ``write_efg`` (Kuhn poker,
Myerson's one-card poker, the shroud-waving signalling game, a Kreps-Wilson
chain store with three contracts); pygambit reads each ``.efg`` and runs

* ``lp_solve`` (sequence-form LP, two-player zero-sum games only, rational),
* ``lcp_solve`` (Lemke on the sequence form, two players, rational),
* ``logit_solve`` (the limit of the logit QRE branch; any game),
* ``qre.logit_solve_lambda`` (the agent logit QRE at λ = 0.5, 2, 5: every
  action probability, in Gambit's order: players, their information sets, actions).

The answers (equilibrium payoffs as exact strings where pygambit gives them,
floats otherwise) go to ``benchmarks/data/pygambit_extensive.json``, which
``tests/games/extensive/test_peers.py`` reads.

Usage: .venv-bench/bin/python benchmarks/record_pygambit_extensive.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from jenga_games._io import atomic_write_text
from jenga_games.commissioning.reputation import ReputationParams, chain_store_game
from jenga_games.commissioning.signalling import signalling_game
from jenga_games.games.extensive import kuhn_poker, one_card_poker, write_efg

OUT = Path(__file__).parent / "data" / "pygambit_extensive.json"
LAMBDAS = (0.5, 2.0, 5.0)


def instances():
    """(name, ExtensiveGame) pairs; the tests rebuild them by the same names."""
    return [
        ("kuhn_poker", kuhn_poker()),
        ("one_card_poker", one_card_poker()),
        ("signalling_default", signalling_game()),
        ("chain_store_3", chain_store_game(ReputationParams(n_contracts=3))),
    ]


def main() -> int:
    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit is not installed: nothing recorded")
        return 0
    records = []
    for name, game in instances():
        text = write_efg(game)
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "g.efg"
            p.write_text(text)
            g = gbt.read_efg(str(p))
        rec = {
            "name": name,
            "efg_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "pygambit": gbt.__version__,
        }
        two = len(g.players) == 2
        if two and game.is_zero_sum():
            t = time.perf_counter()
            res = gbt.nash.lp_solve(g, rational=True)
            rec["lp_seconds"] = time.perf_counter() - t
            rec["lp_payoffs"] = [str(res.equilibria[0].payoff(pl)) for pl in g.players]
        if two:
            t = time.perf_counter()
            res = gbt.nash.lcp_solve(g, rational=True)
            rec["lcp_seconds"] = time.perf_counter() - t
            rec["lcp_payoffs"] = [[str(e.payoff(pl)) for pl in g.players] for e in res.equilibria]
        t = time.perf_counter()
        res = gbt.nash.logit_solve(g)
        rec["logit_seconds"] = time.perf_counter() - t
        rec["logit_payoffs"] = [float(res.equilibria[0].payoff(pl)) for pl in g.players]
        # pygambit 16.7's LogitQREMixedBehaviorProfile.profile cannot be built; index it
        t = time.perf_counter()
        pts = gbt.qre.logit_solve_lambda(g, list(LAMBDAS))
        rec["logit_lambda_seconds"] = time.perf_counter() - t
        rec["logit_lambda"] = [
            {"lam": float(x.lam), "behaviour": [float(x[k]) for k in range(len(x))]} for x in pts
        ]
        print(name, {k: v for k, v in rec.items() if k.endswith("payoffs")})
        records.append(rec)
    atomic_write_text(
        OUT,
        json.dumps(
            {
                "source": "pygambit lp_solve / lcp_solve / logit_solve / qre.logit_solve_lambda "
                "on write_efg trees",
                "instances": records,
            },
            indent=1,
        )
        + "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
