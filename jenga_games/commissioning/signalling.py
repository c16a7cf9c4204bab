"""Shroud waving: a provider with private information about its fragility signals to a commissioner.

The first essay's "shroud wavers", who warn that moving services will make
the hospital fall, may be Cassandras who know something the commissioner
does not: the provider knows whether it is *fragile* (moving services would
topple it) or *robust*. We model this as a signalling game [Spence1973]_ on
an :class:`~jenga_games.games.extensive.ExtensiveGame`:

1. chance makes the provider fragile with probability ``p`` (else robust);
2. the provider, knowing its type, issues a public ``warn``\\ ing or stays
   ``quiet``; a warning costs ``c_F`` to a fragile provider (its evidence is at
   hand) and ``c_R`` to a robust one (it must exaggerate: audit and
   reputational exposure);
3. the commissioner sees the message, not the type, and chooses to ``move``
   services or ``keep`` them.

Payoffs (£ m; illustrative defaults, assumptions). Provider: ``V`` if the
services are kept, ``0`` if moved, minus the cost of any warning.
Commissioner: ``0`` if it keeps; if it moves, ``G`` from a robust provider
(the efficiency gain) and ``-L`` from a fragile one (it collapses).

A perfect Bayesian equilibrium (PBE) is a strategy of each type, a response
to each message and beliefs, consistent with Bayes' rule on the path, each
choice optimal given the beliefs. The *separating* PBE in which the fragile
provider warns, the robust stays quiet, and the commissioner keeps after a
warning exists exactly when

.. math:: c_F \\le V \\le c_R,

i.e. a warning is worth its cost to a fragile provider and not to a robust
one: shroud waving is *credible* precisely when exaggeration is costlier
than the services at stake. Otherwise only pooling equilibria remain, in
which the commissioner acts on its prior: it moves when ``(1-p) G ≥ p L``.
:func:`signalling_equilibria` enumerates every pure PBE directly (the oracle
for the formula), and each is checked to be a Nash equilibrium of the tree.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction

import pandas as pd

from .._results import Provenance, Result
from ..games.extensive import ExtensiveGame, nash_conv
from ._common import check_nonneg, check_prob

__all__ = [
    "Signalling",
    "SignallingParams",
    "separating_condition",
    "signalling_equilibria",
    "signalling_game",
]

TYPES = ("fragile", "robust")
MESSAGES = ("warn", "quiet")
ACTIONS = ("move", "keep")
COLUMNS = [
    "fragile_sends",
    "robust_sends",
    "after_warn",
    "after_quiet",
    "kind",
    "belief_after_warn",
    "belief_after_quiet",
    "provider_payoff",
    "commissioner_payoff",
]


def _q(x) -> Fraction:
    return (
        x if isinstance(x, Fraction) else Fraction(str(x)) if isinstance(x, float) else Fraction(x)
    )


@dataclasses.dataclass(frozen=True)
class SignallingParams:
    """Parameters of the shroud-waving game (money in £ m; all illustrative assumptions).

    Attributes
    ----------
    prior_fragile : float
        ``p``: the commissioner's prior that the provider is fragile (default 0.3).
    value_kept : float
        ``V``: the provider's contribution from the services if kept (default 1.0).
    warn_cost_fragile : float
        ``c_F``: cost of a public warning to a fragile provider (default 0.2).
    warn_cost_robust : float
        ``c_R``: cost of a (false) warning to a robust provider (default 1.5).
    gain_move : float
        ``G``: the commissioner's gain from moving services out of a robust provider (default 0.8).
    collapse_loss : float
        ``L``: the commissioner's loss when the provider it moved services from is fragile
        and falls (default 3.0).
    """

    prior_fragile: float = 0.3
    value_kept: float = 1.0
    warn_cost_fragile: float = 0.2
    warn_cost_robust: float = 1.5
    gain_move: float = 0.8
    collapse_loss: float = 3.0

    def __post_init__(self) -> None:
        o = "SignallingParams"
        check_prob(self.prior_fragile, "prior_fragile", o)
        for name in (
            "value_kept",
            "warn_cost_fragile",
            "warn_cost_robust",
            "gain_move",
            "collapse_loss",
        ):
            check_nonneg(getattr(self, name), name, o)

    def exact(self) -> dict[str, Fraction]:
        return {f.name: _q(getattr(self, f.name)) for f in dataclasses.fields(self)}


def signalling_game(params: SignallingParams | None = None) -> ExtensiveGame:
    """The game tree (players ``"Provider"``, ``"Commissioner"``; exact payoffs).

    The provider's information sets are labelled by its type, the
    commissioner's by the message it saw.
    """
    prm = params or SignallingParams()
    x = prm.exact()
    p, V, G, L = x["prior_fragile"], x["value_kept"], x["gain_move"], x["collapse_loss"]
    cost = {"fragile": x["warn_cost_fragile"], "robust": x["warn_cost_robust"]}
    g = ExtensiveGame(["Provider", "Commissioner"], title="Shroud waving")
    for t, node in zip(TYPES, g.add_chance(g.root, {"fragile": p, "robust": 1 - p})):
        for m, after in zip(MESSAGES, g.add_move(node, 0, list(MESSAGES), infoset=t)):
            move, keep = g.add_move(after, 1, list(ACTIONS), infoset=m)
            c = cost[t] if m == "warn" else 0
            g.set_outcome(move, [-c, G if t == "robust" else -L])
            g.set_outcome(keep, [V - c, 0])
    return g


def separating_condition(params: SignallingParams | None = None) -> bool:
    """Whether the credible shroud-waving (separating) equilibrium exists: ``c_F ≤ V ≤ c_R``."""
    x = (params or SignallingParams()).exact()
    return x["warn_cost_fragile"] <= x["value_kept"] <= x["warn_cost_robust"]


@dataclasses.dataclass(frozen=True, repr=False)
class Signalling(Result):
    """Every pure perfect Bayesian equilibrium of the shroud-waving game.

    Attributes
    ----------
    equilibria : pandas.DataFrame
        One row per PBE: each type's message, the response to each message,
        ``kind`` (``"separating"`` or ``"pooling"``), the commissioner's belief
        that the provider is fragile after each message (on the path; off the
        path the interval of beliefs that supports the response), and payoffs.
    credible_warning : bool
        Whether a separating PBE exists in which a warning is believed.
    params : SignallingParams
    provenance : Provenance
    """

    equilibria: pd.DataFrame
    credible_warning: bool
    params: SignallingParams
    provenance: Provenance

    def __repr__(self) -> str:
        kinds = ", ".join(self.equilibria["kind"]) or "none"
        return f"Signalling({len(self.equilibria)} pure PBE: {kinds}; credible_warning={self.credible_warning})"


def signalling_equilibria(params: SignallingParams | None = None) -> Signalling:
    """Enumerate the pure perfect Bayesian equilibria (exact arithmetic).

    Each of the 4 × 4 pure profiles is checked: every type's message is a best
    reply to the commissioner's responses; after an on-path message the
    response is optimal for the Bayesian belief; after an off-path message
    some belief in [0, 1] makes it optimal. Each equilibrium found is also
    verified to have NashConv exactly 0 on :func:`signalling_game`.
    """
    prm = params or SignallingParams()
    x = prm.exact()
    p, V, G, L = x["prior_fragile"], x["value_kept"], x["gain_move"], x["collapse_loss"]
    cost = {"fragile": x["warn_cost_fragile"], "robust": x["warn_cost_robust"]}
    prior = {"fragile": p, "robust": 1 - p}
    game = signalling_game(prm)
    rows = []
    for sender in itertools.product(MESSAGES, repeat=2):  # message of fragile, of robust
        send = dict(zip(TYPES, sender))
        for resp in itertools.product(ACTIONS, repeat=2):  # response to warn, to quiet
            react = dict(zip(MESSAGES, resp))

            def u_prov(t, m, react=react):
                return (V if react[m] == "keep" else 0) - (cost[t] if m == "warn" else 0)

            if any(u_prov(t, send[t]) < u_prov(t, m) for t in TYPES for m in MESSAGES):
                continue
            ok, beliefs = True, {}
            for m in MESSAGES:
                mass = {t: prior[t] for t in TYPES if send[t] == m}
                tot = sum(mass.values(), Fraction(0))
                if tot > 0:
                    mu = mass.get("fragile", Fraction(0)) / tot
                    move_value = (1 - mu) * G - mu * L
                    if (react[m] == "move" and move_value < 0) or (
                        react[m] == "keep" and move_value > 0
                    ):
                        ok = False
                    beliefs[m] = str(mu)
                else:
                    # off path: move is optimal for mu <= G/(G+L), keep for mu >= G/(G+L)
                    cut = G / (G + L) if G + L > 0 else Fraction(0)
                    beliefs[m] = f"[0, {cut}]" if react[m] == "move" else f"[{cut}, 1]"
            if not ok:
                continue
            beh = [
                [[Fraction(int(a == send[t])) for a in MESSAGES] for t in TYPES],
                [[Fraction(int(a == react[m])) for a in ACTIONS] for m in MESSAGES],
            ]
            nc, _ = nash_conv(game, beh)
            if nc != 0:  # a PBE is a Nash equilibrium of the tree
                raise RuntimeError("signalling: a PBE failed the Nash check; please report")
            pay = [
                sum(
                    (prior[t] * u_prov(t, send[t]) for t in TYPES),
                    Fraction(0),
                ),
                sum(
                    (
                        prior[t] * (0 if react[send[t]] == "keep" else (G if t == "robust" else -L))
                        for t in TYPES
                    ),
                    Fraction(0),
                ),
            ]
            rows.append(
                {
                    "fragile_sends": send["fragile"],
                    "robust_sends": send["robust"],
                    "after_warn": react["warn"],
                    "after_quiet": react["quiet"],
                    "kind": "separating" if send["fragile"] != send["robust"] else "pooling",
                    "belief_after_warn": beliefs["warn"],
                    "belief_after_quiet": beliefs["quiet"],
                    "provider_payoff": float(pay[0]),
                    "commissioner_payoff": float(pay[1]),
                }
            )
    df = pd.DataFrame(rows, columns=COLUMNS)
    credible = bool(
        len(df)
        and (
            (df["kind"] == "separating")
            & (df["fragile_sends"] == "warn")
            & (df["after_warn"] == "keep")
        ).any()
    )
    return Signalling(
        equilibria=df,
        credible_warning=credible,
        params=prm,
        provenance=Provenance(
            method="signalling_equilibria", params=dataclasses.asdict(prm), exact=True
        ),
    )
