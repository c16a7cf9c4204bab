"""The discount factors at which a profile of automata is subgame perfect, as exact expressions.

Every one-shot condition ``V_i(s) - Q_i(s, a_i) >= 0`` (see
:mod:`jenga_games.games.repeated.exact`) over the joint states reachable after
any history is a rational function of δ whose denominator is positive on
``(0, 1)``, so it reduces to a polynomial inequality ``N(δ) >= 0``; the set
where all hold is a finite union of intervals (and points) with algebraic
endpoints (Mailath and Samuelson 2006, §2.4 :cite:`mailath2006`).
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import numpy as np
import sympy as sp

from ..._results import Provenance, Result
from ...errors import InvalidGameError, JengaError
from . import _linear
from ._signs import nonnegative, normalise_assumptions, sign_of
from ._stage import to_rational
from .exact import DELTA, _as_profile, check_delta
from .profile import Profile

__all__ = ["CriticalDelta", "critical_delta"]


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
            raise InvalidGameError(
                "the set is symbolic; substitute values first (CriticalDelta.subs)"
            )
        return bool(self.set.contains(to_rational(check_delta(delta))))

    def subs(self, values: dict) -> CriticalDelta:
        """Substitute numbers for the payoff symbols and solve the conditions exactly."""
        conds = [sp.expand(c.lhs.subs(values)) for c in self.conditions]
        return _solve_numeric(conds, self.provenance)

    def __repr__(self) -> str:
        if self.set is not None:
            return f"CriticalDelta({self.set})"
        return (
            f"CriticalDelta(lower={self.lower}, upper={self.upper}, "
            f"side={list(self.side_conditions)}, unresolved={list(self.unresolved)})"
        )


def _divide_out_delta_factors(poly: sp.Poly) -> sp.Poly:
    """Divide a non-zero ``poly`` in δ by δ and by 1 - δ (positive on (0, 1)) while they divide it."""
    factors = (sp.Poly(DELTA, DELTA), sp.Poly(1 - DELTA, DELTA))
    while True:
        for f in factors:
            q, r = sp.div(poly, f)
            if r.is_zero and not q.is_zero:
                poly = q
                break
        else:
            return poly


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
    poly = _divide_out_delta_factors(poly)
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
    poly = _divide_out_delta_factors(poly)
    coeffs = poly.all_coeffs()
    if all(c.is_number for c in coeffs):
        g = abs(sp.gcd_list(coeffs)) if len(coeffs) > 1 else abs(coeffs[0])
        if g != 0:
            poly = (
                poly.quo_ground(g)
                if poly.get_domain().is_Field
                else sp.Poly(poly.as_expr() / g, DELTA)
            )
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
        tail_den = sum((dpoly**j for j in range(len(cyc))), sp.Poly(0, DELTA))
        row = []
        for i in range(n):
            head = sum((dpoly**t * U[a, i] for t, a in enumerate(pre)), sp.Poly(0, DELTA))
            tail = sum((dpoly**j * U[a, i] for j, a in enumerate(cyc)), sp.Poly(0, DELTA))
            row.append((one - dpoly) * head * tail_den + dpoly ** len(pre) * tail)
        num.append(row)
        den.append(tail_den)
    for k in range(len(states)):
        base = np.unravel_index(int(flat_action[k]), shape)
        for i in range(n):
            for ai in range(shape[i]):
                prof = tuple(int(x) for x in base)
                prof = (*prof[:i], ai, *prof[i + 1 :])
                p = int(np.ravel_multi_index(prof, shape))
                nk = int(succ[k, p])
                N = num[k][i] * den[nk] - den[k] * (
                    (one - dpoly) * U[p, i] * den[nk] + dpoly * num[nk][i]
                )
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
    return CriticalDelta(
        result,
        lower,
        upper,
        tuple(sp.GreaterThan(N, 0, evaluate=False) for N in uniq),
        (),
        (),
        provenance,
    )


def _tidy(x: sp.Expr, assume) -> sp.Expr:
    """A ratio with a denominator positive under the assumptions when possible: (T - R)/(T - P)."""
    num, den = sp.fraction(sp.factor(sp.cancel(x)))
    if sign_of(den, assume) == -1 or (
        sign_of(den, assume) is None and den.could_extract_minus_sign()
    ):
        num, den = -num, -den
    return (
        sp.Mul(sp.expand(num), sp.Pow(sp.expand(den), -1), evaluate=False)
        if den != 1
        else sp.expand(num)
    )


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
    prov = Provenance(
        "one_shot_deviation_conditions",
        {"assumptions": [str(a) for a in (assumptions or ())], "n_states": len(states)},
        exact=True,
    )
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
                return CriticalDelta(
                    sp.S.EmptySet,
                    None,
                    None,
                    tuple(sp.GreaterThan(c, 0, evaluate=False) for c in conds),
                    (sp.GreaterThan(N, 0, evaluate=False),),
                    (),
                    prov,
                )
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
