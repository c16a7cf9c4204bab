"""Exercise on a symbolic game: for which gains is co-design an equilibrium?"""

from __future__ import annotations

import sympy

from ...games.normal_form import SymbolicGame
from ..answers import check_number
from ..base import Exercise, exercise_type
from ._common import bimatrix_table, rng_for


@exercise_type(
    "nf-symbolic-regions",
    level=3,
    topic="normal-form",
    summary="The parameter region where co-design is an equilibrium of a symbolic 2x2 game.",
)
def symbolic_regions(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("nf-symbolic-regions", seed, difficulty)
    g = sympy.Symbol("g", positive=True)
    for _ in range(200):
        a, c0, b, b1, k = (int(x) for x in rng.integers(0, 5 + 2 * difficulty, size=5))
        m = int(rng.integers(1, 2 + difficulty))  # how much co-design multiplies the gain
        A = [[m * g + 1 - c0, 1], [g + a, 3]]  # commissioner: co-design / tender
        B = [[g + b, b1], [2, 2 + k]]  # provider: invest / cut costs
        if m == 1:
            continue  # then the comparison would not involve g
        game = SymbolicGame(
            A,
            B,
            parameters=[g],
            players=["Commissioner", "Provider"],
            actions=[["co-design", "tender"], ["invest", "cut costs"]],
        )
        eq = next(
            (e for e in game.equilibria() if e.support == (("co-design",), ("invest",))), None
        )
        if eq is None or not eq.conditions:
            continue
        region = sympy.reduce_inequalities(list(eq.conditions), g)
        low = region.as_set().inf
        if low.is_number and float(low) > 0:
            break
    threshold = sympy.nsimplify(low)
    table = bimatrix_table(("co-design", "tender"), ("invest", "cut costs"), A, B)
    return Exercise(
        type="nf-symbolic-regions",
        seed=seed,
        difficulty=difficulty,
        level=3,
        title="When does co-design pay?",
        statement=(
            "Co-designing a community service creates a gain g > 0 that both sides "
            f"share. Payoffs (commissioner, provider):\n\n{table}\n\nFor which g is "
            "(co-design, invest) a Nash equilibrium? Give the smallest such g."
        ),
        answer_format="a number (the threshold on g)",
        data={"A": [[str(x) for x in r] for r in A], "B": [[str(x) for x in r] for r in B]},
        answer=str(threshold),
        solution=(
            "(co-design, invest) is an equilibrium when neither side gains by deviating: "
            f"the commissioner needs {A[0][0]} ≥ {A[1][0]} and the provider needs "
            f"{B[0][0]} ≥ {B[0][1]}. Together: {region}, so the smallest g is {threshold}."
        ),
        checker=check_number(threshold, what="threshold"),
    )
