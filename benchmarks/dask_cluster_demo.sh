#!/usr/bin/env bash
# A Dask scheduler and two workers, started as separate processes with Dask's own
# commands (exactly as on a real cluster, but all on this machine), then a sweep
# sent to the scheduler by address and checked against local processes.
#
#   bash benchmarks/dask_cluster_demo.sh          # uses .venv (needs dask[distributed])
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8786}
LOG=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$BIN/dask" scheduler --host 127.0.0.1 --port "$PORT" --no-dashboard >"$LOG/scheduler.log" 2>&1 &
pids+=($!)
for i in 1 2; do
  # PYTHONPATH so the workers can import the swept function's module (on a real
  # cluster: install the same package version on every worker)
  PYTHONPATH="$PWD:$PWD/benchmarks" "$BIN/dask" worker "tcp://127.0.0.1:$PORT" \
      --nworkers 1 --nthreads 1 --name "worker-$i" --no-dashboard >"$LOG/worker-$i.log" 2>&1 &
  pids+=($!)
done

# wait until both workers have joined
"$BIN/python" - "$PORT" <<'PY'
import sys, time
from distributed import Client
with Client(f"tcp://127.0.0.1:{sys.argv[1]}", timeout=30) as c:
    c.wait_for_workers(2, timeout=60)
    print("workers:", sorted(w["name"] for w in c.scheduler_info()["workers"].values()))
PY
PYTHONPATH="$PWD:$PWD/benchmarks" "$BIN/python" -m dask_cluster_demo "tcp://127.0.0.1:$PORT"
echo "scheduler and worker logs in $LOG"
