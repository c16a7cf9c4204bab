"""Backward induction over removal sets: subgame-perfect equilibrium and cooperative optimum.

States
------
A state is ``(S, j, c)``: the bit mask ``S`` of removed blocks (bit ``i`` is
``tower.ids[i]``), the turn position ``j ∈ {0..T-1}`` and, when passing is
allowed, the number ``c ∈ {0..T-1}`` of passes in a row (``c = 0`` under
``must_move``). The tower left is the cascade of ``S`` (DESIGN §1), so the
continuation game depends on the state only, and there are at most
``2^n · T · T`` states instead of ``n!`` histories.

Algorithm (Zermelo's backward induction [Zermelo1913]_, Kuhn's theorem
[Kuhn1953]_; Algorithm 5.1 of [Shoham2009]_ run on the state graph)
---------------------------------------------------------------------------
1. *Forward enumeration by layers* ``k = |S|``: the children of layer ``k``
   are ``S ∪ {b}`` for every standing block ``b`` some player may remove;
   their stability is computed once, for the whole layer at a time
   (:meth:`BitTower.cascade_masks`); removal sets after which the tower has
   fallen end the game and are not expanded (a fallen set's supersets are
   never reached).
2. *Backward induction* from the last layer to the first, vectorised over
   the states of a layer (in chunks). With ``p`` the player at position
   ``j``, the value vector of action ``a`` is

   .. math::

      Q(S, j, c; b) = g_{p b} e_p + δ V(S ∪ \\{b\\}, j+1, 0)
      \\quad\\text{or, if the tower falls,}\\quad g_{p b} e_p − C_p e_p − K,

      Q(S, j, c; \\text{pass}) = δ V(S, j+1, c+1)\\ (c + 1 < T), \\qquad 0\\ (c + 1 = T),

   and the mover picks ``argmax_a Q_p`` (equilibrium) or ``argmax_a Σ_q Q_q``
   (cooperative). Under ``must_move`` a player without a move is skipped:
   ``V(S, j) = δ V(S, j+1)``, and ``V = 0`` when nobody can move.

Tie-breaking (deterministic)
----------------------------
Actions are ordered: blocks in tower order, then pass. The maximisers are the
actions whose objective is within ``TOL`` of the best (``tolerance.geq``).

* ``"first"`` — the first maximiser; ``"last"`` — the last;
* ``"benevolent"`` — among maximisers, those best for the other players'
  total (within ``TOL``), then the first; ``"malevolent"`` — worst for them.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from ..._results import Provenance
from ...errors import InvalidGameError, TooLargeError
from ...tolerance import geq
from ._bitmask import MAX_BITS, bit
from ._fast import fall_rounds, fast_kind, solve_fast
from ._lazy import Thunk
from ._payoff import add_move_payoff, turn_weight
from ._policy import PASS, TERMINAL, Policy
from ._results import JengaPlay, Move
from ._welfare import (
    block_contributions,
    check_welfare,
    discounted_loss,
    losses_by_provider,
    mask_values,
    play_welfare,
)

__all__ = ["TIE_BREAKS", "solve_cooperative", "solve_spe"]

logger = logging.getLogger(__name__)

TIE_BREAKS = ("first", "last", "benevolent", "malevolent")
_CHUNK = 1 << 15


def _check(game, tie_break: str, max_states: int) -> None:
    if tie_break not in TIE_BREAKS:
        raise InvalidGameError(f"tie_break must be one of {TIE_BREAKS}, got {tie_break!r}")
    if isinstance(max_states, bool) or not isinstance(max_states, int) or max_states < 1:
        raise InvalidGameError(f"max_states must be a positive whole number, got {max_states!r}")
    if game.n_blocks > MAX_BITS:
        raise TooLargeError(
            f"the tower has {game.n_blocks} blocks; the exact solver handles at most {MAX_BITS} "
            "(removal sets are 64-bit masks, and far fewer in practice). Use game.myopic() for the "
            "myopic play or game.sample(n_games, seed=...) for Monte Carlo plays"
        )


#: Payoff entries (removal sets × turn positions × players) allowed per unit of ``max_states``:
#: the tables of ``max_states`` removal sets of a two-player game, so ``max_states`` keeps its
#: meaning there, and a game with more players or turn positions may visit proportionally fewer.
PAYOFFS_PER_STATE = 4


def state_cap(game, max_states: int) -> int:
    """Removal sets the solver may visit: ``min(max_states, 4·max_states // (T·m))``.

    The payoff table holds ``T·m`` floats per removal set (``T`` turn
    positions, ``m`` players), so ``max_states`` budgets ``4·max_states``
    payoffs (a two-player game: ``max_states`` sets, about 50 bytes each).
    """
    per_set = game.n_turns * game.n_players
    return max(1, min(max_states, PAYOFFS_PER_STATE * max_states // per_set))


def _tables_too_large(game, cap: int, max_states: int) -> TooLargeError:
    """The refusal when the payoff tables, not the removal sets, exceed the budget."""
    T, m = game.n_turns, game.n_players
    e = int(game.eligible_matrix.any(axis=0).sum())
    most = 1 << e  # every subset of the eligible blocks
    per_set = T * m * 8
    need = -(-most * T * m // PAYOFFS_PER_STATE)  # max_states that fits every subset
    return TooLargeError(
        f"the exact solver's payoff tables would not fit: more than {cap:,} removal sets "
        f"(at most 2^{e} = {most:,}) × {T} turn positions × {m} players, 8 bytes each: "
        f"over {(cap + 1) * per_set / 1e9:.2g} GB and up to {most * per_set / 1e9:.3g} GB, beyond "
        f"the {PAYOFFS_PER_STATE * max_states * 8 / 1e9:.2g} GB that max_states={max_states:,} "
        f"allows ({PAYOFFS_PER_STATE}·max_states payoffs). Use fewer players (or a shorter turn "
        f"order) or fewer eligible blocks, or raise max_states (to {need:,} covers every subset) "
        "if memory allows; game.myopic() and game.sample(n_games, seed=...) need no tables"
    )


def enumerate_layers(game, max_states: int):
    """Standing removal sets reachable by legal moves, by number removed.

    Returns a list of ``(masks, standing)`` (sorted ``uint64`` arrays).
    """
    bt = game.bits
    n = game.n_blocks
    any_eligible = game.eligible_matrix.any(axis=0)
    eligible_bits = np.uint64(sum(1 << i for i in range(n) if any_eligible[i]))
    first_round = game.fall_criterion == "fallen"
    masks = np.zeros(1, dtype=np.uint64)
    standing, _, _ = bt.cascade_masks(masks)
    layers = [(masks, standing)]
    total = 1
    scratch: dict = {}
    while True:
        masks, standing = layers[-1]
        movable = standing & eligible_bits
        layer_no = len(layers)

        def too_large(count, layer_no=layer_no):
            return TooLargeError(
                f"the exact solver would visit more than max_states={max_states:,} removal sets "
                f"(layer {layer_no} alone has {count:,}+ candidates; {n} blocks, "
                f"{game.n_turns} turn positions). Raise max_states if memory allows "
                "(about 100 bytes a state), or use game.myopic() for the myopic play or "
                "game.sample(n_games, seed=...) for Monte Carlo plays"
            )

        coll = _Collector(n, max_states - total, scratch, too_large)
        found = False
        for b in range(n):
            if not any_eligible[b]:
                continue
            bb = bit(b)
            sel = (movable & bb) != 0
            if sel.any():
                coll.add(masks[sel] | bb)
                found = True
        if not found:
            break
        cand = coll.result()
        st, fallen, collapsed = bt.cascade_masks(cand, first_round_only=first_round)
        ended = fallen if first_round else collapsed
        keep = ~ended
        cand = cand[keep]
        st = ((~cand) & bt.full) if first_round else st[keep]
        if cand.size == 0:
            break
        layers.append((cand, st))
        total += cand.size
    return layers


class _Collector:
    """Distinct candidate masks of one layer, gathered block by block with bounded memory.

    For up to 26 blocks a bitmap over all ``2^n`` sets (64 MB at most) marks
    the candidates (several times faster than sorting them); otherwise each
    block's candidates are merged into a sorted distinct array whenever the
    pending ones exceed twice the room. Either way :class:`TooLargeError` is
    raised as soon as the distinct candidates exceed ``room``, before anything
    much larger is built.
    """

    def __init__(self, n: int, room: int, scratch: dict, error) -> None:
        self.n, self.room, self.error = n, room, error
        self.bitmap = n <= 26
        if self.bitmap:
            if "mark" not in scratch:
                scratch["mark"] = np.zeros(1 << n, dtype=bool)
            self.mark = scratch["mark"]
            self.raw = 0
        else:
            self.acc = np.zeros(0, dtype=np.uint64)
            self.pending: list = []
            self.raw = 0

    def add(self, part: np.ndarray) -> None:
        if self.bitmap:
            self.mark[part] = True
            self.raw += part.size
            if self.raw > self.room:  # duplicates possible: count the distinct ones
                count = int(np.count_nonzero(self.mark))
                if count > self.room:
                    self.mark[:] = False
                    raise self.error(count)
            return
        self.pending.append(part)
        self.raw += part.size
        if self.raw > 2 * self.room:
            self._compact()

    def _compact(self) -> None:
        self.acc = np.unique(np.concatenate([self.acc, *self.pending]))
        self.pending, self.raw = [], self.acc.size
        if self.acc.size > self.room:
            raise self.error(self.acc.size)

    def result(self) -> np.ndarray:
        if self.bitmap:
            out = np.flatnonzero(self.mark).astype(np.uint64)
            self.mark[out] = False
            if out.size > self.room:
                raise self.error(out.size)
            return out
        self._compact()
        return self.acc


def _children(masks, standing, next_masks, eligible_any, n):
    """Child index per (block, state): ``>= 0`` a state of the next layer, -1 the tower falls, -2 illegal."""
    out = np.full((n, masks.size), -2, dtype=np.int64)
    for b in range(n):
        if not eligible_any[b]:
            continue
        bb = bit(b)
        sel = np.flatnonzero((standing & bb) != 0)
        if sel.size == 0:
            continue
        child = masks[sel] | bb
        if next_masks is None or next_masks.size == 0:
            out[b, sel] = -1
            continue
        pos = np.searchsorted(next_masks, child)
        pos_c = np.minimum(pos, next_masks.size - 1)
        found = next_masks[pos_c] == child
        out[b, sel] = np.where(found, pos_c, -1)
    return out


def _choose(avail, obj, others, tie_break):
    """Index of the chosen action (axis 0) per state (states with no available action: 0)."""
    o = np.where(avail, obj, -np.inf)
    best = o.max(axis=0)
    ties = avail & geq(o, best[None, :])
    if tie_break == "last":
        return ties.shape[0] - 1 - np.argmax(ties[::-1], axis=0)
    if tie_break in ("benevolent", "malevolent"):
        sec = others() if tie_break == "benevolent" else -others()
        s = np.where(ties, sec, -np.inf)
        best2 = s.max(axis=0)
        ties = ties & geq(s, best2[None, :])
    return np.argmax(ties, axis=0)


def backward(game, objective: str, tie_break: str, max_states: int, engine: str | None = None):
    """Run the backward induction; returns a :class:`Policy`.

    ``engine`` (tests and benchmarks): ``"layers"`` forces the layered solver
    below, ``"interpreted"`` or ``"compiled"`` the one-pass solver of
    :mod:`._fast` (where it applies); ``None`` chooses (:func:`._fast.fast_kind`).
    """
    _check(game, tie_break, max_states)
    cap = state_cap(game, max_states)  # refuses tables too large for memory while enumerating
    kind = fast_kind(game, objective) if engine is None else engine
    try:
        if kind in ("interpreted", "compiled"):
            return solve_fast(game, objective, tie_break, cap, kind)
        t0 = time.perf_counter()
        layers = enumerate_layers(game, cap)
    except TooLargeError:
        if cap < max_states:
            raise _tables_too_large(game, cap, max_states) from None
        raise
    t1 = time.perf_counter()
    n, m, T = game.n_blocks, game.n_players, game.n_turns
    C = 1 if game.must_move else T
    # objective "system": one more row, the providers' (discounted) contribution lost
    mm = m + (objective == "system")
    contrib = block_contributions(game.tower) if objective == "system" else None
    eligible_any = game.eligible_matrix.any(axis=0)
    blocks_of = [np.flatnonzero(game.eligible_matrix[p]) for p in range(m)]
    values: list = [None] * len(layers)
    actions: list = [None] * len(layers)
    for k in range(len(layers) - 1, -1, -1):
        masks, standing = layers[k]
        next_masks = layers[k + 1][0] if k + 1 < len(layers) else None
        next_standing = layers[k + 1][1] if k + 1 < len(layers) else None
        Vnext = values[k + 1] if k + 1 < len(layers) else None
        N = masks.size
        V0 = np.zeros((T, mm, N + 1))  # last column: 0, the value of "no state"
        A = np.empty((T, C, N), dtype=np.int16)
        for lo in range(0, N, _CHUNK):
            hi = min(N, lo + _CHUNK)
            ch = _children(masks[lo:hi], standing[lo:hi], next_masks, eligible_any, n)
            lost = None
            if contrib is not None:
                lost = _move_losses(game, masks[lo:hi], standing[lo:hi], ch, next_standing, contrib)
            v, a = _solve_chunk(game, ch, Vnext, blocks_of, C, objective, tie_break, lost)
            V0[:, :, lo:hi] = v
            A[:, :, lo:hi] = a
        values[k] = V0
        actions[k] = A
    t2 = time.perf_counter()
    logger.debug(
        "jenga %s: %d states, enumeration %.3fs, induction %.3fs",
        objective,
        sum(lay[0].size for lay in layers),
        t1 - t0,
        t2 - t1,
    )
    return Policy(
        game=game,
        masks=tuple(lay[0] for lay in layers),
        standing=tuple(lay[1] for lay in layers),
        actions=tuple(actions),
        values=tuple(values),
        objective=objective,
        tie_break=tie_break,
    )


def _move_losses(game, masks, standing, ch, next_standing, contrib):
    """Contribution ``(n, B)`` that falls unplanned when each block is removed at each state."""
    n = game.n_blocks
    full = game.bits.full
    out = np.zeros(ch.shape)
    for b in range(n):
        idx = ch[b]
        ok = idx != -2
        if not ok.any():
            continue
        bb = bit(b)
        after = np.zeros(idx.shape, dtype=np.uint64)
        inside = idx >= 0
        if inside.any():
            after[inside] = next_standing[idx[inside]]
        fall = idx == -1
        if fall.any():  # the game ends here: the full cascade decides what is lost
            after[fall], _, _ = game.bits.cascade_masks(masks[fall] | bb)
        gone = standing & ~after & ~bb & full
        out[b] = np.where(ok, mask_values(gone, contrib), 0.0)
    return out


def _solve_chunk(game, ch, Vnext, blocks_of, C, objective, tie_break, lost=None):
    """Values ``(T, m, B)`` at ``c = 0`` and actions ``(T, C, B)`` of a chunk of states.

    For ``objective="system"`` a row ``m`` carries the providers' loss ``−L`` (``lost``).
    """
    m, T = game.n_players, game.n_turns
    mm = m + (lost is not None)
    delta = game.discount
    must_move = game.must_move
    B = ch.shape[1]
    cols = np.arange(B)
    per_pos = []
    for j in range(T):
        p = int(game.turn_players[j])
        blocks = blocks_of[p]
        jn = (j + 1) % T
        Q = np.zeros((mm, blocks.size + 1, B))
        avail = np.zeros((blocks.size + 1, B), dtype=bool)
        for col, b in enumerate(blocks.tolist()):
            idx = ch[b]
            avail[col] = idx != -2
            if Vnext is not None:
                safe = np.where(idx >= 0, idx, Vnext.shape[2] - 1)
                Q[:, col, :] = delta * Vnext[jn][:, safe]
            add_move_payoff(Q[:m, col, :], game, p, b, idx == -1)
            if lost is not None:
                Q[m, col, :] -= lost[b]
        per_pos.append((p, Q, avail, np.append(blocks, PASS).astype(np.int16)))
    V = np.zeros((T, C, mm, B))
    A = np.full((T, C, B), TERMINAL, dtype=np.int16)
    has = np.zeros((T, B), dtype=bool)
    for c in range(C - 1, -1, -1):
        for j in range(T):
            p, Q, avail, codes = per_pos[j]
            last = Q.shape[1] - 1
            if not must_move:
                avail[last] = True
                Q[:, last, :] = delta * V[(j + 1) % T, c + 1] if c + 1 < T else 0.0
            obj = Q[p] if objective == "spe" else Q.sum(axis=0)
            choice = _choose(avail, obj, lambda Q=Q, p=p: Q.sum(axis=0) - Q[p], tie_break)
            h = avail.any(axis=0)
            V[j, c] = Q[:, choice, cols]
            A[j, c] = np.where(h, codes[choice], TERMINAL)
            if c == 0:
                has[j] = h
    if not must_move:
        return V[:, 0], A
    # forced passes: a player without a move is skipped, V(S, j) = δ V(S, j+1); 0 if nobody can move
    base = V[:, 0]
    out = np.zeros((T, mm, B))
    for j in range(T):
        done = has[j].copy()
        res = np.where(done[None, :], base[j], 0.0)
        for step in range(1, T):
            jj = (j + step) % T
            take = ~done & has[jj]
            res = np.where(take[None, :], (delta**step) * base[jj], res)
            done |= take
        out[j] = res
        A[j, 0] = np.where(has[j], A[j, 0], np.where(done, PASS, TERMINAL))
    return out, A


def _replay(game, policy: Policy, method: str, params: dict) -> JengaPlay:
    """Follow the policy from the intact tower."""
    path, removed = [], []
    S, j, c, t = 0, 0, 0, 0
    T = game.n_turns
    fell, toppler = False, None
    pay = np.zeros(game.n_players)
    ids = game.tower.ids
    while True:
        a = policy._action_code(S, j, c)
        p = int(game.turn_players[j])
        if a == TERMINAL:
            break
        if a == PASS:
            path.append(Move(t, game.players[p], None))
            if not game.must_move:
                c += 1
                if c == T:
                    break
            j, t = (j + 1) % T, t + 1
            continue
        S2 = S | (1 << a)
        removed.append(ids[a])
        falls = not policy._has_state(S2)
        add_move_payoff(pay, game, p, a, falls, turn_weight(game, t))
        if falls:
            if policy.flat:  # nothing fell before: the rounds of this one cascade, from the masks
                lost = tuple(ids[i] for r in fall_rounds(game, S2) for i in r)
            else:
                lost = game.tower.cascade([ids[i] for i in range(len(ids)) if S2 >> i & 1]).fell
            path.append(Move(t, game.players[p], ids[a], True, lost))
            fell, toppler = True, game.players[p]
            break
        if policy.flat:  # its states are sets after which nothing fell
            lost = ()
        else:
            before = set(policy._standing_ids(S))
            after = set(policy._standing_ids(S2))
            lost = tuple(b for b in ids if b in before and b not in after and b != ids[a])
        path.append(Move(t, game.players[p], ids[a], False, lost))
        S, j, c, t = S2, (j + 1) % T, 0, t + 1
    payoffs = {game.players[i]: float(pay[i]) for i in range(game.n_players)}
    if policy.flat:
        # the outcome when first asked for; the welfare fields from the moves (what fell, in order)
        outcome = Thunk(game.tower.play, list(removed))
        fell_blocks = [b for mv in path for b in mv.fell]
        welfare = {
            "provider_loss": losses_by_provider(game.tower, fell_blocks),
            "contribution_lost": discounted_loss(game, path),
        }
    else:
        outcome = game.tower.play(removed)
        welfare = play_welfare(game, path, outcome)
    return JengaPlay(
        method=method,
        path=tuple(path),
        payoffs=payoffs,
        total=float(pay.sum()),
        fell=fell,
        toppled_by=toppler,
        removed=tuple(removed),
        outcome=outcome,
        policy=policy,
        n_states=policy.n_states,
        provenance=Provenance(method, params),
        **welfare,
    )


def _params(game, tie_break: str) -> dict:
    return {
        "tie_break": tie_break,
        "must_move": game.must_move,
        "discount": game.discount,
        "fall_criterion": game.fall_criterion,
        "turn_order": list(game.turn_order),
        "blocks": game.n_blocks,
        "players": list(game.players),
    }


def solve_spe(game, tie_break: str = "first", max_states: int = 20_000_000) -> JengaPlay:
    """Subgame-perfect equilibrium by backward induction over removal sets.

    Parameters
    ----------
    game : JengaGame
    tie_break : {"first", "last", "benevolent", "malevolent"}
        How a player chooses among equally good moves (module docstring).
    max_states : int
        Budget of removal sets; beyond it :class:`TooLargeError` (never a MemoryError).
        The payoff table holds ``T·m`` payoffs per set (turn positions × players), so at
        most ``4·max_states // (T·m)`` sets (:func:`state_cap`): ``max_states`` sets for two
        players, fewer for more; refused while enumerating, before the table is built.

    Returns
    -------
    JengaPlay
        ``method="spe"``: the equilibrium path, payoffs, who topples the
        tower, and the ``policy`` (queryable at any reachable state).

    Raises
    ------
    TooLargeError
        More than 63 blocks or more than ``max_states`` reachable removal sets.
    """
    policy = backward(game, "spe", tie_break, max_states)
    return _replay(game, policy, "spe", _params(game, tie_break))


def solve_cooperative(
    game,
    tie_break: str = "first",
    max_states: int = 20_000_000,
    welfare: str = "commissioners",
) -> JengaPlay:
    """The legal play maximising welfare (a single decision maker, same states).

    ``V(S, j, c) = max_a W(S, j, c; a)``: a search over every legal play
    (removal sets and orders, turns and passes as the rules allow).
    ``welfare="commissioners"`` maximises the sum of the players' payoffs
    ``Σ_q Q_q``: when passing is allowed and collapse costs exceed the gains,
    it never topples; ``total`` is the joint value to share (see
    :mod:`jenga_games.games.cooperative`). ``welfare="system"`` maximises
    ``Σ_q Q_q − δ^t L`` with ``L`` the providers' contribution lost
    (:mod:`._welfare`): with passing allowed it topples nothing whose fall
    destroys more than the move gains, whatever ``C`` and ``K``.
    """
    check_welfare(welfare)
    objective = "total" if welfare == "commissioners" else "system"
    policy = backward(game, objective, tie_break, max_states)
    params = _params(game, tie_break)
    if welfare != "commissioners":
        params["welfare"] = welfare
    return _replay(game, policy, "cooperative", params)
