"""``jenga papers``: rebuild a paper's figures and data, or check them against what is committed."""

from __future__ import annotations

import argparse

from . import EXIT_CHECK_FAILED, EXIT_OK, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "papers",
        help="rebuild or check the papers' figures and data",
        description="Each paper folder's figures.py rebuilds every figure "
        "(PNG, PDF) and the data behind it (CSV) with fixed seeds.",
    )
    p.add_argument("--root", default="papers", help="folder holding the papers (default: papers)")
    act = p.add_subparsers(dest="papers_command", metavar="ACTION")
    act.required = True
    for name, helptext in (
        ("build", "regenerate figures, tables and data"),
        (
            "check",
            "regenerate into a temporary folder and compare the data "
            "with what is committed (exit 1 on a difference)",
        ),
    ):
        q = act.add_parser(name, help=helptext)
        q.add_argument("names", nargs="*", metavar="NAME", help="papers (default: all)")
        q.add_argument("--only", help="comma-separated artifact names")
        q.add_argument("--quick", action="store_true", help="only the fast subset")
        q.set_defaults(func=_build if name == "build" else _check)
    lst = act.add_parser("list", help="list papers and their artifacts")
    lst.set_defaults(func=_list)


def _papers(args):
    from ..errors import UnknownItemError
    from ..papers import find_papers

    papers = find_papers(args.root)
    names = getattr(args, "names", None) or list(papers)
    unknown = [n for n in names if n not in papers]
    if unknown:
        raise UnknownItemError(
            f"no paper {unknown[0]!r} under {args.root}; papers: {', '.join(papers)}"
        )
    return [papers[n] for n in names]


def _only(args):
    return [s.strip() for s in args.only.split(",")] if args.only else None


def _build(args) -> int:
    from ..papers import build

    reports = [
        build(p, only=_only(args), quick=args.quick, progress=not args.json) for p in _papers(args)
    ]
    text = "\n".join(
        f"{r.paper}: {len(r.artifacts)} artifacts in {sum(r.seconds):.1f} s -> {len(r.files)} files"
        for r in reports
    )
    emit(args, text, [r.to_dict() for r in reports])
    return EXIT_OK


def _check(args) -> int:
    from ..papers import check

    reports = [
        check(p, only=_only(args), quick=args.quick, progress=not args.json) for p in _papers(args)
    ]
    lines = []
    for r in reports:
        lines.append(
            f"{r.paper}: {'reproduced' if r.ok else 'DIFFERS'} "
            f"({len(r.artifacts)} artifacts, {sum(r.seconds):.1f} s)"
        )
        lines += [f"  {m}" for m in r.mismatches]
    emit(args, "\n".join(lines), [r.to_dict() for r in reports])
    return EXIT_OK if all(r.ok for r in reports) else EXIT_CHECK_FAILED


def _list(args) -> int:
    from ..papers import load_artifacts

    rows = {p.name: [a.name for a in load_artifacts(p)] for p in _papers(args)}
    emit(args, "\n".join(f"{k}: {', '.join(v)}" for k, v in rows.items()), rows)
    return EXIT_OK
