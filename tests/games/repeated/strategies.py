"""Hypothesis strategies for repeated-game tests: stage games and random automata.

Random automata are written with *callable* transitions backed by explicit
tables, so the brute-force oracles in the tests can follow them without the
library's own tabulation (``bind``).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from jenga_games.games.repeated import Automaton


@st.composite
def stage_games(draw, max_players=3, max_actions=3):
    """An integer payoff array of shape (a_1, ..., a_n, n); n in 2..max_players."""
    n = draw(st.integers(2, max_players))
    shape = tuple(draw(st.integers(1 if i else 2, max_actions if n == 2 else 2)) for i in range(n))
    size = int(np.prod(shape)) * n
    vals = draw(st.lists(st.integers(-4, 6), min_size=size, max_size=size))
    return np.array(vals, dtype=float).reshape((*shape, n))


class TableAutomaton:
    """A random pure automaton as plain tables (the oracle follows these directly)."""

    def __init__(self, out, table, n_actions_seen):
        self.out = out  # state -> own action index
        self.table = table  # (state, view tuple of indices) -> next state

    def automaton(self, name):
        table = self.table
        return Automaton(
            name,
            tuple(range(len(self.out))),
            0,
            dict(enumerate(self.out)),
            lambda s, view: table[(s, view)],
        )


@st.composite
def table_automata(draw, shape, seat, max_states=3):
    """A random pure automaton for ``seat`` of a stage game of action counts ``shape``.

    Its transition sees the profile from its own seat (own action first), as
    action indices (the stage game is a plain array, whose labels are indices).
    """
    m = draw(st.integers(1, max_states))
    out = [draw(st.integers(0, shape[seat] - 1)) for _ in range(m)]
    order = (seat, *[j for j in range(len(shape)) if j != seat])
    views = list(itertools.product(*(range(shape[j]) for j in order)))
    table = {(s, v): draw(st.integers(0, m - 1)) for s in range(m) for v in views}
    return TableAutomaton(out, table, shape)


def view_of(profile, seat):
    return (profile[seat], *[a for j, a in enumerate(profile) if j != seat])
