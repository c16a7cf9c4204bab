"""Read and write Gambit's ``.efg`` extensive-form files [McKelvey2016]_.

The format (version 2)::

    EFG 2 R "title" { "Player 1" "Player 2" }
    "optional comment"

    c "" 1 "" { "Red" 1/2 "Black" 1/2 } 0
    p "" 1 1 "" { "Raise" "Fold" } 0
    t "" 1 "Win Big" { 2, -2 }
    ...

lists the nodes in depth-first order, children in action order. A chance
node ``c`` gives its label, information set number, and (at the set's first
node at least) the set's label and ``{ "action" probability ... }``; a
player node ``p`` gives its label, player number (from 1), information set
number and (at least once) the set's label and ``{ "action" ... }``; a
terminal node ``t`` its label. Each node ends with an outcome number (``0``
for none) and, at least at the outcome's first use, its label and payoffs.

Numbers are read exactly (``1/2``, ``0.25``); their text is kept, so that a
file written in Gambit's own layout (every node repeating its information
set's actions and its outcome's payoffs) writes back byte for byte. Errors
say the line and what was expected; files are never evaluated as code.
"""

from __future__ import annotations

import os

from ..._io import atomic_write_text, game_file_text
from ..normal_form._nfg import _int, _number, _quote, _Tokens
from ._tree import CHANCE, ExtensiveGame, Infoset, Node, Outcome

__all__ = ["read_efg", "write_efg"]


def read_efg(source: str | os.PathLike[str]) -> ExtensiveGame:
    """Read a Gambit ``.efg`` game.

    Parameters
    ----------
    source : str, bytes or path
        A path, or the file's text itself (a string starting with ``EFG`` or
        spanning several lines). A string that names an existing file is read
        as a path, whatever it starts with (a file called ``EFG-game.efg``).

    Returns
    -------
    ExtensiveGame

    Raises
    ------
    SchemaError
        A malformed file; the message gives the line number and what was expected.
    """
    text, name = game_file_text(source, "read_efg", ".efg", "EFG")
    t = _Tokens(text, name)
    tok = t.expect("word", "'EFG' at the start of the file", "EFG")
    tok = t.next("the format version")
    if tok[1] != "2":
        raise t.error(tok, f"only version 2 of the EFG format is supported, found {tok[1]!r}")
    tok = t.next("'R' or 'D' (rational or decimal)")
    if tok[1] not in ("R", "D"):
        raise t.error(tok, f"expected 'R' or 'D' after the version, found {tok[1]!r}")
    title = t.expect("str", "the game's title (a quoted string)")[1]
    t.expect("{", "'{' opening the list of players")
    players = []
    while t.peek()[0] == "str":
        players.append(t.next("a player name")[1])
    t.expect("}", "'}' closing the list of players (names are quoted strings)")
    if not players:
        raise t.error(t.items[t.i - 1], "the game has no players")
    description = ""
    if t.peek()[0] == "str":
        description = t.next("the comment")[1]
    game = ExtensiveGame(players, title=title, description=description)
    isets: dict[tuple[int, int], Infoset] = {}
    outs: dict[int, Outcome] = {}
    n = len(players)

    def read_outcome(node: Node) -> None:
        tok = t.next("an outcome number (0 for none)")
        num = _int(tok, t, "an outcome number")
        if t.peek()[0] == "str":
            label = t.next("the outcome's label")[1]
            t.expect("{", "'{' opening the outcome's payoffs")
            vals, texts = [], []
            while t.peek()[0] == "word":
                w = t.next("a payoff")
                vals.append(_number(w, t))
                texts.append(w[1])
            close = t.expect("}", f"'}}' closing the payoffs ({n} numbers)")
            if len(vals) != n:
                raise t.error(
                    close, f"outcome {num} has {len(vals)} payoffs; the game has {n} players"
                )
            if num == 0:
                raise t.error(tok, "outcome 0 means 'no outcome' and cannot have payoffs")
            if num in outs:
                o = outs[num]
                if o.payoffs != tuple(vals) or o.label != label:
                    raise t.error(tok, f"outcome {num} is defined twice with different contents")
            else:
                o = Outcome(num, label, vals, texts)
                outs[num] = o
                game.outcomes.append(o)
        elif num == 0:
            return
        elif num in outs:
            o = outs[num]
        else:
            raise t.error(tok, f"outcome {num} is used before its label and payoffs are given")
        node.outcome = o

    def read_node(node: Node) -> None:
        tok = t.next("a node ('c', 'p' or 't')")
        kind = tok[1]
        if tok[0] != "word" or kind not in ("c", "p", "t"):
            raise t.error(tok, f"expected a node type 'c', 'p' or 't', found {kind!r}")
        node.label = t.expect("str", "the node's label (a quoted string)")[1]
        if kind == "t":
            read_outcome(node)
            return
        if kind == "p":
            ptok = t.next("a player number")
            pl = _int(ptok, t, "a player number")
            if not 1 <= pl <= n:
                raise t.error(ptok, f"player {pl} does not exist; the players are 1..{n}")
            player = pl - 1
        else:
            player = CHANCE
        itok = t.next("an information set number")
        num = _int(itok, t, "an information set number")
        key = (player, num)
        if t.peek()[0] == "str":
            label = t.next("the information set's label")[1]
            t.expect("{", "'{' opening the list of actions")
            acts, probs, ptexts = [], [], []
            while t.peek()[0] == "str":
                acts.append(t.next("an action")[1])
                if player == CHANCE:
                    w = t.next("the action's probability")
                    p = _number(w, t)
                    if p < 0:
                        raise t.error(w, f"chance probability {w[1]} is negative")
                    probs.append(p)
                    ptexts.append(w[1])
            close = t.expect("}", "'}' closing the actions (action names are quoted strings)")
            if not acts:
                raise t.error(close, "an information set needs at least one action")
            if player == CHANCE and sum(probs) != 1:
                raise t.error(
                    close, f"the chance probabilities sum to {sum(probs)}, not 1; fix them"
                )
            if key in isets:
                s = isets[key]
                if s.actions != tuple(acts) or (player == CHANCE and s.probs != tuple(probs)):
                    raise t.error(
                        itok,
                        f"information set {num} is given different actions than at its first node",
                    )
                if label != s.label:
                    raise t.error(itok, f"information set {num} is given two labels")
            else:
                pool = game.chance_infosets if player == CHANCE else game.infosets[player]
                s = Infoset(player, num, label, acts, probs or None, ptexts or None)
                s.index = len(pool)
                pool.append(s)
                isets[key] = s
        elif key in isets:
            s = isets[key]
        else:
            raise t.error(itok, f"information set {num} is used before its actions are listed")
        node.infoset = s
        s.members.append(node)
        node.children = [Node(node, k) for k in range(len(s.actions))]
        read_outcome(node)
        for c in node.children:
            read_node(c)

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        read_node(game.root)
    finally:
        sys.setrecursionlimit(limit)
    extra = t.peek()
    if extra[0] != "eof":
        raise t.error(extra, f"unexpected {extra[1]!r} after the last node of the tree")
    return game


def _desc_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_efg(game: ExtensiveGame, path=None) -> str:
    """Gambit ``.efg`` text of ``game`` in Gambit's own layout; written atomically to ``path``.

    Every node repeats its information set's label and actions and its
    outcome's label and payoffs, as Gambit writes them, so a file read by
    :func:`read_efg` from Gambit writes back unchanged.
    """
    lines = [
        f"EFG 2 R {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}",
        _desc_quote(game.description),
        "",
    ]
    stack = [game.root]
    while stack:
        node = stack.pop()
        parts = []
        s = node.infoset
        if s is None:
            parts.append(f"t {_quote(node.label)}")
        elif s.is_chance:
            acts = " ".join(f"{_quote(a)} {p}" for a, p in zip(s.actions, s.prob_texts))
            parts.append(f"c {_quote(node.label)} {s.number} {_quote(s.label)} {{ {acts} }}")
        else:
            acts = " ".join(_quote(a) for a in s.actions)
            parts.append(
                f"p {_quote(node.label)} {s.player + 1} {s.number} {_quote(s.label)} {{ {acts} }}"
            )
        o = node.outcome
        if o is None:
            parts.append("0")
        else:
            parts.append(f"{o.number} {_quote(o.label)} {{ {', '.join(o.texts)} }}")
        lines.append(" ".join(parts))
        stack.extend(reversed(node.children))
    text = "\n".join(lines) + "\n"
    if path is not None:
        atomic_write_text(path, text)
    return text


def same_game(a: ExtensiveGame, b: ExtensiveGame) -> bool:
    """Structural equality: players, tree, labels, information sets, probabilities, payoffs."""
    if a.players != b.players or a.title != b.title:
        return False
    na, nb = list(a.nodes()), list(b.nodes())
    if len(na) != len(nb):
        return False
    for x, y in zip(na, nb):
        if x.label != y.label or (x.infoset is None) != (y.infoset is None):
            return False
        if x.infoset is not None:
            sx, sy = x.infoset, y.infoset
            if (sx.player, sx.number, sx.label, sx.actions, sx.probs) != (
                sy.player,
                sy.number,
                sy.label,
                sy.actions,
                sy.probs,
            ):
                return False
        ox, oy = x.outcome, y.outcome
        if (ox is None) != (oy is None):
            return False
        if ox is not None and (ox.payoffs, ox.label) != (oy.payoffs, oy.label):
            return False
    return True
