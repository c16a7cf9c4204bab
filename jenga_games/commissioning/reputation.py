"""Contestability with reputation: a chain of contracts and a possibly tough incumbent.

In :mod:`.contestability` the chain store has perfect information, and
Selten's paradox [Selten1978]_ bites: by backward induction the incumbent
accommodates every entrant, so threats to fight carry no weight. Kreps and
Wilson [KrepsWilson1982]_ showed that a little doubt changes this. Here ``N``
contracts are contested one after another, each by a new alternative
provider (an *entrant*); with prior probability ``ε`` the incumbent is
*tough* and always fights an entrant (it undercuts, litigates, mobilises
local politics), otherwise it is *weak* and fighting costs it.

Per contract (£ m, illustrative assumptions): an entrant that stays out gets
0 and the incumbent ``a > 1``; after entry, accommodation gives the entrant
``b`` (0 < b < 1) and the weak incumbent 0; fighting gives the entrant
``b - 1`` and the weak incumbent ``-1``.

With ``k`` contracts left and reputation ``p_k`` (the entrants' belief that
the incumbent is tough), the sequential equilibrium is [KrepsWilson1982]_,
[Fudenberg1991]_ (section 9.2):

* the entrant stays out if ``p_k > b^k``, enters if ``p_k < b^k`` and, at
  ``p_k = b^k``, stays out with probability ``1/a``;
* the weak incumbent accommodates the last entrant (``k = 1``); earlier it
  fights for sure if ``p_k ≥ b^{k-1}``, else with probability
  ``β_k = p_k (1 - b^{k-1}) / ((1 - p_k) b^{k-1})``, which makes the belief
  after a fight exactly ``b^{k-1}`` (Bayes' rule); accommodation reveals
  weakness (``p = 0``).

So entrants stay out of every contract while ``ε > b^k``: all but the last
about ``ln ε / ln b`` contracts are *not* contested at all, although the
incumbent is almost surely weak. :func:`reputation` returns the path and the
game tree, and checks that the equilibrium is a Nash equilibrium of the tree
with NashConv exactly 0 (for ``N ≤ 5``).
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pandas as pd

from .._results import Provenance, Result
from ..games.extensive import ExtensiveGame, backward_induction, nash_conv
from ._common import InvalidParameterError, check_prob

__all__ = ["Reputation", "ReputationParams", "chain_store_game", "reputation"]

_OUT, _FIGHT, _ACC = "out", "fight", "accommodate"
_TREE_LIMIT = 5  # the equilibrium is checked on the tree up to this many contracts


def _q(x) -> Fraction:
    return (
        x if isinstance(x, Fraction) else Fraction(str(x)) if isinstance(x, float) else Fraction(x)
    )


@dataclasses.dataclass(frozen=True)
class ReputationParams:
    """Parameters of the reputation chain store (all illustrative assumptions).

    Attributes
    ----------
    n_contracts : int
        ``N``: contracts contested in turn (default 5).
    prior_tough : float
        ``ε``: prior probability that the incumbent is tough (default 0.1).
    entrant_gain : float
        ``b``: an accommodated entrant's gain per contract, £ m (0 < b < 1; default 0.5);
        a fought entrant gets ``b - 1``.
    incumbent_gain : float
        ``a``: the weak incumbent's gain when nobody enters, £ m (> 1; default 2);
        0 when it accommodates, -1 when it fights.
    """

    n_contracts: int = 5
    prior_tough: float = 0.1
    entrant_gain: float = 0.5
    incumbent_gain: float = 2.0

    def __post_init__(self) -> None:
        o = "ReputationParams"
        if isinstance(self.n_contracts, bool) or not isinstance(self.n_contracts, int):
            raise InvalidParameterError(f"{o}: n_contracts must be an integer ≥ 1")
        if not 1 <= self.n_contracts <= 60:
            raise InvalidParameterError(
                f"{o}: n_contracts={self.n_contracts}; give 1 to 60 contracts"
            )
        check_prob(self.prior_tough, "prior_tough", o)
        if not 0 < _q(self.entrant_gain) < 1:
            raise InvalidParameterError(
                f"{o}: entrant_gain={self.entrant_gain}; it must lie strictly between 0 and 1 "
                "(an entrant gains from accommodation and loses from a fight)"
            )
        if not _q(self.incumbent_gain) > 1:
            raise InvalidParameterError(
                f"{o}: incumbent_gain={self.incumbent_gain}; it must exceed 1 (the cost of a fight)"
            )


class _KW:
    """The Kreps–Wilson strategies as functions of the history (exact)."""

    def __init__(self, prm: ReputationParams):
        self.N = prm.n_contracts
        self.eps = _q(prm.prior_tough)
        self.b = _q(prm.entrant_gain)
        self.a = _q(prm.incumbent_gain)

    def beta(self, k: int, p: Fraction) -> Fraction:
        """Weak incumbent's probability of fighting with k contracts left and reputation p."""
        if k == 1:
            return Fraction(0)
        t = self.b ** (k - 1)
        if p >= t:
            return Fraction(1)
        return p * (1 - t) / ((1 - p) * t)

    def stay_out(self, k: int, p: Fraction) -> Fraction:
        t = self.b**k
        return Fraction(1) if p > t else Fraction(0) if p < t else 1 / self.a

    def reputation(self, history) -> Fraction:
        p = self.eps
        for j, h in enumerate(history):
            k = self.N - j
            if h == _ACC:
                p = Fraction(0)
            elif h == _FIGHT:
                be = self.beta(k, p)
                den = p + (1 - p) * be
                p = p / den if den else p
        return p


def chain_store_game(
    params: ReputationParams | None = None, *, with_tough: bool = True
) -> ExtensiveGame:
    """The game tree: chance picks the type; entrants see the history, not the type.

    With ``with_tough=False`` the incumbent is known to be weak: Selten's chain
    store, a game of perfect information.

    Players: ``"Incumbent"`` then ``"Entrant 1"`` … ``"Entrant N"``. The tough
    type's fights are automatic (it has no decisions); the weak type's
    information sets are labelled by the history, as are the entrants'.
    """
    prm = params or ReputationParams()
    N = prm.n_contracts
    if 3**N > 50_000:
        raise InvalidParameterError(
            f"ReputationParams: n_contracts={N} gives {3**N:,} histories per type; "
            "the tree is built for N ≤ 9"
        )
    eps, b, a = _q(prm.prior_tough), _q(prm.entrant_gain), _q(prm.incumbent_gain)
    g = ExtensiveGame(["Incumbent", *(f"Entrant {k + 1}" for k in range(N))], title="Chain store")

    def grow(node, tough: bool, hist: tuple, inc: Fraction, ent: list):
        j = len(hist)
        if j == N:
            g.set_outcome(node, [inc, *ent])
            return
        key = "/".join(hist) or "start"
        out, enter = g.add_move(node, 1 + j, [_OUT, "enter"], infoset=key)
        grow(out, tough, (*hist, _OUT), inc + a, ent)
        if tough:
            e2 = list(ent)
            e2[j] = b - 1
            grow(enter, tough, (*hist, _FIGHT), inc - 1, e2)
            return
        fight, acc = g.add_move(enter, 0, [_FIGHT, _ACC], infoset=key)
        e2 = list(ent)
        e2[j] = b - 1
        grow(fight, tough, (*hist, _FIGHT), inc - 1, e2)
        e3 = list(ent)
        e3[j] = b
        grow(acc, tough, (*hist, _ACC), inc, e3)

    zero = [Fraction(0)] * N
    if not with_tough:
        grow(g.root, False, (), Fraction(0), zero)
        return g
    tough, weak = g.add_chance(g.root, {"tough": eps, "weak": 1 - eps})
    grow(tough, True, (), Fraction(0), zero)
    grow(weak, False, (), Fraction(0), zero)
    return g


@dataclasses.dataclass(frozen=True, repr=False)
class Reputation(Result):
    """The Kreps–Wilson equilibrium along the path on which nobody has entered yet.

    Attributes
    ----------
    path : pandas.DataFrame
        Per contract ``t = 1..N`` (``k = N - t + 1`` left): the reputation, the
        entrant's probability of staying out, the weak incumbent's probability
        of fighting an entry, and ``contested`` (entry has positive probability).
    uncontested : int
        Contracts at the start that no entrant contests.
    threshold_contracts : float
        ``ln ε / ln b``: roughly how many final contracts are contested.
    nash_conv : Fraction or None
        NashConv of the equilibrium on :func:`chain_store_game` (``None`` when
        ``N > 5``: the tree is not built).
    perfect_information_uncontested : int or None
        Contracts left uncontested by backward induction on Selten's
        perfect-information chain store (the paradox: 0); ``None`` when ``N > 5``.
    params : ReputationParams
    provenance : Provenance
    """

    path: pd.DataFrame
    uncontested: int
    threshold_contracts: float
    nash_conv: Fraction | None
    perfect_information_uncontested: int | None
    params: ReputationParams
    provenance: Provenance

    def __repr__(self) -> str:
        N = self.params.n_contracts
        return (
            f"Reputation({self.uncontested} of {N} contracts uncontested at ε = "
            f"{self.params.prior_tough}; {self.perfect_information_uncontested} without "
            f"reputation; NashConv {self.nash_conv})"
        )


def _behaviour(game: ExtensiveGame, kw: _KW):
    beh: list[list[list[Fraction]]] = [[] for _ in game.players]
    for i in range(game.n_players):
        for s in game.infosets[i]:
            hist = () if s.label == "start" else tuple(s.label.split("/"))
            k = kw.N - len(hist)
            p = kw.reputation(hist)
            if i == 0:
                be = kw.beta(k, p)
                beh[0].append([be, 1 - be])
            else:
                q = kw.stay_out(k, p)
                beh[i].append([q, 1 - q])
    return beh


def reputation(params: ReputationParams | None = None) -> Reputation:
    """Solve the chain store with a possibly tough incumbent (Kreps–Wilson), exactly.

    Examples
    --------
    >>> r = reputation(ReputationParams(n_contracts=5, prior_tough=0.1, entrant_gain=0.5))
    >>> r.uncontested, r.perfect_information_uncontested, r.nash_conv
    (2, 0, Fraction(0, 1))
    """
    prm = params or ReputationParams()
    kw = _KW(prm)
    rows = []
    p = kw.eps
    for t in range(1, kw.N + 1):
        k = kw.N - t + 1
        q = kw.stay_out(k, p)
        rows.append(
            {
                "contract": t,
                "left": k,
                "reputation": float(p),
                "stay_out": float(q),
                "weak_fights": float(kw.beta(k, p)),
                "contested": q < 1,
            }
        )
        # the path on which this entrant stayed out: reputation unchanged
    df = pd.DataFrame(rows)
    unc = 0
    for r in rows:
        if r["contested"]:
            break
        unc += 1
    nc = None
    if kw.N <= _TREE_LIMIT:
        game = chain_store_game(prm)
        nc, _ = nash_conv(game, _behaviour(game, kw))
        if nc != 0:
            raise RuntimeError(f"reputation: NashConv {nc} on the tree; please report")
    eps, b = float(kw.eps), float(kw.b)
    thr = math.log(eps) / math.log(b) if eps > 0 else math.inf
    # without the tough type: backward induction on Selten's perfect-information chain store
    pi_unc = None
    if kw.N <= _TREE_LIMIT:
        spe_game = chain_store_game(prm, with_tough=False)
        spe = backward_induction(spe_game)
        node = spe_game.root
        pi_unc = 0
        while node.infoset is not None:
            s_ = node.infoset
            a = int(spe.exact_behaviour[s_.player][s_.index].index(1))
            if s_.player != 0 and a == 0:
                pi_unc += 1
            elif s_.player != 0:
                break
            node = node.children[a]
    return Reputation(
        path=df,
        uncontested=unc,
        threshold_contracts=thr,
        nash_conv=nc,
        perfect_information_uncontested=pi_unc,
        params=prm,
        provenance=Provenance(method="kreps_wilson", params=dataclasses.asdict(prm), exact=True),
    )
