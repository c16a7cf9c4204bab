"""Helpers shared by exercise generators: names, tables, tower instances."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..._rng import make_rng
from ...tower.model import Service, Tower
from ...tower.rules import AllOf, AnyOf

SERVICE_NAMES = (
    "pathology",
    "imaging",
    "theatres",
    "critical care",
    "A&E",
    "maternity",
    "outpatients",
    "ultrasound",
    "endoscopy",
    "acute medicine",
    "community nursing",
    "GP hub",
    "pharmacy",
    "physiotherapy",
    "diabetes clinic",
    "rehabilitation",
    "dermatology",
    "phlebotomy",
)


def rng_for(name: str, seed: int, difficulty: int) -> np.random.Generator:
    """A generator keyed by exercise type, seed and difficulty (stable across runs)."""
    key = [int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "little"), seed, difficulty]
    return make_rng(np.random.SeedSequence(key))


def frac_str(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def num_str(x) -> str:
    """A number as a student would write it: ``3`` not ``3.0``, else ``%g``."""
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def bimatrix_table(rows, cols, A, B, fmt=str) -> str:
    """A two-player game as a markdown table: row labels in bold, cells ``"A[i][j], B[i][j]"``."""
    lines = [
        "| Commissioner \\ Provider | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for i, row in enumerate(rows):
        cells = [f"{fmt(A[i][j])}, {fmt(B[i][j])}" for j in range(len(cols))]
        lines.append(f"| **{row}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def small_tower(rng: np.random.Generator, levels: int, width: int) -> Tower:
    """A small layered tower with named services, AllOf/AnyOf rules, 1-3 supporters each."""
    names = [str(s) for s in rng.permutation(SERVICE_NAMES)][: levels * width]
    rows = [names[i * width : (i + 1) * width] for i in range(levels)]
    services = [Service(n, layer=0) for n in rows[0]]
    edges = []
    for lv in range(1, levels):
        for n in rows[lv]:
            k = int(rng.integers(1, min(3, width) + 1))
            sups = [str(s) for s in rng.choice(rows[lv - 1], size=k, replace=False)]
            rule = AllOf() if (k == 1 or rng.random() < 0.5) else AnyOf()
            services.append(Service(n, support=rule, layer=lv))
            edges.extend((s, n) for s in sups)
    return Tower(services, edges, name="exercise tower")


def tower_table(tower: Tower) -> str:
    """A markdown table: service, row, supported by, needs."""
    lines = ["| service | row | supported by | stands while |", "|---|---|---|---|"]
    for s in tower:
        sups = tower.supporters(s.id)
        if not sups:
            need = "always (on the ground)"
        elif isinstance(s.rule, AnyOf) or len(sups) == 1:
            need = "any one of them stands" if len(sups) > 1 else "it stands"
        else:
            need = "all of them stand"
        lines.append(f"| {s.id} | {s.layer} | {', '.join(sups) or '—'} | {need} |")
    return "\n".join(lines)


def tower_data(tower: Tower, **extra) -> dict:
    """An exercise's ``data`` for a tower: its services and supports (plain lists), then ``extra``."""
    return {"services": list(tower.ids), "supports": [list(e) for e in tower.supports], **extra}


def tower_figure(tower: Tower, outcome=None):
    """A figure-writer for the exercise (None when the drawing module is unavailable)."""
    try:
        from ...plot.tower import draw_tower
    except ImportError:  # pragma: no cover - the drawing module ships with the package
        return None
    from ...plot.style import save

    def write(path):
        ax = draw_tower(tower, outcome)
        return save(ax.figure, path)[0]

    return write
