"""Risk pooling and the size of a commissioning group.

The essays' claim: a practice holding the budget for its own list is exposed
to rare, large shocks (a cluster of motorway crashes over a bank holiday and
the trauma budget is gone); pooling with other practices shrinks the reserve
each needs, but coordination costs and the loss of local focus grow with the
group, so there is a best size.

Costs. A population of ``N`` people has an annual cost that is compound
Poisson: ``K ~ Poisson(λN)`` costly events, each costing ``X`` (gamma, mean
``μ``, coefficient of variation ``s``). Then (Klugman, Panjer and Willmot)

    E[S_N] = N λ μ,    Var[S_N] = N λ μ² (1 + s²),
    CV(S_N) = κ / √N,  κ = √((1 + s²)/λ) (the per-person CV).

Reserve. The reserve that keeps the probability of overspending below ``ε``
is ``q_{1−ε}(S_N) − E[S_N]``; by the normal approximation it is
``z_{1−ε} σ √N``, so per head ``z_{1−ε} σ / √N``: it shrinks like ``1/√N``.
Because ``√(N_1 + N_2) <= √N_1 + √N_2``, pooling never raises the reserve
per head. A seeded simulation gives the exact quantile as a check.

Group costs. A group ``S`` of practices (lists ``n_i``, ``N_S = Σ n_i``,
``k = |S|``) pays each year

    c(S) = ρ z σ √N_S  +  γ k(k − 1)/2  +  φ Σ_{i∈S} n_i ln(N_S / n_i),

the cost of capital ``ρ`` on its reserve, a coordination cost ``γ`` per pair
of practices (every pair must agree), and a loss of local focus ``φ`` per
head per e-fold of dilution of each practice in the group. The pooling
game's value is the saving ``v(S) = Σ_{i∈S} c({i}) − c(S)``
(:func:`jenga_games.games.cooperative.savings`); its Shapley value,
nucleolus and the list-proportional split are its fair shares, and the best
size of a group of identical practices minimises ``c(S)/N_S``.

Calibration (:class:`RiskParams`): about £1,800 per person per year in 2012
and a list of about 1,600 :cite:`NHSBudget2012`; the ``1/√N`` law is checked
against Crump et al. (1991) :cite:`Crump1991` (coefficients of variation
7.5%, 5.0%, 1.8% at 9,000, 24,000 and 179,400) and Bachmann and Bevan (1996)
:cite:`Bachmann1996` in :func:`replication_table`. ``γ`` and ``φ`` are
assumptions chosen so the best group is near 100,000 people, the size
below which Jones (2009) :cite:`Jones2009` judged risk unacceptable and above
which Bojke et al. (2001) :cite:`Bojke2001` found no gain.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._results import Provenance, Result
from .._rng import make_rng
from ..games.cooperative import (
    TUGame,
    core_contains,
    core_is_empty,
    nucleolus,
    optimal_coalition_structure,
    savings,
    shapley,
)
from ..tolerance import geq
from ._common import (
    InvalidParameterError,
    SharesTable,
    check_count,
    check_nonneg,
    check_positive,
    check_prob,
    check_vector,
)

__all__ = [
    "BACHMANN_BEVAN_1996",
    "CRUMP_1991",
    "GroupSize",
    "PoolingGame",
    "RiskParams",
    "annual_cost_moments",
    "group_cost",
    "group_size",
    "pooling_game",
    "replication_table",
    "reserve_per_head",
    "simulate_annual_costs",
]

#: Crump et al. 1991, BMJ 302:1582, 100 simulated years of 113 procedures:
#: population -> (mean £, SD £).
CRUMP_1991: dict[int, tuple[float, float]] = {
    9_000: (244_891.0, 18_349.0),
    24_000: (652_762.0, 32_512.0),
    179_400: (4_832_471.0, 87_149.0),
}
#: Bachmann & Bevan 1996, BMJ 313:1054: rare costly referrals' mean cost as a share
#: of hospital and community spend, and the worst of 100 simulated years at 7,000 person-years.
BACHMANN_BEVAN_1996: dict[str, float] = {
    "mean_share": 0.028,
    "worst_share_7000": 0.068,
    "person_years": 7_000,
    "years": 100,
}


@dataclasses.dataclass(frozen=True)
class RiskParams:
    """Parameters of the risk-pooling model.

    Attributes
    ----------
    cost_per_head : float
        Mean annual cost per person, £ (default 1,800: £110 bn for 60 m people
        in 2012 :cite:`NHSBudget2012`).
    list_size : int
        Patients per practice (default 1,600, an average list :cite:`NHSBudget2012`).
    event_rate : float
        Costly events per person-year, ``λ`` (default 0.3, about one hospital
        episode per three people a year; an assumption).
    per_person_cv : float
        ``κ``, the coefficient of variation of one person's annual cost
        (default 3.0, an assumption: individual costs are highly skewed).
        It fixes the severity's CV, ``s = √(κ²λ − 1)``, so it must satisfy ``κ²λ >= 1``.
    overspend_prob : float
        ``ε``, the accepted probability of overspending the budget plus reserve
        in a year (default 0.05, one year in twenty).
    capital_cost : float
        ``ρ``, the annual cost of each £ held in reserve (default 0.035, the
        HM Treasury Green Book discount rate :cite:`GreenBook2022`).
    coordination_cost : float
        ``γ``, £ per pair of practices per year (default 25; an assumption).
    focus_loss : float
        ``φ``, £ per head per e-fold of dilution (default 0.3; an assumption).
    """

    cost_per_head: float = 1800.0
    list_size: int = 1600
    event_rate: float = 0.3
    per_person_cv: float = 3.0
    overspend_prob: float = 0.05
    capital_cost: float = 0.035
    coordination_cost: float = 25.0
    focus_loss: float = 0.3

    def __post_init__(self) -> None:
        o = "RiskParams"
        check_positive(self.cost_per_head, "cost_per_head", o)
        check_count(self.list_size, "list_size", o)
        check_positive(self.event_rate, "event_rate", o)
        check_positive(self.per_person_cv, "per_person_cv", o)
        check_prob(self.overspend_prob, "overspend_prob", o, open_low=True, open_high=True)
        check_nonneg(self.capital_cost, "capital_cost", o)
        check_nonneg(self.coordination_cost, "coordination_cost", o)
        check_nonneg(self.focus_loss, "focus_loss", o)
        if self.per_person_cv**2 * self.event_rate < 1 - 1e-12:
            raise InvalidParameterError(
                f"RiskParams: per_person_cv² × event_rate = {self.per_person_cv**2 * self.event_rate:.4g} < 1: "
                "a compound Poisson cost cannot vary less than its event count; raise per_person_cv "
                f"to at least {1 / math.sqrt(self.event_rate):.4g} or raise event_rate"
            )

    @property
    def severity_mean(self) -> float:
        """``μ = cost_per_head / λ``."""
        return self.cost_per_head / self.event_rate

    @property
    def severity_cv(self) -> float:
        """``s = √(κ² λ − 1)``."""
        return math.sqrt(max(0.0, self.per_person_cv**2 * self.event_rate - 1.0))

    @property
    def sd_per_person(self) -> float:
        """``σ = κ × cost_per_head``: the standard deviation of one person's annual cost."""
        return self.per_person_cv * self.cost_per_head

    @property
    def z(self) -> float:
        """``z_{1−ε}``, the standard normal quantile."""
        return float(stats.norm.ppf(1.0 - self.overspend_prob))


def _population(n, what="population") -> int:
    return check_count(n, what, "risk model")


def annual_cost_moments(population: int, params: RiskParams | None = None) -> tuple[float, float]:
    """``(E[S_N], SD[S_N])`` of the compound Poisson annual cost (exact)."""
    prm = params or RiskParams()
    n = _population(population)
    return n * prm.cost_per_head, math.sqrt(n) * prm.sd_per_person


def simulate_annual_costs(
    population: int, years: int = 100, params: RiskParams | None = None, seed=None
) -> np.ndarray:
    """Seeded simulation of ``years`` annual costs of a population (compound Poisson, gamma severities).

    Uses that a sum of ``K`` independent Gamma(``1/s²``, ``μ s²``) costs is
    Gamma(``K/s²``, ``μ s²``), so each year costs two draws whatever ``N``.
    With ``s = 0`` each event costs exactly ``μ``.
    """
    prm = params or RiskParams()
    n = _population(population)
    years = check_count(years, "years", "simulate_annual_costs")
    rng = make_rng(seed)
    k = rng.poisson(prm.event_rate * n, size=years)
    s2 = prm.severity_cv**2
    if s2 == 0:
        return k * prm.severity_mean
    out = np.zeros(years)
    pos = k > 0
    out[pos] = rng.gamma(k[pos] / s2, prm.severity_mean * s2)
    return out


def reserve_per_head(
    population: int,
    params: RiskParams | None = None,
    *,
    method: str = "normal",
    years: int = 20_000,
    seed=None,
) -> float:
    """Reserve per head keeping ``P(overspend) <= ε``.

    ``method="normal"``: ``z_{1−ε} σ / √N`` (analytic). ``method="simulation"``:
    the empirical ``(1 − ε)`` quantile of :func:`simulate_annual_costs` minus the mean, per head.
    """
    prm = params or RiskParams()
    n = _population(population)
    if method == "normal":
        return prm.z * prm.sd_per_person / math.sqrt(n)
    if method == "simulation":
        sims = simulate_annual_costs(n, years, prm, seed)
        return float(np.quantile(sims, 1.0 - prm.overspend_prob) - n * prm.cost_per_head) / n
    raise InvalidParameterError(f"method must be 'normal' or 'simulation', got {method!r}")


def group_cost(lists: Sequence[int], params: RiskParams | None = None) -> float:
    """Annual cost ``c(S)`` of a group of practices with these lists (module docstring)."""
    prm = params or RiskParams()
    n = np.array(check_vector(lists, "lists", "group_cost", positive=True))
    total, k = float(n.sum()), len(n)
    reserve = prm.z * prm.sd_per_person * math.sqrt(total)
    return (
        prm.capital_cost * reserve
        + prm.coordination_cost * k * (k - 1) / 2
        + prm.focus_loss * float(np.sum(n * np.log(total / n)))
    )


@dataclasses.dataclass(frozen=True, repr=False)
class GroupSize(Result):
    """Per-head costs of groups of ``k`` identical practices and the best ``k``.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by ``practices``: ``population``, ``cv``, ``reserve_per_head``,
        ``reserve_cost``, ``coordination``, ``focus``, ``total`` (all £ per head per year
        except ``reserve_per_head``, a stock).
    best_practices, best_population : int
        The ``k`` minimising ``total`` and its population.
    params : RiskParams
    provenance : Provenance
    """

    table: pd.DataFrame
    best_practices: int
    best_population: int
    params: RiskParams
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"GroupSize(best_practices={self.best_practices}, best_population={self.best_population}, "
            f"total_per_head={self.table['total'].min():.4g})"
        )


def group_size(params: RiskParams | None = None, max_practices: int = 400) -> GroupSize:
    """The per-head cost of a group of ``k = 1..max_practices`` identical practices.

    Examples
    --------
    >>> g = group_size()
    >>> 50_000 <= g.best_population <= 150_000
    True
    """
    prm = params or RiskParams()
    kmax = check_count(max_practices, "max_practices", "group_size")
    k = np.arange(1, kmax + 1, dtype=float)
    N = k * prm.list_size
    reserve = prm.z * prm.sd_per_person / np.sqrt(N)
    coord = prm.coordination_cost * k * (k - 1) / 2 / N
    focus = prm.focus_loss * np.log(k)
    total = prm.capital_cost * reserve + coord + focus
    table = pd.DataFrame(
        {
            "practices": k.astype(int),
            "population": N.astype(int),
            "cv": prm.per_person_cv / np.sqrt(N),
            "reserve_per_head": reserve,
            "reserve_cost": prm.capital_cost * reserve,
            "coordination": coord,
            "focus": focus,
            "total": total,
        }
    ).set_index("practices")
    best = int(table["total"].idxmin())
    return GroupSize(
        table, best, best * prm.list_size, prm, Provenance("group_size", {"max_practices": kmax})
    )


@dataclasses.dataclass(frozen=True, repr=False)
class PoolingGame(SharesTable, Result):
    """The cooperative game of pooling risk among practices.

    Attributes
    ----------
    game : TUGame
        ``v(S) = Σ_{i∈S} c({i}) − c(S)``, the annual saving of group ``S``.
    cost : TUGame
        The cost game ``c``.
    shapley, nucleolus, proportional : numpy.ndarray
        Shares of the grand coalition's saving (proportional: to list size). The
        nucleolus is NaN when the grand coalition saves less than the practices
        alone (no imputation exists; ``structure`` then says how to group them).
    core_empty : bool
    proportional_in_core, shapley_in_core : bool
    structure : tuple of tuples or None
        The best partition of the practices into groups (largest total saving,
        :func:`~jenga_games.games.cooperative.optimal_coalition_structure`); ``None``
        above 14 practices.
    provenance : Provenance
    """

    game: TUGame
    cost: TUGame
    shapley: np.ndarray
    nucleolus: np.ndarray
    proportional: np.ndarray
    core_empty: bool
    shapley_in_core: bool
    proportional_in_core: bool
    structure: tuple | None
    provenance: Provenance

    def __repr__(self) -> str:
        return (
            f"PoolingGame(n={self.game.n}, saving={self.game.grand:.4g}, core_empty={self.core_empty}, "
            f"shapley_in_core={self.shapley_in_core})"
        )


def pooling_game(
    lists: Sequence[int], params: RiskParams | None = None, players: Sequence | None = None
) -> PoolingGame:
    """The risk-pooling TU game of practices with the given lists, and its fair shares.

    Parameters
    ----------
    lists : sequence of int
        List sizes (at most 20 practices: the game has ``2**n`` coalitions).
    params : RiskParams, optional
    players : sequence, optional
        Labels (default ``practice1..practiceN``).

    Examples
    --------
    >>> g = pooling_game([1600, 1600], RiskParams(coordination_cost=0, focus_loss=0))
    >>> [round(float(x), 2) for x in g.shapley]  # ρ z σ (2√1600 − √3200) / 2 each
    [3642.15, 3642.15]
    """
    prm = params or RiskParams()
    n = check_vector(lists, "lists", "pooling_game", positive=True)
    if len(n) > 20:
        raise InvalidParameterError(
            f"pooling_game: {len(n)} practices give 2^{len(n)} coalitions; use at most 20 "
            "(group identical practices with group_size for larger groups)"
        )
    labels = (
        tuple(players) if players is not None else tuple(f"practice{i + 1}" for i in range(len(n)))
    )
    idx = {p: i for i, p in enumerate(labels)}
    cost = TUGame.from_function(
        len(n), lambda S: group_cost([n[idx[p]] for p in S], prm) if S else 0.0, players=labels
    )
    game = savings(cost)
    sh = np.asarray(shapley(game), dtype=float)
    singles = sum(game.values[1 << i] for i in range(game.n))
    if geq(game.grand, singles):
        nu = np.asarray(nucleolus(game).allocation, dtype=float)
    else:  # pooling everyone loses money: no imputation, no nucleolus (see ``structure``)
        nu = np.full(game.n, np.nan)
    w = np.asarray(n) / sum(n)
    prop = w * game.grand
    structure = (
        tuple(tuple(b) for b in optimal_coalition_structure(game).blocks) if len(n) <= 14 else None
    )
    return PoolingGame(
        game,
        cost,
        sh,
        nu,
        prop,
        bool(core_is_empty(game)),
        bool(core_contains(game, sh).in_core),
        bool(core_contains(game, prop).in_core),
        structure,
        Provenance("pooling_game", {"lists": list(n)}),
    )


def _expected_max_poisson(mu: float, years: int) -> float:
    """``E[max of years iid Poisson(mu)]`` exactly: ``Σ_k (1 − F(k)^years)``."""
    ks = np.arange(0, int(mu + 20 * math.sqrt(mu) + 50))
    F = stats.poisson.cdf(ks, mu)
    return float(np.sum(1.0 - F**years))


def replication_table(seed: int = 0) -> pd.DataFrame:
    """Published figures beside the model's (the ``1/√N`` law and rare-referral worst years).

    Rows ``Crump1991 N=...``: the published CV against ``κ/√N`` with ``κ`` fitted
    by least squares on ``log CV`` over the three lists (one parameter for three
    figures), and against a seeded 100-year simulation (as Crump et al. ran
    100 years) of a compound Poisson with that ``κ``. Row
    ``Bachmann1996 worst/mean``: the worst of 100 years at 7,000 person-years
    relative to the mean, published ``6.8/2.8``, against a Poisson count of rare
    referrals whose rate is fitted to the published mean (2.8%) and worst year
    by :func:`scipy.optimize.brentq`, with the CV this implies at 30,000
    person-years (the size below which variation "rises sharply").

    Columns: ``source``, ``population``, ``published``, ``model``, ``simulated``, ``rel_error``.
    """
    from scipy.optimize import brentq

    rows = []
    Ns = np.array(sorted(CRUMP_1991), dtype=float)
    cvs = np.array([CRUMP_1991[int(N)][1] / CRUMP_1991[int(N)][0] for N in Ns])
    kappa = float(np.exp(np.mean(np.log(cvs) + 0.5 * np.log(Ns))))
    rng = make_rng(seed)
    for N, cv in zip(Ns, cvs):
        model = kappa / math.sqrt(N)
        # compound Poisson with one event per person-year and severity CV fixed by kappa
        prm = RiskParams(
            cost_per_head=CRUMP_1991[int(N)][0] / N, event_rate=1.0, per_person_cv=max(kappa, 1.0)
        )
        sims = simulate_annual_costs(int(N), 100, prm, rng)
        rows.append(
            (
                "Crump1991 CV",
                int(N),
                cv,
                model,
                float(sims.std(ddof=1) / sims.mean()),
                (model - cv) / cv,
            )
        )
    bb = BACHMANN_BEVAN_1996
    target = bb["worst_share_7000"] / bb["mean_share"]
    mu = brentq(lambda m: _expected_max_poisson(m, int(bb["years"])) / m - target, 0.2, 200.0)
    sims = make_rng(seed).poisson(mu, size=(200, int(bb["years"]))).max(axis=1) / mu
    rows.append(
        (
            "Bachmann1996 worst/mean",
            int(bb["person_years"]),
            target,
            _expected_max_poisson(mu, int(bb["years"])) / mu,
            float(sims.mean()),
            (_expected_max_poisson(mu, int(bb["years"])) / mu - target) / target,
        )
    )
    rate = mu / bb["person_years"]
    rows.append(
        (
            "Bachmann1996 CV at 30,000 (implied)",
            30_000,
            float("nan"),
            1 / math.sqrt(rate * 30_000),
            float("nan"),
            float("nan"),
        )
    )
    rows.append(
        (
            "Bachmann1996 CV at 7,000 (implied)",
            7_000,
            float("nan"),
            1 / math.sqrt(rate * 7_000),
            float("nan"),
            float("nan"),
        )
    )
    return pd.DataFrame(
        rows, columns=["source", "population", "published", "model", "simulated", "rel_error"]
    )
