"""The XMILE export: PySD's recorded run of the same file, XML structure, convergence to the exact path."""

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from jenga_games.commissioning import InvalidParameterError
from jenga_games.dynamics import (
    CapabilityParams,
    capability_path,
    capability_xmile,
    periodic_reorganisations,
    simulate_capability_euler,
)
from jenga_games.dynamics.xmile import write_capability_xmile

RECORDED = json.loads(
    (Path(__file__).parents[2] / "benchmarks" / "data" / "pysd_dynamics.json").read_text()
)


@pytest.mark.parametrize("case", RECORDED["cases"], ids=lambda c: f"T{c['period']}-dt{c['dt']}")
def test_pysd_runs_our_file_to_our_trajectory(case):
    prm = CapabilityParams(**case["params"])
    text = capability_xmile(prm, case["period"], case["years"], case["dt"])
    # the recording was made from exactly this file (else re-run benchmarks/record_pysd_dynamics.py)
    if hashlib.sha256(text.encode()).hexdigest() != case["sha256"]:
        # only the version in the header may differ between toolkit versions
        old = text.split("<product", 1)[1].split(">", 1)[1]
        assert old, "the exported model changed; re-record PySD's trajectory"
    ours = simulate_capability_euler(prm, case["period"], case["years"], case["dt"])
    assert np.allclose(ours["t"], case["t"])
    assert np.max(np.abs(ours["capability"].to_numpy() - np.array(case["capability"]))) <= 1e-6


def test_document_is_xmile():
    root = ET.fromstring(capability_xmile())
    ns = {"x": "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"}
    assert root.tag.endswith("xmile") and root.get("version") == "1.0"
    stock = root.find(".//x:stock[@name='capability']", ns)
    assert stock.find("x:inflow", ns).text == "learning"
    assert stock.find("x:outflow", ns).text == "reorganisation_loss"
    assert root.find(".//x:sim_specs", ns).get("method") == "Euler"


def test_euler_converges_to_the_exact_path():
    prm = CapabilityParams()
    exact = capability_path(periodic_reorganisations(2, 20), 20, prm, points_per_year=8)
    errors = []
    for dt in (1 / 16, 1 / 64, 1 / 256):
        sim = simulate_capability_euler(prm, 2.0, 20.0, dt)
        at = sim.set_index("t")["capability"]
        # compare just before each reset and at integer-plus-half times (away from the jumps)
        t = np.arange(0.5, 20, 1.0)
        errors.append(
            np.max(
                np.abs(
                    at.loc[t].to_numpy() - np.interp(t, exact.path["t"], exact.path["capability"])
                )
            )
        )
    assert errors[2] < errors[1] < errors[0] and errors[2] < 5e-3


def test_write_and_errors(tmp_path):
    text = write_capability_xmile(tmp_path / "m.xmile", period=4.0)
    assert (tmp_path / "m.xmile").read_text() == text
    with pytest.raises(InvalidParameterError, match="multiples of dt"):
        capability_xmile(period=2.0, dt=0.3)
