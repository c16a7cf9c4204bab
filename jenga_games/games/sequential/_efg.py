"""The Jenga game tree as a Gambit extensive-form (``.efg``) file [McKelvey2016]_.

The tree is over histories (every order of removals), so it grows like
``n!``: only small instances fit (``max_nodes``). Each decision node is its
own information set (perfect information); each leaf its own outcome, whose
payoffs are the players' discounted totals. Actions are the block ids (as
strings) in tower order, then ``"pass"``. Forced passes (``must_move`` and no
standing eligible block) are not nodes: play moves on to the next player.
Payoffs are written exactly as rationals (``p/q``) after rounding floats to
denominators at most ``10^9``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..._io import atomic_write_text
from ...errors import TooLargeError
from ._payoff import add_move_payoff, turn_weight

__all__ = ["write_efg"]


def _q(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: float) -> str:
    f = Fraction(float(x)).limit_denominator(10**9)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def write_efg(game, path=None, title: str = "", max_nodes: int = 200_000) -> str:
    """The game as Gambit ``.efg`` text; written atomically to ``path`` if given.

    Raises
    ------
    TooLargeError
        When the tree has more than ``max_nodes`` nodes.
    """
    tower = game.tower
    ids = tower.ids
    T = game.n_turns
    lines: list[str] = []
    counters = {"nodes": 0, "outcome": 0, "infoset": [0] * game.n_players}
    cache: dict = {}

    def status(removed: frozenset):
        if removed not in cache:
            out = tower.cascade(removed)
            ends = out.fallen if game.fall_criterion == "fallen" else out.collapsed
            cache[removed] = (ends, frozenset(out.standing))
        return cache[removed]

    def count() -> None:
        counters["nodes"] += 1
        if counters["nodes"] > max_nodes:
            raise TooLargeError(
                f"the game tree has more than max_nodes={max_nodes:,} nodes ({game.n_blocks} blocks "
                "give up to n! histories): use a smaller tower, or raise max_nodes"
            )

    def leaf(pay: np.ndarray) -> None:
        count()
        counters["outcome"] += 1
        lines.append(f't "" {counters["outcome"]} "" {{ {", ".join(_num(v) for v in pay)} }}')

    def node(
        removed: frozenset, standing: frozenset, j: int, c: int, t: int, pay: np.ndarray
    ) -> None:
        E = game.eligible_matrix
        for hop in range(T):  # forced passes
            jj = (j + hop) % T
            p = int(game.turn_players[jj])
            moves = [b for b in ids if b in standing and E[p, tower.index[b]]]
            if moves or not game.must_move:
                break
        else:
            leaf(pay)
            return
        t += hop
        j = jj
        count()
        counters["infoset"][p] += 1
        labels = [_q(b) for b in moves] + ([] if game.must_move else ['"pass"'])
        lines.append(f'p "" {p + 1} {counters["infoset"][p]} "" {{ {" ".join(labels)} }} 0')
        w = turn_weight(game, t)
        for b in moves:
            new = removed | {b}
            ends, st = status(new)
            r = add_move_payoff(pay.copy(), game, p, tower.index[b], ends, w)
            if ends:
                leaf(r)
            else:
                node(new, st, (j + 1) % T, 0, t + 1, r)
        if not game.must_move:
            if c + 1 == T:
                leaf(pay)
            else:
                node(removed, standing, (j + 1) % T, c + 1, t + 1, pay)

    intact = frozenset()
    node(intact, status(intact)[1], 0, 0, 0, np.zeros(game.n_players))
    name = title or f"Jenga game on {tower.name or 'a tower'}"
    head = f'EFG 2 R {_q(name)} {{ {" ".join(_q(p) for p in game.players)} }}\n""\n'
    text = head + "\n" + "\n".join(lines) + "\n"
    if path is not None:
        atomic_write_text(path, text)
    return text
