"""Tests of jenga_games.sweep: tidy frames, seeds, backends, errors, out= and resume."""

from __future__ import annotations

import functools
import json
import logging

import numpy as np
import pandas as pd
import pytest

from jenga_games._results import Provenance
from jenga_games.errors import JengaError
from jenga_games.sweep import SweepError, flatten_result, read_sweep, sweep, task_seed

from . import funcs

GRID = {"n": [10, 50], "p": [0.1, 0.5, 0.9]}


def test_grid_product_order_and_tidy_columns():
    frame = sweep(
        funcs.deterministic, {"a": [1, 2], "b": [0.5, 1.5, 2.5]}, backend="serial", progress=False
    )
    assert list(frame.columns) == ["point", "a", "b", "total", "product"]
    assert frame["point"].tolist() == list(range(6))
    assert frame[["a", "b"]].values.tolist() == [
        [1, 0.5],
        [1, 1.5],
        [1, 2.5],
        [2, 0.5],
        [2, 1.5],
        [2, 2.5],
    ]
    np.testing.assert_array_equal(frame["total"], frame["a"] + frame["b"])


def test_list_of_dicts_grid_with_different_keys():
    frame = sweep(
        funcs.deterministic,
        [{"a": 1, "b": 2.0}, {"b": 3.0, "a": 4}],
        backend="serial",
        progress=False,
    )
    assert frame["total"].tolist() == [3.0, 7.0]


def test_each_row_reproducible_from_task_seed():
    frame = sweep(funcs.collapse_fraction, GRID, seeds=[5, 7], backend="serial", progress=False)
    assert len(frame) == 12 and frame["seed"].tolist() == [5, 7] * 6
    for row in frame.itertuples():
        again = funcs.collapse_fraction(row.n, row.p, seed=task_seed(row.seed, row.point))
        assert again == {"fallen": row.fallen, "first": row.first}
    # different seeds and different points draw different numbers
    assert frame["first"].nunique() == 12


def test_default_seed_is_zero_when_function_takes_seed():
    a = sweep(funcs.collapse_fraction, GRID, backend="serial", progress=False)
    b = sweep(funcs.collapse_fraction, GRID, seeds=[0], backend="serial", progress=False)
    pd.testing.assert_frame_equal(a, b)


def test_processes_equal_serial_whatever_workers_and_chunks():
    serial = sweep(funcs.collapse_fraction, GRID, seeds=3, backend="serial", progress=False)
    for workers, chunksize in [(1, None), (2, 1), (2, 5)]:
        local = sweep(
            funcs.collapse_fraction,
            GRID,
            seeds=3,
            workers=workers,
            chunksize=chunksize,
            progress=False,
        )
        pd.testing.assert_frame_equal(serial, local)


def test_result_objects_are_flattened():
    prov = Provenance(method="m", params={"tol": 1e-9}, seed=3)
    assert flatten_result(prov) == {
        "method": "m",
        "params.tol": 1e-9,
        "seed": 3,
        "exact": False,
        "version": prov.version,
    }
    assert flatten_result({"v": np.array([1, 2])}) == {"v": "[1, 2]"}
    assert flatten_result(np.float64(2.5)) == {"value": 2.5}
    with pytest.raises(JengaError, match="returned a list"):
        flatten_result([1, 2])


def test_failing_points_raise_with_parameters_and_keep_others(tmp_path):
    with pytest.raises(SweepError, match=r"1 of 5 sweep tasks failed") as info:
        sweep(
            funcs.fails_on_three,
            {"a": [1, 2, 3, 4, 5]},
            workers=2,
            chunksize=2,
            progress=False,
            out=tmp_path / "s",
        )
    err = info.value
    assert err.errors[["point", "a", "seed"]].values.tolist() == [[2, 3, 0]]
    assert err.errors["error"].tolist() == ["ZeroDivisionError: a = 3 is not allowed"]
    assert "ZeroDivisionError" in err.errors["traceback"][0]
    assert "a = 3 is not allowed" in str(err)
    assert err.frame["a"].tolist() == [1, 2, 4, 5]
    assert read_sweep(tmp_path / "s")["a"].tolist() == [1, 2, 4, 5]


def test_failing_points_recorded():
    frame = sweep(
        funcs.fails_on_three,
        {"a": [1, 2, 3, 4]},
        seeds=2,
        backend="serial",
        progress=False,
        on_error="record",
    )
    assert list(frame.columns) == ["point", "a", "seed", "double", "error"]
    bad = frame[frame["error"].notna()]
    assert bad[["a", "seed"]].values.tolist() == [[3, 0], [3, 1]]
    assert bad["double"].isna().all()
    assert frame.loc[frame["error"].isna(), "double"].tolist() == [2.0, 2.0, 4.0, 4.0, 8.0, 8.0]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_out_roundtrip_and_resume_skips_finished(tmp_path, fmt, caplog, monkeypatch):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    calls = tmp_path / "calls.txt"
    monkeypatch.setenv("SWEEP_CALLS", str(calls))
    out = tmp_path / "sweep"
    grid = {"a": list(range(12))}
    full = sweep(funcs.slow, grid, seeds=2, backend="serial", progress=False)
    # a first run over half the grid's parts: simulate by writing only some parts
    first = sweep(
        funcs.slow,
        grid,
        seeds=2,
        backend="serial",
        progress=False,
        out=out,
        format=fmt,
        chunksize=5,
    )
    pd.testing.assert_frame_equal(first, full)
    parts = sorted(out.glob(f"part-*.{fmt}"))
    assert len(parts) == 5
    for p in parts[1::2]:
        p.unlink()  # as if the process had died before writing them
    calls.unlink()
    with caplog.at_level(logging.INFO, logger="jenga_games.sweep"):
        again = sweep(funcs.slow, grid, seeds=2, workers=2, progress=False, out=out)
    pd.testing.assert_frame_equal(again, full)
    assert "tasks already done" in caplog.text
    assert len(calls.read_text().split()) == 10  # only the two deleted parts were recomputed
    pd.testing.assert_frame_equal(read_sweep(out), full)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == fmt and manifest["function"].endswith("funcs.slow")


def test_changed_grid_or_function_is_detected(tmp_path):
    out = tmp_path / "s"
    sweep(funcs.deterministic, {"a": [1], "b": [1.0]}, backend="serial", progress=False, out=out)
    with pytest.raises(JengaError, match="grid or seeds changed"):
        sweep(
            funcs.deterministic,
            {"a": [1, 2], "b": [1.0]},
            backend="serial",
            progress=False,
            out=out,
        )
    with pytest.raises(JengaError, match=r"function .* changed"):
        sweep(
            funcs.fails_on_three, {"a": [1], "b": [1.0]}, backend="serial", progress=False, out=out
        )
    partial = functools.partial(funcs.deterministic, b=2.0)
    with pytest.raises(JengaError, match=r"function .* changed"):
        sweep(partial, {"a": [1], "b": [1.0]}, backend="serial", progress=False, out=out)


def test_changed_source_is_detected(tmp_path):
    out = tmp_path / "s"
    namespace: dict = {}
    exec("def f(a):\n    return {'x': a}\n", namespace)  # no source file: byte code is hashed
    sweep(namespace["f"], {"a": [1]}, backend="serial", progress=False, out=out)
    sweep(namespace["f"], {"a": [1]}, backend="serial", progress=False, out=out)
    exec("def f(a):\n    return {'x': a + 1}\n", namespace)
    with pytest.raises(JengaError, match=r"function .* changed"):
        sweep(namespace["f"], {"a": [1]}, backend="serial", progress=False, out=out)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grid": {}}, "grid is empty"),
        ({"grid": []}, "empty list"),
        ({"grid": {"a": 3}}, r"must be a list of values.*\[3\]"),
        ({"grid": {"a": []}}, "empty list"),
        ({"grid": {"point": [1]}}, "reserved"),
        ({"grid": [{"a": 1}, 5]}, r"grid\[1\] must be a dict"),
        ({"grid": {"a": [1]}, "seeds": 0}, "at least 1"),
        ({"grid": {"a": [1]}, "seeds": [1, 1]}, "repeats"),
        ({"grid": {"a": [1]}, "seeds": [-1]}, "non-negative"),
        ({"grid": {"a": [1]}, "on_error": "ignore"}, "on_error"),
        ({"grid": {"a": [1]}, "backend": 42}, "backend=42"),
        ({"grid": {"a": [1]}, "workers": 0}, "workers=0"),
        ({"grid": {"a": [1]}, "chunksize": 0}, "chunksize=0"),
    ],
)
def test_bad_input(kwargs, message):
    with pytest.raises(JengaError, match=message):
        sweep(funcs.fails_on_three, progress=False, **kwargs)


def test_seeds_for_function_without_seed_and_unpicklable_function():
    with pytest.raises(JengaError, match="no `seed` parameter"):
        sweep(funcs.deterministic, {"a": [1], "b": [1.0]}, seeds=2, progress=False)
    with pytest.raises(JengaError, match="define it at module level"):
        sweep(lambda a: {"x": a}, {"a": [1]}, progress=False)
    with pytest.raises(JengaError, match="clash"):
        sweep(lambda a: {"a": a}, {"a": [1]}, backend="serial", progress=False)


def test_out_must_be_a_sweep_directory(tmp_path):
    (tmp_path / "other.txt").write_text("x")
    with pytest.raises(JengaError, match="not a sweep directory"):
        sweep(
            funcs.deterministic,
            {"a": [1], "b": [1.0]},
            backend="serial",
            progress=False,
            out=tmp_path,
        )
    with pytest.raises(JengaError, match="not a sweep directory"):
        read_sweep(tmp_path)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_result_types_survive_the_files(tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    memory = sweep(funcs.mixed_types, {"a": [1, 2, 3]}, backend="serial", progress=False)
    assert list(memory.columns) == [
        "point",
        "a",
        "flag",
        "label",
        "count",
        "ratio",
        "maybe",
        "vector",
    ]
    assert memory["vector"].tolist() == ["[1, 2]", "[2, 3]", "[3, 4]"]
    on_disk = sweep(
        funcs.mixed_types,
        {"a": [1, 2, 3]},
        workers=2,
        chunksize=1,
        progress=False,
        out=tmp_path / "s",
        format=fmt,
    )
    pd.testing.assert_frame_equal(memory, on_disk)


def test_grid_values_from_arrays_ranges_and_series():
    frame = sweep(
        funcs.deterministic,
        {"a": range(2), "b": np.linspace(0.0, 1.0, 3)},
        backend="serial",
        progress=False,
    )
    again = sweep(
        funcs.deterministic,
        {"a": pd.Series([0, 1]), "b": [0.0, 0.5, 1.0]},
        backend="serial",
        progress=False,
    )
    pd.testing.assert_frame_equal(frame, again)
    assert frame["b"].tolist() == [0.0, 0.5, 1.0] * 2
