"""The Jenga game: commissioners take turns removing blocks from a tower (DESIGN §3).

Rules
-----
Players ``0..m-1`` move in ``turn_order`` (a cycle of turn positions
``0..T-1``; by default each player once, in order). At turn ``t`` the player
at position ``t mod T`` either removes one *standing* block it may
commission (``eligible``) or, when ``must_move=False``, passes.

* Removing block ``b`` earns the mover ``g[p, b]`` (``gains``).
* If the removal makes the tower fall, the game ends: the mover also pays
  ``C[p]`` (``collapse_cost``) and every player ``q`` (mover included) pays
  ``K[q]`` (``shared_collapse_cost``). "Falls" follows ``fall_criterion``:
  ``"fallen"`` (default) — any block falls unplanned, as in the children's
  game; ``"collapsed"`` — a critical block falls or a provider fails (blocks
  that fall without collapsing the tower are simply gone).
* ``must_move=True`` (the children's game): a player must remove a block; a
  player with no standing eligible block is skipped (a *forced pass*); the
  game ends when nobody has one (the tower is dismantled or nothing standing
  is eligible) or when the tower falls.
* ``must_move=False`` (players who agreed the principles): a player may pass;
  the game also ends after ``T`` passes in a row (everyone passed).
* Payoffs are discounted per turn: a reward at turn ``t`` counts ``δ^t``
  (``discount``; passes and forced passes are turns).

The state after any history is the set ``S`` of removed blocks (the tower
left is the cascade of ``S``), the turn position and, when passing is
allowed, the number of passes in a row; the solvers work on these states,
not on histories [Zermelo1913]_ [Kuhn1953]_.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import cached_property

import numpy as np

from ..._checks import finite_float
from ...errors import InvalidGameError, TooLargeError, UnknownItemError
from ...tower import Tower

__all__ = ["JengaGame"]

_CRITERIA = ("fallen", "collapsed")
#: Most players a Jenga game may have (memory grows with the square of the number).
MAX_PLAYERS = 1000


def _number(value, what: str, *, nonneg: bool = False) -> float:
    return finite_float(
        value,
        what,
        InvalidGameError,
        nonneg=nonneg,
        hint="; a collapse cost is a cost, give its size (a reward for toppling "
        "would be a negative gain)",
    )


class JengaGame:
    """A sequential removal game on a tower.

    Parameters
    ----------
    tower : Tower
        The health economy; at most 63 blocks for :meth:`solve`.
    players : int or sequence of hashable
        Number of players (named ``"P1"``, ``"P2"``, ...) or their names.
    eligible : mapping player -> iterable of blocks, optional
        The blocks each player may commission (default: every block, every
        player). A block may be eligible for several players.
    gains : float, mapping block -> float, or mapping player -> (mapping block -> float)
        What a removal earns the mover (default 1 per block). Blocks missing
        from a mapping earn 0.
    collapse_cost : float or mapping player -> float
        ``C >= 0`` paid by the player whose removal makes the tower fall (default 10).
    shared_collapse_cost : float or mapping player -> float
        ``K >= 0`` paid by every player when the tower falls (default 0).
    must_move : bool
        The children's game (``True``) or passing allowed (``False``).
    turn_order : sequence of players, optional
        The cycle of turns (default: the players in order). Every player must
        appear; a player may appear more than once.
    discount : float
        ``δ ∈ (0, 1]`` per turn.
    fall_criterion : {"fallen", "collapsed"}
        What ends the game (see the module docstring).

    Raises
    ------
    InvalidGameError
        Malformed costs, gains, discount or turn order; a player with no
        eligible block under ``must_move``; an intact tower that already falls.
    UnknownItemError
        Gains, eligibility or costs naming an unknown block or player.

    Examples
    --------
    >>> from jenga_games.tower.library import classic_jenga
    >>> game = JengaGame(classic_jenga(levels=2), players=2)
    >>> game.solve().fell
    False
    """

    def __init__(
        self,
        tower: Tower,
        players: int | Sequence[Hashable] = 2,
        *,
        eligible: Mapping[Hashable, Iterable[Hashable]] | None = None,
        gains: float | Mapping = 1.0,
        collapse_cost: float | Mapping[Hashable, float] = 10.0,
        shared_collapse_cost: float | Mapping[Hashable, float] = 0.0,
        must_move: bool = True,
        turn_order: Sequence[Hashable] | None = None,
        discount: float = 1.0,
        fall_criterion: str = "fallen",
    ) -> None:
        if not isinstance(tower, Tower):
            raise InvalidGameError(
                f"tower must be a jenga_games.tower.Tower, got {type(tower).__name__}"
            )
        self.tower = tower
        self.players = self._players(players)
        self._pindex = {p: i for i, p in enumerate(self.players)}
        m, n = len(self.players), len(tower)
        if n == 0:
            raise InvalidGameError("the tower has no blocks: there is nothing to play")
        if fall_criterion not in _CRITERIA:
            raise InvalidGameError(
                f"fall_criterion must be 'fallen' or 'collapsed', got {fall_criterion!r}"
            )
        self.fall_criterion = fall_criterion
        self.must_move = bool(must_move)
        self.discount = _number(discount, "discount")
        if not 0.0 < self.discount <= 1.0:
            raise InvalidGameError(f"discount must lie in (0, 1], got {discount!r}")
        self.eligible_matrix = self._eligible(eligible, m, n)
        self.gain_matrix = self._gains(gains, m, n)
        self.collapse_costs = self._per_player(collapse_cost, "collapse_cost")
        self.shared_costs = self._per_player(shared_collapse_cost, "shared_collapse_cost")
        if turn_order is None:
            self.turn_order = tuple(self.players)
        else:
            if isinstance(turn_order, str | bytes) or not isinstance(turn_order, Iterable):
                raise InvalidGameError(
                    f"turn_order must be a sequence of players, got {turn_order!r}"
                )
            self.turn_order = tuple(turn_order)
            if not self.turn_order:
                raise InvalidGameError(
                    "turn_order is empty: list the players in the order they move"
                )
            for p in self.turn_order:
                self._player_index(p, "turn_order")
            missing = [p for p in self.players if p not in self.turn_order]
            if missing:
                raise InvalidGameError(f"players {missing!r} never move: add them to turn_order")
        self.turn_players = np.array([self._pindex[p] for p in self.turn_order], dtype=np.int64)
        if self.must_move:
            idle = [p for i, p in enumerate(self.players) if not self.eligible_matrix[i].any()]
            if idle:
                raise InvalidGameError(
                    f"under must_move=True every player needs an eligible block; {idle!r} "
                    "have none: give them blocks in `eligible`, or set must_move=False"
                )
        out = tower.cascade()
        if out.fallen:
            raise InvalidGameError(
                f"the intact tower does not stand ({', '.join(map(repr, out.fell[:5]))} fall): "
                "check the tower with tower.validate() before playing on it"
            )
        if fall_criterion == "collapsed" and tower.providers and not tower.validate().monotone:
            raise InvalidGameError(
                "with fall_criterion='collapsed' on a tower with providers that is not monotone, "
                "what stands would depend on the order of removals, not only on the set removed; "
                "use fall_criterion='fallen' or make the tower monotone (see tower.validate())"
            )

    # -- validation helpers ------------------------------------------------------------
    @staticmethod
    def _players(players) -> tuple:
        if isinstance(players, bool):
            raise InvalidGameError(
                f"players must be a count or a sequence of names, got {players!r}"
            )
        if isinstance(players, int | np.integer):
            if players < 1:
                raise InvalidGameError(f"need at least one player, got {players!r}")
            if players > MAX_PLAYERS:  # refused before anything of size players^2 is built
                raise TooLargeError(
                    f"players={players:,}: the Jenga game handles at most {MAX_PLAYERS:,} "
                    "players (its tables grow with the square of the number of players); "
                    "group players into coalitions or sample plays instead"
                )
            return tuple(f"P{i + 1}" for i in range(int(players)))
        if isinstance(players, str | bytes) or not isinstance(players, Iterable):
            raise InvalidGameError(
                f"players must be a count or a sequence of names, got {players!r}"
            )
        names = tuple(itertools.islice(players, MAX_PLAYERS + 1))
        if len(names) > MAX_PLAYERS:
            raise TooLargeError(
                f"more than {MAX_PLAYERS:,} players: the Jenga game handles at most "
                f"{MAX_PLAYERS:,} (its tables grow with the square of the number of players)"
            )
        if not names:
            raise InvalidGameError("players is empty: name at least one player")
        if len(set(names)) != len(names):
            raise InvalidGameError(f"player names must be distinct, got {names!r}")
        return names

    def _player_index(self, p, where: str) -> int:
        try:
            return self._pindex[p]
        except (KeyError, TypeError):
            raise UnknownItemError(
                f"{where}: unknown player {p!r}; players are {list(self.players)!r}"
            ) from None

    def _block_index(self, b, where: str) -> int:
        try:
            return self.tower.index_of(b)
        except UnknownItemError as err:  # the tower's wording, said where
            raise UnknownItemError(f"{where}: {err}") from None

    def _eligible(self, eligible, m: int, n: int) -> np.ndarray:
        if eligible is None:
            return np.ones((m, n), dtype=bool)
        if not isinstance(eligible, Mapping):
            raise InvalidGameError(
                "eligible must be a mapping player -> blocks that player may remove"
            )
        E = np.zeros((m, n), dtype=bool)
        for p, blocks in eligible.items():
            i = self._player_index(p, "eligible")
            if isinstance(blocks, str | bytes) or not isinstance(blocks, Iterable):
                raise InvalidGameError(
                    f"eligible[{p!r}] must be a collection of blocks, got {blocks!r}; "
                    f"wrap a single block in a list"
                )
            for b in blocks:
                E[i, self._block_index(b, f"eligible[{p!r}]")] = True
        return E

    def _gain_row(self, mapping: Mapping, where: str, n: int) -> np.ndarray:
        row = np.zeros(n)
        for b, g in mapping.items():
            row[self._block_index(b, where)] = _number(g, f"{where}[{b!r}]")
        return row

    def _gains(self, gains, m: int, n: int) -> np.ndarray:
        if not isinstance(gains, Mapping):
            return np.full((m, n), _number(gains, "gains"))
        per_player = bool(gains) and all(isinstance(v, Mapping) for v in gains.values())
        if per_player:
            G = np.zeros((m, n))
            for p, row in gains.items():
                G[self._player_index(p, "gains")] = self._gain_row(row, f"gains[{p!r}]", n)
            return G
        return np.tile(self._gain_row(gains, "gains", n), (m, 1))

    def _per_player(self, value, what: str) -> np.ndarray:
        if isinstance(value, Mapping):
            out = np.zeros(len(self.players))
            for p, v in value.items():
                out[self._player_index(p, what)] = _number(v, f"{what}[{p!r}]", nonneg=True)
            return out
        return np.full(len(self.players), _number(value, what, nonneg=True))

    # -- derived ------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def n_blocks(self) -> int:
        return len(self.tower)

    @property
    def n_turns(self) -> int:
        """Length ``T`` of the turn cycle."""
        return len(self.turn_order)

    @cached_property
    def bits(self):
        """The tower as bit masks (see :mod:`._bitmask`)."""
        from ._bitmask import BitTower

        return BitTower.from_tower(self.tower)

    def __repr__(self) -> str:
        mode = "must move" if self.must_move else "may pass"
        return (
            f"JengaGame({self.n_blocks} blocks, players {list(self.players)!r}, {mode}, "
            f"discount {self.discount:g}, falls when {self.fall_criterion})"
        )

    # -- solvers (one-line delegations) ---------------------------------------------------
    def solve(self, tie_break: str = "first", *, max_states: int = 20_000_000):
        """Subgame-perfect equilibrium by backward induction over removal sets (see :mod:`._backward`)."""
        from ._backward import solve_spe

        return solve_spe(self, tie_break=tie_break, max_states=max_states)

    def cooperative(
        self,
        tie_break: str = "first",
        *,
        max_states: int = 20_000_000,
        welfare: str = "commissioners",
    ):
        """The play that maximises welfare: the players' total payoff or, with
        ``welfare="system"``, that total less the providers' contribution lost
        (see :mod:`._backward` and :mod:`._welfare`)."""
        from ._backward import solve_cooperative

        return solve_cooperative(self, tie_break=tie_break, max_states=max_states, welfare=welfare)

    def myopic(self, tie_break: str = "first", *, sees: str = "full"):
        """Each player takes the move with the largest immediate payoff it sees:
        ``sees="full"`` (the whole cascade), ``"clinical"`` (dependencies, not
        provider finances) or ``"direct"`` (direct dependants only); see :mod:`._myopic`."""
        from ._myopic import play_myopic

        return play_myopic(self, tie_break=tie_break, sees=sees)

    def sample(self, n_games: int = 1000, *, epsilon: float = 1.0, seed=None):
        """Monte Carlo plays: random (``epsilon=1``) or epsilon-myopic (see :mod:`._myopic`)."""
        from ._myopic import sample_plays

        return sample_plays(self, n_games=n_games, epsilon=epsilon, seed=seed)

    def prices(self, *, max_states: int = 20_000_000, welfare: str = "commissioners"):
        """Prices of anarchy and stability on a welfare measure (see :mod:`._prices`)."""
        from ._prices import prices

        return prices(self, max_states=max_states, welfare=welfare)

    def to_efg(self, path=None, *, title: str = "", max_nodes: int = 200_000) -> str:
        """The game tree as a Gambit ``.efg`` file (see :mod:`._efg`)."""
        from ._efg import write_efg

        return write_efg(self, path=path, title=title, max_nodes=max_nodes)

    # -- classic Jenga ------------------------------------------------------------------
    @classmethod
    def classic(
        cls,
        levels: int = 4,
        width: int = 3,
        players: int | Sequence[Hashable] = 2,
        *,
        protect_top: bool = True,
        **kwargs,
    ) -> JengaGame:
        """The children's game on ``classic_jenga(levels, width)``.

        ``protect_top=True`` follows the Jenga rule that blocks of the top
        level may not be taken: nothing is ever put back on top in this
        model, so without it the players could dismantle the tower from the
        top down and nobody would ever have to topple it.
        """
        from ...tower.library import classic_jenga

        tower = classic_jenga(levels=levels, width=width)
        names = cls._players(players)
        if protect_top:
            if levels < 2:
                raise InvalidGameError(
                    "protect_top needs at least 2 levels (the top one is not playable)"
                )
            blocks = [b for b in tower.ids if tower.service(b).layer < levels - 1]
            kwargs.setdefault("eligible", {p: blocks for p in names})
        return cls(tower, names, **kwargs)
