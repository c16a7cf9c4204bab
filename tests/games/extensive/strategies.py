"""Hypothesis strategies for extensive games (shared by the tests of this folder)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from jenga_games.games.extensive import ExtensiveGame


@st.composite
def trees(draw, perfect_information=True, zero_sum=False, generic=False):
    """Random two-player trees with chance, small integer payoffs; information sets by
    merging a player's nodes at equal depth with the same own history (keeps perfect recall).

    ``generic=True`` draws payoffs from a continuum (three decimals) instead, so that no
    two outcomes tie (the setting of the limit theorems of the logit QRE)."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    g = ExtensiveGame(["A", "B"])
    frontier = [(g.root, 0, ((), ()))]
    depth_max = int(rng.integers(1, 4))
    keys = {}
    while frontier:
        node, depth, hist = frontier.pop()
        if depth >= depth_max or rng.random() < 0.2:
            if generic:
                u, w = (Fraction(round(x * 1000), 1000) for x in rng.uniform(-4, 4, 2))
                g.set_outcome(node, [u, -u] if zero_sum else [u, w])
            else:
                u = int(rng.integers(-4, 5))
                g.set_outcome(node, [u, -u] if zero_sum else [u, int(rng.integers(-4, 5))])
            continue
        if rng.random() < 0.25:
            kids = g.add_chance(node, {"h": Fraction(1, 3), "t": Fraction(2, 3)})
            for c in kids:
                frontier.append((c, depth + 1, hist))
            continue
        p = int(rng.integers(0, 2))
        key = None
        if not perfect_information:
            key = (p, depth, hist[p])
            if key in keys and rng.random() < 0.6:
                key = keys[key]
            else:
                keys[key] = (key, len(keys))
                key = keys[key]
        kids = g.add_move(node, p, ["l", "r"], infoset=key)
        iset = node.infoset.index
        for a, c in enumerate(kids):
            h = list(hist)
            h[p] = (*h[p], (iset, a))
            frontier.append((c, depth + 1, tuple(h)))
    return g
