"""Figures for cooperative games: the core of a 3-player game, power against weight.

- :func:`core_simplex`: the imputation triangle of a 3-player game in
  barycentric coordinates (``x(N) = v(N)``), the core as a shaded polygon
  (``x(S) >= v(S)`` for all S, clipped from the efficiency plane), and the
  Shapley value, nucleolus and τ-value marked.
- :func:`power_vs_weight`: Shapley–Shubik and Banzhaf indices against the
  share of the weight, for a weighted voting game (power is not weight).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..errors import InvalidGameError
from .style import PALETTE, figure_for

__all__ = ["core_polygon", "core_simplex", "power_vs_weight"]

_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def _clip(poly: list[np.ndarray], a: np.ndarray, b: float) -> list[np.ndarray]:
    """Sutherland–Hodgman: keep the part of polygon ``poly`` (points in R^2) with ``a·p >= b``."""
    out = []
    for k in range(len(poly)):
        p, q = poly[k], poly[(k + 1) % len(poly)]
        fp, fq = a @ p - b, a @ q - b
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + (q - p) * fp / (fp - fq))
    return out


def core_polygon(game) -> np.ndarray:
    """Vertices ``(k, 3)`` of the core of a 3-player game (empty array if the core is empty).

    On ``x(N) = v(N)`` write ``x = (x1, x2, v(N) − x1 − x2)``; each ``x(S) >= v(S)`` is a
    half-plane in ``(x1, x2)``, clipped from a box that contains the core.
    """
    if game.n != 3:
        raise InvalidGameError(f"core_polygon draws 3-player games; this game has {game.n}")
    v = game.values
    vn = v[7]
    big = 10 * max(1.0, float(np.abs(v).max()))
    poly = [np.array(p, float) for p in ((-big, -big), (big, -big), (big, big), (-big, big))]
    for S in range(1, 7):
        # x(S) = s1 x1 + s2 x2 + s3 (vN - x1 - x2)
        s = [(S >> i) & 1 for i in range(3)]
        a = np.array([s[0] - s[2], s[1] - s[2]], float)
        b = v[S] - s[2] * vn
        poly = _clip(poly, a, b)
        if not poly:
            return np.zeros((0, 3))
    pts = np.array(poly)
    return np.column_stack([pts, vn - pts.sum(axis=1)])


def _bary(x: np.ndarray, game) -> np.ndarray:
    """Barycentric position of allocations (rows) relative to the imputation triangle."""
    v = game.values
    singles = v[[1, 2, 4]]
    surplus = v[7] - singles.sum()
    w = (
        (np.atleast_2d(x) - singles) / surplus
        if surplus > 0
        else np.atleast_2d(x) / max(v[7], 1e-300)
    )
    return w @ _CORNERS


def core_simplex(game, ax=None, title: str | None = None, labels=None):
    """Draw the core of a 3-player game on its imputation triangle, with solution points.

    Parameters
    ----------
    game : TUGame
        A 3-player game with ``v(N) > Σ v({i})`` (an essential game: the
        imputation set is a proper triangle).
    ax : matplotlib Axes, optional
        Draw into these axes; by default a new house-style figure.
    labels : sequence of str, optional
        Corner labels (default: the players).

    Returns
    -------
    (fig, ax)
    """
    from ..games.cooperative import nucleolus, shapley, tau_value

    if game.n != 3:
        raise InvalidGameError(f"core_simplex draws 3-player games; this game has {game.n}")
    if not game.is_essential():
        raise InvalidGameError(
            "core_simplex needs an essential game (v(N) > Σ v({i})) so that the "
            "imputations form a triangle"
        )
    fig, ax = figure_for(ax)
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color=PALETTE[0], lw=0.8)
    labels = [str(p) for p in game.players] if labels is None else list(labels)
    for corner, lab, off in zip(_CORNERS, labels, ((-0.04, -0.05), (0.04, -0.05), (0, 0.04))):
        ax.text(corner[0] + off[0], corner[1] + off[1], lab, ha="center", fontsize=7)
    core = core_polygon(game)
    if core.shape[0] >= 3:
        pts = _bary(core, game)
        ax.fill(
            pts[:, 0], pts[:, 1], color=PALETTE[2], alpha=0.45, lw=0.8, ec=PALETTE[5], label="core"
        )
    elif core.shape[0] > 0:
        pts = _bary(core, game)
        ax.plot(pts[:, 0], pts[:, 1], color=PALETTE[5], lw=2, label="core")
    marks = [
        ("Shapley", shapley(game).values, "o", PALETTE[6]),
        ("nucleolus", nucleolus(game).allocation.values, "s", PALETTE[0]),
    ]
    with contextlib.suppress(InvalidGameError):  # the τ-value is undefined for some games
        marks.append(("τ-value", tau_value(game).values, "^", PALETTE[1]))
    for name, x, marker, col in marks:
        p = _bary(x, game)[0]
        ax.plot(p[0], p[1], marker, color=col, ms=5, label=name, ls="none")
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper right", frameon=False, fontsize=6)
    if title:
        ax.set_title(title)
    return fig, ax


def power_vs_weight(weights, quota, ax=None, title: str | None = None, labels=None):
    """Bar chart of weight share, Shapley–Shubik and normalised Banzhaf index per player.

    Uses :func:`~jenga_games.games.cooperative.weighted_voting_indices` (n in the hundreds).
    """
    from ..games.cooperative import weighted_voting_indices

    r = weighted_voting_indices(weights, quota)
    w = np.asarray(weights, float)
    fig, ax = figure_for(ax)
    k = np.arange(w.size)
    ax.bar(k - 0.27, w / w.sum(), 0.27, label="weight share", color=PALETTE[7])
    ax.bar(k, r.shapley_shubik, 0.27, label="Shapley–Shubik", color=PALETTE[5])
    ax.bar(k + 0.27, r.banzhaf, 0.27, label="Banzhaf", color=PALETTE[1])
    ax.set_xticks(k, [str(x) for x in (labels if labels is not None else r.players)], fontsize=6)
    ax.set_ylabel("share")
    ax.legend(frameon=False)
    ax.set_title(title or f"quota {quota} of {int(w.sum())}")
    return fig, ax
