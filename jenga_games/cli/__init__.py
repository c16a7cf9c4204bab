"""The ``jenga`` command line.

Each subcommand group lives in its own module of this package, which defines
``register(subparsers)``; the modules are listed in :data:`COMMAND_MODULES`.
A command function takes the parsed ``args`` and returns an exit code.

Exit codes: 0 success; 1 a check that did not pass (e.g. ``papers check``,
a wrong exercise answer); 2 bad input (a :class:`~jenga_games.errors.JengaError`,
printed as one line; ``--debug`` shows the traceback); 3 an unexpected error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import JengaError

__all__ = ["COMMAND_MODULES", "build_parser", "emit", "main"]

#: Subcommand modules, in the order they appear in ``jenga --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "demo",
    "tower",
    "analyse",
    "exercise",
    "papers",
    "uncertainty",
    "app",
)

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_UNEXPECTED = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jenga",
        description=(
            "jenga_games: game-theoretic models of health-care commissioning. "
            "A local health economy is a tower of services; take blocks out carefully."
        ),
        epilog="Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 unexpected error.",
    )
    parser.add_argument("--version", action="version", version=f"jenga_games {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def emit(args: argparse.Namespace, text: str, data: object | None = None) -> None:
    """Print ``text`` for people, or ``data`` as JSON when ``--json`` was given."""
    if getattr(args, "json", False) and data is not None:
        print(json.dumps(data, indent=2, sort_keys=True, default=str))
    else:
        print(text)


#: Options every command takes, before or after the sub-command (``jenga tower show F --json``).
GLOBAL_FLAGS = ("--json", "--debug")


def _split_global_flags(argv: Sequence[str]) -> tuple[list[str], set[str]]:
    """Pull ``--json``/``--debug`` out of ``argv`` wherever they stand (up to a ``--``)."""
    rest: list[str] = []
    found: set[str] = set()
    for k, token in enumerate(argv):
        if token == "--":
            rest.extend(argv[k:])
            break
        if token in GLOBAL_FLAGS:
            found.add(token)
        else:
            rest.append(token)
    return rest, found


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before the sub-commands (and numpy) are imported
        print(f"jenga_games {__version__}")
        return EXIT_OK
    argv, flags = _split_global_flags(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.json = args.json or "--json" in flags
    args.debug = args.debug or "--debug" in flags
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `jenga exercise show ... | head`: the reader left, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except JengaError as err:
        if args.debug:
            raise
        print(f"jenga: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, KeyboardInterrupt) as err:
        if args.debug:
            raise
        print(f"jenga: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT if isinstance(err, OSError) else 130
    except (RecursionError, UnicodeError) as err:  # input too deep / not text: bad input
        if args.debug:
            raise
        print(
            f"jenga: error: the input could not be read ({type(err).__name__}): {err}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except Exception as err:
        if args.debug:
            raise
        print(
            f"jenga: unexpected error ({type(err).__name__}): {err}. "
            "Re-run with --debug for the traceback.",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
