"""The Dask backend gives the same frame as local processes (needs dask[distributed])."""

from __future__ import annotations

import pandas as pd
import pytest

from jenga_games.sweep import sweep

from . import funcs

distributed = pytest.importorskip("distributed")

pytestmark = [pytest.mark.dask]

GRID = {"n": [10, 50], "p": [0.1, 0.5, 0.9]}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def test_dask_client_and_address_equal_local_processes(cluster, tmp_path):
    local = sweep(funcs.collapse_fraction, GRID, seeds=3, workers=2, progress=False)
    with distributed.Client(cluster) as client:
        on_dask = sweep(funcs.collapse_fraction, GRID, seeds=3, backend=client, progress=False)
        # lambdas travel to Dask workers with cloudpickle
        lam = sweep(lambda a: {"x": 2 * a}, {"a": [1, 2]}, backend=client, progress=False)
    pd.testing.assert_frame_equal(local, on_dask)
    assert lam["x"].tolist() == [2, 4]
    by_address = sweep(
        funcs.collapse_fraction,
        GRID,
        seeds=3,
        backend=cluster.scheduler_address,
        progress=False,
        out=tmp_path / "s",
        chunksize=2,
    )
    pd.testing.assert_frame_equal(local, by_address)


def test_dask_failures_are_reported(cluster):
    with distributed.Client(cluster) as client:
        frame = sweep(
            funcs.fails_on_three,
            {"a": [1, 2, 3]},
            backend=client,
            progress=False,
            on_error="record",
        )
    assert frame["error"].notna().tolist() == [False, False, True]


@pytest.mark.slow
def test_scheduler_and_two_workers_as_separate_processes():
    """benchmarks/dask_cluster_demo.sh: `dask scheduler` + 2 × `dask worker`, then a sweep."""
    import shutil
    import socket
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "dask").exists() and shutil.which("dask") is None:
        pytest.skip("the `dask` command is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run(
        ["bash", str(root / "benchmarks" / "dask_cluster_demo.sh")],
        env={"BIN": str(bin_dir), "PORT": str(port), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "workers: ['worker-1', 'worker-2']" in done.stdout
    assert "frames identical" in done.stdout
