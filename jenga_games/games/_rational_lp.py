"""Linear programs in floating point (HiGHS) and in exact rational arithmetic.

Both solve

.. math:: \\max_x c^\\top x \\quad\\text{s.t.}\\quad A_{ub} x \\le b_{ub},\\;
          A_{eq} x = b_{eq},\\; x_j \\ge 0 \\ (j \\notin F),

where ``F`` is a set of free variables. The exact solver is a dense two-phase
primal simplex over :class:`fractions.Fraction` (Dantzig's rule, switching to
Bland's rule after a run of degenerate pivots so that it cannot cycle)
[Dantzig1963]_; it is meant for the small programs of the game solvers
(correlated equilibria, Stackelberg commitments, sequence forms of small trees).

The exact tableau is held fraction-free: every row is scaled to integers and
pivots are integer (Edmonds') pivots [Edmonds1967]_ [Bareiss1968]_. With
``D`` the last pivot element (the determinant of the basis, up to sign), the
tableau ``T`` of integers stands for ``T / D``, and pivoting on ``T[r][j]``
replaces every other row by

.. math:: T_{it} \\leftarrow (T_{rj} T_{it} - T_{ij} T_{rt}) / D,

a division that is always exact. Pivot choices are those of the same simplex
over fractions (:func:`_exact_simplex`, kept as the test oracle): the reduced
cost of a slack or artificial column of a row scaled by ``L`` is compared
after multiplying it by ``L``, which undoes the scaling, so both return the
same vertex.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ..errors import LPError

__all__ = ["LPSolution", "solve_lp"]

_DEGENERATE_RUN = 20  # degenerate pivots in a row before Bland's rule takes over


@dataclasses.dataclass(frozen=True)
class LPSolution:
    """An optimal solution: ``x`` (floats), ``value``, and their exact forms when exact."""

    x: np.ndarray
    value: float
    exact_x: tuple[Fraction, ...] | None = None
    exact_value: Fraction | None = None


def _as_rows(A, n: int) -> list[list]:
    if A is None:
        return []
    rows = [list(r) for r in A]
    for r in rows:
        if len(r) != n:
            raise LPError(f"an LP row has {len(r)} coefficients; expected {n}")
    return rows


def solve_lp(
    c: Sequence,
    A_ub=None,
    b_ub=None,
    A_eq=None,
    b_eq=None,
    free: Sequence[int] = (),
    exact: bool = False,
    what: str = "LP",
) -> LPSolution:
    """Maximise ``c·x`` (see the module docstring); raises :class:`LPError` unless optimal.

    In exact mode every coefficient is converted to a :class:`~fractions.Fraction`
    (floats exactly) and the optimum is exact.
    """
    n = len(c)
    if not exact:
        from scipy.optimize import linprog

        bounds = [(None, None) if j in set(free) else (0, None) for j in range(n)]
        res = linprog(
            -np.asarray(c, dtype=float),
            A_ub=None if A_ub is None or len(A_ub) == 0 else np.asarray(A_ub, dtype=float),
            b_ub=None if b_ub is None or len(b_ub) == 0 else np.asarray(b_ub, dtype=float),
            A_eq=None if A_eq is None or len(A_eq) == 0 else np.asarray(A_eq, dtype=float),
            b_eq=None if b_eq is None or len(b_eq) == 0 else np.asarray(b_eq, dtype=float),
            bounds=bounds,
            method="highs",
        )
        if res.status != 0:
            raise LPError(f"{what}: HiGHS returned status {res.status} ({res.message})")
        return LPSolution(x=np.asarray(res.x, dtype=float), value=float(-res.fun))
    x, val = _integer_simplex(
        _fractions(c),
        [_fractions(r) for r in _as_rows(A_ub, n)],
        _fractions(b_ub if b_ub is not None else []),
        [_fractions(r) for r in _as_rows(A_eq, n)],
        _fractions(b_eq if b_eq is not None else []),
        set(free),
        what,
    )
    return LPSolution(
        x=np.array([float(v) for v in x]), value=float(val), exact_x=tuple(x), exact_value=val
    )


def _fractions(values) -> list:
    """Exact forms of the coefficients (Fractions and ints kept as they are; floats exactly)."""
    return [v if type(v) is Fraction or type(v) is int else Fraction(v) for v in values]


def _lcm_den(values) -> int:
    m = 1
    for v in values:
        d = v.denominator
        if d != 1:
            m = m * d // math.gcd(m, d)
    return m


def _integer_simplex(c, A_ub, b_ub, A_eq, b_eq, free, what):
    """Same inputs and answer as :func:`_exact_simplex`, by integer pivoting."""
    n = len(c)
    minus = sorted(free)
    cols = n + len(minus)
    n_ub = len(A_ub)
    rows: list[list[int]] = []
    scale: list[int] = []
    for r, b in [*zip(A_ub, b_ub), *zip(A_eq, b_eq)]:
        full = [*r, *(-r[j] for j in minus)]
        L = _lcm_den([*full, b])
        rows.append([v.numerator * (L // v.denominator) for v in (*full, b)])
        scale.append(L)
    m = len(rows)
    total = cols + n_ub
    # tableau rows over [x, slacks, artificials | rhs]; weight[t] undoes the row scaling
    T: list[list[int]] = []
    basis: list[int] = []
    weight = [1] * cols + scale[:n_ub]
    art_rows = []
    for i in range(m):
        row = rows[i]
        body = row[:cols] + [0] * n_ub
        b = row[cols]
        if i < n_ub:
            body[cols + i] = 1
        if b < 0:
            body = [-v for v in body]
            b = -b
        if i < n_ub and body[cols + i] == 1:
            basis.append(cols + i)
        else:
            basis.append(-1)
            art_rows.append(i)
        T.append([*body, b])
    n_art = len(art_rows)
    width = total + n_art
    for a, i in enumerate(art_rows):
        T[i] = [*T[i][:total], *([0] * n_art), T[i][total]]
        T[i][total + a] = 1
        basis[i] = total + a
    if n_art:
        for i in range(m):
            if basis[i] < total:
                T[i] = [*T[i][:total], *([0] * n_art), T[i][total]]
        weight += [scale[i] for i in art_rows]
        # phase 1: maximise -sum(artificials); reduced costs priced out (D = 1)
        obj = [0] * total + [1] * n_art + [0]
        for i in art_rows:
            Ti = T[i]
            obj = [o - v for o, v in zip(obj, Ti)]
        T.append(obj)
        D = _int_run(T, basis, 1, width, weight, what + " (phase 1)")
        if T[-1][width] != 0:
            raise LPError(f"{what}: the program is infeasible")
        for i in range(m):  # drive remaining artificials out of the basis
            if basis[i] >= total:
                j = next((j for j in range(total) if T[i][j] != 0), None)
                if j is not None:
                    D = _int_pivot(T, i, j, D)
                    basis[i] = j
        keep = [i for i in range(m) if basis[i] < total]
        T = [[*T[i][:total], T[i][width]] for i in keep]
        basis = [basis[i] for i in keep]
        weight = weight[:total]
    else:
        D = 1
    # phase 2 objective row (over D): -c·D + Σ_i c_{B_i} T_i, with c scaled to integers
    Lc = _lcm_den(c)
    ci = [v.numerator * (Lc // v.denominator) for v in c]
    c2 = ci + [-ci[j] for j in minus] + [0] * n_ub + [0]
    obj = [-v * D for v in c2]
    for i, j in enumerate(basis):
        f = c2[j]
        if f:
            obj = [o + f * v for o, v in zip(obj, T[i])]
    T.append(obj)
    D = _int_run(T, basis, D, total, weight, what)
    sol = [Fraction(0)] * total
    for i, j in enumerate(basis):
        sol[j] = Fraction(T[i][total], D)
    x = sol[:n]
    for t, j in enumerate(minus):
        x[j] = x[j] - sol[n + t]
    value = sum((cv * xv for cv, xv in zip(c, x)), Fraction(0))
    return x, value


def _int_pivot(T, r, j, D):
    """Integer pivot on ``T[r][j]`` (all rows, the objective last); returns the new ``D > 0``."""
    row = T[r]
    p = row[j]
    nz = [t for t, v in enumerate(row) if v]
    for i in range(len(T)):
        if i != r:
            Ti = T[i]
            f = Ti[j]
            if f:
                new = [v * p for v in Ti]
                for t in nz:
                    new[t] -= f * row[t]
                T[i] = [v // D for v in new]
            elif p != D:
                T[i] = [v * p // D for v in Ti]
    if p < 0:  # keep D > 0: T / D is unchanged when both change sign
        for i in range(len(T)):
            T[i] = [-v for v in T[i]]
        p = -p
    return p


def _int_run(T, basis, D, width, weight, what):
    """Primal simplex on the integer tableau (objective row last); returns the final ``D``."""
    degenerate = 0
    m = len(T) - 1
    for _ in range(100_000):
        obj = T[m]
        bland = degenerate >= _DEGENERATE_RUN
        if bland:
            j = next((t for t in range(width) if obj[t] < 0), None)
        else:
            j, best = None, 0
            for t in range(width):
                v = obj[t]
                if v < 0:
                    v *= weight[t]
                    if v < best:
                        j, best = t, v
        if j is None:
            return D
        r = None
        for i in range(m):
            row = T[i]
            a = row[j]
            if a > 0:
                if r is None:
                    r = i
                    continue
                # ratio row[-1]/a against T[r][-1]/T[r][j] (both denominators positive)
                lhs, rhs = row[-1] * T[r][j], T[r][-1] * a
                if lhs < rhs or (lhs == rhs and bland and basis[i] < basis[r]):
                    r = i
        if r is None:
            raise LPError(f"{what}: the program is unbounded")
        degenerate = degenerate + 1 if T[r][-1] == 0 else 0
        D = _int_pivot(T, r, j, D)
        basis[r] = j
    raise LPError(f"{what}: the simplex did not finish in 100000 pivots")  # pragma: no cover


def _exact_simplex(c, A_ub, b_ub, A_eq, b_eq, free, what):
    """The same simplex over :class:`~fractions.Fraction` (the oracle of the integer one)."""
    n = len(c)
    # split free variables: x_j = x_j^+ - x_j^-; the minus parts are appended
    minus = sorted(free)
    cols = n + len(minus)

    def extend(row):
        return row + [-row[j] for j in minus]

    c2 = extend(list(c))
    rows, rhs, slack_of = [], [], []
    for r, b in zip(A_ub, b_ub):
        rows.append(extend(r))
        rhs.append(b)
        slack_of.append(True)
    for r, b in zip(A_eq, b_eq):
        rows.append(extend(r))
        rhs.append(b)
        slack_of.append(False)
    m = len(rows)
    n_slack = sum(slack_of)
    total = cols + n_slack
    # tableau rows: coefficients over [x, slacks, artificials] and the right-hand side
    T: list[list[Fraction]] = []
    basis: list[int] = []
    art_cols: list[int] = []
    k = 0
    zero = Fraction(0)
    n_art = 0
    for i in range(m):
        row = rows[i] + [zero] * n_slack
        if slack_of[i]:
            row[cols + k] = Fraction(1)
            slack_col = cols + k
            k += 1
        else:
            slack_col = None
        b = rhs[i]
        if b < 0:
            row = [-v for v in row]
            b = -b
        if slack_col is not None and row[slack_col] == 1:
            basis.append(slack_col)
            T.append([*row, b])
        else:
            basis.append(-1)  # artificial, fixed below
            T.append([*row, b])
            n_art += 1
    width = total + n_art
    a = 0
    for i in range(m):
        T[i] = T[i][:total] + [zero] * n_art + [T[i][total]]
        if basis[i] == -1:
            T[i][total + a] = Fraction(1)
            basis[i] = total + a
            art_cols.append(total + a)
            a += 1
    if art_cols:
        # phase 1: maximise -sum(artificials)
        obj = [zero] * (width + 1)
        for col in art_cols:  # the row holds -c; c = -1 on each artificial
            obj[col] = Fraction(1)
        _price_out(T, basis, obj)
        _run(T, basis, obj, width, what + " (phase 1)", allowed=width)
        if obj[width] != 0:  # objective row holds -(phase-1 value)
            raise LPError(f"{what}: the program is infeasible")
        # drive remaining artificials out of the basis
        for i in range(m):
            if basis[i] >= total:
                j = next((j for j in range(total) if T[i][j] != 0), None)
                if j is not None:
                    _pivot(T, i, j, None)
                    basis[i] = j
        keep = [i for i in range(m) if basis[i] < total]
        T = [[*T[i][:total], T[i][width]] for i in keep]
        basis = [basis[i] for i in keep]
    else:
        T = [[*r[:total], r[width]] for r in T]
    obj = [-v for v in c2] + [zero] * n_slack + [zero]
    _price_out(T, basis, obj)
    _run(T, basis, obj, total, what, allowed=total)
    sol = [zero] * total
    for i, j in enumerate(basis):
        sol[j] = T[i][total]
    x = sol[:n]
    for t, j in enumerate(minus):
        x[j] = x[j] - sol[n + t]
    value = sum((cv * xv for cv, xv in zip(c, x)), zero)
    return x, value


def _price_out(T, basis, obj):
    """Make the reduced costs of basic columns zero (objective row as ``-c`` form)."""
    for i, j in enumerate(basis):
        f = obj[j]
        if f:
            row = T[i]
            for t in range(len(obj)):
                if row[t]:
                    obj[t] -= f * row[t]


def _pivot(T, r, j, obj):
    piv = T[r][j]
    row = [v / piv for v in T[r]]
    T[r] = row
    nz = [t for t, v in enumerate(row) if v]
    for i in range(len(T)):
        if i != r:
            f = T[i][j]
            if f:
                Ti = T[i]
                for t in nz:
                    Ti[t] -= f * row[t]
    if obj is not None:
        f = obj[j]
        if f:
            for t in nz:
                obj[t] -= f * row[t]


def _run(T, basis, obj, width, what, allowed):
    """Primal simplex on the tableau; ``obj`` holds reduced costs (negative ⇒ improving)."""
    degenerate = 0
    for _ in range(100_000):
        bland = degenerate >= _DEGENERATE_RUN
        if bland:
            j = next((t for t in range(allowed) if obj[t] < 0), None)
        else:
            j, best = None, Fraction(0)
            for t in range(allowed):
                if obj[t] < best:
                    j, best = t, obj[t]
        if j is None:
            return
        r, ratio = None, None
        for i, row in enumerate(T):
            if row[j] > 0:
                q = row[-1] / row[j]
                if (
                    ratio is None or q < ratio or (q == ratio and bland and basis[i] < basis[r])  # type: ignore[index]
                ):
                    r, ratio = i, q
        if r is None:
            raise LPError(f"{what}: the program is unbounded")
        degenerate = degenerate + 1 if ratio == 0 else 0
        _pivot(T, r, j, obj)
        basis[r] = j
    raise LPError(f"{what}: the simplex did not finish in 100000 pivots")  # pragma: no cover
