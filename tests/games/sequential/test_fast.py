"""The one-pass solver of ``_fast`` against the layered solver (state by state, bit for bit).

The layered solver is itself checked against the recursion over histories
(``test_solve.py``); here every reachable state's action and value vector of
the one-pass solver, interpreted and compiled, must equal the layered one's
exactly, and the plays built from either must agree in every field.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jenga_games.errors import TooLargeError
from jenga_games.games.sequential import TIE_BREAKS, JengaGame
from jenga_games.games.sequential import _backward as B
from jenga_games.games.sequential import _fast as F
from jenga_games.games.sequential._fast import _program, _tower_program, fall_rounds, fast_kind
from jenga_games.tolerance import is_close
from jenga_games.tower.library import classic_jenga

from ._oracle import minimax
from .strategies import games
from .test_solve import _check_one_shot


def assert_same_policy(game, layered, flat):
    """Every state of the layered policy is in the flat one with the same action and values."""
    assert flat.flat and not layered.flat
    assert flat.n_states == layered.n_states
    m = game.n_players
    for masks, A, V in zip(layered.masks, layered.actions, layered.values):
        idx = np.searchsorted(flat.masks[0], masks)
        assert np.array_equal(flat.masks[0][idx], masks)
        assert np.array_equal(flat.actions[0][idx], A[:, 0, :].T)
        # bit for bit: the same floating-point operations in the same order
        assert np.array_equal(flat.values[0][idx], V[:, :m, :-1].transpose(2, 0, 1))


def assert_same_play(game, a, b):
    assert a.path == b.path and a.removed == b.removed
    assert a.payoffs == b.payoffs and a.total == b.total
    assert (a.fell, a.toppled_by) == (b.fell, b.toppled_by)
    assert a.provider_loss == b.provider_loss and a.contribution_lost == b.contribution_lost
    assert a.outcome.fell == b.outcome.fell and a.outcome.standing == b.outcome.standing
    assert a.to_dict() == {**b.to_dict(), "provenance": a.to_dict()["provenance"]}


def _weird_game(levels, width, players=3):
    ids = classic_jenga(levels, width).ids
    return JengaGame.classic(
        levels,
        width,
        players=players,
        discount=0.9,
        collapse_cost=7,
        shared_collapse_cost=1.5,
        gains={b: 1 + ((i * 7) % 5) / 3 for i, b in enumerate(ids)},
        turn_order=["P1", "P2", "P1", "P3"][: players + 1],
    )


# towers without providers, the k-core reading, must move: where the one-pass solver applies
fast_games = games(max_blocks=6, must_move=True, providers=False, grounded=False)


@settings(max_examples=60)
@given(fast_games, st.sampled_from(TIE_BREAKS), st.sampled_from(["spe", "total"]))
def test_interpreted_pass_equals_layered_solver_on_every_state(game, tie_break, objective):
    assume(game.fall_criterion == "fallen")
    assert fast_kind(game, objective) in ("interpreted", "compiled")
    layered = B.backward(game, objective, tie_break, 10**6, engine="layers")
    flat = B.backward(game, objective, tie_break, 10**6, engine="interpreted")
    assert_same_policy(game, layered, flat)
    params = B._params(game, tie_break)
    assert_same_play(
        game, B._replay(game, layered, "spe", params), B._replay(game, flat, "spe", params)
    )


@settings(max_examples=40)
@given(fast_games, st.sampled_from(TIE_BREAKS))
def test_fast_spe_matches_minimax_over_histories(game, tie_break):
    """The independent oracle (recursion over histories, ``tower.cascade`` per history)."""
    assume(game.fall_criterion == "fallen")
    res = game.solve(tie_break)
    assert res.policy.flat
    v, path = minimax(game, tie_break)
    assert np.all(is_close(np.array(list(res.payoffs.values())), v))
    assert [(mv.player, mv.block) for mv in res.path] == path


@settings(max_examples=15)
@given(fast_games, st.sampled_from(TIE_BREAKS))
def test_flat_policy_has_no_profitable_one_shot_deviation(game, tie_break):
    """Certifies the SPE at every reachable state of the one-pass solver's policy."""
    assume(game.fall_criterion == "fallen")
    res = game.solve(tie_break)
    assert res.policy.flat
    _check_one_shot(game, res.policy)


@pytest.mark.parametrize("levels,width", [(2, 3), (3, 3), (2, 4), (3, 2)])
def test_interpreted_pass_equals_layered_solver_classic(levels, width):
    game = _weird_game(levels, width)
    for tie_break in TIE_BREAKS:
        layered = B.backward(game, "spe", tie_break, 10**6, engine="layers")
        flat = B.backward(game, "spe", tie_break, 10**6, engine="interpreted")
        assert_same_policy(game, layered, flat)


def test_compiled_pass_equals_layered_solver():
    """The compiled kernels (same source) on a 15-block tower, every block eligible."""
    game = JengaGame(
        classic_jenga(levels=5),
        3,
        gains={b: 1 + (i % 4) / 2 for i, b in enumerate(classic_jenga(5).ids)},
        discount=0.95,
    )
    for tie_break, objective in (("first", "spe"), ("benevolent", "spe"), ("last", "total")):
        layered = B.backward(game, objective, tie_break, 10**6, engine="layers")
        flat = B.backward(game, objective, tie_break, 10**6, engine="compiled")
        assert_same_policy(game, layered, flat)


@pytest.mark.parametrize("threads,chunk", [(1, 2048), (2, 7), (2, 2048)])
def test_compiled_pass_is_the_same_for_any_threads_and_chunks(threads, chunk, monkeypatch):
    """The sets of a size are marked, and the states of a layer solved, in parallel chunks
    (one thread: one scan): neither the threads nor the chunks matter."""
    import numba

    game = JengaGame(
        classic_jenga(levels=5),
        3,
        gains={b: 1 + (i % 4) / 2 for i, b in enumerate(classic_jenga(5).ids)},
        discount=0.95,
    )
    layered = B.backward(game, "spe", "benevolent", 10**6, engine="layers")
    monkeypatch.setattr(F, "CHUNK", chunk)
    monkeypatch.setattr(F, "BLOCK", 1 if chunk < 100 else F.BLOCK)  # bitmap words per task
    before = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        flat = B.backward(game, "spe", "benevolent", 10**6, engine="compiled")
    finally:
        numba.set_num_threads(before)
    assert_same_policy(game, layered, flat)


@pytest.mark.parametrize("levels,block", [(2, 1), (4, 1), (5, 3), (5, 4096)])
def test_marking_size_by_size_marks_the_sets_of_the_single_scan(levels, block):
    """The parallel marking (any thread count, any block of words) against the one scan."""
    game = JengaGame(classic_jenga(levels=levels), 2)
    prog = _program(game, compiled=True)
    args = [prog[k] for k in F._PROGRAM_ARGS]
    kernels = F._kernels("compiled")
    nwords = max(1, (1 << game.n_blocks) >> 6)
    one, by_size = np.zeros(2 * nwords, np.uint64), np.zeros(2 * nwords, np.uint64)
    count = kernels[0](*args, one, 10**7)
    assert kernels[4](*args, by_size, 10**7, block) == count
    assert np.array_equal(one, by_size)
    assert kernels[4](*args, np.zeros(2 * nwords, np.uint64), count - 1, block) == -1


@pytest.mark.parametrize("levels,width", [(2, 3), (3, 3)])
def test_compiled_pass_equals_layered_solver_on_small_towers(levels, width):
    """Small towers run compiled once the kernels are loaded: the same states, bit for bit."""
    game = _weird_game(levels, width)
    for tie_break in TIE_BREAKS:
        layered = B.backward(game, "spe", tie_break, 10**6, engine="layers")
        flat = B.backward(game, "spe", tie_break, 10**6, engine="compiled")
        assert_same_policy(game, layered, flat)
    assert fast_kind(game, "spe") == "compiled"  # loaded now: small towers take it too


def _program_from_bits(game) -> dict:
    """The rule program rebuilt from ``game.bits`` (the BitTower the layered solver uses)."""
    kinds, masks, ks, lo, hi = [], [], [], [], []
    deps = [set() for _ in range(game.n_blocks)]

    def emit(rule, i):
        if rule[0] == "gate":
            kinds.append(0), masks.append(int(rule[1])), ks.append(int(rule[2]))
            deps_of = [b for b in range(game.n_blocks) if int(rule[1]) >> b & 1 and b != i]
            for b in deps_of:
                deps[b].add(i)
            return
        for sub in rule[1]:
            emit(sub, i)
        kinds.append(1 if rule[0] == "and" else 2), masks.append(0), ks.append(len(rule[1]))

    for i, rule in enumerate(game.bits.rules):
        lo.append(len(kinds))
        if rule is not None:
            emit(rule, i)
        hi.append(len(kinds))
    return {
        "op_kind": kinds,
        "op_mask": masks,
        "op_k": ks,
        "rule_lo": lo,
        "rule_hi": hi,
        "dep_idx": [i for d in deps for i in sorted(d)],
        "full": int(game.bits.full),
    }


@pytest.mark.parametrize("levels,width", [(2, 3), (4, 3), (3, 4)])
def test_rule_program_is_the_bit_towers_rules_and_is_cached_per_tower(levels, width):
    game = JengaGame(classic_jenga(levels, width), 2)
    prog = _program(game)
    for key, want in _program_from_bits(game).items():
        assert prog[key] == want, key
    compiled = _program(game, compiled=True)
    for key, want in prog.items():
        assert np.array_equal(compiled[key], want), key
    again = JengaGame(game.tower, 3, eligible={"P1": ["L0.0"], "P2": ["L0.1"], "P3": ["L0.2"]})
    assert _tower_program(again.tower) is _tower_program(game.tower)  # not rebuilt
    assert _program(again)["elig"] == [1, 2, 4] and _program(again)["elig_any"] == 7


@pytest.mark.slow
def test_compiled_pass_equals_layered_solver_on_24_blocks():
    """The issue's case: classic Jenga, 24 blocks, every block eligible, 2 players."""
    game = JengaGame(classic_jenga(levels=8), 2)
    layered = B.backward(game, "spe", "first", 10**7, engine="layers")
    flat = B.backward(game, "spe", "first", 10**7, engine="compiled")
    assert flat.n_states == 683_593
    assert_same_policy(game, layered, flat)


def test_fast_path_is_chosen_only_where_it_applies():
    assert fast_kind(_weird_game(2, 3), "spe") in ("interpreted", "compiled")
    assert fast_kind(_weird_game(2, 3), "system") is None
    assert fast_kind(JengaGame.classic(2, 3, must_move=False), "spe") is None
    assert fast_kind(JengaGame.classic(2, 3, fall_criterion="collapsed"), "spe") is None


def test_fall_rounds_match_the_tower_cascade():
    game = JengaGame(classic_jenga(levels=4), 2)
    tower = game.tower
    for removed in (["L0.1", "L0.0"], ["L1.0", "L1.2"], ["L0.0", "L0.1", "L0.2"], ["L2.1"]):
        S = sum(1 << tower.index[b] for b in removed)
        out = tower.cascade(removed)
        rounds = [[tower.ids[i] for i in r] for r in fall_rounds(game, S)]
        assert [list(r) for r in out.rounds] == rounds


def test_flat_policy_queries_match_the_layered_policy():
    game = _weird_game(3, 3)
    layered = B.backward(game, "spe", "first", 10**6, engine="layers")
    flat = game.solve().policy
    assert flat.flat and "Policy(spe" in repr(flat) and f"{flat.n_states:,}" in repr(flat)
    assert list(flat.states()) == list(layered.states())
    for state in list(layered.states())[::7]:
        for turn in range(game.n_turns):
            assert flat.value(state, turn) == layered.value(state, turn)
            assert flat.is_over(state, turn) == layered.is_over(state, turn)
            if not flat.is_over(state, turn):
                assert flat.action(state, turn) == layered.action(state, turn)


def test_outcome_is_computed_when_first_read_and_pickles():
    game = _weird_game(2, 3)
    play = game.solve()
    assert "_lazy_outcome" in play.__dict__
    restored = pickle.loads(pickle.dumps(play))
    assert restored.outcome.fell == game.tower.play(list(play.removed)).fell
    assert play.outcome is play.outcome  # kept after the first read


def test_fast_path_refuses_more_states_than_max_states():
    game = JengaGame(classic_jenga(levels=3), 2)
    assert game.solve().n_states == 218
    assert game.solve(max_states=218).n_states == 218
    with pytest.raises(TooLargeError, match="max_states=217"):
        game.solve(max_states=217)
