"""A strategy profile of the Jenga game stored per state, queryable anywhere.

A state is ``(removed, turn, passes)``: the blocks removed so far, the turn
position ``0..T-1`` in the game's ``turn_order`` and the passes in a row
(always 0 under ``must_move``). States are stored by layer (number removed)
as sorted bit masks, or (``flat``, from the one-pass solver of :mod:`._fast`)
as one sorted array of masks with ``actions[0]`` of shape ``(N, T)`` and
``values[0]`` of shape ``(N, T, m)``; a query is a binary search.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ...errors import InvalidGameError, UnknownItemError
from ._payoff import move_payoff

__all__ = ["PASS", "TERMINAL", "Policy"]

PASS = -1  # pass (voluntary, or forced under must_move)
TERMINAL = -2  # the game is over: nobody can move
#: Flat policies up to this many states answer queries from a dict.
_SMALL = 4096


@dataclass(frozen=True, eq=False)
class Policy:
    """What each player does, and what everyone gets, from every reachable state.

    Attributes
    ----------
    objective : {"spe", "total", "system"}
        Each mover maximises its own payoff (subgame-perfect equilibrium), the
        players' total, or the total less the providers' contribution lost
        (cooperative plans; see :mod:`._welfare`).
    tie_break : str
    n_states : int
        Number of reachable standing removal sets.
    """

    game: object = field(repr=False)
    masks: tuple = field(repr=False)
    standing: tuple = field(repr=False)
    actions: tuple = field(repr=False)
    values: tuple = field(repr=False)
    objective: str = "spe"
    tie_break: str = "first"
    flat: bool = False

    @property
    def n_states(self) -> int:
        return int(sum(m.size for m in self.masks))

    def __repr__(self) -> str:
        if self.flat:
            layers = np.unique(np.bitwise_count(self.masks[0])).size
        else:
            layers = len(self.masks)
        return (
            f"Policy({self.objective}, tie_break={self.tie_break!r}, {self.n_states:,} removal "
            f"sets, {layers} layers)"
        )

    # -- internals (bit masks) ----------------------------------------------------------
    @cached_property
    def _flat_index(self) -> dict | None:
        """A small flat policy's ``mask -> position`` (a dict beats a binary search there)."""
        if not self.flat or self.masks[0].size > _SMALL:
            return None
        return {s: i for i, s in enumerate(self.masks[0].tolist())}

    def _locate(self, S: int) -> tuple[int, int] | None:
        index = self._flat_index
        if index is not None:
            i = index.get(S)
            return None if i is None else (0, i)
        k = 0 if self.flat else int(S).bit_count()
        if k >= len(self.masks):
            return None
        arr = self.masks[k]
        i = int(np.searchsorted(arr, np.uint64(S)))
        if i < arr.size and int(arr[i]) == S:
            return k, i
        return None

    def _has_state(self, S: int) -> bool:
        return self._locate(S) is not None

    def _action_code(self, S: int, j: int, c: int) -> int:
        k, i = self._locate(S)
        if self.flat:
            return int(self.actions[0][i, j])
        return int(self.actions[k][j, c, i])

    def _standing_ids(self, S: int) -> tuple:
        k, i = self._locate(S)
        # flat policies hold only sets after which nothing fell: the rest stands
        st = ~S & ((1 << len(self.game.tower.ids)) - 1) if self.flat else int(self.standing[k][i])
        ids = self.game.tower.ids
        return tuple(ids[b] for b in range(len(ids)) if st >> b & 1)

    def _value_vec(self, S: int, j: int, c: int) -> np.ndarray:
        game = self.game
        T = game.n_turns
        k, i = self._locate(S)
        if self.flat:
            return self.values[0][i, j].copy()
        if c == 0:
            return self.values[k][j, : game.n_players, i].copy()
        a = int(self.actions[k][j, c, i])
        if a == PASS:
            if c + 1 == T:
                return np.zeros(game.n_players)
            return game.discount * self._value_vec(S, (j + 1) % T, c + 1)
        p = int(game.turn_players[j])
        S2 = S | (1 << a)
        falls = not self._has_state(S2)
        r = move_payoff(game, p, a, falls)
        if falls:
            return r
        return r + game.discount * self._value_vec(S2, (j + 1) % T, 0)

    def _state(self, removed: Iterable[Hashable], turn: int, passes: int) -> tuple[int, int, int]:
        game = self.game
        if isinstance(removed, str | bytes):
            raise InvalidGameError(
                f"removed must be a collection of blocks, got the string {removed!r}"
            )
        S = 0
        for b in removed:
            S |= 1 << game._block_index(b, "removed")
        T = game.n_turns
        if isinstance(turn, bool) or not isinstance(turn, int | np.integer) or not 0 <= turn < T:
            raise InvalidGameError(f"turn must be a turn position in 0..{T - 1}, got {turn!r}")
        cmax = 0 if game.must_move else T - 1
        if (
            isinstance(passes, bool)
            or not isinstance(passes, int | np.integer)
            or not 0 <= passes <= cmax
        ):
            raise InvalidGameError(f"passes must lie in 0..{cmax} for this game, got {passes!r}")
        if not self._has_state(S):
            raise UnknownItemError(
                f"the removal set {sorted(map(repr, removed))} is not a state of this game: the "
                "tower has fallen after it, or it cannot be reached by legal moves"
            )
        return S, int(turn), int(passes)

    # -- public ---------------------------------------------------------------------------
    def action(self, removed: Iterable[Hashable] = (), turn: int = 0, passes: int = 0):
        """The move at a state: a block id, ``None`` for a pass.

        Raises :class:`UnknownItemError` for a state that cannot occur (the
        tower fell, or illegal moves), and :class:`InvalidGameError` when the
        game is over at the state (nobody can move).
        """
        S, j, c = self._state(removed, turn, passes)
        a = self._action_code(S, j, c)
        if a == TERMINAL:
            raise InvalidGameError("the game is over at this state: nobody can remove a block")
        return None if a == PASS else self.game.tower.ids[a]

    def value(self, removed: Iterable[Hashable] = (), turn: int = 0, passes: int = 0) -> dict:
        """Each player's (discounted, from this turn on) payoff when play follows the policy."""
        S, j, c = self._state(removed, turn, passes)
        v = self._value_vec(S, j, c)
        return {p: float(v[i]) for i, p in enumerate(self.game.players)}

    def is_over(self, removed: Iterable[Hashable] = (), turn: int = 0, passes: int = 0) -> bool:
        """Nobody can move at this state."""
        S, j, c = self._state(removed, turn, passes)
        return self._action_code(S, j, c) == TERMINAL

    def states(self):
        """Iterate over the reachable removal sets (as frozensets of block ids), layer by layer."""
        ids = self.game.tower.ids
        arrays = self.masks
        if self.flat:  # one array sorted by mask: put it in layer order
            arr = self.masks[0]
            arrays = (arr[np.argsort(np.bitwise_count(arr), kind="stable")],)
        for arr in arrays:
            for s in arr.tolist():
                yield frozenset(ids[b] for b in range(len(ids)) if s >> b & 1)
