"""``jenga demo``: the built-in local health economy, analysed in a short report.

The report is a list of *section functions* (:data:`SECTIONS`). Each takes a
:class:`DemoContext` (the tower, the output folder, a place for figures and
JSON data) and returns a markdown fragment; :func:`write_report` joins them
into ``report.md``. Later work adds sections (collapse curves, the Jenga game)
with :func:`register_section`, without touching the others.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _io
from ..tower.model import Tower
from ..tower.outcome import Outcome
from . import EXIT_OK, emit
from ._economy_report import section_health, section_sources

__all__ = ["SECTIONS", "DemoContext", "register_section", "run_demo", "write_report"]


@dataclass
class DemoContext:
    """What a report section sees: the tower, where to write, and what was made so far."""

    tower: Tower
    out: Path
    figures: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def name(self, sid: Hashable) -> str:
        s = self.tower.service(sid)
        return s.label or str(sid)

    def names(self, ids) -> str:
        return ", ".join(self.name(s) for s in ids) or "nothing"

    def save_figure(self, fig, stem: str) -> str:
        """Save ``fig`` as ``<out>/<stem>.png``; return the relative path for markdown."""
        from ..plot.style import save

        path = save(fig, self.out / f"{stem}.png")[0]
        self.figures.append(path)
        return path.name

    def single_removals(self) -> dict[Hashable, Outcome]:
        """The cascade after removing each service alone (cached; one cascade each)."""
        if "single" not in self.cache:
            self.cache["single"] = {sid: self.tower.cascade([sid]) for sid in self.tower.ids}
        return self.cache["single"]


Section = Callable[[DemoContext], str]


def _money(x: float) -> str:
    return f"£{x:,.1f} m"


# -- sections -----------------------------------------------------------------------------
def section_overview(ctx: DemoContext) -> str:
    from ..plot.tower import draw_dependencies, draw_tower

    t = ctx.tower
    income = sum(s.activity * s.tariff for s in t)
    fig_tower = ctx.save_figure(draw_tower(t).figure, "tower")
    fig_deps = ctx.save_figure(draw_dependencies(t).figure, "dependencies")
    rows = ["| provider | services | income | overhead | reserves |", "|---|---:|---:|---:|---:|"]
    for pid, p in t.providers.items():
        svc = t.services_of(pid)
        inc = sum(t.service(s).activity * t.service(s).tariff for s in svc)
        rows.append(
            f"| {p.label or pid} | {len(svc)} | {_money(inc)} | {_money(p.overhead)} | "
            f"{_money(p.reserves)} |"
        )
    ctx.data["services"] = len(t)
    ctx.data["income"] = income
    return "\n".join(
        [
            "## The tower",
            "",
            f"*{t.name or 'tower'}*: {len(t)} services, {len(t.supports)} dependencies "
            f"(an arrow u → v: u supports v), {len(t.providers)} providers, income {_money(income)} a year.",
            "",
            *rows,
            "",
            f"![The tower, coloured by provider]({fig_tower})",
            "",
            f"![Who supports whom]({fig_deps})",
        ]
    )


def section_what_stands(ctx: DemoContext) -> str:
    t = ctx.tower
    intact = t.cascade()
    report = t.validate()
    bal = intact.balances
    ctx.data["stands_intact"] = not intact.fallen
    ctx.data["headroom"] = {str(k): v for k, v in bal.items()}
    lines = ["## What stands", ""]
    if intact.fallen:
        lines.append(
            f"Even with nothing removed, {len(intact.fell)} services fall: "
            f"{ctx.names(intact.fell)}."
        )
    else:
        lines.append("With nothing removed, every service stands and every provider is viable.")
    lines += [
        "",
        "Financial headroom of each provider (what it can lose before it fails, "
        "`Σ margins + reserves − overhead`):",
        "",
    ]
    for pid, b in sorted(bal.items(), key=lambda kv: kv[1]):
        lines.append(f"- {t.providers[pid].label or pid}: {_money(b)}")
    lines += ["", "Validation:", "", "```", str(report), "```"]
    return "\n".join(lines)


def _weakest(ctx: DemoContext) -> list[tuple[Hashable, tuple, bool, float, tuple]]:
    """Blocks ranked weakest first: (block, what falls, collapsed, contribution lost, failed providers).

    Uses :func:`jenga_games.tower.thresholds.weakest_blocks` (one incremental
    pass) when available, else one cascade per block.
    """
    if "weakest" in ctx.cache:
        return ctx.cache["weakest"]
    t = ctx.tower
    rows = []
    try:
        from ..tower.thresholds import weakest_blocks
    except ImportError:  # pragma: no cover - the thresholds package ships with the toolkit
        weakest_blocks = None
    if weakest_blocks is not None:
        wb = weakest_blocks(t)
        for b, collapsed, lost in zip(wb.blocks, wb.collapsed, wb.value_lost):
            fell = tuple(wb.falls(b))
            failed = t.cascade([b]).failed_providers if collapsed else ()
            rows.append((b, fell, bool(collapsed), float(lost), failed))
    else:
        single = ctx.single_removals()
        for b, o in sorted(
            single.items(),
            key=lambda kv: (-kv[1].collapsed, -kv[1].value_lost, -len(kv[1].fell), str(kv[0])),
        ):
            rows.append((b, o.fell, o.collapsed, o.value_lost, o.failed_providers))
    ctx.cache["weakest"] = rows
    return rows


def section_weakest_blocks(ctx: DemoContext) -> str:
    t = ctx.tower
    ranked = _weakest(ctx)
    safe = [sid for sid, fell, *_ in ranked if not fell]
    rows = [
        "| block taken out | falls with it | providers failed | contribution lost | collapsed |",
        "|---|---|---|---:|:---:|",
    ]
    for sid, fell, collapsed, lost, failed in ranked:
        if not fell:
            continue
        names = ctx.names(fell[:4]) + (f" and {len(fell) - 4} more" if len(fell) > 4 else "")
        failed_names = ", ".join(t.providers[p].label or str(p) for p in failed) or "—"
        rows.append(
            f"| {ctx.name(sid)} | {names} | {failed_names} | {_money(lost)} | "
            f"{'yes' if collapsed else 'no'} |"
        )
    ctx.data["weakest_blocks"] = [
        {
            "service": str(sid),
            "fell": [str(s) for s in fell],
            "collapsed": collapsed,
            "failed_providers": [str(p) for p in failed],
        }
        for sid, fell, collapsed, _lost, failed in ranked
        if fell
    ]
    ctx.data["safe_blocks"] = [str(s) for s in safe]
    return "\n".join(
        [
            "## Its weakest blocks",
            "",
            "What falls when each block alone is taken out (re-commissioned elsewhere), the worst first "
            "(collapse first, then the providers' contribution lost, in money: services count "
            "activity in different units):",
            "",
            *rows,
            "",
            f"Safe to take out alone ({len(safe)}): {ctx.names(safe)}.",
        ]
    )


def _safe_pairs_that_topple(ctx: DemoContext) -> list[tuple[tuple, Outcome]]:
    if "pairs" not in ctx.cache:
        safe = sorted((sid for sid, fell, *_ in _weakest(ctx) if not fell), key=ctx.tower.index.get)
        found = []
        for a, b in itertools.combinations(safe, 2):
            o = ctx.tower.cascade([a, b])
            if o.fallen:
                found.append(((a, b), o))
        found.sort(key=lambda item: (-item[1].collapsed, -len(item[1].fell), str(item[0])))
        ctx.cache["pairs"] = found
    return ctx.cache["pairs"]


def section_jenga_pairs(ctx: DemoContext) -> str:
    pairs = _safe_pairs_that_topple(ctx)
    n_safe = sum(1 for _sid, fell, *_ in _weakest(ctx) if not fell)
    total = n_safe * (n_safe - 1) // 2
    ctx.data["toppling_safe_pairs"] = [[str(a), str(b)] for (a, b), _ in pairs]
    lines = [
        "## Two safe moves that are not safe together",
        "",
        f"Of the {total} pairs of blocks that are each safe to take out alone, "
        f"{len(pairs)} bring something down when both go — the Jenga point: every move "
        "looks harmless on its own.",
        "",
    ]
    for (a, b), o in pairs[:8]:
        failed = [ctx.tower.providers[p].label or str(p) for p in o.failed_providers]
        why = (
            f"{' and '.join(failed)} fail{'s' if len(failed) == 1 else ''}"
            if failed
            else f"{ctx.names(o.fell[:3])} fall{'s' if len(o.fell) == 1 else ''}"
        )
        lines.append(
            f"- {ctx.name(a)} + {ctx.name(b)}: {why}; {len(o.fell)} services fall"
            f"{' (collapse)' if o.collapsed else ''}."
        )
    if len(pairs) > 8:
        lines.append(f"- … and {len(pairs) - 8} more pairs.")
    return "\n".join(lines)


def section_one_cascade(ctx: DemoContext) -> str:
    from ..plot.tower import draw_cascade, draw_tower

    pairs = _safe_pairs_that_topple(ctx)
    if pairs:
        removed, outcome = pairs[0]
        why = "the pair of individually safe blocks whose removal does the most damage"
    else:
        sid = _weakest(ctx)[0][0]
        outcome = ctx.tower.cascade([sid])
        removed = (sid,)
        why = "the single block whose removal does the most damage"
    if not outcome.fallen:
        return "## One cascade\n\nNothing in this tower falls when one or two blocks are taken out."
    fig_after = ctx.save_figure(draw_tower(ctx.tower, outcome).figure, "tower_after")
    fig_casc = ctx.save_figure(draw_cascade(ctx.tower, outcome), "cascade")
    lines = ["## One cascade, round by round", "", f"Taking out {ctx.names(removed)} ({why}):", ""]
    for r, rnd in enumerate(outcome.rounds, 1):
        lines.append(f"{r}. {ctx.names(rnd)}")
    lines += [
        "",
        f"Failed providers: {', '.join(str(ctx.tower.providers[p].label or p) for p in outcome.failed_providers) or 'none'}. "
        f"Spend lost {_money(outcome.spend_lost)} (activity at tariff); contribution lost "
        f"{_money(outcome.value_lost)}; fixed cost stranded {_money(outcome.stranded_fixed_cost)}"
        + "".join(f"; {v:,.0f} {m}s lost" for m, v in outcome.health_lost.items() if v)
        + ".",
        "",
        f"![After the cascade]({fig_after})",
        "",
        f"![The cascade, round by round]({fig_casc})",
    ]
    ctx.data["cascade"] = {
        "removed": [str(s) for s in removed],
        "rounds": [[str(s) for s in r] for r in outcome.rounds],
        "failed_providers": [str(p) for p in outcome.failed_providers],
    }
    return "\n".join(lines)


def section_moving_activity(ctx: DemoContext) -> str:
    """How much of a service's activity can move out before its provider fails (fixed cost stays)."""
    t = ctx.tower
    biggest = sorted(
        (s for s in t if s.provider is not None and s.unit_margin > 0),
        key=lambda s: -s.activity * s.tariff,
    )[:5]
    if not biggest:
        return ""
    rows = [
        "| service | income | share that can move out before anything falls |",
        "|---|---:|---:|",
    ]
    from ..tower.thresholds import find_threshold

    found = {}
    for s in biggest:

        def topples(moved: float, sid=s.id) -> bool:
            # the share moved; the service stays open (at least 1e-9 of it remains)
            return t.cascade({sid: max(1.0 - moved, 1e-9)}).fallen

        if not topples(1.0):  # nearly all moved, the service still open
            share = None
        else:  # bisection on the cascade itself: the largest share known safe (30 halvings)
            share = find_threshold(topples, 0.0, 1.0, tol=2.0**-30).bracket[0]
        found[str(s.id)] = share
        rows.append(
            f"| {s.label or s.id} | {_money(s.activity * s.tariff)} | "
            f"{'all of it' if share is None else f'{100 * share:.1f}%'} |"
        )
    ctx.data["movable_share"] = found
    return "\n".join(
        [
            "## Moving activity without closing wards",
            "",
            "Moving part of a service's activity out saves only its variable cost: the fixed cost "
            "stays until the whole service closes. Found by bisection on the cascade:",
            "",
            *rows,
        ]
    )


def section_collapse_curves(ctx: DemoContext) -> str:
    """Collapse curves under random and myopic (largest gain first) orders, and the safe set."""
    from ..plot.thresholds import compare_collapse_curves
    from ..tower.thresholds import collapse_curve, max_safe_set

    t = ctx.tower
    curves = {
        "random": collapse_curve(t, samples=300, order="random", seed=2026),
        "largest gain first": collapse_curve(t, samples=1, order="gain"),
    }
    fig_path = ctx.save_figure(
        compare_collapse_curves(curves, title="Collapse curves"), "collapse_curves"
    )
    safe = max_safe_set(t)
    rnd = curves["random"]
    ctx.data["collapse"] = {
        "critical_fraction_fallen": rnd.critical_fraction_fallen,
        "critical_fraction_collapsed": rnd.critical_fraction_collapsed,
        "max_safe_set": sorted(map(str, safe.removed)),
        "safe_set_status": safe.status,
    }
    return "\n".join(
        [
            "## How far can the commissioners go?",
            "",
            f"Over 300 random removal orders, half of them have toppled something by the time "
            f"{100 * rnd.critical_fraction_fallen:.0f}% of the blocks are out, and half have collapsed "
            f"the economy (a critical service or a provider lost) by "
            f"{100 * rnd.critical_fraction_collapsed:.0f}%.",
            "",
            f"![Collapse curves]({fig_path})",
            "",
            f"Yet {len(safe.removed)} of the {len(t)} services can move out together with nothing "
            f"falling (the largest safe set, {safe.status}): {ctx.names(sorted(safe.removed, key=str))}. "
            "Order and coordination, not the amount moved, decide whether the tower stands.",
        ]
    )


def section_jenga_commissioning(ctx: DemoContext) -> str:
    """Myopic, competitive and cooperative play compared (the Jenga commissioning model)."""
    from ..commissioning import jenga_commissioning
    from ..plot.commissioning import plot_jenga
    from ..tower.economy import local_health_economy

    if ctx.tower != local_health_economy():
        return ""  # the model's commissioners and their services are those of the built-in economy
    res = jenga_commissioning(
        collapse_grid=[0.5, 1, 2, 4, 8], discount_grid=[0.5, 0.7, 0.9], funding_grid=[0, 0.1, 0.5]
    )
    fig_path = ctx.save_figure(plot_jenga(res), "jenga_commissioning")
    rows = [
        "| play | tower falls | net value (£m) | QALYs lost a year | QALYs re-provided a year "
        "| net monetary benefit at £20k/QALY (£m) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    from ..tower.health import NICE_WTP, net_monetary_benefit

    for mode, row in res.table.iterrows():
        nmb = net_monetary_benefit(-row["qalys_lost"], -row["net"], NICE_WTP[0], money_unit=1e6)
        rows.append(
            f"| {mode} | {'yes' if row['fell'] else 'no'} | {row['net']:,.2f} "
            f"| {row['qalys_lost']:,.1f} | {row['qalys_reprovided']:,.1f} | {nmb:,.2f} |"
        )
    ctx.data["jenga"] = {
        "fell": {m: bool(r["fell"]) for m, r in res.table.iterrows()},
        "price_of_anarchy": res.prices.price_of_anarchy,
        "collapse_threshold": res.collapse_threshold,
        "funding_threshold": res.funding_threshold,
    }
    return "\n".join(
        [
            "## Three ways to play",
            "",
            "Two commissioners take turns moving services out of the economy. Myopic: each takes "
            "the best move now. Competitive: the subgame-perfect equilibrium. Cooperative: the plan "
            "that maximises their joint gain, shared by the Shapley value.",
            "",
            *rows,
            "",
            f"On the net value shown (commissioners' value less the providers' contribution lost), "
            f"competitive play loses £{res.system_prices.anarchy_loss:,.2f}m a year against the "
            "best plan for everyone (a difference, not a ratio: net value can be negative). "
            "Competitive play stops toppling "
            f"the tower once the collapse cost reaches {res.collapse_threshold:.2f}, or with "
            f"£{res.funding_threshold:g}m of transitional funding.",
            "",
            f"![Jenga commissioning]({fig_path})",
        ]
    )


#: The report, in order. Append (or use :func:`register_section`) to add sections.
SECTIONS: list[Section] = [
    section_overview,
    section_what_stands,
    section_weakest_blocks,
    section_jenga_pairs,
    section_one_cascade,
    section_moving_activity,
    section_collapse_curves,
    section_jenga_commissioning,
    section_health,
    section_sources,
]


def register_section(section: Section, before: Section | None = None) -> Section:
    """Add a section to the demo report (at the end, or before another one)."""
    if section in SECTIONS:
        return section
    if before is not None and before in SECTIONS:
        SECTIONS.insert(SECTIONS.index(before), section)
    else:
        SECTIONS.append(section)
    return section


def write_report(ctx: DemoContext, sections: list[Section] | None = None) -> Path:
    """Run the sections and write ``report.md`` in ``ctx.out``; return its path."""
    parts = [
        "# jenga demo: a local health economy as a tower",
        "",
        "A local health economy is a tower of services: take blocks out carefully. "
        "Money in £ millions a year; activity in thousands of units a year.",
        "",
    ]
    for section in sections or SECTIONS:
        text = section(ctx)
        if text:
            parts += [text, ""]
    path = ctx.out / "report.md"
    _io.atomic_write_text(path, "\n".join(parts))
    return path


def run_demo(out: Path, tower: Tower | None = None) -> DemoContext:
    """Analyse ``tower`` (default: the built-in economy) and write the report and figures to ``out``."""
    from ..tower.economy import local_health_economy

    ctx = DemoContext(tower=tower if tower is not None else local_health_economy(), out=Path(out))
    ctx.out.mkdir(parents=True, exist_ok=True)
    ctx.data["report"] = str(write_report(ctx))
    ctx.data["figures"] = [str(p) for p in ctx.figures]
    return ctx


# -- command line -------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="analyse the built-in local health economy and write a report",
        description="On the built-in local health economy: what stands, its weakest "
        "blocks, two safe moves that are not safe together, one cascade "
        "drawn. Writes report.md and PNG figures.",
    )
    p.add_argument("--out", default="demo-output", help="output folder (default: demo-output)")
    p.add_argument(
        "--tower",
        default=None,
        metavar="FILE",
        help="analyse this tower file (JSON, GraphML, .xlsx or a folder of CSV files) instead",
    )
    p.set_defaults(func=_demo)


def _demo(args) -> int:
    tower = None
    if args.tower:
        from .tower import load_tower

        tower = load_tower(args.tower)
    ctx = run_demo(Path(args.out), tower)
    d = ctx.data
    text = "\n".join(
        [
            f"Tower: {ctx.tower.name} ({len(ctx.tower)} services)",
            f"Stands intact: {'yes' if d['stands_intact'] else 'no'}",
            f"Blocks that topple something when taken out alone: {len(d['weakest_blocks'])}; "
            f"safe alone: {len(d['safe_blocks'])}; safe pairs that topple together: "
            f"{len(d['toppling_safe_pairs'])}",
            f"Report: {d['report']}",
            "Figures: " + ", ".join(d["figures"]),
        ]
    )
    emit(args, text, d)
    return EXIT_OK
