"""``jenga uncertainty SPEC``: a probabilistic sensitivity analysis from a spec file.

``SPEC`` is a TOML or JSON file naming the model, the distributions, the
sampler, ``n``, the seed and the back-end (see
:mod:`jenga_games.uncertainty._spec`). The draws and answers are written to
``--out`` as CSV (or Parquet), with a short markdown report and figures; a
killed run resumes from the same directory. Honours ``--json``.
"""

from __future__ import annotations

import argparse
import os

from . import EXIT_OK, emit

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "uncertainty",
        help="probabilistic sensitivity analysis of a model from a spec file (TOML/JSON)",
        description="Run a model over seeded draws of its uncertain parameters; write the "
        "draws, outcome probabilities with 95%% Wilson intervals, drivers, optional tornado "
        "and EVPI tables, a markdown report and figures.",
    )
    p.add_argument("spec", metavar="SPEC", help="a .toml or .json uncertainty spec")
    p.add_argument(
        "--out",
        default="uncertainty-out",
        metavar="DIR",
        help="output directory (default ./uncertainty-out); rerun to resume",
    )
    p.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    p.add_argument("--progress", action="store_true", help="show a progress bar on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..uncertainty import run_spec

    if not args.debug:  # a local Dask cluster logs every worker at INFO: keep the terminal readable
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

    summary = run_spec(args.spec, args.out, progress=args.progress, figures=not args.no_figures)
    lines = [f"{summary['n']} draws; written to {args.out}:"]
    lines += [f"  {k}: {v}" for k, v in summary["written"].items()]
    for r in summary["probabilities"]:
        lines.append(f"P({r['outcome']}) = {r['p']:.3f} (95% CI {r['low']:.3f} to {r['high']:.3f})")
    if summary["evpi"] is not None:
        lines.append(f"EVPI = {summary['evpi']:.4g} (units of net benefit)")
    emit(args, "\n".join(lines), summary)
    return EXIT_OK
