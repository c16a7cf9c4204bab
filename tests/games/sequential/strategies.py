"""Hypothesis strategies for small Jenga games (tests only)."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from jenga_games.games.sequential import JengaGame
from jenga_games.testing.tower_strategies import towers


@st.composite
def games(
    draw,
    max_blocks: int = 6,
    must_move: bool | None = None,
    max_players: int = 3,
    discount: bool = True,
    all_eligible: bool = False,
    shared: bool = True,
    nonneg_gains: bool = False,
    min_blocks: int = 1,
    providers: bool = True,
    grounded: bool | None = None,
):
    tower = draw(
        towers(
            min_services=min_blocks, max_services=max_blocks, grounded=grounded, providers=providers
        )
    )
    assume(not tower.cascade().fallen)
    m = draw(st.integers(1, max_players))
    players = [f"P{i + 1}" for i in range(m)]
    mm = draw(st.booleans()) if must_move is None else must_move
    if all_eligible:
        eligible = None
    else:
        eligible = {
            p: draw(st.lists(st.sampled_from(tower.ids), unique=True, min_size=1 if mm else 0))
            for p in players
        }
    lo = 0 if nonneg_gains else -2
    gains = {p: {b: draw(st.integers(lo, 5)) for b in tower.ids} for p in players}
    collapse = {p: draw(st.integers(0, 8)) for p in players}
    shared_cost = {p: draw(st.integers(0, 3)) for p in players} if shared else 0.0
    order = list(draw(st.permutations(players)))
    if draw(st.booleans()):
        order.append(draw(st.sampled_from(players)))
    delta = draw(st.sampled_from([1.0, 0.9, 0.5])) if discount else 1.0
    crit = "fallen"
    if not (tower.providers and not tower.validate().monotone):
        crit = draw(st.sampled_from(["fallen", "collapsed"]))
    return JengaGame(
        tower,
        players,
        eligible=eligible,
        gains=gains,
        collapse_cost=collapse,
        shared_collapse_cost=shared_cost,
        must_move=mm,
        turn_order=order,
        discount=delta,
        fall_criterion=crit,
    )
