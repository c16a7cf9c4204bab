"""Hypothesis strategies for repeated-game automata.

>>> from hypothesis import given
>>> from jenga_games.testing import automata
>>> from jenga_games.games.repeated import Profile, prisoners_dilemma, discounted_payoffs
>>> @given(automata(n_actions=2), automata(n_actions=2))
... def test_payoffs_are_feasible(a, b):
...     pay = discounted_payoffs(Profile(prisoners_dilemma(), [a, b]), 0.9)
"""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from ..games.repeated import Automaton

__all__ = ["automata"]


@st.composite
def automata(
    draw, n_actions: int = 2, n_players: int = 2, max_states: int = 3, mixed: bool = False
) -> Automaton:
    """A random complete automaton over action indices ``0..n_actions-1``.

    Parameters
    ----------
    n_actions : int
        Actions of every player in the stage game.
    n_players : int
        Players (the automaton observes profiles of this length, own action first).
    max_states : int
        At most this many states (at least one).
    mixed : bool
        Allow states that mix over actions (probabilities in eighths).
    """
    k = draw(st.integers(1, max_states))
    states = tuple(f"q{i}" for i in range(k))
    output = {}
    for s in states:
        if mixed and n_actions > 1 and draw(st.booleans()):
            cuts = sorted(
                draw(st.lists(st.integers(0, 8), min_size=n_actions - 1, max_size=n_actions - 1))
            )
            probs = [b - a for a, b in zip([0, *cuts], [*cuts, 8])]
            output[s] = {a: p / 8 for a, p in enumerate(probs) if p}
        else:
            output[s] = draw(st.integers(0, n_actions - 1))
    profiles = list(itertools.product(range(n_actions), repeat=n_players))
    transitions = {s: {prof: draw(st.sampled_from(states)) for prof in profiles} for s in states}
    return Automaton(
        f"random automaton ({k} states)",
        states=states,
        initial=states[0],
        output=output,
        transitions=transitions,
    )
