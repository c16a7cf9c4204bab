"""Trust between the centre and GPs: expectations raised and dashed.

The essays' claim: each reform asks GPs to engage (fundholding, PCGs, PCTs,
practice-based commissioning, CCGs) and each time the promise was diluted;
"an expectation raised and dashed is worse than no expectation at all", and
every dashed hope deepens disengagement. Miller et al. (2015)
:cite:`miller2015` describe virtuous and vicious cycles of GP engagement;
Goddard and Mannion (1998) :cite:`goddard1998` read NHS co-operation through
repeated games.

Stage game (GPs are player 0, the centre player 1):

=============  ===========================  ==============================
GPs \\ centre   deliver                      dash
=============  ===========================  ==============================
engage         ``B − e``, ``g − d``         ``−e − π``, ``g_dash``
withdraw       ``0``, ``−d``                ``0``, ``0``
=============  ===========================  ==============================

``g`` is what engaged GPs achieve for the centre, ``d`` the centre's cost of
delivering what it promised (freedoms, resources), ``g_dash`` what it takes
from engaged GPs while reneging, ``B`` the GPs' gain from a delivered reform,
``e`` their cost of engaging and ``π`` the extra hurt of a dashed
expectation. Dashing is the centre's dominant stage action when
``g_dash > g − d``; GPs engage only if the centre delivers.

Repeated play with grim trigger on both sides (GPs withdraw for good after a
dash; the centre stops delivering once GPs withdraw) is subgame perfect iff
``δ >= δ* = (T − R)/(T − P)`` with the centre's ``T = g_dash``,
``R = g − d``, ``P = 0`` (Mailath and Samuelson 2006 :cite:`mailath2006`):
computed here by :func:`jenga_games.games.repeated.critical_delta` on the
product automaton and checked against the formula. Credibility: if each
year the reform is overturned by a reorganisation with probability ``q``
(Walshe 2010 :cite:`Walshe2010`: 15 or more in 30 years, ``q ≈ 0.5``), the
effective discount factor is ``δ(1 − q)``, so cooperation lasts iff
``1 − q >= δ*/δ``. Engagement after ``k`` dashed expectations comes from
:func:`jenga_games.games.repeated.engagement_after_betrayals` with a
trust-eroding GP strategy.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pandas as pd
import sympy as sp

from .._results import Provenance, Result
from ..games.normal_form import NormalFormGame
from ..games.repeated import (
    Profile,
    critical_delta,
    engagement_after_betrayals,
    grim_trigger,
    trust_eroding,
)
from ._common import InvalidParameterError, check_count, check_nonneg, check_prob

__all__ = [
    "TrustParams",
    "TrustResult",
    "delta_star_formula",
    "sustainability_grid",
    "trust_game",
    "trust_model",
]


def _frac(x) -> Fraction:
    return Fraction(str(float(x))) if isinstance(x, float) else Fraction(x)


@dataclasses.dataclass(frozen=True)
class TrustParams:
    """Parameters of the centre–GP trust game (payoffs per year, arbitrary units).

    Attributes
    ----------
    centre_gain : float
        ``g`` (default 3).
    delivery_cost : float
        ``d`` (default 1.5).
    dash_gain : float
        ``g_dash`` (default 3: the centre keeps the gains and saves the cost).
    gp_gain : float
        ``B`` (default 2).
    engagement_cost : float
        ``e`` (default 1).
    dashed_penalty : float
        ``π`` (default 0.5).
    delta : float
        Discount factor per year (default 0.9).
    turnover : float
        ``q``, the yearly probability that a reorganisation overturns the reform
        (default 0.5: 15 or more reorganisations in 30 years :cite:`Walshe2010`).
    k_max, build_up, horizon : int
        For the engagement table: dashes counted, years of delivery before each dash,
        years measured after the last.
    erosion : dict
        The GPs' trust-eroding strategy (keyword arguments of
        :func:`jenga_games.games.repeated.trust_eroding`): ``levels`` of trust (default 4),
        the ``threshold`` to engage (2), trust lost per dash (``drop``, 2), cooperative years
        to regain a level (``recovery``, 3) and the ceiling lost per dash (``scar``, 1).
        Assumptions; :mod:`jenga_games.dynamics.trust` gives the same idea as rates.
    """

    centre_gain: float = 3.0
    delivery_cost: float = 1.5
    dash_gain: float = 3.0
    gp_gain: float = 2.0
    engagement_cost: float = 1.0
    dashed_penalty: float = 0.5
    delta: float = 0.9
    turnover: float = 0.5
    k_max: int = 5
    build_up: int = 4
    horizon: int = 20
    erosion: dict = dataclasses.field(
        default_factory=lambda: {"levels": 4, "threshold": 2, "drop": 2, "recovery": 3, "scar": 1}
    )

    def __post_init__(self) -> None:
        o = "TrustParams"
        allowed = {"levels", "initial", "threshold", "drop", "recovery", "scar"}
        unknown = set(self.erosion) - allowed
        if unknown:
            raise InvalidParameterError(
                f"{o}: erosion has unknown keys {sorted(unknown)}; use {sorted(allowed)}"
            )
        for key, value in self.erosion.items():
            if value is not None:
                check_count(value, f"erosion[{key!r}]", o, minimum=0)
        for name in (
            "centre_gain",
            "delivery_cost",
            "dash_gain",
            "gp_gain",
            "engagement_cost",
            "dashed_penalty",
        ):
            check_nonneg(getattr(self, name), name, o)
        check_prob(self.delta, "delta", o, open_low=True, open_high=True)
        check_prob(self.turnover, "turnover", o, open_high=True)
        check_count(self.k_max, "k_max", o, minimum=0)
        check_count(self.build_up, "build_up", o, minimum=0)
        check_count(self.horizon, "horizon", o)
        if self.dash_gain <= 0:
            raise InvalidParameterError(
                f"{o}: dash_gain must be > 0 (with nothing to gain from dashing, trust is never at risk)"
            )
        if self.gp_gain < self.engagement_cost:
            raise InvalidParameterError(
                f"{o}: gp_gain ({self.gp_gain}) < engagement_cost ({self.engagement_cost}): GPs would never "
                "engage even with a reform delivered; raise gp_gain"
            )


def trust_game(params: TrustParams | None = None) -> NormalFormGame:
    """The stage game (GPs: engage/withdraw; centre: deliver/dash), exact payoffs."""
    prm = params or TrustParams()
    g, d, gd = _frac(prm.centre_gain), _frac(prm.delivery_cost), _frac(prm.dash_gain)
    B, e, pi = _frac(prm.gp_gain), _frac(prm.engagement_cost), _frac(prm.dashed_penalty)
    A = [[B - e, -e - pi], [Fraction(0), Fraction(0)]]
    C = [[g - d, gd], [-d, Fraction(0)]]
    return NormalFormGame.bimatrix(
        A, C, players=["GPs", "centre"], actions=[["engage", "withdraw"], ["deliver", "dash"]]
    )


def delta_star_formula() -> sp.Expr:
    """``δ* = (T − R)/(T − P)`` in the parameters: ``(g_dash − g + d)/g_dash``."""
    g, d, gd = sp.symbols("g d g_dash", positive=True)
    return (gd - (g - d)) / gd


@dataclasses.dataclass(frozen=True, repr=False)
class TrustResult(Result):
    """Whether co-operation between the centre and GPs can last, and how trust erodes.

    Attributes
    ----------
    game : NormalFormGame
    delta_star : float
        The least δ at which grim trigger on both sides is subgame perfect
        (0 when co-operation needs no patience, ``inf`` when no δ < 1 suffices).
    delta_star_exact : object
        The exact value (sympy) from :func:`~jenga_games.games.repeated.critical_delta`.
    formula_value : float
        ``(T − R)/(T − P)`` for the centre, the cross-check.
    effective_delta : float
        ``δ (1 − q)``.
    sustainable : bool
        ``effective_delta >= delta_star``.
    credibility_needed : float
        The least ``1 − q`` at the given δ (``inf`` if even ``q = 0`` is not enough).
    engagement : pandas.DataFrame
        From :func:`~jenga_games.games.repeated.engagement_after_betrayals`: by number of dashes ``k``.
    provenance : Provenance
    """

    game: NormalFormGame
    delta_star: float
    delta_star_exact: object
    formula_value: float
    effective_delta: float
    sustainable: bool
    credibility_needed: float
    engagement: pd.DataFrame
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"TrustResult(delta_star={self.delta_star:.4g}, effective_delta={self.effective_delta:.4g}, "
            f"sustainable={self.sustainable}, credibility_needed={self.credibility_needed:.4g})"
        )


def trust_model(params: TrustParams | None = None) -> TrustResult:
    """Critical discount factor, credibility needed, and engagement after dashed expectations.

    Examples
    --------
    >>> r = trust_model()
    >>> r.delta_star, r.formula_value   # (3 - 1.5) / 3
    (0.5, 0.5)
    >>> r.sustainable  # 0.9 × (1 - 0.5) = 0.45 < 0.5: reorganising every two years breaks it
    False
    """
    prm = params or TrustParams()
    game = trust_game(prm)
    cd = critical_delta(Profile(game, [grim_trigger(), grim_trigger()]))
    S = cd.set
    if S is sp.S.EmptySet:
        dstar, exact = float("inf"), sp.oo
    else:
        exact = S.inf
        dstar = float(exact)
    T, R = float(prm.dash_gain), float(prm.centre_gain - prm.delivery_cost)
    formula = max(0.0, (T - R) / T)
    eff = prm.delta * (1 - prm.turnover)
    sustainable = bool(S is not sp.S.EmptySet and eff > 0 and S.contains(sp.Rational(repr(eff))))
    cred = dstar / prm.delta if dstar <= prm.delta else float("inf")
    eng = engagement_after_betrayals(
        k_max=prm.k_max,
        build_up=prm.build_up,
        horizon=prm.horizon,
        strategy=trust_eroding(**prm.erosion),
        game=game,
    )
    return TrustResult(
        game,
        dstar,
        exact,
        formula,
        eff,
        sustainable,
        cred,
        eng.table,
        Provenance("trust_model", {"delta": prm.delta, "turnover": prm.turnover}, exact=True),
    )


def sustainability_grid(deltas, turnovers, params: TrustParams | None = None) -> np.ndarray:
    """Boolean grid ``[i, j]``: co-operation lasts at ``deltas[j]`` and ``turnovers[i]``."""
    prm = params or TrustParams()
    dstar = trust_model(dataclasses.replace(prm, k_max=0, horizon=1)).delta_star
    d = np.asarray(deltas, dtype=float)[None, :]
    q = np.asarray(turnovers, dtype=float)[:, None]
    return d * (1 - q) >= dstar - 1e-12
