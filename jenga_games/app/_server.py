"""The web server: Starlette routes over :mod:`._model` and :mod:`._play` (JSON in, JSON out).

Every page and script is served from this package's ``static`` folder, so the
app works with no internet. Errors the library raises (a bad tower file, an
illegal move) come back as ``{"error": message}`` with status 400, never a
traceback.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import JengaError
from ..tower import Tower
from . import _model, _play

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
_MAX_TOWERS = 64  # uploaded towers kept (oldest dropped)
_MAX_GAMES = 200
_MAX_UPLOAD = 5_000_000  # bytes


class _Store:
    """Towers and games in memory, bounded (oldest dropped first)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.towers: OrderedDict[str, Tower] = OrderedDict()
        self.summaries: dict[str, dict] = {}
        self.games: OrderedDict[str, _play.GameSession] = OrderedDict()
        self.switches: dict[tuple, dict] = {}
        self.worked = _model.EXAMPLES["worked"][1]()

    def tower(self, key: str) -> Tower:
        with self.lock:
            if key in self.towers:
                return self.towers[key]
        if key in _model.EXAMPLES:
            t = _model.EXAMPLES[key][1]()
            self.add_tower(key, t)
            return t
        raise JengaError(f"unknown tower {key!r}; open an example or upload the file again")

    def add_tower(self, key: str, tower: Tower) -> None:
        with self.lock:
            self.towers[key] = tower
            self.summaries.pop(key, None)
            while len(self.towers) > _MAX_TOWERS:
                old, _ = self.towers.popitem(last=False)
                self.summaries.pop(old, None)

    def summary(self, key: str) -> dict:
        t = self.tower(key)
        with self.lock:
            if key not in self.summaries:
                self.summaries[key] = _model.tower_summary(t)
            return self.summaries[key]

    def add_game(self, game: _play.GameSession) -> None:
        with self.lock:
            self.games[game.id] = game
            while len(self.games) > _MAX_GAMES:
                self.games.popitem(last=False)

    def game(self, gid: str) -> _play.GameSession:
        with self.lock:
            g = self.games.get(gid)
        if g is None:
            raise JengaError(f"no game {gid!r} on this server; ask the host for the link again")
        return g


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _handler(fn):
    """Run ``fn(request, body)``; a JengaError becomes ``{"error": ...}`` (no traceback)."""

    async def endpoint(request: Request):
        body: dict[str, Any] = {}
        if request.method == "POST":
            raw = await request.body()
            if len(raw) > _MAX_UPLOAD:
                return _error("the request is too large (limit 5 MB)", 413)
            if raw:
                import json

                try:
                    body = json.loads(raw)
                except ValueError:
                    return _error("the request is not valid JSON")
                if not isinstance(body, dict):
                    return _error("the request must be a JSON object")
        from starlette.concurrency import run_in_threadpool

        try:
            return JSONResponse(await run_in_threadpool(fn, request, body))
        except JengaError as err:
            return _error(str(err))
        except (KeyError, TypeError, ValueError) as err:
            return _error(f"bad request: {err}")

    return endpoint


def _state_from(tower: Tower, pairs) -> dict:
    """``[[block, fraction], ...]`` from the browser -> mapping for ``Tower.cascade``."""
    state = {}
    for item in pairs or []:
        block, frac = item
        if block not in tower.index:
            raise JengaError(f"unknown block {block!r}")
        state[block] = float(frac)
    return state


def _lan_address() -> str | None:
    """This machine's address on its network (a UDP socket's choice; nothing is sent)."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def create_app(store: _Store | None = None, host: str = "127.0.0.1") -> Starlette:
    """The Starlette application (serve it with ``uvicorn``; :func:`jenga_games.app.serve` does).

    ``host`` is the address it will listen on: when it is ``0.0.0.0`` the join links of
    hosted games use this machine's network address, so students' browsers can reach it.
    """
    st = store or _Store()
    lan = _lan_address() if host in ("0.0.0.0", "") else None

    def info(request, body):
        return {"lan_host": lan}

    def examples(request, body):
        return {"examples": [{"key": k, "title": v[0]} for k, v in _model.EXAMPLES.items()]}

    def tower_open(request, body):
        key = body.get("example", "worked")
        summary = st.summary(key)
        return {"key": key, "tower": summary, "view": _model.explore_view(st.tower(key))}

    def tower_upload(request, body):
        filename = str(body.get("filename") or "tower.json")
        if body.get("content_b64") is not None:
            import base64
            import binascii

            try:
                content = base64.b64decode(str(body["content_b64"]), validate=True)
            except (binascii.Error, ValueError):
                raise JengaError(
                    f"{filename}: the upload was damaged; choose the file again"
                ) from None
        else:
            content = str(body.get("content") or "").encode("utf-8")
        import secrets

        tower = _model.load_tower_file(filename, content)
        key = "upload-" + secrets.token_urlsafe(6)
        st.add_tower(key, tower)
        return {"key": key, "tower": st.summary(key), "view": _model.explore_view(tower)}

    def explore(request, body):
        tower = st.tower(body["key"])
        return _model.explore_view(tower, _state_from(tower, body.get("state")))

    def analyse(request, body):
        tower = st.tower(body["key"])
        kind = body.get("kind")
        if kind == "safe":
            return _model.safe_set_view(tower)
        if kind == "weakest":
            return _model.weakest_view(tower)
        raise JengaError(f"kind must be 'safe' or 'weakest', got {kind!r}")

    def thresholds(request, body):
        return _play.threshold_view(
            st.worked,
            collapse_cost=float(body.get("collapse_cost", 2.5)),
            shared_cost=float(body.get("shared_cost", 1.0)),
            funding=float(body.get("funding", 0.0)),
            discount=float(body.get("discount", 1.0)),
        )

    def switches(request, body):
        key = tuple(
            float(body.get(k, d))
            for k, d in (("collapse_cost", 2.5), ("shared_cost", 1.0), ("discount", 1.0))
        )
        if key not in st.switches:
            st.switches[key] = _play.switch_points(st.worked, *key)
        return st.switches[key]

    def game_new(request, body):
        n = int(body.get("players", 2))
        opponent = body.get("opponent") or None
        g = _play.GameSession(st.worked, n, opponent, hosted=bool(body.get("hosted", False)))
        st.add_game(g)
        return {"id": g.id, "token": g.host_token, "view": g.view(g.host_token)}

    def game_get(request, body):
        g = st.game(request.path_params["gid"])
        return g.view(request.query_params.get("token"))

    def game_join(request, body):
        g = st.game(request.path_params["gid"])
        token = g.join(str(body.get("name", "")))
        return {"id": g.id, "token": token, "view": g.view(token)}

    def game_move(request, body):
        g = st.game(request.path_params["gid"])
        token = str(body.get("token", ""))
        g.move(token, body.get("block"))
        return g.view(token)

    def exercises(request, body):
        return {"types": _play.exercise_list()}

    def exercise(request, body):
        return _play.exercise_view(
            str(body["type"]), int(body.get("seed", 0)), int(body.get("difficulty", 1))
        )

    def exercise_check(request, body):
        return _play.exercise_check(
            str(body["type"]),
            int(body.get("seed", 0)),
            int(body.get("difficulty", 1)),
            str(body.get("answer", "")),
        )

    async def index(request):
        return FileResponse(STATIC / "index.html")

    def r(path, fn, methods=("POST",)):
        return Route(path, _handler(fn), methods=list(methods))

    routes = [
        Route("/", index),
        r("/api/examples", examples, ("GET",)),
        r("/api/info", info, ("GET",)),
        r("/api/tower/open", tower_open),
        r("/api/tower/upload", tower_upload),
        r("/api/explore", explore),
        r("/api/analyse", analyse),
        r("/api/thresholds", thresholds),
        r("/api/switches", switches),
        r("/api/game", game_new),
        r("/api/game/{gid}", game_get, ("GET",)),
        r("/api/game/{gid}/join", game_join),
        r("/api/game/{gid}/move", game_move),
        r("/api/exercises", exercises, ("GET",)),
        r("/api/exercise", exercise),
        r("/api/exercise/check", exercise_check),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes)
