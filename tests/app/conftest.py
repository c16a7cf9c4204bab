"""Fixtures for the app's tests: a server on 127.0.0.1 (free port) and headless Chromium.

The browser tests need Debian's ``chromium`` (``apt-get install chromium``) and the
``playwright`` package (``pip install 'jenga-games[test]'``); nothing here downloads
a browser. Without them the browser tests skip and say so.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("JENGA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the browser tests need playwright: pip install 'jenga-games[test]'"
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return "the app needs its web dependencies: pip install 'jenga-games[app]'"
    if not os.path.exists(CHROMIUM):
        return (
            f"no headless Chromium at {CHROMIUM}: install Debian's browser with "
            "`apt-get install chromium` (or set JENGA_CHROMIUM) to run the browser tests"
        )
    return None


@pytest.fixture(scope="module")
def app_server():
    pytest.importorskip("uvicorn", reason="the app needs pip install 'jenga-games[app]'")
    from jenga_games.app import AppServer

    with AppServer(host="127.0.0.1", port=0) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    why = _browser_missing()
    if why:
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(app_server.url)
    pg.wait_for_selector("body[data-ready=true]")
    yield pg
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def loader_message():
    """The library's own loader's message about a file (the oracle for what the app shows)."""
    from jenga_games.errors import JengaError
    from jenga_games.tower import Tower

    def message(tmp_path, name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        try:
            from jenga_games.tower.files import read_tower
        except ImportError:  # before spreadsheets: JSON only
            read_tower = Tower.from_json
        with pytest.raises(JengaError) as err:
            read_tower(path)
        msg = str(err.value).replace(str(path), name)
        return msg if msg.startswith(name) else f"{name}: {msg}"

    return message


@pytest.fixture(scope="session")
def funding_switch():
    """``jenga_commissioning``'s funding switch on the worked economy (tol 1e-4, £ m a year):
    ``(value, change, funded providers)``; computed once for the model and browser tests."""
    from jenga_games.commissioning import jenga_commissioning
    from jenga_games.tower import local_health_economy

    r = jenga_commissioning(
        local_health_economy(),
        collapse_grid=[2.5],
        discount_grid=[1.0],
        funding_grid=[0.0, 0.5],
        tol=1e-4,
    )
    (x, change), *_ = r.switches["funding"]
    return x, change, r.funded_providers
