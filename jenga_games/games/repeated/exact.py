"""Exact analysis of a profile of automata: discounted payoffs, subgame perfection, critical δ.

Payoffs are *normalised* discounted sums, ``(1 - δ) Σ_t δ^t u(a^t)``, so they
are on the scale of stage payoffs (and of the folk-theorem region). They are
found by solving ``(I - δP) V = (1 - δ) r`` on the product automaton (see
:mod:`jenga_games.games.repeated._linear`), in floating point, exactly
(``sympy.Rational``) or symbolically in δ and in the stage payoffs.

Subgame perfection uses the one-shot deviation principle (Mailath and
Samuelson 2006, Prop. 2.4.1 :cite:`mailath2006`): a profile of automata is
subgame perfect iff at every joint state reachable after *any* history, no
player gains by deviating in one round and then following the profile:

    max_{a_i} Q_i(s, a_i) <= V_i(s),
    Q_i(s, a_i) = Σ_{a_-i} σ_{-i}(a_-i|s) [(1 - δ) u_i(a_i, a_-i) + δ V_i(τ(s, a_i, a_-i))].

Each condition ``V_i(s) - Q_i(s, a_i) >= 0`` is a rational function of δ whose
denominator is positive on ``(0, 1)``; its numerator is a polynomial, so the
set of δ where the profile is subgame perfect is a finite union of intervals
with algebraic endpoints (:func:`~jenga_games.games.repeated.critical.critical_delta`).
"""

from __future__ import annotations

import dataclasses
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ..._results import Provenance, Result
from ...errors import InvalidDiscountError, InvalidGameError
from ...tolerance import TOL
from . import _linear
from ._stage import to_rational
from .profile import Profile

__all__ = [
    "DELTA",
    "Deviation",
    "DiscountedPayoffs",
    "InvalidDiscountError",
    "SubgamePerfection",
    "check_delta",
    "discounted_payoffs",
    "is_subgame_perfect",
    "one_shot_deviations",
]

DELTA = sp.Symbol("delta", positive=True)
"""The discount factor as a sympy symbol (``δ``)."""


# InvalidDiscountError lives in jenga_games.errors; this name keeps old imports working.


def check_delta(delta: Any) -> Any:
    """Validate a discount factor: a number in the open interval ``(0, 1)`` or a sympy symbol."""
    if isinstance(delta, sp.Symbol):
        return delta
    if isinstance(delta, sp.Basic):
        if delta.free_symbols:
            return delta
        if not (delta.is_number and 0 < delta < 1):
            raise InvalidDiscountError(f"the discount factor δ must lie in (0, 1); got {delta}")
        return delta
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real):
        raise InvalidDiscountError(
            f"the discount factor δ must be a number in (0, 1) (or a sympy symbol); got {delta!r}"
        )
    if not (0.0 < float(delta) < 1.0):
        raise InvalidDiscountError(
            f"the discount factor δ must lie strictly between 0 and 1; got {delta!r}. "
            "δ = 1 is the undiscounted limit (use average payoffs from simulate()); δ = 0 is the stage game."
        )
    return delta


def _as_profile(profile, game=None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if game is not None:
        return Profile(game, profile)
    raise InvalidGameError(
        "expected a Profile(stage_game, [automaton, ...]); got "
        f"{type(profile).__name__}. Build one with Profile(game, strategies)."
    )


@dataclasses.dataclass(frozen=True)
class DiscountedPayoffs(Result):
    """Normalised discounted payoffs of a profile of automata.

    Attributes
    ----------
    payoffs : tuple
        One payoff per player from the initial state: floats, or sympy
        expressions (exact / symbolic).
    delta : Any
        The discount factor (a number or the symbol δ).
    strategies : tuple of str
    n_states : int
        Joint states on the path of play (mixed: in its support).
    provenance : Provenance
    """

    payoffs: tuple
    delta: Any
    strategies: tuple
    n_states: int
    provenance: Provenance

    def __repr__(self) -> str:
        vals = ", ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in self.payoffs)
        return f"DiscountedPayoffs({list(self.strategies)}, δ={self.delta}: ({vals}))"


def _wants_exact(profile: Profile, delta, exact: bool) -> bool:
    return exact or profile.stage.symbolic or isinstance(delta, sp.Basic | Fraction)


def discounted_payoffs(
    profile: Profile, delta: Any = None, exact: bool = False
) -> DiscountedPayoffs:
    """Normalised discounted payoffs ``(1 - δ) Σ_t δ^t E[u(a^t)]`` of a profile of automata.

    Parameters
    ----------
    profile : Profile
    delta : float, Fraction, sympy number or symbol, optional
        The discount factor in ``(0, 1)``; ``None`` gives payoffs as
        expressions in the symbol :data:`DELTA`.
    exact : bool
        Exact rational arithmetic (sympy) even for float inputs (``0.9`` is read as ``9/10``).

    Returns
    -------
    DiscountedPayoffs

    Notes
    -----
    Solves ``(I - δP) V = (1 - δ) r`` on the product automaton restricted to the
    states on the path of play (:mod:`._linear`) :cite:`mailath2006`.
    """
    profile = _as_profile(profile)
    delta = DELTA if delta is None else check_delta(delta)
    if _wants_exact(profile, delta, exact):
        d = delta if isinstance(delta, sp.Basic) else to_rational(delta)
        states, _, _, V = _linear.values_exact(profile, d, all_histories=False)
        pay = tuple(sp.factor(v) if v.free_symbols else v for v in V[0])
        return DiscountedPayoffs(
            pay,
            d,
            profile.names,
            len(states),
            Provenance("product_automaton_linear_system", {"delta": str(d)}, exact=True),
        )
    states, _, _, V = _linear.values_float(profile, float(delta), all_histories=False)
    return DiscountedPayoffs(
        tuple(float(v) for v in V[0]),
        float(delta),
        profile.names,
        len(states),
        Provenance("product_automaton_linear_system", {"delta": float(delta)}),
    )


@dataclasses.dataclass(frozen=True)
class Deviation(Result):
    """A profitable one-shot deviation: at joint ``state`` (the automata's state names),
    ``player`` gains ``gain`` by playing ``action`` once."""

    state: tuple
    player: int
    action: Any
    gain: Any


@dataclasses.dataclass(frozen=True)
class SubgamePerfection(Result):
    """Outcome of the one-shot deviation check.

    Attributes
    ----------
    is_subgame_perfect : bool
    delta : Any
    max_gain : Any
        The largest one-shot deviation gain over all reachable states and
        players (``<= 0`` up to tolerance when subgame perfect).
    violations : tuple of Deviation
        Every profitable deviation (the best one per state and player).
    n_states : int
        Joint states reachable after any history (all were checked).
    provenance : Provenance
    """

    is_subgame_perfect: bool
    delta: Any
    max_gain: Any
    violations: tuple
    n_states: int
    provenance: Provenance

    def __bool__(self) -> bool:
        return self.is_subgame_perfect

    def __repr__(self) -> str:
        return (
            f"SubgamePerfection({self.is_subgame_perfect}, δ={self.delta}, max gain {self.max_gain}, "
            f"{len(self.violations)} violations over {self.n_states} states)"
        )


def one_shot_deviations(
    profile: Profile, delta: Any, exact: bool = False, tol: float = TOL
) -> SubgamePerfection:
    """Check subgame perfection by the one-shot deviation principle at every reachable joint state.

    Parameters
    ----------
    profile : Profile
        Pure or mixed automata (mixed: every action in a state's support must
        also be a best one-shot reply, which the check implies).
    delta : number in (0, 1)
    exact : bool
        Exact rational arithmetic (no tolerance).
    tol : float
        Tolerance for the float comparison ``Q <= V`` (see :mod:`jenga_games.tolerance`).

    Returns
    -------
    SubgamePerfection

    Raises
    ------
    InvalidDiscountError
        δ outside ``(0, 1)`` or symbolic (use :func:`critical_delta` for that).
    """
    profile = _as_profile(profile)
    delta = check_delta(delta)
    if isinstance(delta, sp.Basic) and delta.free_symbols:
        raise InvalidDiscountError(
            "one_shot_deviations needs a numeric δ; use critical_delta(profile) for all δ at once"
        )
    use_exact = _wants_exact(profile, delta, exact)
    if use_exact and profile.stage.symbolic:
        raise InvalidGameError(
            "the stage payoffs are symbolic, so the sign of a deviation gain is not a number; "
            "use critical_delta(profile, assumptions=[...]) or substitute values into the stage game"
        )
    if use_exact:
        d = to_rational(delta)
        dq = Fraction(int(d.p), int(d.q)) if profile.is_pure else d
        states, succ, _, V = _linear.values_exact(profile, dq, all_histories=True)
    else:
        d = float(delta)
        states, succ, _, V = _linear.values_float(profile, d, all_histories=True)
    violations = []
    max_gain = None
    if not use_exact:
        V = np.asarray(V, dtype=float)
        for i, Qi in enumerate(_linear.deviation_arrays_float(profile, d, states, succ, V)):
            best = Qi.argmax(axis=1)
            gain = Qi[np.arange(len(states)), best] - V[:, i]
            g = float(gain.max())
            max_gain = g if max_gain is None else max(max_gain, g)
            for k in np.flatnonzero(gain > tol * np.maximum(1.0, np.abs(V[:, i]))):
                violations.append(
                    Deviation(
                        profile.state_labels(states[k]),
                        i,
                        profile.stage.labels[i][best[k]],
                        float(gain[k]),
                    )
                )
        violations.sort(key=lambda v: (v.player, str(v.state)))
    else:
        Q = _linear.deviation_values(profile, dq, states, succ, V, exact=True)
        for k, s in enumerate(states):
            for i in range(profile.n_players):
                q = list(Q[k][i])
                best = max(q)
                j = q.index(best)
                gain = best - V[k][i]
                gain = (
                    sp.Rational(gain.numerator, gain.denominator)
                    if isinstance(gain, Fraction)
                    else gain
                )
                if max_gain is None or gain > max_gain:
                    max_gain = gain
                if gain > 0:
                    violations.append(
                        Deviation(profile.state_labels(s), i, profile.stage.labels[i][j], gain)
                    )
    return SubgamePerfection(
        not violations,
        d,
        max_gain,
        tuple(violations),
        len(states),
        Provenance("one_shot_deviation_principle", {"delta": str(d), "tol": tol}, exact=use_exact),
    )


def is_subgame_perfect(profile: Profile, delta: Any, exact: bool = False, tol: float = TOL) -> bool:
    """Whether the profile of automata is a subgame-perfect equilibrium at discount factor δ.

    See :func:`one_shot_deviations` for the method and the violations.

    Examples
    --------
    >>> from jenga_games.games.repeated import Profile, prisoners_dilemma, grim_trigger
    >>> prof = Profile(prisoners_dilemma(5, 3, 1, 0), [grim_trigger(), grim_trigger()])
    >>> is_subgame_perfect(prof, 0.6), is_subgame_perfect(prof, 0.4)
    (True, False)
    """
    return one_shot_deviations(profile, delta, exact=exact, tol=tol).is_subgame_perfect
