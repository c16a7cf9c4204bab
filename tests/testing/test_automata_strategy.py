"""The automata strategy draws valid automata whose exact payoffs match long simulations."""

import numpy as np
from hypothesis import given, settings

from jenga_games.games.repeated import Profile, discounted_payoffs, prisoners_dilemma, simulate
from jenga_games.testing import automata


@settings(max_examples=20)
@given(automata(), automata())
def test_exact_payoffs_match_simulation(a, b):
    profile = Profile(prisoners_dilemma(), [a, b])
    exact = np.asarray(discounted_payoffs(profile, 0.5).payoffs, dtype=float)
    sim = simulate(profile, turns=80, delta=0.5, seed=0)
    assert np.allclose(exact, sim.discounted, atol=1e-6)


@settings(max_examples=10)
@given(automata(n_actions=3, n_players=3, mixed=True))
def test_three_player_mixed_automata_are_valid(a):
    assert 1 <= len(a.states) <= 3
    assert a.initial in a.states
