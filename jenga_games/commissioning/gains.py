"""Gain-making: commissioners and providers co-design a community service.

The essays' claim (#gainmaking): commissioning works when commissioners and
providers create value together and share it, rather than haggle over a
fixed pie. A new community service has economies of scale: it needs a fixed
cost before it treats anyone, so no commissioner can justify it alone, and it
needs a provider to run it.

Model. Commissioners ``i`` each bring ``d_i`` units of activity a year that
they now buy in hospital at tariff ``p``; providers ``j`` can each open the
new service at fixed cost ``K_j`` with capacity ``Q_j``, treating patients at
unit cost ``c``. A coalition ``S`` with demand ``D(S) = Σ_{i∈S} d_i`` and
providers ``P(S)`` opens the best set ``O ⊆ P(S)``:

    v(S) = max(0, max_{O ⊆ P(S)} [(p − c) min(D(S), Q(O)) − K(O)]),

with ``Q(O) = Σ_{j∈O} Q_j`` and ``K(O) = Σ_{j∈O} K_j``; a coalition
without a provider or without demand makes nothing. Without capacity limits
this is ``max(0, (p − c) D(S) − min_j K_j)``, a convex game; with capacity
limits the core can be empty: with three commissioners of one unit each
and two providers whose services each fit two units, at ``p − c = 1`` and
``K = 1/2``, every commissioner pair with a provider makes ``3/2``, the
grand coalition only ``2``, and the six pair constraints cannot all be met
(summing them gives ``x(commissioners) >= 3 > 2``).

Sharing: the Shapley value (:func:`~jenga_games.games.cooperative.shapley`),
the nucleolus (:func:`~jenga_games.games.cooperative.nucleolus`), and the
proportional split used in practice, ``v(N)`` in proportion to activity
among the commissioners (providers are paid their costs and no more). We
report each, whether it is in the core, and whether the core is empty
(:func:`~jenga_games.games.cooperative.core_is_empty`, Bondareva–Shapley).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np

from .._results import Provenance, Result
from ..games.cooperative import TUGame, core_contains, core_is_empty, least_core, nucleolus, shapley
from ._common import InvalidParameterError, SharesTable, check_nonneg, check_vector

__all__ = ["GainSharing", "GainsParams", "gain_sharing", "gains_game"]


@dataclasses.dataclass(frozen=True)
class GainsParams:
    """Parameters of the co-design game (money in £ thousands a year, activity in units a year).

    Attributes
    ----------
    demand : tuple of float
        ``d_i``: activity each commissioner can move (default three CCGs of
        2,000, 1,500 and 1,000 outpatient attendances a year).
    fixed_cost : tuple of float
        ``K_j``: each provider's yearly fixed cost of running the service
        (default a community trust 300 and a GP federation 250, £k).
    capacity : tuple of float
        ``Q_j``: the most each provider's service can treat (default ``inf``:
        no limit).
    tariff : float
        ``p``: what the hospital is paid per unit now (default 0.15, £150 an
        outpatient attendance, the worked economy's diabetes outpatient tariff).
    unit_cost : float
        ``c``: the community service's cost per unit (default 0.06, £60).
    commissioners, providers : tuple of str, optional
        Player labels.
    """

    demand: tuple = (2000.0, 1500.0, 1000.0)
    fixed_cost: tuple = (300.0, 250.0)
    capacity: tuple | None = None
    tariff: float = 0.15
    unit_cost: float = 0.06
    commissioners: tuple | None = None
    providers: tuple | None = None

    def __post_init__(self) -> None:
        o = "GainsParams"
        object.__setattr__(self, "demand", check_vector(self.demand, "demand", o))
        object.__setattr__(self, "fixed_cost", check_vector(self.fixed_cost, "fixed_cost", o))
        cap = self.capacity
        if cap is None:
            cap = (float("inf"),) * len(self.fixed_cost)
        else:
            cap = tuple(float("inf") if c == float("inf") else c for c in cap)
            finite = [c for c in cap if c != float("inf")]
            check_vector(finite or [0.0], "capacity", o)
        if len(cap) != len(self.fixed_cost):
            raise InvalidParameterError(
                f"GainsParams: capacity has {len(cap)} entries but there are {len(self.fixed_cost)} "
                "providers; give one capacity per provider"
            )
        object.__setattr__(self, "capacity", tuple(float(c) for c in cap))
        check_nonneg(self.tariff, "tariff", o)
        check_nonneg(self.unit_cost, "unit_cost", o)
        ncom, npro = len(self.demand), len(self.fixed_cost)
        com = self.commissioners or tuple(f"commissioner{i + 1}" for i in range(ncom))
        pro = self.providers or tuple(f"provider{j + 1}" for j in range(npro))
        if len(com) != ncom or len(pro) != npro:
            raise InvalidParameterError(
                "GainsParams: give one label per commissioner and per provider"
            )
        if len(set(com) | set(pro)) != ncom + npro:
            raise InvalidParameterError("GainsParams: player labels must be distinct")
        if ncom + npro > 16:
            raise InvalidParameterError(
                f"GainsParams: {ncom + npro} players give 2^{ncom + npro} coalitions; use at most 16"
            )
        object.__setattr__(self, "commissioners", tuple(com))
        object.__setattr__(self, "providers", tuple(pro))

    @property
    def players(self) -> tuple:
        return self.commissioners + self.providers


def _coalition_value(D: float, provs: Sequence[int], prm: GainsParams) -> float:
    if D <= 0 or not provs:
        return 0.0
    best = 0.0
    u = prm.tariff - prm.unit_cost
    for r in range(1, len(provs) + 1):
        for opened in itertools.combinations(provs, r):
            Q = sum(prm.capacity[j] for j in opened)
            best = max(best, u * min(D, Q) - sum(prm.fixed_cost[j] for j in opened))
    return best


def gains_game(params: GainsParams | None = None) -> TUGame:
    """The co-design TU game ``v(S)`` (module docstring); commissioners first, then providers."""
    prm = params or GainsParams()
    nc = len(prm.demand)
    idx = {p: i for i, p in enumerate(prm.players)}

    def value(S):
        members = [idx[p] for p in S]
        D = sum(prm.demand[i] for i in members if i < nc)
        return _coalition_value(D, [i - nc for i in members if i >= nc], prm)

    return TUGame.from_function(len(prm.players), value, players=prm.players)


@dataclasses.dataclass(frozen=True, repr=False)
class GainSharing(SharesTable, Result):
    """Value created by co-design and three ways of sharing it.

    Attributes
    ----------
    game : TUGame
    value : float
        ``v(N)``, the yearly value the grand coalition creates.
    shapley, nucleolus, proportional : numpy.ndarray
        Shares (``nucleolus`` is the least-core nucleolus when the core is empty).
    core_empty : bool
    in_core : dict
        ``{"shapley": bool, "nucleolus": bool, "proportional": bool}``.
    least_core_epsilon : float
        The least core's ``ε`` (``<= 0`` iff the core is non-empty): how much every
        coalition must be taxed for a stable split to exist.
    provenance : Provenance
    """

    game: TUGame
    value: float
    shapley: np.ndarray
    nucleolus: np.ndarray
    proportional: np.ndarray
    core_empty: bool
    in_core: dict
    least_core_epsilon: float
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"GainSharing(value={self.value:.6g}, core_empty={self.core_empty}, "
            f"in_core={self.in_core})"
        )


def gain_sharing(params: GainsParams | None = None) -> GainSharing:
    """Build the co-design game and compare Shapley, nucleolus and proportional sharing.

    Examples
    --------
    >>> r = gain_sharing()
    >>> round(r.value, 6)  # (0.15 - 0.06) * 4500 - 250: the GP federation runs it
    155.0
    >>> r.core_empty, r.in_core["shapley"], r.in_core["nucleolus"]
    (False, False, True)
    """
    prm = params or GainsParams()
    game = gains_game(prm)
    sh = np.asarray(shapley(game), dtype=float)
    nu = np.asarray(nucleolus(game).allocation, dtype=float)
    nc = len(prm.demand)
    prop = np.zeros(game.n)
    D = sum(prm.demand)
    prop[:nc] = game.grand * np.asarray(prm.demand) / D if D > 0 else game.grand / nc
    empty = bool(core_is_empty(game))
    in_core = {
        name: bool(core_contains(game, x).in_core)
        for name, x in (("shapley", sh), ("nucleolus", nu), ("proportional", prop))
    }
    return GainSharing(
        game,
        game.grand,
        sh,
        nu,
        prop,
        empty,
        in_core,
        float(least_core(game).epsilon),
        Provenance("gain_sharing", {"players": list(prm.players)}),
    )
