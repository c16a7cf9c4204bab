"""Contestability: when is a commissioner's threat to move a contract credible?

The essays' claim: commissioning bites only if the commissioner can take
activity away, which needs an alternative provider; and contracts must not
grow "too big to fail" — keep the quantum small enough to contest. We model
it as an entry-deterrence game in the spirit of Selten's chain store
:cite:`Selten1978` between a commissioner (C), an incumbent provider (I) and
a potential entrant (E), solved exactly by backward induction.

One contract (a *lot*) of size ``q`` (£ m of income a year):

1. I chooses ``perform`` (costs ``e q``, worth ``b q`` to C) or ``shirk``;
2. E, seeing this, chooses ``enter`` (pays ``k``) or ``out``;
3. if E entered and can take the lot (``q <= Q_E``), C chooses ``move`` or
   ``keep``; otherwise the lot stays.

Payoffs of the lot. Keep: C gets ``b q`` if I performed, else 0; I gets
``m q − e q`` or ``m q``; an entrant that entered gets ``−k``. Move: C gets
``b q − s q`` (the entrant performs; ``s`` is the switching cost) and, if
the incumbent fails, pays the collapse cost ``D``; I loses the lot's income
and saves only its variable cost, so it ends with ``(m − 1 + v) q`` (its
fixed cost is stranded, as in :mod:`.finance`), and fails when the
contribution lost ``(1 − v) q`` exceeds its headroom ``H``
(then it also loses ``X``); E gets ``m_E q − k``.

The threat is credible in a lot when C, after a shirk, prefers to move:
``(b − s) q > D·[(1 − v) q > H]`` (plus, with several lots, the effect on
later lots), and an alternative exists: ``q <= Q_E`` and ``m_E q > k``. Then
the incumbent performs (``(1 − v − e) q > 0``) and nobody enters. Small lots
below ``k/m_E`` attract no entrant; lots above ``H/(1 − v)`` make the
incumbent too big to fail unless ``D < (b − s) q``.

Several lots ``q_1, ..., q_L`` are contested one after another against the
same incumbent, each with a new entrant (the chain store); a lot moved lowers
the incumbent's headroom by ``(1 − v) q_t`` for the lots that follow, and if
the incumbent fails the game ends. Backward induction over (lot, headroom)
is exact (``fractions.Fraction``). Ties: C keeps, E stays out, I performs.
Brekke, Siciliani and Straume (2015) :cite:`Brekke2015` show how expected
bail-outs ("too big to fail") blunt providers' incentives.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from functools import cache

import numpy as np
import pandas as pd

from .._results import Provenance, Result
from ..games.normal_form import NormalFormGame
from ._common import InvalidParameterError, check_nonneg, check_prob, check_vector

__all__ = ["Contest", "ContestParams", "contest", "contest_normal_form", "contest_regions"]


def _q(x) -> Fraction:
    return (
        x
        if isinstance(x, Fraction)
        else Fraction(str(float(x)))
        if isinstance(x, float)
        else Fraction(x)
    )


@dataclasses.dataclass(frozen=True)
class ContestParams:
    """Parameters of the contestability game (money in £ m a year; shares of the lot's income).

    Attributes
    ----------
    quanta : tuple of float
        Lot sizes ``q_t`` (default one lot of 5, a mid-sized service contract).
    variable_share : float
        ``v``: the incumbent's cost saved per £ of income lost (default 0.3,
        the marginal-rate emergency tariff :cite:`MarginalRateTariff`).
    margin : float
        ``m``: the incumbent's profit share of a lot it keeps (default 0.05).
    effort_cost : float
        ``e``: the share of the lot it spends to perform well (default 0.03).
    quality_gain : float
        ``b``: the commissioner's gain per £ from good performance (default 0.1).
    switching_cost : float
        ``s``: the commissioner's cost per £ of moving a lot (default 0.02).
    headroom : float
        ``H``: the incumbent's surplus before any loss (default 2.0, about 1% of a trust's income).
    collapse_cost : float
        ``D``: what the commissioner bears if the incumbent fails (default 50: other
        services fall with it; see the worked economy).
    failure_cost : float
        ``X``: the incumbent's own loss if it fails (default 10).
    entry_cost : float
        ``k``: an entrant's cost of bidding and mobilising (default 0.1).
    entrant_margin : float
        ``m_E``: the entrant's profit share of a lot it wins (default 0.08).
    entrant_capacity : float
        ``Q_E``: the largest lot an entrant can take on (default 10).
    """

    quanta: tuple = (5.0,)
    variable_share: float = 0.3
    margin: float = 0.05
    effort_cost: float = 0.03
    quality_gain: float = 0.1
    switching_cost: float = 0.02
    headroom: float = 2.0
    collapse_cost: float = 50.0
    failure_cost: float = 10.0
    entry_cost: float = 0.1
    entrant_margin: float = 0.08
    entrant_capacity: float = 10.0

    def __post_init__(self) -> None:
        o = "ContestParams"
        q = self.quanta
        if isinstance(q, int | float | Fraction):
            q = (q,)
        object.__setattr__(self, "quanta", check_vector(q, "quanta", o, positive=True))
        if len(self.quanta) > 16:
            raise InvalidParameterError(
                f"ContestParams: {len(self.quanta)} lots; backward induction handles at most 16"
            )
        for name in (
            "variable_share",
            "margin",
            "effort_cost",
            "quality_gain",
            "switching_cost",
            "entrant_margin",
        ):
            check_prob(getattr(self, name), name, o)
        for name in ("headroom", "collapse_cost", "failure_cost", "entry_cost", "entrant_capacity"):
            check_nonneg(getattr(self, name), name, o)

    def exact(self) -> dict[str, Fraction]:
        """The scalar parameters as exact fractions (decimal reading of floats)."""
        return {
            f.name: _q(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if f.name != "quanta"
        }


@dataclasses.dataclass(frozen=True, repr=False)
class Contest(Result):
    """The subgame-perfect play of the contestability game.

    Attributes
    ----------
    path : pandas.DataFrame
        One row per lot on the equilibrium path: ``quantum``, ``headroom`` (before the lot),
        ``incumbent`` (``"perform"``/``"shirk"``), ``entrant`` (``"enter"``/``"out"``),
        ``commissioner`` (``"move"``/``"keep"``/``"-"``), ``alternative`` (an entrant could
        profitably take the lot), ``credible`` (C would move after a shirk),
        ``too_big_to_fail`` (moving the lot would topple the incumbent), ``region``, and the
        lot's whole subgame-perfect strategies: ``entrant_strategy`` (after perform / after
        shirk, e.g. ``"out/enter"``) and ``commissioner_strategy`` (after an entry following
        perform / following shirk, e.g. ``"keep/move"``), labelled as in :func:`contest_normal_form`.
    payoffs : dict
        ``{"commissioner", "incumbent", "entrants"}``, exact fractions.
    incumbent_failed : bool
    provenance : Provenance
    """

    path: pd.DataFrame
    payoffs: dict
    incumbent_failed: bool
    provenance: Provenance

    @property
    def performs(self) -> bool:
        """The incumbent performs in every lot on the path."""
        return bool((self.path["incumbent"] == "perform").all())

    def __repr__(self) -> str:
        return (
            f"Contest(lots={len(self.path)}, regions={list(self.path['region'])}, "
            f"payoffs={ {k: float(v) for k, v in self.payoffs.items()} })"
        )


def _fails(P: dict[str, Fraction], q: Fraction, H: Fraction) -> bool:
    """Moving a lot of size ``q`` strands its fixed share ``(1−v)·q``; beyond the
    headroom ``H`` left before this lot, the incumbent fails."""
    return (1 - P["variable_share"]) * q > H


def _lot_payoffs(
    P: dict[str, Fraction], q: Fraction, H: Fraction, *, perform: bool, enters: bool, moves: bool
):
    """One lot's (commissioner, incumbent, entrant) payoffs: the stage payoff rule, written once.

    Kept: the commissioner gains ``b·q`` if the incumbent performs; the incumbent earns
    ``m·q`` less the effort ``e·q`` of performing; an entrant who came in pays ``k``.
    Moved: the commissioner gains ``b·q`` less switching ``s·q`` and, if the incumbent
    fails (:func:`_fails`), the collapse cost ``D``; the incumbent keeps its variable
    saving ``(m−1+v)·q`` less the failure cost ``X``; the entrant earns ``m_E·q − k``.
    """
    fails = _fails(P, q, H)
    if moves:
        return (
            P["quality_gain"] * q - P["switching_cost"] * q - (P["collapse_cost"] if fails else 0),
            (P["margin"] - 1 + P["variable_share"]) * q - (P["failure_cost"] if fails else 0),
            P["entrant_margin"] * q - P["entry_cost"],
        )
    return (
        P["quality_gain"] * q if perform else Fraction(0),
        P["margin"] * q - (P["effort_cost"] * q if perform else 0),
        -P["entry_cost"] if enters else Fraction(0),
    )


def _solve(prm: ContestParams):
    P = prm.exact()
    qs = tuple(_q(q) for q in prm.quanta)
    v, k, mE, QE = (
        P["variable_share"],
        P["entry_cost"],
        P["entrant_margin"],
        P["entrant_capacity"],
    )
    zero = (Fraction(0), Fraction(0), Fraction(0))

    @cache
    def value(t: int, H: Fraction):
        """(C, I, entrants) payoffs from lot t on, with headroom H; and the lot's record."""
        if t == len(qs):
            return zero, ()
        q = qs[t]
        keep_next, keep_path = value(t + 1, H)
        fails = _fails(P, q, H)
        if fails:
            move_next, move_path = zero, ()
        else:
            move_next, move_path = value(t + 1, H - (1 - v) * q)
        movable = q <= QE

        def after(action):
            perf = action == "perform"
            kept = _lot_payoffs(P, q, H, perform=perf, enters=False, moves=False)
            moved = _lot_payoffs(P, q, H, perform=perf, enters=True, moves=True)
            keepC, keepI = kept[0] + keep_next[0], kept[1] + keep_next[1]
            moveC, moveI = moved[0] + move_next[0], moved[1] + move_next[1]
            c_moves = movable and moveC > keepC
            enter_pay = moved[2] if c_moves else -k
            enters = enter_pay > 0
            if enters and c_moves:
                return (
                    (moveC, moveI, moved[2] + move_next[2]),
                    "enter",
                    "move",
                    move_path,
                    c_moves,
                )
            if enters:
                return (keepC, keepI, -k + keep_next[2]), "enter", "keep", keep_path, c_moves
            return (keepC, keepI, keep_next[2]), "out", "-", keep_path, c_moves

        perf, shirk = after("perform"), after("shirk")
        act, res = ("perform", perf) if perf[0][1] >= shirk[0][1] else ("shirk", shirk)
        credible = shirk[4]
        alternative = movable and mE * q > k
        if not movable or mE * q <= k:
            region = "no alternative"
        elif fails and not credible:
            region = "too big to fail"
        elif credible:
            region = "credible threat"
        else:
            region = "threat not worth carrying out"
        e_strat = f"{perf[1]}/{shirk[1]}"
        c_strat = "/".join("move" if x[4] else "keep" for x in (perf, shirk))
        rec = (q, H, act, res[1], res[2], alternative, credible, fails, region, e_strat, c_strat)
        return res[0], (rec, *res[3])

    out, recs = value(0, P["headroom"])
    return out, recs


def contest(params: ContestParams | None = None) -> Contest:
    """Solve the contestability game by backward induction (exact).

    Examples
    --------
    >>> r = contest(ContestParams(quanta=(5,)))     # 0.7 × 5 = 3.5 > H = 2: too big to fail
    >>> r.path.loc[0, "region"], r.path.loc[0, "incumbent"]
    ('too big to fail', 'shirk')
    >>> contest(ContestParams(quanta=(2,))).performs  # 0.7 × 2 <= 2 and 0.08 × 2 > 0.1
    True
    >>> r = contest(ContestParams(quanta=(2.5, 2.5)))  # moving lot 1 would leave lot 2 too big to fail
    >>> list(r.path["region"]), list(r.path["incumbent"])
    (['threat not worth carrying out', 'credible threat'], ['shirk', 'perform'])
    """
    prm = params or ContestParams()
    (c, i, ent), recs = _solve(prm)
    rows = [
        dict(
            quantum=float(q),
            headroom=float(H),
            incumbent=a,
            entrant=en,
            commissioner=cm,
            alternative=alt,
            credible=cr,
            too_big_to_fail=tb,
            region=rg,
            entrant_strategy=es,
            commissioner_strategy=cs,
        )
        for q, H, a, en, cm, alt, cr, tb, rg, es, cs in recs
    ]
    failed = any(r["commissioner"] == "move" and r["too_big_to_fail"] for r in rows)
    return Contest(
        pd.DataFrame(rows),
        {"commissioner": c, "incumbent": i, "entrants": ent},
        failed,
        Provenance("backward_induction", {"lots": len(prm.quanta)}, exact=True),
    )


def contest_regions(
    quanta: Sequence[float], collapse_costs: Sequence[float], params: ContestParams | None = None
) -> pd.DataFrame:
    """The single-lot region for each (quantum, collapse cost) pair: a long table.

    Columns ``quantum``, ``collapse_cost``, ``region``, ``incumbent``.
    """
    prm = params or ContestParams()
    qv = check_vector(quanta, "quanta", "contest_regions", positive=True)
    dv = check_vector(collapse_costs, "collapse_costs", "contest_regions")
    rows = []
    for D in dv:
        for q in qv:
            r = contest(dataclasses.replace(prm, quanta=(q,), collapse_cost=D)).path.iloc[0]
            rows.append((q, D, r["region"], r["incumbent"]))
    return pd.DataFrame(rows, columns=["quantum", "collapse_cost", "region", "incumbent"])


def contest_normal_form(params: ContestParams | None = None) -> NormalFormGame:
    """The single-lot game in normal form (an oracle for the backward induction).

    Strategies: incumbent ``perform``/``shirk``; entrant a pair (its action after
    perform, after shirk), e.g. ``"out/enter"``; commissioner a pair (move or keep
    after an entry following perform, following shirk). Exact payoffs.
    """
    prm = params or ContestParams()
    if len(prm.quanta) != 1:
        raise InvalidParameterError("contest_normal_form needs exactly one lot (quanta=(q,))")
    P = prm.exact()
    q = _q(prm.quanta[0])
    I_acts = ("perform", "shirk")
    pairs = [(x, y) for x in (0, 1) for y in (0, 1)]
    E_lab = ("out", "enter")
    C_lab = ("keep", "move")
    pay = np.empty((2, 4, 4, 3), dtype=object)
    for ii, a in enumerate(I_acts):
        for ei, ep in enumerate(pairs):
            for ci, cp in enumerate(pairs):
                enters = ep[ii] == 1
                moves = enters and cp[ii] == 1 and q <= P["entrant_capacity"]
                pay[ii, ei, ci] = _lot_payoffs(
                    P, q, P["headroom"], perform=a == "perform", enters=enters, moves=moves
                )
    # axes: incumbent, entrant, commissioner; payoff order must follow the players
    payoffs = np.empty((2, 4, 4, 3), dtype=object)
    for idx in np.ndindex(2, 4, 4):
        c, i_, en = pay[idx]
        payoffs[idx] = (i_, en, c)
    return NormalFormGame(
        payoffs,
        players=["incumbent", "entrant", "commissioner"],
        actions=[
            list(I_acts),
            [f"{E_lab[x]}/{E_lab[y]}" for x, y in pairs],
            [f"{C_lab[x]}/{C_lab[y]}" for x, y in pairs],
        ],
    )
