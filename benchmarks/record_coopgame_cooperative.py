"""Record coopgame-py's answers on a fixed set of TU games, for tests/games/cooperative.

Run once in the bench venv (coopgame-py never enters the test environment)::

    .venv-bench/bin/python benchmarks/record_coopgame_cooperative.py

Writes ``benchmarks/data/coopgame_cooperative.json``: each case holds the
game (all 2^n values, bitmask order, v[0] = 0) and coopgame's Shapley,
Banzhaf, nucleolus, pre-nucleolus, least-core epsilon (pre-imputations),
τ-value, Myerson and Owen values and its yes/no properties.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

try:
    import coopgame as cg
except ImportError:  # pragma: no cover
    sys.exit("coopgame-py is not installed: run this in .venv-bench")

from jenga_games._io import atomic_write_text

OUT = Path(__file__).parent / "data" / "coopgame_cooperative.json"


def games():
    rng = np.random.default_rng(20260101)
    for n in (3, 4, 5, 6, 7):
        pc = np.array([bin(m).count("1") for m in range(2**n)], dtype=float)
        v = np.round(rng.uniform(0.5, 1.0, 2**n) * pc**2, 3)
        v[0] = 0
        yield f"quadratic_n{n}", n, v  # roughly superadditive
        v = np.round(pc**2 + rng.uniform(0, 0.2, 2**n) * pc, 3)
        v[0] = 0
        yield f"near_convex_n{n}", n, v
        v = rng.integers(0, 11, 2**n).astype(float)
        v[0] = 0
        v[1 << np.arange(n)] = 0
        v[-1] = 10
        yield f"random_int_n{n}", n, v  # core often empty
    for E, claims in (
        (100, [100, 200, 300]),
        (200, [100, 200, 300]),
        (300, [100, 200, 300]),
        (70, [10, 20, 30, 40]),
    ):
        c = np.array(claims, float)
        n = c.size
        cs = np.array([sum(c[i] for i in range(n) if m >> i & 1) for m in range(2**n)])
        yield f"bankruptcy_E{E}_{'_'.join(map(str, claims))}", n, np.maximum(0, E - (c.sum() - cs))
    for L, R in (([1, 0, 0], [0, 1, 1]), ([1, 1, 0, 0, 0], [0, 0, 1, 1, 1])):
        n = len(L)
        v = np.array(
            [
                min(
                    sum(L[i] for i in range(n) if m >> i & 1),
                    sum(R[i] for i in range(n) if m >> i & 1),
                )
                for m in range(2**n)
            ],
            float,
        )
        yield f"glove_{n}", n, v


def _opt(f, *a):
    try:
        r = f(*a)
    except ValueError as exc:  # coopgame raises ValueError where a value is undefined
        return {"error": str(exc)}
    return r


def main() -> None:
    cases = []
    for name, n, v in games():
        g = cg.Game([float(x) for x in v[1:]])
        edges = [(i, i + 1) for i in range(n - 1)]  # a path: who works with whom
        unions = [list(range(0, (n + 1) // 2)), list(range((n + 1) // 2, n))]
        nuc = _opt(cg.nucleolus, g)
        cases.append(
            {
                "name": name,
                "n": n,
                "values": [float(x) for x in v],
                "shapley": cg.shapley(g),
                "banzhaf": cg.banzhaf(g),
                "nucleolus": nuc["allocation"] if "allocation" in nuc else None,
                "prenucleolus": cg.prenucleolus(g)["allocation"],
                "least_core_epsilon": cg.least_core(g, domain="preimputation")["epsilon"],
                "tau_value": (lambda r: None if isinstance(r, dict) else r)(_opt(cg.tau_value, g)),
                "myerson_edges": edges,
                "myerson": cg.myerson(g, edges),
                "owen_unions": unions,
                "owen": cg.owen(g, unions),
                "is_convex": g.is_convex(),
                "is_superadditive": g.is_superadditive(),
                "has_nonempty_core": g.has_nonempty_core(),
            }
        )
    voting = []
    for w, q in (
        ([4, 3, 2, 1], 6),
        ([7] * 5 + [1] * 10, 39),
        ([50, 49, 1], 51),
        ([3, 2, 2, 1, 1, 1], 6),
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1], 30),
    ):
        g = cg.Game.weighted_voting(w, q)
        pi = cg.power_indices(g)
        voting.append(
            {
                "weights": w,
                "quota": q,
                "shapley": cg.shapley(g),
                "banzhaf": cg.banzhaf(g),
                "swings": pi["swings"],
            }
        )
    airport = [{"costs": c, **cg.airport(c)} for c in ([1, 2, 3], [2, 2, 5, 7, 7])]
    data = {
        "peer": "coopgame-py",
        "version": _version(),
        "cases": cases,
        "voting": voting,
        "airport": airport,
    }
    atomic_write_text(OUT, json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} games, {len(voting)} voting games)")


def _version() -> str:
    from importlib.metadata import version

    return version("coopgame-py")


if __name__ == "__main__":
    main()
