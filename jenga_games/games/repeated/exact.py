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
with algebraic endpoints (:func:`critical_delta`).
"""

from __future__ import annotations

import dataclasses
import itertools
import numbers
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from ..._results import Provenance, Result
from ...errors import InvalidGameError, JengaError
from ...tolerance import TOL
from . import _linear
from ._signs import nonnegative, normalise_assumptions, sign_of
from ._stage import to_rational
from .profile import Profile

__all__ = [
    "DELTA",
    "CriticalDelta",
    "Deviation",
    "DiscountedPayoffs",
    "InvalidDiscountError",
    "SubgamePerfection",
    "check_delta",
    "critical_delta",
    "discounted_payoffs",
    "is_subgame_perfect",
    "one_shot_deviations",
]

DELTA = sp.Symbol("delta", positive=True)
"""The discount factor as a sympy symbol (``δ``)."""


class InvalidDiscountError(JengaError):
    """A discount factor outside the open interval (0, 1)."""


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


def discounted_payoffs(profile: Profile, delta: Any = None, exact: bool = False) -> DiscountedPayoffs:
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
        return DiscountedPayoffs(pay, d, profile.names, len(states),
                                 Provenance("product_automaton_linear_system", {"delta": str(d)}, exact=True))
    states, _, _, V = _linear.values_float(profile, float(delta), all_histories=False)
    return DiscountedPayoffs(tuple(float(v) for v in V[0]), float(delta), profile.names, len(states),
                             Provenance("product_automaton_linear_system", {"delta": float(delta)}))


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
        return (f"SubgamePerfection({self.is_subgame_perfect}, δ={self.delta}, max gain {self.max_gain}, "
                f"{len(self.violations)} violations over {self.n_states} states)")


def one_shot_deviations(profile: Profile, delta: Any, exact: bool = False,
                        tol: float = TOL) -> SubgamePerfection:
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
        raise InvalidDiscountError("one_shot_deviations needs a numeric δ; use critical_delta(profile) for all δ at once")
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
                violations.append(Deviation(profile.state_labels(states[k]), i,
                                            profile.stage.labels[i][best[k]], float(gain[k])))
        violations.sort(key=lambda v: (v.player, str(v.state)))
    else:
        Q = _linear.deviation_values(profile, dq, states, succ, V, exact=True)
        for k, s in enumerate(states):
            for i in range(profile.n_players):
                q = list(Q[k][i])
                best = max(q)
                j = q.index(best)
                gain = best - V[k][i]
                gain = sp.Rational(gain.numerator, gain.denominator) if isinstance(gain, Fraction) else gain
                if max_gain is None or gain > max_gain:
                    max_gain = gain
                if gain > 0:
                    violations.append(Deviation(profile.state_labels(s), i, profile.stage.labels[i][j], gain))
    return SubgamePerfection(not violations, d, max_gain, tuple(violations), len(states),
                             Provenance("one_shot_deviation_principle",
                                        {"delta": str(d), "tol": tol}, exact=use_exact))


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


# ---------------------------------------------------------------------- critical δ
@dataclasses.dataclass(frozen=True)
class CriticalDelta(Result):
    """The discount factors in ``(0, 1)`` at which a profile is subgame perfect.

    Attributes
    ----------
    set : sympy.Set or None
        The exact set (a union of intervals) when the stage payoffs are numbers;
        ``None`` when they are symbolic (see ``lower``, ``upper``, ``conditions``).
    lower, upper : sympy expression or None
        The infimum and supremum of the set (numeric case), or, for symbolic
        payoffs, the binding lower bound(s) ``δ >= lower`` and upper bound(s)
        ``δ <= upper`` (``Max``/``Min`` of several; ``None`` when there are none).
    conditions : tuple of sympy relationals
        The distinct one-shot conditions ``N(δ) >= 0`` (polynomial numerators,
        positive factors δ and 1 - δ removed).
    side_conditions : tuple of sympy relationals
        Conditions on the payoffs alone that the assumptions did not settle.
    unresolved : tuple of sympy relationals
        Conditions in δ that could not be solved for δ (symbolic coefficient of
        unknown sign, or degree > 1 with symbolic coefficients).
    provenance : Provenance
    """

    set: Any
    lower: Any
    upper: Any
    conditions: tuple
    side_conditions: tuple
    unresolved: tuple
    provenance: Provenance

    @property
    def is_empty(self) -> bool:
        return self.set is not None and self.set is sp.S.EmptySet

    def contains(self, delta: Any) -> bool:
        """Whether δ is in the set (numeric stage payoffs only)."""
        if self.set is None:
            raise InvalidGameError("the set is symbolic; substitute values first (CriticalDelta.subs)")
        return bool(self.set.contains(to_rational(check_delta(delta))))

    def subs(self, values: dict) -> CriticalDelta:
        """Substitute numbers for the payoff symbols and solve the conditions exactly."""
        conds = [sp.expand(c.lhs.subs(values)) for c in self.conditions]
        return _solve_numeric(conds, self.provenance)

    def __repr__(self) -> str:
        if self.set is not None:
            return f"CriticalDelta({self.set})"
        return (f"CriticalDelta(lower={self.lower}, upper={self.upper}, "
                f"side={list(self.side_conditions)}, unresolved={list(self.unresolved)})")


def _reduced_numerator(g: sp.Expr) -> sp.Expr:
    """Numerator of ``g`` with positive denominators and positive factors δ, 1 - δ removed."""
    g = sp.cancel(sp.together(g))
    num, den = sp.fraction(g)
    if den.free_symbols - {DELTA}:
        raise JengaError(f"internal: denominator {den} depends on the payoffs")  # pragma: no cover
    s = den.subs(DELTA, sp.Rational(1, 2))
    if s == 0:  # pragma: no cover - det(I - δP) > 0 on [0, 1)
        raise JengaError(f"internal: denominator {den} vanishes at δ = 1/2")
    if s < 0:
        num = -num
    poly = sp.Poly(sp.expand(num), DELTA)
    if poly.is_zero:
        return sp.Integer(0)
    one_minus = sp.Poly(1 - DELTA, DELTA)
    while True:
        q, r = sp.div(poly, sp.Poly(DELTA, DELTA))
        if r.is_zero and not q.is_zero:
            poly = q
            continue
        q, r = sp.div(poly, one_minus)
        if r.is_zero and not q.is_zero:
            poly = q
            continue
        break
    # make the content positive when it is a plain number (keeps conditions canonical)
    expr = sp.expand(poly.as_expr())
    content = sp.Poly(expr, DELTA).content() if not (expr.free_symbols - {DELTA}) else sp.Integer(1)
    if content != 0 and sp.sympify(content).is_number:
        expr = sp.expand(expr / abs(content))
    return expr


def _strip(poly: sp.Poly) -> sp.Expr:
    """Remove the factors δ and 1 - δ (positive on (0, 1)) and a positive numeric content."""
    if poly.is_zero:
        return sp.Integer(0)
    d = sp.Poly(DELTA, DELTA)
    one_minus = sp.Poly(1 - DELTA, DELTA)
    while True:
        q, r = sp.div(poly, d)
        if r.is_zero and not q.is_zero:
            poly = q
            continue
        q, r = sp.div(poly, one_minus)
        if r.is_zero and not q.is_zero:
            poly = q
            continue
        break
    coeffs = poly.all_coeffs()
    if all(c.is_number for c in coeffs):
        g = abs(sp.gcd_list(coeffs)) if len(coeffs) > 1 else abs(coeffs[0])
        if g != 0:
            poly = poly.quo_ground(g) if poly.get_domain().is_Field else sp.Poly(poly.as_expr() / g, DELTA)
    return sp.expand(poly.as_expr())


def _pure_conditions(profile: Profile):
    """One-shot conditions of a pure profile as polynomials in δ (fast path, no rational cancelling).

    For each joint state the play is a lasso, so ``V_i(s) = num_i(s)/den(s)`` with
    ``den(s) = Σ_{j<L} δ^j > 0``; the condition ``V_i(s) >= (1 - δ) u_i(a) + δ V_i(s')``
    becomes ``num(s) den(s') - den(s) ((1 - δ) u_i(a) den(s') + δ num(s')) >= 0``.
    """
    stage = profile.stage
    n, shape = stage.n_players, stage.shape
    states, succ, probs = _linear.transition_system(profile, all_histories=True)
    U = stage.exact.reshape(-1, n)
    flat_action = probs.argmax(axis=1)
    dpoly = sp.Poly(DELTA, DELTA)
    one = sp.Poly(1, DELTA)
    num, den = [], []
    for k in range(len(states)):
        pre, cyc = _linear._lasso(profile, succ, k, flat_action)
        tail_den = sum((dpoly ** j for j in range(len(cyc))), sp.Poly(0, DELTA))
        row = []
        for i in range(n):
            head = sum((dpoly ** t * U[a, i] for t, a in enumerate(pre)), sp.Poly(0, DELTA))
            tail = sum((dpoly ** j * U[a, i] for j, a in enumerate(cyc)), sp.Poly(0, DELTA))
            row.append((one - dpoly) * head * tail_den + dpoly ** len(pre) * tail)
        num.append(row)
        den.append(tail_den)
    for k in range(len(states)):
        base = np.unravel_index(int(flat_action[k]), shape)
        for i in range(n):
            for ai in range(shape[i]):
                prof = tuple(int(x) for x in base)
                prof = (*prof[:i], ai, *prof[i + 1:])
                p = int(np.ravel_multi_index(prof, shape))
                nk = int(succ[k, p])
                N = num[k][i] * den[nk] - den[k] * ((one - dpoly) * U[p, i] * den[nk] + dpoly * num[nk][i])
                yield _strip(N)


def _numeric_set(N: sp.Expr) -> sp.Set:
    """``{δ in (0, 1) : N(δ) >= 0}`` for a polynomial with rational coefficients."""
    open01 = sp.Interval.open(0, 1)
    if N == 0:
        return open01
    poly = sp.Poly(N, DELTA)
    if poly.degree() == 0:
        return open01 if N >= 0 else sp.S.EmptySet
    roots = sorted({r for r in poly.real_roots() if 0 < r < 1}, key=lambda r: sp.N(r, 50))
    pts = [sp.Integer(0), *roots, sp.Integer(1)]
    pieces = []  # (lo, hi, lo_closed, hi_closed)
    for a, b in itertools.pairwise(pts):
        mid = sp.Rational(str(sp.N((a + b) / 2, 40)))
        if poly.eval(mid) >= 0:
            pieces.append([a, b, False, False])
    # roots are in the set (N = 0): close the pieces at them, or add isolated points
    out = []
    for r in roots:
        for pc in pieces:
            if pc[0] == r:
                pc[2] = True
            if pc[1] == r:
                pc[3] = True
    covered = {pc[0] for pc in pieces if pc[2]} | {pc[1] for pc in pieces if pc[3]}
    sets = [sp.Interval(a, b, not lc, not hc) for a, b, lc, hc in pieces]
    for r in roots:
        if r not in covered:
            out.append(r)
    if out:
        sets.append(sp.FiniteSet(*out))
    return sp.Union(*sets) if sets else sp.S.EmptySet


def _solve_numeric(conds, provenance) -> CriticalDelta:
    result = sp.Interval.open(0, 1)
    uniq = []
    for N in conds:
        N = sp.expand(N)
        if N not in uniq:
            uniq.append(N)
    for N in uniq:
        result = sp.Intersection(result, _numeric_set(N))
        if result is sp.S.EmptySet:
            break
    lower = upper = None
    if result is not sp.S.EmptySet:
        lower, upper = result.inf, result.sup
    return CriticalDelta(result, lower, upper, tuple(sp.GreaterThan(N, 0, evaluate=False) for N in uniq), (), (),
                         provenance)


def _tidy(x: sp.Expr, assume) -> sp.Expr:
    """A ratio with a denominator positive under the assumptions when possible: (T - R)/(T - P)."""
    num, den = sp.fraction(sp.factor(sp.cancel(x)))
    if sign_of(den, assume) == -1 or (sign_of(den, assume) is None and den.could_extract_minus_sign()):
        num, den = -num, -den
    return sp.Mul(sp.expand(num), sp.Pow(sp.expand(den), -1), evaluate=False) if den != 1 else sp.expand(num)


def critical_delta(profile: Profile, assumptions=()) -> CriticalDelta:
    """The set of δ in ``(0, 1)`` where the profile is subgame perfect, as exact expressions.

    Parameters
    ----------
    profile : Profile
        Stage payoffs may be numbers (the answer is an exact union of
        intervals) or sympy symbols (the answer is bounds in the symbols).
    assumptions : sequence of sympy relations, optional
        Linear inequalities among the payoff symbols, e.g. ``[T > R, R > P, P > S]``,
        used to decide signs (Farkas' lemma, see :mod:`._signs`). Symbols
        declared ``positive=True`` are used as well.

    Returns
    -------
    CriticalDelta

    Notes
    -----
    Every one-shot condition ``V_i(s) - Q_i(s, a_i) >= 0`` over all states
    reachable after any history (see the module docstring) is reduced to a
    polynomial ``N(δ) >= 0``; with numeric payoffs its real roots in ``(0, 1)``
    are found exactly (``sympy`` real root isolation) and the sign pattern
    between them decides the set; with symbolic payoffs a condition linear in δ,
    ``a + bδ >= 0`` with the sign of ``b`` decided, gives ``δ >= -a/b`` or
    ``δ <= -a/b``; a quadratic whose leading and constant coefficients have
    opposite (decided) signs has one positive root, a lower or upper bound. Grim trigger in the prisoner's dilemma gives
    ``(T - R)/(T - P)`` (Mailath and Samuelson 2006, §2.4 :cite:`mailath2006`).

    Examples
    --------
    >>> from jenga_games.games.repeated import Profile, prisoners_dilemma, grim_trigger
    >>> critical_delta(Profile(prisoners_dilemma(5, 3, 1, 0), [grim_trigger()] * 2)).set
    Interval.Ropen(1/2, 1)
    """
    profile = _as_profile(profile)
    assume = normalise_assumptions(assumptions)
    conds = []
    if profile.is_pure:
        states = profile.reachable(all_histories=True)[0]
        for N in _pure_conditions(profile):
            if N != 0 and N not in conds:
                conds.append(N)
    else:
        states, succ, _, V = _linear.values_exact(profile, DELTA, all_histories=True)
        Q = _linear.deviation_values(profile, DELTA, states, succ, V, exact=True)
        for k in range(len(states)):
            for i in range(profile.n_players):
                for q in Q[k][i]:
                    N = _reduced_numerator(V[k][i] - q)
                    if N != 0 and N not in conds:
                        conds.append(N)
    prov = Provenance("one_shot_deviation_conditions",
                      {"assumptions": [str(a) for a in (assumptions or ())], "n_states": len(states)},
                      exact=True)
    if not profile.stage.symbolic:
        return _solve_numeric(conds, prov)
    lowers, uppers, side, unresolved = [], [], [], []
    for N in conds:
        poly = sp.Poly(N, DELTA)
        deg = poly.degree()
        if deg <= 0:
            ok = nonnegative(N, assume)
            if ok is True:
                continue
            if ok is False:
                return CriticalDelta(sp.S.EmptySet, None, None,
                                     tuple(sp.GreaterThan(c, 0, evaluate=False) for c in conds),
                                     (sp.GreaterThan(N, 0, evaluate=False),), (), prov)
            side.append(sp.GreaterThan(N, 0, evaluate=False))
            continue
        if deg == 1:
            b, a = poly.all_coeffs()
            sb = sign_of(b, assume)
            if sb == 1:
                lowers.append(_tidy(-a / b, assume))
                continue
            if sb == -1:
                uppers.append(_tidy(-a / b, assume))
                continue
        if deg == 2:
            # a δ² + b δ + c with sign(a) = -sign(c): exactly one positive root r (roots' product c/a < 0);
            # a > 0: N >= 0 on δ >= r; a < 0: on δ <= r (Descartes' rule of signs)
            a2, b2, c2 = poly.all_coeffs()
            sa, sc = sign_of(a2, assume), sign_of(c2, assume)
            if sa is not None and sc is not None and sa * sc == -1:
                root = (-b2 + sa * sp.sqrt(b2**2 - 4 * a2 * c2)) / (2 * a2)
                (lowers if sa == 1 else uppers).append(sp.simplify(root))
                continue
        unresolved.append(sp.GreaterThan(N, 0, evaluate=False))
    uniq = lambda xs: list(dict.fromkeys(xs))  # noqa: E731
    lowers, uppers = uniq(lowers), uniq(uppers)
    lower = None if not lowers else (lowers[0] if len(lowers) == 1 else sp.Max(*lowers))
    upper = None if not uppers else (uppers[0] if len(uppers) == 1 else sp.Min(*uppers))
    all_conds = tuple(sp.GreaterThan(c, 0, evaluate=False) for c in conds)
    return CriticalDelta(None, lower, upper, all_conds, tuple(side), tuple(unresolved), prov)
