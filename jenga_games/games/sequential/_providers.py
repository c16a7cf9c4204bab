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
exactly by backward induction over the reachable states, vectorised over
layers of integer state codes (:meth:`ProviderGame.solve`), with what stands
precomputed for every subset of the movable services under every financial
configuration by one batched bit-mask cascade. Providers with no moves leave
the commissioners' game: :meth:`ProviderGame.solve` then equals
``JengaGame.solve()`` move for move.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Hashable, Iterable, Mapping

import numpy as np

from ..._results import Provenance, Result, to_plain
from ...errors import InvalidGameError, TooLargeError, UnknownItemError
from ...tolerance import TOL, geq
from ._backward import PAYOFFS_PER_STATE
from ._payoff import move_payoff

__all__ = ["ProviderGame", "ProviderMoves", "ProviderPlay"]

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
        self._contrib = game.tower.compiled.flow  # a (p − c), the compiled money rule
        self._full_margin = game.tower.compiled.full_margin  # a (p − c) − f
        prov_of = game.tower.compiled.provider
        self._owner = np.full(len(tower), -1, dtype=int)  # acting-provider index per service
        for a, j in enumerate(self._prov_tower_index.tolist()):
            self._owner[prov_of == j] = a
        # immediate payoffs (falls = False / True) of removals and closures, from the one payoff rule
        n_pl = m + k
        self._moves_of = []
        for p in range(m):
            row = []
            for b in np.flatnonzero(game.eligible_matrix[p]).tolist():
                base = {}
                for falls in (False, True):
                    r = np.zeros(n_pl)
                    r[:m] = move_payoff(game, p, b, falls)
                    if self._owner[b] >= 0:
                        r[m + self._owner[b]] -= self._full_margin[b]
                    base[falls] = r
                row.append((b, base))
            self._moves_of.append(row)
        self._closes_of = []
        for a, prov in enumerate(self.providers):
            row = []
            for b in self.closable.get(prov, ()):
                base = {}
                for falls in (False, True):
                    r = np.zeros(n_pl)
                    r[m + a] -= self._full_margin[b]
                    if falls:
                        r[:m] = -game.shared_costs
                    base[falls] = r
                row.append((b, base))
            self._closes_of.append(row)

    # -- the tower under every financial configuration ------------------------------------------
    def _config(self, restructured: int, accepted: int):
        """What stands, and whether the game has ended, for every subset of the movable services.

        Computed once for every configuration ``(restructured, accepted)`` a
        play can reach, in one batched cascade (``BitTower.cascade_masks`` with a
        ``balance_shift`` per row):
        restructuring raises provider ``j``'s balance by ``s_j`` (its overhead
        falls), accepted funding by ``τ_j`` (its reserves rise).
        """
        if not self._configs:
            self._all_configs()
        return self._configs[(restructured, accepted)]

    def _all_configs(self) -> None:
        tower, bits = self.game.tower, self.game.bits
        keys = [(0, 0)]
        for a, p in enumerate(self.providers):  # accepting funding obliges restructuring
            states = [(0, 0)]
            if p in self.restructure:
                states.append((1, 0))
            if p in self.funding:
                states.append((1, 1) if p in self.restructure else (0, 1))
            keys = [(R | r << a, A | f << a) for R, A in keys for r, f in states]
        u = len(self.universe)
        ks = np.arange(1 << u, dtype=np.uint64)
        masks = np.zeros(1 << u, dtype=np.uint64)
        for i, b in enumerate(self.universe):
            masks |= ((ks >> np.uint64(i)) & np.uint64(1)) << np.uint64(b)
        scale0 = bits.prov_scale
        shifts = np.zeros((len(keys), len(scale0)))
        for row, (R, A) in enumerate(keys):
            for a, p in enumerate(self.providers):
                j = self._prov_tower_index[a]
                if R >> a & 1:  # overhead F - s: balance + s, tolerance scale max(1, F - s)
                    saving = self.restructure[p][1]
                    scale = max(1.0, tower.providers[p].overhead - saving)
                    shifts[row, j] += saving + TOL * (scale - scale0[j])
                if A >> a & 1:  # reserves R + τ
                    shifts[row, j] += self.funding[p]
        if len(keys) == 1:
            standing, fallen, collapsed = bits.cascade_masks(masks)
        else:  # every configuration in one batch, its balances shifted row by row
            standing, fallen, collapsed = bits.cascade_masks(
                np.tile(masks, len(keys)), balance_shift=np.repeat(shifts, masks.size, axis=0)
            )
        ends = fallen if self.game.fall_criterion == "fallen" else collapsed
        k = self.k
        self._cfg_row = np.full(1 << (2 * k), -1, dtype=np.int64)
        for row, (R, A) in enumerate(keys):
            self._cfg_row[R | A << k] = row
        self._st_table = standing.reshape(len(keys), masks.size)
        self._ends_table = ends.reshape(len(keys), masks.size)
        for row, key in enumerate(keys):
            self._configs[key] = (self._st_table[row], self._ends_table[row])

    def _stand(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standing mask and "the game has ended" for each state code."""
        if not self._configs:
            self._all_configs()
        u, k = len(self.universe), self.k
        kk = codes & ((1 << u) - 1)
        low = (1 << k) - 1
        row = self._cfg_row[(codes >> u) & low | ((codes >> (u + 2 * k)) & low) << k]
        return self._st_table[row, kk], self._ends_table[row, kk]

    # -- the solver ------------------------------------------------------------------------------
    def _enumerate(self) -> list[np.ndarray]:
        """Reachable state codes by progress ``|S| + |restructured| + |offered|``.

        A state code packs the removal set (bits ``0..u-1`` of the movable
        universe), the restructured, offered and accepted providers (``k``
        bits each, from bit ``u``). Every position in the turn order gets a
        move from every code (a cycle of passes reaches it), so a code's
        successors are: each standing movable service removed (unless the
        game ends), each restructuring not yet made, each offer not yet made
        (refused, or accepted).
        """
        u, k = len(self.universe), self.k
        sR, sO, sA = u, u + k, u + 2 * k
        restr = [int(p in self.restructure) for p in self.providers]
        funded = [int(p in self.funding) for p in self.providers]
        top = u + 2 * k
        pending: list[list[np.ndarray]] = [[] for _ in range(top + 3)]
        pending[0].append(np.zeros(1, dtype=np.int64))
        levels = []
        for ell in range(top + 1):
            if not pending[ell]:
                levels.append(np.zeros(0, dtype=np.int64))
                continue
            X = np.unique(np.concatenate(pending[ell]))
            levels.append(X)
            standing, _ = self._stand(X)
            for i, b in enumerate(self.universe):
                has = (standing & np.uint64(1 << b)) != 0
                cand = X[has & ((X >> i) & 1 == 0)] | (1 << i)
                if cand.size:
                    _, ends = self._stand(cand)
                    pending[ell + 1].append(cand[~ends])
            for a in range(k):
                if restr[a]:
                    pending[ell + 1].append(X[(X >> (sR + a)) & 1 == 0] | (1 << (sR + a)))
                if funded[a]:
                    new = X[(X >> (sO + a)) & 1 == 0]
                    pending[ell + 1].append(new | (1 << (sO + a)))
                    acc = new | (1 << (sO + a)) | (1 << (sA + a))
                    if restr[a]:
                        fresh = (acc >> (sR + a)) & 1 == 0
                        pending[ell + 2].append(acc[fresh] | (1 << (sR + a)))
                        acc = acc[~fresh]
                    pending[ell + 1].append(acc)
        return levels

    def solve(self, max_states: int = 20_000_000) -> ProviderPlay:
        """Subgame-perfect equilibrium by backward induction (ties: the first best move).

        The states are ``(code, j, c)``: the state code (removal set and the
        providers' restructured/offered/accepted sets, see :meth:`_enumerate`),
        the turn position ``j`` and the passes in a row ``c``. Every action
        but a pass raises the progress ``|S| + |restructured| + |offered|``,
        so the induction runs over the progress layers from the last to the
        first, vectorised over the codes of a layer; inside a layer it runs
        over ``c`` from ``T − 1`` down (a pass from ``(j, c)`` leads to
        ``(j + 1, c + 1)``). For mover ``q`` the value vector of an action is
        its immediate payoff plus ``δ`` times the successor's value, and
        ``q`` takes the first action within ``TOL`` of its best
        (``tolerance.geq``); a provider answers an offer by accepting unless
        refusing is better for it.

        Parameters
        ----------
        max_states : int
            Stop with :class:`~jenga_games.errors.TooLargeError` when more
            states than this would be solved (about 8 bytes a state per player),
            or when the payoff table (states × players) would hold more than
            ``4·max_states`` payoffs (as :meth:`JengaGame.solve`).
        """
        t0 = time.perf_counter()
        game, m, k = self.game, self.m, self.k
        u = len(self.universe)
        if u + 3 * k > 62:
            raise TooLargeError(
                f"{u} movable services and {k} acting providers do not fit the 63-bit state code "
                "(u + 3k <= 62): let fewer providers act or make fewer services eligible"
            )
        T = game.n_turns + k
        nP = m + k
        delta = game.discount
        sR, sO, sA = u, u + k, u + 2 * k
        levels = self._enumerate()
        codes = np.sort(np.concatenate(levels))
        N = codes.size
        if N * T * T > max_states:
            raise TooLargeError(
                f"the provider game has {N:,} reachable configurations x {T * T} turn/pass "
                f"positions = {N * T * T:,} states, more than max_states={max_states:,}: raise "
                "max_states if memory allows (8 bytes a state per player) or give fewer moves"
            )
        if N * T * T * nP > PAYOFFS_PER_STATE * max_states:  # the payoff table, one per player
            raise TooLargeError(
                f"the provider game's payoff table would hold {N * T * T:,} states x {nP} "
                f"players = {N * T * T * nP:,} payoffs ({N * T * T * nP * 8 / 1e9:.3g} GB), more "
                f"than the {PAYOFFS_PER_STATE}·max_states = {PAYOFFS_PER_STATE * max_states:,} "
                f"that max_states={max_states:,} allows: use fewer commissioners or acting "
                "providers, give fewer moves, or raise max_states if memory allows"
            )
        V = np.zeros((N, T, T, nP))
        choice = np.zeros((N, T, T), dtype=np.int16)
        answer = np.zeros((N, T, max(k, 1)), dtype=bool)
        acts = self._actions(T)
        contrib, owner = self._contrib, self._owner
        lost_of = np.flatnonzero(owner >= 0).tolist()  # services of acting providers
        lost_of_matrix = np.zeros((len(owner), k))  # contribution a provider loses when one falls
        for s in lost_of:
            lost_of_matrix[s, owner[s]] = contrib[s]
        turn_players = [int(x) for x in game.turn_players]
        n_c = game.n_turns

        def lookup(c2: np.ndarray) -> np.ndarray:
            return np.minimum(np.searchsorted(codes, c2), N - 1)

        for X in reversed(levels):
            n = X.size
            if not n:
                continue
            idx = np.searchsorted(codes, X)
            standing, _ = self._stand(X)
            R = (X >> sR) & ((1 << k) - 1) if k else np.zeros(n, dtype=np.int64)
            removal: dict = {}  # service -> (valid, ends, losses per acting provider, successor)

            def removal_of(b, X=X, standing=standing, removal=removal):
                if b not in removal:
                    i = self._pos[b]
                    bb = np.uint64(1 << b)
                    valid = (standing & bb) != 0
                    c2 = X | (1 << i)
                    st2, ends2 = self._stand(c2)
                    gone = np.where(valid, standing & ~st2 & ~bb, np.uint64(0))
                    some = int(np.bitwise_or.reduce(gone)) if gone.size else 0
                    fell = [s for s in lost_of if some >> s & 1]
                    if fell:  # contribution lost by each acting provider: fallen bits @ contrib
                        bits = (gone[:, None] >> np.array(fell, dtype=np.uint64)) & np.uint64(1)
                        losses = bits.astype(float) @ lost_of_matrix[fell]
                    else:
                        losses = None
                    removal[b] = (valid, ends2 & valid, losses, lookup(c2))
                return removal[b]

            def removal_value(b, base, j1, removal_of=removal_of):
                valid, ends2, losses, nxt = removal_of(b)
                r = np.where(ends2[:, None], base[True][None, :], base[False][None, :])
                if losses is not None:
                    r[:, m:] -= losses
                cont = V[nxt, j1, 0]
                return valid, np.where(ends2[:, None], r, r + delta * cont)

            fixed = []  # per position j: (mover, valid (n, o), values (n, o, nP))
            for j in range(T):
                j1 = (j + 1) % T
                valids, vals = [], []
                if j < n_c:
                    p = mover = turn_players[j]
                    for b, base in self._moves_of[p]:
                        v, q = removal_value(b, base, j1)
                        valids.append(v)
                        vals.append(q)
                    for a, prov in enumerate(self.providers):
                        if prov not in self.funding:
                            continue
                        tau = self.funding[prov]
                        free = (X >> (sO + a)) & 1 == 0
                        refuse = delta * V[lookup(X | (1 << (sO + a))), j1, 0]
                        fresh = np.zeros(n, dtype=bool)
                        if prov in self.restructure:
                            fresh = (R >> a) & 1 == 0
                        acc = X | (1 << (sO + a)) | (1 << (sA + a))
                        acc = np.where(fresh, acc | (1 << (sR + a)), acc)
                        r = np.zeros((n, nP))
                        r[:, p] = -tau
                        if prov in self.restructure:
                            cost, saving = self.restructure[prov]
                            r[:, m + a] = np.where(fresh, tau + (saving - cost), tau)
                        else:
                            r[:, m + a] = tau
                        accept = r + delta * V[lookup(acc), j1, 0]
                        yes = geq(accept[:, m + a], refuse[:, m + a])
                        answer[idx, j, a] = yes
                        valids.append(free)
                        vals.append(np.where(yes[:, None], accept, refuse))
                else:
                    a = j - n_c
                    mover = m + a
                    prov = self.providers[a]
                    for b, base in self._closes_of[a]:
                        v, q = removal_value(b, base, j1)
                        valids.append(v)
                        vals.append(q)
                    if prov in self.restructure:
                        cost, saving = self.restructure[prov]
                        free = (R >> a) & 1 == 0
                        r = np.zeros(nP)
                        r[mover] = saving - cost
                        cont = V[lookup(X | (1 << (sR + a))), j1, 0]
                        valids.append(free)
                        vals.append(r[None, :] + delta * cont)
                fixed.append((mover, valids, vals))
            for c in range(T - 1, -1, -1):
                for j in range(T):
                    mover, valids, vals = fixed[j]
                    j1 = (j + 1) % T
                    if c + 1 < T:
                        pas = delta * V[idx, j1, c + 1]
                    else:
                        pas = np.zeros((n, nP))
                    full = np.stack([*vals, pas], axis=1)
                    ok = np.stack([*valids, np.ones(n, dtype=bool)], axis=1)
                    obj = np.where(ok, full[:, :, mover], -np.inf)
                    best = obj.max(axis=1)
                    floor = best - TOL * np.maximum(1.0, np.abs(best))  # tolerance.geq
                    first = np.argmax(obj >= floor[:, None], axis=1)
                    V[idx, j, c] = full[np.arange(n), first]
                    choice[idx, j, c] = first
        return self._replay(codes, V, choice, answer, acts, T, time.perf_counter() - t0)

    def _actions(self, T: int) -> list[list]:
        """The actions at each turn position, in the solver's order (the last is the pass)."""
        out = []
        for j in range(T):
            if j < self.game.n_turns:
                p = int(self.game.turn_players[j])
                row = [("remove", b) for b, _ in self._moves_of[p]]
                row += [("offer", a) for a, q in enumerate(self.providers) if q in self.funding]
            else:
                a = j - self.game.n_turns
                row = [("close", b) for b, _ in self._closes_of[a]]
                if self.providers[a] in self.restructure:
                    row.append(("restructure", a))
            row.append(None)
            out.append(row)
        return out

    def _replay(self, codes, V, choice, answer, acts, T, seconds) -> ProviderPlay:
        game, u, k = self.game, len(self.universe), self.k
        sR, sO, sA = u, u + k, u + 2 * k
        ids = game.tower.ids
        code, j, c = 0, 0, 0
        path, removed = [], []
        restructured, funded = [], []
        fell, toppler, t = False, None, 0
        while True:
            i = int(np.searchsorted(codes, code))
            act = acts[j][int(choice[i, j, c])]
            mover = (
                game.players[int(game.turn_players[j])]
                if j < game.n_turns
                else self.providers[j - game.n_turns]
            )
            j1 = (j + 1) % T
            if act is None:
                path.append((t, mover, None))
                if c + 1 == T:
                    break
                j, c = j1, c + 1
            elif act[0] in ("remove", "close"):
                b = act[1]
                path.append((t, mover, (act[0], ids[b])))
                removed.append(ids[b])
                code |= 1 << self._pos[b]
                if self._stand(np.array([code], dtype=np.int64))[1][0]:
                    fell, toppler = True, mover
                    break
                j, c = j1, 0
            elif act[0] == "restructure":
                path.append((t, mover, ("restructure",)))
                restructured.append(mover)
                code |= 1 << (sR + act[1])
                j, c = j1, 0
            else:  # an offer, answered at once
                a = act[1]
                prov = self.providers[a]
                yes = bool(answer[i, j, a])
                path.append((t, mover, ("offer", prov, "accept" if yes else "refuse")))
                code |= 1 << (sO + a)
                if yes:
                    funded.append(prov)
                    code |= 1 << (sA + a)
                    if prov in self.restructure and not code >> (sR + a) & 1:
                        restructured.append(prov)
                        code |= 1 << (sR + a)
                j, c = j1, 0
            t += 1
        v0 = V[int(np.searchsorted(codes, 0)), 0, 0]
        payoffs = {p: float(v0[i]) for i, p in enumerate(self.players)}
        return ProviderPlay(
            path=tuple(path),
            payoffs=payoffs,
            fell=fell,
            toppled_by=toppler,
            removed=tuple(removed),
            restructured=tuple(restructured),
            funded=tuple(funded),
            n_states=int(codes.size * T * T),
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
