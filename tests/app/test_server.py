"""The app's HTTP API (no browser): every failure is a JSON message, never a traceback."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from jenga_games.tower import local_health_economy


def call(server, path: str, body=None, raw: bytes | None = None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(server.url + path, data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, json.load(res)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_explore_answers_with_the_cascade(app_server):
    status, view = call(app_server, "/api/explore", {"key": "worked", "state": [["imaging", 0]]})
    assert status == 200
    out = local_health_economy().cascade({"imaging"})
    assert [[b["id"] for b in r] for r in view["rounds"]] == [list(r) for r in out.rounds]


@pytest.mark.parametrize(
    ("path", "body", "raw", "says"),
    [
        ("/api/explore", {"key": "worked", "state": [["nope", 0]]}, None, "unknown block 'nope'"),
        ("/api/explore", {"key": "worked", "state": [["imaging", 2]]}, None, "[0, 1]"),
        ("/api/explore", {"key": "no-such-tower"}, None, "unknown tower"),
        ("/api/explore", None, b"{not json", "not valid JSON"),
        ("/api/explore", None, b"[1, 2]", "JSON object"),
        ("/api/game/nope/move", {"token": "x", "block": None}, None, "no game 'nope'"),
        ("/api/game", {"players": 5}, None, "2, 3 or 4"),
        ("/api/game", {"players": 3, "opponent": "spe"}, None, "two-player"),
        ("/api/tower/upload", {"filename": "t.json", "content": "{"}, None, "t.json"),
        ("/api/tower/upload", {"filename": "t.xlsx", "content_b64": "@@"}, None, "damaged"),
        ("/api/exercise", {"type": "no-such-type"}, None, "unknown exercise type"),
    ],
)
def test_bad_requests_get_a_message_not_a_traceback(app_server, path, body, raw, says):
    status, answer = call(app_server, path, body, raw)
    assert status == 400
    assert says in answer["error"]
    assert "Traceback" not in answer["error"]


def test_a_move_out_of_turn_is_refused(app_server):
    _, game = call(app_server, "/api/game", {"players": 2, "hosted": True})
    _, ann = call(app_server, f"/api/game/{game['id']}/join", {"name": "Ann"})
    _, ben = call(app_server, f"/api/game/{game['id']}/join", {"name": "Ben"})
    status, answer = call(
        app_server, f"/api/game/{game['id']}/move", {"token": ben["token"], "block": None}
    )
    assert status == 400 and "CCG north's turn" in answer["error"]
    status, view = call(
        app_server, f"/api/game/{game['id']}/move", {"token": ann["token"], "block": "cardiology"}
    )
    assert status == 200 and view["removed"] == ["cardiology"] and not view["your_turn"]
    # the teacher's token holds no seat
    status, answer = call(
        app_server, f"/api/game/{game['id']}/move", {"token": game["token"], "block": None}
    )
    assert status == 400 and "not yours" in answer["error"]
