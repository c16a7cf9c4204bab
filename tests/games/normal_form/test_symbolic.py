"""Symbolic games: equilibria as expressions with their parameter regions."""

from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidGameError, UnknownItemError
from jenga_games.games.normal_form import SymbolicGame, parse_expression

HD = SymbolicGame(
    [["(V - C)/2", "V"], [0, "V/2"]],
    [["(V - C)/2", 0], ["V", "V/2"]],
    parameters=["V", "C"],
    actions=[["Hawk", "Dove"], ["Hawk", "Dove"]],
)

GENERAL = SymbolicGame(
    [["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]], parameters=list("abcdefgh"), positive=False
)
GENERAL_EQS = GENERAL.equilibria()


def test_hawk_dove_textbook():
    # Maynard Smith (1982): if C > V the mixed equilibrium plays Hawk with probability V/C.
    V, C = sympy.symbols("V C", positive=True)
    eqs = {e.support: e for e in HD.equilibria()}
    assert set(eqs) == {
        (("Hawk",), ("Hawk",)),
        (("Hawk",), ("Dove",)),
        (("Dove",), ("Hawk",)),
        (("Hawk", "Dove"), ("Hawk", "Dove")),
    }
    mixed = eqs[(("Hawk", "Dove"), ("Hawk", "Dove"))]
    assert sympy.simplify(mixed.strategies[0][0] - V / C) == 0
    assert mixed.region == (C > V)
    assert eqs[(("Hawk",), ("Hawk",))].region == (C <= V)
    assert mixed.evaluate({"V": 2, "C": 5}) == ((0.4, 0.6), (0.4, 0.6))
    assert mixed.evaluate({"V": 5, "C": 2}) is None
    assert "where C > V" in repr(mixed)


def test_equilibria_at_boundary_uses_exact_enumeration():
    res = HD.equilibria_at({"V": 2, "C": 2})  # degenerate: V = C
    assert res.degenerate
    assert all(HD.subs({"V": 2, "C": 2}).is_equilibrium(e.profile) for e in res)


@settings(max_examples=40)
@given(st.lists(st.integers(-6, 6), min_size=8, max_size=8))
def test_regions_match_numeric_enumeration(vals):
    point = dict(zip("abcdefgh", vals))
    game = GENERAL.subs(point)
    numeric = game.equilibria("vertex_enumeration", exact=True)
    if numeric.degenerate:
        return  # regions describe nondegenerate parameter values
    got = sorted(
        tuple(F(x).limit_denominator(10**6) for row in e.evaluate(point) for x in row)
        for e in GENERAL_EQS
        if e.holds_at(point)
    )
    want = sorted(tuple(x for row in e.exact_strategies for x in row) for e in numeric)
    assert got == want


def test_three_by_two_with_one_parameter():
    # a commissioner's 3 options against a provider's 2, collapse cost C
    g = SymbolicGame([["4 - C", 1], [2, 2], [0, 3]], [[1, 0], [0, 1], [1, 2]], parameters=["C"])
    eqs = g.equilibria()
    for Cval in (F(1, 2), 1, 3, 7):
        if g.subs({"C": Cval}).is_degenerate():
            continue
        numeric = g.subs({"C": Cval}).equilibria("vertex_enumeration", exact=True)
        holding = [e for e in eqs if e.holds_at({"C": Cval})]
        assert len(holding) == len(numeric)
        for e in holding:
            assert g.subs({"C": Cval}).is_equilibrium(e.evaluate({"C": Cval}))


def test_parser_is_whitelisting():
    x, y = sympy.symbols("x y", positive=True)
    syms = {"x": x, "y": y}
    assert parse_expression("-(x + 2*y)^2 / 4 + 0.5", syms) == -(
        (x + 2 * y) ** 2
    ) / 4 + sympy.Rational(1, 2)
    with pytest.raises(UnknownItemError, match="unknown parameter 'z'"):
        parse_expression("x + z", syms)
    with pytest.raises(InvalidGameError, match="cannot parse"):
        parse_expression("__import__('os')", syms)
    with pytest.raises(InvalidGameError, match="missing"):
        parse_expression("(x + y", syms)


def test_bad_symbolic_games():
    with pytest.raises(InvalidGameError, match="different shapes"):
        SymbolicGame([[1, 2]], [[1], [2]])
    with pytest.raises(InvalidGameError, match="rectangular"):
        SymbolicGame([[1, 2], [3]], [[1, 2], [3, 4]])
    with pytest.raises(InvalidGameError, match="missing"):
        HD.subs({"V": 1})
    assert np.array_equal(HD.subs({"V": 4, "C": 2}).payoffs[..., 0], [[1, 4], [0, 2]])
