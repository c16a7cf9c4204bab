"""Mixed equilibria of small n-player games, exactly: support enumeration with polynomial systems.

For a support profile ``(S_1, ..., S_n)`` the equilibrium conditions inside
the supports are the indifference equations

.. math::

    u_i(a, σ_{-i}) = v_i \\quad (a \\in S_i), \\qquad \\sum_{a \\in S_i} σ_i(a) = 1,

a system of polynomial (multilinear) equations in the probabilities, solved
exactly by ``sympy.solve`` (Gröbner bases / resultants). A solution is an
equilibrium when every probability is real and positive on its support and
no action outside the support pays more: ``u_i(b, σ_{-i}) <= v_i``
(the approach of [McKelvey1996]_ and Gambit's ``enumpoly``
[McKelvey2016]_). Solutions may be irrational (algebraic numbers, kept as
``sympy`` expressions). When a support's solution set still has free
variables the equilibria there form a *continuum*; it is reported in
``EquilibriumSet.continua`` (its points are not enumerated).

Exponential in the number of supports ``∏ (2^{a_i} - 1)``: meant for small
games (see :data:`MAX_SUPPORTS`).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import sympy

from ..._results import Provenance
from ..._rng import make_rng
from ...errors import TooLargeError
from ._equilibrium import EquilibriumSet, certify, dedupe, sort_key

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["MAX_SUPPORTS", "polynomial_equilibria"]

MAX_SUPPORTS = 5_000
"""Largest number of support profiles ``∏ (2^{a_i} - 1)`` the polynomial method accepts."""

_AUTO_SUPPORTS = 100
_EPS = sympy.Rational(1, 10**30)


def auto_is_small(game: NormalFormGame) -> bool:
    """Whether ``method="auto"`` should use the polynomial method on ``game``."""
    return _n_supports(game.shape) <= _AUTO_SUPPORTS


def _n_supports(shape) -> int:
    return math.prod(2**a - 1 for a in shape)


def _subsets(a: int, max_support: int | None):
    top = a if max_support is None else min(a, max_support)
    for k in range(1, top + 1):
        yield from itertools.combinations(range(a), k)


def _value(U, i, a, sigma, n):
    """u_i(a, σ_{-i}) as a sympy expression (sum over the others' supports)."""
    ranges = [range(len(sigma[j])) if j != i else [a] for j in range(n)]
    total = sympy.Integer(0)
    for idx in itertools.product(*ranges):
        w = sympy.Integer(1)
        for j, k in enumerate(idx):
            if j != i:
                w *= sigma[j][k]
                if w == 0:
                    break
        if w != 0:
            total += w * U[(*idx, i)]
    return sympy.expand(total)


def _is_nonneg(x) -> bool:
    if x.is_Rational:
        return x >= 0
    v = sympy.N(x, 60)
    if abs(sympy.im(v)) > 1e-40:
        return False
    return sympy.re(v) >= -1e-40


def _is_pos(x) -> bool:
    if x.is_Rational:
        return x > 0
    v = sympy.N(x, 60)
    return abs(sympy.im(v)) <= 1e-40 and sympy.re(v) > 1e-40


def _is_real(x) -> bool:
    if x.is_real:
        return True
    v = sympy.N(x, 60)
    return abs(sympy.im(v)) <= 1e-40


def _leq(a, b) -> bool:
    d = sympy.nsimplify(b - a) if not (a.is_Rational and b.is_Rational) else b - a
    return _is_nonneg(d)


def polynomial_equilibria(game: NormalFormGame, max_support: int | None = None) -> EquilibriumSet:
    """Every isolated Nash equilibrium of a small n-player game, in exact arithmetic.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; payoffs are used exactly (see
        :attr:`NormalFormGame.exact_payoffs`).
    max_support : int, optional
        Only supports of at most this many actions per player.

    Returns
    -------
    EquilibriumSet
        ``complete=True`` when ``max_support`` is ``None`` and no continuum
        was found (every equilibrium is then isolated and listed).
        Equilibria with rational probabilities carry ``exact_strategies``;
        irrational ones carry ``algebraic_strategies`` (sympy expressions)
        and are certified in floating point.

    Raises
    ------
    TooLargeError
        More than :data:`MAX_SUPPORTS` support profiles.
    """
    shape = game.shape
    n = game.n_players
    count = (
        _n_supports(shape)
        if max_support is None
        else math.prod(
            sum(math.comb(a, k) for k in range(1, min(a, max_support) + 1)) for a in shape
        )
    )
    if count > MAX_SUPPORTS:
        raise TooLargeError(
            f"the polynomial method would try {count} support profiles (limit {MAX_SUPPORTS}); "
            "pass max_support=2, or use method='pure' for the pure equilibria"
        )
    E = game.exact_payoffs
    U = np.empty(E.shape, dtype=object)
    U.ravel()[:] = [sympy.Rational(v.numerator, v.denominator) for v in E.ravel()]
    prov = Provenance("polynomial", {"max_support": max_support}, exact=True)
    rational_found: list[tuple[tuple[Fraction, ...], ...]] = []
    algebraic_found: list[tuple] = []
    continua: list[str] = []
    for supports in itertools.product(*(list(_subsets(a, max_support)) for a in shape)):
        if all(len(S) == 1 for S in supports):
            continue  # pure profiles: found by the vectorised pure search below
        # the last action of each support takes the remaining probability
        syms = []
        for i in range(n):
            row: list = [sympy.Integer(0)] * shape[i]
            free_i = [sympy.Symbol(f"p{i}_{k}") for k in supports[i][:-1]]
            for k, sym in zip(supports[i][:-1], free_i):
                row[k] = sym
            row[supports[i][-1]] = 1 - sum(free_i)
            syms.append(row)
        unknowns = [syms[i][k] for i in range(n) for k in supports[i][:-1]]
        eqs = []
        for i in range(n):
            first = _value(U, i, supports[i][0], syms, n)
            for a in supports[i][1:]:
                eqs.append(sympy.expand(_value(U, i, a, syms, n) - first))
        eqs = [e for e in eqs if e != 0]
        if any(e.is_number for e in eqs):
            continue  # a nonzero constant: inconsistent
        sols = sympy.solve(eqs, unknowns, dict=True) if eqs else [{}]
        for sol in sols:
            sigma = [[sympy.sympify(s).subs(sol) for s in syms[i]] for i in range(n)]
            free = set().union(*(x.free_symbols for row in sigma for x in row))
            if free:
                witness = _continuum_witness(game, U, sigma, supports, sorted(free, key=str))
                if witness is not None:
                    desc = "; ".join(
                        f"{game.players[i]}: "
                        + ", ".join(f"{game.actions[i][k]}={sigma[i][k]}" for k in supports[i])
                        for i in range(n)
                    )
                    wdesc = ", ".join(f"{k}={v:.4g}" for k, v in witness.items())
                    continua.append(
                        f"support {_labels(game, supports)}: a continuum of equilibria "
                        f"({desc}), e.g. at {wdesc}"
                    )
                continue
            if not all(_is_real(x) for row in sigma for x in row):
                continue
            if not all(_is_pos(sigma[i][k]) for i in range(n) for k in supports[i]):
                continue
            ok = True
            for i in range(n):
                v = _value(U, i, supports[i][0], sigma, n)
                for b in range(shape[i]):
                    if b not in supports[i] and not _leq(_value(U, i, b, sigma, n), v):
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                continue
            if all(x.is_Rational for row in sigma for x in row):
                rational_found.append(
                    tuple(tuple(Fraction(int(x.p), int(x.q)) for x in row) for row in sigma)
                )
            else:
                algebraic_found.append(
                    tuple(
                        tuple(sympy.nsimplify(x) if x.is_Rational else x for x in row)
                        for row in sigma
                    )
                )
    from ._pure import pure_equilibrium_mask

    for idx in np.argwhere(pure_equilibrium_mask(game, exact=True)):
        rational_found.append(
            tuple(tuple(Fraction(int(k == j)) for k in range(shape[i])) for i, j in enumerate(idx))
        )
    eqs_out = []
    for ex in sorted(
        set(rational_found), key=lambda s: sort_key([np.array([float(v) for v in r]) for r in s])
    ):
        eqs_out.append(certify(game, None, "polynomial", prov, exact=ex))
    floats = [
        tuple(np.array([float(sympy.re(sympy.N(x, 30))) for x in row]) for row in alg)
        for alg in algebraic_found
    ]
    keep = dedupe(floats, atol=1e-12)
    for fl in keep:
        alg = algebraic_found[next(t for t, f in enumerate(floats) if f is fl)]
        eqs_out.append(certify(game, fl, "polynomial", prov, algebraic=alg))
    eqs_out.sort(key=lambda e: sort_key(e.strategies))
    complete = max_support is None and not continua
    return EquilibriumSet(
        tuple(eqs_out),
        "polynomial",
        complete=complete,
        degenerate=None,
        continua=tuple(continua),
        provenance=prov,
    )


def _continuum_witness(game, U, sigma, supports, free, samples: int = 400):
    """A parameter point where a parametric solution is an equilibrium (checked in floats), or None."""
    n = game.n_players
    rng = make_rng(0)  # fixed: the witness search is deterministic
    f = sympy.lambdify(free, [sigma[i][k] for i in range(n) for k in range(game.shape[i])], "math")
    pts = [rng.random(len(free)) for _ in range(samples)]
    pts += [np.full(len(free), v) for v in (0.5, 1 / 3, 2 / 3)]
    for pt in pts:
        try:
            flat = np.array(f(*pt), dtype=float)
        except (ZeroDivisionError, OverflowError, TypeError, ValueError):
            continue
        strategies, pos = [], 0
        for i in range(n):
            strategies.append(flat[pos : pos + game.shape[i]])
            pos += game.shape[i]
        if any((s < -1e-12).any() or abs(s.sum() - 1) > 1e-9 for s in strategies):
            continue
        if any(strategies[i][k] <= 1e-12 for i in range(n) for k in supports[i]):
            continue
        if game.is_equilibrium(
            [np.clip(s, 0, None) / np.clip(s, 0, None).sum() for s in strategies]
        ):
            return {str(sym): float(v) for sym, v in zip(free, pt)}
    return None


def _labels(game: NormalFormGame, supports) -> str:
    return (
        "("
        + "; ".join(
            f"{game.players[i]}: {{{', '.join(game.actions[i][k] for k in s)}}}"
            for i, s in enumerate(supports)
        )
        + ")"
    )
