"""Bargains of health-care commissioning: price and activity, and transitional funding on a tower.

**Price and activity** (after Siciliani and Stanciole [Siciliani2013]_: a purchaser
and a hospital bargain over the price, the activity, or both). Stylised forms
(assumptions): the purchaser's benefit ``B(y) = b y − β y²/2`` and the hospital's
cost ``C(y) = c y + γ y²/2`` of activity ``y``; at price ``p`` the purchaser gets
``U_P = B(y) − p y`` and the hospital ``U_H = p y − C(y)``; disagreement ``(0, 0)``;
the hospital's bargaining power is ``α``.

* ``over="both"``: the asymmetric Nash bargain over ``(p, y)``; money is
  transferable through the price, so activity is efficient,
  ``y* = (b − c)/(β + γ)``, and the hospital gets ``α S*`` of the surplus
  ``S* = B(y*) − C(y*)``: ``p = (C(y*) + α S*)/y*``.
* ``over="price"``: the parties bargain over ``p`` only and the hospital then
  chooses the activity it supplies at that price, ``y(p) = (p − c)/γ``. The
  bargain is the asymmetric Nash solution on the frontier ``p ↦ (U_H, U_P)``
  (:func:`~._solutions.nash`); activity is generally not efficient.

**Transitional funding on a tower**: the commissioners and the providers of a
Jenga game agree the plan that is best for everyone (the system optimum,
``game.cooperative(welfare="system")``) instead of competitive play (the
subgame-perfect equilibrium, the disagreement point). Commissioners' payoffs
are their game payoffs; a provider's payoff is minus the contribution it
loses. With transferable money the agreement is individually rational for
every party exactly when the surplus ``Σ_i (coop_i − spe_i)`` is non-negative;
the generalised Nash bargain with powers ``w`` gives each party
``spe_i + w_i · surplus`` [Nash1950]_, so party ``i`` receives the transfer
``t_i = spe_i + w_i · surplus − coop_i`` (negative: it pays). Transfers to
providers are the transitional funding; those who pay it are named.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
from scipy import optimize

from ..._results import Provenance, Result
from ...errors import InvalidGameError
from ._solutions import BargainingProblem, nash

__all__ = [
    "FundingAgreement",
    "PriceActivityBargain",
    "funded_tower",
    "funding_recipients",
    "price_activity_bargain",
    "transitional_funding",
]


@dataclasses.dataclass(frozen=True)
class PriceActivityBargain(Result):
    """Outcome of :func:`price_activity_bargain` (money in £ m a year, activity in its own unit).

    Attributes
    ----------
    over : {"both", "price"}
    power : float
        The hospital's bargaining power ``α``.
    price, activity : float
    purchaser, hospital : float
        ``U_P`` and ``U_H``.
    surplus, efficient_activity, efficient_surplus : float
        ``U_P + U_H``; the activity and surplus of the efficient bargain.
    provenance : Provenance
    """

    over: str
    power: float
    price: float
    activity: float
    purchaser: float
    hospital: float
    surplus: float
    efficient_activity: float
    efficient_surplus: float
    provenance: Provenance


def _positive(x, what) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InvalidGameError(f"{what} must be a number, got {x!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise InvalidGameError(f"{what} must be a positive finite number, got {x!r}")
    return v


def price_activity_bargain(
    b: float = 10.0,
    beta: float = 1.0,
    c: float = 2.0,
    gamma: float = 1.0,
    *,
    power: float = 0.5,
    over: str = "both",
) -> PriceActivityBargain:
    """The purchaser–hospital bargain over price and activity (module docstring).

    Parameters
    ----------
    b, beta : float
        Purchaser's benefit ``B(y) = b y − β y²/2`` (illustrative defaults).
    c, gamma : float
        Hospital's cost ``C(y) = c y + γ y²/2``; ``b > c`` so that trade gains.
    power : float in (0, 1)
        The hospital's bargaining power ``α``.
    over : {"both", "price"}

    Examples
    --------
    >>> r = price_activity_bargain(power=0.5)
    >>> r.activity, r.hospital, r.price
    (4.0, 8.0, 6.0)
    """
    b, beta, c, gamma = (
        _positive(v, n) for v, n in ((b, "b"), (beta, "beta"), (c, "c"), (gamma, "gamma"))
    )
    if b <= c:
        raise InvalidGameError(f"b = {b} must exceed c = {c}: otherwise no activity gains anything")
    alpha = float(power)
    if not 0.0 < alpha < 1.0:
        raise InvalidGameError(f"power must lie in (0, 1) (the hospital's share), got {power!r}")
    if over not in ("both", "price"):
        raise InvalidGameError(f"over must be 'both' or 'price', got {over!r}")

    def benefit(y):
        return b * y - beta * y * y / 2

    def cost(y):
        return c * y + gamma * y * y / 2

    y_eff = (b - c) / (beta + gamma)
    s_eff = benefit(y_eff) - cost(y_eff)
    if over == "both":
        y = y_eff
        p = (cost(y) + alpha * s_eff) / y
    else:

        def supply(p):
            return max(0.0, (p - c) / gamma)

        def u_p(p):
            y = supply(p)
            return benefit(y) - p * y

        def u_h(p):
            y = supply(p)
            return p * y - cost(y)

        peak = optimize.minimize_scalar(
            lambda p: -u_p(p), bounds=(c, b), method="bounded", options={"xatol": 1e-12}
        ).x
        hi = optimize.brentq(u_p, peak, b + (b - c) * 10, xtol=1e-12)
        sol = nash(
            BargainingProblem(frontier=(u_h, u_p), interval=(peak, hi)),
            weights=[alpha, 1 - alpha],
        )
        p = sol.x
        y = supply(p)
    up, uh = benefit(y) - p * y, p * y - cost(y)
    return PriceActivityBargain(
        over=over,
        power=alpha,
        price=float(p),
        activity=float(y),
        purchaser=float(up),
        hospital=float(uh),
        surplus=float(up + uh),
        efficient_activity=float(y_eff),
        efficient_surplus=float(s_eff),
        provenance=Provenance(
            "price_activity_bargain",
            {"b": b, "beta": beta, "c": c, "gamma": gamma, "power": alpha, "over": over},
        ),
    )


@dataclasses.dataclass(frozen=True)
class FundingAgreement(Result):
    """Transitional funding that makes the plan for everyone individually rational.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per party: ``party``, ``kind`` (commissioner | provider), ``power``,
        ``cooperative`` and ``competitive`` payoffs, ``needed`` (the least transfer that
        makes the plan individually rational for it), ``transfer`` (the Nash bargain:
        received; negative: paid) and ``final`` (£ m a year).
    surplus : float
        ``Σ (cooperative − competitive)`` (£ m a year).
    feasible : bool
        ``surplus ≥ 0``: some transfers make the agreement individually rational.
    funding : float
        Total transfer received by providers (£ m a year).
    paid_by : dict
        Party -> amount it pays (£ m a year).
    provenance : Provenance
    """

    table: pd.DataFrame
    surplus: float
    feasible: bool
    funding: float
    paid_by: dict
    provenance: Provenance

    @property
    def received_by(self) -> dict:
        """Party -> amount it receives (£ m a year): who gets the funding, and how much."""
        return {
            p: float(t)
            for p, t in zip(self.table["party"], self.table["transfer"], strict=True)
            if t > 1e-12
        }


def transitional_funding(game, powers=None) -> FundingAgreement:
    """Who pays whom how much for the system-optimal plan to beat competitive play for all.

    Parameters
    ----------
    game : JengaGame
        Passing allowed, so the cooperative plan can stop.
    powers : mapping party -> non-negative float, optional
        Bargaining powers of commissioners and providers (default: equal among the
        parties with a non-zero payoff in either play, 0 for the others).
    """
    coop = game.cooperative(welfare="system")
    spe = game.solve()
    providers = list(game.tower.providers)
    parties = [*game.players, *providers]
    kinds = ["commissioner"] * game.n_players + ["provider"] * len(providers)
    co = [coop.payoffs[p] for p in game.players] + [
        -float(coop.provider_loss.get(p, 0.0)) for p in providers
    ]
    di = [spe.payoffs[p] for p in game.players] + [
        -float(spe.provider_loss.get(p, 0.0)) for p in providers
    ]
    if powers is None:  # equal powers among the parties with something at stake
        w = np.array([1.0 if (c != 0 or d != 0) else 0.0 for c, d in zip(co, di, strict=True)])
    else:
        unknown = [p for p in powers if p not in parties]
        if unknown:
            raise InvalidGameError(f"powers name {unknown!r}; the parties are {parties!r}")
        w = np.array([float(powers.get(p, 0.0)) for p in parties])
        if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise InvalidGameError("powers must be non-negative, finite and not all zero")
    w = w / w.sum()
    co_a, di_a = np.array(co), np.array(di)
    surplus = float(co_a.sum() - di_a.sum())
    final = di_a + w * surplus
    transfer = final - co_a
    table = pd.DataFrame(
        {
            "party": parties,
            "kind": kinds,
            "power": w,
            "cooperative": co_a,
            "competitive": di_a,
            "needed": np.maximum(0.0, di_a - co_a),
            "transfer": transfer,
            "final": final,
        }
    )
    paid_by = {p: float(-t) for p, t in zip(parties, transfer, strict=True) if t < -1e-12}
    funding = float(transfer[game.n_players :].sum())
    return FundingAgreement(
        table=table,
        surplus=surplus,
        feasible=surplus >= 0,
        funding=funding,
        paid_by=paid_by,
        provenance=Provenance("transitional_funding", {"parties": [str(p) for p in parties]}),
    )


def funding_recipients(tower, outcome) -> tuple:
    """The providers transitional funding goes to after a play (the funding-threshold rule).

    Those that failed in ``outcome`` (``Outcome.failed_providers``, in failure
    order); when none failed, the providers of the services that fell, in the
    tower's provider order. Used by :func:`jenga_games.commissioning.jenga_commissioning`
    (its funding switch point) and the classroom app's funding slider.

    Parameters
    ----------
    tower : Tower
    outcome : Outcome
        Typically ``commissioning_game(tower, params).solve().outcome`` (competitive play).

    Examples
    --------
    >>> from jenga_games.commissioning import commissioning_game
    >>> g = commissioning_game()
    >>> funding_recipients(g.tower, g.solve().outcome)
    ('acute_trust', 'community_trust')
    """
    if outcome.failed_providers:
        return tuple(outcome.failed_providers)
    hit = {tower.services[s].provider for s in outcome.fell}
    return tuple(p for p in tower.providers if p in hit)


def funded_tower(tower, recipients, amount: float):
    """``tower`` with each recipient's reserves ``R`` raised by ``amount`` (£ m, a one-off transfer).

    Parameters
    ----------
    tower : Tower
    recipients : iterable of provider ids (e.g. :func:`funding_recipients`)
    amount : float
        Funding each recipient receives (same unit as the tower's money, £ m).
    """
    amount = float(amount)
    if not math.isfinite(amount):
        raise InvalidGameError(f"funding must be a finite amount of money, got {amount!r}")
    recipients = tuple(recipients)
    if not recipients or amount == 0.0:
        return tower
    return tower.replace(
        providers={p: {"reserves": tower.providers[p].reserves + amount} for p in recipients}
    )
