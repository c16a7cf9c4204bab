"""Automata: construction, binding to stage games, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from jenga_games.errors import InvalidGameError, JengaError, UnknownItemError
from jenga_games.games.repeated import (
    WILDCARD,
    Automaton,
    InvalidDiscountError,
    Not,
    Profile,
    classic_strategies,
    critical_delta,
    discounted_payoffs,
    grim_trigger,
    is_subgame_perfect,
    k_period_punishment,
    prisoners_dilemma,
    simulate,
    tit_for_tat,
    trust_eroding,
)

PD = prisoners_dilemma(5, 3, 1, 0)


def test_table_and_callable_and_not_keys_agree():
    table = Automaton(
        "tft-table",
        ("c", "d"),
        "c",
        {"c": "C", "d": "D"},
        {"c": {("*", "C"): "c", ("*", "D"): "d"}, "d": {("*", "C"): "c", ("*", "D"): "d"}},
    )
    func = Automaton(
        "tft-func",
        ("c", "d"),
        "c",
        {"c": "C", "d": "D"},
        lambda s, seen: "d" if seen[1] == "D" else "c",
    )
    nots = Automaton(
        "tft-not",
        ("c", "d"),
        "c",
        {"c": 0, "d": 1},
        {s: {(WILDCARD, 0): "c", (WILDCARD, Not(0)): "d"} for s in ("c", "d")},
    )
    for other in classic_strategies():
        moves = [
            simulate(Profile(PD, [a, other]), turns=30, seed=0).moves for a in (table, func, nots)
        ]
        assert np.array_equal(moves[0], moves[1]) and np.array_equal(moves[0], moves[2])


def test_same_automaton_in_either_seat_and_plain_arrays():
    arr = np.stack([np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]])], axis=-1)
    a = Profile(arr, [tit_for_tat(), grim_trigger()])
    b = Profile(PD, [tit_for_tat(), grim_trigger()])
    assert discounted_payoffs(a, 0.8).payoffs == discounted_payoffs(b, 0.8).payoffs
    c = Profile(PD, [grim_trigger(), tit_for_tat()])
    assert discounted_payoffs(c, 0.8).payoffs == discounted_payoffs(b, 0.8).payoffs[::-1]


def test_three_player_library_strategies():
    # 3-player public-goods-like PD: each cooperator pays 2, every player gets 1.5 per cooperator
    U = np.zeros((2, 2, 2, 3))
    for prof in np.ndindex(2, 2, 2):
        k = sum(1 for a in prof if a == 0)
        U[prof] = [1.5 * k - (2 if a == 0 else 0) for a in prof]
    grim = grim_trigger(n_players=3)
    prof = Profile(U, [grim] * 3)
    assert discounted_payoffs(prof, 0.9).payoffs == pytest.approx((2.5, 2.5, 2.5))
    # defecting once gets 3, then 0 for ever: SPE iff 2.5 >= (1 - δ) 3, i.e. δ >= 1/6
    assert is_subgame_perfect(prof, 0.2) and not is_subgame_perfect(prof, 0.1)
    assert critical_delta(prof).set == sp.Interval.Ropen(sp.Rational(1, 6), 1)
    assert len(trust_eroding(n_players=3).states) > 1


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: Automaton("x", (), None, {}, {}), "no states"),
        (lambda: Automaton("x", ("a", "a"), "a", {"a": 0}, {"a": {}}), "repeats a state"),
        (lambda: Automaton("x", ("a",), "b", {"a": 0}, {"a": {}}), "initial state 'b'"),
        (
            lambda: Automaton("x", ("a", "b"), "a", {"a": 0}, {"a": {}, "b": {}}),
            "state 'b' has no output",
        ),
        (lambda: Automaton("x", ("a",), "a", {"a": 0, "z": 1}, {"a": {}}), "unknown state 'z'"),
        (lambda: Automaton("x", ("a",), "a", {"a": {0: 0.5, 1: 0.4}}, {"a": {}}), "sum to 0.9"),
        (lambda: Automaton("x", ("a",), "a", {"a": {0: -0.5, 1: 1.5}}, {"a": {}}), ">= 0"),
        (
            lambda: Automaton("x", ("a", "b"), "a", {"a": 0, "b": 1}, {"a": {("*", "*"): "a"}}),
            "incomplete transitions, state 'b'",
        ),
        (lambda: Automaton("x", ("a",), "a", {"a": 0}, {"a": {("*", "*"): "q"}}), "unknown state"),
        (lambda: Automaton("x", ("a",), "a", {"a": 0}, {"a": {"C": "a"}}), "must be a tuple"),
    ],
)
def test_bad_automata(build, match):
    with pytest.raises(JengaError, match=match):
        build()


def test_binding_errors_name_the_problem():
    partial = Automaton("half", ("a",), "a", {"a": "C"}, {"a": {("C", "C"): "a", ("*", "D"): "a"}})
    with pytest.raises(
        InvalidGameError,
        match=r"incomplete transitions, state 'a' has no transition for observed profile \('D', 'C'\)",
    ):
        Profile(PD, [partial, tit_for_tat()])
    bad_action = Automaton("bad", ("a",), "a", {"a": "Z"}, {"a": {("*", "*"): "a"}})
    with pytest.raises(UnknownItemError, match=r"unknown action 'Z'.*actions are \['C', 'D'\]"):
        Profile(PD, [bad_action, tit_for_tat()])
    with pytest.raises(UnknownItemError, match="unknown action 'X'"):
        Profile(
            PD,
            [
                Automaton("k", ("a",), "a", {"a": "C"}, {"a": {("*", "X"): "a", ("*", "*"): "a"}}),
                tit_for_tat(),
            ],
        )
    with pytest.raises(InvalidGameError, match="has 3 actions but the stage game has 2 players"):
        Profile(PD, [tit_for_tat(n_players=3), tit_for_tat()])
    with pytest.raises(InvalidGameError, match="2 players but the profile has 3 strategies"):
        Profile(PD, [tit_for_tat()] * 3)
    with pytest.raises(InvalidGameError, match="not an Automaton"):
        Profile(PD, [tit_for_tat(), "grim"])
    amb = Automaton(
        "amb",
        ("a", "b"),
        "a",
        {"a": "C", "b": "D"},
        {"a": {("C", "*"): "a", ("*", "C"): "b", ("*", "*"): "a"}, "b": {("*", "*"): "b"}},
    )
    with pytest.raises(InvalidGameError, match="both match and disagree"):
        Profile(PD, [amb, tit_for_tat()])
    f = Automaton("f", ("a",), "a", {"a": "C"}, lambda s, v: "nowhere")
    with pytest.raises(UnknownItemError, match="returned 'nowhere'"):
        Profile(PD, [f, f])


def test_bad_stage_games_and_deltas():
    with pytest.raises(InvalidGameError, match="last axis must have length 2"):
        Profile(np.zeros((2, 2, 3)), [tit_for_tat()] * 2)
    with pytest.raises(InvalidGameError, match="needs shape"):
        Profile(np.zeros(3), [tit_for_tat()])
    prof = Profile(PD, [grim_trigger()] * 2)
    for bad in (0, 1, 1.5, -0.1, "0.9", True, float("nan")):
        with pytest.raises(InvalidDiscountError, match="discount factor"):
            discounted_payoffs(prof, bad)
        with pytest.raises(InvalidDiscountError):
            is_subgame_perfect(prof, bad)
    with pytest.raises(InvalidGameError, match="k must be an integer >= 1"):
        k_period_punishment(0)
    with pytest.raises(InvalidGameError, match="initial must be an integer"):
        trust_eroding(levels=3, initial=5)
    with pytest.raises(InvalidGameError, match="n_players must be an integer >= 2"):
        tit_for_tat(n_players=1)
