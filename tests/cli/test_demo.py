"""``jenga demo``: the report, its figures, and that what it says is true of the tower."""

import json

import pytest

from jenga_games.cli import demo as demo_module
from jenga_games.cli import main
from jenga_games.tower.economy import local_health_economy


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["--json", "demo", "--out", str(out)])
    return code, out, json.loads(buf.getvalue())


def test_demo_writes_report_and_figures(demo_run):
    code, out, data = demo_run
    assert code == 0
    report = (out / "report.md").read_text()
    for heading in (
        "## The tower",
        "## What stands",
        "## Its weakest blocks",
        "## Two safe moves that are not safe together",
        "## One cascade, round by round",
        "## Moving activity without closing wards",
    ):
        assert heading in report
    for name in ("tower.png", "dependencies.png", "tower_after.png", "cascade.png"):
        path = out / name
        assert path.stat().st_size > 10_000
        assert f"]({name})" in report
    assert data["report"] == str(out / "report.md")


def test_demo_claims_are_true_of_the_tower(demo_run):
    """Every block listed as weak topples something; every safe block and pair is checked afresh."""
    _, _, data = demo_run
    t = local_health_economy()
    assert data["stands_intact"] and not t.cascade().fallen
    for row in data["weakest_blocks"]:
        assert set(t.cascade([row["service"]]).fell) == set(row["fell"])
    for sid in data["safe_blocks"]:
        assert not t.cascade([sid]).fallen
    assert len(data["weakest_blocks"]) + len(data["safe_blocks"]) == len(t)
    pairs = {tuple(sorted(p)) for p in data["toppling_safe_pairs"]}
    assert ("cardiology", "ophthalmology") in pairs
    safe = data["safe_blocks"]
    brute = {
        tuple(sorted((a, b)))
        for i, a in enumerate(safe)
        for b in safe[i + 1 :]
        if t.cascade([a, b]).fallen
    }
    assert pairs == brute
    casc = data["cascade"]
    out = t.cascade(casc["removed"])
    assert [list(r) for r in out.rounds] == casc["rounds"]


def test_movable_share_matches_the_margin_formula(demo_run):
    """Moving a share s of acute medicine loses s·a·(p − c); it topples the trust past headroom 2.0."""
    _, _, data = demo_run
    s = local_health_economy().service("acute_medicine")
    expected = 2.0 / (s.activity * s.unit_margin)
    assert data["movable_share"]["acute_medicine"] == pytest.approx(expected, abs=1e-6)


def test_sections_can_be_added(tmp_path):
    def section_hello(ctx):
        return "## Hello\n\nAn added section."

    try:
        demo_module.register_section(section_hello, before=demo_module.section_one_cascade)
        assert demo_module.SECTIONS.index(section_hello) < demo_module.SECTIONS.index(
            demo_module.section_one_cascade
        )
        ctx = demo_module.DemoContext(tower=local_health_economy(), out=tmp_path)
        path = demo_module.write_report(ctx, [demo_module.section_what_stands, section_hello])
        text = path.read_text()
        assert text.index("## What stands") < text.index("## Hello")
    finally:
        demo_module.SECTIONS.remove(section_hello)


def test_demo_text_mode_on_another_tower(tmp_path, capsys):
    from jenga_games.tower.library import classic_jenga

    classic_jenga(4).to_json(tmp_path / "jenga.json")
    assert (
        main(["demo", "--out", str(tmp_path / "out"), "--tower", str(tmp_path / "jenga.json")]) == 0
    )
    text = capsys.readouterr().out
    assert f"Report: {tmp_path / 'out' / 'report.md'}" in text and "cascade.png" in text
    report = (tmp_path / "out" / "report.md").read_text()
    assert "classic Jenga" in report


def _same(got, want, where="data"):
    """Equal JSON data, floats to 1e-9 relative (sums may change order, never the answer)."""
    if isinstance(want, float) and isinstance(got, int | float):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), where
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), where
        for k in want:
            _same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{where}[{i}]")
    else:
        assert got == want, where


def test_demo_data_matches_the_snapshot(demo_run):
    """The demo's data (not its figures) is that of the committed snapshot (refactors change no answer)."""
    from pathlib import Path

    _, _, data = demo_run
    want = json.loads((Path(__file__).parent / "demo_snapshot.json").read_text())
    got = {k: v for k, v in data.items() if k not in ("report", "figures")}
    _same(got, want)
