"""Deciding the sign of an expression in the payoff symbols (kernel).

A linear form ``e(x)`` is positive whenever the linear assumptions
``g_k(x) > 0`` (or ``>= 0``) hold iff, by Farkas' lemma (Schrijver 1986,
Cor. 7.1h :cite:`schrijver1986`), ``e = Σ λ_k g_k + c`` with ``λ >= 0``,
``c >= 0`` and ``c + Σ_{k strict} λ_k > 0`` (assuming the assumptions are
satisfiable). That is one small LP (HiGHS).
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import linprog

_STRICT = (sp.StrictGreaterThan, sp.StrictLessThan)


def normalise_assumptions(assumptions) -> list[tuple[sp.Expr, bool]]:
    """Relations ``a > b``, ``a >= b``, ``a < b``, ``a <= b`` -> ``(a - b or b - a, strict)``."""
    out = []
    for rel in assumptions or ():
        if isinstance(rel, sp.logic.boolalg.BooleanTrue):
            continue
        if isinstance(rel, sp.And):
            out.extend(normalise_assumptions(rel.args))
            continue
        if isinstance(rel, sp.StrictGreaterThan | sp.GreaterThan):
            g = rel.lhs - rel.rhs
        elif isinstance(rel, sp.StrictLessThan | sp.LessThan):
            g = rel.rhs - rel.lhs
        else:
            from ...errors import InvalidGameError

            raise InvalidGameError(
                f"assumption {rel!r} is not an inequality; give relations such as T > R, R >= P"
            )
        out.append((sp.expand(g), isinstance(rel, _STRICT)))
    return out


def _implied_positive(e: sp.Expr, assumptions, strict: bool) -> bool:
    syms = sorted(set().union(e.free_symbols, *(g.free_symbols for g, _ in assumptions)), key=str)
    try:
        pe = sp.Poly(e, *syms) if syms else None
        pgs = [sp.Poly(g, *syms) for g, _ in assumptions]
    except sp.PolynomialError:
        return False
    if (pe is not None and pe.total_degree() > 1) or any(p.total_degree() > 1 for p in pgs):
        return False

    def coeffs(expr):
        c = [float(sp.expand(expr).coeff(s)) if expr.free_symbols else 0.0 for s in syms]
        const = float(sp.expand(expr).subs({s: 0 for s in syms}))
        return c, const

    ce, k0 = coeffs(e)
    K = len(assumptions)
    cols = [coeffs(g) for g, _ in assumptions]
    # variables: λ_1..λ_K, c ; equalities: coef per symbol, constant
    A_eq = [[cols[k][0][j] for k in range(K)] + [0.0] for j in range(len(syms))]
    b_eq = list(ce)
    A_eq.append([cols[k][1] for k in range(K)] + [1.0])
    b_eq.append(k0)
    obj = [-(1.0 if assumptions[k][1] else 0.0) for k in range(K)] + [-1.0]
    res = linprog(obj, A_eq=np.array(A_eq), b_eq=b_eq, bounds=[(0, None)] * (K + 1), method="highs")
    if res.status == 3:  # unbounded: the assumptions contradict each other
        return True
    if res.status != 0:
        return False
    return (-res.fun > 1e-9) if strict else True


def sign_of(e: sp.Expr, assumptions) -> int | None:
    """+1 (> 0), -1 (< 0), 0 (== 0), or None (undecided) under the symbols' and the given assumptions."""
    e = sp.expand(e)
    if e == 0:
        return 0
    if e.is_positive:
        return 1
    if e.is_negative:
        return -1
    if assumptions:
        if _implied_positive(e, assumptions, strict=True):
            return 1
        if _implied_positive(-e, assumptions, strict=True):
            return -1
    return None


def nonnegative(e: sp.Expr, assumptions) -> bool | None:
    """True if ``e >= 0`` is implied, False if ``e < 0`` is implied, else None."""
    e = sp.expand(e)
    if e == 0 or e.is_nonnegative:
        return True
    if e.is_negative:
        return False
    if assumptions:
        if _implied_positive(e, assumptions, strict=False):
            return True
        if _implied_positive(-e, assumptions, strict=True):
            return False
    return None
