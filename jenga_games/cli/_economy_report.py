"""Sections of ``jenga demo`` about health, units and where the numbers come from (issue #17).

* :func:`section_health`: what patients lose when each block falls, in QALYs, valued
  at NICE's £20,000–£30,000 per QALY [NICE2013], beside the money lost;
* :func:`section_sources`: the "Assumptions and sources" of every number in the tower
  (each service's and provider's ``source``), and the units of its activity.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..tower.health import DEFAULT_MEASURE, NICE_WTP, health_value

if TYPE_CHECKING:  # pragma: no cover
    from .demo import DemoContext

__all__ = ["section_health", "section_sources"]

#: Pounds in one unit of a demo tower's money (the worked economy is in £ millions).
MONEY_UNIT = 1e6


def section_health(ctx: DemoContext) -> str:
    """Health lost when each block is taken out alone, ranked by QALYs, with its money value."""
    t = ctx.tower
    if not any(s.health is not None for s in t):
        return ""
    lo, hi = NICE_WTP
    rows = []
    for sid, out in ctx.single_removals().items():
        qalys = out.health_lost.get(DEFAULT_MEASURE, 0.0)
        other = {m: v for m, v in out.health_lost.items() if m != DEFAULT_MEASURE and v}
        if qalys or other or out.fallen:
            rows.append((sid, qalys, other, out))
    rows.sort(key=lambda r: (-r[1], -r[3].value_lost, str(r[0])))
    shown = [r for r in rows if r[1] or r[2]][:10]
    if not shown:
        return ""
    lines = [
        "## Health lost when a block falls",
        "",
        "Each service may carry a health effect per unit of activity (QALYs); a block's "
        "loss counts the health of everything that falls with it. Valued at NICE's "
        f"£{lo:,.0f}–£{hi:,.0f} per QALY (NICE methods guide, 2013), beside the money lost "
        "(£ millions a year).",
        "",
        "| block taken out | QALYs lost a year | worth at £20k/QALY | at £30k/QALY "
        "| contribution lost | spend lost |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    data = []
    for sid, qalys, other, out in shown:
        extra = "".join(f"; {v:,.1f} {m}" for m, v in other.items())
        low = health_value(out, lo, money_unit=MONEY_UNIT)
        high = health_value(out, hi, money_unit=MONEY_UNIT)
        lines.append(
            f"| {ctx.name(sid)} | {qalys:,.1f}{extra} | £{low:,.1f} m | £{high:,.1f} m "
            f"| £{out.value_lost:,.1f} m | £{out.spend_lost:,.1f} m |"
        )
        data.append(
            {
                "block": str(sid),
                "qalys_lost": qalys,
                "value_at_20k": low,
                "value_at_30k": high,
                "contribution_lost": out.value_lost,
                "spend_lost": out.spend_lost,
            }
        )
    ctx.data["health_lost"] = data
    return "\n".join(lines)


def section_sources(ctx: DemoContext) -> str:
    """Assumptions and sources: each distinct ``source`` with the items it covers, and units."""
    t = ctx.tower
    by_source: dict[str, list[str]] = defaultdict(list)
    missing: list[str] = []
    for s in t:
        (by_source[s.source].append if s.source else missing.append)(ctx.name(s.id))
    for p in t.providers.values():
        name = f"{p.label or p.id} (provider)"
        (by_source[p.source].append if p.source else missing.append)(name)
    units: dict[str, list[str]] = defaultdict(list)
    for s in t:
        units[s.unit or "not stated"].append(ctx.name(s.id))
    lines = ["## Assumptions and sources", ""]
    if by_source:
        lines += [
            "Where each number of the tower comes from (the `source` column of its "
            "spreadsheet; keys refer to `docs/references.bib`):",
            "",
        ]
        for k, (source, items) in enumerate(
            sorted(by_source.items(), key=lambda kv: -len(kv[1])), 1
        ):
            lines.append(f"{k}. {source} — {', '.join(items)}.")
        lines.append("")
    if missing:
        lines += [
            f"No source given for: {', '.join(missing)}. Add a `source` column (or the word "
            "'assumption') to say where these numbers come from.",
            "",
        ]
    lines += [
        "Activity units (each unit is counted on its own): "
        + "; ".join(f"{u}: {', '.join(items)}" for u, items in units.items())
        + ".",
        "",
        f"Health is valued at NICE's £{NICE_WTP[0]:,.0f}–£{NICE_WTP[1]:,.0f} per QALY gained "
        "(NICE, Guide to the methods of technology appraisal, 2013; NICE2013).",
    ]
    ctx.data["sources"] = {
        "by_source": {k: list(v) for k, v in by_source.items()},
        "missing": missing,
        "units": {k: list(v) for k, v in units.items()},
    }
    return "\n".join(lines)
