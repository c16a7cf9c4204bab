"""Sweeps that can be trusted (issue #23): clear errors, honest resumes, quiet logs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_killed_sweep_takes_its_workers_with_it(tmp_path):
    root = Path(__file__).resolve().parents[2]
    pids = tmp_path / "pids"
    pids.mkdir()
    script = textwrap.dedent("""
        from jenga_games.sweep import sweep
        from tests.sweep import test_sweep_trust as t
        sweep(t.record_pid_and_sleep, {"x": list(range(40))}, backend="processes",
              workers=2, chunksize=1, progress=False)
    """)
    env = {**os.environ, "PID_DIR": str(pids), "PYTHONPATH": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=root)
    try:
        deadline = time.monotonic() + 120
        while len({p.name for p in pids.iterdir()}) < 2:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    workers = {int(p.name) for p in pids.iterdir()}
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "workers outlived the killed sweep"


def record_pid_and_sleep(x):
    (Path(os.environ["PID_DIR"]) / str(os.getpid())).touch()
    time.sleep(1.0)
    return {"y": x}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
