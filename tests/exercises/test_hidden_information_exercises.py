"""The mediator and signalling exercises against independent oracles."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.commissioning.signalling import SignallingParams, signalling_equilibria
from jenga_games.exercises import make_exercise
from jenga_games.exercises.answers import parse_number
from jenga_games.games.normal_form._exact import frac_solve


def _ce_vertices_max_welfare(A, B):
    """Brute force: every vertex of the 2x2 correlated-equilibrium polytope, exactly.

    Variables p = (hh, he, eh, ee); 8 inequalities (4 obedience, 4 p >= 0) plus sum = 1.
    A vertex makes 3 inequalities tight; solve each 4x4 system and keep feasible points."""
    A = [[Fraction(v) for v in r] for r in A]
    B = [[Fraction(v) for v in r] for r in B]
    rows = [
        # row player told r, not switching to r'
        [A[0][0] - A[1][0], A[0][1] - A[1][1], 0, 0],
        [0, 0, A[1][0] - A[0][0], A[1][1] - A[0][1]],
        # column player told c, not switching to c'
        [B[0][0] - B[0][1], 0, B[1][0] - B[1][1], 0],
        [0, B[0][1] - B[0][0], 0, B[1][1] - B[1][0]],
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
    ]
    welfare = [A[0][0] + B[0][0], A[0][1] + B[0][1], A[1][0] + B[1][0], A[1][1] + B[1][1]]
    best = None
    for tight in itertools.combinations(range(8), 3):
        M = [[Fraction(v) for v in rows[t]] for t in tight] + [[Fraction(1)] * 4]
        p = frac_solve(M, [Fraction(0)] * 3 + [Fraction(1)])
        if p is None or any(sum(r[k] * p[k] for k in range(4)) < 0 for r in rows):
            continue
        w = sum(a * b for a, b in zip(welfare, p))
        best = w if best is None else max(best, w)
    return best


@settings(max_examples=8)
@given(st.integers(0, 10_000), st.sampled_from([1, 2, 3]))
def test_ce_exercise_answer_is_the_best_polytope_vertex(seed, difficulty):
    ex = make_exercise("ce-max-welfare-2x2", seed, difficulty)
    assert parse_number(ex.answer) == _ce_vertices_max_welfare(ex.data["A"], ex.data["B"])
    assert ex.check(ex.answer).ok and not ex.check(str(parse_number(ex.answer) - 1)).ok


@settings(max_examples=15)
@given(st.integers(0, 10_000), st.sampled_from([1, 2, 3]))
def test_signalling_exercise_against_enumeration(seed, difficulty):
    ex = make_exercise("signalling-separating", seed, difficulty)
    data = {k: Fraction(v) for k, v in ex.data.items()}
    if difficulty == 1:
        assert ex.answer == signalling_equilibria(SignallingParams(**data)).credible_warning
        assert ex.check("yes" if ex.answer else "no").ok
    else:
        threshold = parse_number(ex.answer)
        at = SignallingParams(**data, warn_cost_robust=threshold)
        below = SignallingParams(**data, warn_cost_robust=threshold - Fraction(1, 100))
        assert signalling_equilibria(at).credible_warning
        assert not signalling_equilibria(below).credible_warning
