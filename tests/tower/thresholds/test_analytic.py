"""k-core percolation by generating functions: published thresholds, a scalar root finder, simulation."""

import numpy as np
import pytest
from scipy import optimize, stats

from jenga_games.errors import InvalidTowerError
from jenga_games.tower import AtLeast
from jenga_games.tower.library import random_tower
from jenga_games.tower.thresholds import collapse_curve, kcore_curve


def test_published_thresholds():
    # Pittel, Spencer & Wormald (1996): the 3-core of G(n, z/n) appears at z = 3.35 (3.3509...)
    c = kcore_curve(3, 5.0)
    assert c.critical_fraction == pytest.approx(1 - 3.3509 / 5.0, abs=2e-4)
    assert kcore_curve(3, 3.3).critical_fraction is None  # below threshold: no 3-core at all
    # Chalupa, Leath & Reich (1979), Bethe lattice z = 4, k = 3: p_c = 8/9
    r = kcore_curve(3, 4, "regular")
    assert r.critical_fraction == pytest.approx(1 / 9, abs=1e-7)
    # k = 2 is continuous, at the percolation threshold p_c = 1/z
    c2 = kcore_curve(2, 3.0)
    assert c2.jump == 0.0 and c2.critical_fraction == pytest.approx(2 / 3, abs=1e-4)
    assert kcore_curve(3, 5.0).jump > 0.1


def test_against_scalar_root_finding():
    """The largest root of u = p·P(Poisson(5u) >= 2), found one p at a time by brentq."""
    f = np.array([0.0, 0.1, 0.2, 0.3, 0.32])
    c = kcore_curve(3, 5.0, fraction_removed=f)
    for fi, m in zip(f, c.surviving):
        p = 1 - fi
        g = lambda u, p=p: u - p * stats.poisson.sf(1, 5 * u)  # noqa: E731
        grid = np.linspace(1, 1e-3, 5000)
        i = np.flatnonzero(g(grid) < 0)[0]
        u = optimize.brentq(g, grid[i], grid[i - 1], xtol=1e-13)
        assert m == pytest.approx(p * stats.poisson.sf(2, 5 * u), abs=1e-8)


@pytest.mark.parametrize(
    "k, z, graph",
    [(3, 5.0, "erdos_renyi"), (3, 4, "regular"), (2, 3.0, "erdos_renyi"), (1, 3.0, "erdos_renyi")],
)
def test_simulation_agrees_within_finite_size_error(k, z, graph):
    """10^4 services, 4 random orders: the mean curve is within 0.02 of the theory away from
    the transition (finite-size rounding is O(n^-1/2)), and its steepest drop sits at f_c."""
    tower = random_tower(10_000, z, AtLeast(k), graph=graph, seed=5)
    sim = collapse_curve(tower, samples=4, seed=1, measure="services")  # theory: share of services
    th = kcore_curve(k, z, graph, sim.fraction)
    far = np.ones(sim.fraction.size, bool)
    if th.critical_fraction is not None:
        far = np.abs(sim.fraction - th.critical_fraction) > 0.02
    assert np.max(np.abs(sim.mean_surviving - th.surviving)[far]) < 0.025
    if th.jump > 0:
        assert sim.steepest_drop_fraction == pytest.approx(th.critical_fraction, abs=0.02)
        assert sim.steepest_drop > 0.02  # a real jump in one step, not a slope


@pytest.mark.slow
def test_simulation_at_1e5_services():
    tower = random_tower(100_000, 6.0, AtLeast(4), seed=2)
    sim = collapse_curve(tower, samples=2, seed=3, measure="services")
    th = kcore_curve(4, 6.0, "erdos_renyi", sim.fraction)
    far = np.abs(sim.fraction - th.critical_fraction) > 0.01
    assert np.max(np.abs(sim.mean_surviving - th.surviving)[far]) < 0.01
    assert sim.steepest_drop_fraction == pytest.approx(th.critical_fraction, abs=0.01)


def test_errors():
    with pytest.raises(InvalidTowerError, match="k must"):
        kcore_curve(0, 3.0)
    with pytest.raises(InvalidTowerError, match="graph"):
        kcore_curve(3, 3.0, "lattice")
    with pytest.raises(InvalidTowerError, match="whole degree"):
        kcore_curve(3, 3.5, "regular")
    with pytest.raises(InvalidTowerError, match="fraction"):
        kcore_curve(3, 5.0, fraction_removed=[1.5])
    assert "surviving" in kcore_curve(2, 3.0).to_frame()


@pytest.mark.parametrize(
    "k, z, graph",
    [(3, 5.0, "erdos_renyi"), (4, 8.0, "erdos_renyi"), (3, 4, "regular"), (4, 6, "regular")],
)
def test_symbolic_equations_give_the_same_critical_point(k, z, graph):
    """sympy: solve d/du (u/Φ(u)) = 0 with nsolve; Φ agrees with scipy's tail probabilities."""
    import sympy as sp

    from jenga_games.tower.thresholds import kcore_equations

    eq = kcore_equations(k, graph, degree=int(z) if graph == "regular" else None)
    u, _p, zs = eq["symbols"]
    subs = {zs: z} if graph == "erdos_renyi" else {}
    uc = sp.nsolve(eq["critical"].lhs.subs(subs), u, (0.05, 0.999), solver="bisect")
    pc = float(eq["p_of_u"].subs({**subs, u: uc}))
    assert kcore_curve(k, z, graph).critical_fraction == pytest.approx(1 - pc, abs=1e-7)
    phi = sp.lambdify(u, eq["phi"].subs(subs))
    ref = (
        stats.poisson.sf(k - 2, z * 0.37)
        if graph == "erdos_renyi"
        else stats.binom.sf(k - 2, int(z) - 1, 0.37)
    )
    assert float(phi(0.37)) == pytest.approx(ref, rel=1e-12)
