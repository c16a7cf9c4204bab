"""``jenga app``: the tower and the Jenga commissioning game in the browser, for a classroom.

A small local web app (Starlette served by uvicorn, with a hand-written
JavaScript/SVG page; every asset comes from this package, so it runs with no
internet). Views: *Explore* a tower (click blocks out, watch the cascade round
by round), *Thresholds* (slide the collapse cost, shared cost, transitional
funding and discount and watch competitive play), *Play* the commissioning game
(at one screen, against the computer, or hosted for a class), and *Exercises*.

The web dependencies are an optional extra: ``pip install jenga-games[app]``.

>>> from jenga_games.app import AppServer          # doctest: +SKIP
>>> with AppServer(port=0) as server:              # doctest: +SKIP
...     print(server.url)
"""

from __future__ import annotations

import socket
import threading
import time

from ..errors import AppMissingError, JengaError

__all__ = ["AppServer", "create_app", "free_port", "serve"]

_MISSING = (
    "the app needs its web dependencies: pip install 'jenga-games[app]' (starlette and uvicorn)"
)


# AppMissingError lives in jenga_games.errors; this name keeps old imports working.


def create_app(host: str = "127.0.0.1"):
    """The Starlette application (an ASGI app: serve it with any ASGI server).

    ``host``: the address it will listen on (``0.0.0.0``: join links use this machine's
    network address).
    """
    try:
        from ._server import create_app as make
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise AppMissingError(f"{_MISSING} ({err})") from None
    return make(host=host)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` now (the operating system picks it; it may be taken later)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class AppServer:
    """The app served by uvicorn in a background thread (for tests, scripts and notebooks).

    Parameters
    ----------
    host : str
        ``"127.0.0.1"`` (this machine only, the default) or ``"0.0.0.0"`` (the
        classroom's network, so students can join a hosted game).
    port : int
        ``0`` picks a free port.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        try:
            import uvicorn
        except ImportError as err:  # pragma: no cover
            raise AppMissingError(f"{_MISSING} ({err})") from None
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            create_app(host), host=host, port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 20.0) -> AppServer:
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        end = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > end:
                raise JengaError(f"the app did not start on {self.host}:{self.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the app until interrupted (what ``jenga app`` runs)."""
    try:
        import uvicorn
    except ImportError as err:  # pragma: no cover
        raise AppMissingError(f"{_MISSING} ({err})") from None
    uvicorn.run(create_app(host), host=host, port=port, log_level="warning", lifespan="off")
