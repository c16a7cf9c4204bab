"""Screenshots of each view of the app at 1280×800, for the docs (and a teacher's slides).

Run ``python -m jenga_games.app.screenshots docs/how-to/img`` (needs the ``playwright``
package and Debian's ``chromium``; nothing is downloaded). It serves the app on
127.0.0.1 at a free port, drives headless Chromium through each view and writes
``app-explore.png``, ``app-thresholds.png``, ``app-play.png``, ``app-hosted.png``
and ``app-exercises.png``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..commissioning import commissioning_game
from ..tower import local_health_economy

__all__ = ["screenshots"]

SIZE = {"width": 1280, "height": 800}


def screenshots(out_dir: str | os.PathLike[str], chromium: str = "/usr/bin/chromium") -> list[Path]:
    """Write one PNG per view into ``out_dir``; returns their paths."""
    from playwright.sync_api import sync_playwright

    from . import AppServer

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with AppServer() as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_context(viewport=SIZE).new_page()
        page.goto(server.url)
        page.wait_for_selector("body[data-ready=true]")

        def shot(name: str) -> None:
            path = out / f"app-{name}.png"
            page.screenshot(path=str(path))
            written.append(path)

        # Explore: 10% of acute medicine moved out topples the acute trust
        page.check("#mode-fraction")
        page.fill("#fraction", "0.9")
        page.evaluate("window.__lastRedrawMs = null")
        page.click('#tower .block[data-id="acute_medicine"]')
        page.wait_for_function("window.__lastRedrawMs !== null")
        shot("explore")

        # Thresholds: funding just below the switch point, competitive play topples the tower
        page.click("#tab-thresholds")
        page.wait_for_selector("#th-outcome[data-fell]")
        page.fill("#s-funding", "0.05")
        page.wait_for_function("document.querySelector('#th-outcome').dataset.funding === '0.05'")
        shot("thresholds")

        # Play against the subgame-perfect opponent, coach on, to the end
        solved = commissioning_game(local_health_economy()).solve()
        page.click("#tab-play")
        page.select_option("#opponent", "spe")
        page.click("#start-game")
        page.check("#coach-on")
        for i, move in enumerate(solved.path):
            if move.player != solved.path[0].player:
                continue
            page.wait_for_function(
                "document.querySelector('#turn').dataset.yourTurn === 'true' && "
                f"document.querySelectorAll('#moves li').length === {i}"
            )
            if i == 4:
                shot("play")  # mid-game, the coach showing each move's value
            if move.block is None:
                page.click("#pass")
            else:
                page.click(f'#play-tower .block[data-id="{move.block}"]')
        page.wait_for_selector("#compare-table")
        page.evaluate("document.querySelector('#compare').scrollIntoView()")
        shot("play-end")

        # A hosted game: the teacher's screen with the join link, one student joined
        page.goto(server.url)
        page.wait_for_selector("body[data-ready=true]")
        page.click("#tab-play")
        page.click("#host-game")
        link = page.get_attribute("#join-link", "href")
        student = browser.new_context(viewport=SIZE).new_page()
        student.goto(link)
        student.wait_for_selector("#join-box:not([hidden])")
        student.fill("#join-name", "Ann")
        student.click("#join-game")
        student.wait_for_selector("#turn[data-your-turn='true']")
        page.wait_for_function("document.querySelector('#players').innerText.includes('Ann')")
        shot("hosted")

        # Exercises: a wrong answer, the checker's verdict and the worked solution
        page.click("#tab-exercises")
        page.wait_for_selector('#ex-type option[value="tower-what-falls"]', state="attached")
        page.select_option("#ex-type", "tower-what-falls")
        page.fill("#ex-seed", "3")
        page.click("#ex-make")
        page.wait_for_selector("#ex-form:not([hidden])")
        page.fill("#ex-answer", "imaging")
        page.click("#ex-check")
        page.wait_for_selector("#ex-solution:not([hidden])")
        page.evaluate("document.querySelector('#ex-solution').open = true")
        page.evaluate("window.scrollTo(0, 0)")
        shot("exercises")
        browser.close()
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in screenshots(sys.argv[1] if len(sys.argv) > 1 else "docs/how-to/img"):
        sys.stdout.write(f"{p}\n")
