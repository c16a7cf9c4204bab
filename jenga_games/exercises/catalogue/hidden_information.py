"""Exercises on mediators and hidden information: correlated equilibria and signalling."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from ...commissioning.signalling import SignallingParams, signalling_equilibria
from ...games.normal_form import NormalFormGame, correlated_equilibrium, equilibria
from ..answers import check_bool, check_number
from ..base import Exercise, exercise_type
from ._common import bimatrix_table, frac_str, rng_for

PLAYERS = ("North", "South")
ACTIONS = ("hold", "expand")


def _ce_game(rng, difficulty: int) -> NormalFormGame:
    """A game of chicken (each prefers to expand when the other holds; both expanding is worst)
    in which a mediator beats every Nash equilibrium: symmetric at level 1, each player's
    payoffs drawn separately above."""
    hi = 6 + 4 * difficulty
    while True:
        a = sorted(int(v) for v in rng.choice(hi + 1, size=4, replace=False))
        b = (
            a
            if difficulty == 1
            else sorted(int(v) for v in rng.choice(hi + 1, size=4, replace=False))
        )
        if 2 * a[2] <= a[1] + a[3] or 2 * b[2] <= b[1] + b[3]:
            continue  # (hold, hold) must beat alternating for a mediator to help (cheap test)
        A = [[a[2], a[1]], [a[3], a[0]]]
        B = [[b[2], b[3]], [b[1], b[0]]]
        game = NormalFormGame.bimatrix(
            A, B, players=PLAYERS, actions=[list(ACTIONS), list(ACTIONS)]
        )
        nash = equilibria(game, "vertex_enumeration", exact=True)
        best_nash = max(sum(e.exact_payoffs, Fraction(0)) for e in nash)
        best_ce = sum(correlated_equilibrium(game, exact=True).exact_payoffs, Fraction(0))
        if best_ce > best_nash:  # a mediator can beat every Nash equilibrium
            return game


def _table(game: NormalFormGame) -> str:
    A, B = game.payoff_arrays
    text = bimatrix_table(game.actions[0], game.actions[1], A, B, lambda v: str(int(v)))
    return text.replace("Commissioner \\ Provider", "North \\ South")


@exercise_type(
    "ce-max-welfare-2x2",
    level=2,
    topic="mediators",
    summary="The best total payoff a mediator's plan (a correlated equilibrium) can give in a 2x2 game.",
)
def ce_max_welfare(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("ce-max-welfare-2x2", seed, difficulty)
    game = _ce_game(rng, difficulty)
    ce = correlated_equilibrium(game, "welfare", exact=True)
    best = sum(ce.exact_payoffs, Fraction(0))
    nash = equilibria(game, "vertex_enumeration", exact=True)
    nash_best = max(sum(e.exact_payoffs, Fraction(0)) for e in nash)
    A, B = game.payoff_arrays
    plan = "; ".join(
        f"({r}, {c}) with probability {frac_str(p)}" for (r, c), p in ce.support().items()
    )
    return Exercise(
        type="ce-max-welfare-2x2",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="A mediator's best plan",
        statement=(
            "Two commissioners, North (rows) and South (columns), each decide whether to hold "
            "or expand a shared service. Payoffs (North, South), £ m a year:\n\n"
            f"{_table(game)}\n\n"
            "A mediator draws a pair of actions at random and tells each commissioner only "
            "its own action. The plan must be obeyed: told an action, neither can gain by "
            "switching. What is the largest expected **total** payoff (North + South) of such a "
            "plan (a correlated equilibrium)?"
        ),
        answer_format="a number, e.g. 21/2 or 10.5",
        data={"A": A.tolist(), "B": B.tolist(), "actions": [list(a) for a in game.actions]},
        answer=frac_str(best),
        solution=(
            "Let p be the probabilities of the four cells. Obedience: told *hold*, North must not "
            "prefer *expand* given what *hold* tells it about South, i.e. "
            "p(h,h)[A(h,h) − A(e,h)] + p(h,e)[A(h,e) − A(e,e)] ≥ 0, and likewise for *expand* and "
            "for South. Maximise the total payoff subject to these four inequalities, p ≥ 0 and "
            f"Σp = 1 (a linear program). The best plan: {plan}, total {frac_str(best)}; the best "
            f"Nash equilibrium gives only {frac_str(nash_best)}."
        ),
        checker=check_number(best, tol=1e-6, what="total payoff"),
    )


def _signalling_params(rng, difficulty: int) -> SignallingParams:
    def q(lo, hi, den=10):
        return Fraction(int(rng.integers(lo * den, hi * den + 1)), den)

    return SignallingParams(
        prior_fragile=q(0.1, 0.6),
        value_kept=q(0.5, 3),
        warn_cost_fragile=q(0, 2),
        warn_cost_robust=q(0, 4),
        gain_move=q(0.2, 2),
        collapse_loss=q(1, 5),
    )


@exercise_type(
    "signalling-separating",
    level=2,
    topic="hidden information",
    summary="When is a provider's warning ('shroud waving') credible? The separating condition.",
)
def signalling_separating(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("signalling-separating", seed, difficulty)
    prm = _signalling_params(rng, difficulty)
    x = prm.exact()
    if difficulty > 1 and x["warn_cost_fragile"] > x["value_kept"]:
        # the threshold question needs a fragile provider for whom warning pays
        prm = dataclasses.replace(prm, warn_cost_fragile=x["value_kept"] / 2)
        x = prm.exact()
    V, cF, cR = x["value_kept"], x["warn_cost_fragile"], x["warn_cost_robust"]
    setting = (
        "A provider knows whether it is fragile (probability "
        f"{frac_str(x['prior_fragile'])}) or robust; the commissioner does not. The provider "
        "may issue a public warning that moving services will topple it. A warning costs a "
        f"fragile provider {frac_str(cF)} and a robust one (which must exaggerate) "
        f"{frac_str(cR) if difficulty == 1 else 'c_R'}. The commissioner sees the message, then "
        f"moves the services (gaining {frac_str(x['gain_move'])} from a robust provider, losing "
        f"{frac_str(x['collapse_loss'])} if a fragile one falls) or keeps them (then the "
        f"provider keeps a contribution of {frac_str(V)}; it gets 0 if they move). £ m a year."
    )
    if difficulty == 1:
        ans = signalling_equilibria(prm).credible_warning
        return Exercise(
            type="signalling-separating",
            seed=seed,
            difficulty=difficulty,
            level=2,
            title="Is shroud waving credible?",
            statement=setting
            + "\n\nIs there a separating equilibrium in which a fragile provider warns, a "
            "robust one stays quiet, and the commissioner keeps the services after a warning?",
            answer_format="yes or no",
            data={k: str(v) for k, v in x.items()},
            answer=ans,
            solution=(
                "Separation needs each type to prefer its own message given the commissioner's "
                "replies (keep after a warning, move after silence): the fragile provider warns "
                f"if V − c_F ≥ 0, i.e. {frac_str(V)} − {frac_str(cF)} ≥ 0; the robust one stays "
                f"quiet if 0 ≥ V − c_R, i.e. {frac_str(cR)} ≥ {frac_str(V)}. "
                f"{'Both hold: yes' if ans else 'Not both hold: no'}."
            ),
            checker=check_bool(ans),
        )
    return Exercise(
        type="signalling-separating",
        seed=seed,
        difficulty=difficulty,
        level=2,
        title="How costly must exaggeration be?",
        statement=setting
        + "\n\nWhat is the smallest cost c_R of a false warning for which a separating "
        "equilibrium exists (fragile providers warn, robust ones stay quiet, warnings are "
        "believed)?",
        answer_format="a number",
        data={k: str(v) for k, v in x.items() if k != "warn_cost_robust"},
        answer=frac_str(V),
        solution=(
            f"The fragile type warns since c_F = {frac_str(cF)} ≤ V = {frac_str(V)}. The robust "
            "type must not want to imitate: staying quiet (services moved, 0) must be at least "
            f"as good as warning (services kept, V − c_R), so c_R ≥ V = {frac_str(V)}."
        ),
        checker=check_number(V, tol=1e-6, what="cost"),
    )
