"""Exact payoffs, subgame perfection and critical δ: known cases and brute-force oracles."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jenga_games.games.repeated import (
    DELTA,
    Profile,
    always_cooperate,
    always_defect,
    classic_strategies,
    critical_delta,
    discounted_payoffs,
    generous_tit_for_tat,
    grim_trigger,
    is_subgame_perfect,
    k_period_punishment,
    one_shot_deviations,
    prisoners_dilemma,
    simulate,
    tit_for_tat,
    win_stay_lose_shift,
)

from .strategies import stage_games, table_automata, view_of

T, R, P, S = sp.symbols("T R P S")
PD_ASSUME = [T > R, R > P, P > S]


# ---------------------------------------------------------------- known cases (Mailath & Samuelson 2006, ch. 2)
def test_grim_payoffs_and_tft_vs_alld_closed_form():
    pd = prisoners_dilemma(5, 3, 1, 0)
    assert discounted_payoffs(Profile(pd, [grim_trigger()] * 2), 0.9).payoffs == (3.0, 3.0)
    # TFT vs AllD: (S, T) once then (P, P): ((1-δ)S + δP, (1-δ)T + δP)
    res = discounted_payoffs(Profile(pd, [tit_for_tat(), always_defect()]), Fraction(9, 10))
    assert res.payoffs == (sp.Rational(9, 10), sp.Rational(14, 10))
    sym = discounted_payoffs(
        Profile(prisoners_dilemma(T, R, P, S), [tit_for_tat(), always_defect()])
    )
    assert sp.simplify(sym.payoffs[0] - ((1 - DELTA) * S + DELTA * P)) == 0
    assert sp.simplify(sym.payoffs[1] - ((1 - DELTA) * T + DELTA * P)) == 0


def test_wsls_vs_alld_symbolic_matches_the_cycle():
    # WSLS vs AllD alternates (C,D), (D,D): payoffs (S + δP)/(1 + δ) and (T + δP)/(1 + δ)
    sym = discounted_payoffs(
        Profile(prisoners_dilemma(T, R, P, S), [win_stay_lose_shift(), always_defect()])
    )
    assert sp.simplify(sym.payoffs[0] - (S + DELTA * P) / (1 + DELTA)) == 0
    assert sp.simplify(sym.payoffs[1] - (T + DELTA * P) / (1 + DELTA)) == 0


def test_grim_critical_delta_symbolic_and_numeric():
    cd = critical_delta(Profile(prisoners_dilemma(T, R, P, S), [grim_trigger()] * 2), PD_ASSUME)
    assert sp.simplify(cd.lower - (T - R) / (T - P)) == 0
    assert cd.upper is None and not cd.side_conditions and not cd.unresolved
    num = critical_delta(Profile(prisoners_dilemma(5, 3, 1, 0), [grim_trigger()] * 2))
    assert num.set == sp.Interval.Ropen(sp.Rational(1, 2), 1)
    assert cd.subs({T: 5, R: 3, P: 1, S: 0}).set == num.set


def test_k_period_punishment_root_and_tft_knife_edge():
    # two-period punishment: δ + δ² >= (T - R)/(R - P) = 1 -> δ >= (√5 - 1)/2
    cd = critical_delta(Profile(prisoners_dilemma(5, 3, 1, 0), [k_period_punishment(2)] * 2))
    assert cd.set == sp.Interval.Ropen((sp.sqrt(5) - 1) / 2, 1)
    # TFT is subgame perfect only where (T - R)/(R - S) = δ = (P - S)/(T - P): T, R, P, S = 4, 3, 1, 0 -> {1/3}
    tft = critical_delta(Profile(prisoners_dilemma(4, 3, 1, 0), [tit_for_tat()] * 2))
    assert tft.set == sp.FiniteSet(sp.Rational(1, 3))
    assert is_subgame_perfect(
        Profile(prisoners_dilemma(4, 3, 1, 0), [tit_for_tat()] * 2), Fraction(1, 3), exact=True
    )
    symb = critical_delta(Profile(prisoners_dilemma(T, R, P, S), [tit_for_tat()] * 2), PD_ASSUME)
    assert {sp.simplify(symb.lower.args[0] - symb.upper.args[0]) == 0, len(symb.lower.args)} == {
        True,
        2,
    }


def test_one_shot_deviation_reports_violation():
    prof = Profile(prisoners_dilemma(5, 3, 1, 0), [grim_trigger()] * 2)
    res = one_shot_deviations(prof, 0.4)
    # at (cooperate, cooperate) defecting once gives (1 - δ)T + δP = 3.4 > R = 3
    assert not res and res.max_gain == pytest.approx(0.4)
    assert {v.action for v in res.violations} == {"D"}
    assert all(v.state == ("cooperate", "cooperate") for v in res.violations)


def test_mixed_profile_payoffs_match_monte_carlo():
    prof = Profile(
        prisoners_dilemma(5, 3, 1, 0), [generous_tit_for_tat(Fraction(1, 3)), tit_for_tat()]
    )
    prof2 = Profile(
        prisoners_dilemma(5, 3, 1, 0), [generous_tit_for_tat(Fraction(1, 2)), always_defect()]
    )
    for p in (prof, prof2):
        exact = discounted_payoffs(p, 0.8)
        m = simulate(p, turns=120, repetitions=4000, seed=1, delta=0.8)
        sd = m.payoffs.std() / math.sqrt(4000)
        assert np.all(np.abs(m.discounted - np.array(exact.payoffs)) < 5 * sd + 1e-9)
    sym = discounted_payoffs(prof2, Fraction(4, 5), exact=True)
    assert sym.payoffs == pytest.approx(discounted_payoffs(prof2, 0.8).payoffs)


# ---------------------------------------------------------------- brute-force oracle (independent of the library)
def _oracle(U, autos, delta, horizon):
    """Truncated values of every joint state reachable after any history, and the max deviation gain."""
    n = U.shape[-1]
    shape = U.shape[:-1]

    def step(state, prof):
        return tuple(autos[i].table[(state[i], view_of(prof, i))] for i in range(n))

    def act(state):
        return tuple(autos[i].out[state[i]] for i in range(n))

    memo = {}

    def value(state):
        if state not in memo:
            tot, s, w = np.zeros(n), state, 1.0 - delta
            for _ in range(horizon):
                a = act(s)
                tot += w * U[a]
                w *= delta
                s = step(s, a)
            memo[state] = tot
        return memo[state]

    start = tuple(0 for _ in range(n))
    seen, frontier = {start}, [start]
    while frontier:
        s = frontier.pop()
        for prof in itertools.product(*(range(k) for k in shape)):
            t = step(s, prof)
            if t not in seen:
                seen.add(t)
                frontier.append(t)
    max_gain = -np.inf
    for s in seen:
        base = act(s)
        for i in range(n):
            for ai in range(shape[i]):
                dev = (*base[:i], ai, *base[i + 1 :])
                v = (1 - delta) * U[dev][i] + delta * value(step(s, dev))[i]
                max_gain = max(max_gain, v - value(s)[i])
    return value(start), max_gain, len(seen)


@st.composite
def random_profiles(draw):
    U = draw(stage_games())
    shape = U.shape[:-1]
    autos = [draw(table_automata(shape, i)) for i in range(len(shape))]
    delta = draw(st.sampled_from([0.3, 0.5, 0.7, 0.8, 0.9]))
    return U, autos, delta


@settings(max_examples=60)
@given(random_profiles())
def test_payoffs_and_spe_agree_with_brute_force(case):
    U, autos, delta = case
    horizon = math.ceil(math.log(1e-12) / math.log(delta))
    prof = Profile(U, [a.automaton(f"m{i}") for i, a in enumerate(autos)])
    v0, max_gain, n_states = _oracle(U, autos, delta, horizon)
    scale = max(1.0, float(np.abs(U).max()))
    ours = discounted_payoffs(prof, delta).payoffs
    assert np.allclose(ours, v0, atol=1e-9 * scale)
    # long noiseless simulation (the library's lasso path) agrees too
    m = simulate(prof, turns=horizon, delta=delta)
    assert np.allclose(m.discounted, v0, atol=1e-9 * scale)
    res = one_shot_deviations(prof, delta)
    assert res.n_states == n_states
    assert abs(res.max_gain - max_gain) < 1e-8 * scale
    if res.is_subgame_perfect:
        assert max_gain <= 1e-8 * scale  # no profitable one-shot deviation anywhere
    else:
        assert max_gain > 0


@settings(max_examples=30)
@given(random_profiles())
def test_exact_and_float_spe_agree(case):
    U, autos, delta = case
    prof = Profile(U.astype(int), [a.automaton(f"m{i}") for i, a in enumerate(autos)])
    f = one_shot_deviations(prof, delta)
    assume(abs(f.max_gain) > 1e-7)  # away from knife edges, float and exact must agree
    e = one_shot_deviations(prof, Fraction(delta).limit_denominator(100), exact=True)
    assert e.is_subgame_perfect == f.is_subgame_perfect


# ---------------------------------------------------------------- critical δ vs is_subgame_perfect
# trust-eroding is left out here: its product with itself has ~700 joint states and the
# symbolic computation takes minutes (see test_trust.py for its own checks).
PURE = [s for s in classic_strategies() if s.is_pure and not s.name.startswith("trust")]


@settings(max_examples=30)
@given(
    st.sampled_from(PURE),
    st.sampled_from(PURE),
    st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
    st.integers(0, 3),
)
def test_critical_delta_consistent_with_spe_check(a, b, gaps, S_):
    P_ = S_ + gaps[0]
    R_ = P_ + gaps[1]
    T_ = R_ + gaps[2]
    prof = Profile(prisoners_dilemma(T_, R_, P_, S_), [a, b])
    cd = critical_delta(prof)
    bounds = [x for x in (cd.set.boundary if cd.set is not sp.S.EmptySet else []) if 0 < x < 1]
    probes = [Fraction(k, 10) for k in range(1, 10)]
    for e in bounds:
        ef = float(e)
        probes += [
            Fraction(ef - 1e-4).limit_denominator(10**7),
            Fraction(ef + 1e-4).limit_denominator(10**7),
        ]
    for d in probes:
        if not 0 < d < 1:
            continue
        assert cd.contains(d) == is_subgame_perfect(prof, d, exact=True), (a.name, b.name, d)
    for e in bounds:  # on the boundary itself the exact check agrees with the closed set
        if isinstance(e, sp.Rational):
            assert cd.contains(e) == is_subgame_perfect(
                prof, Fraction(int(e.p), int(e.q)), exact=True
            )


def test_symbolic_conditions_substitute_to_numeric():
    for strat in (grim_trigger(), k_period_punishment(2), win_stay_lose_shift(), always_defect()):
        sym = critical_delta(Profile(prisoners_dilemma(T, R, P, S), [strat, strat]), PD_ASSUME)
        num = critical_delta(Profile(prisoners_dilemma(7, 4, 2, 0), [strat, strat]))
        assert sym.subs({T: 7, R: 4, P: 2, S: 0}).set == num.set, strat.name


def test_always_cooperate_never_spe_always_defect_always():
    pd = prisoners_dilemma(5, 3, 1, 0)
    assert critical_delta(Profile(pd, [always_cooperate()] * 2)).is_empty
    assert critical_delta(Profile(pd, [always_defect()] * 2)).set == sp.Interval.open(0, 1)


def test_mixed_profiles_critical_delta():
    from jenga_games.games.repeated import random_play

    A = np.array([[1, -1], [-1, 1]])
    pennies = np.stack([A, -A], axis=-1)
    mix = random_play(Fraction(1, 2))
    assert critical_delta(Profile(pennies, [mix, mix])).set == sp.Interval.open(
        0, 1
    )  # stage NE repeated
    pd = prisoners_dilemma(5, 3, 1, 0)
    assert critical_delta(Profile(pd, [mix, mix])).is_empty
    prof = Profile(pd, [generous_tit_for_tat(Fraction(1, 3)), tit_for_tat()])
    cd = critical_delta(prof)
    for d in (Fraction(1, 5), Fraction(1, 2), Fraction(4, 5), Fraction(19, 20)):
        assert cd.contains(d) == is_subgame_perfect(prof, d, exact=True)


def test_symbolic_quadratic_bound_k_period_punishment():
    # δ + δ² >= (T - R)/(R - P): the positive root as an expression in the payoffs
    sym = critical_delta(
        Profile(prisoners_dilemma(T, R, P, S), [k_period_punishment(2)] * 2), PD_ASSUME
    )
    assert not sym.unresolved and sym.upper is None
    for vals in ((5, 3, 1, 0), (7, 4, 2, 0), (4, 3, 1, 0), (10, 6, 1, -2)):
        num = critical_delta(Profile(prisoners_dilemma(*vals), [k_period_punishment(2)] * 2))
        lower = sym.lower.subs(dict(zip((T, R, P, S), vals)))
        assert float(lower) == pytest.approx(float(num.lower), abs=1e-12)
        assert sp.simplify(lower - num.lower) == 0
