"""``jenga analyse FILE``: run the commissioning models on a user's tower.

* Money follows patients (:func:`jenga_games.commissioning.money_follows_patients`)
  for one provider: its headroom, the share of payments that is real cash
  released before anything closes, and the step points (services becoming
  unviable, closing; the provider becoming unviable).
* Jenga commissioning (:func:`jenga_games.commissioning.jenga_commissioning`)
  when commissioners are named with ``--player NAME=svc1,svc2`` (repeatable), or
  on ``builtin:economy`` with its default commissioners: myopic, competitive
  and cooperative play, shares, prices of anarchy and thresholds.

``FILE`` is a tower file (JSON, ``.graphml``, ``.xlsx`` or a folder of CSV files) or a built-in
name (see ``jenga tower``). Honours ``--json``.
"""

from __future__ import annotations

import argparse

from ..errors import JengaError
from . import EXIT_OK, emit
from .tower import figure_target, load_tower, resolve_service

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyse",
        help="run the finance and Jenga commissioning models on a tower file",
        description="Money follows patients for one provider, and Jenga commissioning "
        "(myopic, competitive, cooperative play) when commissioners are given.",
    )
    p.add_argument(
        "file",
        metavar="FILE",
        help="JSON, .graphml, .xlsx, a folder of CSV files, or builtin:economy / builtin:jenga",
    )
    p.add_argument(
        "--provider",
        metavar="ID",
        help="provider whose activity moves out (default: largest income)",
    )
    p.add_argument(
        "--order",
        metavar="A,B",
        help="its services in the order they are emptied (default: top down)",
    )
    p.add_argument(
        "--reprovision-share",
        type=float,
        default=0.5,
        metavar="R",
        help="cost of re-providing moved activity, as a share of its tariff (default 0.5)",
    )
    p.add_argument(
        "--player",
        action="append",
        default=[],
        metavar="NAME=A,B",
        help="a commissioner and the services it may move (repeat for each); enables Jenga",
    )
    p.add_argument(
        "--collapse-cost",
        type=float,
        default=None,
        metavar="C",
        help="paid by the commissioner who topples the tower (default: 2.5/314.29 of the "
        "tower's annual spend, the worked economy's share; the report says which)",
    )
    p.add_argument(
        "--shared-collapse-cost",
        type=float,
        default=None,
        metavar="K",
        help="paid by every commissioner when it falls (default: 1/314.29 of the tower's "
        "annual spend; the report says which)",
    )
    p.add_argument(
        "--figure",
        metavar="PNG",
        help="save the finance figure (.png, .pdf or .svg; the Jenga figure as *-jenga.png)",
    )
    p.set_defaults(func=_analyse)


def _players(tower, specs: list[str], source: str) -> dict | None:
    if not specs:
        if source == "builtin:economy":
            from ..commissioning import DEFAULT_ELIGIBLE

            return {k: list(v) for k, v in DEFAULT_ELIGIBLE.items()}
        return None
    out: dict = {}
    for spec in specs:
        name, sep, blocks = spec.partition("=")
        if not sep or not name.strip() or not blocks.strip():
            raise JengaError(
                f"--player {spec!r}: write NAME=service1,service2 (the services it may move)"
            )
        ids = [resolve_service(tower, b.strip()) for b in blocks.split(",") if b.strip()]
        if name.strip() in out:
            raise JengaError(f"--player {name.strip()!r} given twice; list all its services once")
        out[name.strip()] = ids
    return out


def _analyse(args) -> int:
    from ..commissioning import JengaParams, jenga_commissioning, money_follows_patients
    from ..commissioning.jenga import collapse_costs_for

    tower = load_tower(args.file)
    if args.figure:
        figure_target(args.figure)  # refuse a bad suffix before the work
    order = (
        [resolve_service(tower, s.strip()) for s in args.order.split(",") if s.strip()]
        if args.order
        else None
    )
    fin = money_follows_patients(
        tower, provider=args.provider, order=order, reprovision_share=args.reprovision_share
    )
    lines = [
        f"Money follows patients: provider {fin.provider!r}, {len(fin.order)} services",
        f"  headroom intact: {fin.headroom:.4g}",
        f"  cost released per £ of payments moved, before anything closes: {fin.marginal_share:.1%}",
    ]
    pu = fin.provider_unviable_at()
    lines.append(
        f"  provider first unviable after {pu:.4g} units moved"
        if pu is not None
        else "  the provider stays viable however much moves out in this order"
    )
    lines.append(
        f"  first unplanned fall in the tower after {fin.first_fall:.4g} units moved"
        if fin.first_fall is not None
        else "  nothing falls in the tower along the way"
    )
    lines.append("  step points (units moved, cash released):")
    for row in fin.steps.head(12).itertuples():
        lines.append(
            f"    {row.moved:10.4g}  {row.cash_released:10.4g}  {row.kind} {row.service or ''}"
        )
    if len(fin.steps) > 12:
        lines.append(f"    ... {len(fin.steps) - 12} more (use --json)")
    data: dict = {
        "finance": {
            "provider": fin.provider,
            "headroom": fin.headroom,
            "marginal_share": fin.marginal_share,
            "provider_unviable_at": pu,
            "first_fall": fin.first_fall,
            "steps": fin.steps.to_dict(orient="records"),
        }
    }

    players = _players(tower, args.player, args.file)
    jg = None
    if players is None:
        lines.append("Jenga commissioning: skipped (name commissioners with --player NAME=A,B)")
    else:
        costs = collapse_costs_for(tower, args.collapse_cost, args.shared_collapse_cost)
        prm = JengaParams(
            eligible=players,
            reprovision_share=args.reprovision_share,
            collapse_cost=costs.collapse_cost,
            shared_collapse_cost=costs.shared_collapse_cost,
        )
        jg = jenga_commissioning(
            tower,
            prm,
            collapse_grid=[x * 2.5 for x in range(9)],
            discount_grid=[0.1 * k for k in range(1, 11)],
            funding_grid=[x * 2.5 for x in range(9)],
            tol=0.01,
        )
        lines.append(f"Jenga commissioning: {', '.join(players)}")
        lines.append(f"  collapse costs: {costs.note}")
        for name, row in jg.table.iterrows():
            lines.append(
                f"  {name:12s} {'FALLS' if row['fell'] else 'stands'}; value created "
                f"{row['value_created']:.4g}, lost {row['value_lost']:.4g} (£ m a year); "
                f"QALYs lost {row['qalys_lost']:.4g} a year, re-provided {row['qalys_reprovided']:.4g}"
            )
        degenerate = len(players) < 2
        lines.append(
            "  price of anarchy: not meaningful with one commissioner (degenerate: no one "
            "to compete with; add commissioners with --player)"
            if degenerate
            else f"  price of anarchy {jg.prices.price_of_anarchy:.4g}"
        )
        for p, row in jg.shares.iterrows():
            lines.append(
                f"  {p}: competitive {row['competitive']:.4g}, Shapley {row['shapley']:.4g}, "
                f"nucleolus {row['nucleolus']:.4g}"
            )
        for key, sw in jg.switches.items():
            txt = "; ".join(f"{how} at {v:.3g}" for v, how in sw) or "no change on the grid"
            lines.append(f"  competitive play vs {key}: {txt}")
        data["jenga"] = {
            "collapse_costs": costs.to_dict(),
            "table": jg.table.reset_index().to_dict(orient="records"),
            "shares": jg.shares.reset_index().to_dict(orient="records"),
            "price_of_anarchy": None if degenerate else jg.prices.price_of_anarchy,
            "price_of_anarchy_degenerate": degenerate,
            "switches": {k: [list(x) for x in v] for k, v in jg.switches.items()},
        }
    if args.figure:
        from pathlib import Path

        from ..plot.commissioning import plot_finance, plot_jenga
        from ..plot.style import save

        target, formats = figure_target(args.figure)
        written = save(plot_finance(fin), target, formats)
        if jg is not None:
            stem = Path(target)
            written += save(
                plot_jenga(jg), stem.with_name(stem.stem + "-jenga" + stem.suffix), formats
            )
        lines.append("figures: " + ", ".join(map(str, written)))
        data["figures"] = [str(w) for w in written]
    emit(args, "\n".join(lines), data)
    return EXIT_OK
