"""``jenga tower``: look at a tower file and run cascades on it.

* ``jenga tower show FILE`` — a summary and the validation report;
* ``jenga tower cascade FILE --remove A,B [--draw out.png]`` — what falls;
* ``jenga tower convert FILE OUT`` — between JSON, GraphML, ``.xlsx`` and a
  folder of CSV files (by suffix; no suffix: a CSV folder).

``FILE`` is a ``jenga-tower`` JSON file, a GraphML file (``.graphml``), a
spreadsheet (``.xlsx``, or a folder of CSV files; the template is in
``docs/how-to/load-a-tower.md``), or a built-in tower: ``builtin:economy`` (the worked local health economy) or
``builtin:jenga`` (the children's game, 18 levels). Both commands honour
``--json``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Hashable
from pathlib import Path

import numpy as np

from ..errors import JengaError, UnknownItemError
from ..tower.explain import fall_reasons
from ..tower.files import read_tower, write_tower
from ..tower.model import Tower
from . import EXIT_CHECK_FAILED, EXIT_OK, emit

__all__ = ["load_tower", "parse_removals", "register"]

BUILTINS = ("builtin:economy", "builtin:jenga")


def load_tower(source: str) -> Tower:
    """A tower from a file (:func:`~jenga_games.tower.read_tower`) or a built-in name (``builtin:economy``, ``builtin:jenga``)."""
    if source == "builtin:economy":
        from ..tower.economy import local_health_economy

        return local_health_economy()
    if source == "builtin:jenga":
        from ..tower.library import classic_jenga

        return classic_jenga()
    if source.startswith("builtin:"):
        raise UnknownItemError(
            f"unknown built-in tower {source!r}; use one of {', '.join(BUILTINS)}"
        )
    path = Path(source)
    if not path.exists():
        raise JengaError(
            f"tower file {source!r} does not exist; give a JSON, .graphml or .xlsx file, a "
            f"folder of CSV files, or one of {', '.join(BUILTINS)}"
        )
    return read_tower(path)


def resolve_service(tower: Tower, token: str) -> Hashable:
    """A service id from a command-line token: an id, a unique label, or an integer id as text.

    Goes through :meth:`Tower.index_of` (an unknown name gets a "did you mean").
    """
    return tower.ids[tower.index_of(token)]


def parse_removals(tower: Tower, text: str) -> dict[Hashable, float]:
    """``"A,B=0.4"`` -> ``{A: 0.0, B: 0.4}``: ``id`` removes a service, ``id=x`` leaves fraction x."""
    state: dict[Hashable, float] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, _, frac = item.partition("=")
        sid = resolve_service(tower, name.strip())
        if frac:
            try:
                value = float(frac)
            except ValueError:
                raise JengaError(
                    f"--remove: cannot read the fraction in {item!r}; write e.g. "
                    f"{name.strip()}=0.9 (the share of activity left in place)"
                ) from None
        else:
            value = 0.0
        state[sid] = value
    if not state:
        raise JengaError("--remove needs at least one service, e.g. --remove pathology,endoscopy")
    return state


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tower",
        help="summarise a tower file and run cascades on it",
        description="FILE is a jenga-tower JSON file, a .graphml file, a spreadsheet "
        "(.xlsx, or a folder of CSV files), or builtin:economy / builtin:jenga. Services "
        "can be named by id or by label.",
    )
    tw = p.add_subparsers(dest="tower_command", metavar="ACTION")
    tw.required = True

    show = tw.add_parser("show", help="summary and validation report")
    show.add_argument(
        "file",
        metavar="FILE",
        help="JSON, .graphml, .xlsx, a folder of CSV files, or builtin:economy / builtin:jenga",
    )
    show.add_argument("--draw", metavar="PNG", help="also draw the tower to this PNG")
    show.set_defaults(func=_show)

    casc = tw.add_parser("cascade", help="remove services and report what falls")
    casc.add_argument(
        "file",
        metavar="FILE",
        help="JSON, .graphml, .xlsx, a folder of CSV files, or builtin:economy / builtin:jenga",
    )
    casc.add_argument(
        "--remove",
        required=True,
        metavar="A,B",
        help="services to take out, comma-separated; ID=X leaves fraction X of its "
        "activity in place (e.g. acute_medicine=0.9)",
    )
    casc.add_argument("--draw", metavar="PNG", help="draw the tower after the cascade to this PNG")
    casc.add_argument("--rounds", metavar="PNG", help="draw the cascade round by round to this PNG")
    casc.set_defaults(func=_cascade)

    conv = tw.add_parser(
        "convert",
        help="convert between JSON, GraphML, .xlsx and a folder of CSV files (by suffix)",
    )
    conv.add_argument(
        "file",
        metavar="FILE",
        help="JSON, .graphml, .xlsx, a folder of CSV files, or builtin:economy / builtin:jenga",
    )
    conv.add_argument(
        "out", metavar="OUT", help="output: .json, .graphml, .xlsx, or a folder (CSV files)"
    )
    conv.set_defaults(func=_convert)


def _label(tower: Tower, sid: Hashable) -> str:
    s = tower.service(sid)
    return f"{sid} ({s.label})" if s.label and s.label != str(sid) else str(sid)


def _show(args) -> int:
    tower = load_tower(args.file)
    report = tower.validate()
    settings: dict[str, int] = {}
    for s in tower:
        settings[s.setting or "(none)"] = settings.get(s.setting or "(none)", 0) + 1
    providers = {}
    ct = tower.compiled
    # the money rule, one place: B_j = Σ full margins + R_j − F_j with every service standing
    headroom = ct.provider_balances().tolist()
    n_services = np.diff(ct.prov_ptr).tolist()
    for j, (pid, p) in enumerate(tower.providers.items()):
        providers[str(pid)] = {
            "label": p.label,
            "services": n_services[j],
            "overhead": p.overhead,
            "reserves": p.reserves,
            "headroom": headroom[j],
        }
    lines = [
        f"{tower.name or args.file}: {len(tower)} services, {len(tower.supports)} supports, "
        f"{len(tower.providers)} providers{' (grounded)' if tower.grounded else ''}",
        "settings: " + ", ".join(f"{k} {v}" for k, v in sorted(settings.items())),
        f"critical services: {', '.join(str(s.id) for s in tower if s.critical) or 'none'}",
    ]
    for pid, d in providers.items():
        lines.append(
            f"provider {pid}{' (' + d['label'] + ')' if d['label'] else ''}: "
            f"{d['services']} services, overhead {d['overhead']:g}, reserves {d['reserves']:g}, "
            f"headroom when intact {d['headroom']:.4g}"
        )
    lines += ["", "validation:", str(report), f"ok: {'yes' if report.ok else 'no'}"]
    data = {
        "name": tower.name,
        "services": len(tower),
        "supports": len(tower.supports),
        "providers": providers,
        "settings": settings,
        "validation": report.to_dict(),
        "ok": report.ok,
    }
    if args.draw:
        from ..plot.style import save
        from ..plot.tower import draw_tower

        data["figure"] = str(save(draw_tower(tower).figure, *figure_target(args.draw))[0])
        lines.append(f"drew {data['figure']}")
    emit(args, "\n".join(lines), data)
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


def _reason_lines(tower: Tower, group) -> list[str]:
    """One line per service that fell on its rule; one per failed provider for its services."""
    lines, by_provider = [], {}
    for w in group:
        if w.kind == "provider":
            by_provider.setdefault(w.provider, []).append(w)
        else:
            lines.append(f"  {_label(tower, w.service)}: {w.text}")
    for p, ws in by_provider.items():
        lines.append(f"  {len(ws)} of {p}'s services: {ws[0].text}")
    return lines


def _cascade(args) -> int:
    tower = load_tower(args.file)
    state = parse_removals(tower, args.remove)
    for target in (args.draw, args.rounds):
        if target:
            figure_target(target)  # refuse a bad suffix before the work
    intact = tower.cascade()
    explained = fall_reasons(tower, state)
    out = explained.outcome
    status = out.status
    lines = []
    if intact.fell or intact.failed_providers:
        warning = (
            f"warning: the tower does not stand even with nothing removed ("
            f"{len(intact.fell)} services fall, providers failing: "
            f"{', '.join(map(str, intact.failed_providers)) or 'none'}); "
            "what falls below is not all caused by the removal"
        )
        print(f"jenga: {warning}", file=sys.stderr)
        lines.append(warning)
    lines.append(
        f"removed: {', '.join(_label(tower, s) for s in state if state[s] == 0) or 'none'}"
    )
    moved = {s: x for s, x in state.items() if 0 < x < 1}
    if moved:
        lines.append(
            "moved part of the activity: "
            + ", ".join(f"{_label(tower, s)} keeps {x:g}" for s, x in moved.items())
        )
    failed_in = dict(out.failure_round)  # provider -> round it failed in, counted from 1
    if out.rounds:
        for r, rnd in enumerate(out.rounds, 1):
            failed = [str(p) for p, k in failed_in.items() if k == r]
            lines.append(
                f"round {r}: {', '.join(_label(tower, s) for s in rnd)}"
                + (f" (provider {', '.join(failed)} failed)" if failed else "")
            )
            lines += _reason_lines(tower, explained.by_round()[r - 1])
    else:
        lines.append("nothing falls")
    lines += [
        "failed providers: "
        + (
            ", ".join(
                f"{p} (round {failed_in[p]})" if p in failed_in else str(p)
                for p in out.failed_providers
            )
            or "none"
        )
        + (" (in the order they failed)" if len(out.failed_providers) > 1 else ""),
        f"spend lost {out.spend_lost:g}, value lost {out.value_lost:g}, fixed cost stranded "
        f"{out.stranded_fixed_cost:g} (money a year, in the tower file's currency unit)"
        + "".join(f"; {v:g} {m} lost" for m, v in out.health_lost.items() if v)
        + "".join(
            f"; {v:g} {m} moved out (kept where it is re-provided)"
            for m, v in out.health_moved.items()
            if v
        ),
        "activity lost, each in its own units a year: "
        + (", ".join(f"{v:g} {u}" for u, v in out.activity_lost_by_unit.items()) or "none"),
        f"state: {status}",
    ]
    data = out.to_dict()
    data["status"] = status
    data["provider_failure_rounds"] = {str(p): k for p, k in failed_in.items()}
    data["fall_reasons"] = [dict(w.to_dict(), text=w.text) for w in explained.reasons]
    data["intact_stands"] = not (intact.fell or intact.failed_providers)
    if args.draw or args.rounds:
        from ..plot.style import save
        from ..plot.tower import draw_cascade, draw_tower

        if args.draw:
            data["figure"] = str(save(draw_tower(tower, out).figure, *figure_target(args.draw))[0])
            lines.append(f"drew {data['figure']}")
        if args.rounds:
            data["rounds_figure"] = str(
                save(draw_cascade(tower, out), *figure_target(args.rounds))[0]
            )
            lines.append(f"drew {data['rounds_figure']}")
    emit(args, "\n".join(lines), data)
    return EXIT_OK


#: Figure formats the commands write, by file suffix.
FIGURE_FORMATS = ("png", "pdf", "svg")


def figure_target(path: str) -> tuple[str, tuple[str, ...]]:
    """``(path, formats)`` for :func:`jenga_games.plot.style.save`: the suffix is honoured or refused."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        raise JengaError(
            f"figure {path!r} has no suffix; end it with {', '.join('.' + f for f in FIGURE_FORMATS)}"
        )
    if suffix not in FIGURE_FORMATS:
        raise JengaError(
            f"figure {path!r}: .{suffix} is not written; use "
            f"{', '.join('.' + f for f in FIGURE_FORMATS)} (e.g. {Path(path).with_suffix('.png')})"
        )
    return path, (suffix,)


def _convert(args) -> int:
    tower = load_tower(args.file)
    out = write_tower(tower, args.out)
    emit(args, f"wrote {out} ({len(tower)} services)", {"file": str(out), "services": len(tower)})
    return EXIT_OK
