"""Result types: one :class:`Equilibrium`, and the :class:`EquilibriumSet` a solver returns.

Every equilibrium is certified when it is built: each player's regret
``max_a u_i(a, σ_{-i}) - u_i(σ)`` is computed on the unit payoffs (see
:mod:`._kernels`) and must be at most ``TOL`` (that is, ``TOL`` times the
player's payoff range), or exactly zero in exact mode. The solvers propose
candidates with the same tolerance; a candidate that fails the certificate
(its regret within rounding of ``TOL``) is not an equilibrium and is dropped
(:func:`certify_or_none`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...tolerance import TOL
from ._game import StrategyProfile
from ._kernels import SUPPORT_TOL as _SUPPORT_TOL
from ._kernels import expected, regret, unit_payoffs

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["Equilibrium", "EquilibriumSet"]


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Equilibrium(Result):
    """A Nash equilibrium of a :class:`NormalFormGame`, certified by its regret.

    Attributes
    ----------
    strategies : tuple of numpy.ndarray
        ``strategies[i][a]`` is the probability player ``i`` plays action ``a``.
    payoffs : numpy.ndarray
        Expected payoff of each player.
    players : tuple of str
    actions : tuple of tuple of str
    method : str
        The solver that found it.
    regret : float
        ``max_i max_a u_i(a, σ_{-i}) - u_i(σ)`` in the game's payoff units (0
        for exact equilibria); at most ``TOL`` times the player's payoff range.
    exact_strategies : tuple of tuple of Fraction or None
        The probabilities in exact arithmetic, when computed exactly.
    exact_payoffs : tuple of Fraction or None
    provenance : Provenance
    algebraic_strategies : tuple of tuple of sympy.Expr or None
        Irrational (algebraic) probabilities found by the polynomial method.
    """

    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    method: str
    regret: float
    exact_strategies: tuple[tuple[Fraction, ...], ...] | None = None
    exact_payoffs: tuple[Fraction, ...] | None = None
    provenance: Provenance | None = None
    algebraic_strategies: tuple[tuple[Any, ...], ...] | None = None

    @property
    def support(self) -> tuple[tuple[str, ...], ...]:
        """Actions played with positive probability, per player (labels)."""
        return tuple(
            tuple(a for a, p in zip(acts, s) if p > _SUPPORT_TOL)
            for acts, s in zip(self.actions, self.strategies)
        )

    def support_indices(self) -> tuple[tuple[int, ...], ...]:
        """The support as action indices."""
        if self.exact_strategies is not None:
            return tuple(tuple(k for k, p in enumerate(s) if p != 0) for s in self.exact_strategies)
        return tuple(
            tuple(int(k) for k in np.flatnonzero(s > _SUPPORT_TOL)) for s in self.strategies
        )

    @property
    def is_pure(self) -> bool:
        """Whether each player plays a single action."""
        return all(len(s) == 1 for s in self.support_indices())

    @property
    def profile(self) -> StrategyProfile:
        """The equilibrium as a :class:`StrategyProfile`."""
        return StrategyProfile(self.strategies, self.players, self.actions, self.exact_strategies)

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{player: {action: probability}}`` over each support."""
        return self.profile.as_dict()

    def __repr__(self) -> str:
        pay = (
            self.exact_payoffs
            if self.exact_payoffs is not None
            else [f"{v:.4g}" for v in self.payoffs]
        )
        pay_s = ", ".join(str(v) for v in pay)
        return f"Equilibrium({self.profile._format()}; payoffs=({pay_s}); method={self.method!r})"

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["support"] = to_plain(self.support)
        return d


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class EquilibriumSet(Result):
    """The equilibria a solver found, with what it claims about them.

    Behaves as a tuple of :class:`Equilibrium` (``len``, iteration, indexing).

    Attributes
    ----------
    equilibria : tuple of Equilibrium
    method : str
    complete : bool
        ``True`` when the method provably found every equilibrium (for
        vertex enumeration: every *extreme* equilibrium; with
        ``continua`` non-empty the equilibria form connected sets whose
        extreme points are listed).
    degenerate : bool or None
        Whether the (two-player) game is degenerate [vonStengel2002]_;
        ``None`` when not checked (large games, n players).
    continua : tuple of str
        Descriptions of the sets on which the equilibria form a continuum.
    provenance : Provenance
    nash_subsets : tuple of tuple of int
        Vertex enumeration: the maximal Nash subsets with more than one
        extreme equilibrium, as indices into ``equilibria``.
    """

    equilibria: tuple[Equilibrium, ...]
    method: str
    complete: bool
    degenerate: bool | None
    continua: tuple[str, ...] = ()
    provenance: Provenance | None = None
    nash_subsets: tuple[tuple[int, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, i):
        return self.equilibria[i]

    def __repr__(self) -> str:
        lines = [
            f"EquilibriumSet(method={self.method!r}, n={len(self)}, complete={self.complete}, "
            f"degenerate={self.degenerate})"
        ]
        lines += [f"  {e!r}" for e in self.equilibria]
        lines += [f"  continuum: {c}" for c in self.continua]
        return "\n".join(lines)


# ---------------------------------------------------------------------- builders
class _NotCertified(Exception):
    """A floating-point candidate whose regret exceeds the tolerance."""


def certify(
    game: NormalFormGame,
    strategies: Sequence[np.ndarray],
    method: str,
    provenance: Provenance,
    tol: float = TOL,
    exact: Sequence[Sequence[Fraction]] | None = None,
    algebraic=None,
) -> Equilibrium:
    """Build an :class:`Equilibrium`, checking its regret (exactly when ``exact`` is given).

    Raises :class:`~jenga_games.errors.InvalidGameError` when a floating-point
    profile's regret exceeds ``tol`` on the unit payoffs (the solver proposed a
    candidate that floating point cannot confirm; ``exact=True`` decides).
    """
    try:
        return _certify(game, strategies, method, provenance, tol, exact, algebraic)
    except _NotCertified as err:
        from ...errors import InvalidGameError

        raise InvalidGameError(
            f"{method} found a profile whose regret {err.args[0]:.3g} (as a share of the payoff "
            f"range) exceeds tol={tol:g}: floating point cannot decide this game; "
            "solve it with exact=True"
        ) from None


def certify_or_none(
    game: NormalFormGame,
    strategies: Sequence[np.ndarray],
    method: str,
    provenance: Provenance,
    tol: float = TOL,
) -> Equilibrium | None:
    """:func:`certify` a floating-point candidate, or ``None`` when its regret exceeds ``tol``."""
    try:
        return _certify(game, strategies, method, provenance, tol, None, None)
    except _NotCertified:
        return None


def certify_pairs(
    game: NormalFormGame,
    X: np.ndarray,
    Y: np.ndarray,
    method: str,
    provenance: Provenance,
    tol: float = TOL,
) -> list[Equilibrium | None]:
    """:func:`certify_or_none` for many two-player candidates ``(X[k], Y[k])`` at once.

    The same test (regret on the unit payoffs at most ``tol``) with the
    action values of all candidates from two matrix products, so the
    solvers that propose many profiles (vertex enumeration) pay no
    per-candidate array calls; ``None`` where a candidate fails.
    """
    if len(X) == 0:
        return []
    unit, _, span = unit_payoffs(game)
    X = np.array(X, dtype=float)
    Y = np.array(Y, dtype=float)
    rows = Y @ unit[..., 0].T  # (K, m): u_1(i, y)
    cols = X @ unit[..., 1]  # (K, n): u_2(x, j)
    r_unit = np.stack(
        [
            rows.max(axis=1) - np.einsum("ki,ki->k", rows, X),
            cols.max(axis=1) - np.einsum("kj,kj->k", cols, Y),
        ],
        axis=1,
    )
    np.maximum(r_unit, 0.0, out=r_unit)
    worst = r_unit.max(axis=1)
    reg = (r_unit * span).max(axis=1)
    P = game.payoffs
    m, n, _ = P.shape
    XP = (X @ P.reshape(m, n * 2)).reshape(-1, n, 2)
    pay = np.einsum("knp,kn->kp", XP, Y)
    X.setflags(write=False)
    Y.setflags(write=False)
    pay.setflags(write=False)
    out: list[Equilibrium | None] = []
    for k in range(len(X)):
        if not worst[k] <= tol:
            out.append(None)
            continue
        out.append(
            Equilibrium(
                (X[k], Y[k]),
                pay[k],
                game.players,
                game.actions,
                method,
                float(reg[k]),
                None,
                None,
                provenance,
                None,
            )
        )
    return out


_EQUILIBRIUM_FIELDS = tuple(f.name for f in dataclasses.fields(Equilibrium))


def new_equilibrium(strategies, payoffs, players, actions, method, regret, provenance):
    """A floating-point :class:`Equilibrium` built without the dataclass ``__init__``.

    For solvers that certified the profile already (in one batch) and build
    many results: the instance's fields are set in one step, the same
    values ``Equilibrium(strategies, ..., provenance=provenance)`` would set
    (exact and algebraic fields ``None``), at a fraction of the cost of the
    frozen dataclass's per-field ``object.__setattr__``.
    """
    eq = object.__new__(Equilibrium)
    eq.__dict__.update(
        zip(
            _EQUILIBRIUM_FIELDS,
            (strategies, payoffs, players, actions, method, regret, None, None, provenance, None),
        )
    )
    return eq


def _certify(game, strategies, method, provenance, tol, exact, algebraic) -> Equilibrium:
    if exact is not None:
        exact = tuple(tuple(Fraction(v) for v in s) for s in exact)
        strategies = tuple(np.array([float(v) for v in s]) for s in exact)
        ex_pay = _exact_check(game, exact)
        reg = 0.0
        payoffs = np.array([float(v) for v in ex_pay])
    else:
        strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
        unit, _, span = unit_payoffs(game)
        if all(np.count_nonzero(s) == 1 and s.max() == 1.0 for s in strategies):
            idx = tuple(int(np.argmax(s)) for s in strategies)
            r_unit = _pure_regret(unit, idx)
            payoffs = game.payoffs[idx].copy()
        else:
            r_unit = regret(unit, strategies)
            payoffs = expected(game.payoffs, strategies)
        worst = float(r_unit.max())
        if not worst <= tol:
            raise _NotCertified(worst)
        reg = float((r_unit * span).max())
        ex_pay = None
    for s in strategies:
        s.setflags(write=False)
    payoffs.setflags(write=False)
    return Equilibrium(
        tuple(strategies),
        payoffs,
        game.players,
        game.actions,
        method,
        reg,
        exact,
        ex_pay,
        provenance,
        algebraic,
    )


def _pure_regret(U: np.ndarray, idx: tuple[int, ...]) -> np.ndarray:
    """Each player's regret at a pure profile by slicing (O(sum a_i), not O(prod a_i)).

    ``max - own`` in the same floating-point operations as
    :func:`._pure.pure_equilibrium_mask`, so the two never disagree.
    """
    n = U.ndim - 1
    r = np.empty(n)
    for i in range(n):
        line = U[(*idx[:i], slice(None), *idx[i + 1 :], i)]
        r[i] = line.max() - line[idx[i]]
    return r


def _exact_check(game: NormalFormGame, exact) -> tuple[Fraction, ...]:
    """Exact expected payoffs; raises if any pure deviation gains (regret must be exactly 0)."""
    import itertools

    P = game.exact_payoffs
    n = game.n_players
    if any(sum(s) != 1 or any(v < 0 for v in s) for s in exact):
        raise RuntimeError("exact solver produced an invalid probability vector; please report")
    supp = [[k for k, v in enumerate(s) if v != 0] for s in exact]
    pay = []
    for i in range(n):
        vals = [Fraction(0)] * game.shape[i]
        ranges = [supp[j] if j != i else range(game.shape[i]) for j in range(n)]
        for idx in itertools.product(*ranges):
            w = Fraction(1)
            for j, k in enumerate(idx):
                if j != i:
                    w *= exact[j][k]
            if w:
                vals[idx[i]] += w * P[(*idx, i)]
        u = sum((exact[i][k] * vals[k] for k in supp[i]), Fraction(0))
        if max(vals) != u:
            raise RuntimeError(
                "exact solver produced a profile that is not an equilibrium; please report"
            )
        pay.append(u)
    return tuple(pay)


def dedupe(
    strategy_list: list[tuple[np.ndarray, ...]], atol: float = 1e-7
) -> list[tuple[np.ndarray, ...]]:
    """Drop profiles equal (within ``atol``) to an earlier one, keeping the order."""
    if not strategy_list:
        return []
    from ._vertex_enumeration import unique_rows

    X = np.array([np.concatenate(s) for s in strategy_list])
    return [strategy_list[t] for t in unique_rows(X, atol)]


def sort_key(strategies: Sequence[np.ndarray]) -> tuple:
    """A deterministic order: by support size, then lexicographically by probabilities (descending)."""
    flat = np.concatenate([np.asarray(s, dtype=float).ravel() for s in strategies])
    return (int(np.count_nonzero(flat > _SUPPORT_TOL)), tuple((-np.round(flat, 9)).tolist()))
