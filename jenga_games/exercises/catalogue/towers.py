"""Exercises on towers: what falls, and where an order first topples the tower."""

from __future__ import annotations

from ..answers import check_number, check_set
from ..base import Exercise, exercise_type
from ._common import rng_for, small_tower, tower_data, tower_figure, tower_table


@exercise_type(
    "tower-what-falls",
    level=1,
    topic="tower",
    summary="Which services fall when one block is removed from a small tower?",
)
def what_falls(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("tower-what-falls", seed, difficulty)
    levels, width = 2 + difficulty, 3
    for _ in range(100):  # sound by construction: the removal must topple something
        tower = small_tower(rng, levels, width)
        candidates = [s for s in tower.ids if tower.cascade([s]).fell]
        if candidates:
            break
    block = str(rng.choice(sorted(candidates)))
    out = tower.cascade([block])
    rounds = "\n".join(
        f"{i + 1}. {', '.join(r)} — no longer held up" for i, r in enumerate(out.rounds)
    )
    return Exercise(
        type="tower-what-falls",
        seed=seed,
        difficulty=difficulty,
        level=1,
        title="What falls?",
        statement=(
            f"A local health economy is a tower of services. Each row rests on the row "
            f"beneath:\n\n{tower_table(tower)}\n\nThe commissioners move **{block}** out "
            "of hospital. Which services fall as a result (not counting the one moved)?"
        ),
        answer_format="a comma-separated list of services (any order)",
        data=tower_data(tower, removed=block),
        answer=sorted(out.fell),
        solution=(
            f"Take {block} out and follow the dependencies round by round:\n\n{rounds}\n\n"
            "Everything else still has the supporters its rule needs."
        ),
        checker=check_set(out.fell, "services that fall"),
        figure=tower_figure(tower),
    )


@exercise_type(
    "tower-collapse-point",
    level=2,
    topic="tower",
    summary="Along a removal order, at which step does the tower first fall?",
)
def collapse_point(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("tower-collapse-point", seed, difficulty)
    levels, width = 2 + difficulty, 3
    for _ in range(100):
        tower = small_tower(rng, levels, width)
        order = [str(s) for s in rng.permutation(list(tower.ids))[: 3 + difficulty]]
        played = tower.play(order, stop="fallen")
        if played.first_fallen_step is not None and played.first_fallen_step >= 1:
            break
    step = played.first_fallen_step + 1
    lines = "\n".join(
        f"{i + 1}. remove {s.service}: "
        + (f"{', '.join(s.fell)} fall" if s.fell else "nothing falls")
        for i, s in enumerate(played.steps)
    )
    return Exercise(
        type="tower-collapse-point",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="The collapse point",
        statement=(
            f"{tower_table(tower)}\n\nThe commissioners plan to move services out in this "
            f"order: {', '.join(order)}. At which step (1 = the first removal) does some "
            "other service first fall?"
        ),
        answer_format="a whole number (the step)",
        data=tower_data(tower, order=order),
        answer=step,
        solution=f"Play the order one removal at a time:\n\n{lines}\n\nThe first fall comes at step {step}.",
        checker=check_number(step, tol=0, what="step"),
        figure=tower_figure(tower),
    )
