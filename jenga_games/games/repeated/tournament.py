"""Round-robin tournaments of automata, and evolutionary dynamics on their payoffs.

A tournament plays every pair of strategies (and each against itself, by
default) for ``turns`` rounds, ``repetitions`` times, as in Axelrod's
tournaments :cite:`axelrod1984`. A strategy's score is its mean payoff per
round over all its matches. For a symmetric two-player stage game each pair
plays once (the first strategy in seat 0); otherwise both seatings are played.

Evolution works on the matrix ``M[i, j]`` = mean payoff per round of
strategy ``i`` against ``j``:

- :func:`moran_process`: a finite population of ``N``; each step one
  individual reproduces with probability proportional to fitness
  ``1 - w + w π_i`` (``π_i`` its mean payoff against the *others*) and its copy
  replaces a uniformly chosen individual (Nowak et al. 2004 :cite:`nowak2004`);
- :func:`fixation_probability`: the exact probability that one mutant of type
  A takes over a population of B, ``ρ = 1 / (1 + Σ_{k=1}^{N-1} Π_{j=1}^{k} g_j / f_j)``
  (Nowak et al. 2004, eq. 1 :cite:`nowak2004`), the oracle for the simulation;
- :func:`replicator_dynamics`: ``ẋ_i = x_i ((M x)_i - x·M x)`` integrated by
  ``scipy.integrate.solve_ivp`` (Taylor and Jonker 1978 :cite:`taylor1978`).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._results import Provenance, Result
from ..._rng import make_rng, spawn_seeds
from ...errors import InvalidGameError
from ._stage import as_stage
from .automaton import Automaton
from .profile import Profile
from .simulate import simulate

__all__ = [
    "MoranResult",
    "TournamentResult",
    "fixation_probability",
    "moran_process",
    "replicator_dynamics",
    "tournament",
]


@dataclasses.dataclass(frozen=True)
class TournamentResult(Result):
    """Outcome of a round-robin tournament.

    Attributes
    ----------
    matches : pandas.DataFrame
        One row per match and repetition: ``player``, ``opponent``, ``seat``,
        ``repetition``, ``score`` and ``opponent_score`` (mean payoff per round),
        ``cooperation`` (share of rounds the player played ``cooperate``).
    ranking : pandas.DataFrame
        Per strategy: ``mean_score`` (per round, over all its matches),
        ``std_score``, ``cooperation``, ``wins``, ordered best first.
    payoff_matrix : pandas.DataFrame
        ``M[i, j]``: mean payoff per round of row strategy against column strategy.
    provenance : Provenance
    """

    matches: pd.DataFrame
    ranking: pd.DataFrame
    payoff_matrix: pd.DataFrame
    provenance: Provenance

    def to_dict(self) -> dict:
        """Plain data: the tables as lists of records."""
        return {
            "matches": self.matches.to_dict(orient="records"),
            "ranking": self.ranking.reset_index().to_dict(orient="records"),
            "payoff_matrix": {
                str(k): v for k, v in self.payoff_matrix.to_dict(orient="index").items()
            },
            "provenance": self.provenance.to_dict(),
        }

    def __repr__(self) -> str:
        top = ", ".join(f"{n} {s:.3f}" for n, s in self.ranking["mean_score"].head(3).items())
        return f"TournamentResult({len(self.ranking)} strategies; top: {top})"


def _named(strategies) -> dict[str, Automaton]:
    if isinstance(strategies, Mapping):
        items = list(strategies.items())
    else:
        items = [(a.name if isinstance(a, Automaton) else str(a), a) for a in strategies]
    out: dict[str, Automaton] = {}
    for name, a in items:
        if not isinstance(a, Automaton):
            raise InvalidGameError(f"tournament entry {name!r} is {a!r}, not an Automaton")
        if name in out:
            raise InvalidGameError(
                f"two strategies are named {name!r}; pass a dict {{name: automaton}} or use automaton.renamed()"
            )
        out[name] = a
    if len(out) < 1:
        raise InvalidGameError("a tournament needs at least one strategy")
    return out


def tournament(
    game: Any,
    strategies: Sequence[Automaton] | Mapping[str, Automaton],
    turns: int = 200,
    repetitions: int = 5,
    seed: Any = 0,
    tremble: float = 0.0,
    observation_noise: float = 0.0,
    self_play: bool = True,
    cooperate: Any = 0,
) -> TournamentResult:
    """Round-robin tournament of two-player strategies in a stage game.

    Parameters
    ----------
    game : NormalFormGame or array_like
        A two-player stage game.
    strategies : sequence of Automaton or dict name -> Automaton
    turns, repetitions : int
    seed : int or None
        Each match gets its own child seed (``numpy.random.SeedSequence.spawn``),
        so results do not depend on the order of play.
    tremble, observation_noise : float
        Noise (see :func:`simulate`).
    self_play : bool
        Whether each strategy also plays a copy of itself (counted as one match;
        axelrod's normalised scores leave self-play out: ``self_play=False``).
    cooperate : label or index
        The action counted as cooperation in the table.

    Returns
    -------
    TournamentResult
    """
    stage = as_stage(game)
    if stage.n_players != 2:
        raise InvalidGameError(
            f"tournaments are between pairs; the stage game has {stage.n_players} players"
        )
    named = _named(strategies)
    names = list(named)
    symmetric = stage.is_symmetric_2p()
    pairs = (
        list(itertools.combinations_with_replacement(range(len(names)), 2))
        if symmetric
        else list(itertools.product(range(len(names)), repeat=2))
    )
    if not self_play:
        pairs = [(i, j) for i, j in pairs if i != j]
    seeds = spawn_seeds(seed if not isinstance(seed, np.random.Generator) else None, len(pairs))
    k = stage.action_index(0, cooperate, "the cooperate argument")
    k1 = stage.action_index(1, cooperate, "the cooperate argument")
    rows = []
    for (i, j), ss in zip(pairs, seeds):
        prof = Profile(stage, [named[names[i]], named[names[j]]])
        m = simulate(
            prof,
            turns=turns,
            repetitions=repetitions,
            seed=make_rng(ss),
            tremble=tremble,
            observation_noise=observation_noise,
        )
        per_rep = m.payoffs.mean(axis=1)  # (reps, 2)
        coop = np.stack(
            [(m.moves[..., 0] == k).mean(axis=1), (m.moves[..., 1] == k1).mean(axis=1)], axis=1
        )
        for r in range(repetitions):
            rows.append((names[i], names[j], 0, r, per_rep[r, 0], per_rep[r, 1], coop[r, 0]))
            if i != j:  # a match against oneself counts once
                rows.append((names[j], names[i], 1, r, per_rep[r, 1], per_rep[r, 0], coop[r, 1]))
    matches = pd.DataFrame(
        rows,
        columns=[
            "player",
            "opponent",
            "seat",
            "repetition",
            "score",
            "opponent_score",
            "cooperation",
        ],
    )
    pm = (
        matches.groupby(["player", "opponent"])["score"]
        .mean()
        .unstack()
        .reindex(index=names, columns=names)
    )
    wins = (
        matches.assign(win=matches["score"] > matches["opponent_score"])
        .groupby("player")["win"]
        .sum()
    )
    ranking = (
        pd.DataFrame(
            {
                "mean_score": matches.groupby("player")["score"].mean(),
                "std_score": matches.groupby("player")["score"].std(ddof=0),
                "cooperation": matches.groupby("player")["cooperation"].mean(),
                "wins": wins,
            }
        )
        .reindex(names)
        .sort_values("mean_score", ascending=False, kind="stable")
    )
    ranking.index.name = "strategy"
    prov = Provenance(
        "round_robin",
        {
            "turns": turns,
            "repetitions": repetitions,
            "tremble": tremble,
            "observation_noise": observation_noise,
            "self_play": self_play,
            "symmetric": symmetric,
        },
        seed=seed if isinstance(seed, int) else None,
    )
    return TournamentResult(matches, ranking, pm, prov)


# ---------------------------------------------------------------------- evolution
def _matrix(M) -> np.ndarray:
    A = np.asarray(M.values if isinstance(M, pd.DataFrame) else M, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise InvalidGameError(
            f"the payoff matrix must be square (strategy x strategy); got shape {A.shape}"
        )
    if not np.all(np.isfinite(A)):
        raise InvalidGameError(
            "the payoff matrix has NaN or infinite entries (did every pair play?)"
        )
    return A


def _fitness(pi: np.ndarray, w: float) -> np.ndarray:
    f = 1.0 - w + w * pi
    if np.any(f <= 0):
        raise InvalidGameError(
            f"fitness 1 - w + w*payoff must be positive; got {f.min():.3g}. Lower the intensity w "
            "or shift the payoffs up"
        )
    return f


def fixation_probability(
    M, N: int, intensity: float = 1.0, mutant: int = 0, resident: int = 1
) -> float:
    """Exact probability that one ``mutant`` in a population of ``N - 1`` ``resident`` takes over.

    Parameters
    ----------
    M : array_like or DataFrame
        Payoff matrix between strategies (row's payoff against column).
    N : int
        Population size (>= 2).
    intensity : float
        Selection intensity ``w`` in ``[0, 1]`` (``0`` is neutral drift: ``1/N``).

    Notes
    -----
    ``f_j = 1 - w + w (a(j-1) + b(N-j))/(N-1)``, ``g_j = 1 - w + w (c j + d(N-j-1))/(N-1)``
    with ``a, b, c, d = M[A,A], M[A,B], M[B,A], M[B,B]``, and
    ``ρ_A = 1 / (1 + Σ_{k=1}^{N-1} Π_{j=1}^{k} g_j/f_j)`` :cite:`nowak2004`.
    """
    A = _matrix(M)
    if isinstance(N, bool) or not isinstance(N, int) or N < 2:
        raise InvalidGameError(f"population size N must be an integer >= 2; got {N!r}")
    a, b, c, d = A[mutant, mutant], A[mutant, resident], A[resident, mutant], A[resident, resident]
    j = np.arange(1, N)
    f = _fitness((a * (j - 1) + b * (N - j)) / (N - 1), intensity)
    g = _fitness((c * j + d * (N - j - 1)) / (N - 1), intensity)
    return float(1.0 / (1.0 + np.sum(np.cumprod(g / f))))


@dataclasses.dataclass(frozen=True)
class MoranResult(Result):
    """A Moran process run.

    Attributes
    ----------
    counts : numpy.ndarray
        Population counts of each strategy after each step, shape ``(steps + 1, k)``.
    fixated : str or None
        The strategy that took over, or ``None`` if ``max_steps`` ran out.
    strategies : tuple of str
    provenance : Provenance
    """

    counts: np.ndarray
    fixated: str | None
    strategies: tuple
    provenance: Provenance


def moran_process(
    M,
    initial: Sequence[int],
    intensity: float = 1.0,
    seed: Any = None,
    max_steps: int = 100_000,
    names: Sequence[str] | None = None,
) -> MoranResult:
    """Frequency-dependent Moran process on a payoff matrix until one strategy fixes.

    Parameters
    ----------
    M : array_like or DataFrame
        ``M[i, j]``: payoff of strategy ``i`` against ``j`` (e.g. ``TournamentResult.payoff_matrix``).
    initial : sequence of int
        Initial counts of each strategy (population size ``N = sum(initial)``).
    intensity : float
        Selection intensity ``w``; fitness ``1 - w + w π`` :cite:`nowak2004`.
    seed : int, Generator or None
    max_steps : int
    names : sequence of str, optional
        Strategy names (default: the DataFrame's index, else ``0..k-1``).
    """
    A = _matrix(M)
    k = A.shape[0]
    if names is None:
        names = list(M.index) if isinstance(M, pd.DataFrame) else [str(i) for i in range(k)]
    counts = np.array(initial, dtype=np.int64)
    if counts.shape != (k,) or np.any(counts < 0) or counts.sum() < 2:
        raise InvalidGameError(
            f"initial must give a count >= 0 for each of the {k} strategies, with a population of at least 2"
        )
    if not 0.0 <= intensity <= 1.0:
        raise InvalidGameError(f"intensity w must lie in [0, 1]; got {intensity!r}")
    rng = make_rng(seed)
    N = int(counts.sum())
    traj = [counts.copy()]
    fixated = None
    for _ in range(int(max_steps)):
        alive = np.flatnonzero(counts)
        if len(alive) == 1:
            fixated = str(names[alive[0]])
            break
        pi = (A @ counts - np.diag(A)) / (N - 1)
        fit = _fitness(pi, intensity) * counts
        birth = rng.choice(k, p=fit / fit.sum())
        death = rng.choice(k, p=counts / N)
        counts[birth] += 1
        counts[death] -= 1
        traj.append(counts.copy())
    else:
        alive = np.flatnonzero(counts)
        if len(alive) == 1:
            fixated = str(names[alive[0]])
    return MoranResult(
        np.array(traj),
        fixated,
        tuple(str(x) for x in names),
        Provenance(
            "moran_process",
            {"intensity": intensity, "max_steps": max_steps},
            seed=seed if isinstance(seed, int) else None,
        ),
    )


def replicator_dynamics(
    M, x0: Sequence[float], t_max: float = 50.0, n_points: int = 201
) -> pd.DataFrame:
    """Integrate ``ẋ_i = x_i ((M x)_i - x·M x)`` from ``x0`` on ``[0, t_max]``.

    Returns a DataFrame indexed by time with one column of shares per strategy
    (the shares stay on the simplex) :cite:`taylor1978`.
    """
    from scipy.integrate import solve_ivp

    A = _matrix(M)
    x0 = np.asarray(x0, dtype=float)
    if x0.shape != (A.shape[0],) or np.any(x0 < 0) or not np.isclose(x0.sum(), 1.0):
        raise InvalidGameError(
            f"x0 must be {A.shape[0]} shares >= 0 summing to 1; got {x0.tolist()}"
        )
    if t_max <= 0:
        raise InvalidGameError(f"t_max must be positive; got {t_max!r}")

    def rhs(_t, x):
        f = A @ x
        return x * (f - x @ f)

    ts = np.linspace(0.0, t_max, n_points)
    sol = solve_ivp(rhs, (0.0, t_max), x0, t_eval=ts, rtol=1e-9, atol=1e-12, method="LSODA")
    names = list(M.index) if isinstance(M, pd.DataFrame) else [str(i) for i in range(A.shape[0])]
    df = pd.DataFrame(np.clip(sol.y.T, 0.0, 1.0), index=pd.Index(sol.t, name="t"), columns=names)
    return df
