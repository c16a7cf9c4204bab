"""Sequential-equilibrium and subgame-perfection checks of behaviour profiles.

An *assessment* is a behaviour profile ``σ`` with a belief system ``μ``
(a probability over the nodes of every information set). It is a sequential
equilibrium [KrepsWilson1982b]_ when

* **sequentially rational**: at every information set ``I`` of player ``i``,
  ``σ_i`` from ``I`` on is a best reply to ``σ_{-i}`` given ``μ(I)``:
  ``Σ_{h∈I} μ(h) u_i(h | σ) = max_{σ'_i} Σ_{h∈I} μ(h) u_i(h | σ'_i, σ_{-i})``
  (the maximum over whole continuation strategies, not only one-shot deviations);
* **consistent**: ``μ`` is the limit of Bayes beliefs of fully mixed profiles
  converging to ``σ``.

Consistency is tested by its characterisation through orders of
infinitesimals (Kreps & Wilson 1982, section 5; [Perea1997]_): ``μ`` is
consistent iff every zero-probability action ``a`` can be given an order
``K(a) ≥ 1`` and a log-weight ``w(a)`` such that, writing ``ord(h)`` for the
sum of ``K`` and ``wt(h)`` for the sum of ``log σ`` (positive actions and
chance) and ``w`` (zero actions) along the path to ``h``, in every information
set the nodes with positive belief share the least order, the others have a
larger one, and ``log μ(h) - log μ(h') = wt(h) - wt(h')`` between the
former. The trembles ``σ_n(a) = e^{w(a)} n^{-K(a)}`` then produce ``μ``. This
is one linear feasibility problem (HiGHS), whose solution is returned as the
witness.

Without beliefs, :func:`sequential_equilibrium_check` uses the limit beliefs
of the uniform trembles ``(1-ε)σ + ε·uniform`` (:func:`consistent_beliefs`),
which are consistent by construction; a profile can fail with them and pass
with other consistent beliefs, so give beliefs to test those.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidGameError
from ._best_response import _best_reply, _raw
from ._tree import ExtensiveGame, Node

__all__ = [
    "AssessmentCheck",
    "consistent_beliefs",
    "sequential_equilibrium_check",
    "subgame_nash_gaps",
    "subgames",
]


@dataclasses.dataclass(frozen=True, eq=False)
class AssessmentCheck(Result):
    """The verdict on an assessment (behaviour profile and beliefs).

    Attributes
    ----------
    sequentially_rational : bool
    consistent : bool
    violations : tuple of str
        Each failure in words: the information set, the action and the gain.
    gains : dict
        ``{(player, information set label): gain}`` — what the player gains (payoff
        units, conditional on reaching the set) by the best continuation instead
        of its own; 0 where it is sequentially rational.
    beliefs : list
        ``beliefs[i][k][m]``: the belief on member ``m`` of player ``i``'s ``k``-th set.
    beliefs_source : str
        ``"given"`` or ``"uniform trembles"``.
    witness : dict or None
        For consistent beliefs: ``{action: (order K, log-weight w)}`` of the
        zero-probability actions (players' names and action labels).
    provenance : Provenance
    """

    sequentially_rational: bool
    consistent: bool
    violations: tuple
    gains: dict
    beliefs: list
    beliefs_source: str
    witness: dict | None = None
    provenance: Provenance | None = None

    @property
    def is_sequential_equilibrium(self) -> bool:
        return self.sequentially_rational and self.consistent

    def __repr__(self) -> str:
        return (
            f"AssessmentCheck(sequential equilibrium: {self.is_sequential_equilibrium}; "
            f"sequentially rational {self.sequentially_rational}, consistent "
            f"{self.consistent}; {len(self.violations)} violations)"
        )


def _is_exact(beh) -> bool:
    return all(isinstance(v, Fraction | int) for row in beh for vec in row for v in vec)


def _probs(node: Node, beh):
    s = node.infoset
    return s.probs if s.is_chance else beh[s.player][s.index]


def _values(game: ExtensiveGame, beh, zero) -> dict[int, list]:
    """``u(h | σ)`` for every node: the expected payoffs of the rest of the tree."""
    val: dict[int, list] = {}
    for node in reversed(list(game.nodes())):
        own = list(node.outcome.payoffs) if node.outcome is not None else [zero] * game.n_players
        if node.infoset is not None:
            for c, q in zip(node.children, _probs(node, beh)):
                if q:
                    own = [o + q * v for o, v in zip(own, val[id(c)])]
        val[id(node)] = own
    return val


def _best_continuation(game, beh, i, starts, zero):
    """``max_{σ'_i} Σ_h w(h) u_i(h | σ'_i, σ_{-i})`` over the subtrees of ``starts``
    (``[(node, weight)]``), the player choosing at its information sets there,
    deepest own history first (perfect recall keeps those sets inside the subtrees)."""
    _, value = _best_reply(game, beh, i, starts, zero)
    total = zero
    for h, w in starts:
        # the start node's own outcome is common to every continuation: leave it out
        base = h.outcome.payoffs[i] if h.outcome is not None else zero
        total = total + w * (value(h) - base)
    return total


def consistent_beliefs(game: ExtensiveGame, behaviour) -> list:
    """The limit beliefs of the uniform trembles ``σ_ε = (1-ε) σ + ε · uniform``.

    A node ``h`` is reached with probability ``c(h) ε^{k(h)} (1 + O(ε))`` where
    ``k(h)`` counts the zero-probability player actions on its path and
    ``c(h)`` multiplies the chance probabilities, the positive ``σ`` and
    ``1/|A(I)|`` for each zero action. In each information set the members of
    least ``k`` share the belief in proportion to ``c``; the others get 0.
    Consistent by construction, Bayes' rule wherever ``σ`` reaches the set.
    Exact for fraction behaviour. Members reached only through a zero-probability
    chance move, and sets made only of them, get 0 (such sets are never reached).

    Returns
    -------
    list
        ``beliefs[i][k][m]`` over the members of player ``i``'s ``k``-th set.
    """
    beh = _raw(game, behaviour)
    exact = _is_exact(beh)
    one = Fraction(1) if exact else 1.0
    lead: dict[int, tuple[int, object]] = {}
    stack = [(game.root, 0, one)]
    while stack:
        n, k, c = stack.pop()
        lead[id(n)] = (k, c)
        s = n.infoset
        if s is None:
            continue
        for a, child in enumerate(n.children):
            if s.is_chance:
                if s.probs[a] == 0:
                    continue
                stack.append((child, k, c * (s.probs[a] if exact else float(s.probs[a]))))
            else:
                q = beh[s.player][s.index][a]
                if q > 0:
                    stack.append((child, k, c * q))
                else:
                    stack.append((child, k + 1, c / len(s.actions)))
    out = []
    for p in range(game.n_players):
        row = []
        for s in game.infosets[p]:
            got = [lead.get(id(h)) for h in s.members]
            ks = [g[0] for g in got if g is not None]
            if not ks:
                row.append([one * 0] * len(s.members))
                continue
            kmin = min(ks)
            w = [g[1] if g is not None and g[0] == kmin else one * 0 for g in got]
            tot = sum(w, one * 0)
            row.append([x / tot for x in w])
        out.append(row)
    return out


def _check_beliefs(game: ExtensiveGame, beliefs, exact: bool) -> list:
    beliefs = list(beliefs)
    if len(beliefs) != game.n_players:
        raise InvalidGameError(
            f"beliefs give one entry per player ({game.n_players}); got {len(beliefs)}"
        )
    out = []
    for i, row in enumerate(beliefs):
        row = list(row)
        if len(row) != len(game.infosets[i]):
            raise InvalidGameError(
                f"player {game.players[i]!r} has {len(game.infosets[i])} information sets; "
                f"the beliefs give {len(row)}"
            )
        new = []
        for vec, s in zip(row, game.infosets[i]):
            vec = [v if exact and isinstance(v, Fraction | int) else float(v) for v in vec]
            if (
                len(vec) != len(s.members)
                or any(v < 0 for v in vec)
                or abs(float(sum(vec)) - 1) > 1e-9
            ):
                raise InvalidGameError(
                    f"the belief at information set {s.label or s.number!r} of player "
                    f"{game.players[i]!r} must be a probability vector over its "
                    f"{len(s.members)} nodes; got {vec!r}"
                )
            new.append(vec)
        out.append(new)
    return out


def _consistency(game: ExtensiveGame, beh, beliefs):
    """Feasibility of the orders-of-infinitesimals system; ``(ok, witness, reasons)``."""
    from scipy.optimize import linprog

    zero_actions: dict[tuple[int, int, int], int] = {}  # (player, infoset, action) -> column
    for p in range(game.n_players):
        for s in game.infosets[p]:
            for a in range(len(s.actions)):
                if not beh[p][s.index][a] > 0:
                    zero_actions[(p, s.index, a)] = len(zero_actions)
    nz = len(zero_actions)
    # per node: (zero-action columns on the path, constant log weight) or None (chance 0)
    info: dict[int, tuple[list[int], float] | None] = {}
    stack: list[tuple[Node, tuple[int, ...], float]] = [(game.root, (), 0.0)]
    while stack:
        n, cols, lw = stack.pop()
        info[id(n)] = (list(cols), lw)
        s = n.infoset
        if s is None:
            continue
        for a, child in enumerate(n.children):
            if s.is_chance:
                if s.probs[a] > 0:
                    stack.append((child, cols, lw + math.log(float(s.probs[a]))))
            elif beh[s.player][s.index][a] > 0:
                stack.append((child, cols, lw + math.log(float(beh[s.player][s.index][a]))))
            else:
                stack.append((child, (*cols, zero_actions[(s.player, s.index, a)]), lw))
    # variables: K (nz, >= 1), w (nz, free)
    A_eq, b_eq, A_ub, b_ub, reasons = [], [], [], [], []

    def ord_row(cols, sign=1.0):
        r = np.zeros(2 * nz)
        for c in cols:
            r[c] += sign
        return r

    for p in range(game.n_players):
        for s in game.infosets[p]:
            mu = beliefs[p][s.index]
            where = f"information set {s.label or s.number!r} of player {game.players[p]!r}"
            pos = [(h, m) for h, m in zip(s.members, mu) if m > 0]
            zer = [h for h, m in zip(s.members, mu) if not m > 0]
            bad = [h for h, _ in pos if info.get(id(h)) is None]
            if bad:
                reasons.append(f"{where}: belief on a node that chance never reaches")
                continue
            if not pos:
                reasons.append(f"{where}: the beliefs put no weight anywhere")
                continue
            h0, m0 = pos[0]
            c0, l0 = info[id(h0)]
            for h, m in pos[1:]:
                c, lw = info[id(h)]
                r = ord_row(c) - ord_row(c0)
                A_eq.append(r)
                b_eq.append(0.0)
                rw = np.zeros(2 * nz)
                rw[nz:] = r[:nz]
                A_eq.append(rw)
                b_eq.append(math.log(float(m)) - math.log(float(m0)) - (lw - l0))
            for h in zer:
                if info.get(id(h)) is None:
                    continue
                c, _ = info[id(h)]
                # ord(h) >= ord(h0) + 1
                A_ub.append(ord_row(c0) - ord_row(c))
                b_ub.append(-1.0)
    if reasons:
        return False, None, reasons
    if nz == 0:
        ok = all(abs(b) < 1e-9 for b in b_eq) and not A_ub
        return ok, {}, [] if ok else ["the beliefs differ from Bayes' rule on the path of play"]
    bounds = [(1, None)] * nz + [(None, None)] * nz
    res = linprog(
        np.zeros(2 * nz),
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(A_eq) if A_eq else None,
        b_eq=np.array(b_eq) if b_eq else None,
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        return (
            False,
            None,
            [
                "no trembles produce these beliefs (Bayes' rule on the path, or the same "
                "deviation weighted differently in two information sets)"
            ],
        )
    names = {v: k for k, v in zero_actions.items()}
    witness = {}
    for col in range(nz):
        p, k, a = names[col]
        s = game.infosets[p][k]
        witness[(game.players[p], s.label or str(s.number), s.actions[a])] = (
            float(res.x[col]),
            float(res.x[nz + col]),
        )
    return True, witness, []


def sequential_equilibrium_check(
    game: ExtensiveGame, behaviour, beliefs=None, *, tol: float = 1e-9
) -> AssessmentCheck:
    """Check that an assessment is a sequential equilibrium [KrepsWilson1982b]_.

    Parameters
    ----------
    game : ExtensiveGame
        Perfect recall required.
    behaviour
        A behaviour profile (as :meth:`ExtensiveGame.behaviour` takes it, or nested
        lists of fractions for an exact check).
    beliefs : list, optional
        ``beliefs[i][k][m]``: probability of member ``m`` (in ``infoset.members``
        order) of player ``i``'s ``k``-th information set. Default: the limit of
        uniform trembles (:func:`consistent_beliefs`).
    tol : float
        Gains up to ``tol · max(1, |payoff|)`` count as zero (float profiles only;
        fractions are checked exactly).

    Returns
    -------
    AssessmentCheck

    Examples
    --------
    Selten's horse: ``(D, c, L)`` is a Nash equilibrium, but player 2 would
    not play ``c`` if asked to move.

    >>> from jenga_games.games.extensive import selten_horse
    >>> g = selten_horse()
    >>> sequential_equilibrium_check(g, [["D"], ["c"], ["L"]]).violations[0][:34]
    "player '2' at information set '2':"
    """
    game.require_perfect_recall("sequential_equilibrium_check")
    beh = _raw(game, behaviour)
    exact = _is_exact(beh)
    zero = Fraction(0) if exact else 0.0
    if beliefs is None:
        mu, source = consistent_beliefs(game, beh), "uniform trembles"
    else:
        mu, source = _check_beliefs(game, beliefs, exact), "given"
    val = _values(game, beh, zero)
    scale = max((abs(float(v)) for o in game.outcomes for v in o.payoffs), default=1.0)
    gains, violations = {}, []
    for i in range(game.n_players):
        for s in game.infosets[i]:
            starts = [(h, m) for h, m in zip(s.members, mu[i][s.index]) if m]
            if not starts:
                gains[(game.players[i], s.label or str(s.number))] = zero
                continue
            base = [h.outcome.payoffs[i] if h.outcome is not None else zero for h, _ in starts]
            current = sum((m * (val[id(h)][i] - b) for (h, m), b in zip(starts, base)), zero)
            best = _best_continuation(game, beh, i, starts, zero)
            gain = best - current
            gains[(game.players[i], s.label or str(s.number))] = gain
            limit = 0 if exact else tol * max(1.0, scale)
            if gain > limit:
                played = [s.actions[a] for a, q in enumerate(beh[i][s.index]) if q > 0]
                violations.append(
                    f"player {game.players[i]!r} at information set {s.label or s.number!r}: "
                    f"playing {played} is worth {float(gain):.6g} less than the best "
                    f"continuation given the beliefs {[str(m) for m in mu[i][s.index]]}"
                )
    ok_seq = not violations
    ok_con, witness, why = _consistency(game, beh, mu)
    violations += [f"beliefs not consistent: {w}" for w in why]
    return AssessmentCheck(
        sequentially_rational=ok_seq,
        consistent=ok_con,
        violations=tuple(violations),
        gains=gains,
        beliefs=mu,
        beliefs_source=source,
        witness=witness,
        provenance=Provenance(
            method="sequential_equilibrium_check", params={"tol": tol}, exact=exact
        ),
    )


def subgames(game: ExtensiveGame) -> list[Node]:
    """Roots of the subgames [selten1975]_, the whole game's root first: chance nodes and
    decision nodes alone in their information set whose subtree holds every node of
    each player information set it meets.

    A subtree is a contiguous range ``[a, b]`` of the preorder; it is a subgame iff the
    members of the information sets met inside all lie in ``[a, b]``.
    """
    order = list(game.nodes())
    pos = {id(n): k for k, n in enumerate(order)}
    span: dict[int, tuple[int, int]] = {}
    for n in order:
        s = n.infoset
        if s is not None and not s.is_chance and id(s) not in span:
            ks = [pos[id(h)] for h in s.members]
            span[id(s)] = (min(ks), max(ks))
    lo, hi, end = {}, {}, {}
    for k in range(len(order) - 1, -1, -1):
        n = order[k]
        s = n.infoset
        a, b = span.get(id(s), (k, k)) if s is not None else (k, k)
        e = k
        for c in n.children:
            a, b, e = min(a, lo[id(c)]), max(b, hi[id(c)]), max(e, end[id(c)])
        lo[id(n)], hi[id(n)], end[id(n)] = a, b, e
    return [
        n
        for k, n in enumerate(order)
        if k == 0
        or (
            n.infoset is not None
            and (n.infoset.is_chance or len(n.infoset.members) == 1)
            and lo[id(n)] >= k
            and hi[id(n)] <= end[id(n)]
        )
    ]


def subgame_nash_gaps(game: ExtensiveGame, behaviour) -> list[tuple[Node, int, object]]:
    """``(subgame root, player, gain)`` wherever the profile is not a Nash equilibrium
    of a subgame (a positive gain from the best strategy there)."""
    beh = _raw(game, behaviour)
    exact = _is_exact(beh)
    zero = Fraction(0) if exact else 0.0
    val = _values(game, beh, zero)
    scale = max((abs(float(v)) for o in game.outcomes for v in o.payoffs), default=1.0)
    out = []
    for root in subgames(game):
        base = root.outcome.payoffs if root.outcome is not None else [zero] * game.n_players
        for i in range(game.n_players):
            best = _best_continuation(game, beh, i, [(root, zero + 1)], zero)
            gain = best - (val[id(root)][i] - base[i])
            if gain > (0 if exact else 1e-9 * max(1.0, scale)):
                out.append((root, i, gain))
    return out
