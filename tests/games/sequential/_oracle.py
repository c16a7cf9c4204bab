"""Independent oracles for the Jenga game (tests only).

* :func:`minimax` — a plain recursion over *histories* (no state merging),
  asking ``tower.cascade`` whether each history's removal set stands;
  the same rules and tie-breaking as the solver, written from the rules.
* :func:`cooperative_brute_force` — for ``discount = 1`` and passing allowed:
  the best total over every removal set reachable by a safe order, plus an
  optional final toppling move.
* :func:`grundy_row` — Sprague–Grundy value of one row of classic Jenga whose
  top row may not be taken (normal play: the player who cannot move safely loses).
"""

from __future__ import annotations

import itertools

import numpy as np

from jenga_games.tolerance import geq
from jenga_games.tower.library import classic_jenga


def _pick(options, p, tie_break, objective):
    vecs = np.array([o[0] for o in options])
    obj = vecs[:, p] if objective == "spe" else vecs.sum(axis=1)
    best = obj.max()
    ties = geq(obj, best)
    if tie_break in ("benevolent", "malevolent"):
        others = vecs.sum(axis=1) - vecs[:, p]
        sec = others if tie_break == "benevolent" else -others
        s = np.where(ties, sec, -np.inf)
        ties = ties & geq(s, s.max())
    idx = np.flatnonzero(ties)
    return options[int(idx[-1] if tie_break == "last" else idx[0])]


def minimax(game, tie_break="first", objective="spe"):
    """Root value vector and the play, by recursion over histories."""
    tower, T, m = game.tower, game.n_turns, game.n_players
    G, E, C, K, d = (
        game.gain_matrix,
        game.eligible_matrix,
        game.collapse_costs,
        game.shared_costs,
        game.discount,
    )
    cache: dict = {}

    def look(removed):
        if removed not in cache:
            out = tower.cascade(removed)
            ended = out.fallen if game.fall_criterion == "fallen" else out.collapsed
            cache[removed] = (ended, frozenset(out.standing))
        return cache[removed]

    def legal(p, standing):
        return [b for b in tower.ids if b in standing and E[p, tower.index[b]]]

    def rec(removed, j, c):
        standing = look(removed)[1]
        p = int(game.turn_players[j])
        moves = legal(p, standing)
        if game.must_move and not moves:
            if not any(legal(q, standing) for q in range(m)):
                return np.zeros(m), []
            v, path = rec(removed, (j + 1) % T, 0)
            return d * v, [(game.players[p], None), *path]
        options = []
        for b in moves:
            r = np.zeros(m)
            r[p] += G[p, tower.index[b]]
            new = removed | {b}
            if look(new)[0]:
                r[p] -= C[p]
                r = r - K
                options.append((r, [(game.players[p], b)]))
            else:
                v, path = rec(new, (j + 1) % T, 0)
                options.append((r + d * v, [(game.players[p], b), *path]))
        if not game.must_move:
            if c + 1 == T:
                options.append((np.zeros(m), [(game.players[p], None)]))
            else:
                v, path = rec(removed, (j + 1) % T, c + 1)
                options.append((d * v, [(game.players[p], None), *path]))
        return _pick(options, p, tie_break, objective)

    return rec(frozenset(), 0, 0)


def cooperative_brute_force(game):
    """Best total (discount 1, passing allowed) over safely reachable removal sets."""
    assert not game.must_move and game.discount == 1.0
    tower = game.tower
    n = len(tower)
    G, E, C, K = game.gain_matrix, game.eligible_matrix, game.collapse_costs, game.shared_costs
    best_gain = np.where(E, G, -np.inf).max(axis=0)  # per block: the best eligible player's gain

    def ended(S):
        out = tower.cascade(S)
        return out.fallen if game.fall_criterion == "fallen" else out.collapsed

    reachable = {frozenset()}
    frontier = [frozenset()]
    while frontier:
        nxt = []
        for S in frontier:
            standing = tower.cascade(S).standing
            for b in standing:
                if np.isfinite(best_gain[tower.index[b]]):
                    S2 = S | {b}
                    if S2 not in reachable and not ended(S2):
                        reachable.add(S2)
                        nxt.append(S2)
        frontier = nxt
    best = -np.inf
    for S in reachable:
        w = sum(best_gain[tower.index[b]] for b in S)
        topple = 0.0
        for b in tower.cascade(S).standing:
            i = tower.index[b]
            if ended(S | {b}):
                for p in range(game.n_players):
                    if E[p, i]:
                        topple = max(topple, G[p, i] - C[p] - K.sum())
        best = max(best, w + topple)
    assert n >= 1
    return best


def grundy_row(width: int) -> int:
    """Grundy value of one non-top row of ``classic_jenga`` (a 2-level tower, top row protected)."""
    tower = classic_jenga(levels=2, width=width)
    row = [b for b in tower.ids if b.startswith("L0.")]
    memo: dict = {}

    def g(removed: frozenset) -> int:
        if removed not in memo:
            opts = set()
            for b in row:
                if b not in removed and not tower.cascade(removed | {b}).fallen:
                    opts.add(g(removed | {b}))
            memo[removed] = next(x for x in itertools.count() if x not in opts)
        return memo[removed]

    return g(frozenset())
