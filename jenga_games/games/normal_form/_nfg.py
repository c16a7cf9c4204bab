"""Read and write Gambit's ``.nfg`` strategic-form files (payoff and outcome versions).

The format ([McKelvey2016]_, "Game representation formats")::

    NFG 1 R "title" { "Player 1" "Player 2" } { 3 2 }
    "optional comment"

    1 1 0 2 0 2 1 1 0 3 2 0

The header names the players, then either the number of strategies of each
player (``{ 3 2 }``) or their names (``{ { "U" "D" } { "L" "R" } }``). In
the *payoff* version the body lists, for every strategy profile with player
1's strategy changing fastest, the payoff of each player in turn. In the
*outcome* version the body is a list of outcomes ``{ "name" p1, p2 }``
followed by one outcome number per profile (``0`` for the null outcome,
paying zero to all).

Numbers are read exactly (``3``, ``-1/2``, ``0.25`` become fractions), so
an ``.nfg`` game keeps rational payoffs for the exact solvers. Errors say
the line number and what was expected. Files are never evaluated as code.
"""

from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ..._io import atomic_write_text, game_file_text
from ...errors import SchemaError, TooLargeError

if TYPE_CHECKING:
    from ._game import NormalFormGame

__all__ = ["read_nfg", "write_nfg"]

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([{}])|(,)|([^\s{},"]+)', re.S)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/\d+)?$")


class _Tokens:
    def __init__(self, text: str, name: str):
        self.items: list[tuple[str, str, int]] = []  # (kind, value, line)
        self.name = name
        pos, line = 0, 1
        for m in _TOKEN.finditer(text):
            gap = text[pos : m.start()]
            if gap.strip():
                what = (
                    "an unterminated string" if gap.strip().startswith('"') else "unexpected text"
                )
                raise SchemaError(f"{name}, line {line}: {what} {gap.strip()[:20]!r}")
            line += gap.count("\n")
            if m.group(1) is not None:
                self.items.append(
                    ("str", m.group(1).replace('\\"', '"').replace("\\\\", "\\"), line)
                )
            elif m.group(2) is not None:
                self.items.append((m.group(2), m.group(2), line))
            elif m.group(4) is not None:
                self.items.append(("word", m.group(4), line))
            line += m.group(0).count("\n")
            pos = m.end()
        rest = text[pos:].strip()
        if rest:
            what = "an unterminated string" if rest.startswith('"') else "unexpected text"
            raise SchemaError(f"{name}, line {line}: {what} {rest[:20]!r}")
        self.i = 0
        self.last_line = line

    def peek(self):
        return self.items[self.i] if self.i < len(self.items) else ("eof", "", self.last_line)

    def next(self, what: str):
        tok = self.peek()
        if tok[0] == "eof":
            raise SchemaError(
                f"{self.name}, line {tok[2]}: the file ends where {what} was expected"
            )
        self.i += 1
        return tok

    def expect(self, kind: str, what: str, value: str | None = None):
        tok = self.next(what)
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise SchemaError(f"{self.name}, line {tok[2]}: expected {what}, found {tok[1]!r}")
        return tok

    def error(self, tok, msg: str) -> SchemaError:
        return SchemaError(f"{self.name}, line {tok[2]}: {msg}")


#: Payoffs are read exactly; these limits keep a hostile ``1e999999999`` from hanging the reader.
MAX_NUMBER_CHARS = 200
MAX_ABS_PAYOFF = Fraction(10) ** 300
#: Largest number of strategy profiles x players a file may declare (checked before reading payoffs).
MAX_CELLS = 50_000_000


def _number(tok, toks: _Tokens) -> Fraction:
    if tok[0] != "word" or not _NUMBER.match(tok[1]):
        raise toks.error(tok, f"expected a number, found {tok[1]!r}")
    text = tok[1]
    m = re.search(r"[eE]([+-]?\d+)", text)
    if len(text) > MAX_NUMBER_CHARS or (m and abs(int(m.group(1)[:6])) > 400):
        raise toks.error(
            tok,
            f"payoff {text[:30]!r}{'...' if len(text) > 30 else ''} is beyond the range of "
            "numbers a game can hold (|payoff| < 1e300, at most 200 characters); rescale the payoffs",
        )
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise toks.error(tok, f"{text!r} is not a valid number") from None
    if abs(value) >= MAX_ABS_PAYOFF:
        raise toks.error(
            tok,
            f"payoff {text!r} is beyond the range of numbers a game can hold "
            "(|payoff| < 1e300); rescale the payoffs (e.g. to £m)",
        )
    return value


def _int(tok, toks: _Tokens, what: str) -> int:
    if tok[0] != "word" or not re.fullmatch(r"\d+", tok[1]):
        raise toks.error(tok, f"expected {what} (a non-negative integer), found {tok[1][:30]!r}")
    if len(tok[1]) > 12:
        raise toks.error(tok, f"{what} {tok[1][:30]!r}... is far too large")
    return int(tok[1])


def read_nfg(source: str | os.PathLike[str]) -> NormalFormGame:
    """Read a Gambit ``.nfg`` game (payoff or outcome version).

    Parameters
    ----------
    source : str or path
        A path to a ``.nfg`` file, or the file's text itself (a string
        starting with ``NFG`` or spanning several lines).

    Returns
    -------
    NormalFormGame
        With the file's player and strategy names (strategies named
        ``"1"``, ``"2"``, ... when the file gives only counts) and exact
        rational payoffs. The title is kept as ``game.title``.

    Raises
    ------
    SchemaError
        A malformed file; the message gives the line number.
    """
    from ._game import NormalFormGame

    text, name = game_file_text(source, "read_nfg", ".nfg", "NFG")
    t = _Tokens(text, name)
    t.expect("word", "'NFG'", "NFG")
    tok = t.next("the version '1'")
    if tok[1] != "1":
        raise t.error(tok, f"only version 1 of the NFG format is supported, found {tok[1]!r}")
    tok = t.next("'R' or 'D'")
    if tok[1] not in ("R", "D"):
        raise t.error(
            tok, f"expected 'R' (rational) or 'D' (decimal) after 'NFG 1', found {tok[1]!r}"
        )
    title = t.expect("str", "the game's title in double quotes")[1]
    t.expect("{", "'{' opening the list of players")
    players = []
    while t.peek()[0] == "str":
        players.append(t.next("a player name")[1])
    t.expect("}", "'}' closing the list of players (player names are double-quoted)")
    if not players:
        raise t.error(t.items[t.i - 1], "the game has no players")
    t.expect("{", "'{' opening the strategy counts or names")
    actions: list[list[str]] = []
    if t.peek()[0] == "{":
        for k in range(len(players)):
            t.expect("{", f"'{{' opening the strategy names of player {k + 1}")
            names = []
            while t.peek()[0] == "str":
                names.append(t.next("a strategy name")[1])
            t.expect("}", f"'}}' closing the strategy names of player {k + 1}")
            if not names:
                raise t.error(t.items[t.i - 1], f"player {players[k]!r} has no strategies")
            actions.append(names)
        t.expect("}", "'}' closing the strategy names")
    else:
        for k in range(len(players)):
            tok = t.next(f"the number of strategies of player {k + 1}")
            c = _int(tok, t, f"the number of strategies of player {k + 1}")
            if c < 1:
                raise t.error(tok, f"player {players[k]!r} must have at least one strategy")
            actions.append([str(j + 1) for j in range(c)])
        t.expect("}", f"'}}' after the {len(players)} strategy counts")
    if t.peek()[0] == "str":
        t.next("a comment")
    shape = tuple(len(a) for a in actions)
    n = len(players)
    size = math.prod(shape)
    if size * n > MAX_CELLS:
        raise TooLargeError(
            f"{name}: the game declares {size:,} strategy profiles x {n} players, more than "
            f"the {MAX_CELLS:,} payoffs a game may hold; check the strategy counts"
        )
    if t.peek()[0] == "{":
        t.next("'{'")
        outcomes: list[list[Fraction]] = []
        while t.peek()[0] == "{":
            t.next("'{'")
            t.expect("str", "the outcome's name in double quotes")
            pays = []
            while t.peek()[0] in ("word", ","):
                tok = t.next("a payoff")
                if tok[0] == ",":
                    continue
                pays.append(_number(tok, t))
            close = t.expect("}", "'}' closing the outcome")
            if len(pays) != n:
                raise t.error(
                    close, f"outcome {len(outcomes) + 1} has {len(pays)} payoffs; it needs {n}"
                )
            outcomes.append(pays)
        t.expect("}", "'}' closing the list of outcomes")
        flat = []
        for _ in range(size):
            tok = t.next(f"{size} outcome numbers, one per strategy profile")
            k = _int(tok, t, "an outcome number")
            if k > len(outcomes):
                raise t.error(
                    tok,
                    f"outcome {k} does not exist; there are {len(outcomes)} outcomes (0 is null)",
                )
            flat.append([Fraction(0)] * n if k == 0 else outcomes[k - 1])
    else:
        vals = []
        for _ in range(size * n):
            vals.append(_number(t.next(f"{size * n} payoffs ({size} profiles x {n} players)"), t))
        flat = [vals[j * n : (j + 1) * n] for j in range(size)]
    extra = t.peek()
    if extra[0] != "eof":
        raise t.error(extra, f"unexpected {extra[1]!r} after the last payoff (too many payoffs?)")
    tensor = np.empty((*shape, n), dtype=object)
    # profiles are listed with player 1's strategy changing fastest (Fortran order)
    for j, idx in enumerate(np.ndindex(*shape[::-1])):
        tensor[idx[::-1]] = flat[j]
    return NormalFormGame(tensor, players=players, actions=actions, title=title)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fmt(v) -> str:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def write_nfg(game: NormalFormGame, path=None, title: str = "", outcomes: bool = False) -> str:
    """Gambit ``.nfg`` text for ``game``; written atomically to ``path`` when given.

    Parameters
    ----------
    game : NormalFormGame
    path : str or path, optional
    title : str
        Defaults to the game's ``title`` attribute when it has one.
    outcomes : bool
        Write the outcome version (one outcome per profile) instead of the
        payoff version.

    Returns
    -------
    str
        The file's text. Exact games are written with exact rationals,
        float games with round-tripping decimal numbers.
    """
    title = title or game.title
    n = game.n_players
    vals = game.exact_payoffs if game.is_exact else game.payoffs
    head = (
        f"NFG 1 R {_quote(title)} {{ {' '.join(_quote(p) for p in game.players)} }}\n"
        + "{ "
        + " ".join("{ " + " ".join(_quote(a) for a in acts) + " }" for acts in game.actions)
        + " }\n"
        + '""\n\n'
    )
    profiles = [idx[::-1] for idx in np.ndindex(*game.shape[::-1])]
    if outcomes:
        lines = ["{"]
        for idx in profiles:
            lines.append(
                "{ " + _quote("") + " " + ", ".join(_fmt(vals[(*idx, i)]) for i in range(n)) + " }"
            )
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(profiles))))
        body = "\n".join(lines) + "\n"
    else:
        body = (
            "\n".join(" ".join(_fmt(vals[(*idx, i)]) for i in range(n)) for idx in profiles) + "\n"
        )
    text = head + body
    if path is not None:
        atomic_write_text(path, text)
    return text
