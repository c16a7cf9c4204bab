"""Providers at the table: the Jenga game in which providers act too (issue #15).

The commissioners play :class:`~._game.JengaGame` (passing allowed). Some
providers also move; what each may do is a :class:`ProviderMoves`:

* **restructure** (provider ``j``, once): pay a one-off cost ``κ_j`` to cut its
  fixed overhead ``F_j`` by ``s_j`` a year, so its balance ``Σ margins + R − F``
  (DESIGN §1) rises by ``s_j``;
* **orderly closure** (provider ``j``, any of its ``close`` services that stands):
  the service leaves as planned, so its fixed cost is saved instead of
  stranded (its balance changes by ``−(a(p − c) − f)``); its dependants may
  fall, which ends the game like a toppling removal (the commissioners then
  pay the shared cost ``K``; a provider pays no ``C``);
* **transitional funding**: at its turn a commissioner may offer provider ``j``
  the amount ``τ_j`` (once per provider); the provider at once **accepts or
  refuses**. Accepting adds ``τ_j`` to its reserves and, when ``j`` may
  restructure and has not, obliges it to restructure now (the funding buys
  the restructuring). The offering commissioner pays ``τ_j``.

A provider's payoff is the change in its balance (£ m; restructuring's cost
is one-off, its saving a year — an assumption that puts both on one scale):
``−(a(p − c) − f)`` for each of its services removed as planned (by anyone),
``−a(p − c)`` for each that falls unplanned (its fixed cost is stranded),
``s_j − κ_j`` for restructuring and ``+τ_j`` for funding accepted. Payoffs at
turn ``t`` count ``δ^t``; an answer to an offer takes no turn.

Turns: the commissioners' ``turn_order``, then each acting provider once, in
``ProviderMoves`` order; the game ends when the tower falls or after a full
cycle of passes. The state is the removal set, the restructured providers,
the offers made and accepted, the turn and the passes in a row; it is solved
exactly by backward induction over the reachable states (memoised), with
what stands precomputed for every subset of the movable services under each
financial configuration by the bit-mask cascade. Providers with no moves leave
the commissioners' game: :meth:`ProviderGame.solve` then equals
``JengaGame.solve()`` move for move.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from collections.abc import Hashable, Iterable, Mapping

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...errors import InvalidGameError, TooLargeError, UnknownItemError
from ...tolerance import TOL, geq
from ._bitmask import BitTower
from ._payoff import move_payoff

__all__ = ["ProviderGame", "ProviderMoves", "ProviderPlay"]

_VALUED = object()  # an option whose vector already includes its continuation

#: At most this many services may be moved or closed (2^u subsets are precomputed).
MAX_MOVABLE = 18


@dataclasses.dataclass(frozen=True)
class ProviderMoves:
    """What providers may do (module docstring); money in £ m.

    Attributes
    ----------
    restructure : mapping provider -> (one-off cost κ, yearly saving s)
    close : mapping provider -> services it may close in an orderly way
    funding : mapping provider -> amount τ a commissioner may offer it
    """

    restructure: Mapping[Hashable, tuple[float, float]] = dataclasses.field(default_factory=dict)
    close: Mapping[Hashable, Iterable[Hashable]] = dataclasses.field(default_factory=dict)
    funding: Mapping[Hashable, float] = dataclasses.field(default_factory=dict)

    def acting(self, tower) -> tuple:
        """Providers with a move of their own or an offer to answer, in tower order."""
        named = set(self.restructure) | set(self.close) | set(self.funding)
        for p in named:
            if p not in tower.providers:
                raise UnknownItemError(
                    f"ProviderMoves names provider {p!r}; the tower's providers are "
                    f"{list(tower.providers)!r}"
                )
        return tuple(p for p in tower.providers if p in named)


@dataclasses.dataclass(frozen=True)
class ProviderPlay(Result):
    """The subgame-perfect play of a :class:`ProviderGame`.

    Attributes
    ----------
    path : tuple of (turn, player, action)
        ``action`` is ``("remove", block)``, ``("close", block)``, ``("restructure",)``,
        ``("offer", provider)``, ``("accept", amount)``, ``("refuse", amount)`` or ``None`` (pass).
    payoffs : mapping player -> float
        Commissioners' discounted payoffs and acting providers' balance changes (£ m).
    fell : bool
    toppled_by : player or None
    removed : tuple
        Services removed or closed, in order.
    restructured, funded : tuple
        Providers that restructured; providers that accepted funding.
    n_states : int
        States of the extended game the solver visited.
    seconds : float
        Wall time of the solve.
    """

    path: tuple
    payoffs: Mapping
    fell: bool
    toppled_by: Hashable | None
    removed: tuple
    restructured: tuple
    funded: tuple
    n_states: int
    seconds: float
    provenance: Provenance

    def to_dict(self) -> dict:
        return {
            k: to_plain(getattr(self, k))
            for k in (
                "path",
                "payoffs",
                "fell",
                "toppled_by",
                "removed",
                "restructured",
                "funded",
                "n_states",
                "seconds",
                "provenance",
            )
        }


def _number(x, what: str, nonneg: bool = True) -> float:
    from ..._checks import finite_float

    return finite_float(x, what, InvalidGameError, nonneg=nonneg)


class ProviderGame:
    """The Jenga game with providers who act (module docstring).

    Parameters
    ----------
    game : JengaGame
        The commissioners' game; passing must be allowed (``must_move=False``).
    moves : ProviderMoves

    Examples
    --------
    >>> from jenga_games.commissioning import commissioning_game
    >>> g = commissioning_game()
    >>> ProviderGame(g, ProviderMoves()).solve().fell == g.solve().fell
    True
    """

    def __init__(self, game, moves: ProviderMoves | None = None) -> None:
        if game.must_move:
            raise InvalidGameError(
                "ProviderGame needs passing allowed (must_move=False): providers and "
                "commissioners may always wait"
            )
        moves = moves or ProviderMoves()
        self.game, self.moves = game, moves
        tower = game.tower
        self.providers = moves.acting(tower)
        m, k = game.n_players, len(self.providers)
        clash = [p for p in self.providers if p in game.players]
        if clash:
            raise InvalidGameError(
                f"{clash!r} name both a commissioner and an acting provider: rename the "
                "commissioners (JengaGame players) so every player has its own name"
            )
        self.m, self.k = m, k
        self.players = (*game.players, *self.providers)
        pidx = {p: i for i, p in enumerate(tower.providers)}
        self._prov_tower_index = np.array([pidx[p] for p in self.providers], dtype=int)
        # options
        self.restructure = {}
        for p, v in moves.restructure.items():
            try:
                cost, saving = v
            except (TypeError, ValueError):
                raise InvalidGameError(
                    f"restructure[{p!r}] must be (one-off cost, yearly saving), got {v!r}"
                ) from None
            saving = _number(saving, f"restructure[{p!r}] saving")
            if saving > tower.providers[p].overhead:
                raise InvalidGameError(
                    f"restructure[{p!r}] saves {saving} a year, more than the provider's overhead "
                    f"{tower.providers[p].overhead}: give a saving at most its overhead"
                )
            self.restructure[p] = (_number(cost, f"restructure[{p!r}] cost"), saving)
        self.funding = {p: _number(v, f"funding[{p!r}]") for p, v in moves.funding.items()}
        self.closable: dict = {}
        for p, blocks in moves.close.items():
            if isinstance(blocks, str | bytes):
                raise InvalidGameError(f"close[{p!r}] must be a collection of services")
            idx = []
            for b in blocks:
                i = game._block_index(b, f"close[{p!r}]")
                if tower.services[tower.ids[i]].provider != p:
                    raise InvalidGameError(
                        f"close[{p!r}] names {b!r}, which {p!r} does not run: a provider may "
                        "close only its own services"
                    )
                idx.append(i)
            self.closable[p] = tuple(sorted(idx))
        # the movable services (commissioners' or closable) as a compact universe of bits
        movable = set(np.flatnonzero(game.eligible_matrix.any(axis=0)).tolist())
        for idx in self.closable.values():
            movable.update(idx)
        self.universe = tuple(sorted(movable))
        if len(self.universe) > MAX_MOVABLE:
            raise TooLargeError(
                f"{len(self.universe)} services may be moved or closed; the provider game "
                f"precomputes every subset and handles at most {MAX_MOVABLE}: make fewer eligible"
            )
        self._pos = {b: i for i, b in enumerate(self.universe)}
        self._configs: dict = {}
        contrib = game.tower.compiled.activity * game.tower.compiled.unit_margin
        self._contrib = contrib
        self._full_margin = contrib - game.tower.compiled.fixed_cost
        prov_of = game.tower.compiled.provider
        self._owner = np.full(len(tower), -1, dtype=int)  # acting-provider index per service
        for a, j in enumerate(self._prov_tower_index.tolist()):
            self._owner[prov_of == j] = a

    # -- the tower under one financial configuration -------------------------------------------
    def _config(self, restructured: int, accepted: int):
        key = (restructured, accepted)
        if key not in self._configs:
            tower = self.game.tower
            changes: dict = {}
            for a, p in enumerate(self.providers):
                prov = tower.providers[p]
                ch = {}
                if restructured >> a & 1:
                    ch["overhead"] = prov.overhead - self.restructure[p][1]
                if accepted >> a & 1:
                    ch["reserves"] = prov.reserves + self.funding[p]
                if ch:
                    changes[p] = ch
            t = tower.replace(providers=changes) if changes else tower
            bt = BitTower.from_tower(t) if changes else self.game.bits
            u = len(self.universe)
            ks = np.arange(1 << u, dtype=np.uint64)
            masks = np.zeros(1 << u, dtype=np.uint64)
            for i, b in enumerate(self.universe):
                masks |= ((ks >> np.uint64(i)) & np.uint64(1)) << np.uint64(b)
            standing, fallen, collapsed = bt.cascade_masks(masks)
            ends = fallen if self.game.fall_criterion == "fallen" else collapsed
            self._configs[key] = (standing.tolist(), ends.tolist())
        return self._configs[key]

    # -- the solver ------------------------------------------------------------------------------
    def solve(self) -> ProviderPlay:
        """Subgame-perfect equilibrium by backward induction (ties: the first best move)."""
        t0 = time.perf_counter()
        game, m, k = self.game, self.m, self.k
        T = game.n_turns + k
        delta = game.discount
        ids = game.tower.ids
        n_c = game.n_turns
        turn_players = [int(x) for x in game.turn_players]
        contrib = self._contrib.tolist()
        fullm = self._full_margin.tolist()
        owner = self._owner.tolist()
        pos = self._pos
        K = game.shared_costs.tolist()
        nplayers = m + k
        # immediate payoffs of the commissioners' removals, from the one payoff rule
        moves_of = []
        for p in range(m):
            row = []
            for b in np.flatnonzero(game.eligible_matrix[p]).tolist():
                base = {}
                for falls in (False, True):
                    r = [0.0] * nplayers
                    r[:m] = move_payoff(game, p, b, falls).tolist()
                    if owner[b] >= 0:
                        r[m + owner[b]] -= fullm[b]
                    base[falls] = r
                row.append((b, 1 << b, 1 << pos[b], base))
            moves_of.append(row)
        closes_of = []
        for a, prov in enumerate(self.providers):
            row = []
            for b in self.closable.get(prov, ()):
                base = {}
                for falls in (False, True):
                    r = [0.0] * nplayers
                    r[m + a] -= fullm[b]
                    if falls:
                        r[:m] = [-x for x in K]
                    base[falls] = r
                row.append((b, 1 << b, 1 << pos[b], base))
            closes_of.append(row)
        zero = [0.0] * nplayers
        memo: dict = {}

        lost_cache: dict = {}

        def with_losses(r: list, before: int, after: int, removed_bit: int) -> list:
            gone = before & ~after & ~removed_bit
            if not gone:
                return r
            key = (id(r), gone)
            hit = lost_cache.get(key)
            if hit is not None:
                return hit
            r = r.copy()
            lost_cache[key] = r
            while gone:
                low = gone & -gone
                i = low.bit_length() - 1
                gone ^= low
                a = owner[i]
                if a >= 0:
                    r[m + a] -= contrib[i]
            return r

        def value(kk: int, R: int, Off: int, A: int, j: int, c: int):
            key = (kk, R, Off, A, j, c)
            hit = memo.get(key)
            if hit is not None:
                return hit
            standing_list, ends_list = self._config(R, A)
            standing = standing_list[kk]
            jn = (j + 1) % T
            options = []  # (vector, action, continuation key | None | _VALUED)
            if j < n_c:
                mover = p = turn_players[j]
                for b, bb, ub, base in moves_of[p]:
                    if not standing & bb:
                        continue
                    k2 = kk | ub
                    falls = ends_list[k2]
                    r = with_losses(base[falls], standing, standing_list[k2], bb)
                    nxt = None if falls else (k2, R, Off, A, jn, 0)
                    options.append((r, ("remove", ids[b]), nxt))
                for a, prov in enumerate(self.providers):
                    if prov in self.funding and not Off >> a & 1:
                        options.append(self._offer(p, a, prov, kk, R, Off, A, jn, value))
            else:
                a = j - n_c
                mover = m + a
                for b, bb, ub, base in closes_of[a]:
                    if not standing & bb:
                        continue
                    k2 = kk | ub
                    falls = ends_list[k2]
                    r = with_losses(base[falls], standing, standing_list[k2], bb)
                    nxt = None if falls else (k2, R, Off, A, jn, 0)
                    options.append((r, ("close", ids[b]), nxt))
                prov = self.providers[a]
                if prov in self.restructure and not R >> a & 1:
                    cost, saving = self.restructure[prov]
                    r = zero.copy()
                    r[mover] += saving - cost
                    options.append((r, ("restructure",), (kk, R | 1 << a, Off, A, jn, 0)))
            options.append((zero, None, (kk, R, Off, A, jn, c + 1) if c + 1 < T else None))
            best_i, best_v, best = -1, None, -math.inf
            vecs = []
            for r, _, nxt in options:
                if nxt is None or nxt is _VALUED:
                    v = r
                else:
                    cont = value(*nxt)[0]
                    v = [x + delta * y for x, y in zip(r, cont, strict=True)]
                vecs.append(v)
                if v[mover] > best:
                    best = v[mover]
            floor = best - TOL * max(1.0, abs(best))  # tolerance.geq, inlined
            for i, v in enumerate(vecs):  # the first move within tolerance of the best
                if v[mover] >= floor:
                    best_i, best_v = i, v
                    break
            out = (best_v, options[best_i][1], options[best_i][2])
            memo[key] = out
            return out

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            value(0, 0, 0, 0, 0, 0)
        finally:
            sys.setrecursionlimit(limit)
        return self._replay(memo, T, time.perf_counter() - t0)

    def _offer(self, p, a, prov, kk, R, Off, A, jn, value):
        """Commissioner ``p`` offers ``τ`` to provider ``a``; the provider answers at once."""
        m, delta = self.m, self.game.discount
        tau = self.funding[prov]
        refuse = [delta * y for y in value(kk, R, Off | 1 << a, A, jn, 0)[0]]
        r = [0.0] * (m + self.k)
        r[p] -= tau
        r[m + a] += tau
        R2 = R
        if prov in self.restructure and not R >> a & 1:
            cost, saving = self.restructure[prov]
            r[m + a] += saving - cost
            R2 = R | 1 << a
        cont = value(kk, R2, Off | 1 << a, A | 1 << a, jn, 0)[0]
        accept = [x + delta * y for x, y in zip(r, cont, strict=True)]
        # the provider answers: it accepts unless refusing is better for it
        if geq(accept[m + a], refuse[m + a]):
            return (accept, ("offer", prov, "accept"), _VALUED)
        return (refuse, ("offer", prov, "refuse"), _VALUED)

    def _replay(self, memo, T, seconds) -> ProviderPlay:
        game = self.game
        state = (0, 0, 0, 0, 0, 0)
        path, removed = [], []
        restructured, funded = [], []
        fell, toppler, t = False, None, 0
        while state is not None:
            _, action, nxt = memo[state]
            kk, R, Off, A, j, _ = state
            mover = (
                game.players[int(game.turn_players[j])]
                if j < game.n_turns
                else self.providers[j - game.n_turns]
            )
            path.append((t, mover, action))
            if action is not None and action[0] in ("remove", "close") and nxt is None:
                fell, toppler = True, mover
            if action is not None and action[0] in ("remove", "close"):
                removed.append(action[1])
            if action is not None and action[0] == "restructure":
                restructured.append(mover)
            if action is not None and action[0] == "offer":
                a = self.providers.index(action[1])
                if action[2] == "accept":
                    funded.append(action[1])
                    if action[1] in self.restructure and not R >> a & 1:
                        restructured.append(action[1])
                    R2 = R | 1 << a if action[1] in self.restructure else R
                    nxt = (kk, R2, Off | 1 << a, A | 1 << a, (j + 1) % T, 0)
                else:
                    nxt = (kk, R, Off | 1 << a, A, (j + 1) % T, 0)
            state = nxt
            t += 1
        v0 = memo[(0, 0, 0, 0, 0, 0)][0]
        payoffs = {p: float(v0[i]) for i, p in enumerate(self.players)}
        return ProviderPlay(
            path=tuple(path),
            payoffs=payoffs,
            fell=fell,
            toppled_by=toppler,
            removed=tuple(removed),
            restructured=tuple(restructured),
            funded=tuple(funded),
            n_states=len(memo),
            seconds=seconds,
            provenance=Provenance(
                "provider_game",
                {
                    "providers": list(self.providers),
                    "restructure": {str(k): list(v) for k, v in self.restructure.items()},
                    "funding": {str(k): v for k, v in self.funding.items()},
                    "close": {
                        str(k): [game.tower.ids[i] for i in v] for k, v in self.closable.items()
                    },
                },
            ),
        )
