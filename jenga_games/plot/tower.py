"""Drawing towers: rows of blocks that look like Jenga, the dependency graph, and cascades.

* :func:`draw_tower` — the tower as rows of wooden blocks, coloured by
  provider; blocks moved out (planned) are empty hatched slots, blocks that
  fell (unplanned) are faded, tilted and crossed out; critical services have
  a heavy outline.
* :func:`draw_dependencies` — the dependency graph, layer by layer (edge
  ``u -> v``: u supports v, drawn upwards); solid arrows into a service that
  needs *all* its supporters, dashed arrows into one that needs only some.
* :func:`draw_cascade` — small multiples: the removal, then each round of the
  cascade (``Outcome.rounds``), what fell in that round crossed out.

Rows come from each service's ``layer`` when every service has one;
otherwise from the layers of the condensation (strongly connected groups,
such as services that support each other, share a row): a group's row is
the length of the longest chain of groups beneath it. Rows of more than
``MAX_ROW`` blocks are drawn as several rows.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Collection, Hashable, Mapping

import matplotlib.patches as mpatches
import matplotlib.transforms as mtransforms
import networkx as nx
import numpy as np
from matplotlib.lines import Line2D

from ..errors import TooLargeError
from ..tower.model import Tower
from ..tower.outcome import Outcome
from .style import PAGE_WIDTH, PALETTE, figure, style

__all__ = [
    "MAX_DRAWN_SERVICES",
    "MAX_ROW",
    "draw_cascade",
    "draw_dependencies",
    "draw_tower",
    "provider_colours",
    "tower_layers",
]

#: Beyond this many services a drawing is unreadable: draw a part of the tower instead.
MAX_DRAWN_SERVICES = 400

_FELL = PALETTE[6]  # vermillion: reserved for unplanned falls
_NO_PROVIDER = "#D8B77E"  # plain wood, for towers without providers
_PROVIDER_ORDER = (
    PALETTE[1],
    PALETTE[2],
    PALETTE[3],
    PALETTE[7],
    PALETTE[4],
    PALETTE[5],
    PALETTE[0],
)


# -- layout -------------------------------------------------------------------------------
def tower_layers(tower: Tower) -> dict[Hashable, int]:
    """Row of each service: its ``layer``, or its layer in the condensation (0 = bottom).

    When every service has a ``layer`` attribute those are used. Otherwise the
    strongly connected components are contracted and each component's row is
    the longest path of components beneath it, so every supporter sits below
    its dependants except within a cycle.
    """
    if all(s.layer is not None for s in tower):
        return {s.id: int(s.layer) for s in tower}
    cond = nx.condensation(tower.graph)
    level: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        preds = list(cond.predecessors(c))
        level[c] = 1 + max(level[p] for p in preds) if preds else 0
    mapping = cond.graph["mapping"]
    return {sid: level[mapping[sid]] for sid in tower.ids}


#: Rows wider than this are drawn as several rows (a big cycle would otherwise be one long row).
MAX_ROW = 10


def _rows(tower: Tower) -> list[list[Hashable]]:
    layers = tower_layers(tower)
    rows: dict[int, list[Hashable]] = {}
    for sid in tower.ids:
        rows.setdefault(layers[sid], []).append(sid)
    out: list[list[Hashable]] = []
    for r in range(min(rows), max(rows) + 1):
        row = rows.get(r, [])
        if len(row) <= MAX_ROW:
            out.append(row)
            continue
        parts = math.ceil(len(row) / MAX_ROW)
        size = math.ceil(len(row) / parts)
        out.extend(row[i : i + size] for i in range(0, len(row), size))
    return out


def _rows_and_axes(
    tower: Tower, ax, *, per_block: float, pad: float, row_height: float, legend_pad: float
):
    """The tower's rows, and ``ax`` or new axes sized to them (inches per block and per row)."""
    _check_size(tower)
    rows = _rows(tower)
    if ax is None:
        widest = max(len(r) for r in rows)
        _, ax = figure(
            width=min(PAGE_WIDTH, max(3.5, per_block * widest + pad)),
            height=row_height * len(rows) + legend_pad,
        )
    return rows, ax


def provider_colours(tower: Tower) -> dict[Hashable, str]:
    """One Okabe–Ito colour per provider, in order (vermillion is kept for falls)."""
    return {p: _PROVIDER_ORDER[i % len(_PROVIDER_ORDER)] for i, p in enumerate(tower.providers)}


def _colour(tower: Tower, colours: Mapping, sid: Hashable) -> str:
    p = tower.service(sid).provider
    return colours.get(p, _NO_PROVIDER) if p is not None else _NO_PROVIDER


def _text_colour(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "black"


def _darker(hex_colour: str, factor: float = 0.75) -> tuple[float, float, float]:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (r * factor, g * factor, b * factor)


def _label(tower: Tower, sid: Hashable) -> str:
    s = tower.service(sid)
    return s.label if s.label else str(sid)


def _check_size(tower: Tower) -> None:
    if not isinstance(tower, Tower):
        from ..errors import InvalidTowerError

        raise InvalidTowerError(f"expected a Tower, got {type(tower).__name__}")
    if len(tower) > MAX_DRAWN_SERVICES:
        raise TooLargeError(
            f"a tower of {len(tower)} services is too large to draw (limit {MAX_DRAWN_SERVICES}); "
            "draw a part of it, e.g. the services of one provider"
        )


def _states(outcome: Outcome | None) -> tuple[frozenset, frozenset]:
    if outcome is None:
        return frozenset(), frozenset()
    return frozenset(outcome.removed), frozenset(outcome.fell)


# -- the Jenga view -------------------------------------------------------------------------
def _draw_blocks(
    ax,
    tower: Tower,
    rows: list[list[Hashable]],
    colours: Mapping,
    removed: Collection,
    fell: Collection,
    crossed: Collection | None = None,
    labels: bool | Collection = True,
    fontsize: float = 5.5,
    line_scale: float = 1.0,
) -> None:
    """Draw ``rows`` of blocks on ``ax`` (tower width 1 per row, row height 1).

    ``crossed`` (default: all of ``fell``) are crossed out; other fallen
    blocks are only faded and tilted. ``labels`` is a bool or the services to label.
    """
    crossed = fell if crossed is None else crossed
    n_critical = sum(s.critical for s in tower)
    mark_critical = (
        0 < n_critical < len(tower)
    )  # when every block is critical, outlines say nothing
    gap, height = 0.012, 0.86
    fig_w = ax.figure.get_figwidth() * ax.get_position().width
    fig_h = ax.figure.get_figheight() * ax.get_position().height
    aspect = (fig_w / 1.1) / max(fig_h / (len(rows) + 0.25), 1e-9)  # y units per x unit, visually
    for level, row in enumerate(rows):
        if not row:
            continue
        w = 1.0 / len(row)
        width_pt = fig_w * w * 72 * 0.9
        for j, sid in enumerate(row):
            x0, y0 = j * w + gap / 2, level + (1 - height) / 2
            bw = w - gap
            colour = _colour(tower, colours, sid)
            crit = mark_critical and tower.service(sid).critical
            is_removed, is_fell = sid in removed, sid in fell
            if is_removed:
                face, edge, alpha, ls, hatch = "white", colour, 1.0, (0, (3, 2)), "////"
            elif is_fell:
                face, edge, alpha, ls, hatch = colour, _darker(colour, 0.6), 0.38, "-", None
            else:
                face, edge, alpha, ls, hatch = colour, _darker(colour, 0.55), 1.0, "-", None
            patch = mpatches.FancyBboxPatch(
                (x0, y0),
                bw,
                height,
                boxstyle=f"round,pad=0,rounding_size={min(0.012, bw / 6)}",
                facecolor=face,
                edgecolor=edge,
                linewidth=(2.2 if crit and not is_removed else 0.8) * line_scale,
                linestyle=ls,
                hatch=hatch,
                alpha=alpha,
                mutation_aspect=aspect,
            )
            if is_fell:  # tilted, as if falling
                cx, cy = x0 + bw / 2, y0 + height / 2
                angle = 6 if (j + level) % 2 else -6
                tilt = (
                    mtransforms.Affine2D()
                    .translate(-cx, -cy)
                    .scale(1.0, 1.0 / aspect)
                    .rotate_deg(angle)
                    .scale(1.0, aspect)
                    .translate(cx, cy - 0.04)
                )
                patch.set_transform(tilt + ax.transData)
            ax.add_patch(patch)
            if not is_removed:  # wood grain
                for k in (0.28, 0.5, 0.72):
                    ax.plot(
                        [x0 + bw * 0.06, x0 + bw * 0.94],
                        [y0 + height * k] * 2,
                        color=_darker(colour, 0.85),
                        linewidth=0.35,
                        alpha=0.5 * alpha,
                        zorder=2,
                        solid_capstyle="round",
                    )
            else:
                patch.set_edgecolor(colour)
            if sid in crossed:
                lw = 1.8 * line_scale
                ax.plot(
                    [x0 + 0.1 * bw, x0 + 0.9 * bw],
                    [y0 + 0.12, y0 + height - 0.12],
                    color=_FELL,
                    linewidth=lw,
                    zorder=4,
                    solid_capstyle="round",
                )
                ax.plot(
                    [x0 + 0.1 * bw, x0 + 0.9 * bw],
                    [y0 + height - 0.12, y0 + 0.12],
                    color=_FELL,
                    linewidth=lw,
                    zorder=4,
                    solid_capstyle="round",
                )
            if labels is True or (labels and sid in labels):
                words = _label(tower, sid).split()
                fs = max(3.0, min(fontsize, width_pt / (0.6 * max(len(wd) for wd in words))))
                chars = max(4, int(width_pt / (0.6 * fs)))
                text = "\n".join(textwrap.wrap(" ".join(words), chars, break_long_words=False)[:3])
                tc = "0.45" if is_removed else (_text_colour(colour) if not is_fell else "0.2")
                ax.text(
                    x0 + bw / 2,
                    y0 + height / 2,
                    text,
                    ha="center",
                    va="center",
                    fontsize=fs,
                    color=tc,
                    zorder=5,
                    linespacing=1.0,
                )
    ax.plot([-0.04, 1.04], [0, 0], color="0.35", linewidth=2.0, solid_capstyle="butt")  # the table
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.15, len(rows) + 0.1)
    ax.set_axis_off()


def _legend_handles(tower: Tower, colours: Mapping, removed, fell, failed: Collection = ()) -> list:
    handles = []
    for p, c in colours.items():
        name = tower.providers[p].label or str(p)
        if p in failed:
            name += " (failed)"
        handles.append(mpatches.Patch(facecolor=c, edgecolor=_darker(c, 0.55), label=name))
    if any(s.provider is None for s in tower):
        handles.append(
            mpatches.Patch(
                facecolor=_NO_PROVIDER,
                edgecolor=_darker(_NO_PROVIDER, 0.55),
                label="block" if not colours else "no provider",
            )
        )
    if 0 < sum(s.critical for s in tower) < len(tower):
        handles.append(
            mpatches.Patch(facecolor="white", edgecolor="black", linewidth=2.0, label="critical")
        )
    if removed:
        handles.append(
            mpatches.Patch(
                facecolor="white",
                edgecolor="0.3",
                hatch="////",
                linestyle="--",
                label="moved out (planned)",
            )
        )
    if fell:
        handles.append(
            Line2D(
                [],
                [],
                color=_FELL,
                marker="x",
                linestyle="none",
                markersize=6,
                markeredgewidth=1.8,
                label="fell (unplanned)",
            )
        )
    return handles


def _status(outcome: Outcome | None) -> str:
    if outcome is None:
        return "intact"
    if outcome.collapsed:
        what = f"{len(outcome.fell)} fell"
        if outcome.failed_providers:
            what += f", {len(outcome.failed_providers)} provider(s) failed"
        return f"collapsed: {what}"
    if outcome.fallen:
        return f"{len(outcome.fell)} fell"
    return "standing"


def draw_tower(
    tower: Tower,
    outcome: Outcome | None = None,
    ax=None,
    *,
    title: str | None = None,
    labels: bool = True,
    legend: bool = True,
):
    """Draw the tower as rows of Jenga blocks, coloured by provider.

    Parameters
    ----------
    tower : Tower
    outcome : Outcome, optional
        A cascade or play result: removed blocks are drawn as empty hatched
        slots, blocks that fell as faded, tilted and crossed out.
    ax : matplotlib Axes, optional
        Drawn on a new figure in the house style when omitted.
    title : str, optional
        Default: the tower's name and its state.
    labels, legend : bool

    Returns
    -------
    matplotlib Axes
    """
    rows, ax = _rows_and_axes(
        tower, ax, per_block=0.95, pad=1.2, row_height=0.62, legend_pad=1.0 if legend else 0.5
    )
    colours = provider_colours(tower)
    removed, fell = _states(outcome)
    with style():
        _draw_blocks(ax, tower, rows, colours, removed, fell, labels=labels)
        ax.set_title(
            title if title is not None else f"{tower.name or 'tower'} — {_status(outcome)}",
            fontsize=8,
        )
        if legend:
            _legend_below(ax, tower, colours, removed, fell, outcome)
    return ax


def _legend_below(ax, tower, colours, removed, fell, outcome, extra=(), handlelength=1.5) -> None:
    """The providers' and states' legend (plus ``extra`` handles) in a band below ``ax``."""
    failed = outcome.failed_providers if outcome is not None else ()
    handles = [*_legend_handles(tower, colours, removed, fell, failed), *extra]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(4, len(handles)),
        frameon=False,
        fontsize=6,
        handlelength=handlelength,
    )


# -- the dependency graph -------------------------------------------------------------------
def _graph_positions(tower: Tower) -> dict[Hashable, tuple[float, float]]:
    pos = {}
    for level, row in enumerate(_rows(tower)):
        n = len(row)
        for j, sid in enumerate(row):
            pos[sid] = ((j + 0.5) / n, float(level))
    return pos


def draw_dependencies(
    tower: Tower,
    outcome: Outcome | None = None,
    ax=None,
    *,
    title: str | None = None,
    labels: bool = True,
    legend: bool = True,
):
    """Draw the dependency graph row by row (edge ``u -> v``: u supports v, pointing up).

    Arrows into a service that needs all its supporters are solid; arrows
    into one whose rule needs only some of them (``AnyOf``, ``AtLeast``,
    compound rules) are dashed. Services are coloured by provider; with an
    ``outcome``, removed services are hollow and fallen ones crossed out.

    Returns
    -------
    matplotlib Axes
    """
    rows, ax = _rows_and_axes(
        tower, ax, per_block=1.0, pad=1.0, row_height=0.75, legend_pad=1.0 if legend else 0.4
    )
    colours = provider_colours(tower)
    removed, fell = _states(outcome)
    pos = _graph_positions(tower)
    sup = {sid: tower.supporters(sid) for sid in tower.ids}
    needs_all = {
        sid
        for sid in tower.ids
        if tower.service(sid).rule.threshold(sup[sid]) in (len(sup[sid]), None)
        and _needs_all(tower, sid)
    }
    solid = [(u, v) for u, v in tower.supports if v in needs_all]
    dashed = [(u, v) for u, v in tower.supports if v not in needs_all]
    widest = max(len(r) for r in rows)
    fontsize = 5.5 if widest <= 7 else 4.5
    texts = {
        sid: "\n".join(textwrap.wrap(_label(tower, sid), 16)[:3]) if labels else " "
        for sid in tower.ids
    }
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    fig = ax.figure
    bbox = ax.get_position()
    x_per_pt = 1.04 / (fig.get_figwidth() * bbox.width * 72)
    y_per_pt = len(rows) / (fig.get_figheight() * bbox.height * 72)

    def half_size(sid):
        lines = texts[sid].split("\n")
        w_pt = max(len(line) for line in lines) * fontsize * 0.56 + 2 * 0.3 * fontsize + 2
        h_pt = len(lines) * fontsize * 1.2 + 2 * 0.3 * fontsize + 2
        return w_pt / 2 * x_per_pt, h_pt / 2 * y_per_pt

    halves = {sid: half_size(sid) for sid in tower.ids}

    def clip(a, b, half):
        """Where the segment from box centre ``a`` towards ``b`` leaves the box around ``a``."""
        (ax_, ay), (bx, by), (hw, hh) = a, b, half
        dx, dy = bx - ax_, by - ay
        t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
        return ax_ + dx * min(t, 0.5), ay + dy * min(t, 0.5)

    edge_set = set(tower.supports)
    with style():
        for edges, ls in ((solid, "solid"), (dashed, (0, (3, 2)))):
            for u, v in edges:
                start, stop = clip(pos[u], pos[v], halves[u]), clip(pos[v], pos[u], halves[v])
                rad = 0.25 if (v, u) in edge_set else 0.0
                ax.add_patch(
                    mpatches.FancyArrowPatch(
                        start,
                        stop,
                        arrowstyle="-|>",
                        mutation_scale=6,
                        linewidth=0.6,
                        linestyle=ls,
                        color="0.3",
                        alpha=0.75,
                        shrinkA=0,
                        shrinkB=0,
                        zorder=2,
                        connectionstyle=f"arc3,rad={rad}",
                    )
                )
        for sid, (x, y) in pos.items():
            c = _colour(tower, colours, sid)
            crit = tower.service(sid).critical
            if sid in removed:
                box = dict(
                    boxstyle="round,pad=0.3",
                    facecolor="white",
                    edgecolor=c,
                    linestyle="--",
                    linewidth=1.0,
                )
                tc = "0.45"
            elif sid in fell:
                box = dict(
                    boxstyle="round,pad=0.3", facecolor=c, alpha=0.4, edgecolor=_FELL, linewidth=1.4
                )
                tc = "0.15"
            else:
                box = dict(
                    boxstyle="round,pad=0.3",
                    facecolor=c,
                    edgecolor=_darker(c, 0.5),
                    linewidth=2.0 if crit else 0.6,
                )
                tc = _text_colour(c)
            ax.text(
                x,
                y,
                texts[sid],
                ha="center",
                va="center",
                fontsize=fontsize,
                color=tc,
                bbox=box,
                zorder=3,
            )
            if sid in fell:  # a cross at the box's corner, leaving the label readable
                hw, hh = halves[sid]
                ax.plot(
                    [x + hw],
                    [y + hh],
                    marker="x",
                    color=_FELL,
                    markersize=6,
                    markeredgewidth=1.8,
                    zorder=4,
                )
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_axis_off()
        ax.set_title(
            title
            if title is not None
            else f"{tower.name or 'tower'}: who supports whom — {_status(outcome)}",
            fontsize=8,
        )
        if legend:
            extra = [Line2D([], [], color="0.35", linewidth=0.8, label="needs all supporters")]
            if dashed:
                extra.append(
                    Line2D(
                        [],
                        [],
                        color="0.35",
                        linewidth=0.8,
                        linestyle=(0, (3, 2)),
                        label="needs some supporters",
                    )
                )
            _legend_below(ax, tower, colours, removed, fell, outcome, extra, handlelength=1.8)
    return ax


def _needs_all(tower: Tower, sid: Hashable) -> bool:
    """Whether the service falls as soon as any one supporter goes (its rule is ``AllOf`` in effect)."""
    sups = tower.supporters(sid)
    if not sups:
        return True
    rule = tower.service(sid).rule
    k = rule.threshold(sups)
    if k is not None:
        return k >= len(sups)
    everyone = set(sups)
    return all(not rule.evaluate(everyone - {u}, sups) for u in sups)


def _providers_failing_in(tower: Tower, outcome: Outcome, r: int) -> list[str]:
    """Providers that failed in round ``r`` (0-based), from ``Outcome.failure_round``."""
    return [
        tower.providers[p].label or str(p)
        for p in outcome.failed_providers
        if outcome.failure_round.get(p) == r + 1
    ]


# -- the cascade, step by step --------------------------------------------------------------
def draw_cascade(tower: Tower, outcome: Outcome, *, max_panels: int = 8, ncols: int | None = None):
    """Small multiples of a cascade: the removal, then each round of unplanned falls.

    Panel 0 shows what was moved out; panel ``r`` shows the tower after
    round ``r`` of the cascade: the services that fell in that round crossed
    out (and labelled), earlier falls faded and tilted. Long cascades keep their first
    ``max_panels − 2`` rounds and the last one.

    Returns
    -------
    matplotlib Figure
    """
    _check_size(tower)
    if not isinstance(outcome, Outcome):
        from ..errors import InvalidTowerError

        raise InvalidTowerError(
            f"draw_cascade needs the Outcome of tower.cascade(...), got {outcome!r}"
        )
    rounds = list(outcome.rounds)
    steps = list(range(len(rounds)))
    if len(rounds) + 1 > max_panels:
        steps = [*steps[: max(1, max_panels - 2)], len(rounds) - 1]
    panels = 1 + len(steps)
    rows = _rows(tower)
    widest = max(len(r) for r in rows)
    ncols = ncols or min(2 if widest > 4 else 4, panels)
    nrows = math.ceil(panels / ncols)
    width = PAGE_WIDTH
    panel_w = width / ncols
    height = nrows * (panel_w * (len(rows) * 0.62) / max(3.0, 0.95 * widest)) + 0.9
    fig, axes = figure(width=width, height=max(2.5, height), nrows=nrows, ncols=ncols)
    axes = np.atleast_1d(axes).ravel()
    colours = provider_colours(tower)
    removed = frozenset(outcome.removed)
    with style():
        small = dict(fontsize=4.5, line_scale=0.6)
        _draw_blocks(axes[0], tower, rows, colours, removed, (), labels=removed, **small)
        moved = ", ".join(_label(tower, s) for s in sorted(removed, key=str)[:3])
        more = f" +{len(removed) - 3}" if len(removed) > 3 else ""
        axes[0].set_title(
            textwrap.fill(f"moved out: {moved}{more}" if removed else "intact", 34), fontsize=6
        )
        for ax, r in zip(axes[1:], steps):
            fallen_so_far = frozenset(s for rr in rounds[: r + 1] for s in rr)
            new = frozenset(rounds[r])
            _draw_blocks(
                ax,
                tower,
                rows,
                colours,
                removed,
                fallen_so_far,
                crossed=new,
                labels=new | removed,
                **small,
            )
            names = ", ".join(_label(tower, s) for s in rounds[r][:3])
            extra = f" +{len(rounds[r]) - 3}" if len(rounds[r]) > 3 else ""
            failing = _providers_failing_in(tower, outcome, r)
            note = f" ({', '.join(failing)} fails)" if failing else ""
            ax.set_title(textwrap.fill(f"round {r + 1}{note}: {names}{extra}", 40), fontsize=6)
        for ax in axes[panels:]:
            ax.set_axis_off()
        handles = _legend_handles(tower, colours, removed, outcome.fell, outcome.failed_providers)
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(5, len(handles)),
            frameon=False,
            fontsize=6,
        )
        fig.suptitle(
            f"{tower.name or 'tower'}: the cascade, round by round — {_status(outcome)}", fontsize=8
        )
    return fig
