"""Seeded simulation of a profile of automata, with implementation and observation noise.

Each round every seat ``i`` in state ``s_i`` draws its intended action from
its output ``f_i(s_i)``; with probability ``tremble`` the action played is
replaced by a uniformly random *other* action (implementation noise, a
"trembling hand" :cite:`selten1975`; for two actions: flipped, as in
Axelrod's ``noise``). Each seat then observes the profile: its own action
correctly, each other player's action replaced by a random other action with
probability ``observation_noise`` (private monitoring), and moves on its own
observation. Without noise and with pure automata the play is deterministic
and found exactly as the lasso (prefix and cycle) of the product automaton.

Payoffs: per-round stage payoffs; the average ``(1/T) Σ_t u_t``; and, when
``delta`` is given, the truncated normalised discounted sum
``(1 - δ) Σ_{t<T} δ^t u_t`` (within ``δ^T max|u|`` of the infinite one).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..._results import Provenance, Result
from ..._rng import make_rng
from ...errors import InvalidGameError
from .exact import _as_profile, check_delta
from .profile import Profile

__all__ = ["Match", "simulate"]


@dataclasses.dataclass(frozen=True)
class Match(Result):
    """A simulated match (one or several repetitions).

    Attributes
    ----------
    moves : numpy.ndarray
        Action indices played, shape ``(repetitions, turns, n)``.
    payoffs : numpy.ndarray
        Stage payoffs, shape ``(repetitions, turns, n)``.
    average : numpy.ndarray
        Mean payoff per round of each player (over rounds and repetitions).
    discounted : numpy.ndarray or None
        Mean truncated normalised discounted payoff of each player (``delta`` given).
    strategies : tuple of str
    labels : tuple of tuple
        Action labels of each player (``moves`` index them).
    provenance : Provenance
    """

    moves: np.ndarray
    payoffs: np.ndarray
    average: np.ndarray
    discounted: np.ndarray | None
    strategies: tuple
    labels: tuple
    provenance: Provenance

    def actions(self, repetition: int = 0) -> list[tuple]:
        """The moves of one repetition as tuples of action labels."""
        return [
            tuple(self.labels[i][a] for i, a in enumerate(row)) for row in self.moves[repetition]
        ]

    def cooperation(self, cooperate: Any = 0) -> np.ndarray:
        """Fraction of rounds each player played ``cooperate`` (label or index)."""
        out = []
        for i, labs in enumerate(self.labels):
            k = list(labs).index(cooperate) if cooperate in labs else int(cooperate)
            out.append(float(np.mean(self.moves[..., i] == k)))
        return np.array(out)

    def __repr__(self) -> str:
        r, t, _ = self.moves.shape
        avg = ", ".join(f"{x:.4g}" for x in self.average)
        return f"Match({list(self.strategies)}, {r} x {t} rounds, average ({avg}))"


def _check_prob(x: float, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float) or not 0.0 <= float(x) <= 1.0:
        raise InvalidGameError(f"{name} must be a probability in [0, 1]; got {x!r}")
    return float(x)


def _lasso_moves(profile: Profile, turns: int) -> np.ndarray:
    """Noiseless pure play: walk the product automaton until a joint state repeats."""
    shape = profile.stage.shape
    acts = [b.action for b in profile.bound]
    nxt = [b.nxt for b in profile.bound]
    seen: dict[tuple, int] = {}
    moves: list[tuple] = []
    s = profile.initial
    while s not in seen and len(moves) < turns:
        seen[s] = len(moves)
        a = tuple(int(acts[i][s[i]]) for i in range(len(s)))
        moves.append(a)
        p = int(np.ravel_multi_index(a, shape))
        s = tuple(int(nxt[i][s[i], p]) for i in range(len(s)))
    out = np.array(moves, dtype=np.int64).reshape(len(moves), len(shape))
    if len(moves) < turns:
        start = seen[s]
        cyc = out[start:]
        reps = -(-(turns - len(moves)) // len(cyc))
        out = np.concatenate([out, np.tile(cyc, (reps, 1))])[:turns]
    return out


def _noisy_moves(
    profile: Profile, turns: int, reps: int, tremble: float, obs: float, rng: np.random.Generator
) -> np.ndarray:
    stage = profile.stage
    n, shape = stage.n_players, stage.shape
    bound = profile.bound
    state = np.tile(np.array(profile.initial, dtype=np.int64), (reps, 1))
    moves = np.empty((reps, turns, n), dtype=np.int64)
    cum = [np.cumsum(b.probs, axis=1) for b in bound]
    pure = [b.is_pure for b in bound]
    for t in range(turns):
        u = rng.random((4, reps, n))
        a = np.empty((reps, n), dtype=np.int64)
        for i in range(n):
            if pure[i]:
                a[:, i] = bound[i].action[state[:, i]]
            else:
                c = cum[i][state[:, i]]
                a[:, i] = np.minimum((u[0, :, i, None] > c).sum(axis=1), shape[i] - 1)
            if tremble > 0 and shape[i] > 1:
                flip = u[1, :, i] < tremble
                shift = 1 + np.floor(u[2, :, i] * (shape[i] - 1)).astype(np.int64)
                a[flip, i] = (a[flip, i] + shift[flip]) % shape[i]
        moves[:, t] = a
        if obs > 0:
            new = np.empty_like(state)
            for i in range(n):
                seen = a.copy()
                for j in range(n):
                    if j == i or shape[j] == 1:
                        continue
                    v = rng.random((2, reps))
                    flip = v[0] < obs
                    shift = 1 + np.floor(v[1] * (shape[j] - 1)).astype(np.int64)
                    seen[flip, j] = (seen[flip, j] + shift[flip]) % shape[j]
                p = np.ravel_multi_index(tuple(seen.T), shape)
                new[:, i] = bound[i].nxt[state[:, i], p]
            state = new
        else:
            p = np.ravel_multi_index(tuple(a.T), shape)
            state = np.stack([bound[i].nxt[state[:, i], p] for i in range(n)], axis=1)
    return moves


def simulate(
    profile: Profile,
    turns: int = 200,
    repetitions: int = 1,
    seed: Any = None,
    tremble: float = 0.0,
    observation_noise: float = 0.0,
    delta: float | None = None,
) -> Match:
    """Play a profile of automata for ``turns`` rounds, ``repetitions`` times.

    Parameters
    ----------
    profile : Profile
    turns : int
        Rounds per repetition (>= 1).
    repetitions : int
        Independent repetitions (>= 1), played side by side.
    seed : int, numpy Generator or None
        Randomness (mixed actions, trembles, misperceptions); ``seed=0`` is a seed.
    tremble : float
        Probability that a seat's action is replaced by a random other action.
    observation_noise : float
        Probability that a seat misperceives another player's action.
    delta : float, optional
        Discount factor for the truncated discounted payoffs.

    Returns
    -------
    Match

    Examples
    --------
    >>> from jenga_games.games.repeated import Profile, prisoners_dilemma, tit_for_tat, always_defect
    >>> m = simulate(Profile(prisoners_dilemma(), [tit_for_tat(), always_defect()]), turns=3)
    >>> m.actions()
    [('C', 'D'), ('D', 'D'), ('D', 'D')]
    """
    profile = _as_profile(profile)
    for name, v in (("turns", turns), ("repetitions", repetitions)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
            raise InvalidGameError(f"{name} must be an integer >= 1; got {v!r}")
    tremble = _check_prob(tremble, "tremble")
    observation_noise = _check_prob(observation_noise, "observation_noise")
    if delta is not None:
        delta = float(check_delta(delta))
    if profile.stage.symbolic:
        raise InvalidGameError(
            "cannot simulate a stage game with symbolic payoffs; substitute numbers first"
        )
    rng = make_rng(seed)
    if profile.is_pure and tremble == 0 and observation_noise == 0:
        one = _lasso_moves(profile, int(turns))
        moves = np.broadcast_to(one, (int(repetitions), *one.shape)).copy()
        method = "deterministic_lasso"
    else:
        moves = _noisy_moves(profile, int(turns), int(repetitions), tremble, observation_noise, rng)
        method = "monte_carlo"
    U = profile.stage.numeric
    idx = tuple(moves[..., i] for i in range(profile.n_players))
    pay = U[idx]  # (reps, turns, n)
    average = pay.mean(axis=(0, 1))
    discounted = None
    if delta is not None:
        w = (1 - delta) * delta ** np.arange(turns)
        discounted = np.einsum("rtn,t->n", pay, w) / repetitions
    prov = Provenance(
        method,
        {
            "turns": int(turns),
            "repetitions": int(repetitions),
            "tremble": tremble,
            "observation_noise": observation_noise,
            "delta": delta,
        },
        seed=seed if isinstance(seed, int) else None,
    )
    return Match(moves, pay, average, discounted, profile.names, profile.stage.labels, prov)
