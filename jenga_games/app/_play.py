"""The Play, Thresholds and Exercises views: game sessions, threshold outcomes, exercise forms.

A :class:`GameSession` is one play of the Jenga commissioning game
(:func:`~jenga_games.commissioning.commissioning_game`). It keeps the state the
solver's :class:`~jenga_games.games.sequential.Policy` is indexed by (blocks
removed, turn position, passes in a row), applies the game's rules to each move
through the library's own rule (:func:`~jenga_games.games.sequential.move_consequence`:
the tower checked with ``tower.cascade``, the mover paid ``δ^t g``, and
``δ^t (C + K)`` charged when a removal topples it; the myopic opponent is
:func:`~jenga_games.games.sequential.myopic_action`), and
asks the subgame-perfect policy (``game.solve().policy``) for the coach's values
and the computer's moves. Moves are validated here, on the server.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections.abc import Hashable
from typing import Any

import markdown as md
import numpy as np

from ..commissioning import DEFAULT_ELIGIBLE, JengaParams, commissioning_game, jenga_commissioning
from ..errors import MoveError
from ..exercises import exercise_types, make_exercise
from ..games.bargaining import funded_tower, funding_recipients
from ..games.sequential import move_consequence, myopic_action
from ..tolerance import geq
from ..tower import Tower
from ._model import _plain, explore_view

__all__ = [
    "OPPONENTS",
    "GameSession",
    "MoveError",
    "eligible_for",
    "exercise_check",
    "exercise_list",
    "exercise_view",
    "switch_points",
    "threshold_view",
]

#: Computer opponents: key -> description.
OPPONENTS = {
    "spe": "subgame-perfect: looks ahead to the end of the game (game.solve())",
    "myopic": "myopic: takes the best immediate payoff (as game.myopic())",
    "cooperative": "cooperative: plays the joint optimum (game.cooperative())",
}


# MoveError lives in jenga_games.errors; this name keeps old imports working.


def eligible_for(n_players: int) -> dict[str, tuple[str, ...]]:
    """Who may move what: the two commissioners of the worked economy, or its ten
    re-commissionable blocks dealt in turn to 3 or 4 commissioners."""
    if n_players == 2:
        return dict(DEFAULT_ELIGIBLE)
    if n_players not in (3, 4):
        raise MoveError(f"players must be 2, 3 or 4, got {n_players!r}")
    blocks = [b for bs in DEFAULT_ELIGIBLE.values() for b in bs]
    return {f"CCG {i + 1}": tuple(blocks[i::n_players]) for i in range(n_players)}


def _params(
    n_players: int = 2,
    collapse_cost: float | None = None,
    shared_cost: float | None = None,
    discount: float | None = None,
) -> JengaParams:
    base = JengaParams(eligible=eligible_for(n_players))
    change: dict[str, float] = {}
    if collapse_cost is not None:
        change["collapse_cost"] = float(collapse_cost)
    if shared_cost is not None:
        change["shared_collapse_cost"] = float(shared_cost)
    if discount is not None:
        change["discount"] = float(discount)
    return dataclasses.replace(base, **change)


def _play_summary(play, tower: Tower) -> dict[str, Any]:
    return {
        "payoffs": {str(p): float(v) for p, v in play.payoffs.items()},
        "total": float(play.total),
        "fell": bool(play.fell),
        "toppled_by": play.toppled_by,
        "removed": [_plain(b) for b in play.removed],
        "value_lost": float(play.outcome.value_lost),
        "moves": [
            {"player": m.player, "block": _plain(m.block), "toppled": m.toppled} for m in play.path
        ],
    }


class GameSession:
    """One play of the Jenga commissioning game, for 1–4 people at one screen or hosted.

    Parameters
    ----------
    tower : Tower
        The worked economy (the commissioners' blocks are named in it).
    n_players : int
        2, 3 or 4 commissioners.
    opponent : {None, "spe", "myopic", "cooperative"}
        With an opponent, the last commissioner is the computer (two players only).
    hosted : bool
        A teacher hosts the game: seats are taken by browsers that join.
    """

    def __init__(
        self,
        tower: Tower,
        n_players: int = 2,
        opponent: str | None = None,
        hosted: bool = False,
        params: JengaParams | None = None,
    ) -> None:
        if opponent is not None and opponent not in OPPONENTS:
            raise MoveError(f"opponent must be one of {sorted(OPPONENTS)}, got {opponent!r}")
        if opponent is not None and n_players != 2:
            raise MoveError("a computer opponent plays two-player games only; choose 2 players")
        self.id = secrets.token_urlsafe(6)
        self.tower = tower
        self.params = params or _params(n_players)
        self.game = commissioning_game(tower, self.params)
        self.spe = self.game.solve()
        self.coop = self.game.cooperative()
        self.opponent = opponent
        self.hosted = hosted
        self.players = list(self.game.players)
        self.computer = {len(self.players) - 1} if opponent else set()
        self.seats: dict[str, set[int]] = {}
        self.names: dict[int, str] = {}
        self.host_token = secrets.token_urlsafe(12)
        if not hosted:
            self.seats[self.host_token] = set(range(len(self.players))) - self.computer
        else:
            self.seats[self.host_token] = set()
        self.lock = threading.RLock()
        self.removed: list[Hashable] = []
        self.j = self.c = self.t = 0
        self.pay = np.zeros(len(self.players))
        self.moves: list[dict[str, Any]] = []
        self.fell = False
        self.toppled_by = None
        self.over = False
        self._advance()

    # -- rules -----------------------------------------------------------------
    @property
    def mover(self) -> int:
        return int(self.game.turn_players[self.j])

    def _standing(self) -> set:
        return set(self.tower.cascade(self.removed).standing)

    def _legal(self, p: int) -> list:
        standing = self._standing()
        E = self.game.eligible_matrix[p]
        idx = self.tower.index
        acts: list = [b for b in self.tower.ids if b in standing and E[idx[b]]]
        if not self.game.must_move:
            acts.append(None)
        return acts

    def _anyone_can_move(self) -> bool:
        standing = self._standing()
        E = self.game.eligible_matrix.any(axis=0)
        return any(E[self.tower.index[b]] for b in standing)

    def _consequence(self, p: int, b) -> tuple[np.ndarray, bool, tuple]:
        r, ends, out = move_consequence(self.game, self.removed, p, b)
        return r, ends, tuple(out.fell)

    def _apply(self, action) -> None:
        p, T = self.mover, self.game.n_turns
        w = self.game.discount**self.t
        if action is None:
            self.moves.append({"player": self.players[p], "block": None, "toppled": False})
            if not self.game.must_move:
                self.c += 1
                if self.c == T:
                    self.over = True
        else:
            r, ends, fell = self._consequence(p, action)
            self.pay += w * r
            self.removed.append(action)
            self.c = 0
            self.moves.append(
                {
                    "player": self.players[p],
                    "block": _plain(action),
                    "toppled": ends,
                    "fell": [_plain(s) for s in fell],
                }
            )
            if ends:
                self.fell, self.toppled_by, self.over = True, self.players[p], True
        self.j = (self.j + 1) % T
        self.t += 1

    def _computer_action(self, p: int):
        if self.opponent == "spe":
            return self.spe.policy.action(self.removed, self.j, self.c)
        if self.opponent == "cooperative":
            return self.coop.policy.action(self.removed, self.j, self.c)
        return myopic_action(self.game, self.removed, p, self._legal(p))

    def _advance(self) -> None:
        """Forced passes, the end of the game and the computer's moves."""
        while not self.over:
            if not self._anyone_can_move():
                self.over = True  # nobody can remove a block: only passes are left, worth 0
                return
            p = self.mover
            acts = self._legal(p)
            if not acts:  # a forced pass (must_move, nothing of its own standing)
                self._apply(None)
            elif p in self.computer:
                self._apply(self._computer_action(p))
            else:
                return

    # -- what people do ----------------------------------------------------------
    def join(self, name: str = "") -> str:
        """Take the next free seat; returns the seat's token."""
        with self.lock:
            taken = set().union(*self.seats.values()) | self.computer
            free = [i for i in range(len(self.players)) if i not in taken]
            if not free:
                raise MoveError("every seat of this game is taken; ask the teacher to host another")
            token = secrets.token_urlsafe(12)
            self.seats[token] = {free[0]}
            self.names[free[0]] = (name or "").strip()[:40] or f"student {free[0] + 1}"
            return token

    def move(self, token: str, block) -> None:
        """Play ``block`` (``None``: pass) for the seat that ``token`` holds."""
        with self.lock:
            if self.over:
                raise MoveError("the game is over; start a new one")
            seats = self.seats.get(token)
            if seats is None:
                raise MoveError("unknown seat; join the game first")
            p = self.mover
            if p not in seats:
                raise MoveError(f"it is {self.players[p]}'s turn, not yours")
            legal = self._legal(p)
            if block not in legal:
                shown = ", ".join(str(a) for a in legal if a is not None)
                raise MoveError(
                    f"{block!r} is not a legal move for {self.players[p]}; "
                    f"standing blocks it may move: {shown or 'none'} (or pass)"
                )
            self._apply(block)
            self._advance()

    def coach(self) -> list[dict[str, Any]]:
        """The value to the mover of each legal move, if everyone then plays the SPE.

        Removal of ``b``: ``g_b + δ V_p(S ∪ {b}, next turn)``, or ``g_b − C − K``
        when it topples the tower; pass: ``δ V_p(S, next turn, passes + 1)``
        (``0`` when it is the last pass of the round). ``V`` is
        ``game.solve().policy.value`` (subgame-perfect continuation payoffs).
        """
        if self.over:
            return []
        p, T, d = self.mover, self.game.n_turns, self.game.discount
        pol = self.spe.policy
        nxt = (self.j + 1) % T
        rows = []
        for a in self._legal(p):
            if a is None:
                v = (
                    0.0
                    if self.c + 1 == T
                    else d * pol.value(self.removed, nxt, self.c + 1)[self.players[p]]
                )
                rows.append({"block": None, "value": float(v), "topples": False})
                continue
            r, ends, _ = self._consequence(p, a)
            v = r[p] if ends else r[p] + d * pol.value([*self.removed, a], nxt, 0)[self.players[p]]
            rows.append({"block": _plain(a), "value": float(v), "topples": ends})
        best = max(r["value"] for r in rows)
        for r in rows:
            r["best"] = bool(geq(r["value"], best))
        return rows

    def view(self, token: str | None = None) -> dict[str, Any]:
        """What a browser shows: whose turn, your seats, legal moves, coach, payoffs, end comparison."""
        with self.lock:
            mine = sorted(self.seats.get(token, set())) if token else []
            p = self.mover
            out: dict[str, Any] = {
                "id": self.id,
                "hosted": self.hosted,
                "opponent": self.opponent,
                "players": [
                    {
                        "name": self.players[i],
                        "seat": i,
                        "who": (
                            "computer"
                            if i in self.computer
                            else self.names.get(i, "this screen" if not self.hosted else "open")
                        ),
                        "eligible": [
                            _plain(b)
                            for b in self.tower.ids
                            if self.game.eligible_matrix[i, self.tower.index[b]]
                        ],
                        "payoff": float(self.pay[i]),
                    }
                    for i in range(len(self.players))
                ],
                "removed": [_plain(b) for b in self.removed],
                "blocks": explore_view(self.tower, dict.fromkeys(self.removed, 0.0))["blocks"],
                "moves": list(self.moves),
                "over": self.over,
                "fell": self.fell,
                "toppled_by": self.toppled_by,
                "turn": None if self.over else self.players[p],
                "your_seats": mine,
                "your_turn": (not self.over) and p in mine,
                "legal": [] if self.over else [_plain(a) for a in self._legal(p)],
                "coach": self.coach() if (not self.over and p in mine) else [],
                "discount": self.game.discount,
                "collapse_cost": float(self.game.collapse_costs[0]),
                "shared_cost": float(self.game.shared_costs[0]),
            }
            if self.over:
                ours = {str(self.players[i]): float(self.pay[i]) for i in range(len(self.players))}
                out["compare"] = {
                    "yours": {
                        "payoffs": ours,
                        "total": float(self.pay.sum()),
                        "fell": self.fell,
                        "value_lost": float(self.tower.play(self.removed).value_lost),
                        "removed": [_plain(b) for b in self.removed],
                    },
                    "spe": _play_summary(self.spe, self.tower),
                    "cooperative": _play_summary(self.coop, self.tower),
                }
            return out


# -- thresholds --------------------------------------------------------------------
def _funded(tower: Tower, prm: JengaParams) -> tuple:
    """The providers that transitional funding goes to, as in :func:`jenga_commissioning`:
    those that fail under competitive play (or that run the blocks that fall);
    the rule is :func:`jenga_games.games.bargaining.funding_recipients`."""
    return funding_recipients(tower, commissioning_game(tower, prm).solve().outcome)


def threshold_view(
    tower: Tower,
    collapse_cost: float = 2.5,
    shared_cost: float = 1.0,
    funding: float = 0.0,
    discount: float = 1.0,
) -> dict[str, Any]:
    """Competitive play (the SPE) at these parameters; funding raises the reserves of the
    providers that fail without it (:func:`_funded`), in £ m a year."""
    prm = _params(2, collapse_cost, shared_cost, discount)
    funded = _funded(tower, prm)
    t2 = funded_tower(tower, funded, funding) if funding > 0 else tower
    play = commissioning_game(t2, prm).solve()
    res = _play_summary(play, t2)
    res["blocks"] = explore_view(t2, dict.fromkeys(play.removed, 0.0))["blocks"]
    res["funded_providers"] = [_plain(p) for p in funded]
    res["params"] = {
        "collapse_cost": collapse_cost,
        "shared_cost": shared_cost,
        "funding": funding,
        "discount": discount,
    }
    return res


def switch_points(
    tower: Tower, collapse_cost: float = 2.5, shared_cost: float = 1.0, discount: float = 1.0
) -> dict[str, Any]:
    """Where competitive play switches, from :func:`jenga_commissioning` (grids refined by bisection)."""
    r = jenga_commissioning(tower, _params(2, collapse_cost, shared_cost, discount))
    return {
        name: [{"value": float(v), "change": what} for v, what in sw]
        for name, sw in r.switches.items()
    }


# -- exercises ---------------------------------------------------------------------
def exercise_list() -> list[dict[str, Any]]:
    return [
        {"name": t.name, "level": t.level, "topic": t.topic, "summary": t.summary}
        for t in exercise_types().values()
    ]


def _html(text: str) -> str:
    return md.markdown(text, extensions=["tables", "fenced_code"])


def _figure(ex) -> str | None:
    """The exercise's own figure (``Exercise.figure``) as a PNG data URI, or ``None``."""
    if ex.figure is None:
        return None
    import base64
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = ex.figure(Path(tmp) / "figure.png")
        data = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def exercise_view(name: str, seed: int, difficulty: int = 1) -> dict[str, Any]:
    ex = make_exercise(name, seed=seed, difficulty=difficulty)
    return {
        "figure": _figure(ex),
        "type": ex.type,
        "seed": ex.seed,
        "difficulty": ex.difficulty,
        "title": ex.title,
        "statement_html": _html(ex.statement),
        "answer_format": ex.answer_format,
    }


def exercise_check(name: str, seed: int, difficulty: int, answer: str) -> dict[str, Any]:
    """Check with the exercise's own checker; the worked solution comes back with the verdict."""
    ex = make_exercise(name, seed=seed, difficulty=difficulty)
    verdict = ex.check(answer)
    return {
        "ok": bool(verdict.ok),
        "message": verdict.message,
        "solution_html": _html(ex.solution),
        "answer": str(ex.to_dict()["answer"]),
    }
