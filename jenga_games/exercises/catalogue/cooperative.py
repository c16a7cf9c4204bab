"""Exercises on sharing the gains of joint commissioning (TU games)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ...games.cooperative import TUGame, core_contains, nucleolus, shapley
from ...games.cooperative._bits import bipartitions
from ..answers import check_bool, check_vector
from ..base import Exercise, exercise_type
from ._common import frac_str, num_str, rng_for

COMMISSIONERS = ("North", "South", "East", "West")


def _coalitions(n: int):
    for size in range(1, n + 1):
        for members in itertools.combinations(range(n), size):
            yield members, sum(1 << i for i in members)


def value_table(game: TUGame) -> str:
    lines = ["| coalition | savings (£k a year) |", "|---|---|"]
    for members, mask in _coalitions(game.n):
        names = ", ".join(game.players[i] for i in members)
        lines.append(f"| {{{names}}} | {num_str(game.values[mask])} |")
    return "\n".join(lines)


def savings_game(rng: np.random.Generator, n: int, convex: bool = False) -> TUGame:
    """Integer savings that grow with the group (superadditive by construction).

    Each commissioner saves a little alone; a joint community service saves
    more the more of them share its fixed cost.
    """
    players = COMMISSIONERS[:n]
    v = np.zeros(1 << n)
    alone = rng.integers(0, 4, size=n)
    for members, mask in _coalitions(n):
        base = sum(alone[i] for i in members)
        if len(members) > 1:
            synergy = int(rng.integers(1, 5)) * (len(members) - 1) ** (2 if convex else 1)
            best_split = max((v[sub] + v[mask ^ sub]) for sub in bipartitions(mask))
            v[mask] = max(base + synergy, best_split + int(rng.integers(0, 3)))
        else:
            v[mask] = base
    return TUGame(n, v, players=list(players))


@exercise_type(
    "coop-shapley",
    level=2,
    topic="cooperative",
    summary="The Shapley value of commissioners sharing a joint saving.",
)
def shapley_exercise(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("coop-shapley", seed, difficulty)
    n = 3 if difficulty < 3 else 4
    game = savings_game(rng, n)
    phi = shapley(game)
    exact = [Fraction(x).limit_denominator(1000) for x in phi.values]
    orders = list(itertools.permutations(range(n)))
    sol = (
        f"Average each commissioner's marginal contribution over the {len(orders)} orders in "
        "which the group could have formed. "
        + "; ".join(f"{p}: {frac_str(x)}" for p, x in zip(game.players, exact))
        + f". The shares add up to v(N) = {num_str(game.values[-1])} (efficiency)."
    )
    return Exercise(
        type="coop-shapley",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="Sharing the saving fairly",
        statement=(
            f"{n} commissioners can save money by commissioning a community service "
            f"together. What each group would save on its own:\n\n{value_table(game)}\n\n"
            "Compute the Shapley value: each commissioner's fair share of the saving of the "
            "whole group."
        ),
        answer_format=f"{n} numbers in the order {', '.join(game.players)} (fractions or decimals)",
        data={"players": list(game.players), "values": game.values.tolist()},
        answer=[frac_str(x) for x in exact],
        solution=sol,
        checker=check_vector(exact, labels=list(game.players), what="Shapley value"),
    )


@exercise_type(
    "coop-core-membership",
    level=2,
    topic="cooperative",
    summary="Is a proposed split of the saving in the core?",
)
def core_exercise(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("coop-core-membership", seed, difficulty)
    n = 3 if difficulty < 3 else 4
    game = savings_game(rng, n, convex=True)
    total = int(game.values[-1])
    want_in = bool(rng.random() < 0.5)
    for _ in range(1000):
        cuts = np.sort(rng.integers(0, total + 1, size=n - 1))
        x = np.diff(np.concatenate([[0], cuts, [total]]))
        check = core_contains(game, x)
        if check.in_core == want_in:
            break
    names = ", ".join(f"{p} £{int(a)}k" for p, a in zip(game.players, x))
    if check.in_core:
        sol = (
            "Every coalition gets at least what it could save on its own: "
            "no group would break away. Yes, the split is in the core."
        )
    else:
        members, excess = check.violations[0]
        sol = (
            f"{{{', '.join(members)}}} could save {num_str(excess)} more on its own than the "
            "split gives it, so it would break away. No, the split is not in the core."
        )
    return Exercise(
        type="coop-core-membership",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="Would anyone break away?",
        statement=(
            f"{value_table(game)}\n\nThe group proposes to split its saving of "
            f"£{total}k as: {names}. Is this split in the core (no coalition can do "
            "better on its own)?"
        ),
        answer_format='"yes" or "no"',
        data={
            "players": list(game.players),
            "values": game.values.tolist(),
            "allocation": [int(a) for a in x],
        },
        answer=bool(check.in_core),
        solution=sol,
        checker=check_bool(bool(check.in_core)),
    )


@exercise_type(
    "coop-nucleolus-3",
    level=3,
    topic="cooperative",
    summary="The nucleolus of a three-commissioner savings game.",
)
def nucleolus_exercise(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("coop-nucleolus-3", seed, difficulty)
    for _ in range(1000):  # sound by construction: non-empty core, nucleolus on a 1/12 grid
        game = savings_game(rng, 3, convex=difficulty == 1)
        nuc = nucleolus(game)
        vals = nuc.allocation.values
        if all(abs(v * 12 - round(v * 12)) < 1e-7 for v in vals) and nuc.levels[0] <= 1e-9:
            break
    exact = [Fraction(round(v * 12), 12) for v in vals]
    sol = (
        "Minimise the largest excess v(S) − x(S) over coalitions, then the next largest, "
        f"and so on (levels {', '.join(num_str(lv) for lv in nuc.levels)}). The nucleolus is "
        + ", ".join(f"{p}: {frac_str(x)}" for p, x in zip(game.players, exact))
        + "."
    )
    return Exercise(
        type="coop-nucleolus-3",
        seed=seed,
        difficulty=difficulty,
        level=3,
        title="The nucleolus",
        statement=(
            f"{value_table(game)}\n\nFind the nucleolus: the split of the whole group's "
            "saving that makes the most aggrieved coalition as well off as possible, "
            "then the next, and so on."
        ),
        answer_format="3 numbers in the order " + ", ".join(game.players),
        data={"players": list(game.players), "values": game.values.tolist()},
        answer=[frac_str(x) for x in exact],
        solution=sol,
        checker=check_vector(exact, labels=list(game.players), what="nucleolus"),
    )
