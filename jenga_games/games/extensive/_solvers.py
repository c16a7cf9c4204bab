"""Solvers for extensive games, each certified by an independent best-response check.

* :func:`backward_induction` — perfect information (chance allowed): a
  subgame-perfect equilibrium in pure strategies [Zermelo1913]_, [Kuhn1953]_;
* :func:`sequence_form_lp` — two-player zero-sum with perfect recall: the
  maximin realization plans by one LP per player [Koller1996]_, exact in
  rational arithmetic;
* :func:`cfr` — counterfactual regret minimisation [Zinkevich2007]_ (or
  CFR+), two-player zero-sum, with the exploitability of the average
  strategy recorded along the way.

Every result carries its NashConv recomputed independently of the solver: by
:func:`~jenga_games.games.extensive.nash_conv` (a walk of the tree, sharing no
code with the solvers), or, for the exact sequence-form LP and LCP, by each
player's best response to the other's realization plan folded over its own
information sets (:meth:`SequenceForm.best_response_value`, which uses the
sequence form but neither the LP nor the LCP; the tests hold it equal to
``nash_conv`` on random trees).
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np

from ..._results import Provenance, Result
from ...errors import InvalidGameError, InvalidParameterError
from .._rational_lp import solve_lp
from ._best_response import nash_conv
from ._forms import sequence_form
from ._tree import ExtensiveGame

__all__ = ["BehaviourEquilibrium", "backward_induction", "cfr", "sequence_form_lp"]


@dataclasses.dataclass(frozen=True, eq=False)
class BehaviourEquilibrium(Result):
    """A behaviour profile returned by a solver, with its certificate.

    Attributes
    ----------
    behaviour : list of list of numpy.ndarray
        ``behaviour[i][k]`` is player ``i``'s action distribution at its ``k``-th set.
    payoffs : numpy.ndarray
        Expected payoff of each player.
    nash_conv : float
        ``Σ_i`` (best-response value - payoff), recomputed independently; 0 at equilibrium.
    exploitability : float
        ``nash_conv / n_players``.
    exact_behaviour : list or None
        Fractions, when the solver was exact.
    exact_payoffs : tuple of Fraction or None
    curve : list of (int, float) or None
        ``(iteration, exploitability)`` of the average strategy (CFR).
    provenance : Provenance
    """

    behaviour: list
    payoffs: np.ndarray
    nash_conv: float
    exploitability: float
    players: tuple[str, ...]
    exact_behaviour: list | None = None
    exact_payoffs: tuple[Fraction, ...] | None = None
    curve: list | None = None
    provenance: Provenance | None = None

    def as_dict(self, game: ExtensiveGame) -> dict[str, dict[str, dict[str, float]]]:
        """``{player: {infoset label or number: {action: probability}}}``."""
        return {
            p: {
                (s.label or str(s.number)): {
                    a: float(v) for a, v in zip(s.actions, self.behaviour[i][s.index])
                }
                for s in game.infosets[i]
            }
            for i, p in enumerate(self.players)
        }

    def __repr__(self) -> str:
        pay = (
            [str(v) for v in self.exact_payoffs]
            if self.exact_payoffs is not None
            else [f"{v:.6g}" for v in self.payoffs]
        )
        method = self.provenance.method if self.provenance else "?"
        return f"BehaviourEquilibrium({method}; payoffs={pay}; nash_conv={self.nash_conv:.3g})"


def _certify(
    game, beh, method, params, exact_beh=None, curve=None, tol=1e-7, certified=False, plans=None
):
    """The result with its NashConv.

    With exact realization ``plans`` ``(sf, x, y)`` (the sequence-form solvers) the payoffs
    are ``x^T A_k y`` and the NashConv is ``Σ_k (max_{x'} x'^T A_k y - x^T A_k y)`` by
    :meth:`SequenceForm.best_response_value` (a backward induction over each player's own
    information sets, sharing nothing with the LP or the LCP); otherwise both come from
    :func:`nash_conv`, a walk of the tree. The tests check that the two NashConvs agree."""
    if exact_beh is not None:
        if plans is not None:
            sf, x, y = plans
            g = sf.values(0, y), sf.values(1, x)
            ex_pay = tuple(Fraction(v) for v in sf.plan_payoffs(x, y, g))
            nc = 0
            if not certified:
                nc = sf.best_response_value(0, y, g[0]) - ex_pay[0]
                nc += sf.best_response_value(1, x, g[1]) - ex_pay[1]
        else:
            from ._best_response import _expected

            nc = 0 if certified else nash_conv(game, exact_beh)[0]
            ex_pay = tuple(_expected(game, exact_beh, Fraction(0)))
        if nc != 0:
            raise RuntimeError(f"{method}: exact NashConv {nc} is not zero; please report")
        pay = np.array([float(v) for v in ex_pay])
        ncf = 0.0
    else:
        nc, _ = nash_conv(game, beh)
        ncf = float(nc)
        pay = game.expected_payoffs(beh)
        ex_pay = None
        if method != "cfr":
            scale = max(
                1.0, max((abs(float(v)) for o in game.outcomes for v in o.payoffs), default=1)
            )
            if ncf > tol * scale:
                raise RuntimeError(f"{method}: NashConv {ncf:.3g} > tol; please report")
    pay.setflags(write=False)
    return BehaviourEquilibrium(
        behaviour=[[np.asarray(v, dtype=float) for v in row] for row in beh],
        payoffs=pay,
        nash_conv=ncf,
        exploitability=ncf / game.n_players,
        players=game.players,
        exact_behaviour=exact_beh,
        exact_payoffs=ex_pay,
        curve=curve,
        provenance=Provenance(method=method, params=params, exact=exact_beh is not None),
    )


# ---------------------------------------------------------------------- backward induction
def backward_induction(game: ExtensiveGame) -> BehaviourEquilibrium:
    """A subgame-perfect equilibrium of a game of perfect information, exactly.

    Each mover picks the first action with the highest exact continuation value
    (ties go to the earlier action); chance nodes average. The result is exact.

    Raises
    ------
    InvalidGameError
        An information set with more than one node (use the sequence form or CFR).
    """
    if not game.is_perfect_information():
        raise InvalidGameError(
            "backward_induction needs perfect information (every information set a single "
            "node); use sequence_form_lp or cfr for games with hidden information"
        )
    n = game.n_players
    choice: dict[tuple[int, int], int] = {}
    # post-order: values of children before parents
    order = list(game.nodes())
    val: dict[int, tuple[Fraction, ...]] = {}
    for node in reversed(order):
        own = node.outcome.payoffs if node.outcome is not None else (Fraction(0),) * n
        s = node.infoset
        if s is None:
            v = own
        elif s.is_chance:
            v = tuple(
                sum((q * val[id(c)][k] for c, q in zip(node.children, s.probs)), Fraction(0))
                for k in range(n)
            )
            v = tuple(a + b for a, b in zip(own, v))
        else:
            best = max(
                range(len(node.children)), key=lambda a: (val[id(node.children[a])][s.player], -a)
            )
            choice[(s.player, s.index)] = best
            v = tuple(a + b for a, b in zip(own, val[id(node.children[best])]))
        val[id(node)] = v
    exact = [
        [
            [Fraction(int(a == choice[(p, s.index)])) for a in range(len(s.actions))]
            for s in game.infosets[p]
        ]
        for p in range(n)
    ]
    beh = [[np.array([float(v) for v in vec]) for vec in row] for row in exact]
    return _certify(game, beh, "backward_induction", {}, exact_beh=exact)


# ---------------------------------------------------------------------- sequence-form LP
def sequence_form_lp(game: ExtensiveGame, exact: bool = True) -> BehaviourEquilibrium:
    """Maximin behaviour strategies of a two-player zero-sum game with perfect recall.

    Player 1 solves ``max_{x, q} q_0`` s.t. ``F^T q ≤ A^T x``, ``E x = e``,
    ``x ≥ 0`` (``q`` free); player 2 the symmetric program with ``-A``
    [Koller1996]_. The realization plans become behaviour strategies by
    ``β(I, a) = x(I, a) / x(σ_I)``.

    Parameters
    ----------
    game : ExtensiveGame
        Two players, perfect recall, payoffs summing to zero at every leaf.
    exact : bool
        Exact value and strategies, or HiGHS floats. The exact answer is found by
        warm start: HiGHS's realization plans become behaviour strategies,
        rationalised (``Fraction.limit_denominator`` with growing bounds), and
        are kept when their exact NashConv is 0 — in a zero-sum game that is the
        duality certificate (each player's best-response value, the dual
        objective, equals the payoff, so both strategies are maximin and the
        payoff is the value). Otherwise, and for trees with fewer than 16
        sequences, the rational simplex solves the LPs.

    Examples
    --------
    >>> from jenga_games.games.extensive import kuhn_poker
    >>> str(sequence_form_lp(kuhn_poker()).exact_payoffs[0])
    '-1/18'
    """
    if not game.is_zero_sum():
        raise InvalidGameError(
            "sequence_form_lp needs a two-player zero-sum game (payoffs summing to 0 at every "
            "leaf); for general-sum games use the reduced normal form with a Nash solver"
        )
    sf = sequence_form(game)
    if exact and sum(sf.n_sequences) >= _WARM_START_MIN_SEQUENCES:
        warm = _warm_start(game, sf)
        if warm is not None:
            return warm
    return _sequence_form_lp(game, sf, exact)


_WARM_START_MIN_SEQUENCES = 16
"""Below this many sequences (both players) the rational simplex alone is faster than
HiGHS's fixed cost (measured: one-card poker, 6 sequences, 23 ms against 49 ms; since the
fraction-free simplex, about 2 ms). Kuhn poker (26 sequences) is still faster by the warm
start (17 ms against 28 ms for the rational simplex, 6 Dec 2026, loaded machine)."""


def _rationalise(game: ExtensiveGame, beh, bound: int) -> list:
    """Fraction behaviour near ``beh``: each vector rounded to denominators ``<= bound``,
    the last entry set so that the vector sums to exactly 1."""
    out = []
    for row in beh:
        new = []
        for vec in row:
            head = [max(Fraction(float(v)).limit_denominator(bound), Fraction(0)) for v in vec[:-1]]
            last = 1 - sum(head, Fraction(0))
            if last < 0:
                return []
            new.append([*head, last])
        out.append(new)
    return out


def _warm_start(game: ExtensiveGame, sf) -> BehaviourEquilibrium | None:
    """HiGHS, then rationalise and certify exactly; ``None`` when no bound certifies."""
    from ._best_response import nash_conv as exact_nash_conv

    approx = _sequence_form_lp(game, sf, exact=False, certify=False)
    for bound in (100, 10_000, 1_000_000):
        ex = _rationalise(game, approx, bound)
        if ex and exact_nash_conv(game, ex)[0] == 0:
            beh = [[np.array([float(v) for v in vec]) for vec in row] for row in ex]
            return _certify(
                game,
                beh,
                "sequence_form_lp",
                {"lp": "HiGHS, rationalised and certified exactly", "denominator_bound": bound},
                exact_beh=ex,
                certified=True,  # the exact NashConv just computed is 0
            )
    return None


def _sequence_form_lp(game: ExtensiveGame, sf, exact: bool, certify: bool = True):
    plans = []
    for p in range(2):
        if exact:  # lists of Fractions and ints (no object arrays): the rational simplex
            n1, n2 = sf.n_sequences
            A = [[0] * n2 for _ in range(n1)]
            for (i, j), v in sf.payoffs[0].items():
                A[i][j] = v
            if p == 1:  # player 2 maximises -x^T A y: its own rows
                A = [[-A[i][j] for i in range(n1)] for j in range(n2)]
        else:
            A = sf.matrix(0)
            if p == 1:
                A = -A.T
            A = A.tolist()
        own, other = sf.constraints[p], sf.constraints[1 - p]
        n_own, n_other = sf.n_sequences[p], sf.n_sequences[1 - p]
        n_q = len(other)
        zero = 0 if exact else 0.0
        # variables: own plan (n_own, >= 0), then q (n_q, free)
        c = [zero] * n_own + [zero + 1] + [zero] * (n_q - 1)
        A_ub = []
        for j in range(n_other):  # (F^T q)_j - (A^T x)_j <= 0
            A_ub.append([-A[i][j] for i in range(n_own)] + [other[r][j] for r in range(n_q)])
        A_eq = [list(row) + [0] * n_q for row in own]
        b_eq = [1] + [0] * (len(own) - 1)
        sol = solve_lp(
            c,
            A_ub,
            [zero] * n_other,
            A_eq,
            b_eq,
            free=range(n_own, n_own + n_q),
            exact=exact,
            what=f"sequence-form LP of player {game.players[p]!r}",
        )
        x = list(sol.exact_x[:n_own]) if exact else list(np.clip(sol.x[:n_own], 0, None))
        plans.append(x)
    if exact:
        ex = []
        for p in range(2):
            row = []
            for r, s in enumerate(game.infosets[p]):
                o, k = sf.offsets[p][r], len(s.actions)
                par = plans[p][sf.parent[p][r]]
                row.append(
                    [plans[p][o + a] / par for a in range(k)] if par else [Fraction(1, k)] * k
                )
            ex.append(row)
        beh = [[np.array([float(v) for v in vec]) for vec in row] for row in ex]
        return _certify(
            game,
            beh,
            "sequence_form_lp",
            {"lp": "rational simplex"},
            exact_beh=ex,
            plans=(sf, plans[0], plans[1]),
        )
    beh = [sf.behaviour_from_plan(p, plans[p]) for p in range(2)]
    if not certify:
        return beh
    return _certify(game, beh, "sequence_form_lp", {"lp": "HiGHS"})


# ---------------------------------------------------------------------- CFR
class _Compiled:
    """The tree as flat lists for fast traversal (two players)."""

    def __init__(self, game: ExtensiveGame):
        self.kind: list[int] = []  # 0 terminal, 1 chance, 2 player
        self.children: list[list[int]] = []
        self.probs: list[list[float]] = []
        self.player: list[int] = []
        self.iset: list[int] = []  # global infoset id
        self.value: list[float] = []  # player 1's payoff at terminals (zero-sum)
        self.iset_base = [0, len(game.infosets[0])]
        self.n_actions = [len(s.actions) for s in game.infosets[0]] + [
            len(s.actions) for s in game.infosets[1]
        ]
        ids: dict[int, int] = {}
        order = list(game.nodes())
        for k, n in enumerate(order):
            ids[id(n)] = k
        for n in order:
            s = n.infoset
            self.children.append([ids[id(c)] for c in n.children])
            if s is None:
                self.kind.append(0)
                self.probs.append([])
                self.player.append(-1)
                self.iset.append(-1)
                self.value.append(float(game.payoff(n)[0]))
            elif s.is_chance:
                self.kind.append(1)
                self.probs.append([float(p) for p in s.probs])
                self.player.append(-1)
                self.iset.append(-1)
                self.value.append(0.0)
            else:
                self.kind.append(2)
                self.probs.append([])
                self.player.append(s.player)
                self.iset.append(self.iset_base[s.player] + s.index)
                self.value.append(0.0)


def cfr(
    game: ExtensiveGame,
    iterations: int = 1000,
    *,
    plus: bool = True,
    record_every: int = 0,
) -> BehaviourEquilibrium:
    """Counterfactual regret minimisation for two-player zero-sum games [Zinkevich2007]_.

    Parameters
    ----------
    game : ExtensiveGame
        Two players, perfect recall, zero-sum.
    iterations : int
        Number of iterations (each one pass per player with alternating updates).
    plus : bool
        CFR+: regrets floored at zero and the average weighted by the iteration
        number (faster in practice); ``False`` gives vanilla CFR (regrets kept
        negative, uniform average). Both update the players alternately.
    record_every : int
        Record the exploitability of the average strategy every this many
        iterations in ``curve`` (0: only at the end).

    Returns
    -------
    BehaviourEquilibrium
        The average strategy; its ``exploitability`` is computed independently.
    """
    if not game.is_zero_sum():
        raise InvalidGameError("cfr here solves two-player zero-sum games; this game is not")
    game.require_perfect_recall("cfr")
    if iterations < 1:
        raise InvalidParameterError(f"iterations must be at least 1; got {iterations}")
    T = _Compiled(game)
    n_is = len(T.n_actions)
    regret = [[0.0] * k for k in T.n_actions]
    avg = [[0.0] * k for k in T.n_actions]
    kind, children, probs, player, iset, value = (
        T.kind,
        T.children,
        T.probs,
        T.player,
        T.iset,
        T.value,
    )

    def strategy(g: int) -> list[float]:
        r = regret[g]
        pos = [v if v > 0 else 0.0 for v in r]
        s = sum(pos)
        if s > 0:
            return [v / s for v in pos]
        k = len(r)
        return [1.0 / k] * k

    def walk(h: int, traverser: int, pi_own: float, pi_opp: float, w: float) -> float:
        """Counterfactual utility for ``traverser`` (player 1's payoff sign-adjusted)."""
        k = kind[h]
        if k == 0:
            return value[h] if traverser == 0 else -value[h]
        if k == 1:
            tot = 0.0
            for c, q in zip(children[h], probs[h]):
                tot += q * walk(c, traverser, pi_own, pi_opp * q, w)
            return tot
        g = iset[h]
        sigma = current[g]
        ch = children[h]
        if player[h] == traverser:
            utils = [walk(c, traverser, pi_own * p, pi_opp, w) for c, p in zip(ch, sigma)]
            node_u = sum(p * u for p, u in zip(sigma, utils))
            rg = regret[g]
            for a in range(len(ch)):
                rg[a] += pi_opp * (utils[a] - node_u)
                if plus and rg[a] < 0:
                    rg[a] = 0.0
            av = avg[g]
            for a in range(len(ch)):
                av[a] += w * pi_own * sigma[a]
            return node_u
        tot = 0.0
        for c, p in zip(ch, sigma):
            if p > 0:
                tot += p * walk(c, traverser, pi_own, pi_opp * p, w)
        return tot

    def average() -> list[list[np.ndarray]]:
        out: list[list[np.ndarray]] = [[], []]
        for g in range(n_is):
            p = 0 if g < T.iset_base[1] else 1
            a = np.array(avg[g])
            s = a.sum()
            out[p].append(a / s if s > 0 else np.full(len(a), 1.0 / len(a)))
        return out

    curve = []
    current: list[list[float]] = []
    for t in range(1, iterations + 1):
        w = float(t) if plus else 1.0
        for traverser in (0, 1):
            # strategies are fixed for the whole pass (an infoset has several nodes)
            current[:] = [strategy(g) for g in range(n_is)]
            walk(0, traverser, 1.0, 1.0, w)
        if record_every and t % record_every == 0 and t != iterations:
            nc, _ = nash_conv(game, average())
            curve.append((t, float(nc) / 2))
    beh = average()
    res = _certify(game, beh, "cfr", {"iterations": iterations, "plus": plus})
    curve.append((iterations, res.exploitability))
    return dataclasses.replace(res, curve=curve)
