"""``jenga app``: serve the classroom web app (Explore, Thresholds, Play, Exercises)."""

from __future__ import annotations

import argparse

from . import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "app",
        help="the tower and the Jenga game in the browser (a local web app)",
        description="Serve the classroom app: explore a tower, slide the thresholds, play the "
        "Jenga commissioning game (at one screen, against the computer, or hosted for a class) "
        "and do exercises. Works offline. Needs pip install 'jenga-games[app]'.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; "
        "0.0.0.0 lets students on the same network join a hosted game)",
    )
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--open", action="store_true", help="open the app in this machine's web browser")
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from ..app import free_port, serve

    port = args.port if args.port else free_port(args.host)
    shown = "127.0.0.1" if args.host in ("0.0.0.0", "") else args.host
    url = f"http://{shown}:{port}"
    print(f"jenga app: open {url} in a browser (Ctrl+C stops it)")
    if args.host in ("0.0.0.0", ""):
        print("students on this network join a hosted game with the link the Play view shows")
    if args.open:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    serve(host=args.host, port=port)
    return EXIT_OK
