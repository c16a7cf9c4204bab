"""Extensive-form games: trees with chance, information sets, actions and outcomes.

Conventions
-----------
A game has players ``0 .. n-1`` (named), a chance player (index ``-1``) and a
rooted tree of :class:`Node` objects. A decision node belongs to an
:class:`Infoset` of its player; every node of an information set has the same
labelled actions, and child ``k`` of a node follows action ``k``. A chance
information set carries exact probabilities (:class:`fractions.Fraction`).
An :class:`Outcome` (a payoff vector) may be attached to any node, terminal or
not; a terminal history pays the sum of the outcomes on its path, as in
Gambit [McKelvey2016]_.

A *behaviour strategy* of player ``i`` gives each of its information sets a
probability vector over the actions; a *pure strategy* one action per
information set. With perfect recall [Kuhn1953]_ (no player forgets what it
knew or did) behaviour and mixed strategies are equivalent, and the sequence
form applies [Koller1996]_.

Build a game with :meth:`ExtensiveGame.add_move` / :meth:`add_chance` /
:meth:`set_outcome`, or read a Gambit ``.efg`` file with :func:`read_efg`.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Hashable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ...errors import InvalidGameError, UnknownItemError

__all__ = ["CHANCE", "ExtensiveGame", "Infoset", "Node", "Outcome"]

CHANCE = -1
"""The player index of chance."""


def _frac(v: Any, what: str) -> Fraction:
    if isinstance(v, bool):
        raise InvalidGameError(f"{what} must be a number, not {v!r}")
    if isinstance(v, Fraction):
        return v
    if isinstance(v, numbers.Rational):
        return Fraction(int(v.numerator), int(v.denominator))
    if isinstance(v, str):
        try:
            return Fraction(v)
        except (ValueError, ZeroDivisionError):
            raise InvalidGameError(f"{what} {v!r} is not a number") from None
    if isinstance(v, numbers.Real) and np.isfinite(float(v)):
        return Fraction(float(v)).limit_denominator(10**12)
    raise InvalidGameError(f"{what} must be a finite number; got {v!r}")


class Outcome:
    """A labelled payoff vector (exact fractions); ``number`` is its 1-based id in the game."""

    __slots__ = ("label", "number", "payoffs", "texts")

    def __init__(self, number: int, label: str, payoffs: Sequence[Fraction], texts=None):
        self.number = number
        self.label = label
        self.payoffs = tuple(payoffs)
        self.texts = tuple(texts) if texts is not None else tuple(_fmt(v) for v in self.payoffs)

    def __repr__(self) -> str:
        return f"Outcome({self.number}, {self.label!r}, {[str(v) for v in self.payoffs]})"


class Infoset:
    """An information set: a player, its number among that player's sets, a label,
    the action labels, and for chance the action probabilities."""

    __slots__ = ("actions", "index", "label", "members", "number", "player", "prob_texts", "probs")

    def __init__(self, player: int, number: int, label: str, actions, probs=None, prob_texts=None):
        self.player = player
        self.number = number
        self.label = label
        self.actions = tuple(actions)
        self.probs = None if probs is None else tuple(probs)
        self.prob_texts = (
            None
            if probs is None
            else (tuple(prob_texts) if prob_texts else tuple(_fmt(p) for p in self.probs))
        )
        self.members: list[Node] = []
        self.index = -1  # position in game.infosets[player] (set by the game)

    @property
    def is_chance(self) -> bool:
        return self.player == CHANCE

    def __repr__(self) -> str:
        who = "chance" if self.is_chance else f"player {self.player}"
        return f"Infoset({who}, {self.number}, {self.label!r}, actions={list(self.actions)})"


class Node:
    """A node of the tree; ``children[k]`` follows action ``k`` of its information set."""

    __slots__ = ("children", "depth", "infoset", "label", "outcome", "parent", "parent_action")

    def __init__(self, parent: Node | None = None, parent_action: int = -1, label: str = ""):
        self.parent = parent
        self.parent_action = parent_action
        self.label = label
        self.children: list[Node] = []
        self.infoset: Infoset | None = None
        self.outcome: Outcome | None = None
        self.depth = 0 if parent is None else parent.depth + 1

    @property
    def is_terminal(self) -> bool:
        return not self.children

    @property
    def player(self) -> int | None:
        """The mover (``CHANCE`` for chance), or ``None`` at a terminal node."""
        return None if self.infoset is None else self.infoset.player

    def child(self, action: int | str) -> Node:
        """The child after ``action`` (label or index)."""
        if self.infoset is None:
            raise InvalidGameError("a terminal node has no children")
        if isinstance(action, str):
            try:
                action = self.infoset.actions.index(action)
            except ValueError:
                raise UnknownItemError(
                    f"unknown action {action!r}; the actions here are {list(self.infoset.actions)}"
                ) from None
        return self.children[action]

    def path(self) -> list[tuple[Node, int]]:
        """``(node, action)`` pairs from the root down to this node."""
        out = []
        n = self
        while n.parent is not None:
            out.append((n.parent, n.parent_action))
            n = n.parent
        return out[::-1]

    def __repr__(self) -> str:
        kind = (
            "terminal"
            if self.infoset is None
            else ("chance" if self.infoset.is_chance else f"player {self.infoset.player}")
        )
        return f"Node({kind}, depth={self.depth}, label={self.label!r})"


def _fmt(v: Fraction) -> str:
    v = Fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


class ExtensiveGame:
    """A finite game in extensive form.

    Parameters
    ----------
    players : sequence of str
        Player names (at least one).
    title : str, optional
    description : str, optional
        Free text (Gambit's comment).

    Examples
    --------
    A one-card poker in the style of Myerson (1991), section 2.1:

    >>> g = ExtensiveGame(["Fred", "Alice"])
    >>> red, black = g.add_chance(g.root, {"Red": Fraction(1, 2), "Black": Fraction(1, 2)})
    >>> raise_r, fold_r = g.add_move(red, "Fred", ["Raise", "Fold"], infoset="red")
    >>> raise_b, fold_b = g.add_move(black, "Fred", ["Raise", "Fold"], infoset="black")
    >>> meet_r, pass_r = g.add_move(raise_r, "Alice", ["Meet", "Pass"], infoset="raised")
    >>> meet_b, pass_b = g.add_move(raise_b, "Alice", ["Meet", "Pass"], infoset="raised")
    >>> for node, pay in [(meet_r, 2), (pass_r, 1), (fold_r, 1), (meet_b, -2), (pass_b, 1),
    ...                   (fold_b, -1)]:
    ...     _ = g.set_outcome(node, [pay, -pay])
    >>> g.is_perfect_recall(), g.n_infosets
    (True, (2, 1))
    """

    def __init__(self, players: Sequence[str], title: str = "", description: str = ""):
        players = tuple(str(p) for p in players)
        if not players:
            raise InvalidGameError("an extensive game needs at least one player; name them")
        if len(set(players)) != len(players):
            raise InvalidGameError(f"player names must differ; got {list(players)}")
        self.players = players
        self.n_players = len(players)
        self.title = str(title)
        self.description = str(description)
        self.root = Node()
        self.infosets: list[list[Infoset]] = [[] for _ in players]
        self.chance_infosets: list[Infoset] = []
        self.outcomes: list[Outcome] = []
        self._keys: dict[tuple[int, Hashable], Infoset] = {}

    # ------------------------------------------------------------------ building
    def player_index(self, player: int | str) -> int:
        """Index of a player given by name or index (``CHANCE`` for ``"chance"``)."""
        if player == "chance" or player == CHANCE:
            return CHANCE
        if isinstance(player, numbers.Integral) and not isinstance(player, bool):
            if 0 <= int(player) < self.n_players:
                return int(player)
            raise UnknownItemError(f"player index {player} is out of range 0..{self.n_players - 1}")
        try:
            return self.players.index(player)
        except ValueError:
            raise UnknownItemError(
                f"unknown player {player!r}; the players are {list(self.players)}"
            ) from None

    def _attach(self, node: Node, infoset: Infoset) -> list[Node]:
        if node.infoset is not None:
            raise InvalidGameError(f"{node!r} already has a move; add moves to terminal nodes only")
        node.infoset = infoset
        infoset.members.append(node)
        node.children = [Node(node, k) for k in range(len(infoset.actions))]
        return list(node.children)

    def add_move(
        self,
        node: Node,
        player: int | str,
        actions: Sequence[str] | None = None,
        infoset: Hashable | Infoset | None = None,
        label: str = "",
    ) -> list[Node]:
        """Give ``node`` (a leaf) a decision of ``player``; returns the new children.

        Parameters
        ----------
        node : Node
        player : int or str
        actions : sequence of str
            The action labels (may be omitted when joining an existing information set).
        infoset : hashable or Infoset, optional
            A key (or the :class:`Infoset`) shared by the nodes the player cannot
            tell apart; ``None`` makes a new information set of its own.
        label : str
            The information set's label (defaults to ``str(infoset)`` for a key).
        """
        p = self.player_index(player)
        if p == CHANCE:
            raise InvalidGameError("use add_chance for chance moves")
        iset = self._infoset(p, actions, infoset, label, None)
        return self._attach(node, iset)

    def add_chance(
        self,
        node: Node,
        probs: Mapping[str, Any] | Sequence[tuple[str, Any]],
        infoset: Hashable | Infoset | None = None,
        label: str = "",
    ) -> list[Node]:
        """Give ``node`` a chance move with ``{action: probability}`` (exact; sum 1)."""
        items = list(probs.items()) if isinstance(probs, Mapping) else list(probs)
        acts = [str(a) for a, _ in items]
        ps = [_frac(p, f"the probability of chance action {a!r}") for a, p in items]
        if any(p < 0 for p in ps) or sum(ps) != 1:
            raise InvalidGameError(
                f"chance probabilities {[str(p) for p in ps]} must be non-negative and sum to 1 "
                f"(they sum to {sum(ps)}); give them as fractions"
            )
        iset = self._infoset(CHANCE, acts, infoset, label, ps)
        return self._attach(node, iset)

    def _infoset(self, p, actions, key, label, probs) -> Infoset:
        if isinstance(key, Infoset):
            iset = key
            if iset.player != p:
                raise InvalidGameError(f"{iset!r} belongs to another player")
        elif key is not None and (p, key) in self._keys:
            iset = self._keys[(p, key)]
        else:
            if actions is None or len(actions) == 0:
                raise InvalidGameError(
                    "a new information set needs its actions: pass actions=[...] (at least one)"
                )
            acts = [str(a) for a in actions]
            pool = self.chance_infosets if p == CHANCE else self.infosets[p]
            iset = Infoset(
                p, len(pool) + 1, label or ("" if key is None else str(key)), acts, probs
            )
            iset.index = len(pool)
            pool.append(iset)
            if key is not None:
                self._keys[(p, key)] = iset
            return iset
        if actions is not None and tuple(str(a) for a in actions) != iset.actions:
            raise InvalidGameError(
                f"information set {iset.label or iset.number!r} has actions {list(iset.actions)}; "
                f"a node joining it cannot have {list(actions)}"
            )
        if probs is not None and tuple(probs) != iset.probs:
            raise InvalidGameError(
                f"chance information set {iset.number} has other probabilities than {probs}"
            )
        return iset

    def set_outcome(self, node: Node, payoffs: Sequence[Any] | Outcome, label: str = "") -> Outcome:
        """Attach an outcome (new, or an existing :class:`Outcome`) to ``node``."""
        if isinstance(payoffs, Outcome):
            node.outcome = payoffs
            return payoffs
        vals = list(payoffs)
        if len(vals) != self.n_players:
            raise InvalidGameError(
                f"an outcome gives one payoff per player ({self.n_players}: {list(self.players)}); "
                f"got {len(vals)}"
            )
        out = Outcome(len(self.outcomes) + 1, label, [_frac(v, "a payoff") for v in vals], None)
        self.outcomes.append(out)
        node.outcome = out
        return out

    # ------------------------------------------------------------------ traversal
    def nodes(self) -> Iterator[Node]:
        """Every node in depth-first (pre-)order, children in action order."""
        stack = [self.root]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))

    def terminals(self) -> Iterator[Node]:
        return (n for n in self.nodes() if n.is_terminal)

    @property
    def n_infosets(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.infosets)

    @property
    def n_nodes(self) -> int:
        return sum(1 for _ in self.nodes())

    def infoset(self, player: int | str, which: int | str) -> Infoset:
        """Information set of ``player`` by 0-based index or label."""
        p = self.player_index(player)
        pool = self.chance_infosets if p == CHANCE else self.infosets[p]
        if isinstance(which, str):
            for s in pool:
                if s.label == which:
                    return s
            raise UnknownItemError(
                f"player {player!r} has no information set labelled {which!r}; its labels are "
                f"{[s.label for s in pool]}"
            )
        return pool[which]

    def payoff(self, node: Node) -> tuple[Fraction, ...]:
        """Sum of the outcomes on the path from the root to ``node`` (inclusive)."""
        tot = [Fraction(0)] * self.n_players
        n: Node | None = node
        while n is not None:
            if n.outcome is not None:
                tot = [a + b for a, b in zip(tot, n.outcome.payoffs)]
            n = n.parent
        return tuple(tot)

    def validate(self) -> None:
        """Check that every decision node has actions and every player's sets are consistent."""
        for n in self.nodes():
            if n.infoset is not None and len(n.children) != len(n.infoset.actions):
                raise InvalidGameError(f"{n!r} has {len(n.children)} children for its actions")

    # ------------------------------------------------------------------ recall
    def own_history(self, node: Node, player: int) -> tuple[tuple[int, int], ...]:
        """The player's own (infoset index, action) pairs on the path to ``node``."""
        return tuple(
            (a.infoset.index, k)
            for a, k in node.path()
            if a.infoset is not None and a.infoset.player == player
        )

    def perfect_recall_violations(self) -> list[str]:
        """Why the game lacks perfect recall (empty list when it has it).

        Perfect recall: every node of an information set has the same sequence
        of its player's own earlier information sets and actions [Kuhn1953]_.
        """
        out = []
        for p in range(self.n_players):
            for s in self.infosets[p]:
                hist = {self.own_history(n, p) for n in s.members}
                if len(hist) > 1:
                    out.append(
                        f"player {self.players[p]!r}, information set {s.number} "
                        f"({s.label!r}): its nodes follow different own histories "
                        f"{sorted(hist)}"
                    )
                for n in s.members:
                    anc = {a.infoset for a, _ in n.path() if a.infoset is not None}
                    if s in anc:
                        out.append(
                            f"player {self.players[p]!r}, information set {s.number} "
                            f"({s.label!r}) is visited twice on one path"
                        )
                        break
        return out

    def is_perfect_recall(self) -> bool:
        return not self.perfect_recall_violations()

    def require_perfect_recall(self, what: str) -> None:
        bad = self.perfect_recall_violations()
        if bad:
            raise InvalidGameError(
                f"{what} needs a game with perfect recall; " + "; ".join(bad[:3])
            )

    def is_perfect_information(self) -> bool:
        """Every information set of a player is a single node."""
        return all(len(s.members) == 1 for ps in self.infosets for s in ps)

    def is_zero_sum(self) -> bool:
        """Two players whose terminal payoffs sum to zero (constant-sum is not enough here)."""
        if self.n_players != 2:
            return False
        # one walk down, carrying the sum of both payoffs of the outcomes on the path
        stack: list[tuple[Node, Fraction | int]] = [(self.root, 0)]
        while stack:
            n, tot = stack.pop()
            if n.outcome is not None:
                a, b = n.outcome.payoffs
                if a + b:
                    tot = tot + a + b
            if n.is_terminal:
                if tot != 0:
                    return False
            else:
                stack.extend((c, tot) for c in n.children)
        return True

    # ------------------------------------------------------------------ strategies
    def behaviour(self, spec) -> list[list[np.ndarray]]:
        """Validate a behaviour profile: ``spec[i][k]`` is a probability vector at player
        ``i``'s ``k``-th information set, or a mapping ``{player: {infoset label: ...}}``."""
        if isinstance(spec, Mapping):
            out = []
            for i, p in enumerate(self.players):
                d = spec.get(p, spec.get(i))
                if d is None:
                    raise InvalidGameError(f"the behaviour profile gives nothing for player {p!r}")
                row = []
                for s in self.infosets[i]:
                    key = s.label if s.label in d else s.index
                    if key not in d:
                        raise InvalidGameError(
                            f"the behaviour of player {p!r} misses information set {s.label!r}"
                        )
                    row.append(self._local(d[key], s))
                out.append(row)
            return out
        spec = list(spec)
        if len(spec) != self.n_players:
            raise InvalidGameError(
                f"a behaviour profile has one entry per player ({self.n_players}); got {len(spec)}"
            )
        out = []
        for i, row in enumerate(spec):
            row = list(row)
            if len(row) != len(self.infosets[i]):
                raise InvalidGameError(
                    f"player {self.players[i]!r} has {len(self.infosets[i])} information sets; "
                    f"the behaviour gives {len(row)}"
                )
            out.append([self._local(v, s) for v, s in zip(row, self.infosets[i])])
        return out

    def _local(self, v, s: Infoset) -> np.ndarray:
        if isinstance(v, str):
            vec = np.zeros(len(s.actions))
            vec[s.actions.index(v)] = 1.0
            return vec
        if isinstance(v, Mapping):
            vec = np.zeros(len(s.actions))
            for a, x in v.items():
                vec[s.actions.index(a) if isinstance(a, str) else a] = float(x)
        else:
            vec = np.asarray([float(x) for x in v], dtype=float)
        if vec.shape != (len(s.actions),) or np.any(vec < -1e-9) or abs(vec.sum() - 1) > 1e-9:
            raise InvalidGameError(
                f"the behaviour at information set {s.label or s.number!r} must be a probability "
                f"vector over {list(s.actions)}; got {v!r}"
            )
        return vec

    def expected_payoffs(self, behaviour) -> np.ndarray:
        """Expected payoff of each player under a behaviour profile (floats)."""
        beh = self.behaviour(behaviour)
        out = np.zeros(self.n_players)
        stack = [(self.root, 1.0)]
        while stack:
            n, pr = stack.pop()
            if pr == 0.0:
                continue
            if n.outcome is not None:
                out += pr * np.array([float(v) for v in n.outcome.payoffs])
            if n.infoset is None:
                continue
            s = n.infoset
            probs = [float(p) for p in s.probs] if s.is_chance else beh[s.player][s.index]
            for c, q in zip(n.children, probs):
                stack.append((c, pr * float(q)))
        return out

    def pure_strategies(self, player: int | str, reduced: bool = True) -> list[dict[int, int]]:
        """The player's pure strategies as ``{infoset index: action}``.

        With ``reduced=True`` (requires perfect recall) an information set that
        the player's own earlier actions exclude gets no action: the strategies
        of the *reduced* normal form.
        """
        p = self.player_index(player)
        sets = self.infosets[p]
        if not reduced:
            return [
                dict(enumerate(c))
                for c in itertools.product(*(range(len(s.actions)) for s in sets))
            ]
        self.require_perfect_recall("the reduced normal form")
        # an infoset is relevant under a partial plan if its own history is consistent with it
        hist = {s.index: self.own_history(s.members[0], p) for s in sets}
        order = sorted(sets, key=lambda s: len(hist[s.index]))
        plans: list[dict[int, int]] = [{}]
        for s in order:
            new = []
            for plan in plans:
                if all(plan.get(i) == a for i, a in hist[s.index]):
                    new.extend({**plan, s.index: a} for a in range(len(s.actions)))
                else:
                    new.append(plan)
            plans = new
        return plans

    def strategy_label(self, player: int, plan: Mapping[int, int]) -> str:
        """Gambit-style label: one character (action number or ``*``) per information set."""
        return "".join(
            str(plan[s.index] + 1) if s.index in plan else "*" for s in self.infosets[player]
        )

    def __repr__(self) -> str:
        return (
            f"ExtensiveGame({self.title!r}; players={list(self.players)}, "
            f"infosets={list(self.n_infosets)})"
        )
