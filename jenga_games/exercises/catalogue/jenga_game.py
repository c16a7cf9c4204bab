"""Exercise on the Jenga game: who topples a tiny tower when both play perfectly?"""

from __future__ import annotations

from ...games.sequential import JengaGame
from ...tower.library import classic_jenga
from ..answers import Verdict
from ..base import Exercise, exercise_type
from ._common import rng_for, tower_figure

PLAYERS = ("North", "South")


@exercise_type(
    "jenga-game-spe",
    level=3,
    topic="sequential",
    summary="Who topples a tiny Jenga tower in the subgame-perfect equilibrium?",
)
def jenga_spe(seed: int, difficulty: int) -> Exercise:
    rng = rng_for("jenga-game-spe", seed, difficulty)
    levels = 2 + difficulty
    tower = classic_jenga(levels=levels)
    top = {b for b in tower.ids if b.startswith(f"L{levels - 1}.")}
    movable = [b for b in tower.ids if b not in top]
    gains = {b: int(rng.integers(1, 4)) for b in movable}
    cost = int(rng.integers(2, 12))
    game = JengaGame(
        tower,
        list(PLAYERS),
        eligible={p: movable for p in PLAYERS},
        gains={p: gains for p in PLAYERS},
        collapse_cost=cost,
        must_move=True,
    )
    play = game.solve()
    who = play.toppled_by if play.fell else "nobody"
    path = ", ".join(f"{m.player} takes {m.block}" for m in play.path if m.block is not None)
    gain_rows = "\n".join(f"| {b} | {gains[b]} |" for b in movable)
    return Exercise(
        type="jenga-game-spe",
        seed=seed,
        difficulty=difficulty,
        level=3,
        title="Who topples the tower?",
        statement=(
            f"Two commissioners, {PLAYERS[0]} (first) and {PLAYERS[1]}, take turns removing "
            f"one block each from a Jenga tower of {levels} rows of 3 (a row stands while "
            "the block under its middle, or both blocks under its sides, remain). The top "
            "row may not be taken. Taking a block earns its gain:\n\n| block | gain |\n"
            f"|---|---|\n{gain_rows}\n\nA player must move while any block can be taken; "
            f"whoever makes the tower fall pays {cost}. With both playing a "
            "subgame-perfect equilibrium, who topples the tower?"
        ),
        answer_format=f'"{PLAYERS[0]}", "{PLAYERS[1]}" or "nobody"',
        data={"levels": levels, "gains": gains, "collapse_cost": cost},
        answer=who,
        solution=(
            f"Backward induction over the sets of removed blocks. Equilibrium play: {path}. "
            f"Payoffs: {', '.join(f'{p} {v:g}' for p, v in play.payoffs.items())}; "
            f"the tower is toppled by {who}."
        ),
        checker=lambda a: Verdict(
            str(a).strip().lower() == who.lower(),
            "correct"
            if str(a).strip().lower() == who.lower()
            else "no: work backwards from the last safe moves",
        ),
        figure=tower_figure(tower),
    )
