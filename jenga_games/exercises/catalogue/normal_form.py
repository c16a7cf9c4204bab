"""Exercises on one-shot games between a commissioner and a provider."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

from ...games.normal_form import NormalFormGame
from ..answers import Verdict, check_vector
from ..base import Exercise, exercise_type
from ._common import bimatrix_table, frac_str, num_str, rng_for

COMMISSIONER_ACTIONS = (
    "keep the contract",
    "tender",
    "move to community",
    "co-design",
    "cap activity",
)
PROVIDER_ACTIONS = ("invest", "maintain", "cut costs", "expand", "merge")
PLAYERS = ("Commissioner", "Provider")


def payoff_table(game: NormalFormGame) -> str:
    """A bimatrix as a markdown table: cells 'commissioner, provider'."""
    A, B = game.payoff_arrays
    return bimatrix_table(game.actions[0], game.actions[1], A, B, num_str)


def _generic_game(rng: np.random.Generator, m: int, n: int) -> NormalFormGame:
    """Integer payoffs with no ties in any best-response comparison (nondegenerate pure play)."""
    while True:
        A = rng.integers(0, 10, size=(m, n))
        B = rng.integers(0, 10, size=(m, n))
        cols_distinct = all(len(set(A[:, j])) == m for j in range(n))
        rows_distinct = all(len(set(B[i, :])) == n for i in range(m))
        if cols_distinct and rows_distinct:
            return NormalFormGame.bimatrix(
                A, B, players=PLAYERS, actions=[COMMISSIONER_ACTIONS[:m], PROVIDER_ACTIONS[:n]]
            )


def _profile_checker(expected: list[tuple[str, str]]):
    exp = {(a.lower(), b.lower()) for a, b in expected}

    def check(answer) -> Verdict:
        if isinstance(answer, str):
            if answer.strip().lower() in ("none", "no equilibrium", "-", ""):
                got = set()
            else:
                parts = [p for p in re.split(r";|\n", answer) if p.strip()]
                got = set()
                for p in parts:
                    pair = [x.strip().lower() for x in p.strip().strip("()[]").split(",")]
                    if len(pair) != 2:
                        return Verdict(
                            False,
                            f"write each equilibrium as (commissioner action, "
                            f"provider action); cannot read {p.strip()!r}",
                        )
                    got.add((pair[0], pair[1]))
        else:
            got = {(str(a).lower(), str(b).lower()) for a, b in answer}
        missing, extra = exp - got, got - exp
        if not missing and not extra:
            return Verdict(True, "correct")
        msg = []
        if missing:
            msg.append(f"{len(missing)} equilibri{'um' if len(missing) == 1 else 'a'} missing")
        if extra:
            msg.append(
                "not an equilibrium: "
                + "; ".join(f"({a}, {b})" for a, b in sorted(extra))
                + " — someone gains by deviating"
            )
        return Verdict(False, "; ".join(msg))

    return check


@exercise_type(
    "nf-pure-equilibria",
    level=1,
    topic="normal-form",
    summary="All pure Nash equilibria of a commissioner–provider game.",
)
def pure_equilibria(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("nf-pure-equilibria", seed, difficulty)
    m, n = {1: (2, 2), 2: (3, 3), 3: (4, 4)}[difficulty]
    game = _generic_game(rng, m, n)
    eqs = game.pure_equilibria()
    profiles = [tuple(e.support[0] + e.support[1]) for e in eqs]
    A, B = game.payoff_arrays
    lines = []
    for j, col in enumerate(game.actions[1]):
        i = int(np.argmax(A[:, j]))
        lines.append(
            f"- if the provider plays *{col}*, the commissioner's best reply is *{game.actions[0][i]}* ({num_str(A[i, j])})"
        )
    for i, row in enumerate(game.actions[0]):
        j = int(np.argmax(B[i, :]))
        lines.append(
            f"- if the commissioner plays *{row}*, the provider's best reply is *{game.actions[1][j]}* ({num_str(B[i, j])})"
        )
    eq_text = "; ".join(f"({a}, {b})" for a, b in profiles) or "none"
    return Exercise(
        type="nf-pure-equilibria",
        seed=seed,
        difficulty=difficulty,
        level=1,
        title="Pure equilibria of a contract game",
        statement=(
            "A commissioner and a provider choose at the same time. Payoffs "
            f"(commissioner, provider):\n\n{payoff_table(game)}\n\nFind every pure-strategy "
            "Nash equilibrium."
        ),
        answer_format='equilibria separated by ";", each as "(commissioner action, provider action)"; "none" if there is none',
        data={"A": A.tolist(), "B": B.tolist(), "actions": [list(a) for a in game.actions]},
        answer=[list(p) for p in profiles],
        solution=(
            "Mark each player's best replies:\n\n"
            + "\n".join(lines)
            + f"\n\nA cell where both reply best to each other is an equilibrium: {eq_text}."
        ),
        checker=_profile_checker(profiles),
    )


@exercise_type(
    "nf-mixed-2x2",
    level=2,
    topic="normal-form",
    summary="The mixed equilibrium of a 2x2 game with no pure equilibrium.",
)
def mixed_2x2(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("nf-mixed-2x2", seed, difficulty)
    hi = 6 + 4 * difficulty
    while True:  # best replies must cycle: then the unique equilibrium is completely mixed
        A = rng.integers(0, hi, size=(2, 2))
        B = rng.integers(0, hi, size=(2, 2))
        a_flip = (A[0, 0] - A[1, 0]) * (A[0, 1] - A[1, 1]) < 0
        b_flip = (B[0, 0] - B[0, 1]) * (B[1, 0] - B[1, 1]) < 0
        if a_flip and b_flip and len(NormalFormGame.bimatrix(A, B).pure_equilibria()) == 0:
            break
    game = NormalFormGame.bimatrix(
        A, B, players=PLAYERS, actions=[COMMISSIONER_ACTIONS[:2], PROVIDER_ACTIONS[:2]]
    )
    (eq,) = game.equilibria(method="support_enumeration", exact=True)
    p, q = eq.exact_strategies[0][0], eq.exact_strategies[1][0]
    r0, r1 = game.actions[0]
    c0, c1 = game.actions[1]
    sol = (
        f"No cell is a pair of best replies, so both mix. The provider's probability q of "
        f"*{c0}* must make the commissioner indifferent: "
        f"{A[0, 0]}q + {A[0, 1]}(1−q) = {A[1, 0]}q + {A[1, 1]}(1−q), so q = {frac_str(q)}. "
        f"The commissioner's probability p of *{r0}* makes the provider indifferent: "
        f"{B[0, 0]}p + {B[1, 0]}(1−p) = {B[0, 1]}p + {B[1, 1]}(1−p), so p = {frac_str(p)}."
    )
    return Exercise(
        type="nf-mixed-2x2",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="A mixed equilibrium",
        statement=(
            f"Payoffs (commissioner, provider):\n\n{payoff_table(game)}\n\nThis game has "
            f"no pure equilibrium. Find p, the probability that the commissioner plays "
            f"*{r0}*, and q, the probability that the provider plays *{c0}*, in its "
            f"unique Nash equilibrium (the other actions, *{r1}* and *{c1}*, take the rest)."
        ),
        answer_format='"p, q" as fractions or decimals, e.g. "1/3, 3/4"',
        data={"A": A.tolist(), "B": B.tolist(), "actions": [list(a) for a in game.actions]},
        answer=[frac_str(Fraction(p)), frac_str(Fraction(q))],
        solution=sol,
        checker=check_vector([p, q], labels=["p", "q"], what="probabilities"),
    )


@exercise_type(
    "nf-dominance",
    level=1,
    topic="normal-form",
    summary="Iterated elimination of strictly dominated strategies.",
)
def dominance(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("nf-dominance", seed, difficulty)
    m = n = {1: 3, 2: 4, 3: 3}[difficulty]
    mixed = difficulty == 3
    for _ in range(
        5000
    ):  # sound by construction: elimination leaves one action each, in >= 2 rounds
        game = _generic_game(rng, m, n)
        result = game.eliminate_dominated(mixed=mixed)
        rounds = {e.round for e in result.eliminations}
        if all(len(r) == 1 for r in result.remaining) and len(rounds) >= 2:
            break
    answer = [result.remaining[0][0], result.remaining[1][0]]
    steps = "\n".join(
        f"{e.round}. {e.player} drops *{e.action}* (dominated by "
        + " + ".join(f"{p:g}·{a}" if p != 1 else a for a, p in e.dominated_by.items())
        + ")"
        for e in result.eliminations
    )
    how = "by a pure action or a mixture of actions" if mixed else "by another action"
    return Exercise(
        type="nf-dominance",
        seed=seed,
        difficulty=difficulty,
        level=1 if not mixed else 2,
        title="Eliminate dominated strategies",
        statement=(
            f"Payoffs (commissioner, provider):\n\n{payoff_table(game)}\n\nEliminate, "
            f"round by round, actions that are strictly dominated {how}. Which action "
            "does each player have left?"
        ),
        answer_format='"commissioner action, provider action"',
        data={
            "A": game.payoff_arrays[0].tolist(),
            "B": game.payoff_arrays[1].tolist(),
            "actions": [list(a) for a in game.actions],
            "mixed": mixed,
        },
        answer=answer,
        solution=f"Rounds of elimination:\n\n{steps}\n\nLeft: ({answer[0]}, {answer[1]}).",
        checker=_pair_checker(answer),
    )


def _pair_checker(answer: list[str]):
    from ..answers import check_sequence

    return check_sequence(answer, what="actions (commissioner's, then provider's)")
