"""Exercises on repeated games: when does cooperation between commissioner and provider last?"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ...games.repeated import (
    Profile,
    always_defect,
    critical_delta,
    grim_trigger,
    is_subgame_perfect,
    prisoners_dilemma,
    tit_for_tat,
    win_stay_lose_shift,
)
from ..answers import check_bool, check_number
from ..base import Exercise, exercise_type
from ._common import bimatrix_table, frac_str, rng_for


def _pd_payoffs(rng: np.random.Generator, hi: int) -> tuple[int, int, int, int]:
    """T > R > P > S with 2R > T + S (mutual cooperation beats taking turns)."""
    while True:
        S, P, R, T = sorted(int(x) for x in rng.choice(np.arange(0, hi), size=4, replace=False))
        if 2 * R > T + S:
            return T, R, P, S


def _pd_table(T, R, P, S) -> str:
    return bimatrix_table(
        ("cooperate", "defect"), ("cooperate", "defect"), [[R, S], [T, P]], [[R, T], [S, P]]
    )


@exercise_type(
    "grim-trigger-delta",
    level=2,
    topic="repeated",
    summary="The critical discount factor of grim trigger in a repeated contract game.",
)
def grim_delta(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("grim-trigger-delta", seed, difficulty)
    T, R, P, S = _pd_payoffs(rng, 6 + 4 * difficulty)
    game = prisoners_dilemma(T, R, P, S)
    cd = critical_delta(Profile(game, [grim_trigger(), grim_trigger()]))
    delta = Fraction(str(cd.lower))
    return Exercise(
        type="grim-trigger-delta",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="How patient must they be?",
        statement=(
            f"A commissioner and a provider play this stage game every year, discounting "
            f"the future by δ per year:\n\n{_pd_table(T, R, P, S)}\n\nBoth play grim "
            "trigger: cooperate until the other defects, then defect for ever. Find the "
            "smallest δ at which this is a subgame-perfect equilibrium."
        ),
        answer_format="a fraction or decimal",
        data={"T": T, "R": R, "P": P, "S": S},
        answer=frac_str(delta),
        solution=(
            f"Cooperating for ever is worth R = {R} per year; defecting once gains "
            f"T = {T} now and P = {P} for ever after. In normalised payoffs cooperation "
            f"needs R ≥ (1 − δ)T + δP, i.e. δ ≥ (T − R)/(T − P) = ({T} − {R})/({T} − {P}) "
            f"= {frac_str(delta)}. Once punishment has started, mutual defection is a "
            "stage equilibrium, so no deviation pays there."
        ),
        checker=check_number(delta, what="discount factor"),
    )


STRATEGIES = {
    "grim trigger": grim_trigger,
    "tit-for-tat": tit_for_tat,
    "win-stay-lose-shift": win_stay_lose_shift,
    "always defect": always_defect,
}


@exercise_type(
    "automaton-spe",
    level=3,
    topic="repeated",
    summary="Is a profile of automata subgame perfect at a given discount factor?",
)
def automaton_spe(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("automaton-spe", seed, difficulty)
    T, R, P, S = _pd_payoffs(rng, 6 + 4 * difficulty)
    game = prisoners_dilemma(T, R, P, S)
    names = list(STRATEGIES)
    first = names[int(rng.integers(len(names)))]
    second = first if difficulty < 3 else names[int(rng.integers(len(names)))]
    profile = Profile(game, [STRATEGIES[first](), STRATEGIES[second]()])
    cd = critical_delta(profile)
    for _ in range(100):  # keep away from the boundary of the SPE set
        delta = Fraction(int(rng.integers(5, 96)), 100)
        if all(abs(float(delta) - float(b)) > 0.02 for b in _boundaries(cd)):
            break
    answer = bool(is_subgame_perfect(profile, float(delta)))
    where = "no δ at all" if cd.is_empty else f"δ in {cd.set}"
    return Exercise(
        type="automaton-spe",
        seed=seed,
        difficulty=difficulty,
        level=3,
        title="Subgame perfect or not?",
        statement=(
            f"Stage game (commissioner, provider):\n\n{_pd_table(T, R, P, S)}\n\nThe "
            f"commissioner plays **{first}** and the provider plays **{second}**, with "
            f"discount factor δ = {frac_str(delta)}. Is this profile a subgame-perfect "
            "equilibrium of the repeated game?"
        ),
        answer_format='"yes" or "no"',
        data={
            "T": T,
            "R": R,
            "P": P,
            "S": S,
            "strategies": [first, second],
            "delta": frac_str(delta),
        },
        answer=answer,
        solution=(
            "Check every state the two automata can reach together, including those off "
            "the path of play: at each, no player may gain by deviating once and then "
            "following the automaton (the one-shot deviation principle). The profile is "
            f"subgame perfect for {where}, so at δ = {frac_str(delta)} the answer is "
            f"{'yes' if answer else 'no'}."
        ),
        checker=check_bool(answer),
    )


def _boundaries(cd) -> list[float]:
    out = []
    for b in (cd.lower, cd.upper):
        try:
            out.append(float(b))
        except (TypeError, ValueError):
            continue
    return out
