"""Sweeps that can be trusted (issue #23): clear errors, honest resumes, quiet logs."""

from __future__ import annotations

import json
import os

import pytest

from jenga_games.errors import JengaError, JengaWarning, SweepError
from jenga_games.sweep import read_sweep, sweep


def square(x):
    return {"y": x * x}


def die_on_two(x):
    if x == 2:
        os._exit(1)  # a worker killed mid-task (e.g. by the out-of-memory killer)
    return {"y": x}


def test_dead_worker_gives_a_sweep_error_not_broken_process_pool():
    with pytest.raises(SweepError, match=r"worker process of the sweep died.*run the same sweep"):
        sweep(die_on_two, {"x": [1, 2, 3]}, backend="processes", workers=1, progress=False)


def test_bogus_backend_is_refused_before_any_import():
    with pytest.raises(JengaError, match=r"backend='bogus'.*tcp://127.0.0.1:8786"):
        sweep(square, {"x": [1]}, backend="bogus", progress=False)


def test_resume_refuses_results_of_another_version(tmp_path):
    out = tmp_path / "s"
    sweep(square, {"x": [1, 2]}, backend="serial", out=out, format="csv", progress=False)
    manifest = next(out.glob("*.json"))
    data = json.loads(manifest.read_text())
    data["version"] = "0.0.1"
    manifest.write_text(json.dumps(data))
    with pytest.raises(JengaError, match=r"written by jenga_games '0.0.1'.*new out directory"):
        sweep(square, {"x": [1, 2]}, backend="serial", out=out, format="csv", progress=False)


def test_truncated_part_is_set_aside_and_recomputed(tmp_path):
    out = tmp_path / "s"
    full = sweep(
        square,
        {"x": [1, 2, 3]},
        backend="serial",
        out=out,
        format="csv",
        chunksize=1,
        progress=False,
    )
    part = sorted(out.glob("part-*.csv"))[1]
    part.write_text(part.read_text()[:7])  # cut short by a crash
    with pytest.warns(JengaWarning, match=r"cannot be read.*computed again on resume"):
        again = sweep(
            square,
            {"x": [1, 2, 3]},
            backend="serial",
            out=out,
            format="csv",
            chunksize=1,
            progress=False,
        )
    assert again.equals(full)
    assert read_sweep(out).equals(full)


def test_progress_bar_is_silent_when_not_a_terminal(capsys):
    sweep(square, {"x": [1, 2]}, backend="serial", progress=True)
    captured = capsys.readouterr()
    assert "\r" not in captured.err and "\x1b" not in captured.err
