"""The reduced normal form and the sequence form of an extensive game.

Reduced normal form: a player's pure strategies choose an action only at the
information sets its own earlier choices do not exclude; the payoff of a
profile is the chance-weighted sum of the terminal payoffs it reaches.

Sequence form [Koller1996]_, [vonStengel2002]_: with perfect recall, a player's
*sequences* are the empty sequence ``∅`` and the pairs ``(I, a)`` of its
information sets and actions; sequence ``σ_I`` is the one leading to ``I``.
A realization plan ``x ≥ 0`` satisfies ``x(∅) = 1`` and
``Σ_a x(I, a) = x(σ_I)`` for every information set, i.e. ``E x = e``.
The payoff matrix of player ``k`` in a two-player game is
``A_k[σ_1, σ_2] = Σ_{z} c(z) u_k(z)`` over the leaves ``z`` whose sequences
are ``(σ_1, σ_2)``, with ``c(z)`` the product of chance probabilities.
Sequence ``0`` is ``∅``; sequence ``1 + offset(I) + a`` is ``(I, a)``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ...errors import InvalidGameError, TooLargeError
from ._tree import ExtensiveGame, Node

__all__ = ["SequenceForm", "mixed_to_behaviour", "reduced_normal_form", "sequence_form"]


def _leaf_data(game: ExtensiveGame):
    """The leaves reached with positive probability, as (chance probability, own
    (infoset, action) path per player, payoff), and each player's largest payoff over
    all leaves. The payoff of a leaf is the sum of the outcomes on its path
    (:meth:`ExtensiveGame.payoff`), accumulated on the way down."""
    out = []
    n_pl = game.n_players
    zero = (Fraction(0),) * n_pl
    top: list | None = None
    stack: list[tuple[Node, Fraction, tuple, tuple | None]] = [
        (game.root, Fraction(1), tuple(() for _ in range(n_pl)), None)
    ]
    while stack:
        n, pr, hist, acc = stack.pop()
        if n.outcome is not None:  # acc None: no outcome above
            o = n.outcome.payoffs
            acc = o if acc is None else tuple(a + b for a, b in zip(acc, o))
        if n.infoset is None:
            if acc is None:
                acc = zero
            if pr:
                out.append((pr, hist, acc))
            top = list(acc) if top is None else [max(t, v) for t, v in zip(top, acc)]
            continue
        s = n.infoset
        for k, c in enumerate(n.children):
            if s.is_chance:
                stack.append((c, pr * s.probs[k], hist, acc))
            else:
                h = list(hist)
                h[s.player] = (*h[s.player], (s.index, k))
                stack.append((c, pr, tuple(h), acc))
    return out, tuple(top)


def reduced_normal_form(game: ExtensiveGame, max_profiles: int = 200_000):
    """The reduced normal form as a :class:`~jenga_games.games.normal_form.NormalFormGame`.

    Strategy labels follow Gambit: one character per information set, the
    action number or ``*`` where the player's own moves make the set unreachable.
    Payoffs are exact.

    Raises
    ------
    TooLargeError
        More than ``max_profiles`` pure profiles.
    """
    from ..normal_form import NormalFormGame

    game.require_perfect_recall("reduced_normal_form")
    plans = [game.pure_strategies(p) for p in range(game.n_players)]
    size = int(np.prod([len(p) for p in plans]))
    if size > max_profiles:
        raise TooLargeError(
            f"the reduced normal form has {size:,} profiles (> max_profiles={max_profiles:,}); "
            "use the sequence form instead (sequence_form_lp, cfr)"
        )
    leaves, _ = _leaf_data(game)
    # index leaves by each player's compatible plans
    compat = []
    for p in range(game.n_players):
        m = np.zeros((len(plans[p]), len(leaves)), dtype=bool)
        for a, plan in enumerate(plans[p]):
            for z, (_, hist, _) in enumerate(leaves):
                m[a, z] = all(plan.get(i) == k for i, k in hist[p])
        compat.append(m)
    shape = tuple(len(p) for p in plans)
    tensor = np.empty((*shape, game.n_players), dtype=object)
    for idx in itertools.product(*(range(k) for k in shape)):
        tot = [Fraction(0)] * game.n_players
        mask = np.ones(len(leaves), dtype=bool)
        for p, a in enumerate(idx):
            mask &= compat[p][a]
        for z in np.flatnonzero(mask):
            pr, _, pay = leaves[z]
            tot = [t + pr * v for t, v in zip(tot, pay)]
        tensor[idx] = tot
    actions = [[game.strategy_label(p, plan) for plan in plans[p]] for p in range(game.n_players)]
    return NormalFormGame(tensor, players=list(game.players), actions=actions, title=game.title)


class SequenceForm:
    """Sequences, constraint matrices ``E``, ``F`` and payoff matrices of a two-player game.

    Attributes
    ----------
    offsets : tuple of list of int
        ``offsets[p][I]``: index of sequence ``(I, first action)`` of player ``p``.
    parent : tuple of list of int
        ``parent[p][I]``: the sequence leading to information set ``I``.
    n_sequences : tuple of int
    constraints : tuple of list of list of int
        ``E`` and ``F`` (rows: ``∅``, then one per information set).
    payoffs : tuple of dict
        ``payoffs[k][(σ_1, σ_2)]``: player ``k``'s chance-weighted payoff (sparse, exact).
    chance_weight : dict
        ``chance_weight[(σ_1, σ_2)]``: total chance probability of the leaves there.
    max_payoff : tuple of Fraction
        Each player's largest leaf payoff (zero-probability leaves included).
    """

    def __init__(self, game: ExtensiveGame):
        if game.n_players != 2:
            raise InvalidGameError(
                f"the sequence form here is for two-player games; this one has {game.n_players}"
            )
        game.require_perfect_recall("the sequence form")
        self.game = game
        offsets, parents, n_seq, cons, folds = [], [], [], [], []
        for p in range(2):
            off, par, depth = [], [], []
            k = 1
            for s in game.infosets[p]:
                off.append(k)
                k += len(s.actions)
            for s in game.infosets[p]:
                h = game.own_history(s.members[0], p)
                par.append(0 if not h else off[h[-1][0]] + h[-1][1])
                depth.append(len(h))
            folds.append(sorted(range(len(off)), key=lambda r: -depth[r]))
            E = [[0] * k for _ in range(1 + len(game.infosets[p]))]
            E[0][0] = 1
            for r, s in enumerate(game.infosets[p], start=1):
                E[r][par[r - 1]] = -1
                for a in range(len(s.actions)):
                    E[r][off[r - 1] + a] = 1
            offsets.append(off)
            parents.append(par)
            n_seq.append(k)
            cons.append(E)
        self.offsets = tuple(offsets)
        self.parent = tuple(parents)
        self.n_sequences = tuple(n_seq)
        self.constraints = tuple(cons)
        pay: tuple[dict, dict] = ({}, {})
        weight: dict[tuple[int, int], Fraction] = {}
        leaves, self.max_payoff = _leaf_data(game)
        for pr, hist, u in leaves:
            key = tuple(
                0 if not hist[p] else offsets[p][hist[p][-1][0]] + hist[p][-1][1] for p in range(2)
            )
            for k in range(2):
                v = u[k] if pr == 1 else pr * u[k]
                old = pay[k].get(key)
                pay[k][key] = v if old is None else old + v
            old = weight.get(key)
            weight[key] = pr if old is None else old + pr
        self.payoffs = pay
        self.chance_weight = weight
        self._folds = folds  # information sets, deepest own history first

    def values(self, player: int, other_plan) -> list:
        """``g = A_k y`` (player 1, ``k = 1``) or ``g = A_k^T x`` (player 2): the player's
        payoff contributed by each of its sequences against the other's realization plan;
        its payoff is ``x·g`` (``y·g``). Exact for fractions."""
        g = [0] * self.n_sequences[player]
        for (i, j), v in self.payoffs[player].items():
            if player == 0:
                w = other_plan[j]
                if w:
                    g[i] += v * w
            else:
                w = other_plan[i]
                if w:
                    g[j] += v * w
        return g

    def best_response_value(self, player: int, other_plan, g=None) -> Fraction | float:
        """``max_x x^T A_k y`` over the player's realization plans (``k = player``, ``y`` =
        ``other_plan``, or its :meth:`values` ``g`` when given); exact for fractions.

        Backward induction over the player's own information sets, deepest first:
        ``g(σ_I) += max_a g(I, a)`` for each set ``I``; the value is ``g(∅)``
        [vonStengel2002]_. A pure plan attains it, so it is the best-response payoff.
        """
        g = list(self.values(player, other_plan) if g is None else g)
        off, par = self.offsets[player], self.parent[player]
        infosets = self.game.infosets[player]
        for r in self._folds[player]:
            o = off[r]
            g[par[r]] += max(g[o : o + len(infosets[r].actions)])
        return g[0]

    def plan_payoffs(self, x, y, g=None) -> tuple:
        """``(x^T A_1 y, x^T A_2 y)``: the players' expected payoffs of realization plans
        (``g``: the pair of :meth:`values` ``(A_1 y, A_2^T x)`` when already known)."""
        if g is None:
            g = self.values(0, y), self.values(1, x)
        return tuple(sum(a * b for a, b in zip(plan, gk) if a) for plan, gk in zip((x, y), g))

    def matrix(self, player: int, exact: bool = False) -> np.ndarray:
        """Dense payoff matrix of ``player`` (sequences of player 1 × player 2)."""
        M = np.zeros(self.n_sequences, dtype=object if exact else float)
        if exact:
            M[...] = Fraction(0)
        for (i, j), v in self.payoffs[player].items():
            M[i, j] = v if exact else float(v)
        return M

    def behaviour_from_plan(self, player: int, x) -> list[np.ndarray]:
        """Behaviour strategy of a realization plan: ``β(I, a) = x(I, a) / x(σ_I)`` (uniform
        where ``x(σ_I) = 0``)."""
        out = []
        for r, s in enumerate(self.game.infosets[player]):
            o, k = self.offsets[player][r], len(s.actions)
            par = x[self.parent[player][r]]
            if par > 0:
                out.append(np.array([float(x[o + a] / par) for a in range(k)]))
            else:
                out.append(np.full(k, 1.0 / k))
        return out

    def plan_from_behaviour(self, player: int, beh) -> np.ndarray:
        """Realization plan of a behaviour strategy."""
        x = np.zeros(self.n_sequences[player])
        x[0] = 1.0
        for r, s in enumerate(self.game.infosets[player]):  # parents come first (preorder)
            o = self.offsets[player][r]
            for a in range(len(s.actions)):
                x[o + a] = x[self.parent[player][r]] * beh[r][a]
        return x


def sequence_form(game: ExtensiveGame) -> SequenceForm:
    """The sequence form of a two-player game with perfect recall [Koller1996]_."""
    total = sum(len(s.actions) for ps in game.infosets for s in ps)
    if total > 1_000_000:
        raise TooLargeError(f"{total:,} sequences is too many for the sequence form")
    return SequenceForm(game)


def mixed_to_behaviour(game: ExtensiveGame, player: int, probabilities) -> list[list]:
    """Behaviour strategy equivalent (Kuhn's theorem) to a mixed strategy over the
    player's reduced pure strategies (in :meth:`ExtensiveGame.pure_strategies` order).

    ``β(I, a) = Σ_{plans reaching I and choosing a} μ / Σ_{plans reaching I} μ``;
    uniform where no plan in the support reaches ``I``. Exact for fractions.
    """
    plans = game.pure_strategies(player)
    probs = list(probabilities)
    if len(probs) != len(plans):
        raise InvalidGameError(
            f"player {game.players[player]!r} has {len(plans)} reduced strategies; "
            f"got {len(probs)} probabilities"
        )
    exact = all(isinstance(v, Fraction | int) for v in probs)
    zero = Fraction(0) if exact else 0.0
    out = []
    for s in game.infosets[player]:
        hist = game.own_history(s.members[0], player)
        reach = [m for plan, m in zip(plans, probs) if all(plan.get(i) == a for i, a in hist)]
        tot = sum(reach, zero)
        k = len(s.actions)
        if not tot:
            out.append([Fraction(1, k) if exact else 1.0 / k] * k)
            continue
        row = []
        for a in range(k):
            num = sum(
                (
                    m
                    for plan, m in zip(plans, probs)
                    if plan.get(s.index) == a and all(plan.get(i) == b for i, b in hist)
                ),
                zero,
            )
            row.append(num / tot)
        out.append(row)
    return out
