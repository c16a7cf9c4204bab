"""Exercises on collapse thresholds: the largest set of services that can safely move."""

from __future__ import annotations

from ...tower.thresholds import max_safe_set
from ..answers import check_set
from ..base import Exercise, exercise_type
from ._common import rng_for, small_tower, tower_data, tower_figure, tower_table


@exercise_type(
    "tower-safe-set",
    level=2,
    topic="tower",
    summary="The largest set of eligible services that can move with nothing falling.",
)
def safe_set(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("tower-safe-set", seed, difficulty)
    levels, width = 2 + difficulty, 3
    for _ in range(200):  # sound by construction: a unique largest safe set, neither empty nor all
        tower = small_tower(rng, levels, width)
        k = 3 + difficulty
        eligible = sorted(str(s) for s in rng.choice(list(tower.ids), size=k, replace=False))
        best = max_safe_set(tower, eligible)
        if not 0 < len(best.removed) < len(eligible):
            continue
        size = len(best.removed)
        others = _safe_sets_of_size(tower, eligible, size)
        if len(others) == 1:
            break
    chosen = sorted(best.removed)
    unsafe = [s for s in eligible if s not in best.removed]
    return Exercise(
        type="tower-safe-set",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="How much can safely move?",
        statement=(
            f"{tower_table(tower)}\n\nThe commissioners may move any of these services out "
            f"of hospital: {', '.join(eligible)}. Which is the largest group of them that "
            "can move together with nothing else falling?"
        ),
        answer_format="a comma-separated list of services (any order)",
        data=tower_data(tower, eligible=eligible),
        answer=chosen,
        solution=(
            f"Moving {', '.join(chosen)} leaves every remaining service with the supporters "
            f"its rule needs. Adding any of {', '.join(unsafe)} would topple a service that "
            "stays, and no other group of the same size is safe. (Solved as a mixed-integer "
            f"programme; {best.status}.)"
        ),
        checker=check_set(chosen, "services in the safe set"),
        figure=tower_figure(tower),
    )


def _safe_sets_of_size(tower, eligible, size):
    from itertools import combinations

    return [c for c in combinations(eligible, size) if not tower.cascade(list(c)).fallen]
