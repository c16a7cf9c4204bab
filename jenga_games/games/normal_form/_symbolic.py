"""Symbolic two-player games: equilibria as expressions with the parameter region where each holds.

Payoffs are ``sympy`` expressions in named parameters (a gain ``g``, a
collapse cost ``C``, a trust level ``t``, ...). For every pair of supports
``(I, J)`` of equal size the indifference systems

.. math:: A_{IJ}\\, y_J = v \\mathbf 1,\\ \\mathbf 1^T y_J = 1, \\qquad
          B_{IJ}^T x_I = u \\mathbf 1,\\ \\mathbf 1^T x_I = 1

are solved symbolically (Cramer's rule on the parameters); the candidate is
an equilibrium exactly where the probabilities on the supports are
positive and no action outside a support pays more,

.. math:: x_i > 0\\ (i \\in I),\\ y_j > 0\\ (j \\in J),\\
          (A y)_k \\le v\\ (k \\notin I),\\ (B^T x)_l \\le u\\ (l \\notin J),

which is the returned *region* (a conjunction of inequalities in the
parameters). This is support enumeration ([Nisan2007]_ Algorithm 3.4)
carried out over the field of rational functions; it describes every
equilibrium at parameter values where the game is nondegenerate; on the
region boundaries (degenerate values) further equilibria may appear, which
``evaluate`` finds numerically by falling back to vertex enumeration.

Strings are parsed by a small whitelisting parser (numbers, declared
parameter names, ``+ - * / ^ **`` and parentheses), never by ``eval``.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy

from ..._results import Provenance, Result
from ...errors import InvalidGameError, UnknownItemError
from ._game import NormalFormGame

__all__ = ["SymbolicEquilibrium", "SymbolicGame", "parse_expression"]

_TOK = re.compile(
    r"\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/^()]))"
)


#: Limits that keep a hostile expression (``2^(10^10)``, a 10 MB string) from hanging the parser.
MAX_EXPRESSION_CHARS = 10_000
MAX_EXPONENT = 400


def parse_expression(text: str, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    """Parse an arithmetic expression over the given parameters (no ``eval``).

    Grammar: numbers, names from ``symbols``, unary ``+``/``-``, ``+ - * /``,
    powers ``^`` or ``**`` with integer-valued exponents or parameters, and
    parentheses. Decimals are read exactly (``0.1`` is ``1/10``).
    """
    if not isinstance(text, str):
        raise InvalidGameError(f"an expression must be text, got {text!r}")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise InvalidGameError(
            f"expression of {len(text):,} characters is too long (limit {MAX_EXPRESSION_CHARS:,}); "
            "simplify it or introduce a parameter"
        )
    try:
        out = _parse(text, symbols)
    except RecursionError:
        raise InvalidGameError(
            f"expression {text[:40]!r}... nests too deeply; remove some parentheses"
        ) from None
    if out.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise InvalidGameError(
            f"expression {text!r} divides by zero (it is {out}); fix the denominator"
        )
    return out


def _parse(text: str, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    toks: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOK.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise InvalidGameError(
                f"cannot parse {text!r} at {text[pos : pos + 10]!r}: "
                "use numbers, parameter names, + - * / ^ and parentheses"
            )
        if m.group(1):
            toks.append(("num", m.group(1)))
        elif m.group(2):
            toks.append(("name", m.group(2)))
        else:
            toks.append(("op", m.group(3)))
        pos = m.end()
    toks.append(("end", ""))
    i = 0

    def peek():
        return toks[i]

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def atom():
        kind, val = take()
        if kind == "num":
            if len(val) > 100:
                raise InvalidGameError(
                    f"number {val[:20]!r}... in {text[:40]!r} has more than 100 characters; "
                    "rescale or use a parameter"
                )
            exponent = val.lower().partition("e")[2]
            if exponent and abs(int(exponent[:6])) > MAX_EXPONENT:
                raise InvalidGameError(
                    f"number {val!r} in {text[:40]!r} is out of range "
                    f"(exponent beyond +-{MAX_EXPONENT}); rescale the payoffs"
                )
            return sympy.Rational(val)
        if kind == "name":
            if val not in symbols:
                raise UnknownItemError(
                    f"unknown parameter {val!r} in {text!r}; declare it in parameters= (known: {sorted(symbols)})"
                )
            return symbols[val]
        if val == "(":
            e = expr()
            if take()[1] != ")":
                raise InvalidGameError(f"missing ')' in {text!r}")
            return e
        raise InvalidGameError(f"unexpected {val or 'end'!r} in {text!r}")

    def unary():
        if peek() == ("op", "-"):
            take()
            return -unary()
        if peek() == ("op", "+"):
            take()
            return unary()
        return power()

    def power():
        base = atom()
        if peek()[1] in ("^", "**"):
            take()
            exponent = unary()
            if exponent.is_number and (
                abs(exponent) > MAX_EXPONENT
                or (
                    base.is_number
                    and abs(base) != 1
                    and abs(exponent) * sympy.log(abs(base) if base != 0 else 1, 10)
                    > 10 * MAX_EXPONENT
                )
            ):
                raise InvalidGameError(
                    f"power {base}^{exponent} in {text[:40]!r} is out of range (exponent beyond "
                    f"+-{MAX_EXPONENT}); rescale the payoffs"
                )
            return base**exponent
        return base

    def term():
        e = unary()
        while peek()[1] in ("*", "/"):
            op = take()[1]
            r = unary()
            e = e * r if op == "*" else e / r
        return e

    def expr():
        e = term()
        while peek()[1] in ("+", "-"):
            op = take()[1]
            r = term()
            e = e + r if op == "+" else e - r
        return e

    out = expr()
    if peek()[0] != "end":
        raise InvalidGameError(f"unexpected {peek()[1]!r} in {text!r}")
    return out


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class SymbolicEquilibrium(Result):
    """One family of equilibria of a :class:`SymbolicGame`, valid on a parameter region.

    Attributes
    ----------
    strategies : tuple of tuple of sympy.Expr
        Probabilities as expressions in the parameters.
    payoffs : tuple of sympy.Expr
    support : tuple of tuple of str
    conditions : tuple of sympy relational
        The inequalities (all must hold) that define the region.
    region : sympy boolean
        ``And(*conditions)``.
    players, actions : labels
    provenance : Provenance
    """

    strategies: tuple[tuple[Any, ...], ...]
    payoffs: tuple[Any, ...]
    support: tuple[tuple[str, ...], ...]
    conditions: tuple[Any, ...]
    region: Any
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    provenance: Provenance | None = None

    def holds_at(self, values: Mapping[str, Any]) -> bool:
        """Whether the parameter point ``values`` lies in the region (exact for rational values)."""
        if self.region in (sympy.true, True):
            r = sympy.true
        else:
            subs = _subs_map(self.region.free_symbols, values)
            try:
                r = self.region.subs(subs)
            except TypeError:  # a denominator vanishes: the support system is singular here
                return False
        if r in (sympy.true, True):
            return True
        if r in (sympy.false, False):
            return False
        raise InvalidGameError(f"give values for every parameter of the region {self.region}")

    def evaluate(self, values: Mapping[str, Any]) -> tuple[tuple[float, ...], ...] | None:
        """The probabilities at ``values``, or ``None`` when the point is outside the region."""
        if not self.holds_at(values):
            return None
        syms = set().union(*(x.free_symbols for row in self.strategies for x in row))
        subs = _subs_map(syms, values)
        return tuple(
            tuple(float(sympy.sympify(x).subs(subs)) for x in row) for row in self.strategies
        )

    def __repr__(self) -> str:
        parts = []
        for p, acts, row in zip(self.players, self.actions, self.strategies):
            items = [f"{a}: {x}" for a, x in zip(acts, row) if x != 0]
            parts.append(f"{p}={{{', '.join(items)}}}")
        return f"SymbolicEquilibrium({', '.join(parts)}; where {self.region})"


def _subs_map(symbols, values: Mapping[str, Any]) -> dict:
    by_name = {s.name: s for s in symbols}
    out = {}
    for k, v in values.items():
        name = k.name if isinstance(k, sympy.Symbol) else str(k)
        if name in by_name:
            out[by_name[name]] = _value(v, name)
    return out


def _value(v: Any, name: str) -> sympy.Expr:
    """A parameter value as a sympy number; text goes through :func:`parse_expression`, never ``sympify``."""
    from fractions import Fraction

    if isinstance(v, sympy.Basic):
        if not v.is_number:
            raise InvalidGameError(f"value of {name!r} must be a number, got {v}")
        return v
    if isinstance(v, str):
        return parse_expression(v, {})  # numbers and arithmetic only: code is refused
    if isinstance(v, bool) or not isinstance(v, int | float | Fraction | np.integer | np.floating):
        raise InvalidGameError(
            f"value of {name!r} must be a number (or arithmetic text such as '3/2'), got {v!r}"
        )
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, float | np.floating):
        if not np.isfinite(v):
            raise InvalidGameError(f"value of {name!r} must be finite, got {v!r}")
        return sympy.nsimplify(float(v), rational=True)
    return sympy.Integer(int(v))


class SymbolicGame:
    """A two-player game whose payoffs are ``sympy`` expressions in named parameters.

    Parameters
    ----------
    A, B : 2-d sequences
        Row and column player's payoffs: sympy expressions, numbers, or
        strings parsed over ``parameters`` (no ``eval``).
    parameters : sequence of str or sympy.Symbol, optional
        The parameter names. Names become *real* symbols, *positive* when
        ``positive=True`` (the default: gains, costs and probabilities are
        positive in the models here), which lets the regions simplify.
        Inferred from sympy expressions when omitted.
    players, actions : labels, as for :class:`NormalFormGame`.
    positive : bool

    Examples
    --------
    >>> hd = SymbolicGame([["(V - C)/2", "V"], [0, "V/2"]], [["(V - C)/2", 0], ["V", "V/2"]],
    ...                   parameters=["V", "C"], actions=[["Hawk", "Dove"], ["Hawk", "Dove"]])
    >>> [e.support for e in hd.equilibria()][0]
    (('Hawk',), ('Hawk',))
    """

    def __init__(
        self,
        A,
        B,
        parameters: Sequence[str | sympy.Symbol] | None = None,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        positive: bool = True,
    ):
        symbols: dict[str, sympy.Symbol] = {}
        for p in parameters or []:
            if isinstance(p, sympy.Symbol):
                symbols[p.name] = p
            elif isinstance(p, str) and re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", p):
                symbols[p] = (
                    sympy.Symbol(p, positive=True) if positive else sympy.Symbol(p, real=True)
                )
            else:
                raise InvalidGameError(f"parameter names must be identifiers; got {p!r}")
        mats = []
        for name, M in (("A", A), ("B", B)):
            rows = [list(r) for r in M] if not isinstance(M, sympy.MatrixBase) else M.tolist()
            if not rows or any(len(r) != len(rows[0]) for r in rows) or len(rows[0]) == 0:
                raise InvalidGameError(
                    f"payoff matrix {name} must be a non-empty rectangular 2-d array"
                )
            mats.append([[self._expr(v, symbols) for v in r] for r in rows])
        if (len(mats[0]), len(mats[0][0])) != (len(mats[1]), len(mats[1][0])):
            raise InvalidGameError(
                f"A and B have different shapes {(len(mats[0]), len(mats[0][0]))} and "
                f"{(len(mats[1]), len(mats[1][0]))}"
            )
        for M in mats:
            for r in M:
                for v in r:
                    for s in v.free_symbols:
                        symbols.setdefault(s.name, s)
        self.A = sympy.Matrix(mats[0])
        self.B = sympy.Matrix(mats[1])
        self.parameters = tuple(symbols.values())
        self.shape = (self.A.rows, self.A.cols)
        shell = NormalFormGame.bimatrix(
            np.zeros(self.shape), np.zeros(self.shape), players=players, actions=actions
        )
        self.players, self.actions, self.n_players = shell.players, shell.actions, 2

    @staticmethod
    def _expr(v, symbols) -> sympy.Expr:
        if isinstance(v, sympy.Basic):
            return sympy.sympify(v)
        if isinstance(v, str):
            return parse_expression(v, symbols)
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            from fractions import Fraction

            if isinstance(v, Fraction):
                return sympy.Rational(v.numerator, v.denominator)
            raise InvalidGameError(f"payoff {v!r} is not a number, a string or a sympy expression")
        if isinstance(v, float | np.floating) and not np.isfinite(v):
            raise InvalidGameError(f"payoff {v!r} is not finite")
        return (
            sympy.nsimplify(v, rational=True)
            if isinstance(v, float | np.floating)
            else sympy.Integer(int(v))
        )

    def __repr__(self) -> str:
        return f"SymbolicGame({self.shape[0]} x {self.shape[1]}; parameters={[s.name for s in self.parameters]})"

    def subs(self, values: Mapping[str, Any]) -> NormalFormGame:
        """The numeric :class:`NormalFormGame` at a parameter point (exact for rational values)."""
        subs = _subs_map(self.parameters, values)
        missing = [s.name for s in self.parameters if s not in subs]
        if missing:
            raise InvalidGameError(f"give a value for every parameter; missing {missing}")
        from fractions import Fraction

        def num(e):
            v = sympy.sympify(e).subs(subs)
            if v.is_Rational:
                return Fraction(int(v.p), int(v.q))
            if v.is_real is False or not v.is_number:
                raise InvalidGameError(f"payoff {e} is not a real number at {dict(values)}")
            return float(v)

        A = [[num(self.A[i, j]) for j in range(self.shape[1])] for i in range(self.shape[0])]
        B = [[num(self.B[i, j]) for j in range(self.shape[1])] for i in range(self.shape[0])]
        return NormalFormGame.bimatrix(A, B, players=self.players, actions=self.actions)

    def equilibria(self) -> tuple[SymbolicEquilibrium, ...]:
        """Every equilibrium family with its region (support enumeration over the parameters)."""
        m, n = self.shape
        prov = Provenance("symbolic_support_enumeration", {}, exact=True)
        out = []
        for k in range(1, min(m, n) + 1):
            for rows, cols in itertools.product(
                itertools.combinations(range(m), k), itertools.combinations(range(n), k)
            ):
                eq = self._support_pair(rows, cols, prov)
                if eq is not None:
                    out.append(eq)
        return tuple(out)

    def equilibria_at(self, values: Mapping[str, Any]):
        """The numeric equilibria at a parameter point: ``self.subs(values).equilibria(...)``.

        Uses exact vertex enumeration, so it is also right on region boundaries
        (degenerate parameter values).
        """
        return self.subs(values).equilibria("vertex_enumeration", exact=True)

    def _support_pair(self, rows, cols, prov):
        k = len(rows)
        AIJ = self.A.extract(list(rows), list(cols))
        BIJt = self.B.extract(list(rows), list(cols)).T
        sol_y = _indifference(AIJ)
        sol_x = _indifference(BIJt)
        if sol_y is None or sol_x is None:
            return None
        yJ, v = sol_y
        xI, u = sol_x
        m, n = self.shape
        x = [sympy.Integer(0)] * m
        y = [sympy.Integer(0)] * n
        for i, val in zip(rows, xI):
            x[i] = val
        for j, val in zip(cols, yJ):
            y[j] = val
        conds = []
        if k > 1:
            conds += [val > 0 for val in xI] + [val > 0 for val in yJ]
        for r in range(m):
            if r not in rows:
                conds.append(sum((self.A[r, j] * y[j] for j in cols), sympy.Integer(0)) <= v)
        for c in range(n):
            if c not in cols:
                conds.append(sum((self.B[i, c] * x[i] for i in rows), sympy.Integer(0)) <= u)
        simplified = []
        for c in conds:
            s = _simplify_condition(c)
            if s is sympy.false:
                return None
            if s is not sympy.true and s not in simplified:
                simplified.append(s)
        region = sympy.And(*simplified) if simplified else sympy.true
        free = list(region.free_symbols) if region is not sympy.true else []
        if len(free) == 1:  # one parameter: intersect the intervals
            sym = free[0]
            domain = sympy.Interval.open(0, sympy.oo) if sym.is_positive else sympy.Reals
            sol = region.as_set().intersect(domain)
            if sol is sympy.EmptySet:
                return None
            region = sympy.true if sol == domain else sol.as_relational(sym)
            simplified = (
                list(region.args)
                if isinstance(region, sympy.And)
                else ([] if region is sympy.true else [region])
            )
        if region is sympy.false:
            return None
        support = (tuple(self.actions[0][i] for i in rows), tuple(self.actions[1][j] for j in cols))
        return SymbolicEquilibrium(
            (tuple(x), tuple(y)),
            (sympy.factor(v), sympy.factor(u)),
            support,
            tuple(simplified),
            region,
            self.players,
            self.actions,
            prov,
        )


def _indifference(M: sympy.Matrix):
    """Solve ``M z = w 1, 1^T z = 1`` symbolically; ``None`` if singular for generic parameters."""
    k = M.rows
    K = sympy.zeros(k + 1, k + 1)
    K[:k, :k] = M
    for r in range(k):
        K[r, k] = -1
        K[k, r] = 1
    det = sympy.cancel(K.det())  # rational functions: cancel is canonical (0 iff zero) and fast
    if det == 0:
        return None
    rhs = sympy.zeros(k + 1, 1)
    rhs[k, 0] = 1
    sol = K.LUsolve(rhs)
    vals = [sympy.factor(sympy.cancel(sol[r, 0])) for r in range(k + 1)]
    return vals[:k], vals[k]


def _simplify_condition(c):
    """Reduce ``lhs REL rhs`` to ``numerator REL 0`` when the denominator's sign is known."""
    if c in (sympy.true, sympy.false):
        return c
    expr = sympy.factor(sympy.together(c.lhs - c.rhs))
    rel = type(c)
    num, den = sympy.fraction(expr)
    if den.is_positive:
        expr = num
    elif den.is_negative:
        expr = -num
        rel = {
            sympy.StrictGreaterThan: sympy.StrictLessThan,
            sympy.GreaterThan: sympy.LessThan,
            sympy.StrictLessThan: sympy.StrictGreaterThan,
            sympy.LessThan: sympy.GreaterThan,
        }[rel]
    expr = sympy.factor(expr)
    # drop positive constant factors
    if isinstance(expr, sympy.Mul):
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_positive:
            expr = rest
        elif coeff.is_negative:  # divide by the negative constant: the relation flips
            expr = rest
            rel = {
                sympy.StrictGreaterThan: sympy.StrictLessThan,
                sympy.GreaterThan: sympy.LessThan,
                sympy.StrictLessThan: sympy.StrictGreaterThan,
                sympy.LessThan: sympy.GreaterThan,
            }[rel]
    out = rel(expr, 0)
    if out in (sympy.true, sympy.false):
        return out
    if isinstance(expr, sympy.Add):  # "V - C <= 0" reads better as "V <= C"
        pos = [t for t in expr.args if t.as_coeff_Mul()[0].is_positive]
        neg = [-t for t in expr.args if t.as_coeff_Mul()[0].is_negative]
        if pos and neg and len(pos) + len(neg) == len(expr.args):
            return rel(sympy.Add(*pos), sympy.Add(*neg))
    # a single linear-in-one-symbol inequality reads better solved for that symbol
    free = list(out.free_symbols)
    if len(free) == 1:
        try:
            return sympy.solve_univariate_inequality(out, free[0], relational=True)
        except (
            ValueError,
            TypeError,
            RuntimeError,
        ):  # sympy cannot solve it (NotImplemented is a RuntimeError): keep the inequality
            return out
    return out
