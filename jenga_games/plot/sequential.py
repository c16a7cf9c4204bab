"""Figures of the Jenga game: a play drawn on the tower, and who topples it as the levels vary."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
from matplotlib.patches import Patch, Rectangle

from .style import color_cycle, figure_for, style

__all__ = ["plot_play", "plot_topplers"]


def _layers(tower) -> dict:
    """Row of each block: its ``layer``, else its depth in the condensation of the support graph."""
    if all(tower.service(b).layer is not None for b in tower.ids):
        return {b: tower.service(b).layer for b in tower.ids}
    g = tower.graph
    cond = nx.condensation(g)
    depth: dict = {}
    for c in nx.topological_sort(cond):
        preds = list(cond.predecessors(c))
        depth[c] = 1 + max(depth[p] for p in preds) if preds else 0
    return {b: depth[cond.graph["mapping"][b]] for b in tower.ids}


def plot_play(play, tower, ax=None, title: str | None = None):
    """Draw a play of the Jenga game on the tower, row by row.

    Removed blocks are coloured by the player who took them and labelled with
    the turn; blocks that fell are hatched in grey; the toppling block has a
    thick black edge.

    Parameters
    ----------
    play : JengaPlay
    tower : Tower
        The game's tower (``game.tower``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Figure
    """
    with style():
        fig, ax = figure_for(ax)
        rows = _layers(tower)
        by_row: dict = {}
        for b in tower.ids:
            by_row.setdefault(rows[b], []).append(b)
        players = sorted({m.player for m in play.path}, key=str)
        colours = dict(zip(players, color_cycle(len(players))))
        taken = {m.block: m for m in play.path if m.block is not None}
        fell = set(play.outcome.fell)
        width = max(len(v) for v in by_row.values())
        for r, blocks in by_row.items():
            off = (width - len(blocks)) / 2
            for i, b in enumerate(blocks):
                x, y = off + i, r
                mv = taken.get(b)
                if mv is not None:
                    rect = Rectangle(
                        (x + 0.05, y + 0.1),
                        0.9,
                        0.8,
                        facecolor=colours[mv.player],
                        edgecolor="black",
                        linewidth=2.0 if mv.toppled else 0.6,
                    )
                    ax.text(
                        x + 0.5, y + 0.5, str(mv.turn + 1), ha="center", va="center", fontsize=7
                    )
                elif b in fell:
                    rect = Rectangle(
                        (x + 0.05, y + 0.1),
                        0.9,
                        0.8,
                        facecolor="0.85",
                        hatch="xx",
                        edgecolor="0.4",
                        linewidth=0.6,
                    )
                else:
                    rect = Rectangle(
                        (x + 0.05, y + 0.1),
                        0.9,
                        0.8,
                        facecolor="white",
                        edgecolor="0.3",
                        linewidth=0.6,
                    )
                ax.add_patch(rect)
        ax.set_xlim(-0.2, width + 0.2)
        ax.set_ylim(-0.2, max(by_row) + 1.2)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_ylabel("level")
        ax.grid(False)
        handles = [Patch(facecolor=colours[p], edgecolor="black", label=str(p)) for p in players]
        handles.append(Patch(facecolor="0.85", hatch="xx", edgecolor="0.4", label="fell"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        end = (
            f"toppled by {play.toppled_by} at turn {len(play.path)}"
            if play.fell
            else "tower stands"
        )
        ax.set_title(title or f"{play.method}: {end}")
    return fig


def plot_topplers(rows: Sequence[dict], ax=None):
    """Who topples the tower in equilibrium, by number of levels (columns) and game (rows).

    ``rows`` come from :func:`jenga_games.games.sequential.toppler_table`;
    each cell is coloured by the toppling player and labelled with the turn.
    """
    with style():
        games = sorted({(r["width"], r["players"]) for r in rows})
        levels = sorted({r["levels"] for r in rows})
        fig, ax = figure_for(ax, height=0.45 * len(games) + 1.0)
        colours = color_cycle(max(r["players"] for r in rows))
        for gi, (w, m) in enumerate(games):
            for r in rows:
                if (r["width"], r["players"]) != (w, m):
                    continue
                x = levels.index(r["levels"])
                tp = r["toppler"]
                k = int(str(tp)[1:]) - 1 if tp is not None and str(tp)[1:].isdigit() else None
                face = colours[k] if k is not None else "white"
                ax.add_patch(
                    Rectangle((x, gi), 0.95, 0.9, facecolor=face, edgecolor="0.3", linewidth=0.5)
                )
                label = f"{tp}\nt{r['turn']}" if tp is not None else "none"
                ax.text(x + 0.475, gi + 0.45, label, ha="center", va="center", fontsize=6)
        ax.set_xlim(0, len(levels))
        ax.set_ylim(0, len(games))
        ax.set_xticks([i + 0.475 for i in range(len(levels))], [str(v) for v in levels])
        ax.set_yticks(
            [i + 0.45 for i in range(len(games))], [f"width {w}, {m} players" for w, m in games]
        )
        ax.set_xlabel("levels (top level protected; must move; collapse cost > all gains)")
        ax.grid(False)
        ax.set_title("Who topples the tower in the subgame-perfect equilibrium")
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
    return fig
