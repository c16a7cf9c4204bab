"""Uncertainty: PSA, DSA, Sobol'/Morris, EVPI/EVPPI and CEACs, checked against closed forms.

Oracles: the Ishigami function's analytic Sobol' indices (Ishigami & Homma 1990;
Saltelli et al. 2008 §4.4, a = 7, b = 0.1); EVPI of a two-option normal model in
closed form, E[max(X, 0)] − max(μ, 0) = μΦ(μ/σ) + σφ(μ/σ) − max(μ, 0); a
one-service economy whose provider fails iff a lognormal margin falls below its
overhead, P = Φ(ln(F / (a p)) / s); the compiled tower rebuilt from scratch.
"""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from jenga_games.cli import main
from jenga_games.tower import Provider, Service, Tower, local_health_economy
from jenga_games.uncertainty import (
    EconomyPerturbation,
    JengaModel,
    ParameterSpace,
    TowerModel,
    UncertaintySpecError,
    ceac,
    drivers,
    evpi,
    evppi,
    expand_economy,
    morris_indices,
    net_benefit,
    outcome_probability,
    probabilities,
    psa,
    sobol_indices,
    switching_values,
    tornado,
    two_way,
    wilson_interval,
)

# -- models at module level (picklable for the process back-end) -------------------------


def ishigami(x1, x2, x3, a=7.0, b=0.1):
    return {"y": math.sin(x1) + a * math.sin(x2) ** 2 + b * x3**4 * math.sin(x1)}


def two_options(x, noise):
    return {"nb_a": 0.0, "nb_b": x, "cost_b": 1.0 - noise, "effect_b": x}


def noisy(price, seed):
    return {"u": float(np.random.default_rng(seed).random()) + price}


KILL = {"after": None, "calls": 0}


def killable(price):
    KILL["calls"] += 1
    if KILL["after"] is not None and KILL["calls"] > KILL["after"]:
        raise KeyboardInterrupt  # what a kill looks like from inside the loop
    return {"y": 2 * price}


def one_service(a=10.0, p=1.0, overhead=8.0):
    """One provider with one service: margin a·p·m against overhead F (no reserves)."""
    return Tower(
        [Service("s", provider="P", activity=a, tariff=p)],
        [],
        [Provider("P", overhead=overhead, reserves=0.0)],
    )


# -- distributions, correlations, bad specs -------------------------------------------------


def test_rank_correlation_reproduced_within_sampling_error():
    target = {("a", "b"): 0.6, ("a", "c"): -0.4, ("b", "c"): 0.0}
    space = ParameterSpace(
        {"a": stats.norm(), "b": stats.lognorm(0.5), "c": stats.uniform(0, 3)}, target
    )
    n = 2000
    for sampler in ("mc", "lhs", "sobol"):
        rho = stats.spearmanr(space.sample(n, seed=4, sampler=sampler)).statistic
        for (x, y), r in target.items():
            i, j = space.names.index(x), space.names.index(y)
            # standard error of Spearman's rho ~ (1 - r^2) / sqrt(n - 1); allow 4 of them
            assert abs(rho[i, j] - r) < 4 * (1 - r * r) / math.sqrt(n - 1) + 0.005, (sampler, x, y)


def test_marginals_kept_and_lhs_stratified():
    space = ParameterSpace({"a": stats.uniform(0, 1), "b": stats.norm()}, {("a", "b"): 0.8})
    a = space.sample(100, seed=0, sampler="lhs")["a"].to_numpy()
    # Latin hypercube: exactly one draw in each of the 100 strata, even after re-ordering
    assert np.array_equal(np.sort(np.floor(a * 100)), np.arange(100))


def test_empirical_and_fixed():
    space = ParameterSpace({"e": [3.0, 1.0, 2.0], "f": 5})
    s = space.sample(50, seed=1, sampler="mc")
    assert set(s["e"]) <= {1.0, 2.0, 3.0} and set(s["f"]) == {5.0}
    assert space.base() == {"e": 2.0, "f": 5.0}


@pytest.mark.parametrize(
    ("build", "needle"),
    [
        (lambda: ParameterSpace({"a": {"dist": "norm", "scale": -1}}), "invalid parameters"),
        (lambda: ParameterSpace({"a": {"dist": "nrom"}}), "did you mean 'norm'"),
        (lambda: ParameterSpace({"a": stats.beta(-1, 2)}), "invalid parameters"),
        (lambda: ParameterSpace({}), "at least one parameter"),
        (
            lambda: ParameterSpace(
                {"a": stats.norm(), "b": stats.norm(), "c": stats.norm()},
                {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9},
            ),
            "not positive semi-definite",
        ),
        (lambda: ParameterSpace({"a": stats.norm()}, {("a", "z"): 0.1}), "unknown parameter 'z'"),
        (lambda: ParameterSpace({"a": stats.norm(), "b": 1.0}, {("a", "b"): 0.5}), "is fixed"),
        (lambda: ParameterSpace({"a": stats.norm()}).sample(0), "positive int"),
        (lambda: ParameterSpace({"a": stats.norm()}).sample(5, sampler="halton"), "sampler"),
    ],
)
def test_bad_specs_name_the_fix(build, needle):
    with pytest.raises(UncertaintySpecError, match=needle):
        build()


def test_unknown_parameters_are_refused_before_running():
    with pytest.raises(UncertaintySpecError, match="did you mean 'collapse_cost'"):
        psa(JengaModel(plays=("myopic",)), {"colapse_cost": stats.uniform(2, 1)}, 4)
    with pytest.raises(UncertaintySpecError, match="did you mean overhead\\[acute_trust\\]"):
        psa(TowerModel(), {"overhead[acute_trst]": 1.0}, 4)
    with pytest.raises(UncertaintySpecError, match="unknown parameter 'z'"):
        psa(ishigami, {"x1": 0.0, "x2": 0.0, "x3": 0.0, "z": 1.0}, 4)
    with pytest.raises(UncertaintySpecError, match="n=0"):
        psa(ishigami, {"x1": 0.0, "x2": 0.0, "x3": 0.0}, 0)


# -- whole-economy perturbation ---------------------------------------------------------------


def test_perturbed_tower_equals_a_tower_built_from_scratch():
    base = local_health_economy()
    draw = {
        "tariff": 1.07,
        "activity[cardiology]": 0.8,
        "variable_cost": 0.95,
        "fixed_cost[ae]": 1.2 if "ae" in base else 1.0,
        "overhead": 0.97,
        "reserves[acute_trust]": 4.0,
    }
    fast = EconomyPerturbation(base).tower(draw)
    m = {k: v for k, v in draw.items()}
    slow = base.replace(
        services={
            s: {
                "tariff": base.services[s].tariff * m["tariff"],
                "variable_cost": base.services[s].variable_cost * m["variable_cost"],
                "activity": base.services[s].activity * (0.8 if s == "cardiology" else 1.0),
                "fixed_cost": base.services[s].fixed_cost
                * (m["fixed_cost[ae]"] if s == "ae" else 1.0),
            }
            for s in base.ids
        },
        providers={
            p: {
                "overhead": base.providers[p].overhead * 0.97,
                "reserves": base.providers[p].reserves * (4.0 if p == "acute_trust" else 1.0),
            }
            for p in base.providers
        },
    )
    assert fast == slow
    # the compiled engine shares the structure and matches a compile from scratch, bit for bit
    # (CompiledTower.with_money forms p - c where from_tower does)
    ref = type(base.compiled).from_tower(slow)
    for f in dataclasses.fields(ref):
        a, b = getattr(fast.compiled, f.name), getattr(ref, f.name)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b), f.name
    # the graph was not rebuilt
    assert fast.compiled.in_idx is base.compiled.in_idx
    for removed in ([], ["cardiology"], ["pathology", "imaging"]):
        assert fast.cascade(removed) == slow.cascade(removed)


def test_with_money_refuses_arrays_of_the_wrong_length():
    """The engine's money rebuild names the array and the length it needs."""
    from jenga_games.errors import InvalidTowerError

    ct = local_health_economy().compiled
    money = dict(
        activity=ct.activity,
        tariff=ct.unit_margin,
        variable_cost=ct.activity * 0,
        fixed_cost=ct.fixed_cost,
        overhead=ct.overhead,
        reserves=ct.reserves[:-1],
    )
    with pytest.raises(InvalidTowerError, match=r"reserves has shape .*one value per provider"):
        ct.with_money(**money)
    money["reserves"] = ct.reserves
    same = ct.with_money(**money)  # tariff = p - c and no variable cost: the same margins
    assert np.array_equal(same.provider_balances(), ct.provider_balances())


def test_expand_economy_one_parameter_per_item():
    t = local_health_economy()
    names = expand_economy(t, {"activity[*]": 1.0, "overhead[*]": 1.0, "discount": 0.9})
    assert len(names) == len(t) + len(t.providers) + 1


def test_analytic_failure_probability_within_its_interval():
    """Provider fails iff a·p·M < F with M ~ LogNormal(0, s): P = Φ(ln(F/(a p)) / s)."""
    a, p, f, s = 10.0, 1.0, 8.0, 0.3
    model = TowerModel(one_service(a, p, f))
    result = psa(model, {"tariff": stats.lognorm(s)}, 1000, seed=11, sampler="mc")
    prob = outcome_probability(result, "failed[P]")
    exact = stats.norm.cdf(math.log(f / (a * p)) / s)
    assert prob.low <= exact <= prob.high
    assert prob.n == 1000 and str(prob).startswith("P(failed[P]) = ")
    # and the switching value of the tariff multiplier is F / (a p) exactly
    space = ParameterSpace({"tariff": stats.lognorm(s)})
    ((value, before, after),) = switching_values(
        model, space, "tariff", "failed[P]", low=0.001, high=0.999, tol=1e-9
    )
    assert before is True and after is False and value == pytest.approx(f / (a * p), abs=1e-8)


# -- running on back-ends, reproducibility, resuming ------------------------------------------


def _tower_psa(seed=3, **kw):
    model = TowerModel(local_health_economy())
    space = ParameterSpace(
        expand_economy(
            model.tower, {"overhead[*]": stats.uniform(0.97, 0.06), "tariff": stats.lognorm(0.02)}
        )
    )
    return psa(model, space, 16, seed=seed, **kw)


def test_same_seed_same_frame_on_every_backend_and_worker_count():
    serial = _tower_psa()
    assert serial.frame["draw"].tolist() == list(range(16))
    for workers in (1, 2):
        other = _tower_psa(backend="processes", workers=workers, chunksize=3)
        pd.testing.assert_frame_equal(serial.frame, other.frame)
    assert not serial.frame.equals(_tower_psa(seed=4).frame)


@pytest.mark.dask
def test_dask_backend_gives_the_same_frame():
    distributed = pytest.importorskip("distributed")
    with distributed.Client(
        processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
    ) as client:
        pd.testing.assert_frame_equal(_tower_psa().frame, _tower_psa(backend=client).frame)


def test_seeded_models_get_per_draw_seeds_independent_of_workers():
    a = psa(noisy, {"price": stats.uniform()}, 12, seed=5)
    b = psa(noisy, {"price": stats.uniform()}, 12, seed=5, backend="processes", workers=2)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.frame["u"].nunique() == 12 and "seed" in a.frame


def test_resumes_after_a_kill(tmp_path):
    space = {"price": stats.uniform(0, 1)}
    KILL.update(after=7, calls=0)
    with pytest.raises(KeyboardInterrupt):
        psa(killable, space, 20, seed=2, out=tmp_path / "run", chunksize=4)
    KILL.update(after=None, calls=0)
    resumed = psa(killable, space, 20, seed=2, out=tmp_path / "run", chunksize=4)
    assert KILL["calls"] == 20 - 4  # the first chunk of 4 was kept; the rest ran once
    KILL.update(calls=0)
    fresh = psa(killable, space, 20, seed=2, out=tmp_path / "fresh", chunksize=4)
    pd.testing.assert_frame_equal(resumed.frame, fresh.frame)
    assert np.allclose(fresh.frame["y"], 2 * fresh.frame["price"])
    with pytest.raises(UncertaintySpecError, match="different analysis"):
        psa(killable, space, 21, seed=2, out=tmp_path / "run")


# -- answers ---------------------------------------------------------------------------------


@given(st.integers(0, 60), st.integers(1, 60), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_interval_inverts_the_score_test(k, n, level):
    """The bounds are the p where |p̂ − p| = z sqrt(p(1 − p)/n), and they contain p̂."""
    k = min(k, n)
    low, high = wilson_interval(k, n, level)
    z = stats.norm.ppf(0.5 + level / 2)
    phat = k / n
    assert low <= phat <= high
    for bound in (low, high):
        if 0 < bound < 1:
            assert abs(abs(phat - bound) - z * math.sqrt(bound * (1 - bound) / n)) < 1e-9


@given(
    st.lists(
        st.lists(st.floats(-100, 100, allow_nan=False), min_size=3, max_size=3),
        min_size=2,
        max_size=40,
    ),
    st.integers(1, 10),
    st.randoms(use_true_random=False),
)
def test_evppi_lies_between_zero_and_evpi(rows, bins, rnd):
    """Jensen twice: max of means <= binned means' max <= mean of maxima, for any binning."""
    nb = np.array(rows)
    phi = [rnd.random() for _ in rows]
    total = evpi(nb)
    part = evppi(nb, phi, bins=min(bins, len(rows)))
    assert total >= 0 and -1e-9 <= part <= total + 1e-9
    assert evppi(nb, phi, bins=len(rows)) == pytest.approx(total, abs=1e-9)  # one draw per bin
    assert evppi(nb, phi, bins=1) == pytest.approx(0.0, abs=1e-9)  # one bin: no information


@given(
    st.fixed_dictionaries(
        {},
        optional={
            f: st.floats(0.5, 1.5)
            for f in ("tariff", "activity", "variable_cost", "overhead", "reserves[acute_trust]")
        },
    )
)
def test_perturbed_economy_is_a_fixpoint_like_a_rebuilt_one(draw):
    """Any multipliers: the fast tower's cascades equal those of a tower rebuilt by replace()."""
    base = local_health_economy()
    fast = EconomyPerturbation(base).tower(draw)
    s_fields = ("tariff", "activity", "variable_cost")
    slow = base.replace(
        services={
            s: {f: getattr(base.services[s], f) * draw.get(f, 1.0) for f in s_fields}
            for s in base.ids
        },
        providers={
            p: {
                "overhead": base.providers[p].overhead * draw.get("overhead", 1.0),
                "reserves": base.providers[p].reserves
                * (draw.get("reserves[acute_trust]", 1.0) if p == "acute_trust" else 1.0),
            }
            for p in base.providers
        },
    )
    for removed in ([], ["cardiology", "dermatology"]):
        assert fast.cascade(removed) == slow.cascade(removed)


def test_sobol_indices_of_ishigami_within_mc_error():
    """n = 1024 (5,120 runs): S1 and ST within 3 bootstrap half-widths (and 0.08) of the truth."""
    u = stats.uniform(-math.pi, 2 * math.pi)
    df = sobol_indices(ishigami, ParameterSpace({"x1": u, "x2": u, "x3": u}), "y", n=1024, seed=1)
    a, b = 7.0, 0.1
    v = a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    v1, v2, v13 = (
        0.5 * (1 + b * math.pi**4 / 5) ** 2,
        a**2 / 8,
        b**2 * math.pi**8 * (1 / 18 - 1 / 50),
    )
    exact = {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}
    for r in df.itertuples():
        s1, st_ = exact[r.parameter]
        assert abs(r.S1 - s1) <= max(3 * r.S1_conf, 0.02) and abs(r.S1 - s1) < 0.08
        assert abs(r.ST - st_) <= max(3 * r.ST_conf, 0.02) and abs(r.ST - st_) < 0.08


def test_morris_ranks_ishigami_inputs():
    u = stats.uniform(-math.pi, 2 * math.pi)
    df = morris_indices(ishigami, ParameterSpace({"x1": u, "x2": u, "x3": u}), "y", 30, seed=2)
    # x3 acts only through its interaction with x1: large sigma relative to |mu|
    row = df.set_index("parameter").loc["x3"]
    assert row["sigma"] > abs(row["mu"])
    assert set(df["parameter"]) == {"x1", "x2", "x3"}


def test_evpi_against_an_independent_computation_and_the_closed_form():
    mu, sigma = 0.3, 1.0
    space = ParameterSpace({"x": stats.norm(mu, sigma), "noise": stats.uniform(0, 1)})
    r = psa(two_options, space, 4096, seed=9, sampler="sobol")
    nb = net_benefit(r, {"a": "nb_a", "b": "nb_b"})
    x = r.frame["x"].to_numpy()
    independent = np.maximum(0.0, x).mean() - max(0.0, x.mean())  # E[max NB] - max E[NB]
    assert evpi(nb) == pytest.approx(independent, abs=1e-12)
    closed = mu * stats.norm.cdf(mu / sigma) + sigma * stats.norm.pdf(mu / sigma) - max(mu, 0.0)
    assert evpi(nb) == pytest.approx(closed, abs=0.01)
    # EVPPI: the parameter that decides is worth all of EVPI; the irrelevant one nothing
    assert evppi(nb, r.frame["x"]) == pytest.approx(evpi(nb), abs=0.01)
    assert evppi(nb, r.frame["noise"]) < 0.02
    # CEAC: at willingness to pay w the option b wins iff w·x − (1 − noise) > 0
    curves = ceac(r, {"a": ("nb_a", "nb_a"), "b": ("cost_b", "effect_b")}, [0.0, 5.0, 50.0])
    f = r.frame
    for row in curves.itertuples():
        wins = np.mean(row.wtp * f["effect_b"] - f["cost_b"] > 0)
        assert row.b == pytest.approx(wins) and row.a + row.b == pytest.approx(1.0)


def test_tornado_two_way_and_drivers():
    space = ParameterSpace(
        {"x1": stats.uniform(-1, 2), "x2": stats.uniform(0, 1), "x3": stats.uniform(0, 1)}
    )
    t = tornado(ishigami, space, "y")
    assert t["parameter"].iloc[0] == "x2" or t["swing"].iloc[0] >= t["swing"].iloc[1]
    row = t.set_index("parameter").loc["x1"]
    base = space.base()
    assert row["output_high"] == pytest.approx(ishigami(**{**base, "x1": 0.9})["y"])
    grid = two_way(ishigami, space, "x1", "x2", "y", points=3)
    assert len(grid) == 9
    assert grid["y"].iloc[0] == pytest.approx(ishigami(x1=-0.9, x2=0.05, x3=0.5)["y"])
    r = psa(ishigami, space, 300, seed=1)
    d = drivers(r, "y")
    # 7 sin^2(x2) is monotone on [0, 1] and dominates; x3 acts only through x1 (rho ~ 0)
    assert list(d["parameter"]) == ["x2", "x1", "x3"]


def test_probabilities_table_of_boolean_outputs():
    r = _tower_psa()
    table = probabilities(r)
    assert {"fallen", "collapsed"} <= set(table["outcome"])
    row = table.set_index("outcome").loc["fallen"]
    assert row["k"] == int(r.frame["fallen"].sum())


def test_jenga_model_agrees_with_the_commissioning_model():
    from jenga_games.commissioning import jenga_commissioning

    ref = jenga_commissioning(collapse_grid=[], discount_grid=[], funding_grid=[]).table
    out = JengaModel()()
    for play in ("myopic", "competitive", "cooperative"):
        assert out[f"{play}.fell"] == bool(ref.loc[play, "fell"])
        assert out[f"{play}.total"] == pytest.approx(ref.loc[play, "value_created"])
        assert out[f"{play}.value_lost"] == pytest.approx(ref.loc[play, "value_lost"])
    assert out["intact.fallen"] is False


@pytest.mark.slow
def test_jenga_collapse_cost_switch_matches_the_model_threshold():
    from jenga_games.commissioning import jenga_commissioning

    ref = jenga_commissioning(discount_grid=[1.0], funding_grid=[0.0]).collapse_threshold
    space = ParameterSpace({"collapse_cost": stats.uniform(0, 5)})
    sw = switching_values(
        JengaModel(plays=("competitive",)), space, "collapse_cost", "competitive.fell", points=6
    )
    assert [b for _, b, _ in sw] == [True]
    assert sw[0][0] == pytest.approx(ref, abs=1e-3)


# -- figures and the command line -------------------------------------------------------------


def test_figures_are_written(tmp_path):
    from jenga_games.plot.style import save
    from jenga_games.plot.uncertainty import (
        plot_ceac,
        plot_probabilities,
        plot_psa_scatter,
        plot_tornado,
    )

    space = ParameterSpace({"x": stats.norm(0.3, 1.0), "noise": stats.uniform(0, 1)})
    r = psa(two_options, space, 200, seed=1)
    curves = ceac(r, {"a": ("nb_a", "nb_a"), "b": ("cost_b", "effect_b")}, np.linspace(0, 5, 11))
    axes = [
        plot_tornado(
            tornado(ishigami, ParameterSpace({"x1": stats.norm(), "x2": 1, "x3": 1}), "y")
        ),
        plot_psa_scatter(r.frame.assign(win=r.frame["x"] > 0), "x", "noise", hue="win"),
        plot_probabilities(probabilities(r.frame.assign(win=r.frame["x"] > 0), ["win"])),
        plot_ceac(curves),
    ]
    for i, ax in enumerate(axes):
        (path,) = save(ax.figure, tmp_path / f"f{i}.png")
        assert path.stat().st_size > 1000


def test_cli_runs_a_spec_and_rejects_a_bad_one(tmp_path, capsys):
    spec = {
        "model": {"name": "tower", "removed": ["cardiology"]},
        "n": 12,
        "seed": 1,
        "sampler": "lhs",
        "parameters": {
            "overhead[*]": {"dist": "uniform", "loc": 0.97, "scale": 0.06},
            "tariff": {"dist": "lognorm", "s": 0.02},
        },
        "outcomes": ["fallen", "collapsed"],
        "tornado": "value_lost",
        "unit": "£ m a year",
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert main(["uncertainty", str(path), "--out", str(tmp_path / "out"), "--no-figures"]) == 0
    assert "P(fallen) = " in capsys.readouterr().out
    for name in ("draws.csv", "probabilities.csv", "tornado.csv", "report.md"):
        assert (tmp_path / "out" / name).exists()
    assert "95% CI (Wilson)" in (tmp_path / "out" / "report.md").read_text()
    toml = tmp_path / "bad.toml"
    toml.write_text('model = "tower"\nn = 0\nsampel = "lhs"\n[parameters]\ntariff = 1.0\n')
    assert main(["uncertainty", str(toml), "--out", str(tmp_path / "bad")]) == 2
    assert "did you mean 'sampler'" in capsys.readouterr().err


def test_spec_writes_parquet_when_pyarrow_is_there(tmp_path):
    pytest.importorskip("pyarrow")
    from jenga_games.uncertainty._spec import run_spec

    spec = {
        "model": "tower",
        "n": 6,
        "parameters": {"tariff": {"dist": "lognorm", "s": 0.02}},
        "format": "parquet",
    }
    summary = run_spec(spec, tmp_path, figures=False)
    back = pd.read_parquet(summary["written"]["draws"])
    assert len(back) == 6 and "fallen" in back


def test_spec_errors_name_the_fix(tmp_path):
    from jenga_games.uncertainty._spec import load_spec, run_spec

    with pytest.raises(UncertaintySpecError, match="has no 'parameters'"):
        load_spec({"model": "tower", "n": 3})
    with pytest.raises(UncertaintySpecError, match="use 'jenga'"):
        run_spec({"model": "chess", "n": 3, "parameters": {"a": 1.0}}, tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("model = \n")
    with pytest.raises(UncertaintySpecError, match="not valid TOML"):
        load_spec(bad)


def test_spec_with_costs_and_effects_writes_acceptability_curves(tmp_path):
    from jenga_games.uncertainty._spec import run_spec

    spec = {
        "model": f"{__name__}:two_options",
        "n": 64,
        "seed": 3,
        "parameters": {
            "x": {"dist": "norm", "loc": 0.3, "scale": 1.0},
            "noise": {"dist": "uniform"},
        },
        "decision": {"a": ["nb_a", "nb_a"], "b": ["cost_b", "effect_b"]},
        "wtp": [0.0, 1.0, 5.0],
        "wtp_unit": "£ m per QALY",
    }
    summary = run_spec(spec, tmp_path)
    curves = pd.read_csv(summary["written"]["ceac"])
    assert list(curves["wtp"]) == [0.0, 1.0, 5.0] and curves.loc[0, "a"] == 1.0
    assert "ceac_png" in summary["written"]
    assert "probabilities_png" not in summary["written"]  # no yes/no outputs to show
    assert "Cost-effectiveness acceptability" in (tmp_path / "report.md").read_text()
    with pytest.raises(UncertaintySpecError, match="wtp"):
        run_spec({**spec, "wtp": None}, tmp_path / "again")
