"""Progress bars are drawn on a terminal only (issue #23): never escape sequences in logs."""

import io
import sys

import pytest

from jenga_games._progress import progress_bar
from jenga_games.papers import build


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("tty", [False, True])
def test_a_bar_only_on_a_terminal(monkeypatch, tty):
    err = _Stream(tty)
    monkeypatch.setattr(sys, "stderr", err)
    bar = progress_bar(range(3), enabled=True, desc="x", file=err)
    assert list(bar) == [0, 1, 2]
    bar.close()
    assert bool(err.getvalue()) is tty  # drawn on a terminal, nothing in a log


def test_disabled_bar_is_silent_and_counts_nothing(monkeypatch):
    err = _Stream(True)
    monkeypatch.setattr(sys, "stderr", err)
    bar = progress_bar(enabled=False, total=5)
    bar.update(2)
    bar.close()
    assert list(bar) == [] and err.getvalue() == ""


def test_paper_build_writes_no_bar_into_a_log(tmp_path, monkeypatch, capfd):
    paper = tmp_path / "tiny-progress"
    paper.mkdir()
    (paper / "figures.py").write_text(
        "import pandas as pd\n"
        "from jenga_games.papers import table\n\n"
        "@table('numbers', 'A table.')\n"
        "def numbers():\n"
        "    return pd.DataFrame({'x': [1, 2]})\n"
    )
    build(paper, progress=True)  # stderr is captured here, i.e. not a terminal
    assert "\r" not in capfd.readouterr().err
