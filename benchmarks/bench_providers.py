"""Benchmark the Jenga game with providers who act (issue #15) beside the commissioners-only solve.

Run::

    .venv/bin/python benchmarks/bench_providers.py

The worked economy (:func:`jenga_games.tower.economy.local_health_economy`):
ten commissionable services, two commissioners (``commissioning_game()``,
defaults ``C = 2.5``, ``K = 1``, ``r = 0.5``). The providers that run them
act: the acute trust may restructure (one-off £1 m to cut its overhead by
£0.5 m a year) and may be offered £0.5 m of transitional funding; the
community trust may restructure (£0.5 m to save £0.2 m a year). Ours:
``ProviderGame(game, moves).solve()`` (exact backward induction over the
extended state, memoised). Beside it, ``game.solve()`` (the vectorised
commissioners-only solver) and ``ProviderGame(game).solve()`` (no provider
moves: the same answer as ``game.solve()``). No peer solves this game; the
ratio printed is to the commissioners-only solve. Times are best of 3 after a
warm-up; on a loaded machine they can be several times the quiet-machine ones.
"""

from __future__ import annotations

import time

from jenga_games.commissioning import commissioning_game
from jenga_games.games.sequential import ProviderGame, ProviderMoves

MOVES = ProviderMoves(
    restructure={"acute_trust": (1.0, 0.5), "community_trust": (0.5, 0.2)},
    funding={"acute_trust": 0.5},
)


def best_of(f, repeats: int = 3) -> float:
    f()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    game = commissioning_game()
    ours = best_of(lambda: ProviderGame(game, MOVES).solve())
    base = best_of(lambda: commissioning_game().solve())
    still = best_of(lambda: ProviderGame(game).solve())
    play = ProviderGame(game, MOVES).solve()
    spe = game.solve()
    print("worked economy: 10 commissionable services, 2 commissioners, 2 acting providers")
    print(f"  commissioners-only SPE (vectorised)   {base * 1e3:8.1f} ms   fell={spe.fell}")
    print(f"  provider game, no provider moves       {still * 1e3:8.1f} ms")
    print(
        f"  provider game, with provider moves     {ours * 1e3:8.1f} ms   fell={play.fell}, "
        f"{play.n_states:,} states, restructured={play.restructured}, funded={play.funded}"
    )
    print(f"  ratio (providers act / commissioners only): {ours / base:.1f}x")


if __name__ == "__main__":
    main()
