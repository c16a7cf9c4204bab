"""Best responses and exploitability of behaviour profiles (the certificate of every solver).

For player ``i`` and the others' behaviour ``β_{-i}``, a best response is found
information set by information set, deepest own history first (perfect recall
makes this order well defined): at ``I`` choose

.. math:: \\arg\\max_a \\sum_{h \\in I} r_{-i}(h)\\, v_i(h a),

where ``r_{-i}(h)`` is the probability that chance and the others play to
``h`` and ``v_i`` the value of the rest of the tree with the choices already
made below. *NashConv* is ``Σ_i (max_{β_i'} u_i(β_i', β_{-i}) - u_i(β))``;
the *exploitability* is NashConv divided by the number of players (the
convention of OpenSpiel), zero exactly at a Nash equilibrium. The code is
generic in the number type: give :class:`~fractions.Fraction` behaviour for an
exact answer. It shares nothing with the solvers it certifies.
"""

from __future__ import annotations

import sys
from fractions import Fraction

from ._tree import ExtensiveGame, Node

__all__ = ["best_response", "nash_conv", "subgame_perfect_violations"]


def _raw(game: ExtensiveGame, behaviour):
    """Behaviour as nested lists of numbers (floats or fractions), validated lightly."""
    if all(isinstance(v, Fraction | int) for row in behaviour for vec in row for v in list(vec)):
        return [[list(vec) for vec in row] for row in behaviour]
    return [[[float(v) for v in vec] for vec in row] for row in game.behaviour(behaviour)]


def _expected(game: ExtensiveGame, beh, zero):
    out = [zero] * game.n_players
    stack = [(game.root, zero + 1)]
    while stack:
        n, pr = stack.pop()
        if not pr:
            continue
        if n.outcome is not None:
            out = [o + pr * v for o, v in zip(out, n.outcome.payoffs)]
        s = n.infoset
        if s is None:
            continue
        probs = s.probs if s.is_chance else beh[s.player][s.index]
        for c, q in zip(n.children, probs):
            stack.append((c, pr * q))
    return out


def _best_reply(game: ExtensiveGame, beh, i: int, starts, zero):
    """Player ``i``'s pure best reply in the subtrees of ``starts`` (``[(node, weight)]``).

    ``r_{-i}(h)``, the weight of the start times the chance and other players'
    probabilities down to ``h``, is found for every node of the subtrees; then, at
    ``i``'s information sets met there, deepest own history first (perfect recall
    keeps each set's continuation inside the subtrees), the action maximising
    ``Σ_{h ∈ I} r_{-i}(h) v_i(h a)``, the first on ties.

    Returns
    -------
    (dict, callable)
        The choices ``{information set index: action}`` and ``value(node)``: ``i``'s
        expected payoff of the rest of the tree from ``node`` (its own outcome
        included) under those choices, memoised.
    """
    reach: dict[int, object] = {}
    own_sets = {}
    stack = list(starts)
    while stack:
        n, r = stack.pop()
        reach[id(n)] = r
        s = n.infoset
        if s is None:
            continue
        if s.player == i:
            own_sets[s.index] = s
            probs = [1] * len(n.children)
        elif s.is_chance:
            probs = s.probs
        else:
            probs = beh[s.player][s.index]
        for c, q in zip(n.children, probs):
            stack.append((c, r * q))
    choice: dict[int, int] = {}
    memo: dict[int, object] = {}

    def value(n: Node):
        key = id(n)
        if key in memo:
            return memo[key]
        v = n.outcome.payoffs[i] if n.outcome is not None else zero
        s = n.infoset
        if s is not None:
            if s.player == i:
                v = v + value(n.children[choice[s.index]])
            else:
                probs = s.probs if s.is_chance else beh[s.player][s.index]
                for c, q in zip(n.children, probs):
                    if q:
                        v = v + q * value(c)
        memo[key] = v
        return v

    depth = {k: len(game.own_history(s.members[0], i)) for k, s in own_sets.items()}
    for k in sorted(own_sets, key=lambda k: (-depth[k], k)):
        s = own_sets[k]
        best_a, best_v = 0, None
        for a in range(len(s.actions)):
            tot = zero
            for h in s.members:
                r = reach.get(id(h), zero)
                if r:
                    tot = tot + r * value(h.children[a])
            if best_v is None or tot > best_v:
                best_a, best_v = a, tot
        choice[k] = best_a
    return choice, value


def best_response(game: ExtensiveGame, behaviour, player: int):
    """A pure best response of ``player`` to ``behaviour`` and its value.

    Returns
    -------
    (list of int, number)
        The chosen action index at each of the player's information sets, and
        the player's expected payoff when it plays them against the others.
    """
    beh = _raw(game, behaviour)
    exact = all(isinstance(v, Fraction | int) for row in beh for vec in row for v in vec)
    zero = Fraction(0) if exact else 0.0
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        choice, value = _best_reply(game, beh, player, [(game.root, zero + 1)], zero)
        val = value(game.root)
    finally:
        sys.setrecursionlimit(limit)
    return [choice[s.index] for s in game.infosets[player]], val


def nash_conv(game: ExtensiveGame, behaviour) -> tuple[object, list]:
    """``(NashConv, [each player's gain from deviating])``; exact for fraction behaviour."""
    beh = _raw(game, behaviour)
    exact = all(isinstance(v, Fraction | int) for row in beh for vec in row for v in vec)
    zero = Fraction(0) if exact else 0.0
    u = _expected(game, beh, zero)
    gains = []
    for i in range(game.n_players):
        _, v = best_response(game, beh, i)
        gains.append(v - u[i])
    return sum(gains, zero), gains


def subgame_perfect_violations(game: ExtensiveGame, behaviour) -> list[str]:
    """Where the behaviour is not a Nash equilibrium of a subgame [selten1975]_.

    Perfect information: values are computed bottom-up under ``behaviour``; at
    each decision node of player ``i`` every action played with positive
    probability must have the highest continuation value for ``i``. A profile
    can be a Nash equilibrium (NashConv 0) and still fail this, when it rests
    on a threat that is never tested on the path of play. Otherwise (imperfect
    information) every subgame (:func:`subgames`) is checked for a player that
    gains by another strategy there. Exact for fraction behaviour.
    """
    if not game.is_perfect_information():
        from ._sequential import subgame_nash_gaps

        return [
            f"player {game.players[i]!r} gains {gain} by another strategy in the subgame "
            f"at {root.infoset.label or root.label or repr(root)!r}"
            for root, i, gain in subgame_nash_gaps(game, behaviour)
        ]
    beh = _raw(game, behaviour)
    exact = all(isinstance(v, Fraction | int) for row in beh for vec in row for v in vec)
    zero = Fraction(0) if exact else 0.0
    n = game.n_players
    val: dict[int, list] = {}
    bad = []
    for node in reversed(list(game.nodes())):
        own = list(node.outcome.payoffs) if node.outcome is not None else [zero] * n
        s = node.infoset
        if s is None:
            val[id(node)] = own
            continue
        probs = s.probs if s.is_chance else beh[s.player][s.index]
        kids = [val[id(c)] for c in node.children]
        if not s.is_chance:
            best = max(k[s.player] for k in kids)
            tol = 0 if exact else 1e-9 * max(1.0, abs(float(best)))
            for a, (q, k) in enumerate(zip(probs, kids)):
                if q > 0 and k[s.player] < best - tol:
                    bad.append(
                        f"player {game.players[s.player]!r} at information set "
                        f"{s.label or s.number!r} plays {s.actions[a]!r} worth {k[s.player]} "
                        f"< {best}"
                    )
        val[id(node)] = [
            o + sum((q * k[i] for q, k in zip(probs, kids)), zero) for i, o in enumerate(own)
        ]
    return bad
