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
extended state, vectorised over progress layers of state codes, one batched
cascade for every financial configuration). Beside it, ``game.solve()`` (the vectorised
commissioners-only solver) and ``ProviderGame(game).solve()`` (no provider
moves: the same answer as ``game.solve()``). No peer solves this game; the
ratio printed is to the commissioners-only solve. Times are best of 3 after a
warm-up, wall clock and CPU (the CPU time of this process is less affected
by other load); on a loaded machine wall times can be several times the
quiet-machine ones.
"""

from __future__ import annotations

import time

from jenga_games.commissioning import commissioning_game
from jenga_games.games.sequential import ProviderGame, ProviderMoves

MOVES = ProviderMoves(
    restructure={"acute_trust": (1.0, 0.5), "community_trust": (0.5, 0.2)},
    funding={"acute_trust": 0.5},
)


def best_of(f, repeats: int = 3) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``f()`` over ``repeats`` runs after a warm-up."""
    f()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def main() -> None:
    game = commissioning_game()
    ours = best_of(lambda: ProviderGame(game, MOVES).solve())
    base = best_of(lambda: commissioning_game().solve())
    still = best_of(lambda: ProviderGame(game).solve())
    play = ProviderGame(game, MOVES).solve()
    spe = game.solve()
    print("worked economy: 10 commissionable services, 2 commissioners, 2 acting providers")
    print("                                          wall ms    CPU ms")
    print(f"  commissioners-only SPE (vectorised)   {base[0] * 1e3:8.1f}  {base[1] * 1e3:8.1f}")
    print(f"  provider game, no provider moves       {still[0] * 1e3:8.1f}  {still[1] * 1e3:8.1f}")
    print(f"  provider game, with provider moves     {ours[0] * 1e3:8.1f}  {ours[1] * 1e3:8.1f}")
    print(f"  commissioners only: fell={spe.fell}")
    print(
        f"  providers act: fell={play.fell}, {play.n_states:,} states, "
        f"restructured={play.restructured}, funded={play.funded}"
    )
    print(
        f"  ratio (providers act / commissioners only): {ours[0] / base[0]:.1f}x wall, "
        f"{ours[1] / base[1]:.1f}x CPU"
    )


if __name__ == "__main__":
    main()
