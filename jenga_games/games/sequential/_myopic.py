"""Forward play without look-ahead: myopic play and Monte Carlo plays.

*Myopic play*: at each turn the mover takes the action with the largest
immediate payoff ``r_p(a)``: ``g_{p b}`` for a removal, ``g_{p b} − C_p − K_p``
when that removal itself makes the tower fall, ``0`` for a pass; ties are
broken by the same rules as :func:`~._backward.solve_spe` on the immediate
payoff vectors. Every candidate is checked with ``tower.cascade`` (no size
limit beyond the cascade's), so it runs on towers far beyond the exact solver.

*What the myopic player sees* (``sees``): the mover judges the immediate
payoff of each move by what it believes will fall, while the tower falls by
its real rules [Simon1955]_:

* ``"full"`` — full foresight of the cascade one move ahead: every support
  rule and every provider's finances (the default; the greedy player);
* ``"clinical"`` — the clinical dependencies of the whole tower (support rules,
  criticality) but not the providers' finances: a provider failure is a
  surprise;
* ``"direct"`` — only the direct dependants of the service it moves: one round
  of the support rules, no finances, no knock-on falls.

Payoffs are always those of the real play. The information-limited types need
the tower as bit masks (at most 63 services).

*Sampled play* mixes it with uniform random moves (``epsilon``), seeded.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..._results import Provenance
from ..._rng import make_rng
from ...errors import InvalidGameError, TooLargeError
from ...tolerance import geq
from ._backward import TIE_BREAKS
from ._bitmask import MAX_BITS
from ._payoff import move_payoff, turn_weight
from ._results import JengaPlay, Move, SampledPlay
from ._welfare import play_welfare

__all__ = ["SEES", "move_consequence", "myopic_action", "play_myopic", "sample_plays"]


def move_consequence(game, removed, p: int, b) -> tuple[np.ndarray, bool, object]:
    """What player ``p`` (index) removing block ``b`` earns once ``removed`` are out.

    The tower is checked with ``tower.cascade(removed + [b])``; the payoff is
    the Jenga rule of :func:`~._payoff.move_payoff` (undiscounted: multiply by
    ``δ^t`` for turn ``t``).

    Returns
    -------
    (payoffs, falls, outcome)
        The payoff vector over players ``(m,)``, whether the removal makes the
        tower fall by the game's ``fall_criterion``, and the cascade's
        :class:`~jenga_games.tower.Outcome`.

    Examples
    --------
    >>> from jenga_games.commissioning import commissioning_game
    >>> game = commissioning_game()
    >>> pay, falls, out = move_consequence(game, [], 0, "cardiology")
    >>> bool(falls), pay.shape == (game.n_players,)
    (False, True)
    """
    out = game.tower.cascade([*removed, b])
    ends = out.fallen if game.fall_criterion == "fallen" else out.collapsed
    return move_payoff(game, p, game.tower.index[b], ends), bool(ends), out


def myopic_action(game, removed, p: int, actions, *, tie_break: str = "first", sees: str = "full"):
    """The action the myopic player ``p`` (index) takes among ``actions`` once ``removed`` are out.

    The same choice :func:`play_myopic` makes at that position (module
    docstring): the largest immediate payoff the mover sees, ties broken by
    ``tie_break``. ``actions`` lists blocks in tie-break order, with ``None``
    for a pass.
    """
    if sees not in SEES:
        raise InvalidGameError(
            f"sees must be one of {SEES} (what the myopic player knows), got {sees!r}"
        )
    w = _Walker(game)
    w.removed = list(removed)
    return _myopic_choice(w, p, list(actions), tie_break, sees)[0]


class _Walker:
    """A play in progress, with the tower checked by ``tower.cascade``."""

    def __init__(self, game) -> None:
        self.game = game
        self.removed: list = []
        self.standing = set(game.tower.ids)
        self.j = self.c = self.t = 0
        self.pay = np.zeros(game.n_players)
        self.path: list[Move] = []
        self.fell = False
        self.toppler = None
        self.over = False

    def options(self, p: int) -> list:
        E = self.game.eligible_matrix[p]
        idx = self.game.tower.index
        return [b for b in self.game.tower.ids if b in self.standing and E[idx[b]]]

    def anyone_can_move(self) -> bool:
        E = self.game.eligible_matrix.any(axis=0)
        idx = self.game.tower.index
        return any(E[idx[b]] for b in self.standing)

    def consequence(self, p: int, b) -> tuple[np.ndarray, bool, object]:
        """Immediate payoff vector, whether the tower falls, and the cascade outcome."""
        return move_consequence(self.game, self.removed, p, b)

    def perceived(self, p: int, b, sees: str) -> np.ndarray:
        """The immediate payoff vector the mover believes a removal earns (module docstring)."""
        game = self.game
        idx = game.tower.index
        mask = 0
        for x in (*self.removed, b):
            mask |= 1 << idx[x]
        bt = _blind(game)
        _, fallen, collapsed = bt.cascade_masks(
            np.array([mask], dtype=np.uint64), first_round_only=sees == "direct"
        )
        ends = fallen[0] if game.fall_criterion == "fallen" else collapsed[0]
        return move_payoff(game, p, idx[b], bool(ends))

    def step(
        self, action, p: int, r: np.ndarray | None = None, ends: bool = False, out=None
    ) -> None:
        game = self.game
        T = game.n_turns
        w = turn_weight(game, self.t)
        if action is None:
            self.path.append(Move(self.t, game.players[p], None))
            if not game.must_move:
                self.c += 1
                if self.c == T:
                    self.over = True
        else:
            if r is None:
                r, ends, out = self.consequence(p, action)
            self.pay += w * r
            before = self.standing
            self.removed.append(action)
            self.standing = set(out.standing)
            lost = tuple(
                b for b in game.tower.ids if b in before and b not in self.standing and b != action
            )
            self.path.append(
                Move(self.t, game.players[p], action, ends, lost if not ends else out.fell)
            )
            self.c = 0
            if ends:
                self.fell, self.toppler, self.over = True, game.players[p], True
        self.j = (self.j + 1) % T
        self.t += 1

    def legal(self, p: int) -> list:
        """Legal actions in tie-break order (blocks in tower order, then ``None`` = pass)."""
        acts = self.options(p)
        if not self.game.must_move:
            acts.append(None)
        return acts

    def turn(self) -> tuple[int, list] | None:
        """The mover and its legal actions; handles forced passes and the end of the game."""
        game = self.game
        while not self.over:
            p = int(game.turn_players[self.j])
            acts = self.legal(p)
            if acts:
                return p, acts
            if not self.anyone_can_move():
                self.over = True
                return None
            self.step(None, p)  # forced pass
        return None


def _pick(vectors: np.ndarray, p: int, tie_break: str) -> int:
    obj = vectors[:, p]
    best = obj.max()
    ties = geq(obj, best)
    if tie_break in ("benevolent", "malevolent"):
        others = vectors.sum(axis=1) - obj
        sec = others if tie_break == "benevolent" else -others
        s = np.where(ties, sec, -np.inf)
        ties = ties & geq(s, s.max())
    idx = np.flatnonzero(ties)
    return int(idx[-1] if tie_break == "last" else idx[0])


SEES = ("full", "clinical", "direct")


def _blind(game):
    """The tower as bit masks without the providers' finances (what the limited types see)."""
    cache = game.__dict__.setdefault("_blind_bits", {})
    if "bt" not in cache:
        if game.n_blocks > MAX_BITS:
            raise TooLargeError(
                f"the tower has {game.n_blocks} services; the information-limited myopic players "
                f"see it as bit masks (at most {MAX_BITS}); use sees='full' on larger towers"
            )
        cache["bt"] = dataclasses.replace(
            game.bits, prov_masks=(), prov_base=np.zeros(0), prov_scale=np.zeros(0)
        )
    return cache["bt"]


def _myopic_choice(w: _Walker, p: int, acts: list, tie_break: str, sees: str = "full"):
    vecs, info = [], []
    for a in acts:
        if a is None:
            vecs.append(np.zeros(w.game.n_players))
            info.append((None, False, None))
        elif sees == "full":
            r, ends, out = w.consequence(p, a)
            vecs.append(r)
            info.append((r, ends, out))
        else:
            vecs.append(w.perceived(p, a, sees))
            info.append((None, False, None))
    i = _pick(np.array(vecs), p, tie_break)
    return acts[i], info[i]


def _finish(game, w: _Walker, method: str, params: dict) -> JengaPlay:
    payoffs = {game.players[i]: float(w.pay[i]) for i in range(game.n_players)}
    outcome = game.tower.play(w.removed)
    return JengaPlay(
        method=method,
        path=tuple(w.path),
        payoffs=payoffs,
        total=float(w.pay.sum()),
        fell=w.fell,
        toppled_by=w.toppler,
        removed=tuple(w.removed),
        outcome=outcome,
        policy=None,
        n_states=0,
        provenance=Provenance(method, params),
        **play_welfare(game, w.path, outcome),
    )


def play_myopic(game, tie_break: str = "first", sees: str = "full") -> JengaPlay:
    """Myopic play: each mover maximises the immediate payoff it sees (module docstring).

    Parameters
    ----------
    tie_break : {"first", "last", "benevolent", "malevolent"}
    sees : {"full", "clinical", "direct"}
        What the mover knows of the tower when it judges a move.

    Returns
    -------
    JengaPlay
        ``method="myopic"``, ``policy=None``; payoffs of the real play.
    """
    if tie_break not in TIE_BREAKS:
        raise InvalidGameError(f"tie_break must be one of {TIE_BREAKS}, got {tie_break!r}")
    if sees not in SEES:
        raise InvalidGameError(
            f"sees must be one of {SEES} (what the myopic player knows), got {sees!r}"
        )
    w = _Walker(game)
    while (nxt := w.turn()) is not None:
        p, acts = nxt
        a, (r, ends, out) = _myopic_choice(w, p, acts, tie_break, sees)
        w.step(a, p, r, ends, out)
    params = {"tie_break": tie_break, "must_move": game.must_move, "discount": game.discount}
    if sees != "full":
        params["sees"] = sees
    return _finish(game, w, "myopic", params)


def sample_plays(game, n_games: int = 1000, epsilon: float = 1.0, seed=None) -> SampledPlay:
    """Monte Carlo plays: each move uniform at random with probability ``epsilon``, else myopic.

    Parameters
    ----------
    n_games : int
    epsilon : float in [0, 1]
        ``1`` is uniformly random play, ``0`` myopic play (ties: first).
    seed : int or numpy Generator, optional
        Same seed, same numbers.

    Returns
    -------
    SampledPlay
        Share of games each player toppled, mean payoffs and their standard errors.
    """
    if isinstance(n_games, bool) or not isinstance(n_games, int) or n_games < 1:
        raise InvalidGameError(f"n_games must be a positive whole number, got {n_games!r}")
    try:
        eps = float(epsilon)
    except (TypeError, ValueError):
        raise InvalidGameError(f"epsilon must be a number in [0, 1], got {epsilon!r}") from None
    if not 0.0 <= eps <= 1.0:
        raise InvalidGameError(f"epsilon must be a number in [0, 1], got {epsilon!r}")
    rng = make_rng(seed)
    pays = np.zeros((n_games, game.n_players))
    topplers: dict = {None: 0}
    topplers.update({p: 0 for p in game.players})
    removed = np.zeros(n_games)
    for g in range(n_games):
        w = _Walker(game)
        while (nxt := w.turn()) is not None:
            p, acts = nxt
            if rng.random() < eps:
                a = acts[int(rng.integers(len(acts)))]
                w.step(a, p)
            else:
                a, (r, ends, out) = _myopic_choice(w, p, acts, "first")
                w.step(a, p, r, ends, out)
        pays[g] = w.pay
        topplers[w.toppler] += 1
        removed[g] = len(w.removed)
    se = (
        pays.std(axis=0, ddof=1) / np.sqrt(n_games)
        if n_games > 1
        else np.full(game.n_players, np.nan)
    )
    return SampledPlay(
        n_games=n_games,
        epsilon=eps,
        topple_share={k: v / n_games for k, v in topplers.items()},
        mean_payoffs={p: float(pays[:, i].mean()) for i, p in enumerate(game.players)},
        stderr_payoffs={p: float(se[i]) for i, p in enumerate(game.players)},
        mean_removed=float(removed.mean()),
        provenance=Provenance(
            "sampled_play",
            {"n_games": n_games, "epsilon": eps},
            seed=seed if isinstance(seed, int) else None,
        ),
    )
