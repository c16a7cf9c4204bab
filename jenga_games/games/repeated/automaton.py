"""Strategies of repeated games as finite automata (Moore machines).

An :class:`Automaton` has a finite set of states, an initial state, an
*output* (the action, or a probability distribution over actions, it plays in
each state) and *transitions* (the next state as a function of the current
state and the action profile observed this round) :cite:`rubinstein1986,mailath2006`.

Point of view
-------------
Transitions are written from the automaton's own point of view: the observed
profile is ``(own action, others' actions in player order)``. For two players
that is ``(mine, theirs)``, so one automaton can sit in either seat. In a
transition table a profile component ``"*"`` matches any action; when several
keys match, the one with the fewest wildcards wins (ties must agree).

Actions are named by the stage game's labels (e.g. ``"C"``) or by their index
(``0``); an automaton is checked against a stage game when it is bound to a
seat (:class:`~jenga_games.games.repeated.Profile`), so the same automaton works
in every game whose actions it names.

Examples
--------
Tit-for-tat in a few lines:

>>> tft = Automaton(
...     "tit-for-tat", states=("nice", "angry"), initial="nice",
...     output={"nice": "C", "angry": "D"},
...     transitions=lambda state, seen: "angry" if seen[1] == "D" else "nice")
>>> tft.is_pure
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import sympy as sp

from ...errors import InvalidGameError, UnknownItemError
from ...tolerance import TOL
from ._stage import Stage, to_rational

__all__ = ["WILDCARD", "Automaton", "Not"]

WILDCARD = "*"
"""Matches any action in a transition-table key."""


@dataclasses.dataclass(frozen=True)
class Not:
    """In a transition-table key: any action except ``action`` (counts as a wildcard for precedence)."""

    action: Any


def _is_dist(x: Any) -> bool:
    return isinstance(x, Mapping)


@dataclasses.dataclass(frozen=True, eq=False)
class Automaton:
    """A strategy of a repeated game as a finite automaton.

    Parameters
    ----------
    name : str
        A short name (shown in tournaments and results).
    states : sequence of hashable
        The states.
    initial : hashable
        The state in the first round.
    output : mapping state -> action or mapping action -> probability
        The action played in each state: a label (or index) of the stage game,
        or, for mixed strategies (generous variants), a dict of probabilities
        summing to 1.
    transitions : mapping or callable
        Either ``{state: {observed_profile: next_state}}`` (profiles as tuples in
        the automaton's point of view, ``"*"`` for any action), or a function
        ``f(state, observed_profile) -> next_state`` (given action labels).
    description : str, optional
        What the strategy does, for docs and tables.

    Raises
    ------
    InvalidGameError
        Unknown or missing states, probabilities that are negative or do not sum to 1.

    Notes
    -----
    A play of the repeated game with automata ``M_1, ..., M_n`` is the path of
    the product automaton: state ``s^t = (s_1^t, ..., s_n^t)``, action profile
    ``a^t = (f_1(s_1^t), ..., f_n(s_n^t))``, ``s_i^{t+1} = τ_i(s_i^t, a^t)``
    (Mailath and Samuelson 2006, §2.3 :cite:`mailath2006`).
    """

    name: str
    states: tuple
    initial: Hashable
    output: Mapping[Hashable, Any]
    transitions: Mapping[Hashable, Mapping[tuple, Hashable]] | Callable[[Hashable, tuple], Hashable]
    description: str = ""

    def __post_init__(self):
        states = tuple(self.states)
        object.__setattr__(self, "states", states)
        if not states:
            raise InvalidGameError(f"automaton {self.name!r} has no states; give at least one")
        if len(set(states)) != len(states):
            raise InvalidGameError(f"automaton {self.name!r} repeats a state in {list(states)}")
        known = set(states)
        if self.initial not in known:
            raise UnknownItemError(
                f"automaton {self.name!r}: initial state {self.initial!r} is not one of its states {list(states)}"
            )
        out = dict(self.output)
        for s in out:
            if s not in known:
                raise UnknownItemError(
                    f"automaton {self.name!r}: output names unknown state {s!r}; its states are {list(states)}"
                )
        for s in states:
            if s not in out:
                raise InvalidGameError(
                    f"automaton {self.name!r}: state {s!r} has no output action; add output[{s!r}] = action"
                )
            if _is_dist(out[s]):
                dist = dict(out[s])
                if not dist:
                    raise InvalidGameError(
                        f"automaton {self.name!r}: state {s!r} has an empty action distribution"
                    )
                for a, p in dist.items():
                    pe = to_rational(p)
                    if pe.free_symbols or pe < 0:
                        raise InvalidGameError(
                            f"automaton {self.name!r}: probability {p!r} of action {a!r} in state {s!r} "
                            "must be a number >= 0"
                        )
                total = sum(float(p) for p in dist.values())
                if abs(total - 1.0) > TOL * 10:
                    raise InvalidGameError(
                        f"automaton {self.name!r}: the probabilities in state {s!r} sum to {total}, not 1"
                    )
        object.__setattr__(self, "output", out)
        if callable(self.transitions):
            return
        if not isinstance(self.transitions, Mapping):
            raise InvalidGameError(
                f"automaton {self.name!r}: transitions must be a dict {{state: {{profile: next_state}}}} "
                "or a function f(state, profile) -> next_state"
            )
        table = {}
        for s, row in self.transitions.items():
            if s not in known:
                raise UnknownItemError(
                    f"automaton {self.name!r}: transitions name unknown state {s!r}; its states are {list(states)}"
                )
            if not isinstance(row, Mapping):
                raise InvalidGameError(
                    f"automaton {self.name!r}: transitions[{s!r}] must map observed profiles to next states"
                )
            for key, nxt in row.items():
                if not isinstance(key, tuple):
                    raise InvalidGameError(
                        f"automaton {self.name!r}: transition key {key!r} in state {s!r} must be a tuple "
                        "(own action, others' actions...)"
                    )
                if nxt not in known:
                    raise UnknownItemError(
                        f"automaton {self.name!r}: transition {s!r} --{key!r}--> {nxt!r} goes to an "
                        f"unknown state; its states are {list(states)}"
                    )
            table[s] = dict(row)
        for s in states:
            if s not in table:
                raise InvalidGameError(
                    f"automaton {self.name!r}: incomplete transitions, state {s!r} has none; "
                    f"add transitions[{s!r}] = {{('*', '*'): next_state, ...}}"
                )
        object.__setattr__(self, "transitions", table)

    @property
    def is_pure(self) -> bool:
        """Whether every state plays one action for sure."""
        return not any(
            _is_dist(v) and sum(1 for p in v.values() if float(p) > 0) > 1
            for v in self.output.values()
        )

    @property
    def n_states(self) -> int:
        return len(self.states)

    def __repr__(self) -> str:
        kind = "pure" if self.is_pure else "mixed"
        return f"Automaton({self.name!r}, {self.n_states} states, {kind})"

    def renamed(self, name: str) -> Automaton:
        """The same automaton under another name."""
        return dataclasses.replace(self, name=name)


@dataclasses.dataclass(frozen=True, eq=False)
class BoundAutomaton:
    """An automaton tabulated for one seat of one stage game (internal).

    ``probs[s]`` is the distribution over the seat's actions in state index
    ``s`` (floats), ``probs_exact`` the same as sympy numbers, ``action[s]``
    the action index when pure (else -1), ``nxt[s, p]`` the next state index
    after the absolute pure profile with flat index ``p``.
    """

    automaton: Automaton
    player: int
    probs: np.ndarray
    probs_exact: tuple
    action: np.ndarray
    nxt: np.ndarray
    initial: int

    @property
    def is_pure(self) -> bool:
        return bool(np.all(self.action >= 0))


def _resolve_output(auto: Automaton, stage: Stage, player: int, s: Hashable):
    k = stage.shape[player]
    out = auto.output[s]
    exact = [sp.Integer(0)] * k
    if _is_dist(out):
        for a, p in out.items():
            idx = stage.action_index(player, a, f"automaton {auto.name!r} state {s!r}")
            exact[idx] = exact[idx] + to_rational(p)
    else:
        idx = stage.action_index(player, out, f"automaton {auto.name!r} state {s!r}")
        exact[idx] = sp.Integer(1)
    return exact


def bind(auto: Automaton, stage: Stage, player: int) -> BoundAutomaton:
    """Tabulate ``auto`` for seat ``player`` of ``stage``, checking every action and transition.

    Results are cached on the stage (automata are immutable), so profiles built
    again from the same automata and stage game cost nothing.
    """
    hit = stage.cache.get(("bind", id(auto), player))
    if hit is not None and hit.automaton is auto:
        return hit
    out = _bind(auto, stage, player)
    if len(stage.cache) > 4096:  # keep memory bounded for long-lived games
        stage.cache.clear()
    stage.cache[("bind", id(auto), player)] = out
    return out


def _bind(auto: Automaton, stage: Stage, player: int) -> BoundAutomaton:
    if not isinstance(auto, Automaton):
        raise InvalidGameError(
            f"seat {player} of the profile holds {auto!r}, not an Automaton; build strategies with "
            "jenga_games.games.repeated.Automaton or the library (tit_for_tat(), grim_trigger(), ...)"
        )
    n = stage.n_players
    index = {s: i for i, s in enumerate(auto.states)}
    m = len(auto.states)
    probs_exact = tuple(tuple(_resolve_output(auto, stage, player, s)) for s in auto.states)
    probs = np.array([[float(p) for p in row] for row in probs_exact], dtype=float)
    action = np.full(m, -1, dtype=np.int64)
    for si in range(m):
        nz = np.flatnonzero(probs[si] > 0)
        if len(nz) == 1:
            action[si] = nz[0]
    # seat's view of each absolute profile: (own, others...) as action indices of those seats
    seat_order = (player, *tuple(j for j in range(n) if j != player))
    profiles = list(stage.profiles())
    nxt = np.empty((m, len(profiles)), dtype=np.int64)
    if callable(auto.transitions):
        for si, s in enumerate(auto.states):
            for p, prof in enumerate(profiles):
                view = tuple(stage.labels[j][prof[j]] for j in seat_order)
                t = auto.transitions(s, view)
                if t not in index:
                    raise UnknownItemError(
                        f"automaton {auto.name!r}: transitions({s!r}, {view!r}) returned {t!r}, "
                        f"not one of its states {list(auto.states)}"
                    )
                nxt[si, p] = index[t]
    else:
        resolved: dict = {}
        for si, s in enumerate(auto.states):
            keys = []
            for key, t in auto.transitions[s].items():
                if len(key) != n:
                    raise InvalidGameError(
                        f"automaton {auto.name!r}: transition key {key!r} in state {s!r} has {len(key)} "
                        f"actions but the stage game has {n} players; write (own action, others...)"
                    )
                ikey = resolved.get(key)
                if ikey is None:
                    ikey = resolved[key] = tuple(
                        _key_part(stage, seat_order[pos], c, auto, key) for pos, c in enumerate(key)
                    )
                keys.append((ikey, index[t], key))
            for p, prof in enumerate(profiles):
                view = tuple(prof[j] for j in seat_order)
                best, best_wild, best_key = None, None, None
                for ikey, t, key in keys:
                    if all(
                        c is None or (c == v if c >= 0 else v != -c - 1) for c, v in zip(ikey, view)
                    ):
                        w = sum(c is None or c < 0 for c in ikey)
                        if best_wild is None or w < best_wild:
                            best, best_wild, best_key = t, w, key
                        elif w == best_wild and t != best:
                            raise InvalidGameError(
                                f"automaton {auto.name!r}: in state {s!r} the keys {best_key!r} and {key!r} "
                                "both match and disagree; make one of them more specific"
                            )
                if best is None:
                    labels = tuple(stage.labels[j][prof[j]] for j in seat_order)
                    raise InvalidGameError(
                        f"automaton {auto.name!r}: incomplete transitions, state {s!r} has no transition "
                        f"for observed profile {labels!r} (own action first); add it or use '*' as a wildcard"
                    )
                nxt[si, p] = best
    return BoundAutomaton(auto, player, probs, probs_exact, action, nxt, index[auto.initial])


def _key_part(stage: Stage, seat: int, c: Any, auto: Automaton, key: tuple):
    """None for a wildcard, k >= 0 for action k, -k-1 for "not action k"."""
    if isinstance(c, str) and c == WILDCARD:
        return None
    what = f"automaton {auto.name!r} transition key {key!r}"
    if isinstance(c, Not):
        return -stage.action_index(seat, c.action, what) - 1
    return stage.action_index(seat, c, what)
