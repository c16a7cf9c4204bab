"""Who topples the tower: the subgame-perfect equilibrium of classic Jenga as the levels vary.

In ``JengaGame.classic`` (top level protected, must move) each lower row is
an independent heap: a full row of three has two safe continuations (take
the middle: no safe move is left in that row; take a side: one more side may
go). Its Sprague–Grundy value is therefore ``*2`` (and a row left with the
middle and one side ``*1``), the Nim values Zwick found for a level of his
idealised Jenga [Zwick2002]_. When the collapse cost exceeds every gain the
game is a normal-play impartial game between two players, and the first
player topples exactly when the Nim sum of the rows is 0 [Berlekamp2001]_:
for width 3, when the number of levels is odd. Zwick's game also puts every
removed block back on top (new levels), which changes the answer: there the
first player wins iff ``n = 2`` or ``n ≡ 1, 2 (mod 3)`` with ``n ≥ 4``.
With three players there is no such theory; the table records what the
equilibrium (tie-break ``"first"``) does.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._game import JengaGame

__all__ = ["markdown_table", "toppler_table"]


def toppler_table(
    levels: Iterable[int] = range(2, 9),
    widths: Iterable[int] = (3,),
    players: Iterable[int] = (2, 3),
    *,
    collapse_cost: float = 100.0,
    gains: float = 1.0,
    tie_break: str = "first",
) -> list[dict]:
    """Solve ``JengaGame.classic(levels, width, players)`` for each combination.

    Returns
    -------
    list of dict
        One row per game: ``levels``, ``width``, ``blocks``, ``players``,
        ``toppler`` (player name or ``None``), ``turn`` (of the fall, 1-based),
        ``removed`` (blocks removed, the toppling one included), ``payoffs``
        (tuple, in player order) and ``states`` (removal sets solved).
    """
    rows = []
    for w in widths:
        for m in players:
            for lv in levels:
                game = JengaGame.classic(lv, w, players=m, collapse_cost=collapse_cost, gains=gains)
                res = game.solve(tie_break)
                rows.append(
                    {
                        "levels": lv,
                        "width": w,
                        "blocks": lv * w,
                        "players": m,
                        "toppler": res.toppled_by,
                        "turn": len(res.path) if res.fell else None,
                        "removed": len(res.removed),
                        "payoffs": tuple(round(v, 9) for v in res.payoffs.values()),
                        "states": res.n_states,
                    }
                )
    return rows


def markdown_table(rows: list[dict]) -> str:
    """The rows of :func:`toppler_table` as a Markdown table."""
    head = "| levels | width | blocks | players | toppled by | at turn | payoffs | states |"
    lines = [head, "|---:|---:|---:|---:|:---|---:|:---|---:|"]
    for r in rows:
        pay = ", ".join(f"{v:g}" for v in r["payoffs"])
        lines.append(
            f"| {r['levels']} | {r['width']} | {r['blocks']} | {r['players']} | "
            f"{r['toppler'] or 'nobody'} | {r['turn'] or '-'} | {pay} | {r['states']:,} |"
        )
    return "\n".join(lines)
