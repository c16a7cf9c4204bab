"""The capability stock-and-flow model in XMILE, and its Euler simulation.

XMILE (OASIS XMILE 1.0 :cite:`XMILE2015`) is the exchange format of
system-dynamics tools (Stella, PySD). The capability model of
:mod:`.capability` as a stock and two flows:

    capability(t + dt) = capability(t) + dt · (learning − reorganisation_loss)
    learning = learning_rate · (ceiling − capability)
    reorganisation_loss = PULSE((1 − retained_share) · capability, period, period)

``PULSE(m, first, interval)`` is ``m / dt`` for one time step at ``first``,
``first + interval``, ...: in one step it removes ``(1 − ρ)`` of the stock,
the discrete reset of :mod:`.capability` (plus one step's learning, an
``O(dt)`` difference that vanishes as ``dt → 0``).
:func:`simulate_capability_euler` integrates the same equations the way a
system-dynamics tool does (Euler, the pulse on the grid), so PySD's run of
the exported file reproduces it (recorded once by
``benchmarks/record_pysd_dynamics.py``; a test compares to 1e-6).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from .._checks import check_positive
from .._io import atomic_write_text
from .._version import __version__
from ..errors import InvalidParameterError
from .capability import CapabilityParams

__all__ = ["capability_xmile", "simulate_capability_euler", "write_capability_xmile"]

_NS = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"


def _check_grid(period: float, years: float, dt: float, owner: str) -> tuple[float, float, float]:
    period = check_positive(period, "period", owner)
    years = check_positive(years, "years", owner)
    dt = check_positive(dt, "dt", owner)
    steps = years / dt
    if abs(steps - round(steps)) > 1e-9 or abs(period / dt - round(period / dt)) > 1e-9:
        raise InvalidParameterError(
            f"{owner}: years ({years}) and period ({period}) must be whole multiples of dt ({dt}); "
            "use a dt such as 1/16 of a year"
        )
    return period, years, dt


def _num(x: float) -> str:
    return repr(float(x))


def capability_xmile(
    params: CapabilityParams | None = None,
    period: float = 2.0,
    years: float = 30.0,
    dt: float = 0.0625,
) -> str:
    """The capability model (module docstring) as an XMILE 1.0 document (a string)."""
    prm = params or CapabilityParams()
    period, years, dt = _check_grid(period, years, dt, "capability_xmile")
    aux = {
        "learning_rate": prm.learning_rate,
        "retained_share": prm.retained_share,
        "ceiling": prm.ceiling,
        "period": period,
    }
    auxes = "\n".join(
        f'      <aux name="{k}">\n        <eqn>{_num(v)}</eqn>\n      </aux>'
        for k, v in aux.items()
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="{_NS}">
  <header>
    <vendor>jenga_games</vendor>
    <product version="{escape(__version__)}">jenga_games</product>
    <name>commissioning capability</name>
  </header>
  <sim_specs method="Euler" time_units="years">
    <start>0</start>
    <stop>{_num(years)}</stop>
    <dt>{_num(dt)}</dt>
  </sim_specs>
  <model>
    <variables>
      <stock name="capability">
        <eqn>{_num(prm.initial)}</eqn>
        <inflow>learning</inflow>
        <outflow>reorganisation_loss</outflow>
      </stock>
      <flow name="learning">
        <eqn>learning_rate * (ceiling - capability)</eqn>
      </flow>
      <flow name="reorganisation_loss">
        <eqn>PULSE((1 - retained_share) * capability, period, period)</eqn>
      </flow>
{auxes}
    </variables>
  </model>
</xmile>
"""


def write_capability_xmile(path, params: CapabilityParams | None = None, **kwargs) -> str:
    """Write :func:`capability_xmile` to ``path`` (atomically); returns the text."""
    text = capability_xmile(params, **kwargs)
    atomic_write_text(path, text)
    return text


def simulate_capability_euler(
    params: CapabilityParams | None = None,
    period: float = 2.0,
    years: float = 30.0,
    dt: float = 0.0625,
) -> pd.DataFrame:
    """Euler integration of the stock-and-flow equations, as a system-dynamics tool runs them.

    Returns a frame with columns ``t`` and ``capability`` at every step ``0, dt, ..., years``.
    """
    prm = params or CapabilityParams()
    period, years, dt = _check_grid(period, years, dt, "simulate_capability_euler")
    n = round(years / dt)
    every = round(period / dt)
    lam, rho, top = prm.learning_rate, prm.retained_share, prm.ceiling
    k = np.empty(n + 1)
    k[0] = prm.initial
    for i in range(n):
        pulse = (1.0 - rho) * k[i] / dt if i > 0 and i % every == 0 else 0.0
        k[i + 1] = k[i] + dt * (lam * (top - k[i]) - pulse)
    t = np.arange(n + 1) * dt
    if not math.isclose(t[-1], years):
        raise InvalidParameterError("simulate_capability_euler: the grid does not end at years")
    return pd.DataFrame({"t": t, "capability": k})
