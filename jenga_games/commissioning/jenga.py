"""Jenga commissioning: myopic, competitive and cooperative play on a health economy.

The essays' claim: treat the local health economy as a Jenga tower; if
commissioners re-commission services one at a time competitively, or even
just by the best current move, the tower falls; if they agree the principles
and trust each other, the old tower can be made smaller without collapsing.

The game is :class:`jenga_games.games.sequential.JengaGame` on a tower
(default the worked economy, :func:`jenga_games.tower.economy.local_health_economy`):
commissioners take turns moving services they commission out of the tower
(may pass). Moving block ``b`` gains its mover the tariff saved net of the
cost of re-providing it elsewhere, ``(1 − r) a_b p_b`` (£ m a year); whoever
makes anything fall pays the collapse cost ``C`` and every commissioner pays
``K`` (their share of the harm). Three ways of playing:

* **myopic** — each takes the best current move (``game.myopic()``);
* **competitive** — the subgame-perfect equilibrium (``game.solve()``);
* **cooperative** — the joint optimum (``game.cooperative()``), with the gains
  shared by the Shapley value or the nucleolus of the TU game in which
  ``v(S)`` is what ``S`` gets acting as one player (its members' turns, blocks
  and costs merged) against the others acting alone, in subgame-perfect play
  (the γ-characteristic function of Chander and Tulkens :cite:`Chander1997`).
  ``v(N)`` is the cooperative optimum and ``v({i})`` commissioner ``i``'s
  competitive payoff, so ``v(N) − Σ v({i})`` is the gain from agreeing the
  principles. (What a coalition could move *safely on its own*,
  :func:`jenga_games.tower.thresholds.max_safe_set`, is not a TU game here:
  the commissioners' safe sets need not be safe together, which is the
  point of the essay; it is reported as ``safe_alone``.)

For each we report what fell, the value created (the commissioners' payoffs)
and lost (providers' contribution ``a(p − c)`` of every service that fell:
*who bears the loss*), and the prices of anarchy (``game.prices()``). Then
the thresholds at which competitive play stops toppling the tower: the
collapse cost ``C``, the discount factor ``δ`` per turn, and transitional
funding added to the reserves of the providers that fail. Each is found on a
grid and every change between grid points is refined by bisection (the
outcome need not be monotone in the parameter: on the worked economy the
competitive game topples the tower for patient players, ``δ`` near 1, and not
for impatient ones, who take the safe gains now).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .._results import Provenance, Result
from ..games.bargaining import funded_tower, funding_recipients
from ..games.cooperative import TUGame, nucleolus, shapley
from ..games.sequential import JengaGame, JengaPrices
from ..tower import Tower
from ..tower.health import DEFAULT_MEASURE, NICE_WTP
from ..tower.thresholds import find_threshold, max_safe_set
from ._common import InvalidParameterError, check_nonneg, check_prob

__all__ = [
    "DEFAULT_ELIGIBLE",
    "CollapseCosts",
    "JengaCommissioning",
    "JengaParams",
    "collapse_costs_for",
    "commissioning_game",
    "jenga_commissioning",
    "merged_game",
]

#: Services each commissioner may move out of the worked economy (outpatient specialties,
#: diagnostics and community services: the blocks the essays' commissioners could re-commission).
DEFAULT_ELIGIBLE: dict[str, tuple[str, ...]] = {
    "CCG north": (
        "diabetes_outpatients",
        "cardiology",
        "dermatology",
        "community_nursing",
        "ultrasound",
    ),
    "CCG south": ("ophthalmology", "respiratory", "endoscopy", "intermediate_care", "msk_physio"),
}


@dataclasses.dataclass(frozen=True)
class JengaParams:
    """Parameters of Jenga commissioning (money in £ m a year).

    Attributes
    ----------
    eligible : mapping player -> blocks
        Who may move what (default :data:`DEFAULT_ELIGIBLE` on the worked economy).
    reprovision_share : float
        ``r >= 0``: the cost of providing a moved service elsewhere as a share of its tariff
        income (default 0.5, as in :class:`~jenga_games.commissioning.FinanceParams`).
        ``r > 1`` is allowed: re-provision dearer than the old service, so that moving it
        costs its mover ``(r − 1) a p`` (Imison et al. 2017: 6 of 27 schemes likely to
        raise total cost).
    collapse_cost : float
        ``C``, paid by the commissioner whose move makes the tower fall (default 2.5).
    shared_collapse_cost : float
        ``K``, paid by every commissioner when it falls (default 1).
    discount : float
        ``δ`` per turn (default 1).
    fall_criterion : {"fallen", "collapsed"}
        What counts as the tower falling (default ``"fallen"``: anything falls unplanned).
    """

    eligible: Mapping = dataclasses.field(default_factory=lambda: dict(DEFAULT_ELIGIBLE))
    reprovision_share: float = 0.5
    collapse_cost: float = 2.5
    shared_collapse_cost: float = 1.0
    discount: float = 1.0
    fall_criterion: str = "fallen"

    def __post_init__(self) -> None:
        o = "JengaParams"
        if not self.eligible:
            raise InvalidParameterError(
                f"{o}: eligible is empty; give each commissioner the blocks it may move"
            )
        for p, blocks in self.eligible.items():
            if isinstance(blocks, str) or not list(blocks):
                raise InvalidParameterError(
                    f"{o}: eligible[{p!r}] must be a non-empty collection of block ids, got {blocks!r}"
                )
        check_nonneg(self.reprovision_share, "reprovision_share", o)  # r > 1: dearer re-provision
        check_nonneg(self.collapse_cost, "collapse_cost", o)
        check_nonneg(self.shared_collapse_cost, "shared_collapse_cost", o)
        check_prob(self.discount, "discount", o, open_low=True)
        if self.fall_criterion not in ("fallen", "collapsed"):
            raise InvalidParameterError(
                f"{o}: fall_criterion must be 'fallen' or 'collapsed', got {self.fall_criterion!r}"
            )


#: Annual spend ``Σ a p`` of the worked economy (£ m a year), the base of the default ``C`` and ``K``.
WORKED_ECONOMY_SPEND = 314.29


@dataclasses.dataclass(frozen=True)
class CollapseCosts(Result):
    """Collapse costs for a tower, and where they came from.

    Attributes
    ----------
    collapse_cost, shared_collapse_cost : float
        ``C`` and ``K`` (£ m).
    spend : float
        The tower's annual spend ``Σ a p`` (£ m a year).
    basis : str
        ``"given"`` (both given), ``"scaled"`` (both scaled) or ``"partly scaled"``.
    note : str
        One sentence for a report saying which.
    """

    collapse_cost: float
    shared_collapse_cost: float
    spend: float
    basis: str
    note: str


def collapse_costs_for(
    tower: Tower, collapse_cost: float | None = None, shared_collapse_cost: float | None = None
) -> CollapseCosts:
    """``C`` and ``K`` for a tower: as given, or scaled to its annual spend.

    The defaults ``C = 2.5`` and ``K = 1`` (£ m) were set on the worked economy,
    whose annual spend is £314.29 m; on another tower a missing value is the
    same share of that tower's spend, ``C = 2.5 · S / 314.29`` and
    ``K = 1 · S / 314.29`` with ``S = Σ a p`` (an assumption: the harm of a
    collapse grows with the size of the economy). On the worked economy the
    scaled values are the defaults.

    Examples
    --------
    >>> from jenga_games.tower.economy import local_health_economy
    >>> c = collapse_costs_for(local_health_economy())
    >>> round(c.collapse_cost, 10), round(c.shared_collapse_cost, 10), c.basis
    (2.5, 1.0, 'scaled')
    """
    spend = float(sum(s.activity * s.tariff for s in tower.services.values()))
    share = spend / WORKED_ECONOMY_SPEND
    given = {"C": collapse_cost is not None, "K": shared_collapse_cost is not None}
    C = float(collapse_cost) if given["C"] else 2.5 * share
    K = float(shared_collapse_cost) if given["K"] else 1.0 * share
    scaled = [k for k, v in given.items() if not v]
    if not scaled:
        basis, note = "given", f"C = {C:.4g}, K = {K:.4g} (£ m, as given)"
    else:
        basis = "scaled" if len(scaled) == 2 else "partly scaled"
        note = (
            f"C = {C:.4g}, K = {K:.4g} (£ m; {' and '.join(scaled)} scaled to this tower's "
            f"annual spend £{spend:.4g} m as {100 * 2.5 / WORKED_ECONOMY_SPEND:.3g}% and "
            f"{100 * 1.0 / WORKED_ECONOMY_SPEND:.3g}% of it, the shares of the worked economy's "
            "defaults; give --collapse-cost and --shared-collapse-cost to set them)"
        )
    return CollapseCosts(C, K, spend, basis, note)


def _default_tower() -> Tower:
    from ..tower.economy import local_health_economy

    return local_health_economy()


def _gains(tower: Tower, prm: JengaParams) -> dict:
    out = {}
    for p, blocks in prm.eligible.items():
        for b in blocks:
            if b not in tower:
                raise InvalidParameterError(
                    f"eligible[{p!r}] names {b!r}, which is not a service of the tower"
                )
            s = tower.services[b]
            out[b] = (1.0 - prm.reprovision_share) * s.activity * s.tariff
    return out


_COALITION = "coalition"


def merged_game(tower: Tower, params: JengaParams, coalition) -> JengaGame:
    """The game in which the commissioners in ``coalition`` act as one player (named ``"coalition"``).

    The merged player moves at each member's turn, may move any member's blocks,
    pays ``C`` when it topples the tower and ``|S| K`` of the shared cost.
    """
    prm = params
    members = [p for p in prm.eligible if p in set(coalition)]
    if not members:
        raise InvalidParameterError(
            f"coalition {coalition!r} names no commissioner of {list(prm.eligible)}"
        )
    others = [p for p in prm.eligible if p not in members]
    name = {p: (_COALITION if p in members else p) for p in prm.eligible}
    eligible: dict = {}
    for p, blocks in prm.eligible.items():
        eligible.setdefault(name[p], []).extend(
            b for b in blocks if b not in eligible.get(name[p], [])
        )
    shared = {
        _COALITION: prm.shared_collapse_cost * len(members),
        **{p: prm.shared_collapse_cost for p in others},
    }
    return JengaGame(
        tower,
        [_COALITION, *others],
        eligible=eligible,
        gains=_gains(tower, prm),
        collapse_cost=prm.collapse_cost,
        shared_collapse_cost=shared,
        must_move=False,
        turn_order=[name[p] for p in prm.eligible],
        discount=prm.discount,
        fall_criterion=prm.fall_criterion,
    )


def commissioning_game(tower: Tower | None = None, params: JengaParams | None = None) -> JengaGame:
    """The :class:`~jenga_games.games.sequential.JengaGame` of the model (passing allowed)."""
    prm = params or JengaParams()
    tower = _default_tower() if tower is None else tower
    return JengaGame(
        tower,
        list(prm.eligible),
        eligible={p: list(b) for p, b in prm.eligible.items()},
        gains=_gains(tower, prm),
        collapse_cost=prm.collapse_cost,
        shared_collapse_cost=prm.shared_collapse_cost,
        must_move=False,
        discount=prm.discount,
        fall_criterion=prm.fall_criterion,
    )


@dataclasses.dataclass(frozen=True, repr=False)
class JengaCommissioning(Result):
    """Myopic, competitive and cooperative play compared, and the thresholds.

    Attributes
    ----------
    table : pandas.DataFrame
        Rows ``myopic``, ``competitive``, ``cooperative``: ``fell``, ``collapsed``,
        ``toppled_by``, ``moved`` (blocks), ``value_created`` (sum of payoffs),
        ``value_lost`` (providers' contribution lost), ``spend_lost`` (spend at tariff of
        what fell; activity is never summed across units), ``net``
        (created − lost), and health beside the money: ``qalys_lost`` (QALYs a year
        with the services that fell) and ``qalys_reprovided`` (QALYs a year of the
        blocks moved out, which re-provision elsewhere keeps for patients).
    loss_by_provider : pandas.DataFrame
        Contribution ``a(p − c)`` lost by each provider under each play.
    shares : pandas.DataFrame
        Per commissioner: payoff under competitive play, the cooperative value
        ``v(N)`` shared by Shapley and by the nucleolus, and ``safe_alone``, the most it
        could move with nothing falling if nobody else moved.
    coalition_game : TUGame
        ``v(S)``: what ``S`` gets acting together against the others (module docstring).
    prices : JengaPrices
    collapse_sweep, discount_sweep, funding_sweep : pandas.DataFrame
        The grids: parameter value and whether competitive play ``fell``.
    collapse_threshold, discount_threshold, funding_threshold : float or None
        The parameter value nearest the default (funding: nearest 0) at which the
        competitive outcome changes (``None``: no change on the grid); ``switches``
        says which way.
    switches : dict
        Parameter -> every change on its grid, ``(value, "stops falling" | "starts falling")``,
        refined by bisection to ``tol``.
    funded_providers : tuple
        Providers whose reserves the transitional funding raises.
    provenance : Provenance
    welfare : pandas.DataFrame
        Welfare that counts everyone (£ m a year), rows ``myopic``, ``competitive``,
        ``cooperative`` (the commissioners' optimum) and ``cooperative_system`` (the
        optimum for commissioners and providers together): ``fell``,
        ``commissioners_value`` (sum of payoffs), ``contribution_lost`` (providers'
        contribution lost) and ``system_welfare`` (the difference), with one column
        ``lost: <provider>`` per provider (see :mod:`jenga_games.games.sequential._welfare`);
        then health beside the money: ``qalys_lost`` (QALYs a year with the services
        that fell), ``qalys_reprovided`` (QALYs a year of the blocks moved out and
        re-provided elsewhere, which patients keep) and ``nmb_20k``, ``nmb_30k``, the
        net monetary benefit ``system_welfare − λ·qalys_lost / 10^6`` at NICE's
        £20,000 and £30,000 per QALY [NICE2013]_ (money in £ m: the only place
        QALYs meet money).
    system_prices : JengaPrices
        Prices on the system measure (``welfare="system"``): the differences
        ``anarchy_loss``, ``stability_loss``, ``myopic_loss``; ratios only when every
        welfare is positive.
    myopic_types : pandas.DataFrame
        The essay's "current best move" by what the myopic commissioner sees (rows
        ``full``: the whole cascade, the ``myopic`` row of ``table``; ``clinical``:
        the dependencies but not the providers' finances; ``direct``: only the direct
        dependants): ``fell``, ``toppled_by``, ``moved``, ``commissioners_value``,
        ``contribution_lost``, ``system_welfare`` (£ m a year) and ``misjudged``, the
        toppling move (``"player: block"``) when the mover expected nothing to fall.
    """

    table: pd.DataFrame
    loss_by_provider: pd.DataFrame
    shares: pd.DataFrame
    coalition_game: TUGame
    prices: JengaPrices
    collapse_sweep: pd.DataFrame
    discount_sweep: pd.DataFrame
    funding_sweep: pd.DataFrame
    collapse_threshold: float | None
    discount_threshold: float | None
    funding_threshold: float | None
    switches: dict
    funded_providers: tuple
    provenance: Provenance
    welfare: pd.DataFrame | None = None
    system_prices: JengaPrices | None = None
    myopic_types: pd.DataFrame | None = None

    def __repr__(self) -> str:
        fell = dict(zip(self.table.index, self.table["fell"]))
        return (
            f"JengaCommissioning(fell={fell}, price_of_anarchy={self.prices.price_of_anarchy:.4g}, "
            f"collapse_threshold={self.collapse_threshold}, discount_threshold={self.discount_threshold}, "
            f"funding_threshold={self.funding_threshold})"
        )


def _row(tower: Tower, play) -> tuple:
    out = play.outcome
    loss = play.provider_loss  # per provider, from the Outcome (Outcome.contribution_lost)
    value_lost = float(out.value_lost)
    return (
        (
            play.fell,
            out.collapsed,
            play.toppled_by,
            len(play.removed),
            float(play.total),
            value_lost,
            float(out.spend_lost),
            float(play.total) - value_lost,
            out.health_lost.get(DEFAULT_MEASURE, 0.0),
            out.health_moved.get(DEFAULT_MEASURE, 0.0),
        ),
        loss,
    )


def _welfare_frame(tower: Tower, plays: Mapping) -> pd.DataFrame:
    """One row per play: the commissioners' value, the providers' loss, the system welfare."""
    rows = {
        name: {
            "fell": play.fell,
            "commissioners_value": play.commissioners_value,
            "contribution_lost": play.contribution_lost,
            "system_welfare": play.system_welfare,
            **{f"lost: {p}": float(play.provider_loss.get(p, 0.0)) for p in tower.providers},
            # health beside money, valued only in the net monetary benefit (NICE's range)
            "qalys_lost": play.health_lost.get(DEFAULT_MEASURE, 0.0),
            "qalys_reprovided": play.health_reprovided.get(DEFAULT_MEASURE, 0.0),
            "nmb_20k": play.net_monetary_benefit(NICE_WTP[0]),
            "nmb_30k": play.net_monetary_benefit(NICE_WTP[1]),
        }
        for name, play in plays.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def _myopic_frame(game: JengaGame, full) -> pd.DataFrame:
    """Myopic play by what the mover sees (``JengaGame.myopic(sees=...)``)."""
    rows = {}
    for sees in ("full", "clinical", "direct"):
        play = full if sees == "full" else game.myopic(sees=sees)
        misjudged = None
        if play.fell and sees != "full":
            last = play.path[-1]
            misjudged = f"{last.player}: {last.block}"
        rows[sees] = {
            "fell": play.fell,
            "toppled_by": play.toppled_by,
            "moved": len(play.removed),
            "commissioners_value": play.commissioners_value,
            "contribution_lost": play.contribution_lost,
            "system_welfare": play.system_welfare,
            "misjudged": misjudged,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _switches(falls: Callable[[float], bool], grid, tol: float) -> tuple[pd.DataFrame, tuple]:
    """Grid scan, then bisection at every change between neighbouring grid points.

    Returns the sweep and the switches ``(value, "stops falling" | "starts falling")``
    read left to right (``value`` is the first parameter value past the change).
    """
    grid = sorted(float(x) for x in grid)
    fell = [bool(falls(x)) for x in grid]
    switches = []
    for i in range(len(grid) - 1):
        if fell[i] == fell[i + 1]:
            continue
        th = find_threshold(falls, grid[i], grid[i + 1], tol=tol, known=(fell[i], fell[i + 1]))
        switches.append((th.bracket[1], "stops falling" if fell[i] else "starts falling"))
    return pd.DataFrame({"value": grid, "fell": fell}), tuple(switches)


def _nearest(switches: tuple, default: float) -> float | None:
    if not switches:
        return None
    return min(switches, key=lambda sw: (abs(sw[0] - default), sw[0]))[0]


def jenga_commissioning(
    tower: Tower | None = None,
    params: JengaParams | None = None,
    *,
    collapse_grid=None,
    discount_grid=None,
    funding_grid=None,
    tol: float = 1e-3,
) -> JengaCommissioning:
    """Compare myopic, competitive and cooperative play, and find the thresholds.

    Parameters
    ----------
    tower : Tower, optional
        Default the worked economy.
    params : JengaParams, optional
    collapse_grid, discount_grid, funding_grid : sequences of float, optional
        Grids for the thresholds (defaults: ``C`` 0..20, ``δ`` 0.05..1, funding 0..20 £ m).
    tol : float
        Bisection tolerance.

    Examples
    --------
    >>> r = jenga_commissioning(collapse_grid=[0, 5], discount_grid=[0.5, 1], funding_grid=[0, 5])
    >>> list(r.table["fell"])   # myopic, competitive, cooperative
    [False, True, False]
    >>> round(r.collapse_threshold, 2), r.switches["discount"][0][1]
    (2.75, 'starts falling')
    """
    prm = params or JengaParams()
    tower = _default_tower() if tower is None else tower
    game = commissioning_game(tower, prm)
    plays = {
        "myopic": game.myopic(),
        "competitive": game.solve(),
        "cooperative": game.cooperative(),
    }
    rows, losses = {}, {}
    for name, play in plays.items():
        rows[name], losses[name] = _row(tower, play)
    welfare = _welfare_frame(
        tower, {**plays, "cooperative_system": game.cooperative(welfare="system")}
    )
    table = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=[
            "fell",
            "collapsed",
            "toppled_by",
            "moved",
            "value_created",
            "value_lost",
            "spend_lost",
            "net",
            "qalys_lost",
            "qalys_reprovided",
        ],
    )
    loss_df = (
        pd.DataFrame.from_dict(losses, orient="index")
        .reindex(index=list(plays), columns=list(tower.providers))
        .fillna(0.0)
    )

    players = list(prm.eligible)

    def v(S):
        if not S:
            return 0.0
        return merged_game(tower, prm, S).solve().payoffs[_COALITION]

    coal = TUGame.from_function(len(players), v, players=players)
    sh = np.asarray(shapley(coal), dtype=float)
    nu = np.asarray(nucleolus(coal).allocation, dtype=float)
    comp = plays["competitive"].payoffs
    gains = _gains(tower, prm)
    alone = [
        max_safe_set(
            tower, eligible=list(prm.eligible[p]), weights={b: gains[b] for b in prm.eligible[p]}
        ).value
        for p in players
    ]
    shares = pd.DataFrame(
        {
            "competitive": [comp[p] for p in players],
            "shapley": sh,
            "nucleolus": nu,
            "safe_alone": alone,
        },
        index=players,
    )

    def spe_falls(**change) -> bool:
        return commissioning_game(tower, dataclasses.replace(prm, **change)).solve().fell

    c_sweep, c_sw = _switches(
        lambda c: spe_falls(collapse_cost=c),
        collapse_grid if collapse_grid is not None else np.linspace(0, 20, 21),
        tol,
    )
    d_sweep, d_sw = _switches(
        lambda d: spe_falls(discount=d),
        discount_grid if discount_grid is not None else np.linspace(0.05, 1, 20),
        tol,
    )
    failed = funding_recipients(tower, plays["competitive"].outcome)

    def funded_falls(x: float) -> bool:
        return commissioning_game(funded_tower(tower, failed, x), prm).solve().fell

    f_sweep, f_sw = _switches(
        funded_falls, funding_grid if funding_grid is not None else np.linspace(0, 20, 21), tol
    )
    c_sweep = c_sweep.rename(columns={"value": "collapse_cost"})
    d_sweep = d_sweep.rename(columns={"value": "discount"})
    f_sweep = f_sweep.rename(columns={"value": "funding"})
    switches = {"collapse_cost": c_sw, "discount": d_sw, "funding": f_sw}
    return JengaCommissioning(
        table,
        loss_df,
        shares,
        coal,
        game.prices(),
        c_sweep,
        d_sweep,
        f_sweep,
        _nearest(c_sw, prm.collapse_cost),
        _nearest(d_sw, prm.discount),
        _nearest(f_sw, 0.0),
        switches,
        failed,
        Provenance("jenga_commissioning", {"players": players, "tol": tol}),
        welfare,
        game.prices(welfare="system"),
        _myopic_frame(game, plays["myopic"]),
    )
