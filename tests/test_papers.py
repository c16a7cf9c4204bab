"""Papers rebuild byte-for-byte: the fast subset by default, everything with -m slow."""

from pathlib import Path

import pytest

from jenga_games.cli import main
from jenga_games.papers import build, check, find_papers, load_artifacts

ROOT = Path(__file__).resolve().parents[1] / "papers"
PAPERS = find_papers(ROOT)


def test_every_paper_has_readme_and_artifacts():
    assert PAPERS, "no papers found"
    for name, folder in PAPERS.items():
        assert (folder / "README.md").is_file(), name
        arts = load_artifacts(folder)
        assert arts, name
        for art in arts:  # every artifact is committed with its data
            assert (folder / "output" / f"{art.name}.csv").is_file(), f"{name}/{art.name}"


@pytest.mark.parametrize("name", sorted(PAPERS))
def test_quick_subset_reproduces(name):
    report = check(PAPERS[name], quick=True)
    assert report.ok, "\n".join(report.mismatches)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PAPERS))
def test_whole_paper_reproduces(name):
    report = check(PAPERS[name])
    assert report.ok, "\n".join(report.mismatches)


def test_build_writes_figures_and_tables(tmp_path):
    report = build(PAPERS["replications"], tmp_path, quick=True)
    assert {Path(f).name for f in report.files} >= {"talmud-bankruptcy.csv", "talmud-bankruptcy.md"}


def test_check_reports_a_difference(tmp_path):
    import shutil

    paper = tmp_path / "replications"
    shutil.copytree(PAPERS["replications"], paper)
    csv = paper / "output" / "talmud-bankruptcy.csv"
    csv.write_text(csv.read_text().replace("150", "151"))
    report = check(paper, only=["talmud-bankruptcy"])
    assert not report.ok and "differs" in report.mismatches[0]
    assert (
        main(
            [
                "papers",
                "--root",
                str(tmp_path),
                "check",
                "replications",
                "--only",
                "talmud-bankruptcy",
            ]
        )
        == 1
    )


def test_unknown_paper_is_a_clear_error(capsys):
    assert main(["papers", "--root", str(ROOT), "build", "no-such-paper"]) == 2
    assert "no paper 'no-such-paper'" in capsys.readouterr().err
