"""The fraction-free simplex against the same simplex over Fractions (its oracle)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import LPError
from jenga_games.games._rational_lp import _exact_simplex, _integer_simplex, solve_lp

_coef = st.builds(Fraction, st.integers(-4, 4), st.sampled_from([1, 1, 2, 3, 6]))


@st.composite
def _programs(draw):
    n = draw(st.integers(1, 5))
    m_ub, m_eq = draw(st.integers(0, 4)), draw(st.integers(0, 2))
    row = st.lists(_coef, min_size=n, max_size=n)
    return (
        draw(row),
        draw(st.lists(row, min_size=m_ub, max_size=m_ub)),
        draw(st.lists(_coef, min_size=m_ub, max_size=m_ub)),
        draw(st.lists(row, min_size=m_eq, max_size=m_eq)),
        draw(st.lists(_coef, min_size=m_eq, max_size=m_eq)),
        draw(st.sets(st.integers(0, n - 1), max_size=2)),
    )


def _outcome(solver, prog):
    try:
        return solver(*prog, "LP")
    except LPError as e:
        return str(e)


@settings(max_examples=100, deadline=None)
@given(_programs())
def test_integer_pivoting_returns_the_fraction_simplex_answer(prog):
    # same pivot choices, so the same vertex (or the same infeasible/unbounded verdict)
    assert _outcome(_integer_simplex, prog) == _outcome(_exact_simplex, prog)


def test_exact_lp_known_optimum_and_verdicts():
    # max x + y s.t. x + 2y <= 4, 3x + y <= 6 (optimum (8/5, 6/5), value 14/5)
    sol = solve_lp([1, 1], [[1, 2], [3, 1]], [4, 6], exact=True)
    assert sol.exact_x == (Fraction(8, 5), Fraction(6, 5))
    assert sol.exact_value == Fraction(14, 5)
    with pytest.raises(LPError, match="infeasible"):
        solve_lp([1], [[1]], [-1], exact=True)
    with pytest.raises(LPError, match="unbounded"):
        solve_lp([1], [[-1]], [1], exact=True)
