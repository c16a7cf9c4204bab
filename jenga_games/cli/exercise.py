"""``jenga exercise``: list, show, check exercises and write worksheets."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from . import EXIT_CHECK_FAILED, EXIT_OK, emit


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "exercise",
        help="teaching exercises with checked answers",
        description="Seeded exercises: the same type, seed and difficulty give the "
        "same instance, so each student can have their own.",
    )
    ex = p.add_subparsers(dest="exercise_command", metavar="ACTION")
    ex.required = True

    lst = ex.add_parser("list", help="list the exercise types")
    lst.set_defaults(func=_list)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("type", help="exercise type (see `jenga exercise list`)")
        q.add_argument("--seed", type=int, default=0, help="instance seed (default 0)")
        q.add_argument(
            "--difficulty",
            type=int,
            default=1,
            choices=(1, 2, 3),
            help="size of the instance (default 1)",
        )

    show = ex.add_parser("show", help="print one exercise")
    common(show)
    show.add_argument(
        "--format",
        choices=("md", "html"),
        default="md",
        help="markdown (default) or a standalone HTML page",
    )
    show.add_argument("--solution", action="store_true", help="include the worked solution")
    show.set_defaults(func=_show)

    chk = ex.add_parser("check", help="check an answer (exit 0 if right, 1 if wrong)")
    common(chk)
    chk.add_argument(
        "--answer", required=True, help='the answer as text, e.g. "imaging, A&E" or "3/4" or "yes"'
    )
    chk.set_defaults(func=_check)

    sheet = ex.add_parser("sheet", help="write a worksheet and a separate solutions file")
    sheet.add_argument("--types", required=True, help="comma-separated exercise types")
    sheet.add_argument("--seeds", default="0", help="comma-separated seeds, or a range like 0-9")
    sheet.add_argument(
        "--difficulty",
        type=int,
        default=1,
        choices=(1, 2, 3),
        help="size of the instances (default 1)",
    )
    sheet.add_argument("--title", default="Worksheet", help="heading of both files")
    sheet.add_argument("--out", required=True, help="output folder")
    sheet.set_defaults(func=_sheet)


#: Most exercises one worksheet may hold (checked before any work).
MAX_SHEET_EXERCISES = 1000


def _seeds(text: str) -> list[int]:
    """``"0,3,5-7"`` -> ``[0, 3, 5, 6, 7]``; empty, reversed or huge ranges are refused."""
    from ..errors import JengaError

    out: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,12})(?:\s*-\s*(\d{1,12}))?", part)
        if not m:
            raise JengaError(
                f"--seeds: cannot read {part[:30]!r}; use whole numbers >= 0, e.g. 0,1,2 or 0-9"
            )
        lo = int(m.group(1))
        hi = lo if m.group(2) is None else int(m.group(2))
        if hi < lo:
            raise JengaError(
                f"--seeds: the range {part!r} runs backwards (it holds no seeds); write {hi}-{lo}"
            )
        if len(out) + hi - lo + 1 > MAX_SHEET_EXERCISES:
            raise JengaError(
                f"--seeds: {part!r} asks for more than {MAX_SHEET_EXERCISES} seeds; "
                "a worksheet holds at most that many, so give a shorter range"
            )
        out.extend(range(lo, hi + 1))
    if not out:
        raise JengaError("--seeds: give at least one seed, e.g. --seeds 0 or --seeds 0-9")
    return out


def _list(args) -> int:
    from ..exercises import LEVELS, exercise_types

    types = exercise_types()
    rows = sorted(types.values(), key=lambda t: (t.level, t.topic, t.name))
    text = "\n".join(
        f"{t.name:28s} level {t.level} ({LEVELS[t.level]:12s}) {t.summary}" for t in rows
    )
    emit(
        args,
        text,
        [{"name": t.name, "level": t.level, "topic": t.topic, "summary": t.summary} for t in rows],
    )
    return EXIT_OK


def _show(args) -> int:
    from ..exercises import make_exercise
    from ..exercises.sheet import render_html

    ex = make_exercise(args.type, args.seed, args.difficulty)
    text = ex.markdown(solution=args.solution)
    if args.format == "html":
        text = render_html(text, ex.title)
    emit(
        args,
        text,
        ex.to_dict()
        if args.solution
        else {k: v for k, v in ex.to_dict().items() if k not in ("answer", "solution")},
    )
    return EXIT_OK


def _check(args) -> int:
    from ..exercises import make_exercise

    ex = make_exercise(args.type, args.seed, args.difficulty)
    verdict = ex.check(args.answer)
    emit(
        args,
        ("right: " if verdict.ok else "not yet: ") + verdict.message,
        {"ok": verdict.ok, "message": verdict.message},
    )
    return EXIT_OK if verdict.ok else EXIT_CHECK_FAILED


def _sheet(args) -> int:
    from ..errors import JengaError
    from ..exercises import write_sheet

    types = [t.strip() for t in args.types.split(",") if t.strip()]
    if not types:
        raise JengaError(
            "--types: give at least one exercise type, e.g. --types nf-dominance; "
            "'jenga exercise list' shows them"
        )
    seeds = _seeds(args.seeds)
    if len(types) * len(seeds) > MAX_SHEET_EXERCISES:
        raise JengaError(
            f"--types x --seeds asks for {len(types) * len(seeds):,} exercises; a worksheet "
            f"holds at most {MAX_SHEET_EXERCISES}: give fewer seeds or types"
        )
    paths = write_sheet(types, seeds, Path(args.out), args.difficulty, args.title)
    emit(
        args,
        "wrote " + ", ".join(str(p) for p in paths.values()),
        {k: str(v) for k, v in paths.items()},
    )
    return EXIT_OK
