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
            bind(a, stage, i) for i, a in enumerate(strategies))
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

    def reachable(self, all_histories: bool = True) -> tuple[list[tuple[int, ...]], np.ndarray]:
        """Joint states reachable from the initial one, and the successor table.

        With ``all_histories=True`` every pure profile may be observed (the
        states after any history, on or off the path: what subgame perfection
        needs); otherwise only profiles played with positive probability.
        Returns ``(states, succ)`` where ``succ[k, p]`` is the index of the
        successor of state ``k`` after pure profile ``p`` (``-1`` if not explored).
        """
        if all_histories and self._closure is not None:
            return self._closure
        n_prof = self.stage.n_profiles
        start = self.initial
        index = {start: 0}
        states = [start]
        succ_rows = []
        k = 0
        nxt = [b.nxt for b in self.bound]
        while k < len(states):
            s = states[k]
            row = np.full(n_prof, -1, dtype=np.int64)
            if all_histories:
                allowed = range(n_prof)
            else:
                allowed = np.flatnonzero(self.joint_probs(s).ravel() > 0)
            # successors of all profiles at once: one column per seat
            cols = np.stack([nxt[i][s[i]] for i in range(len(s))], axis=1)
            for p in allowed:
                t = tuple(int(x) for x in cols[p])
                j = index.get(t)
                if j is None:
                    j = index[t] = len(states)
                    states.append(t)
                row[p] = j
            succ_rows.append(row)
            k += 1
        out = (states, np.array(succ_rows, dtype=np.int64).reshape(len(states), n_prof))
        if all_histories:
            self._closure = out
        return out

    def state_labels(self, state: tuple[int, ...]) -> tuple:
        """The automata's own state names for a joint state of indices."""
        return tuple(b.automaton.states[s] for b, s in zip(self.bound, state))
