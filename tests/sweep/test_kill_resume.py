"""A sweep killed mid-way (SIGKILL, no clean-up) resumes without losing finished work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd

from jenga_games.sweep import read_sweep, sweep

from . import funcs

ROOT = Path(__file__).resolve().parents[2]
GRID = {"a": list(range(60))}


def test_killed_sweep_resumes_and_loses_nothing(tmp_path, monkeypatch):
    out = tmp_path / "sweep"
    calls = tmp_path / "calls.txt"
    script = textwrap.dedent(f"""
        from jenga_games.sweep import sweep
        from tests.sweep import funcs
        sweep(funcs.slow, {GRID!r}, seeds=2, backend="serial", chunksize=4,
              progress=False, out={str(out)!r})
    """)
    env = {**os.environ, "SWEEP_CALLS": str(calls), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("part-*"))) < 3:
            assert proc.poll() is None, "the sweep finished or died before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = read_sweep(out)
    assert 12 <= len(before) < 120  # some chunks finished, not all
    done_calls = len(calls.read_text().split())
    assert done_calls >= len(before)  # the chunk in flight when killed may be lost

    monkeypatch.setenv("SWEEP_CALLS", str(calls))
    resumed = sweep(funcs.slow, GRID, seeds=2, workers=2, progress=False, out=out)
    expected = sweep(funcs.slow, GRID, seeds=2, backend="serial", progress=False)
    pd.testing.assert_frame_equal(resumed, expected)
    # nothing finished before the kill was recomputed
    assert len(calls.read_text().split()) - done_calls == 120 - len(before) + 120
    pd.testing.assert_frame_equal(read_sweep(out), expected)
    # what was on disk at the kill is exactly the corresponding rows of a clean run
    merged = before.merge(expected, on=["point", "a", "seed"], suffixes=("", "_clean"))
    assert len(merged) == len(before)
    assert merged["value"].tolist() == merged["value_clean"].tolist()
