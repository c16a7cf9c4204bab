"""Hypothesis strategies for TU games (small n)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from jenga_games.games.cooperative import TUGame

values = st.integers(-20, 40).map(float)


@st.composite
def games(draw, min_n: int = 1, max_n: int = 5, integer: bool = True):
    n = draw(st.integers(min_n, max_n))
    elems = values if integer else st.floats(-20, 40, allow_nan=False, width=32).map(float)
    vals = draw(st.lists(elems, min_size=2**n - 1, max_size=2**n - 1))
    return TUGame(n, [0.0, *vals])


@st.composite
def convex_games(draw, min_n: int = 2, max_n: int = 5):
    """Non-negative combinations of unanimity games u_T(S) = [T ⊆ S], plus an additive part: convex."""
    n = draw(st.integers(min_n, max_n))
    coef = draw(st.lists(st.integers(0, 6), min_size=2**n - 1, max_size=2**n - 1))
    add = draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    m = np.arange(2**n)
    v = np.zeros(2**n)
    for t, a in zip(range(1, 2**n), coef):
        v += a * ((m & t) == t)
    v += np.array([sum(add[i] for i in range(n) if s >> i & 1) for s in m])
    return TUGame(n, v)


@st.composite
def market_games(draw, min_n: int = 2, max_n: int = 5):
    """v(S) = min_k a_k(S): totally balanced, so the core is non-empty (Shapley & Shubik 1969)."""
    n = draw(st.integers(min_n, max_n))
    k = draw(st.integers(1, 3))
    a = np.array(
        draw(st.lists(st.lists(st.integers(0, 9), min_size=n, max_size=n), min_size=k, max_size=k)),
        dtype=float,
    )
    m = np.arange(2**n)
    bits = ((m[:, None] >> np.arange(n)) & 1).astype(float)
    return TUGame(n, (bits @ a.T).min(axis=1))
