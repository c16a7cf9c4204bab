"""Hypothesis strategies for normal-form games (shared by this area's tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from jenga_games.games.normal_form import NormalFormGame


@st.composite
def bimatrix_games(
    draw, min_actions: int = 1, max_actions: int = 4, integer: bool = False, high: int = 9
):
    """Two-player games; float payoffs (generically nondegenerate) or small integers (many ties)."""
    m = draw(st.integers(min_actions, max_actions))
    n = draw(st.integers(min_actions, max_actions))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if integer:
        A, B = rng.integers(-high, high + 1, (m, n)), rng.integers(-high, high + 1, (m, n))
        return NormalFormGame.bimatrix(A.tolist(), B.tolist())
    return NormalFormGame.bimatrix(rng.random((m, n)), rng.random((m, n)))


@st.composite
def nplayer_games(draw, max_players: int = 4, max_actions: int = 3, high: int = 3):
    """n-player games with small integer payoffs (ties are common)."""
    n = draw(st.integers(1, max_players))
    shape = tuple(draw(st.integers(1, max_actions)) for _ in range(n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return NormalFormGame(rng.integers(0, high + 1, (*shape, n)).tolist())
