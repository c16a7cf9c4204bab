"""Uncertainty spec files (TOML or JSON) and the run that writes tables, a report and figures.

A spec names the model, the distributions, the sampler, ``n``, the seed and
the back-end::

    model = "jenga"                 # or "tower", "package.module:function",
                                    # or a table {name = "jenga", plays = [...], ...}
    n = 200
    seed = 1
    sampler = "lhs"                 # "mc", "lhs" or "sobol"
    backend = "serial"              # "serial", "processes" or a Dask scheduler address
    workers = 2                     # processes only
    format = "csv"                  # or "parquet" (needs pyarrow)
    outcomes = ["competitive.fell"] # boolean outputs to report (default: all)
    tornado = "competitive.net"     # optional: one-way analysis of this output

    [parameters]
    collapse_cost = {dist = "uniform", loc = 2, scale = 1}
    "reserves[*]" = {dist = "lognorm", s = 0.2}

    [correlation]                   # optional Spearman rank correlations
    "collapse_cost,discount" = 0.3

    [decision]                      # optional: options -> net-benefit column, for EVPI
    myopic = "myopic.net"           # (or every option [cost column, effect column] with
    cooperative = "cooperative.net" #  wtp = [...] and wtp_unit: acceptability curves)
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .._io import atomic_path, atomic_write_text
from ._analysis import ceac, drivers, evpi, evppi, net_benefit, probabilities, tornado
from ._economy import expand_economy, is_economy_parameter
from ._models import resolve_model
from ._run import psa
from ._space import ParameterSpace, UncertaintySpecError

__all__ = ["SPEC_KEYS", "load_spec", "run_spec"]

SPEC_KEYS = (
    "model",
    "parameters",
    "correlation",
    "n",
    "seed",
    "sampler",
    "backend",
    "workers",
    "format",
    "outcomes",
    "tornado",
    "decision",
    "title",
    "unit",
    "wtp",
    "wtp_unit",
)


def load_spec(source: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
    """Read a spec from a ``.toml`` or ``.json`` file (or take a mapping) and check its keys."""
    if isinstance(source, Mapping):
        spec = dict(source)
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise UncertaintySpecError(f"cannot read spec {str(path)!r}: {err.strerror}") from None
        try:
            spec = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as err:
            kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
            raise UncertaintySpecError(f"spec {str(path)!r} is not valid {kind}: {err}") from None
    unknown = [k for k in spec if k not in SPEC_KEYS]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], SPEC_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UncertaintySpecError(
            f"unknown spec key {unknown[0]!r}{hint}; keys are {', '.join(SPEC_KEYS)}"
        )
    for key in ("model", "parameters", "n"):
        if key not in spec:
            raise UncertaintySpecError(
                f"the spec has no {key!r}; give model (e.g. 'jenga'), parameters (a table of "
                "distributions) and n (number of draws)"
            )
    if not isinstance(spec["parameters"], Mapping):
        raise UncertaintySpecError("'parameters' must be a table name -> distribution")
    return spec


def _backend(spec: Mapping[str, Any]) -> Any:
    backend = spec.get("backend", "serial")
    if backend == "dask":
        import logging

        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UncertaintySpecError(
                "backend = 'dask' needs dask.distributed: pip install 'jenga-games[distributed]', "
                "or use backend = 'processes'"
            ) from None
        cluster = LocalCluster(
            n_workers=spec.get("workers", 2),
            threads_per_worker=1,
            dashboard_address=":0",  # any free port: never clashes with a running cluster
            silence_logs=logging.WARNING,
        )
        client = Client(cluster)
        client.close_cluster = cluster.close  # closed with the client in run_spec
        return client
    return backend


def run_spec(
    source: str | os.PathLike[str] | Mapping[str, Any],
    out: str | os.PathLike[str],
    *,
    progress: bool = False,
    figures: bool = True,
) -> dict[str, Any]:
    """Run the analysis a spec describes and write its answers into ``out``.

    Writes ``draws.csv`` (or ``.parquet``): every draw's parameters and outputs;
    ``probabilities.csv``: outcome probabilities with 95% Wilson intervals;
    ``drivers.csv``; ``tornado.csv``, ``evpi.csv`` or ``ceac.csv`` when asked;
    ``report.md``; and figures ``probabilities.png``, ``scatter.png`` (the outcome
    against its two main drivers), ``tornado.png``, ``ceac.png``. Draws are stored as
    they finish in ``out/run`` so a killed run resumes.

    Returns
    -------
    dict
        The paths written and the headline numbers.
    """
    spec = load_spec(source)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = resolve_model(spec["model"])
    params = spec["parameters"]
    tower = getattr(model, "tower", None)
    if tower is not None:
        params = expand_economy(tower, params)
    space = ParameterSpace(params, spec.get("correlation"))
    fmt = spec.get("format", "csv")
    if fmt not in ("csv", "parquet"):
        raise UncertaintySpecError(f"format={fmt!r}: use 'csv' or 'parquet'")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UncertaintySpecError(
                "format = 'parquet' needs pyarrow: pip install pyarrow, or use format = 'csv'"
            ) from None
    backend = _backend(spec)
    try:
        result = psa(
            model,
            space,
            spec["n"],
            seed=spec.get("seed", 0),
            sampler=spec.get("sampler", "lhs"),
            backend=backend,
            workers=spec.get("workers") if backend in ("processes", None) else None,
            out=out / "run",
            progress=progress,
        )
    finally:
        if hasattr(backend, "close"):
            backend.close()
            getattr(backend, "close_cluster", lambda: None)()
    frame = result.frame
    written: dict[str, Any] = {}
    draws = out / f"draws.{fmt}"
    with atomic_path(draws) as tmp:
        frame.to_parquet(tmp, index=False) if fmt == "parquet" else frame.to_csv(tmp, index=False)
    written["draws"] = str(draws)

    probs = probabilities(result, spec.get("outcomes"))
    with atomic_path(out / "probabilities.csv") as tmp:
        probs.to_csv(tmp, index=False)
    written["probabilities"] = str(out / "probabilities.csv")

    drive = {}
    for o in probs["outcome"]:
        if frame[o].nunique() > 1:
            drive[o] = drivers(result, o)
    if drive:
        table = pd.concat([d.assign(output=o) for o, d in drive.items()], ignore_index=True)
        with atomic_path(out / "drivers.csv") as tmp:
            table.to_csv(tmp, index=False)
        written["drivers"] = str(out / "drivers.csv")

    tor = None
    if spec.get("tornado"):
        tor = tornado(model, space, spec["tornado"])
        with atomic_path(out / "tornado.csv") as tmp:
            tor.to_csv(tmp, index=False)
        written["tornado"] = str(out / "tornado.csv")

    voi = curves = None
    decision = spec.get("decision") or {}
    pairs = {k: v for k, v in decision.items() if not isinstance(v, str)}
    if pairs:  # options with (cost, effect): acceptability curves over willingness to pay
        if len(pairs) != len(decision) or not spec.get("wtp"):
            raise UncertaintySpecError(
                "a decision with [cost, effect] pairs needs every option as a pair and "
                "wtp = [values] (willingness to pay per unit of effect)"
            )
        for name, pair in pairs.items():
            if len(pair) != 2:
                raise UncertaintySpecError(
                    f"decision option {name!r}: give [cost column, effect column], got {pair!r}"
                )
        curves = ceac(result, {k: tuple(v) for k, v in pairs.items()}, spec["wtp"])
        with atomic_path(out / "ceac.csv") as tmp:
            curves.to_csv(tmp, index=False)
        written["ceac"] = str(out / "ceac.csv")
    elif decision:
        nb = net_benefit(result, decision)
        rows = [("EVPI (all parameters)", evpi(nb))]
        for p in result.parameters:
            if frame[p].nunique() > 1:
                rows.append((f"EVPPI {p}", evppi(nb, frame[p])))
        voi = pd.DataFrame(rows, columns=["quantity", "value"])
        voi.attrs["best"] = str(nb.mean().idxmax())
        voi.attrs["means"] = nb.mean().to_dict()
        with atomic_path(out / "evpi.csv") as tmp:
            voi.to_csv(tmp, index=False)
        written["evpi"] = str(out / "evpi.csv")

    if figures:
        from ..plot.style import save
        from ..plot.uncertainty import (
            plot_ceac,
            plot_probabilities,
            plot_psa_scatter,
            plot_tornado,
        )

        if len(probs):
            ax = plot_probabilities(probs)
            written["probabilities_png"] = str(save(ax.figure, out / "probabilities.png")[0])
        if tor is not None:
            ax = plot_tornado(tor, unit=spec.get("unit", ""))
            written["tornado_png"] = str(save(ax.figure, out / "tornado.png")[0])
        if curves is not None:
            ax = plot_ceac(curves, wtp_unit=spec.get("wtp_unit", "per unit of effect"))
            written["ceac_png"] = str(save(ax.figure, out / "ceac.png")[0])
        shown = next((o for o in drive if len(drive[o]) >= 2), None)
        if shown is not None:
            x, y = drive[shown]["parameter"].iloc[:2]
            units = {p: "× base" if is_economy_parameter(p) else "" for p in (x, y)}
            ax = plot_psa_scatter(frame, x, y, hue=shown, xunit=units[x], yunit=units[y])
            written["scatter_png"] = str(save(ax.figure, out / "scatter.png")[0])

    report = _report(spec, result, probs, drive, tor, voi, curves, written)
    atomic_write_text(out / "report.md", report)
    written["report"] = str(out / "report.md")
    return {
        "written": written,
        "n": len(frame),
        "probabilities": probs.to_dict(orient="records"),
        "evpi": None if voi is None else float(voi["value"].iloc[0]),
    }


def _report(spec, result, probs, drive, tor, voi, curves, written) -> str:
    prov = result.provenance
    title = spec.get("title", "Uncertainty analysis")
    lines = [
        f"# {title}",
        "",
        f"Model `{str(prov.params['model'])[:60]}`; {prov.params['n']} draws ({prov.params['sampler']} "
        f"sampler, seed {prov.seed}); jenga_games {prov.version}.",
        "",
        "## Parameters",
        "",
        "| parameter | distribution |",
        "| --- | --- |",
        *[f"| `{k}` | {v} |" for k, v in result.space.describe().items()],
        "",
        "## Outcome probabilities",
        "",
        "| outcome | P (share of draws) | 95% CI (Wilson) | draws |",
        "| --- | --- | --- | --- |",
        *[
            f"| `{r.outcome}` | {r.p:.3f} | {r.low:.3f} to {r.high:.3f} | {r.k} of {r.n} |"
            for r in probs.itertuples()
        ],
        "",
    ]
    if drive:
        lines += ["## Driven mostly by", ""]
        for o, d in drive.items():
            top = d.head(3)
            parts = [f"`{r.parameter}` (ρ = {r.rho:+.2f})" for r in top.itertuples()]
            lines.append(f"* `{o}`: {', '.join(parts)} (Spearman rank correlation over the draws)")
        lines.append("")
    if tor is not None:
        lines += [
            f"## One-way sensitivity of `{tor.attrs['output']}` (base {tor.attrs['base']:.4g})",
            "",
            "| parameter | low value | high value | output at low | output at high |",
            "| --- | --- | --- | --- | --- |",
            *[
                f"| `{r.parameter}` | {r.low_value:.4g} | {r.high_value:.4g} | "
                f"{r.output_low:.4g} | {r.output_high:.4g} |"
                for r in tor.head(10).itertuples()
            ],
            "",
        ]
        if "tornado_png" in written:
            lines += ["![tornado](tornado.png)", ""]
    if voi is not None:
        means = ", ".join(f"{k} {v:.4g}" for k, v in voi.attrs["means"].items())
        lines += [
            "## Value of information",
            "",
            f"Expected net benefit per option (units of the net-benefit columns): {means}; "
            f"best on expectation: **{voi.attrs['best']}**.",
            "",
            "| quantity | value (units of net benefit, per decision) |",
            "| --- | --- |",
            *[f"| {r.quantity} | {r.value:.4g} |" for r in voi.itertuples()],
            "",
        ]
    if curves is not None:
        options = [c for c in curves.columns if c not in ("wtp", "best", "evpi")]
        unit = spec.get("wtp_unit", "per unit of effect")
        lines += [
            "## Cost-effectiveness acceptability",
            "",
            f"| willingness to pay ({unit}) | "
            + " | ".join(f"P({o} best)" for o in options)
            + " | best on expectation | EVPI |",
            "| --- | " + " | ".join("---" for _ in options) + " | --- | --- |",
            *[
                f"| {r['wtp']:.4g} | "
                + " | ".join(f"{r[o]:.3f}" for o in options)
                + f" | {r['best']} | {r['evpi']:.4g} |"
                for r in curves.to_dict(orient="records")
            ],
            "",
        ]
        if "ceac_png" in written:
            lines += ["![acceptability curves](ceac.png)", ""]
    if "scatter_png" in written:
        lines += ["![PSA scatter](scatter.png)", ""]
    if "probabilities_png" in written:
        lines += ["![probabilities](probabilities.png)", ""]
    return "\n".join(lines)
