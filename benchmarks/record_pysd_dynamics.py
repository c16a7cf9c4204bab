"""Record PySD's run of the exported capability XMILE model (run once; the test reads the JSON).

PySD (a well-kept system-dynamics package) is a peer: it stays out of the test
environment. Run with a Python that has both jenga_games and pysd, e.g.::

    python -m venv /tmp/pysd-venv && /tmp/pysd-venv/bin/pip install pysd -e .
    /tmp/pysd-venv/bin/python benchmarks/record_pysd_dynamics.py

It writes ``benchmarks/data/pysd_dynamics.json``: for each case the parameters,
the exported XMILE text's SHA-256 (so the test knows the recording still
matches what we export) and PySD's trajectory of ``capability``.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pysd

from jenga_games.dynamics import CapabilityParams, capability_xmile

CASES = [
    {"params": {}, "period": 2.0, "years": 30.0, "dt": 0.0625},
    {
        "params": {"learning_rate": 0.8, "retained_share": 0.3, "initial": 0.2},
        "period": 3.0,
        "years": 24.0,
        "dt": 0.125,
    },
    {"params": {"retained_share": 1.0}, "period": 5.0, "years": 20.0, "dt": 0.25},
]


def main() -> None:
    out = []
    for case in CASES:
        prm = CapabilityParams(**case["params"])
        text = capability_xmile(prm, case["period"], case["years"], case["dt"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "capability.xmile"
            path.write_text(text)
            model = pysd.read_xmile(str(path))
            run = model.run(return_columns=["capability"])
        out.append(
            {
                **case,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "t": [float(x) for x in run.index],
                "capability": [float(x) for x in run["capability"]],
            }
        )
    target = Path(__file__).parent / "data" / "pysd_dynamics.json"
    target.write_text(json.dumps({"pysd": pysd.__version__, "cases": out}, indent=1) + "\n")
    print(f"wrote {target} (pysd {pysd.__version__}, {len(out)} cases)")


if __name__ == "__main__":
    main()
