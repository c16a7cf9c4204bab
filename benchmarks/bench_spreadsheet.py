"""Time reading and writing towers as spreadsheets: ours beside the bare reader and writer.

Run (any environment with jenga_games, openpyxl and pandas installed, e.g. ``.venv``)::

    .venv/bin/python benchmarks/bench_spreadsheet.py [--sizes 10000] [--repeats 3]

Towers: the worked economy (34 services, every cell filled: units, health, sources,
rules in a cell) and economies of ``n`` services built like it (100 providers, eight
activity units, two supporters each under ``any``/``at least``/``&``/``|`` rules, a
source per service). Each is written once as ``.xlsx`` and as a CSV folder, then:

* read: ``read_tower`` (strict cell parsing, rule text, names, building the ``Tower``)
  beside the bare reader of the same file, ``openpyxl.load_workbook(read_only=True,
  data_only=True)`` walking every row of every sheet, and ``pandas.read_csv`` of every
  CSV file (which parses nothing of the template); wall and CPU time (CPU is steadier
  on a loaded machine). The CSV folder is also read by the per-cell reference reader
  (``_tower_cellwise``, what ``read_tower`` did before it read whole columns), so one
  run shows before and after;
* write: ``write_tower`` beside the bare writer of the same rows, ``openpyxl`` in
  write-only mode and ``pandas.DataFrame.to_csv``.

Prints times and the ratio ours / bare. No peer library reads this template, so the
bare readers are the floor. No assertions on timings; the machine may be loaded.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _timing import best_time

from jenga_games.tower import Provider, Service, Tower, local_health_economy
from jenga_games.tower.files import read_tower, write_tower
from jenga_games.tower.spreadsheet import (
    _read_csv_grids,
    _sheets,
    _tower_cellwise,
    tower_to_sheets,
)

UNITS = ("bed-days", "tests", "attendances", "scans", "contacts", "operations", "births", "visits")
RULES = ("any", "all", "at least 1", "{a} & {b}", "{a} | {b}")


def economy(n: int) -> Tower:
    """An ``n``-service economy with every column of the template filled (deterministic)."""
    from jenga_games.tower.rule_text import rule_from_text

    services = []
    supports = []
    for i in range(n):
        sup = () if i < 10 else (f"s{(i * 7) % i}", f"s{(i * 13 + 1) % i}")
        sup = tuple(dict.fromkeys(sup))
        supports += [(u, f"s{i}") for u in sup]
        rule = None
        if sup:  # two distinct supporters use every rule form; one supporter, "any"
            form = RULES[i % len(RULES)] if len(sup) == 2 else "any"
            rule = rule_from_text(form.format(a=sup[0], b=sup[-1]))
        services.append(
            Service(
                f"s{i}",
                provider=f"p{i % 100}",
                activity=10.0 + i % 97,
                tariff=0.01 * (1 + i % 13),
                variable_cost=0.004 * (1 + i % 13),
                fixed_cost=0.02 * (i % 5),
                support=rule,
                critical=i % 50 == 0,
                setting=("acute", "community", "primary")[i % 3],
                layer=i % 4,
                label=f"Service {i}",
                unit=UNITS[i % len(UNITS)],
                health=None if i % 3 else 0.01 * (i % 7),
                source="assumption (benchmark economy)",
            )
        )
    providers = [
        Provider(f"p{j}", overhead=1.0, reserves=50.0, label=f"Provider {j}") for j in range(100)
    ]
    return Tower(services, supports, providers, name=f"benchmark economy of {n} services")


def bare_read_xlsx(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    finally:
        wb.close()


def bare_read_csv(folder: Path) -> int:
    import pandas as pd

    return sum(len(pd.read_csv(f, encoding="utf-8-sig")) for f in sorted(folder.glob("*.csv")))


def bare_write_xlsx(sheets: dict, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


def bare_write_csv(sheets: dict, folder: Path) -> None:
    import pandas as pd

    folder.mkdir(exist_ok=True)
    for name, rows in sheets.items():
        pd.DataFrame(rows[1:], columns=rows[0]).to_csv(folder / f"{name}.csv", index=False)


def best_wall_cpu(f, repeats: int, *args) -> tuple[float, float]:
    """Best wall and best CPU time (this process) of ``f(*args)`` over ``repeats`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        f(*args)
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, time.process_time() - c)
    return wall, cpu


def cellwise_csv(folder: Path) -> Tower:
    """The per-cell reference reader (the whole reader before the column reader existed)."""
    return _tower_cellwise(str(folder), _sheets(str(folder), _read_csv_grids(folder)))


def bench_reads(label: str, xlsx: Path, csv_dir: Path, repeats: int) -> None:
    """Wall and CPU time of our readers beside the bare ones; the ratios ours / bare.

    The warm-up is the round-trip check in :func:`bench` (the files are in the page cache).
    """
    cases = [
        ("read xlsx", read_tower, xlsx, "openpyxl read-only", bare_read_xlsx),
        ("read csv", read_tower, csv_dir, "pandas.read_csv", bare_read_csv),
        ("read csv", cellwise_csv, csv_dir, "pandas.read_csv", bare_read_csv),
    ]
    for what, ours, path, peer, bare in cases:
        kind = "per-cell" if ours is cellwise_csv else "ours"
        (w_ours, c_ours), (w_bare, c_bare) = (best_wall_cpu(g, repeats, path) for g in (ours, bare))
        wall, cpu = (w_ours, w_bare), (c_ours, c_bare)
        print(
            f"{label:>22} {what:<10} {kind:<8} wall {wall[0]:8.3f} s  cpu {cpu[0]:8.3f} s   "
            f"{peer:<19} wall {wall[1]:8.3f} s  cpu {cpu[1]:8.3f} s   "
            f"ratio wall {wall[0] / wall[1]:6.2f}x  cpu {cpu[0] / cpu[1]:6.2f}x"
        )


def bench(label: str, tower: Tower, tmp: Path, repeats: int) -> None:
    xlsx, csv_dir = tmp / f"{label}.xlsx", tmp / f"{label}_csv"
    write_tower(tower, xlsx)
    write_tower(tower, csv_dir)
    sheets = tower_to_sheets(tower)
    assert read_tower(xlsx) == tower, "the xlsx round trip changed the tower"
    assert read_tower(csv_dir) == tower, "the CSV round trip changed the tower"
    assert cellwise_csv(csv_dir) == tower, "the per-cell reader changed the tower"
    bench_reads(label, xlsx, csv_dir, repeats)
    rows = []
    t_ours = best_time(write_tower, repeats, tower, tmp / f"{label}_w.xlsx")[0]
    t_bare = best_time(bare_write_xlsx, repeats, sheets, tmp / f"{label}_b.xlsx")[0]
    rows.append(("write xlsx", t_ours, t_bare, "openpyxl write-only"))
    t_ours = best_time(write_tower, repeats, tower, tmp / f"{label}_w_csv")[0]
    t_bare = best_time(bare_write_csv, repeats, sheets, tmp / f"{label}_b_csv")[0]
    rows.append(("write csv", t_ours, t_bare, "pandas.to_csv"))
    for what, ours, bare, peer in rows:
        print(
            f"{label:>22} {what:<10} ours {ours * 1e3:9.1f} ms   {peer:<20} {bare * 1e3:9.1f} ms"
            f"   ratio {ours / bare:5.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    try:
        import openpyxl  # noqa: F401
        import pandas  # noqa: F401
    except ImportError as err:
        print(f"skipped: {err.name} is not installed in this environment")
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        bench("worked economy (34)", local_health_economy(), Path(tmp), args.repeats)
        for n in args.sizes:
            bench(f"economy of {n:,}", economy(n), Path(tmp), max(1, args.repeats // 2))


if __name__ == "__main__":
    main()
