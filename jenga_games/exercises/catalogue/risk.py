"""Exercise on risk pooling: how much reserve do practices save by pooling their budgets?"""

from __future__ import annotations

import math

from ...commissioning.risk import RiskParams, reserve_per_head
from ..answers import check_number
from ..base import Exercise, exercise_type
from ._common import rng_for


@exercise_type(
    "risk-pooling-saving",
    level=2,
    topic="commissioning",
    summary="The reserve practices save by pooling their risk in a commissioning group.",
)
def pooling_saving(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("risk-pooling-saving", seed, difficulty)
    k = 1 + difficulty
    lists = [int(x) * 100 for x in rng.integers(8, 40, size=k)]
    prm = RiskParams(overspend_prob=float(rng.choice([0.01, 0.05, 0.1])))
    alone = [reserve_per_head(n, prm) * n for n in lists]
    pooled = reserve_per_head(sum(lists), prm) * sum(lists)
    saving = sum(alone) - pooled
    answer = round(saving / 1000, 1)  # £ thousands
    sigma = prm.sd_per_person
    return Exercise(
        type="risk-pooling-saving",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="The saving from pooling risk",
        statement=(
            f"{k} practices with lists of {', '.join(f'{n:,}' for n in lists)} patients each "
            f"hold a reserve so that they overspend in at most {prm.overspend_prob:.0%} of "
            f"years. A patient's annual cost has standard deviation £{sigma:,.0f} "
            "(independent across patients), and the reserve is z·σ·√N for a list of N "
            "(normal approximation). How much reserve, in £ thousands, do they free by "
            "pooling their budgets into one group?"
        ),
        answer_format="a number of £ thousands (to within 0.5)",
        data={"lists": lists, "sd_per_person": sigma, "overspend_prob": prm.overspend_prob},
        answer=answer,
        solution=(
            f"z = {prm.z:.3f} for a {prm.overspend_prob:.0%} chance of overspend. Alone: "
            + " + ".join(f"z·{sigma:,.0f}·√{n}" for n in lists)
            + f" = £{sum(alone) / 1000:,.1f}k. Pooled: z·{sigma:,.0f}·√{sum(lists)} = "
            f"£{pooled / 1000:,.1f}k. Saving: £{answer:,.1f}k — the square root grows "
            f"slower than the list (√{sum(lists)} = {math.sqrt(sum(lists)):.1f} < "
            f"{sum(math.sqrt(n) for n in lists):.1f})."
        ),
        checker=check_number(answer, tol=0.5, what="saving"),
    )
