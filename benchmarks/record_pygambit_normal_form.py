"""Record pygambit's answers on normal-form games once, for the tests to read.

Run in the benchmark environment (pygambit never enters the test
environment)::

    .venv-bench/bin/python benchmarks/record_pygambit_normal_form.py

Writes ``benchmarks/data/pygambit_normal_form.json`` with, for every game, its
integer payoffs (generated here from fixed seeds and stored, so the tests do
not regenerate them) and pygambit's answer:

* ``bimatrix_random``: 3x3 to 5x5 games with payoffs uniform on 0..99
  (generically nondegenerate) — ``enummixed_solve(rational=True)``;
* ``bimatrix_degenerate``: 3x3 and 4x4 games with payoffs in 0..2 (many ties,
  so mostly degenerate) — ``enummixed_solve(rational=True)`` (extreme
  equilibria, exact);
* ``three_player``: 3x3x3 and 2x3x4 games with payoffs in 0..4 —
  ``enumpure_solve`` (all pure equilibria);
* ``three_player_mixed``: 2x2x2 and 2x2x3 games with payoffs in 0..99 —
  ``enumpoly_solve`` (all equilibria, floating point, possibly irrational);
* ``nfg_text``: the ``.nfg`` text pygambit writes for a few of these games.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from jenga_games._io import atomic_write_text

OUT = Path(__file__).parent / "data" / "pygambit_normal_form.json"


def _profile(eq, game) -> list[list[str]]:
    return [[str(eq[p][s]) for s in p.strategies] for p in game.players]


def _enumpoly_worker(arrs, queue):
    import pygambit as gbt

    g = gbt.Game.from_arrays(*[np.array(a, dtype=object) for a in arrs])
    res = gbt.nash.enumpoly_solve(g)
    queue.put(
        [[[float(eq[p][s]) for s in p.strategies] for p in g.players] for eq in res.equilibria]
    )


def _enumpoly_with_timeout(arrs, seconds: float):
    """pygambit's enumpoly_solve in a child process (it can run for a very long time)."""
    import multiprocessing as mp

    queue = mp.Queue()
    proc = mp.Process(target=_enumpoly_worker, args=([a.tolist() for a in arrs], queue))
    proc.start()
    proc.join(seconds)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return queue.get() if not queue.empty() else None


def main() -> int:
    try:
        import pygambit as gbt
    except ImportError:
        print("pygambit is not installed in this environment; nothing recorded")
        return 1
    rng = np.random.default_rng(20261123)
    cases = []
    for shape, high, kind, count in (
        ((3, 3), 100, "bimatrix_random", 8),
        ((4, 4), 100, "bimatrix_random", 6),
        ((5, 5), 100, "bimatrix_random", 4),
        ((3, 3), 3, "bimatrix_degenerate", 8),
        ((4, 4), 3, "bimatrix_degenerate", 6),
        ((3, 4), 3, "bimatrix_degenerate", 4),
    ):
        for _ in range(count):
            A = rng.integers(0, high, shape)
            B = rng.integers(0, high, shape)
            g = gbt.Game.from_arrays(A.astype(object), B.astype(object))
            res = gbt.nash.enummixed_solve(g, rational=True)
            cases.append(
                {
                    "kind": kind,
                    "payoffs": [A.tolist(), B.tolist()],
                    "method": "enummixed_solve(rational=True)",
                    "equilibria": [_profile(eq, g) for eq in res.equilibria],
                }
            )
    for shape, count in (((3, 3, 3), 8), ((2, 3, 4), 6)):
        for _ in range(count):
            arrs = [rng.integers(0, 5, shape) for _ in range(3)]
            g = gbt.Game.from_arrays(*[a.astype(object) for a in arrs])
            res = gbt.nash.enumpure_solve(g)
            cases.append(
                {
                    "kind": "three_player",
                    "payoffs": [a.tolist() for a in arrs],
                    "method": "enumpure_solve",
                    "equilibria": [_profile(eq, g) for eq in res.equilibria],
                }
            )
    for shape, count in (((2, 2, 2), 10), ((2, 2, 3), 4)):
        for _ in range(count):
            arrs = [rng.integers(0, 100, shape) for _ in range(3)]
            eqs = _enumpoly_with_timeout(arrs, 30.0)
            if eqs is None:
                print(f"enumpoly_solve did not finish in 30 s on a {shape} game; not recorded")
                continue
            cases.append(
                {
                    "kind": "three_player_mixed",
                    "payoffs": [a.tolist() for a in arrs],
                    "method": "enumpoly_solve",
                    "equilibria": eqs,
                }
            )
    # .nfg text as pygambit writes it (outcome version), for the reader's tests
    for payoffs in (
        cases[0]["payoffs"],
        next(c for c in cases if c["kind"] == "three_player")["payoffs"],
    ):
        g = gbt.Game.from_arrays(
            *[np.array(a, dtype=object) for a in payoffs], title="recorded game"
        )
        cases.append(
            {"kind": "nfg_text", "payoffs": payoffs, "method": "Game.to_nfg", "text": g.to_nfg()}
        )
    g = gbt.Game.from_arrays(
        np.array([[3, 0], [5, 1]], dtype=object),
        np.array([[3, 5], [0, 1]], dtype=object),
        title="Prisoner's dilemma",
    )
    for pl, name in zip(list(g.players), ("Trust", "Practice")):
        pl.label = name
        for st, act in zip(list(pl.strategies), ("cooperate", "defect")):
            st.label = act
    cases.append(
        {
            "kind": "nfg_text",
            "payoffs": [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
            "players": ["Trust", "Practice"],
            "actions": [["cooperate", "defect"]] * 2,
            "method": "Game.to_nfg",
            "text": g.to_nfg(),
        }
    )
    data = {"peer": "pygambit", "version": gbt.__version__, "cases": cases}
    body = ",\n".join(json.dumps(c) for c in cases)
    head = json.dumps({"peer": data["peer"], "version": data["version"]})[:-1]
    atomic_write_text(OUT, head + ', "cases": [\n' + body + "\n]}\n")
    print(f"wrote {len(cases)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
