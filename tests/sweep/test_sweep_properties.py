"""Properties of sweeps: the frame depends on the grid and seeds only, never on how it ran."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.sweep import read_sweep, sweep, task_seed

from . import funcs

grids = st.builds(
    lambda ns, ps: {"n": ns, "p": ps},
    st.lists(st.integers(1, 30), min_size=1, max_size=3, unique=True),
    st.lists(st.floats(0, 1), min_size=1, max_size=3, unique=True),
)
seed_lists = st.lists(st.integers(0, 2**40), min_size=1, max_size=3, unique=True)


@settings(max_examples=25)
@given(grid=grids, seeds=seed_lists, chunksize=st.integers(1, 7))
def test_frame_is_the_direct_calls_in_order(grid, seeds, chunksize):
    frame = sweep(
        funcs.collapse_fraction,
        grid,
        seeds=seeds,
        backend="serial",
        chunksize=chunksize,
        progress=False,
    )
    expected = []
    point = 0
    for n in grid["n"]:
        for p in grid["p"]:
            for s in seeds:
                result = funcs.collapse_fraction(n, p, seed=task_seed(s, point))
                expected.append({"point": point, "n": n, "p": p, "seed": s, **result})
            point += 1
    pd.testing.assert_frame_equal(frame, pd.DataFrame(expected))


@settings(max_examples=15)
@given(grid=grids, seeds=seed_lists, chunksize=st.integers(1, 4), data=st.data())
def test_resume_after_losing_any_parts_gives_the_same_frame(grid, seeds, chunksize, data):
    full = sweep(funcs.collapse_fraction, grid, seeds=seeds, backend="serial", progress=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s"
        sweep(
            funcs.collapse_fraction,
            grid,
            seeds=seeds,
            backend="serial",
            progress=False,
            chunksize=chunksize,
            out=out,
            format="csv",
        )
        parts = sorted(out.glob("part-*.csv"))
        lost = data.draw(st.lists(st.sampled_from(parts), unique=True), label="lost parts")
        for part in lost:
            part.unlink()
        resumed = sweep(
            funcs.collapse_fraction,
            grid,
            seeds=seeds,
            backend="serial",
            progress=False,
            chunksize=data.draw(st.integers(1, 5)),
            out=out,
        )
        pd.testing.assert_frame_equal(resumed, full)
        pd.testing.assert_frame_equal(read_sweep(out), full)
