"""A profile of automata bound to a stage game, and its product automaton.

The product automaton of ``M_1, ..., M_n`` has joint states
``s = (s_1, ..., s_n)``; in state ``s`` the profile plays the product of the
seats' (possibly mixed) actions and, after pure profile ``a``, moves to
``τ(s, a) = (τ_1(s_1, a), ..., τ_n(s_n, a))``. With perfect monitoring the
joint state is a function of the public history, which is what the
one-shot deviation principle needs :cite:`mailath2006`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...errors import InvalidGameError
from ._stage import Stage, as_stage
from .automaton import Automaton, BoundAutomaton, bind

__all__ = ["Profile"]


class Profile:
    """One automaton per player of a stage game.

    Parameters
    ----------
    game : NormalFormGame or array_like
        The stage game (payoff array of shape ``(a_1, ..., a_n, n)``, numbers
        or sympy expressions).
    strategies : sequence of Automaton
        One automaton per player, in player order.

    Raises
    ------
    InvalidGameError
        The number of strategies differs from the number of players, or an
        automaton's transitions are incomplete for this stage game.
    UnknownItemError
        An automaton names an action the stage game does not have.

    Examples
    --------
    >>> from jenga_games.games.repeated import prisoners_dilemma, tit_for_tat, grim_trigger
    >>> prof = Profile(prisoners_dilemma(), [tit_for_tat(), grim_trigger()])
    >>> prof.names
    ('tit-for-tat', 'grim trigger')
    """

    def __init__(self, game: Any, strategies: Sequence[Automaton]):
        stage = as_stage(game)
        strategies = tuple(strategies)
        if len(strategies) != stage.n_players:
            raise InvalidGameError(
                f"the stage game has {stage.n_players} players but the profile has {len(strategies)} "
                "strategies; give one automaton per player"
            )
        self.stage: Stage = stage
        self.game = game
        self.strategies: tuple[Automaton, ...] = strategies
        self.bound: tuple[BoundAutomaton, ...] = tuple(
            bind(a, stage, i) for i, a in enumerate(strategies)
        )
        self._closure: tuple | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.strategies)

    @property
    def n_players(self) -> int:
        return self.stage.n_players

    @property
    def is_pure(self) -> bool:
        return all(b.is_pure for b in self.bound)

    @property
    def initial(self) -> tuple[int, ...]:
        return tuple(b.initial for b in self.bound)

    def __repr__(self) -> str:
        return f"Profile({list(self.names)})"

    # ------------------------------------------------------------------ product automaton
    def joint_probs(self, state: tuple[int, ...]) -> np.ndarray:
        """Probability of each pure profile (array of the stage shape) in joint state ``state``."""
        p = np.ones(())
        for b, s in zip(self.bound, state):
            p = np.multiply.outer(p, b.probs[s])
        return p

    def step(self, state: tuple[int, ...], flat_profile: int) -> tuple[int, ...]:
        return tuple(int(b.nxt[s, flat_profile]) for b, s in zip(self.bound, state))

    def joint_probs_batch(self, S: np.ndarray) -> np.ndarray:
        """Profile probabilities for many joint states at once: ``S`` (f, n) -> (f, n_profiles)."""
        f = S.shape[0]
        out = np.ones((f, 1))
        for i, b in enumerate(self.bound):
            out = (out[:, :, None] * b.probs[S[:, i]][:, None, :]).reshape(f, -1)
        return out

    def reachable(self, all_histories: bool = True) -> tuple[list[tuple[int, ...]], np.ndarray]:
        """Joint states reachable from the initial one, and the successor table.

        With ``all_histories=True`` every pure profile may be observed (the
        states after any history, on or off the path: what subgame perfection
        needs); otherwise only profiles played with positive probability.
        Returns ``(states, succ)`` where ``succ[k, p]`` is the index of the
        successor of state ``k`` after pure profile ``p`` (``-1`` if not explored).
        States are numbered in breadth-first order from the initial state (index 0).
        """
        if all_histories and self._closure is not None:
            return self._closure
        sizes = np.array([len(b.automaton.states) for b in self.bound], dtype=np.int64)
        strides = np.concatenate([np.cumprod(sizes[::-1])[::-1][1:], [1]]).astype(np.int64)
        n = len(sizes)

        def decode(codes):
            return (codes[:, None] // strides[None, :]) % sizes[None, :]

        init = int(np.dot(self.initial, strides))
        order = [init]
        index = {init: 0}
        rows = []
        frontier = np.array([init], dtype=np.int64)
        while frontier.size:
            S = decode(frontier)
            C = np.zeros((len(frontier), self.stage.n_profiles), dtype=np.int64)
            for i in range(n):
                C += self.bound[i].nxt[S[:, i]] * strides[i]
            if not all_histories:
                C = np.where(self.joint_probs_batch(S) > 0, C, -1)
            rows.append(C)
            new = []
            for c in C.ravel().tolist():  # first appearance order: deterministic numbering
                if c >= 0 and c not in index:
                    index[c] = len(order)
                    order.append(c)
                    new.append(c)
            frontier = np.array(new, dtype=np.int64)
        codes = np.concatenate(rows)
        succ = np.full(codes.shape, -1, dtype=np.int64)
        mask = codes >= 0
        lookup = np.array(order, dtype=np.int64)
        sorter = np.argsort(lookup)
        succ[mask] = sorter[np.searchsorted(lookup, codes[mask], sorter=sorter)]
        states = [tuple(int(x) for x in row) for row in decode(lookup)]
        out = (states, succ)
        if all_histories:
            self._closure = out
        return out

    def state_labels(self, state: tuple[int, ...]) -> tuple:
        """The automata's own state names for a joint state of indices."""
        return tuple(b.automaton.states[s] for b, s in zip(self.bound, state))
