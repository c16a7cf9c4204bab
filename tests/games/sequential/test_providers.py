"""Providers who act in the Jenga game, against a recursion over histories (issue #15 item 2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jenga_games.commissioning.jenga import commissioning_game
from jenga_games.errors import InvalidGameError, TooLargeError, UnknownItemError
from jenga_games.games.sequential import JengaGame, ProviderGame, ProviderMoves
from jenga_games.games.sequential._bitmask import BitTower
from jenga_games.tolerance import geq, is_close

from .strategies import games


def history_oracle(game, moves: ProviderMoves, memo: bool = False):
    """SPE payoffs and path by recursion over histories; providers' payoffs from engine balances.

    With ``memo`` the recursion remembers the answer of each history-independent
    state (removed, restructured, offered, funded, turn, passes in a row):
    the continuation game depends on nothing else, so this is the same
    recursion over histories, made feasible on 7-8 blocks.
    """
    tower, m = game.tower, game.n_players
    acting = [p for p in tower.providers if p in {*moves.restructure, *moves.close, *moves.funding}]
    players = [*game.players, *acting]
    T = game.n_turns + len(acting)
    d = game.discount

    def tower_for(restructured, funded):
        ch = {}
        for p in acting:
            c = {}
            if p in restructured:
                c["overhead"] = tower.providers[p].overhead - moves.restructure[p][1]
            if p in funded:
                c["reserves"] = tower.providers[p].reserves + moves.funding[p]
            if c:
                ch[p] = c
        return tower.replace(providers=ch) if ch else tower

    cache: dict = {}

    def status(removed, restructured, funded):
        key = (removed, restructured, funded)
        if key not in cache:  # the cascade of a removal set (histories are not merged)
            out = tower_for(restructured, funded).cascade(removed)
            ends = out.fallen if game.fall_criterion == "fallen" else out.collapsed
            cache[key] = (ends, frozenset(out.standing), out.balances)
        return cache[key]

    def pick(options, mover):
        best = max(o[0][mover] for o in options)
        return next(o for o in options if geq(o[0][mover], best))

    seen: dict = {}

    def rec(removed, restructured, offered, funded, j, c):
        key = (removed, restructured, offered, funded, j, c)
        if memo and key in seen:
            return seen[key]
        seen[key] = out = histories(removed, restructured, offered, funded, j, c)
        return out

    def histories(removed, restructured, offered, funded, j, c):
        _, standing, bal = status(removed, restructured, funded)
        options = []

        def after_removal(b, mover_is_commissioner, p):
            new = removed | {b}
            ends2, _, bal2 = status(new, restructured, funded)
            r = np.zeros(len(players))
            for a, q in enumerate(acting):
                r[m + a] = bal2[q] - bal[q]
            if mover_is_commissioner:
                r[p] += game.gain_matrix[p, tower.index[b]]
                if ends2:
                    r[p] -= game.collapse_costs[p]
            if ends2:
                r[:m] -= game.shared_costs
                return r, [(players[p], b)]
            v, path = rec(new, restructured, offered, funded, (j + 1) % T, 0)
            return r + d * v, [(players[p], b), *path]

        if j < game.n_turns:
            p = int(game.turn_players[j])
            for b in tower.ids:
                if b in standing and game.eligible_matrix[p, tower.index[b]]:
                    options.append(after_removal(b, True, p))
            for a, q in enumerate(acting):
                if q in moves.funding and q not in offered:
                    tau = moves.funding[q]
                    v_ref, path_ref = rec(
                        removed, restructured, offered | {q}, funded, (j + 1) % T, 0
                    )
                    refuse = d * v_ref
                    r = np.zeros(len(players))
                    r[p] -= tau
                    r[m + a] += tau
                    rs = restructured
                    if q in moves.restructure and q not in restructured:
                        r[m + a] -= moves.restructure[q][0]
                        rs = restructured | {q}
                    r_bal = status(removed, rs, funded | {q})[2]
                    r[m + a] += r_bal[q] - bal[q] - tau  # the balance moves by τ + saving
                    v_acc, path_acc = rec(removed, rs, offered | {q}, funded | {q}, (j + 1) % T, 0)
                    accept = r + d * v_acc
                    if geq(accept[m + a], refuse[m + a]):
                        options.append((accept, [(players[p], ("offer", q, "accept")), *path_acc]))
                    else:
                        options.append((refuse, [(players[p], ("offer", q, "refuse")), *path_ref]))
            mover = p
        else:
            a = j - game.n_turns
            q = acting[a]
            mover = m + a
            for b in tower.ids:
                if b in standing and b in set(moves.close.get(q, ())):
                    options.append(after_removal(b, False, mover))
            if q in moves.restructure and q not in restructured:
                r = np.zeros(len(players))
                r_bal = status(removed, restructured | {q}, funded)[2]
                r[mover] += r_bal[q] - bal[q] - moves.restructure[q][0]
                v, path = rec(removed, restructured | {q}, offered, funded, (j + 1) % T, 0)
                options.append((r + d * v, [(players[mover], "restructure"), *path]))
        if c + 1 < T:
            v, path = rec(removed, restructured, offered, funded, (j + 1) % T, c + 1)
            options.append((d * v, [(players[mover], None), *path]))
        else:
            options.append((np.zeros(len(players)), [(players[mover], None)]))
        return pick(options, mover)

    return rec(frozenset(), frozenset(), frozenset(), frozenset(), 0, 0)


def _path(play):
    out = []
    for _, player, action in play.path:
        if action is None:
            out.append((player, None))
        elif action[0] in ("remove", "close"):
            out.append((player, action[1]))
        elif action[0] == "restructure":
            out.append((player, "restructure"))
        else:
            out.append((player, action))
    return out


def _renamed(game):
    """The same game with commissioners named C1, C2, ... (providers may be called P1, ...)."""
    names = [f"C{i + 1}" for i in range(game.n_players)]
    ids = game.tower.ids
    return JengaGame(
        game.tower,
        names,
        eligible={
            names[i]: [ids[b] for b in np.flatnonzero(game.eligible_matrix[i])]
            for i in range(game.n_players)
        },
        gains={
            names[i]: dict(zip(ids, game.gain_matrix[i].tolist())) for i in range(game.n_players)
        },
        collapse_cost=dict(zip(names, game.collapse_costs.tolist())),
        shared_collapse_cost=dict(zip(names, game.shared_costs.tolist())),
        must_move=False,
        turn_order=[names[int(i)] for i in game.turn_players],
        discount=game.discount,
        fall_criterion=game.fall_criterion,
    )


@st.composite
def provider_games(draw, max_blocks=5, max_players=2, max_acting=2, min_blocks=1):
    game = _renamed(
        draw(
            games(
                max_blocks=max_blocks,
                must_move=False,
                max_players=max_players,
                min_blocks=min_blocks,
            )
        )
    )
    provs = list(game.tower.providers)[:max_acting]
    restructure, close, funding = {}, {}, {}
    for p in provs:
        if draw(st.booleans()):
            over = game.tower.providers[p].overhead
            restructure[p] = (draw(st.integers(0, 3)), draw(st.sampled_from([0.0, over / 2, over])))
        own = [s for s in game.tower.ids if game.tower.services[s].provider == p]
        if own and draw(st.booleans()):
            close[p] = draw(st.lists(st.sampled_from(own), unique=True, max_size=2))
        if draw(st.booleans()):
            funding[p] = draw(st.integers(0, 4))
    return game, ProviderMoves(restructure=restructure, close=close, funding=funding)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(games(max_blocks=6, must_move=False))
def test_providers_who_cannot_act_reproduce_the_commissioners_game(game):
    play = ProviderGame(game, ProviderMoves()).solve()
    spe = game.solve()
    assert np.all(is_close(np.array(list(play.payoffs.values())), list(spe.payoffs.values())))
    assert play.fell == spe.fell and play.removed == spe.removed
    assert [(p, a[1] if a else None) for _, p, a in play.path] == [
        (mv.player, mv.block) for mv in spe.path
    ]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(provider_games(max_blocks=4))
def test_spe_with_provider_moves_matches_recursion_over_histories(case):
    _check_against_histories(*case)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(provider_games(max_blocks=6, max_players=1, max_acting=1))
def test_spe_with_provider_moves_matches_histories_on_six_blocks(case):
    _check_against_histories(*case)


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(provider_games(max_blocks=8, min_blocks=7))
def test_spe_with_provider_moves_matches_histories_on_eight_blocks(case):
    _check_against_histories(*case, memo=True)


def _check_against_histories(game, moves, memo=False):
    play = ProviderGame(game, moves).solve()
    v, path = history_oracle(game, moves, memo=memo)
    assert np.all(is_close(np.array(list(play.payoffs.values())), v))
    assert _path(play) == path


def test_restructuring_keeps_the_worked_economy_standing():
    game = commissioning_game()
    assert game.solve().fell
    moves = ProviderMoves(restructure={"acute_trust": (1.0, 0.5)})
    play = ProviderGame(game, moves).solve()
    assert not play.fell and play.restructured == ("acute_trust",)
    assert play.payoffs["acute_trust"] > -120  # better than failing
    d = play.to_dict()
    assert d["restructured"] == ["acute_trust"]


def test_bad_provider_moves_are_named():
    game = commissioning_game()
    with pytest.raises(UnknownItemError, match="nobody"):
        ProviderGame(game, ProviderMoves(funding={"nobody": 1.0}))
    with pytest.raises(InvalidGameError, match="does not run"):
        ProviderGame(game, ProviderMoves(close={"acute_trust": ["community_nursing"]}))
    clash = JengaGame(game.tower, ["acute_trust"], must_move=False)
    with pytest.raises(InvalidGameError, match="both a commissioner"):
        ProviderGame(clash, ProviderMoves(funding={"acute_trust": 1.0}))
    with pytest.raises(InvalidGameError, match="passing"):
        ProviderGame(JengaGame(game.tower, 1), ProviderMoves())
    with pytest.raises(InvalidGameError, match="overhead"):
        ProviderGame(game, ProviderMoves(restructure={"acute_trust": (1.0, 1e6)}))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(provider_games(max_blocks=5))
def test_one_batched_cascade_equals_each_configurations_own_tower(case):
    """The shifted balances of the batched cascade are the replaced towers' own cascades."""
    game, moves = case
    pg = ProviderGame(game, moves)
    pg._config(0, 0)
    u = len(pg.universe)
    masks = np.zeros(1 << u, dtype=np.uint64)
    for k in range(1 << u):
        for i, b in enumerate(pg.universe):
            if k >> i & 1:
                masks[k] |= np.uint64(1 << b)
    for (R, A), (standing, ends) in pg._configs.items():
        ch = {}
        for a, p in enumerate(pg.providers):
            c = {}
            if R >> a & 1:
                c["overhead"] = game.tower.providers[p].overhead - pg.restructure[p][1]
            if A >> a & 1:
                c["reserves"] = game.tower.providers[p].reserves + pg.funding[p]
            if c:
                ch[p] = c
        own = BitTower.from_tower(game.tower.replace(providers=ch) if ch else game.tower)
        st2, fallen, collapsed = own.cascade_masks(masks)
        assert np.array_equal(standing, st2)
        assert np.array_equal(ends, fallen if game.fall_criterion == "fallen" else collapsed)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(games(max_blocks=6), st.data())
def test_balance_shift_is_the_tower_with_reserves_raised(game, data):
    """``cascade_masks(balance_shift=...)`` row by row equals the tower with R_j + shift_ij."""
    tower = game.tower
    n, pids = len(tower), list(tower.providers)
    masks = np.array(
        data.draw(st.lists(st.integers(0, (1 << n) - 1), min_size=1, max_size=8)), dtype=np.uint64
    )
    shift = np.array(
        [[data.draw(st.sampled_from([0.0, 0.5, 1.0, 3.0, 20.0])) for _ in pids] for _ in masks]
    ).reshape(len(masks), len(pids))
    bits = BitTower.from_tower(tower)
    zero = bits.cascade_masks(masks, balance_shift=np.zeros_like(shift))
    plain = bits.cascade_masks(masks)
    assert all(np.array_equal(a, b) for a, b in zip(zero, plain, strict=True))
    got = bits.cascade_masks(masks, balance_shift=shift)
    for i, m in enumerate(masks.tolist()):
        ch = {
            p: {"reserves": tower.providers[p].reserves + shift[i, j]} for j, p in enumerate(pids)
        }
        raised = tower.replace(providers=ch) if ch else tower
        out = raised.cascade([tower.ids[b] for b in range(n) if m >> b & 1])  # the engine
        standing = sum(1 << tower.index[s] for s in out.standing)
        assert int(got[0][i]) == standing
        assert bool(got[1][i]) == out.fallen and bool(got[2][i]) == out.collapsed


def test_the_state_limit_is_named():
    moves = ProviderMoves(restructure={"acute_trust": (1.0, 0.5)}, funding={"acute_trust": 0.5})
    with pytest.raises(TooLargeError, match="max_states=100"):
        ProviderGame(commissioning_game(), moves).solve(max_states=100)
