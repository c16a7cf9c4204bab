"""The two-tower transition as a game: services move from the old tower into a new one.

The essays' cooperative path builds a new tower (community services closer
to home, with their own supporters and providers) while the old one shrinks.
:class:`TransitionGame` plays it competitively. The commissioners of a
:class:`~._game.JengaGame` on the **old** tower (passing allowed) take turns
moving services out; the moved services join the **new** tower:

* a service may move only when it can stand in the new tower: its supports
  there (services of the new tower present from the start, or already moved)
  must hold, and nothing in the new tower may fall when it joins
  (``new_tower.cascade`` of the services still absent);
* the mover earns the game's gain, e.g. ``(1 − r) a p`` with the re-provision
  ratio ``r``, which may exceed 1 (re-provision dearer than the old service:
  Imison et al. found 6 of 27 out-of-hospital schemes likely to raise total
  cost [Imison2017]_), so that a move can cost its mover money;
* the old provider sheds a moved service's fixed cost ``f`` only ``delay``
  turns after the move (Monitor found well-designed schemes unlikely to break
  even within five years [Monitor2015]_): meanwhile ``f`` still weighs on its
  balance, as extra overhead (its balance is ``f`` lower);
* whoever makes anything fall in the old tower pays ``C``, everyone ``K``
  (:mod:`._payoff`), and the game ends.

The state is the set moved, the moves still within their delay (with the
turns left), the turn and the passes in a row; the subgame-perfect
equilibrium is found by backward induction over the reachable states
(memoised; ties: the first best move in tower order, then pass). With no new
tower and no delay it is ``JengaGame.solve()`` move for move. The
cooperative schedule, an order in which nothing falls in either tower, is
:func:`jenga_games.tower.thresholds.safe_schedule` with ``new_tower=``.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Hashable

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...errors import InvalidGameError, TooLargeError
from ...tolerance import TOL
from ._payoff import move_payoff

__all__ = ["TransitionGame", "TransitionPlay"]


@dataclasses.dataclass(frozen=True)
class TransitionPlay(Result):
    """The subgame-perfect play of a :class:`TransitionGame`.

    Attributes
    ----------
    path : tuple of (turn, player, service or None)
    payoffs : mapping player -> float
        Discounted payoffs (£ m a year).
    fell : bool
        Something fell in the old tower.
    toppled_by : player or None
    moved : tuple
        Services moved into the new tower, in order.
    n_states : int
    seconds : float
    provenance : Provenance
    """

    path: tuple
    payoffs: dict
    fell: bool
    toppled_by: Hashable | None
    moved: tuple
    n_states: int
    seconds: float
    provenance: Provenance

    def to_dict(self) -> dict:
        return {f.name: to_plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


class TransitionGame:
    """The two-tower transition (module docstring).

    Parameters
    ----------
    game : JengaGame
        The commissioners' game on the old tower (``must_move=False``); its gains are
        the moves' values (negative when re-provision costs more than it saves).
    new_tower : Tower, optional
        The tower the moved services join (same ids). Default: no constraint.
    delay : int
        Turns before the old provider sheds a moved service's fixed cost (default 0).

    Examples
    --------
    >>> from jenga_games.commissioning import commissioning_game
    >>> g = commissioning_game()
    >>> TransitionGame(g).solve().payoffs == g.solve().payoffs
    True
    """

    def __init__(self, game, new_tower=None, *, delay: int = 0) -> None:
        if game.must_move:
            raise InvalidGameError("TransitionGame needs passing allowed (must_move=False)")
        if game.fall_criterion != "fallen":
            raise InvalidGameError(
                "TransitionGame ends the game when anything falls in the old tower: use "
                "fall_criterion='fallen'"
            )
        if isinstance(delay, bool) or not isinstance(delay, int | np.integer) or delay < 0:
            raise InvalidGameError(f"delay must be a whole number of turns >= 0, got {delay!r}")
        self.game, self.new_tower, self.delay = game, new_tower, int(delay)
        old = game.tower
        self.movable = [
            b for b in range(game.n_blocks) if game.eligible_matrix[:, b].any()
        ]  # tower order
        if new_tower is not None:
            missing = [old.ids[b] for b in self.movable if old.ids[b] not in new_tower]
            if missing:
                raise InvalidGameError(
                    f"services {missing[:5]!r} may be moved but are not in the new tower: add "
                    "them to new_tower (same ids) or make them ineligible"
                )
            absent = [old.ids[b] for b in self.movable]
            if new_tower.cascade(absent).fallen:
                raise InvalidGameError(
                    "the new tower does not stand before anything moves: its own services must "
                    "stand without the services to be moved"
                )
        if len(self.movable) > 20:
            raise TooLargeError(
                f"{len(self.movable)} services may move; the transition game precomputes every "
                "subset and handles at most 20: make fewer eligible"
            )
        self._pos = {b: i for i, b in enumerate(self.movable)}
        self._old_cache: dict = {}
        self._bits: dict = {}
        self._new_cache: dict = {}

    def _old_ends(self, moved: frozenset, pending: tuple) -> bool:
        """Whether the old tower falls with ``moved`` removed and pending fixed costs still due.

        A fixed cost still due weighs on the provider's balance as extra overhead.
        """
        due_set = frozenset(b for b, _ in pending)
        key = (moved, due_set)
        hit = self._old_cache.get(key)
        if hit is None:
            if due_set not in self._bits:
                # whether anything falls, for every subset of the movable services at once
                u = len(self.movable)
                ks = np.arange(1 << u, dtype=np.uint64)
                masks = np.zeros(1 << u, dtype=np.uint64)
                for i, x in enumerate(self.movable):
                    masks |= ((ks >> np.uint64(i)) & np.uint64(1)) << np.uint64(x)
                shift = self._due_shift(due_set)
                if shift is not None:
                    shift = np.broadcast_to(shift, (masks.size, shift.size))
                self._bits[due_set] = self.game.bits.cascade_masks(
                    masks, first_round_only=True, balance_shift=shift
                )[1].tolist()
            hit = self._bits[due_set][sum(1 << self._pos[b] for b in moved)]
            self._old_cache[key] = hit
        return hit

    def _due_shift(self, due_set: frozenset) -> np.ndarray | None:
        """Balance shift per provider for fixed costs still due (``None`` when none are).

        The compiled tower's per-provider sum ``d_j = Σ f_i`` over the services
        still due, read as extra overhead ``F_j + d_j``: the balance drops by
        ``d_j`` and the viability tolerance ``TOL·max(1, F)`` scales with the
        new overhead, so ``B − d + TOL·(max(1, F + d) − max(1, F))`` is tested
        exactly as the tower with the higher overhead would be.
        """
        ct = self.game.tower.compiled
        still_due = np.zeros(ct.n)
        idx = np.fromiter(due_set, dtype=np.int64, count=len(due_set))
        still_due[idx] = ct.fixed_cost[idx]
        due = ct.per_provider(still_due)  # money a year, per provider
        if not due.any():
            return None
        return -due + TOL * (np.maximum(1.0, ct.overhead + due) - ct.balance_scale)

    def _fits_new(self, moved: frozenset, b: int) -> bool:
        if self.new_tower is None:
            return True
        key = (moved, b)
        hit = self._new_cache.get(key)
        if hit is None:
            ids = self.game.tower.ids
            absent = [ids[x] for x in self.movable if x not in moved and x != b]
            hit = not self.new_tower.cascade(absent).fallen
            self._new_cache[key] = hit
        return hit

    def solve(self) -> TransitionPlay:
        """Subgame-perfect equilibrium by backward induction over (moved, pending, turn, passes)."""
        t0 = time.perf_counter()
        game = self.game
        T, m, delta = game.n_turns, game.n_players, game.discount
        E = game.eligible_matrix
        turn_players = [int(x) for x in game.turn_players]
        memo: dict = {}

        def age(pending: tuple) -> tuple:
            return tuple((b, k - 1) for b, k in pending if k > 1)

        def value(moved: frozenset, pending: tuple, j: int, c: int):
            key = (moved, pending, j, c)
            hit = memo.get(key)
            if hit is not None:
                return hit
            p = turn_players[j]
            jn = (j + 1) % T
            options = []
            for b in self.movable:
                if not E[p, b] or b in moved or not self._fits_new(moved, b):
                    continue
                moved2 = moved | {b}
                due = tuple(sorted((*pending, (b, self.delay)))) if self.delay else pending
                falls = self._old_ends(moved2, due)  # b's fixed cost is still due this turn
                pend2 = age(due)
                r = move_payoff(game, p, b, falls).tolist()
                nxt = None if falls else (moved2, pend2, jn, 0)
                options.append((r, b, nxt))
            options.append(
                ([0.0] * m, None, (moved, age(pending), jn, c + 1) if c + 1 < T else None)
            )
            vecs = []
            for r, _, nxt in options:
                if nxt is None:
                    vecs.append(r)
                else:
                    cont = value(*nxt)[0]
                    vecs.append([x + delta * y for x, y in zip(r, cont, strict=True)])
            best = max(v[p] for v in vecs)
            floor = best - TOL * max(1.0, abs(best))
            i = next(i for i, v in enumerate(vecs) if v[p] >= floor)
            out = (vecs[i], options[i][1], options[i][2])
            memo[key] = out
            return out

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            value(frozenset(), (), 0, 0)
        finally:
            sys.setrecursionlimit(limit)
        ids = game.tower.ids
        state = (frozenset(), (), 0, 0)
        v0 = memo[state][0]
        path, moved, fell, toppler, t = [], [], False, None, 0
        while state is not None:
            _, b, nxt = memo[state]
            player = game.players[turn_players[state[2]]]
            path.append((t, player, None if b is None else ids[b]))
            if b is not None:
                moved.append(ids[b])
                if nxt is None:
                    fell, toppler = True, player
            state, t = nxt, t + 1
        return TransitionPlay(
            path=tuple(path),
            payoffs={p: float(v0[i]) for i, p in enumerate(game.players)},
            fell=fell,
            toppled_by=toppler,
            moved=tuple(moved),
            n_states=len(memo),
            seconds=time.perf_counter() - t0,
            provenance=Provenance(
                "transition_game",
                {"delay": self.delay, "new_tower": None if self.new_tower is None else True},
            ),
        )
