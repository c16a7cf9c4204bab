"""Result types of the Jenga game: a play (equilibrium, myopic or cooperative), prices, samples."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..._results import Provenance, Result, to_plain
from ._lazy import LazyField

if TYPE_CHECKING:  # pragma: no cover
    from ...tower import Outcome
    from ._policy import Policy

__all__ = ["JengaPlay", "JengaPrices", "Move", "SampledPlay"]

_LAZY_OUTCOME = LazyField()  # JengaPlay.outcome: a value, or a Thunk computed on first access


@dataclass(frozen=True)
class Move(Result):
    """One turn of a play.

    Attributes
    ----------
    turn : int
        0, 1, 2, ... (discounting uses ``discount ** turn``).
    player : the player to move
    block : the block removed, or ``None`` for a pass (voluntary, or forced
        when the player has no standing eligible block under ``must_move``)
    toppled : bool
        This removal made the tower fall (by the game's ``fall_criterion``).
    fell : tuple
        Blocks that fell unplanned at this turn.
    """

    turn: int
    player: Hashable
    block: Hashable | None
    toppled: bool = False
    fell: tuple = ()


@dataclass(frozen=True, eq=False)
class JengaPlay(Result):
    """A play of the Jenga game and what each player gets.

    Attributes
    ----------
    method : str
        ``"spe"`` (subgame-perfect equilibrium), ``"myopic"`` or ``"cooperative"``.
    path : tuple of Move
        The moves, in order (passes included).
    payoffs : Mapping
        Each player's discounted payoff ``Σ_t δ^t r_t``.
    total : float
        Sum of the payoffs (for ``"cooperative"``: the joint value to share).
    fell : bool
        The play ended with the tower falling.
    toppled_by : player or None
        Who made it fall.
    removed : tuple
        Blocks removed, in order.
    outcome : Outcome
        The tower after the play (``tower.play(removed)``). A solver may pass
        a zero-argument callable instead; it is called on first access and
        its result kept (the solvers do, so a call that never looks at the
        outcome does not pay for it).
    policy : Policy or None
        For ``"spe"`` and ``"cooperative"``: the strategy at every reachable state.
    n_states : int
        Removal sets (standing, reachable) the solver visited.
    provenance : Provenance
    provider_loss : Mapping
        Contribution ``a(p − c)`` each provider lost through services that fell
        unplanned (£ m a year, undiscounted; from the ``outcome``; key ``None``
        for services without a provider).
    contribution_lost : float
        ``Σ_t δ^t L_t``: the providers' loss discounted like the payoffs (£ m a year).

    Properties ``commissioners_value`` (= ``total``) and ``system_welfare``
    (= ``total − contribution_lost``) are the two welfare measures of
    :mod:`jenga_games.games.sequential._welfare`.
    """

    method: str
    path: tuple[Move, ...]
    payoffs: Mapping[Hashable, float]
    total: float
    fell: bool
    toppled_by: Hashable | None
    removed: tuple
    outcome: Outcome = _LAZY_OUTCOME
    policy: Policy | None = field(default=None, repr=False)
    n_states: int = 0
    provenance: Provenance = field(default_factory=lambda: Provenance("unknown"))
    provider_loss: Mapping[Hashable, float] = field(default_factory=dict)
    contribution_lost: float = 0.0

    @property
    def commissioners_value(self) -> float:
        """The commissioners' joint payoff (``total``, £ m a year)."""
        return self.total

    @property
    def system_welfare(self) -> float:
        """Commissioners' value less the providers' contribution lost (£ m a year)."""
        return self.total - self.contribution_lost

    def welfare(self, measure: str = "commissioners") -> float:
        """``commissioners_value`` or ``system_welfare`` by name."""
        from ._welfare import check_welfare

        check_welfare(measure)
        return self.total if measure == "commissioners" else self.system_welfare

    @property
    def health_lost(self) -> dict[str, float]:
        """Health lost with the services that fell unplanned, per measure (QALYs a year, ...).

        ``Σ a·h`` over what fell (``outcome.health_lost``): counted beside money,
        never added to it except in :meth:`net_monetary_benefit`.
        """
        return dict(self.outcome.health_lost)

    @property
    def health_reprovided(self) -> dict[str, float]:
        """Health of the blocks moved out as planned, per measure: ``Σ a·h`` over ``removed``.

        Moved blocks are re-provided elsewhere (the mover's gain is net of that
        cost), so patients keep this health; it would be lost had they fallen.
        """
        return dict(self.outcome.health_moved)

    def net_monetary_benefit(
        self, wtp: float = 20_000.0, *, money_unit: float = 1e6, welfare: str = "system"
    ) -> float:
        """Welfare less the QALYs lost valued at ``wtp``: ``W − λ·ΔQALY / money_unit``.

        The net monetary benefit [Stinnett1998]_ of the play against the intact
        tower: moved blocks keep their health (re-provided), fallen ones lose
        it. ``wtp`` in £ per QALY (default £20,000, the lower end of NICE's
        £20,000–£30,000 [NICE2013]_); ``money_unit`` pounds in one unit of the
        tower's money (``1e6``: £ millions, as in the worked economy); ``welfare``
        ``"system"`` (commissioners less providers' loss) or ``"commissioners"``.
        Other health measures than QALYs have no price here.
        """
        from ...tower.health import DEFAULT_MEASURE, net_monetary_benefit

        qalys = self.outcome.health_lost.get(DEFAULT_MEASURE, 0.0)
        return net_monetary_benefit(-qalys, -self.welfare(welfare), wtp, money_unit=money_unit)

    def to_dict(self) -> dict[str, Any]:
        d = {
            k: to_plain(getattr(self, k))
            for k in (
                "method",
                "path",
                "payoffs",
                "total",
                "fell",
                "toppled_by",
                "removed",
                "n_states",
                "provenance",
                "contribution_lost",
            )
        }
        d["provider_loss"] = {str(k): float(v) for k, v in self.provider_loss.items()}
        d["system_welfare"] = self.system_welfare
        d["fell_blocks"] = to_plain(self.outcome.fell)
        d["health_lost"] = self.health_lost
        d["health_reprovided"] = self.health_reprovided
        return d

    def __repr__(self) -> str:
        pay = ", ".join(f"{p!r}: {v:.6g}" for p, v in self.payoffs.items())
        end = f"toppled by {self.toppled_by!r}" if self.fell else "tower standing"
        passes = sum(m.block is None for m in self.path)
        return (
            f"JengaPlay({self.method}: {len(self.removed)} removed, {passes} passes, {end}; "
            f"payoffs {{{pay}}}, total {self.total:.6g})"
        )


@dataclass(frozen=True)
class JengaPrices(Result):
    """Prices of anarchy and stability of a Jenga game on one welfare measure.

    ``welfare`` is ``"commissioners"`` (sum of payoffs) or ``"system"`` (less
    the providers' contribution lost); every number here is on that measure
    (£ m a year, ratios unitless). ``price_of_anarchy = W_coop / min_e W_e``
    and ``price_of_stability = W_coop / max_e W_e`` over the subgame-perfect
    equilibria ``e`` found by the tie-breaking rules in ``equilibria``;
    ``myopic_ratio = W_coop / W_myopic`` [Koutsoupias1999]_ [Anshelevich2008]_.
    On the commissioners' measure a ratio whose denominator is not positive is
    ``inf`` (``nan`` when the numerator is not positive either); on the system
    measure every ratio is ``nan`` unless all welfares are positive. The
    differences ``anarchy_loss``, ``stability_loss`` and ``myopic_loss``
    (``W_coop − W``) are always defined.
    """

    cooperative: float
    equilibria: Mapping[str, float]
    myopic: float
    price_of_anarchy: float
    price_of_stability: float
    myopic_ratio: float
    anarchy_loss: float
    myopic_loss: float
    provenance: Provenance
    stability_loss: float = math.nan
    welfare: str = "commissioners"


@dataclass(frozen=True)
class SampledPlay(Result):
    """Monte Carlo plays (for towers too large for :meth:`JengaGame.solve`).

    Attributes
    ----------
    n_games : int
    epsilon : float
        Each move is uniform among the legal moves with probability ``epsilon``,
        myopic otherwise.
    topple_share : Mapping
        Share of games toppled by each player (key ``None``: the tower stood).
    mean_payoffs, stderr_payoffs : Mapping
        Mean discounted payoff of each player and its standard error.
    mean_removed : float
        Mean number of blocks removed.
    """

    n_games: int
    epsilon: float
    topple_share: Mapping
    mean_payoffs: Mapping
    stderr_payoffs: Mapping
    mean_removed: float
    provenance: Provenance
