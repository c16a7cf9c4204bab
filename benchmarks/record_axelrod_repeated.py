"""Record axelrod's moves for deterministic prisoner's dilemma matches (run once in .venv-bench).

    .venv-bench/bin/python benchmarks/record_axelrod_repeated.py

Writes ``benchmarks/data/axelrod_repeated_matches.json``: for each pair of
deterministic axelrod strategies, the moves of a 60-turn noiseless match with
the default game (T, R, P, S = 5, 3, 1, 0), and the final scores. The tests in
``tests/games/repeated`` replay the same matches with our automata and compare
move by move (axelrod pulls in torch, so it never enters the test venv).
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

from jenga_games._io import atomic_write_text

OUT = Path(__file__).parent / "data" / "axelrod_repeated_matches.json"
TURNS = 60

# axelrod class name -> our name for the same strategy (see the test for the automata)
PAIRS = {
    "Cooperator": "always cooperate",
    "Defector": "always defect",
    "TitForTat": "tit-for-tat",
    "Grudger": "grim trigger",
    "WinStayLoseShift": "win-stay-lose-shift",
    "TitFor2Tats": "tit-for-two-tats",
    "SuspiciousTitForTat": "suspicious tit-for-tat",
    "Alternator": "alternator",
    "TwoTitsForTat": "two tits for tat",
}


def main() -> int:
    t0 = time.perf_counter()
    try:
        import axelrod as axl
    except ImportError:
        print("axelrod is not installed in this venv: nothing recorded")
        return 1
    print(f"axelrod {axl.__version__} imported in {time.perf_counter() - t0:.1f} s")
    records = []
    for a, b in itertools.combinations_with_replacement(PAIRS, 2):
        p1, p2 = getattr(axl, a)(), getattr(axl, b)()
        match = axl.Match((p1, p2), turns=TURNS, seed=0)
        moves = match.play()
        records.append(
            {
                "axelrod": [a, b],
                "ours": [PAIRS[a], PAIRS[b]],
                "moves": ["".join(str(m) for m in pair) for pair in moves],
                "scores": [
                    int(sum(s[0] for s in match.scores())),
                    int(sum(s[1] for s in match.scores())),
                ],
            }
        )
    # tournaments: mean payoff per turn of each strategy against the others (no self-play),
    # noiseless and with 5% noise; GTFT (p = 1/3 in this game) joins the deterministic nine
    ten = dict(PAIRS) | {"GTFT": "generous tit-for-tat(0.333)"}
    del ten["TwoTitsForTat"]
    ten["TwoTitsForTat"] = "two tits for tat"
    tours = []
    for noise in (0.0, 0.05):
        players = [getattr(axl, c)() for c in ten]
        res = axl.Tournament(players, turns=200, repetitions=20, seed=0, noise=noise).play(
            progress_bar=False
        )
        tours.append(
            {
                "noise": noise,
                "turns": 200,
                "repetitions": 20,
                "mean_score": {
                    ten[c]: float(sum(res.normalised_scores[i]) / len(res.normalised_scores[i]))
                    for i, c in enumerate(ten)
                },
            }
        )
    data = {
        "source": f"axelrod {axl.__version__}, axl.Match(turns={TURNS}, seed=0), default game (5, 3, 1, 0); "
        "tournaments: axl.Tournament(turns=200, repetitions=20, seed=0, noise), normalised_scores",
        "turns": TURNS,
        "matches": records,
        "tournaments": tours,
    }
    atomic_write_text(OUT, json.dumps(data, indent=1) + "\n")
    print(f"wrote {len(records)} matches to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
